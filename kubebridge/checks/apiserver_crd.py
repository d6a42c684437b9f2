"""The API server's checks of a CustomResourceDefinition itself (apiextensions.k8s.io/v1).

They follow apiextensions-apiserver's pkg/apis/apiextensions/validation
(ValidateCustomResourceDefinition and the functions it calls) and its
structural-schema rules (pkg/apiserver/schema, validateStructuralInvariants
and friends): what the API server refuses when the CRD is created, before any
custom resource of it can be.  Each check is a generator of (path, message)
over the CRD's data, so custom.py can ask whether a CRD would be refused
(refusals()) before it checks custom resources against it.  The schema checks
walk each version's openAPIV3Schema through properties, items,
additionalProperties and the allOf/anyOf/oneOf/not branches, and name each
problem at its own place in the schema.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from kubebridge.checks.apiserver_table import Say, implements
from kubebridge.checks.regex import go_pattern_compiles
from kubebridge.model.kube_names import dns1035_problem, dns_subdomain_problem
from kubebridge.model.manifest import Manifest, as_dict, as_list

Problems = Iterator[tuple[tuple, str]]
NAME_FIELDS = ("plural", "singular", "kind", "listKind")
MIXED_CASE = ("kind", "listKind")
TYPES = ("array", "boolean", "integer", "number", "object", "string")
PROTECTED = ("k8s.io", "kubernetes.io")  # groups that need the api-approved.kubernetes.io annotation
APPROVAL = "api-approved.kubernetes.io"
BRANCHES = ("allOf", "anyOf", "oneOf")
PRESERVE = ("spec", "preserveUnknownFields")


def _say_all(problems: Callable[[dict], Problems]) -> Callable[[Manifest, Say], None]:
    def check(m: Manifest, say: Say) -> None:
        for path, message in problems(m.data):
            say(path, message)
    check.__name__ = problems.__name__
    return check


def _spec(data: dict) -> dict:
    return as_dict(data.get("spec"))


def name_problems(data: dict) -> Problems:
    spec, meta = _spec(data), data.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        return  # the schema error says what metadata must be
    name, group = as_dict(meta).get("name"), spec.get("group")
    plural = as_dict(spec.get("names")).get("plural")
    expected = f"{plural}.{group}" if isinstance(plural, str) and plural and isinstance(group, str) and group else ""
    if not isinstance(name, str) or not name:
        yield ("metadata",), "a CustomResourceDefinition needs metadata.name" + (f": {expected}" if expected else
                                                                                   " (<plural>.<group>)")
    elif expected and name != expected:
        yield ("metadata", "name"), (f"a CustomResourceDefinition's name must be spec.names.plural + '.' + "
                                     f"spec.group: {expected}, not {name!r}")


def spec_problems(data: dict) -> Problems:
    spec = data.get("spec")
    if not isinstance(spec, dict):  # absent or of another type: the schema error says so
        if spec is None and "spec" in data:
            yield ("spec",), "spec is required: group, names, scope and versions"
        return
    group = spec.get("group")
    if group == "" or group is None and "group" in spec:
        yield ("spec", "group"), "group is required"
    elif isinstance(group, str):
        problem = dns_subdomain_problem(group) or ("" if "." in group else "should be a domain with at least one dot")
        if problem:
            yield ("spec", "group"), f"group {group!r} {problem}"
        elif any(group == p or group.endswith("." + p) for p in PROTECTED) and \
                APPROVAL not in as_dict(as_dict(data.get("metadata")).get("annotations")):
            yield ("metadata", "annotations"), (f"group {group} is protected: its CustomResourceDefinitions need "
                                                f"the annotation {APPROVAL} (a link to the approved API review)")
    scope = spec.get("scope")
    if isinstance(scope, str) and scope not in ("Namespaced", "Cluster"):
        yield ("spec", "scope"), f"scope {scope!r} is not supported: Namespaced or Cluster"
    if spec.get("preserveUnknownFields") is True:
        yield PRESERVE, ("preserveUnknownFields: true is refused when a CustomResourceDefinition is created (one "
                         "migrated from apiextensions.k8s.io/v1beta1 may keep it): set "
                         "x-kubernetes-preserve-unknown-fields: true in spec.versions[*].schema instead")
    conversion = as_dict(spec.get("conversion"))
    strategy = conversion.get("strategy")
    if isinstance(strategy, str) and strategy not in ("None", "Webhook"):
        yield ("spec", "conversion", "strategy"), f"conversion strategy {strategy!r} is not supported: None or Webhook"
    elif strategy == "Webhook" and not as_dict(as_dict(conversion.get("webhook")).get("clientConfig")):
        yield ("spec", "conversion"), "conversion.webhook.clientConfig is required when strategy is Webhook"
    elif strategy == "Webhook":
        reviews = as_list(as_dict(conversion.get("webhook")).get("conversionReviewVersions"))
        if not {"v1", "v1beta1"} & set(reviews):
            yield ("spec", "conversion", "webhook", "conversionReviewVersions"), (
                "conversionReviewVersions must include v1 or v1beta1 (the ConversionReview versions the API server "
                "sends)")
    elif conversion.get("webhook") is not None:
        yield ("spec", "conversion", "webhook"), "conversion.webhook may be set only when strategy is Webhook"
    if spec.get("names") is None and "names" in spec:
        yield ("spec", "names"), "names.plural and names.kind are required"
    yield from _names_problems(as_dict(spec.get("names")))


def _names_problems(names: dict) -> Problems:
    for field in NAME_FIELDS:  # singular and listKind are defaulted from kind when absent or empty
        value = names.get(field)
        if field in ("plural", "kind") and field in names and value in ("", None):  # absent: the schema says so
            yield ("spec", "names", field), f"names.{field} is required"
        elif isinstance(value, str) and value:
            mixed = field in MIXED_CASE
            if problem := dns1035_problem(value.lower() if mixed else value):
                yield ("spec", "names", field), (f"names.{field} {value!r} {problem}"
                                                 + (" (it may have mixed case, but should otherwise match)" if mixed
                                                    else ""))
    kind = names.get("kind")
    if isinstance(kind, str) and kind and kind == names.get("listKind"):
        yield ("spec", "names", "listKind"), "kind and listKind may not be the same"
    for field in ("shortNames", "categories"):
        for i, value in enumerate(as_list(names.get(field))):
            if isinstance(value, str) and (problem := dns1035_problem(value)):
                yield ("spec", "names", field, i), f"{field} entry {value!r} {problem}"


def version_problems(data: dict) -> Problems:
    versions = _spec(data).get("versions")
    names = [as_dict(v).get("name") for v in as_list(versions)]
    for i, name in enumerate(names):
        if isinstance(name, str) and (problem := dns1035_problem(name)):
            yield ("spec", "versions", i, "name"), f"version name {name!r} {problem}"
    strings = [n for n in names if isinstance(n, str)]
    if len(set(strings)) < len(strings):
        yield ("spec", "versions"), "version names must be unique: " + ", ".join(
            sorted({n for n in strings if strings.count(n) > 1}))
    for i, version in enumerate(as_list(versions)):
        version = as_dict(version)
        if version.get("deprecationWarning") is not None and version.get("deprecated") is not True:
            yield ("spec", "versions", i, "deprecationWarning"), "deprecationWarning may be set only on a version " \
                                                                  "with deprecated: true"
        scale = as_dict(as_dict(version.get("subresources")).get("scale"))
        for field, under in (("specReplicasPath", ".spec."), ("statusReplicasPath", ".status."),
                             ("labelSelectorPath", ".status.")):
            path = scale.get(field)
            if isinstance(path, str) and not (path.startswith(under) or field == "labelSelectorPath"
                                              and path.startswith(".spec.")):
                yield ("spec", "versions", i, "subresources", "scale", field), (
                    f"{field} {path!r} must be a JSON path under {under.rstrip('.')}"
                    + (" or .spec" if field == "labelSelectorPath" else ""))
        for j, column in enumerate(as_list(version.get("additionalPrinterColumns"))):
            column = as_dict(column)
            kind, path = column.get("type"), column.get("jsonPath")
            if isinstance(kind, str) and kind not in ("integer", "number", "string", "boolean", "date"):
                yield ("spec", "versions", i, "additionalPrinterColumns", j, "type"), (
                    f"printer column type {kind!r} is not supported: integer, number, string, boolean or date")
            if isinstance(path, str) and not path.startswith("."):
                yield ("spec", "versions", i, "additionalPrinterColumns", j, "jsonPath"), (
                    f"printer column jsonPath {path!r} must be a simple JSON path starting with a dot")
    storage = [str(as_dict(v).get("name")) for v in as_list(versions) if as_dict(v).get("storage") is True]
    if isinstance(_spec(data).get("versions"), list) and len(storage) != 1:
        said = "none is" if not storage else f"{len(storage)} are ({', '.join(storage)})"
        yield ("spec", "versions"), (f"a CustomResourceDefinition must have exactly one version marked as storage "
                                     f"version (storage: true); {said}")


def _versions_with_schemas(data: dict) -> Iterator[tuple[tuple, str, Any]]:
    for i, version in enumerate(as_list(_spec(data).get("versions"))):
        version = as_dict(version)
        name = version.get("name")
        shown = repr(name) if isinstance(name, str) else f"spec.versions[{i}]"
        yield ("spec", "versions", i, "schema", "openAPIV3Schema"), shown, \
            as_dict(version.get("schema")).get("openAPIV3Schema")


def schema_required_problems(data: dict) -> Problems:
    """What a structural schema must give: a schema per version, a type on every field and item, items of arrays."""
    for at, shown, schema in _versions_with_schemas(data):
        if not isinstance(schema, dict):
            yield at, (f"version {shown} has no schema.openAPIV3Schema: apiextensions.k8s.io/v1 requires one for "
                       "every version (schemas are required)")
            continue
        yield from _walk(schema, at, _required_at, root=True)


def schema_value_problems(data: dict) -> Problems:
    """What a structural schema may not hold: $ref, uniqueItems, unknown or null types, and the rest below."""
    for at, _, schema in _versions_with_schemas(data):
        if isinstance(schema, dict):
            if schema.get("nullable") is True:
                yield at + ("nullable",), "nullable cannot be true at the root"
            yield from _metadata_problems(schema, at)
            yield from _walk(schema, at, _values_at, root=True)


def _walk(node: Any, at: tuple, check: Callable, root: bool = False, junctor: bool = False,
          int_or_string: bool = False) -> Problems:
    """check(node, at, root, junctor, int_or_string) at node and below; a null node is an empty schema (no type).
    junctor: node is inside allOf, anyOf, oneOf or not (a value validation, at any depth: it has no types of its
    own); int_or_string: inside those of an x-kubernetes-int-or-string field, where
    `anyOf: [{type: integer}, {type: string}]` is allowed."""
    node = {} if node is None else node
    if not isinstance(node, dict):
        return
    yield from check(node, at, root, junctor, int_or_string)
    for name, child in as_dict(node.get("properties")).items():
        yield from _walk(child, at + ("properties", name), check, junctor=junctor)
    if isinstance(node.get("items"), dict) or node.get("items") is None and "items" in node:
        yield from _walk(node.get("items"), at + ("items",), check, junctor=junctor)
    if isinstance(node.get("additionalProperties"), dict):
        yield from _walk(node["additionalProperties"], at + ("additionalProperties",), check, junctor=junctor)
    ios = int_or_string or node.get("x-kubernetes-int-or-string") is True
    for branch in BRANCHES:
        for i, child in enumerate(as_list(node.get(branch))):
            yield from _walk(child, at + (branch, i), check, junctor=True, int_or_string=ios)
    if isinstance(node.get("not"), dict):
        yield from _walk(node["not"], at + ("not",), check, junctor=True, int_or_string=ios)


def _open(node: dict) -> bool:
    """A node that needs no type: int-or-string, or whose unknown fields are kept."""
    return node.get("x-kubernetes-int-or-string") is True or node.get("x-kubernetes-preserve-unknown-fields") is True


def _required_at(node: dict, at: tuple, root: bool, junctor: bool, int_or_string: bool) -> Problems:
    if junctor:  # value validations: no type, items or the rest of a structure of their own
        return
    kind = node.get("type")
    if root and not kind and node.get("x-kubernetes-preserve-unknown-fields") is not True:
        yield at + ("type",), "the schema's root has no type: it must be type: object"
    elif not root and not kind and not _open(node):
        yield at + ("type",), ("a field or array item of a structural schema needs a type (or "
                               "x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields)")
    if kind == "array" and "items" not in node:
        yield at + ("items",), "items must be specified for type: array"
    if node.get("x-kubernetes-embedded-resource") is True and not node.get("properties") and \
            node.get("x-kubernetes-preserve-unknown-fields") is not True:
        yield at + ("properties",), ("an x-kubernetes-embedded-resource needs properties, or "
                                     "x-kubernetes-preserve-unknown-fields: true")
    if node.get("x-kubernetes-list-type") == "map" and not as_list(node.get("x-kubernetes-list-map-keys")):
        yield at + ("x-kubernetes-list-map-keys",), "x-kubernetes-list-map-keys must not be empty for list-type map"


JUNCTOR_FORBIDDEN = ("type", "nullable", "default", "description", "title", "additionalProperties")
UNSUPPORTED = ("patternProperties", "definitions", "dependencies", "id", "additionalItems")


def _values_at(node: dict, at: tuple, root: bool, junctor: bool, int_or_string: bool) -> Problems:
    kind = node.get("type")
    if junctor:
        for key in [k for k in node if k in JUNCTOR_FORBIDDEN or k.startswith("x-kubernetes-")]:
            if key == "type" and int_or_string and kind in ("integer", "string"):
                continue  # int-or-string's anyOf: [{type: integer}, {type: string}]
            if key == "nullable" and node[key] is False or key == "additionalProperties" and node[key] is True:
                continue
            yield at + (key,), (f"{key} may not be set inside allOf, anyOf, oneOf or not (value validations): it "
                                "belongs to the field itself, outside them")
    elif kind == "null":
        yield at + ("type",), "type cannot be set to null (use nullable: true)"
    elif kind and kind not in TYPES:
        yield at + ("type",), f"type {kind!r} is not supported: {', '.join(TYPES)}"
    elif root and kind and kind != "object":
        yield at + ("type",), f"the schema's root is type {kind!r}: it must be type: object"
    elif node.get("x-kubernetes-int-or-string") is True and kind:
        yield at + ("type",), "type must be empty if x-kubernetes-int-or-string is true (it is integer or string)"
    for key in UNSUPPORTED:
        if key in node:
            yield at + (key,), f"{key} is not supported in a CustomResourceDefinition's schema"
    if node.get("x-kubernetes-preserve-unknown-fields") is False:
        yield at + ("x-kubernetes-preserve-unknown-fields",), "x-kubernetes-preserve-unknown-fields must be true or " \
                                                              "not given"
    map_type = node.get("x-kubernetes-map-type")
    if map_type is not None and (map_type not in ("granular", "atomic") or kind and kind != "object"):
        yield at + ("x-kubernetes-map-type",), "x-kubernetes-map-type must be granular or atomic, on type: object"
    if "x-kubernetes-list-map-keys" in node and node.get("x-kubernetes-list-type") != "map":
        yield at + ("x-kubernetes-list-map-keys",), "x-kubernetes-list-map-keys needs x-kubernetes-list-type: map"
    if isinstance(node.get("items"), list):
        yield at + ("items",), "items must be a schema object and not an array"
    if "$ref" in node:
        yield at + ("$ref",), "$ref is not supported in a CustomResourceDefinition's schema"
    if node.get("uniqueItems") is True:
        yield at + ("uniqueItems",), "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"
    extra = node.get("additionalProperties")
    if extra is False:
        yield at + ("additionalProperties",), "additionalProperties cannot be set to false"
    elif as_dict(node.get("properties")) and isinstance(extra, dict):
        yield at + ("additionalProperties",), "additionalProperties and properties are mutual exclusive"
    list_type = node.get("x-kubernetes-list-type")
    if list_type is not None and list_type not in ("atomic", "set", "map"):
        yield at + ("x-kubernetes-list-type",), f"x-kubernetes-list-type {list_type!r} is not supported: atomic, " \
                                                "set or map"
    elif list_type is not None and kind != "array" and not junctor:
        yield at + ("x-kubernetes-list-type",), "x-kubernetes-list-type may only be used on type: array"
    if node.get("x-kubernetes-int-or-string") is True and node.get("x-kubernetes-preserve-unknown-fields") is True:
        yield at + ("x-kubernetes-preserve-unknown-fields",), ("x-kubernetes-preserve-unknown-fields must be false "
                                                               "if x-kubernetes-int-or-string is true")
    if node.get("x-kubernetes-embedded-resource") is True and kind != "object" and not junctor:
        yield at + ("type",), "x-kubernetes-embedded-resource needs type: object"
    pattern = node.get("pattern")
    if isinstance(pattern, str) and not go_pattern_compiles(pattern):
        yield at + ("pattern",), f"pattern {pattern!r} is not a valid regular expression"
    default = node.get("default")
    if default is not None and kind in TYPES and not _of_type(default, kind):  # null: no default (Go's nil)
        yield at + ("default",), f"default {_shown(default)} is not of type {kind}"


def _shown(value: Any) -> str:
    import json
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _of_type(value: Any, kind: str) -> bool:
    return {"array": isinstance(value, list), "boolean": isinstance(value, bool),
            "integer": isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float)
            and value.is_integer(),  # YAML's 1.0 reaches the API server as 1 (sigs.k8s.io/yaml)
            "number": isinstance(value, (int, float)) and not isinstance(value, bool),
            "object": isinstance(value, dict), "string": isinstance(value, str)}[kind]


def _metadata_problems(schema: dict, at: tuple) -> Problems:
    """The root's metadata: only name and generateName may be specified (the rest of ObjectMeta is implicit)."""
    meta = as_dict(schema.get("properties")).get("metadata")
    if not isinstance(meta, dict):
        return
    at = at + ("properties", "metadata")
    if meta.get("type") not in (None, "object"):
        yield at + ("type",), "metadata must be type: object"
    if "default" in meta:
        yield at + ("default",), "default may not be set in top-level metadata"
    other = sorted(set(as_dict(meta.get("properties"))) - {"name", "generateName"})
    if other:
        yield at + ("properties",), (f"metadata may specify only name and generateName, not {', '.join(other)}: "
                                     "the rest of metadata is implicit")


CHECKS = {"crd-name": name_problems, "crd-spec": spec_problems, "crd-versions": version_problems,
          "crd-schema": schema_required_problems, "crd-schema-values": schema_value_problems}
for _check_id, _problems in CHECKS.items():
    implements(_check_id)(_say_all(_problems))


def refusals(data: dict) -> list[tuple[tuple, str]]:
    """Every problem for which the API server refuses this CustomResourceDefinition ([] if none).  Not
    preserveUnknownFields: true, which an existing CRD migrated from v1beta1 keeps on update (its custom resources
    are served)."""
    return [problem for problems in CHECKS.values() for problem in problems(data) if problem[0] != PRESERVE]
