"""Snapshots: the bundle `kubebridge snapshot` writes, read by generate and roundtrip like inspect output, and
the walk from names to everything they reference.

The live half (a real Podman asked on a test store) is tests/test_live_snapshot.py.  Here the Podman answers
come from captures: tests/fixtures/inspect-all (tests/capture/capture_inspect_all.py) holds, for each Podman,
one `podman inspect` of the pod `web` (scenario `snapshot-web`), its containers, images and volume, and what
`podman kube generate web` printed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import FIXTURES, body, split_chunks

import kubebridge
from kubebridge import api
from kubebridge.errors import InputError, PodmanError, UsageError
from kubebridge.load.bundle import make
from kubebridge.load.inspect import kind_of
from kubebridge.query import walk

ROOT = Path(__file__).resolve().parents[1]
INSPECT_ALL = sorted((FIXTURES / "inspect-all").glob("podman-*/snapshot-web"))
TIME = "2026-11-21T00:00:00Z"


def meta(fixture: Path) -> dict:
    return json.loads((fixture / "scenario.json").read_text())


def objects(fixture: Path, name: str = "inspect.json") -> dict[str, list[dict]]:
    """The captured `podman inspect` output, by kind."""
    found: dict[str, list[dict]] = {"pod": [], "container": [], "image": [], "volume": []}
    for obj in json.loads((fixture / name).read_text()):
        found[kind_of(obj)].append(obj)
    return found


def bundle_of(fixture: Path, names=("web",), version: str | None = None) -> dict:
    return make(version or meta(fixture)["podman_version"], list(names), objects(fixture))


def same_as_podman(expected: str, actual: str) -> bool:
    """kubebridge's generate equals Podman's, up to the header's last line and creationTimestamp (support.body),
    and the order of ports across host IPs and protocols, which Podman takes from a Go map (support.py)."""
    if body(actual) == body(expected):
        return True

    def ports_sorted(text: str) -> list:
        chunks = split_chunks(body(text))
        for doc in chunks:
            for ctr in doc["spec"]["containers"] if isinstance(doc, dict) and doc.get("kind") == "Pod" else []:
                ctr.get("ports", []).sort(key=lambda p: json.dumps(p, sort_keys=True))
        return chunks
    return ports_sorted(actual) == ports_sorted(expected)


def kb(*args, env: dict | None = None):
    proc = subprocess.run([sys.executable, "-m", "kubebridge", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, **(env or {})})
    return proc.returncode, proc.stdout, proc.stderr


def test_the_captures_are_there():
    assert [f.parent.name for f in INSPECT_ALL] == ["podman-4.3.1", "podman-5.4.2", "podman-5.8.6"]


# --- one `podman inspect` of everything --------------------------------------------------------------------

@pytest.mark.parametrize("fixture", INSPECT_ALL, ids=lambda f: f.parent.name)
def test_one_podman_inspect_of_everything_is_input(fixture):
    """The README's command: `podman inspect POD CTR... IMG... VOL...` in one file, generated with --name."""
    result = kubebridge.generate_result(fixture / "inspect.json", names=["web"], timestamp=TIME)
    version = meta(fixture)["podman_version"]
    assert result.podman_version == version  # told from the output's shapes, with a notice saying so
    assert result.warnings[0].startswith(f"modelling Podman {version}: ")
    assert same_as_podman((fixture / "generate.yaml").read_text(), api.generate_text(result))


@pytest.mark.parametrize("fixture", INSPECT_ALL, ids=lambda f: f.parent.name)
def test_podman_inspect_of_a_pods_name_can_answer_with_a_volume(fixture):
    """Podman's own trap, captured: `podman inspect web` looks volumes up before pods, and a volume by the start
    of its name, so it printed the volume `webdata`; the README says to give the pod's ID."""
    assert [o.get("Name") for o in json.loads((fixture / "inspect-pod-name.json").read_text())] == ["webdata"]
    with pytest.raises(kubebridge.PodmanRefusal, match='name or ID "web" not found'):
        kubebridge.generate(fixture / "inspect-pod-name.json", names=["web"])


