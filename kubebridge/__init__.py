"""kubebridge: Podman pods <-> Kubernetes YAML, offline, exactly as Podman does it.

    import kubebridge
    docs = kubebridge.generate(pod_inspect, container_inspect, image_inspect)
    text = kubebridge.generate_yaml(pod_inspect, container_inspect, image_inspect, podman_version="4.3")
"""
__version__ = "0.1.0"

from .api import generate, generate_result, generate_yaml, snapshot, to_dicts, to_kubernetes, to_yaml  # noqa: E402
from .errors import InputError, KubebridgeError, PodmanRefusal, UsageError  # noqa: E402
from .generate import GenerateOptions, GenerateResult, Note  # noqa: E402
from .model import Container, Image, Mount, Pod, PortMapping, Snapshot, Ulimit, Volume  # noqa: E402
from .profiles import PODMAN_4_3, PODMAN_5, Profile, get_profile  # noqa: E402

__all__ = [
    "__version__", "generate", "generate_result", "generate_yaml", "snapshot", "to_dicts", "to_kubernetes",
    "to_yaml", "InputError", "KubebridgeError", "PodmanRefusal", "UsageError", "GenerateOptions",
    "GenerateResult", "Note", "Container", "Image", "Mount", "Pod", "PortMapping", "Snapshot", "Ulimit",
    "Volume", "PODMAN_4_3", "PODMAN_5", "Profile", "get_profile",
]
