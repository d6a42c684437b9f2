"""A container spec -> a Container, as kube.ToSpecGen builds it (pkg/specgen/generate/kube/kube.go)."""
from __future__ import annotations

import re
from typing import Any

from kubebridge.errors import PodmanRefusal
from kubebridge.model import go_quantity
from kubebridge.model.names import (
    CONTAINER_TYPE,
    FALSE_ANNOTATIONS,
    HEALTH_CHECK_ANNOTATION,
    LABEL_ANNOTATION,
    LABEL_JOIN,
    SANDBOX_ID,
    ULIMIT_ANNOTATION,
    label_parts,
)
from kubebridge.model.podman import Container, Healthcheck, Image, Pod, Ulimit
from kubebridge.model.profiles import CONTAINERS_CONF_CAPS, Profile

from .context import _Context, _KubeVolume, _synthetic_id
from .env import _env
from .mounts import _mounts

# --- containers ------------------------------------------------------------------------------

def find_image(images: tuple[Image, ...], reference: str) -> Image | None:
    """The image a reference names, as Podman's short-name lookup finds a local one."""
    candidates = [reference]
    if ":" not in reference.rsplit("/", 1)[-1] and "@" not in reference:
        candidates.append(reference + ":latest")
    for candidate in candidates:
        for image in images:
            if candidate in image.names or candidate == image.id or (len(candidate) >= 12 and image.id.startswith(
                    candidate)):
                return image
    for candidate in candidates:
        for image in images:
            if any(n.endswith("/" + candidate) for n in image.names):
                return image
    return None


def _container(pod: Pod, ctr: dict, annotations: dict[str, str], volumes: dict[str, _KubeVolume], restart: str,
               pod_spec: dict, ctx: _Context, init_type: str = "") -> Container:
    """kube.ToSpecGen, then what CompleteSpec and MakeContainer add."""
    profile = ctx.profile
    yaml_name = ctr.get("name") or ""
    image_ref = ctr.get("image") or ""
    if not image_ref:
        message = profile.play_missing_image_message
        raise PodmanRefusal(message.format(name=yaml_name) if "{name}" in message
                            else f'{message} (container "{yaml_name}" has no image)')
    policy = ctr.get("imagePullPolicy") or ""
    if profile.play_pull_policies and policy and policy.lower() not in profile.play_pull_policies:
        raise PodmanRefusal(f'unsupported pull policy "{policy.lower()}"')
    image = find_image(ctx.options.images, image_ref)
    if image is None:
        ctx.warn(f"no image inspect for {image_ref!r}: its ENTRYPOINT, CMD, ENV, WORKDIR, USER and labels are "
                 "taken as empty (give `podman image inspect` output with --image-inspect)")
        image = Image(id="", names=(image_ref,))
    c = Container(id=_synthetic_id("ctr", pod.name, yaml_name), name=f"{pod.name}-{yaml_name}", image=image_ref,
                  image_id=image.id, pod_id=pod.id, init_type=init_type, restart_policy=restart,
                  hostname=pod.hostname, umask=profile.play_umask, network_mode=f"container:{pod.infra_id}")
    c.tty = bool(ctr.get("tty"))
    c.working_dir = image.working_dir or "/"
    c.user = image.user
    c.entrypoint, c.command = list(image.entrypoint), list(image.cmd)
    c.stop_signal = image.stop_signal
    c.exposed_ports = list(image.exposed_ports)
    _security(c, ctr.get("securityContext") or {}, pod_spec.get("securityContext") or {})
    _resources(c, ctr.get("resources") or {}, profile)
    if ctr.get("command"):
        c.entrypoint, c.command = list(ctr["command"]), []
    if ctr.get("args"):
        c.command = list(ctr["args"])
    if ctr.get("workingDir"):
        c.working_dir = ctr["workingDir"]
    c.labels = dict(image.labels)
    c.labels.update(_autoupdate_labels(annotations, yaml_name))
    c.labels.update(pod.labels)
    _annotations_for(c, annotations, yaml_name, pod, ctx)
    if ULIMIT_ANNOTATION in annotations:
        c.ulimits = [_ulimit(u) for u in annotations[ULIMIT_ANNOTATION].split(",")]
    c.env = _env(c, ctr, image, pod, annotations, ctx)
    _probes(c, ctr, restart, profile)
    _mounts(c, ctr, volumes, annotations, profile.play_sub_path, profile)
    if profile.play_termination_grace and not init_type and pod_spec.get("terminationGracePeriodSeconds") is not None:
        c.stop_timeout = pod_spec["terminationGracePeriodSeconds"]
    _oci_annotations(c, profile)
    c.capabilities = capabilities(c)
    c.pid_host, c.ipc_host = (pod.pid_host, pod.ipc_host) if not init_type else (False, False)
    c.uts_host = pod.uts_host
    c.pid_shared = pod.shares("pid")
    c.host_users = pod.userns == "host"
    if profile.play_expands_variables:
        env = dict(e.split("=", 1) for e in c.env)
        c.entrypoint = [expand(a, env) for a in c.entrypoint]
        c.command = [expand(a, env) for a in c.command]
    return c


