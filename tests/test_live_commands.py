"""`play --format commands`, run against real Podman: it creates what `podman kube play` creates.

For each scenario, on each Podman here (on a store of the tests' own): `kube
play --start=false` is captured as the fixtures are; then the store is reset and
kubebridge's script for the same YAML is run (its `podman` is that store's
Podman).  The two sets of pods and containers are compared field by field over
everything the YAML decides.  The differences that remain are in COMMAND_LIMITS,
each with the reason a `podman create` command line cannot do what kube play does.
"""
from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from livepodman import live, podman_for
from play_support import PlayFixture

import kubebridge.api

sys.path.insert(0, str(Path(__file__).resolve().parent / "capture"))
from capture_play import SCENARIOS, capture, header  # noqa: E402
from podmanrun import exclusive  # noqa: E402

LIVE = ["pod-sidecar", "pod-three-sidecars", "ports-protocols", "cmd-both", "cmd-none", "cmd-args-only", "env-values",
        "security-caps", "security-flags", "security-user", "resources", "restart-never", "dns-config",
        "host-aliases", "init-always", "init-once", "vol-hostpath", "vol-emptydir", "labels", "tty-stdin",
        "termination-grace", "workdir"]
CASES = [(v, n) for v in ("4.3", "5.4", "5.8") for n in LIVE if v in header(SCENARIOS / f"{n}.yaml")["versions"].split()]

CONTAINER_FIELDS = ["Config.Env", "Config.Cmd", "Config.Entrypoint", "Config.WorkingDir", "Config.User",
                    "Config.Labels", "Config.Annotations", "Config.Tty", "Config.OpenStdin", "Config.StopSignal",
                    "Config.StopTimeout", "HostConfig.Binds", "HostConfig.CapAdd", "HostConfig.CapDrop",
                    "HostConfig.Privileged", "HostConfig.ReadonlyRootfs", "HostConfig.SecurityOpt",
                    "HostConfig.Memory", "HostConfig.MemoryReservation", "HostConfig.CpuQuota", "HostConfig.CpuPeriod",
                    "HostConfig.RestartPolicy", "HostConfig.Tmpfs", "HostConfig.Ulimits", "HostConfig.GroupAdd",
                    "Mounts"]
POD_FIELDS = ["Hostname", "Labels", "SharedNamespaces", "InfraConfig.PortBindings", "InfraConfig.DNSServer",
              "InfraConfig.DNSSearch", "InfraConfig.DNSOption", "InfraConfig.HostAdd", "InfraConfig.HostNetwork",
              "RestartPolicy", "ExitPolicy"]
SETS = {"Config.Env", "HostConfig.Binds", "HostConfig.CapAdd", "HostConfig.CapDrop", "HostConfig.SecurityOpt",
        "SharedNamespaces", "InfraConfig.HostAdd", "Mounts"}
# What a `podman create` command line cannot make as kube play makes it (field -> why), per Podman where it differs
COMMAND_LIMITS: dict[str, str] = {}
# annotations kube play sets on every container by itself, which a command line cannot set (key -> why)
AUTOMATIC_ANNOTATIONS = {
    "io.kubernetes.cri-o.SandboxID": "the infra container's ID: assigned at run time",
    "io.podman.annotations.kube.health.check": "marks a container kube play made (5.x); podman create has no flag",
    "io.kubernetes.cri-o.ContainerType": "set by kube play (4.3) from how it made the container",
    "io.kubernetes.cri-o.TTY": "Podman 4.3's podman create records it and kube play does not; no flag removes it",
}


def field(obj: dict, path: str):
    for part in path.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def same(path: str, a, b) -> bool:
    if path == "Config.Annotations":
        a, b = ({k: v for k, v in (x or {}).items() if k not in AUTOMATIC_ANNOTATIONS} for x in (a, b))
    if path in SETS and isinstance(a, list) and isinstance(b, list):
        key = (lambda m: json.dumps({k: m.get(k) for k in ("Type", "Destination", "RW")}, sort_keys=True)) \
            if path == "Mounts" else json.dumps
        return sorted(map(key, a)) == sorted(map(key, b))
    return a == b or (not a and not b)


def created(podman) -> tuple[dict, dict]:
    """The pods and non-infra containers in the store, by name."""
    pods = podman.run("pod", "ps", "--format", "{{.Name}}").text.split()
    pod_data = {}
    for name in pods:
        data = json.loads(podman.run("pod", "inspect", name).stdout)
        pod_data[name] = data[0] if isinstance(data, list) else data
    ids = podman.run("ps", "-a", "--format", "{{.ID}}").text.split()
    ctrs = json.loads(podman.run("container", "inspect", *ids).stdout) if ids else []
    return pod_data, {c["Name"]: c for c in ctrs if not c.get("IsInfra")}


@exclusive
def run_script(podman, script: str) -> subprocess.CompletedProcess:
    podman.reset()
    function = f"podman() {{ command {shlex.join(podman.argv())} \"$@\"; }}\n"
    return subprocess.run(["sh", "-c", function + script], capture_output=True, timeout=120, env=podman.store.env())


@pytest.mark.parametrize("version,name", [pytest.param(v, n, marks=live(v), id=f"{v}-{n}") for v, n in CASES])
def test_the_script_creates_what_kube_play_creates(version, name, tmp_path):
    podman = podman_for(version)
    capture(podman, SCENARIOS / f"{name}.yaml", tmp_path)
    fixture = PlayFixture(tmp_path / name, json.loads((tmp_path / name / "scenario.json").read_text()))
    assert fixture.ok, fixture.error()
    played_pods, played_ctrs = created(podman)
    script = kubebridge.api.play_commands(fixture.path / "play.yaml", **fixture.options())
    proc = run_script(podman, script)
    assert proc.returncode == 0, proc.stderr.decode() + script
    pods, ctrs = created(podman)
    assert sorted(pods) == sorted(played_pods) and sorted(ctrs) == sorted(played_ctrs)
    problems = []
    for pod_name, pod in pods.items():
        problems += [f"pod {pod_name} {f}: script {field(pod, f)!r}, kube play {field(played_pods[pod_name], f)!r}"
                     for f in POD_FIELDS if not same(f, field(pod, f), field(played_pods[pod_name], f))]
    for ctr_name, ctr in ctrs.items():
        problems += [f"{ctr_name} {f}: script {field(ctr, f)!r}, kube play {field(played_ctrs[ctr_name], f)!r}"
                     for f in CONTAINER_FIELDS if f not in COMMAND_LIMITS and
                     not same(f, field(ctr, f), field(played_ctrs[ctr_name], f))]
    assert problems == [], "\n".join(problems) + "\n" + script
