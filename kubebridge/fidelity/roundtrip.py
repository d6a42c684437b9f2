"""What a round trip through Podman changes, and why.

A manifest's round trip is `podman kube play` then `podman kube generate`;
a snapshot's is `generate`, `play`, and the pods that come out.  diff_documents()
lines the two sides up (containers by position, env by name, ports by number
and protocol, mounts by path, volumes through the mounts that use them) and
lists every change: added, lost, renamed or rewritten, with its path.
explain() then names the Podman behaviour behind each change from REWRITES, the
one table of Podman's round-trip rewrites, each confirmed by a captured fixture
(tests/test_roundtrip.py diffs every captured play against real Podman's
generate output and requires every change to be explained).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

from kubebridge.load.manifests import json_path
from kubebridge.model.manifest import POD_SPEC_PATHS, as_dict, as_list, as_str
from kubebridge.model.names import BIND_MOUNT_OPTIONS, USERNS_ANNOTATION, WORKLOADS

ADDED, LOST, RENAMED, REWRITTEN = "added", "lost", "renamed", "rewritten"


@dataclass(frozen=True)
class Change:
    kind: str  # added, lost, renamed or rewritten
    path: tuple  # in the original document (added: in the round-tripped one)
    before: Any = None
    after: Any = None
    document: int = 0  # the original document's position, from 0
    rewrite: str = ""  # the id of the REWRITES entry that explains it, "" when none does

    @property
    def where(self) -> str:
        return json_path(self.path)

    def as_dict(self) -> dict:
        return {"document": self.document + 1, "kind": self.kind, "path": self.where, "before": self.before,
                "after": self.after, "rewrite": self.rewrite}


@dataclass
class Pair:
    """An original workload and what came back, with the facts the explanations need."""

    before: dict
    after: dict
    document: int = 0
    renames: dict[str, str] = field(default_factory=dict)  # original container name -> round-tripped name
    aux: dict[tuple[str, str], dict] = field(default_factory=dict)  # ("ConfigMap"|"Secret", name) -> data
    images: tuple = ()  # the Image models play used

    @property
    def pod_name(self) -> str:
        return as_str(as_dict(self.after.get("metadata")).get("name"))

    @property
    def spec_path(self) -> tuple:
        return POD_SPEC_PATHS.get(as_str(self.before.get("kind")), ("spec",))


# --- lining the two sides up ---------------------------------------------------------------

def _key_env(item: Any) -> Any:
    return as_str(as_dict(item).get("name"))


def _key_port(item: Any) -> Any:
    item = as_dict(item)
    return (item.get("containerPort") or item.get("hostPort"), (as_str(item.get("protocol")) or "TCP").upper())


def _key_mount(item: Any) -> Any:
    return as_str(as_dict(item).get("mountPath")).split(":", 1)[0]


def _key_alias(item: Any) -> Any:
    return as_str(as_dict(item).get("ip"))


KEYED_LISTS: dict[str, Callable[[Any], Any]] = {"env": _key_env, "ports": _key_port, "volumeMounts": _key_mount,
                                                "hostAliases": _key_alias}
SET_LISTS = ("add", "drop", "hostnames")  # capabilities, hostAliases[].hostnames: order means nothing
SPLIT_MAPS = ("annotations", "labels")  # a map that appears or goes is reported key by key


def _one_side(kind: str, path: tuple, value: Any, document: int) -> list[Change]:
    """A key only one side has (kind LOST or ADDED): one change, or one per entry of a split map."""
    if path[-1] in SPLIT_MAPS and isinstance(value, dict) and value:
        return [c for k, v in value.items() for c in _one_side(kind, path + (k,), v, document)]
    return [Change(kind, path, value, None, document) if kind == LOST else Change(kind, path, None, value, document)]


def diff(before: Any, after: Any, path: tuple, out: list[Change], document: int = 0) -> None:
    """Every difference between two values; lists keyed where Podman reorders them."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key, value in before.items():
            if key not in after:
                out.extend(_one_side(LOST, path + (key,), value, document))
            elif key in KEYED_LISTS and isinstance(value, list) and isinstance(after[key], list):
                _diff_keyed(value, after[key], KEYED_LISTS[key], path + (key,), out, document)
            elif key in SET_LISTS and isinstance(value, list) and isinstance(after[key], list):
                _diff_set(value, after[key], path + (key,), out, document)
            else:
                diff(value, after[key], path + (key,), out, document)
        for key, value in after.items():
            if key not in before:
                out.extend(_one_side(ADDED, path + (key,), value, document))
    elif isinstance(before, list) and isinstance(after, list):
        for i in range(max(len(before), len(after))):
            if i >= len(after):
                out.append(Change(LOST, path + (i,), before[i], None, document))
            elif i >= len(before):
                out.append(Change(ADDED, path + (i,), None, after[i], document))
            else:
                diff(before[i], after[i], path + (i,), out, document)
    elif before != after or type(before) is not type(after):
        out.append(Change(REWRITTEN, path, before, after, document))


def _diff_keyed(before: list, after: list, key: Callable, path: tuple, out: list[Change], document: int) -> None:
    later: dict[Any, list[int]] = {}
    for j, item in enumerate(after):
        later.setdefault(key(item), []).append(j)
    matched = set()
    for i, item in enumerate(before):
        free = [j for j in later.get(key(item), []) if j not in matched]
        if free:  # items of one key pair up in order, the identical first
            j = next((j for j in free if after[j] == item), free[0])
            matched.add(j)
            diff(item, after[j], path + (i,), out, document)
        else:
            out.append(Change(LOST, path + (i,), item, None, document))
    for j, item in enumerate(after):
        if j not in matched:
            out.append(Change(ADDED, path + (j,), None, item, document))


def _diff_set(before: list, after: list, path: tuple, out: list[Change], document: int) -> None:
    for item in before:
        if item not in after:
            out.append(Change(LOST, path, item, None, document))
    for item in after:
        if item not in before:
            out.append(Change(ADDED, path, None, item, document))


def pod_view(doc: dict) -> tuple[dict, tuple]:
    """A workload as the pod Podman makes of it: its metadata (with the template's labels) and its pod spec."""
    kind = as_str(doc.get("kind"))
    spec_path = POD_SPEC_PATHS.get(kind, ("spec",))
    if spec_path == ("spec",):
        return doc, ()
    template = doc
    for part in spec_path[:-1]:
        template = as_dict(as_dict(template).get(part))
    view = {k: v for k, v in doc.items() if k != "spec"}
    return view, spec_path


