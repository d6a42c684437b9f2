"""Which Podman printed some inspect output: what its shapes and values tell.

Each sign was seen in the captures of the Podman it names (tests/fixtures/*/podman-*):
  * Podman 4 prints the inspect of one pod as an object, and a container's
    Config.Entrypoint as one string; Podman 5 prints an array and a list, and
    a container's Config.HealthLogDestination (4.3 has no such field);
  * Podman 5.8's infra container has no image (Image "", with its root file
    system at <tmpdir>/infra-container), its HostConfig.LogConfig.Size is "-1B"
    (up to 5.4: "0B"), and its HostConfig.Binds leave out the default `rw`;
  * up to 5.4 the infra container runs Podman's pause image.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kubebridge.load.inspect import Objects


@dataclass(frozen=True)
class Detected:
    """A Podman version ("4.3", "5.4", "5.8" or "5": a profile name) and why, or "" when nothing tells."""

    version: str
    because: str


def detect(objects: Objects) -> Detected:
    """The Podman version the inspect objects show they came from, and the sign that says so."""
    for pod, (_, where) in objects.pods:
        if where == "$":
            return Detected("4.3", "a pod's inspect is one object, as Podman 4 prints it")
    containers = [c for c, _ in objects.containers]
    for c in containers:
        if isinstance(_config(c).get("Entrypoint"), str):
            return Detected("4.3", "a container's Entrypoint is one string, as Podman 4 prints it")
    for c in containers:
        if c.get("IsInfra") and c.get("Image") == "":
            return Detected("5.8", "an infra container without an image, as Podman 5.8 makes it")
        if _dict(_host(c).get("LogConfig")).get("Size") == "-1B":
            return Detected("5.8", "a log size of -1B, as Podman 5.8 prints it")
        binds = _host(c).get("Binds")
        if isinstance(binds, list) and any(_default_rw_missing(b) for b in binds):
            return Detected("5.8", "bind options without the default rw, as Podman 5.8 prints them")
    five = bool(objects.pods) or any(isinstance(_config(c).get("Entrypoint"), list) or
                                     "HealthLogDestination" in _config(c) for c in containers)
    for c in containers:
        if five and c.get("IsInfra") and c.get("Image"):
            return Detected("5.4", "Podman 5 output whose infra container runs the pause image, as up to 5.4")
        if five and _dict(_host(c).get("LogConfig")).get("Size") == "0B":
            return Detected("5.4", "Podman 5 output with a log size of 0B, as up to 5.4")
    if five:
        return Detected("5", "Podman 5 output (an array of pods, an Entrypoint list)")
    return Detected("", "")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _config(container: dict) -> dict[str, Any]:
    return _dict(container.get("Config"))


def _host(container: dict) -> dict[str, Any]:
    return _dict(container.get("HostConfig"))


def _default_rw_missing(bind: Any) -> bool:
    """A bind like `/src:/dst:rprivate,rbind`: neither ro nor rw among its options."""
    if not isinstance(bind, str) or bind.count(":") < 2:
        return False
    options = bind.rsplit(":", 1)[1].split(",")
    return "ro" not in options and "rw" not in options


def recorded(version: str, file: str = "") -> Detected:
    """The version a snapshot bundle records (load/bundle.py), which wins over every sign above.

    A version with a profile of its own is no guess: its reason is "" (nothing
    to tell).  Another version of a modelled major is modelled by the nearest
    profile (model/versions.py resolve), and the reason says so; a major
    without a profile is left for the caller to refuse (model/profiles.py
    get_profile raises UsageError).
    """
    from kubebridge.model import versions

    snapshot = f"the snapshot {file}" if file else "the snapshot"
    try:
        full, notice = versions.resolve(version)
    except ValueError:
        return Detected(version, f"{snapshot} records Podman {version}")
    if not notice:
        return Detected(full, "")
    return Detected(version, f"{snapshot} records Podman {version}, which has no profile of its own: {full} is "
                             f"the nearest {version.lstrip('v').split('.')[0]}.x")
