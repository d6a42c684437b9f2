"""The Python API: the same jobs as the command line, on in-memory data.

Inputs are parsed JSON (dicts and lists), JSON text (str or bytes) or paths
(path objects, or a one-line string naming an existing file);
results are plain dicts, or Podman-style YAML text, or kubernetes.client
model objects (that package is imported only when asked for: it is slow).
"""
from __future__ import annotations

import os
import re
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

from kubebridge.render import kube_yaml as render
from kubebridge.errors import InputError, UsageError
from kubebridge.limits import LIMITS, Limits
from kubebridge.translate.generate import GenerateOptions, GenerateResult
from kubebridge.translate.generate import generate as _generate
from kubebridge.load.inspect import Source, load_snapshot
from kubebridge.model.podman import Snapshot
from kubebridge.model.profiles import Profile, get_profile


def now() -> str:
    """The time now, as generate writes creationTimestamp (RFC 3339, UTC, seconds): the facade's clock."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _is_path(item: Any) -> bool:
    """A path object, or a one-line string naming an existing file (longer text is content)."""
    if isinstance(item, os.PathLike):
        return True
    return isinstance(item, str) and "\n" not in item and len(item) < 4096 and os.path.isfile(item)


_NAMED_FILE = re.compile(r"[^\n:{}\[\]]+\.(?:ya?ml|json)")


def _input(item: Any, index: int, directories: bool = False) -> Any:
    """One input as the API takes it, or a clear error: a missing file, or a value that is no input at all."""
    if isinstance(item, str) and not _is_path(item) and "\n" not in item and len(item) < 4096:
        if not directories and os.path.isdir(item):
            raise InputError("is a directory, not a file", file=item)
        if _NAMED_FILE.fullmatch(item.strip()) and not os.path.exists(item):
            raise InputError("no such file", file=item)
    if isinstance(item, (str, bytes, bytearray, os.PathLike, dict, list, tuple, Source)) or is_kubernetes_object(item):
        return item
    raise UsageError(f"input {index + 1} is of type {type(item).__name__}: give YAML or JSON text, bytes, a path, "
                     "a dict, a list of dicts or a kubernetes.client object")


def _many(value: Any) -> list:
    """A parameter that takes several values, given one or several: a str, bytes, path or dict is one value
    (never iterated letter by letter or key by key)."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, bytearray, os.PathLike, dict)) or is_kubernetes_object(value):
        return [value]
    return list(value)


def as_sources(inputs: Iterable[Any]) -> list[Source]:
    sources = []
    for index, item in enumerate(inputs):
        item = _input(item, index)
        if isinstance(item, Source):
            sources.append(item)
        elif _is_path(item):
            path = Path(item)
            try:
                sources.append(Source(str(path), text=path.read_bytes()))
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
        elif isinstance(item, (str, bytes)):
            sources.append(Source(f"<input {index + 1}>", text=item))
        else:
            sources.append(Source(f"<input {index + 1}>", data=item))
    return sources


def snapshot(*inputs: Any, host_paths: dict[str, str] | None = None) -> Snapshot:
    """Load inspect output (dicts, JSON text or paths) into the intermediate model."""
    return load_snapshot(as_sources(inputs), host_paths)


def generate_result(*inputs: Any, podman_version: str | Profile = "5", names: Sequence[str] = (),
                    service: bool = False, type: str = "pod", replicas: int = 1, podman_only: bool = False,
                    host_paths: dict[str, str] | None = None, timestamp: str | None = None,
                    portable: bool = False) -> GenerateResult:
    """generate(), with Podman's NOTE chunks and kubebridge's warnings.

    portable=True: kubebridge's portable variant (kubebridge.translate.portable): valid
    Kubernetes that a round trip through Podman gives back unchanged.
    """
    if len(inputs) == 1 and isinstance(inputs[0], Snapshot):
        snap = replace(inputs[0], host_paths={**inputs[0].host_paths, **(host_paths or {})})
    else:
        snap = snapshot(*inputs, host_paths=host_paths)
    names = _many(names)
    if not all(isinstance(n, str) for n in names):
        raise UsageError("names: give pod, container or volume names or IDs as strings")
    options = GenerateOptions(names=tuple(names), service=service, type=type, replicas=replicas,
                              podman_only=podman_only, timestamp=timestamp or now())
    profile = get_profile(podman_version)
    result = _generate(snap, options, profile)
    if portable:
        from kubebridge.translate.portable import make_portable
        chunks, warnings = make_portable(result.chunks, snap, profile, result.init_volumes)
        result = GenerateResult(chunks, result.warnings + warnings, result.init_volumes)
    return result


