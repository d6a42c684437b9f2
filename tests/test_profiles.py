"""The profiles hold each fact of a Podman version once, and the code reads the fact, not a version: what the
captured fixtures show of each fact is what its profile field says."""
from __future__ import annotations

import json

import pytest
from support import FIXTURES

from kubebridge.model.names import workload_name, workload_pod_name
from kubebridge.model.profiles import ALL


def _fixture(profile, kind: str, scenario: str):
    return FIXTURES / kind / f"podman-{profile.version}" / scenario


def _inspect(path):
    data = json.loads(path.read_text())
    return data if isinstance(data, list) else [data]


@pytest.mark.parametrize("profile", ALL, ids=lambda p: p.version)
def test_a_deployment_is_played_as_the_pods_podman_named(profile):
    """play/deployment (3 replicas): the pods Podman made, by their inspect's Name, are play_workload_pod_name's;
    and workload_name() reads the workload's name back off the first."""
    scenario = _fixture(profile, "play", "deployment")
    made = sorted(pod["Name"] for p in scenario.glob("pod-inspect-*.json") for pod in _inspect(p))
    expected = [workload_pod_name("frontend", "Deployment", profile, i) for i in range(len(made))]
    assert made == expected
    assert len(made) == (3 if profile.play_replicas_pods else 1)
    assert workload_name(made[0], "Deployment", profile) == "frontend"
    assert workload_pod_name("frontend", "Pod", profile) == "frontend"


def _containers(profile, scenario: str) -> list[dict]:
    return _inspect(_fixture(profile, "play", scenario) / "container-inspect.json")


def _pod(profile, scenario: str) -> dict:
    [path] = _fixture(profile, "play", scenario).glob("pod-inspect-*.json")
    return _inspect(path)[0]


@pytest.mark.parametrize("profile", ALL, ids=lambda p: p.version)
def test_what_play_leaves_in_inspect_is_its_profiles(profile):
    """Each field a writer or the play translator reads, against the scenario its comment names."""
    containers = _containers(profile, "pod-basic")
    assert {"Annotations" in c["HostConfig"] for c in containers} == {profile.inspect_host_config_annotations}
    [infra] = [c for c in containers if c["IsInfra"]]
    assert ("container=podman" in infra["Config"]["Env"]) == profile.play_infra_container_env
    assert bool(infra["ImageName"]) == profile.play_infra_image
    restart = _pod(profile, "restart-always")
    assert ("RestartPolicy" in restart) == profile.pod_inspect_restart_policy == profile.pod_create_restart
