"""The bundled Kubernetes JSON Schemas: one file per minor, compiled once, checked fast.

schemas/kubernetes/v1.NN.json holds, for one Kubernetes minor, the kinds
kubebridge checks and the definitions they reach (regenerated from a pinned
kubernetes-validate wheel by schemas/regenerate_kubernetes.py), plus the list
of kinds that minor serves.  Strict mode is derived here, the way
openapi2jsonschema derives it: `additionalProperties: false` on every object
schema that lists properties.

Validation has two speeds.  compiled_kind() turns a schema into plain Python
closures that only answer "valid or not"; most documents are valid, so that is
all they cost.  For a document that fails, errors() walks the schema again and
words every error as jsonschema does.  tests/test_check_schema.py holds both to
jsonschema itself, and the verdicts to kubernetes-validate's.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator

from kubebridge.errors import UsageError
from kubebridge.load.shape import schemas_dir, type_check

Check = Callable[[Any], bool]

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?$")


# ---------------------------------------------------------------- versions

@lru_cache(maxsize=1)
def _index() -> dict:
    """{"versions": ["1.25", ...], "groups": [...]}: what is bundled, and Kubernetes' own API groups."""
    with open(schemas_dir() / "kubernetes" / "index.json", encoding="utf-8") as f:
        return json.load(f)


def bundled_versions() -> tuple[str, ...]:
    """The Kubernetes minors with a bundled schema, oldest first ("1.25", ...)."""
    return tuple(_index()["versions"])


def builtin_groups() -> frozenset[str]:
    """API groups Kubernetes itself serves in some bundled minor; "" is the core group."""
    return frozenset(_index()["groups"])


@dataclass(frozen=True)
class VersionChoice:
    """The minor asked for, the bundled one used, and why they differ (if they do)."""

    requested: str
    used: str
    warning: str = ""


def choose_version(requested: str | None) -> VersionChoice:
    """The bundled minor for a requested "X.Y" ("vX.Y.Z" too); the nearest one when it is not bundled."""
    versions = bundled_versions()
    if not requested:
        return VersionChoice(versions[-1], versions[-1])
    match = _VERSION.match(requested.strip())
    if not match:
        raise UsageError(f"--kubernetes-version {requested!r}: expected a Kubernetes minor such as "
                         f"{versions[-1]}")
    want = (int(match[1]), int(match[2]))
    asked = f"{want[0]}.{want[1]}"
    if asked in versions:
        return VersionChoice(asked, asked)
    numeric = [tuple(int(p) for p in v.split(".")) for v in versions]
    nearest = min(numeric, key=lambda v: (abs((v[0] - want[0]) * 1000 + v[1] - want[1]), v))
    used = f"{nearest[0]}.{nearest[1]}"
    return VersionChoice(asked, used, f"Kubernetes {asked} has no bundled schema; checked against {used}, "
                                      f"the nearest bundled minor ({versions[0]} to {versions[-1]})")


@lru_cache(maxsize=None)
def load_version(version: str) -> dict:
    """{"kinds": {"apps/v1/Deployment": schema, ...}, "$defs": {...}, "served": ["apps/v1/Deployment", ...]}."""
    with open(schemas_dir() / "kubernetes" / f"v{version}.json", encoding="utf-8") as f:
        return json.load(f)


def kind_key(api_version: str, kind: str) -> str:
    return f"{api_version}/{kind}"


# ---------------------------------------------------------------- strict mode

def strict_variant(node: Any, _skip: bool = False) -> Any:
    """The schema with unknown fields forbidden, as openapi2jsonschema --strict makes it.

    Every object schema with `properties` and no `additionalProperties` gets
    `additionalProperties: false`; the names inside a `properties` map are not
    schemas, so they are not touched themselves.
    """
    if isinstance(node, dict):
        out = {key: strict_variant(value, key == "properties") for key, value in node.items()}
        if "properties" in node and "additionalProperties" not in node and not _skip:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [strict_variant(value) for value in node]
    return node


# ---------------------------------------------------------------- compiled checks

_SUPPORTED = {"type", "$ref", "properties", "required", "items", "enum", "additionalProperties", "oneOf"}
_IGNORED = {"format", "$schema", "$id", "description", "title"}


