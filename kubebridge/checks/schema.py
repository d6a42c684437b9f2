"""The bundled Kubernetes JSON Schemas: every built-in kind of every minor 1.25-1.37, read lazily.

schemas/kubernetes/ (regenerated from a pinned kubernetes-validate wheel by
schemas/regenerate_kubernetes.py) stores each distinct schema once:
definitions.json maps a content hash to a schema, one a line, and v1.NN.json
maps, for one minor, each definition name and each served apiVersion/kind to
a hash.  A run reads the index of the minor it checks against and parses only
the schemas of the kinds it meets.  Strict mode is derived here, the way
openapi2jsonschema derives it: `additionalProperties: false` on every object
schema that lists properties.

Validation has two speeds.  compiled_kind() answers "valid or not" with
jsonschema-rs (with jsonschema where it is not installed); most documents are
valid, so that is all they cost.  For a document that fails, errors() asks
jsonschema itself for its errors, in its words.  Both libraries are imported
on first use, so start-up reads none of this.  tests/test_check_schema.py
holds the verdicts to jsonschema's and to kubernetes-validate's.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterator

from kubebridge.errors import UsageError
from kubebridge.load.shape import schemas_dir

Check = Callable[[Any], bool]

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]*)?$")  # as clusters print it: v1.30.4-eks-1


# ---------------------------------------------------------------- versions

@lru_cache(maxsize=1)
def bundle_index() -> dict:
    """{"versions": ["1.25", ...], "groups": [...]}: what is bundled, and Kubernetes' own API groups."""
    with open(schemas_dir() / "kubernetes" / "index.json", encoding="utf-8") as f:
        return json.load(f)


def bundled_versions() -> tuple[str, ...]:
    """The Kubernetes minors with a bundled schema, oldest first ("1.25", ...)."""
    return tuple(bundle_index()["versions"])


def builtin_groups() -> frozenset[str]:
    """API groups Kubernetes itself serves in some bundled minor; "" is the core group."""
    return frozenset(bundle_index()["groups"])


@dataclass(frozen=True)
class VersionChoice:
    """The minor asked for, the bundled one used, and why they differ (if they do)."""

    requested: str
    used: str
    warning: str = ""


def choose_version(requested: str | None) -> VersionChoice:
    """The bundled minor for a requested "X.Y" ("vX.Y.Z" and a cluster's "v1.30.4-eks-1234" or "1.30.0+k3s1"
    too); the nearest one when it is not bundled; None: the newest.  Raises UsageError for anything else, and for
    a major other than 1."""
    versions = bundled_versions()
    if requested is None:
        return VersionChoice(versions[-1], versions[-1])
    match = _VERSION.match(requested.strip())
    if not match or match[1] != "1":
        raise UsageError(f"--kubernetes-version {requested!r}: expected a Kubernetes minor such as "
                         f"{versions[-1]} (or a cluster's version, v{versions[-1]}.2)")
    want = (int(match[1]), int(match[2]))
    asked = f"{want[0]}.{want[1]}"
    if asked in versions:
        return VersionChoice(asked, asked)
    numeric = [tuple(int(p) for p in v.split(".")) for v in versions]
    nearest = min(numeric, key=lambda v: (abs((v[0] - want[0]) * 1000 + v[1] - want[1]), v))
    used = f"{nearest[0]}.{nearest[1]}"
    return VersionChoice(asked, used, f"Kubernetes {asked} has no bundled schema; checked against {used}, "
                                      f"the nearest bundled minor ({versions[0]} to {versions[-1]})")


# ---------------------------------------------------------------- the bundled data, read lazily

@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """definitions.json: hash -> the JSON text of one schema, left unparsed until a kind needs it.

    The file is a JSON object of one entry a line ("<hash>":{...},), so it is
    split into lines here and only the schemas a run meets are parsed.
    """
    with open(schemas_dir() / "kubernetes" / "definitions.json", encoding="utf-8") as f:
        text = f.read()
    table = {}
    for line in text.split("\n"):
        if line.startswith('"'):
            end = line.index('"', 1)
            table[line[1:end]] = line[end + 2:].rstrip(",")
    return table


_parsed: dict[str, dict] = {}  # hash -> schema, each parsed once and shared by every minor and kind (read-only)


def _schema(digest: str) -> dict:
    schema = _parsed.get(digest)
    if schema is None:
        schema = _parsed[digest] = json.loads(_table()[digest])
    return schema


