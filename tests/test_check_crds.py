"""Custom resources checked against CustomResourceDefinitions, as the API server checks them.

Expected verdicts are derived by hand from k8s.io/apiextensions-apiserver (the
functions kubebridge/checks/structural.py follows); each test names the
function and, where kubernetes has one, the unit test case covering the same
rule:
  * pruning (strict field validation makes a pruned field an error):
    pkg/apiserver/schema/pruning/algorithm.go prune()/skipPrune(),
    algorithm_test.go TestPrune cases "nested x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource", "additionalProperties with bool", "object array with nil schema";
  * nulls: pkg/apiserver/schema/defaulting/prunenulls.go, prunenulls_test.go
    TestPruneNonNullableNullsWithoutDefaults "object array" and "scalar array";
  * defaults: defaulting/algorithm.go Default(), algorithm_test.go TestDefault;
  * embedded resources: pkg/apiserver/schema/objectmeta/validation.go validateEmbeddedResource(),
    validation_test.go TestValidateEmbeddedResource "empty" and "invalid kind";
  * list types: pkg/apiserver/schema/listtype/validation.go;
  * int-or-string and nullable: pkg/apiserver/validation/validation.go
    ConvertJSONSchemaPropsWithPostProcess(), and kube-openapi's validate.SchemaValidator.Validate
    (a null meets only the type check, which nullable passes, and the enum check);
  * status: pkg/registry/customresource/strategy.go PrepareForCreate (create drops status when the
    status subresource is on); scale: validator.go ValidateScaleSpec.
Messages asserted are kubebridge's own; where the wording is jsonschema's, only the rule and path are.
"""
from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import kubebridge
from kubebridge.checks import structural

ROOT = Path(__file__).resolve().parents[1]
RULES = ("schema", "version-not-served", "api-deprecated", "no-schema", "name-invalid", "schema-invalid")


def crd(*versions: dict, kind: str = "Widget", group: str = "example.com", **spec: object) -> dict:
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{kind.lower()}s.{group}"},
            "spec": {"group": group, "scope": "Namespaced", "names": {"kind": kind, "plural": f"{kind.lower()}s"},
                     "versions": list(versions), **spec}}


def version(name: str, schema: dict, served: bool = True, **extra: object) -> dict:
    return {"name": name, "served": served, "storage": name == "v1", "schema": {"openAPIV3Schema": schema}, **extra}


def widget(spec: object = None, api: str = "example.com/v1", name: str = "w", **top: object) -> dict:
    doc: dict = {"apiVersion": api, "kind": "Widget", "metadata": {"name": name}, **top}
    if spec is not None:
        doc["spec"] = spec
    return doc


def found(*objects: dict, strict: bool = True, rules=RULES, **options) -> list[tuple[str, str]]:
    """(rule, path) of each finding on the custom resources (the CRD's own are left out)."""
    result = kubebridge.check(*objects, strict=strict, target="kubernetes", select=rules, **options)
    return sorted((f.rule, f.path) for f in result.findings if f.kind != "CustomResourceDefinition")


def messages(*objects: dict, **options) -> dict[str, str]:
    result = kubebridge.check(*objects, target="kubernetes", select=RULES, **options)
    return {f.path: f.message for f in result.findings if f.kind != "CustomResourceDefinition"}


SPEC = {"type": "object", "properties": {"spec": {
    "type": "object", "required": ["size"],
    "properties": {"size": {"type": "integer", "minimum": 1}, "color": {"type": "string", "enum": ["red", "blue"]},
                   "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}}}


def test_a_valid_custom_resource_has_no_finding():
    assert found(crd(version("v1", SPEC)), widget({"size": 3, "color": "red", "labels": {"a": "b"}})) == []


def test_an_invalid_custom_resource_is_a_schema_error_at_each_place():
    bad = widget({"color": "green", "labels": {"a": 1}})
    assert found(crd(version("v1", SPEC)), bad) == [("schema", "spec"), ("schema", "spec.color"),
                                                    ("schema", "spec.labels.a")]
    small = widget({"size": 0})
    assert found(crd(version("v1", SPEC)), small) == [("schema", "spec.size")]


PRESERVING = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
    "known": {"type": "string"},
    "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": True, "properties": {
        "strict": {"type": "object", "properties": {"a": {"type": "string"}}},
        "list": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "string"}}}}}},
    "items": {"type": "array", "items": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
    "byName": {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
               "additionalProperties": {"type": "object", "properties": {"a": {"type": "string"}}}}}}}}