class _Compiler:
    """Schema nodes -> closures; each definition compiled once, references tied lazily (they may recurse)."""

    def __init__(self, defs: dict, strict: bool):
        self.defs = defs
        self.strict = strict
        self.done: dict[str, Check] = {}

    def ref(self, target: str) -> Check:
        name = target.rsplit("/", 1)[-1]
        if name not in self.done:
            cell: list[Check] = []
            self.done[name] = lambda v: cell[0](v)  # a placeholder while it compiles (recursion)
            check = self.node(self.defs[name])
            cell.append(check)
            self.done[name] = check
        return self.done[name]

    def node(self, schema: dict) -> Check:
        unknown = set(schema) - _SUPPORTED - _IGNORED
        if unknown:
            raise ValueError(f"schema keywords the fast checker does not know: {sorted(unknown)}")
        parts: list[Check] = []
        if "$ref" in schema:
            parts.append(self.ref(schema["$ref"]))
        if "type" in schema:
            names = schema["type"]
            parts.append(type_check(names if isinstance(names, list) else [names]))
        if "enum" in schema:
            parts.append(_enum_check(schema["enum"]))
        if "oneOf" in schema:
            parts.append(_one_of([self.node(s) for s in schema["oneOf"]]))
        if {"properties", "required", "additionalProperties"} & set(schema):
            parts.append(self.object(schema))
        if "items" in schema:
            parts.append(_items(self.node(schema["items"])))
        if not parts:
            return _accept
        if len(parts) == 1:
            return parts[0]
        return _all(parts)

    def object(self, schema: dict) -> Check:
        props = {key: self.node(sub) for key, sub in schema.get("properties", {}).items()}
        required = tuple(schema.get("required", ()))
        extra = schema.get("additionalProperties", False if self.strict and "properties" in schema else None)
        if extra is False:
            return _object(props, required, None, closed=True)
        if isinstance(extra, dict):
            return _object(props, required, self.node(extra), closed=False)
        return _object(props, required, None, closed=False)


def _accept(v: Any) -> bool:
    return True


def _all(parts: list[Check]) -> Check:
    first, rest = parts[0], tuple(parts[1:])

    def check(v: Any) -> bool:
        if not first(v):
            return False
        for part in rest:
            if not part(v):
                return False
        return True
    return check


def _enum_check(values: list) -> Check:
    if all(isinstance(e, str) for e in values):
        allowed = frozenset(values)
        return lambda v: isinstance(v, str) and v in allowed
    return lambda v: any(_equal(v, e) for e in values)


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: true and 1 differ, 1 and 1.0 do not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b)


def _one_of(branches: list[Check]) -> Check:
    def check(v: Any) -> bool:
        return sum(1 for branch in branches if branch(v)) == 1
    return check


def _items(item: Check) -> Check:
    def check(v: Any) -> bool:
        if v.__class__ is list or isinstance(v, list):
            for x in v:
                if not item(x):
                    return False
        return True
    return check


def _object(props: dict[str, Check], required: tuple, extra: Check | None, closed: bool) -> Check:
    """Walks the instance's own keys, so a schema with fifty properties costs what the document holds."""
    get = props.get

    def check(v: Any) -> bool:
        if not (v.__class__ is dict or isinstance(v, dict)):
            return True
        for key in required:
            if key not in v:
                return False
        for key, x in v.items():
            sub = get(key)
            if sub is not None:
                if not sub(x):
                    return False
            elif closed:
                return False
            elif extra is not None and not extra(x):
                return False
        return True
    return check


@lru_cache(maxsize=None)
def compiled_kind(version: str, key: str, strict: bool) -> Check | None:
    """The fast check for one kind ("apps/v1/Deployment") in one minor, or None without a schema."""
    bundle = load_version(version)
    root = bundle["kinds"].get(key)
    if root is None:
        return None
    return _compiler(version, strict).node(root)


@lru_cache(maxsize=None)
def _compiler(version: str, strict: bool) -> _Compiler:
    return _Compiler(load_version(version)["$defs"], strict)


# ---------------------------------------------------------------- errors, in jsonschema's words

