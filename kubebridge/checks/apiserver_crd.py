"""The API server's checks of a CustomResourceDefinition itself (apiextensions.k8s.io/v1).

They follow apiextensions-apiserver's pkg/apis/apiextensions/validation
(ValidateCustomResourceDefinition and the functions it calls) and its
structural-schema rules (pkg/apiserver/schema): what the API server refuses
when the CRD is created, before any custom resource of it can be.  The schema
checks walk the openAPIV3Schema of each version through properties, items,
additionalProperties and the allOf/anyOf/oneOf/not branches, and name each
problem at its own place in the schema.
"""
from __future__ import annotations

from typing import Any, Iterator

from kubebridge.checks.apiserver_table import Say, implements
from kubebridge.model.kube_names import dns1035_problem, dns_subdomain_problem
from kubebridge.model.manifest import Manifest, as_dict, as_list

NAME_FIELDS = ("plural", "singular", "kind", "listKind")
MIXED_CASE = ("kind", "listKind")


@implements("crd-name")
def crd_name(m: Manifest, say: Say) -> None:
    spec = as_dict(m.data.get("spec"))
    name, group = m.metadata.get("name"), spec.get("group")
    plural = as_dict(spec.get("names")).get("plural")
    if isinstance(name, str) and isinstance(group, str) and isinstance(plural, str) and plural and group \
            and name != f"{plural}.{group}":
        say(("metadata", "name"), f"a CustomResourceDefinition's name must be spec.names.plural + '.' + spec.group: "
            f"{plural}.{group}, not {name!r}")


@implements("crd-spec")
def crd_spec(m: Manifest, say: Say) -> None:
    spec = as_dict(m.data.get("spec"))
    group = spec.get("group")
    if isinstance(group, str) and group:
        problem = dns_subdomain_problem(group) or ("" if "." in group else "should be a domain with at least one dot")
        if problem:
            say(("spec", "group"), f"group {group!r} {problem}")
    scope = spec.get("scope")
    if isinstance(scope, str) and scope not in ("Namespaced", "Cluster"):
        say(("spec", "scope"), f"scope {scope!r} is not supported: Namespaced or Cluster")
    names = as_dict(spec.get("names"))
    for field in NAME_FIELDS:  # singular and listKind are defaulted from kind when absent or empty
        value = names.get(field)
        if field in ("plural", "kind") and value == "":
            say(("spec", "names", field), f"names.{field} is required")
        elif isinstance(value, str) and value:
            mixed = field in MIXED_CASE
            if problem := dns1035_problem(value.lower() if mixed else value):
                say(("spec", "names", field), f"names.{field} {value!r} {problem}"
                    + (" (it may have mixed case, but should otherwise match)" if mixed else ""))
    kind = names.get("kind")
    if isinstance(kind, str) and kind and kind == names.get("listKind"):
        say(("spec", "names", "listKind"), "kind and listKind may not be the same")
    for field in ("shortNames", "categories"):
        for i, value in enumerate(as_list(names.get(field))):
            if isinstance(value, str) and (problem := dns1035_problem(value)):
                say(("spec", "names", field, i), f"{field} entry {value!r} {problem}")


@implements("crd-versions")
def crd_versions(m: Manifest, say: Say) -> None:
    versions = as_list(as_dict(m.data.get("spec")).get("versions"))
    names = [as_dict(v).get("name") for v in versions]
    for i, name in enumerate(names):
        if isinstance(name, str) and (problem := dns1035_problem(name)):
            say(("spec", "versions", i, "name"), f"version name {name!r} {problem}")
    strings = [n for n in names if isinstance(n, str)]
    if len(set(strings)) < len(strings):
        say(("spec", "versions"), "version names must be unique: " + ", ".join(sorted({n for n in strings
                                                                                     if strings.count(n) > 1})))
    storage = [as_dict(v).get("name") for v in versions if as_dict(v).get("storage") is True]
    if isinstance(as_dict(m.data.get("spec")).get("versions"), list) and len(storage) != 1:
        said = "none is" if not storage else f"{len(storage)} are ({', '.join(map(str, storage))})"
        say(("spec", "versions"), f"a CustomResourceDefinition must have exactly one version marked as storage "
            f"version (storage: true); {said}")


@implements("crd-schema")
def crd_schema(m: Manifest, say: Say) -> None:
    for i, version in enumerate(as_list(as_dict(m.data.get("spec")).get("versions"))):
        version = as_dict(version)
        at = ("spec", "versions", i, "schema")
        schema = as_dict(version.get("schema")).get("openAPIV3Schema")
        if not isinstance(schema, dict):
            say(at + ("openAPIV3Schema",), f"version {version.get('name')!r} has no schema.openAPIV3Schema: "
                "apiextensions.k8s.io/v1 requires one for every version (schemas are required)")
            continue
        for path, message in _schema_problems(schema, at + ("openAPIV3Schema",), root=True):
            say(path, message)


def _open(node: dict) -> bool:
    """A node that needs no type: int-or-string, or whose unknown fields are kept."""
    return node.get("x-kubernetes-int-or-string") is True or node.get("x-kubernetes-preserve-unknown-fields") is True


def _schema_problems(node: Any, at: tuple, root: bool = False, typed: bool = True) -> Iterator[tuple[tuple, str]]:
    """The structural-schema problems of node and below; typed: node is a field or item, which needs a type."""
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if root and not kind:
        yield at + ("type",), "the schema's root has no type: it must be type: object"
    elif root and kind != "object":
        yield at + ("type",), f"the schema's root is type {kind!r}: it must be type: object"
    elif typed and not kind and not _open(node):
        yield at + ("type",), ("a field or array item of a structural schema needs a type (or "
                               "x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields)")
    if "$ref" in node:
        yield at + ("$ref",), "$ref is not supported in a CustomResourceDefinition's schema"
    if node.get("uniqueItems") is True:
        yield at + ("uniqueItems",), "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"
    extra = node.get("additionalProperties")
    if as_dict(node.get("properties")) and (extra is False or isinstance(extra, dict)):
        yield at + ("additionalProperties",), "additionalProperties and properties are mutual exclusive"
    for name, child in as_dict(node.get("properties")).items():
        yield from _schema_problems(child, at + ("properties", name))
    if isinstance(node.get("items"), dict):
        yield from _schema_problems(node["items"], at + ("items",))
    if isinstance(extra, dict):
        yield from _schema_problems(extra, at + ("additionalProperties",))
    for branch in ("allOf", "anyOf", "oneOf"):  # value validations: their nodes need no type of their own
        for i, child in enumerate(as_list(node.get(branch))):
            yield from _schema_problems(child, at + (branch, i), typed=False)
    if isinstance(node.get("not"), dict):
        yield from _schema_problems(node["not"], at + ("not",), typed=False)
