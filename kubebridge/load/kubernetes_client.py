"""kubernetes.client model objects in and out (the kubernetes package is imported only when asked for: it is slow)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Iterable

from kubebridge.errors import InputError

_KINDS = {("v1", "Pod"): "V1Pod", ("v1", "Service"): "V1Service",
          ("v1", "PersistentVolumeClaim"): "V1PersistentVolumeClaim", ("v1", "ConfigMap"): "V1ConfigMap",
          ("v1", "Secret"): "V1Secret", ("apps/v1", "Deployment"): "V1Deployment",
          ("apps/v1", "DaemonSet"): "V1DaemonSet", ("batch/v1", "Job"): "V1Job"}


def _api_client():
    try:
        from kubernetes.client import ApiClient
    except ImportError:
        raise InputError("kubernetes.client objects need the kubernetes package: pip install kubernetes") from None
    return ApiClient()


def to_kubernetes(documents: Iterable[dict]) -> list:
    """dicts -> kubernetes.client model objects (V1Pod, V1Deployment, ...)."""
    client = _api_client()
    # the generated client's own deserializer; its public deserialize() wants an HTTP response
    deserialize = client._ApiClient__deserialize
    result = []
    for doc in documents:
        klass = _KINDS.get((str(doc.get("apiVersion")), str(doc.get("kind"))))
        if klass is None:
            raise InputError(f"no kubernetes.client model for {doc.get('apiVersion')}/{doc.get('kind')}")
        result.append(deserialize(doc, klass))
    return result


def is_kubernetes_object(value: Any) -> bool:
    return type(value).__module__.startswith("kubernetes.client") and hasattr(value, "openapi_types")


def to_dicts(documents: Iterable[Any]) -> list[dict]:
    """kubernetes.client objects -> camelCase dicts, as the API server writes them; dicts pass through."""
    return [_model_to_json(doc) if is_kubernetes_object(doc) else doc for doc in documents]


def _model_to_json(value: Any) -> Any:
    """Like ApiClient.sanitize_for_serialization, but times in RFC 3339 with Z, as Kubernetes writes them."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        return [_model_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _model_to_json(v) for k, v in value.items()}
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return {value.attribute_map[attr]: _model_to_json(getattr(value, attr))
            for attr in value.openapi_types if getattr(value, attr) is not None}
