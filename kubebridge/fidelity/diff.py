"""Lining the two sides of a round trip up, and every change between them (added, lost, renamed, rewritten) with its path.

Containers pair by position, env by name, ports by number and protocol, mounts by path, volumes through
the mounts that use them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from kubebridge.load.manifests import json_path
from kubebridge.model.manifest import POD_SPEC_PATHS, as_dict, as_list, as_str

ADDED, LOST, RENAMED, REWRITTEN = "added", "lost", "renamed", "rewritten"


@dataclass(frozen=True)
class Change:
    """One difference a round trip made, at `path`: `before` in the original, `after` in what came back,
    explained by the REWRITES entry `rewrite` ("" when none does)."""

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
