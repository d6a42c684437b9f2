"""A pod spec -> a Pod with its infra container and pod-wide settings (play.go, kube.go)."""
from __future__ import annotations

from typing import Any

from kubebridge.errors import PodmanRefusal
from kubebridge.load.manifests import Document
from kubebridge.model.names import (
    DEFAULT_PATH,
    INFRA_NAME_ANNOTATION,
    INIT_TYPE_ANNOTATION,
    USERNS_ANNOTATION,
    VOLUMES_FROM_ANNOTATION,
)
from kubebridge.model.podman import Container, Pod, PortMapping, Volume
from kubebridge.model.profiles import Profile

from .containers import _container, capabilities
from .context import KUBE_NETWORK, RESTART, _add_volume, _Context, _synthetic_id
from .volumes import _initialize_volumes

# --- pods ------------------------------------------------------------------------------------


def _play_pod(doc: Document, name: str, template: dict, annotations: dict[str, str], spec_path: tuple,
              ctx: _Context) -> None:
    profile = ctx.profile
    spec = template.get("spec") or {}
    meta = template.get("metadata") or {}
    if not name:
        raise PodmanRefusal("pod does not have a name")
    if VOLUMES_FROM_ANNOTATION in annotations:
        raise PodmanRefusal(f"annotation {VOLUMES_FROM_ANNOTATION} without target volume is reserved for internal use")
    inits, regular, sidecars = _containers_to_play(doc, spec, spec_path, ctx)
    _sidecar_warnings(name, inits, sidecars, ctx)
    if ctx.options.sidecars == "containers" and sidecars:
        regular = [(p, c) for p, c in inits if p in sidecars] + regular
        inits = [(p, c) for p, c in inits if p not in sidecars]
    pod = Pod(id=_synthetic_id("pod", name), name=name, labels=dict(meta.get("labels") or {}), exit_policy="stop")
    _pod_settings(pod, spec, [c for _, c in regular], ctx)
    pod.infra_id = _synthetic_id("infra", name)
    pod.infra_name = pod.id[:12] + "-infra"
    if profile.play_infra_name_annotation and INFRA_NAME_ANNOTATION in (meta.get("annotations") or {}):
        pod.infra_name = meta["annotations"][INFRA_NAME_ANNOTATION]
    pod.userns = _userns(name, spec, annotations, profile)
    pod.restart_policy = RESTART.get(spec.get("restartPolicy") or "", "always")
    volumes = _initialize_volumes(doc, spec.get("volumes") or [], spec_path, ctx)
    pod.infra = _infra(pod, ctx)
    seen: set[str] = set()
    shared = annotations  # Podman passes one map to every container and changes it as it goes
    init_type = annotations.get(INIT_TYPE_ANNOTATION) or "once"
    for path, ctr in inits:
        try:
            _check_duplicate(name, ctr, seen)
            if any(ctr.get(k) is not None for k in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")):
                raise PodmanRefusal("cannot create an init container that has either of lifecycle, livenessProbe, "
                                    "readinessProbe, or startupProbe set")
            restart = "no" if profile.play_init_restart_no else pod.restart_policy
            pod.containers.append(_container(pod, ctr, shared, volumes, restart, spec, ctx, init_type=init_type))
        except PodmanRefusal as exc:
            raise exc.located(doc.file, doc.locate(path)[0]) from None
    for path, ctr in regular:
        try:
            _check_duplicate(name, ctr, seen)
            pod.containers.append(_container(pod, ctr, shared, volumes, pod.restart_policy, spec, ctx))
        except PodmanRefusal as exc:
            raise exc.located(doc.file, doc.locate(path)[0]) from None
    for order, container in enumerate([pod.infra] + pod.containers):  # the order Podman creates them in
        container.created = order
        pod.members[container.id] = container.name
    for container in pod.containers:  # named volumes come into being when a container uses them
        for mount in container.mounts:
            if mount.type == "volume":
                kind = next((v.type for v in volumes.values() if v.source == mount.source), "named")
                _add_volume(Volume(name=mount.source, anonymous=kind == "emptydir"), ctx)
    ctx.result.pods.append(pod)


def _containers_to_play(doc: Document, spec: dict, spec_path: tuple, ctx: _Context):
    """(init containers, regular containers, native sidecar paths), each container with its path in the YAML."""
    inits = [(spec_path + ("initContainers", i), c) for i, c in enumerate(spec.get("initContainers") or [])]
    regular = [(spec_path + ("containers", i), c) for i, c in enumerate(spec.get("containers") or [])]
    # Podman's Container struct has no restartPolicy: read it from the document itself
    sidecars = {path for path, _ in inits if isinstance(_raw(doc, path), dict)
                and _raw(doc, path).get("restartPolicy") == "Always"}
    return inits, regular, sidecars


def _sidecar_warnings(name: str, inits: list, sidecars: set, ctx: _Context) -> None:
    for path, ctr in inits:
        if path not in sidecars:
            continue
        ctr_name = ctr.get("name") or ""
        published = [str(p.get("hostPort")) for p in ctr.get("ports") or [] if p.get("hostPort")]
        if ctx.options.sidecars == "containers":
            ctx.warn(f"pod {name}: native sidecar {ctr_name!r} (an init container with restartPolicy: Always) is "
                     "played as a regular container of the pod, not as Podman would play it (--sidecars=containers)")
            continue
        ctx.warn(f"pod {name}: init container {ctr_name!r} has restartPolicy: Always (a native sidecar, "
                 "Kubernetes >= 1.29) but Podman ignores the field and runs it as a blocking init container: "
                 "the pod's other containers will not start while it runs (use --sidecars=containers to play "
                 "it as a regular container)")
        if published:
            ctx.warn(f"pod {name}: the hostPort(s) {', '.join(published)} of init container {ctr_name!r} are not "
                     "published: Podman publishes the ports of regular containers only")


def _raw(doc: Document, path: tuple) -> Any:
    """The document's own data at path (fields Podman's structs drop, like a container's restartPolicy)."""
    value: Any = doc.data
    for part in path:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value


def _check_duplicate(pod_name: str, ctr: dict, seen: set[str]) -> None:
    ctr_name = ctr.get("name") or ""
    if ctr_name in seen:
        raise PodmanRefusal(f'the pod "{pod_name}" is invalid; duplicate container name "{ctr_name}" detected')
    seen.add(ctr_name)


def _pod_settings(pod: Pod, spec: dict, containers: list[dict], ctx: _Context) -> None:
    """kube.ToPodOpt: shared namespaces, hostname, hosts, ports, DNS, sysctls."""
    pod.shared_namespaces = ["ipc", "net", "uts"]
    if spec.get("shareProcessNamespace"):
        pod.shared_namespaces.append("pid")
    if ctx.profile.play_host_namespaces:
        pod.pid_host = bool(spec.get("hostPID"))
        pod.ipc_host = bool(spec.get("hostIPC"))
    pod.hostname = spec.get("hostname") or pod.name
    if spec.get("hostNetwork"):
        pod.host_network = True
        if ctx.profile.play_host_network_node_hostname:  # 5.x: the host's UTS namespace, so the node's hostname
            pod.hostname = ctx.options.node_hostname
            pod.uts_host = True
    for alias in spec.get("hostAliases") or []:
        for hostname in alias.get("hostnames") or []:
            pod.add_hosts.append(f"{hostname}:{alias.get('ip') or ''}")
    pod.ports = pod_ports(containers, ctx.options.publish_all, ctx.profile)
    if pod.host_network and pod.ports:
        raise PodmanRefusal(f"PortMappings can only be used with {ctx.profile.play_port_mapping_networks} networking")
    dns = spec.get("dnsConfig") or {}
    pod.dns_servers = list(dns.get("nameservers") or [])
    pod.dns_search = list(dns.get("searches") or [])
    for option in dns.get("options") or []:
        value = option.get("value")
        pod.dns_options.append(option.get("name", "") + (f":{value}" if value is not None else ""))
    if ctx.profile.play_pod_sysctls:
        pod.sysctls = pod_sysctls((spec.get("securityContext") or {}).get("sysctls") or [])
    pod.networks = [] if pod.host_network else [KUBE_NETWORK]
    if ctx.profile.play_network_aliases and pod.networks:  # play.go: each container's name is an alias (5.x)
        pod.network_aliases = [c.get("name") or "" for c in containers
                               if c.get("name") or ctx.profile.play_network_alias_unnamed]


# util.ValidateSysctls: the sysctls a pod may set (namespaced ones), by name as written, or by prefix
POD_SYSCTL_NAMES = frozenset(("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall",
                              "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"))
POD_SYSCTL_PREFIXES = ("net.", "fs.mqueue.")


def pod_sysctls(sysctls: list[dict]) -> dict[str, str]:
    """securityContext.sysctls -> {name: value} as Podman 5's pod create takes them: each `name=value` is split at
    its first two `=` and checked by util.ValidateSysctls (pkg/util/utils.go); PodmanRefusal in its words."""
    found: dict[str, str] = {}
    for sysctl in sysctls:
        given = f"{sysctl.get('name') or ''}={sysctl.get('value') or ''}"
        name, value = given.split("=")[:2]
        if f"{name.strip()}={value.strip()}" != given:
            raise PodmanRefusal(f"'{given}' is invalid, extra spaces found")
        if name not in POD_SYSCTL_NAMES and not name.startswith(POD_SYSCTL_PREFIXES):
            raise PodmanRefusal(f"sysctl '{name}' is not allowed")
        found[name] = value
    return found


def pod_ports(containers: list[dict], publish_all: bool, profile: Profile) -> list[PortMapping]:
    """getPodPorts: the pod publishes hostPort entries of its (regular) containers."""
    ports = []
    for ctr in containers:
        for p in ctr.get("ports") or []:
            host, container = p.get("hostPort") or 0, p.get("containerPort") or 0
            if host and not container:
                container = host
            if not host and container and (publish_all or profile.play_publishes_container_ports):
                host = container
            if host:  # Go's uint16(): a port beyond 65535 wraps around (70000 is 4464)
                mapping = PortMapping(container & 0xFFFF, host & 0xFFFF, (p.get("protocol") or "tcp").lower(),
                                      p.get("hostIP") or "")
                if mapping not in ports:  # ParsePortMapping keeps one of identical mappings
                    ports.append(mapping)
    # ParsePortMapping groups by host IP and protocol and sorts each group by host port
    return sorted(ports, key=lambda p: (p.host_ip, p.protocol, p.host_port, p.container_port))


def _userns(name: str, spec: dict, annotations: dict, profile: Profile) -> str:
    mode = "host"
    if profile.play_userns_annotations and USERNS_ANNOTATION in annotations:
        mode = annotations[USERNS_ANNOTATION]
    elif profile.play_userns_annotations and f"{USERNS_ANNOTATION}/{name}" in annotations:
        mode = annotations[f"{USERNS_ANNOTATION}/{name}"]
    elif spec.get("hostUsers") is False:
        mode = "auto"
    return "auto" if mode == "private" else mode


def _infra(pod: Pod, ctx: _Context) -> Container:
    """The pod's infra container: read-only, running catatonit from Podman's pause image."""
    profile = ctx.profile
    infra = Container(id=pod.infra_id, name=pod.infra_name, image="", pod_id=pod.id, is_infra=True,
                      entrypoint=["/catatonit", "-P"], working_dir="/", hostname=pod.hostname,
                      read_only=profile.play_infra_read_only, network_mode="host" if pod.host_network else "bridge",
                      host_users=pod.userns == "host")
    # the pause image's environment; without an image (5.8) there is no container=podman
    infra.env = [f"PATH={DEFAULT_PATH}", *(["container=podman"] if profile.play_infra_container_env else []),
                 f"HOSTNAME={pod.hostname}"]
    if profile.play_infra_tty_env:
        infra.env.insert(1, "TERM=xterm")
    infra.capabilities = capabilities(infra)
    infra.annotations = dict(profile.play_infra_annotations)
    if profile.play_userns_annotations:
        infra.annotations[USERNS_ANNOTATION] = pod.userns
    infra.dns_servers, infra.dns_search, infra.dns_options = pod.dns_servers, pod.dns_search, pod.dns_options
    infra.add_hosts = pod.add_hosts
    infra.ports = pod.ports
    pod.infra_annotations = infra.annotations
    return infra
