"""A pod, or standalone containers -> a Pod document (libpod/kube.go podWithContainers, simplePodWithV1Containers)."""
from __future__ import annotations

from kubebridge.errors import InputError, PodmanRefusal, placed
from kubebridge.model.names import (
    AUTOUPDATE_LABEL,
    BIND_MOUNT_OPTIONS,
    INFRA_NAME_ANNOTATION,
    ULIMIT_ANNOTATION,
    USERNS_ANNOTATION,
)
from kubebridge.model.podman import Container, Pod

from .containers import container_object, container_ports
from .context import RESTART_POLICIES, _Context
from .workloads import service_ports_for

# --- pods ----------------------------------------------------------------------------------

def pod_object(pod: Pod, ctx: _Context) -> tuple[dict, list[dict]]:
    """(*Pod).GenerateForKube: one v1 Pod from a pod and its containers."""
    profile = ctx.profile
    _require_members(pod)
    if not pod.containers:
        if pod.infra_id:
            raise PodmanRefusal(f"pod {pod.id} only has an infra container")
        raise PodmanRefusal(f"pod {pod.id} has no containers")
    host_aliases = []
    ports: list[dict] = []
    service_ports: list[dict] = []
    if pod.infra_id:
        for entry in pod.add_hosts:
            hostname, sep, ip = entry.partition(":")
            if not sep:
                raise PodmanRefusal("invalid hostAdd")
            host_aliases.append({"hostnames": [hostname], "ip": ip})
        ports = container_ports(pod.ports, ctx)
        service_ports = service_ports_for(ports, pod.name)
    containers = sorted(pod.containers, key=lambda c: c.created)
    total = len(containers) + (1 if pod.infra_id else 0)
    annotations: dict[str, str] = {}
    if pod.infra_id:
        _check_dns_options(pod.dns_options, ctx)
        if profile.userns_annotation and USERNS_ANNOTATION in pod.infra_annotations:
            annotations[USERNS_ANNOTATION] = pod.infra_annotations[USERNS_ANNOTATION]
        if profile.infra_name_annotation and pod.infra_name and pod.infra_name != pod.id[:12] + "-infra":
            annotations[INFRA_NAME_ANNOTATION] = pod.infra_name
    kube_ctrs, init_ctrs, volumes = [], [], {}
    init_volumes: dict[str, dict] = {}
    hostname = ""
    stop_timeout = None
    first = True
    for ctr in containers:
        _container_annotations(ctr, annotations, ctx)
        if not hostname and ctr.hostname not in ctr.id:
            if not (profile.hostname_skips_pod_name and ctr.hostname == pod.name):
                hostname = ctr.hostname
        if profile.termination_grace_period and stop_timeout is None and ctr.stop_timeout != 10:
            stop_timeout = ctr.stop_timeout
        with placed(ctr.origin):
            kube_ctr, vols, relabel = container_object(ctr, ctx)
        for source, mode in relabel.items():
            annotations[BIND_MOUNT_OPTIONS] = ctx.annotation_value(f"{source}:{mode}")
        if pod.shares("net"):
            kube_ctr.pop("ports", None)
            if first and ports and (not ctr.init_type or total == 2):
                kube_ctr["ports"] = ports
                first = False
        if ctr.init_type:
            init_ctrs.append(kube_ctr)
            init_volumes.update((vol["name"], vol) for vol in vols)
            continue
        kube_ctrs.append(kube_ctr)
        for vol in vols:
            volumes[vol["name"]] = vol  # the last container's copy wins, as in Podman's map
    name = pod.name.replace("_", "") if profile.pod_name_removes_underscores else pod.name
    ctx.init_volumes[name] = [v for n, v in init_volumes.items() if n not in volumes]
    dns = _dns_config(pod.dns_servers, pod.dns_search, pod.dns_options)
    doc = new_pod_object(name, annotations, init_ctrs, kube_ctrs, list(volumes.values()), dns,
                         pod.host_network, pod.userns == "host", hostname, stop_timeout, ctx)
    spec = doc["spec"]
    if host_aliases:
        spec["hostAliases"] = host_aliases
    if profile.restart_from_pod:
        policy = RESTART_POLICIES.get(pod.restart_policy)
    else:  # Podman 4.3: the first container's policy, and Never when it has none
        policy = RESTART_POLICIES.get(containers[0].restart_policy, "Never")
    if policy:
        spec["restartPolicy"] = policy
    if pod.shares("pid"):
        spec["shareProcessNamespace"] = True
    _finish_pod(doc, wrappers=profile.yaml_pod_wrappers_on_pod_path)
    return doc, service_ports


def _require_members(pod: Pod) -> None:
    """Every container pod inspect lists must be in the input, or the output would silently lack it."""
    loaded = {c.id for c in pod.containers} | {pod.infra_id}
    missing = [name or cid[:12] for cid, name in pod.members.items() if cid not in loaded]
    if missing:
        raise InputError(f"pod {pod.name}: no container inspect for its containers {', '.join(sorted(missing))}; "
                         f"add the output of `podman container inspect "
                         f"$(podman pod inspect {pod.name} --format '{{{{range .Containers}}}}{{{{.Id}}}} {{{{end}}}}')`")