@lru_cache(maxsize=None)
def _minor(version: str) -> dict:
    """v1.NN.json: {"definitions": {name: hash}, "kinds": {"apps/v1/Deployment": hash}}."""
    with open(schemas_dir() / "kubernetes" / f"v{version}.json", encoding="utf-8") as f:
        return json.load(f)


def _refs(node: Any, found: list, names: bool = False) -> None:
    """The definition names node refers to ("#/$defs/<name>"); a properties map's keys are field names."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not names and key == "$ref" and isinstance(value, str):
                found.append(value.rsplit("/", 1)[-1])
            elif isinstance(value, (dict, list)):
                _refs(value, found, not names and key == "properties")
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


_refs_of: dict[str, tuple[str, ...]] = {}  # hash -> the definition names its schema refers to


def _names(digest: str) -> tuple[str, ...]:
    names = _refs_of.get(digest)
    if names is None:
        found: list = []
        _refs(_schema(digest), found)
        names = _refs_of[digest] = tuple(dict.fromkeys(found))
    return names


@lru_cache(maxsize=None)
def _closure(version: str, key: str) -> tuple[str, dict[str, str]] | None:
    """One kind's root and the definitions it reaches, as hashes; None when the minor does not serve it."""
    bundle = _minor(version)
    digest = bundle["kinds"].get(key)
    if digest is None:
        return None
    hashes = bundle["definitions"]
    reached: dict[str, str] = {}
    todo = list(_names(digest))
    while todo:
        name = todo.pop()
        if name not in reached:
            reached[name] = hashes[name]
            todo.extend(_names(hashes[name]))
    return digest, dict(sorted(reached.items()))


def with_definitions(version: str, root: dict, strict: bool) -> dict:
    """root (a schema with `$ref`s to "#/$defs/<bundled definition>") with the minor's definitions it reaches as
    $defs (strict: each one's strict variant): how a custom resource's schema reaches ObjectMeta."""
    hashes = _minor(version)["definitions"]
    found: list = []
    _refs(root, found)
    reached: dict[str, str] = {}
    todo = [name for name in found if name in hashes]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached[name] = hashes[name]
            todo.extend(_names(hashes[name]))
    one = _strict_schema if strict else _schema
    return {**root, "$defs": {name: one(d) for name, d in sorted(reached.items())}}


def kind_schema(version: str, key: str) -> dict | None:
    """One kind's schema in one minor (non-strict), with the definitions it reaches as $defs; None if not served."""
    return _full_schema(version, key, False)


@lru_cache(maxsize=None)
def load_version(version: str) -> dict:
    """A whole minor: {"kinds": {"apps/v1/Deployment": root, ...}, "$defs": {...}, "served": [...]}.

    Parses every schema of the minor: for tests and tools.  Checks read only
    the kinds they meet (kind_schema).
    """
    bundle = _minor(version)
    return {"kinds": {key: _schema(d) for key, d in bundle["kinds"].items()},
            "$defs": {name: _schema(d) for name, d in bundle["definitions"].items()},
            "served": sorted(bundle["kinds"])}


def kind_key(api_version: str, kind: str) -> str:
    return f"{api_version}/{kind}"


@lru_cache(maxsize=None)
def served(version: str) -> frozenset[str]:
    """Every "apiVersion/Kind" the minor's API serves; each has a bundled schema."""
    return frozenset(_minor(version)["kinds"])


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


_strict: dict[str, dict] = {}  # hash -> its strict variant, derived once


def _strict_schema(digest: str) -> dict:
    schema = _strict.get(digest)
    if schema is None:
        schema = _strict[digest] = strict_variant(_schema(digest))
    return schema


@lru_cache(maxsize=None)
def _full_schema(version: str, key: str, strict: bool) -> dict | None:
    """The schema validators get: the root, and its definitions under $defs (strict: each one's strict variant)."""
    found = _closure(version, key)
    if found is None:
        return None
    digest, reached = found
    one = _strict_schema if strict else _schema
    return {**one(digest), "$defs": {name: one(d) for name, d in reached.items()}}


# ---------------------------------------------------------------- the verdict: jsonschema-rs, or jsonschema

@lru_cache(maxsize=1)
def verdict_library() -> str:
    """"jsonschema-rs" where its wheel is installed, else "jsonschema" (slower, the same verdicts)."""
    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        return "jsonschema"
    return "jsonschema-rs"


