"""`check`: pre-deploy checks of Kubernetes manifests, for a cluster and for `podman kube play`.

For every document: the Kubernetes JSON Schema of its kind (bundled, per minor,
strict by default), then the rules of rules_kubernetes (what the API server
refuses) and rules_podman (how Podman will treat it).  For every file: the
rules that need several documents at once, and a dry run of kubebridge's own
play translator, whose refusals are Podman's.

Speed matters here (a CI gate over thousands of manifests): documents are read
with the C-backed YAML parser, schemas are compiled once, and a document's
lines are found only when it has findings.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Iterable, Iterator

from kubebridge.checks import api_lifecycle
from kubebridge.checks import schema as k8s_schema
from kubebridge.checks.custom import CrdSource, CustomKinds
from kubebridge.checks.explain import dialect_differences, kind_hint, lifecycle_advice, pod_references
from kubebridge.checks.findings import BOTH, ERROR, KUBERNETES, PODMAN, RULES, WARNING, Finding
from kubebridge.checks.api_defaults import disabled_by_default
from kubebridge.checks.apiserver_table import APISERVER_RULES
from kubebridge.checks.openapi_required import schema_finding
from kubebridge.checks.kubernetes_rules import DOCUMENT_RULES
from kubebridge.checks.podman_rules import (
    NOTHING_PLAYED,
    PODMAN_RULES,
    WORKLOAD_KINDS,
    env_precedence,
    env_sources,
    play_refusal,
    played,
)
from kubebridge.errors import InputError, KubebridgeError, MissingReference, UsageError, clip
from kubebridge.limits import LIMITS, Limits
from kubebridge.load.kube_types import decode
from kubebridge.load.manifests import Document, iter_documents, json_path, parse_json_path, separator_content
from kubebridge.model import versions
from kubebridge.model.manifest import Manifest, as_dict, as_str, manifest
from kubebridge.model.profiles import Profile, get_profile

TARGETS = (KUBERNETES, PODMAN, BOTH)
LIMIT_OPTION = "the limit (--"  # how a limit's message names its option: "the limit (--max-documents)"
LIMIT_FIX = "split the file, or raise the limit with the option the message names"


@dataclass(frozen=True)
class CheckOptions:
    """How check runs: the Kubernetes minor whose schemas apply, strictness, the Podman modelled, the
    rules (by target, select and ignore) and the input limits."""

    kubernetes_version: str | None = None  # "1.30"; None: the newest bundled
    strict: bool = True  # unknown fields are schema errors
    podman_version: str | Profile | None = None  # None: the newest profile
    target: str = BOTH  # which rules apply: kubernetes, podman or both
    select: frozenset[str] = frozenset()  # only these rules (empty: all)
    ignore: frozenset[str] = frozenset()  # never these rules
    limits: Limits = LIMITS  # how much of an input is read (file size, documents, depth, aliases)
    crds: tuple[CrdSource, ...] = ()  # CustomResourceDefinitions: --crd's, then the checked files' (checks/custom.py)
    schema_locations: tuple[str, ...] = ()  # --schema-location directories and templates, in order (locations.py)
    fail_on: str = ERROR  # the least severity that makes exit_code 1: error, or warning


@dataclass
class CheckResult:
    """What check found: every Finding, the counts read (files, documents, objects), the versions used and
    asked for, and notices about the run; exit_code is 0 (clean), 1 (errors) or 2 (input that cannot be read)."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    objects: int = 0  # Kubernetes objects: documents, and the items of List documents
    kubernetes_version: str = ""
    requested_kubernetes_version: str = ""
    strict: bool = True
    podman_version: str = ""
    target: str = BOTH
    notices: list[str] = field(default_factory=list)  # about the run, not a document (a version fallback)
    unusable: bool = False  # some input could not be read at all
    fail_on: str = ERROR  # warning: a warning makes exit_code 1 too

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.unusable and not self.errors

    @property
    def exit_code(self) -> int:
        """0: no errors (nor warnings, with fail_on warning); 1: an error (or a warning); 2: unusable input."""
        return exit_code(self.unusable, len(self.errors), len(self.warnings), self.fail_on)

    def summary(self) -> dict:
        return {"files": self.files, "documents": self.documents, "errors": len(self.errors),
                "warnings": len(self.warnings), "kubernetes_version": self.kubernetes_version,
                "requested_kubernetes_version": self.requested_kubernetes_version, "strict": self.strict,
                "podman_version": self.podman_version, "target": self.target, "notices": list(self.notices),
                "exit_code": self.exit_code}

    def merge(self, other: "CheckResult") -> None:
        self.findings.extend(other.findings)
        self.files += other.files
        self.documents += other.documents
        self.objects += other.objects
        self.unusable = self.unusable or other.unusable