# --- the bundle ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", INSPECT_ALL, ids=lambda f: f.parent.name)
def test_a_bundle_generates_what_podman_printed_with_no_version_given(fixture):
    result = kubebridge.generate_result(bundle_of(fixture), timestamp=TIME)
    assert result.podman_version == meta(fixture)["podman_version"]
    assert not [w for w in result.warnings if "modelling Podman" in w]  # recorded, not guessed: nothing to say
    assert same_as_podman((fixture / "generate.yaml").read_text(), api.generate_text(result))


def test_the_recorded_version_wins_over_what_the_shapes_show():
    fixture = FIXTURES / "inspect-all/podman-5.4.2/snapshot-web"
    assert kubebridge.generate_result(fixture / "inspect.json", names=["web"]).podman_version == "5.4.2"
    recorded = kubebridge.generate_result(bundle_of(fixture, version="5.8.6"))
    assert (recorded.podman_version, recorded.warnings) == ("5.8.6", [])
    # and --podman-version wins over the recorded one
    assert kubebridge.generate_result(bundle_of(fixture, version="5.8.6"), podman_version="4.3").podman_version \
        == "4.3.1"


@pytest.mark.parametrize("recorded,modelled", [("5.6.1", "5.8.6"), ("5.2.0", "5.4.2"), ("4.9.3", "4.3.1"),
                                               ("5.8.2", "5.8.6")])
def test_a_recorded_version_without_a_profile_is_modelled_by_the_nearest(recorded, modelled):
    """versions.resolve's rule (minors first; between two, the newer), with one notice saying so."""
    result = kubebridge.generate_result(bundle_of(INSPECT_ALL[2], version=recorded))
    assert result.podman_version == modelled
    assert result.warnings[0] == (f"modelling Podman {modelled}: the snapshot records Podman {recorded}, which has "
                                  f"no profile of its own: {modelled} is the nearest {recorded[0]}.x "
                                  "(--podman-version or podman_version= chooses another)")


def test_a_recorded_major_without_a_profile_is_an_error_that_says_what_to_do(tmp_path):
    (tmp_path / "web.json").write_text(json.dumps(bundle_of(INSPECT_ALL[2], version="6.0.1")))
    code, out, err = kb("generate", tmp_path / "web.json")
    assert (code, out) == (2, "")
    assert err == (f"kubebridge: error: the snapshot {tmp_path / 'web.json'} records Podman 6.0.1: no profile for "
                   "Podman 6.x: kubebridge models 4.3.1, 5.4.2, 5.8.6 (--podman-version or podman_version= chooses "
                   "one)\n")
    code, out, err = kb("generate", "--podman-version", "5.8", tmp_path / "web.json")
    assert code == 0 and "kind: Pod" in out


def test_generate_makes_the_names_the_snapshot_was_taken_of():
    fixture = INSPECT_ALL[2]
    kinds = lambda docs: [d["kind"] for d in docs]  # noqa: E731
    assert kinds(kubebridge.generate(bundle_of(fixture, names=["web"]))) == ["Pod"]  # as podman kube generate web
    assert kinds(kubebridge.generate(bundle_of(fixture, names=["web", "webdata"]))) == [
        "PersistentVolumeClaim", "Pod"]
    assert kinds(kubebridge.generate(bundle_of(fixture, names=[]))) == ["PersistentVolumeClaim", "Pod"]  # all
    assert kinds(kubebridge.generate(bundle_of(fixture), names=["webdata"])) == ["PersistentVolumeClaim"]
    # a bundle beside other inspect output: Podman's default, everything
    assert kinds(kubebridge.generate(bundle_of(fixture), json.dumps({"Name": "more", "Driver": "local",
                                                                      "Scope": "local", "Mountpoint": "/x"}))) == [
        "PersistentVolumeClaim", "PersistentVolumeClaim", "Pod"]


