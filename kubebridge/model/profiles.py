"""What differs between the Podman versions kubebridge models, as data.

Each field is one behaviour of `podman kube generate` / `kube play` that
changed between the Podman versions kubebridge models (model/versions.VERSIONS:
one Profile each), with the source of the difference.
Translators read these fields; they never test a version number.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from kubebridge.errors import UsageError
from kubebridge.model import versions
from kubebridge.model.names import DEFAULT_PATH, RESERVED_ANNOTATIONS

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


@dataclass(frozen=True)
class Profile:
    """Everything that differs between the Podman versions kubebridge models, as data: inspect shapes,
    generate's and play's behaviour and words (one field each, commented with the Podman change behind it)."""

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
    # --- kube play ----------------------------------------------------------------------
    play_kinds: frozenset[str]  # workload kinds played (4.3: no DaemonSet, Job or List)
    # the pod a Deployment, DaemonSet or Job makes, as a str.format of the workload's name and the replica's
    # number: "{name}-pod" (5.x, play/deployment) or "{name}-pod-{replica}" (4.3, a pod per replica)
    play_workload_pod_name: str
    play_publishes_container_ports: bool  # 4.3 publishes every containerPort (before PR #19823)
    play_completes_spec: bool  # 5.x runs CompleteSpec: container=podman, TERM for a tty (#17016, #18384)
    play_expands_variables: bool  # 5.x expands $(VAR) in command and args (expandForKube)
    play_init_restart_no: bool  # 5.x: init containers get restart policy no (#16343); 4.3: the pod's
    play_health_check_annotation: bool  # 5.x marks kube containers io.podman.annotations.kube.health.check
    play_false_annotations: bool  # 4.3 records autoremove/init/privileged/publish-all as "FALSE" too
    play_container_type_annotation: bool  # 4.3: io.kubernetes.cri-o.ContainerType: container
    play_termination_grace: bool  # 5.x: terminationGracePeriodSeconds -> stop timeout
    play_userns_annotations: bool  # 5.x reads io.podman.annotations.userns[/<pod>]
    play_infra_name_annotation: bool  # 5.x reads io.podman.annotations.infra.name
    play_yaml_secrets: bool  # 5.x reads Secrets played from YAML; 4.3 expects JSON and fails
    play_annotation_value_limit: int | None  # 4.3 refuses annotation values over 63 characters
    play_umask: str  # the umask kube play gives containers
    play_host_namespaces: bool  # 5.x honours hostPID/hostIPC
    play_cap_drop_reference: tuple[str, ...]  # inspect's CapAdd/CapDrop are relative to this list
    stop_signal_as_number: bool  # 4.3 inspect prints Config.StopSignal as a number
    pod_inspect_restart_policy: bool  # 5.x pod inspect shows the pod's RestartPolicy
    # 5.x pods have a restart policy (`podman pod create --restart`); 4.3's have none and its pod create has no
    # such flag (play/restart-always: 4.3's pod inspect has no RestartPolicy, its containers hold it)
    pod_create_restart: bool
    # 5.x container inspect repeats Config.Annotations as HostConfig.Annotations; 4.3 has no such field
    # (play/pod-basic, every container)
    inspect_host_config_annotations: bool
    inspect_unset_restart: str  # how inspect shows an unset restart policy: "no" (5.x) or "" (4.3)
    play_replicas_pods: bool  # 4.3 plays a Deployment's replicas as <name>-pod-0, -1, ...; 5.x makes one pod
    play_infra_read_only: bool  # 5.x makes the infra container's root filesystem read-only
    play_infra_annotations: tuple[tuple[str, str], ...]  # what Podman records on the infra container
    play_infra_tty_env: bool  # 4.3 gives the infra container TERM=xterm
    play_container_podman_annotations: bool  # 5.x applies io.podman.annotations.{autoremove,init,label,...}/<ctr>
    play_host_network_node_hostname: bool  # 5.x: a hostNetwork pod takes the node's hostname, not spec.hostname
    play_emptydir_memory_tmpfs: bool  # 5.x: emptyDir medium Memory is a tmpfs; 4.3 a plain volume
    play_sub_path: bool  # 5.x honours volumeMounts subPath
    inspect_unmask_security_opt: bool  # 5.x inspect lists unmask=all in SecurityOpt
    play_missing_path_verb: str  # a missing hostPath fails its "faccessat" (5.x) or "stat" (4.3) check
    play_volume_sources_message: str  # the error for an unsupported volume source
    play_missing_image_message: str  # what Podman says of a container without an image
    play_port_mapping_networks: str  # the networks Podman names when hostNetwork meets ports
    play_image_volumes: bool  # 5.x plays `image` volume sources
    play_startup_probe: bool  # 5.x turns a startupProbe into a startup health check; 4.3 ignores it
    # Kubernetes fields ("Struct.field" of kube_types.STRUCTS) play decodes but does not act on
    play_unread_fields: frozenset[str]
    volume_inspect_anonymous: bool  # 5.x volume inspect shows Anonymous
    # --- since 5.8 ---------------------------------------------------------------------
    play_infra_image: bool  # the infra container runs Podman's pause image (to 5.4); 5.8 has none (Image "")
    # the infra container's env holds container=podman, the pause image's (to 5.4); 5.8's infra has no image and
    # no such variable (play/pod-basic: the infra's Config.Env)
    play_infra_container_env: bool
    inspect_default_rw: bool  # Binds and Tmpfs options list the default rw (to 5.4); 5.8 leaves it out
    generate_volume_sub_path: bool  # 5.8: generate writes a named volume's subPath in volumeMounts
    play_env_over_env_from: bool  # 5.8: env wins over envFrom, as in Kubernetes; to 5.4 envFrom wins
    go_json_field_paths: bool  # 5.8's Go: a JSON type error names `Go struct field .spec.containers.0.x`
    play_min_cpu_quota: int  # 5.x refuses a CPU quota under 1000 µs (limits.cpu under 10m): resources-cpu-1m
    # what a resources error starts with (5.x wraps setupContainerResources' errors): resources-beyond-int64
    play_resources_error_prefix: str
    play_configmap_file_first_only: bool  # 4.3 reads only the first document of a --configmap file
    # 5.x refuses a memory request above the memory limit (specgen/generate/validate_linux.go: "minimum memory limit
    # cannot be less than memory reservation limit"); 4.3 plays it as given: resources-request-over-limit
    play_memory_request_over_limit_refused: bool
    # 5.x gives the pod's securityContext.sysctls to pod create, which checks them (util.ValidateSysctls: only
    # kernel.msg*/sem/shm* names, net.* and fs.mqueue.*, as written); 4.3's kube play ignores them:
    # security-sysctls, security-sysctls-not-allowed, security-sysctls-slash
    play_pod_sysctls: bool
    # 4.3 parses imagePullPolicy, lowercased, with containers/common's ParsePullPolicy and refuses another value
    # ("unsupported pull policy"); 5.x takes any value (captured by tests/test_live_check.py's verdict test)
    play_pull_policies: tuple[str, ...]
    # finalizeMounts' words when a bind/tmpfs and a named volume share a (cleaned) destination:
    # "conflict at mount destination" (4.3), "baseMounts conflict at mount destination" (5.x): vol-duplicate-mountpath-mixed
    play_mount_volume_conflict: str
    # 5.x gives the pod's network the names of its (regular) containers as aliases (Aliases of NetworkSettings);
    # 4.3 none: pod-basic, pod-three-sidecars, init-once
    play_network_aliases: bool
    play_network_alias_unnamed: bool  # 5.4 gives an unnamed container's "" as an alias; 5.8 leaves it out
    # --- health checks and what inspect shows beyond the YAML (play/probe-*, annotations-podman) ----------
    play_exec_probe_shell: bool  # 4.3 runs an exec probe as CMD-SHELL <words> || exit 1; 5.x as CMD <words>
    play_probe_named_port: bool  # 5.x looks a probe's named port up in the container's ports; 4.3 uses 0
    play_tcp_probe_host: str  # the host nc checks when the probe names none: "" (4.3) or localhost (5.x)
    inspect_pids_limit: int  # HostConfig.PidsLimit of every container: containers.conf pids_limit
    inspect_log_size: str  # HostConfig.LogConfig.Size: "0B", or "-1B" (5.8)
    inspect_oci_version: str  # State.OciVersion: the runtime-spec version Podman was built with
    inspect_default_ulimits: bool  # 4.3 lists the host's default rlimits in HostConfig.Ulimits of every container

    @property
    def major_minor(self) -> str:
        return ".".join(self.version.split(".")[:2])

    @property
    def default_env_map(self) -> dict[str, str]:
        return dict(self.default_env)


# read only to refuse them on init containers, or decoded and then dropped (Podman 5.4.2 and 4.3.1 alike)
UNREAD_ALWAYS = frozenset({"Container.readinessProbe", "Container.lifecycle", "Container.stdin", "Container.stdinOnce",
                           "EnvFromSource.prefix", "VolumeMount.subPathExpr", "ObjectMeta.uid"})

PODMAN_5_4 = Profile(
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
    play_kinds=frozenset({"Pod", "Deployment", "DaemonSet", "Job", "List"}),
    play_workload_pod_name="{name}-pod",
    play_publishes_container_ports=False,
    play_completes_spec=True,
    play_expands_variables=True,
    play_init_restart_no=True,
    play_health_check_annotation=True,
    play_false_annotations=False,
    play_container_type_annotation=False,
    play_termination_grace=True,
    play_userns_annotations=True,
    play_infra_name_annotation=True,
    play_yaml_secrets=True,
    play_annotation_value_limit=None,
    play_umask="0022",
    play_host_namespaces=True,
    play_cap_drop_reference=CONTAINERS_CONF_CAPS,
    stop_signal_as_number=False,
    pod_inspect_restart_policy=True,
    pod_create_restart=True,
    inspect_host_config_annotations=True,
    inspect_unset_restart="no",
    play_replicas_pods=False,
    play_infra_read_only=True,
    play_infra_annotations=(),
    play_infra_tty_env=False,
    play_container_podman_annotations=True,
    play_host_network_node_hostname=True,
    play_emptydir_memory_tmpfs=True,
    play_sub_path=True,
    inspect_unmask_security_opt=True,
    play_missing_path_verb="faccessat",
    play_volume_sources_message="HostPath, ConfigMap, EmptyDir, Secret, and PersistentVolumeClaim are currently "
                                "the only supported VolumeSource",
    play_missing_image_message='parsing reference "": repository name must have at least one component',
    play_port_mapping_networks="Bridge, slirp4netns, or pasta",
    play_image_volumes=True,
    play_startup_probe=True,
    play_unread_fields=UNREAD_ALWAYS,
    volume_inspect_anonymous=True,
    play_infra_image=True,
    play_infra_container_env=True,
    inspect_default_rw=True,
    generate_volume_sub_path=False,
    play_env_over_env_from=False,
    go_json_field_paths=False,
    play_min_cpu_quota=1000,
    play_resources_error_prefix="failed to configure container resources: ",
    play_configmap_file_first_only=False,
    play_memory_request_over_limit_refused=True,
    play_pod_sysctls=True,
    play_pull_policies=(),
    play_mount_volume_conflict="baseMounts conflict at mount destination",
    play_network_aliases=True,
    play_network_alias_unnamed=True,
    play_exec_probe_shell=False,
    play_probe_named_port=True,
    play_tcp_probe_host="localhost",
    inspect_pids_limit=2048,
    inspect_log_size="0B",
    inspect_oci_version="1.2.0",
    inspect_default_ulimits=False,
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
    play_kinds=frozenset({"Pod", "Deployment"}),
    play_workload_pod_name="{name}-pod-{replica}",
    play_publishes_container_ports=True,
    play_completes_spec=False,
    play_expands_variables=False,
    play_init_restart_no=False,
    play_health_check_annotation=False,
    play_false_annotations=True,
    play_container_type_annotation=True,
    play_termination_grace=False,
    play_userns_annotations=False,
    play_infra_name_annotation=False,
    play_yaml_secrets=False,
    play_annotation_value_limit=63,
    play_umask="0000",
    play_host_namespaces=False,
    play_cap_drop_reference=RUNTIME_TOOLS_CAPS,
    stop_signal_as_number=True,
    pod_inspect_restart_policy=False,
    pod_create_restart=False,
    inspect_host_config_annotations=False,
    inspect_unset_restart="",
    play_replicas_pods=True,
    play_infra_read_only=False,
    play_infra_annotations=(("io.kubernetes.cri-o.TTY", "false"), ("io.podman.annotations.autoremove", "FALSE"),
                            ("io.podman.annotations.init", "FALSE"), ("io.podman.annotations.privileged", "FALSE"),
                            ("io.podman.annotations.publish-all", "FALSE"),
                            ("org.opencontainers.image.base.digest", ""), ("org.opencontainers.image.base.name", "")),
    play_infra_tty_env=True,
    play_container_podman_annotations=False,
    play_host_network_node_hostname=False,
    play_emptydir_memory_tmpfs=False,
    play_sub_path=False,
    inspect_unmask_security_opt=False,
    play_missing_path_verb="stat",
    play_volume_sources_message="HostPath, ConfigMap, EmptyDir, and PersistentVolumeClaim are currently the only "
                                "supported VolumeSource",
    play_missing_image_message="repository name must have at least one component",
    play_port_mapping_networks="Bridge or slirp4netns",
    play_image_volumes=False,
    play_startup_probe=False,
    play_unread_fields=UNREAD_ALWAYS | {"Container.startupProbe", "PodSpec.terminationGracePeriodSeconds",
                                        "PodSpec.hostPID", "PodSpec.hostIPC", "VolumeMount.subPath",
                                        "EmptyDirVolumeSource.medium"},
    volume_inspect_anonymous=False,
    play_infra_image=True,
    play_infra_container_env=True,
    inspect_default_rw=True,
    generate_volume_sub_path=False,
    play_env_over_env_from=False,
    go_json_field_paths=False,
    play_min_cpu_quota=0,
    play_resources_error_prefix="",
    play_configmap_file_first_only=True,
    play_memory_request_over_limit_refused=False,
    play_pod_sysctls=False,
    play_pull_policies=("always", "missing", "ifnotpresent", "newer", "ifnewer", "never"),
    play_mount_volume_conflict="conflict at mount destination",
    play_network_aliases=False,
    play_network_alias_unnamed=False,
    play_exec_probe_shell=True,
    play_probe_named_port=False,
    play_tcp_probe_host="",
    inspect_pids_limit=0,
    inspect_log_size="0B",
    inspect_oci_version="1.0.2-dev",
    inspect_default_ulimits=True,
)

# Podman 5.8.6 (Debian forky): what changed since 5.4.2, each seen in the 5.8.6 captures (tests/fixtures/*/podman-5.8.6)
PODMAN_5_8 = replace(
    PODMAN_5_4,
    version="5.8.6",
    play_infra_image=False,  # every pod: infra Image/ImageName "" (play/pod-basic)
    play_infra_container_env=False,  # every pod: no container=podman in the infra's env (play/pod-basic)
    inspect_default_rw=False,  # HostConfig.Binds, HostConfig.Tmpfs (play/vol-hostpath, roundtrip-tmpfs-split)
    generate_volume_sub_path=True,  # generate/pod-volume-subpath, play/vol-pvc
    play_env_over_env_from=True,  # play/envfrom
    play_missing_image_message='container "{name}" is missing the required \'image\' field',  # play/error-no-image
    go_json_field_paths=True,  # play/error-port-type
    inspect_log_size="-1B",  # every container
    inspect_oci_version="1.2.1",  # every container
    play_network_alias_unnamed=False,  # play/pod-unnamed-container (the infra's Aliases)
)
PODMAN_5 = PODMAN_5_8  # "5": the newest 5.x profile

ALL = (PODMAN_4_3, PODMAN_5_4, PODMAN_5_8)  # oldest first
assert tuple(p.version for p in ALL) == versions.VERSIONS, "model/versions.py lists the profiles"
PROFILES = {name: profile for profile in ALL for name in versions.names(profile.version)}
DEFAULT = PROFILES[versions.DEFAULT_VERSION]


def get_profile(version: str | Profile | None) -> Profile:
    """The profile for "5", "5.4", "4.3.1" and the like (another version of a modelled major: the nearest
    profile; versions.resolve says which); a Profile passes through; None is the default.

    Raises UsageError for a version of a major kubebridge has no profile for.
    """
    if isinstance(version, Profile):
        return version
    if version is None:
        return DEFAULT
    try:
        return PROFILES[versions.resolve(str(version))[0]]
    except ValueError as exc:
        raise UsageError(str(exc)) from None
