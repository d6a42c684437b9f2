"""check's schema verdicts against kubernetes-validate's, the reference Python validator.

Real manifests: every object of the real-manifest corpus (../shared/corpora/real-manifests, 672 files from
public repositories) whose apiVersion/kind has a Kubernetes schema, of every kind, for three minors, strict
and not.  Then, for eight kinds, manifests: every document of those kinds in the captured fixtures,
the play scenarios, the rule cases and a slice of the benchmark corpus, plus
seeded mutations of them (a value of the wrong type, a key removed, an unknown
field, null, a container restartPolicy).  For several Kubernetes versions,
strict and not, kubebridge must call a manifest invalid exactly when
kubernetes-validate does, and report the path kubernetes-validate reports.
A hypothesis test then mutates at random.
"""
from __future__ import annotations

import copy
import random
import sys
from functools import lru_cache
from pathlib import Path

import kubernetes_validate
import kubernetes_validate.utils as kv_utils
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubebridge.checks import schema as k8s_schema
from kubebridge.checks.engine import Checker, CheckOptions
from kubebridge.load.manifests import Document, iter_documents

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from corpus import corpus  # noqa: E402
from support import value_paths  # noqa: E402

KINDS = {"v1/Pod", "apps/v1/Deployment", "apps/v1/DaemonSet", "batch/v1/Job", "v1/Service",
         "v1/PersistentVolumeClaim", "v1/ConfigMap", "v1/Secret"}
VERSIONS = ("1.25", "1.28", "1.31", "1.37")

# kubernetes-validate re-reads its 1.8 MB definitions file on every call (10 ms); caching the read changes no verdict
kv_utils.schema_contents = lru_cache(maxsize=None)(kv_utils.schema_contents)


def _documents() -> list[dict]:
    texts = [p.read_bytes() for p in sorted((ROOT / "tests/fixtures/generate").glob("*/*/generate*.yaml"))]
    texts += [p.read_bytes() for p in sorted((ROOT / "tests/capture/play").glob("*.yaml"))]
    texts += [p.read_text().replace("#### good\n", "---\n").encode()
              for p in sorted((ROOT / "tests/check_rules").glob("*.yaml"))]
    texts.append(corpus(120, seed=7).encode())
    docs = []
    for text in texts:
        try:
            docs += [d.data for d in iter_documents(text, "x", expand_lists=True)]
        except Exception:
            continue  # the unreadable cases (a tab) have no verdict to compare
    return [d for d in docs if isinstance(d, dict) and _key(d) in KINDS]


def _key(doc: dict) -> str:
    return f"{doc.get('apiVersion')}/{doc.get('kind')}"


def _set(doc, path, value):
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _wrong_type(value):
    if isinstance(value, bool):
        return "true"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return 7
    if isinstance(value, list):
        return {"x": 1}
    if isinstance(value, dict):
        return "x"
    return ["x"]


def mutate(doc: dict, rng: random.Random, how: str) -> dict:
    doc = copy.deepcopy(doc)
    places = [(p, v) for p, v in value_paths(doc) if p and p[0] not in ("apiVersion", "kind")]
    if not places:
        return doc
    path, value = rng.choice(places)
    if how == "type":
        _set(doc, path, _wrong_type(value))
    elif how == "null":
        _set(doc, path, None)
    elif how == "remove":
        dicts = [(p, v) for p, v in places if isinstance(v, dict) and v]
        if dicts:
            path, value = rng.choice(dicts)
            del value[rng.choice(sorted(value))]
    elif how == "unknown":
        dicts = [(p, v) for p, v in places if isinstance(v, dict)]
        if dicts:
            rng.choice(dicts)[1]["kubebridgeUnknownField"] = "x"
    elif how == "restart":  # a field that exists from 1.28 on (native sidecars)
        for p, v in places:
            if p[-2:-1] in (("containers",), ("initContainers",)) and isinstance(v, dict):
                v["restartPolicy"] = "Always"
                break
    return doc


MUTATIONS = ("type", "null", "remove", "unknown", "restart")


@lru_cache(maxsize=1)
def manifests() -> list[dict]:
    base = _documents()
    rng = random.Random(20261121)
    mutated = [mutate(rng.choice(base), rng, how) for how in MUTATIONS for _ in range(50)]
    return base + mutated


