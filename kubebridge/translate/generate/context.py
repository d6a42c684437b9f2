"""What one run of generate carries: the flags (GenerateOptions), the result, and the context."""
from __future__ import annotations

from dataclasses import dataclass, field

from kubebridge.model.podman import Snapshot
from kubebridge.model.profiles import Profile

TYPES = ("pod", "deployment", "daemonset", "job")

NAMESPACE_NOTE = (
    "\n# NOTE: The namespace sharing for a pod has been modified by the user and is not the same as the\n"
    "# default settings for kubernetes. This can lead to unexpected behavior when running the generated\n"
    "# kube yaml in a kubernetes cluster.\n"
)
SELINUX_NOTE = (
    "\n# NOTE: If you generated this yaml from an unprivileged and rootless podman container on an SELinux\n"
    "# enabled system, check the podman generate kube man page for steps to follow to ensure that your "
    "pod/container\n# has the right permissions to access the volumes added.\n"
)
RESTART_POLICIES = {"no": "Never", "always": "Always", "on-failure": "OnFailure"}
NODE_PORT_MIN, NODE_PORT_MAX = 30000, 32767
# Go's unicode.IsSpace, which strings.TrimSpace uses
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000"


@dataclass(frozen=True)
class GenerateOptions:
    """The flags of `podman kube generate`, and which objects to generate (its arguments)."""

    names: tuple[str, ...] = ()
    service: bool = False
    type: str = "pod"
    replicas: int = 1
    podman_only: bool = False
    timestamp: str = ""  # creationTimestamp to write, RFC 3339 (the caller reads the clock, not generate)


@dataclass
class Note:
    """A comment chunk Podman prints between documents."""

    text: str


@dataclass
class GenerateResult:
    """What generate made: the chunks in Podman's output order (dict documents, and Notes where Podman prints a
    NOTE comment), kubebridge's warnings, and the Profile modelled (the object given, kept as it was)."""

    chunks: list = field(default_factory=list)  # dict documents and Notes, in output order
    warnings: list[str] = field(default_factory=list)
    # per pod document name: the volumes of init containers, which Podman leaves out of spec.volumes
    init_volumes: dict[str, list[dict]] = field(default_factory=dict)
    podman_version: str = ""  # the profile's version: the Podman modelled
    profile: Profile | None = None  # the Profile modelled; render with it (a Profile built by hand included)

    @property
    def documents(self) -> list[dict]:
        """The Kubernetes documents alone (dicts), without the Notes."""
        return [c for c in self.chunks if isinstance(c, dict)]


@dataclass
class _Context:
    snapshot: Snapshot
    options: GenerateOptions
    profile: Profile
    timestamp: str
    warnings: list[str] = field(default_factory=list)
    init_volumes: dict[str, list[dict]] = field(default_factory=dict)

    def annotation_value(self, value: str) -> str:
        """Podman 4.3's TruncateKubeAnnotation: trim, and cut at 63 characters."""
        limit = self.profile.annotation_limit
        if limit is None:
            return value
        value = value.strip(_GO_SPACE)
        if len(value) < limit:
            return value
        cut = value[:limit]
        self.warnings.append(f"Truncation Annotation: {value!r} to {cut!r}: Kubernetes only allows {limit} characters")
        return cut