def exit_code(unusable: bool, errors: int, warnings: int, fail_on: str) -> int:
    """check's exit code: 2 for input that cannot be read, 1 for a finding at fail_on or above, else 0."""
    return 2 if unusable else 1 if errors or (fail_on == WARNING and warnings) else 0


def active_rules(options: CheckOptions) -> frozenset[str]:
    if options.target not in TARGETS:
        raise UsageError(f"--target {options.target!r}: choose kubernetes, podman or both")
    ids = set(options.select) if options.select else set(RULES)
    ids -= set(options.ignore)
    if options.target != BOTH:
        ids = {r for r in ids if RULES[r].target in (options.target, BOTH)}
    return frozenset(ids)


@dataclass
class _Pending:
    """One document's findings before they are placed: (rule, keys, message, kind, name, line)."""

    doc: Document
    found: list[tuple] = field(default_factory=list)
    seen: set = field(default_factory=set)  # findings already placed: each is reported once
    manifests: list[Manifest] = field(default_factory=list)
    podman_doc: Document | None = None  # the document as Podman reads it, where that differs
    objects: int = 0  # Kubernetes objects in the document (a List's items)


class Checker:
    """Options resolved once (schema version, Podman profile, rule set); then check_file() per file."""

    def __init__(self, options: CheckOptions = CheckOptions()):
        self.options = options
        choice = k8s_schema.choose_version(options.kubernetes_version)
        self.choice = choice
        self.version = choice.used
        major, minor = choice.requested.split(".")[:2]
        self.minor = (int(major), int(minor))
        self.profile = get_profile(options.podman_version)
        self.version_notice = "" if options.podman_version is None or isinstance(options.podman_version, Profile) \
            else versions.resolve(str(options.podman_version))[1]
        self.active = active_rules(options)
        self.document_rules: list[Callable[[Manifest], None]] = [fn for ids, fn in DOCUMENT_RULES + APISERVER_RULES
                                                                 if ids & self.active]
        self._kind_rules: dict[str, list[Callable[[Manifest], None]]] = {}
        self.podman_rules: list[Callable[[Manifest, Profile], None]] = [fn for ids, fn in PODMAN_RULES
                                                                      if ids & self.active]
        self.watch_dialects = "podman-yaml-dialect" in self.active or "podman-refuses" in self.active
        self.kubectl_reader = "yaml" in self.active and options.target != PODMAN
        self.served = k8s_schema.served(self.version)
        locations = None
        if options.schema_locations:
            from kubebridge.checks.locations import SchemaLocations
            locations = SchemaLocations(options.schema_locations, options.kubernetes_version, options.strict)
        self.custom = CustomKinds(options.crds, self.version, options.strict, locations)

    def result(self) -> CheckResult:
        notices = [n for n in (self.choice.warning, self.version_notice) if n]
        return CheckResult(kubernetes_version=self.version, requested_kubernetes_version=self.choice.requested,
                           strict=self.options.strict, podman_version=self.profile.version,
                           target=self.options.target, notices=notices, fail_on=self.options.fail_on)

    # --- files ------------------------------------------------------------------------------

    def check_file(self, source: str | bytes | BinaryIO, name: str) -> CheckResult:
        """One file's findings, all at once (iter_file() streams them)."""
        result = self.result()
        result.findings = list(self.iter_file(source, name, result))
        return result

    def iter_file(self, source: str | bytes | BinaryIO, name: str, result: CheckResult,
                  tick: Callable[[], None] | None = None) -> Iterator[Finding]:
        """A file's findings as its documents stream by; counts go to `result`.

        Nothing of a document is kept once it is checked, but what the rules
        over the whole file need: the ConfigMaps and Secrets, and a workload
        whose ConfigMaps or Secrets have not come yet (checked at the end).
        """
        result.files += 1
        before = result.objects
        docs = iter_documents(source, name, "kubernetes", expand_lists=False, watch_dialects=self.watch_dialects,
                              keep_marks=True, limits=self.options.limits)
        with _collector_paused():
            try:
                yield from self._stream(docs, result, tick)
            except InputError as exc:
                result.unusable = True
                yield Finding(name, result.documents + 1, "", "", exc.path or "", exc.line or 1, exc.column or 1,
                              "yaml", ERROR, exc.detail, BOTH, advice=LIMIT_FIX if LIMIT_OPTION in exc.detail else "")
                return
        if result.objects == before and "empty" in self.active:
            yield Finding(name, 0, "", "", "", 1, 1, "empty", RULES["empty"].severity,
                          "no Kubernetes object in this file: it is empty, only comments, or a List without items", BOTH)

    def check_documents(self, docs: Iterable[Document]) -> CheckResult:
        """Documents already read (from dicts or objects): the same checks, without lines unless they have text."""
        docs = list(docs)
        result = self.result()
        result.findings = list(self._stream(docs, result))
        result.files = len({doc.file for doc in docs})
        return result

    def _stream(self, docs: Iterable[Document], result: CheckResult,
                tick: Callable[[], None] | None = None) -> Iterator[Finding]:
        """Each document checked and its findings placed as it comes; then the rules over them all."""
        together = _Together(self)
        for doc in docs:
            result.documents += 1
            if tick is not None:
                tick()  # a progress line, on a terminal
            p = self.check_document(doc)
            result.objects += p.objects
            yield from _marked(self.place(p), result)  # while the parse's marks are at hand; then free them
            doc.marks = None
            for q in together.add(p):
                yield from _marked(self.place(q), result)
        for q in together.finish():
            yield from _marked(self.place(q), result)

    # --- one document -----------------------------------------------------------------------

    def check_document(self, doc: Document) -> _Pending:
        pending = _Pending(doc)
        data = doc.data
        items = data.get("items") if isinstance(data, dict) and data.get("kind") == "List" else ()
        if isinstance(items, list):
            objects: list[tuple[tuple, Any]] = [(("items", i), item) for i, item in enumerate(items)]
        elif items is None:  # a List without items holds no object (kubectl: "no objects passed")
            objects = []
        else:
            objects = [((), data)]
        pending.objects = len(objects)
        for prefix, item in objects:
            self._check_object(item, prefix, pending)
        active = self.active
        if "duplicate-key" in active and doc.duplicates:
            self._duplicates(pending)
        if self.kubectl_reader and doc.text:
            self._separators(pending)
        if doc.dialect_scalars and self.watch_dialects:
            self._dialects(pending)
        return pending

    def _duplicates(self, pending: _Pending) -> None:
        """A key given twice: kubectl (sigs.k8s.io/yaml over go-yaml v2, not strict) keeps the last value and says
        nothing; podman kube play (yaml.v3 in splitMultiDocYAML) refuses the file.  One finding per target."""
        doc = pending.doc
        data = doc.data
        kind, name = (as_str(data.get("kind")), _name(data)) if isinstance(data, dict) else ("", "")
        for keys in doc.duplicates:
            if self.options.target != PODMAN:
                pending.found.append(("duplicate-key", keys, f"key {keys[-1]!r} is given twice in this mapping: "
                                      "kubectl keeps the last value and drops the first without a word", kind, name,
                                      None, KUBERNETES))
            if self.options.target != KUBERNETES:
                pending.found.append(("duplicate-key", keys, "podman kube play refuses the file: multi doc yaml "
                                      f'could not be split: yaml: unmarshal errors: mapping key "{keys[-1]}" already '
                                      "defined", kind, name,
                                      None, PODMAN))

    def _separators(self, pending: _Pending) -> None:
        """kubectl's reader (apimachinery's YAMLReader) splits a stream at every line that starts with `---` and
        refuses one with anything but a comment after it; libyaml and Podman's yaml.v3 read `--- value` as a
        document start followed by content."""
        doc = pending.doc
        for at, text in separator_content(doc.text):
            pending.found.append(("yaml", (), f"kubectl refuses the file: invalid Yaml document separator: {text} "
                                  "(kubectl splits documents at each line starting with ---, and allows only a "
                                  "comment after it)", "", "", doc.line_offset + at, KUBERNETES))

    def _check_object(self, data: Any, prefix: tuple, pending: _Pending) -> None:
        active = self.active
        kind = as_str(data.get("kind")) if isinstance(data, dict) else ""
        name = as_str(as_dict(data.get("metadata")).get("name")) if isinstance(data, dict) else ""

        found = pending.found  # the list itself, not a copy: rules run later too (env sources come later in a file);
        # and not pending, which holds the Manifest that holds emit: no reference cycle, so a checked document is
        # freed at once, not by the cycle collector at the end of the file

        def emit(rule: str, path: tuple, message: str) -> None:
            if rule in active:
                found.append((rule, prefix + path, message, kind, name, None))

        if not isinstance(data, dict):
            emit("missing-kind", (), "a Kubernetes object must be a mapping with apiVersion and kind")
            return
        api = data.get("apiVersion")
        if not kind or not isinstance(api, str) or not api:
            missing = " and ".join(k for k, v in (("apiVersion", api), ("kind", kind)) if not v or not isinstance(v, str))
            emit("missing-kind", (), f"the object has no {missing}")
            return
        key = k8s_schema.kind_key(api, kind)
        check = k8s_schema.compiled_kind(self.version, key, self.options.strict)
        if check is None:
            try:
                handled = bool(self.custom) and self.custom.check(api, kind, data, emit, active)
            except Exception as exc:  # as for a rule below: a bug to report, never a crash
                emit("internal", (), f"kubebridge failed on this object's schema ({type(exc).__name__}: {exc}); "
                     "please report it")
                handled = True
            if not handled:
                self._no_schema(api, kind, key, emit)
        else:
            if "api-deprecated" in active:
                self._deprecated(api, kind, key, emit)
            if "api-disabled-by-default" in active and (off := disabled_by_default(self.version, key)):
                instead = f"; or use {off.instead}, which it serves by default" if off.instead else ""
                emit("api-disabled-by-default", ("apiVersion",), f"Kubernetes {self.version} serves {api} {kind} "
                     "only when the cluster enables it (" + ("alpha APIs are" if off.level == "alpha" else
                     "beta APIs new since Kubernetes 1.24 are") + " off by default): a default cluster answers "
                     f"'no matches for kind'. Enable it with kube-apiserver --runtime-config={api}=true{instead}")
            if ("schema" in active or "openapi-required" in active) and not check(data):
                for error in k8s_schema.errors(self.version, key, self.options.strict, data):
                    if error.path[:1] == ("status",) and error.message.endswith("is a required property"):
                        continue  # the API server resets status on create (PrepareForCreate) and requires none of it
                    emit(*schema_finding(error, self.version, self.minor))
        m = manifest(data, emit, self.minor)
        try:
            for document_rule in self._rules_for(m.kind):
                document_rule(m)
            for podman_rule in self.podman_rules:
                podman_rule(m, self.profile)
        except Exception as exc:  # a rule must never crash the run: report it as what it is, a bug
            emit("internal", (), f"kubebridge failed on this object ({type(exc).__name__}: {exc}); please report it")
        pending.manifests.append(m)

    def _rules_for(self, kind: str) -> list[Callable[[Manifest], None]]:
        """The document rules that can fire on this kind: an API-server check runs only on its kinds and minors."""
        rules = self._kind_rules.get(kind)
        if rules is None:
            rules = self._kind_rules[kind] = [
                fn for fn in self.document_rules
                if getattr(fn, "check", None) is None or fn.check.applies(kind, self.minor)]  # type: ignore[attr-defined]
        return rules

    def _no_schema(self, api: str, kind: str, key: str, emit) -> None:
        group = api.rpartition("/")[0]
        if key in self.served:
            emit("no-schema", ("kind",), f"kubebridge bundles no schema for {api} {kind}: it is not schema-checked")
        elif (gone := api_lifecycle.api_lifecycle(self.version, key)) is not None and gone.removed and \
                self.minor < tuple(map(int, gone.minor.split("."))):  # e.g. 1.24, checked against 1.25: still served
            emit("api-deprecated", ("apiVersion",), f"Kubernetes {self.choice.requested} serves {api} {kind}, and "
                 f"Kubernetes {gone.minor} removes it" + lifecycle_advice(kind, gone) + f" (no schema of it is "
                 f"bundled for {self.choice.requested}: it is not schema-checked)")
        elif gone is not None and gone.removed:
            emit("api-removed", ("apiVersion",), f"Kubernetes {self.version} does not serve {api} {kind}: "
                 f"Kubernetes {gone.minor} removed it" + lifecycle_advice(kind, gone))
        elif group in k8s_schema.builtin_groups():
            emit("unknown-kind", ("kind",), f"Kubernetes {self.version} does not serve {api} {kind}"
                 + kind_hint(api, kind, self.version))
        else:
            hint = self.custom.hint(api, kind) if self.custom else ""
            emit("no-schema", ("kind",), f"{api} {kind} is not a built-in Kubernetes kind (a custom resource?): "
                 f"it is not schema-checked{hint}")

    def _deprecated(self, api: str, kind: str, key: str, emit) -> None:
        """A served apiVersion a later Kubernetes removes: a warning naming the release and the replacement."""
        soon = api_lifecycle.api_lifecycle(self.version, key)
        if soon is not None and not soon.removed:
            emit("api-deprecated", ("apiVersion",), f"{api} {kind} is deprecated: Kubernetes {soon.minor} no longer "
                 "serves it" + lifecycle_advice(kind, soon))
        elif (old := api_lifecycle.deprecated_kind(self.version, key)) is not None:
            emit("api-deprecated", ("kind",), f"{api} {kind} is deprecated since Kubernetes {old.since}: the API "
                 "server warns on every request, though no release removes it yet" + (
                     f"; use {old.instead}" if old.instead else "; nothing replaces it"))

    def _dialects(self, pending: _Pending) -> None:
        doc = pending.doc
        try:
            podman = next(iter_documents(doc.text, doc.file, "podman", expand_lists=False), None)
        except KubebridgeError as exc:  # yaml.v3 refuses what go-yaml v2 read
            if doc.duplicates and "already defined" in exc.detail and exc.path == json_path(doc.duplicates[0]):
                return  # a key given twice: reported as duplicate-key
            if self.options.target != KUBERNETES:
                line = doc.line_offset + exc.line if exc.line is not None else None
                keys = parse_json_path(exc.path) if exc.path else ()
                said = f"unmarshal errors: {exc.detail}" if "already defined" in exc.detail else exc.detail
                pending.found.append(("yaml", keys, "podman kube play refuses the file: multi doc yaml could not be "
                                      f"split: yaml: {said}", "", "", line, PODMAN))
            return
        if podman is None:
            return
        podman.index, podman.line, podman.line_offset = doc.index, doc.line, doc.line_offset
        pending.podman_doc = podman
        if "podman-yaml-dialect" not in self.active:
            return
        kind = as_str(as_dict(doc.data).get("kind")) if isinstance(doc.data, dict) else ""
        name = as_str(as_dict(as_dict(doc.data).get("metadata")).get("name")) if isinstance(doc.data, dict) else ""
        for keys, message in dialect_differences(doc.data, podman.data, ()):
            pending.found.append(("podman-yaml-dialect", keys, message, kind, name, None))

    # --- several documents ------------------------------------------------------------------

    @property
    def file_rules(self) -> bool:
        return bool({"podman-env-precedence", "podman-refuses", "podman-missing-ref", "podman-kind-ignored"}
                    & self.active)

    def _refusal(self, p: _Pending, exc: KubebridgeError) -> None:
        rule = "podman-missing-ref" if isinstance(exc, MissingReference) else "podman-refuses"
        if rule not in self.active:
            return
        data = p.doc.data if isinstance(p.doc.data, dict) else {}
        keys = parse_json_path(exc.path) if exc.path else ()
        line = None if keys else (exc.line if exc.file in (None, p.doc.file) and exc.line else p.doc.line)
        message = exc.detail
        if rule == "podman-missing-ref":
            message += (" (it is not in the checked files; Podman needs it: --configmap for a ConfigMap, "
                        "podman secret create for a Secret)")
        p.found.append((rule, keys, message, as_str(data.get("kind")), _name(data), line))

    # --- placing findings -------------------------------------------------------------------

    def place(self, p: _Pending) -> list[Finding]:
        """The pending findings, given their lines, in line order (each reported once per document)."""
        if not p.found:
            return []
        doc = p.doc
        places = doc.locate_all([entry[1] for entry in p.found if entry[5] is None]) if doc.text else {}
        findings = []
        for entry in p.found:
            rule, keys, message, kind, name, line = entry[:6]
            column = None
            if line is None:
                line, column = places.get(tuple(keys), (doc.line if doc.text else None, None))
            if line is not None and column is None:
                column = 1  # a place known by its line only (Podman's refusals): the line's start
            identity = (rule, tuple(keys), message)
            if identity in p.seen:
                continue
            p.seen.add(identity)
            spec = RULES[rule]
            target = entry[6] if len(entry) > 6 else spec.target
            findings.append(Finding(doc.file, doc.index + 1, kind, name, json_path(keys) if keys else "", line,
                                    column, rule, spec.severity_for(target), clip(message), target, tuple(keys)))
        p.found.clear()  # the same list: emit closures of its manifests append to it later
        findings.sort(key=lambda f: (f.line or 0, f.column or 0))
        return findings


