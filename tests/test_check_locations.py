"""--schema-location: JSON Schemas from local catalogs laid out as kubeconform's (yannh/kubeconform, pkg/registry).

The catalogs here are small trees made in temporary directories, in both
layouts.  Expected paths follow kubeconform's schemaPath() (registry.go): its
own TestSchemaPath cases are the first four of test_template_variables.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import kubebridge
from kubebridge.checks.locations import expand, normalized_version

ROOT = Path(__file__).resolve().parents[1]
STANDALONE = "{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json"
CATALOG = "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"


@pytest.mark.parametrize("template,kind,api,version,strict,expected", [
    (STANDALONE, "Deployment", "apps/v1", "v1.16.0", True, "v1.16.0-standalone-strict/deployment-apps-v1.json"),
    (STANDALONE, "Deployment", "apps/v1", "v1.16.0", False, "v1.16.0-standalone/deployment-apps-v1.json"),
    (STANDALONE, "Service", "v1", "v1.18.0", False, "v1.18.0-standalone/service-v1.json"),
    (STANDALONE, "Service", "v1", "master", False, "master-standalone/service-v1.json"),
    (STANDALONE, "Ingress", "networking.k8s.io/v1", "v1.30.0", True,
     "v1.30.0-standalone-strict/ingress-networking-v1.json"),
    (CATALOG, "ServiceMonitor", "monitoring.coreos.com/v1", "v1.30.0", True, "monitoring.coreos.com/servicemonitor_v1.json"),
    (CATALOG, "Service", "v1", "v1.30.0", True, "v1/service_v1.json"),  # kubeconform's Group of the core group
])
def test_template_variables(template, kind, api, version, strict, expected):
    assert expand(template, api, kind, version, strict) == expected


def test_the_kubernetes_version_of_the_templates():
    assert normalized_version(None, "1.37") == "v1.37.0"
    assert normalized_version("1.30", "1.37") == "v1.30.0"
    assert normalized_version("v1.30.4", "1.37") == "v1.30.4"
    assert normalized_version("1.24", "1.37") == "v1.24.0"  # not bundled: the catalog may still have it


WIDGET_SCHEMA = {"type": "object", "properties": {
    "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
    "spec": {"type": "object", "required": ["size"], "additionalProperties": False,
             "properties": {"size": {"type": "integer", "minimum": 1}}}}}
CRD_SCHEMA = {"type": "object", "properties": {  # WIDGET_SCHEMA as a CRD may give it (no additionalProperties: false)
    "spec": {"type": "object", "required": ["size"], "properties": {"size": {"type": "integer", "minimum": 1}}}}}
LOOSE_SCHEMA = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}


def widget(size: object = 3, api: str = "example.com/v1", **spec: object) -> dict:
    return {"apiVersion": api, "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": size, **spec}}


def write(path: Path, schema: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema if isinstance(schema, str) else json.dumps(schema))
    return path


def found(*objects: object, **options) -> list[tuple[str, str]]:
    result = kubebridge.check(*objects, target="kubernetes", **options)
    return sorted((f.rule, f.path) for f in result.findings)


def test_a_directory_in_the_crd_catalog_layout(tmp_path):
    write(tmp_path / "example.com" / "widget_v1.json", WIDGET_SCHEMA)
    assert found(widget(), schema_locations=[tmp_path]) == []
    assert found(widget(0, colour="red"), schema_locations=[str(tmp_path)]) == [("schema", "spec.colour"),
                                                                               ("schema", "spec.size")]
    template = str(tmp_path) + "/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json"
    assert found(widget(0), schema_locations=template) == [("schema", "spec.size")]
    assert found(widget(0), schema_locations="file://" + template) == [("schema", "spec.size")]


def test_a_directory_in_the_standalone_layout_follows_version_and_strictness(tmp_path):
    write(tmp_path / "v1.30.0-standalone-strict" / "widget-example-v1.json", WIDGET_SCHEMA)
    write(tmp_path / "v1.30.0-standalone" / "widget-example-v1.json", LOOSE_SCHEMA)
    bad = widget(0, colour="red")
    assert found(bad, schema_locations=[tmp_path], kubernetes_version="1.30") == [("schema", "spec.colour"),
                                                                                  ("schema", "spec.size")]
    assert found(bad, schema_locations=[tmp_path], kubernetes_version="1.30", strict=False) == []
    assert found(widget("3"), schema_locations=[tmp_path], kubernetes_version="1.30", strict=False) == [
        ("schema", "spec.size")]
    missing = kubebridge.check(bad, schema_locations=[tmp_path], target="kubernetes")  # 1.37: no v1.37.0 directory
    [finding] = missing.findings
    assert finding.rule == "no-schema" and finding.message.endswith(
        f"; no schema at {tmp_path}/example.com/widget_v1.json, "
        f"{tmp_path}/v1.37.0-standalone-strict/widget-example-v1.json")


def test_locations_are_tried_in_order_and_a_crd_comes_first(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    write(second / "example.com" / "widget_v1.json", WIDGET_SCHEMA)
    assert found(widget(0), schema_locations=[first, second]) == [("schema", "spec.size")]
    write(first / "example.com" / "widget_v1.json", LOOSE_SCHEMA)
    assert found(widget(0), schema_locations=[first, second]) == []
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"},
           "spec": {"group": "example.com", "scope": "Namespaced", "names": {"kind": "Widget", "plural": "widgets"},
                    "versions": [{"name": "v1", "served": True, "storage": True,
                                  "schema": {"openAPIV3Schema": CRD_SCHEMA}}]}}
    assert [f.rule for f in kubebridge.check(crd, widget(0), schema_locations=[first], target="kubernetes").findings
            if f.kind == "Widget"] == ["schema"]


def test_built_in_kinds_keep_their_bundled_schema(tmp_path):
    write(tmp_path / "v1" / "configmap_v1.json", {"not": {}})  # would refuse everything
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}}
    assert found(config, schema_locations=[tmp_path]) == []


def test_draft_4_unless_the_schema_says_otherwise(tmp_path):
    """kubeconform compiles a schema without $schema as Draft 4: its exclusiveMaximum is a boolean."""
    draft4 = {"properties": {"spec": {"properties": {"size": {"maximum": 5, "exclusiveMaximum": True}}}}}
    write(tmp_path / "example.com" / "widget_v1.json", draft4)
    assert found(widget(4), schema_locations=[tmp_path]) == []
    assert found(widget(5), schema_locations=[tmp_path]) == [("schema", "spec.size")]
    later = {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "properties": {"spec": {"properties": {"size": {"exclusiveMaximum": 5}}}}}
    write(tmp_path / "example.com" / "widget_v1.json", later)
    assert found(widget(5), schema_locations=[tmp_path]) == [("schema", "spec.size")]


@pytest.mark.parametrize("content,said", [
    ("{not json", "is not JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
    ("[1]", "is not a JSON Schema: it is not a JSON object"),
    (json.dumps({"type": 12}), "is not a valid JSON Schema: "),
    (json.dumps({"$ref": "https://example.com/widget.json"}), "cannot be used: "),
])
def test_a_schema_file_that_cannot_be_used_makes_the_run_unusable(tmp_path, content, said):
    path = write(tmp_path / "example.com" / "widget_v1.json", content)
    result = kubebridge.check(widget(), schema_locations=[tmp_path], target="kubernetes")
    [finding] = result.findings
    assert finding.rule == "schema-invalid" and finding.message.startswith(f"the schema {path} {said}")
    assert result.exit_code == 2


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kubebridge", "check", "--target", "kubernetes", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_bad_locations_are_clear_errors(tmp_path):
    manifest = tmp_path / "w.yaml"
    manifest.write_text(json.dumps(widget()))
    variables = ("{{.NormalizedKubernetesVersion}}, {{.StrictSuffix}}, {{.ResourceKind}}, {{.ResourceAPIVersion}}, "
                 "{{.Group}}, {{.KindSuffix}}")
    cases = {
        "https://example.com/schemas": "--schema-location https://example.com/schemas: kubebridge reads schemas "
                                       "offline only; download the catalog (git clone, say) and give its directory or "
                                       "a path template",
        "s3://bucket/x": "--schema-location s3://bucket/x: not a directory or path template",
        f"{tmp_path}/{{{{.Kind}}}}.json": f"--schema-location {tmp_path}/{{{{.Kind}}}}.json: {{{{.Kind}}}} is not one "
                                          f"of kubeconform's template variables: {variables}",
        f"{tmp_path}/{{{{ .Group | lower }}}}.json": f"--schema-location {tmp_path}/{{{{ .Group | lower }}}}.json: "
                                                    f"{{{{ .Group | lower }}}} is not one of kubeconform's template "
                                                    f"variables: {variables}",
        f"{tmp_path}/{{{{.Group}}.json": f"--schema-location {tmp_path}/{{{{.Group}}.json: an unclosed {{{{ ... }}}} "
                                         "in the template",
        f"{tmp_path}/one.json": f"--schema-location {tmp_path}/one.json: one file for every kind; use a directory or "
                                "a template with {{.ResourceKind}} and the other variables",
        f"{tmp_path}/nowhere": f"--schema-location {tmp_path}/nowhere: no such directory",
    }
    for location, message in cases.items():
        proc = cli("--schema-location", location, str(manifest))
        assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"kubebridge: error: {message}\n"), location


def test_the_command_line_reads_a_catalog(tmp_path):
    write(tmp_path / "example.com" / "widget_v1.json", WIDGET_SCHEMA)
    manifest = tmp_path / "w.yaml"
    manifest.write_text(json.dumps(widget(0)))
    proc = cli("--output", "json", "--schema-location", str(tmp_path / "missing-first"), str(manifest))
    assert proc.returncode == 2 and "no such directory" in proc.stderr
    proc = cli("--output", "json", "--schema-location", str(tmp_path), str(manifest))
    assert proc.returncode == 1
    assert [(f["rule"], f["path"]) for f in json.loads(proc.stdout)["findings"]] == [("schema", "spec.size")]
    write(tmp_path / "example.com" / "widget_v1.json", "{")
    proc = cli("--output", "json", "--schema-location", str(tmp_path), str(manifest))
    assert proc.returncode == 2 and json.loads(proc.stdout)["summary"]["exit_code"] == 2
