"""Custom resources: checked against the CustomResourceDefinitions of the run, or a --schema-location schema.

Where the CRDs come from: every apiextensions.k8s.io/v1 CustomResourceDefinition
among the checked files (found by a first pass over them, crds_in(), before any
document is checked, so a CRD later in a file or in a later file counts), and
those given with --crd (crds= in Python).  A CRD of the checked files replaces a
--crd one of the same group and kind (the files are what is deployed); between
the checked files, the later one wins, as the later `kubectl apply` does.

For a custom resource whose group and kind a CRD defines:
  * a version the CRD does not list, or lists with `served: false`, is an error
    (`version-not-served`): the API server has no endpoint for it
    (customresource_handler.go, hasServedCRDVersion);
  * `deprecated: true` is an `api-deprecated` warning with the CRD's
    deprecationWarning, which the API server returns on every request;
  * otherwise the object is decoded and validated as structural.py describes,
    and its name must be a DNS subdomain (registry/customresource/validator.go,
    NameIsDNSSubdomain); each problem is a `schema` finding (`name-invalid` for
    the name).
Without a CRD, the --schema-location schemas are tried (locations.py), then
the kind is `no-schema`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO, Callable

from kubebridge.checks import api_lifecycle
from kubebridge.checks import schema as k8s_schema
from kubebridge.checks import structural
from kubebridge.checks.apiserver_crd import refusals
from kubebridge.errors import KubebridgeError
from kubebridge.limits import LIMITS, Limits
from kubebridge.load.manifests import json_path
from kubebridge.model.manifest import as_dict, as_list, as_str

CRD_V1 = "apiextensions.k8s.io/v1"
CRD_KIND = "CustomResourceDefinition"
MARKER = CRD_KIND.encode()
Emit = Callable[[str, tuple, str], None]


@dataclass(frozen=True, eq=False)
class CrdSource:
    """A CustomResourceDefinition as read: its data and where it is (for messages)."""

    data: dict
    file: str
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


def is_crd(data: Any) -> bool:
    """Whether data is a CustomResourceDefinition of any apiVersion of apiextensions.k8s.io."""
    return (isinstance(data, dict) and data.get("kind") == CRD_KIND and isinstance(data.get("apiVersion"), str)
            and data["apiVersion"].startswith("apiextensions.k8s.io/"))


def crds_in(source: bytes | str | BinaryIO, name: str, limits: Limits = LIMITS,
            errors: bool = False) -> list[CrdSource]:
    """The CustomResourceDefinitions of one file (List items too).

    Text or bytes that never name the kind are not parsed.  errors: raise the
    InputError of a file that cannot be read (for --crd); else such a file
    gives what was read before the error, and the check itself reports it.
    """
    if isinstance(source, bytes) and MARKER not in source or isinstance(source, str) and CRD_KIND not in source:
        return []
    from kubebridge.load.manifests import iter_documents

    found = []
    try:
        for doc in iter_documents(source, name, expand_lists=True, limits=limits):
            if is_crd(doc.data):
                found.append(CrdSource(doc.data, name, doc.line))
    except KubebridgeError:
        if errors:
            raise
    return found


def holds_marker(stream: BinaryIO, limit: int) -> bool:
    """Whether a stream's first limit bytes hold "CustomResourceDefinition" (read 1 MiB at a time)."""
    tail = b""
    read = 0
    while read <= limit:
        block = stream.read(1 << 20)
        if not block:
            return False
        read += len(block)
        if MARKER in tail + block[:len(MARKER)] or MARKER in block:
            return True
        tail = block[-len(MARKER):]
    return False


@dataclass
class CustomVersion:
    """One version of one CRD: what the API server serves for group/version, kind."""

    source: CrdSource
    name: str  # the CRD's metadata.name
    group: str
    kind: str
    version: str
    served: bool
    deprecated: bool = False
    warning: str = ""
    schema: Any = None  # openAPIV3Schema
    status: bool = False  # the status subresource: create drops status (strategy.go, PrepareForCreate)
    scale: tuple[str, ...] = ()  # specReplicasPath and statusReplicasPath of the scale subresource
    preserve: bool = False  # spec.preserveUnknownFields: nothing is pruned