def kv_verdict(doc: dict, version: str, strict: bool):
    """None when kubernetes-validate accepts the document, else the path of its (best) error."""
    try:
        kubernetes_validate.validate(doc, version, strict=strict)
        return None
    except kubernetes_validate.ValidationError as error:
        return tuple(error.path)


@lru_cache(maxsize=None)
def checker(version: str, strict: bool) -> Checker:
    return Checker(CheckOptions(kubernetes_version=version, strict=strict,
                                select=frozenset({"schema", "openapi-required"})))


OPENAPI_VERDICT = ("schema", "openapi-required")  # what a validator of the OpenAPI refuses (openapi-required: not
# the API server, see test_openapi_required.py)


def our_paths(doc: dict, version: str, strict: bool) -> list[tuple]:
    result = checker(version, strict).check_documents([Document(doc, "x", 0, 1)])
    return [f.keys for f in result.findings if f.rule in OPENAPI_VERDICT]


def test_corpus_is_big_enough():
    docs = manifests()
    assert len(docs) >= 200
    assert len({_key(d) for d in docs}) == len(KINDS)
    verdicts = [kv_verdict(d, "1.37", True) for d in docs]
    assert 50 <= sum(v is not None for v in verdicts) <= len(docs) - 50  # both verdicts well represented


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "non-strict"])
@pytest.mark.parametrize("version", VERSIONS)
def test_schema_verdicts_agree(version, strict):
    disagreements = []
    for doc in manifests():
        expected = kv_verdict(doc, version, strict)
        ours = our_paths(doc, version, strict)
        if (expected is None) != (not ours):
            disagreements.append((doc.get("kind"), expected, ours))
        elif expected is not None and not any(p[:len(expected)] == expected for p in ours):
            disagreements.append((doc.get("kind"), "path", expected, ours))
    assert disagreements == []


@lru_cache(maxsize=None)
def reference_validator(version: str, key: str, strict: bool):
    from jsonschema import Draft202012Validator

    bundle = k8s_schema.load_version(version)
    schema = {**bundle["kinds"][key], "$defs": bundle["$defs"]}
    return Draft202012Validator(k8s_schema.strict_variant(schema) if strict else schema)


def reference_errors(version: str, key: str, strict: bool, doc: dict) -> list[tuple]:
    """jsonschema's own errors, an unexpected field split out and placed at itself (as check reports it)."""
    found = []
    for error in reference_validator(version, key, strict).iter_errors(doc):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and error.validator_value is False:
            known = error.schema.get("properties", {})
            for name in sorted((k for k in error.instance if k not in known), key=str):
                found.append((path + (name,), f"Additional properties are not allowed ({name!r} was unexpected)"))
        else:
            found.append((path, error.message))
    return sorted(found, key=lambda e: (k8s_schema.path_order(e[0]), e[1]))


def test_checks_and_messages_agree_with_jsonschema():
    """For every manifest, version and mode: the compiled check's verdict is jsonschema's, and errors() gives
    jsonschema's errors, word for word."""
    for doc in manifests():
        key = _key(doc)
        for version in VERSIONS:
            for strict in (True, False):
                expected = reference_errors(version, key, strict, doc)
                ours = sorted(((e.path, e.message) for e in k8s_schema.errors(version, key, strict, doc)),
                              key=lambda e: (k8s_schema.path_order(e[0]), e[1]))
                assert ours == expected, (key, version, strict)
                assert k8s_schema.compiled_kind(version, key, strict)(doc) == (not expected)


