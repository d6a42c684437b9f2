"""What differs between the Podman versions kubebridge models, as data.

Each field is one behaviour of `podman kube generate` / `kube play` that
changed between Podman 4.3.1 and 5.4.2, with the source of the difference.
Translators read these fields; they never test a version number.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import UsageError

# containers.conf default_capabilities (containers/common, both versions)
CONTAINERS_CONF_CAPS = (
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
    "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
)
# opencontainers/runtime-tools generate.New("linux"): what Podman 4.3 diffs against
RUNTIME_TOOLS_CAPS = (
    "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
    "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
    "CAP_AUDIT_WRITE",
)
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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


@dataclass(frozen=True)
class Profile:
    version: str  # the full version Podman prints, e.g. "5.4.2"
    # --- inspect JSON shapes -------------------------------------------------------------
    pod_inspect_is_array: bool  # 4.x prints one pod as an object (PR #15675 changed it in 5.0)
    entrypoint_is_string: bool  # 4.x joins Config.Entrypoint with spaces
    empty_host_ip: str  # how inspect shows an unset port host IP
    # --- kube generate ------------------------------------------------------------------
    generate_types: frozenset[str]  # --type values; 4.3 has no --type flag at all
    has_podman_only: bool  # --podman-only (5.0)
    has_replicas: bool  # --replicas (5.0)
    default_capabilities: tuple[str, ...]  # what capabilities are diffed against
    default_env: tuple[tuple[str, str], ...]  # env.DefaultEnvVariables()
    reserved_annotations: frozenset[str]  # filtered unless --podman-only (none in 4.3)
    annotation_limit: int | None  # 4.3 trims and truncates annotation values to 63 runes
    yaml_pod_wrappers_on_pod_path: bool  # 4.3 marshals the pod path as a plain v1.Pod: status: {}, resources: {}
    pod_name_removes_underscores: bool  # 4.3 keeps a pod's name as is (only the app label loses its _)
    service_drops_host_port: bool  # 5.x: with --service, container ports have no hostPort
    service_links_false: bool  # 4.3 writes enableServiceLinks/automountServiceAccountToken: false
    restart_from_pod: bool  # 5.x: pod restart policy; 4.3: the first container's, "" meaning Never
    ctr_path_restart_policy: bool  # 5.x sets the container path's restartPolicy
    hostname_skips_pod_name: bool  # 5.x omits a hostname equal to the pod name
    termination_grace_period: bool  # 5.x exports --stop-timeout
    infra_name_annotation: bool  # 5.x records a custom --infra-name
    userns_annotation: bool  # 5.x copies the infra's io.podman.annotations.userns
    ulimit_annotation: bool  # 5.x container path: io.podman.annotations.ulimit
    security_context_only_with_data: bool  # 5.x drops an empty securityContext without a user
    empty_caps_object: bool  # 4.3 writes capabilities even with nothing added or dropped
    run_as_non_root: bool  # 5.x: image USER > 0 gives runAsNonRoot
    proc_mount_unmasked: bool  # 5.x: no masked paths gives procMount: Unmasked
    selinux_all_labels: bool  # 5.x reads every label= option and filetype; 4.3 only the first, type/level
    fix_volume_names: bool  # 5.x lowercases volume names and turns _ into -
    tmpfs_as_empty_dir: bool  # 5.x: tmpfs is emptyDir {medium: Memory}; 4.3 a hostPath named "tmpfs"
    dns_option_without_value_crashes: bool  # 4.3 panics on a DNS option with no ':'

    @property
    def major_minor(self) -> str:
        return ".".join(self.version.split(".")[:2])

    @property
    def default_env_map(self) -> dict[str, str]:
        return dict(self.default_env)


PODMAN_5 = Profile(
    version="5.4.2",
    pod_inspect_is_array=True,
    entrypoint_is_string=False,
    empty_host_ip="0.0.0.0",
    generate_types=frozenset({"pod", "deployment", "daemonset", "job"}),
    has_podman_only=True,
    has_replicas=True,
    default_capabilities=CONTAINERS_CONF_CAPS,
    default_env=(("PATH", DEFAULT_PATH), ("container", "podman")),
    reserved_annotations=RESERVED_ANNOTATIONS,
    annotation_limit=None,
    yaml_pod_wrappers_on_pod_path=True,
    pod_name_removes_underscores=True,
    service_drops_host_port=True,
    service_links_false=False,
    restart_from_pod=True,
    ctr_path_restart_policy=True,
    hostname_skips_pod_name=True,
    termination_grace_period=True,
    infra_name_annotation=True,
    userns_annotation=True,
    ulimit_annotation=True,
    security_context_only_with_data=True,
    empty_caps_object=False,
    run_as_non_root=True,
    proc_mount_unmasked=True,
    selinux_all_labels=True,
    fix_volume_names=True,
    tmpfs_as_empty_dir=True,
    dns_option_without_value_crashes=False,
)

PODMAN_4_3 = Profile(
    version="4.3.1",
    pod_inspect_is_array=False,
    entrypoint_is_string=True,
    empty_host_ip="",
    generate_types=frozenset({"pod"}),
    has_podman_only=False,
    has_replicas=False,
    default_capabilities=RUNTIME_TOOLS_CAPS,
    default_env=(("PATH", DEFAULT_PATH), ("TERM", "xterm"), ("container", "podman")),
    reserved_annotations=frozenset(),
    annotation_limit=63,
    yaml_pod_wrappers_on_pod_path=False,
    pod_name_removes_underscores=False,
    service_drops_host_port=False,
    service_links_false=True,
    restart_from_pod=False,
    ctr_path_restart_policy=False,
    hostname_skips_pod_name=False,
    termination_grace_period=False,
    infra_name_annotation=False,
    userns_annotation=False,
    ulimit_annotation=False,
    security_context_only_with_data=False,
    empty_caps_object=True,
    run_as_non_root=False,
    proc_mount_unmasked=False,
    selinux_all_labels=False,
    fix_volume_names=False,
    tmpfs_as_empty_dir=False,
    dns_option_without_value_crashes=True,
)

PROFILES = {"5": PODMAN_5, "5.4": PODMAN_5, "5.4.2": PODMAN_5, "4.3": PODMAN_4_3, "4.3.1": PODMAN_4_3}
DEFAULT = PODMAN_5


def get_profile(version: str | Profile | None) -> Profile:
    """The profile for "5", "5.4", "4.3" and the like; a Profile passes through."""
    if isinstance(version, Profile):
        return version
    if version is None:
        return DEFAULT
    try:
        return PROFILES[str(version).strip()]
    except KeyError:
        raise UsageError(f"unsupported Podman version {version!r}: choose 5 (5.4.2) or 4.3 (4.3.1)") from None
