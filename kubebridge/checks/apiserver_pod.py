"""The API server's checks of a pod spec (pkg/apis/core/validation: ValidatePodSpec and what it calls).

They run on every kind with a pod or a pod template (apiserver_table.POD_KINDS).
Each function implements one entry of apiserver_table.TABLE and reports through
`say(path, message)`, under that entry's rule.
"""
from __future__ import annotations

from typing import Any

from kubebridge.checks.apiserver_table import Say, implements
from kubebridge.checks.apiserver_values import (
    entries,
    enum_problem,
    given,
    is_int,
)
from kubebridge.model import quantity
from kubebridge.model.kube_names import (
    CONFIG_KEY,
    dns_subdomain_problem,
    env_var_name_problem,
    qualified_name_problem,
    relative_path_problem,
)
from kubebridge.model.manifest import Manifest, as_dict, as_str


def _containers(m: Manifest):
    return m.pod.containers if m.pod is not None else []


def _str_field(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


# --- containers ---------------------------------------------------------------------------------

@implements("termination-message-policy")
def termination_message_policy(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        problem = enum_problem(c.data.get("terminationMessagePolicy"), ("File", "FallbackToLogsOnError"))
        if problem:
            say(c.path + ("terminationMessagePolicy",), f"terminationMessagePolicy {problem}")


STANDARD_RESOURCES = ("cpu", "memory", "ephemeral-storage")


def _resources(c) -> list[tuple[str, str, Any]]:
    resources = as_dict(c.data.get("resources"))
    return [(part, name, value) for part in ("limits", "requests")
            for name, value in as_dict(resources.get(part)).items() if isinstance(name, str)]


@implements("resource-names")
def resource_names(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for part, name, _ in _resources(c):
            if "/" in name:
                problem = qualified_name_problem(name)
            elif name in STANDARD_RESOURCES or name.startswith("hugepages-"):
                continue
            else:
                problem = ("must be a standard resource for containers (cpu, memory, ephemeral-storage, "
                           "hugepages-<size>) or a domain-qualified name (example.com/gpu)")
            if problem:
                say(c.path + ("resources", part, name), f"resource name {name!r} {problem}")


def _amount(value: Any):
    try:
        return quantity.parse(value if isinstance(value, str) else repr(value)) \
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) else None
    except ValueError:
        return None


@implements("extended-resources")
def extended_resources(m: Manifest, say: Say) -> None:
    """An extended resource (example.com/gpu) cannot be overcommitted: a whole number, requested as much as limited."""
    for c in _containers(m):
        resources = as_dict(c.data.get("resources"))
        limits, requests = as_dict(resources.get("limits")), as_dict(resources.get("requests"))
        for part, name, value in _resources(c):
            if "/" not in name or name.startswith(("kubernetes.io/", "requests.")):
                continue
            path = c.path + ("resources", part, name)
            amount = _amount(value)
            if amount is not None and amount != int(amount):
                say(path, f"{name} {value} must be an integer (an extended resource is counted whole)")
            elif part == "requests" and name not in limits:
                say(path, f"{name} is requested without a limit: an extended resource needs a limit equal to its "
                    "request")
            elif part == "requests" and amount is not None and _amount(limits.get(name)) not in (None, amount):
                say(path, f"{name}: the request {value} must equal the limit {limits.get(name)} (an extended "
                    "resource cannot be overcommitted)")
        del requests


# --- volumes ------------------------------------------------------------------------------------

VOLUME_SOURCES = ("hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
                  "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
                  "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
                  "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
                  "image")
HOST_PATH_TYPES = ("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice",
                   "BlockDevice")


def _volumes(m: Manifest):
    return m.pod.volumes if m.pod is not None else []


@implements("volume-source-single")
def volume_source_single(m: Manifest, say: Say) -> None:
    for path, volume in _volumes(m):
        sources = [key for key in VOLUME_SOURCES if volume.get(key) is not None]
        if len(sources) > 1:
            say(path + (sources[1],), f"volume {as_str(volume.get('name'))!r} may not specify more than 1 volume "
                f"type: it has {', '.join(sources)}")


REQUIRED_SOURCE_FIELDS = {"hostPath": ("path",), "secret": ("secretName",), "configMap": ("name",),
                          "persistentVolumeClaim": ("claimName",), "nfs": ("server", "path")}


def _items(path: tuple, source: dict):
    return [(path + ("items", i), item) for i, item in entries(source, "items")]


@implements("volume-fields-required")
def volume_fields_required(m: Manifest, say: Say) -> None:
    for path, volume in _volumes(m):
        for source, fields in REQUIRED_SOURCE_FIELDS.items():
            data = volume.get(source)
            if not isinstance(data, dict):
                continue
            for key in fields:
                if not given(data.get(key)):
                    say(path + (source, key) if key in data else path + (source,), f"{source}.{key} is required")
            for where, item in _items(path + (source,), data):
                for key in ("key", "path"):
                    if not given(item.get(key)):
                        say(where, f"items[].{key} is required")


def _mode_problem(value: Any) -> str:
    if is_int(value) and not 0 <= value <= 0o777:
        return f"{value} must be a number between 0 and 0777 (octal: 511 in decimal), both inclusive"
    return ""


@implements("volume-values")
def volume_values(m: Manifest, say: Say) -> None:
    for path, volume in _volumes(m):
        host = as_dict(volume.get("hostPath"))
        problem = enum_problem(host.get("type"), HOST_PATH_TYPES[1:])
        if problem:
            say(path + ("hostPath", "type"), f"hostPath type {problem}")
        host_path = _str_field(host, "path")
        if host_path and ".." in host_path.split("/"):
            say(path + ("hostPath", "path"), f"hostPath path {host_path!r} must not contain '..'")
        nfs_path = _str_field(as_dict(volume.get("nfs")), "path")
        if nfs_path and not nfs_path.startswith("/"):
            say(path + ("nfs", "path"), f"nfs path {nfs_path!r} must be an absolute path")
        size = as_dict(volume.get("emptyDir")).get("sizeLimit")
        amount = _amount(size)
        if amount is not None and amount < 0:
            say(path + ("emptyDir", "sizeLimit"), f"emptyDir sizeLimit {size} must not be negative")
        for source in ("secret", "configMap"):
            data = as_dict(volume.get(source))
            problem = _mode_problem(data.get("defaultMode"))
            if problem:
                say(path + (source, "defaultMode"), f"defaultMode {problem}")
            for where, item in _items(path + (source,), data):
                target = _str_field(item, "path")
                problem = relative_path_problem(target) if target else ""
                if problem:
                    say(where + ("path",), f"items path {target!r} {problem}")
                key = _str_field(item, "key")
                if key and not CONFIG_KEY.match(key):
                    say(where + ("key",), f"items key {key!r} must consist of alphanumeric characters, '-', '_' or "
                        "'.'")
                problem = _mode_problem(item.get("mode"))
                if problem:
                    say(where + ("mode",), f"mode {problem}")


def _mounts(c):
    return [(c.path + ("volumeMounts", i), mount) for i, mount in entries(c.data, "volumeMounts")]


@implements("volume-mount-path-required")
def volume_mount_path_required(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for path, mount in _mounts(c):
            if not given(mount.get("mountPath")):
                say(path + ("mountPath",) if "mountPath" in mount else path,
                    f"container {c.name!r}: a volumeMount needs a mountPath")


@implements("volume-mount-values")
def volume_mount_values(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        privileged = as_dict(c.data.get("securityContext")).get("privileged") is True
        for path, mount in _mounts(c):
            if given(mount.get("subPath")) and given(mount.get("subPathExpr")):
                say(path + ("subPathExpr",), "subPathExpr and subPath are mutually exclusive")
            for key in ("subPath", "subPathExpr"):
                sub = _str_field(mount, key)
                if sub and (sub.startswith("/") or ".." in sub.split("/")):
                    say(path + (key,), f"{key} {sub!r} must be a relative path without '..'")
            propagation = mount.get("mountPropagation")
            problem = enum_problem(propagation, ("Bidirectional", "HostToContainer", "None"))
            if problem:
                say(path + ("mountPropagation",), f"mountPropagation {problem}")
            elif propagation == "Bidirectional" and not privileged:
                say(path + ("mountPropagation",), "Bidirectional mount propagation is available only to privileged "
                    "containers")


# --- environment --------------------------------------------------------------------------------

def _env(c):
    return [(c.path + ("env", i), var) for i, var in entries(c.data, "env")]


def _env_from(c):
    return [(c.path + ("envFrom", i), source) for i, source in entries(c.data, "envFrom")]


@implements("env-name-required")
def env_name_required(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for path, var in _env(c):
            if not given(var.get("name")):
                say(path + ("name",) if "name" in var else path, f"container {c.name!r}: an env variable needs a "
                    "name")


def _env_names(m: Manifest, say: Say, relaxed: bool) -> None:
    for c in _containers(m):
        for path, var in _env(c):
            name = _str_field(var, "name")
            problem = env_var_name_problem(name, relaxed) if name else ""
            if problem:
                say(path + ("name",), f"env variable name {name!r} {problem}")
        for path, source in _env_from(c):
            prefix = _str_field(source, "prefix")
            problem = env_var_name_problem(prefix, relaxed) if prefix else ""
            if problem:
                say(path + ("prefix",), f"envFrom prefix {prefix!r} {problem}")


@implements("env-names-strict")
def env_names_strict(m: Manifest, say: Say) -> None:
    _env_names(m, say, relaxed=False)


@implements("env-names-relaxed")
def env_names_relaxed(m: Manifest, say: Say) -> None:
    _env_names(m, say, relaxed=True)


VALUE_SOURCES = ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef")
FILE_KEY_REF = (1, 35)  # EnvFiles: beta, on by default (kube_features.go)


@implements("env-sources")
def env_sources(m: Manifest, say: Say) -> None:
    sources = VALUE_SOURCES + (("fileKeyRef",) if m.kubernetes >= FILE_KEY_REF else ())
    for c in _containers(m):
        for path, var in _env(c):
            value_from = var.get("valueFrom")
            if not isinstance(value_from, dict):
                continue
            used = [key for key in sources if value_from.get(key) is not None]
            if given(var.get("value")) and used:
                say(path + ("valueFrom",), f"env {as_str(var.get('name'))!r}: valueFrom may not be specified when "
                    "value is not empty")
            elif not used:
                say(path + ("valueFrom",), f"env {as_str(var.get('name'))!r}: valueFrom must specify one of: "
                    f"{', '.join(sources)}")
            elif len(used) > 1:
                say(path + ("valueFrom",), f"env {as_str(var.get('name'))!r}: valueFrom may not have more than one "
                    f"field specified at a time ({', '.join(used)})")
        for path, source in _env_from(c):
            used = [key for key in ("configMapRef", "secretRef") if source.get(key) is not None]
            if len(used) != 1:
                say(path, "an envFrom entry must specify one of configMapRef or secretRef" if not used else
                    "an envFrom entry may not have more than one field specified at a time (configMapRef, secretRef)")


def _prefix_name(name: str) -> str:
    """apimachinery's maskTrailingDash: a generated name's prefix may end with '-'."""
    return name[:-2] + "a" if len(name) > 1 and name.endswith("-") else name


@implements("env-reference-names")
def env_reference_names(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for path, var in _env(c):
            value_from = as_dict(var.get("valueFrom"))
            for ref, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                selector = value_from.get(ref)
                if isinstance(selector, dict):
                    name = selector.get("name")
                    name = "" if name is None else name
                    if isinstance(name, str) and dns_subdomain_problem(name):
                        say(path + ("valueFrom", ref, "name") if "name" in selector else path + ("valueFrom", ref),
                            f"{ref}.name {name!r} is not a valid {kind} name: "
                            f"{dns_subdomain_problem(name) if name else 'it is required'}")
        for path, source in _env_from(c):
            for ref, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                selector = source.get(ref)
                if not isinstance(selector, dict):
                    continue
                name = selector.get("name")
                if not given(name):
                    say(path + (ref,), f"{ref}.name is required")
                elif isinstance(name, str) and dns_subdomain_problem(_prefix_name(name)):
                    say(path + (ref, "name"), f"{ref}.name {name!r} is not a valid {kind} name: "
                        f"{dns_subdomain_problem(_prefix_name(name))}")


@implements("env-reference-keys")
def env_reference_keys(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for path, var in _env(c):
            value_from = as_dict(var.get("valueFrom"))
            for ref in ("configMapKeyRef", "secretKeyRef"):
                selector = value_from.get(ref)
                if not isinstance(selector, dict):
                    continue
                key = selector.get("key")
                if not given(key):
                    say(path + ("valueFrom", ref), f"{ref}.key is required")
                elif isinstance(key, str) and (not CONFIG_KEY.match(key) or len(key) > 253 or key in (".", "..")
                                               or key.startswith("..")):
                    say(path + ("valueFrom", ref, "key"), f"{ref}.key {key!r} must consist of alphanumeric "
                        "characters, '-', '_' or '.' (at most 253), and not be '.' or '..' or start with '..'")


FIELD_PATHS = ("metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
               "status.hostIP", "status.podIP", "status.podIPs")
HOST_IPS = (1, 29)  # PodHostIPs: beta, on by default


@implements("env-field-paths")
def env_field_paths(m: Manifest, say: Say) -> None:
    allowed = FIELD_PATHS + (("status.hostIPs",) if m.kubernetes >= HOST_IPS else ())
    for c in _containers(m):
        for path, var in _env(c):
            field_path = as_dict(as_dict(var.get("valueFrom")).get("fieldRef")).get("fieldPath")
            if not isinstance(field_path, str) or field_path in allowed:
                continue
            for subscripted in ("metadata.labels", "metadata.annotations"):
                if field_path.startswith(subscripted + "['") and field_path.endswith("']"):
                    key = field_path[len(subscripted) + 2:-2]
                    problem = qualified_name_problem(key.lower() if "annotations" in subscripted else key)
                    if problem:
                        say(path + ("valueFrom", "fieldRef", "fieldPath"), f"fieldPath {field_path!r}: the key "
                            f"{problem}")
                    break
            else:
                say(path + ("valueFrom", "fieldRef", "fieldPath"), f"fieldPath {field_path!r} is not supported: use "
                    f"{', '.join(allowed)}, metadata.labels['<key>'] or metadata.annotations['<key>']")


RESOURCE_FIELDS = ("limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu", "requests.memory",
                   "requests.ephemeral-storage")


@implements("env-resource-fields")
def env_resource_fields(m: Manifest, say: Say) -> None:
    for c in _containers(m):
        for path, var in _env(c):
            resource = as_dict(as_dict(var.get("valueFrom")).get("resourceFieldRef")).get("resource")
            if isinstance(resource, str) and resource and resource not in RESOURCE_FIELDS and \
                    not resource.startswith(("limits.hugepages-", "requests.hugepages-")):
                say(path + ("valueFrom", "resourceFieldRef", "resource"), f"resourceFieldRef resource {resource!r} "
                    f"is not supported: use {', '.join(RESOURCE_FIELDS)} or a hugepages size")