def test_version_dependent_field():
    """A container restartPolicy: unknown before 1.28, known after; strict mode tells them apart."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"initContainers": [{"name": "s", "image": "i", "restartPolicy": "Always"}],
                    "containers": [{"name": "a", "image": "i"}]}}
    assert kv_verdict(pod, "1.27", True) is not None and our_paths(pod, "1.27", True)
    assert kv_verdict(pod, "1.28", True) is None and not our_paths(pod, "1.28", True)
    assert kv_verdict(pod, "1.27", False) is None and not our_paths(pod, "1.27", False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0), seed=st.integers(min_value=0, max_value=2 ** 32),
       how=st.sampled_from(MUTATIONS), version=st.sampled_from(VERSIONS), strict=st.booleans())
def test_random_mutations_agree(index, seed, how, version, strict):
    base = manifests()
    doc = mutate(base[index % len(base)], random.Random(seed), how)
    assert (kv_verdict(doc, version, strict) is None) == (not our_paths(doc, version, strict))


# --- every kind, on real manifests ----------------------------------------------------------------------------------

from support import CORPUS, real_corpus  # noqa: E402
CORPUS_VERSIONS = ("1.25", "1.31", "1.37")


@lru_cache(maxsize=1)
def corpus_objects() -> list[tuple[str, dict]]:
    """Every object (apiVersion and kind, as strings) of every YAML and JSON file of the real-manifest corpus."""
    real_corpus()
    found = []
    for path in sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file()):
        name = str(path.relative_to(CORPUS))
        for doc in iter_documents(path.read_bytes(), name, expand_lists=True):
            data = doc.data
            if isinstance(data, dict) and isinstance(data.get("apiVersion"), str) and isinstance(data.get("kind"), str):
                found.append((name, data))
    return found


def kv_corpus_verdict(doc: dict, version: str, strict: bool):
    """"no schema" when kubernetes-validate has none for the apiVersion/kind, else kv_verdict."""
    try:
        return kv_verdict(doc, version, strict)
    except kubernetes_validate.SchemaNotFoundError:
        return "no schema"


@lru_cache(maxsize=None)
def corpus_checker(version: str, strict: bool) -> Checker:
    rules = frozenset({"schema", "openapi-required", "no-schema", "unknown-kind", "api-removed"})
    return Checker(CheckOptions(kubernetes_version=version, strict=strict, select=rules))


@pytest.mark.parametrize("strict", [True, False], ids=["strict", "non-strict"])
@pytest.mark.parametrize("version", CORPUS_VERSIONS)
def test_real_manifests_every_kind_schema_checked_as_kubernetes_validate_does(version, strict):
    """Every object of the corpus that has a Kubernetes schema is schema-checked (no no-schema warning), and
    check calls it invalid exactly when kubernetes-validate does, at the path kubernetes-validate names."""
    disagreements, checked, kinds = [], 0, set()
    for name, doc in corpus_objects():
        expected = kv_corpus_verdict(doc, version, strict)
        findings = corpus_checker(version, strict).check_documents([Document(doc, name, 0, 1)]).findings
        rules = {f.rule for f in findings}
        paths = [f.keys for f in findings if f.rule in OPENAPI_VERDICT]
        key = _key(doc)
        if expected == "no schema":
            if key in k8s_schema.served(version) or "schema" in rules:
                disagreements.append((name, key, "kubernetes-validate has no schema", sorted(rules)))
            continue
        checked += 1
        kinds.add(key)
        if rules & {"no-schema", "unknown-kind", "api-removed"} or key not in k8s_schema.served(version):
            disagreements.append((name, key, "not schema-checked", sorted(rules)))
        elif (expected is None) != (not paths):
            disagreements.append((name, key, expected, paths))
        elif expected is not None and not any(p[:len(expected)] == expected for p in paths):
            disagreements.append((name, key, "path", expected, paths))
    assert disagreements == []
    assert checked >= 1200 and len(kinds) >= 25  # 1,264 objects of 28 kinds (8 before every kind was bundled)


def test_real_manifests_errors_are_jsonschemas_word_for_word():
    """The invalid objects of the corpus: errors() gives jsonschema's own errors (all kinds, 1.37, strict)."""
    invalid = 0
    for _, doc in corpus_objects():
        key = _key(doc)
        if key not in k8s_schema.served("1.37"):
            continue
        expected = reference_errors("1.37", key, True, doc)
        ours = sorted(((e.path, e.message) for e in k8s_schema.errors("1.37", key, True, doc)),
                      key=lambda e: (k8s_schema.path_order(e[0]), e[1]))
        assert ours == expected, key
        assert k8s_schema.compiled_kind("1.37", key, True)(doc) == (not expected)
        invalid += bool(expected)
    assert invalid >= 30


def test_derived_strict_schema_equals_the_wheels():
    """schemas/regenerate_kubernetes.py proves this for every file it writes; here for the installed wheel too."""
    import json
    from importlib.resources import files

    base = files("kubernetes_validate") / "kubernetes-json-schema"
    for version in ("1.25", "1.37"):
        plain = json.loads((base / f"v{version}.0-local" / "pod-v1.json").read_text())
        strict = json.loads((base / f"v{version}.0-local-strict" / "pod-v1.json").read_text())
        assert k8s_schema.strict_variant(plain) == strict