def test_the_command_line_reads_a_bundle_file_and_roundtrip_takes_it(tmp_path):
    fixture = INSPECT_ALL[0]
    (tmp_path / "web.json").write_text(json.dumps(bundle_of(fixture)))
    code, out, err = kb("generate", tmp_path / "web.json")
    assert code == 0, err
    assert same_as_podman((fixture / "generate.yaml").read_text(), out)
    assert "modelling Podman" not in err
    code, out, err = kb("roundtrip", "--format", "json", tmp_path / "web.json")
    report = json.loads(out)
    assert code == 1 and (report["source"], report["podman_version"]) == ("snapshot", "4.3.1")
    assert "modelling Podman" not in err


BAD = [
    (lambda b: b.update(podman_version=5), "at $.podman_version: 5 is not of type 'string' (in a kubebridge "
                                           "snapshot)"),
    (lambda b: b.update(podman_version="five"), "at $.podman_version: 'five' is not a Podman version such as "
                                                "5.8.6 (in a kubebridge snapshot)"),
    (lambda b: b.update(extra=1), "at $: unknown key 'extra' (in a kubebridge snapshot)"),
    (lambda b: b.pop("images"), "at $: 'images' is a required property (in a kubebridge snapshot)"),
    (lambda b: b.update(pods=b["volumes"]), "at $.pods[0]: volume inspect output in the snapshot's pods"),
    (lambda b: b.update(kubebridge_snapshot=2), "at $.kubebridge_snapshot: a kubebridge snapshot of format 2: "
                                                "this kubebridge reads format 1 (a newer kubebridge wrote it)"),
    (lambda b: b["containers"][0].update(Id=5), "at $.containers[0].Id: 5 is not of type 'string' (in container "
                                                "inspect output)"),
    (lambda b: b.update(names=["web", ""]), "at $.names[1]: '' is shorter than 1 character (in a kubebridge "
                                            "snapshot)"),
]


@pytest.mark.parametrize("change,message", BAD, ids=[m.split(":")[1].strip() for _, m in BAD])
def test_a_bad_bundle_is_a_clear_error_naming_the_file_and_place(change, message, tmp_path):
    bundle = bundle_of(INSPECT_ALL[2])
    change(bundle)
    (tmp_path / "web.json").write_text(json.dumps(bundle))
    code, out, err = kb("generate", tmp_path / "web.json")
    assert (code, out, err) == (2, "", f"kubebridge: error: {tmp_path / 'web.json'}: {message}\n")


def test_the_bundle_schema_is_valid_and_every_bundle_fits_it():
    from jsonschema import Draft202012Validator

    from kubebridge.load import shape

    Draft202012Validator.check_schema(shape.load_schema("snapshot"))
    for fixture in INSPECT_ALL:
        assert Draft202012Validator(shape.load_schema("snapshot")).is_valid(bundle_of(fixture))


# --- the walk: names -> everything they reference -----------------------------------------------------------

class Captured:
    """A Podman whose answers are a captured `podman inspect` (walk.Podman), recording what it is asked."""

    def __init__(self, fixture: Path, version: str = "5.8.6") -> None:
        self.objects, self.asked, self.version_ = objects(fixture), [], version

    def version(self) -> str:
        self.asked.append(("version",))
        return self.version_

    def _find(self, kind: str, name: str) -> dict | None:
        key = "Name" if kind == "volume" else "Id"
        return next((o for o in self.objects[kind] if o.get(key) == name or o.get("Name") == name or
                     name in (o.get("RepoTags") or ())), None)

    def lookup(self, kind: str, name: str) -> dict | None:
        self.asked.append((kind, name))
        return self._find(kind, name)

    def inspect(self, kind: str, names) -> list[dict]:
        self.asked.append((kind, *names))
        found = [self._find(kind, n) for n in names]
        if None in found:
            raise PodmanError(f"no such {kind}")
        return found  # type: ignore[return-value]


