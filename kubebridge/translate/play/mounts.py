"""volumeMounts -> a container's mounts and their options (kube.go, volume.go)."""
from __future__ import annotations

import posixpath

from kubebridge.errors import PodmanRefusal
from kubebridge.model.names import BIND_MOUNT_OPTIONS
from kubebridge.model.podman import Container, Device, Mount
from kubebridge.model.profiles import Profile

from .context import PROPAGATION, _KubeVolume

# --- mounts ----------------------------------------------------------------------------------

def parse_mount_path(path: str, read_only: bool, propagation: str | None) -> tuple[str, list[str]]:
    """parseMountPath: `/dir[:opts]`, readOnly and mountPropagation -> destination and options."""
    parts = path.split(":")
    if len(parts) > 2:
        raise PodmanRefusal(f'"{path}" incorrect volume format, should be ctr-dir[:option]')
    dest = parts[0]
    if not dest.startswith("/"):
        raise PodmanRefusal(f'parsing MountPath: invalid container path "{dest}", must be an absolute path')
    options = parts[1].split(",") if len(parts) > 1 else []
    if read_only:
        options.append("ro")
    if propagation is not None:
        if propagation not in PROPAGATION:
            raise PodmanRefusal(f'unknown propagation mode "{propagation}"')
        options.append(PROPAGATION[propagation])
    return dest, options


def clean_path(path: str) -> str:
    """Go's filepath.Clean of an absolute path: Python's normpath, but "//x" is "/x" as well."""
    cleaned = posixpath.normpath(path)
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


# the kinds of volume Podman gives a container as spec mounts (s.Mounts); devices and image volumes
# (s.ImageVolumes) are never checked (vol-image-duplicate-mountpath*); the others are named volumes (s.Volumes)
SPEC_MOUNTS = ("bind", "tmpfs")
UNCHECKED = ("chardev", "blockdev", "image")


def check_destinations(mounts: list[tuple[str, str]], profile: Profile) -> None:
    """finalizeMounts (pkg/specgen/generate/storage.go): (volume type, destination) pairs -> PodmanRefusal
    when two share a destination once cleaned (filepath.Clean), checked as Podman checks them: the spec
    mounts among themselves, then the named volumes, then one against the other.  Destinations are
    recorded as written; only the check cleans them (vol-duplicate-mountpath-slash, -bind, -mixed)."""
    spec_mounts: set[str] = set()
    volumes: set[str] = set()
    for kind, dest in mounts:
        if kind in UNCHECKED:
            continue
        clean = clean_path(dest)
        if kind in SPEC_MOUNTS:
            if clean in spec_mounts:
                raise PodmanRefusal(f'"{clean}": duplicate mount destination')
            spec_mounts.add(clean)
    for kind, dest in mounts:
        if kind not in SPEC_MOUNTS and kind not in UNCHECKED:
            clean = clean_path(dest)
            if clean in volumes:
                raise PodmanRefusal(f'conflict in specified volumes - multiple volumes at "{clean}": duplicate '
                                    "mount destination")
            volumes.add(clean)
    for kind, dest in mounts:
        clean = clean_path(dest)
        if kind in SPEC_MOUNTS and clean in volumes:
            raise PodmanRefusal(f"{profile.play_mount_volume_conflict} {clean}: duplicate mount destination")


def _mounts(c: Container, ctr: dict, volumes: dict[str, _KubeVolume], annotations: dict[str, str],
            ctx_sub_path: bool, profile: Profile) -> None:
    parsed = []
    for mount in ctr.get("volumeMounts") or []:
        name = mount.get("name") or ""
        if name not in volumes:
            raise PodmanRefusal(f"volume mount {name} specified for container but not configured in volumes")
        source = volumes[name]
        if source.optional:
            continue
        dest, options = parse_mount_path(mount.get("mountPath") or "", bool(mount.get("readOnly")),
                                         mount.get("mountPropagation"))
        parsed.append((mount, source, dest, options))
    check_destinations([(source.type, dest) for _, source, dest, _ in parsed], profile)
    binds, named = [], []
    for mount, source, dest, options in parsed:
        sub_path = (mount.get("subPath") or "") if ctx_sub_path else ""
        read_only = "ro" in options
        if source.missing:  # a relative hostPath that is not there: the bind mount fails at create
            raise PodmanRefusal(f"statfs {source.source}: no such file or directory")
        if source.type == "bind":
            relabel = annotations.get(BIND_MOUNT_OPTIONS, "")
            if ":" in relabel and relabel.rsplit(":", 1)[0] == source.source and not {"z", "Z"} & set(options):
                options.append(relabel.rsplit(":", 1)[1])
            if sub_path:
                options.append(f"subpath={sub_path}")
            binds.append(Mount("bind", dest, source.source, tuple(options), read_only))
        elif source.type == "tmpfs":
            binds.append(Mount("tmpfs", dest, "tmpfs"))  # Podman gives an emptyDir tmpfs no options, not even ro
        elif source.type in ("chardev", "blockdev"):
            c.devices.append(Device(source.source, dest))
        elif source.type == "image":
            binds.append(Mount("image", dest, source.source, read_only=True))  # the image's files, read-only
        else:
            named.append(Mount("volume", dest, source.source, tuple(options), read_only, sub_path))
    c.mounts = binds + named
