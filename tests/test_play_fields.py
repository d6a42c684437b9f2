"""Every field of Podman's inspect output that changes between the captured plays: kubebridge's play emits it,
or LEFT_OUT says why not.

A field whose value differs from one captured scenario to another is decided
by the YAML, by the Podman version, or by the run (IDs, times, paths of the
store).  The first two kubebridge models; the run it cannot.  A new field
Podman starts printing, or a field kubebridge stops emitting, fails here until
it is emitted or its reason is written down.
"""
from __future__ import annotations

import json
from collections import defaultdict

import pytest
from play_support import play_fixtures

import kubebridge.api

# maps compared as one value (their keys are names, ports or paths)
MAPS = {"Config.Annotations", "Config.Labels", "HostConfig.Annotations", "HostConfig.PortBindings", "HostConfig.Tmpfs",
        "NetworkSettings.Ports", "NetworkSettings.Networks", "InfraConfig.PortBindings", "Labels", "GraphDriver.Data",
        "HostConfig.LogConfig.Config"}
RUN = "decided by the run, not by the YAML: an ID, a time, a path in the store, a lock, a PID"
LEFT_OUT = {
    # container inspect
    "Id": RUN, "Created": RUN, "Pod": RUN, "Dependencies": RUN, "lockNumber": RUN, "ConmonPidFile": RUN,
    "PidFile": RUN, "StaticDir": RUN, "HostConfig.CgroupParent": RUN, "HostConfig.LogConfig.Path": RUN,
    "HostConfig.IpcMode": RUN + " (container:<infra ID>)", "HostConfig.UTSMode": RUN + " (container:<infra ID>)",
    "HostConfig.UsernsMode": RUN + " (container:<infra ID>)", "ImageDigest": RUN + " (the image's digest)",
    "Config.CreateCommand": "the command line that ran kube play, with its file's path",
    "Rootfs": RUN + " (5.8's infra: <tmpdir>/infra-container)",
    "Driver": "the storage driver of the store", "GraphDriver.Name": "the storage driver of the store",
    "GraphDriver.Data": "paths in the store",
    "NetworkSettings.Networks": "IDs of the run (the network's, the infra's short ID among the aliases)",
    "NetworkSettings.Ports": "HostConfig.PortBindings again (kubebridge emits those)",
    "HostConfig.Ulimits": "Podman 4.3 lists the host's own default rlimits, which depend on the machine "
                          "(Podman 5 lists only those the YAML sets, and kubebridge emits them)",
    # pod inspect
    "InfraContainerID": RUN, "CgroupPath": RUN, "CgroupParent": RUN, "LockNumber": RUN,
    "Containers[].Id": RUN,
    "CreateCommand": "the command line that ran kube play, with its file's path",
    # volume inspect
    "Mountpoint": "a path in the store", "CreatedAt": RUN, "MountCount": RUN,
}


def leaves(obj, prefix: str = "") -> dict[str, str]:
    """path -> value (as JSON) of every leaf; list items share one path ([]); MAPS are one leaf."""
    out: dict[str, str] = {}
    if isinstance(obj, dict) and prefix not in MAPS:
        for k, v in obj.items():
            out.update(leaves(v, f"{prefix}.{k}" if prefix else k))
    elif isinstance(obj, list) and obj and all(isinstance(x, dict) for x in obj):
        for x in obj:
            for k, v in leaves(x, prefix + "[]").items():
                out.setdefault(k, v)
    else:
        out[prefix] = json.dumps(obj, sort_keys=True)
    return out


def survey(kind: str) -> tuple[set[str], set[str]]:
    """(fields whose value changes between captured scenarios, fields kubebridge emits) for pods or containers."""
    values: dict[str, set[str]] = defaultdict(set)
    emitted: set[str] = set()
    index = {"pods": 0, "containers": 1, "volumes": 2}[kind]
    for fixture in play_fixtures():
        if not fixture.ok:
            continue
        for obj in fixture.podman_objects()[index]:
            for path, value in leaves(obj).items():
                values[path].add(value)
        for obj in kubebridge.api.play(fixture.path / "play.yaml", **fixture.options())[kind]:
            emitted |= set(leaves(obj))
    return {path for path, seen in values.items() if len(seen) > 1}, emitted


def _covered(path: str, emitted: set[str]) -> bool:
    return path in emitted or any(path.startswith(e + ".") or path.startswith(e + "[]") for e in emitted)


@pytest.mark.parametrize("kind", ["pods", "containers", "volumes"])
def test_every_field_the_yaml_decides_is_emitted_or_its_absence_explained(kind):
    varying, emitted = survey(kind)
    unexplained = sorted(p for p in varying if not _covered(p, emitted) and p not in LEFT_OUT)
    assert unexplained == []
    stale = sorted(p for p in LEFT_OUT if _covered(p, emitted) and p in varying)
    assert stale == [], "emitted now: take these out of LEFT_OUT"
