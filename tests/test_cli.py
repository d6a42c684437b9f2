"""The command line, run as users run it: `python -m kubebridge ...` in a subprocess."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import FIXTURES, body

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = sorted((ROOT / "examples" / "web-sidecar").glob("*.json"))
SIDECAR5 = FIXTURES / "generate" / "podman-5.4.2" / "pod-sidecar"
SIDECAR4 = FIXTURES / "generate" / "podman-4.3.1" / "pod-sidecar"


def kb(*args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path | None = None):
    proc = subprocess.run([sys.executable, "-m", "kubebridge", *map(str, args)], input=stdin, capture_output=True,
                          timeout=60, env={**os.environ, **(env or {})}, cwd=cwd or ROOT)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def inputs(fixture: Path) -> list[Path]:
    return sorted(p for p in fixture.glob("*.json") if p.name != "scenario.json")


def test_help_lists_the_commands():
    code, out, _ = kb("--help")
    assert code == 0
    assert "generate" in out


def test_example_from_the_readme_prints_what_podman_printed():
    code, out, err = kb("generate", *EXAMPLE)
    assert code == 0, err
    expected = (FIXTURES / "generate/podman-5.4.2/pod-web-sidecar-full/generate.yaml").read_text()
    assert body(out) == body(expected)
    assert out.splitlines()[3] == "# Created with kubebridge-0.2.0 (as podman-5.4.2 kube generate)"


def test_podman_4_3_output():
    code, out, err = kb("generate", "--podman-version", "4.3", *inputs(SIDECAR4))
    assert code == 0, err
    assert body(out) == body((SIDECAR4 / "generate.yaml").read_text())


def test_standard_input_and_file_order_do_not_matter():
    files = inputs(SIDECAR5)
    data = b"".join(f.read_bytes() for f in files[:1])
    code, out, err = kb("generate", *reversed(files[1:]), "-", stdin=data)
    assert code == 0, err
    assert body(out) == body((SIDECAR5 / "generate.yaml").read_text())


def test_output_file_is_written_whole_and_without_stdouts_extra_newline(tmp_path):
    target = tmp_path / "out.yaml"
    code, out, err = kb("generate", *inputs(SIDECAR5), "-o", target)
    assert (code, out) == (0, "")
    _, stdout_text, _ = kb("generate", *inputs(SIDECAR5))
    assert body(target.read_text() + "\n") == body(stdout_text)
    assert os.listdir(tmp_path) == ["out.yaml"]


def test_failed_run_leaves_no_output_file_and_keeps_an_old_one(tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("previous\n")
    code, _, err = kb("generate", SIDECAR5 / "scenario.json", "-o", target)
    assert code == 2
    assert target.read_text() == "previous\n"
    assert os.listdir(tmp_path) == ["out.yaml"]
    code, _, _ = kb("generate", SIDECAR5 / "missing.json", "-o", tmp_path / "new.yaml")
    assert code == 2 and not (tmp_path / "new.yaml").exists()


def test_names_pick_and_order_objects():
    fixture = FIXTURES / "generate/podman-5.4.2/pods-multiple-reversed"
    code, out, err = kb("generate", *inputs(fixture), "--name", "pod2", "--name", "pod1")
    assert code == 0, err
    assert body(out) == body((fixture / "generate.yaml").read_text())
    code, out, _ = kb("generate", *inputs(fixture), "--name", "pod1")
    assert "name: pod1" in out and "name: pod2" not in out


def test_without_names_every_pod_then_container_then_volume():
    fixture = FIXTURES / "generate/podman-5.4.2/mixed-pod-container-volume"
    code, out, err = kb("generate", *inputs(fixture))
    assert code == 0, err
    kinds = [line for line in out.splitlines() if line.startswith("kind:")]
    assert kinds == ["kind: PersistentVolumeClaim", "kind: Pod", "kind: Pod"]
    assert body(out) == body((fixture / "generate.yaml").read_text())


@pytest.mark.parametrize("args,message", [
    (["--type", "deployment"], "Podman 4.3.1 has no --type option"),
    (["--podman-only"], "Podman 4.3.1 has no --podman-only option"),
    (["--replicas", "2"], "Podman 4.3.1 has no --replicas option"),
])
def test_podman_4_3_lacks_podman_5_options(args, message):
    code, out, err = kb("generate", "--podman-version", "4.3", *args, *inputs(SIDECAR4))
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_podman_refusals_carry_podmans_message():
    code, out, err = kb("generate", *inputs(SIDECAR5), "--name", "nosuchpod")
    assert (code, out) == (2, "")
    assert 'name or ID "nosuchpod" not found' in err


def test_host_path_types(tmp_path):
    fixture = FIXTURES / "generate/podman-5.4.2/pod-bind-mounts"
    given = ["--host-path", "/tmp/kb-capture/data=File", "--host-path", "/tmp/kb-capture/config.txt=Directory"]
    code, out, err = kb("generate", "--no-stat", *given, *inputs(fixture))
    assert code == 0, err
    assert "type: File\n    name: tmp-kb-capture-data-host-0" in out
    assert "type: DirectoryOrCreate" in out  # /tmp/kb-capture/html, neither given nor looked at
    code, _, err = kb("generate", "--host-path", "nonsense", *inputs(fixture))
    assert code == 2 and "PATH=TYPE" in err


def test_timestamp_from_source_date_epoch():
    code, out, _ = kb("generate", *inputs(SIDECAR5), env={"SOURCE_DATE_EPOCH": "0"})
    assert 'creationTimestamp: "1970-01-01T00:00:00Z"' in out
    code, out2, _ = kb("generate", *inputs(SIDECAR5), env={"SOURCE_DATE_EPOCH": "0"})
    assert out == out2


@pytest.mark.parametrize("content,where", [
    (b"", "empty input"),
    (b"{not json", "t.json:1:2: invalid JSON"),
    (b'[{"Id": "x"}]', "t.json: at $[0]: not Podman inspect output"),
    (b"\xff\xfe", "t.json: not UTF-8"),
    (json.dumps([{"Id": "abc", "Name": "x", "Config": {"Env": [5]}, "HostConfig": {}}]).encode(),
     "t.json: at $[0].Config.Env[0]: 5 is not of type 'string' (in container inspect output)"),
])
def test_bad_input_names_the_file_and_place(tmp_path, content, where):
    (tmp_path / "t.json").write_bytes(content)
    code, out, err = kb("generate", "t.json", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert where in err
    assert "Traceback" not in err


def test_missing_file_and_directory(tmp_path):
    code, _, err = kb("generate", tmp_path / "nope.json")
    assert code == 2 and "nope.json: no such file" in err
    code, _, err = kb("generate", tmp_path)
    assert code == 2 and "is a directory" in err


def test_incomplete_pod_input_says_what_is_missing():
    pod_only = [p for p in inputs(SIDECAR5) if p.name.startswith("pod-inspect")]
    code, _, err = kb("generate", *pod_only)
    assert code == 2
    assert "container inspect" in err and "app" in err


SIDECARS = ROOT / "examples" / "play" / "sidecars.yaml"


@pytest.mark.parametrize("command", [["play", SIDECARS], ["generate", *EXAMPLE], ["check", SIDECARS],
                                     ["roundtrip", "--no-stat", SIDECARS]])
def test_a_directory_as_the_output_file_is_refused_before_any_work(tmp_path, command):
    code, out, err = kb(*command[:1], "-o", tmp_path, *command[1:])
    assert code == 2 and out == ""
    assert err == f"kubebridge: error: {tmp_path}: is a directory, not a file\n"
    assert list(tmp_path.iterdir()) == []


def test_the_output_file_keeps_an_existing_files_mode_and_a_new_one_follows_the_umask(tmp_path):
    old = tmp_path / "old.yaml"
    old.write_text("old\n")
    old.chmod(0o444)
    assert kb("generate", "-o", old, *EXAMPLE)[0] == 0
    assert old.stat().st_mode & 0o777 == 0o444 and "kind: Pod" in old.read_text()
    new = tmp_path / "new.yaml"
    code = subprocess.run(["sh", "-c", f'umask 027 && exec "$0" -m kubebridge generate -o {new} "$@"', sys.executable,
                           *map(str, EXAMPLE)], cwd=ROOT, capture_output=True).returncode
    assert code == 0 and new.stat().st_mode & 0o777 == 0o640


RELATIVE_HOSTPATH = """apiVersion: v1
kind: Pod
metadata: {name: rel}
spec:
  containers:
  - {name: a, image: reg/app:1, volumeMounts: [{name: d, mountPath: /d}]}
  volumes:
  - {name: d, hostPath: {path: ./data}}
