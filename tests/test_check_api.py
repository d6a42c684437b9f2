"""kubebridge.check() from Python: every input form, the options, and no crash on any shape of data."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import FIXTURES, WEB_DEPLOYMENT, WEB_POD

import kubebridge
from kubebridge.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
       "spec": {"containers": [{"name": "app", "image": "registry.example.com/app:1.0",
                                "ports": [{"containerPort": 70000}]}]}}
TEXT = WEB_POD + "    ports:\n    - containerPort: 70000\n"


def rules(result) -> set[str]:
    return {f.rule for f in result.findings}


def test_every_input_form_finds_the_same(tmp_path):
    (tmp_path / "pod.yaml").write_text(TEXT)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pod.json").write_text('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"}, '
                                               '"spec": {"containers": [{"name": "app", "image": "r/a:1", '
                                               '"ports": [{"containerPort": 70000}]}]}}')
    from kubernetes import client

    model = client.V1Pod(api_version="v1", kind="Pod", metadata=client.V1ObjectMeta(name="web"),
                         spec=client.V1PodSpec(containers=[client.V1Container(
                             name="app", image="registry.example.com/app:1.0",
                             ports=[client.V1ContainerPort(container_port=70000)])]))
    for source in (TEXT, TEXT.encode(), tmp_path / "pod.yaml", str(tmp_path / "pod.yaml"), POD, [POD], model):
        result = kubebridge.check(source, target="kubernetes")
        assert "port-invalid" in rules(result), source
    whole = kubebridge.check(tmp_path, target="kubernetes")
    assert whole.summary()["files"] == 2 and len([f for f in whole.findings if f.rule == "port-invalid"]) == 2


def test_lines_for_text_none_for_objects():
    from_text = next(f for f in kubebridge.check(TEXT).findings if f.rule == "port-invalid")
    assert (from_text.line, from_text.column, from_text.path) == (10, 7, "spec.containers[0].ports[0].containerPort")
    from_dict = next(f for f in kubebridge.check(POD).findings if f.rule == "port-invalid")
    assert from_dict.line is None and from_dict.path == from_text.path


def test_options():
    assert rules(kubebridge.check(TEXT, select=["port-invalid"])) == {"port-invalid"}
    assert "port-invalid" not in rules(kubebridge.check(TEXT, ignore="port-invalid,image-local"))
    assert not any(f.rule.startswith("podman-") for f in kubebridge.check(TEXT, target="kubernetes").findings)
    result = kubebridge.check(TEXT, kubernetes_version="1.20")
    assert result.kubernetes_version == "1.25" and "nearest" in result.notices[0]
    assert kubebridge.check(TEXT, podman_version="4.3").podman_version == "4.3.1"
    assert not kubebridge.check(TEXT).ok and kubebridge.check(TEXT).exit_code == 1
    with pytest.raises(UsageError):
        kubebridge.check(TEXT, select=["nope"])
    with pytest.raises(UsageError):
        kubebridge.check(TEXT, target="cloud")
    with pytest.raises(UsageError):
        kubebridge.check(TEXT, podman_version="3")


def test_findings_are_plain_data():
    finding = kubebridge.check(TEXT).errors[0]
    assert set(finding.as_dict()) == {"file", "document", "kind", "name", "path", "line", "column", "rule",
                                      "severity", "target", "message"}
    assert finding.fix == kubebridge.RULES[finding.rule].fix


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2, 70000), st.floats(allow_nan=False),
                    st.sampled_from(["", "x", "Always", "TCP", "80", "http", "a/b", "localhost/x", ":Z", "yes"]))
KEYS = st.sampled_from(["name", "image", "ports", "containerPort", "hostPort", "protocol", "containers",
                        "initContainers", "volumes", "volumeMounts", "mountPath", "restartPolicy", "env",
                        "envFrom", "labels", "annotations", "selector", "matchLabels", "template", "spec",
                        "metadata", "livenessProbe", "httpGet", "port", "resources", "limits", "hostPath",
                        "path", "data", "configMapRef", "other"])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=4),
                      max_leaves=25)
KINDS = st.sampled_from([("v1", "Pod"), ("apps/v1", "Deployment"), ("apps/v1", "DaemonSet"), ("batch/v1", "Job"),
                         ("v1", "Service"), ("v1", "ConfigMap"), ("v1", "Secret"),
                         ("v1", "PersistentVolumeClaim"), ("example.com/v1", "Widget"), ("v1", "List")])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=KINDS, body=st.dictionaries(KEYS, VALUES, max_size=5))
def test_no_shape_of_data_crashes_a_rule(kind, body):
    doc = {**body, "apiVersion": kind[0], "kind": kind[1]}
    for target in ("both",):
        result = kubebridge.check(doc, target=target)
        assert "internal" not in rules(result), [f.message for f in result.findings if f.rule == "internal"]


def test_a_list_without_items_is_as_empty_as_an_empty_file():
    for text in ("", "# only a comment\n", "apiVersion: v1\nkind: List\nitems: []\n", "apiVersion: v1\nkind: List\n"):
        result = kubebridge.check(text)
        assert [(f.rule, f.severity) for f in result.findings] == [("empty", "warning")], text
    assert kubebridge.check("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, "
                            "metadata: {name: c}}\n").findings == []


def test_an_object_without_kind_is_said_plainly():
    result = kubebridge.check("{}\n", target="podman")
    messages = [f.message for f in result.findings]
    assert "podman kube play refuses this file: none of its objects has a kind" in messages
    assert not any("(none)" in m for m in messages)


ENV_BOTH = """apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {MODE: fast}
---
""" + WEB_DEPLOYMENT.format(spec="""\
      containers:
      - name: app
        image: registry.example.com/app:1.0
        env: [{name: MODE, value: safe}]
        envFrom: [{configMapRef: {name: settings}}]