def _autoupdate_labels(annotations: dict[str, str], name: str) -> dict[str, str]:
    labels = {}
    for key in ("io.containers.autoupdate", "io.containers.autoupdate.authfile"):
        value = annotations.get(f"{key}/{name}", annotations.get(key))
        if value is not None:
            labels[key] = value
    return labels


def _annotations_for(c: Container, shared: dict[str, str], name: str, pod: Pod, ctx: _Context) -> None:
    """The container's OCI annotations: the pod's whole annotation map, which Podman shares and changes."""
    profile = ctx.profile
    shared[SANDBOX_ID] = pod.infra_id
    if profile.play_container_type_annotation:
        shared[CONTAINER_TYPE] = "container"
    if profile.play_container_podman_annotations:
        _podman_annotations(c, shared, name)
    if profile.play_health_check_annotation:
        shared[HEALTH_CHECK_ANNOTATION] = "true"
    c.annotations = dict(shared)


def _podman_annotations(c: Container, shared: dict[str, str], name: str) -> None:
    """io.podman.annotations.<x>/<container>: applied, and recorded in the pod's shared map as <x>."""
    for key in ("io.podman.annotations.cid-file", "io.podman.annotations.seccomp", "io.podman.annotations.apparmor"):
        if f"{key}/{name}" in shared:
            shared[key] = shared[f"{key}/{name}"]
    label = shared.get(f"io.podman.annotations.label/{name}")
    if label is not None:  # Podman adds the value as one option, unless it is one already; the model keeps parts
        if label not in c.selinux_opts:
            c.selinux_opts += label_parts(label)
        shared[LABEL_ANNOTATION] = LABEL_JOIN.join(c.selinux_opts)
    for key, attr in (("io.podman.annotations.autoremove", "auto_remove"), ("io.podman.annotations.init", "init")):
        value = shared.get(f"{key}/{name}")
        if value is not None:
            setattr(c, attr, _parse_bool(value, key))
            shared[key] = value
    autoremove = shared.get("io.podman.annotations.autoremove")
    if autoremove is not None:  # read unqualified, so it carries over to the pod's later containers (5.x)
        c.auto_remove = _parse_bool(autoremove, "io.podman.annotations.autoremove")
    if f"io.podman.annotations.publish-all/{name}" in shared:
        shared["io.podman.annotations.publish-all"] = shared[f"io.podman.annotations.publish-all/{name}"]
    if "io.podman.annotations.seccomp" in shared:
        c.seccomp_profile = shared["io.podman.annotations.seccomp"]
    if "io.podman.annotations.apparmor" in shared:
        c.apparmor_profile = shared["io.podman.annotations.apparmor"]


def _oci_annotations(c: Container, profile: Profile) -> None:
    """What Podman writes into the container's own OCI annotations when it makes the spec."""
    if profile.play_false_annotations:
        for key in FALSE_ANNOTATIONS:
            c.annotations.setdefault(key, "FALSE")
    for key, flag in (("io.podman.annotations.autoremove", c.auto_remove),
                      ("io.podman.annotations.privileged", c.privileged), ("io.podman.annotations.init", c.init)):
        if flag:
            c.annotations[key] = "TRUE"


def _parse_bool(value: str, key: str) -> bool:
    """Go's strconv.ParseBool."""
    if value in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if value in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise PodmanRefusal(f'strconv.ParseBool: parsing "{value}": invalid syntax')


