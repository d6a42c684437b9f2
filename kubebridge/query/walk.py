"""From names to a snapshot: the pods, containers, images and volumes named, and everything they reference.

References followed (the fields of Podman's inspect output):
  a pod        -> its containers, the infra container among them (InspectPodData.Containers[].Id)
  a container  -> its pod (Pod), its image (Image, an ID; none for 5.8's infra container), and the
                  named volumes it mounts (Mounts[] of Type "volume", by Name)
Images and volumes reference nothing.  A name is looked up as `podman kube
generate` looks it up (a container, a pod, then a volume: pkg/domain/infra/abi/
generate.go, which translate/generate/documents.py follows), then as an image.
Not as `podman inspect` does: it tries volumes before pods, and a volume also
by the start of its name, so `podman inspect web` answers with a volume
`webdata` when there is one, not with the pod `web`.
"""
from __future__ import annotations

from typing import Protocol, Sequence

from kubebridge.errors import KubebridgeError, PodmanError, UsageError
from kubebridge.load import bundle
from kubebridge.load.inspect import KINDS


class Podman(Protocol):
    """A way to ask a Podman (command_line.CommandLine, service.Service)."""

    def version(self) -> str:
        """The Podman's version ("5.8.6"): its server's, where it is remote."""
        ...

    def inspect(self, kind: str, names: Sequence[str]) -> list[dict]:
        """What `podman KIND inspect NAMES` prints, one object per name in order.  Raises PodmanError when one
        is missing."""
        ...

    def lookup(self, kind: str, name: str) -> dict | None:
        """What `podman KIND inspect NAME` prints, or None when there is no such object of that kind."""
        ...


LOOKUP_ORDER = ("container", "pod", "volume", "image")


def _key(kind: str, obj: dict) -> str:
    return str(obj.get("Name") if kind == "volume" else obj.get("Id"))


def _references(kind: str, obj: dict) -> list[tuple[str, str]]:
    """(kind, ID or name) of every object this one references."""
    if kind == "pod":
        return [("container", c["Id"]) for c in obj.get("Containers") or () if isinstance(c, dict) and c.get("Id")]
    if kind != "container":
        return []
    found = [("pod", obj["Pod"])] if obj.get("Pod") else []
    if obj.get("Image"):
        found.append(("image", obj["Image"]))
    found += [("volume", m["Name"]) for m in obj.get("Mounts") or ()
              if isinstance(m, dict) and m.get("Type") == "volume" and m.get("Name")]
    return found


def take(names: Sequence[str], podman: Podman) -> dict:
    """A snapshot bundle (load/bundle.py) of the objects named and everything they reference, with the Podman's
    version.  Raises UsageError without names, PodmanError for what the Podman refuses or cannot answer."""
    names = list(names)
    if not names or any(not n for n in names):
        raise UsageError("snapshot: give the names or IDs of pods, containers, images or volumes")
    version = podman.version()
    found: dict[str, dict[str, dict]] = {kind: {} for kind in KINDS}
    pending: list[tuple[str, str]] = []

    def add(kind: str, obj: dict) -> None:
        try:
            key = _key(kind, obj)
            if key not in found[kind]:
                found[kind][key] = obj
                pending.extend(_references(kind, obj))
        except (AttributeError, KeyError, TypeError, ValueError):
            raise PodmanError(f"podman printed what is not its inspect output: a {kind} whose name and references "
                              "cannot be read") from None

    for name in names:
        for kind in LOOKUP_ORDER:
            obj = podman.lookup(kind, name)
            if obj is not None:
                add(kind, obj)
                break
        else:
            raise PodmanError(f'no such object: "{name}" (no container, pod, volume or image of that name or ID)')
    while pending:
        wanted = {kind: [ref for k, ref in pending if k == kind and ref not in found[kind]] for kind in KINDS}
        pending.clear()
        for kind in KINDS:
            refs = list(dict.fromkeys(wanted[kind]))
            if refs:
                for obj in podman.inspect(kind, refs):
                    add(kind, obj)
    return _readable(bundle.make(version, names, {kind: list(objs.values()) for kind, objs in found.items()}))


def _readable(made: dict) -> dict:
    """The bundle, once generate's own reader has read it: what a Podman printed that is not inspect output is
    refused when the snapshot is taken, not when it is used (PodmanError)."""
    from kubebridge.load.inputs import as_sources
    from kubebridge.load.inspect import load_snapshot

    try:
        load_snapshot(as_sources([made]))
    except KubebridgeError as exc:
        raise PodmanError(f"podman printed what is not its inspect output: {exc.detail}") from None
    return made
