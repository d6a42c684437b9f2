"""The Python API's inputs: text, bytes, paths, dicts, lists and kubernetes.client objects -> Sources and
Documents, with a clear error for anything that is no input at all.

Path or content (read_as_path): bytes and Sources are content, a path object
is a path; a str is a path when it names an existing file or directory, or when
it is one line without "{", "[" or ": " (so "app.yaml" and "deploy/web" are
paths, "kind: Pod" and '{"Id": "..."}' content).  A str read as a path that
names nothing is an InputError that says how it was read and how to pass
content.  Sources (load.source.Source) carry a name for messages: the command
line passes what it read as Sources, so its messages name the file.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

from kubebridge.errors import InputError, UsageError
from kubebridge.limits import LIMITS, Limits, size_text
from kubebridge.load.bundle import is_bundle
from kubebridge.load.inspect import collect, load_image
from kubebridge.load.kubernetes_client import is_kubernetes_object, to_dicts
from kubebridge.load.manifests import Document, load_documents
from kubebridge.load.source import Source
from kubebridge.model.podman import Image

EMPTY_YAML = "no Kubernetes objects: the input is empty (podman kube play refuses it)"


def is_path(item: Any) -> bool:
    """A path object, or a one-line string naming an existing file (longer text is content)."""
    if isinstance(item, os.PathLike):
        return True
    return isinstance(item, str) and "\n" not in item and len(item) < 4096 and os.path.isfile(item)


NO_SUCH_FILE = ("no such file (this string was read as a path: a one-line str without '{', '[' or ': ' is one; "
                "pass YAML or JSON text as bytes, text.encode(), or as kubebridge.api.Source(name, text=...))")


def read_as_path(item: Any) -> bool:
    """The path-vs-content rule (see the module's docstring)."""
    if isinstance(item, os.PathLike):
        return True
    if not isinstance(item, str) or "\n" in item or len(item) >= 4096 or not item.strip():
        return False
    return os.path.exists(item) or not ("{" in item or "[" in item or ": " in item)


def check_input(item: Any, index: int, directories: bool = False, missing: bool = False) -> Any:
    """One input as the API takes it, or a clear error: a path that names no file (unless `missing`: the
    caller reports it), a directory (unless `directories`), or a value that is no input at all."""
    if read_as_path(item) and not os.path.isfile(item):
        if not directories and os.path.isdir(item):
            raise InputError("is a directory, not a file", file=os.fspath(item))
        if not missing and not os.path.exists(item):
            raise InputError(NO_SUCH_FILE if isinstance(item, str) else "no such file", file=os.fspath(item))
    if isinstance(item, (str, bytes, bytearray, os.PathLike, dict, list, tuple, Source)) or is_kubernetes_object(item):
        return item
    raise UsageError(f"input {index + 1} is of type {type(item).__name__}: give YAML or JSON text, bytes, a path, "
                     "a dict, a list of dicts or a kubernetes.client object")


def many(value: Any) -> list:
    """A parameter that takes several values, given one or several: a str, bytes, path or dict is one value
    (never iterated letter by letter or key by key)."""
    if value is None:
        return []
    if isinstance(value, (str, bytes, bytearray, os.PathLike, dict)) or is_kubernetes_object(value):
        return [value]
    return list(value)


def as_sources(inputs: Iterable[Any], limits: Limits = LIMITS) -> list[Source]:
    """Inputs -> Sources: files read, text and bytes named `<input N>`; InputError for a file that cannot be
    read or an input larger than limits.max_bytes."""
    sources = []
    for index, item in enumerate(inputs):
        item = check_input(item, index)
        if isinstance(item, Source):
            sources.append(item)
        elif is_path(item):
            path = Path(item)
            try:
                with path.open("rb") as stream:
                    sources.append(Source(str(path), text=stream.read(limits.max_bytes + 1)))
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
        elif isinstance(item, (str, bytes, bytearray)):
            sources.append(Source(f"<input {index + 1}>", text=bytes(item) if isinstance(item, bytearray) else item))
        else:
            sources.append(Source(f"<input {index + 1}>", data=item))
        text = sources[-1].text
        if text is not None and len(text) > limits.max_bytes:
            raise InputError(f"larger than {size_text(limits.max_bytes)}, the limit (limits.max_bytes)",
                             file=sources[-1].name)
    return sources


def images(items: Any) -> list[Image]:
    """`podman image inspect` output (dicts, JSON text, paths, Sources) or Image models -> Image models."""
    models: list[Image] = []
    for item in many(items):
        if isinstance(item, Image):
            models.append(item)
            continue
        source = as_sources([item])[0]
        try:
            found = collect([source])
        except InputError as exc:
            if "looks like Kubernetes YAML" not in exc.detail:
                raise
            raise InputError("Kubernetes YAML, not `podman image inspect` output (the images a manifest uses)",
                             file=exc.file, line=exc.line) from None
        if found.pods or found.containers or found.volumes or not found.images:
            raise InputError("not `podman image inspect` output (the images a manifest uses): it holds "
                             f"{_kinds(found)}", file=source.name)
        models.extend(load_image(obj) for obj, _ in found.images)
    return models


def _kinds(found: Any) -> str:
    kinds = [f"{len(v)} {k}" for k, v in (("pod inspect", found.pods), ("container inspect", found.containers),
                                          ("volume inspect", found.volumes)) if v]
    return ", ".join(kinds) or "no inspect output"


def documents(inputs: Iterable[Any], dialect: str, required: bool = True, limits: Limits = LIMITS,
              keep_empty: bool = False) -> list[Document]:
    """YAML text, bytes, paths, Sources, dicts or kubernetes.client objects -> Documents, read in `dialect`
    ("podman" or "kubernetes"; load.manifests).  Raises InputError when `required` and there are none.
    keep_empty: an input with no document gives one Document whose data is None (a --configmap file
    Podman 4.3 reads as one object even when empty)."""
    docs: list[Document] = []
    names = []
    for index, item in enumerate(inputs):
        item = check_input(item, index)
        path = is_path(item)
        name = item.name if isinstance(item, Source) else str(item) if path else f"<input {index + 1}>"
        names.append(name)
        if isinstance(item, Source) and item.text is not None:
            raw: Any = item.text
        elif path:
            try:
                raw = Path(item).read_bytes()
            except OSError as exc:
                raise InputError(f"cannot read: {exc.strerror}", file=name) from None
        elif isinstance(item, (str, bytes)):
            raw = item
        else:
            data = item.data if isinstance(item, Source) else item
            for obj in to_dicts(data if isinstance(data, list) else [data]):
                docs.append(Document(obj, name, len(docs), 1))
            continue
        found = load_documents(raw, name, dialect, expand_lists=dialect != "podman", limits=limits)
        docs.extend(found or ([Document(None, name, 0, 1)] if keep_empty else []))
    if required and not docs:
        raise InputError(EMPTY_YAML, file=", ".join(names) or None)
    return docs


def looks_like_inspect(item: Any) -> bool:
    """Podman inspect output (JSON with Podman's keys) rather than Kubernetes manifests."""
    data = item.text if isinstance(item, Source) and item.text is not None else \
        item.data if isinstance(item, Source) else item
    if isinstance(data, (str, os.PathLike)) and is_path(data):
        try:
            data = Path(data).read_bytes()
        except OSError:
            return False
    if isinstance(data, (str, bytes)):
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        if not text.lstrip().startswith(("[", "{")):
            return False
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or too deep: the YAML reader says why, unless it begins
            return _inspect_start(text)       # as inspect output does (then the inspect reader says where it breaks)
    if is_bundle(data):  # a kubebridge snapshot
        return True
    objects = data if isinstance(data, list) else [data]
    return bool(objects) and all(isinstance(o, dict) and "kind" not in o and
                                 ("Id" in o or "ID" in o or "Name" in o) for o in objects)


_INSPECT_KEY = re.compile(r'^\s*[\[{]\s*(?:\{\s*)?"(?:Id|ID|Name|kubebridge_snapshot)"\s*:')


def _inspect_start(text: str) -> bool:
    """JSON that breaks off (a truncated file) but opens as `podman inspect` output or a snapshot does."""
    return bool(_INSPECT_KEY.match(text[:200]))


def check_unit(item: Any, index: int) -> tuple[str, str, Any]:
    """One input of check(): ("files", name, [paths]), ("missing", name, [name]) for a str read as a path that
    names nothing, ("text", name, text or bytes) or ("objects", name, [dicts])."""
    from kubebridge.load.files import manifest_files

    name = f"<input {index + 1}>"
    if read_as_path(item):
        path = os.fspath(item)
        return ("missing" if isinstance(item, str) and not os.path.exists(path) else "files",
                path, manifest_files([path]))
    if isinstance(item, Source):
        if item.text is None:
            return "objects", item.name, item.data if isinstance(item.data, list) else [item.data]
        return "text", item.name, item.text
    if isinstance(item, (str, bytes, bytearray)):
        return "text", name, bytes(item) if isinstance(item, bytearray) else item
    return "objects", name, item if isinstance(item, list) else [item]
