"""Writer: the model -> JSON shaped like `podman pod|container|volume inspect`.

Only what the YAML and the images decide is written, with that Podman
version's field names and value shapes; what Podman assigns at run time (IDs,
timestamps, state, storage paths, the infra image) is left out, as are values
that embed an ID (the SandboxID annotation, `container:<id>` namespaces).
"""
from __future__ import annotations

from typing import Any

from kubebridge.model.podman import Container, Pod, Volume
from kubebridge.model.profiles import Profile

SIGNALS = {"SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGBUS": 7,
           "SIGFPE": 8, "SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12, "SIGPIPE": 13, "SIGALRM": 14,
           "SIGTERM": 15, "SIGSTKFLT": 16, "SIGCHLD": 17, "SIGCONT": 18, "SIGSTOP": 19, "SIGTSTP": 20,
           "SIGTTIN": 21, "SIGTTOU": 22, "SIGURG": 23, "SIGXCPU": 24, "SIGXFSZ": 25, "SIGVTALRM": 26,
           "SIGPROF": 27, "SIGWINCH": 28, "SIGIO": 29, "SIGPWR": 30, "SIGSYS": 31}
ID_VALUED_ANNOTATIONS = ("io.kubernetes.cri-o.SandboxID",)
def _stop_signal(c: Container, profile: Profile):
    name = c.stop_signal or "SIGTERM"
    if name.isdigit():
        number = int(name)
        name = next((k for k, v in SIGNALS.items() if v == number), name)
    if not name.startswith("SIG"):
        name = "SIG" + name
    return SIGNALS.get(name, name) if profile.stop_signal_as_number else name


PROPAGATIONS = ("shared", "slave", "private", "rshared", "rslave", "rprivate", "unbindable", "runbindable")


def _mount_options(m, default_rw: bool = True) -> list[str]:
    """The mount's options as Podman completes them: the user's, then rw (to 5.4), rprivate and rbind if
    missing."""
    options = list(m.options)
    if "ro" not in options and "rw" not in options and default_rw:
        options.append("rw")
    if not any(o in PROPAGATIONS for o in options):
        options.append("rprivate")
    if m.type == "volume":
        options += ["nosuid", "nodev"]
    if "bind" not in options and "rbind" not in options:
        options.append("rbind")
    return options


def _bind_entry(m, profile: Profile) -> str:
    return f"{m.source}:{m.destination}:" + ",".join(_mount_options(m, profile.inspect_default_rw))


def _mount_entry(m, profile: Profile) -> dict:
    """parseMountOptionsForInspect: ro/rw, propagation and z/Z become fields; the rest stay options."""
    if m.type == "image":
        return {"Type": "image", "Source": m.source, "Destination": m.destination, "Driver": "", "Mode": "",
                "Options": None, "RW": False, "Propagation": ""}
    options = _mount_options(m)
    propagation = next((o for o in options if o in PROPAGATIONS), "")
    mode = next((o for o in options if o in ("z", "Z")), "")
    rest = [o for o in options if o not in ("ro", "rw", "z", "Z") and o not in PROPAGATIONS]
    entry = {"Type": m.type, "Destination": m.destination, "Mode": mode, "Options": rest, "RW": not m.read_only,
             "Propagation": propagation}
    if m.type == "volume":
        entry.update({"Name": m.source, "Driver": "local"})
        if m.sub_path and profile.play_sub_path:
            entry["SubPath"] = m.sub_path
    else:
        entry.update({"Source": m.source, "Driver": ""})
    return entry


def security_opt(c: Container, profile: Profile) -> list[str]:
    """GetSecurityOptions: no-new-privileges, the label/seccomp/apparmor annotations, unmask=all."""
    opts = ["no-new-privileges"] if c.no_new_privileges else []
    for key in ("label", "seccomp", "apparmor"):
        value = c.annotations.get(f"io.podman.annotations.{key}")
        if value is not None:
            opts.append(f"{key}={value}")
    if (c.unmask_all or c.privileged) and profile.inspect_unmask_security_opt:
        opts.append("unmask=all")
    return opts


