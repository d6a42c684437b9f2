"""A CustomResourceDefinition version's openAPIV3Schema, applied to a custom resource as the API server applies it.

The API server does not hand a custom resource to a JSON Schema validator as
it comes.  It first decodes it with the version's *structural schema*
(k8s.io/apiextensions-apiserver), and kubebridge follows the same steps:

1. prune() — pkg/apiserver/schema/pruning/algorithm.go, PruneWithOptions():
   every field the schema does not specify is dropped, except below
   `x-kubernetes-preserve-unknown-fields: true` (skipPrune), and except
   apiVersion, kind and metadata at the root and in an
   `x-kubernetes-embedded-resource`.  With strict field validation
   (`kubectl apply`'s default) each dropped field is an error
   (customresource_handler.go, schemaCoercingDecoder.Decode: `unknown field`).
2. prune_nulls() — pkg/apiserver/schema/defaulting/prunenulls.go,
   PruneNonNullableNullsWithoutDefaults(): a null in a mapping, where the
   schema is not `nullable` and has no `default`, is dropped, not refused.
3. default() — pkg/apiserver/schema/defaulting/algorithm.go, Default(): a
   missing field (or a null one that is not nullable) gets its `default`.
4. validation with the version's schema converted to JSON Schema
   (to_json_schema(), after pkg/apiserver/validation/validation.go,
   ConvertJSONSchemaPropsWithPostProcess(): `x-kubernetes-int-or-string` is
   `type: [integer, string]`, `nullable` lets null through the type check);
   metadata (at the root and in embedded resources) is decoded into
   ObjectMeta (pkg/apiserver/schema/objectmeta/coerce.go), which kubebridge
   checks with the bundled ObjectMeta schema;
5. embedded() — pkg/apiserver/schema/objectmeta/validation.go,
   validateEmbeddedResource(): an embedded resource needs apiVersion and kind;
6. list_types() — pkg/apiserver/schema/listtype/validation.go,
   ValidateListSetsAndMaps(): `x-kubernetes-list-type: set` and `map` lists
   hold no duplicates.

Not modelled: x-kubernetes-validations (CEL rules) and the string formats
the API server checks (uri, email, date-time, ...); a CRD whose schema is not
structural, which the API server refuses to create, is used as it is.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kubebridge.checks.regex import portable

META_FIELDS = frozenset({"apiVersion", "kind", "metadata"})
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
_NO_DEFAULT = object()


@dataclass
class Node:
    """One node of a structural schema: what pruning, null pruning, defaulting and list checks read."""

    nullable: bool = False
    default: Any = _NO_DEFAULT
    properties: dict[str, "Node"] = field(default_factory=dict)
    additional: bool = False  # additionalProperties is given (a schema, or true/false)
    additional_schema: "Node | None" = None  # its schema (None for true/false: everything below it is pruned)
    items: "Node | None" = None
    preserve: bool = False  # x-kubernetes-preserve-unknown-fields
    embedded: bool = False  # x-kubernetes-embedded-resource
    list_type: str = ""  # x-kubernetes-list-type
    map_keys: tuple[str, ...] = ()  # x-kubernetes-list-map-keys

    @property
    def has_default(self) -> bool:
        return self.default is not _NO_DEFAULT


def node(schema: Any) -> Node | None:
    """The structural skeleton of an openAPIV3Schema (NewStructural, pkg/apiserver/schema/convert.go).

    Value validations (allOf, anyOf, oneOf, not) add no fields: pruning does not
    read them.  A schema that is not a mapping is None (no schema: everything
    below it is pruned).
    """
    if not isinstance(schema, dict):
        return None
    n = Node(nullable=schema.get("nullable") is True,
             preserve=schema.get("x-kubernetes-preserve-unknown-fields") is True,
             embedded=schema.get("x-kubernetes-embedded-resource") is True)
    if "default" in schema and schema["default"] is not None:
        n.default = schema["default"]
    properties = schema.get("properties")
    if isinstance(properties, dict):
        n.properties = {str(k): child for k, v in properties.items() if (child := node(v)) is not None}
    if "additionalProperties" in schema and schema["additionalProperties"] is not None:
        n.additional = True
        n.additional_schema = node(schema["additionalProperties"])
    n.items = node(schema.get("items"))
    list_type = schema.get("x-kubernetes-list-type")
    n.list_type = list_type if isinstance(list_type, str) else ""
    keys = schema.get("x-kubernetes-list-map-keys")
    n.map_keys = tuple(k for k in keys if isinstance(k, str)) if isinstance(keys, list) else ()
    return n


def root_node(schema: Any) -> Node:
    """The root's skeleton: always an embedded resource, so apiVersion, kind and metadata are never pruned there
    (PruneWithOptions with isResourceRoot)."""
    n = node(schema) or Node()
    n.embedded = True
    return n


# ---------------------------------------------------------------- 1. pruning

def prune(value: Any, s: Node | None, path: tuple, unknown: list[tuple]) -> Any:
    """A copy of value without the fields the schema does not specify; their paths are appended to unknown.

    pruning/algorithm.go, prune(): a mapping without a schema loses every key;
    with one, a key stays if it is a property, or if additionalProperties is
    given (its value pruned with that schema: none for true/false).
    """
    if s is not None and s.preserve:
        return _skip(value, s, path, unknown)
    if isinstance(value, dict):
        if s is None:
            unknown.extend(path + (k,) for k in value)
            return {}
        out = {}
        for k, v in value.items():
            if s.embedded and k in META_FIELDS:
                out[k] = v  # TypeMeta and ObjectMeta: coerced (ObjectMeta), never pruned
            elif k in s.properties:
                out[k] = prune(v, s.properties[k], path + (k,), unknown)
            elif s.additional:
                out[k] = prune(v, s.additional_schema, path + (k,), unknown)
            else:
                unknown.append(path + (k,))
        return out
    if isinstance(value, list):
        items = s.items if s is not None else None
        return [prune(v, items, path + (i,), unknown) for i, v in enumerate(value)]
    return value


def _skip(value: Any, s: Node | None, path: tuple, unknown: list[tuple]) -> Any:
    """skipPrune(): below x-kubernetes-preserve-unknown-fields unknown fields stay; known ones are still pruned."""
    if s is None:
        return value
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if s.embedded and k in META_FIELDS:
                out[k] = v
            elif k in s.properties:
                out[k] = prune(v, s.properties[k], path + (k,), unknown)
            elif s.additional:
                out[k] = prune(v, s.additional_schema, path + (k,), unknown)
            else:
                out[k] = v
        return out
    if isinstance(value, list):
        return [_skip(v, s.items, path + (i,), unknown) for i, v in enumerate(value)]
    return value


# ---------------------------------------------------------------- 2. nulls, 3. defaults

def _field_schema(key: str, s: Node | None) -> Node | None:
    """getSchemaForField(): the property's schema, else additionalProperties' (prunenulls.go)."""
    if s is None:
        return None
    found = s.properties.get(key)
    return found if found is not None else s.additional_schema


def prune_nulls(value: Any, s: Node | None) -> None:
    """Drop, in place, every null mapping value whose schema is neither nullable nor defaulted
    (PruneNonNullableNullsWithoutDefaults); nulls in lists stay (and fail the type check)."""
    if isinstance(value, dict):
        for k in list(value):
            sub = _field_schema(k, s)
            if value[k] is None and sub is not None and not sub.nullable and not sub.has_default:
                del value[k]
            else:
                prune_nulls(value[k], sub)
    elif isinstance(value, list):
        items = s.items if s is not None else None
        for v in value:
            prune_nulls(v, items)


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value)) if isinstance(value, (dict, list)) else value


def default(value: Any, s: Node | None) -> None:
    """Fill in defaults, in place (defaulting/algorithm.go, Default()): a missing property, or a null one that is
    not nullable, gets the property's default; then each value is defaulted by its own schema."""
    if s is None:
        return
    if isinstance(value, dict):
        for k, prop in s.properties.items():
            if prop.has_default and (k not in value or (value[k] is None and not prop.nullable)):
                value[k] = _copy(prop.default)
        for k in value:
            if k in s.properties:
                default(value[k], s.properties[k])
            elif s.additional:
                sub = s.additional_schema
                if value[k] is None and sub is not None and not sub.nullable:
                    value[k] = _copy(sub.default) if sub.has_default else None
                default(value[k], sub)
    elif isinstance(value, list):
        items = s.items
        for i, v in enumerate(value):
            if v is None and items is not None and not items.nullable:
                value[i] = _copy(items.default) if items.has_default else None
            default(value[i], items)