FIXTURE_58 = FIXTURES / "inspect-all/podman-5.8.6/snapshot-web"  # 5.8: the infra container has no image


def test_a_pod_brings_its_containers_their_images_and_volumes():
    podman = Captured(FIXTURE_58)
    bundle = walk.take(["web"], podman)
    assert {k: len(v) for k, v in bundle.items() if isinstance(v, list)} == {
        "names": 1, "pods": 1, "containers": 3, "images": 2, "volumes": 1}
    assert any(c["IsInfra"] for c in bundle["containers"])
    assert (bundle["kubebridge_snapshot"], bundle["podman_version"], bundle["names"]) == (1, "5.8.6", ["web"])
    # looked up as podman kube generate does (a container first, then a pod), then each kind asked once
    assert podman.asked[:3] == [("version",), ("container", "web"), ("pod", "web")]
    assert [a[0] for a in podman.asked[3:]] == ["container", "image", "volume"]


def test_a_container_brings_its_pod_and_an_image_or_volume_only_itself():
    bundle = walk.take(["app"], Captured(FIXTURE_58))
    assert (len(bundle["pods"]), len(bundle["containers"]), len(bundle["images"])) == (1, 3, 2)
    assert kind_counts(walk.take(["webdata"], Captured(FIXTURE_58))) == {"volumes": 1}
    assert kind_counts(walk.take(["localhost/webimg:1.0"], Captured(FIXTURE_58))) == {"images": 1}
    # a container in a pod, named alone: generate refuses it as Podman does, and names the pod
    with pytest.raises(kubebridge.PodmanRefusal, match="use generate on the pod itself"):
        kubebridge.generate(walk.take(["app"], Captured(FIXTURE_58)))


def kind_counts(bundle: dict) -> dict:
    return {k: len(v) for k, v in bundle.items() if isinstance(v, list) and v and k != "names"}


def test_a_missing_name_or_none_at_all_is_an_error():
    with pytest.raises(PodmanError, match='no such object: "nosuch"'):
        walk.take(["web", "nosuch"], Captured(FIXTURE_58))
    with pytest.raises(UsageError, match="give the names"):
        walk.take([], Captured(FIXTURE_58))


# --- reaching Podman: errors, and nothing written ----------------------------------------------------------

def test_no_podman_is_a_clear_error_and_nothing_is_written(tmp_path):
    out = tmp_path / "web.json"
    code, stdout, err = kb("snapshot", "--podman", tmp_path / "no-podman", "web", "-o", out)
    assert (code, stdout, out.exists()) == (2, "", False)
    assert err == (f"kubebridge: error: {tmp_path / 'no-podman'}: command not found: is Podman installed? (--podman "
                   "or $KUBEBRIDGE_PODMAN names another podman command, --url a Podman API socket)\n")
    code, _, err = kb("snapshot", "web", "-o", out, env={"KUBEBRIDGE_PODMAN": f"{tmp_path}/other-podman --remote"})
    assert (code, out.exists()) == (2, False) and f"{tmp_path}/other-podman: command not found" in err


def test_podmans_own_error_is_passed_on(tmp_path):
    failing = tmp_path / "podman"
    failing.write_text("#!/bin/sh\necho 'time=x level=warning msg=\"noise\"' >&2\n"
                       "echo 'Error: cannot open the store: permission denied' >&2\nexit 125\n")
    failing.chmod(0o755)
    code, _, err = kb("snapshot", "--podman", failing, "web", "-o", tmp_path / "web.json")
    assert (code, (tmp_path / "web.json").exists()) == (2, False)
    assert err == f"kubebridge: error: {failing} version: cannot open the store: permission denied\n"


