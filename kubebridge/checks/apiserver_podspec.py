"""The API server's checks of a pod spec, continued: probes and lifecycle handlers, security contexts, DNS, host
names, scheduling (pkg/apis/core/validation: validateProbe, ValidateSecurityContext, validatePodDNSConfig,
ValidateTolerations, validateAffinity, validateTopologySpreadConstraints, ValidatePodSpec)."""
from __future__ import annotations

from typing import Any

from kubebridge.checks.apiserver_table import Say, implements
from kubebridge.checks.apiserver_values import INT32_MAX, entries, enum_problem, given, is_int, negative
from kubebridge.model.kube_names import (
    HTTP_HEADER_NAME,
    SYSCTL_NAME,
    dns_label_problem,
    dns_subdomain_problem,
    ip_problem,
    label_value_problem,
    qualified_name_problem,
)
from kubebridge.model.manifest import Manifest, as_dict, as_list, as_str

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
SLEEP = (1, 30)  # PodLifecycleSleepAction: beta, on by default


def _containers(m: Manifest):
    return m.pod.containers if m.pod is not None else []


def _handlers(m: Manifest, c) -> list[tuple[tuple, dict, tuple[str, ...]]]:
    """(path, handler mapping, the handler types it may hold) of a container's probes and lifecycle hooks."""
    found: list[tuple[tuple, dict, tuple[str, ...]]] = [
        (c.path + (key,), c.data[key], PROBE_HANDLERS) for key in PROBES if isinstance(c.data.get(key), dict)]
    hooks = ("exec", "httpGet", "tcpSocket") + (("sleep",) if m.kubernetes >= SLEEP else ())
    lifecycle = as_dict(c.data.get("lifecycle"))
    found += [(c.path + ("lifecycle", key), lifecycle[key], hooks) for key in ("postStart", "preStop")
              if isinstance(lifecycle.get(key), dict)]
    return found


