"""api-disabled-by-default: the APIs a minor serves only to a cluster that enables them (checks/api_defaults.py)."""
from __future__ import annotations

import pytest

import kubebridge
from kubebridge.checks import schema as k8s_schema
from kubebridge.checks.api_defaults import disabled_by_default

CLAIM = """\
apiVersion: {api}
kind: ResourceClaim
metadata:
  name: gpu
spec:
  devices:
    requests:
    - name: gpu
      deviceClassName: gpu.example.com
"""


def _warnings(api: str, version: str) -> list:
    result = kubebridge.check(CLAIM.format(api=api), kubernetes_version=version, target="kubernetes")
    return [f for f in result.findings if f.rule == "api-disabled-by-default"]


@pytest.mark.parametrize("api,version", [("resource.k8s.io/v1alpha3", "1.31"), ("resource.k8s.io/v1beta1", "1.32")])
def test_alpha_and_new_beta_apis_are_warned_with_the_runtime_config_that_enables_them(api, version):
    [found] = _warnings(api, version)
    assert (found.severity, found.path, found.line) == ("warning", "apiVersion", 1)
    assert f"Kubernetes {version} serves {api} ResourceClaim only when the cluster enables it" in found.message
    assert f"--runtime-config={api}=true" in found.message
    assert "which it serves by default" not in found.message  # nothing in resource.k8s.io is on by default yet


def test_the_enabled_apiversion_of_the_same_kind_is_named_once_there_is_one():
    [found] = _warnings("resource.k8s.io/v1beta1", "1.34")
    assert found.message.endswith("; or use resource.k8s.io/v1, which it serves by default")


def test_an_old_beta_still_served_is_on_by_default():
    """autoscaling/v2beta2 (beta since 1.12) is served, and on, in 1.25: deprecated, not disabled."""
    text = """\
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 3
"""
    rules = {f.rule for f in kubebridge.check(text, kubernetes_version="1.25", target="kubernetes").findings}
    assert "api-deprecated" in rules and "api-disabled-by-default" not in rules


def test_legacy_beta_resources_enabled_by_default_are_not_warned():
    assert disabled_by_default("1.28", "flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema") is None


@pytest.mark.parametrize("version", ["1.25", "1.37"])
def test_ga_apis_are_never_disabled_and_every_alpha_is(version):
    for key in k8s_schema.served(version):
        api = key.rpartition("/")[0]
        off = disabled_by_default(version, key)
        if "alpha" in api.rpartition("/")[2]:
            assert off is not None and off.level == "alpha", key
        elif "beta" not in api:
            assert off is None, key