def diff_pair(pair: Pair) -> list[Change]:
    """The changes from an original workload to what came back, paths in the original's terms."""
    out: list[Change] = []
    before, after = pair.before, pair.after
    spec_path = pair.spec_path
    # the envelope: kind, apiVersion, metadata; a workload's own spec fields are lost when a pod comes back
    same_kind = as_str(before.get("kind")) == as_str(after.get("kind"))
    if same_kind or spec_path == ("spec",):
        outer_before = {k: v for k, v in before.items() if k != "spec"}
        outer_after = {k: v for k, v in after.items() if k != "spec"}
        diff(outer_before, outer_after, (), out, pair.document)
        if spec_path == ("spec",):
            _diff_pod_spec(as_dict(before.get("spec")), as_dict(after.get("spec")), ("spec",), out, pair)
            _lost_or_added_spec(before, after, out, pair)
            return out
    else:
        diff({k: v for k, v in before.items() if k != "spec"}, {k: v for k, v in after.items() if k != "spec"}, (),
             out, pair.document)
    template = before
    for part in spec_path[:-1]:
        template = as_dict(as_dict(template).get(part))
    template_meta = as_dict(template.get("metadata"))
    after_spec = after.get("spec") if not same_kind else as_dict(after.get("spec"))
    if same_kind:
        after_template = after
        for part in spec_path[:-1]:
            after_template = as_dict(as_dict(after_template).get(part))
        diff({k: v for k, v in as_dict(before.get("spec")).items() if k != "template"},
             {k: v for k, v in as_dict(after_spec).items() if k != "template"}, ("spec",), out, pair.document)
        diff(template_meta, as_dict(after_template.get("metadata")), spec_path[:-1] + ("metadata",), out,
             pair.document)
        _diff_pod_spec(as_dict(template.get("spec")), as_dict(after_template.get("spec")), spec_path, out, pair)
    else:
        for key, value in as_dict(before.get("spec")).items():
            if key != "template":
                out.append(Change(LOST, ("spec", key), value, None, pair.document))
        for key, value in template_meta.items():
            out.append(Change(LOST, spec_path[:-1] + ("metadata", key), value, None, pair.document))
        _diff_pod_spec(as_dict(template.get("spec")), as_dict(after_spec), spec_path, out, pair)
    return out


def _lost_or_added_spec(before: dict, after: dict, out: list[Change], pair: Pair) -> None:
    if "spec" not in after and "spec" in before:
        out.append(Change(LOST, ("spec",), before["spec"], None, pair.document))


def _diff_pod_spec(before: dict, after: dict, path: tuple, out: list[Change], pair: Pair) -> None:
    """Pod specs: containers by position, volumes through the mounts that use them."""
    rest_before = {k: v for k, v in before.items() if k not in ("containers", "initContainers", "volumes")}
    rest_after = {k: v for k, v in after.items() if k not in ("containers", "initContainers", "volumes")}
    diff(rest_before, rest_after, path, out, pair.document)
    volume_names: dict[str, list[str]] = {}
    for key in ("initContainers", "containers"):
        ours, theirs = as_list(before.get(key)), as_list(after.get(key))
        if key in before and key not in after:
            out.append(Change(LOST, path + (key,), before[key], None, pair.document))
            continue
        if key in after and key not in before:
            out.append(Change(ADDED, path + (key,), None, after[key], pair.document))
            continue
        for i in range(max(len(ours), len(theirs))):
            if i >= len(theirs):
                out.append(Change(LOST, path + (key, i), ours[i], None, pair.document))
            elif i >= len(ours):
                out.append(Change(ADDED, path + (key, i), None, theirs[i], pair.document))
            else:
                a, b = as_dict(ours[i]), as_dict(theirs[i])
                pair.renames[as_str(a.get("name"))] = as_str(b.get("name"))
                _note_volume_names(a, b, volume_names)
                diff(a, b, path + (key, i), out, pair.document)
    _diff_volumes(as_list(before.get("volumes")), as_list(after.get("volumes")), volume_names, path + ("volumes",),
                  out, pair)


def _note_volume_names(before: dict, after: dict, names: dict[str, list[str]]) -> None:
    """Which round-tripped volumes each original volume may have become: those mounted at the same paths."""
    theirs = {_key_mount(m): as_str(as_dict(m).get("name")) for m in as_list(after.get("volumeMounts"))}
    for mount in as_list(before.get("volumeMounts")):
        name = as_str(as_dict(mount).get("name"))
        if _key_mount(mount) in theirs:
            names.setdefault(name, []).append(theirs[_key_mount(mount)])


def _diff_volumes(before: list, after: list, names: dict[str, list[str]], path: tuple, out: list[Change],
                  pair: Pair) -> None:
    by_name = {as_str(as_dict(v).get("name")): (j, as_dict(v)) for j, v in enumerate(after)}
    used = set()
    for i, volume in enumerate(before):
        volume = as_dict(volume)
        candidates = [n for n in names.get(as_str(volume.get("name")), []) if n in by_name]
        target = next((n for n in candidates if by_name[n][0] not in used), None)
        if target is None:  # not mounted, or two original volumes became one
            out.append(Change(LOST, path + (i,), volume, None, pair.document))
            continue
        j, theirs = by_name[target]
        used.add(j)
        diff(volume, theirs, path + (i,), out, pair.document)
    for j, volume in enumerate(after):
        if j not in used:
            out.append(Change(ADDED, path + (j,), None, volume, pair.document))


# --- why: Podman's round-trip rewrites -----------------------------------------------------

@dataclass(frozen=True)
class Rewrite:
    id: str
    podman: str  # what Podman does
    fixture: str  # a captured scenario that shows it: "<Podman version>/<scenario>"
    explains: Callable[[Change, Pair], bool]


def _last(change: Change) -> Any:
    return change.path[-1] if change.path else None


def _keys(change: Change) -> list:
    return [p for p in change.path if not isinstance(p, int)]


def _in(change: Change, *parts: Any) -> bool:
    """The path holds these keys in a row (list indexes skipped)."""
    keys, n = _keys(change), len(parts)
    return any(tuple(keys[i:i + n]) == parts for i in range(len(keys) - n + 1))


def _field(change: Change) -> Any:
    """The last key of the path (for a list item, the list's key)."""
    keys = _keys(change)
    return keys[-1] if keys else None


def _annotation_key(change: Change) -> str:
    keys = _keys(change)
    if len(keys) >= 3 and keys[-3:-1] == ["metadata", "annotations"]:
        return as_str(keys[-1])
    return ""


def _container_index(change: Change) -> tuple[str, int] | None:
    for i, part in enumerate(change.path[:-1]):
        if part in ("containers", "initContainers") and isinstance(change.path[i + 1], int):
            return part, change.path[i + 1]
    return None


