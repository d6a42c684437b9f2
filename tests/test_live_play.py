"""kubebridge's play against the Podmans installed here, at test time.

Each test plays a scenario with `podman kube play --start=false` in a real
Podman, inspects what it created and runs `kube generate` on it, then compares
kubebridge's play and generate(play) with that, as the fixture tests do.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from livepodman import live, podman_for
from play_support import PlayFixture, canonical_played, compare_play, generate_after_play
from support import body

import kubebridge.api
from kubebridge.errors import KubebridgeError

sys.path.insert(0, str(Path(__file__).resolve().parent / "capture"))
from capture_play import SCENARIOS, capture, header  # noqa: E402

LIVE = ["pod-sidecar", "pod-three-sidecars", "ports-container-only", "ports-protocols", "cmd-both", "cmd-none",
        "cmd-expansion", "env-values", "env-configmap", "envfrom", "security-user", "security-caps",
        "security-flags", "resources", "restart-never", "host-aliases", "dns-config", "namespaces", "init-once",
        "init-always", "native-sidecar", "vol-hostpath", "vol-emptydir", "vol-pvc", "vol-configmap",
        "deployment", "multi-doc", "annotations-podman", "labels", "web-app-full", "error-duplicate-container",
        "vol-hostpath-missing", "env-configmap-missing-key"]
CASES = [(v, n) for v in ("4.3", "5.4", "5.8") for n in LIVE if v in header(SCENARIOS / f"{n}.yaml")["versions"].split()]
IDS = re.compile(r"\b[0-9a-f]{63,64}\b")


@pytest.mark.parametrize("version,name", [pytest.param(v, n, marks=live(v), id=f"{v}-{n}") for v, n in CASES])
def test_live_play(version, name, tmp_path):
    podman = podman_for(version)
    capture(podman, SCENARIOS / f"{name}.yaml", tmp_path)
    fixture = PlayFixture(tmp_path / name, json.loads((tmp_path / name / "scenario.json").read_text()))
    if not fixture.ok:
        with pytest.raises(KubebridgeError) as info:
            kubebridge.api.play(fixture.path / "play.yaml", **fixture.options())
        assert fixture.error() in str(info.value)
        return
    ours = kubebridge.api.play(fixture.path / "play.yaml", **fixture.options())
    assert compare_play(ours, fixture) == []
    if (fixture.path / "generate.yaml").exists():
        expected = IDS.sub("ID", body((fixture.path / "generate.yaml").read_text()))
        actual = IDS.sub("ID", body(generate_after_play(fixture)))
        if actual != expected:
            assert canonical_played(actual) == canonical_played(expected)