def _ulimit(text: str) -> Ulimit:
    name, _, limits = text.partition("=")
    soft, _, hard = limits.partition(":")
    try:
        return Ulimit(name.strip(), int(soft), int(hard or soft))
    except ValueError:
        raise PodmanRefusal(f"invalid ulimit argument: {text}") from None


def _security(c: Container, sc: dict, pod_sc: dict) -> None:
    """setupSecurityContext: the container's settings, else the pod's for SELinux and users."""
    if sc.get("readOnlyRootFilesystem") is not None:
        c.read_only = sc["readOnlyRootFilesystem"]
    if sc.get("privileged") is not None:
        c.privileged = sc["privileged"]
    if sc.get("allowPrivilegeEscalation") is not None:
        c.no_new_privileges = not sc["allowPrivilegeEscalation"]
    if sc.get("procMount") == "Unmasked" or c.privileged:  # a privileged container has no masked paths
        c.unmask_all = True
    selinux = sc.get("seLinuxOptions") or pod_sc.get("seLinuxOptions")
    if selinux:
        for key in ("user", "role", "type", "level", "filetype"):
            if selinux.get(key):
                c.selinux_opts.append(f"{key}:{selinux[key]}")
    caps = sc.get("capabilities") or {}
    c.cap_add = list(caps.get("add") or [])
    c.cap_drop = list(caps.get("drop") or [])
    uid = sc.get("runAsUser", pod_sc.get("runAsUser"))
    gid = sc.get("runAsGroup", pod_sc.get("runAsGroup"))
    user = str(uid) if uid is not None else ""
    if gid is not None:
        user = f"{user or '0'}:{gid}"
    if user:
        c.user = user
    c.groups = [str(g) for g in pod_sc.get("supplementalGroups") or []]


def _resources(c: Container, resources: dict, profile: Profile) -> None:
    """setupContainerResources: the CPU limit as quota/period (from MilliValue), the memory limit and
    reservation (quantityToInt64: AsInt64, else the unscaled inf.Dec: see model/go_quantity.py); a value
    that is not above zero sets nothing."""
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    cpu = go_quantity.parse(str(limits["cpu"]).strip()) if limits.get("cpu") is not None else None
    milli = cpu.milli_value() if cpu is not None else 0
    if milli > 0:
        c.cpu_period = 100000
        c.cpu_quota = int(milli / 1000 * 100000)  # util.CoresToPeriodAndQuota: float64 cores * period
    for field, given, what in (("memory", limits.get("memory"), "limit"),
                               ("memory_reservation", requests.get("memory"), "reservation")):
        if given is None:
            continue
        amount = go_quantity.parse(str(given).strip())
        value = amount.podman_int64()
        if value is None:
            raise PodmanRefusal(f"{profile.play_resources_error_prefix}failed to set memory {what}: "
                                f"quantity cannot be represented as int64: {amount}")
        if value > 0:
            setattr(c, field, value)
    if profile.play_memory_request_over_limit_refused and 0 < c.memory < c.memory_reservation:
        raise PodmanRefusal("minimum memory limit cannot be less than memory reservation limit, see usage")
    if c.cpu_quota and c.cpu_quota < profile.play_min_cpu_quota:  # the runtime spec's check when created (5.x)
        raise PodmanRefusal("CPU cfs quota cannot be less than 1ms (i.e. 1000)")


def _probes(c: Container, ctr: dict, restart: str, profile: Profile) -> None:
    ports = ctr.get("ports") or []
    probe = ctr.get("livenessProbe")
    if probe and any(probe.get(k) for k in ("exec", "httpGet", "tcpSocket")):
        c.healthcheck = _healthcheck(probe, ports, profile)
    startup = ctr.get("startupProbe") if profile.play_startup_probe else None
    if startup and any(startup.get(k) for k in ("exec", "httpGet", "tcpSocket")):
        c.startup_healthcheck = _healthcheck(startup, ports, profile)
        c.startup_healthcheck.successes = startup.get("successThreshold") or 0
        if c.healthcheck is None:  # a placeholder check that always passes, on the startup probe's timings
            s = c.startup_healthcheck
            c.healthcheck = Healthcheck(test=["CMD-SHELL", "exit", "0"], interval=s.interval, retries=s.retries,
                                        timeout=s.timeout, start_period=s.start_period)
    if c.healthcheck is not None and restart in ("always", "on-failure"):
        c.healthcheck.on_failure = "restart"


