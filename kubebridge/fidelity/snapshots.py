"""A snapshot's round trip (generate, then play): what the pods that come back differ in, field by field
of the model, each explained by MODEL_REWRITES."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .diff import ADDED, LOST, RENAMED, REWRITTEN, Change
from .rewrites import BY_ID

# --- snapshots: generate, then play ------------------------------------------------------------

def _ports(ports) -> list[tuple]:
    return sorted({(p.host_ip if p.host_ip not in ("0.0.0.0",) else "", p.host_port, p.container_port,
                    p.protocol) for p in ports})


DEFAULT_MOUNT_OPTIONS = {"rbind", "bind", "rprivate", "private", "rw", "nosuid", "nodev", "tmpcopyup"}


def _mounts(mounts) -> dict:
    """Mounts by destination, without the options Podman adds to every mount."""
    return {m.destination: {"type": m.type, "source": m.source, "read_only": m.read_only or "ro" in m.options,
                            "options": sorted(set(m.options) - DEFAULT_MOUNT_OPTIONS - {"ro"})} for m in mounts}


def _selinux(c) -> list[str]:
    """SELinux label parts with a value ("type:spc_t"; not "disable"), each once, sorted."""
    return sorted({part for part in c.selinux_opts if ":" in part})


def _cpus(c) -> int:
    """The CPU limit in thousandths of a CPU: quota and period are only a way to write it."""
    return c.cpu_quota * 1000 // c.cpu_period if c.cpu_period else 0


def _env(env: list[str]) -> dict[str, str]:
    return {key: value for key, _, value in (e.partition("=") for e in env)}


POD_FIELDS: dict[str, Callable] = {
    "labels": lambda p: dict(p.labels), "hostname": lambda p: p.hostname or p.name,
    "host_network": lambda p: p.host_network,
    "ports": lambda p: _ports(p.ports), "dns_servers": lambda p: list(p.dns_servers),
    "dns_search": lambda p: list(p.dns_search), "dns_options": lambda p: list(p.dns_options),
    "add_hosts": lambda p: sorted(p.add_hosts), "userns": lambda p: p.userns,
    "shared_namespaces": lambda p: sorted(p.shared_namespaces),
}
CONTAINER_FIELDS: dict[str, Callable] = {
    "name": lambda c: c.name, "image": lambda c: c.image, "init_type": lambda c: c.init_type,
    "argv": lambda c: list(c.entrypoint) + list(c.command), "env": lambda c: _env(c.env),
    "working_dir": lambda c: c.working_dir, "user": lambda c: c.user, "labels": lambda c: dict(c.labels),
    "restart_policy": lambda c: c.restart_policy or "no",
    "capabilities": lambda c: [] if c.privileged else sorted(c.capabilities),
    "privileged": lambda c: c.privileged, "read_only": lambda c: c.read_only,
    "no_new_privileges": lambda c: c.no_new_privileges, "memory": lambda c: c.memory,
    "memory_reservation": lambda c: c.memory_reservation, "cpus": _cpus,
    "cpu_shares": lambda c: c.cpu_shares, "mounts": lambda c: _mounts(c.mounts), "tty": lambda c: c.tty,
    "stdin": lambda c: c.stdin, "stop_timeout": lambda c: c.stop_timeout, "devices": lambda c: sorted(d.path for d in c.devices),
    "selinux": _selinux,
    "seccomp_profile": lambda c: c.seccomp_profile, "groups": lambda c: sorted(c.groups),
    "host_users": lambda c: c.host_users,
}


@dataclass(frozen=True)
class ModelRewrite:
    id: str
    podman: str
    fixture: str  # a captured generate scenario whose round trip shows it: "<Podman version>/<scenario>"
    fields: tuple[str, ...]  # the model fields (pod.<f> or container.<f>) it changes


MODEL_REWRITES: tuple[ModelRewrite, ...] = (
    ModelRewrite("container-name-prefix", BY_ID["container-name-prefix"].podman, "5.4.2/pod-sidecar",
                 ("container.name",)),
    ModelRewrite("init-type-lost", "generate writes no init container type; play makes every init container "
                 "`once` unless the pod's io.podman.annotations.init.container.type says otherwise",
                 "5.4.2/pod-init-always", ("container.init_type",)),
    ModelRewrite("labels-moved", "generate writes the pod label `app` only; play puts the pod's labels on the pod "
                 "and on every container", "5.4.2/pod-labels", ("pod.labels", "container.labels")),
    ModelRewrite("restart-policy-per-pod", "generate writes one restartPolicy for the pod (from the first "
                 "container); play gives it to every container, `no` to init containers (Podman 4.3: the pod's "
                 "too)", "5.4.2/pod-restart-container",
                 ("container.restart_policy",)),
    ModelRewrite("ports-published-only", "generate writes the pod's published ports on its first container (the "
                 "first init container when it has no other), and play publishes no init container's ports; a pod "
                 "that shares no network namespace comes back with its containers' ports as its own",
                 "5.4.2/pod-init-only", ("pod.ports",)),
    ModelRewrite("env-defaults", "generate leaves out the image's variables, Podman's defaults and empty values; "
                 "play adds the image's back, and Podman 5 its defaults too (container=podman, and TERM=xterm with a "
                 "tty); Podman 4.3's play does not, so its TERM=xterm and container=podman are lost", "5.4.2/pod-env",
                 ("container.env",)),
    ModelRewrite("mount-options-dropped", BY_ID["mount-options-dropped"].podman, "5.4.2/pod-bind-relabel",
                 ("container.mounts",)),
    ModelRewrite("ulimits-pod-wide", "generate writes ulimits only for a container outside a pod (Podman 5, as one "
                 "pod annotation that play applies to every container): a pod's containers lose theirs",
                 "5.4.2/pod-ulimit", ("container.ulimits",)),
    ModelRewrite("stdin-lost", "generate writes stdin but play ignores it", "5.4.2/pod-tty-stdin",
                 ("container.stdin",)),
    ModelRewrite("stop-timeout-default", "generate writes terminationGracePeriodSeconds only for a pod-wide "
                 "value; play gives it to every regular container", "5.4.2/pod-stop-timeout",
                 ("container.stop_timeout",)),
    ModelRewrite("security-not-written", "generate leaves out security settings it cannot express "
                 "(no-new-privileges, seccomp and SELinux labels beyond type/level/filetype, devices), and writes "
                 "label=disable as SELinux type spc_t, which play sets",
                 "5.4.2/pod-selinux-type-disable",
                 ("container.no_new_privileges", "container.seccomp_profile", "container.selinux",
                  "container.devices", "container.capabilities", "container.privileged")),
    ModelRewrite("dns-option-value", "Podman 5 generate writes a DNS option without a value as `value: \"\"`, "
                 "which play turns into `<name>:`", "5.4.2/pod-dns-option-novalue", ("pod.dns_options",)),
    ModelRewrite("user-group-explicit", "generate writes runAsGroup 0 beside a runAsUser given without a group; "
                 "play runs the container as <uid>:0", "5.4.2/pod-user", ("container.user",)),
    ModelRewrite("userns-auto", "generate writes a private user namespace as `hostUsers: false`, which play makes "
                 "`auto`", "5.4.2/pod-userns-uidmap", ("pod.userns",)),
    ModelRewrite("namespaces-shared", "play makes a pod that shares ipc, net and uts (and pid with "
                 "shareProcessNamespace), whatever the original pod shared", "5.4.2/pod-share-ipc-only",
                 ("pod.shared_namespaces", "pod.hostname")),
)
MODEL_BY_FIELD = {f: r for r in MODEL_REWRITES for f in r.fields}
MODEL_BY_ID = {r.id: r for r in MODEL_REWRITES}


def _aligned(pod) -> list:
    """A pod's containers in the order generate writes them and play creates them: init, then regular."""
    ctrs = sorted((c for c in pod.containers if not c.is_infra), key=lambda c: c.created)
    return [c for c in ctrs if c.init_type] + [c for c in ctrs if not c.init_type]


