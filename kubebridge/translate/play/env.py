"""env and envFrom -> a container's environment (kube.go envVarsFrom, envVarValue)."""
from __future__ import annotations

import re

from kubebridge.errors import MissingReference, PodmanRefusal
from kubebridge.model import quantity
from kubebridge.model.names import DEFAULT_PATH
from kubebridge.model.podman import Container, Image, Pod

from .context import _Context, _name

# --- env -------------------------------------------------------------------------------------

def _env(c: Container, ctr: dict, image: Image, pod: Pod, annotations: dict[str, str], ctx: _Context) -> list[str]:
    """Image env, then env and envFrom (envFrom last to 5.4; env last from 5.8, as in Kubernetes), then
    CompleteSpec's defaults."""
    env: dict[str, str] = {}
    for entry in image.env:
        key, _, image_value = entry.partition("=")
        env[key] = image_value
    explicit: dict[str, str] = {}
    for var in ctr.get("env") or []:
        value = _env_value(var, ctr, c, pod, annotations, ctx)
        if value is not None:
            explicit[var.get("name") or ""] = value
    from_sources: dict[str, str] = {}
    for source in ctr.get("envFrom") or []:
        from_sources.update(_env_from(source, ctx))
    if ctx.profile.play_env_over_env_from:
        env.update(from_sources)
        env.update(explicit)
    else:
        env.update(explicit)
        env.update(from_sources)
    if ctx.profile.play_completes_spec:  # Podman's defaults, under the image's and the YAML's
        env.setdefault("PATH", DEFAULT_PATH)
        env.setdefault("container", "podman")
        if c.tty:
            env.setdefault("TERM", "xterm")
    return [f"{k}={v}" for k, v in env.items()]


def _configmap(name: str, ctx: _Context) -> dict | None:
    return next((cm for cm in ctx.configmaps if _name(cm) == name), None)


def _secret(name: str, ctx: _Context) -> dict[str, bytes]:
    if name not in ctx.secrets:
        raise MissingReference(f'no secret with name or id "{name}": no such secret')
    if not ctx.profile.play_yaml_secrets:
        raise PodmanRefusal(f"secret {name} is not valid JSON: invalid character 'a' looking for beginning of value")
    return ctx.secrets[name]


def _env_value(var: dict, ctr: dict, c: Container, pod: Pod, annotations: dict, ctx: _Context) -> str | None:
    name = var.get("name") or ""
    source = var.get("valueFrom")
    if not source:
        return var.get("value") or ""
    if source.get("configMapKeyRef"):
        ref = source["configMapKeyRef"]
        cm = _configmap(ref.get("name") or "", ctx)
        if cm is not None and ref.get("key") in (cm.get("data") or {}):
            return cm["data"][ref["key"]]
        if ref.get("optional"):
            return None
        if cm is None:
            raise MissingReference(f"cannot set env {name}: configmap {ref.get('name') or ''} not found")
        raise PodmanRefusal(f"cannot set env {name}: key {ref.get('key') or ''} not found in configmap "
                            f"{ref.get('name') or ''}")
    if source.get("secretKeyRef"):
        ref = source["secretKeyRef"]
        try:
            data = _secret(ref.get("name") or "", ctx)
            if ref.get("key") in data:
                return data[ref["key"]].decode(errors="replace")
            raise PodmanRefusal(f"secret {ref.get('name') or ''} has not {ref.get('key') or ''} key")
        except PodmanRefusal as exc:
            if ref.get("optional"):
                return None
            raise type(exc)(f"cannot set env {name}: {exc}") from None
    if source.get("fieldRef"):
        return _field_ref(name, source["fieldRef"].get("fieldPath") or "", c, pod, annotations)
    if source.get("resourceFieldRef"):
        return _resource_field_ref(name, source["resourceFieldRef"], ctr.get("resources") or {}, ctx)
    return var.get("value") or ""


_FIELD_MAP = re.compile(r"metadata\.(labels|annotations)\['(.*)'\]\Z")


def _field_ref(name: str, path: str, c: Container, pod: Pod, annotations: dict) -> str:
    if path == "metadata.name":
        return pod.name
    if path == "metadata.uid":
        return pod.id
    m = _FIELD_MAP.match(path)
    if m:
        source = c.labels if m.group(1) == "labels" else annotations
        return source.get(m.group(2), "")
    raise PodmanRefusal(f"can not set env {name}. Reason: fieldPath {path} is either not valid or not supported")


MEMORY_DIVISORS = ("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei")


def _resource_field_ref(name: str, ref: dict, resources: dict, ctx: _Context) -> str:
    """envVarValueResourceFieldRef: the YAML's limit or request, else the host's, over the divisor, rounded up."""
    resource = ref.get("resource") or ""
    divisor = ref.get("divisor") or "1"
    kind, _, what = resource.partition(".")
    if kind not in ("limits", "requests") or what not in ("memory", "cpu"):
        raise PodmanRefusal(f"can not set env {name}. Reason: resource {resource} is either not valid or not "
                            "supported")
    try:
        divisor_value = quantity.parse(divisor)
        canonical = quantity.decimal_si(int(divisor_value)) if divisor_value == int(divisor_value) else divisor
    except ValueError:
        raise PodmanRefusal(f"can not set env {name}. Reason: divisor value {divisor} is not valid") from None
    if divisor_value == 0:
        divisor_value, canonical = quantity.parse("1"), "1"
    allowed = MEMORY_DIVISORS if what == "memory" else ("1", "1m")
    if divisor not in allowed and canonical not in allowed:
        raise PodmanRefusal(f"can not set env {name}. Reason: divisor value {divisor} is not valid")
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    value = limits.get(what) if kind == "limits" else (requests.get(what) or limits.get(what))
    if not value or quantity.parse(value) == 0:
        host = ctx.options.host_memory if what == "memory" else ctx.options.host_cpus
        if host is None:
            raise PodmanRefusal(f"can not set env {name}: {resource} is not set, so Podman uses the host's "
                                f"{'total memory' if what == 'memory' else 'CPU count'}; give it to kubebridge "
                                f"(host_{'memory' if what == 'memory' else 'cpus'})")
        amount = quantity.parse(str(host))
    else:
        amount = quantity.parse(value)
    from decimal import ROUND_CEILING
    return str(int((amount / divisor_value).to_integral_value(rounding=ROUND_CEILING)))  # k8s rounds up


def _env_from(source: dict, ctx: _Context) -> dict[str, str]:
    env: dict[str, str] = {}
    if source.get("configMapRef"):
        ref = source["configMapRef"]
        cm = _configmap(ref.get("name") or "", ctx)
        if cm is not None:
            env.update(cm.get("data") or {})
        elif not ref.get("optional"):
            raise MissingReference(f"configmap {ref.get('name') or ''} not found")
    if source.get("secretRef"):
        ref = source["secretRef"]
        try:
            env.update({k: v.decode(errors="replace") for k, v in _secret(ref.get("name") or "", ctx).items()})
        except PodmanRefusal:
            if not ref.get("optional"):
                raise
    return env