def test_preserve_unknown_fields_keeps_unknown_fields_at_its_level_only():
    """skipPrune(): unknown fields stay below x-kubernetes-preserve-unknown-fields, but a property declared below it is
    pruned again (TestPrune "nested x-kubernetes-preserve-unknown-fields": preserving.pruning.unspecified is
    pruned), and additionalProperties' schema does not inherit it (its
    preservingAdditionalPropertiesNotInheritingXPreserveUnknownFields case)."""
    spec = {"known": "x", "unknownTop": 1,
            "free": {"anything": {"deep": [1, {"deeper": True}]}, "strict": {"a": "x", "b": 2},
                     "list": [{"a": "x", "c": 3}]},
            "items": [{"x": 1}, {"y": {"z": 2}}],
            "byName": {"k": {"a": "x", "extra": 1}}}
    unknown = ["spec.byName.k.extra", "spec.free.list[0].c", "spec.free.strict.b", "spec.unknownTop"]
    assert found(crd(version("v1", PRESERVING)), widget(spec)) == [("schema", p) for p in unknown]
    said = messages(crd(version("v1", PRESERVING)), widget(spec))
    assert [said[p] for p in unknown] == [f"Additional properties are not allowed ({p.rsplit('.', 1)[-1]!r} was "
                                          "unexpected)" for p in unknown]
    assert found(crd(version("v1", PRESERVING)), widget(spec), strict=False) == []


def test_preserve_unknown_fields_at_the_root_keeps_the_root_unknown_but_not_below_a_declared_property():
    schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
              "properties": {"spec": {"type": "object", "properties": {"a": {"type": "string"}}}}}
    doc = widget({"a": "x", "b": 1}, extra={"anything": 1})
    assert found(crd(version("v1", schema)), doc) == [("schema", "spec.b")]


def test_a_mapping_without_schema_loses_every_key():
    """prune() with no schema for a mapping (TestPrune "object array with nil schema", "additionalProperties with
    bool": additionalProperties: true gives no schema, so every key of a mapping below it is pruned)."""
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "opaque": {"type": "object"},
        "any": {"type": "object", "additionalProperties": True}}}}}
    doc = widget({"opaque": {"a": 1}, "any": {"k": "scalar", "m": {"x": 1}}})
    assert found(crd(version("v1", schema)), doc) == [("schema", "spec.any.m.x"), ("schema", "spec.opaque.a")]


INT_OR_STRING = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
    "port": {"x-kubernetes-int-or-string": True},
    "ports": {"type": "array", "items": {"x-kubernetes-int-or-string": True}}}}}}


@pytest.mark.parametrize("value,valid", [(80, True), ("http", True), (1.5, False), (True, False), ({"a": 1}, False),
                                         (None, True)])
def test_int_or_string(value, valid):
    """type: [integer, string] (ConvertJSONSchemaPropsWithPostProcess); a null in a mapping is dropped first
    (PruneNonNullableNullsWithoutDefaults), so it is no error."""
    assert (found(crd(version("v1", INT_OR_STRING)), widget({"port": value})) == []) == valid
    if value is not None:
        assert (found(crd(version("v1", INT_OR_STRING)), widget({"ports": [value]})) == []) == valid


EMBEDDING = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
    "template": {"type": "object", "x-kubernetes-embedded-resource": True,
                 "properties": {"spec": {"type": "object", "properties": {"replicas": {"type": "integer"}}}}},
    "any": {"type": "object", "x-kubernetes-embedded-resource": True, "x-kubernetes-preserve-unknown-fields": True}}}}}


def test_an_embedded_resource_keeps_its_type_and_object_meta():
    """apiVersion, kind and metadata of an embedded resource are neither pruned nor required in its properties
    (TestPrune "x-kubernetes-embedded-resource"); metadata is an ObjectMeta."""
    good = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "labels": {"a": "b"}},
            "spec": {"replicas": 1}}
    assert found(crd(version("v1", EMBEDDING)), widget({"template": good, "any": {**good, "other": {"x": 1}}})) == []


