"""How `podman kube play` will treat a manifest, and what a laptop manifest needs before it goes to a cluster.

Document rules look at one manifest.  File rules look at every manifest of a
file together, as `podman kube play` does: a ConfigMap in one document feeds a
Pod in another.  `podman-refuses` is not guessed: the file is run through
kubebridge's own play translator (to_podman, tested against real Podman), and
whatever it refuses, Podman refuses, in Podman's words.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from kubebridge.errors import KubebridgeError
from kubebridge.load.kube_types import KIND_TYPES, STRUCTS
from kubebridge.load.manifests import Document, json_path
from kubebridge.model.manifest import Manifest, as_dict, as_list, as_str, registrar
from kubebridge.model.names import workload_pod_name
from kubebridge.model.profiles import Profile

PodmanChecker = Callable[[Manifest, Profile], None]
PODMAN_RULES: list[tuple[frozenset[str], PodmanChecker]] = []

rule = registrar(PODMAN_RULES)


AUXILIARY_KINDS = ("PersistentVolumeClaim", "ConfigMap", "Secret")  # played only beside a workload, or for volumes
WORKLOAD_KINDS = ("Pod", "Deployment", "DaemonSet", "Job", "List")  # what some Podman plays as pods
WORKLOAD_SUFFIX_KINDS = ("Deployment", "DaemonSet", "Job")
NOTHING_PLAYED = "podman kube play refuses this file on its own"  # a file of kinds it skips (engine, noise)


def played(kind: str, profile: Profile) -> bool:
    return kind in profile.play_kinds or kind in AUXILIARY_KINDS


@rule("podman-kind-ignored")
def check_kind(m: Manifest, profile: Profile) -> None:
    if m.kind and not played(m.kind, profile):
        m.emit("podman-kind-ignored", ("kind",), f"podman kube play {profile.version} skips kind {m.kind}")


# Fields Podman does not read that make no difference on one host: scheduling, bookkeeping, rollout.
INERT = frozenset({
    "Pod.status", "Workload.status", "PersistentVolumeClaim.status", "ConfigMap.immutable", "Secret.immutable", "Secret.type",
    "ObjectMeta.namespace", "ObjectMeta.creationTimestamp", "ObjectMeta.resourceVersion", "ObjectMeta.generation",
    "ObjectMeta.managedFields", "ObjectMeta.ownerReferences", "ObjectMeta.finalizers", "ObjectMeta.generateName",
    "ObjectMeta.selfLink", "ObjectMeta.deletionTimestamp", "ObjectMeta.deletionGracePeriodSeconds",
    "PodSpec.nodeSelector", "PodSpec.nodeName", "PodSpec.affinity", "PodSpec.tolerations", "PodSpec.schedulerName",
    "PodSpec.topologySpreadConstraints", "PodSpec.priority", "PodSpec.priorityClassName", "PodSpec.preemptionPolicy",
    "PodSpec.dnsPolicy", "PodSpec.enableServiceLinks", "PodSpec.readinessGates", "PodSpec.schedulingGates",
    "PodSpec.os", "PodSpec.overhead",
    "Container.terminationMessagePath", "Container.terminationMessagePolicy",
    "WorkloadSpec.selector", "WorkloadSpec.strategy", "WorkloadSpec.updateStrategy", "WorkloadSpec.minReadySeconds",
    "WorkloadSpec.revisionHistoryLimit", "WorkloadSpec.progressDeadlineSeconds", "WorkloadSpec.manualSelector",
})


ELSEWHERE = frozenset({"Container.restartPolicy"})  # podman-native-sidecar says more
INERT_VALUES = {"WorkloadSpec.completions": 1, "WorkloadSpec.parallelism": 1}  # what one pod run does anyway


@rule("podman-ignored")
def check_ignored_fields(m: Manifest, profile: Profile) -> None:
    type_name = KIND_TYPES.get(m.kind)
    if type_name is None or not played(m.kind, profile):
        return
    _walk(m.data, type_name, (), m, _read_tables(profile.version, profile.play_unread_fields), profile)
    replicas = as_dict(m.data.get("spec")).get("replicas")
    if m.kind == "Deployment" and isinstance(replicas, int) and replicas > 1 and not profile.play_replicas_pods:
        m.emit("podman-ignored", ("spec", "replicas"), f"podman kube play {profile.version} runs one pod, not "
               f"{replicas} replicas")


@lru_cache(maxsize=None)
def _read_tables(version: str, unread: frozenset[str]) -> dict[str, tuple[dict, frozenset, dict]]:
    """Per struct: the fields this Podman reads (-> their types), those not worth a word, and inert values."""
    tables = {}
    for t, fields in STRUCTS.items():
        read = {k: v for k, v in fields.items() if f"{t}.{k}" not in unread}
        quiet = frozenset(k for k in fields.keys() | {n.split(".", 1)[1] for n in INERT | ELSEWHERE
                                                      if n.startswith(t + ".")}
                          if f"{t}.{k}" in INERT | ELSEWHERE)
        values = {n.split(".", 1)[1]: v for n, v in INERT_VALUES.items() if n.startswith(t + ".")}
        tables[t] = (read, quiet, values)
    return tables


def _walk(value: Any, t: Any, path: tuple, m: Manifest, tables: dict, profile: Profile) -> None:
    """Report the first field on each branch that Podman's structs lack or that it does not act on."""
    if t.__class__ is tuple:
        container, item = t
        if container == "list" and isinstance(value, list):
            for i, v in enumerate(value):
                _walk(v, item, path + (i,), m, tables, profile)
        elif container == "map" and isinstance(value, dict) and item in tables:
            for k, v in value.items():
                _walk(v, item, path + (k,), m, tables, profile)
        return
    table = tables.get(t)
    if table is None or value.__class__ is not dict:
        return
    read, quiet, values = table
    for key, v in value.items():
        sub = read.get(key)
        if sub is not None:
            if sub.__class__ is tuple or sub in tables:
                _walk(v, sub, path + (key,), m, tables, profile)
            continue
        if key in quiet or not v or (key in values and values[key] == v):
            continue  # not worth a word, unset, or set to what Podman does anyway
        m.emit("podman-ignored", path + (key,), f"podman kube play {profile.version} ignores {json_path(path + (key,))}")


