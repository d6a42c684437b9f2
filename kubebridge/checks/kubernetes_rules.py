"""What the Kubernetes API server refuses that no JSON Schema says, and pod problems schemas cannot see.

Each rule is a small function over a Manifest, registered with the rule ids it
may report.  They follow the API server's validation (pkg/apis/core/validation
and apps/batch validation in kubernetes/kubernetes); where that depends on the
Kubernetes minor, the minor is a parameter (m.kubernetes).
"""
from __future__ import annotations

from typing import Any, Callable

from kubebridge.model import quantity
from kubebridge.model.kube_names import (
    CONFIG_KEY,
    dns1035_problem,
    dns_label_problem,
    dns_subdomain_problem,
    is_port_number,
    label_value_problem,
    path_segment_problem,
    port_name_problem,
    port_problem,
    qualified_name_problem,
)
from kubebridge.load.manifests import json_path
from kubebridge.model.manifest import POD_SPEC_PATHS, Manifest, as_dict, as_list, as_str, get, registrar

Checker = Callable[[Manifest], None]
DOCUMENT_RULES: list[tuple[frozenset[str], Checker]] = []

rule = registrar(DOCUMENT_RULES)


# --- metadata -------------------------------------------------------------------------------

NAME_RULES = {  # kind -> the API server's name check
    "Service": dns1035_problem, "Namespace": dns_label_problem,
    **dict.fromkeys(("Pod", "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "ConfigMap",
                     "Secret", "PersistentVolumeClaim", "PersistentVolume", "ServiceAccount", "ReplicationController",
                     "PodTemplate", "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler", "IngressClass"),
                    dns_subdomain_problem),
    # ValidateRBACName and the PodDisruptionBudget's REST check: only what a URL path segment cannot hold
    **dict.fromkeys(("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "PodDisruptionBudget"),
                    path_segment_problem),
}


@rule("name-invalid")
def check_name(m: Manifest) -> None:
    check_name_of = NAME_RULES.get(m.kind)
    if m.kind == "Service" and m.kubernetes >= (1, 36):  # RelaxedServiceNameValidation (KEP-5311): only its sure errors
        check_name_of = dns_label_problem
    if check_name_of is None or not isinstance(m.data.get("metadata", {}), dict):
        return
    meta = m.metadata
    name = meta.get("name")
    if name is None or name == "":
        if not as_str(meta.get("generateName")):
            m.emit("name-invalid", ("metadata",), f"a {m.kind} needs metadata.name")
        return
    if not isinstance(name, str):
        return
    problem = check_name_of(name)
    if problem:
        m.emit("name-invalid", ("metadata", "name"), f"{m.kind} name {name!r} {problem}")


@rule("namespace-invalid")
def check_namespace(m: Manifest) -> None:
    namespace = m.metadata.get("namespace")
    if isinstance(namespace, str) and namespace:
        problem = dns_label_problem(namespace)
        if problem:
            m.emit("namespace-invalid", ("metadata", "namespace"), f"namespace {namespace!r} {problem}")


def _metadata_places(m: Manifest) -> list[tuple[tuple, dict]]:
    places = [(("metadata",), m.metadata)]
    if m.pod is not None:
        meta_path = m.pod.path[:-1] + ("metadata",)
        template: Any = m.data
        for part in meta_path:
            template = as_dict(template).get(part)
        if meta_path != ("metadata",) and isinstance(template, dict):
            places.append((meta_path, template))
    return places


@rule("label-invalid")
def check_labels(m: Manifest) -> None:
    for path, meta in _metadata_places(m):
        for key, value in as_dict(meta.get("labels")).items():
            problem = qualified_name_problem(key) if isinstance(key, str) else ""
            if problem:
                m.emit("label-invalid", path + ("labels", key), f"label key {key!r} {problem}")
            if isinstance(value, str):
                problem = label_value_problem(value)
                if problem:
                    m.emit("label-invalid", path + ("labels", key), f"label {key!r}: value {value!r} {problem}")


@rule("annotation-invalid")
def check_annotations(m: Manifest) -> None:
    for path, meta in _metadata_places(m):
        total = 0
        annotations = as_dict(meta.get("annotations"))
        for key, value in annotations.items():
            problem = qualified_name_problem(key.lower())
            if problem:
                m.emit("annotation-invalid", path + ("annotations", key), f"annotation key {key!r} {problem}")
            total += len(key) + len(value if isinstance(value, str) else str(value))
        if total > 256 * 1024:
            m.emit("annotation-invalid", path + ("annotations",),
                   f"annotations total {total} bytes, more than the 262144 allowed")


# --- pod templates ----------------------------------------------------------------------------

@rule("containers-missing")
def check_has_containers(m: Manifest) -> None:
    """validateContainers: len(containers) == 0 is refused, so a null or empty pod spec is as bad as no containers."""
    if m.pod is not None and not any(not c.init for c in m.pod.containers):
        m.emit("containers-missing", m.pod.path + ("containers",), f"a pod needs at least one container: "
               f"{_refused(m, 'a container')}")
        return
    where = _empty_pod_spec(m)
    if where is not None:
        spelled = "is null" if get(m.data, where) is None and where == POD_SPEC_PATHS[m.kind] else "is missing"
        m.emit("containers-missing", where, f"{json_path(POD_SPEC_PATHS[m.kind])} {spelled}, so the pod has no "
               f"containers (null, {{}} and a missing spec are alike): {_refused(m, 'a container')}")


def _empty_pod_spec(m: Manifest) -> tuple | None:
    """Where the pod spec of a kind with one is null or missing (the deepest key given), or None."""
    path = POD_SPEC_PATHS.get(m.kind)
    if path is None or m.pod is not None:
        return None
    value: Any = m.data
    where: tuple = ()
    for part in path:
        if value is None:
            return where
        if not isinstance(value, dict):
            return None  # a wrong type: the schema's finding
        if part not in value:
            return where
        value, where = value[part], where + (part,)
    return where if value is None else None


@rule("container-name-invalid", "container-name-duplicate")
def check_container_names(m: Manifest) -> None:
    if m.pod is None:
        return
    seen: set[str] = set()
    for c in m.pod.containers:
        name = c.data.get("name")
        if not isinstance(name, str):
            continue  # missing: the schema's "required" finding; not a string: its type finding
        problem = dns_label_problem(name) if name else "is empty"
        if problem:
            m.emit("container-name-invalid", c.path + ("name",), f"container name {name!r} {problem}")
        elif name in seen:
            m.emit("container-name-duplicate", c.path + ("name",), f"container name {name!r} is used twice in "
                   "the pod (init and regular containers share one namespace of names)")
        seen.add(name)


def _refused(m: Manifest, what: str) -> str:
    """Who refuses a pod template without `what`: the API server validates a pod template's spec as a pod's
    (ValidatePodTemplateSpec), but not a StatefulSet's (ValidatePodTemplateSpecForStatefulSet: labels only)."""
    if m.kind == "StatefulSet":
        return ("the API server accepts the StatefulSet (it does not validate its template's pod spec) but refuses "
                "every pod the controller makes from it")
    if m.kind == "Pod":
        return "the API server refuses the pod"
    return f"the API server refuses the {m.kind}: a pod template needs {what} as a pod does"


@rule("image-missing")
def check_images(m: Manifest) -> None:
    if m.pod is None:
        return
    for c in m.pod.containers:
        image = c.data.get("image")
        if image is None or image == "":
            m.emit("image-missing", c.path, f"container {c.name!r} has no image: {_refused(m, 'image')}")
        elif isinstance(image, str) and image != image.strip():
            m.emit("image-missing", c.path + ("image",), f"image {image!r} has leading or trailing whitespace")


@rule("volume-name-invalid", "volume-name-duplicate", "volume-mount-undefined", "mount-path-duplicate")
def check_volumes(m: Manifest) -> None:
    if m.pod is None:
        return
    names: set[str] = set()
    claims: set[str] = set()
    if m.kind == "StatefulSet":  # the controller gives every pod a volume per claim template (replacing its namesake)
        for claim in as_list(as_dict(m.data.get("spec")).get("volumeClaimTemplates")):
            claim_name = as_dict(as_dict(claim).get("metadata")).get("name")
            if isinstance(claim_name, str):
                claims.add(claim_name)
    for path, volume in m.pod.volumes:
        name = volume.get("name")
        if not isinstance(name, str):
            continue
        problem = dns_label_problem(name) if name else "is empty"
        if problem:
            m.emit("volume-name-invalid", path + ("name",), f"volume name {name!r} {problem}")
        elif name in names:
            m.emit("volume-name-duplicate", path + ("name",), f"volume name {name!r} is used twice")
        names.add(name)
    for c in m.pod.containers:
        paths: set[str] = set()
        for i, mount in enumerate(as_list(c.data.get("volumeMounts"))):
            if not isinstance(mount, dict):
                continue
            where = c.path + ("volumeMounts", i)
            name = mount.get("name")
            if isinstance(name, str) and name not in names and name not in claims:
                m.emit("volume-mount-undefined", where + ("name",),
                       f"container {c.name!r} mounts volume {name!r}, which the pod does not define")
            mount_path = mount.get("mountPath")
            if isinstance(mount_path, str) and mount_path:
                if mount_path in paths:
                    m.emit("mount-path-duplicate", where + ("mountPath",),
                           f"container {c.name!r} mounts {mount_path!r} twice")
                paths.add(mount_path)


PROTOCOLS = ("TCP", "UDP", "SCTP")


@rule("port-invalid", "port-name-invalid", "port-name-duplicate", "protocol-invalid", "hostport-duplicate")
def check_container_ports(m: Manifest) -> None:
    if m.pod is None:
        return
    host_network = m.pod.spec.get("hostNetwork") is True
    regular_hosts: dict[str, tuple] = {}
    for c in m.pod.containers:
        names: set[str] = set()
        hosts = regular_hosts if not c.init else {}  # init containers run one by one: checked alone
        for path, port in c.ports:
            name = port.get("name")
            if isinstance(name, str) and name:
                problem = port_name_problem(name)
                if problem:
                    m.emit("port-name-invalid", path + ("name",), f"port name {name!r} {problem}")
                elif name in names:
                    m.emit("port-name-duplicate", path + ("name",),
                           f"port name {name!r} is used twice in container {c.name!r}")
                names.add(name)
            container_port = port.get("containerPort")
            if container_port == 0:
                m.emit("port-invalid", path + ("containerPort",), "containerPort is required (0 is not a port)")
            elif port_problem(container_port):
                m.emit("port-invalid", path + ("containerPort",), "containerPort " + port_problem(container_port))
            host_port = port.get("hostPort")
            if host_port not in (None, 0) and port_problem(host_port):
                m.emit("port-invalid", path + ("hostPort",), "hostPort " + port_problem(host_port))
            elif host_network and host_port not in (None, 0) and host_port != container_port:
                m.emit("port-invalid", path + ("hostPort",), f"hostPort {host_port} must equal containerPort "
                       f"{container_port} when hostNetwork is true")
            protocol = port.get("protocol")
            if isinstance(protocol, str) and protocol not in PROTOCOLS:
                m.emit("protocol-invalid", path + ("protocol",),
                       f"protocol {protocol!r} is not one of TCP, UDP, SCTP")
            if isinstance(host_port, int) and host_port:
                key = f"{protocol or 'TCP'}/{as_str(port.get('hostIP'))}/{host_port}"
                if key in hosts:
                    m.emit("hostport-duplicate", path + ("hostPort",), f"hostPort {host_port}/{protocol or 'TCP'} "
                           f"is already used by container {hosts[key][0]!r}")
                else:
                    hosts[key] = (c.name,)


POD_RESTART = ("Always", "OnFailure", "Never")
TEMPLATE_RESTART = {"Deployment": ("Always",), "DaemonSet": ("Always",), "StatefulSet": ("Always",),
                    "ReplicaSet": ("Always",), "ReplicationController": ("Always",),
                    "Job": ("OnFailure", "Never"), "CronJob": ("OnFailure", "Never")}
CONTAINER_RESTART_RULES = (1, 35)  # ContainerRestartRules beta, on by default: restartPolicy on any container
SIDECARS = (1, 29)  # SidecarContainers beta, on by default
SIDECAR_FIELD = (1, 28)  # the field exists (alpha, off by default)


@rule("restart-policy-invalid")
def check_restart_policies(m: Manifest) -> None:
    if m.pod is None:
        return
    policy = m.pod.spec.get("restartPolicy")
    allowed = TEMPLATE_RESTART.get(m.kind, POD_RESTART)
    path = m.pod.path + ("restartPolicy",)
    if policy is None or policy == "":
        if "Always" not in allowed:  # the default, Always, is not allowed here
            m.emit("restart-policy-invalid", m.pod.path, f"a {m.kind}'s pod template needs restartPolicy "
                   f"{' or '.join(allowed)} (the default, Always, is refused)")
    elif isinstance(policy, str) and policy not in allowed:
        m.emit("restart-policy-invalid", path, f"restartPolicy {policy!r} is not allowed for a {m.kind}: "
               f"use {' or '.join(allowed)}")
    for c in m.pod.containers:
        value = c.data.get("restartPolicy")
        if value is None or not isinstance(value, str):
            continue
        where = c.path + ("restartPolicy",)
        if m.kubernetes >= CONTAINER_RESTART_RULES:
            if value not in POD_RESTART:
                m.emit("restart-policy-invalid", where, f"container restartPolicy {value!r} is not one of "
                       f"{', '.join(POD_RESTART)}")
        elif not c.init:
            if m.kubernetes >= SIDECAR_FIELD:
                m.emit("restart-policy-invalid", where, f"restartPolicy may not be set for non-init containers "
                       f"before Kubernetes {CONTAINER_RESTART_RULES[0]}.{CONTAINER_RESTART_RULES[1]}")
        elif value != "Always" and m.kubernetes >= SIDECAR_FIELD:
            m.emit("restart-policy-invalid", where, f"an init container's restartPolicy may only be 'Always', "
                   f"not {value!r}")


@rule("sidecar-unsupported")
def check_sidecar_version(m: Manifest) -> None:
    if m.pod is None or m.kubernetes >= SIDECARS:
        return
    for c in m.pod.containers:
        if c.sidecar:
            m.emit("sidecar-unsupported", c.path + ("restartPolicy",),
                   f"init container {c.name!r} is a native sidecar, but Kubernetes "
                   f"{m.kubernetes[0]}.{m.kubernetes[1]} does not enable them (beta and on by default from "
                   f"{SIDECARS[0]}.{SIDECARS[1]}): the field is dropped and the container blocks the pod's start")


@rule("pull-policy-invalid")
def check_pull_policy(m: Manifest) -> None:
    if m.pod is None:
        return
    for c in m.pod.containers:
        policy = c.data.get("imagePullPolicy")
        if isinstance(policy, str) and policy and policy not in ("Always", "IfNotPresent", "Never"):
            m.emit("pull-policy-invalid", c.path + ("imagePullPolicy",),
                   f"imagePullPolicy {policy!r} is not one of Always, IfNotPresent, Never")


PROBES = ("livenessProbe", "readinessProbe", "startupProbe")


@rule("probe-on-init")
def check_init_probes(m: Manifest) -> None:
    if m.pod is None:
        return
    for c in m.pod.containers:
        if c.init and not c.sidecar:
            for key in PROBES + ("lifecycle",):
                if c.data.get(key) is not None:
                    m.emit("probe-on-init", c.path + (key,), f"{key} may not be set for init container {c.name!r} "
                           "(only for a native sidecar, restartPolicy: Always); podman kube play refuses it too")


def probe_handlers(c) -> list[tuple[tuple, str, object]]:
    """(path of the port, handler kind, port value) of the container's probes."""
    found = []
    for key in PROBES:
        probe = as_dict(c.data.get(key))
        for handler in ("httpGet", "tcpSocket", "grpc"):
            action = probe.get(handler)
            if isinstance(action, dict) and "port" in action:
                found.append((c.path + (key, handler, "port"), handler, action["port"]))
    return found


@rule("port-invalid", "port-name-invalid", "probe-port-undeclared")
def check_probe_ports(m: Manifest) -> None:
    if m.pod is None:
        return
    for c in m.pod.containers:
        declared = {p.get("name") for _, p in c.ports if isinstance(p.get("name"), str)}
        for path, handler, port in probe_handlers(c):
            if isinstance(port, str) and handler != "grpc":
                problem = port_name_problem(port)  # ValidatePortNumOrName: a string is a name ("80" has no letter)
                if problem:
                    m.emit("port-name-invalid", path, f"probe port name {port!r} {problem}")
                elif port not in declared:
                    m.emit("probe-port-undeclared", path, f"probe of container {c.name!r} uses port {port!r}, "
                           "which the container does not declare in its ports")
            elif port_problem(port):
                m.emit("port-invalid", path, "probe port " + port_problem(port))


@rule("port-conflict")
def check_port_conflicts(m: Manifest) -> None:
    """Containers of a pod share one network namespace: two listening on one port cannot both run."""
    if m.pod is None:
        return
    owners: dict[tuple, str] = {}
    for c in m.pod.containers:
        if not c.long_running:
            continue
        for path, port in c.ports:
            number = port.get("containerPort")
            if not is_port_number(number):
                continue
            key = (number, as_str(port.get("protocol")) or "TCP")
            if key in owners and owners[key] != c.name:
                m.emit("port-conflict", path + ("containerPort",), f"containers {owners[key]!r} and {c.name!r} both "
                       f"declare port {number}/{key[1]} in one network namespace; only one of them can listen on it")
            owners.setdefault(key, c.name)


@rule("resources-invalid")
def check_resources(m: Manifest) -> None:
    if m.pod is None:
        return
    for c in m.pod.containers:
        resources = as_dict(c.data.get("resources"))
        values: dict[str, dict] = {}
        for part in ("limits", "requests"):
            values[part] = {}
            for name, text in as_dict(resources.get(part)).items():
                path = c.path + ("resources", part, name)
                if isinstance(text, bool) or not isinstance(text, (str, int, float)):
                    continue
                try:
                    amount = quantity.parse(str(text)) if isinstance(text, str) else quantity.parse(repr(text))
                except ValueError:
                    m.emit("resources-invalid", path, f"{part}.{name}: {text!r} is not a quantity (like 500m, 2, "
                           "128Mi)")
                    continue
                if amount < 0:
                    m.emit("resources-invalid", path, f"{part}.{name}: {text} must not be negative")
                values[part][name] = amount
        for name, request in values["requests"].items():
            limit = values["limits"].get(name)
            if limit is not None and request > limit:
                m.emit("resources-invalid", c.path + ("resources", "requests", name),
                       f"container {c.name!r}: {name} request is more than its limit")


SELECTOR_KINDS = ("Deployment", "DaemonSet", "StatefulSet", "ReplicaSet")


@rule("selector-mismatch")
def check_selector(m: Manifest) -> None:
    if m.kind == "ReplicationController" and m.pod is not None:
        _check_map_selector(m)
    if m.kind not in SELECTOR_KINDS or m.pod is None:
        return
    selector = as_dict(as_dict(m.data.get("spec")).get("selector"))
    if "selector" not in as_dict(m.data.get("spec")):
        return  # the schema requires it
    match_labels = as_dict(selector.get("matchLabels"))
    expressions = as_list(selector.get("matchExpressions"))
    if not match_labels and not expressions:
        m.emit("selector-mismatch", ("spec", "selector"), "an empty selector is refused: it would select every pod")
        return
    labels = m.pod.labels
    for key, value in match_labels.items():
        if labels.get(key) != value:
            m.emit("selector-mismatch", ("spec", "selector", "matchLabels", key),
                   f"selector {key}={value} does not match the template's labels")
    for i, expression in enumerate(expressions):
        expression = as_dict(expression)
        key, op = as_str(expression.get("key")), as_str(expression.get("operator"))
        values = as_list(expression.get("values"))
        present = key in labels
        ok = {"In": present and labels.get(key) in values, "NotIn": not present or labels.get(key) not in values,
              "Exists": present, "DoesNotExist": not present}.get(op, True)
        if not ok:
            m.emit("selector-mismatch", ("spec", "selector", "matchExpressions", i),
                   f"selector expression {key} {op} {values} does not match the template's labels")


def _check_map_selector(m: Manifest) -> None:
    """ValidateReplicationControllerSpec: a set selector (defaulted from the template's labels when empty) must match
    them."""
    for key, value in as_dict(as_dict(m.data.get("spec")).get("selector")).items():
        if m.pod is not None and m.pod.labels and m.pod.labels.get(key) != value:
            m.emit("selector-mismatch", ("spec", "selector", key), f"selector {key}={value} does not match the "
                   "template's labels")


# --- ConfigMap, Secret, Service, PersistentVolumeClaim ----------------------------------------

def config_key_problem(key: str) -> str:
    if len(key) > 253:
        return "must be no more than 253 characters"
    if not CONFIG_KEY.match(key):
        return "must consist of alphanumeric characters, '-', '_' or '.'"
    if key in (".", "..") or key.startswith(".."):
        return "must not be '.' or '..' or start with '..'"
    return ""


@rule("data-key-invalid", "secret-not-base64")
def check_data_keys(m: Manifest) -> None:
    if m.kind not in ("ConfigMap", "Secret"):
        return
    sections = ("data", "binaryData") if m.kind == "ConfigMap" else ("data", "stringData")
    seen: set[str] = set()
    for section in sections:
        for key, value in as_dict(m.data.get(section)).items():
            path = (section, key)
            problem = config_key_problem(key) if isinstance(key, str) else ""
            if problem:
                m.emit("data-key-invalid", path, f"key {key!r} {problem}")
            elif key in seen and m.kind == "ConfigMap":
                m.emit("data-key-invalid", path, f"key {key!r} is in both data and binaryData")
            seen.add(key)
            if isinstance(value, str) and (section == "binaryData" or (m.kind == "Secret" and section == "data")):
                if not _is_base64(value):
                    m.emit("secret-not-base64", path, f"{section}.{key} is not base64 (illegal base64 data)")


def _is_base64(text: str) -> bool:
    import base64
    import binascii

    try:
        base64.b64decode(text, validate=True)
        return True
    except (binascii.Error, ValueError):
        return False


SERVICE_TYPES = ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")


@rule("service-invalid", "port-invalid", "port-name-invalid", "port-name-duplicate", "protocol-invalid")
def check_service(m: Manifest) -> None:
    if m.kind != "Service":
        return
    spec = as_dict(m.data.get("spec"))
    kind = spec.get("type")
    if isinstance(kind, str) and kind and kind not in SERVICE_TYPES:
        m.emit("service-invalid", ("spec", "type"), f"type {kind!r} is not one of {', '.join(SERVICE_TYPES)}")
    ports = [(i, p) for i, p in enumerate(as_list(spec.get("ports"))) if isinstance(p, dict)]
    if not ports and kind != "ExternalName" and spec.get("clusterIP") != "None":
        m.emit("service-invalid", ("spec",), "a Service needs at least one port")
    names: set[str] = set()
    pairs: set[tuple] = set()
    for i, port in ports:
        path = ("spec", "ports", i)
        name = port.get("name")
        if len(ports) > 1 and not name:
            m.emit("service-invalid", path, "every port of a Service with several ports needs a name")
        elif isinstance(name, str) and name:
            problem = dns_label_problem(name)
            if problem:
                m.emit("port-name-invalid", path + ("name",), f"Service port name {name!r} {problem}")
            elif name in names:
                m.emit("port-name-duplicate", path + ("name",), f"Service port name {name!r} is used twice")
            names.add(name)
        number = port.get("port")
        if port_problem(number) or number == 0:
            m.emit("port-invalid", path + ("port",), "port " + (port_problem(number) or "is required"))
        protocol = port.get("protocol")
        if isinstance(protocol, str) and protocol not in PROTOCOLS:
            m.emit("protocol-invalid", path + ("protocol",), f"protocol {protocol!r} is not one of TCP, UDP, SCTP")
        pair = (number if isinstance(number, int) else repr(number), as_str(protocol) or "TCP")
        if pair in pairs:
            m.emit("service-invalid", path, f"port {number}/{pair[1]} is given twice")
        pairs.add(pair)
        target = port.get("targetPort")
        if isinstance(target, str) and target:  # "" is defaulted to the port (SetDefaults_Service); a string is an
            # IANA name (ValidatePortNumOrName): "80" has no letter
            problem = port_name_problem(target)
            if problem:
                m.emit("port-name-invalid", path + ("targetPort",), f"targetPort name {target!r} {problem}")
        elif target is not None and target != 0 and port_problem(target):
            m.emit("port-invalid", path + ("targetPort",), "targetPort " + port_problem(target))
        node_port = port.get("nodePort")
        if node_port not in (None, 0) and port_problem(node_port):
            m.emit("port-invalid", path + ("nodePort",), "nodePort " + port_problem(node_port))


ACCESS_MODES = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")


@rule("pvc-invalid")
def check_pvc(m: Manifest) -> None:
    if m.kind != "PersistentVolumeClaim":
        return
    spec = as_dict(m.data.get("spec"))
    modes = spec.get("accessModes")
    if not modes:
        m.emit("pvc-invalid", ("spec",), "a PersistentVolumeClaim needs at least one access mode")
    for i, mode in enumerate(as_list(modes)):
        if isinstance(mode, str) and mode not in ACCESS_MODES:
            m.emit("pvc-invalid", ("spec", "accessModes", i), f"access mode {mode!r} is not one of "
                   f"{', '.join(ACCESS_MODES)}")
    storage = as_dict(as_dict(spec.get("resources")).get("requests")).get("storage")
    if storage is None:
        m.emit("pvc-invalid", ("spec",), "a PersistentVolumeClaim needs resources.requests.storage")


# the API server's table-driven checks register themselves in apiserver_table.APISERVER_RULES
from kubebridge.checks import apiserver_crd, apiserver_kinds, apiserver_network, apiserver_pod, apiserver_podspec  # noqa: E402,F401,E501