def _value(change: Change) -> Any:
    return change.after if change.kind == ADDED else change.before


# -- metadata

def _app_label(c: Change, p: Pair) -> bool:
    return c.path == ("metadata", "labels", "app") and c.kind in (ADDED, REWRITTEN) and c.after == p.pod_name


def _labels_lost(c: Change, p: Pair) -> bool:
    return c.kind == LOST and (_in(c, "metadata", "labels") or c.path[-1:] == ("labels",))


def _per_container_copy(key: str, p: Pair) -> bool:
    return any(key.endswith("/" + name) for name in p.renames.values() if name)


def _annotations(c: Change, p: Pair) -> bool:
    key = _annotation_key(c)
    if key:
        return (c.kind == ADDED and _per_container_copy(key, p)) or c.kind == LOST
    if c.path[-1:] == ("annotations",) and c.kind == ADDED:
        return all(_per_container_copy(k, p) or k in (USERNS_ANNOTATION, BIND_MOUNT_OPTIONS) for k in as_dict(c.after))
    return c.path[-1:] == ("annotations",) and c.kind == LOST




# -- workloads

WORKLOAD_FIELDS = ("replicas", "selector", "strategy", "updateStrategy", "minReadySeconds", "revisionHistoryLimit",
                   "progressDeadlineSeconds", "paused", "backoffLimit", "completions", "parallelism",
                   "activeDeadlineSeconds", "ttlSecondsAfterFinished", "completionMode", "suspend", "manualSelector",
                   "podFailurePolicy", "template")


def _flattened(c: Change, p: Pair) -> bool:
    if p.spec_path == ("spec",):
        return False
    if c.path in (("kind",), ("apiVersion",)) and c.kind == REWRITTEN:
        return True
    if c.path == ("metadata", "name") and c.kind == RENAMED:
        return re.fullmatch(re.escape(as_str(c.before)) + r"-pod(-\d+)?", as_str(c.after)) is not None
    if len(c.path) == 2 and c.path[0] == "spec" and c.kind == LOST and c.path[1] in WORKLOAD_FIELDS:
        return True
    return c.kind == LOST and _in(c, "template", "metadata")


# -- containers

def _container_name(c: Change, p: Pair) -> bool:
    if _last(c) != "name" or c.kind != RENAMED or _container_index(c) is None or len(c.path) != \
            _path_len_to_container(c) + 1:
        return False
    before = as_str(c.before).replace("_", "")
    return as_str(c.after) in (f"{p.pod_name}-{before}", before)


def _path_len_to_container(c: Change) -> int:
    for i, part in enumerate(c.path[:-1]):
        if part in ("containers", "initContainers") and isinstance(c.path[i + 1], int):
            return i + 2
    return -1


def _unnamed(c: Change, p: Pair) -> bool:
    return c.kind == ADDED and _last(c) == "name" and _container_index(c) is not None and \
        len(c.path) == _path_len_to_container(c) + 1


def _image_of(c: Change, p: Pair):
    ref = as_str(_container_of(c, p).get("image"))
    for image in p.images:
        if ref in image.names:
            return image
    return None


def _image_default(c: Change, p: Pair) -> bool:
    """A value equal to the image's: generate leaves it out."""
    image = _image_of(c, p)
    if image is None or c.kind != LOST:
        return False
    if _last(c) == "workingDir":
        return c.before == image.working_dir
    return False


def _image_command(c: Change, p: Pair) -> bool:
    return _last(c) in ("command", "args") and c.kind in (ADDED, LOST) and _container_index(c) is not None


def _expanded(c: Change, p: Pair) -> bool:
    return c.kind == REWRITTEN and _field(c) in ("command", "args") and "$" in as_str(c.before)


# -- env

def _aux_keys(p: Pair) -> set[str]:
    return {k for data in p.aux.values() for k in data}


def _env_inlined(c: Change, p: Pair) -> bool:
    if _field(c) == "envFrom" and c.kind == LOST:
        return True
    if not _in(c, "env"):
        return False
    if c.kind == LOST and _last(c) == "valueFrom":
        return True
    if c.kind == ADDED and _last(c) == "value":
        return True
    if c.kind == ADDED and (isinstance(c.after, dict) or _last(c) == "env"):  # variables envFrom set
        added = c.after if isinstance(c.after, list) else [c.after]
        return bool(_container_of(c, p).get("envFrom")) or all(as_str(as_dict(e).get("name")) in _aux_keys(p)
                                                                  for e in added)
    return c.kind == REWRITTEN and _last(c) == "value" and _env_name(c, p) in _aux_keys(p)


def _container_of(c: Change, p: Pair) -> dict:
    """The original container a change is in ({} when it is in none)."""
    end = _path_len_to_container(c)
    if end < 0:
        return {}
    value: Any = p.before
    for part in c.path[:end]:
        value = value[part] if isinstance(value, (dict, list)) and (isinstance(value, list) and isinstance(
            part, int) and part < len(value) or isinstance(value, dict) and part in value) else {}
    return as_dict(value)


def _env_name(c: Change, p: Pair) -> str:
    """The variable a change under env[i] is about, in the original document."""
    value: Any = p.before
    for part in c.path:
        if isinstance(value, (dict, list)):
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return ""
            if isinstance(value, dict) and "name" in value and part != "valueFrom":
                name = as_str(value.get("name"))
        else:
            return ""
    return locals().get("name", "")


def _env_dropped(c: Change, p: Pair) -> bool:
    """A reference that resolved to nothing (optional and missing, a label that is not there) or an empty value."""
    if c.kind != LOST or _field(c) != "env" or not isinstance(c.before, dict):
        return False
    return bool(c.before.get("valueFrom")) or c.before.get("value") in ("", None)


def _env_stringified(c: Change, p: Pair) -> bool:
    return c.kind == REWRITTEN and _last(c) == "value" and _in(c, "env") and not isinstance(c.before, str) and \
        c.after == (str(c.before).lower() if isinstance(c.before, bool) else str(c.before))


def _tty_term(c: Change, p: Pair) -> bool:
    value = c.after
    entries = value if isinstance(value, list) else [value]
    return c.kind == ADDED and _field(c) == "env" and all(as_dict(e).get("name") == "TERM" for e in entries)


# -- ports

def _ports_moved(c: Change, p: Pair) -> bool:
    """Ports belong to the pod in Podman: unpublished ones go, the rest come back on the first container."""
    if not _in(c, "ports") or _container_index(c) is None:
        return False
    section, index = _container_index(c)
    first = section == "containers" and index == 0
    if c.kind == ADDED:
        return first
    if c.kind == LOST:
        return True
    return c.kind == REWRITTEN and first and _last(c) == "hostPort"


