"""Why a change happens: REWRITES, the one table of Podman's round-trip rewrites, each with the
predicate that recognises it and a captured fixture that confirms it."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable

from kubebridge.model import go_quantity
from kubebridge.model.manifest import POD_SPEC_PATHS, as_dict, as_list, as_str
from kubebridge.model.names import BIND_MOUNT_OPTIONS, USERNS_ANNOTATION

from .diff import ADDED, LOST, RENAMED, REWRITTEN, Change, Pair

# --- why: Podman's round-trip rewrites -----------------------------------------------------

@dataclass(frozen=True)
class Rewrite:
    id: str
    podman: str  # what Podman does
    fixture: str  # a captured scenario that shows it: "<Podman version>/<scenario>"
    explains: Callable[[Change, Pair], bool]


def _last(change: Change) -> Any:
    return change.path[-1] if change.path else None


def _keys(change: Change) -> list:
    return [p for p in change.path if not isinstance(p, int)]


def _in(change: Change, *parts: Any) -> bool:
    """The path holds these keys in a row (list indexes skipped)."""
    keys, n = _keys(change), len(parts)
    return any(tuple(keys[i:i + n]) == parts for i in range(len(keys) - n + 1))


def _field(change: Change) -> Any:
    """The last key of the path (for a list item, the list's key)."""
    keys = _keys(change)
    return keys[-1] if keys else None


def _annotation_key(change: Change) -> str:
    keys = _keys(change)
    if len(keys) >= 3 and keys[-3:-1] == ["metadata", "annotations"]:
        return as_str(keys[-1])
    return ""


def _container_index(change: Change) -> tuple[str, int] | None:
    for i, part in enumerate(change.path[:-1]):
        if part in ("containers", "initContainers") and isinstance(change.path[i + 1], int):
            return part, change.path[i + 1]
    return None


def _value(change: Change) -> Any:
    return change.after if change.kind == ADDED else change.before


# -- metadata

def _app_label(c: Change, p: Pair) -> bool:
    return c.path == ("metadata", "labels", "app") and c.kind in (ADDED, REWRITTEN) and c.after == p.pod_name


def _labels_lost(c: Change, p: Pair) -> bool:
    return c.kind == LOST and (_in(c, "metadata", "labels") or c.path[-1:] == ("labels",))


def _per_container_copy(key: str, p: Pair) -> bool:
    return any(key.endswith("/" + name) for name in p.renames.values() if name)


def _annotations(c: Change, p: Pair) -> bool:
    key = _annotation_key(c)
    if key:
        return (c.kind == ADDED and _per_container_copy(key, p)) or c.kind == LOST
    if c.path[-1:] == ("annotations",) and c.kind == ADDED:
        return all(_per_container_copy(k, p) or k in (USERNS_ANNOTATION, BIND_MOUNT_OPTIONS) for k in as_dict(c.after))
    return c.path[-1:] == ("annotations",) and c.kind == LOST




# -- workloads

WORKLOAD_FIELDS = ("replicas", "selector", "strategy", "updateStrategy", "minReadySeconds", "revisionHistoryLimit",
                   "progressDeadlineSeconds", "paused", "backoffLimit", "completions", "parallelism",
                   "activeDeadlineSeconds", "ttlSecondsAfterFinished", "completionMode", "suspend", "manualSelector",
                   "podFailurePolicy", "template")


def _flattened(c: Change, p: Pair) -> bool:
    if p.spec_path == ("spec",):
        return False
    if c.path in (("kind",), ("apiVersion",)) and c.kind == REWRITTEN:
        return True
    if c.path == ("metadata", "name") and c.kind == RENAMED:
        return re.fullmatch(re.escape(as_str(c.before)) + r"-pod(-\d+)?", as_str(c.after)) is not None
    if len(c.path) == 2 and c.path[0] == "spec" and c.kind == LOST and c.path[1] in WORKLOAD_FIELDS:
        return True
    return c.kind == LOST and _in(c, "template", "metadata")


# -- containers

def _container_name(c: Change, p: Pair) -> bool:
    if _last(c) != "name" or c.kind != RENAMED or _container_index(c) is None or len(c.path) != \
            _path_len_to_container(c) + 1:
        return False
    before = as_str(c.before).replace("_", "")
    return as_str(c.after) in (f"{p.pod_name}-{before}", before)


def _path_len_to_container(c: Change) -> int:
    for i, part in enumerate(c.path[:-1]):
        if part in ("containers", "initContainers") and isinstance(c.path[i + 1], int):
            return i + 2
    return -1


def _unnamed(c: Change, p: Pair) -> bool:
    return c.kind == ADDED and _last(c) == "name" and _container_index(c) is not None and \
        len(c.path) == _path_len_to_container(c) + 1


def _image_of(c: Change, p: Pair):
    ref = as_str(_container_of(c, p).get("image"))
    for image in p.images:
        if ref in image.names:
            return image
    return None


def _image_default(c: Change, p: Pair) -> bool:
    """A value equal to the image's: generate leaves it out."""
    image = _image_of(c, p)
    if image is None or c.kind != LOST:
        return False
    if _last(c) == "workingDir":
        return c.before == image.working_dir
    return False


def _image_command(c: Change, p: Pair) -> bool:
    return _last(c) in ("command", "args") and c.kind in (ADDED, LOST) and _container_index(c) is not None


def _expanded(c: Change, p: Pair) -> bool:
    return c.kind == REWRITTEN and _field(c) in ("command", "args") and "$" in as_str(c.before)


# -- env

def _aux_keys(p: Pair) -> set[str]:
    return {k for data in p.aux.values() for k in data}


def _env_inlined(c: Change, p: Pair) -> bool:
    if _field(c) == "envFrom" and c.kind == LOST:
        return True
    if not _in(c, "env"):
        return False
    if c.kind == LOST and _last(c) == "valueFrom":
        return True
    if c.kind == ADDED and _last(c) == "value":
        return True
    if c.kind == ADDED and (isinstance(c.after, dict) or _last(c) == "env"):  # variables envFrom set
        added = c.after if isinstance(c.after, list) else [c.after]
        return bool(_container_of(c, p).get("envFrom")) or all(as_str(as_dict(e).get("name")) in _aux_keys(p)
                                                                  for e in added)
    return c.kind == REWRITTEN and _last(c) == "value" and _env_name(c, p) in _aux_keys(p)


def _container_of(c: Change, p: Pair) -> dict:
    """The original container a change is in ({} when it is in none)."""
    end = _path_len_to_container(c)
    if end < 0:
        return {}
    value: Any = p.before
    for part in c.path[:end]:
        value = value[part] if isinstance(value, (dict, list)) and (isinstance(value, list) and isinstance(
            part, int) and part < len(value) or isinstance(value, dict) and part in value) else {}
    return as_dict(value)


def _env_name(c: Change, p: Pair) -> str:
    """The variable a change under env[i] is about, in the original document."""
    value: Any = p.before
    for part in c.path:
        if isinstance(value, (dict, list)):
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return ""
            if isinstance(value, dict) and "name" in value and part != "valueFrom":
                name = as_str(value.get("name"))
        else:
            return ""
    return locals().get("name", "")


def _env_dropped(c: Change, p: Pair) -> bool:
    """A reference that resolved to nothing (optional and missing, a label that is not there) or an empty value."""
    if c.kind != LOST or _field(c) != "env" or not isinstance(c.before, dict):
        return False
    return bool(c.before.get("valueFrom")) or c.before.get("value") in ("", None)


def _env_stringified(c: Change, p: Pair) -> bool:
    return c.kind == REWRITTEN and _last(c) == "value" and _in(c, "env") and not isinstance(c.before, str) and \
        c.after == (str(c.before).lower() if isinstance(c.before, bool) else str(c.before))


def _tty_term(c: Change, p: Pair) -> bool:
    value = c.after
    entries = value if isinstance(value, list) else [value]
    return c.kind == ADDED and _field(c) == "env" and all(as_dict(e).get("name") == "TERM" for e in entries)


# -- ports

def _ports_moved(c: Change, p: Pair) -> bool:
    """Ports belong to the pod in Podman: unpublished ones go, the rest come back on the first container."""
    where = _container_index(c)
    if not _in(c, "ports") or where is None:
        return False
    section, index = where
    first = section == "containers" and index == 0
    if c.kind == ADDED:
        return first
    if c.kind == LOST:
        return True
    return c.kind == REWRITTEN and first and _last(c) == "hostPort"


def _hostport_filled(c: Change, p: Pair) -> bool:
    return c.kind == ADDED and _in(c, "ports") and _last(c) in ("hostPort", "containerPort")


def _port_name(c: Change, p: Pair) -> bool:
    return c.kind == LOST and _in(c, "ports") and _last(c) == "name"


def _protocol(c: Change, p: Pair) -> bool:
    if not (_in(c, "ports") and _last(c) == "protocol"):
        return False
    if c.kind == LOST:
        return as_str(c.before).upper() == "TCP"
    return c.kind == REWRITTEN and as_str(c.after) == as_str(c.before).upper()


# -- volumes

VOLUME_NAME = re.compile(r".+-host-\d+|.+-pvc|tmp-\d+|[a-z0-9][-a-z0-9.]*")


def _volume_renamed(c: Change, p: Pair) -> bool:
    return c.kind == RENAMED and _last(c) == "name" and (_in(c, "volumes") or _in(c, "volumeMounts")) and \
        VOLUME_NAME.fullmatch(as_str(c.after)) is not None


def _hostpath_type(c: Change, p: Pair) -> bool:
    return c.kind in (ADDED, REWRITTEN) and _in(c, "hostPath", "type")


def _as_podman_volume(c: Change, p: Pair) -> bool:
    if not _in(c, "volumes"):
        return False
    if c.kind == LOST and _last(c) in ("configMap", "secret", "emptyDir", "sizeLimit"):
        return True
    return c.kind == ADDED and (_last(c) == "persistentVolumeClaim" or _in(c, "persistentVolumeClaim", "readOnly"))


def _volume_split(c: Change, p: Pair) -> bool:
    """A hostPath mounted by several containers comes back once per container mount index."""
    if c.kind != ADDED or _field(c) != "volumes" or not isinstance(c.after, dict):
        return False
    path = as_str(as_dict(c.after.get("hostPath")).get("path"))
    return bool(path) and any(as_str(as_dict(as_dict(v).get("hostPath")).get("path")) == path
                              for v in as_list(as_dict(pod_spec(p.before)).get("volumes")))


def _tmpfs_split(c: Change, p: Pair) -> bool:
    """A Memory emptyDir mounted by several containers comes back once per container mount index."""
    if c.kind != ADDED or _field(c) != "volumes" or not isinstance(c.after, dict):
        return False
    memory = {"medium": "Memory"}
    return c.after.get("emptyDir") == memory and any(
        as_dict(as_dict(v).get("emptyDir")).get("medium") == "Memory"
        for v in as_list(as_dict(pod_spec(p.before)).get("volumes")))


def _volume_dropped(c: Change, p: Pair) -> bool:
    """A volume merged into another of the same source, or an optional one that did not exist: gone with its mount."""
    if c.kind != LOST or not isinstance(c.before, dict):
        return False
    if _field(c) == "volumes":
        return True
    return _field(c) == "volumeMounts"


def _hostpath_absolute(c: Change, p: Pair) -> bool:
    """A relative hostPath comes back absolute: play takes it against its working directory."""
    return c.kind == REWRITTEN and _in(c, "hostPath", "path") and isinstance(c.before, str) and \
        not c.before.startswith("/") and isinstance(c.after, str) and c.after.startswith("/")


def _image_volume_dropped(c: Change, p: Pair) -> bool:
    """An image volume and its mounts: Podman 5 mounts the image read-only; generate writes neither back."""
    if c.kind != LOST:
        return False
    images = {as_str(as_dict(v).get("name")) for v in as_list(as_dict(pod_spec(p.before)).get("volumes"))
              if "image" in as_dict(v)}
    if not images:
        return False
    if _field(c) == "volumes" or _last(c) == "volumes":
        gone = c.before if isinstance(c.before, list) else [c.before]
        return all(as_str(as_dict(v).get("name")) in images for v in gone)
    if _last(c) == "volumeMounts":
        return all(as_str(as_dict(m).get("name")) in images for m in as_list(c.before))
    return _field(c) == "volumeMounts" and as_str(as_dict(c.before).get("name")) in images


def _mounted_volume(c: Change, p: Pair) -> dict:
    """The original volume a change under volumeMounts[i] is about ({} when unknown)."""
    keys = list(c.path)
    if "volumeMounts" not in keys:
        return {}
    i = keys.index("volumeMounts")
    mounts = as_list(_container_of(c, p).get("volumeMounts"))
    index = keys[i + 1] if i + 1 < len(keys) and isinstance(keys[i + 1], int) else None
    if index is None or index >= len(mounts):
        return {}
    name = as_str(as_dict(mounts[index]).get("name"))
    return next((as_dict(v) for v in as_list(as_dict(pod_spec(p.before)).get("volumes"))
                 if as_dict(v).get("name") == name), {})


def _mount_options(c: Change, p: Pair) -> bool:
    if _annotation_key(c) == BIND_MOUNT_OPTIONS and c.kind == ADDED:
        return True
    if not _in(c, "volumeMounts"):
        return False
    if c.kind == LOST and _last(c) == "readOnly":  # a Memory emptyDir is a tmpfs, mounted without options
        return as_dict(_mounted_volume(c, p).get("emptyDir")).get("medium") == "Memory"
    if c.kind == LOST and _last(c) in ("subPath", "mountPropagation", "readonly", "subPathExpr"):
        return True
    if c.kind == ADDED and _last(c) == "readOnly":
        return True
    if _annotation_key(c) == BIND_MOUNT_OPTIONS and c.kind == ADDED:
        return True
    return c.kind == REWRITTEN and _last(c) == "mountPath" and as_str(c.before).split(":", 1)[0] == c.after


# -- security, resources, probes

def _capabilities(c: Change, p: Pair) -> bool:
    if _in(c, "securityContext", "capabilities"):
        return True
    return c.kind in (ADDED, LOST) and _last(c) == "securityContext" and \
        set(as_dict(_value(c))) <= {"capabilities", "seLinuxOptions", "runAsUser", "runAsGroup", "procMount",
                                    "runAsNonRoot"}


def _security_defaults(c: Change, p: Pair) -> bool:
    if not _in(c, "securityContext"):
        return False
    if c.kind == LOST and _last(c) in ("allowPrivilegeEscalation", "privileged", "readOnlyRootFilesystem"):
        return True  # Podman writes these only when they differ from its defaults
    return _last(c) in ("procMount", "seLinuxOptions", "runAsUser", "runAsGroup", "runAsNonRoot") or \
        _in(c, "seLinuxOptions")


def _resources(c: Change, p: Pair) -> bool:
    if not _in(c, "resources"):
        return False
    if c.kind == LOST and (_in(c, "requests") or _last(c) == "requests"):
        return True
    if c.kind == LOST and _last(c) == "resources" and set(as_dict(c.before)) <= {"requests"}:
        return True  # resources that held only requests
    return c.kind == REWRITTEN and _in(c, "limits")


def _limit_unset(c: Change, p: Pair) -> bool:
    """A CPU or memory limit Podman reads as zero or less (Go's quantity forms: MilliValue, quantityToInt64)."""
    if c.kind != LOST or not _in(c, "limits") or _last(c) not in ("cpu", "memory") or not isinstance(c.before, str):
        return False
    try:
        q = go_quantity.parse(c.before.strip())
    except ValueError:
        return False
    read = q.milli_value() if _last(c) == "cpu" else q.podman_int64()
    return read is not None and read <= 0


def _probe(c: Change, p: Pair) -> bool:
    return c.kind == LOST and _last(c) in ("livenessProbe", "readinessProbe", "startupProbe", "lifecycle")


# -- pod

PODMAN_43_FIELDS = {"enableServiceLinks": False, "automountServiceAccountToken": False, "status": {},
                    "resources": {}}


def _podman43_fields(c: Change, p: Pair) -> bool:
    field_name = _last(c)
    if field_name in PODMAN_43_FIELDS and _value(c) == PODMAN_43_FIELDS[field_name]:
        return c.kind in (ADDED, LOST)
    return field_name == "hostname" and c.kind in (ADDED, LOST) and _value(c) in (p.pod_name, as_str(
        as_dict(p.before.get("metadata")).get("name")))


def _not_written(c: Change, p: Pair) -> bool:
    return c.kind == LOST and _last(c) in ("imagePullPolicy", "stdin", "stdinOnce", "securityContext", "hostPID",
                                           "hostIPC", "terminationGracePeriodSeconds", "dnsPolicy")


def _dns_option_value(c: Change, p: Pair) -> bool:
    return c.kind == ADDED and _in(c, "dnsConfig", "options") and _last(c) == "value" and c.after == ""


def _host_network_hostname(c: Change, p: Pair) -> bool:
    spec = as_dict(pod_spec(p.before))
    return c.kind in (REWRITTEN, ADDED, LOST) and _last(c) == "hostname" and spec.get("hostNetwork") is True


def pod_spec(doc: dict) -> Any:
    value: Any = doc
    for part in POD_SPEC_PATHS.get(as_str(doc.get("kind")), ("spec",)):
        value = as_dict(value).get(part)
    return value


REWRITES: tuple[Rewrite, ...] = (
    Rewrite("creation-timestamp", "generate stamps metadata.creationTimestamp with the time it runs",
            "5.4.2/pod-sidecar", lambda c, p: _last(c) == "creationTimestamp"),
    Rewrite("app-label", "generate labels the pod `app: <pod name>`", "5.4.2/pod-sidecar", _app_label),
    Rewrite("labels-lost", "generate writes no pod label but `app` (play put the labels on the pod and on every "
            "container; generate does not read them back)", "5.4.2/labels", _labels_lost),
    Rewrite("annotations-per-container", "play copies the pod's annotations, and its own (SandboxID, the health "
            "check marker; Podman 4.3 also ContainerType and FALSE flags), into every container; generate writes "
            "each container's back as `<key>/<container>`, and the pod-level key is gone", "5.4.2/pod-sidecar",
            _annotations),
    Rewrite("userns-annotation", "Podman 5 generate records the pod's user namespace as "
            "io.podman.annotations.userns", "5.4.2/annotations-podman",
            lambda c, p: _annotation_key(c) == USERNS_ANNOTATION and c.kind == ADDED),
    Rewrite("workload-flattened", "play makes one pod of a Deployment, DaemonSet or Job, named `<name>-pod` "
            "(Podman 4.3: `<name>-pod-0`, a pod per replica); generate writes a Pod: kind, apiVersion, selector, "
            "replicas, strategy and the template's metadata go", "5.4.2/deployment", _flattened),
    Rewrite("replica-pods", "Podman 4.3 plays each replica of a Deployment as its own pod, and generate writes "
            "them all", "4.3.1/deployment", lambda c, p: False),
    Rewrite("container-name-prefix", "play names each container `<pod>-<name>`; generate writes that name back "
            "(Podman 5 drops underscores)", "5.4.2/pod-sidecar", _container_name),
    Rewrite("unnamed-container", "play gives a container without a name one of its own", "5.4.2/pod-unnamed-container",
            _unnamed),
    Rewrite("restart-policy-written", "generate writes the pod's restart policy, `Always` when none was given",
            "5.4.2/pod-sidecar", lambda c, p: _last(c) == "restartPolicy" and _container_index(c) is None),
    Rewrite("defaults-written", "generate writes default values: `resources: {}` on init containers (Podman 4.3 "
            "on every container), and Podman 4.3 also `enableServiceLinks: false`, "
            "`automountServiceAccountToken: false`, `status: {}` and the pod's hostname", "4.3.1/pod-sidecar",
            _podman43_fields),
    Rewrite("empty-security-context", "Podman 5 generate writes `securityContext: {}` for a container whose "
            "image sets a user or capabilities it had to compare", "5.4.2/pod-sidecar",
            lambda c, p: c.kind == ADDED and _last(c) == "securityContext" and c.after == {}),
    Rewrite("image-command-written", "play runs the image's entrypoint and command when the YAML gives none, and "
            "generate writes what differs from the image: command and args can appear, move or go",
            "5.4.2/cmd-none", _image_command),
    Rewrite("image-defaults", "generate leaves out what equals the image's own (its working directory)",
            "5.4.2/roundtrip-image-defaults", _image_default),
    Rewrite("variables-expanded", "Podman 5 play expands `$(VAR)` (and `$$`) in command and args; generate "
            "writes the expanded words", "5.4.2/cmd-expansion", _expanded),
    Rewrite("tty-term", "play sets TERM=xterm in a container with a tty; generate writes it", "5.4.2/tty-stdin",
            _tty_term),
    Rewrite("env-inlined", "play resolves valueFrom and envFrom into plain values (envFrom last, so it wins over "
            "env; its prefix is ignored); generate writes the values", "5.4.2/envfrom", _env_inlined),
    Rewrite("env-dropped", "play drops optional references it cannot resolve, and generate leaves out variables "
            "with empty values", "5.4.2/env-configmap", _env_dropped),
    Rewrite("env-stringified", "Podman reads a number or boolean given as an env value as a string",
            "5.4.2/env-values", _env_stringified),
    Rewrite("host-port-filled", "Podman 4.3 publishes every containerPort on the same host port (Podman 5 with "
            "--publish-all); a hostPort alone publishes the same container port", "4.3.1/ports-container-only",
            _hostport_filled),
    Rewrite("port-name-lost", "Podman keeps no port names", "5.4.2/pod-sidecar", _port_name),
    Rewrite("port-protocol-normalized", "generate writes TCP as nothing and other protocols in upper case",
            "5.4.2/ports-protocols", _protocol),
    Rewrite("ports-on-first-container", "ports belong to the pod in Podman: only published ones exist (Podman 5: "
            "those with a hostPort; init containers' never), and generate writes them all on the first container",
            "5.4.2/pod-sidecar", _ports_moved),
    Rewrite("volume-renamed", "generate names volumes after their source: `<path>-host-<n>` for a hostPath, "
            "`<claim>-pvc` for a Podman volume, `tmp-<n>` for a tmpfs", "5.4.2/vol-hostpath", _volume_renamed),
    Rewrite("hostpath-absolute", "play takes a relative hostPath against the directory it runs in, and generate "
            "writes the absolute path", "4.3.1/vol-hostpath-relative", _hostpath_absolute),
    Rewrite("image-volume-dropped", "Podman 5 mounts an image volume's image read-only into the container; "
            "generate writes neither the volume nor its mount back", "5.4.2/vol-image", _image_volume_dropped),
    Rewrite("hostpath-type-set", "generate sets a hostPath's type from what exists on the host after play (which "
            "creates DirectoryOrCreate and FileOrCreate paths)", "5.4.2/vol-hostpath-create", _hostpath_type),
    Rewrite("volume-as-podman-volume", "play makes a ConfigMap, Secret or emptyDir volume a Podman volume; "
            "generate writes it as a persistentVolumeClaim of that volume (readOnly when a container mounts it so); "
            "an emptyDir's sizeLimit goes", "5.4.2/vol-configmap", _as_podman_volume),
    Rewrite("volume-split", "generate names a hostPath volume after the container's mount index, so one source "
            "mounted by several containers at different positions comes back as several volumes",
            "5.4.2/roundtrip-hostpath-split", _volume_split),
    Rewrite("tmpfs-split", "Podman 5 generate names a Memory emptyDir `tmp-<n>` after the container's mount "
            "index, so one mounted by several containers at different positions comes back as several volumes",
            "5.4.2/roundtrip-tmpfs-split", _tmpfs_split),
    Rewrite("volume-dropped", "volumes of one source become one Podman volume, and an optional ConfigMap or "
            "Secret that does not exist is not mounted: the extra volumes and their mounts go",
            "5.4.2/vol-configmap", _volume_dropped),
    Rewrite("mount-options-dropped", "generate keeps a mount's path and read-only flag only: subPath, propagation "
            "and `:options` in the path go (SELinux options move to the bind-mount-options annotation); a Memory "
            "emptyDir is mounted as a tmpfs without options, read-only or not",
            "5.4.2/vol-mount-options", _mount_options),
    Rewrite("capabilities-diffed", "generate writes capabilities as the difference from Podman's default set, "
            "with CAP_ prefixes (`drop: [ALL]` becomes the list of defaults)", "5.4.2/security-caps", _capabilities),
    Rewrite("security-defaults", "generate leaves out security settings equal to Podman's defaults, and what it "
            "cannot read back (procMount on 4.3, SELinux user and role, a pod-level context, which it writes per "
            "container)", "5.4.2/security-flags", _security_defaults),
    Rewrite("resources-canonical", "generate writes only the CPU and memory limits, in canonical units; requests "
            "go", "5.4.2/resources", _resources),
    Rewrite("limit-not-positive", "a CPU or memory limit that Podman's reading of the quantity makes zero or "
            "negative (`cpu: 1e19` and `1e400` are 0 millicores as Go's MilliValue wraps, `memory: -1Gi`) sets "
            "nothing, so generate writes no limit", "5.4.2/resources-quantity-forms", _limit_unset),
    Rewrite("probes-lost", "play turns liveness and startup probes into health checks, ignores readiness probes "
            "and lifecycle hooks, and generate writes no health check back", "5.4.2/probes", _probe),
    Rewrite("native-sidecar-lost", "Podman has no container restartPolicy: a native sidecar comes back as a plain "
            "init container", "5.4.2/native-sidecar",
            lambda c, p: _last(c) == "restartPolicy" and _container_index(c) is not None and c.kind == LOST),
    Rewrite("not-written", "fields play ignores or that generate does not write (imagePullPolicy, stdin, "
            "stdinOnce, the pod's securityContext, hostPID, hostIPC, terminationGracePeriodSeconds, dnsPolicy)",
            "5.4.2/namespaces-host", _not_written),
    Rewrite("host-aliases", "play adds hostAliases as /etc/hosts entries of the pod; generate writes them back "
            "grouped by address", "5.4.2/host-aliases", lambda c, p: _in(c, "hostAliases")),
    Rewrite("dns-option-value", "Podman 5 generate writes `value: \"\"` for a DNS option without a value",
            "5.4.2/dns-config", _dns_option_value),
    Rewrite("host-network-hostname", "a hostNetwork pod takes the host's hostname (Podman 5)",
            "5.4.2/host-network", _host_network_hostname),
)


BY_ID = {r.id: r for r in REWRITES}


NAMED = ("containers", "initContainers", "volumes", "volumeMounts")


def _renamed(change: Change) -> Change:
    """A name that changed is a rename: of the object (metadata.name), a container or a volume."""
    if change.kind == REWRITTEN and _last(change) == "name" and (
            change.path == ("metadata", "name") or any(_in(change, key) for key in NAMED)):
        return replace(change, kind=RENAMED)
    return change


def explain(changes: Iterable[Change], pair: Pair) -> list[Change]:
    """Each change with the id of the first rewrite that accounts for it ("" when none does)."""
    out = []
    for change in map(_renamed, changes):
        rewrite = next((r.id for r in REWRITES if r.explains(change, pair)), "")
        out.append(replace(change, rewrite=rewrite))
    return out