# ---------------------------------------------------------------- 4. the schema, as JSON Schema

GO_PATTERN = "x-kubebridge-go-pattern"  # an unknown keyword to the validators, which ignore it
_SAME = ("enum", "required", "maxLength", "minLength", "maxItems", "minItems", "uniqueItems",
         "multipleOf", "maxProperties", "minProperties", "format")


def to_json_schema(schema: Any, metadata_ref: dict | None = None, _root: bool = True) -> dict:
    """The openAPIV3Schema as a JSON Schema (draft 2020-12) with the API server's meaning.

    After ConvertJSONSchemaPropsWithPostProcess() and kube-openapi's validator:
    `nullable: true` adds null to the type; `x-kubernetes-int-or-string`
    is `type: [integer, string]`; OpenAPI's boolean exclusiveMinimum and
    exclusiveMaximum become JSON Schema's numbers.  metadata_ref (a `$ref` to
    ObjectMeta) is added to metadata at the root and in every embedded
    resource, where the API server decodes it into ObjectMeta.
    """
    if not isinstance(schema, dict):
        return {}
    out: dict[str, Any] = {}
    types: list[str] = []
    if schema.get("x-kubernetes-int-or-string") is True:
        types = ["integer", "string"]
    elif isinstance(schema.get("type"), str) and schema["type"]:
        types = [schema["type"]]
    if types:
        if schema.get("nullable") is True:
            types.append("null")
        out["type"] = types[0] if len(types) == 1 else types
    for key in _SAME:
        if key in schema:
            out[key] = schema[key]
    if isinstance(schema.get("pattern"), str):  # RE2 syntax, rewritten for the validators (regex.py); else unjudged
        pattern = portable(schema["pattern"])
        if pattern is not None:
            out["pattern"] = pattern
            if pattern != schema["pattern"]:
                out[GO_PATTERN] = schema["pattern"]  # the pattern as written, for messages (schema._pattern)
    for bound, exclusive in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        if bound in schema:
            out[exclusive if schema.get(exclusive) is True else bound] = schema[bound]
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            out[key] = [to_json_schema(s, None, False) for s in schema[key]]
    if isinstance(schema.get("not"), dict):
        out["not"] = to_json_schema(schema["not"], None, False)
    embedded = _root or schema.get("x-kubernetes-embedded-resource") is True
    properties = schema.get("properties")
    if isinstance(properties, dict) and properties:
        out["properties"] = {str(k): to_json_schema(v, metadata_ref, False) for k, v in properties.items()}
    if embedded and metadata_ref is not None:
        given = out.setdefault("properties", {}).get("metadata")
        out["properties"]["metadata"] = {"allOf": [given, metadata_ref]} if given else metadata_ref
    additional = schema.get("additionalProperties")
    if isinstance(additional, dict):
        out["additionalProperties"] = to_json_schema(additional, metadata_ref, False)
    elif isinstance(additional, bool):
        out["additionalProperties"] = additional
    if isinstance(schema.get("items"), dict):
        out["items"] = to_json_schema(schema["items"], metadata_ref, False)
    return out


