"""Round trips: the rewrites table against real Podman, the snapshot round trip, portable YAML, the commands.

Real Podman's round trip is in the captured play fixtures: play.yaml went in,
generate.yaml (Podman's own `kube generate` of what it played) came out.  Every
change between them must be one of fidelity.REWRITES, and every rewrite must
show in the captured scenario it names.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kubebridge
from kubebridge import api
from kubebridge.fidelity import MODEL_REWRITES, REWRITES, manifest_changes, snapshot_round_trip
from kubebridge.load.manifests import load_documents
from kubebridge.model.profiles import get_profile
from kubebridge.translate.play import PlayOptions

ROOT = Path(__file__).resolve().parents[1]
PLAY = ROOT / "tests/fixtures/play"
GENERATE = ROOT / "tests/fixtures/generate"
VERSIONS = {"5.8.6": "5.8", "5.4.2": "5.4", "4.3.1": "4.3"}
TIME = "2026-11-21T00:00:00Z"


def podman_round_trips():
    """(version, scenario, changes) of every captured play Podman completed."""
    for version in VERSIONS:
        for scenario in sorted((PLAY / f"podman-{version}").iterdir()):
            meta = json.loads((scenario / "scenario.json").read_text())
            if meta["returncode"] != 0 or not (scenario / "generate.yaml").exists():
                continue
            before = [d.data for d in load_documents((scenario / "play.yaml").read_bytes(), "play.yaml", "podman",
                                                     expand_lists=False)]
            after = [d.data for d in load_documents((scenario / "generate.yaml").read_bytes(), "generate.yaml")]
            images = api.snapshot(scenario / "image-inspect.json").images if (
                scenario / "image-inspect.json").exists() else []
            yield version, scenario.name, manifest_changes(before, after, tuple(images))


ROUND_TRIPS = list(podman_round_trips())


@pytest.mark.parametrize("version,scenario,changes", [pytest.param(*t, id=f"{t[0]}-{t[1]}") for t in ROUND_TRIPS])
def test_every_change_real_podman_makes_is_a_documented_rewrite(version, scenario, changes):
    assert [(c.kind, c.where, c.before, c.after) for c in changes if not c.rewrite] == []


@pytest.mark.parametrize("rewrite", REWRITES, ids=lambda r: r.id)
def test_each_rewrite_shows_in_its_captured_scenario(rewrite):
    version, scenario = rewrite.fixture.split("/")
    changes = next(c for v, s, c in ROUND_TRIPS if (v, s) == (version, scenario))
    assert any(c.rewrite == rewrite.id for c in changes)


def generate_snapshots():
    for version, podman in VERSIONS.items():
        for scenario in sorted((GENERATE / f"podman-{version}").iterdir()):
            meta = json.loads((scenario / "scenario.json").read_text())
            files = sorted(f for f in scenario.glob("*.json") if f.name != "scenario.json")
            if not list(scenario.glob("pod-inspect*.json")) or not (scenario / "generate.yaml").exists():
                continue
            snap = api.snapshot(*files, host_paths=meta.get("host_paths") or {})
            yield version, podman, scenario.name, snap


SNAPSHOTS = list(generate_snapshots())
NOT_PLAYABLE = {"pod-annotations", "pod-group-add", "pod-init-volume"}  # Podman refuses its own output (check)


def snapshot_trip(podman: str, snap):
    profile = get_profile(podman)
    return snapshot_round_trip(snap, PlayOptions(images=tuple(snap.images), host_memory=1 << 30, host_cpus=1),
                               profile, TIME)


@pytest.mark.parametrize("version,podman,scenario,snap",
                         [pytest.param(*s, id=f"{s[0]}-{s[2]}") for s in SNAPSHOTS if s[2] not in NOT_PLAYABLE])
def test_snapshot_round_trip_changes_are_documented(version, podman, scenario, snap):
    trip = snapshot_trip(podman, snap)
    assert [(c.where, c.before, c.after) for c in trip.unexplained] == []


@pytest.mark.parametrize("version", VERSIONS)
def test_every_change_of_every_round_trip_is_explained_in_words(version):
    """No explanation is blank, on any Podman (roundtrip --podman-version 4.3 printed `labels-moved: ` once)."""
    from kubebridge.fidelity import describe

    used = {c.rewrite for v, _, changes in ROUND_TRIPS if v == version for c in changes}
    used |= {c.rewrite for v, podman, s, snap in SNAPSHOTS if v == version and s not in NOT_PLAYABLE
             for c in snapshot_trip(podman, snap).changes}
    assert used and {r for r in used if not describe(r)} == set()


def test_roundtrip_on_podman_4_3_explains_every_change():
    files = [str(f) for f in sorted((ROOT / "examples/web-sidecar").glob("*.json"))]
    proc = run("roundtrip", "--podman-version", "4.3", "--no-stat", *files)
    why = proc.stdout.split("Why (Podman's behaviour):\n")[1].splitlines()
    assert proc.returncode == 1 and len(why) >= 4
    assert [line for line in why if line.rstrip().endswith(":")] == []
    assert "  labels-moved: generate writes the pod label `app` only; play puts the pod's labels on the pod and on " \
           "every container" in why


@pytest.mark.parametrize("rewrite", MODEL_REWRITES, ids=lambda r: r.id)
def test_each_model_rewrite_shows_in_its_scenario(rewrite):
    version, scenario = rewrite.fixture.split("/")
    version_podman, snap = next((s[1], s[3]) for s in SNAPSHOTS if (s[0], s[2]) == (version, scenario))
    assert any(c.rewrite == rewrite.id for c in snapshot_trip(version_podman, snap).changes)


@pytest.mark.parametrize("version,podman,scenario,snap",
                         [pytest.param(*s, id=f"{s[0]}-{s[2]}") for s in SNAPSHOTS
                          if s[2] not in NOT_PLAYABLE | {"pod-init-only"}])
def test_portable_yaml_passes_check_and_is_a_fixed_point(version, podman, scenario, snap):
    documents = api.generate_result(snap, podman_version=podman, portable=True, timestamp=TIME).documents
    assert kubebridge.check(*documents, podman_version=podman, target="kubernetes").errors == []
    trip = kubebridge.roundtrip(*documents, podman_version=podman, images=snap.images, portable=True,
                                timestamp=TIME)
    assert [(c.kind, c.where) for c in trip.changes] == []


def test_podman_generate_is_not_a_fixed_point_but_portable_is():
    """The motivating case: Podman's own YAML grows container names on every cycle; portable YAML does not."""
    files = sorted(str(p) for p in (ROOT / "examples/web-sidecar").glob("*.json"))
    podman_yaml = kubebridge.generate(*files, timestamp=TIME)
    trip = kubebridge.roundtrip(*podman_yaml, images=[ROOT / "examples/web-sidecar/image-inspect.json"],
                                timestamp=TIME)
    assert any(c.rewrite == "container-name-prefix" for c in trip.changes)
    portable = kubebridge.generate(*files, timestamp=TIME, portable=True)
    again = kubebridge.roundtrip(*portable, images=[ROOT / "examples/web-sidecar/image-inspect.json"],
                                 timestamp=TIME, portable=True)
    assert again.changes == []


