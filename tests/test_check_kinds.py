"""Every built-in kind of every bundled minor: the stored schemas, how lazily they are read, the two verdict
libraries, and removed and deprecated apiVersions (api-removed, api-deprecated) for several minors."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kubebridge
from kubebridge.checks import api_lifecycle
from kubebridge.checks import schema as k8s_schema

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "schemas" / "kubernetes"
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
       "spec": {"containers": [{"name": "a", "image": "registry.example.com/a:1"}]}}


# --- the stored schemas ------------------------------------------------------------------------------------------

def test_each_distinct_schema_is_stored_once():
    table = json.loads((DATA / "definitions.json").read_text())
    texts = [json.dumps(v, sort_keys=True) for v in table.values()]
    assert len(texts) == len(set(texts))
    used = set()
    for version in k8s_schema.bundled_versions():
        bundle = json.loads((DATA / f"v{version}.json").read_text())
        assert set(bundle) == {"definitions", "kinds"}
        used |= set(bundle["definitions"].values()) | set(bundle["kinds"].values())
    assert used == set(table)  # nothing stored that no minor uses, nothing used that is not stored


def test_every_kind_of_every_minor_reaches_only_stored_definitions():
    for version in k8s_schema.bundled_versions():
        kinds = k8s_schema.served(version)
        assert {"v1/Pod", "apps/v1/StatefulSet", "networking.k8s.io/v1/Ingress", "batch/v1/CronJob",
                "rbac.authorization.k8s.io/v1/ClusterRole", "apiextensions.k8s.io/v1/CustomResourceDefinition",
                "policy/v1/PodDisruptionBudget"} <= kinds
        for key in kinds:
            schema = k8s_schema.kind_schema(version, key)
            found: list = []
            k8s_schema._refs(schema, found)
            assert set(found) <= set(schema["$defs"]), (version, key)


def test_index_spans_are_the_minor_files():
    versions = k8s_schema.bundled_versions()
    for key, (first, last) in json.loads((DATA / "index.json").read_text())["served"].items():
        serving = [v for v in versions if key in k8s_schema.served(v)]
        assert serving == list(versions[versions.index(first):versions.index(last) + 1]), key


def test_installed_size_is_small():
    size = sum(p.stat().st_size for p in DATA.glob("*.json"))
    assert size < 3 * 1024 * 1024  # every kind of 13 minors; 952 KB held 8 kinds before they were shared


def test_every_kind_compiles_and_judges_a_bare_object_as_jsonschema_does():
    """Each kind of the oldest and newest minor, strict: jsonschema-rs compiles it and agrees with jsonschema."""
    for version in ("1.25", "1.37"):
        for key in sorted(k8s_schema.served(version)):
            api, _, kind = key.rpartition("/")
            doc = {"apiVersion": api, "kind": kind, "metadata": {"name": "x"}, "spec": {}}
            expected = k8s_schema._reference_validator(version, key, True).is_valid(doc)
            assert k8s_schema.compiled_kind(version, key, True)(doc) == expected, (version, key)
            assert (not list(k8s_schema.errors(version, key, True, doc))) == expected, (version, key)


# --- read lazily ---------------------------------------------------------------------------------------------------

PROBE = textwrap.dedent("""
    import json, runpy, sys
    opened = []
    sys.addaudithook(lambda event, args: event == "open" and isinstance(args[0], str)
                     and "kubernetes" in args[0] and args[0].endswith(".json") and opened.append(args[0]))
    sys.argv = ["kubebridge", *json.loads(sys.argv[1])]
    try:
        runpy.run_module("kubebridge", run_name="__main__")
    except SystemExit:
        pass
    from kubebridge.checks import schema as k8s_schema
    libraries = sorted(m for m in ("jsonschema", "jsonschema_rs") if m in sys.modules)
    print(json.dumps({"opened": sorted({o.rsplit("/", 1)[1] for o in opened}), "libraries": libraries,
                      "parsed": sorted(k8s_schema._parsed)}), file=sys.stderr)
