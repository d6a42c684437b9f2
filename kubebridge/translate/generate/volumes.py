"""Mounts -> volumes and volumeMounts; named volumes -> PersistentVolumeClaims (libpod/kube.go)."""
from __future__ import annotations

from typing import Any

from kubebridge.errors import PodmanRefusal
from kubebridge.model.podman import Container, Volume
from kubebridge.model.profiles import Profile

from .context import _Context

# --- volumes -------------------------------------------------------------------------------

def volume_name(path: str, profile: Profile) -> str:
    name = path.strip("/").replace("/", "-")
    if profile.fix_volume_names:
        name = name.replace("_", "-").lower()
    return name


def volume_mounts(ctr: Container, ctx: _Context) -> tuple[list[dict], list[dict], dict[str, str]]:
    """libpodMountsToKubeVolumeMounts: binds and tmpfs numbered in order, then named volumes."""
    profile = ctx.profile
    mounts, volumes, relabel = [], [], {}
    plain = [m for m in ctr.mounts if m.type in ("bind", "tmpfs")]  # generate writes no image mount
    for index, m in enumerate(plain):
        mode = next((o for o in m.options if o in ("z", "Z")), None)
        if mode:
            relabel[m.source] = mode
        if m.type == "tmpfs" and profile.tmpfs_as_empty_dir:
            name = "tmp"
            volume: dict[str, Any] = {"emptyDir": {"medium": "Memory"}}
        else:
            source = m.source
            if not source:
                raise PodmanRefusal("hostSourcePath must be specified to generate volume name")
            name = "root" if source == "/" else volume_name(source, profile)
            name += "-host"
            volume = {"hostPath": {"path": source, "type": hostpath_type(ctx.snapshot.host_paths.get(source, ""))}}
        name += f"-{index}"
        mount: dict[str, Any] = {"mountPath": m.destination, "name": name}
        if m.read_only:
            mount["readOnly"] = True
        mounts.append(mount)
        volumes.append({"name": name, **volume})
    for m in ctr.mounts:
        if m.type != "volume":
            continue
        claim = volume_name(m.source, profile) if profile.fix_volume_names else m.source
        name = claim + "-pvc"
        mount = {"mountPath": m.destination, "name": name}
        if m.read_only:
            mount["readOnly"] = True
        if m.sub_path and profile.generate_volume_sub_path:
            mount["subPath"] = m.sub_path
        mounts.append(mount)
        claim_source: dict[str, Any] = {"claimName": claim}
        if m.read_only:
            claim_source["readOnly"] = True
        volumes.append({"name": name, "persistentVolumeClaim": claim_source})
    return mounts, volumes, relabel


def pvc(volume: Volume, ctx: _Context) -> dict:
    """(*Volume).GenerateForKube."""
    annotations = {"volume.podman.io/driver": volume.driver}
    keys = {"o": "volume.podman.io/mount-options", "device": "volume.podman.io/device",
            "type": "volume.podman.io/type", "UID": "volume.podman.io/uid", "GID": "volume.podman.io/gid"}
    for key, value in volume.options.items():
        if key in keys:
            annotations[keys[key]] = value
    metadata: dict = {"annotations": annotations, "creationTimestamp": ctx.timestamp, "name": volume.name}
    if volume.labels:
        metadata["labels"] = dict(volume.labels)
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata,
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
            "status": {}}


def hostpath_type(kind: str) -> str:
    """The hostPath type generate writes for a source of this kind on its host (libpod/kube.go, os.Stat): a
    directory is Directory, any other file File, a missing one DirectoryOrCreate."""
    return "DirectoryOrCreate" if kind in ("", "DirectoryOrCreate") else "Directory" if kind == "Directory" else "File"
