"""check's claims about Podman, put to the Podmans installed here.

* The YAML Podman's own `kube generate` printed that check flags: where check
  says "podman kube play refuses this", the same Podman refuses it, with
  check's message; where it does not, that Podman plays it.
* The rule cases whose rule says Podman refuses: Podman refuses the triggering
  manifest and plays the corrected one.
Images are swapped for the local test image (play would pull them otherwise).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from livepodman import live, podman_for

from kubebridge.checks.engine import Checker, CheckOptions

sys.path.insert(0, str(Path(__file__).resolve().parent / "capture"))
from capture_play import PLAY_DIR, prepare_host_files  # noqa: E402
from podmanrun import exclusive  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_VERSION = {"4.3": "4.3.1", "5.4": "5.4.2", "5.8": "5.8.6"}
PROFILE = {"4.3": "4.3", "5.4": "5.4", "5.8": "5.8"}
GENERATED_REFUSED = ["pod-annotations", "pod-group-add", "pod-init-volume"]
# rules whose triggering case Podman refuses (the rule says so), and whose corrected case it plays
PODMAN_REFUSES = ["podman-refuses", "container-name-duplicate", "image-missing", "volume-mount-undefined",
                  "probe-on-init", "duplicate-key"]


@exclusive
def play(podman, text: str, name: str):
    podman.reset()
    prepare_host_files()
    PLAY_DIR.mkdir(parents=True, exist_ok=True)
    path = PLAY_DIR / f"{name}.yaml"
    path.write_text(text)
    return podman.run("kube", "play", "--start=false", str(path), check=False)


def local_images(text: str) -> str:
    return re.sub(r"(\bimage: )\S+", r"\1localhost/busybox:latest", text)


@pytest.mark.parametrize("version,scenario", [pytest.param(v, s, marks=live(v), id=f"{v}-{s}")
                                              for v in FIXTURE_VERSION for s in GENERATED_REFUSED])
def test_podman_refuses_what_check_says_it_refuses(version, scenario):
    path = ROOT / "tests/fixtures/generate" / f"podman-{FIXTURE_VERSION[version]}" / scenario / "generate.yaml"
    result = Checker(CheckOptions(podman_version=PROFILE[version], target="podman")).check_file(path.read_bytes(),
                                                                                               str(path))
    refusals = [f.message for f in result.findings if f.rule == "podman-refuses"]
    played = play(podman_for(version), path.read_text(), scenario)
    if not refusals:  # this Podman plays it (4.3 does not check annotation keys): check must not cry wolf
        assert played.returncode == 0, played.stderr.decode()
        return
    assert played.returncode != 0
    assert played.stderr.decode().strip() == f"Error: {refusals[0]}"


@pytest.mark.parametrize("version,rule", [pytest.param(v, r, marks=live(v), id=f"{v}-{r}")
                                          for v in FIXTURE_VERSION for r in PODMAN_REFUSES])
def test_rule_cases_against_podman(version, rule):
    bad, _, good = (ROOT / "tests/check_rules" / f"{rule}.yaml").read_text().partition("#### good\n")
    podman = podman_for(version)
    refused = play(podman, local_images(bad), rule)
    assert refused.returncode != 0, f"Podman {version} played the case that {rule} says it refuses"
    played = play(podman, local_images(good), rule)
    assert played.returncode == 0, played.stderr.decode()
    podman.reset()


# --- check --target podman's verdict, file by file, against real podman kube play ----------------------------------

PLAYED = re.compile(r"^kind: (Pod|Deployment|DaemonSet|Job)$", re.M)


def _unique_names(text: str, n: int) -> str:
    """Each file's pods named apart (web -> web-f12), so files never meet on one store: the first `metadata.name`
    of each document, when it is a plain DNS label (an invalid name is what some cases test: kept)."""
    def rename(doc: str) -> str:
        return re.sub(r"^(metadata:\n(?:  .*\n)*?  name: )([a-z0-9-]+)$", rf"\g<1>\g<2>-f{n}", doc, count=1,
                      flags=re.M)
    return "\n---\n".join(rename(doc) for doc in text.split("\n---\n"))


def verdict_files() -> dict[str, str]:
    """Every triggering and corrected manifest of the rule cases and the API-server cases that holds a kind some
    Podman plays, with local images and names of their own."""
    from test_apiserver import cases, manifest

    texts = {}
    for path in sorted((ROOT / "tests/check_rules").glob("*.yaml")):
        text = re.sub(r'"@@(\d+)"', lambda m: "x" * int(m.group(1)), path.read_text())
        bad, _, good = text.partition("#### good\n")
        texts[f"rule-{path.stem}-bad"], texts[f"rule-{path.stem}-good"] = bad, good
    for i, case in enumerate(cases()):
        for side in ("bad", "good"):
            texts[f"case-{i}-{case['check']}-{side}"] = manifest(case["kind"], case[side])
    seen: set[str] = set()
    files = {}
    for n, (name, text) in enumerate(texts.items()):
        host_paths = re.findall(r"hostPath:\n\s+path: (\S+)", text)
        if any(not Path(p).exists() for p in host_paths):
            continue  # check assumes a hostPath exists (README: Podman's refusals that depend on its host)
        if re.search(r"imagePullPolicy: [Aa]lways", text):
            continue  # Podman pulls the image, which needs a registry: what it says then is the network's verdict
        if PLAYED.search(text) and text not in seen:
            seen.add(text)
            files[name] = _unique_names(re.sub(r"(\bimage: )\S.*$", r"\1localhost/busybox:latest", text, flags=re.M),
                                        n)
    return files


def refused_by_check(checker: Checker, name: str, text: str) -> bool:
    """check --target podman says podman kube play refuses the file: an error, a ConfigMap or Secret it needs and
    does not get, or a file it plays nothing of."""
    found = checker.check_file(text.encode(), name).findings
    return any(f.severity == "error" or f.rule in ("podman-missing-ref", "empty")
               or (f.rule == "podman-kind-ignored" and "refuses" in f.message) for f in found)


@exclusive
def _play_file(podman, name: str, text: str):
    prepare_host_files()
    PLAY_DIR.mkdir(parents=True, exist_ok=True)
    path = PLAY_DIR / f"{name}.yaml"
    path.write_text(text)
    return podman.run("kube", "play", "--start=false", str(path), check=False)


def _failing(podman, files: dict[str, str]) -> list[str]:
    """The files that do not play, found by halving a batch that does not (the batch: one multi-document file)."""
    if not files:
        return []
    podman.reset()
    if _play_file(podman, "batch", "\n---\n".join(files.values())).returncode == 0:
        return []
    if len(files) == 1:
        return list(files)
    names = list(files)
    half = len(names) // 2
    return _failing(podman, {n: files[n] for n in names[:half]}) + _failing(podman, {n: files[n] for n in names[half:]})


@pytest.mark.parametrize("version", [pytest.param(v, marks=live(v), id=v) for v in FIXTURE_VERSION])
def test_check_target_podman_verdicts_are_real_podmans(version):
    """Every file check --target podman calls refused, real podman kube play --start=false refuses; every file it
    passes, Podman plays (those are played together, one multi-document file, and halved only when it fails)."""
    podman = podman_for(version)
    checker = Checker(CheckOptions(target="podman", podman_version=PROFILE[version]))
    files = verdict_files()
    refused = {name: text for name, text in files.items() if refused_by_check(checker, name, text)}
    passing = {name: text for name, text in files.items() if name not in refused}
    podman.reset()
    played_anyway = [name for name, text in refused.items() if _play_file(podman, name, text).returncode == 0]
    refused_anyway = _failing(podman, passing)
    podman.reset()
    assert (played_anyway, refused_anyway) == ([], [])
    assert len(refused) >= 30 and len(passing) >= 150
