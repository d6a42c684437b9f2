"""A differential over generated manifests: check's verdict against the Kubernetes behaviour its checks follow.

Each test draws values for one field and builds a manifest around it; the oracle beside it is the cited Go code's
rule, written out here on its own (regular expressions and comparisons copied from the Go source's constants, not
from kubebridge), and the test holds check's verdict (a finding of the rule at the field, or none) to it.
"""
from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st

import kubebridge

IMAGE = "registry.example.com/app:1.0"


def _pod(container: dict | None = None, **spec) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
            "spec": {"containers": [{"name": "app", "image": IMAGE, **(container or {})}], **spec}}


def _deployment(spec: dict | None = None) -> dict:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "app", "image": IMAGE}]}}, **(spec or {})}}


def _fires(doc: dict, rule: str, path: str, version: str = "1.37") -> bool:
    text = json.dumps(doc)  # JSON, so a drawn string stays a string (in YAML 1.1, 08 is the number 8)
    return any(f.rule == rule and f.path == path
               for f in kubebridge.check(text, target="kubernetes", kubernetes_version=version).findings)


# --- oracles: the Go rules, from their source ------------------------------------------------------------------

INT32_MAX = 2147483647  # encoding/json into an int32 field refuses more (and less than -2147483648)


def refuses_replicas(value: int) -> bool:
    """apps ValidateDeploymentSpec: ValidateNonnegativeField(int64(spec.Replicas)); the int32 decoding."""
    return value < 0 or value > INT32_MAX


def refuses_int_or_percent(value) -> bool:
    """apps ValidatePositiveIntOrPercent: IsValidPercent ("^[0-9]+%$") for a string, >= 0 for an int."""
    if isinstance(value, str):
        return re.fullmatch(r"^[0-9]+%$", value) is None
    return value < 0


def refuses_port_name(name: str) -> bool:
    """apimachinery IsValidPortName: <= 15, ^[-a-z0-9]+$, a letter, no "--", no leading or trailing '-'."""
    return (len(name) > 15 or re.fullmatch(r"^[-a-z0-9]+$", name) is None or re.search("[a-z]", name) is None
            or "--" in name or name.startswith("-") or name.endswith("-"))


def refuses_port_number(port: int) -> bool:
    """apimachinery IsValidPortNum: 1-65535."""
    return not 1 <= port <= 65535


def refuses_env_name(name: str, relaxed: bool) -> bool:
    """IsEnvVarName (^[-._a-zA-Z][-._a-zA-Z0-9]*$, not '.', '..' or '..'-prefixed) or, from 1.32
    (RelaxedEnvironmentVariableValidation), IsRelaxedEnvVarName: printable ASCII (unicode.IsPrint, < 128), no '='."""
    if relaxed:
        return any(ord(ch) > 127 or not ch.isprintable() or ch == "=" for ch in name)
    return re.fullmatch(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$", name) is None or name in (".", "..") or \
        name.startswith("..")


def refuses_subdomain(name: str) -> bool:
    """IsDNS1123Subdomain: <= 253 and ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$."""
    label = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
    return len(name) > 253 or re.fullmatch(rf"^{label}(\.{label})*$", name) is None


def refuses_requirement(operator: str, values: list) -> bool:
    """meta/v1 ValidateLabelSelectorRequirement: In/NotIn need values, Exists/DoesNotExist none, no other operator."""
    if operator in ("In", "NotIn"):
        return not values
    if operator in ("Exists", "DoesNotExist"):
        return bool(values)
    return True


# --- the differential ------------------------------------------------------------------------------------------

@given(st.integers(min_value=-(2**33), max_value=2**33))
def test_replicas(value):
    assert _fires(_deployment({"replicas": value}), "value-invalid", "spec.replicas") == refuses_replicas(value)


INT_OR_STRING = st.one_of(st.integers(min_value=-5, max_value=300), st.text("0123456789% .-a", max_size=5))


@given(INT_OR_STRING)
def test_max_surge_int_or_percent(value):
    doc = _deployment({"strategy": {"rollingUpdate": {"maxSurge": value, "maxUnavailable": 1}}})
    path = "spec.strategy.rollingUpdate.maxSurge"
    assert _fires(doc, "value-invalid", path) == refuses_int_or_percent(value)


PORT_NAMES = st.text("ab09-", min_size=1, max_size=17)


@given(st.one_of(PORT_NAMES, st.integers(min_value=-3, max_value=70000)))
def test_probe_port_num_or_name(port):
    doc = _pod({"livenessProbe": {"httpGet": {"port": port}}})
    path = "spec.containers[0].livenessProbe.httpGet.port"
    if isinstance(port, str):
        assert _fires(doc, "port-name-invalid", path) == refuses_port_name(port)
    else:
        assert _fires(doc, "port-invalid", path) == refuses_port_number(port)


@given(PORT_NAMES)
def test_service_target_port_name(name):
    doc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
           "spec": {"ports": [{"port": 80, "targetPort": name}]}}
    assert _fires(doc, "port-name-invalid", "spec.ports[0].targetPort") == refuses_port_name(name)


ENV_NAMES = st.text(st.sampled_from("aZ_.-09 =$é\t"), min_size=1, max_size=6)


@given(ENV_NAMES, st.sampled_from(["1.31", "1.32", "1.37"]))
def test_env_names_strict_then_relaxed(name, version):
    doc = _pod({"env": [{"name": name, "value": "x"}]})
    relaxed = version >= "1.32"
    assert _fires(doc, "value-invalid", "spec.containers[0].env[0].name", version) == refuses_env_name(name, relaxed)


@given(st.text(st.sampled_from("ab9-._A"), min_size=1, max_size=8))
def test_secret_key_ref_names(name):
    doc = _pod({"env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": name, "key": "k"}}}]})
    path = "spec.containers[0].env[0].valueFrom.secretKeyRef.name"
    assert _fires(doc, "reference-invalid", path) == refuses_subdomain(name)


@given(st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist", "Equals", "in"]),
       st.lists(st.sampled_from(["a", "b"]), max_size=2))
def test_selector_requirements(operator, values):
    selector = {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": operator,
                                                                     "values": values}]}
    fired = _fires(_deployment({"selector": selector}), "selector-invalid",
                   "spec.selector.matchExpressions[0].values") or \
        _fires(_deployment({"selector": selector}), "selector-invalid", "spec.selector.matchExpressions[0].operator")
    assert fired == refuses_requirement(operator, values)
