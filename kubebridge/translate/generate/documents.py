"""generate's entry point: which objects, and their documents in Podman's order (abi/generate.go GenerateKube)."""
from __future__ import annotations

from kubebridge.errors import InputError, PodmanRefusal, UsageError, placed
from kubebridge.model.podman import Container, Pod, Snapshot, Volume
from kubebridge.model.profiles import Profile

from .context import NAMESPACE_NOTE, SELINUX_NOTE, TYPES, GenerateOptions, GenerateResult, Note, _Context
from .pods import containers_pod_object, pod_object
from .volumes import pvc
from .workloads import service, workload

# --- entry point ---------------------------------------------------------------------------

def generate(snapshot: Snapshot, options: GenerateOptions, profile: Profile) -> GenerateResult:
    check_options(options, profile)
    pods, ctrs, vols = select(snapshot, options.names)
    ctx = _Context(snapshot, options, profile, options.timestamp)
    content: list = []
    kinds: list = []
    if any(not (p.shares("ipc") and p.shares("net") and p.shares("uts")) for p in pods):
        content.append(Note(NAMESPACE_NOTE))
    content.extend(pvc(v, ctx) for v in vols)
    for pod in pods:
        with placed(pod.origin):
            pod_doc, service_ports = pod_object(pod, ctx)
        kinds.append(workload(pod_doc, ctx))
        if options.service:
            content.append(service(pod_doc, service_ports, ctx))
    if ctrs:
        pod_doc = containers_pod_object(ctrs, ctx)
        if pod_doc["spec"].get("volumes"):
            content.append(Note(SELINUX_NOTE))
        kinds.append(workload(pod_doc, ctx))
        if options.service:
            content.append(service(pod_doc, [], ctx))
    return GenerateResult(content + kinds, ctx.warnings, ctx.init_volumes, profile.version, profile)


def check_options(options: GenerateOptions, profile: Profile) -> None:
    if not options.timestamp:
        raise UsageError("GenerateOptions.timestamp: give the creationTimestamp to write (RFC 3339)")
    if options.type not in profile.generate_types:
        if options.type in TYPES:
            raise UsageError(f"Podman {profile.version} has no --type option: it only generates Pods")
        raise PodmanRefusal("invalid generation type - only pods, deployments, jobs, and daemonsets "
                            "are currently supported")
    if options.replicas != 1 and not profile.has_replicas:
        raise UsageError(f"Podman {profile.version} has no --replicas option")
    if options.podman_only and not profile.has_podman_only:
        raise UsageError(f"Podman {profile.version} has no --podman-only option")
    if options.replicas > 1 and options.type != "deployment":
        raise PodmanRefusal("--replicas can only be set when --type is set to deployment")
    if options.replicas < 1:
        raise PodmanRefusal("--replicas has to be greater than or equal to 1. By default, --replicas is set to 1")


def select(snapshot: Snapshot, names: tuple[str, ...]) -> tuple[list[Pod], list[Container], list[Volume]]:
    """The objects to generate: named ones as Podman looks them up, else everything.

    Raises InputError when, with no names, the input holds a container whose pod
    inspect is missing (Podman generates a pod, never its containers alone) or
    nothing to generate at all.
    """
    if not names:
        orphans = sorted((c for c in snapshot.containers if c.pod_id), key=lambda c: c.is_infra)
        if orphans:
            ctr = orphans[0]
            raise InputError(f"container {ctr.name or ctr.id[:12]} belongs to pod {ctr.pod_id[:12]}, whose "
                             "`podman pod inspect` output is not in the input: add it (podman kube generate "
                             "takes the pod, not its containers alone)")
        pods, ctrs, vols = list(snapshot.pods), list(snapshot.containers), list(snapshot.volumes)
        if not (pods or ctrs or vols):
            raise InputError("nothing to generate: the input holds no `podman pod inspect`, `podman container "
                             "inspect` or `podman volume inspect` output")
        return pods, ctrs, vols
    if any(not name for name in names):
        raise PodmanRefusal("name or ID cannot be empty")
    all_ctrs = list(snapshot.containers)
    for p in snapshot.pods:
        all_ctrs.extend(p.containers)
    infra_of = {p.infra_id: p for p in snapshot.pods if p.infra_id}
    infra_of.update({p.infra_name: p for p in snapshot.pods if p.infra_name})
    pods, ctrs, vols = [], [], []
    for name in names:
        ctr = _lookup(all_ctrs, name, lambda c: c.name, lambda c: c.id)
        if ctr is not None:
            if ctr.pod_id:
                raise PodmanRefusal(f"container {ctr.id} is associated with pod {ctr.pod_id}: "
                                    "use generate on the pod itself")
            ctrs.append(ctr)
            continue
        infra = infra_of.get(name)
        if infra is not None:
            raise PodmanRefusal(f"container {infra.infra_id} is associated with pod {infra.id}: "
                                "use generate on the pod itself")
        pod = _lookup(snapshot.pods, name, lambda p: p.name, lambda p: p.id)
        if pod is not None:
            pods.append(pod)
            continue
        vol = next((v for v in snapshot.volumes if v.name == name), None)
        if vol is not None:
            vols.append(vol)
            continue
        raise PodmanRefusal(f'name or ID "{name}" not found')
    return pods, ctrs, vols


def _lookup(items, name, get_name, get_id):
    for item in items:
        if get_name(item) == name or get_id(item) == name:
            return item
    matches = [item for item in items if get_id(item).startswith(name)]
    return matches[0] if len(matches) == 1 else None


