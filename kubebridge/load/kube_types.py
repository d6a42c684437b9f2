"""The Kubernetes fields `podman kube play` reads, with their Go types, and a decoder that applies them.

Podman decodes YAML into Go structs through sigs.k8s.io/yaml, so what a
manifest means depends on the target type:
  * field names match case-insensitively when no exact match exists;
  * a number or boolean written where a string belongs becomes a string
    (8080 -> "8080", yes -> "true", 1.50 -> "1.5");
  * a string where a number belongs is an error, as is a fraction in an integer;
  * fields Podman's structs lack are dropped (e.g. a container's restartPolicy).
decode() turns document data into dicts with canonical field names holding only
known fields, or raises InputError with the JSON path and line.
"""
from __future__ import annotations

import base64
import binascii
from typing import Any

from kubebridge.load.manifests import Document
from kubebridge.load.scalars import go_string

STR, INT, INT64, BOOL, QUANTITY, INTSTR, BYTES, ANY = "string", "int32", "int64", "bool", "quantity", \
    "int-or-string", "[]uint8", "any"
INTS = (INT, INT64)


def L(t):  # noqa: E743 - a list of t
    return ("list", t)


def M(t):  # a map from strings to t
    return ("map", t)


STRUCTS: dict[str, dict[str, Any]] = {
    "ObjectMeta": {"name": STR, "namespace": STR, "labels": M(STR), "annotations": M(STR), "uid": STR},
    "Pod": {"apiVersion": STR, "kind": STR, "metadata": "ObjectMeta", "spec": "PodSpec"},
    "PodTemplateSpec": {"metadata": "ObjectMeta", "spec": "PodSpec"},
    "PodSpec": {
        "volumes": L("Volume"), "initContainers": L("Container"), "containers": L("Container"),
        "restartPolicy": STR, "terminationGracePeriodSeconds": INT64, "hostNetwork": BOOL, "hostPID": BOOL,
        "hostIPC": BOOL, "shareProcessNamespace": BOOL, "securityContext": "PodSecurityContext", "hostname": STR,
        "hostAliases": L("HostAlias"), "dnsConfig": "PodDNSConfig", "hostUsers": BOOL,
    },
    "Container": {
        "name": STR, "image": STR, "command": L(STR), "args": L(STR), "workingDir": STR,
        "ports": L("ContainerPort"), "envFrom": L("EnvFromSource"), "env": L("EnvVar"),
        "resources": "ResourceRequirements", "volumeMounts": L("VolumeMount"), "livenessProbe": "Probe",
        "readinessProbe": "Probe", "startupProbe": "Probe", "lifecycle": "Lifecycle",
        "imagePullPolicy": STR, "securityContext": "SecurityContext", "stdin": BOOL, "stdinOnce": BOOL,
        "tty": BOOL,
    },
    "ContainerPort": {"name": STR, "hostPort": INT, "containerPort": INT, "protocol": STR, "hostIP": STR},
    "EnvVar": {"name": STR, "value": STR, "valueFrom": "EnvVarSource"},
    "EnvVarSource": {"fieldRef": "ObjectFieldSelector", "resourceFieldRef": "ResourceFieldSelector",
                     "configMapKeyRef": "KeySelector", "secretKeyRef": "KeySelector"},
    "ObjectFieldSelector": {"apiVersion": STR, "fieldPath": STR},
    "ResourceFieldSelector": {"containerName": STR, "resource": STR, "divisor": QUANTITY},
    "KeySelector": {"name": STR, "key": STR, "optional": BOOL},
    "EnvFromSource": {"prefix": STR, "configMapRef": "RefSource", "secretRef": "RefSource"},
    "RefSource": {"name": STR, "optional": BOOL},
    "ResourceRequirements": {"limits": M(QUANTITY), "requests": M(QUANTITY)},
    "VolumeMount": {"name": STR, "readOnly": BOOL, "mountPath": STR, "subPath": STR, "mountPropagation": STR,
                    "subPathExpr": STR},
    "Probe": {"exec": "ExecAction", "httpGet": "HTTPGetAction", "tcpSocket": "TCPSocketAction",
              "initialDelaySeconds": INT, "timeoutSeconds": INT, "periodSeconds": INT, "successThreshold": INT,
              "failureThreshold": INT},
    "ExecAction": {"command": L(STR)},
    "HTTPGetAction": {"path": STR, "port": INTSTR, "host": STR, "scheme": STR},
    "TCPSocketAction": {"port": INTSTR, "host": STR},
    "Lifecycle": {"postStart": ANY, "preStop": ANY},
    "SecurityContext": {"capabilities": "Capabilities", "privileged": BOOL, "seLinuxOptions": "SELinuxOptions",
                        "runAsUser": INT64, "runAsGroup": INT64, "runAsNonRoot": BOOL, "readOnlyRootFilesystem": BOOL,
                        "allowPrivilegeEscalation": BOOL, "procMount": STR},
    "Capabilities": {"add": L(STR), "drop": L(STR)},
    "SELinuxOptions": {"user": STR, "role": STR, "type": STR, "level": STR, "filetype": STR},
    "PodSecurityContext": {"seLinuxOptions": "SELinuxOptions", "runAsUser": INT64, "runAsGroup": INT64,
                           "runAsNonRoot": BOOL, "supplementalGroups": L(INT64), "fsGroup": INT64,
                           "sysctls": L("Sysctl")},
    "Sysctl": {"name": STR, "value": STR},
    "HostAlias": {"ip": STR, "hostnames": L(STR)},
    "PodDNSConfig": {"nameservers": L(STR), "searches": L(STR), "options": L("PodDNSConfigOption")},
    "PodDNSConfigOption": {"name": STR, "value": STR},
    "Volume": {"name": STR, "hostPath": "HostPathVolumeSource", "emptyDir": "EmptyDirVolumeSource",
               "secret": "SecretVolumeSource", "persistentVolumeClaim": "PersistentVolumeClaimVolumeSource",
               "configMap": "ConfigMapVolumeSource", "image": "ImageVolumeSource",
               # sources Podman does not support, known only to say so
               "nfs": ANY, "csi": ANY, "projected": ANY, "downwardAPI": ANY, "ephemeral": ANY, "iscsi": ANY,
               "gitRepo": ANY, "glusterfs": ANY, "rbd": ANY, "cephfs": ANY, "fc": ANY, "azureDisk": ANY,
               "azureFile": ANY, "awsElasticBlockStore": ANY, "gcePersistentDisk": ANY},
    "HostPathVolumeSource": {"path": STR, "type": STR},
    "EmptyDirVolumeSource": {"medium": STR, "sizeLimit": QUANTITY},
    "SecretVolumeSource": {"secretName": STR, "items": L("KeyToPath"), "defaultMode": INT, "optional": BOOL},
    "ConfigMapVolumeSource": {"name": STR, "items": L("KeyToPath"), "defaultMode": INT, "optional": BOOL},
    "KeyToPath": {"key": STR, "path": STR, "mode": INT},
    "PersistentVolumeClaimVolumeSource": {"claimName": STR, "readOnly": BOOL},
    "ImageVolumeSource": {"reference": STR, "pullPolicy": STR},
    "Workload": {"apiVersion": STR, "kind": STR, "metadata": "ObjectMeta", "spec": "WorkloadSpec"},
    "WorkloadSpec": {"replicas": INT, "template": "PodTemplateSpec"},
    "ConfigMap": {"apiVersion": STR, "kind": STR, "metadata": "ObjectMeta", "data": M(STR),
                  "binaryData": M(BYTES), "immutable": BOOL},
    "Secret": {"apiVersion": STR, "kind": STR, "metadata": "ObjectMeta", "data": M(BYTES),
               "stringData": M(STR), "type": STR, "immutable": BOOL},
    "PersistentVolumeClaim": {"apiVersion": STR, "kind": STR, "metadata": "ObjectMeta", "spec": ANY},
}
KIND_TYPES = {"Pod": "Pod", "Deployment": "Workload", "DaemonSet": "Workload", "Job": "Workload",
              "ConfigMap": "ConfigMap", "Secret": "Secret", "PersistentVolumeClaim": "PersistentVolumeClaim"}