def _hostport_filled(c: Change, p: Pair) -> bool:
    return c.kind == ADDED and _in(c, "ports") and _last(c) in ("hostPort", "containerPort")


def _port_name(c: Change, p: Pair) -> bool:
    return c.kind == LOST and _in(c, "ports") and _last(c) == "name"


def _protocol(c: Change, p: Pair) -> bool:
    if not (_in(c, "ports") and _last(c) == "protocol"):
        return False
    if c.kind == LOST:
        return as_str(c.before).upper() == "TCP"
    return c.kind == REWRITTEN and as_str(c.after) == as_str(c.before).upper()


# -- volumes

VOLUME_NAME = re.compile(r".+-host-\d+|.+-pvc|tmp-\d+|[a-z0-9][-a-z0-9.]*")


def _volume_renamed(c: Change, p: Pair) -> bool:
    return c.kind == RENAMED and _last(c) == "name" and (_in(c, "volumes") or _in(c, "volumeMounts")) and \
        VOLUME_NAME.fullmatch(as_str(c.after)) is not None


def _hostpath_type(c: Change, p: Pair) -> bool:
    return c.kind in (ADDED, REWRITTEN) and _in(c, "hostPath", "type")


def _as_podman_volume(c: Change, p: Pair) -> bool:
    if not _in(c, "volumes"):
        return False
    if c.kind == LOST and _last(c) in ("configMap", "secret", "emptyDir", "sizeLimit"):
        return True
    return c.kind == ADDED and (_last(c) == "persistentVolumeClaim" or _in(c, "persistentVolumeClaim", "readOnly"))


def _volume_split(c: Change, p: Pair) -> bool:
    """A hostPath mounted by several containers comes back once per container mount index."""
    if c.kind != ADDED or _field(c) != "volumes" or not isinstance(c.after, dict):
        return False
    path = as_str(as_dict(c.after.get("hostPath")).get("path"))
    return bool(path) and any(as_str(as_dict(as_dict(v).get("hostPath")).get("path")) == path
                              for v in as_list(as_dict(pod_spec(p.before)).get("volumes")))


def _tmpfs_split(c: Change, p: Pair) -> bool:
    """A Memory emptyDir mounted by several containers comes back once per container mount index."""
    if c.kind != ADDED or _field(c) != "volumes" or not isinstance(c.after, dict):
        return False
    memory = {"medium": "Memory"}
    return c.after.get("emptyDir") == memory and any(
        as_dict(as_dict(v).get("emptyDir")).get("medium") == "Memory"
        for v in as_list(as_dict(pod_spec(p.before)).get("volumes")))


def _volume_dropped(c: Change, p: Pair) -> bool:
    """A volume merged into another of the same source, or an optional one that did not exist: gone with its mount."""
    if c.kind != LOST or not isinstance(c.before, dict):
        return False
    if _field(c) == "volumes":
        return True
    return _field(c) == "volumeMounts"


def _mounted_volume(c: Change, p: Pair) -> dict:
    """The original volume a change under volumeMounts[i] is about ({} when unknown)."""
    keys = list(c.path)
    if "volumeMounts" not in keys:
        return {}
    i = keys.index("volumeMounts")
    mounts = as_list(_container_of(c, p).get("volumeMounts"))
    index = keys[i + 1] if i + 1 < len(keys) and isinstance(keys[i + 1], int) else None
    if index is None or index >= len(mounts):
        return {}
    name = as_str(as_dict(mounts[index]).get("name"))
    return next((as_dict(v) for v in as_list(as_dict(pod_spec(p.before)).get("volumes"))
                 if as_dict(v).get("name") == name), {})


def _mount_options(c: Change, p: Pair) -> bool:
    if _annotation_key(c) == BIND_MOUNT_OPTIONS and c.kind == ADDED:
        return True
    if not _in(c, "volumeMounts"):
        return False
    if c.kind == LOST and _last(c) == "readOnly":  # a Memory emptyDir is a tmpfs, mounted without options
        return as_dict(_mounted_volume(c, p).get("emptyDir")).get("medium") == "Memory"
    if c.kind == LOST and _last(c) in ("subPath", "mountPropagation", "readonly", "subPathExpr"):
        return True
    if c.kind == ADDED and _last(c) == "readOnly":
        return True
    if _annotation_key(c) == BIND_MOUNT_OPTIONS and c.kind == ADDED:
        return True
    return c.kind == REWRITTEN and _last(c) == "mountPath" and as_str(c.before).split(":", 1)[0] == c.after


# -- security, resources, probes

def _capabilities(c: Change, p: Pair) -> bool:
    if _in(c, "securityContext", "capabilities"):
        return True
    return c.kind in (ADDED, LOST) and _last(c) == "securityContext" and \
        set(as_dict(_value(c))) <= {"capabilities", "seLinuxOptions", "runAsUser", "runAsGroup", "procMount",
                                    "runAsNonRoot"}


def _security_defaults(c: Change, p: Pair) -> bool:
    if not _in(c, "securityContext"):
        return False
    if c.kind == LOST and _last(c) in ("allowPrivilegeEscalation", "privileged", "readOnlyRootFilesystem"):
        return True  # Podman writes these only when they differ from its defaults
    return _last(c) in ("procMount", "seLinuxOptions", "runAsUser", "runAsGroup", "runAsNonRoot") or \
        _in(c, "seLinuxOptions")


def _resources(c: Change, p: Pair) -> bool:
    if not _in(c, "resources"):
        return False
    if c.kind == LOST and (_in(c, "requests") or _last(c) == "requests"):
        return True
    return c.kind == REWRITTEN and _in(c, "limits")


def _probe(c: Change, p: Pair) -> bool:
    return c.kind == LOST and _last(c) in ("livenessProbe", "readinessProbe", "startupProbe", "lifecycle")


# -- pod

PODMAN_43_FIELDS = {"enableServiceLinks": False, "automountServiceAccountToken": False, "status": {},
                    "resources": {}}


def _podman43_fields(c: Change, p: Pair) -> bool:
    field_name = _last(c)
    if field_name in PODMAN_43_FIELDS and _value(c) == PODMAN_43_FIELDS[field_name]:
        return c.kind in (ADDED, LOST)
    return field_name == "hostname" and c.kind in (ADDED, LOST) and _value(c) in (p.pod_name, as_str(
        as_dict(p.before.get("metadata")).get("name")))


def _not_written(c: Change, p: Pair) -> bool:
    return c.kind == LOST and _last(c) in ("imagePullPolicy", "stdin", "stdinOnce", "securityContext", "hostPID",
                                           "hostIPC", "terminationGracePeriodSeconds", "dnsPolicy")


