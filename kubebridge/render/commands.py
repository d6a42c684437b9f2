"""Writer: the model -> the `podman` commands that create the same pods by hand.

`podman volume create`, `podman pod create` and `podman create --pod` lines,
one object per line, every argument quoted with shlex.quote so the script is
safe to paste into sh.  Settings Podman adds by itself (the SandboxID and
kube health-check annotations, the FALSE markers of Podman 4.3) are left out.
"""
from __future__ import annotations

import json
import posixpath
import shlex

from kubebridge.model.podman import Container, Pod, Volume
from kubebridge.model.profiles import Profile

# containers.conf's pids_limit: what `podman create` gives a container (4.3.1, 5.4.2 and 5.8.6)
CREATE_PIDS_LIMIT = 2048
# the smallest CPU quota (µs) podman create accepts, --cpu-quota or --cpus, on all three (4.3's kube play takes less)
CREATE_MIN_CPU_QUOTA = 1000
AUTOMATIC_ANNOTATIONS = {"io.kubernetes.cri-o.SandboxID", "io.kubernetes.cri-o.ContainerType",
                         "io.podman.annotations.kube.health.check", "io.podman.annotations.autoremove",
                         "io.podman.annotations.init", "io.podman.annotations.privileged",
                         "io.podman.annotations.publish-all"}


def line(argv: list[str]) -> str:
    return " ".join(shlex.quote(a) for a in argv)


def volume_command(v: Volume) -> list[str]:
    argv = ["podman", "volume", "create"]
    if v.driver != "local":
        argv += ["--driver", v.driver]
    for key, value in v.labels.items():
        argv += ["--label", f"{key}={value}"]
    for key, value in v.options.items():
        argv += ["--opt", f"{key}={value}"]
    return argv + [v.name]


def pod_command(p: Pod, profile: Profile) -> list[str]:
    argv = ["podman", "pod", "create", "--name", p.name, "--exit-policy", p.exit_policy]
    if p.infra is not None and p.infra_name != p.id[:12] + "-infra":
        argv += ["--infra-name", p.infra_name]
    argv += ["--share", ",".join(p.shared_namespaces)]
    # an empty alias (5.4's unnamed container) is refused: "alias cannot be empty"
    aliases = "".join(f",alias={a}" for a in p.network_aliases if a).replace(",", ":", 1)
    argv += ["--network", "host"] if p.host_network else [f"--network={n}{aliases}" for n in p.networks]
    if p.hostname:  # with --network host too: kube play names a hostNetwork pod (4.3: spec.hostname; 5.x: the node)
        argv += ["--hostname", p.hostname]
    for key, value in p.labels.items():
        argv += ["--label", f"{key}={value}"]
    for port in p.ports:
        argv += ["--publish", (f"{port.host_ip}:" if port.host_ip else "") +
                 f"{port.host_port}:{port.container_port}/{port.protocol}"]
    for server in p.dns_servers:
        argv += ["--dns", server]
    for search in p.dns_search:
        argv += ["--dns-search", search]
    for option in p.dns_options:
        argv += ["--dns-option", option]
    for host in p.add_hosts:
        argv += ["--add-host", host]
    if p.userns != "host" or profile.play_userns_annotations:  # 5.x records it on the infra container
        argv += ["--userns", p.userns]
    for key, value in p.sysctls.items():
        argv += ["--sysctl", f"{key}={value}"]
    if profile.pod_create_restart and p.restart_policy:
        argv += ["--restart", p.restart_policy]
    return argv