def test_an_embedded_resource_needs_api_version_and_kind():
    """validateEmbeddedResource (TestValidateEmbeddedResource "empty": apiVersion and kind required; "invalid kind")."""
    bad = {"metadata": {"name": "x", "bogus": 1}, "spec": {"replicas": 1, "other": 2}, "extra": 1}
    assert found(crd(version("v1", EMBEDDING)), widget({"template": bad})) == [
        ("schema", "spec.template"), ("schema", "spec.template"), ("schema", "spec.template.extra"),
        ("schema", "spec.template.metadata.bogus"), ("schema", "spec.template.spec.other")]
    said = kubebridge.check(crd(version("v1", EMBEDDING)), widget({"template": bad}), target="kubernetes").findings
    assert {f.message for f in said if f.path == "spec.template"} == {
        "an embedded object (x-kubernetes-embedded-resource) needs apiVersion",
        "an embedded object (x-kubernetes-embedded-resource) needs kind"}
    odd = {"apiVersion": "a/b/c", "kind": "9Lives"}
    said = messages(crd(version("v1", EMBEDDING)), widget({"any": odd}))
    assert said["spec.any.apiVersion"] == ("apiVersion 'a/b/c' of an embedded object (x-kubernetes-embedded-resource) "
                                           "is not group/version")
    assert said["spec.any.kind"].startswith("kind '9Lives' of an embedded object (x-kubernetes-embedded-resource) may "
                                            "have mixed case, but should otherwise be a DNS-1035 label")
    assert found(crd(version("v1", EMBEDDING)), widget({"any": {"apiVersion": 5, "kind": ""}})) == [
        ("schema", "spec.any.apiVersion"), ("schema", "spec.any.kind")]


NULLS = {"type": "object", "properties": {"spec": {"type": "object", "required": ["size", "mode"], "properties": {
    "size": {"type": "integer"},
    "mode": {"type": "string", "default": "fast"},
    "color": {"type": "string", "nullable": True},
    "level": {"type": "string", "nullable": True, "enum": ["a", "b"]},
    "sizes": {"type": "array", "items": {"type": "integer"}},
    "other": {"type": "integer"}}}}}


def test_nulls_are_dropped_defaulted_or_allowed_as_the_schema_says():
    cases = [
        ({"size": 1, "color": None}, []),  # nullable: kept, and valid
        ({"size": 1, "other": None}, []),  # not nullable, no default: dropped (prunenulls "object array", d)
        ({"size": 1, "mode": None}, []),  # not nullable, with a default: defaulted (Default())
        ({"size": None}, [("schema", "spec")]),  # dropped, and then size is missing
        ({"size": 1, "sizes": [1, None]}, [("schema", "spec.sizes[1]")]),  # a null item stays ("scalar array")
        ({"size": 1, "level": None}, [("schema", "spec.level")]),  # nullable, but the enum check meets null too
    ]
    for spec, expected in cases:
        assert found(crd(version("v1", NULLS)), widget(spec)) == expected, spec


def test_defaults_fill_required_fields_only_where_their_parent_is():
    """Default(): a missing property with a default gets it, so `required` is met; a missing parent is not made."""
    assert found(crd(version("v1", NULLS)), widget({"size": 1})) == []  # mode defaulted
    required_spec = {**NULLS, "required": ["spec"]}
    assert found(crd(version("v1", NULLS)), widget()) == []
    assert found(crd(version("v1", required_spec)), widget()) == [("schema", "")]


def test_the_defaults_are_applied_to_a_copy():
    doc = widget({"size": 1})
    before = copy.deepcopy(doc)
    kubebridge.check(crd(version("v1", NULLS)), doc, target="kubernetes")
    assert doc == before