def _added(c: Container, caps: list[str]) -> list[str]:
    """A non-root process holds only the capabilities added for it (Podman makes them ambient)."""
    added = {name.upper() if name.upper().startswith("CAP_") else "CAP_" + name.upper() for name in c.cap_add}
    return [cap for cap in caps if cap in added]


def container(c: Container, profile: Profile) -> dict:
    cmd = list(c.entrypoint) + list(c.command)
    if c.init:  # --init runs the command under Podman's init
        cmd = ["/run/podman-init", "--", *cmd]
    caps = sorted(c.capabilities)
    reference = profile.play_cap_drop_reference
    config = {
        "Hostname": c.hostname,
        "User": c.user,
        "Env": list(c.env),
        "Cmd": list(c.command) if c.command or not c.is_infra else None,
        "WorkingDir": c.working_dir,
        "Entrypoint": " ".join(c.entrypoint) if profile.entrypoint_is_string else list(c.entrypoint),
        "Labels": dict(c.labels),
        "Annotations": {k: v for k, v in c.annotations.items() if k not in ID_VALUED_ANNOTATIONS},
        "StopSignal": _stop_signal(c, profile),
        "StopTimeout": c.stop_timeout,
        "Tty": c.tty,
        "OpenStdin": c.stdin,
        "Healthcheck": _health(c.healthcheck),
        "HealthcheckOnFailureAction": c.healthcheck.on_failure if c.healthcheck else "none",
    }
    if c.startup_healthcheck is not None:
        config["StartupHealthCheck"] = _health(c.startup_healthcheck)
    if not c.is_infra:
        config["Image"] = c.image
        config["Umask"] = c.umask
    elif not profile.play_infra_image:  # 5.8: the infra container has no image at all
        config["Image"] = ""
    host = {
        "RestartPolicy": {"Name": c.restart_policy or profile.inspect_unset_restart,
                          "MaximumRetryCount": c.restart_retries},
        "Privileged": c.privileged,
        "ReadonlyRootfs": c.read_only,
        "CapAdd": sorted(set(caps) - set(reference)),
        "CapDrop": sorted(set(reference) - set(caps)),
        "SecurityOpt": security_opt(c, profile),
        "Memory": c.memory,
        "MemoryReservation": c.memory_reservation,
        "CpuQuota": c.cpu_quota,
        "CpuPeriod": c.cpu_period,
        "NanoCpus": c.cpu_quota * 1_000_000_000 // c.cpu_period if c.cpu_period else 0,  # the limit, in 1e-9 CPU
        "MemorySwappiness": -1 if c.memory or c.memory_reservation else 0,
        "Binds": [_bind_entry(m, profile) for m in c.mounts if m.type in ("bind", "volume")],
        "Tmpfs": {m.destination: ",".join((["rw"] if profile.inspect_default_rw else []) +
                                          ["rprivate", "nosuid", "nodev", "tmpcopyup"])
                  for m in c.mounts if m.type == "tmpfs"},
        "Devices": [{"PathOnHost": d.path, "PathInContainer": d.destination or d.path, "CgroupPermissions": ""}
                    for d in c.devices],
        "GroupAdd": list(c.groups),
        "AutoRemove": c.auto_remove,
        "PidsLimit": 0 if c.is_infra else profile.inspect_pids_limit,
        "LogConfig": {"Size": profile.inspect_log_size},
        "Dns": list(c.dns_servers) if c.is_infra else [],  # the pod's DNS and hosts live on its infra container
        "DnsSearch": list(c.dns_search) if c.is_infra else [],
        "DnsOptions": list(c.dns_options) if c.is_infra else [],
        "ExtraHosts": list(c.add_hosts) if c.is_infra else [],
        "PortBindings": _bindings(c.ports, profile) if c.is_infra else {},
    }
    if not profile.inspect_default_ulimits:  # 4.3 lists the host's own defaults too, which are not known here
        host["Ulimits"] = [{"Name": "RLIMIT_" + u.name.upper(), "Soft": u.soft, "Hard": u.hard} for u in c.ulimits]
    if profile.inspect_host_config_annotations:  # 5.x: HostConfig repeats the annotations
        host["Annotations"] = config["Annotations"]
    if c.pid_host or not c.pod_id or c.is_infra or not c.pid_shared:
        host["PidMode"] = "host" if c.pid_host else "private"  # else container:<infra ID>
    if c.is_infra:
        host["NetworkMode"] = c.network_mode
        if profile.play_infra_image:
            del config["Labels"]  # the labels of the host's pause image
        else:
            config["Labels"] = None
    out = {
        "Name": c.name,
        "IsInfra": c.is_infra,
        "Path": cmd[0] if cmd else "",
        "Args": cmd[1:] if len(cmd) > 1 else cmd,  # Podman drops the first word only from two or more
        "EffectiveCaps": caps if not c.user or c.user.split(":")[0] in ("", "0", "root") else _added(c, caps),
        "BoundingCaps": caps,
        "Mounts": [_mount_entry(m, profile) for m in c.mounts if m.type != "tmpfs"],
        "Config": config,
        "HostConfig": host,
        "State": {"OciVersion": profile.inspect_oci_version},
    }
    if c.privileged:  # a privileged container gets the capabilities of the Podman process: the host's
        for key in ("EffectiveCaps", "BoundingCaps"):
            del out[key]
        del host["CapAdd"], host["CapDrop"]
    if not c.is_infra:
        out["ImageName"] = c.image
    elif not profile.play_infra_image:
        out["Image"] = out["ImageName"] = ""
    if c.is_infra and c.name == c.pod_id[:12] + "-infra":
        del out["Name"]  # <pod ID>-infra: the pod ID is assigned at run time
    return out


