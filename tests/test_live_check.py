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