@dataclass(frozen=True)
class SchemaError:
    path: tuple  # into the instance
    message: str


def errors(version: str, key: str, strict: bool, instance: Any) -> Iterator[SchemaError]:
    """Every error in the document, worded as jsonschema words them; an unexpected field reported at itself.

    Only documents the fast check refused come here.  This is a plain
    interpreter of the few keywords the schemas use, written after jsonschema's
    own (so no jsonschema import and validator build at run time: 100 ms of a
    CI run); tests/test_check_schema.py holds it to jsonschema's output.
    """
    bundle = load_version(version)
    out: list[SchemaError] = []
    _explain(bundle["kinds"][key], instance, (), bundle["$defs"], strict, out)
    out.sort(key=lambda e: path_order(e.path))
    return iter(out)


def _valid(node: dict, instance: Any, defs: dict, strict: bool) -> bool:
    found: list[SchemaError] = []
    _explain(node, instance, (), defs, strict, found)
    return not found


def _explain(node: dict, instance: Any, path: tuple, defs: dict, strict: bool, out: list[SchemaError]) -> None:
    """jsonschema's iter_errors for our keywords: each keyword checked on its own, in the schema's order."""
    for keyword, value in node.items():
        if keyword == "$ref":
            _explain(defs[value.rsplit("/", 1)[-1]], instance, path, defs, strict, out)
        elif keyword == "type":
            types = value if isinstance(value, list) else [value]
            if not type_check(types)(instance):
                out.append(SchemaError(path, f"{instance!r} is not of type {', '.join(repr(t) for t in types)}"))
        elif keyword == "enum":
            if not _enum_check(value)(instance):
                out.append(SchemaError(path, f"{instance!r} is not one of {value!r}"))
        elif keyword == "required" and isinstance(instance, dict):
            for name in value:
                if name not in instance:
                    out.append(SchemaError(path, f"{name!r} is a required property"))
        elif keyword == "properties" and isinstance(instance, dict):
            for name, sub in value.items():
                if name in instance:
                    _explain(sub, instance[name], path + (name,), defs, strict, out)
        elif keyword == "items" and isinstance(instance, list):
            for i, item in enumerate(instance):
                _explain(value, item, path + (i,), defs, strict, out)
        elif keyword == "oneOf":
            _one_of_errors(value, instance, path, defs, strict, out)
        elif keyword == "additionalProperties":
            _extra_errors(node, value, instance, path, defs, strict, out)
    if strict and "properties" in node and "additionalProperties" not in node:
        _extra_errors(node, False, instance, path, defs, strict, out)


def _extra_errors(node: dict, rule: Any, instance: Any, path: tuple, defs: dict, strict: bool,
                  out: list[SchemaError]) -> None:
    if not isinstance(instance, dict):
        return
    known = node.get("properties", {})
    extras = [k for k in instance if k not in known]
    if isinstance(rule, dict):
        for name in extras:
            _explain(rule, instance[name], path + (name,), defs, strict, out)
    elif rule is False:
        for name in sorted(extras, key=str):  # one finding per field, placed at the field
            out.append(SchemaError(path + (name,), f"Additional properties are not allowed ({name!r} was unexpected)"))


def _one_of_errors(branches: list, instance: Any, path: tuple, defs: dict, strict: bool,
                   out: list[SchemaError]) -> None:
    valid = [i for i, branch in enumerate(branches) if _valid(branch, instance, defs, strict)]
    if not valid:
        out.append(SchemaError(path, f"{instance!r} is not valid under any of the given schemas"))
    elif len(valid) > 1:  # jsonschema names the later valid branches, then the first
        reprs = ", ".join(repr(branches[i]) for i in valid[1:] + valid[:1])
        out.append(SchemaError(path, f"{instance!r} is valid under each of {reprs}"))


def path_order(path) -> tuple:
    """A sort key for JSON paths that mix list indexes and field names."""
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path)


@lru_cache(maxsize=None)
def served(version: str) -> frozenset[str]:
    """Every "apiVersion/Kind" the minor's API serves (with or without a bundled schema)."""
    return frozenset(load_version(version)["served"])