def _chosen_ulimits(c) -> list[tuple]:
    """The ulimits the user set: Podman 4.3's inspect also lists the host's defaults, so a container made on the
    command line counts only those its create command names."""
    if not c.create_command:
        return sorted((u.name, u.soft, u.hard) for u in c.ulimits)
    named = set()
    for i, arg in enumerate(c.create_command):
        value = arg.split("=", 1)[1] if arg.startswith("--ulimit=") else (
            c.create_command[i + 1] if arg == "--ulimit" and i + 1 < len(c.create_command) else None)
        if value:
            named.add(value.split("=", 1)[0])
    return sorted((u.name, u.soft, u.hard) for u in c.ulimits if u.name in named)


def snapshot_changes(before_pods: list, after_pods: list) -> list[Change]:
    """What a pod lost or changed between the original snapshot and the pods play made of its generate output."""
    changes: list[Change] = []
    for n, pod in enumerate(before_pods):
        other = next((p for p in after_pods if p.name == pod.name), after_pods[n] if n < len(after_pods) else None)
        base = ("pods", pod.name)
        if other is None:
            changes.append(Change(LOST, base, pod.name, None, n))
            continue
        for name, get in POD_FIELDS.items():
            a, b = get(pod), get(other)
            if a != b:
                changes.append(_model_change(base + (name,), a, b, n, f"pod.{name}"))
        ours, theirs = _aligned(pod), _aligned(other)
        for i in range(max(len(ours), len(theirs))):
            if i >= len(theirs):
                changes.append(Change(LOST, base + ("containers", ours[i].name), ours[i].name, None, n))
                continue
            if i >= len(ours):
                changes.append(Change(ADDED, base + ("containers", theirs[i].name), None, theirs[i].name, n))
                continue
            for name, get in {**CONTAINER_FIELDS, "ulimits": _chosen_ulimits}.items():
                a, b = get(ours[i]), get(theirs[i])
                if a != b:
                    changes.append(_model_change(base + ("containers", ours[i].name, name), a, b, n,
                                                 f"container.{name}"))
    return changes


def _model_change(path: tuple, before: Any, after: Any, document: int, field_name: str) -> Change:
    rewrite = MODEL_BY_FIELD.get(field_name)
    kind = RENAMED if field_name == "container.name" else REWRITTEN
    return Change(kind, path, before, after, document, rewrite.id if rewrite else "")