def run(*args):
    return subprocess.run([sys.executable, "-m", "kubebridge", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_roundtrip_command(tmp_path):
    scenario = PLAY / "podman-5.4.2/pod-sidecar"
    proc = run("roundtrip", "--no-stat", "--image-inspect", str(scenario / "image-inspect.json"), "--timestamp", TIME,
               str(scenario / "play.yaml"))
    assert proc.returncode == 1
    assert 'renamed  spec.containers[0].name: "app" -> "web-app"  [container-name-prefix]' in proc.stdout
    assert "Why (Podman's behaviour):" in proc.stdout
    as_json = json.loads(run("roundtrip", "--no-stat", "--format", "json", "--image-inspect",
                             str(scenario / "image-inspect.json"), "--timestamp", TIME,
                             str(scenario / "play.yaml")).stdout)
    assert as_json["source"] == "manifest" and as_json["changes"] and set(as_json["rewrites"]) == {
        c["rewrite"] for c in as_json["changes"]}
    snapshot = GENERATE / "podman-5.4.2/pod-init-always"
    files = [str(f) for f in sorted(snapshot.glob("*.json")) if f.name != "scenario.json"]
    proc = run("roundtrip", "--format", "json", *files)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert report["source"] == "snapshot"
    assert {"path": "pods.initpod.containers.init1.init_type", "before": "always", "after": "once",
            "rewrite": "init-type-lost"}.items() <= next(c for c in report["changes"]
                                                          if c["path"].endswith("init1.init_type")).items()


def test_generate_portable_command_and_its_round_trip(tmp_path):
    files = sorted(str(p) for p in (ROOT / "examples/web-sidecar").glob("*.json"))
    proc = run("generate", "--portable", "-o", str(tmp_path / "portable.yaml"), *files)
    assert proc.returncode == 0
    text = (tmp_path / "portable.yaml").read_text()
    assert text.startswith("# Portable Kubernetes YAML") and "io.kubernetes.cri-o" not in text
    assert "creationTimestamp" not in text
    proc = run("roundtrip", "--portable", "--no-stat", "--image-inspect",
               str(ROOT / "examples/web-sidecar/image-inspect.json"), str(tmp_path / "portable.yaml"))
    assert proc.returncode == 0 and "changes nothing" in proc.stdout
    assert run("check", "--target", "kubernetes", str(tmp_path / "portable.yaml")).returncode == 0
    assert run("roundtrip", str(tmp_path / "missing.yaml")).returncode == 2