def versions_of(source: CrdSource) -> tuple[tuple[str, str], list[CustomVersion]]:
    """((group, kind), its versions) of an apiextensions.k8s.io/v1 CRD; ("", "") when it names no group or kind."""
    data = source.data
    spec = as_dict(data.get("spec"))
    names = as_dict(spec.get("names"))
    group, kind = spec.get("group"), names.get("kind")
    if not isinstance(group, str) or not isinstance(kind, str) or not group or not kind:
        return ("", ""), []
    meta = as_dict(data.get("metadata"))
    name = as_str(meta.get("name")) or f"{as_str(names.get('plural')) or kind.lower()}.{group}"
    found = []
    for entry in as_list(spec.get("versions")):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        schema = entry.get("schema")
        subresources = as_dict(entry.get("subresources"))
        scale = as_dict(subresources.get("scale"))
        warning = entry.get("deprecationWarning")
        found.append(CustomVersion(
            source, name, group, kind, entry["name"], entry.get("served") is True,
            deprecated=entry.get("deprecated") is True, warning=warning if isinstance(warning, str) else "",
            schema=schema.get("openAPIV3Schema") if isinstance(schema, dict) else None,
            status="status" in subresources,
            scale=tuple(p for p in (scale.get("specReplicasPath"), scale.get("statusReplicasPath"))
                        if isinstance(p, str)),
            preserve=spec.get("preserveUnknownFields") is True))
    return (group, kind), found


@dataclass
class _Compiled:
    root: structural.Node
    check: Callable[[Any], bool] | None
    reference: Callable[[], Any] | None
    problem: str = ""  # why the schema cannot be used


class CustomKinds:
    """The custom kinds of a run: CRDs first, then --schema-location schemas (lookups cached per kind)."""

    def __init__(self, sources: tuple[CrdSource, ...], version: str, strict: bool, locations: Any = None):
        self.version = version
        self.strict = strict
        self.locations = locations
        self.kinds: dict[tuple[str, str], dict[str, CustomVersion]] = {}
        self.old: dict[tuple[str, str], CrdSource] = {}  # apiextensions.k8s.io/v1beta1 CRDs: only named in messages
        for source in sources:
            if source.data.get("apiVersion") != CRD_V1:
                spec = source.data.get("spec")
                if isinstance(spec, dict) and isinstance(spec.get("names"), dict):
                    self.old[(str(spec.get("group")), str(spec["names"].get("kind")))] = source
                continue
            key, found = versions_of(source)
            if found:
                self.kinds[key] = {v.version: v for v in found}
        self._compiled: dict[int, _Compiled] = {}
        self._refusals: dict[int, str] = {}  # id(CrdSource) -> why the API server refuses that CRD ("" if it does not)

    def __bool__(self) -> bool:
        return bool(self.kinds or self.old or self.locations)

    def check(self, api: str, kind: str, data: dict, emit: Emit, active: frozenset[str]) -> bool:
        """Check a custom resource; False when no CRD or schema location knows its kind (then it is no-schema)."""
        group, _, version = api.rpartition("/")
        versions = self.kinds.get((group, kind))
        if versions is not None:
            found = versions.get(version)
            refused = self._refused(found.source) if found is not None else ""
            if found is None or not found.served:
                emit("version-not-served", ("apiVersion",), self._not_served(api, kind, version, versions))
            elif refused:
                emit("version-not-served", ("apiVersion",), f"{api} {kind} is not served: the API server refuses its "
                     f"CustomResourceDefinition {found.name} ({found.source.where}): {refused}")
            else:
                self._validate(found, api, kind, data, emit, active)
            return True
        if self.locations is not None:
            return self.locations.check(api, kind, data, emit)
        return False

    def _refused(self, source: CrdSource) -> str:
        """Why the API server refuses the CRD on create (its first problem, and how many more), or ""."""
        said = self._refusals.get(id(source))
        if said is None:
            problems = refusals(source.data)
            said = ""
            if problems:
                path, message = problems[0]
                more = f" (and {len(problems) - 1} more: check the CRD itself)" if len(problems) > 1 else ""
                said = f"{json_path(path)}: {message}{more}"
            self._refusals[id(source)] = said
        return said

    def hint(self, api: str, kind: str) -> str:
        """What no-schema adds for a kind nothing here defines: an old CRD of it, or where schemas were looked for."""
        group = api.rpartition("/")[0]
        old = self.old.get((group, kind))
        if old is not None:
            return (f"; its CustomResourceDefinition ({old.where}) is {old.data.get('apiVersion')}, which Kubernetes "
                    f"{self.version} does not serve: rewrite it as {CRD_V1}")
        kinds = sorted(k for g, k in self.kinds if g == group)
        if kinds:
            return f"; the CustomResourceDefinitions of group {group} define {', '.join(kinds)}"
        return self.locations.looked(api, kind) if self.locations is not None else ""

    def _instead(self, v: CustomVersion) -> str:
        """"; use apiVersion: group/version": the most stable served version of the CRD not deprecated, if any."""
        others = [o.version for o in self.kinds.get((v.group, v.kind), {}).values()
                  if o.served and not o.deprecated and o.version != v.version]
        if not others:
            return "; the CustomResourceDefinition serves no version that is not deprecated"
        best = max(others, key=lambda o: (api_lifecycle.stability(f"{v.group}/{o}"), o))
        return f"; use apiVersion: {v.group}/{best}"

    @staticmethod
    def _not_served(api: str, kind: str, version: str, versions: dict[str, CustomVersion]) -> str:
        any_version = next(iter(versions.values()))
        crd = f"the CustomResourceDefinition {any_version.name} ({any_version.source.where})"
        served = sorted(v for v, entry in versions.items() if entry.served)
        use = f"; served: {', '.join(served)}" if served else "; it serves no version"
        if version in versions:
            return f"{api} {kind} is not served: {crd} sets served: false for {version}{use}"
        return f"{api} {kind} is not served: {crd} has no version {version}{use}"

    # --- validation -------------------------------------------------------------------------

    def _compile(self, v: CustomVersion) -> _Compiled:
        compiled = self._compiled.get(id(v))
        if compiled is None:
            compiled = self._compiled[id(v)] = _compile(v, self.version, self.strict)
        return compiled

    def _validate(self, v: CustomVersion, api: str, kind: str, data: dict, emit: Emit,
                  active: frozenset[str]) -> None:
        if v.deprecated:
            warning = v.warning or f"{api} {kind} is deprecated" + self._instead(v)
            emit("api-deprecated", ("apiVersion",), f"{warning} (CustomResourceDefinition {v.name}, {v.source.where})")
        if "name-invalid" in active:
            _check_name(data, emit)
        if "schema" not in active:
            return
        compiled = self._compile(v)
        if compiled.problem:
            emit("schema-invalid", ("apiVersion",), compiled.problem)
            return
        for path, message in find_problems(compiled, v, data, self.strict):
            if message == k8s_schema.TOO_DEEP:  # no verdict, rather than a false error
                emit("no-schema", path, k8s_schema.UNCHECKED)
            else:
                emit("schema", path, message)