"""


def test_a_relative_base_dir_is_taken_against_the_working_directory(tmp_path):
    (tmp_path / "sub" / "data").mkdir(parents=True)
    (tmp_path / "pod.yaml").write_text(RELATIVE_HOSTPATH)
    code, out, err = kb("play", "--base-dir", "sub", "pod.yaml", cwd=tmp_path)
    assert code == 0, err
    container = [c for c in json.loads(out)["containers"] if c.get("Name") == "rel-a"][0]
    assert [m["Source"] for m in container["Mounts"]] == [str(tmp_path / "sub" / "data")]
    code, out, err = kb("play", "--base-dir", "nowhere", "pod.yaml", cwd=tmp_path)
    assert (code, out, err) == (2, "", "kubebridge: error: --base-dir nowhere: no such directory\n")
    code, _, err = kb("play", "--base-dir", "pod.yaml", "pod.yaml", cwd=tmp_path)
    assert (code, err) == (2, "kubebridge: error: --base-dir pod.yaml: not a directory\n")


def test_roundtrip_takes_plays_sidecars_and_node_hostname(tmp_path):
    podman = kb("roundtrip", "--no-stat", "--format", "json", SIDECARS)
    containers = kb("roundtrip", "--no-stat", "--format", "json", "--sidecars", "containers", SIDECARS)
    assert podman[0] == containers[0] == 1
    lost = [c["path"] for c in json.loads(podman[1])["changes"] if c["kind"] == "lost"]
    assert "spec.initContainers[0].restartPolicy" in lost
    assert json.loads(podman[1]) != json.loads(containers[1])
    (tmp_path / "hn.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: hn}\nspec:\n  hostNetwork: true\n"
                                      "  containers:\n  - {name: a, image: reg/app:1}\n")
    code, out, err = kb("roundtrip", "--no-stat", "--node-hostname", "box7", tmp_path / "hn.yaml")
    assert code == 1, err
    assert '  added    spec.hostname: "box7"  [host-network-hostname]' in out.splitlines()


def test_output_through_a_symbolic_link_keeps_the_link(tmp_path):
    (tmp_path / "real.yaml").write_text("old\n")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    assert kb("generate", *map(str, EXAMPLE), "-o", str(tmp_path / "link.yaml"))[0] == 0
    assert (tmp_path / "link.yaml").is_symlink()
    assert (tmp_path / "real.yaml").read_text().startswith("# Save the output of this file")


def test_output_into_a_fifo_writes_into_it_and_leaves_it_a_fifo(tmp_path):
    """A file that is not a regular one (a FIFO, /dev/null, a device) is written into, never replaced."""
    import threading

    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, _, err = kb("generate", *map(str, EXAMPLE), "-o", str(fifo))
    reader.join(timeout=60)
    assert code == 0, err
    assert fifo.is_fifo() and got and got[0].startswith(b"# Save the output of this file")


def test_a_standard_output_that_cannot_be_written_is_an_error_not_a_traceback():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "kubebridge", "generate", *map(str, EXAMPLE)], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "kubebridge: error: cannot write the output: No space left on device"


def test_a_reader_that_goes_away_gives_sigpipes_status_and_no_noise():
    proc = subprocess.Popen([sys.executable, "-m", "kubebridge", "check", "--target", "kubernetes",
                             str(ROOT / "tests/fixtures/generate")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT)
    assert proc.stdout is not None and proc.stdout.read(10)
    proc.stdout.close()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 141 and b"Traceback" not in err and b"Exception ignored" not in err


@pytest.mark.parametrize("command", ["check", "generate", "play"])
def test_standard_input_given_twice_is_refused(command):
    code, out, err = kb(command, "-", "-", stdin=b"")
    assert code == 2 and err == "kubebridge: error: - (standard input) given more than once: it can be read once\n"


@pytest.mark.parametrize("content", [b"null\n", b"5\n", b'"pod"\n'])
def test_json_of_the_wrong_shape_is_not_called_not_json(content):
    code, _, err = kb("generate", "-", stdin=content)
    assert code == 2 and "JSON, but not inspect output (a list or object)" in err


def test_a_truncated_inspect_file_is_read_as_json_and_its_break_placed(tmp_path):
    """The trial's `roundtrip half.json` said 'YAML document does not contain any supported kube kind'."""
    whole = (ROOT / "examples/web-sidecar/container-inspect.json").read_text()
    half = tmp_path / "half.json"
    half.write_text(whole[:300])
    for command in (["roundtrip"], ["generate"]):
        code, out, err = kb(*command, str(half))
        assert (code, out) == (2, "")
        assert f"{half}:" in err and "JSON" in err and "kube kind" not in err, (command, err)
