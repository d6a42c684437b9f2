"""Noise: with --target both, the kinds podman kube play skips are one notice per kind and run (checks/noise.py).

What Podman plays comes from the profiles (tests/test_check_oracle.py holds those to real Podman); here: that the
Podman-only findings about the other kinds collapse, into what, in every output format, and that nothing else does.
"""
from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support import WEB_DEPLOYMENT

import kubebridge

ROOT = Path(__file__).resolve().parents[1]
INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {{name: {name}}}
spec:
  defaultBackend: {{service: {{name: web, port: {{number: 80}}}}}}
"""
DEPLOYMENT = WEB_DEPLOYMENT.format(
    spec="      containers: [{name: web, image: registry.example.com/web:1, ports: [{containerPort: 80, hostPort: 8080}]}]\n")
SERVICE = """apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}], selector: {app: web}}
"""
ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: default}]
"""
WIDGET = """apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
"""
RULE = "podman-kind-ignored"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "a-ingress.yaml").write_text(INGRESS.format(name="one") + "---\n" + INGRESS.format(name="two"))
    (tmp_path / "b-app.yaml").write_text(DEPLOYMENT + "---\n" + SERVICE + "---\n" + INGRESS.format(name="three"))
    (tmp_path / "c-rbac.yaml").write_text(ROLE)
    (tmp_path / "d-widget.yaml").write_text(WIDGET)
    return tmp_path


def skipped(result) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        if f.rule == RULE:
            out.setdefault(f.kind, []).append(f)
    return out


def test_one_notice_per_kind_at_its_first_document(repo):
    notices = skipped(kubebridge.check(repo))
    assert sorted(notices) == ["Ingress", "Role", "RoleBinding", "Service", "Widget"]
    assert all(len(found) == 1 for found in notices.values())
    ingress = notices["Ingress"][0]
    # three Ingress documents in two files, and a-ingress.yaml, which holds nothing Podman plays, refused whole
    assert (Path(ingress.file).name, ingress.line, ingress.path, ingress.occurrences) == ("a-ingress.yaml", 2, "kind", 4)
    assert ingress.message == (
        "podman kube play 5.8.6 skips kind Ingress: 3 documents in 2 files, the first here (--target podman lists "
        "each); it refuses 1 of these files as a whole (nothing in them is played); Podman has no ingress controller: "
        "publish the pod's port with a hostPort (or podman kube play --publish) and route to it on the host")
    assert notices["Service"][0].message == (
        "podman kube play 5.8.6 skips kind Service: 1 document in 1 file, the first here (--target podman lists each); "
        "under Podman a pod is reached through its hostPorts (or podman kube play --publish), not a Service")
    assert notices["Role"][0].occurrences == 2 and notices["RoleBinding"][0].occurrences == 1
    assert notices["Widget"][0].message.endswith(
        "not a built-in Kubernetes kind: a custom resource is acted on by its operator in a cluster, and nothing under "
        "Podman reads it")
    assert all(f.severity == "warning" for found in notices.values() for f in found)


def test_target_podman_lists_each_and_the_notices_count_them_all(repo):
    each = skipped(kubebridge.check(repo, target="podman"))
    notices = skipped(kubebridge.check(repo))
    assert {kind: len(found) for kind, found in each.items()} == {kind: found[0].occurrences
                                                                   for kind, found in notices.items()}
    assert all(f.occurrences == 0 for found in each.values() for f in found)
    assert skipped(kubebridge.check(repo, target="kubernetes")) == {}


@pytest.mark.parametrize("kind,api,podman,advice", [
    ("ServiceAccount", "v1", "5.8", "Podman has no API server to authorise against"),
    ("ClusterRole", "rbac.authorization.k8s.io/v1", "5.8", "Podman has no API server to authorise against"),
    ("CustomResourceDefinition", "apiextensions.k8s.io/v1", "5.8", "it extends a cluster's API server"),
    ("StorageClass", "storage.k8s.io/v1", "5.8", "Podman makes a named volume for each PersistentVolumeClaim"),
    ("NetworkPolicy", "networking.k8s.io/v1", "5.8", "Podman does not enforce network policies"),
    ("HorizontalPodAutoscaler", "autoscaling/v2", "5.8", "scaling, scheduling and quotas are a cluster's"),
    ("StatefulSet", "apps/v1", "5.8", "give their template as a Pod, Deployment, DaemonSet or Job"),
    ("StatefulSet", "apps/v1", "4.3", "give their template as a Pod or Deployment"),
    ("DaemonSet", "apps/v1", "4.3", "give their template as a Pod or Deployment"),
    ("CronJob", "batch/v1", "5.8", "Podman runs no schedule"),
    ("Lease", "coordination.k8s.io/v1", "5.8", "a cluster object with no counterpart under Podman"),
])
def test_the_advice_fits_the_kind(kind, api, podman, advice):
    text = f"apiVersion: {api}\nkind: {kind}\nmetadata: {{name: x}}\n"
    result = kubebridge.check(text + "---\n" + text, podman_version=podman)
    [notice] = skipped(result)[kind]
    assert advice in notice.message
    # two documents, and the file refused as a whole; but a workload 4.3 does not play makes that refusal an error
    refused = [f for f in result.findings if f.rule == "podman-refuses"]
    assert (notice.occurrences, len(refused)) == ((2, 1) if (kind, podman) == ("DaemonSet", "4.3") else (3, 0))