@rule("podman-native-sidecar")
def check_native_sidecars(m: Manifest, profile: Profile) -> None:
    if m.pod is None or not played(m.kind, profile):
        return
    for c in m.pod.containers:
        if c.sidecar:
            m.emit("podman-native-sidecar", c.path + ("restartPolicy",),
                   f"podman kube play ignores restartPolicy: Always on init container {c.name!r} and runs it as a "
                   "blocking init container: the pod's containers start only after it exits")


@rule("podman-port-unpublished")
def check_unpublished_ports(m: Manifest, profile: Profile) -> None:
    if m.pod is None or not played(m.kind, profile) or m.pod.spec.get("hostNetwork") is True:
        return
    for c in m.pod.containers:
        for path, port in c.ports:
            host_port = port.get("hostPort")
            number = port.get("containerPort")
            if c.init and host_port:
                m.emit("podman-port-unpublished", path + ("hostPort",), f"hostPort {host_port} of init container "
                       f"{c.name!r} is not published: Podman publishes the ports of regular containers only")
            elif not c.init and not host_port and not profile.play_publishes_container_ports and number:
                m.emit("podman-port-unpublished", path, f"containerPort {number} of container {c.name!r} has no "
                       f"hostPort: podman kube play {profile.version} does not publish it (unless --publish or "
                       "--publish-all)")


@rule("podman-mount-options")
def check_mount_options(m: Manifest, profile: Profile) -> None:
    if m.pod is None:
        return
    for c in m.pod.containers:
        for i, mount in enumerate(as_list(c.data.get("volumeMounts"))):
            mount_path = as_str(as_dict(mount).get("mountPath"))
            if ":" in mount_path:
                target, _, options = mount_path.partition(":")
                m.emit("podman-mount-options", c.path + ("volumeMounts", i, "mountPath"),
                       f"mountPath {mount_path!r}: Podman mounts {target!r} with options {options!r}; a cluster "
                       f"mounts the literal path {mount_path!r}")