""")


def probe(*args: str, stdin: str = "") -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    return json.loads(proc.stderr.strip().splitlines()[-1])


def test_help_reads_no_schema_and_imports_no_schema_library():
    seen = probe("--help")
    assert seen == {"opened": [], "libraries": [], "parsed": []}


def test_a_check_parses_only_the_kinds_it_meets():
    seen = probe("check", "--target", "kubernetes", "--kubernetes-version", "1.30", "-", stdin=json.dumps(POD))
    assert seen["opened"] == ["api-removals.json", "definitions.json", "index.json", "v1.30.json"]
    digest, reached = k8s_schema._closure("1.30", "v1/Pod")
    assert set(seen["parsed"]) == {digest, *reached.values()}  # the Pod's own schemas, nothing else
    assert seen["libraries"] == (["jsonschema_rs"] if k8s_schema.verdict_library() == "jsonschema-rs" else
                                 ["jsonschema"])  # a valid document: jsonschema, the wording, is not imported


def test_a_failing_document_brings_jsonschema_for_the_wording():
    bad = json.dumps({**POD, "spec": {"containers": [{"name": "a", "image": 7}]}})
    seen = probe("check", "--target", "kubernetes", "-", stdin=bad)
    assert "jsonschema" in seen["libraries"]


# --- the two libraries -------------------------------------------------------------------------------------------

@pytest.fixture
def without_jsonschema_rs(monkeypatch):
    """As on a Python or platform with no jsonschema-rs wheel: its import fails."""
    monkeypatch.setitem(sys.modules, "jsonschema_rs", None)
    for cached in (k8s_schema.verdict_library, k8s_schema.compiled_kind):
        cached.cache_clear()
    yield
    monkeypatch.undo()
    for cached in (k8s_schema.verdict_library, k8s_schema.compiled_kind):
        cached.cache_clear()


def test_without_jsonschema_rs_jsonschema_gives_the_same_verdicts(without_jsonschema_rs):
    import test_check_schema as differential

    assert k8s_schema.verdict_library() == "jsonschema"
    docs = differential.manifests()
    for version in ("1.25", "1.37"):
        for strict in (True, False):
            for doc in docs[::3]:
                key = differential._key(doc)
                expected = differential.reference_errors(version, key, strict, doc)
                assert k8s_schema.compiled_kind(version, key, strict)(doc) == (not expected)
    result = kubebridge.check(json.dumps({**POD, "spec": {"containers": [{"name": "a", "image": 7}]}}),
                              target="kubernetes")
    assert [(f.rule, f.path, f.message) for f in result.errors] == [
        ("schema", "spec.containers[0].image", "7 is not of type 'string', 'null'")]


@pytest.mark.skipif(k8s_schema.verdict_library() != "jsonschema-rs", reason="jsonschema-rs is not installed")
def test_jsonschema_rs_is_the_verdict_where_installed():
    import jsonschema_rs  # noqa: F401

    assert k8s_schema.verdict_library() == "jsonschema-rs"


def test_values_jsonschema_rs_cannot_take_go_to_jsonschema():
    """A mapping key that is not a string, bytes: an API caller's Python values, judged all the same."""
    check = k8s_schema.compiled_kind("1.37", "v1/ConfigMap", True)
    assert check({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}})
    assert not check({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {1: 2}})
    assert not check({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": b"c"}})
    assert check({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {1: "x"}})


def test_the_errors_of_a_document_nested_beyond_pythons_stack_are_one_clear_error():
    deep: dict = {}
    node = deep
    for _ in range(3000):
        node["x"] = {}
        node = node["x"]
    doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": deep}}
    assert not k8s_schema.compiled_kind("1.37", "v1/ConfigMap", True)(doc)
    found = list(k8s_schema.errors("1.37", "v1/ConfigMap", True, doc))
    assert found and all(e.message for e in found)


# --- removed and deprecated apiVersions --------------------------------------------------------------------------

def _manifest(api: str, kind: str) -> str:
    return f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: x\n"


REMOVED = [  # (target minor, apiVersion, kind, the release that removed it, the replacement named)
    ("1.25", "extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"),
    ("1.37", "extensions/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"),
    ("1.30", "networking.k8s.io/v1beta1", "Ingress", "1.22", "networking.k8s.io/v1"),
    ("1.25", "policy/v1beta1", "PodDisruptionBudget", "1.25", "policy/v1"),
    ("1.25", "batch/v1beta1", "CronJob", "1.25", "batch/v1"),
    ("1.31", "batch/v1beta1", "CronJob", "1.25", "batch/v1"),
    ("1.26", "autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2"),
    ("1.26", "flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26", "flowcontrol.apiserver.k8s.io/v1beta2"),
    ("1.29", "flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "1.29", "flowcontrol.apiserver.k8s.io/v1"),
    ("1.33", "flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", "1.32",
     "flowcontrol.apiserver.k8s.io/v1"),
    ("1.37", "flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "1.26", "flowcontrol.apiserver.k8s.io/v1"),
    ("1.27", "storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", "storage.k8s.io/v1"),
    ("1.28", "apps/v1beta2", "Deployment", "1.16", "apps/v1"),
    ("1.28", "rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "1.22", "rbac.authorization.k8s.io/v1"),
    ("1.34", "apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "1.22", "apiextensions.k8s.io/v1"),
    # not in the guide: read from the bundled schemas (served to 1.30, gone in 1.31)
    ("1.31", "resource.k8s.io/v1alpha2", "ResourceClaim", "1.31", "resource.k8s.io/v1alpha3"),
    ("1.37", "resource.k8s.io/v1alpha2", "ResourceClaim", "1.31", "resource.k8s.io/v1"),
]


@pytest.mark.parametrize("version,api,kind,removed,replacement", REMOVED,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in REMOVED])
def test_removed_api_is_an_error_naming_release_and_replacement(version, api, kind, removed, replacement):
    result = kubebridge.check(_manifest(api, kind), kubernetes_version=version, target="kubernetes")
    found = [f for f in result.findings if f.rule == "api-removed"]
    assert len(found) == 1 and found[0].severity == "error" and found[0].path == "apiVersion"
    assert found[0].message == (f"Kubernetes {version} does not serve {api} {kind}: Kubernetes {removed} removed it; "
                                f"use apiVersion: {replacement}")
    assert not [f for f in result.findings if f.rule in ("unknown-kind", "no-schema", "schema")]


def test_a_removed_api_without_a_successor_says_what_to_do():
    result = kubebridge.check(_manifest("policy/v1beta1", "PodSecurityPolicy"), kubernetes_version="1.28")
    (found,) = [f for f in result.findings if f.rule == "api-removed"]
    assert "Kubernetes 1.25 removed it; PodSecurityPolicy has no successor API: use Pod Security Admission" in \
        found.message
    (older,) = [f for f in kubebridge.check(_manifest("extensions/v1beta1", "PodSecurityPolicy")).findings
                if f.rule == "api-removed"]  # its replacement, policy/v1beta1, went too: the advice follows
    assert "Kubernetes 1.16 removed it; PodSecurityPolicy has no successor API" in older.message


DEPRECATED = [  # (target minor, apiVersion, kind, the release that removes it, the replacement named)
    ("1.25", "autoscaling/v2beta2", "HorizontalPodAutoscaler", "1.26", "autoscaling/v2"),
    ("1.26", "storage.k8s.io/v1beta1", "CSIStorageCapacity", "1.27", "storage.k8s.io/v1"),
    ("1.26", "flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", "1.29", "flowcontrol.apiserver.k8s.io/v1beta3"),
    ("1.28", "flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "1.29",
     "flowcontrol.apiserver.k8s.io/v1beta3"),
    ("1.31", "flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "1.32", "flowcontrol.apiserver.k8s.io/v1"),
    ("1.30", "resource.k8s.io/v1alpha2", "ResourceClaim", "1.31",
     "resource.k8s.io/v1alpha3 (served from Kubernetes 1.31 on)"),
    # never from beta to the alpha the minor also serves (the trial's VolumeAttributesClass advice)
    ("1.31", "storage.k8s.io/v1beta1", "VolumeAttributesClass", "1.37",
     "storage.k8s.io/v1 (served from Kubernetes 1.34 on)"),
]


@pytest.mark.parametrize("version,api,kind,removed,replacement", DEPRECATED,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in DEPRECATED])
def test_deprecated_api_is_a_warning_naming_release_and_replacement(version, api, kind, removed, replacement):
    result = kubebridge.check(_manifest(api, kind), kubernetes_version=version, target="kubernetes")
    found = [f for f in result.findings if f.rule == "api-deprecated"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].path == "apiVersion"
    assert found[0].message == (f"{api} {kind} is deprecated: Kubernetes {removed} no longer serves it; "
                                f"use apiVersion: {replacement}")
    assert not [f for f in result.findings if f.rule in ("api-removed", "unknown-kind", "no-schema")]


def test_the_same_api_is_deprecated_then_removed_as_the_target_moves():
    hpa = _manifest("autoscaling/v2beta2", "HorizontalPodAutoscaler")
    rules = {v: {f.rule for f in kubebridge.check(hpa, kubernetes_version=v).findings} for v in ("1.25", "1.26")}
    assert "api-deprecated" in rules["1.25"] and "api-removed" not in rules["1.25"]
    assert "api-removed" in rules["1.26"] and "api-deprecated" not in rules["1.26"]


def test_current_apis_and_typos_are_neither():
    for version in ("1.25", "1.37"):
        for api, kind in (("apps/v1", "Deployment"), ("networking.k8s.io/v1", "Ingress"), ("batch/v1", "CronJob")):
            assert api_lifecycle.api_lifecycle(version, k8s_schema.kind_key(api, kind)) is None
    result = kubebridge.check(_manifest("apps/v1", "Deploymnet"))
    assert {f.rule for f in result.findings} & {"unknown-kind", "api-removed"} == {"unknown-kind"}
    newer = kubebridge.check(_manifest("resource.k8s.io/v1", "ResourceClaim"), kubernetes_version="1.30")
    assert "unknown-kind" in {f.rule for f in newer.findings}  # served from 1.34: not yet, not removed


def test_the_guide_table_agrees_with_the_bundled_schemas():
    """api-removals.json says when each apiVersion went; the bundled schemas must say the same where they can."""
    data = json.loads((DATA / "api-removals.json").read_text())
    assert "kubernetes.io/docs/reference/using-api/deprecation-guide" in data["source"]
    versions = k8s_schema.bundled_versions()
    number = api_lifecycle._minor_number
    for entry in data["removals"]:
        removed = entry["removed"]
        for api in entry["apiVersions"]:
            for kind in entry["kinds"]:
                key = k8s_schema.kind_key(api, kind)
                serving = [v for v in versions if key in k8s_schema.served(v)]
                assert all(number(v) < number(removed) for v in serving), key  # never served from then on
                if removed in versions and removed != versions[0]:
                    assert serving and serving[-1] == versions[versions.index(removed) - 1], key
                if removed in versions:  # the guide's replacement is there when the old one goes
                    assert not entry["use"] or any(k8s_schema.kind_key(u, kind) in k8s_schema.served(removed)
                                                   for u in entry["use"]), key


def test_an_infinite_number_is_judged_as_jsonschema_judges_it():
    """jsonschema-rs takes no inf or nan (not JSON); jsonschema calls them numbers: its verdict stands."""
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "a.b.c"},
           "spec": {"group": "b.c", "names": {"kind": "A", "plural": "as"}, "scope": "Namespaced",
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": {"type": "object", "maximum": float("inf")}}}]}}
    key = "apiextensions.k8s.io/v1/CustomResourceDefinition"
    for value in (float("inf"), float("nan"), 5.0):
        crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["maximum"] = value
        expected = k8s_schema._reference_validator("1.37", key, True).is_valid(crd)
        assert expected and k8s_schema.compiled_kind("1.37", key, True)(crd)


def test_a_tuple_from_python_is_an_array_to_the_verdict_and_the_wording_alike():
    pod = {**POD, "spec": {"containers": ({"name": "a", "image": "registry.example.com/a:1"},)}}
    assert k8s_schema.compiled_kind("1.37", "v1/Pod", True)(pod)
    assert list(k8s_schema.errors("1.37", "v1/Pod", True, pod)) == []
    bad = {**POD, "spec": {"containers": ({"name": "a", "image": 7},)}}
    assert not k8s_schema.compiled_kind("1.37", "v1/Pod", True)(bad)
    assert [(e.path, e.message) for e in k8s_schema.errors("1.37", "v1/Pod", True, bad)] == [
        (("spec", "containers", 0, "image"), "7 is not of type 'string', 'null'")]


def test_the_stored_schemas_are_kubernetes_validates_own():
    """For three minors, every kind that kubernetes-validate (installed) has a file for: the stored root and every
    definition it reaches equal that file and its _definitions.json, cleaned as regenerate_kubernetes.py cleans."""
    import importlib.util
    from importlib.resources import files

    spec = importlib.util.spec_from_file_location("regenerate", ROOT / "schemas" / "regenerate_kubernetes.py")
    regenerate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(regenerate)
    base = files("kubernetes_validate") / "kubernetes-json-schema"
    for version in ("1.25", "1.31", "1.37"):
        folder = base / f"v{version}.0-local"
        definitions = json.loads((folder / "_definitions.json").read_text())["$defs"]
        compared = 0
        for key in sorted(k8s_schema.served(version)):
            api, _, kind = key.rpartition("/")
            theirs = folder / regenerate.kv_file(api, kind)
            if not theirs.is_file():
                continue  # a kind of a schema declaring several (DeleteOptions): kubernetes-validate has no file
            ours = k8s_schema.kind_schema(version, key)
            assert {k: v for k, v in ours.items() if k != "$defs"} == regenerate.clean(json.loads(theirs.read_text()))
            for name, schema in ours["$defs"].items():
                assert schema == regenerate.clean(definitions[name]), (version, key, name)
            compared += 1
        assert compared >= 100  # 119 of 1.25's 232, 194 of 1.37's 325: the rest are declared by shared schemas


@pytest.mark.parametrize("given,used", [("v1.30.4-eks-1234", "1.30"), ("1.30.0+k3s1", "1.30"),
                                        ("v1.29.3-gke.1093000", "1.29"), ("1.28", "1.28")])
def test_a_clusters_own_version_string_is_its_minor(given, used):
    """The trial's `--kubernetes-version v1.30.4-eks-1234` (as `kubectl version` prints an EKS cluster) was refused."""
    assert kubebridge.check(_manifest("v1", "ConfigMap"), kubernetes_version=given).kubernetes_version == used


@pytest.mark.parametrize("given", ["", " ", "2.0", "0.30", "latest", "1"])
def test_no_minor_of_kubernetes_1_is_refused_rather_than_guessed(given):
    with pytest.raises(kubebridge.UsageError, match="expected a Kubernetes minor such as"):
        kubebridge.check(_manifest("v1", "ConfigMap"), kubernetes_version=given)


@pytest.mark.parametrize("version,key,said", [
    ("1.33", "v1/Endpoints", "v1 Endpoints is deprecated since Kubernetes 1.33: the API server warns on every request, "
     "though no release removes it yet; use discovery.k8s.io/v1 EndpointSlice"),
    ("1.25", "v1/ComponentStatus", "v1 ComponentStatus is deprecated since Kubernetes 1.19: the API server warns on "
     "every request, though no release removes it yet; nothing replaces it"),
    ("1.32", "v1/Endpoints", None),
])
def test_a_kind_deprecated_without_a_removal_is_a_warning_from_its_minor(version, key, said):
    api, _, kind = key.rpartition("/")
    found = [f.message for f in kubebridge.check(_manifest(api, kind), kubernetes_version=version,
                                                 target="kubernetes").findings if f.rule == "api-deprecated"]
    assert found == ([said] if said else [])
