"""Names Podman and Kubernetes give things, in one place: annotation and label keys, kinds, default PATH,
and the pod name `podman kube play` gives a workload.

Sources: libpod/define/annotations.go (io.podman.annotations.*), pkg/annotations
(io.kubernetes.cri-o.*), pkg/domain/infra/abi/play.go (pod names),
pkg/env (the default PATH).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kubebridge.model.profiles import Profile

# kinds `podman kube play` makes pods of
WORKLOADS = ("Pod", "Deployment", "DaemonSet", "Job")

# annotations Podman reads and writes (libpod/define/annotations.go)
PODMAN_ANNOTATION_PREFIX = "io.podman.annotations."
BIND_MOUNT_OPTIONS = "bind-mount-options"
HEALTH_CHECK_ANNOTATION = "io.podman.annotations.kube.health.check"
INFRA_NAME_ANNOTATION = "io.podman.annotations.infra.name"
INIT_TYPE_ANNOTATION = "io.podman.annotations.init.container.type"
LABEL_ANNOTATION = "io.podman.annotations.label"
# how Podman joins SELinux label parts into one option, annotation or inspect SecurityOpt entry:
# "type:spc_t,label=level:s0" (a part's own value may hold a comma: "level:s0:c100,c200")
LABEL_JOIN = ",label="
ULIMIT_ANNOTATION = "io.podman.annotations.ulimit"
USERNS_ANNOTATION = "io.podman.annotations.userns"
VOLUMES_FROM_ANNOTATION = "io.podman.annotations.volumes-from"
# what Podman 4.3 records for every container it creates, unless set otherwise
FALSE_ANNOTATIONS = ("io.podman.annotations.autoremove", "io.podman.annotations.init",
                     "io.podman.annotations.privileged", "io.podman.annotations.publish-all")
# define.IsReservedAnnotation (5.x): dropped from generate output unless --podman-only
RESERVED_ANNOTATIONS = frozenset({
    "io.podman.annotations.cid-file", "io.podman.annotations.autoremove", "io.podman.annotations.privileged",
    "io.podman.annotations.publish-all", "io.podman.annotations.init", "io.podman.annotations.label",
    "io.podman.annotations.seccomp", "io.podman.annotations.apparmor", "TRUE", "FALSE",
    "io.podman.annotations.volumes-from",
})
# OCI annotations Podman adds to the runtime spec at start; generate reads the create-time spec
RUNTIME_ONLY_ANNOTATIONS = frozenset({
    "io.container.manager", "org.opencontainers.image.stopSignal", "org.systemd.property.KillSignal",
    "org.systemd.property.TimeoutStopUSec",
})
# CRI-O's annotations, which Podman sets on the containers of a pod
SANDBOX_ID = "io.kubernetes.cri-o.SandboxID"
CONTAINER_TYPE = "io.kubernetes.cri-o.ContainerType"
# the label that opts a container into `podman auto-update`
AUTOUPDATE_LABEL = "io.containers.autoupdate"

# pkg/env DefaultEnvVariables: the PATH a container gets when neither image nor user sets one
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def label_parts(label: str) -> list[str]:
    """Podman's joined SELinux label ("type:spc_t,label=level:s0", the value of LABEL_ANNOTATION or of a
    SecurityOpt `label=` entry without its prefix) -> its parts ["type:spc_t", "level:s0"]; "" -> []."""
    return label.split(LABEL_JOIN) if label else []


def workload_pod_name(name: str, kind: str, profile: Profile, replica: int = 0) -> str:
    """The pod `podman kube play` makes for a workload named `name` (play.go): a Pod keeps its name; a
    Deployment, DaemonSet or Job's pod is named as the profile's play_workload_pod_name says (<name>-pod in
    5.x; <name>-pod-<replica> in 4.3, a pod per replica)."""
    if kind == "Pod":
        return name
    return profile.play_workload_pod_name.format(name=name, replica=replica)


def workload_name(pod_name: str, kind: str, profile: Profile) -> str:
    """workload_pod_name() backwards: the workload's name from the name of the (first) pod play made of it."""
    return pod_name if kind == "Pod" else pod_name.removesuffix(workload_pod_name("", kind, profile))