class _Together:
    """The rules over a whole file, run as its documents stream by.

    A workload is dry-run in Podman (and its env checked against envFrom) as
    soon as every ConfigMap and Secret it names has been seen, else at the end
    of the file.  Only ConfigMaps, Secrets and such waiting workloads are kept.
    """

    def __init__(self, checker: "Checker"):
        self.checker = checker
        self.active = checker.file_rules
        self.aux: dict[tuple[str, str], Document] = {}
        self.sources: dict[tuple[str, str], set[str]] = {}
        self.waiting: list[tuple[_Pending, set]] = []
        self.played = False
        self.kinds: set[str] = set()
        self.first: _Pending | None = None
        self.first_workload: _Pending | None = None
        self.only_configmaps = True

    def add(self, p: _Pending) -> list[_Pending]:
        """Take a checked document; the documents that have new findings now."""
        if not self.active:
            return []
        doc = p.podman_doc or p.doc
        kind = doc.kind
        if kind:
            self.kinds.add(kind)
        self.only_configmaps = self.only_configmaps and kind == "ConfigMap"
        if self.first is None:
            self.first = p
        touched = []
        if kind in ("ConfigMap", "Secret") and isinstance(doc.data, dict):
            try:
                decode(doc, go_field_paths=self.checker.profile.go_json_field_paths)  # Podman decodes them all
            except KubebridgeError as exc:
                self.checker._refusal(p, exc)
                touched.append(p)
            # kept without its text: only play reads it from now on
            key = (kind, _name(doc.data))
            self.aux.setdefault(key, Document(doc.data, doc.file, doc.index, doc.line))
            for m in p.manifests:
                self.sources.update(env_sources(m))
            if self.waiting and any(key in needed for _, needed in self.waiting):
                ready = [w for w in self.waiting if w[1] <= self.aux.keys()]
                self.waiting = [w for w in self.waiting if w not in ready]
                touched += [w[0] for w in ready if self._run(*w)]
            return touched
        if not isinstance(doc.data, dict) or not played(kind, self.checker.profile):
            if kind in WORKLOAD_KINDS and self.first_workload is None:
                self.first_workload = p
            return touched
        self.played = True
        needed = pod_references(doc.data)
        if needed <= self.aux.keys():
            return [p] if self._run(p, needed) else []
        self.waiting.append((p, needed))
        return touched

    def finish(self) -> list[_Pending]:
        """The end of the file: the waiting workloads, and whether Podman would play anything at all."""
        if not self.active:
            return []
        touched = [p for p, needed in self.waiting if self._run(p, needed)]
        if not self.played and self.first is not None:
            touched += self._nothing_to_play()
        return touched

    def _run(self, p: _Pending, needed: set) -> bool:
        before = len(p.found)
        doc = p.podman_doc or p.doc
        if "podman-env-precedence" in self.checker.active:
            for m in p.manifests:
                env_precedence(m, self.sources, self.checker.profile)
        if {"podman-refuses", "podman-missing-ref"} & self.checker.active:
            try:
                if doc.duplicates and "duplicate-key" in self.checker.active:
                    exc = None  # duplicate-key says Podman refuses it
                elif doc.duplicates:
                    exc = play_refusal([doc], self.checker.profile)
                else:
                    given = [self.aux[ref] for ref in sorted(needed) if ref in self.aux]
                    exc = play_refusal([doc] + given, self.checker.profile)
            except Exception as error:  # kubebridge's own play failed: a bug to report, not a crash
                p.found.append(("internal", (), f"kubebridge's Podman dry run failed on this document "
                                f"({type(error).__name__}: {error}); please report it", doc.kind, "", None))
                return True
            if exc is not None:
                self.checker._refusal(p, exc)
        return len(p.found) > before

    def _nothing_to_play(self) -> list[_Pending]:
        """podman kube play refuses a file in which it plays nothing: say so where that was surely meant to play."""
        if self.first_workload is not None:  # a workload this Podman does not play (4.3: DaemonSet, Job, List)
            self.checker._refusal(self.first_workload,
                                  KubebridgeError("YAML document does not contain any supported kube kind"))
            return [self.first_workload]
        if "podman-kind-ignored" not in self.checker.active:
            return []
        first = self.first
        assert first is not None  # only asked when a document was seen
        data = as_dict(first.doc.data)
        if self.only_configmaps:
            message = ("podman kube play refuses a file of only ConfigMaps (they are not a standalone object): "
                       "give it with --configmap")
        elif self.kinds:
            message = (f"{NOTHING_PLAYED}: nothing in it is played "
                       f"({', '.join(sorted(self.kinds))}); play it together with the workloads that use it")
        else:
            message = "podman kube play refuses this file: none of its objects has a kind"
        first.found.append(("podman-kind-ignored", ("kind",), message, as_str(data.get("kind")), _name(data), None))
        return [first]


def _marked(findings: list[Finding], result: CheckResult) -> list[Finding]:
    """The findings; a schema that cannot be used (schema-invalid) makes the run unusable, as unreadable input does."""
    if any(f.rule == "schema-invalid" for f in findings):
        result.unusable = True
    return findings


@contextmanager
def _collector_paused():
    """Python's cycle collector off while a file is read: documents hold no cycles, and with thousands of them
    alive the collector's passes cost as much as parsing (measured: 2.5 s against 2.0 s for 20,000 documents)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _name(data: dict) -> str:
    return as_str(as_dict(data.get("metadata")).get("name"))