def container_command(c: Container, p: Pod, profile: Profile) -> list[str]:
    argv = ["podman", "create", "--pod", p.name, "--name", c.name]
    if c.init_type:
        argv += ["--init-ctr", c.init_type]
    if c.restart_policy:
        argv += ["--restart", c.restart_policy]
    for entry in c.env:
        argv += ["--env", entry]
    if not profile.play_completes_spec:  # podman create adds TERM and container=podman; kube play (4.3) does not
        names = {entry.split("=", 1)[0] for entry in c.env}
        argv += [arg for key in ("TERM", "container") if key not in names for arg in ("--unsetenv", key)]
    for key, value in c.labels.items():
        argv += ["--label", f"{key}={value}"]
    for key, value in c.annotations.items():
        if key not in AUTOMATIC_ANNOTATIONS:
            argv += ["--annotation", f"{key}={value}"]
    argv += ["--workdir", c.working_dir]
    if c.user:
        argv += ["--user", c.user]
    for group in c.groups:
        argv += ["--group-add", group]
    if c.tty:
        argv.append("--tty")
    argv += ["--sdnotify", "ignore"]  # kube play's mode; podman create's default is "container"
    if c.pid_host:  # hostPID (5.x): the container's own namespace choice, over the pod's
        argv += ["--pid", "host"]
    if c.ipc_host:
        argv += ["--ipc", "host"]
    if c.uts_host:  # hostNetwork (5.x): the host's UTS namespace, so the host's hostname
        argv += ["--uts", "host"]
    if profile.play_umask != "0022":  # podman create's default umask
        argv += ["--umask", profile.play_umask]
    if profile.inspect_pids_limit != CREATE_PIDS_LIMIT:
        argv += ["--pids-limit", str(profile.inspect_pids_limit)]
    argv += _security(c)
    argv += _resources(c)
    argv += _mounts(c)
    for device in c.devices:
        argv += ["--device", f"{device.path}:{device.destination}" if device.destination else device.path]
    if c.stop_timeout != 10:
        argv += ["--stop-timeout", str(c.stop_timeout)]
    if c.stop_signal:
        argv += ["--stop-signal", c.stop_signal]
    for ulimit in c.ulimits:
        argv += ["--ulimit", f"{ulimit.name}={ulimit.soft}:{ulimit.hard}"]
    argv += _health(c)
    if c.auto_remove:
        argv.append("--rm")
    if c.init:
        argv.append("--init")
    if c.entrypoint:  # else the image's own, as kube play uses it
        argv += ["--entrypoint", json.dumps(c.entrypoint)]
    return argv + [c.image, *c.command]


def _security(c: Container) -> list[str]:
    argv = []
    if c.privileged:
        argv.append("--privileged")
    if c.read_only:  # kube play mounts no tmpfs of its own on a read-only root; podman create would
        argv += ["--read-only", "--read-only-tmpfs=false"]
    if c.no_new_privileges:
        argv += ["--security-opt", "no-new-privileges"]
    if c.unmask_all and not c.privileged:
        argv += ["--security-opt", "unmask=ALL"]
    for opt in c.selinux_opts:
        argv += ["--security-opt", f"label={opt}"]
    if c.seccomp_profile:
        argv += ["--security-opt", f"seccomp={c.seccomp_profile}"]
    if c.apparmor_profile:
        argv += ["--security-opt", f"apparmor={c.apparmor_profile}"]
    for cap in c.cap_add:
        argv += ["--cap-add", cap]
    for cap in c.cap_drop:
        argv += ["--cap-drop", cap]
    return argv


def health_cmd(test: list[str]) -> str:
    """A --health-cmd value that gives inspect's Healthcheck.Test `test` on every Podman here.

    Podman's makeHealthCheckFromCli reads a value whose first word is CMD by splitting the whole
    text on white space (to 5.4 that holds for a JSON array too: `["CMD", "x"]` becomes the words
    `["CMD",` and `"x"]`), and prefixes CMD to a JSON array of two or more words of its own.  So a
    CMD test is written as that array without CMD (or as `CMD word` for one word), a CMD-SHELL
    test as the JSON array it is."""
    if test[:1] == ["CMD"] and len(test) > 2:
        return json.dumps(test[1:])
    if test[:1] == ["CMD"]:
        return " ".join(test)
    return json.dumps(test)


def _health(c: Container) -> list[str]:
    argv = []
    if c.healthcheck is not None:
        h = c.healthcheck
        argv += ["--health-cmd", health_cmd(h.test), "--health-interval", f"{h.interval}s",
                 "--health-retries", str(h.retries), "--health-timeout", f"{h.timeout}s",
                 "--health-start-period", f"{h.start_period}s", "--health-on-failure", h.on_failure]
    if c.startup_healthcheck is not None:  # (5.x) no flag sets its start period
        h = c.startup_healthcheck
        argv += ["--health-startup-cmd", health_cmd(h.test), "--health-startup-interval", f"{h.interval}s",
                 "--health-startup-retries", str(h.retries), "--health-startup-timeout", f"{h.timeout}s"]
        if h.successes:
            argv += ["--health-startup-success", str(h.successes)]
    return argv


