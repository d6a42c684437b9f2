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


@pytest.mark.parametrize("fixture", PLAYED, ids=lambda f: f.id)
def test_the_pods_network_aliases_are_podmans(fixture):
    """The names kube play gives each pod on its network (the infra container's Aliases, less the two every pod
    has: its infra's short ID and, in 5.x, its own name), as the commands script asks `podman pod create` for them."""
    import json
    import shlex
    script = kubebridge.api.play_commands(fixture.path / "play.yaml", **fixture.options())
    ours = {}
    for line in script.splitlines():
        if line.startswith("podman pod create"):
            argv = shlex.split(line)
            network = next((a for a in argv if a.startswith("--network=")), "")
            ours[argv[argv.index("--name") + 1]] = sorted(a.removeprefix("alias=")
                                                          for a in network.partition(":")[2].split(",") if a)
    pod_objects, ctrs, _ = fixture.podman_objects()
    pods = {p["Id"]: p for p in pod_objects}
    theirs = {}
    for c in ctrs:
        if c.get("IsInfra") and c["Pod"] in pods:
            aliases = [a for n in (c["NetworkSettings"].get("Networks") or {}).values() for a in n.get("Aliases") or []]
            for automatic in (c["Id"][:12], pods[c["Pod"]]["Hostname"]):
                if automatic in aliases:
                    aliases.remove(automatic)
            # podman pod create refuses an empty alias, which 5.4 gives an unnamed container
            theirs[pods[c["Pod"]]["Name"]] = sorted(a for a in aliases if a)
    assert {name: ours.get(name, []) for name in theirs} == theirs, json.dumps(theirs)


def test_an_unnamed_container_is_an_empty_network_alias_in_5_4_only():
    """pod-unnamed-container: the infra's Aliases are ["", <id>, "libpod-test"] in 5.4.2, [<id>, "libpod-test"] in
    5.8.6 (captured)."""
    from kubebridge.load.manifests import load_documents
    from kubebridge.model.profiles import PODMAN_5_4, PODMAN_5_8
    from kubebridge.translate.play import PlayOptions, play
    from support import FIXTURES as ROOT
    text = (ROOT / "play/podman-5.4.2/pod-unnamed-container/play.yaml").read_text()
    for profile, aliases in ((PODMAN_5_4, [""]), (PODMAN_5_8, [])):
        pods = play(load_documents(text, "f", "podman", expand_lists=False), PlayOptions(), profile).pods
        assert pods[0].network_aliases == aliases
