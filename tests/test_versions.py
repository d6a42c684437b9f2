"""Which Podman kubebridge models: the version a user names, and the one inspect output shows."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support import FIXTURES, body, generate_fixtures

import kubebridge
from kubebridge.load.inspect import collect, kind_of
from kubebridge.load.podman_version import detect
from kubebridge.load.source import Source
from kubebridge.model import versions

ROOT = FIXTURES.parents[1]


@pytest.mark.parametrize("name, full", [
    ("4", "4.3.1"), ("4.3", "4.3.1"), ("4.3.1", "4.3.1"),
    ("5.4", "5.4.2"), ("5.4.2", "5.4.2"), ("5.8", "5.8.6"), ("5.8.6", "5.8.6"), ("5", "5.8.6"),
])
def test_a_profile_named_is_used_without_a_notice(name, full):
    assert versions.resolve(name) == (full, "")


def test_the_profiles_in_words_are_read_from_the_list():
    """help_text() names each profile's minor and full version, and each major's newest (by hand from VERSIONS:
    4.3.1 is the only 4.x, 5.8.6 the newest 5.x); the docstrings say no version of their own, so none goes stale."""
    assert versions.help_text() == ("4.3 (4.3.1) or 5.4 (5.4.2) or 5.8 (5.8.6); a major alone is its newest profile: "
                                    "4 is 4.3.1, 5 is 5.8.6")
    docs = [versions.__doc__, versions.names.__doc__, versions.full_version.__doc__, versions.help_text.__doc__]
    assert not [d for d in docs if any(v in d for v in versions.VERSIONS)]


@pytest.mark.parametrize("name, full", [
    ("4.9", "4.3.1"), ("4.0", "4.3.1"), ("4.3.0", "4.3.1"),
    ("5.0", "5.4.2"), ("5.2", "5.4.2"), ("5.4.1", "5.4.2"), ("5.5", "5.4.2"),
    ("5.6", "5.8.6"), ("5.6.1", "5.8.6"), ("5.7", "5.8.6"), ("5.8.9", "5.8.6"), ("5.12", "5.8.6"),
])
def test_another_version_of_a_modelled_major_is_the_nearest_profile_with_a_notice(name, full):
    got, notice = versions.resolve(name)
    assert got == full
    assert notice == f"Podman {name} has no profile of its own: modelled by {full}, the nearest {name[0]}.x"


@pytest.mark.parametrize("name, message", [
    ("6.0", "no profile for Podman 6.x"), ("3", "no profile for Podman 3.x"),
    ("five", "unsupported Podman version 'five'"), ("5.x", "unsupported Podman version '5.x'"), ("", "unsupported"),
])
def test_a_version_kubebridge_cannot_model_is_refused(name, message):
    with pytest.raises(ValueError, match=message):
        versions.resolve(name)
    with pytest.raises(kubebridge.UsageError, match=message):
        kubebridge.play("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: i}]}\n",
                        podman_version=name)


def _objects(fixture) -> list:
    return [obj for p in fixture.inputs for data in [json.loads(p.read_text())]
            for obj in (data if isinstance(data, list) else [data])]


def _detected(fixture) -> str:
    return detect(collect([Source(str(p), data=json.loads(p.read_text())) for p in fixture.inputs])).version


def _tells(fixture) -> bool:
    """Whether the inputs hold a pod or a container: volume and image inspect look alike in every version."""
    return any(kind_of(obj) in ("pod", "container") for obj in _objects(fixture))


@pytest.mark.parametrize("fixture", generate_fixtures(), ids=lambda f: f.id)
def test_the_version_inspect_output_shows_is_the_podman_that_printed_it(fixture):
    """Every captured generate scenario: the sign found names its Podman's profile (never another one)."""
    got = _detected(fixture)
    if not _tells(fixture):
        assert got == ""
        return
    assert got == fixture.version or (got == "5" and fixture.version.startswith("5."))


def test_detection_tells_every_captured_minor_apart():
    """Over the corpus, 5.4 and 5.8 are told apart, not only 4 from 5."""
    found: dict[str, set[str]] = {}
    for fixture in generate_fixtures():
        if _tells(fixture):
            found.setdefault(fixture.version, set()).add(_detected(fixture))
    assert found == {"4.3": {"4.3"}, "5.4": {"5.4"}, "5.8": {"5.8"}}


def _generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kubebridge", "generate", "--timestamp", "2026-01-01T00:00:00Z",
                           *args], capture_output=True, text=True, cwd=ROOT)


def test_generate_without_a_version_says_which_it_models_and_why():
    scenario = FIXTURES / "generate/podman-4.3.1/pod-basic"
    inputs = sorted(str(p) for p in scenario.glob("*-inspect*.json"))
    proc = _generate(*inputs)
    assert proc.returncode == 0
    notice = ("kubebridge: warning: modelling Podman 4.3.1: a pod's inspect is one object, as Podman 4 "
              "prints it (--podman-version or podman_version= chooses another)\n")
    assert proc.stderr.startswith(notice) and proc.stderr.count("modelling Podman") == 1
    assert body(proc.stdout) == body((scenario / "generate.yaml").read_text())
    explicit = _generate("--podman-version", "4.3", *inputs)
    assert explicit.returncode == 0 and explicit.stderr == proc.stderr[len(notice):]
    assert explicit.stdout == proc.stdout


def test_an_explicit_version_wins_over_what_the_input_shows():
    inputs = sorted(str(p) for p in (FIXTURES / "generate/podman-4.3.1/pod-basic").glob("*-inspect*.json"))
    four, five = _generate(*inputs), _generate("--podman-version", "5.8", *inputs)
    assert five.returncode == 0 and five.stderr == ""
    assert "enableServiceLinks: false" in four.stdout and "enableServiceLinks" not in five.stdout


def test_without_a_sign_generate_models_the_newest_and_says_so():
    inputs = [str(FIXTURES / "generate/podman-5.4.2/volume-pvc/volume-inspect.json")]
    proc = _generate(*inputs)
    assert proc.returncode == 0
    assert proc.stderr == ("kubebridge: warning: nothing in the input tells which Podman printed it: modelling Podman "
                           "5.8.6, the newest (--podman-version or podman_version= chooses another)\n")


def test_play_and_check_model_the_newest_without_a_notice():
    """YAML says nothing about a Podman: play and check take the newest profile and say nothing."""
    result = kubebridge.play_result(ROOT / "examples/play/sidecars.yaml", images=[ROOT / "examples/play/images.json"])
    assert result.podman_version == "5.8.6"
    assert not [w for w in result.warnings if "modelling Podman" in w]
    assert kubebridge.check(ROOT / "examples/play/sidecars.yaml").podman_version == "5.8.6"