def _resources(c: Container) -> list[str]:
    argv = []
    if c.memory:  # kube play sets no swap limit (MemorySwap 0); podman create would set twice the memory
        argv += ["--memory", str(c.memory), "--memory-swap=-1"]
    if c.memory_reservation:
        argv += ["--memory-reservation", str(c.memory_reservation)]
    if c.cpu_quota:
        argv += ["--cpu-period", str(c.cpu_period), "--cpu-quota", str(c.cpu_quota)]
    return argv


def _csv(fields: list[str]) -> str:
    """A --mount value: Podman reads it with Go's encoding/csv, so quote fields that need it."""
    out = []
    for f in fields:
        if any(ch in f for ch in ',"\r\n') or f[:1] == " ":
            f = '"' + f.replace('"', '""') + '"'
        out.append(f)
    return ",".join(out)


def _mounts(c: Container) -> list[str]:
    argv = []
    for m in c.mounts:
        if m.type == "tmpfs":  # podman create cleans the destination (/run/mem/ -> /run/mem); kube play does not
            argv += ["--tmpfs", m.destination]
        elif (m.type in ("bind", "volume") and not m.sub_path and not set(":,") & set(m.source + m.destination)
              and not any(o.startswith("subpath=") for o in m.options)):  # --volume takes no subpath
            # --volume keeps the destination as written, as kube play does; --mount would clean it
            options = ",".join(m.options)
            argv += ["--volume", f"{m.source}:{m.destination}" + (f":{options}" if options else "")]
        else:  # --mount spells out the fields, so a ':' or ',' in a path cannot be misread
            fields = [f"type={m.type}", f"source={m.source}", f"destination={m.destination}"]
            if m.read_only and m.type != "image":  # an image mount is read-only unless rw=true; it takes no ro
                fields.append("ro=true")
            if m.sub_path:
                fields.append(f"subpath={m.sub_path}")
            for option in m.options:
                if option in ("z", "Z"):
                    fields.append("relabel=" + ("shared" if option == "z" else "private"))
                elif option in ("private", "rprivate", "shared", "rshared", "slave", "rslave"):
                    fields.append(f"bind-propagation={option}")
                elif option.startswith("subpath="):  # a bind's subPath (5.x)
                    fields.append(option)
            argv += ["--mount", _csv(fields)]
    return argv


def script(pods: list[Pod], volumes: list[Volume], profile: Profile, warnings: list[str],
           created_paths: dict[str, str] | None = None) -> str:
    """A POSIX sh script: the hostPaths kube play would create (created_paths: path -> Directory or File), the
    volumes, then each pod and its containers in creation order."""
    lines = ["#!/bin/sh", f"# What podman kube play --start=false creates (Podman {profile.version}), as commands.",
             "set -e"]
    lines += [f"# warning: {w}" for w in warnings]
    for path, kind in (created_paths or {}).items():  # DirectoryOrCreate / FileOrCreate, as kube play makes them
        lines.append(line(["mkdir", "-p", path]) if kind == "Directory" else
                     f"{line(['mkdir', '-p', posixpath.dirname(path)])} && {line(['touch', path])}")
    for v in volumes:
        if v.files:
            lines.append(f"# volume {v.name} holds {len(v.files)} file(s) from a ConfigMap or Secret; "
                         "copy them in with podman volume import")
        lines.append(line(volume_command(v)))
    # kube play makes the network its pods join when it is missing (play.go); podman pod create does not
    for network in dict.fromkeys(n for p in pods if not p.host_network for n in p.networks):
        lines.append(f"{line(['podman', 'network', 'exists', network])} || "
                     f"{line(['podman', 'network', 'create', network])}")
    for p in pods:
        lines.append(line(pod_command(p, profile)))
        for c in p.containers:
            if 0 < c.cpu_quota < CREATE_MIN_CPU_QUOTA:
                lines.append(f"# warning: container {c.name}: podman create refuses a CPU quota under "
                             f"{CREATE_MIN_CPU_QUOTA} µs (this one is {c.cpu_quota}); kube play of Podman "
                             f"{profile.version} accepts it")
            lines.append(line(container_command(c, p, profile)))
    return "\n".join(lines) + "\n"