def test_each_version_has_its_own_schema():
    v1 = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}
    v2 = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "size": {"type": "string"}, "unit": {"type": "string"}}}}}
    definition = crd(version("v1", v1), version("v2", v2))
    assert found(definition, widget({"size": 3})) == []
    assert found(definition, widget({"size": "3"})) == [("schema", "spec.size")]
    assert found(definition, widget({"size": "3", "unit": "Gi"}, api="example.com/v2")) == []
    assert found(definition, widget({"size": 3}, api="example.com/v2")) == [("schema", "spec.size")]
    assert found(definition, widget({"size": 3, "unit": "Gi"})) == [("schema", "spec.unit")]


def test_a_version_not_served_is_an_error_naming_what_is_served():
    definition = crd(version("v1", SPEC), version("v1beta1", SPEC, served=False))
    said = messages(definition, widget({"size": 1}, api="example.com/v1beta1"))
    assert said == {"apiVersion": "example.com/v1beta1 Widget is not served: the CustomResourceDefinition "
                                  "widgets.example.com (<input 1>) sets served: false for v1beta1; served: v1"}
    said = messages(definition, widget({"size": 1}, api="example.com/v2"))
    assert said == {"apiVersion": "example.com/v2 Widget is not served: the CustomResourceDefinition "
                                  "widgets.example.com (<input 1>) has no version v2; served: v1"}
    assert found(definition, widget({"size": 1}, api="example.com/v1beta1"), rules=("version-not-served",)) == [
        ("version-not-served", "apiVersion")]


def test_a_deprecated_version_is_a_warning_with_the_crds_words():
    definition = crd(version("v1", SPEC), version("v1beta1", SPEC, deprecated=True,
                                                  deprecationWarning="example.com/v1beta1 Widget is going away"))
    result = kubebridge.check(definition, widget({"size": 1}, api="example.com/v1beta1"), target="kubernetes")
    [warning] = [f for f in result.findings if f.rule == "api-deprecated"]
    assert warning.severity == "warning" and warning.message.startswith("example.com/v1beta1 Widget is going away")
    plain = crd(version("v1", SPEC), version("v1beta1", SPEC, deprecated=True))
    assert messages(plain, widget({"size": 1}, api="example.com/v1beta1"))["apiVersion"].startswith(
        "example.com/v1beta1 Widget is deprecated")


def test_strict_refuses_unknown_fields_and_no_strict_drops_them():
    doc = widget({"size": 1, "colour": "red"})
    doc["metadata"]["labelz"] = {"a": "b"}
    assert found(crd(version("v1", SPEC)), doc) == [("schema", "metadata.labelz"), ("schema", "spec.colour")]
    assert found(crd(version("v1", SPEC)), doc, strict=False) == []
    doc["metadata"]["labels"] = {"a": 1}  # a wrong type in metadata is an error either way (ObjectMeta decoding)
    assert ("schema", "metadata.labels.a") in found(crd(version("v1", SPEC)), doc, strict=False)


def test_the_status_of_a_create_is_dropped_with_the_status_subresource():
    schema = {"type": "object", "properties": {"status": {"type": "object", "properties": {"ready": {"type": "boolean"}}}}}
    doc = widget(status={"ready": "yes"})
    assert found(crd(version("v1", schema)), doc) == [("schema", "status.ready")]
    assert found(crd(version("v1", schema, subresources={"status": {}})), doc) == []
    doc["status"]["unknown"] = 1  # pruned when decoded, before the create drops status: still unknown
    assert found(crd(version("v1", schema, subresources={"status": {}})), doc) == [("schema", "status.unknown")]


def test_scale_subresource_replicas():
    schema = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    scale = {"scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"}}
    definition = crd(version("v1", schema, subresources=scale))
    assert found(definition, widget({"replicas": 2})) == []
    assert found(definition, widget({"replicas": -1})) == [("schema", "spec.replicas")]
    assert found(definition, widget({"replicas": "2"})) == [("schema", "spec.replicas")]