_FOLDED = {name: {k.lower(): k for k in fields} for name, fields in STRUCTS.items()}


def _json_type(value: Any) -> str:
    if value is True or value is False:
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _go_name(t: Any) -> str:
    if isinstance(t, tuple):
        return ("[]" if t[0] == "list" else "map[string]") + _go_name(t[1])
    return {QUANTITY: "resource.Quantity", INTSTR: "intstr.IntOrString"}.get(t, t)


# what Podman prefixes a decoding error with, per kind (sigs.k8s.io/yaml's wording after it)
READ_ERROR = {"Pod": "unable to read YAML as Kube Pod", "Deployment": "unable to read YAML as Kube Deployment",
              "DaemonSet": "unable to read YAML as Kube DaemonSet", "Job": "unable to read YAML as Kube Job",
              "PersistentVolumeClaim": "unable to read YAML as Kube PersistentVolumeClaim",
              "ConfigMap": "unable to read YAML as Kube ConfigMap", "Secret": "unable to read YAML as kube secret"}


def decode(doc: Document, type_name: str | None = None, *, go_field_paths: bool = False) -> dict:
    """A document's data as the Go struct for its kind sees it.

    Raises InputError, in Podman's words, where Go's encoding/json would refuse
    a value; go_field_paths: name the field as Go 1.24's encoding/json does
    (`Go struct field .spec.containers.0.ports.0.containerPort`, Podman 5.8),
    else as before (`Go struct field ContainerPort.spec.containers.ports.containerPort`).
    """
    try:
        return _decode(doc.data, type_name or KIND_TYPES[doc.kind], None, doc, None)
    except _TypeMismatch as exc:
        raise _type_error(exc.value, exc.t, exc.path, doc, exc.owner, go_field_paths) from None