@rule("podman-names")
def check_pod_names(m: Manifest, profile: Profile) -> None:
    if m.kind not in WORKLOAD_SUFFIX_KINDS or not played(m.kind, profile) or not m.name:
        return
    pod = workload_pod_name(m.name, m.kind, profile)
    m.emit("podman-names", ("metadata", "name"), f"podman kube play names the {m.kind}'s pod {pod!r} and its "
           f"containers {pod}-<container name>")


@rule("image-local")
def check_local_images(m: Manifest, profile: Profile) -> None:
    if m.pod is None:
        return
    for c in m.pod.containers:
        image = as_str(c.data.get("image"))
        if image.startswith("localhost/"):
            m.emit("image-local", c.path + ("image",), f"image {image!r} is in a local image store only; a cluster "
                   "node cannot pull it")


@rule("hostpath-on-cluster")
def check_host_paths(m: Manifest, profile: Profile) -> None:
    if m.pod is None:
        return
    for path, volume in m.pod.volumes:
        source = volume.get("hostPath")
        if isinstance(source, dict):
            m.emit("hostpath-on-cluster", path + ("hostPath",), f"hostPath {as_str(source.get('path'))!r} must exist "
                   "on whichever node runs the pod")


# --- file rules: every document of a file together ---------------------------------------------

def env_sources(m: Manifest) -> dict[tuple[str, str], set[str]]:
    """The variables a ConfigMap or Secret gives envFrom: {("configMapRef"|"secretRef", name): keys}."""
    if m.kind == "ConfigMap":
        return {("configMapRef", m.name): set(as_dict(m.data.get("data")))}
    if m.kind == "Secret":
        return {("secretRef", m.name): set(as_dict(m.data.get("data"))) | set(as_dict(m.data.get("stringData")))}
    return {}


def env_precedence(m: Manifest, sources: dict[tuple[str, str], set[str]], profile: Profile) -> None:
    """env beats envFrom in Kubernetes; podman kube play applies envFrom last up to 5.4 (5.8 as Kubernetes).

    Podman copies the envFrom sources in order, each over the one before, and reads no prefix: of the
    sources that set a variable env also sets, the last one's value is the one Podman keeps
    (envfrom-last-wins, envfrom).  One finding per variable, naming that source."""
    if m.pod is None or not sources or profile.play_env_over_env_from:
        return
    for c in m.pod.containers:
        env = {as_str(as_dict(v).get("name")): i for i, v in enumerate(as_list(c.data.get("env")))}
        winner: dict[str, tuple[str, str]] = {}
        for source in as_list(c.data.get("envFrom")):
            source = as_dict(source)
            for ref in ("configMapRef", "secretRef"):
                name = as_str(as_dict(source.get(ref)).get("name"))
                for key in sources.get((ref, name), set()) & set(env):
                    winner[key] = (ref, name)
        for key, (ref, name) in sorted(winner.items(), key=lambda item: env[item[0]]):
            m.emit("podman-env-precedence", c.path + ("env", env[key], "name"),
                   f"{key} is set in env and by envFrom {ref} {name!r}: Kubernetes uses the env value, "
                   f"podman kube play the one of {ref} {name!r} (the last envFrom source that sets it)")


def play_refusal(documents: list[Document], profile: Profile) -> KubebridgeError | None:
    """What `podman kube play` would refuse in these documents (one error: Podman stops at the first)."""
    from kubebridge.translate.play import PlayOptions, play

    for doc in documents:
        if doc.duplicates:
            key = doc.duplicates[0]
            return KubebridgeError(f'mapping key "{key[-1]}" already defined', file=doc.file,
                                   path=json_path(key), line=doc.locate(key)[0])
    if not any(played(doc.kind, profile) for doc in documents):
        return None
    try:
        # Facts of a host are unknown to a check: assume hostPaths exist and give resourceFieldRef a host size.
        play(documents, PlayOptions(host_memory=1 << 30, host_cpus=1), profile)
    except KubebridgeError as exc:
        if "does not contain any supported kube kind" in exc.detail:
            return None
        return exc
    return None