def test_list_types_refuse_duplicates():
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
        "flags": {"type": "array", "items": {"x-kubernetes-int-or-string": True}, "x-kubernetes-list-type": "set"},
        "ports": {"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object", "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}}}}}}}
    definition = crd(version("v1", schema))
    assert found(definition, widget({"tags": ["a", "b"], "ports": [{"name": "a"}, {"name": "b"}]})) == []
    assert messages(definition, widget({"tags": ["a", "b", "a"]})) == {
        "spec.tags[2]": 'duplicate entry "a": the schema makes this list a set (x-kubernetes-list-type: set)'}
    assert found(definition, widget({"flags": [1, "1"]})) == []  # an integer and a string differ
    assert messages(definition, widget({"ports": [{"name": "a", "port": 1}, {"name": "a", "port": 2}]})) == {
        "spec.ports[1]": 'duplicate entry {"name": "a"}: the schema makes this list a map keyed by name '
                         "(x-kubernetes-list-type: map)"}


def test_spec_preserve_unknown_fields_prunes_nothing():
    definition = crd(version("v1", SPEC), preserveUnknownFields=True)
    assert found(definition, widget({"size": 1, "anything": 1})) == []


def test_a_custom_resource_name_is_a_dns_subdomain():
    assert found(crd(version("v1", SPEC)), widget({"size": 1}, name="Bad_Name")) == [("name-invalid", "metadata.name")]
    nameless = widget({"size": 1})
    nameless["metadata"] = {"generateName": "w-"}
    assert found(crd(version("v1", SPEC)), nameless) == []


def test_without_a_crd_a_custom_resource_stays_no_schema_and_says_what_it_found():
    assert found(widget({"size": 0})) == [("no-schema", "kind")]
    other = crd(version("v1", SPEC), kind="Gadget")
    assert messages(other, widget({"size": 0}))["kind"].endswith(
        "; the CustomResourceDefinitions of group example.com define Gadget")
    old = {**crd(version("v1", SPEC)), "apiVersion": "apiextensions.k8s.io/v1beta1"}
    assert messages(old, widget({"size": 0}))["kind"].endswith(
        "its CustomResourceDefinition (<input 1>) is apiextensions.k8s.io/v1beta1, which Kubernetes 1.37 does not "
        "serve: rewrite it as apiextensions.k8s.io/v1")


def test_a_schema_that_does_not_compile_makes_the_run_unusable():
    """A negative maxLength: no JSON Schema validator compiles it.  (An invalid pattern is the CRD's own
    value-invalid, and its resources are version-not-served: test_apiserver's crd-schema-values case.)"""
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "name": {"type": "string", "maxLength": -1}}}}}
    result = kubebridge.check(crd(version("v1", schema)), widget({"name": "x"}), target="kubernetes")
    [problem] = [f for f in result.findings if f.rule == "schema-invalid"]
    assert problem.message.startswith("the openAPIV3Schema of CustomResourceDefinition widgets.example.com (<input 1>), "
                                      "version v1 cannot be used: ")
    assert result.exit_code == 2


# --- the run: CRDs wherever they are -------------------------------------------------------------------------------

CRD_YAML = yaml.safe_dump(crd(version("v1", SPEC)), sort_keys=False)
BAD_WIDGET = yaml.safe_dump(widget({"size": 0, "colour": "red"}), sort_keys=False)
GOOD_WIDGET = yaml.safe_dump(widget({"size": 2}, name="good"), sort_keys=False)
EXPECTED = [("schema", "spec.colour"), ("schema", "spec.size")]


def cli(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kubebridge", "check", "--target", "kubernetes", *args],
                          input=stdin, capture_output=True, text=True, cwd=cwd, timeout=300)


def report(proc: subprocess.CompletedProcess) -> list[tuple[str, str, str]]:
    return sorted((Path(f["file"]).name, f["rule"], f["path"]) for f in json.loads(proc.stdout)["findings"])


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "a-widgets.yaml").write_text(BAD_WIDGET + "---\n" + GOOD_WIDGET)  # before the CRD's file
    (tmp_path / "b-crd.yaml").write_text(CRD_YAML)
    (tmp_path / "c-later.yaml").write_text(BAD_WIDGET + "---\n" + CRD_YAML)  # the CRD after the resource
    return tmp_path


def test_a_crd_in_a_later_file_or_later_in_the_file_counts(tree):
    proc = cli("--output", "json", str(tree))
    assert proc.returncode == 1, proc.stderr
    assert report(proc) == [("a-widgets.yaml", r, p) for r, p in EXPECTED] + [("c-later.yaml", r, p)
                                                                              for r, p in EXPECTED]
    assert report(cli("--output", "json", "--jobs", "2", str(tree))) == report(proc)
    assert [(r, p) for _, r, p in report(cli("--output", "json", str(tree / "c-later.yaml")))] == EXPECTED


