"""kubebridge: Podman pods <-> Kubernetes YAML, offline, exactly as Podman does it.

    import kubebridge
    docs = kubebridge.generate(pod_inspect, container_inspect, image_inspect)
    text = kubebridge.generate_yaml(pod_inspect, container_inspect, image_inspect, podman_version="4.3")
    result = kubebridge.check("deploy/", kubernetes_version="1.30")   # result.findings, result.exit_code

Names are imported on first use, so `python -m kubebridge --help` starts fast.
"""
from __future__ import annotations

import importlib

__version__ = "0.2.0"

_EXPORTS = {
    "api": ["generate", "generate_result", "generate_yaml", "snapshot", "to_dicts", "to_kubernetes", "to_yaml",
            "play", "play_result", "play_commands", "check", "roundtrip", "take_snapshot",
            # the command line's own steps: a result as it prints it, check streamed, its reports
            "generate_text", "play_json", "play_script", "roundtrip_report", "check_files", "report_writer",
            "rules_text"],
    "fidelity": ["Change", "RoundTrip", "REWRITES", "MODEL_REWRITES"],
    "checks.engine": ["CheckOptions", "CheckResult", "Checker"],
    "checks.findings": ["Finding", "Rule", "RULES"],
    "errors": ["InputError", "KubebridgeError", "MissingReference", "PodmanError", "PodmanRefusal", "UsageError"],
    "limits": ["LIMITS", "Limits"],
    "translate.generate": ["GenerateOptions", "GenerateResult", "Note"],
    "translate.play": ["PlayOptions", "PlayResult"],
    "model.podman": ["Container", "Image", "Mount", "Pod", "PortMapping", "Snapshot", "Ulimit", "Volume"],
    "model.profiles": ["PODMAN_4_3", "PODMAN_5", "PODMAN_5_4", "PODMAN_5_8", "Profile", "get_profile"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = ["__version__", *_WHERE]


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'kubebridge' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