def _flat(chain) -> tuple:
    """A path kept as nested (parent, key) pairs while decoding, flattened only for an error."""
    parts = []
    while chain is not None:
        chain, key = chain
        parts.append(key)
    return tuple(reversed(parts))


def _decode(value: Any, t: Any, chain, doc: Document, owner: str | None) -> Any:
    """One value to its Go type; `chain` is the path as (parent chain, key), cheap to extend."""
    if value is None:
        return None
    cls = value.__class__
    if t is STR and cls is str:  # the common case first
        return value
    if t.__class__ is tuple:
        kind, item = t
        if kind == "list":
            if not isinstance(value, list):
                raise _TypeMismatch(value, t, _flat(chain), owner)
            return [_zero(item) if v is None else _decode(v, item, (chain, i), doc, owner)
                    for i, v in enumerate(value)]
        if not isinstance(value, dict):
            raise _TypeMismatch(value, t, _flat(chain), owner)
        if item is STR and all(v.__class__ is str for v in value.values()):
            return dict(value)
        return {k: _zero(item) if v is None else _decode(v, item, (chain, k), doc, owner) for k, v in value.items()}
    fields = STRUCTS.get(t)
    if fields is not None:
        if not isinstance(value, dict):
            raise _TypeMismatch(value, t, _flat(chain), owner)
        folded = _FOLDED[t]
        result = {}
        for key, v in value.items():
            if v is None:
                continue  # null leaves a Go field at its zero value: as if it were not given
            sub = fields.get(key)
            if sub is None:
                name = folded.get(key.lower()) if isinstance(key, str) else None
                if name is None or name in value:
                    continue  # Podman's struct has no such field (or an exact match wins)
                sub = fields[name]
            else:
                name = key
            if v.__class__ is str and sub is STR:
                result[name] = v  # the common leaf, without a call
            else:
                result[name] = _decode(v, sub, (chain, key), doc, t)
        return result
    return _leaf(value, t, chain, doc, owner)


_ZEROS = {STR: "", INT: 0, INT64: 0, BOOL: False, QUANTITY: "0", INTSTR: 0, BYTES: b"", ANY: None}


def _zero(t: Any) -> Any:
    """Go's zero value of a type: what null becomes as a list item or a map value."""
    if t.__class__ is tuple:
        return [] if t[0] == "list" else {}
    return {} if t in STRUCTS else _ZEROS.get(t)


def _leaf(value: Any, t: str, chain, doc: Document, owner: str | None) -> Any:
    if t == STR:
        text = go_string(value)
        if text is not None:
            return text
    elif t in INTS:
        if isinstance(value, int) and value is not True and value is not False:
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    elif t == BOOL:
        if value is True or value is False:
            return value
    elif t == QUANTITY:
        if isinstance(value, str):
            return _quantity(value, chain, doc)
        if isinstance(value, (int, float)) and value is not True and value is not False:
            return _quantity(_json_number(value), chain, doc)
    elif t == INTSTR:
        if isinstance(value, str):
            return value
        if isinstance(value, int) and value is not True and value is not False:
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
    elif t == BYTES:
        if isinstance(value, str):
            try:
                return base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                raise doc.error("illegal base64 data", _flat(chain)) from None
    elif t == ANY:
        return value
    raise _TypeMismatch(value, t, _flat(chain), owner)


def _quantity(text: str, chain, doc: Document) -> str:
    """A Quantity as Quantity.UnmarshalJSON reads it (surrounding spaces trimmed, ParseQuantity's errors)."""
    from kubebridge.model import go_quantity

    try:
        go_quantity.parse(text.strip())
    except ValueError as exc:
        prefix = READ_ERROR.get(doc.kind, "unable to read YAML")
        raise doc.error(f"{prefix}: error unmarshaling JSON: while decoding JSON: {exc}", _flat(chain)) from None
    return text


def _json_number(value: int | float) -> str:
    """How Go's encoding/json writes a number that a Quantity then parses."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


class _TypeMismatch(Exception):
    """A value Go's encoding/json would not read into its field (worded by decode())."""

    def __init__(self, value: Any, t: Any, path: tuple, owner: str | None):
        super().__init__()
        self.value, self.t, self.path, self.owner = value, t, path, owner


def _type_error(value: Any, t: Any, path: tuple, doc: Document, owner: str | None, go_field_paths: bool = False):
    """Go's json.UnmarshalTypeError, as Podman prints it."""
    if go_field_paths:
        where = "Go struct field ." + ".".join(str(p) for p in path) if owner else "Go value"
    else:
        field = ".".join(str(p) for p in path if not isinstance(p, int))
        where = f"Go struct field {_GO_STRUCT.get(owner, owner)}.{field}" if owner else "Go value"
    prefix = READ_ERROR.get(doc.kind, "unable to read YAML")
    return doc.error(f"{prefix}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                     f"{_json_type(value)} into {where} of type {_go_name(t)}", path)


# our struct names that differ from the Go ones
_GO_STRUCT = {"KeySelector": "ConfigMapKeySelector", "RefSource": "ConfigMapEnvSource", "Workload": "Deployment",
              "WorkloadSpec": "DeploymentSpec"}
