"""The API server's checks (kubebridge/checks/apiserver_table.py), each on a triggering and a corrected manifest.

tests/apiserver_cases/*.yaml change a valid manifest of each kind (BASES) into one the API server refuses (`bad`)
and into one it accepts (`good`).  For each case: the bad manifest has a finding of the check's rule at the
expected path, at both ends of the check's range of minors (or the minors the case names); it has none at the
minors the case calls quiet (where a feature gate or a release changed the rule); the good manifest has no error
at all.  Every check of the table has a case, and every case a check.
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

import kubebridge
from kubebridge.checks.apiserver_table import TABLE
from kubebridge.checks.findings import RULES
from kubebridge.model.manifest import POD_SPEC_PATHS

CASES = Path(__file__).parent / "apiserver_cases"
IMAGE = "registry.example.com/app:1.0"
POD_SPEC = {"containers": [{"name": "app", "image": IMAGE}]}
TEMPLATE = {"metadata": {"labels": {"app": "web"}}, "spec": POD_SPEC}
SELECTOR = {"matchLabels": {"app": "web"}}


def _object(api: str, kind: str, **fields) -> dict:
    return {"apiVersion": api, "kind": kind, "metadata": {"name": "web"}, **fields}


BASES = {
    "Pod": _object("v1", "Pod", spec=POD_SPEC),
    "PodTemplate": _object("v1", "PodTemplate", template=TEMPLATE),
    "Deployment": _object("apps/v1", "Deployment", spec={"selector": SELECTOR, "template": TEMPLATE}),
    "DaemonSet": _object("apps/v1", "DaemonSet", spec={"selector": SELECTOR, "template": TEMPLATE}),
    "ReplicaSet": _object("apps/v1", "ReplicaSet", spec={"selector": SELECTOR, "template": TEMPLATE}),
    "StatefulSet": _object("apps/v1", "StatefulSet", spec={"selector": SELECTOR, "serviceName": "web",
                                                          "template": TEMPLATE}),
    "ReplicationController": _object("v1", "ReplicationController", spec={"selector": {"app": "web"},
                                                                          "template": TEMPLATE}),
    "Job": _object("batch/v1", "Job", spec={"template": {"spec": {**POD_SPEC, "restartPolicy": "Never"}}}),
    "CronJob": _object("batch/v1", "CronJob", spec={"schedule": "0 3 * * *", "jobTemplate": {"spec": {
        "template": {"spec": {**POD_SPEC, "restartPolicy": "OnFailure"}}}}}),
    "Service": _object("v1", "Service", spec={"selector": {"app": "web"}, "ports": [{"port": 80}]}),
    "ConfigMap": _object("v1", "ConfigMap", data={"a": "b"}),
    "Secret": _object("v1", "Secret", stringData={"a": "b"}),
    "PersistentVolumeClaim": _object("v1", "PersistentVolumeClaim", spec={
        "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}),
    "PersistentVolume": _object("v1", "PersistentVolume", spec={
        "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "1Gi"}, "nfs": {"server": "nfs.example",
                                                                                   "path": "/export"}}),
    "Ingress": _object("networking.k8s.io/v1", "Ingress", spec={"rules": [{"host": "web.example.com", "http": {
        "paths": [{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {
            "number": 80}}}}]}}]}),
    "NetworkPolicy": _object("networking.k8s.io/v1", "NetworkPolicy", spec={"podSelector": SELECTOR, "ingress": [
        {"from": [{"podSelector": {}}]}]}),
    "PodDisruptionBudget": _object("policy/v1", "PodDisruptionBudget", spec={"minAvailable": 1,
                                                                            "selector": SELECTOR}),
    "Role": _object("rbac.authorization.k8s.io/v1", "Role", rules=[{"apiGroups": [""], "resources": ["pods"],
                                                                     "verbs": ["get"]}]),
    "ClusterRole": _object("rbac.authorization.k8s.io/v1", "ClusterRole", rules=[
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]),
    "RoleBinding": _object("rbac.authorization.k8s.io/v1", "RoleBinding", roleRef={
        "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "web"}, subjects=[
        {"kind": "ServiceAccount", "name": "web"}]),
    "ClusterRoleBinding": _object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", roleRef={
        "apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "web"}, subjects=[
        {"kind": "ServiceAccount", "name": "web", "namespace": "default"}]),
    "HorizontalPodAutoscaler": _object("autoscaling/v2", "HorizontalPodAutoscaler", spec={
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 3,
        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                                "averageUtilization": 80}}}]}),
    "Namespace": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team-a"}},
    "ServiceAccount": _object("v1", "ServiceAccount"),
    "CustomResourceDefinition": {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                                 "metadata": {"name": "widgets.example.com"}, "spec": {
        "group": "example.com", "scope": "Namespaced", "names": {"plural": "widgets", "singular": "widget",
                                                                 "kind": "Widget", "listKind": "WidgetList"},
        "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": {
            "type": "object", "properties": {"spec": {"type": "object", "properties": {
                "size": {"x-kubernetes-int-or-string": True}, "tags": {"type": "array", "items": {"type": "string"}},
                "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}}}}}}]}},
}


@lru_cache(maxsize=1)
def cases() -> list[dict]:
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        found += yaml.safe_load(path.read_text())
    return found


def _parts(path: str, kind: str) -> list:
    path = path.replace("<pod>", ".".join(POD_SPEC_PATHS.get(kind, ("<pod>",))))
    return [int(index) if index else name for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]


def _big(value):
    return "x" * int(value[2:]) if isinstance(value, str) and value.startswith("@@") else value


def manifest(kind: str, changes: dict) -> str:
    doc = copy.deepcopy(BASES[kind])
    for path, value in changes.items():
        parts = _parts(path, kind)
        target = doc
        for part in parts[:-1]:
            target = target[part] if isinstance(part, int) else target.setdefault(part, {})
        if value == "DELETE":
            del target[parts[-1]]
        else:
            target[parts[-1]] = {k: _big(v) for k, v in value.items()} if isinstance(value, dict) else value
    return yaml.safe_dump(doc, sort_keys=False, width=1 << 30)


def expected_path(case: dict) -> str:
    return case["path"].replace("<pod>", ".".join(POD_SPEC_PATHS.get(case["kind"], ())))


def _minors(case: dict) -> list[str]:
    entry = TABLE[case["check"]]
    return case.get("minors") or sorted({"%d.%d" % entry.minors[0], "%d.%d" % entry.minors[1]})


def _found(text: str, minor: str, rule: str):
    return kubebridge.check(text, target="kubernetes", kubernetes_version=minor).findings


CASE_IDS = [f"{c['check']}-{i}" for i, c in enumerate(cases())]


def test_every_check_has_a_case_and_every_case_a_check():
    checked = {case["check"] for case in cases()}
    assert checked == set(TABLE), (set(TABLE) - checked, checked - set(TABLE))
    for case in cases():
        assert case["kind"] in TABLE[case["check"]].kinds, case


def test_every_check_names_a_rule_of_the_kubernetes_target_and_a_function():
    for entry in TABLE.values():
        assert RULES[entry.rule].target == "kubernetes" and RULES[entry.rule].severity == "error", entry.id
        assert re.search(r"[A-Z][A-Za-z]+|[a-z]+[A-Z]", entry.follows), entry.id  # a Go function's name
        assert (1, 25) <= entry.minors[0] <= entry.minors[1] <= (1, 37)


@pytest.mark.parametrize("case", cases(), ids=CASE_IDS)
def test_the_triggering_manifest_is_refused_where_the_case_says(case):
    rule = case.get("rule", TABLE[case["check"]].rule)
    text = manifest(case["kind"], case["bad"])
    for minor in _minors(case):
        found = [(f.path, f.line is not None) for f in _found(text, minor, rule) if f.rule == rule]
        assert (expected_path(case), True) in found, (minor, found, text)
    for minor in case.get("quiet", ()):
        found = [f.path for f in _found(text, minor, rule) if f.rule == rule]
        assert expected_path(case) not in found, (minor, found)


@pytest.mark.parametrize("case", cases(), ids=CASE_IDS)
def test_the_corrected_manifest_is_accepted(case):
    text = manifest(case["kind"], case["good"])
    for minor in _minors(case):
        errors = [(f.rule, f.path, f.message) for f in _found(text, minor, "") if f.severity == "error"]
        assert errors == [], (minor, text)


@pytest.mark.parametrize("kind", sorted(BASES))
def test_every_base_manifest_is_valid_in_every_minor(kind):
    text = manifest(kind, {})
    for minor in ("1.25", "1.30", "1.37"):
        assert [f for f in _found(text, minor, "") if f.severity == "error"] == []