def _compile(v: CustomVersion, version: str, strict: bool) -> _Compiled:
    """The version's structural skeleton and its validation, compiled once per run."""
    holder: list = []

    def reference() -> Any:
        if not holder:
            holder.append(k8s_schema.reference_validator(full))
        return holder[0]
    try:
        root = structural.root_node(v.schema)
        converted = structural.to_json_schema(v.schema, {"$ref": f"#/$defs/{structural.OBJECT_META}"})
        full = k8s_schema.with_definitions(version, converted, strict)
        check = k8s_schema.compile_check(full, reference)
        if k8s_schema.verdict_library() == "jsonschema":
            reference()  # the metaschema check jsonschema-rs makes when it compiles
    except Exception as exc:  # an invalid pattern, a schema nested beyond Python's stack: the API server refuses it
        where = f"CustomResourceDefinition {v.name} ({v.source.where}), version {v.version}"
        return _Compiled(structural.Node(), None, None, f"the openAPIV3Schema of {where} cannot be used: "
                         f"{first_line(exc)}")
    return _Compiled(root, check, reference)


def first_line(exc: Exception) -> str:
    """The first line of an exception's message (jsonschema's and jsonschema-rs's run over many)."""
    text = str(getattr(exc, "message", "") or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def find_problems(compiled: _Compiled, v: CustomVersion, data: dict, strict: bool) -> list[tuple[tuple, str]]:
    """(path, message) of every problem the API server finds in a custom resource (structural.py's steps)."""
    try:
        return _problems(compiled, v, data, strict)
    except RecursionError:  # nested beyond Python's stack, as schema.errors() says it
        return [((), k8s_schema.TOO_DEEP)]


def _problems(compiled: _Compiled, v: CustomVersion, data: dict, strict: bool) -> list[tuple[tuple, str]]:
    assert compiled.check is not None and compiled.reference is not None
    root = compiled.root
    unknown: list[tuple] = []
    if v.preserve:
        obj = _plain_copy(data)  # spec.preserveUnknownFields: neither pruned nor nulls dropped
    else:
        obj = structural.prune(data, root, (), unknown)
        structural.prune_nulls(obj, root)
    structural.default(obj, root)
    if v.status:
        obj.pop("status", None)
    found: list[tuple[tuple, str]] = []
    if strict:
        found += [(path, f"Additional properties are not allowed ({path[-1]!r} was unexpected)") for path in unknown]
    if not compiled.check(obj):
        found += [(e.path, e.message) for e in k8s_schema.validator_errors(compiled.reference(), obj)]
    found += structural.embedded(obj, root)
    found += structural.list_types(obj, root)
    found += _scale(obj, v.scale)
    return found


def _plain_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_copy(v) for v in value]
    return value


