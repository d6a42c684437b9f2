"""kubebridge against the Podmans installed here, at test time.

Each test makes pods and containers in a real Podman, inspects them, and
compares `podman kube generate` with kubebridge's generate of the inspect
output, the same way the captured fixtures are compared.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from livepodman import live, podman_for
from support import GenerateFixture, body, canonical, random_order_in, split_chunks

import kubebridge

sys.path.insert(0, str(Path(__file__).resolve().parent / "capture"))
import json  # noqa: E402

from capture_generate import capture  # noqa: E402
from generate_scenarios import BY_NAME  # noqa: E402

# A cross-section of the catalogue: sidecars, ports, init containers, volumes,
# security, resources, standalone containers, several objects, and each flag.
LIVE = [
    "pod-basic", "pod-sidecar", "pod-three-containers", "pod-port-tcp-udp", "pod-port-range",
    "pod-port-hostip-udp-range", "pod-share-pid", "pod-share-ipc-only", "pod-init-always", "pod-init-only",
    "pod-dns", "pod-hosts", "pod-host-network", "pod-caps", "pod-user", "pod-command-args", "pod-env",
    "pod-env-quoting", "pod-annotation-quoting", "pod-bind-mounts", "pod-named-volume", "pod-all-volume-kinds",
    "pod-memory", "pod-cpu", "pod-web-sidecar-full", "ctr-basic", "ctr-multiple", "ctr-dns", "pods-multiple",
    "pod-service", "volume-pvc-options", "mixed-pod-container-volume", "error-not-found",
    "type-deployment", "type-job-service", "podman-only-ctr", "type-job-restart-error", "ctr-ulimit",
]
CASES = [(version, name) for version in ("4.3", "5.4", "5.8") for name in LIVE if version in BY_NAME[name].versions]


@pytest.mark.parametrize("version,name", [pytest.param(v, n, marks=live(v), id=f"{v}-{n}") for v, n in CASES])
def test_live_generate(version, name, tmp_path):
    podman = podman_for(version)
    capture(podman, BY_NAME[name], tmp_path)
    fixture = GenerateFixture(tmp_path / name, json.loads((tmp_path / name / "scenario.json").read_text()))
    run = lambda: kubebridge.generate_yaml(*fixture.inputs, podman_version=version,  # noqa: E731
                                           host_paths=fixture.meta["host_paths"], **fixture.options())
    if fixture.expected is None:
        with pytest.raises(kubebridge.KubebridgeError) as info:
            run()
        assert fixture.error in str(info.value)
        return
    expected, actual = body(fixture.expected), body(run())
    if actual != expected:
        expected_chunks, actual_chunks = split_chunks(expected), split_chunks(actual)
        assert random_order_in(expected_chunks, fixture), actual
        assert canonical(actual_chunks, fixture) == canonical(expected_chunks, fixture)