def _dns_option_value(c: Change, p: Pair) -> bool:
    return c.kind == ADDED and _in(c, "dnsConfig", "options") and _last(c) == "value" and c.after == ""


def _host_network_hostname(c: Change, p: Pair) -> bool:
    spec = as_dict(pod_spec(p.before))
    return c.kind in (REWRITTEN, ADDED, LOST) and _last(c) == "hostname" and spec.get("hostNetwork") is True


def pod_spec(doc: dict) -> Any:
    value: Any = doc
    for part in POD_SPEC_PATHS.get(as_str(doc.get("kind")), ("spec",)):
        value = as_dict(value).get(part)
    return value


REWRITES: tuple[Rewrite, ...] = (
    Rewrite("creation-timestamp", "generate stamps metadata.creationTimestamp with the time it runs",
            "5.4.2/pod-sidecar", lambda c, p: _last(c) == "creationTimestamp"),
    Rewrite("app-label", "generate labels the pod `app: <pod name>`", "5.4.2/pod-sidecar", _app_label),
    Rewrite("labels-lost", "generate writes no pod label but `app` (play put the labels on the pod and on every "
            "container; generate does not read them back)", "5.4.2/labels", _labels_lost),
    Rewrite("annotations-per-container", "play copies the pod's annotations, and its own (SandboxID, the health "
            "check marker; Podman 4.3 also ContainerType and FALSE flags), into every container; generate writes "
            "each container's back as `<key>/<container>`, and the pod-level key is gone", "5.4.2/pod-sidecar",
            _annotations),
    Rewrite("userns-annotation", "Podman 5 generate records the pod's user namespace as "
            "io.podman.annotations.userns", "5.4.2/annotations-podman",
            lambda c, p: _annotation_key(c) == USERNS_ANNOTATION and c.kind == ADDED),
    Rewrite("workload-flattened", "play makes one pod of a Deployment, DaemonSet or Job, named `<name>-pod` "
            "(Podman 4.3: `<name>-pod-0`, a pod per replica); generate writes a Pod: kind, apiVersion, selector, "
            "replicas, strategy and the template's metadata go", "5.4.2/deployment", _flattened),
    Rewrite("replica-pods", "Podman 4.3 plays each replica of a Deployment as its own pod, and generate writes "
            "them all", "4.3.1/deployment", lambda c, p: False),
    Rewrite("container-name-prefix", "play names each container `<pod>-<name>`; generate writes that name back "
            "(Podman 5 drops underscores)", "5.4.2/pod-sidecar", _container_name),
    Rewrite("unnamed-container", "play gives a container without a name one of its own", "5.4.2/pod-unnamed-container",
            _unnamed),
    Rewrite("restart-policy-written", "generate writes the pod's restart policy, `Always` when none was given",
            "5.4.2/pod-sidecar", lambda c, p: _last(c) == "restartPolicy" and _container_index(c) is None),
    Rewrite("defaults-written", "generate writes default values: `resources: {}` on init containers (Podman 4.3 "
            "on every container), and Podman 4.3 also `enableServiceLinks: false`, "
            "`automountServiceAccountToken: false`, `status: {}` and the pod's hostname", "4.3.1/pod-sidecar",
            _podman43_fields),
    Rewrite("empty-security-context", "Podman 5 generate writes `securityContext: {}` for a container whose "
            "image sets a user or capabilities it had to compare", "5.4.2/pod-sidecar",
            lambda c, p: c.kind == ADDED and _last(c) == "securityContext" and c.after == {}),
    Rewrite("image-command-written", "play runs the image's entrypoint and command when the YAML gives none, and "
            "generate writes what differs from the image: command and args can appear, move or go",
            "5.4.2/cmd-none", _image_command),
    Rewrite("image-defaults", "generate leaves out what equals the image's own (its working directory)",
            "5.4.2/roundtrip-image-defaults", _image_default),
    Rewrite("variables-expanded", "Podman 5 play expands `$(VAR)` (and `$$`) in command and args; generate "
            "writes the expanded words", "5.4.2/cmd-expansion", _expanded),
    Rewrite("tty-term", "play sets TERM=xterm in a container with a tty; generate writes it", "5.4.2/tty-stdin",
            _tty_term),
    Rewrite("env-inlined", "play resolves valueFrom and envFrom into plain values (envFrom last, so it wins over "
            "env; its prefix is ignored); generate writes the values", "5.4.2/envfrom", _env_inlined),
    Rewrite("env-dropped", "play drops optional references it cannot resolve, and generate leaves out variables "
            "with empty values", "5.4.2/env-configmap", _env_dropped),
    Rewrite("env-stringified", "Podman reads a number or boolean given as an env value as a string",
            "5.4.2/env-values", _env_stringified),
    Rewrite("host-port-filled", "Podman 4.3 publishes every containerPort on the same host port (Podman 5 with "
            "--publish-all); a hostPort alone publishes the same container port", "4.3.1/ports-container-only",
            _hostport_filled),
    Rewrite("port-name-lost", "Podman keeps no port names", "5.4.2/pod-sidecar", _port_name),
    Rewrite("port-protocol-normalized", "generate writes TCP as nothing and other protocols in upper case",
            "5.4.2/ports-protocols", _protocol),
    Rewrite("ports-on-first-container", "ports belong to the pod in Podman: only published ones exist (Podman 5: "
            "those with a hostPort; init containers' never), and generate writes them all on the first container",
            "5.4.2/pod-sidecar", _ports_moved),
    Rewrite("volume-renamed", "generate names volumes after their source: `<path>-host-<n>` for a hostPath, "
            "`<claim>-pvc` for a Podman volume, `tmp-<n>` for a tmpfs", "5.4.2/vol-hostpath", _volume_renamed),
    Rewrite("hostpath-type-set", "generate sets a hostPath's type from what exists on the host after play (which "
            "creates DirectoryOrCreate and FileOrCreate paths)", "5.4.2/vol-hostpath-create", _hostpath_type),
    Rewrite("volume-as-podman-volume", "play makes a ConfigMap, Secret or emptyDir volume a Podman volume; "
            "generate writes it as a persistentVolumeClaim of that volume (readOnly when a container mounts it so); "
            "an emptyDir's sizeLimit goes", "5.4.2/vol-configmap", _as_podman_volume),
    Rewrite("volume-split", "generate names a hostPath volume after the container's mount index, so one source "
            "mounted by several containers at different positions comes back as several volumes",
            "5.4.2/roundtrip-hostpath-split", _volume_split),
    Rewrite("tmpfs-split", "Podman 5 generate names a Memory emptyDir `tmp-<n>` after the container's mount "
            "index, so one mounted by several containers at different positions comes back as several volumes",
            "5.4.2/roundtrip-tmpfs-split", _tmpfs_split),
    Rewrite("volume-dropped", "volumes of one source become one Podman volume, and an optional ConfigMap or "
            "Secret that does not exist is not mounted: the extra volumes and their mounts go",
            "5.4.2/vol-configmap", _volume_dropped),
    Rewrite("mount-options-dropped", "generate keeps a mount's path and read-only flag only: subPath, propagation "
            "and `:options` in the path go (SELinux options move to the bind-mount-options annotation); a Memory "
            "emptyDir is mounted as a tmpfs without options, read-only or not",
            "5.4.2/vol-mount-options", _mount_options),
    Rewrite("capabilities-diffed", "generate writes capabilities as the difference from Podman's default set, "
            "with CAP_ prefixes (`drop: [ALL]` becomes the list of defaults)", "5.4.2/security-caps", _capabilities),
    Rewrite("security-defaults", "generate leaves out security settings equal to Podman's defaults, and what it "
            "cannot read back (procMount on 4.3, SELinux user and role, a pod-level context, which it writes per "
            "container)", "5.4.2/security-flags", _security_defaults),
    Rewrite("resources-canonical", "generate writes only the CPU and memory limits, in canonical units; requests "
            "go", "5.4.2/resources", _resources),
    Rewrite("probes-lost", "play turns liveness and startup probes into health checks, ignores readiness probes "
            "and lifecycle hooks, and generate writes no health check back", "5.4.2/probes", _probe),
    Rewrite("native-sidecar-lost", "Podman has no container restartPolicy: a native sidecar comes back as a plain "
            "init container", "5.4.2/native-sidecar",
            lambda c, p: _last(c) == "restartPolicy" and _container_index(c) is not None and c.kind == LOST),
    Rewrite("not-written", "fields play ignores or that generate does not write (imagePullPolicy, stdin, "
            "stdinOnce, the pod's securityContext, hostPID, hostIPC, terminationGracePeriodSeconds, dnsPolicy)",
            "5.4.2/namespaces-host", _not_written),
    Rewrite("host-aliases", "play adds hostAliases as /etc/hosts entries of the pod; generate writes them back "
            "grouped by address", "5.4.2/host-aliases", lambda c, p: _in(c, "hostAliases")),
    Rewrite("dns-option-value", "Podman 5 generate writes `value: \"\"` for a DNS option without a value",
            "5.4.2/dns-config", _dns_option_value),
    Rewrite("host-network-hostname", "a hostNetwork pod takes the host's hostname (Podman 5)",
            "5.4.2/host-network", _host_network_hostname),
)