def _scale(obj: dict, paths: tuple[str, ...]) -> list[tuple[tuple, str]]:
    """The scale subresource's replicas: a non-negative int32 where given (validator.go, ValidateScaleSpec/Status)."""
    found = []
    for text in paths:
        keys = tuple(text.lstrip(".").split("."))
        value: Any = obj
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            found.append((keys, f"{text} is the scale subresource's replica count: it must be an integer"))
        elif not 0 <= value <= 2 ** 31 - 1:
            found.append((keys, f"{text} is the scale subresource's replica count: it must be from 0 to {2 ** 31 - 1}"))
    return found


def _check_name(data: dict, emit: Emit) -> None:
    """A custom resource's name is a DNS subdomain (NameIsDNSSubdomain); generateName may stand in for it."""
    from kubebridge.model.kube_names import dns_subdomain_problem

    meta = as_dict(data.get("metadata"))
    name = meta.get("name")
    if name is None or name == "":
        if not meta.get("generateName"):
            emit("name-invalid", ("metadata",), f"a {data.get('kind')} needs metadata.name")
        return
    if isinstance(name, str) and (problem := dns_subdomain_problem(name)):
        emit("name-invalid", ("metadata", "name"), f"{data.get('kind')} name {name!r} {problem}")



def load_crds(items: list, limits: Limits = LIMITS) -> tuple[CrdSource, ...]:
    """--crd (crds= in Python): the CustomResourceDefinitions of files, directories, text, dicts or
    kubernetes.client objects.

    Raises InputError for a file that is missing or cannot be read or parsed
    (with its line), and for an item that holds no apiextensions.k8s.io/v1 CRD.
    """
    import os

    from kubebridge.errors import InputError
    from kubebridge.load.files import manifest_files
    from kubebridge.load.inputs import check_input, read_as_path
    from kubebridge.load.kubernetes_client import to_dicts

    found: list[CrdSource] = []
    for index, item in enumerate(items):
        if isinstance(item, CrdSource):
            found.append(item)
            continue
        item = check_input(item, index, directories=True, missing=True)  # a missing path: said below
        name = str(item) if isinstance(item, (str, os.PathLike)) else f"<crd {index + 1}>"
        if item == "-":
            raise InputError("standard input holds the manifests to check; give the CustomResourceDefinitions as "
                             "files or directories (given with --crd)", file="-")
        if read_as_path(item):
            if not os.path.exists(item):
                raise InputError("no such file or directory (given with --crd)", file=name)
            mine = [crd for file in manifest_files([str(item)]) for crd in crds_in(_read(file), file, limits, True)]
        elif isinstance(item, (str, bytes)):
            mine = crds_in(item, name, limits, errors=True)
        else:
            mine = [CrdSource(d, name) for d in to_dicts(item if isinstance(item, list) else [item]) if is_crd(d)]
        if not any(crd.data.get("apiVersion") == CRD_V1 for crd in mine):
            old = " (only older ones: Kubernetes 1.22 and later serve CRDs as apiextensions.k8s.io/v1 alone)" \
                if mine else ""
            raise InputError(f"no {CRD_V1} CustomResourceDefinition in it{old} (given with --crd)", file=name)
        found += mine
    return tuple(found)


def _read(file: str) -> bytes:
    from kubebridge.errors import InputError

    try:
        with open(file, "rb") as f:
            return f.read()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror} (given with --crd)", file=file) from None
