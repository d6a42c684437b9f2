"""openapi-required: the OpenAPI `required` fields the API server does not enforce are warnings, not schema errors.

Each entry of checks/openapi_required.py is held to the bundled schemas: its definition lists the field as
required in every bundled minor up to last_minor, and no longer in the next one.
"""
from __future__ import annotations

import pytest

import kubebridge
from kubebridge.checks import schema as k8s_schema
from kubebridge.checks.openapi_required import UNENFORCED

MINORS = [tuple(map(int, v.split("."))) for v in k8s_schema.bundled_versions()]


def _required(version: str, definition: str) -> set[str] | None:
    found = k8s_schema.load_version(version)["$defs"].get(definition)
    return None if found is None else set(found.get("required", ()))


@pytest.mark.parametrize("entry", list(UNENFORCED.values()), ids=lambda e: f"{e.definition}.{e.field}")
def test_each_entry_is_required_up_to_its_last_minor_and_optional_after(entry):
    for minor in MINORS:
        required = _required("%d.%d" % minor, entry.definition)
        assert required is not None, minor
        assert (entry.field in required) == (minor <= entry.last_minor), minor


STATEFULSET = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.example/web:1.0
"""


@pytest.mark.parametrize("version", ["1.25", "1.32"])
def test_statefulset_without_service_name_is_a_warning_where_the_openapi_requires_it(version):
    result = kubebridge.check(STATEFULSET, kubernetes_version=version, target="kubernetes")
    assert result.errors == []
    [found] = [f for f in result.findings if f.rule == "openapi-required"]
    assert (found.severity, found.path, found.line) == ("warning", "spec", 5)
    assert f"OpenAPI of Kubernetes {version} (StatefulSetSpec), but the API server of {version} accepts" in found.message
    assert "kubernetes#130233" in found.message


def test_statefulset_without_service_name_is_quiet_where_the_openapi_no_longer_requires_it():
    assert kubebridge.check(STATEFULSET, kubernetes_version="1.33", target="kubernetes").findings == []


def test_a_required_field_the_api_server_does_require_stays_a_schema_error():
    """Deployment's selector is required in the OpenAPI and by ValidateDeploymentSpec."""
    text = STATEFULSET.replace("StatefulSet", "Deployment").replace("  selector:\n    matchLabels: {app: web}\n", "")
    result = kubebridge.check(text, kubernetes_version="1.28", target="kubernetes")
    assert [(f.rule, f.path) for f in result.errors] == [("schema", "spec")]
    assert "openapi-required" not in {f.rule for f in result.findings}


def test_selecting_only_schema_leaves_the_warning_out():
    result = kubebridge.check(STATEFULSET, kubernetes_version="1.28", target="kubernetes", select=["schema"])
    assert result.findings == []


@pytest.mark.parametrize("version,warned", [("1.30", True), ("1.33", False)])
def test_a_null_service_name_is_an_absent_one(version, warned):
    """The trial's `serviceName: null` was a schema error at 1.30: the API server's decoder reads null as absent."""
    text = STATEFULSET.replace("spec:\n  selector:", "spec:\n  serviceName: null\n  selector:")
    result = kubebridge.check(text, kubernetes_version=version, target="kubernetes")
    assert result.errors == []
    found = [f for f in result.findings if f.rule == "openapi-required"]
    assert [(f.path, f.message.split(" in the OpenAPI")[0]) for f in found] == ([(
        "spec.serviceName", "'serviceName' is null, which the API server reads as absent; it is a required "
        "property")] if warned else [])
