"""Checking input against kubebridge's own JSON Schemas, fast.

The schemas in schemas/ are the contract for what an input must look like.
jsonschema takes about a millisecond per container, too slow for big inputs,
so each schema is compiled here into plain Python checks (only the keywords our
schemas use; an unknown keyword is refused at compile time).  When a check
fails, jsonschema itself explains the failure, so the message and JSON path are
the reference implementation's.  tests/test_shape.py proves both agree.
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
    here = Path(__file__).resolve().parent
    installed = here / "schemas"
    return installed if installed.is_dir() else here.parent / "schemas"


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    with open(schemas_dir() / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


def _is_integer(v: Any) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())


_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integer,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def compile_schema(schema: dict) -> Check:
    """A function that is true exactly when jsonschema would accept the instance."""
    checks: list[Check] = []
    unknown = set(schema) - _IGNORED - {"type", "properties", "required", "items", "additionalProperties",
                                        "propertyNames", "pattern", "minLength", "minimum", "enum"}
    if unknown:
        raise ValueError(f"schema keywords not supported by the fast checker: {sorted(unknown)}")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        type_checks = [_TYPES[n] for n in names]
        checks.append(lambda v: any(t(v) for t in type_checks))
    if "enum" in schema:
        allowed = schema["enum"]
        checks.append(lambda v: v in allowed)
    if "minLength" in schema:
        n = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= n)
    if "pattern" in schema:
        rx = re.compile(schema["pattern"])
        checks.append(lambda v: not isinstance(v, str) or rx.search(v) is not None)
    if "minimum" in schema:
        low = schema["minimum"]
        checks.append(lambda v: isinstance(v, bool) or not isinstance(v, (int, float)) or v >= low)
    if "required" in schema:
        required = tuple(schema["required"])
        checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in required))
    if "properties" in schema:
        props = tuple((k, compile_schema(sub)) for k, sub in schema["properties"].items())

        def check_props(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, check in props:
                if key in v and not check(v[key]):
                    return False
            return True
        checks.append(check_props)
    if "additionalProperties" in schema:
        extra = compile_schema(schema["additionalProperties"])
        known = frozenset(schema.get("properties", ()))
        checks.append(lambda v: not isinstance(v, dict) or all(extra(x) for k, x in v.items() if k not in known))
    if "propertyNames" in schema:
        name_check = compile_schema(schema["propertyNames"])
        checks.append(lambda v: not isinstance(v, dict) or all(name_check(k) for k in v))
    if "items" in schema:
        item = compile_schema(schema["items"])
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(c(v) for c in checks)


@lru_cache(maxsize=None)
def checker(name: str) -> Check:
    return compile_schema(load_schema(name))


def explain(name: str, instance: Any) -> tuple[str, str]:
    """jsonschema's best error for an instance the fast check refused: (JSON path, message)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(load_schema(name)).iter_errors(instance))
    if error is None:  # the two disagree: report it rather than hide it
        return "$", f"does not match the {name} schema"
    return error.json_path, error.message
