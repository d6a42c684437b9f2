"""Removed and deprecated APIs: whether a minor still serves an apiVersion/kind, and what replaces it.

Served or not is the bundled schemas' word for every bundled minor (index.json's
first and last minor of each apiVersion/kind); schemas/kubernetes/api-removals.json,
kept by hand from Kubernetes' deprecation guide, adds what was removed before
1.25 and the apiVersions the guide recommends.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kubebridge.checks.schema import bundle_index, bundled_versions, kind_key, served
from kubebridge.load.shape import schemas_dir


@lru_cache(maxsize=1)
def builtin_kinds() -> frozenset[str]:
    """Every kind Kubernetes itself serves in some bundled minor, or served before them (the deprecation guide's)."""
    found = {key.rsplit("/", 1)[1] for key in bundle_index()["served"]}
    return frozenset(found | {key.rsplit("/", 1)[1] for key in _removals()})


@dataclass(frozen=True)
class ApiLifecycle:
    """An apiVersion/kind that the target minor no longer serves (removed) or serves for the last time (deprecated)."""

    removed: bool  # True: the target minor does not serve it; False: it does, and a later minor removes it
    minor: str  # the minor that stops serving it ("1.22")
    replacement: str = ""  # the apiVersion to move to ("" when there is none)
    advice: str = ""  # what to do when there is no replacement API
    replacement_from: str = ""  # the first bundled minor serving the replacement, when the target minor does not


@lru_cache(maxsize=1)
def _removals() -> dict[str, dict]:
    """schemas/kubernetes/api-removals.json (from Kubernetes' deprecation guide), by "apiVersion/Kind"."""
    with open(schemas_dir() / "kubernetes" / "api-removals.json", encoding="utf-8") as f:
        data = json.load(f)
    return {kind_key(api, kind): entry for entry in data["removals"] for api in entry["apiVersions"]
            for kind in entry["kinds"]}


def _minor_number(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def stability(api: str) -> tuple:
    """Sorts apiVersions from least to most preferred: alpha < beta < GA, then by number."""
    match = re.search(r"v(\d+)(?:(alpha|beta)(\d+))?$", api)
    if not match:
        return (0, 0, 0)
    level = {"alpha": 1, "beta": 2, None: 3}[match[2]]
    return (level, int(match[1]), int(match[3] or 0))


def served_span(key: str) -> tuple[str, str] | None:
    """The first and the last bundled minor serving "apiVersion/Kind" (an unbroken run), from index.json."""
    span = bundle_index()["served"].get(key)
    return (span[0], span[1]) if span else None


def _next_minor(version: str) -> str:
    versions = bundled_versions()
    return versions[versions.index(version) + 1]


def _serves(key: str, version: str) -> bool:
    """Whether a bundled minor serves "apiVersion/Kind", from index.json (no other minor's file is read)."""
    span = served_span(key)
    return span is not None and _minor_number(span[0]) <= _minor_number(version) <= _minor_number(span[1])


def _successor(api: str, kind: str, minors: list[str]) -> str:
    """The most stable other apiVersion of the same group serving kind in the first of minors that has one: a
    more stable one than api if any minor has one, else any."""
    group = api.rpartition("/")[0]
    same = [key.rsplit("/", 1)[0] for key in bundle_index()["served"] if key.rsplit("/", 1)[1] == kind]
    same = [a for a in same if a != api and a.rpartition("/")[0] == group]
    better = [a for a in same if stability(a) > stability(api)]  # never advise a move from beta to alpha
    for candidates in (better, same):
        for version in minors:
            serving = [a for a in candidates if _serves(kind_key(a, kind), version)]
            if serving:
                return max(serving, key=lambda a: (stability(a), a))
    return ""


def _gone(key: str, version: str) -> bool:
    entry = _removals().get(key)
    return entry is not None and _minor_number(entry["removed"]) <= _minor_number(version)


def _replacement(key: str, version: str, seen: frozenset = frozenset()) -> tuple[str, str]:
    """(apiVersion, advice): the guide's first replacement the minor serves, following one removed in turn."""
    entry = _removals().get(key)
    if entry is None or key in seen:
        return "", ""
    kind = key.rsplit("/", 1)[1]
    for api in entry["use"]:
        if kind_key(api, kind) in served(version):
            return api, ""
    for api in entry["use"]:
        if _gone(kind_key(api, kind), version):
            found = _replacement(kind_key(api, kind), version, seen | {key})
            if found != ("", ""):
                return found
    current = [api for api in entry["use"] if not _gone(kind_key(api, kind), version)]
    return (current[0], "") if current else ("", entry.get("advice", ""))


@lru_cache(maxsize=None)
def api_lifecycle(version: str, key: str) -> ApiLifecycle | None:
    """Whether the minor no longer serves "apiVersion/Kind" (removed) or a later minor removes it (deprecated).

    Served or not is the bundled schemas' word for every bundled minor; the
    deprecation guide's table (api-removals.json) adds what was removed before
    1.25 and the apiVersions it recommends.  None: neither (current, or never a
    Kubernetes API).
    """
    api, _, kind = key.rpartition("/")
    entry = _removals().get(key)
    span = served_span(key)
    number = _minor_number(version)
    is_served = key in served(version)
    removed = ""
    if not is_served:
        if entry is not None and _minor_number(entry["removed"]) <= number:
            removed = entry["removed"]
        elif span and _minor_number(span[1]) < number:
            removed = _next_minor(span[1])
    elif entry is not None and _minor_number(entry["removed"]) > number:
        removed = entry["removed"]
    elif span and span[1] != bundled_versions()[-1]:
        removed = _next_minor(span[1])
    if not removed:
        return None
    replacement, advice = _replacement(key, version)
    if not replacement and not advice:  # not in the guide: the group's best apiVersion, now or at the removal
        replacement = _successor(api, kind, [version] + ([removed] if is_served else []))
    since = ""
    if replacement and kind_key(replacement, kind) not in served(version):
        since = (served_span(kind_key(replacement, kind)) or ("",))[0]
    return ApiLifecycle(not is_served, removed, replacement, advice, since)


@dataclass(frozen=True)
class Deprecated:
    """A kind Kubernetes deprecates with no release removing it yet: the API server warns on every request."""

    since: str  # the minor that deprecated it
    instead: str  # what to use ("" when nothing replaces it)
    source: str  # where Kubernetes says so


# +k8s:prerelease-lifecycle-gen:deprecated in k8s.io/api, which the API server turns into a warning header
DEPRECATED_KINDS = {
    "v1/Endpoints": Deprecated("1.33", "discovery.k8s.io/v1 EndpointSlice", "KEP-4974, core/v1 Endpoints"),
    "v1/ComponentStatus": Deprecated("1.19", "", "core/v1 ComponentStatus"),
}


@lru_cache(maxsize=None)
def deprecated_kind(version: str, key: str) -> Deprecated | None:
    """The deprecation of "apiVersion/Kind" when the minor is at or after it, else None."""
    entry = DEPRECATED_KINDS.get(key)
    return entry if entry is not None and _minor_number(version) >= _minor_number(entry.since) else None