def test_standard_input_and_pipes_are_read_once_for_both_passes(tree):
    text = (tree / "c-later.yaml").read_text()
    proc = cli("--output", "json", "-", stdin=text)
    assert [(r, p) for _, r, p in report(proc)] == EXPECTED
    pipe = subprocess.run(["bash", "-c", f"{sys.executable} -m kubebridge check --target kubernetes --output json "
                           f"<(cat {tree / 'c-later.yaml'})"], capture_output=True, text=True, cwd=ROOT)
    assert [(r, p) for _, r, p in report(pipe)] == EXPECTED


def test_crd_given_as_file_or_directory(tree):
    widgets = str(tree / "a-widgets.yaml")
    alone = cli("--output", "json", widgets)
    assert [r for _, r, _ in report(alone)] == ["no-schema", "no-schema"]
    for given in (str(tree / "b-crd.yaml"), str(tree)):
        assert [(r, p) for _, r, p in report(cli("--output", "json", "--crd", given, widgets))] == EXPECTED
    assert found(widget({"size": 0}), crds=[tree / "b-crd.yaml"]) == [("schema", "spec.size")]
    assert found(widget({"size": 0}), crds=CRD_YAML) == [("schema", "spec.size")]
    assert found(widget({"size": 0}), crds=[crd(version("v1", SPEC))]) == [("schema", "spec.size")]


def test_a_crd_of_the_checked_files_replaces_a_crd_option_of_the_same_kind(tmp_path):
    loose = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "string"}}}}}
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(crd(version("v1", loose))))
    assert found(crd(version("v1", SPEC)), widget({"size": 3}), crds=[tmp_path / "old.yaml"]) == []
    assert found(widget({"size": 3}), crds=[tmp_path / "old.yaml"]) == [("schema", "spec.size")]


def test_bad_crd_options_are_clear_errors(tmp_path):
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    (tmp_path / "broken.yaml").write_text("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                                          "spec: [\n")
    (tmp_path / "old.yaml").write_text(CRD_YAML.replace("apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1"))
    (tmp_path / "empty").mkdir()
    target = str(tmp_path / "pod.yaml")
    cases = {
        str(tmp_path / "missing.yaml"): f"{tmp_path / 'missing.yaml'}: no such file or directory (given with --crd)",
        target: f"{target}: no apiextensions.k8s.io/v1 CustomResourceDefinition in it (given with --crd)",
        str(tmp_path / "old.yaml"): f"{tmp_path / 'old.yaml'}: no apiextensions.k8s.io/v1 CustomResourceDefinition in "
                                    "it (only older ones: Kubernetes 1.22 and later serve CRDs as "
                                    "apiextensions.k8s.io/v1 alone) (given with --crd)",
        str(tmp_path / "empty"): f"{tmp_path / 'empty'}: no apiextensions.k8s.io/v1 CustomResourceDefinition in it "
                                 "(given with --crd)",
    }
    for given, message in cases.items():
        proc = cli("--crd", given, target)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr == f"kubebridge: error: {message}\n"
    proc = cli("--crd", str(tmp_path / "broken.yaml"), target)
    assert proc.returncode == 2 and proc.stderr.startswith(f"kubebridge: error: {tmp_path / 'broken.yaml'}:4:")
    with pytest.raises(kubebridge.InputError):
        kubebridge.check(target, crds=[tmp_path / "missing.yaml"])


def test_the_structural_walks_leave_their_input_alone():
    node = structural.root_node(PRESERVING)
    doc = widget({"known": "x", "zzz": {"a": 1}})
    before = copy.deepcopy(doc)
    unknown: list = []
    pruned = structural.prune(doc, node, (), unknown)
    structural.prune_nulls(pruned, node)
    structural.default(pruned, node)
    assert doc == before and unknown == [("spec", "zzz")] and "zzz" not in pruned["spec"]


from support import CORPUS, real_corpus  # noqa: E402


def test_real_manifests_custom_resources():
    """The corpus's only CRDs are apiextensions.k8s.io/v1beta1 (kubeconform's fixtures), which no bundled minor
    serves: its TrainingJob stays no-schema and says why; nothing in the corpus is refused as not served."""
    real_corpus()
    result = kubebridge.check(CORPUS, target="kubernetes")
    [training] = [f for f in result.findings if f.kind == "TrainingJob"]
    assert training.rule == "no-schema" and training.message.endswith(
        f"its CustomResourceDefinition ({CORPUS}/kubeconform/fixtures/registry/sagemaker.aws.amazon.com_trainingjobs"
        ".yaml:3) is apiextensions.k8s.io/v1beta1, which Kubernetes 1.37 does not serve: rewrite it as "
        "apiextensions.k8s.io/v1")
    assert not [f for f in result.findings if f.rule in ("version-not-served", "schema-invalid", "internal")]


REDOS = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: evils.acme.io}
spec:
  group: acme.io
  scope: Namespaced
  names: {kind: Evil, plural: evils}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              s: {type: string, pattern: '^(a+)+$'}
---
apiVersion: acme.io/v1
kind: Evil
metadata: {name: e}
spec: {s: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}
"""


def test_a_pattern_that_backtracks_is_judged_without_backtracking():
    """The trial's `^(a+)+$` on 40 characters ran for hours in the wording pass (Python's re); the API server's
    RE2 is linear.  subprocess's timeout turns a hang into a failure."""
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "check", "--target", "kubernetes", "-"], input=REDOS,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "<stdin>:24:8: error [schema]" in proc.stdout and "does not match '^(a+)+$'" in proc.stdout


