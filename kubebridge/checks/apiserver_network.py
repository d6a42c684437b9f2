"""The API server's checks of Services (pkg/apis/core/validation ValidateService), Ingress and NetworkPolicy
(pkg/apis/networking/validation), PodDisruptionBudget (policy), RBAC bindings and rules (rbac) and
HorizontalPodAutoscaler (autoscaling)."""
from __future__ import annotations

from typing import Any

from kubebridge.checks.apiserver_table import Say, implements
from kubebridge.checks.apiserver_values import (
    entries,
    enum_problem,
    given,
    is_int,
    port_num_or_name_problem,
    spec_of,
)
from kubebridge.model.kube_names import (
    WILDCARD_SUBDOMAIN,
    cidr_problem,
    dns1035_problem,
    dns_label_problem,
    dns_subdomain_problem,
    ip_problem,
    label_value_problem,
    path_segment_problem,
    qualified_name_problem,
)
from kubebridge.model.manifest import Manifest, as_dict, as_list


# --- Service ------------------------------------------------------------------------------------

@implements("service-type-fields")
def service_type_fields(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    kind = spec.get("type") or "ClusterIP"
    if not isinstance(kind, str):
        return
    for i, port in entries(spec, "ports"):
        if kind == "ClusterIP" and is_int(port.get("nodePort")) and port["nodePort"] != 0:
            say(("spec", "ports", i, "nodePort"), "nodePort may not be used when type is 'ClusterIP'")
    if spec.get("clusterIP") == "None" and kind in ("NodePort", "LoadBalancer"):
        say(("spec", "clusterIP"), f"clusterIP may not be 'None' for a {kind} Service")
    if kind == "ExternalName":
        name = spec.get("externalName")
        if not given(name):
            say(("spec",), "a Service of type ExternalName needs spec.externalName")
        elif isinstance(name, str) and dns_subdomain_problem(name.removesuffix(".")):
            say(("spec", "externalName"), f"externalName {name!r} {dns_subdomain_problem(name.removesuffix('.'))}")
        if isinstance(spec.get("clusterIP"), str) and spec["clusterIP"] not in ("",):
            say(("spec", "clusterIP"), "clusterIP must not be set for a Service of type ExternalName")
    if kind != "LoadBalancer":
        for key in ("loadBalancerSourceRanges", "loadBalancerClass", "allocateLoadBalancerNodePorts"):
            if given(spec.get(key)) or spec.get(key) is False:
                say(("spec", key), f"{key} may only be used when type is 'LoadBalancer'")
    if spec.get("healthCheckNodePort") not in (None, 0) and not (kind == "LoadBalancer" and
                                                                spec.get("externalTrafficPolicy") == "Local"):
        say(("spec", "healthCheckNodePort"), "healthCheckNodePort may only be set with type LoadBalancer and "
            "externalTrafficPolicy Local")


TRAFFIC_DISTRIBUTION = ((1, 31), ("PreferClose",)), ((1, 34), ("PreferClose", "PreferSameZone", "PreferSameNode"))


@implements("service-values")
def service_values(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    ip = spec.get("clusterIP")
    if isinstance(ip, str) and ip not in ("", "None") and ip_problem(ip):
        say(("spec", "clusterIP"), f"clusterIP {ip!r} {ip_problem(ip)}")
    for i, address in enumerate(as_list(spec.get("externalIPs"))):
        if isinstance(address, str) and ip_problem(address):
            say(("spec", "externalIPs", i), f"externalIP {address!r} {ip_problem(address)}")
    affinity = spec.get("sessionAffinity")
    problem = enum_problem(affinity, ("ClientIP", "None"))
    if problem:
        say(("spec", "sessionAffinity"), f"sessionAffinity {problem}")
    timeout = as_dict(as_dict(spec.get("sessionAffinityConfig")).get("clientIP")).get("timeoutSeconds")
    if affinity == "ClientIP" and is_int(timeout) and not 0 < timeout <= 86400:
        say(("spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"), f"timeoutSeconds {timeout} must be "
            "greater than 0 and at most 86400 (1 day)")
    elif affinity in (None, "", "None") and given(spec.get("sessionAffinityConfig")):
        say(("spec", "sessionAffinityConfig"), "sessionAffinityConfig must not be set when sessionAffinity is None")
    for key in ("externalTrafficPolicy", "internalTrafficPolicy"):
        problem = enum_problem(spec.get(key), ("Cluster", "Local"))
        if problem:
            say(("spec", key), f"{key} {problem}")
    external = spec.get("type") in ("NodePort", "LoadBalancer") or bool(as_list(spec.get("externalIPs")))
    if given(spec.get("externalTrafficPolicy")) and not external:
        say(("spec", "externalTrafficPolicy"), "externalTrafficPolicy may only be set for an externally accessible "
            "Service (NodePort, LoadBalancer, or with externalIPs)")
    for i, port in entries(spec, "ports"):
        protocol = port.get("appProtocol")
        if isinstance(protocol, str) and protocol and qualified_name_problem(protocol):
            say(("spec", "ports", i, "appProtocol"), f"appProtocol {protocol!r} {qualified_name_problem(protocol)}")
    distribution = spec.get("trafficDistribution")
    for since, allowed in reversed(TRAFFIC_DISTRIBUTION):
        if m.kubernetes >= since:
            problem = enum_problem(distribution, allowed)
            if problem:
                say(("spec", "trafficDistribution"), f"trafficDistribution {problem}")
            break


@implements("service-selector")
def service_selector(m: Manifest, say: Say) -> None:
    for key, value in as_dict(spec_of(m).get("selector")).items():
        problem = qualified_name_problem(key) if isinstance(key, str) else ""
        if not problem and isinstance(value, str):
            problem = f"value {value!r} {label_value_problem(value)}" if label_value_problem(value) else ""
        if problem:
            say(("spec", "selector", key), f"selector {key!r}: {problem}")


# --- Ingress ------------------------------------------------------------------------------------

def _backends(spec: dict) -> list[tuple[tuple, dict]]:
    found: list[tuple[tuple, dict]] = [(("spec", "defaultBackend"), spec["defaultBackend"])] if isinstance(spec.get("defaultBackend"),
                                                                                  dict) else []
    for i, rule in entries(spec, "rules"):
        for j, path in entries(as_dict(rule.get("http")), "paths"):
            if isinstance(path.get("backend"), dict):
                found.append((("spec", "rules", i, "http", "paths", j, "backend"), path["backend"]))
    return found


def _paths(spec: dict) -> list[tuple[tuple, dict]]:
    return [(("spec", "rules", i, "http", "paths", j), path) for i, rule in entries(spec, "rules")
            for j, path in entries(as_dict(rule.get("http")), "paths")]


@implements("ingress-spec")
def ingress_spec(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    if not given(spec.get("defaultBackend")) and not as_list(spec.get("rules")):
        say(("spec",), "an Ingress needs spec.defaultBackend or at least one rule")
    for i, rule in entries(spec, "rules"):
        http = rule.get("http")
        if isinstance(http, dict) and not as_list(http.get("paths")):
            say(("spec", "rules", i, "http"), "http needs at least one path")
    for path, entry in _paths(spec):
        if not given(entry.get("pathType")):
            say(path, "pathType is required (Exact, Prefix or ImplementationSpecific)")
    for path, backend in _backends(spec):
        service = backend.get("service")
        if isinstance(service, dict):
            if not given(service.get("name")):
                say(path + ("service",), "a backend service needs a name")
            port = as_dict(service.get("port"))
            if not given(port.get("name")) and not given(port.get("number")):
                say(path + ("service", "port") if "port" in service else path + ("service",),
                    "a backend service needs port.number or port.name")
        elif not given(backend.get("resource")):
            say(path, "a backend needs a service or a resource")


@implements("ingress-values")
def ingress_values(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    hosts: list[tuple[tuple, Any]] = [(("spec", "rules", i, "host"), rule.get("host")) for i, rule in entries(spec, "rules")]
    hosts += [(("spec", "tls", i, "hosts", j), host) for i, tls in entries(spec, "tls")
              for j, host in enumerate(as_list(tls.get("hosts")))]
    for path, host in hosts:
        if not isinstance(host, str) or not host:
            continue
        if not ip_problem(host):
            say(path, f"host {host!r} must be a DNS name, not an IP address")
        elif "*" in host and not WILDCARD_SUBDOMAIN.match(host):
            say(path, f"host {host!r} must be a wildcard DNS name: '*.' and a lowercase RFC 1123 subdomain")
        elif "*" not in host and dns_subdomain_problem(host):
            say(path, f"host {host!r} {dns_subdomain_problem(host)}")
    for path, entry in _paths(spec):
        kind, text = entry.get("pathType"), entry.get("path")
        problem = enum_problem(kind, ("Exact", "Prefix", "ImplementationSpecific"))
        if problem:
            say(path + ("pathType",), f"pathType {problem}")
        elif kind in ("Exact", "Prefix") and isinstance(text, str) and _exact_path_problem(text):
            say(path + ("path",), f"path {text!r} {_exact_path_problem(text)}")
        elif kind == "ImplementationSpecific" and isinstance(text, str) and text and not text.startswith("/"):
            say(path + ("path",), f"path {text!r} must be an absolute path")
    for path, backend in _backends(spec):
        service = backend.get("service")
        if isinstance(service, dict) and given(backend.get("resource")):
            say(path + ("resource",), "a backend may not have both a service and a resource")
        port = as_dict(as_dict(service).get("port"))
        if given(port.get("name")) and given(port.get("number")):
            say(path + ("service", "port", "number"), "port.name and port.number may not both be set")
        for key in ("name", "number"):
            if given(port.get(key)):
                rule, problem = port_num_or_name_problem(port[key])
                if problem:
                    say(path + ("service", "port", key), problem)


def _exact_path_problem(path: str) -> str:
    if not path.startswith("/"):
        return "must be an absolute path"
    for bad in ("//", "/./", "/../", "%2f", "%2F"):
        if bad in path:
            return f"must not contain {bad!r}"
    if path.endswith(("/..", "/.")):
        return "must not end with '/..' or '/.'"
    return ""


RELAXED_SERVICE_NAMES = (1, 36)  # RelaxedServiceNameValidation (KEP-5311): only its certain errors are kept


@implements("ingress-references")
def ingress_references(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    check = dns_label_problem if m.kubernetes >= RELAXED_SERVICE_NAMES else dns1035_problem
    for path, backend in _backends(spec):
        name = as_dict(backend.get("service")).get("name")
        if isinstance(name, str) and name and check(name):
            say(path + ("service", "name"), f"backend service name {name!r} is not a valid Service name: {check(name)}")
    for i, tls in entries(spec, "tls"):
        secret = tls.get("secretName")
        if isinstance(secret, str) and secret and dns_subdomain_problem(secret):
            say(("spec", "tls", i, "secretName"), f"secretName {secret!r} is not a valid Secret name: "
                f"{dns_subdomain_problem(secret)}")
    klass = spec.get("ingressClassName")
    if isinstance(klass, str) and klass and dns_subdomain_problem(klass):
        say(("spec", "ingressClassName"), f"ingressClassName {klass!r} {dns_subdomain_problem(klass)}")


# --- NetworkPolicy ------------------------------------------------------------------------------

@implements("networkpolicy-values")
def networkpolicy_values(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    types = as_list(spec.get("policyTypes"))
    if len(types) > 2:
        say(("spec", "policyTypes"), "policyTypes may hold at most 2 entries (Ingress, Egress)")
    for i, kind in enumerate(types):
        problem = enum_problem(kind, ("Ingress", "Egress"))
        if problem:
            say(("spec", "policyTypes", i), f"policyType {problem}")
    for direction, peers_key in (("ingress", "from"), ("egress", "to")):
        for i, rule in entries(spec, direction):
            base = ("spec", direction, i)
            for j, port in entries(rule, "ports"):
                _policy_port(base + ("ports", j), port, say)
            for j, peer in entries(rule, peers_key):
                _peer(base + (peers_key, j), peer, say)


def _policy_port(path: tuple, port: dict, say: Say) -> None:
    problem = enum_problem(port.get("protocol"), ("TCP", "UDP", "SCTP"))
    if problem:
        say(path + ("protocol",), f"protocol {problem}")
    number, end = port.get("port"), port.get("endPort")
    if number is not None:
        _, problem = port_num_or_name_problem(number)
        if problem:
            say(path + ("port",), problem)
    if end is not None:
        if not is_int(number):
            say(path + ("endPort",), "endPort may only be set with a numeric port")
        elif is_int(end) and end < number:
            say(path + ("endPort",), f"endPort {end} must be greater than or equal to port {number}")


def _peer(path: tuple, peer: dict, say: Say) -> None:
    selectors = [key for key in ("podSelector", "namespaceSelector") if peer.get(key) is not None]
    block = peer.get("ipBlock")
    if block is None and not selectors:
        say(path, "a peer must specify podSelector, namespaceSelector or ipBlock")
    elif block is not None and selectors:
        say(path + ("ipBlock",), "ipBlock may not be combined with podSelector or namespaceSelector")
    if not isinstance(block, dict):
        return
    cidr = block.get("cidr")
    if not given(cidr):
        say(path + ("ipBlock",), "ipBlock needs a cidr")
    elif isinstance(cidr, str) and cidr_problem(cidr):
        say(path + ("ipBlock", "cidr"), f"cidr {cidr!r} {cidr_problem(cidr)}")
    for k, excluded in enumerate(as_list(block.get("except"))):
        if isinstance(excluded, str) and cidr_problem(excluded):
            say(path + ("ipBlock", "except", k), f"except {excluded!r} {cidr_problem(excluded)}")
        elif isinstance(excluded, str) and isinstance(cidr, str) and not cidr_problem(cidr) and \
                not _strictly_inside(excluded, cidr):
            say(path + ("ipBlock", "except", k), f"except {excluded!r} must be a strict subset of cidr {cidr!r}")


def _strictly_inside(inner: str, outer: str) -> bool:
    import ipaddress

    try:
        a, b = ipaddress.ip_network(inner, strict=False), ipaddress.ip_network(outer, strict=False)
        return a.version == b.version and a.subnet_of(b) and a.prefixlen > b.prefixlen  # type: ignore[arg-type]
    except ValueError:
        return True


# --- PodDisruptionBudget, RBAC, HorizontalPodAutoscaler -----------------------------------------

UNHEALTHY_POLICY = (1, 27)  # PDBUnhealthyPodEvictionPolicy: beta, on by default


@implements("pdb-spec")
def pdb_spec(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        say(("spec",), "minAvailable and maxUnavailable cannot be both set")
    if m.kubernetes >= UNHEALTHY_POLICY:
        problem = enum_problem(spec.get("unhealthyPodEvictionPolicy"), ("IfHealthyBudget", "AlwaysAllow"))
        if problem:
            say(("spec", "unhealthyPodEvictionPolicy"), f"unhealthyPodEvictionPolicy {problem}")


@implements("rbac-rules")
def rbac_rules(m: Manifest, say: Say) -> None:
    for i, rule in entries(m.data, "rules"):
        path = ("rules", i)
        if not given(rule.get("verbs")):
            say(path, "a policy rule needs at least one verb")
        if given(rule.get("nonResourceURLs")):
            continue
        for key in ("apiGroups", "resources"):
            if not given(rule.get(key)):
                say(path, f"a resource rule needs at least one entry in {key} (\"\" is the core group)")


RBAC_GROUP = "rbac.authorization.k8s.io"


@implements("rbac-bindings")
def rbac_bindings(m: Manifest, say: Say) -> None:
    ref = m.data.get("roleRef")
    if isinstance(ref, dict):
        group, kind, name = ref.get("apiGroup"), ref.get("kind"), ref.get("name")
        if isinstance(group, str) and group not in ("", RBAC_GROUP):
            say(("roleRef", "apiGroup"), f"roleRef apiGroup {group!r} is not supported: use {RBAC_GROUP}")
        kinds = ("ClusterRole",) if m.kind == "ClusterRoleBinding" else ("Role", "ClusterRole")
        problem = enum_problem(kind, kinds)
        if problem:
            say(("roleRef", "kind"), f"roleRef kind {problem}")
        if not given(name):
            say(("roleRef",), "roleRef needs a name")
        elif isinstance(name, str) and path_segment_problem(name):
            say(("roleRef", "name"), f"roleRef name {name!r} {path_segment_problem(name)}")
    for i, subject in entries(m.data, "subjects"):
        path = ("subjects", i)
        kind, group, name = subject.get("kind"), subject.get("apiGroup"), subject.get("name")
        if not given(name):
            say(path, "a subject needs a name")
        problem = enum_problem(kind, ("ServiceAccount", "User", "Group"))
        if problem:
            say(path + ("kind",), f"subject kind {problem}")
        elif kind == "ServiceAccount":
            if isinstance(group, str) and group:
                say(path + ("apiGroup",), f"a ServiceAccount subject's apiGroup must be \"\", not {group!r}")
            if isinstance(name, str) and name and dns_subdomain_problem(name):
                say(path + ("name",), f"ServiceAccount name {name!r} {dns_subdomain_problem(name)}")
            if m.kind == "ClusterRoleBinding" and not given(subject.get("namespace")):
                say(path, "a ServiceAccount subject of a ClusterRoleBinding needs a namespace")
        elif kind in ("User", "Group") and isinstance(group, str) and group not in ("", RBAC_GROUP):
            say(path + ("apiGroup",), f"a {kind} subject's apiGroup must be {RBAC_GROUP}, not {group!r}")


METRIC_SOURCES = {"Object": "object", "Pods": "pods", "Resource": "resource", "ContainerResource":
                  "containerResource", "External": "external"}


@implements("hpa-spec")
def hpa_spec(m: Manifest, say: Say) -> None:
    spec = spec_of(m)
    low, high = spec.get("minReplicas"), spec.get("maxReplicas")
    if is_int(low) and low < 1:
        say(("spec", "minReplicas"), f"minReplicas {low} must be greater than or equal to 1 (0 only with the "
            "HPAScaleToZero feature, off by default)")
    if is_int(high) and high < 1:
        say(("spec", "maxReplicas"), f"maxReplicas {high} must be greater than 0")
    elif is_int(high) and is_int(low) and low > high:
        say(("spec", "maxReplicas"), f"maxReplicas {high} must be greater than or equal to minReplicas {low}")
    target = spec.get("scaleTargetRef")
    if isinstance(target, dict):
        for key in ("kind", "name"):
            value = target.get(key)
            if not given(value):
                say(("spec", "scaleTargetRef"), f"scaleTargetRef needs a {key}")
            elif isinstance(value, str) and path_segment_problem(value):
                say(("spec", "scaleTargetRef", key), f"scaleTargetRef {key} {value!r} {path_segment_problem(value)}")
    for i, metric in entries(spec, "metrics"):
        kind = metric.get("type")
        problem = enum_problem(kind, tuple(METRIC_SOURCES))
        if problem:
            say(("spec", "metrics", i, "type"), f"metric type {problem}")
        elif isinstance(kind, str) and kind and metric.get(METRIC_SOURCES[kind]) is None:
            say(("spec", "metrics", i), f"a metric of type {kind} needs {METRIC_SOURCES[kind]}")
    for direction in ("scaleUp", "scaleDown"):
        rules = as_dict(as_dict(spec.get("behavior")).get(direction))
        path = ("spec", "behavior", direction)
        window = rules.get("stabilizationWindowSeconds")
        if is_int(window) and not 0 <= window <= 3600:
            say(path + ("stabilizationWindowSeconds",), f"stabilizationWindowSeconds {window} must be between 0 and "
                "3600 (one hour)")
        problem = enum_problem(rules.get("selectPolicy"), ("Max", "Min", "Disabled"))
        if problem:
            say(path + ("selectPolicy",), f"selectPolicy {problem}")
        for j, policy in entries(rules, "policies"):
            problem = enum_problem(policy.get("type"), ("Pods", "Percent"))
            if problem:
                say(path + ("policies", j, "type"), f"policy type {problem}")
            value, period = policy.get("value"), policy.get("periodSeconds")
            if is_int(value) and value <= 0:
                say(path + ("policies", j, "value"), f"value {value} must be greater than zero")
            if is_int(period) and not 0 < period <= 1800:
                say(path + ("policies", j, "periodSeconds"), f"periodSeconds {period} must be between 1 and 1800 "
                    "(30 minutes)")