def test_no_socket_is_a_clear_error_and_nothing_is_written(tmp_path):
    out = tmp_path / "web.json"
    code, _, err = kb("snapshot", "--url", f"unix://{tmp_path}/podman.sock", "web", "-o", out)
    assert (code, out.exists()) == (2, False)
    assert err == (f"kubebridge: error: cannot reach the Podman service at unix://{tmp_path}/podman.sock: No such "
                   "file or directory (is `podman system service` running there?)\n")
    code, _, err = kb("snapshot", "--url", "ftp://somewhere", "web")
    assert code == 2 and err.startswith("kubebridge: error: --url ftp://somewhere: ")
    code, _, err = kb("snapshot", "--url", "unix:///x.sock", "--podman", "podman", "web")
    assert code == 2 and "--url" in err and "--podman" in err  # one or the other (argparse says so)


def test_snapshot_without_names_is_a_usage_error():
    code, _, err = kb("snapshot")
    assert code == 2 and "NAME" in err


@pytest.mark.parametrize("field,value", [("Containers", 5), ("Labels", 5)])
def test_a_podman_that_prints_what_is_not_inspect_output_is_refused_when_the_snapshot_is_taken(field, value):
    """The newcomer's podman printing [{"Id": 1}]: refused by snapshot, not later by generate."""
    podman = Captured(FIXTURE_58)
    pod = next(o for o in podman.objects["pod"] if o.get("Name") == "web")
    pod[field] = value
    with pytest.raises(PodmanError, match="podman printed what is not its inspect output: "):
        walk.take(["web"], podman)


def test_roundtrip_of_a_bundle_takes_the_names_it_records_as_generate_does():
    """The newcomer's bundle with names ["nosuch"]: generate refused it, roundtrip went round everything."""
    bundle = walk.take(["web"], Captured(FIXTURE_58))
    assert kubebridge.roundtrip(bundle).changes  # web goes round
    bundle["names"] = ["nosuch"]
    with pytest.raises(kubebridge.KubebridgeError) as generate_error:
        kubebridge.generate(bundle)
    with pytest.raises(kubebridge.KubebridgeError) as roundtrip_error:
        kubebridge.roundtrip(bundle)
    assert str(roundtrip_error.value) == str(generate_error.value)


def _hung_podman(tmp_path: Path) -> Path:
    hung = tmp_path / "podman"
    hung.write_text("#!/bin/sh\nexec sleep 30\n")
    hung.chmod(0o755)
    return hung


def test_a_podman_that_does_not_answer_is_given_up_on_after_the_timeout(tmp_path):
    """The trial's hung podman kept snapshot silent for the whole 120 s: --timeout sets it, the error names it."""
    import time
    start = time.monotonic()
    code, _, err = kb("snapshot", "--podman", _hung_podman(tmp_path), "--timeout", "0.5", "web",
                      "-o", tmp_path / "web.json")
    assert time.monotonic() - start < 10
    assert (code, (tmp_path / "web.json").exists()) == (2, False)
    assert err == (f"kubebridge: error: {tmp_path / 'podman'} version: no answer within 0.5 seconds (snapshot "
                   "--timeout, take_snapshot(timeout=) give it longer)\n")
    for bad in ("0", "-1", "soon", "nan"):
        code, _, err = kb("snapshot", "--timeout", bad, "web")
        assert code == 2 and f"{bad!r}: give a number of seconds above 0" in err


def test_a_slow_podman_is_named_while_it_is_waited_for(tmp_path, monkeypatch):
    from kubebridge.errors import PodmanError
    from kubebridge.query import command_line

    monkeypatch.setattr(command_line, "SLOW", 0.2)
    told = []
    with pytest.raises(PodmanError, match="no answer within 0.6 seconds"):
        kubebridge.take_snapshot("web", podman=str(_hung_podman(tmp_path)), timeout=0.6, waiting=told.append)
    assert told == [f"{tmp_path / 'podman'} version"]
    with pytest.raises(kubebridge.UsageError, match=r"timeout=0: give a number of seconds above 0"):
        kubebridge.take_snapshot("web", timeout=0)