def generate(*inputs: Any, kubernetes: bool = False, **options: Any) -> list:
    """The Kubernetes documents `podman kube generate` would print, as dicts.

    inputs: `podman pod|container|image|volume inspect` output as dicts, JSON
    text or paths.  options: podman_version ("5" or "4.3"), names, service,
    type, replicas, podman_only, host_paths, timestamp.  With kubernetes=True
    the documents are kubernetes.client model objects (V1Pod, V1Service, ...).
    """
    docs = generate_result(*inputs, **options).documents
    return to_kubernetes(docs) if kubernetes else docs


def generate_yaml(*inputs: Any, **options: Any) -> str:
    """What `podman kube generate` prints, byte for byte but for the header and timestamps."""
    version = get_profile(options.get("podman_version", "5")).version
    return render.kube_yaml(generate_result(*inputs, **options).chunks, version)


def to_yaml(documents: Iterable[Any]) -> str:
    """Documents (dicts or kubernetes.client objects) in Podman's YAML style, `---` between them."""
    return render.documents_yaml(to_dicts(documents))


# --- kubernetes.client interop (lazy) -------------------------------------------------------

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
        klass = _KINDS.get((doc.get("apiVersion"), doc.get("kind")))
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


# --- play -----------------------------------------------------------------------------------

def _images(images: Iterable[Any]) -> list:
    """`podman image inspect` output (dicts, JSON text, paths) or Image models -> Image models."""
    from kubebridge.load.inspect import collect, load_image
    from kubebridge.model.podman import Image

    models = []
    for item in _many(images):
        if isinstance(item, Image):
            models.append(item)
        else:
            models.extend(load_image(obj) for obj, _ in collect(as_sources([item])).images)
    return models


EMPTY_YAML = "no Kubernetes objects: the input is empty (podman kube play refuses it)"


def _documents(inputs: Iterable[Any], dialect: str, required: bool = True, limits: Limits = LIMITS) -> list:
    """YAML text, bytes, paths, dicts or kubernetes.client objects -> Documents (some, when required)."""
    from kubebridge.load.manifests import Document, load_documents

    docs = []
    names = []
    for index, item in enumerate(inputs):
        item = _input(item, index)
        path = _is_path(item)
        name = str(item) if path else f"<input {index + 1}>"
        names.append(name)
        if path:
            try:
                raw = Path(item).read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", file=name) from None
            docs.extend(load_documents(raw, name, dialect, expand_lists=dialect != "podman", limits=limits))
        elif isinstance(item, (str, bytes)):
            docs.extend(load_documents(item, name, dialect, expand_lists=dialect != "podman", limits=limits))
        else:
            for data in to_dicts(item if isinstance(item, list) else [item]):
                docs.append(Document(data, name, len(docs), 1))
    if required and not docs:
        raise InputError(EMPTY_YAML, file=", ".join(names) or None)
    return docs


def play_result(*inputs: Any, podman_version: str | Profile = "5", publish_all: bool = False,
                sidecars: str = "podman", images: Iterable[Any] = (), configmaps: Iterable[Any] = (),
                annotations: dict[str, str] | None = None, host_paths: dict[str, str] | None = None,
                node_hostname: str | None = None, host_memory: int | None = None, host_cpus: int | None = None,
                limits: Limits = LIMITS):
    """play(), with kubebridge's warnings and the model objects."""
    import socket

    from kubebridge.translate.play import PlayOptions
    from kubebridge.translate.play import play as _play

    options = PlayOptions(publish_all=publish_all, sidecars=sidecars,
                          annotations=tuple((annotations or {}).items()),
                          configmaps=tuple(_documents(_many(configmaps), "podman", required=False)),
                          images=tuple(_images(images)),
                          host_paths=host_paths, node_hostname=node_hostname or socket.gethostname(),
                          host_memory=host_memory, host_cpus=host_cpus)
    return _play(_documents(inputs, "podman", limits=limits), options, get_profile(podman_version))


def play(*inputs: Any, **options: Any) -> dict:
    """What `podman kube play --start=false` would create, shaped like Podman's inspect output.

    inputs: Kubernetes YAML (text, bytes, paths), dicts or kubernetes.client
    objects.  options: podman_version, publish_all, sidecars ("podman" or
    "containers"), images (podman image inspect output), configmaps,
    annotations, host_paths, node_hostname, limits.  Returns {"pods", "containers",
    "volumes", "warnings"}.
    """
    from kubebridge.render import inspect_json as inspect_out

    profile = get_profile(options.get("podman_version", "5"))
    result = play_result(*inputs, **options)
    return {
        "pods": [inspect_out.pod(p, profile) for p in result.pods],
        "containers": [inspect_out.container(c, profile) for c in result.containers],
        "volumes": [inspect_out.volume(v, profile) for v in result.volumes],
        "warnings": list(result.warnings),
    }


def play_commands(*inputs: Any, **options: Any) -> str:
    """play() as a POSIX sh script of `podman volume|pod create` and `podman create --pod` commands."""
    from kubebridge.render import commands

    profile = get_profile(options.get("podman_version", "5"))
    result = play_result(*inputs, **options)
    return commands.script(result.pods, result.volumes, profile, result.warnings)


