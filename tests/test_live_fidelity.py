"""Live differential property tests: hypothesis-made manifests, played by the real Podmans installed here.

Each example is written out as a play scenario and captured as the fixtures
are (`kube play --start=false`, inspect, `kube generate`); kubebridge's play
must then match Podman's inspect output field by field, and its generate of
what it played must match Podman's generate.  The example count is bounded
(KUBEBRIDGE_LIVE_EXAMPLES, default 8 per Podman; KUBEBRIDGE_LIVE_RANDOM=1 draws new ones): each costs a second of
real Podman.  A disagreement found here becomes a captured scenario in
tests/capture/play/, so the fixture tests keep it (security-user-caps and
ports-same-container-port came from here).  The second test proves
generate --portable a fixed point in real Podman.
"""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livepodman import live, podman_for
from play_support import PlayFixture, canonical_played, compare_play, generate_after_play
from strategies import manifests, snapshots
from support import body

import kubebridge.api
from kubebridge.errors import KubebridgeError
from kubebridge.render import goyaml

sys.path.insert(0, str(Path(__file__).resolve().parent / "capture"))
from capture_play import capture  # noqa: E402

EXAMPLES = int(os.environ.get("KUBEBRIDGE_LIVE_EXAMPLES", "8"))
IDS = re.compile(r"\b[0-9a-f]{63,64}\b")
TIME = "2026-11-21T00:00:00Z"


@pytest.mark.parametrize("version", [pytest.param(v, marks=live(v)) for v in ("4.3", "5.4", "5.8")])
@settings(max_examples=EXAMPLES, deadline=None, derandomize=os.environ.get("KUBEBRIDGE_LIVE_RANDOM") != "1",
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(docs=manifests())
def test_real_podman_plays_as_kubebridge_plays(version, docs):
    podman = podman_for(version)
    with tempfile.TemporaryDirectory(prefix="kb-live-prop.") as tmp:
        scenario = Path(tmp) / "hypothesis.yaml"
        text = "# about: a hypothesis example\n" + "---\n".join(goyaml.dump(d) for d in docs)
        scenario.write_text(text)
        capture(podman, scenario, Path(tmp) / "out")
        fixture = PlayFixture(Path(tmp) / "out" / "hypothesis",
                              json.loads((Path(tmp) / "out/hypothesis/scenario.json").read_text()))
        if not fixture.ok:
            with pytest.raises(KubebridgeError) as info:
                kubebridge.api.play(fixture.path / "play.yaml", **fixture.options())
            assert fixture.error() in str(info.value), text
            return
        ours = kubebridge.api.play(fixture.path / "play.yaml", **fixture.options())
        assert compare_play(ours, fixture) == [], text
        if (fixture.path / "generate.yaml").exists():
            expected = IDS.sub("ID", body((fixture.path / "generate.yaml").read_text()))
            actual = IDS.sub("ID", body(generate_after_play(fixture)))
            assert canonical_played(actual) == canonical_played(expected), text


@pytest.mark.parametrize("version", [pytest.param(v, marks=live(v)) for v in ("4.3", "5.4", "5.8")])
@settings(max_examples=EXAMPLES, deadline=None, derandomize=os.environ.get("KUBEBRIDGE_LIVE_RANDOM") != "1",
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_portable_yaml_is_a_fixed_point_in_real_podman(version, data):
    """generate --portable, played by real Podman, inspected, and generated --portable again: the same YAML.

    Without init containers: inspect does not say which containers of a pod Podman played are init containers
    (kubebridge reads that from the create command, which a played container lacks); the model property test
    (test_properties.py) covers them.
    """
    podman = podman_for(version)
    profile = version
    snap = data.draw(snapshots(profile, init_containers=False))
    first = kubebridge.api.generate_result(snap, podman_version=profile, portable=True, timestamp=TIME).documents
    with tempfile.TemporaryDirectory(prefix="kb-live-portable.") as tmp:
        scenario = Path(tmp) / "portable.yaml"
        text = "# about: generate --portable output\n" + "---\n".join(goyaml.dump(d) for d in first)
        scenario.write_text(text)
        capture(podman, scenario, Path(tmp) / "out")
        out = Path(tmp) / "out" / "portable"
        assert json.loads((out / "scenario.json").read_text())["returncode"] == 0, text
        files = sorted(str(f) for f in out.glob("*.json") if f.name != "scenario.json")
        facts = {m.source: "Directory" if Path(m.source).is_dir() else "File"  # what generate's host sees now
                 for p in snap.pods for c in p.containers for m in c.mounts if m.type == "bind"}
        real = kubebridge.api.snapshot(*files, host_paths=facts)
        again = kubebridge.api.generate_result(real, podman_version=profile, portable=True,
                                               timestamp=TIME).documents
    assert again == first, text