def _crd_and_widget(schema: object) -> str:
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.acme.io"},
           "spec": {"group": "acme.io", "scope": "Namespaced", "names": {"kind": "Widget", "plural": "widgets"},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": schema}}]}}
    widget = {"apiVersion": "acme.io/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 3}}
    return yaml.safe_dump(crd, sort_keys=False) + "---\n" + yaml.safe_dump(widget, sort_keys=False)


@pytest.mark.parametrize("schema,problem", [
    ({}, "spec.versions[0].schema.openAPIV3Schema.type: the schema's root has no type"),
    ({"type": "string"}, "spec.versions[0].schema.openAPIV3Schema.type: the schema's root is type 'string'"),
    ({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "size": {"type": "integer", "default": "abc"}}}}}, 'properties.size.default: default "abc" is not of type'),
])
def test_a_resource_of_a_crd_the_api_server_refuses_is_not_served(schema, problem):
    """The trial's resources of a refused CRD got errors the bad CRD caused ('spec' was unexpected, a default the
    resource does not hold); the API server refuses the CRD, so nothing serves the resource's apiVersion."""
    findings = kubebridge.check(_crd_and_widget(schema), target="kubernetes").findings
    crd = [f for f in findings if f.kind == "CustomResourceDefinition"]
    widget = [(f.rule, f.path, f.message) for f in findings if f.kind == "Widget"]
    assert crd and all(f.severity == "error" for f in crd)
    assert len(widget) == 1 and widget[0][:2] == ("version-not-served", "apiVersion")
    assert widget[0][2].startswith("acme.io/v1 Widget is not served: the API server refuses its "
                                   "CustomResourceDefinition widgets.acme.io (<input 1>:1): ")
    assert problem in widget[0][2]


def test_preserve_unknown_fields_is_refused_on_create_but_its_resources_stay_served():
    text = _crd_and_widget({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "size": {"type": "integer"}}}}}).replace("  scope: Namespaced\n", "  scope: Namespaced\n"
                                                 "  preserveUnknownFields: true\n", 1)
    findings = kubebridge.check(text, target="kubernetes").findings
    assert [(f.rule, f.path) for f in findings] == [("value-invalid", "spec.preserveUnknownFields")]
    assert "one migrated from apiextensions.k8s.io/v1beta1 may keep it" in findings[0].message


