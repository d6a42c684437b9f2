"""--schema-location: JSON Schemas for custom resources, read from local catalogs laid out as kubeconform's are.

A location is a directory or a path template with kubeconform's variables
(yannh/kubeconform, pkg/registry/registry.go, schemaPath()):

  {{.NormalizedKubernetesVersion}}  "v" + the Kubernetes version (v1.30.0; a --kubernetes-version without a patch
                                    has patch 0, and none at all is the newest bundled minor)
  {{.StrictSuffix}}                 "-strict" in strict mode, else ""
  {{.ResourceKind}}                 the kind, in lower case (servicemonitor)
  {{.ResourceAPIVersion}}           the version part of apiVersion (v1 of monitoring.coreos.com/v1)
  {{.Group}}                        the group part of apiVersion (monitoring.coreos.com; "v1" for the core group, as
                                    kubeconform has it)
  {{.KindSuffix}}                   "-" + the group's first label + "-" + the version (-monitoring-v1; -v1 for v1)

A template ends in "json" (kubeconform's test); anything else is a directory,
where both standard layouts are tried, in this order: the CRD catalog
(datreeio/CRDs-catalog) `{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`
and kubeconform's standalone layout
`{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json`.
Locations are tried in the order given; the first file that exists is used.

Decisions: check is offline by design, so http(s) locations are refused
(download the catalog and give its directory); `file://` paths are read.  A
schema file is used as it is (a catalog's schemas already forbid unknown fields
where their generator made them strict); one without `$schema` is Draft 4, as
kubeconform reads it.  Locations apply to kinds outside Kubernetes' own API
groups (the bundled schemas are exact for those), after the run's CRDs.  No
file at any location: the kind stays `no-schema` (a warning), naming where it
looked.  A file that is not JSON or not a valid JSON Schema: `schema-invalid`,
an error that makes the run unusable (exit 2), as a manifest that cannot be read.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any, Callable

from kubebridge.checks import schema as k8s_schema
from kubebridge.checks.custom import first_line
from kubebridge.errors import UsageError

VARIABLES = ("NormalizedKubernetesVersion", "StrictSuffix", "ResourceKind", "ResourceAPIVersion", "Group",
             "KindSuffix")
CATALOG = "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
STANDALONE = "{{.NormalizedKubernetesVersion}}-standalone{{.StrictSuffix}}/{{.ResourceKind}}{{.KindSuffix}}.json"
_ACTION = re.compile(r"\{\{(.*?)\}\}")
_VARIABLE = re.compile(r"^-?\s*\.(\w+)\s*-?$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")
Emit = Callable[[str, tuple, str], None]


def templates(location: str) -> list[str]:
    """The path templates of one --schema-location; UsageError for one that cannot work."""
    text = location
    scheme = _SCHEME.match(text)
    if scheme:
        if scheme[1].lower() in ("http", "https"):
            raise UsageError(f"--schema-location {location}: kubebridge reads schemas offline only; download the "
                             "catalog (git clone, say) and give its directory or a path template")
        if scheme[1].lower() != "file":
            raise UsageError(f"--schema-location {location}: not a directory or path template")
        text = text[len("file://"):]
    for action in _ACTION.findall(text):
        match = _VARIABLE.match(action)
        if not match or match[1] not in VARIABLES:
            raise UsageError(f"--schema-location {location}: {{{{{action}}}}} is not one of kubeconform's template "
                             f"variables: {', '.join('{{.' + v + '}}' for v in VARIABLES)}")
    if "{{" in _ACTION.sub("", text) or "}}" in _ACTION.sub("", text):
        raise UsageError(f"--schema-location {location}: an unclosed {{{{ ... }}}} in the template")
    if text.endswith("json"):
        if not _ACTION.search(text):
            raise UsageError(f"--schema-location {location}: one file for every kind; use a directory or a template "
                             "with {{.ResourceKind}} and the other variables")
        return [text]
    if not _ACTION.search(text) and not os.path.isdir(text):
        what = "a file, not a directory or a template" if os.path.isfile(text) else "no such directory"
        raise UsageError(f"--schema-location {location}: {what}")
    base = text.rstrip("/") or "/"
    return [f"{base}/{CATALOG}", f"{base}/{STANDALONE}"]


def normalized_version(requested: str | None, newest: str) -> str:
    """{{.NormalizedKubernetesVersion}}: "v1.30.0" for 1.30, "v1.30.4" for v1.30.4, the newest bundled minor's .0
    when none is asked for."""
    match = _VERSION.match((requested or newest).strip())
    if not match:
        return f"v{newest}.0"
    return f"v{match[1]}.{match[2]}.{match[3] or 0}"


def expand(template: str, api: str, kind: str, version: str, strict: bool) -> str:
    """The path a template gives for one apiVersion/kind (schemaPath, pkg/registry/registry.go)."""
    parts = api.split("/")
    group = parts[0]
    suffix = "-" + group.split(".")[0].lower() + ("-" + parts[1].lower() if len(parts) > 1 else "")
    values = {"NormalizedKubernetesVersion": version, "StrictSuffix": "-strict" if strict else "",
              "ResourceKind": kind.lower(), "ResourceAPIVersion": parts[-1], "Group": group, "KindSuffix": suffix}
    return _ACTION.sub(lambda m: values[_VARIABLE.match(m[1])[1]], template)  # type: ignore[index]


@dataclass
class _Found:
    path: str
    check: Callable[[Any], bool] | None = None
    reference: Callable[[], Any] | None = None
    problem: str = ""


class SchemaLocations:
    """The --schema-location templates of a run, and the schemas found there (each file read once)."""

    def __init__(self, locations: tuple[str, ...], requested_version: str | None, strict: bool):
        self.templates = [t for location in locations for t in templates(location)]
        self.version = normalized_version(requested_version, k8s_schema.bundled_versions()[-1])
        self.strict = strict
        self.builtin = k8s_schema.builtin_groups()
        self._found: dict[tuple[str, str], _Found | None] = {}

    def paths(self, api: str, kind: str) -> list[str]:
        return list(dict.fromkeys(expand(t, api, kind, self.version, self.strict) for t in self.templates))

    def looked(self, api: str, kind: str) -> str:
        if api.rpartition("/")[0] in self.builtin:
            return ""
        return "; no schema at " + ", ".join(self.paths(api, kind))

    def check(self, api: str, kind: str, data: dict, emit: Emit) -> bool:
        """Check data against the first schema found for its kind; False when there is none."""
        if api.rpartition("/")[0] in self.builtin:
            return False
        key = (api, kind)
        if key not in self._found:
            self._found[key] = self._find(api, kind)
        found = self._found[key]
        if found is None:
            return False
        if found.problem:
            emit("schema-invalid", ("apiVersion",), found.problem)
            return True
        assert found.check is not None and found.reference is not None
        try:
            if not found.check(data):
                for error in k8s_schema.validator_errors(found.reference(), data):
                    emit("schema", error.path, error.message)
        except Exception as exc:  # a $ref jsonschema resolves only when it meets it, say
            found.problem = f"the schema {found.path} cannot be used: {first_line(exc)}"
            emit("schema-invalid", ("apiVersion",), found.problem)
        return True

    def _find(self, api: str, kind: str) -> _Found | None:
        for path in self.paths(api, kind):
            if os.path.isfile(path):
                return load(path)
        return None


def load(path: str) -> _Found:
    """One schema file, compiled; its problem when it is not JSON or not a valid JSON Schema."""
    try:
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
    except OSError as exc:
        return _Found(path, problem=f"the schema {path} cannot be read: {exc.strerror}")
    except UnicodeDecodeError:
        return _Found(path, problem=f"the schema {path} is not UTF-8 text")
    except json.JSONDecodeError as exc:
        return _Found(path, problem=f"the schema {path} is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
    if not isinstance(schema, dict):
        return _Found(path, problem=f"the schema {path} is not a JSON Schema: it is not a JSON object")
    holder: list = []

    def reference() -> Any:
        if not holder:
            holder.append(k8s_schema.reference_validator(schema, draft4=True))
        return holder[0]
    try:
        reference()  # jsonschema's metaschema check: what kubeconform's compiler refuses
    except Exception as exc:
        return _Found(path, problem=f"the schema {path} is not a valid JSON Schema: {first_line(exc)}")
    try:
        check = k8s_schema.compile_check(schema, reference, draft4=True)
    except Exception as exc:  # a $ref to elsewhere (read offline, never fetched), say
        return _Found(path, problem=f"the schema {path} cannot be used: {first_line(exc)}")
    return _Found(path, check, reference)