@implements("probe-handlers")
def probe_handlers(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for path, handler, kinds in _handlers(m, c):
            if not any(handler.get(kind) is not None for kind in kinds):
                say(path, f"{path[-1]} of container {c.name!r} must specify a handler type: one of "
                    f"{', '.join(kinds)}")


@implements("probe-handler-single")
def probe_handler_single(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for path, handler, kinds in _handlers(m, c):
            used = [kind for kind in kinds if handler.get(kind) is not None]
            if len(used) > 1:
                say(path + (used[1],), f"{path[-1]} of container {c.name!r} may not specify more than 1 handler "
                    f"type ({', '.join(used)})")


@implements("probe-exec-command")
def probe_exec_command(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for path, handler, _ in _handlers(m, c):
            action = handler.get("exec")
            if isinstance(action, dict) and not given(action.get("command")):
                say(path + ("exec",), f"{path[-1]} of container {c.name!r}: exec.command is required")


PROBE_NUMBERS = ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")


@implements("probe-values")
def probe_values(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for key in PROBES:
            probe = c.data.get(key)
            if not isinstance(probe, dict):
                continue
            path = c.path + (key,)
            for number in PROBE_NUMBERS:
                if negative(probe.get(number)):
                    say(path + (number,), f"{key}.{number} {probe[number]} must be greater than or equal to 0")
            threshold = probe.get("successThreshold")
            if key != "readinessProbe" and is_int(threshold) and threshold > 1:  # 0 is defaulted to 1
                say(path + ("successThreshold",), f"{key}.successThreshold must be 1, not {threshold}")
            grace = probe.get("terminationGracePeriodSeconds")
            if is_int(grace) and key == "readinessProbe":
                say(path + ("terminationGracePeriodSeconds",), "terminationGracePeriodSeconds must not be set for "
                    "readinessProbes")
            elif is_int(grace) and grace <= 0:
                say(path + ("terminationGracePeriodSeconds",), f"{key}.terminationGracePeriodSeconds {grace} must be "
                    "greater than 0")
        for path, handler, _ in _handlers(m, c):
            http = handler.get("httpGet")
            if not isinstance(http, dict):
                continue
            problem = enum_problem(http.get("scheme"), ("HTTP", "HTTPS"))
            if problem:
                say(path + ("httpGet", "scheme"), f"httpGet scheme {problem}")
            for i, header in entries(http, "httpHeaders"):
                name = header.get("name")
                if isinstance(name, str) and not HTTP_HEADER_NAME.match(name):
                    say(path + ("httpGet", "httpHeaders", i, "name"), f"HTTP header name {name!r} must consist of "
                        "letters, digits and '-'")


# --- security -----------------------------------------------------------------------------------

def _id_problem(value: Any) -> str:
    return f"{value} must be between 0 and {INT32_MAX}, inclusive" if is_int(value) and not 0 <= value <= INT32_MAX \
        else ""


SECCOMP_TYPES = ("Localhost", "RuntimeDefault", "Unconfined")


def _seccomp(path: tuple, context: dict, say: Say) -> None:
    profile = context.get("seccompProfile")
    if not isinstance(profile, dict):
        return
    kind = profile.get("type")
    local = profile.get("localhostProfile")
    problem = enum_problem(kind, SECCOMP_TYPES)
    if problem:
        say(path + ("seccompProfile", "type"), f"seccompProfile type {problem}")
    elif kind == "Localhost" and not given(local):
        say(path + ("seccompProfile",), "seccompProfile type Localhost needs localhostProfile")
    elif kind in ("RuntimeDefault", "Unconfined") and given(local):
        say(path + ("seccompProfile", "localhostProfile"), f"localhostProfile can only be set with type Localhost, "
            f"not {kind}")


@implements("security-context")
def security_context(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    spec = m.pod.spec
    pod = as_dict(spec.get("securityContext"))
    pod_path = m.pod.path + ("securityContext",)
    for key in ("runAsUser", "runAsGroup", "fsGroup"):
        problem = _id_problem(pod.get(key))
        if problem:
            say(pod_path + (key,), f"{key} {problem}")
    for i, group in enumerate(as_list(pod.get("supplementalGroups"))):
        problem = _id_problem(group)
        if problem:
            say(pod_path + ("supplementalGroups", i), f"supplementalGroups {problem}")
    problem = enum_problem(pod.get("fsGroupChangePolicy"), ("OnRootMismatch", "Always"))
    if problem:
        say(pod_path + ("fsGroupChangePolicy",), f"fsGroupChangePolicy {problem}")
    seen: set[str] = set()
    for i, sysctl in entries(pod, "sysctls"):
        name = sysctl.get("name")
        if isinstance(name, str) and (len(name) > 253 or not SYSCTL_NAME.match(name)):
            say(pod_path + ("sysctls", i, "name"), f"sysctl {name!r} must have at most 253 characters and match the "
                "regex ([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?")
        elif isinstance(name, str) and name in seen:
            say(pod_path + ("sysctls", i, "name"), f"sysctl {name!r} is given twice")
        seen.add(name if isinstance(name, str) else "")
    _seccomp(pod_path, pod, say)
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
        say(m.pod.path + ("shareProcessNamespace",), "shareProcessNamespace and hostPID cannot both be enabled")
    for c in _containers(m):
        context = as_dict(c.data.get("securityContext"))
        path = c.path + ("securityContext",)
        for key in ("runAsUser", "runAsGroup"):
            problem = _id_problem(context.get(key))
            if problem:
                say(path + (key,), f"{key} {problem}")
        if context.get("allowPrivilegeEscalation") is False:
            adds = as_list(as_dict(context.get("capabilities")).get("add"))
            if context.get("privileged") is True:
                say(path, f"container {c.name!r}: allowPrivilegeEscalation false cannot be set with privileged true")
            elif "CAP_SYS_ADMIN" in adds:
                say(path, f"container {c.name!r}: allowPrivilegeEscalation false cannot be set with the "
                    "CAP_SYS_ADMIN capability")
        _seccomp(path, context, say)


# --- the pod: enums, DNS, names, deadlines, scheduling -------------------------------------------

@implements("pod-enums")
def pod_enums(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    spec, path = m.pod.spec, m.pod.path
    for key, allowed in (("dnsPolicy", ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")),
                         ("preemptionPolicy", ("PreemptLowerPriority", "Never"))):
        problem = enum_problem(spec.get(key), allowed)
        if problem:
            say(path + (key,), f"{key} {problem}")
    os_name = as_dict(spec.get("os")).get("name")
    problem = enum_problem(os_name, ("linux", "windows"))
    if problem:
        say(path + ("os", "name"), f"os.name {problem}")


EXPANDED_DNS = (1, 26)  # ExpandedDNSConfig: beta, on by default
RELAXED_SEARCH = (1, 33)  # RelaxedDNSSearchValidation: beta, on by default


def _search_problem(search: str, relaxed: bool) -> str:
    import re

    if relaxed and search == ".":
        return ""
    name = search[:-1] if search.endswith(".") else search
    if relaxed:
        if len(name) > 253 or not re.fullmatch(r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*",
                                               name):
            return "must be a lowercase RFC 1123 subdomain ('_' allowed)"
        return ""
    return dns_subdomain_problem(name)


@implements("pod-dns-config")
def pod_dns_config(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    config = as_dict(m.pod.spec.get("dnsConfig"))
    path = m.pod.path + ("dnsConfig",)
    servers = as_list(config.get("nameservers"))
    if len(servers) > 3:
        say(path + ("nameservers",), f"{len(servers)} nameservers: must not have more than 3")
    for i, server in enumerate(servers):
        if isinstance(server, str) and ip_problem(server):
            say(path + ("nameservers", i), f"nameserver {server!r} {ip_problem(server)}")
    searches = [s for s in as_list(config.get("searches")) if isinstance(s, str)]
    most, longest = (32, 2048) if m.kubernetes >= EXPANDED_DNS else (6, 256)
    if len(searches) > most:
        say(path + ("searches",), f"{len(searches)} search paths: must not have more than {most}")
    if len(" ".join(searches)) > longest:
        say(path + ("searches",), f"the search list must not have more than {longest} characters (including spaces)")
    for i, search in enumerate(as_list(config.get("searches"))):
        problem = _search_problem(search, m.kubernetes >= RELAXED_SEARCH) if isinstance(search, str) else ""
        if problem:
            say(path + ("searches", i), f"search {search!r} {problem}")
    for i, option in entries(config, "options"):
        if not given(option.get("name")):
            say(path + ("options", i), "a DNS option needs a name")


@implements("pod-dns-none")
def pod_dns_none(m: Manifest, say: Say) -> None:
    if m.pod is not None and m.pod.spec.get("dnsPolicy") == "None" and \
            not as_list(as_dict(m.pod.spec.get("dnsConfig")).get("nameservers")):
        say(m.pod.path + ("dnsConfig",), "dnsPolicy None needs dnsConfig with at least one nameserver")


@implements("pod-host-names")
def pod_host_names(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    for key in ("hostname", "subdomain"):
        value = m.pod.spec.get(key)
        if isinstance(value, str) and value and dns_label_problem(value):
            say(m.pod.path + (key,), f"{key} {value!r} {dns_label_problem(value)}")
    for i, alias in entries(m.pod.spec, "hostAliases"):
        ip = alias.get("ip")
        if isinstance(ip, str) and ip_problem(ip):
            say(m.pod.path + ("hostAliases", i, "ip"), f"hostAliases ip {ip!r} {ip_problem(ip)}")
        for j, host in enumerate(as_list(alias.get("hostnames"))):
            if isinstance(host, str) and dns_subdomain_problem(host):
                say(m.pod.path + ("hostAliases", i, "hostnames", j), f"hostname {host!r} "
                    f"{dns_subdomain_problem(host)}")


LONG_RUNNING = ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "ReplicationController")


@implements("pod-active-deadline")
def pod_active_deadline(m: Manifest, say: Say) -> None:
    if m.pod is None or m.pod.spec.get("activeDeadlineSeconds") is None:
        return
    value = m.pod.spec["activeDeadlineSeconds"]
    path = m.pod.path + ("activeDeadlineSeconds",)
    if m.kind in LONG_RUNNING:
        say(path, f"activeDeadlineSeconds in {m.kind} is not supported: its pods run until replaced")
    elif is_int(value) and not 1 <= value <= INT32_MAX:
        say(path, f"activeDeadlineSeconds {value} must be between 1 and {INT32_MAX}, inclusive")


@implements("pod-reference-names")
def pod_reference_names(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    for key in ("serviceAccountName", "nodeName", "priorityClassName", "runtimeClassName"):
        value = m.pod.spec.get(key)
        if isinstance(value, str) and value and dns_subdomain_problem(value):
            say(m.pod.path + (key,), f"{key} {value!r} {dns_subdomain_problem(value)}")


@implements("pod-node-selector")
def pod_node_selector(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    for key, value in as_dict(m.pod.spec.get("nodeSelector")).items():
        path = m.pod.path + ("nodeSelector", key)
        problem = qualified_name_problem(key) if isinstance(key, str) else ""
        if problem:
            say(path, f"nodeSelector key {key!r} {problem}")
        elif isinstance(value, str) and label_value_problem(value):
            say(path, f"nodeSelector {key!r}: value {value!r} {label_value_problem(value)}")


TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


@implements("pod-tolerations")
def pod_tolerations(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    for i, toleration in entries(m.pod.spec, "tolerations"):
        path = m.pod.path + ("tolerations", i)
        key, operator, value = toleration.get("key"), toleration.get("operator"), toleration.get("value")
        if isinstance(key, str) and key and qualified_name_problem(key):
            say(path + ("key",), f"toleration key {key!r} {qualified_name_problem(key)}")
        if not given(key) and operator != "Exists":
            say(path + ("operator",), "a toleration without a key must use operator Exists")
        if operator == "Exists" and given(value):
            say(path + ("operator",), "a toleration with operator Exists must not have a value")
        elif operator in (None, "", "Equal") and isinstance(value, str) and label_value_problem(value):
            say(path + ("value",), f"toleration value {value!r} {label_value_problem(value)}")
        elif isinstance(operator, str) and operator not in ("", "Equal", "Exists"):
            say(path + ("operator",), f"toleration operator {operator!r} is not supported: use Equal or Exists")
        problem = enum_problem(toleration.get("effect"), TAINT_EFFECTS)
        if problem:
            say(path + ("effect",), f"toleration effect {problem}")
        if toleration.get("tolerationSeconds") is not None and toleration.get("effect") != "NoExecute":
            say(path + ("effect",), "tolerationSeconds is only allowed with effect NoExecute")


def _node_requirement(path: tuple, requirement: dict, say: Say) -> None:
    operator, values = requirement.get("operator"), as_list(requirement.get("values"))
    if operator in ("In", "NotIn") and not values:
        say(path + ("values",), f"operator {operator} needs at least one value")
    elif operator in ("Exists", "DoesNotExist") and values:
        say(path + ("values",), f"operator {operator} must have no values")
    elif operator in ("Gt", "Lt") and (len(values) != 1 or not str(values[0]).lstrip("-").isdigit()):
        say(path + ("values",), f"operator {operator} needs exactly one value, an integer")
    elif isinstance(operator, str) and operator not in ("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"):
        say(path + ("operator",), f"operator {operator!r} is not a valid node selector operator")
    key = requirement.get("key")
    if isinstance(key, str) and qualified_name_problem(key):
        say(path + ("key",), f"key {key!r} {qualified_name_problem(key)}")


@implements("pod-affinity")
def pod_affinity(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    affinity = as_dict(m.pod.spec.get("affinity"))
    path = m.pod.path + ("affinity",)
    node = as_dict(affinity.get("nodeAffinity"))
    required = node.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        where = path + ("nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution")
        if not as_list(required.get("nodeSelectorTerms")):
            say(where + ("nodeSelectorTerms",), "must have at least one node selector term")
        for i, term in entries(required, "nodeSelectorTerms"):
            for j, requirement in entries(term, "matchExpressions"):
                _node_requirement(where + ("nodeSelectorTerms", i, "matchExpressions", j), requirement, say)
    for i, preferred in entries(node, "preferredDuringSchedulingIgnoredDuringExecution"):
        weight = preferred.get("weight")
        if is_int(weight) and not 1 <= weight <= 100:
            say(path + ("nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution", i, "weight"),
                f"weight {weight} must be in the range 1-100")
    for kind in ("podAffinity", "podAntiAffinity"):
        terms = as_dict(affinity.get(kind))
        for i, term in entries(terms, "requiredDuringSchedulingIgnoredDuringExecution"):
            if not given(term.get("topologyKey")):
                say(path + (kind, "requiredDuringSchedulingIgnoredDuringExecution", i), "topologyKey is required "
                    "(can not be empty)")
        for i, weighted in entries(terms, "preferredDuringSchedulingIgnoredDuringExecution"):
            where = path + (kind, "preferredDuringSchedulingIgnoredDuringExecution", i)
            weight = weighted.get("weight")
            if is_int(weight) and not 1 <= weight <= 100:
                say(where + ("weight",), f"weight {weight} must be in the range 1-100")
            if isinstance(weighted.get("podAffinityTerm"), dict) and \
                    not given(weighted["podAffinityTerm"].get("topologyKey")):
                say(where + ("podAffinityTerm",), "topologyKey is required (can not be empty)")


@implements("pod-topology-spread")
def pod_topology_spread(m: Manifest, say: Say) -> None:
    if m.pod is None:
        return
    seen: set[tuple] = set()
    for i, constraint in entries(m.pod.spec, "topologySpreadConstraints"):
        path = m.pod.path + ("topologySpreadConstraints", i)
        skew = constraint.get("maxSkew")
        if is_int(skew) and skew <= 0:
            say(path + ("maxSkew",), f"maxSkew {skew} must be greater than zero")
        if not given(constraint.get("topologyKey")):
            say(path + ("topologyKey",) if "topologyKey" in constraint else path, "topologyKey can not be empty")
        when = constraint.get("whenUnsatisfiable")
        problem = enum_problem(when, ("DoNotSchedule", "ScheduleAnyway"))
        if problem:
            say(path + ("whenUnsatisfiable",), f"whenUnsatisfiable {problem}")
        pair = (as_str(constraint.get("topologyKey")), as_str(when))
        if pair in seen:
            say(path, f"a second constraint on {{{pair[0]}, {pair[1]}}}: the pair must be unique")
        seen.add(pair)
        domains = constraint.get("minDomains")
        if is_int(domains) and domains <= 0:
            say(path + ("minDomains",), f"minDomains {domains} must be greater than zero")
        elif is_int(domains) and when != "DoNotSchedule":
            say(path + ("minDomains",), "minDomains can only be used with whenUnsatisfiable DoNotSchedule")