# --- check -----------------------------------------------------------------------------------

def check(*inputs: Any, kubernetes_version: str | None = None, strict: bool = True,
          podman_version: str | Profile = "5", target: str = "both", select: Iterable[str] | str = (),
          ignore: Iterable[str] | str = (), limits: Limits = LIMITS):
    """Pre-deploy checks of Kubernetes manifests; a CheckResult with every finding.

    inputs: YAML or JSON text, bytes, paths (files or directories), dicts, lists
    of dicts, or kubernetes.client objects.  Findings in text and files carry
    lines; dicts and objects have none.  options as the `check` command:
    kubernetes_version ("1.30"), strict, podman_version ("5" or "4.3"), target
    ("kubernetes", "podman" or "both"), select and ignore (rule ids), limits (a
    kubebridge.Limits: how much of an input is read).
    """
    from kubebridge.checks.engine import CheckOptions, Checker
    from kubebridge.checks.findings import rule_ids
    from kubebridge.load.manifests import Document
    from kubebridge.load.files import manifest_files

    def ids(value: Iterable[str] | str) -> frozenset[str]:
        return rule_ids(value if isinstance(value, str) else ",".join(value))

    checker = Checker(CheckOptions(kubernetes_version=kubernetes_version, strict=strict,
                                   podman_version=podman_version, target=target, select=ids(select),
                                   ignore=ids(ignore), limits=limits))
    result = checker.result()
    objects: list[Document] = []
    for index, item in enumerate(inputs):
        item = _input(item, index, directories=True)
        name = f"<input {index + 1}>"
        if _is_path(item) or (isinstance(item, os.PathLike) and Path(item).is_dir()) or \
                (isinstance(item, str) and "\n" not in item and os.path.isdir(item)):
            for file in manifest_files([str(item)]):
                try:
                    raw = Path(file).read_bytes()
                except OSError as exc:
                    raise InputError(f"cannot read: {exc.strerror}", file=file) from None
                result.merge(checker.check_file(raw, file))
        elif isinstance(item, (str, bytes)):
            result.merge(checker.check_file(item, name))
        else:
            for data in to_dicts(item if isinstance(item, list) else [item]):
                objects.append(Document(data, name, len(objects), 1))
    if objects:
        result.merge(checker.check_documents(objects))
    return result


# --- roundtrip -------------------------------------------------------------------------------

def _looks_like_inspect(item: Any) -> bool:
    """Podman inspect output (JSON with Podman's keys) rather than Kubernetes manifests."""
    import json

    data = item
    if _is_path(item):
        try:
            data = Path(item).read_bytes()
        except OSError:
            return False
    if isinstance(data, (str, bytes)):
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        if not text.lstrip().startswith(("[", "{")):
            return False
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or too deep: the YAML reader says why
            return False
    objects = data if isinstance(data, list) else [data]
    return bool(objects) and all(isinstance(o, dict) and "kind" not in o and
                                 ("Id" in o or "ID" in o or "Name" in o) for o in objects)


def roundtrip(*inputs: Any, podman_version: str | Profile = "5", images: Iterable[Any] = (),
              configmaps: Iterable[Any] = (), type: str = "pod", host_paths: dict[str, str] | None = None,
              timestamp: str | None = None, sidecars: str = "podman", portable: bool = False):
    """What a round trip through Podman changes.

    Kubernetes YAML (text, paths, dicts, kubernetes.client objects) goes through
    play, then generate; Podman inspect output through generate, then play.
    Returns a RoundTrip: every change with its path, explained by the Podman
    rewrite behind it (kubebridge.fidelity.REWRITES).  portable=True: after
    play, kubebridge's generate --portable instead of Podman's generate.
    """
    from kubebridge.fidelity import manifest_round_trip, snapshot_round_trip
    from kubebridge.translate.play import PlayOptions

    profile = get_profile(podman_version)
    image_models = _images(images)
    if inputs and all(_looks_like_inspect(item) for item in inputs):
        snap = snapshot(*inputs, host_paths=host_paths)
        if image_models:
            snap.images = list(snap.images) + image_models
        options = PlayOptions(images=tuple(snap.images), host_paths=None, host_memory=1 << 30, host_cpus=1,
                              sidecars=sidecars)
        return snapshot_round_trip(snap, options, profile, timestamp or now())
    options = PlayOptions(images=tuple(image_models),
                          configmaps=tuple(_documents(_many(configmaps), "podman", required=False)),
                          host_paths=host_paths, host_memory=1 << 30, host_cpus=1, sidecars=sidecars)
    return manifest_round_trip(_documents(inputs, "podman"), options, profile, type, tuple(image_models),
                               timestamp=timestamp or now(), portable=portable)