@lru_cache(maxsize=None)
def compiled_kind(version: str, key: str, strict: bool) -> Check | None:
    """The validity check for one kind ("apps/v1/Deployment") in one minor, or None when the minor does not serve it.

    jsonschema-rs answers valid or not (3 µs a document).  What it cannot take
    (a mapping key that is not a string, a lone surrogate, a Python object an
    API caller passed) or judges otherwise (an infinite or NaN float, not a
    JSON number to it, is one to jsonschema) goes to jsonschema, which judges
    everything where jsonschema-rs is not installed.  errors() words the errors
    of a document this refuses.
    """
    schema = _full_schema(version, key, strict)
    if schema is None:
        return None
    return compile_check(schema, lambda: _reference_validator(version, key, strict))


def compile_check(schema: dict, reference: Callable[[], Any], draft4: bool = False) -> Check:
    """Valid or not, for any schema: jsonschema-rs, with jsonschema (reference() gives its validator) for what
    jsonschema-rs cannot take or judges otherwise (see compiled_kind).  draft4: a schema without `$schema` is
    Draft 4 (kubeconform's default for the catalogs --schema-location reads), else Draft 2020-12.

    Raises ValueError when jsonschema-rs refuses the schema itself (an invalid pattern, say).
    """
    if verdict_library() == "jsonschema":
        return _guarded(lambda instance: reference().is_valid(instance))
    import jsonschema_rs

    try:
        if draft4 and "$schema" in schema:
            fast = _offline(jsonschema_rs.validator_for, schema).is_valid
        else:
            fast = _offline(jsonschema_rs.Draft4Validator if draft4 else jsonschema_rs.Draft202012Validator,
                            schema).is_valid
    except ValueError as exc:
        if "Recursion limit" not in str(exc):
            raise
        # a schema nested deeper than jsonschema-rs reads it (128 levels): jsonschema judges it, slower
        return _guarded(lambda instance: reference().is_valid(instance))

    def check(instance: Any) -> bool:
        try:
            if fast(instance):
                return True
            if not _non_finite(instance):
                return False
        except ValueError:
            pass
        return _guarded(reference().is_valid)(instance)
    return check


def _offline(make: Callable, schema: dict) -> Any:
    """A jsonschema-rs validator that fetches no remote $ref (offline= is newer than the oldest release supported)."""
    try:
        return make(schema, validate_formats=False, offline=True)
    except TypeError:
        return make(schema, validate_formats=False)


def _non_finite(value: Any) -> bool:
    """Whether a float inf or nan is anywhere in the value (YAML's .inf and .nan)."""
    todo = [value]
    while todo:
        value = todo.pop()
        if isinstance(value, dict):
            todo.extend(value.values())
        elif isinstance(value, list):
            todo.extend(value)
        elif isinstance(value, float) and not math.isfinite(value):
            return True
    return False


def _guarded(is_valid: Check) -> Check:
    def check(instance: Any) -> bool:
        try:
            return is_valid(instance)
        except RecursionError:  # nested beyond Python's stack: errors() says so
            return False
    return check


@lru_cache(maxsize=None)
def _reference_validator(version: str, key: str, strict: bool):
    """jsonschema's validator for one kind: the reference wording of every error (imported only when needed)."""
    return _reference_class()(_full_schema(version, key, strict))


@lru_cache(maxsize=None)
def _reference_class(draft4: bool = False, declared: str = ""):
    """jsonschema's validator class (Draft 2020-12; draft4: the one `$schema` declares, else Draft 4), with a
    Python tuple an array (as JSON writes it, and jsonschema-rs reads it).

    Only objects given from Python can hold a tuple; YAML and JSON give lists.
    """
    from jsonschema import Draft4Validator, Draft202012Validator, validators

    base = Draft202012Validator
    if draft4:
        base = validators.validator_for({"$schema": declared} if declared else {}, default=Draft4Validator)
    checker = base.TYPE_CHECKER.redefine("array", lambda _, value: isinstance(value, (list, tuple)))
    return validators.extend(base, {"pattern": _pattern}, type_checker=checker)


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """jsonschema's `pattern`, in its words, with jsonschema-rs's regex engine deciding the match where installed:
    Python's re backtracks, so a schema's `^(a+)+$` on a long string took hours (Kubernetes' RE2 is linear)."""
    from jsonschema import ValidationError

    if isinstance(instance, str) and isinstance(pattern, str) and not _matches(pattern, instance):
        written = schema.get("x-kubebridge-go-pattern", pattern)  # a CRD's RE2 pattern as written (regex.py)
        yield ValidationError(f"{instance!r} does not match {written!r}")