""")
JOB = ("apiVersion: batch/v1\nkind: Job", "      restartPolicy: Never\n      containers:")


@pytest.mark.parametrize("version", ["4.3.1", "5.4.2", "5.8.6"])
def test_env_precedence_names_the_envfrom_source_whose_value_podman_kept(version):
    """envfrom-last-wins, captured: env and two envFrom ConfigMaps set MODE, and env and the first ONLY_ONE.
    The finding must name, per variable, the ConfigMap whose value is in Podman's Config.Env (none in 5.8,
    where env wins)."""
    import json
    scenario = FIXTURES / "play" / f"podman-{version}" / "envfrom-last-wins"
    ctrs = json.loads((scenario / "container-inspect.json").read_text())
    env = dict(e.split("=", 1) for c in ctrs if not c.get("IsInfra") for e in c["Config"]["Env"])
    kept = {key: value.removeprefix("from-") for key, value in env.items() if key in ("MODE", "ONLY_ONE")
            and not value.startswith("from-env")}
    kept = {key: "one" if value == "one" else value for key, value in kept.items()}
    found = [f for f in kubebridge.check(scenario / "play.yaml", podman_version=version[:3],
                                         select=("podman-env-precedence",)).findings]
    named = {f.message.split(" ", 1)[0]: f.message.rsplit("configMapRef '", 1)[1].split("'")[0] for f in found}
    assert named == kept
    assert len(found) == len(kept)


@pytest.mark.parametrize("kind", ["Deployment", "DaemonSet", "Job"])
def test_env_precedence_follows_the_podman_version_and_every_workload_kind(kind):
    """podman kube play up to 5.4 applies envFrom after env (5.8 as Kubernetes; 4.3 plays no DaemonSet or Job)."""
    text = ENV_BOTH.replace("kind: Deployment", f"kind: {kind}")
    if kind == "Job":
        text = text.replace("apiVersion: apps/v1\nkind: Job", JOB[0]).replace("      containers:", JOB[1])
        text = text.replace("  selector: {matchLabels: {app: web}}\n", "")
    rule = "podman-env-precedence"
    for version, fires in (("4.3", kind == "Deployment"), ("5.4", True), ("5.8", False)):
        for select in ((), (rule,), (rule, "schema", "image-local")):
            found = [f for f in kubebridge.check(text, podman_version=version, select=select).findings
                     if f.rule == rule]
            assert [(f.kind, f.path) for f in found] == (
                [(kind, "spec.template.spec.containers[0].env[0].name")] if fires else []), (version, select)


@pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan"), 2**31, 80.5])
def test_numbers_no_port_can_be_are_findings_never_a_crash(number):
    """YAML's .inf and .nan, and numbers beyond any port, in every port field: the schema's or port-invalid's
    finding, never an internal error (the newcomer's trial: OverflowError)."""
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
           "spec": {"containers": [{"name": "c", "image": "b", "ports": [{"containerPort": number, "hostPort": number}],
                                    "livenessProbe": {"tcpSocket": {"port": number}}}]}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
               "spec": {"ports": [{"port": number, "targetPort": number}]}}
    for obj in (pod, service):
        found = kubebridge.check(obj).findings
        assert found and not [f for f in found if f.rule == "internal"]
        if number == 2**31:
            assert any("2147483648" in f.message and "e+09" not in f.message for f in found)


CRONJOB_V1BETA1 = """apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: c
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: a, image: b}]
"""


def test_an_api_a_minor_below_the_bundled_ones_still_serves_is_no_removal():
    """--kubernetes-version 1.24 is checked against 1.25, but 1.24 still serves batch/v1beta1 CronJob (the
    deprecation guide: removed in 1.25): a warning that 1.25 removes it, not an api-removed error (newcomer trial)."""
    found = kubebridge.check(CRONJOB_V1BETA1, kubernetes_version="1.24").findings
    assert [(f.rule, f.severity) for f in found if f.rule.startswith("api-")] == [("api-deprecated", "warning")]
    assert "Kubernetes 1.24 serves batch/v1beta1 CronJob, and Kubernetes 1.25 removes it" in found[0].message
    removed = kubebridge.check(CRONJOB_V1BETA1, kubernetes_version="1.25").findings
    assert [f.rule for f in removed if f.rule.startswith("api-")] == ["api-removed"]


def test_a_list_of_paths_is_those_files_and_no_input_at_all_is_refused():
    """The trial's check(["web.yaml", "backups.yaml"]) read two missing-kind objects named <input 1>, and check()
    with nothing to check said ok."""
    root = Path(__file__).resolve().parents[1] / "examples" / "check"
    both = kubebridge.check([root / "web.yaml", str(root / "backups.yaml")], target="kubernetes")
    assert both.files == 2 and "missing-kind" not in {f.rule for f in both.findings}
    assert {f.file for f in both.findings} == {str(root / "web.yaml"), str(root / "backups.yaml")}
    with pytest.raises(kubebridge.UsageError, match="give manifests to check"):
        kubebridge.check()


def test_a_list_mixing_objects_and_paths_is_each_of_them():
    """The second trial's check([pod_dict, "warnonly.yaml"]) read the path as a document."""
    root = Path(__file__).resolve().parents[1] / "examples" / "check"
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
           "spec": {"containers": [{"name": "c", "image": "registry.example.com/app:1.0"}]}}
    for given in ([pod, root / "web.yaml"], [str(root / "web.yaml"), pod]):
        result = kubebridge.check(given, target="kubernetes")
        assert "missing-kind" not in {f.rule for f in result.findings}
        assert str(root / "web.yaml") in {f.file for f in result.findings}