def pod(p: Pod, profile: Profile) -> dict:
    bindings = _bindings(p.ports, profile)
    members = ([p.infra] if p.infra else []) + p.containers
    out = {
        "Name": p.name,
        "ExitPolicy": p.exit_policy,
        "Hostname": p.hostname,
        "Labels": dict(p.labels),
        "CreateInfra": p.infra is not None,
        "InfraConfig": {
            "PortBindings": bindings,
            "HostNetwork": p.host_network,
            "DNSServer": list(p.dns_servers) or None,
            "DNSSearch": list(p.dns_search) or None,
            "DNSOption": list(p.dns_options) or None,
            "HostAdd": list(p.add_hosts) or None,
            "Networks": list(p.networks) or None,
        },
        "SharedNamespaces": sorted(p.shared_namespaces + ([] if p.userns == "host" else ["user"])),
        "NumContainers": len(members),
        "Containers": [{"Name": c.name} for c in members if not c.is_infra or c.name != p.id[:12] + "-infra"],
    }
    if profile.pod_inspect_restart_policy:
        out["RestartPolicy"] = p.restart_policy
    return out


def volume(v: Volume, profile: Profile) -> dict:
    out: dict[str, Any] = {"Name": v.name, "Driver": v.driver, "Labels": dict(v.labels), "Options": dict(v.options)}
    if profile.volume_inspect_anonymous:
        out["Anonymous"] = v.anonymous
    return out


def _health(h) -> dict | None:
    """A health check as inspect shows it: durations in nanoseconds, zero ones left out."""
    if h is None:
        return None
    out: dict[str, Any] = {"Test": list(h.test)}
    for key, seconds in (("StartPeriod", h.start_period), ("Interval", h.interval), ("Timeout", h.timeout)):
        if seconds:
            out[key] = seconds * 1_000_000_000
    out["Retries"] = h.retries
    if h.successes:
        out["Successes"] = h.successes
    return out


def _bindings(ports, profile: Profile) -> dict[str, list[dict]]:
    """Published ports as inspect's PortBindings: "<container port>/<protocol>" -> [{HostIp, HostPort}]."""
    bindings: dict[str, list] = {}
    for port in ports:
        bindings.setdefault(f"{port.container_port}/{port.protocol}", []).append(
            {"HostIp": port.host_ip or profile.empty_host_ip, "HostPort": str(port.host_port)})
    return bindings