def _matches(pattern: str, text: str) -> bool:
    """regex.matcher's verdict; a pattern its engine cannot compile is not judged (the text matches)."""
    from kubebridge.checks.regex import matcher
    check = matcher(pattern)
    return check is None or check(text)


def reference_validator(schema: dict, draft4: bool = False):
    """jsonschema's validator for any schema (draft4 as compile_check); raises jsonschema's SchemaError for a schema
    that is not valid under its draft's metaschema."""
    declared = schema.get("$schema") if draft4 and isinstance(schema.get("$schema"), str) else ""
    cls = _reference_class(draft4, declared)
    from jsonschema.exceptions import SchemaError as Invalid, best_match
    error = best_match(cls(cls.META_SCHEMA).iter_errors(schema))  # check_schema without its format checks: a
    if error is not None:  # pattern is judged by its own engine (regex.py), not by Python's re
        raise Invalid.create_from(error)
    return cls(schema)


# ---------------------------------------------------------------- errors, in jsonschema's words

TOO_DEEP = "the document is nested too deeply to be checked against its schema"
UNCHECKED = ("it is not schema-checked: the document and its schema nest deeper than kubebridge's JSON Schema "
             "validators reach (Python's recursion limit), so no verdict is given (the API server checks it)")


@dataclass(frozen=True)
class SchemaError:
    path: tuple  # into the instance
    message: str
    definition: str = ""  # the bundled definition whose keyword failed ("" for a kind's root, or a CRD's schema)
    missing: str = ""  # a `required` error's missing field


def errors(version: str, key: str, strict: bool, instance: Any) -> Iterator[SchemaError]:
    """Every error in the document, as jsonschema words it; an unexpected field reported at itself.

    Only documents the verdict refused come here: jsonschema is imported and
    its validator built on the first of them.
    """
    return iter(validator_errors(_reference_validator(version, key, strict), instance))


def validator_errors(validator: Any, instance: Any) -> list[SchemaError]:
    """A jsonschema validator's errors, in its words, sorted by path; `additionalProperties: false` split into one
    error per unexpected field, at the field."""
    out: list[SchemaError] = []
    defs = validator.schema.get("$defs") if isinstance(validator.schema, dict) else None
    definitions = {id(body): name for name, body in defs.items()} if isinstance(defs, dict) else {}
    try:
        for error in validator.iter_errors(instance):
            path = tuple(error.absolute_path)
            if error.validator == "additionalProperties" and error.validator_value is False:
                known = error.schema.get("properties", {})
                for name in sorted((k for k in error.instance if k not in known), key=str):
                    out.append(SchemaError(path + (name,),
                                           f"Additional properties are not allowed ({name!r} was unexpected)"))
            elif error.validator == "type" and error.instance is None and path and \
                    list(error.absolute_schema_path)[-3:-1] == ["properties", path[-1]]:
                # a null field: the API server's decoder reads it as absent, so it is a missing field to judge
                owner = _owner(validator.schema, list(error.absolute_schema_path)[:-3])
                out.append(SchemaError(path, error.message, owner, str(path[-1])))
            elif error.validator == "required" and isinstance(error.instance, dict):
                missing = next((p for p in error.validator_value if p not in error.instance
                                and error.message.startswith(repr(p))), "")
                out.append(SchemaError(path, error.message, definitions.get(id(error.schema), ""), missing))
            else:
                out.append(SchemaError(path, error.message))
    except RecursionError:
        out = [SchemaError((), TOO_DEEP)]
    out.sort(key=lambda e: path_order(e.path))
    return out


def _owner(root: Any, steps: list) -> str:
    """The $defs name of the schema node `steps` (a schema path, which jsonschema gives without its $refs) leads
    to from root, following the $refs on the way; "" when it is not a bundled definition."""
    node, name = root, ""
    for step in steps + [None]:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and (step is None or step not in node):
            name = node["$ref"].rsplit("/", 1)[-1]
            node = root.get("$defs", {}).get(name) if isinstance(root, dict) else None
        if step is None:
            break
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return ""
        name = ""
    return name


def path_order(path) -> tuple:
    """A sort key for JSON paths that mix list indexes and field names."""
    return tuple((0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path)