# ---------------------------------------------------------------- 5. embedded resources, 6. list types

def embedded(value: Any, s: Node | None, path: tuple = ()) -> list[tuple[tuple, str]]:
    """(path, message) for every embedded resource without a usable apiVersion or kind
    (objectmeta/validation.go, validateEmbeddedResource; the root is checked as a document is)."""
    found: list[tuple[tuple, str]] = []
    if s is None:
        return found
    if isinstance(value, dict):
        if s.embedded and path:
            found += _type_meta(value, path)
        for k, v in value.items():
            sub = s.properties.get(k)
            if sub is not None:
                found += embedded(v, sub, path + (k,))
            elif s.additional:
                found += embedded(v, s.additional_schema, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += embedded(v, s.items, path + (i,))
    return found


def _type_meta(value: dict, path: tuple) -> list[tuple[tuple, str]]:
    from kubebridge.model.kube_names import dns1035_problem

    what = "an embedded object (x-kubernetes-embedded-resource)"
    found = []
    for key in ("apiVersion", "kind"):
        if key not in value:
            found.append((path, f"{what} needs {key}"))
            continue
        v = value[key]
        if not isinstance(v, str):
            found.append((path + (key,), f"{key} of {what} must be a string, not {json.dumps(v)}"))
        elif not v:
            found.append((path + (key,), f"{key} of {what} must not be empty"))
        elif key == "apiVersion" and v.count("/") > 1:
            found.append((path + (key,), f"apiVersion {v!r} of {what} is not group/version"))
        elif key == "kind" and (problem := dns1035_problem(v.lower())):
            found.append((path + (key,), f"kind {v!r} of {what} may have mixed case, but should otherwise be a "
                          f"DNS-1035 label: it {problem}"))
    return found


def list_types(value: Any, s: Node | None, path: tuple = ()) -> list[tuple[tuple, str]]:
    """(path, message) for every duplicate in a list the schema makes a set or a map (ValidateListSetsAndMaps)."""
    found: list[tuple[tuple, str]] = []
    if s is None:
        return found
    if isinstance(value, dict):
        for k, v in value.items():
            sub = s.properties.get(k)
            if sub is not None:
                found += list_types(v, sub, path + (k,))
            elif s.additional_schema is not None:
                found += list_types(v, s.additional_schema, path + (k,))
    elif isinstance(value, list):
        if s.list_type == "set":
            found += [(path + (i,), f"duplicate entry {_shown(value[i])}: the schema makes this list a set "
                       "(x-kubernetes-list-type: set)") for i in _repeats(value)]
        elif s.list_type == "map":
            found += _list_map(value, s, path)
        for i, v in enumerate(value):
            found += list_types(v, s.items, path + (i,))
    return found


def _list_map(value: list, s: Node, path: tuple) -> list[tuple[tuple, str]]:
    for i, x in enumerate(value):
        if x is not None and not isinstance(x, dict):
            return [(path + (i,), "must be a mapping: the schema makes this list a map (x-kubernetes-list-type: map)")]
    keys = [{k: x[k] for k in s.map_keys if k in x} if isinstance(x, dict) else {} for x in value]
    named = ", ".join(s.map_keys)
    return [(path + (i,), f"duplicate entry {_shown(keys[i])}: the schema makes this list a map keyed by {named} "
             "(x-kubernetes-list-type: map)") for i in _repeats(keys)]


def _identity(value: Any) -> Any:
    """What makes two values the same entry, as Go compares them: booleans are not numbers, and 1 == 1.0."""
    if isinstance(value, (dict, list)):
        return ("json", json.dumps(value, sort_keys=True, default=str))
    return (type(value) is bool, value)


def _repeats(values: list) -> list[int]:
    """The index of the second appearance of each repeated value (validateListSet)."""
    seen: dict = {}
    repeats = []
    for i, v in enumerate(values):
        key = _identity(v)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] == 2:
            repeats.append(i)
    return repeats


def _shown(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