BY_ID = {r.id: r for r in REWRITES}


NAMED = ("containers", "initContainers", "volumes", "volumeMounts")


def _renamed(change: Change) -> Change:
    """A name that changed is a rename: of the object (metadata.name), a container or a volume."""
    if change.kind == REWRITTEN and _last(change) == "name" and (
            change.path == ("metadata", "name") or any(_in(change, key) for key in NAMED)):
        return replace(change, kind=RENAMED)
    return change


def explain(changes: Iterable[Change], pair: Pair) -> list[Change]:
    """Each change with the id of the first rewrite that accounts for it ("" when none does)."""
    out = []
    for change in map(_renamed, changes):
        rewrite = next((r.id for r in REWRITES if r.explains(change, pair)), "")
        out.append(replace(change, rewrite=rewrite))
    return out


# --- documents -----------------------------------------------------------------------------

AUX_KINDS = ("ConfigMap", "Secret")


def pair_documents(before: list[dict], after: list[dict], images: tuple = ()) -> tuple[list[Pair], list[Change]]:
    """Workloads paired in order; what has no counterpart is a whole document lost or added."""
    aux = {}
    for doc in before:
        kind = as_str(doc.get("kind"))
        if kind in AUX_KINDS:
            data = dict(as_dict(doc.get("data")))
            data.update(as_dict(doc.get("stringData")))
            aux[(kind, as_str(as_dict(doc.get("metadata")).get("name")))] = data
    ours = [(i, d) for i, d in enumerate(before) if as_str(d.get("kind")) in WORKLOADS]
    theirs = [d for d in after if as_str(d.get("kind")) in WORKLOADS]
    pairs = [Pair(d, theirs[n], i, aux=aux, images=images) for n, (i, d) in enumerate(ours) if n < len(theirs)]
    extra: list[Change] = []
    for n, (i, d) in enumerate(ours):
        if n >= len(theirs):
            extra.append(Change(LOST, (), d, None, i))
    claims_after = {as_str(as_dict(d.get("metadata")).get("name")): d for d in after
                    if as_str(d.get("kind")) == "PersistentVolumeClaim"}
    for i, d in enumerate(before):
        kind = as_str(d.get("kind"))
        if kind == "PersistentVolumeClaim" and as_str(as_dict(d.get("metadata")).get("name")) in claims_after:
            changes: list[Change] = []
            diff(d, claims_after[as_str(as_dict(d.get("metadata")).get("name"))], (), changes, i)
            extra.extend(replace(c, rewrite="claim-regenerated") for c in changes)
        elif kind not in WORKLOADS:
            extra.append(Change(LOST, (), d, None, i, "consumed" if kind in AUX_KINDS + ("PersistentVolumeClaim",)
                                else "not-played"))
    for d in theirs[len(ours):]:
        extra.append(Change(ADDED, (), None, d, len(before), "replica-pods"))
    return pairs, extra


def manifest_changes(before: list[dict], after: list[dict], images: tuple = ()) -> list[Change]:
    """Every change from the original documents to the round-tripped ones, each explained where Podman's rules
    explain it."""
    pairs, extra = pair_documents(before, after, images)
    changes = []
    for pair in pairs:
        changes.extend(explain(diff_pair(pair), pair))
    return changes + extra


DOCUMENT_REWRITES = {
    "claim-regenerated": "play makes a Podman volume of a PersistentVolumeClaim; generate writes a claim for the "
                         "volume with Podman's volume options as annotations and a default storage request",
    "consumed": "play consumes ConfigMaps, Secrets and PersistentVolumeClaims into the pod's environment and "
                "volumes; generate writes no such document back",
    "not-played": "play skips this kind, so nothing of it comes back",
}


def describe(rewrite: str) -> str:
    """What Podman does, for a rewrite id."""
    if rewrite in BY_ID:
        return BY_ID[rewrite].podman
    return DOCUMENT_REWRITES.get(rewrite, "")


_ID = re.compile(r"\b[0-9a-f]{64}\b")


# --- snapshots: generate, then play ------------------------------------------------------------

