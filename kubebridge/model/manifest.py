"""One Kubernetes document as the check rules see it: its pod template, its containers, and a place to report.

Rules get data that may be any shape (the schema check reports wrong types; the
rules must still not fail on them), so every accessor here returns a value of
the expected type or an empty one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

# where each workload kind keeps its pod template's spec
POD_SPEC_PATHS: dict[str, tuple] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "PodTemplate": ("template", "spec"),
}


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def get(data: Any, path: tuple) -> Any:
    """The value at path, or None where the path does not exist."""
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def walk(values: Iterable[Any], key: str) -> Iterator[Any]:
    """Every value under the mapping key `key`, anywhere in nested dicts and lists, in document order.

    The one walker over manifests of any shape (no recursion: depth is the
    input's to choose).  walk(docs, "hostPath") gives every hostPath source.
    """
    stack: list[Any] = list(values)[::-1]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if key in item:
                yield item[key]
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


@dataclass
class ContainerView:
    path: tuple  # of the container in the document
    data: dict
    init: bool  # listed under initContainers
    sidecar: bool  # an init container with restartPolicy: Always (a native sidecar)

    @property
    def name(self) -> str:
        return as_str(self.data.get("name"))

    @property
    def ports(self) -> list[tuple[tuple, dict]]:
        return [(self.path + ("ports", i), p) for i, p in enumerate(as_list(self.data.get("ports")))
                if isinstance(p, dict)]

    @property
    def long_running(self) -> bool:
        """Runs beside the others for the pod's life: a regular container or a native sidecar."""
        return not self.init or self.sidecar


@dataclass
class PodView:
    path: tuple  # of the pod spec in the document
    spec: dict
    labels: dict  # the pod's (or template's) labels
    containers: list[ContainerView]

    @property
    def volumes(self) -> list[tuple[tuple, dict]]:
        return [(self.path + ("volumes", i), v) for i, v in enumerate(as_list(self.spec.get("volumes")))
                if isinstance(v, dict)]


Emit = Callable[[str, tuple, str], None]


def registrar(table: list) -> Callable:
    """A decorator `rule(*ids)` that adds a check function, with the rule ids it may report, to `table`."""
    def rule(*ids: str) -> Callable:
        def register(fn: Callable) -> Callable:
            table.append((frozenset(ids), fn))
            return fn
        return register
    return rule


@dataclass
class Manifest:
    """A document, with what every rule needs ready, and emit(rule, path, message) to report."""

    data: dict
    kind: str
    api_version: str
    emit: Emit
    kubernetes: tuple[int, int] = (1, 37)  # the Kubernetes minor checked against
    pod: PodView | None = None
    extra: dict = field(default_factory=dict)  # per-run facts shared by file-level rules

    @property
    def name(self) -> str:
        return as_str(as_dict(self.data.get("metadata")).get("name"))

    @property
    def metadata(self) -> dict:
        return as_dict(self.data.get("metadata"))


def manifest(data: dict, emit: Emit, kubernetes: tuple[int, int]) -> Manifest:
    kind = as_str(data.get("kind"))
    m = Manifest(data, kind, as_str(data.get("apiVersion")), emit, kubernetes)
    spec_path = POD_SPEC_PATHS.get(kind)
    if spec_path is not None:
        spec = get(data, spec_path)
        if isinstance(spec, dict):
            meta_path = spec_path[:-1] + ("metadata",)
            labels = as_dict(as_dict(get(data, meta_path)).get("labels"))
            m.pod = PodView(spec_path, spec, labels, _containers(spec_path, spec))
    return m


def _containers(spec_path: tuple, spec: dict) -> list[ContainerView]:
    found = []
    for key, init in (("initContainers", True), ("containers", False)):
        for i, c in enumerate(as_list(spec.get(key))):
            if isinstance(c, dict):
                sidecar = init and c.get("restartPolicy") == "Always"
                found.append(ContainerView(spec_path + (key, i), c, init, sidecar))
    return found
