"""Each target judges a file with its own reader.

* kubectl (`--target kubernetes`): apimachinery's YAMLReader splits the stream at lines starting with `---` and
  refuses one with content after it (pkg/util/yaml/decoder.go, YAMLReader.Read, every minor 1.25-1.37); each
  document is read by sigs.k8s.io/yaml.Unmarshal over go-yaml v2, not strict, so a key given twice keeps its last
  value without a word (sigs.k8s.io/yaml's own TestUnmarshalStrictFails: Unmarshal takes the last, only
  UnmarshalStrict fails), and kubectl sends the object as JSON, in which the first value is gone.
* podman kube play (`--target podman`): yaml.v3 in splitMultiDocYAML refuses a key given twice ("multi doc yaml
  could not be split"), reads `--- value` as YAML does, and decodes into its Go structs (scalars into string
  fields, unknown fields ignored).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import WEB_POD

import kubebridge

CASES = Path(__file__).parent / "check_rules"

POD = WEB_POD  # a valid Pod of one container


def findings(text: str, **options):
    return kubebridge.check(text, **options).findings


def test_duplicate_key_is_a_warning_for_kubectl_and_an_error_for_podman():
    text = POD + "    image: registry.example.com/app:2.0\n"
    kube = [f for f in findings(text, target="kubernetes") if f.rule == "duplicate-key"]
    assert [(f.severity, f.target, f.line) for f in kube] == [("warning", "kubernetes", 9)]
    assert "kubectl keeps the last value" in kube[0].message
    podman = [f for f in findings(text, target="podman") if f.rule == "duplicate-key"]
    assert [(f.severity, f.target, f.line) for f in podman] == [("error", "podman", 9)]
    both = findings(text)
    assert sorted((f.severity, f.target) for f in both if f.rule == "duplicate-key") == [
        ("error", "podman"), ("warning", "kubernetes")]
    assert not [f for f in both if f.rule == "podman-refuses"]  # said once, as duplicate-key
    assert kubebridge.check(text, target="kubernetes").exit_code == 0


@pytest.mark.parametrize("line,content", [("--- {apiVersion: v1, kind: Namespace, metadata: {name: a}}",
                                          "{apiVersion: v1, kind: Namespace, metadata: {name: a}}"),
                                         ("--- !!map", "!!map")])
def test_a_separator_with_content_is_refused_by_kubectl_only(line, content):
    text = POD + line + "\n" + ("" if "{" in line else "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n")
    kube = [f for f in findings(text, target="kubernetes") if f.rule == "yaml"]
    assert [(f.severity, f.target, f.line, f.column) for f in kube] == [("error", "kubernetes", 9, 1)]
    assert f"invalid Yaml document separator: {content}" in kube[0].message
    assert not [f for f in findings(text, target="podman") if f.rule == "yaml"]


def test_a_separator_with_a_comment_is_read_by_both():
    text = POD + "--- # the namespace\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n"
    assert not [f for f in findings(text) if f.rule == "yaml"]


def test_a_json_stream_has_no_separator_lines():
    assert not [f for f in findings('{"apiVersion": "v1", "kind": "Namespace",\n"metadata": {"name": "a"}}\n')
                if f.rule == "yaml"]


@pytest.mark.parametrize("key,what", [("~", "a null key (~ or null)"), ("null", "a null key (~ or null)"),
                                      ("[a, b]", "a sequence used as a key"), ("{a: b}", "a mapping used as a key")])
def test_a_key_that_is_not_a_scalar_string_is_named_as_yaml_writes_it(key, what):
    text = POD.replace("  name: web\n", f"  name: web\n  labels:\n    ? {key}\n    : x\n")
    found = [f for f in findings(text) if f.rule == "yaml"]
    assert [(f.line, f.column) for f in found] == [(6, 7)]
    assert found[0].message.startswith(f"unsupported map key: {what}")
    assert "None" not in found[0].message


@pytest.mark.parametrize("text", ["", "# nothing\n", "apiVersion: v1\nkind: List\nitems: []\n",
                                  "apiVersion: v1\nkind: List\n", "---\n---\n"])
def test_no_object_is_the_same_empty_warning(text):
    found = findings(text)
    assert [(f.rule, f.severity, f.line, f.column) for f in found] == [("empty", "warning", 1, 1)]
    assert found[0].message == "no Kubernetes object in this file: it is empty, only comments, or a List without items"


def test_every_finding_of_every_rule_case_has_a_line_and_a_column():
    for path in sorted(CASES.glob("*.yaml")):
        for part in path.read_text().split("#### good\n"):
            for f in findings(part):
                assert f.line is not None and f.column is not None, (path.name, f)


def test_podman_reads_scalars_into_strings_and_ignores_unknown_fields():
    """Podman's decoder makes env values yes/true/4 strings and drops fields its structs lack: it plays this
    (kubebridge's own play does too), so `--target podman` has no error; the API server's schema refuses both."""
    text = POD + "    unknownField: 1\n    env:\n    - name: A\n      value: yes\n    - name: B\n      value: true\n" \
                 "    - name: C\n      value: 4\n"
    assert [f for f in findings(text, target="podman") if f.severity == "error"] == []
    kube = [f for f in findings(text, target="kubernetes") if f.rule == "schema"]
    assert {f.path for f in kube} >= {"spec.containers[0].unknownField", "spec.containers[0].env[1].value",
                                      "spec.containers[0].env[2].value"}
    assert all(f.target == "kubernetes" for f in kube)
    play = kubebridge.play(text)
    assert {"A=yes", "B=true", "C=4"} <= set(play["containers"][-1]["Config"]["Env"])  # [0] is the infra


def test_podman_decoding_failure_is_podmans_refusal():
    text = POD + "    ports:\n    - containerPort: http\n"
    podman = [f for f in findings(text, target="podman") if f.severity == "error"]
    assert [(f.rule, f.target, f.path) for f in podman] == [
        ("podman-refuses", "podman", "spec.containers[0].ports[0].containerPort")]
    assert "cannot unmarshal string into Go struct field" in podman[0].message


def test_statefulset_mounts_of_claim_templates_are_defined():
    text = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: registry.example.com/db:1
        volumeMounts:
        - name: data
          mountPath: /var/lib/db
        - name: cache
          mountPath: /cache
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
"""
    found = [f for f in findings(text, target="kubernetes") if f.rule == "volume-mount-undefined"]
    assert [(f.path, f.line) for f in found] == [("spec.template.spec.containers[0].volumeMounts[1].name", 19)]


@pytest.mark.parametrize("kind,api,spec_path", [("Deployment", "apps/v1", "spec.template.spec"),
                                                ("Pod", "v1", "spec")])
def test_image_missing_says_templates_need_one_too(kind, api, spec_path):
    from kubebridge.checks.engine import Checker, CheckOptions
    from kubebridge.load.manifests import Document

    spec = {"containers": [{"name": "app"}]}
    data = {"apiVersion": api, "kind": kind, "metadata": {"name": "web"}}
    data["spec"] = spec if kind == "Pod" else {"selector": {"matchLabels": {"a": "b"}},
                                              "template": {"metadata": {"labels": {"a": "b"}}, "spec": spec}}
    result = Checker(CheckOptions(target="kubernetes")).check_documents([Document(data, "x", 0, 1)])
    found = [f for f in result.findings if f.rule == "image-missing"]
    assert found and found[0].path == spec_path + ".containers[0]"
    assert ("the API server refuses the pod" if kind == "Pod" else
            "the API server refuses the Deployment: a pod template needs image as a pod does") in found[0].message


@given(st.text(alphabet="-# \t\r\n\x0b\x0c\u00a0ax{}", max_size=40))
def test_separator_content_is_the_line_by_line_rule(text):
    """separator_content searches with a pattern; the rule is apimachinery's line by line, as written here."""
    from kubebridge.load.manifests import separator_content

    expected = []
    if "---" in text and text.lstrip()[:1] != "{":
        for number, line in enumerate(text.split("\n"), 1):
            rest = line[3:].strip() if line.startswith("---") else ""
            if rest and not rest.startswith("#"):
                expected.append((number, rest))
    assert separator_content(text) == expected