def test_a_deprecated_version_without_a_warning_names_the_version_to_use():
    """The trial's deprecated version without deprecationWarning said nothing the fix line could point at."""
    crd = yaml.safe_load(_crd_and_widget({"type": "object", "x-kubernetes-preserve-unknown-fields": True})
                         .split("---\n")[0])
    v1 = crd["spec"]["versions"][0]
    crd["spec"]["versions"] = [{**v1, "name": "v1alpha1", "storage": False, "deprecated": True}, v1]
    widget = {"apiVersion": "acme.io/v1alpha1", "kind": "Widget", "metadata": {"name": "w"}}
    [found] = [f for f in kubebridge.check(crd, widget, target="kubernetes").findings if f.rule == "api-deprecated"]
    assert found.message.startswith("acme.io/v1alpha1 Widget is deprecated; use apiVersion: acme.io/v1 ")


def test_standard_input_is_no_crd_and_a_file_is_no_schema_location():
    with pytest.raises(kubebridge.InputError, match="standard input holds the manifests to check"):
        kubebridge.check("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n", crds=["-"])
    with pytest.raises(kubebridge.UsageError, match="a file, not a directory or a template"):
        kubebridge.check("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
                         schema_locations=[str(ROOT / "README.md")])


def test_a_schema_nested_deeper_than_the_validators_reach_is_unchecked_not_wrong():
    """The trial's valid 150-level CRD and resource: jsonschema-rs refuses schemas past 128 levels and Python's
    jsonschema runs out of stack; neither may turn into a false error (schema-invalid, exit 2) on a valid resource."""
    depth = 150
    schema: dict = {"type": "string"}
    value: object = "leaf"
    for _ in range(depth):
        schema = {"type": "object", "properties": {"a": schema}}
        value = {"a": value}
    text = _crd_and_widget({"type": "object", "properties": {"spec": schema}}).split("---\n")[0]
    widget = {"apiVersion": "acme.io/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": value}
    result = kubebridge.check(text, widget, target="kubernetes")
    assert result.exit_code == 0 and result.errors == []
    [found] = [f for f in result.findings if f.kind == "Widget"]
    assert found.rule == "no-schema" and found.message.startswith("it is not schema-checked: the document and its "
                                                                  "schema nest deeper than")


GO_PATTERNS = {"end": ("^abc\\z", "abc", "abcd"), "posix": ("^[[:alpha:]][[:alnum:]]*$", "abc1", "1abc"),
               "quoted": ("^\\Qa.b\\E$", "a.b", "axb"), "letters": ("^\\pL+$", "abc", "ab1")}


@pytest.mark.parametrize("name", sorted(GO_PATTERNS))
def test_patterns_in_gos_syntax_are_judged_as_go_judges_them(name):
    """The trial's RE2 patterns (\\z, POSIX classes, \\Q..\\E, \\pL): an internal error, a valid value refused, or
    the CRD refused.  Each: the CRD is accepted, a matching value passes, another is refused in the CRD's words."""
    pattern, good, bad = GO_PATTERNS[name]
    text = _crd_and_widget({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "size": {"type": "string", "pattern": pattern}}}}})
    ok = kubebridge.check(text.replace("size: 3", f"size: {good}"), target="kubernetes")
    assert [(f.rule, f.path) for f in ok.findings] == []
    refused = kubebridge.check(text.replace("size: 3", f"size: {bad}"), target="kubernetes")
    assert [(f.rule, f.path) for f in refused.findings] == [("schema", "spec.size")]
    assert refused.findings[0].message == f"{bad!r} does not match {pattern!r}"


@pytest.mark.parametrize("field", [{"type": "string", "nullable": True, "default": None},
                                   {"type": "integer", "default": 1.0}])
def test_a_null_default_is_none_and_a_whole_float_an_integer(field):
    """The trial's `default: null` (Go decodes it as no default) and `default: 1.0` (sent as 1) were errors."""
    text = _crd_and_widget({"type": "object", "properties": {"spec": {"type": "object", "properties": {
        "size": {"type": "integer"}, "other": field}}}})
    assert kubebridge.check(text, target="kubernetes").findings == []


def test_a_root_that_keeps_unknown_fields_needs_no_type():
    text = _crd_and_widget({"x-kubernetes-preserve-unknown-fields": True})
    assert kubebridge.check(text, target="kubernetes").findings == []