def _ports(ports) -> list[tuple]:
    return sorted({(p.host_ip if p.host_ip not in ("0.0.0.0",) else "", p.host_port, p.container_port,
                    p.protocol) for p in ports})


DEFAULT_MOUNT_OPTIONS = {"rbind", "bind", "rprivate", "private", "rw", "nosuid", "nodev", "tmpcopyup"}


def _mounts(mounts) -> dict:
    """Mounts by destination, without the options Podman adds to every mount."""
    return {m.destination: {"type": m.type, "source": m.source, "read_only": m.read_only or "ro" in m.options,
                            "options": sorted(set(m.options) - DEFAULT_MOUNT_OPTIONS - {"ro"})} for m in mounts}


def _selinux(c) -> list[str]:
    """SELinux label parts, wherever the model keeps them (play: selinux_opts; inspect: label= security options)."""
    options = list(c.selinux_opts) + [o for o in c.security_opt if o.startswith("label=")]
    parts = set()
    for option in options:
        parts.update(p.removeprefix("label=") for p in re.split(r",(?=label=)", option) if ":" in p)
    return sorted(parts)


def _cpus(c) -> int:
    """The CPU limit in thousandths of a CPU: quota and period are only a way to write it."""
    return c.cpu_quota * 1000 // c.cpu_period if c.cpu_period else 0


def _env(env: list[str]) -> dict:
    return dict(e.split("=", 1) if "=" in e else (e, "") for e in env)


POD_FIELDS: dict[str, Callable] = {
    "labels": lambda p: dict(p.labels), "hostname": lambda p: p.hostname or p.name,
    "host_network": lambda p: p.host_network,
    "ports": lambda p: _ports(p.ports), "dns_servers": lambda p: list(p.dns_servers),
    "dns_search": lambda p: list(p.dns_search), "dns_options": lambda p: list(p.dns_options),
    "add_hosts": lambda p: sorted(p.add_hosts), "userns": lambda p: p.userns,
    "shared_namespaces": lambda p: sorted(p.shared_namespaces),
}
CONTAINER_FIELDS: dict[str, Callable] = {
    "name": lambda c: c.name, "image": lambda c: c.image, "init_type": lambda c: c.init_type,
    "argv": lambda c: list(c.entrypoint) + list(c.command), "env": lambda c: _env(c.env),
    "working_dir": lambda c: c.working_dir, "user": lambda c: c.user, "labels": lambda c: dict(c.labels),
    "restart_policy": lambda c: c.restart_policy or "no",
    "capabilities": lambda c: [] if c.privileged else sorted(c.capabilities),
    "privileged": lambda c: c.privileged, "read_only": lambda c: c.read_only,
    "no_new_privileges": lambda c: c.no_new_privileges, "memory": lambda c: c.memory,
    "memory_reservation": lambda c: c.memory_reservation, "cpus": _cpus,
    "cpu_shares": lambda c: c.cpu_shares, "mounts": lambda c: _mounts(c.mounts), "tty": lambda c: c.tty,
    "stdin": lambda c: c.stdin, "stop_timeout": lambda c: c.stop_timeout, "devices": lambda c: sorted(c.devices),
    "selinux": _selinux,
    "seccomp_profile": lambda c: c.seccomp_profile, "groups": lambda c: sorted(c.groups),
    "host_users": lambda c: c.host_users,
}


@dataclass(frozen=True)
class ModelRewrite:
    id: str
    podman: str
    fixture: str  # a captured generate scenario whose round trip shows it: "<Podman version>/<scenario>"
    fields: tuple[str, ...]  # the model fields (pod.<f> or container.<f>) it changes


MODEL_REWRITES: tuple[ModelRewrite, ...] = (
    ModelRewrite("container-name-prefix", BY_ID["container-name-prefix"].podman, "5.4.2/pod-sidecar",
                 ("container.name",)),
    ModelRewrite("init-type-lost", "generate writes no init container type; play makes every init container "
                 "`once` unless the pod's io.podman.annotations.init.container.type says otherwise",
                 "5.4.2/pod-init-always", ("container.init_type",)),
    ModelRewrite("labels-moved", "generate writes the pod label `app` only; play puts the pod's labels on the pod "
                 "and on every container", "5.4.2/pod-labels", ("pod.labels", "container.labels")),
    ModelRewrite("restart-policy-per-pod", "generate writes one restartPolicy for the pod (from the first "
                 "container); play gives it to every container, `no` to init containers", "5.4.2/pod-restart-container",
                 ("container.restart_policy",)),
    ModelRewrite("ports-published-only", "generate writes the pod's published ports on its first container (the "
                 "first init container when it has no other), and play publishes no init container's ports",
                 "5.4.2/pod-init-only", ("pod.ports",)),
    ModelRewrite("env-defaults", "generate leaves out the image's variables, Podman's defaults and empty values; "
                 "play adds the image's and Podman's back (and TERM=xterm with a tty)", "5.4.2/pod-env",
                 ("container.env",)),
    ModelRewrite("mount-options-dropped", BY_ID["mount-options-dropped"].podman, "5.4.2/pod-bind-relabel",
                 ("container.mounts",)),
    ModelRewrite("ulimits-pod-wide", "ulimits become one pod annotation that play applies to every container",
                 "5.4.2/pod-ulimit", ("container.ulimits",)),
    ModelRewrite("stdin-lost", "generate writes stdin but play ignores it", "5.4.2/pod-tty-stdin",
                 ("container.stdin",)),
    ModelRewrite("stop-timeout-default", "generate writes terminationGracePeriodSeconds only for a pod-wide "
                 "value; play gives it to every regular container", "5.4.2/pod-stop-timeout",
                 ("container.stop_timeout",)),
    ModelRewrite("security-not-written", "generate leaves out security settings it cannot express "
                 "(no-new-privileges, seccomp and SELinux labels beyond type/level/filetype, devices)",
                 "5.4.2/pod-selinux-type-disable",
                 ("container.no_new_privileges", "container.seccomp_profile", "container.selinux",
                  "container.devices", "container.capabilities", "container.privileged")),
    ModelRewrite("dns-option-value", "Podman 5 generate writes a DNS option without a value as `value: \"\"`, "
                 "which play turns into `<name>:`", "5.4.2/pod-dns-option-novalue", ("pod.dns_options",)),
    ModelRewrite("user-group-explicit", "generate writes runAsGroup 0 beside a runAsUser given without a group; "
                 "play runs the container as <uid>:0", "5.4.2/pod-user", ("container.user",)),
    ModelRewrite("userns-auto", "generate writes a private user namespace as `hostUsers: false`, which play makes "
                 "`auto`", "5.4.2/pod-userns-uidmap", ("pod.userns",)),
    ModelRewrite("namespaces-shared", "play makes a pod that shares ipc, net and uts (and pid with "
                 "shareProcessNamespace), whatever the original pod shared", "5.4.2/pod-share-ipc-only",
                 ("pod.shared_namespaces", "pod.hostname")),
)
MODEL_BY_FIELD = {f: r for r in MODEL_REWRITES for f in r.fields}


