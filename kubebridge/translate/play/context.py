"""What one run of play carries: the flags and host facts (PlayOptions), the result, and the context."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from kubebridge.load.manifests import Document
from kubebridge.model.podman import Container, Image, Pod, Volume
from kubebridge.model.profiles import Profile

KUBE_NETWORK = "podman-default-kube-network"
RESTART = {"Always": "always", "OnFailure": "on-failure", "Never": "no"}
PROPAGATION = {"None": "private", "HostToContainer": "rslave", "Bidirectional": "rshared"}


@dataclass(frozen=True)
class PlayOptions:
    """The `kube play` flags kubebridge models, and the facts of the host it would run on."""

    publish_all: bool = False
    sidecars: str = "podman"  # "podman": what Podman does; "containers": native sidecars as regular containers
    annotations: tuple[tuple[str, str], ...] = ()  # --annotation
    configmaps: tuple[Document, ...] = ()  # --configmap files
    images: tuple[Image, ...] = ()  # podman image inspect of the images used
    # hostPath sources: "Directory", "File", "Socket", "CharDevice", "BlockDevice" or "" (missing).
    # None: assume every source exists as its declared type.
    host_paths: dict[str, str] | None = None
    node_hostname: str = "localhost"  # what os.Hostname() says, for hostNetwork pods
    host_memory: int | None = None  # MemTotal in bytes: a resourceFieldRef's default for an unset limit
    host_cpus: int | None = None  # runtime.NumCPU(): likewise for CPU
    base_dir: str = "/"  # kube play's working directory: a relative hostPath is taken against it


@dataclass
class PlayResult:
    """What play would create: the pods (each with its infra and containers), the named volumes, the secrets
    used, warnings, the hostPaths play would create, and the Profile modelled (the object given, kept)."""

    pods: list[Pod] = field(default_factory=list)
    volumes: list[Volume] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created_paths: dict[str, str] = field(default_factory=dict)  # hostPaths play makes: path -> Directory/File
    podman_version: str = ""  # the profile's version: the Podman modelled
    profile: Profile | None = None  # the Profile modelled; render with it (a Profile built by hand included)

    @property
    def containers(self) -> list[Container]:
        """Every container, pod by pod: the infra container first, then the pod's own."""
        return [c for p in self.pods for c in ([p.infra] if p.infra else []) + p.containers]


@dataclass
class _KubeVolume:
    """A spec.volumes entry as Podman resolves it before any container uses it."""

    type: str  # bind, named, configmap, secret, emptydir, tmpfs, chardev, blockdev, image
    source: str
    optional: bool = False  # a missing optional ConfigMap or Secret: mounts of it are skipped
    missing: bool = False  # a relative hostPath, resolved, that does not exist: mounting it fails


@dataclass
class _Context:
    options: PlayOptions
    profile: Profile
    result: PlayResult
    configmaps: list[dict] = field(default_factory=list)
    secrets: dict[str, dict[str, bytes]] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        if message not in self.result.warnings:
            self.result.warnings.append(message)


def _synthetic_id(*parts: str) -> str:
    """A stand-in for an ID Podman assigns at run time; only generate(play(...)) ever shows it."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name") or ""


def _annotations(metadata: dict | None) -> dict[str, str]:
    return dict((metadata or {}).get("annotations") or {})


def _add_volume(volume: Volume, ctx: _Context) -> None:
    if not any(v.name == volume.name for v in ctx.result.volumes):
        ctx.result.volumes.append(volume)