def containers_pod_object(ctrs: list[Container], ctx: _Context) -> dict:
    """simplePodWithV1Containers: one Pod from containers that are in no pod."""
    profile = ctx.profile
    annotations: dict[str, str] = {}
    kube_ctrs: list[dict] = []
    init_ctrs: list[dict] = []
    volumes: list[dict] = []
    servers: list[str] = []
    searches: list[str] = []
    options: list[str] = []
    hostname = ""
    stop_timeout = None
    restart = None
    host_network = all(c.network_mode == "host" for c in ctrs)
    host_users = all(c.host_users for c in ctrs)
    for ctr in ctrs:
        _container_annotations(ctr, annotations, ctx)
        if not hostname and ctr.hostname not in ctr.id:
            hostname = ctr.hostname
        if profile.termination_grace_period and stop_timeout is None and ctr.stop_timeout != 10:
            stop_timeout = ctr.stop_timeout
        if not ctr.init_type and restart is None:
            restart = ctr.restart_policy
        if profile.ulimit_annotation and ctr.ulimits:
            annotations[ULIMIT_ANNOTATION] = ",".join(f"{u.name}={u.soft}:{u.hard}" for u in ctr.ulimits)
        with placed(ctr.origin):
            kube_ctr, vols, relabel = container_object(ctr, ctx)
        for source, mode in relabel.items():
            annotations[BIND_MOUNT_OPTIONS] = ctx.annotation_value(f"{source}:{mode}")
        (init_ctrs if ctr.init_type else kube_ctrs).append(kube_ctr)
        volumes.extend(vols)
        _check_dns_options(ctr.dns_options, ctx)
        servers += [s for s in ctr.dns_servers if s not in servers]
        searches += [s for s in ctr.dns_search if s not in searches]
        options += ctr.dns_options
    name = ctrs[0].name.replace("_", "") + "-pod"
    doc = new_pod_object(name, annotations, init_ctrs, kube_ctrs, volumes, _dns_config(servers, searches, options),
                         host_network, host_users, hostname, stop_timeout, ctx)
    if profile.ctr_path_restart_policy:
        policy = RESTART_POLICIES.get(restart or "")
        if policy:
            doc["spec"]["restartPolicy"] = policy
    _finish_pod(doc, wrappers=True)
    return doc


def new_pod_object(name: str, annotations: dict, init_ctrs: list, ctrs: list, volumes: list, dns: dict | None,
                   host_network: bool, host_users: bool, hostname: str, stop_timeout: int | None,
                   ctx: _Context) -> dict:
    metadata: dict = {"creationTimestamp": ctx.timestamp, "labels": {"app": name.replace("_", "")}, "name": name}
    if annotations:
        metadata["annotations"] = annotations
    spec: dict = {"containers": ctrs}
    if hostname:
        spec["hostname"] = hostname
    if host_network:
        spec["hostNetwork"] = True
    if init_ctrs:
        spec["initContainers"] = init_ctrs
    if volumes:
        spec["volumes"] = volumes
    if ctx.profile.service_links_false:
        spec["enableServiceLinks"] = False
        spec["automountServiceAccountToken"] = False
    if not host_users:
        spec["hostUsers"] = False
    if dns:
        spec["dnsConfig"] = dns
    if stop_timeout is not None:
        spec["terminationGracePeriodSeconds"] = stop_timeout
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}


def _finish_pod(doc: dict, wrappers: bool) -> None:
    """Podman's YAMLPod wrappers drop empty `resources` of containers; a plain v1.Pod prints `status: {}`."""
    if wrappers:
        for ctr in doc["spec"]["containers"]:
            if not ctr.get("resources"):
                ctr.pop("resources", None)
    else:
        doc["status"] = {}


def _container_annotations(ctr: Container, annotations: dict, ctx: _Context) -> None:
    name = ctr.name.replace("_", "")
    reserved = () if ctx.options.podman_only else ctx.profile.reserved_annotations
    for key, value in ctr.annotations.items():
        if key in reserved:
            continue
        annotations[f"{key}/{name}"] = ctx.annotation_value(value)
    for key, value in ctr.labels.items():
        if AUTOUPDATE_LABEL in key:
            annotations[f"{key}/{name}"] = ctx.annotation_value(value)


def _dns_config(servers: list[str], searches: list[str], options: list[str]) -> dict | None:
    dns: dict = {}
    if servers:
        dns["nameservers"] = list(servers)
    if searches:
        dns["searches"] = list(searches)
    if options:
        dns["options"] = [{"name": o.partition(":")[0], "value": o.partition(":")[2]} for o in options]
    return dns or None


def _check_dns_options(options: list[str], ctx: _Context) -> None:
    if ctx.profile.dns_option_without_value_crashes:
        for option in options:
            if ":" not in option:
                raise PodmanRefusal(
                    f"Podman {ctx.profile.version} crashes on the DNS option {option!r}, which has no value "
                    "(kube generate panics: index out of range); give it a value or use --podman-version 5")