def test_kinds_podman_plays_are_never_collapsed():
    assert skipped(kubebridge.check(DEPLOYMENT + "---\n" + DEPLOYMENT.replace("name: web", "name: api")))== {}
    only_config = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n"
    [refusal] = skipped(kubebridge.check(only_config))["ConfigMap"]
    assert refusal.occurrences == 0 and "a file of only ConfigMaps" in refusal.message
    daemon = DEPLOYMENT.replace("kind: Deployment", "kind: DaemonSet")
    assert skipped(kubebridge.check(daemon, podman_version="5.8")) == {}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kubebridge", "check", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_every_output_format_carries_the_notices(repo):
    report = json.loads(cli("--output", "json", str(repo)).stdout)
    notices = [f for f in report["findings"] if f["rule"] == RULE]
    assert sorted((f["kind"], f["occurrences"]) for f in notices) == [
        ("Ingress", 4), ("Role", 2), ("RoleBinding", 1), ("Service", 1), ("Widget", 2)]
    assert report["summary"]["warnings"] == sum(f["severity"] == "warning" for f in report["findings"])
    assert json.loads(cli("--output", "json", "--jobs", "2", str(repo)).stdout) == report

    text = cli(str(repo)).stdout.splitlines()
    assert sum(f"warning [{RULE}]" in line for line in text) == 5
    assert any(line.endswith(f"a-ingress.yaml:2:1: warning [{RULE}] podman kube play 5.8.6 skips kind Ingress: 3 "
                             "documents in 2 files, the first here (--target podman lists each); it refuses 1 of these "
                             "files as a whole (nothing in them is played); Podman has no ingress controller: publish "
                             "the pod's port with a hostPort (or podman kube play --publish) and route to it on the "
                             "host") for line in text)

    tree = ET.fromstring(cli("--output", "junit", str(repo)).stdout)
    [suite] = [s for s in tree.iter("testsuite") if s.get("name") == "kubebridge notices"]
    assert sorted(case.get("name") for case in suite.iter("testcase")) == [
        f"{RULE} {kind}" for kind in ("Ingress", "Role", "RoleBinding", "Service", "Widget")]
    assert all(RULE not in (case.findtext("system-out") or "") for s in tree.iter("testsuite") if s is not suite
               for case in s.iter("testcase"))

    sarif = json.loads(cli("--output", "sarif", str(repo)).stdout)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == RULE]
    assert sorted(r["properties"]["occurrences"] for r in results) == [1, 1, 2, 2, 4]
    assert all(r["level"] == "warning" for r in results)


def test_notices_are_warnings_for_fail_on(repo):
    assert cli(str(repo / "c-rbac.yaml")).returncode == 0
    assert cli("--fail-on", "warning", str(repo / "c-rbac.yaml")).returncode == 1



from support import CORPUS, real_corpus  # noqa: E402


def test_real_manifests_one_notice_per_kind_standing_for_every_finding():
    real_corpus()
    both = skipped(kubebridge.check(CORPUS))
    each = skipped(kubebridge.check(CORPUS, target="podman"))
    collapsed = {kind: found for kind, found in both.items() if found[0].occurrences}
    assert len(collapsed) >= 30 and all(len(found) == 1 for found in collapsed.values())
    assert {kind: found[0].occurrences for kind, found in collapsed.items()} == {
        kind: len(each[kind]) for kind in collapsed}
    assert sum(len(found) for found in each.values()) >= 1000  # 1,292 warnings before, one line each
    stood_for = sum(found[0].occurrences for found in collapsed.values())
    readme = (ROOT / "README.md").read_text()
    assert f"On the real-manifest corpus, {stood_for:,} of these warnings become {len(collapsed)} notices." in readme
