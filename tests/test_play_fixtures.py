"""Every captured `podman kube play --start=false` scenario, through kubebridge, for both Podmans.

* what kubebridge says play creates equals Podman's inspect output, field by
  field (tests/play_support.py says how);
* generate of kubebridge's play equals what Podman's kube generate printed for
  the pods its own play made (IDs, timestamps and Go-map orders aside);
* where Podman refused, kubebridge refuses with Podman's message.
"""
from __future__ import annotations

import re

import pytest
from play_support import canonical_played, compare_play, generate_after_play, play_fixtures
from support import body

import kubebridge.api
from kubebridge.errors import KubebridgeError

FIXTURES = play_fixtures()
PLAYED = [f for f in FIXTURES if f.ok]
GENERATED = [f for f in PLAYED if (f.path / "generate.yaml").exists()]
REFUSED = [f for f in FIXTURES if not f.ok]
IDS = re.compile(r"\b[0-9a-f]{63,64}\b")  # Podman 4.3 truncates annotation values to 63 characters


def test_enough_scenarios_per_version():
    for version in ("4.3", "5.4", "5.8"):
        assert len({f.path.name for f in FIXTURES if f.version == version}) >= 60


@pytest.mark.parametrize("fixture", PLAYED, ids=lambda f: f.id)
def test_play_creates_what_podman_created(fixture):
    ours = kubebridge.api.play(fixture.path / "play.yaml", **fixture.options())
    assert compare_play(ours, fixture) == []


@pytest.mark.parametrize("fixture", GENERATED, ids=lambda f: f.id)
def test_generate_after_play_matches_podman(fixture):
    expected = IDS.sub("ID", body((fixture.path / "generate.yaml").read_text()))
    actual = IDS.sub("ID", body(generate_after_play(fixture)))
    if actual != expected:
        assert canonical_played(actual) == canonical_played(expected)


@pytest.mark.parametrize("fixture", REFUSED, ids=lambda f: f.id)
def test_play_refuses_like_podman(fixture):
    with pytest.raises(KubebridgeError) as info:
        kubebridge.api.play(fixture.path / "play.yaml", **fixture.options())
    expected = fixture.error()
    if expected == "panic":
        assert "crashes" in str(info.value)
    else:  # go-yaml and libyaml count lines differently; the rest of the message is Podman's
        assert re.sub(r"^multi doc yaml could not be split: yaml: (?:(?:unmarshal errors: )?line \d+: )?", "", expected) \
            in str(info.value)