def _healthcheck(probe: dict, ports: list[dict], profile: Profile) -> Healthcheck:
    """probeToHealthConfig: the probe's command, or curl or nc, word by word; its timings."""
    if probe.get("exec"):
        words = list(probe["exec"].get("command") or [])
        test = ["CMD-SHELL", *words, "||", "exit", "1"] if profile.play_exec_probe_shell else ["CMD", *words]
    elif probe.get("httpGet"):
        http = probe["httpGet"]
        port = _probe_port(http.get("port"), ports, profile)
        url = f"{(http.get('scheme') or 'HTTP').lower()}://{http.get('host') or 'localhost'}:{port}" \
              f"{http.get('path') or '/'}"
        test = ["CMD-SHELL", "curl", "-f", url, "||", "exit", "1"]
    else:
        tcp = probe["tcpSocket"]
        test = ["CMD-SHELL", "nc", "-z", "-v", tcp.get("host") or profile.play_tcp_probe_host,
                str(_probe_port(tcp.get("port"), ports, profile)), "||", "exit", "1"]
    period = probe.get("periodSeconds") or 0
    retries = probe.get("failureThreshold") or 0
    timeout = probe.get("timeoutSeconds") or 0
    return Healthcheck(test=test, interval=period if period >= 1 else 10, retries=retries if retries >= 1 else 3,
                       timeout=timeout if timeout >= 1 else 1, start_period=probe.get("initialDelaySeconds") or 0)


def _probe_port(port: Any, ports: list[dict], profile: Profile) -> int:
    """The probe's port: a number, or (5.x) the containerPort of the port of that name; 4.3 reads a name as 0."""
    if port is None or isinstance(port, int):
        return port or 0
    if port.isdigit():
        return int(port)
    if not profile.play_probe_named_port:
        return 0
    for p in ports:
        if p.get("name") == port:
            return p.get("containerPort") or 0
    raise PodmanRefusal(f"unknown port: {port}")


_VAR = re.compile(r"\$\((\w+)\)|\$\$")


def expand(text: str, env: dict[str, str]) -> str:
    """Kubernetes' $(VAR) expansion: known variables are replaced, $$ is a literal $, others stay."""
    return _VAR.sub(lambda m: "$" if m.group(0) == "$$" else env.get(m.group(1), m.group(0)), text)


ALL_CAPS = ("CAP_AUDIT_CONTROL", "CAP_AUDIT_READ", "CAP_AUDIT_WRITE", "CAP_BLOCK_SUSPEND", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
            "CAP_FSETID", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_KILL", "CAP_LEASE", "CAP_LINUX_IMMUTABLE",
            "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_MKNOD", "CAP_NET_ADMIN", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_RAW", "CAP_PERFMON", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
            "CAP_SETUID", "CAP_SYSLOG", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_CHROOT", "CAP_SYS_MODULE",
            "CAP_SYS_NICE", "CAP_SYS_PACCT", "CAP_SYS_PTRACE", "CAP_SYS_RAWIO", "CAP_SYS_RESOURCE",
            "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_WAKE_ALARM")


def cap_name(name: str) -> str:
    name = name.upper()
    return name if name.startswith("CAP_") else "CAP_" + name


def capabilities(c: Container) -> list[str]:
    """The process's capabilities: containers.conf's defaults, plus the added, minus the dropped."""
    if c.privileged:
        return list(ALL_CAPS)  # in truth the Podman process's own set, which depends on the host
    caps = set() if any(cap_name(d) == "CAP_ALL" for d in c.cap_drop) else set(CONTAINERS_CONF_CAPS)
    caps -= {cap_name(d) for d in c.cap_drop}
    if any(cap_name(a) == "CAP_ALL" for a in c.cap_add):
        caps = set(ALL_CAPS)
    caps |= {cap_name(a) for a in c.cap_add if cap_name(a) != "CAP_ALL"}
    return sorted(caps)