def _aligned(pod) -> list:
    """A pod's containers in the order generate writes them and play creates them: init, then regular."""
    ctrs = sorted((c for c in pod.containers if not c.is_infra), key=lambda c: c.created)
    return [c for c in ctrs if c.init_type] + [c for c in ctrs if not c.init_type]


def _chosen_ulimits(c) -> list[tuple]:
    """The ulimits the user set: Podman 4.3's inspect also lists the host's defaults, so a container made on the
    command line counts only those its create command names."""
    if not c.create_command:
        return sorted((u.name, u.soft, u.hard) for u in c.ulimits)
    named = set()
    for i, arg in enumerate(c.create_command):
        value = arg.split("=", 1)[1] if arg.startswith("--ulimit=") else (
            c.create_command[i + 1] if arg == "--ulimit" and i + 1 < len(c.create_command) else None)
        if value:
            named.add(value.split("=", 1)[0])
    return sorted((u.name, u.soft, u.hard) for u in c.ulimits if u.name in named)


def snapshot_changes(before_pods: list, after_pods: list) -> list[Change]:
    """What a pod lost or changed between the original snapshot and the pods play made of its generate output."""
    changes: list[Change] = []
    for n, pod in enumerate(before_pods):
        other = next((p for p in after_pods if p.name == pod.name), after_pods[n] if n < len(after_pods) else None)
        base = ("pods", pod.name)
        if other is None:
            changes.append(Change(LOST, base, pod.name, None, n))
            continue
        for name, get in POD_FIELDS.items():
            a, b = get(pod), get(other)
            if a != b:
                changes.append(_model_change(base + (name,), a, b, n, f"pod.{name}"))
        ours, theirs = _aligned(pod), _aligned(other)
        for i in range(max(len(ours), len(theirs))):
            if i >= len(theirs):
                changes.append(Change(LOST, base + ("containers", ours[i].name), ours[i].name, None, n))
                continue
            if i >= len(ours):
                changes.append(Change(ADDED, base + ("containers", theirs[i].name), None, theirs[i].name, n))
                continue
            for name, get in {**CONTAINER_FIELDS, "ulimits": _chosen_ulimits}.items():
                a, b = get(ours[i]), get(theirs[i])
                if a != b:
                    changes.append(_model_change(base + ("containers", ours[i].name, name), a, b, n,
                                                 f"container.{name}"))
    return changes


def _model_change(path: tuple, before: Any, after: Any, document: int, field_name: str) -> Change:
    rewrite = MODEL_BY_FIELD.get(field_name)
    kind = RENAMED if field_name == "container.name" else REWRITTEN
    return Change(kind, path, before, after, document, rewrite.id if rewrite else "")


# --- the round trips themselves -----------------------------------------------------------------

@dataclass
class RoundTrip:
    """What came back from a round trip through Podman, and every change on the way."""

    source: str  # "manifest" (play, then generate) or "snapshot" (generate, then play)
    podman_version: str
    changes: list[Change] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)  # the YAML that generate wrote on the way
    warnings: list[str] = field(default_factory=list)
    portable: bool = False  # the second half was generate --portable

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def unexplained(self) -> list[Change]:
        return [c for c in self.changes if not c.rewrite]

    def as_dict(self) -> dict:
        used = sorted({c.rewrite for c in self.changes if c.rewrite})
        return {"source": self.source, "portable": self.portable, "podman_version": self.podman_version,
                "changes": [c.as_dict() for c in self.changes],
                "rewrites": {r: describe(r) for r in used}, "warnings": list(self.warnings)}


def declared_host_paths(documents: Iterable[dict]) -> dict[str, str]:
    """What each hostPath source is after play, as the YAML declares it (play creates the *OrCreate ones)."""
    facts: dict[str, str] = {}
    stack: list[Any] = list(documents)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            source = item.get("hostPath")
            if isinstance(source, dict) and isinstance(source.get("path"), str):
                kind = as_str(source.get("type"))
                facts.setdefault(source["path"], "File" if kind in ("File", "FileOrCreate") else
                                 "Directory" if kind in ("Directory", "DirectoryOrCreate") else "")
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return facts


def manifest_round_trip(documents: list, options, profile, generate_type: str = "pod", images: tuple = (), *,
                        timestamp: str, portable: bool = False) -> RoundTrip:
    """play, then generate (or generate --portable); the changes from the original documents (Document objects,
    read in Podman's dialect)."""
    from kubebridge.model.podman import Image, Snapshot
    from kubebridge.translate.generate import GenerateOptions, generate
    from kubebridge.translate.play import play

    played = play(documents, options, profile)
    facts = {**declared_host_paths(d.data for d in documents), **(options.host_paths or {}),
             **played.created_paths}
    snapshot = Snapshot(pods=played.pods, volumes=played.volumes, images=list(images), host_paths=facts)
    for ctr in (c for pod in played.pods for c in pod.containers):
        if snapshot.find_image(ctr) is None:  # play took it as empty (and warned): generate does the same
            snapshot.images.append(Image(id="", names=(ctr.image,)))
    generated = generate(snapshot, GenerateOptions(type=generate_type, timestamp=timestamp), profile)
    warnings = list(played.warnings) + list(generated.warnings)
    output = generated.documents
    if portable:
        from kubebridge.translate.portable import make_portable
        output, more = make_portable(generated.chunks, snapshot, profile, generated.init_volumes)
        warnings += more
    originals = [d.data for d in documents if isinstance(d.data, dict)]
    changes = manifest_changes(originals, output, tuple(snapshot.images))
    return RoundTrip("manifest", profile.version, changes, output, warnings, portable)


def snapshot_round_trip(snapshot, options, profile, timestamp: str) -> RoundTrip:
    """generate, then play; the changes from the original pods."""
    from kubebridge.load.manifests import Document
    from kubebridge.translate.generate import GenerateOptions, generate
    from kubebridge.translate.play import play

    generated = generate(snapshot, GenerateOptions(timestamp=timestamp), profile)
    docs = [Document(d, "<generated>", i, 1) for i, d in enumerate(generated.documents)]
    played = play(docs, options, profile)
    changes = snapshot_changes(snapshot.pods, played.pods)
    return RoundTrip("snapshot", profile.version, changes, generated.documents,
                     list(generated.warnings) + list(played.warnings))
