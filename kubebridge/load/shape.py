"""Checking input against kubebridge's own JSON Schemas, fast.

The schemas in schemas/ are the contract for what an input must look like.
jsonschema takes about a millisecond per container, too slow for big inputs,
so each schema is compiled here into plain Python checks (only the keywords our
schemas use; an unknown keyword is refused at compile time).  When a check
fails, jsonschema finds the errors and explain() words the deepest one in
kubebridge's own words (a path and message that do not change with
jsonschema's releases).  tests/test_shape.py proves the two checks agree.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

Check = Callable[[Any], bool]

_IGNORED = {"$schema", "$id", "title", "description", "$comment"}


def schemas_dir() -> Path:
    """The installed copy (kubebridge/schemas) or, in a source checkout, ../schemas."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "schemas"
    return installed if installed.is_dir() else package.parent / "schemas"


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    with open(schemas_dir() / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


_PY_TYPES = {"object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,), "integer": (int,),
             "number": (int, float), "null": (type(None),)}
_SUPPORTED = {"type", "properties", "required", "items", "additionalProperties", "propertyNames", "pattern",
              "minLength", "minimum", "enum"}


def type_check(names: list[str]) -> Check:
    """JSON Schema types: a bool is no integer; a float with no fraction is one."""
    exact = frozenset(t for n in names for t in _PY_TYPES[n])
    float_ints = "integer" in names and "number" not in names
    wants_bool = "boolean" in names
    wants_int = "integer" in names or "number" in names

    def slow(v: Any) -> bool:  # subclasses, as an API caller may pass them
        if isinstance(v, bool):
            return wants_bool
        if isinstance(v, int):
            return wants_int
        if isinstance(v, float):
            return "number" in names or (float_ints and v.is_integer())
        return any(isinstance(v, _PY_TYPES[n]) for n in names if n not in ("integer", "number", "boolean"))

    def check(v: Any) -> bool:
        t = type(v)
        if t in exact:
            return True
        if t is float and float_ints:
            return v.is_integer()
        if t is bool or t is int or t is float or t is str or t is dict or t is list or v is None:
            return False
        return slow(v)
    return check


def compile_schema(schema: dict | bool) -> Check:
    """A function that is true exactly when jsonschema would accept the instance."""
    if isinstance(schema, bool):  # true accepts anything, false nothing (additionalProperties: false)
        return (lambda v: True) if schema else (lambda v: False)
    unknown = set(schema) - _IGNORED - _SUPPORTED
    if unknown:
        raise ValueError(f"schema keywords not supported by the fast checker: {sorted(unknown)}")
    names = schema.get("type")
    type_ok = type_check(names if isinstance(names, list) else [names]) if names else None
    if type_ok is not None and set(schema) - _IGNORED == {"type"}:
        return type_ok  # a leaf: nothing but its type to check
    enum = schema.get("enum")
    min_length = schema.get("minLength")
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    minimum = schema.get("minimum")
    required = tuple(schema.get("required", ()))
    props = tuple((k, compile_schema(sub)) for k, sub in schema.get("properties", {}).items())
    extra = compile_schema(schema["additionalProperties"]) if "additionalProperties" in schema else None
    known = frozenset(schema.get("properties", ()))
    key_ok = compile_schema(schema["propertyNames"]) if "propertyNames" in schema else None
    item_ok = compile_schema(schema["items"]) if "items" in schema else None
    missing = object()

    def check(v: Any) -> bool:
        if type_ok is not None and not type_ok(v):
            return False
        if enum is not None and v not in enum:
            return False
        if isinstance(v, dict):
            for key in required:
                if key not in v:
                    return False
            for key, sub in props:
                x = v.get(key, missing)
                if x is not missing and not sub(x):
                    return False
            if extra is not None:
                for key, x in v.items():
                    if key not in known and not extra(x):
                        return False
            if key_ok is not None:
                for key in v:
                    if not key_ok(key):
                        return False
        elif isinstance(v, list):
            if item_ok is not None:
                for x in v:
                    if not item_ok(x):
                        return False
        elif isinstance(v, str):
            if min_length is not None and len(v) < min_length:
                return False
            if pattern is not None and pattern.search(v) is None:
                return False
        elif minimum is not None and isinstance(v, (int, float)) and not isinstance(v, bool) and v < minimum:
            return False
        return True
    return check


@lru_cache(maxsize=None)
def checker(name: str) -> Check:
    return compile_schema(load_schema(name))


def explain(name: str, instance: Any) -> tuple[str, str]:
    """Why an instance the fast check refused fails the schema: (JSON path, message), in kubebridge's words.

    jsonschema finds the errors; the deepest is reported (the first of them in
    the schema's order), with a path and a message written here from the
    error's keyword and values, so neither changes with jsonschema's releases.
    """
    from jsonschema import Draft202012Validator

    errors = list(Draft202012Validator(load_schema(name)).iter_errors(instance))
    if not errors:  # the two disagree: report it rather than hide it
        return "$", f"does not match the {name} schema"
    error = _deepest(errors)
    return inspect_path(error.absolute_path), _wording(error)


def _deepest(errors: list) -> Any:
    """The error deepest in the instance, following errors nested in anyOf/oneOf/propertyNames branches."""
    best = None
    for error in errors:
        inner = _deepest(list(error.context)) if error.context else None
        candidate = inner if inner is not None and len(inner.absolute_path) >= len(error.absolute_path) else error
        if best is None or len(candidate.absolute_path) > len(best.absolute_path):
            best = candidate
    return best


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def inspect_path(parts: Any) -> str:
    """$[0].HostConfig.PortBindings['80/tcp'][0].HostPort: a JSON path, keys that are not names in quotes."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out


_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean", "object": "object",
          "array": "array", "null": "null"}


def _wording(error: Any) -> str:
    """The message for one jsonschema error, from its keyword (the keywords schemas/ uses)."""
    keyword, value, instance = error.validator, error.validator_value, error.instance
    said = error.schema.get("description") if isinstance(error.schema, dict) else None
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        return f"{instance!r} is not of type {', '.join(repr(_TYPES.get(t, t)) for t in types)}"
    if keyword == "required":
        missing = [p for p in value if isinstance(instance, dict) and p not in instance]
        return f"{(missing or value)[0]!r} is a required property"
    if keyword == "minLength":
        return f"{instance!r} is shorter than {value} character{'s' * (value != 1)}"
    if keyword == "minimum":
        return f"{instance!r} is less than the minimum of {value}"
    if keyword == "pattern":
        return f"{instance!r} is not {said}" if said else f"{instance!r} does not match {value!r}"
    if keyword == "enum":
        return f"{instance!r} is not one of {', '.join(map(repr, value))}"
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = sorted(k for k in instance if k not in known)
        return f"unknown key{'s' * (len(extra) != 1)} {', '.join(map(repr, extra))}"
    return f"{instance!r} fails the schema's {keyword!r} rule"
