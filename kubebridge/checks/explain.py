"""Words for check's findings that need more than the document: what replaces a removed API, why a built-in
group lacks a kind, where the two YAML dialects read a document differently, and the ConfigMaps and Secrets a
pod names."""
from __future__ import annotations

import json
from typing import Any, Iterable

from kubebridge.checks import api_lifecycle
from kubebridge.checks import schema as k8s_schema
from kubebridge.model.manifest import POD_SPEC_PATHS, as_dict, as_list, as_str


def lifecycle_advice(kind: str, life: "api_lifecycle.ApiLifecycle") -> str:
    """"; use apiVersion: X" for a removed or deprecated API, or the guide's advice where nothing replaces it."""
    if life.replacement:
        since = f" (served from Kubernetes {life.replacement_from} on)" if life.replacement_from else ""
        return f"; use apiVersion: {life.replacement}{since}"
    if life.advice:
        return f"; {life.advice}"
    return f"; no other apiVersion of its group serves {kind}"


def kind_hint(api: str, kind: str, version: str) -> str:
    """Why a built-in group lacks this kind: another version serves it, or the kind is spelled differently."""
    key = k8s_schema.kind_key(api, kind)
    served = k8s_schema.served(version)
    for other in served:
        if other.lower() == key.lower():
            return f" (did you mean kind {other.rsplit('/', 1)[1]}?)"
    same_kind = sorted(s.rsplit("/", 1)[0] for s in served if s.rsplit("/", 1)[1] == kind)
    elsewhere = [v for v in k8s_schema.bundled_versions() if key in k8s_schema.served(v)]
    hint = ""
    if elsewhere:
        hint = f"; it is served by Kubernetes {elsewhere[0]}" + (f" to {elsewhere[-1]}" if len(elsewhere) > 1 else "")
    if same_kind:
        hint += f"; {kind} is served as {', '.join(same_kind)}"
    return hint


def dialect_differences(k8s: Any, podman: Any, path: tuple) -> Iterable[tuple[tuple, str]]:
    """Where the two dialects' readings of one document differ."""
    if isinstance(k8s, dict) and isinstance(podman, dict):
        if set(k8s) != set(podman):
            only_k, only_p = sorted(set(k8s) - set(podman)), sorted(set(podman) - set(k8s))
            yield path, (f"keys read differently: Kubernetes reads {', '.join(map(repr, only_k))}, podman kube play "
                         f"{', '.join(map(repr, only_p))} (YAML 1.1 and 1.2 differ)")
        for key in k8s:
            if key in podman:
                yield from dialect_differences(k8s[key], podman[key], path + (key,))
    elif isinstance(k8s, list) and isinstance(podman, list) and len(k8s) == len(podman):
        for i, (a, b) in enumerate(zip(k8s, podman)):
            yield from dialect_differences(a, b, path + (i,))
    elif type(k8s) is not type(podman) or k8s != podman:
        yield path, (f"Kubernetes reads {json.dumps(k8s)} (YAML 1.1), podman kube play {json.dumps(podman)} "
                     "(YAML 1.2): quote the value")


def pod_references(data: dict) -> set[tuple[str, str]]:
    """The ConfigMaps and Secrets a workload's pod names (volumes, env, envFrom)."""
    kind = as_str(data.get("kind"))
    spec = data
    for part in POD_SPEC_PATHS.get(kind, ()):
        spec = as_dict(as_dict(spec).get(part))
    refs: set[tuple[str, str]] = set()
    for volume in as_list(spec.get("volumes")):
        volume = as_dict(volume)
        if isinstance(volume.get("configMap"), dict):
            refs.add(("ConfigMap", as_str(volume["configMap"].get("name"))))
        if isinstance(volume.get("secret"), dict):
            refs.add(("Secret", as_str(volume["secret"].get("secretName"))))
    for key in ("initContainers", "containers"):
        for c in as_list(spec.get(key)):
            c = as_dict(c)
            for var in as_list(c.get("env")):
                source = as_dict(as_dict(var).get("valueFrom"))
                if isinstance(source.get("configMapKeyRef"), dict):
                    refs.add(("ConfigMap", as_str(source["configMapKeyRef"].get("name"))))
                if isinstance(source.get("secretKeyRef"), dict):
                    refs.add(("Secret", as_str(source["secretKeyRef"].get("name"))))
            for source in as_list(c.get("envFrom")):
                source = as_dict(source)
                if isinstance(source.get("configMapRef"), dict):
                    refs.add(("ConfigMap", as_str(source["configMapRef"].get("name"))))
                if isinstance(source.get("secretRef"), dict):
                    refs.add(("Secret", as_str(source["secretRef"].get("name"))))
    return refs

