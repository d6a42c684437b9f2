"""`podman kube play`: Kubernetes documents -> the pods, containers and volumes Podman would create.

A pure function of the documents, the images and a few host facts, following
pkg/domain/infra/abi/play.go and pkg/specgen/generate/kube of Podman 4.3.1 and
5.4.2; where they differ, the Profile decides.  Errors are Podman's own
(PodmanRefusal) with the place in the YAML added.  Native sidecars, which Podman
runs as blocking init containers, always produce a warning.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from kubebridge.model import quantity
from kubebridge.errors import MissingReference, PodmanRefusal, UsageError
from kubebridge.load.kube_types import decode
from kubebridge.load.manifests import Document
from kubebridge.model.podman import Container, Device, Healthcheck, Image, Mount, Pod, PortMapping, Ulimit, Volume
from kubebridge.model.profiles import CONTAINERS_CONF_CAPS, Profile

WORKLOADS = ("Pod", "Deployment", "DaemonSet", "Job")
KUBE_NETWORK = "podman-default-kube-network"
SANDBOX_ID = "io.kubernetes.cri-o.SandboxID"
CONTAINER_TYPE = "io.kubernetes.cri-o.ContainerType"
HEALTH_CHECK_ANNOTATION = "io.podman.annotations.kube.health.check"
INIT_TYPE_ANNOTATION = "io.podman.annotations.init.container.type"
INFRA_NAME_ANNOTATION = "io.podman.annotations.infra.name"
USERNS_ANNOTATION = "io.podman.annotations.userns"
ULIMIT_ANNOTATION = "io.podman.annotations.ulimit"
VOLUMES_FROM_ANNOTATION = "io.podman.annotations.volumes-from"
BIND_MOUNT_OPTIONS = "bind-mount-options"
RESTART = {"Always": "always", "OnFailure": "on-failure", "Never": "no"}
PROPAGATION = {"None": "private", "HostToContainer": "rslave", "Bidirectional": "rshared"}
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# what Podman 4.3 records for every container it creates, unless set otherwise
FALSE_ANNOTATIONS = ("io.podman.annotations.autoremove", "io.podman.annotations.init",
                     "io.podman.annotations.privileged", "io.podman.annotations.publish-all")


@dataclass(frozen=True)
class PlayOptions:
    """The `kube play` flags kubebridge models, and the facts of the host it would run on."""

    publish_all: bool = False
    sidecars: str = "podman"  # "podman": what Podman does; "containers": native sidecars as regular containers
    annotations: tuple[tuple[str, str], ...] = ()  # --annotation
    configmaps: tuple[Document, ...] = ()  # --configmap files
    images: tuple[Image, ...] = ()  # podman image inspect of the images used
    # hostPath sources: "Directory", "File", "Socket", "CharDevice", "BlockDevice" or "" (missing).
    # None: assume every source exists as its declared type.
    host_paths: dict[str, str] | None = None
    node_hostname: str = "localhost"  # what os.Hostname() says, for hostNetwork pods
    host_memory: int | None = None  # MemTotal in bytes: a resourceFieldRef's default for an unset limit
    host_cpus: int | None = None  # runtime.NumCPU(): likewise for CPU


@dataclass
class PlayResult:
    pods: list[Pod] = field(default_factory=list)
    volumes: list[Volume] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created_paths: dict[str, str] = field(default_factory=dict)  # hostPaths play makes: path -> Directory/File

    @property
    def containers(self) -> list[Container]:
        return [c for p in self.pods for c in ([p.infra] if p.infra else []) + p.containers]


@dataclass
class _KubeVolume:
    """A spec.volumes entry as Podman resolves it before any container uses it."""

    type: str  # bind, named, configmap, secret, emptydir, tmpfs, chardev, blockdev, image
    source: str
    optional: bool = False  # a missing optional ConfigMap or Secret: mounts of it are skipped


@dataclass
class _Context:
    options: PlayOptions
    profile: Profile
    result: PlayResult
    configmaps: list[dict] = field(default_factory=list)
    secrets: dict[str, dict[str, bytes]] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        if message not in self.result.warnings:
            self.result.warnings.append(message)


# --- documents -------------------------------------------------------------------------------

def play(documents: list[Document], options: PlayOptions, profile: Profile) -> PlayResult:
    if options.sidecars not in ("podman", "containers"):
        raise UsageError(f"--sidecars {options.sidecars!r}: choose podman or containers")
    ctx = _Context(options, profile, PlayResult())
    for doc in options.configmaps:
        if doc.kind != "ConfigMap":
            raise PodmanRefusal(f'{doc.file}: invalid YAML kind: "{doc.kind}". [ConfigMap] is the only supported by '
                                "--configmap")
        cm = decode(doc)
        ctx.configmaps.append(cm)
    from_flag = {_name(cm) for cm in ctx.configmaps}
    played = 0
    for doc in sort_kinds(_expand_lists(documents, profile)):
        try:
            played += _play_document(doc, from_flag, ctx)
        except PodmanRefusal as exc:
            raise exc.located(doc.file, doc.line) from None
    if played == 0:
        files = ", ".join(dict.fromkeys(doc.file for doc in documents)) or None
        if any(doc.kind == "ConfigMap" for doc in documents):
            raise PodmanRefusal("ConfigMaps in podman are not a standalone object and must be used in a container",
                                file=files)
        raise PodmanRefusal("YAML document does not contain any supported kube kind", file=files)
    return ctx.result


def _play_document(doc: Document, from_flag: set[str], ctx: _Context) -> int:
    """Play one document; 1 if it counts as a kind Podman plays (ConfigMaps only feed others)."""
    kind = doc.kind
    if kind in WORKLOADS and kind in ctx.profile.play_kinds:
        _play_workload(doc, ctx)
    elif kind == "PersistentVolumeClaim":
        _play_pvc(doc, ctx)
    elif kind == "Secret":
        _play_secret(doc, ctx)
    elif kind == "ConfigMap":
        cm = decode(doc)
        if _name(cm) in from_flag:
            raise PodmanRefusal(f"ambiguous configuration: the same config map {_name(cm)} is present in YAML and "
                                "in --configmaps")
        ctx.configmaps.append(cm)
        return 0
    else:
        ctx.warn(f"{doc.file}: document {doc.index + 1}: kind {kind or '(none)'} is not played by Podman "
                 f"{ctx.profile.version}; it is skipped")
        return 0
    return 1


def sort_kinds(documents: list[Document]) -> list[Document]:
    """sortKubeKinds: workloads keep their order; every other kind goes first, in reverse order."""
    result: list[Document] = []
    for doc in documents:
        if doc.kind in WORKLOADS:
            result.append(doc)
        else:
            result.insert(0, doc)
    return result


def _expand_lists(documents: list[Document], profile: Profile) -> list[Document]:
    result = []
    for doc in documents:
        items = doc.data.get("items") if isinstance(doc.data, dict) else None
        if doc.kind == "List" and "List" in profile.play_kinds and isinstance(items, list):
            result.extend(Document(item, doc.file, doc.index, doc.line, doc.text, doc.line_offset)
                          for item in items)
        else:
            result.append(doc)
    return result


def _name(obj: dict) -> str:
    return (obj.get("metadata") or {}).get("name") or ""


def _annotations(metadata: dict) -> dict[str, str]:
    return dict((metadata or {}).get("annotations") or {})


def _play_workload(doc: Document, ctx: _Context) -> None:
    kind = doc.kind
    if kind == "Pod":
        pod = decode(doc, "Pod")
        annotations = _annotations(pod.get("metadata"))
        annotations.update(dict(ctx.options.annotations))
        validate_annotations(annotations, ctx.profile)
        template = {"metadata": pod.get("metadata") or {}, "spec": pod.get("spec") or {}}
        _play_pod(doc, _name(pod), template, annotations, ("spec",), ctx)
        return
    workload = decode(doc, "Workload")
    name = _name(workload)
    if not name:
        raise PodmanRefusal({"Deployment": "deployment", "DaemonSet": "daemonSet", "Job": "job"}[kind]
                            + " does not have a name")
    spec = workload.get("spec") or {}
    replicas = spec.get("replicas") or 1 if kind == "Deployment" else 1
    if replicas > 1 and not ctx.profile.play_replicas_pods:
        ctx.warn("Limiting replica count to 1, more than one replica is not supported by Podman")
        replicas = 1
    template = spec.get("template") or {}
    for replica in range(replicas):
        pod_name = name + ctx.profile.play_workload_pod_suffix
        if ctx.profile.play_replicas_pods:
            pod_name = f"{name}-pod-{replica}"
        try:
            _play_pod(doc, pod_name, template, _annotations(workload.get("metadata")), ("spec", "template", "spec"),
                      ctx)
        except PodmanRefusal as exc:
            raise type(exc)(f"encountered while bringing up pod {pod_name}: {exc.detail}") from None


def _play_pvc(doc: Document, ctx: _Context) -> None:
    pvc = decode(doc)
    name = _name(pvc)
    if not name:
        raise PodmanRefusal("persistent volume claim name can not be empty")
    annotations = _annotations(pvc.get("metadata"))
    annotations.update(dict(ctx.options.annotations))
    volume = Volume(name=name, labels=dict((pvc.get("metadata") or {}).get("labels") or {}))
    keys = {"volume.podman.io/device": "device", "volume.podman.io/type": "type",
            "volume.podman.io/mount-options": "o"}
    for key, value in annotations.items():
        if key == "volume.podman.io/driver":
            volume.driver = value
        elif key in keys:
            volume.options[keys[key]] = value
        elif key in ("volume.podman.io/uid", "volume.podman.io/gid"):
            if not value.isdigit():
                raise PodmanRefusal(f"cannot convert {key.rsplit('/', 1)[1]} {value} to integer")
            volume.options[key.rsplit("/", 1)[1].upper()] = value
    _add_volume(volume, ctx)


def _add_volume(volume: Volume, ctx: _Context) -> None:
    if not any(v.name == volume.name for v in ctx.result.volumes):
        ctx.result.volumes.append(volume)


def _play_secret(doc: Document, ctx: _Context) -> None:
    secret = decode(doc)
    name = _name(secret)
    data = {k: v for k, v in (secret.get("data") or {}).items()}
    data.update({k: v.encode() for k, v in (secret.get("stringData") or {}).items()})
    ctx.secrets[name] = data
    if name not in ctx.result.secrets:
        ctx.result.secrets.append(name)


_DNS1123_SUBDOMAIN_FMT = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_QUALIFIED_NAME_FMT = r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_DNS_LABEL = re.compile(_DNS1123_SUBDOMAIN_FMT + r"\Z")
_QUALIFIED = re.compile(_QUALIFIED_NAME_FMT + r"\Z")
_QUALIFIED_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                  "alphanumeric character")


def _regex_error(message: str, fmt: str, *examples: str) -> str:
    """Podman's (and apimachinery's) regexErrorMsg."""
    if not examples:
        return f"{message} (regex used for validation is '{fmt}')"
    return message + " (e.g. " + " or ".join(f"'{e}', " for e in examples) + f"regex used for validation is '{fmt}')"


def validate_annotations(annotations: dict[str, str], profile: Profile) -> None:
    """annotations.ValidateAnnotations (5.x), or 4.3's 63-character limit on values."""
    limit = profile.play_annotation_value_limit
    if limit is not None:
        for key, value in annotations.items():
            if len(value) > limit:
                raise PodmanRefusal(f'invalid annotation "{key}"="{value}" value length exceeds Kubernetetes max '
                                    f"{limit}")
        return
    total = 0
    examples = ("MyName", "my.name", "123-abc")
    for key, value in annotations.items():
        lowered = key.lower()
        parts = lowered.split("/")
        if len(parts) > 2:
            raise PodmanRefusal(f"a qualified name of {lowered} "
                                + _regex_error(_QUALIFIED_MSG, _QUALIFIED_NAME_FMT, *examples)
                                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
        if len(parts) == 2:
            prefix = parts[0]
            if not prefix:
                raise PodmanRefusal(f"prefix part of {lowered} must be non-empty")
            if len(prefix) > 253:
                raise PodmanRefusal("prefix part must be no more than 253 characters")
            if not _DNS_LABEL.match(prefix):
                raise PodmanRefusal(_regex_error(
                    "annotations must be formatted as a valid lowercase RFC1123 subdomain of lower case alphanumeric "
                    "characters, '-' or '.', and must start and end with an alphanumeric character",
                    _DNS1123_SUBDOMAIN_FMT, "example.com"))
        name = parts[-1]
        if not name:
            raise PodmanRefusal(f"name part of {lowered} must be non-empty")
        if len(name) > 63:
            raise PodmanRefusal(f"name part of {lowered} must be no more than 63 characters")
        if not _QUALIFIED.match(name):
            raise PodmanRefusal(f"name part of {lowered} " + _regex_error(_QUALIFIED_MSG, _QUALIFIED_NAME_FMT,
                                                                           *examples))
        total += len(key) + len(value)
    if total > 262144:
        raise PodmanRefusal(f"annotations size {total} is larger than limit 262144")


# --- pods ------------------------------------------------------------------------------------

def _synthetic_id(*parts: str) -> str:
    """A stand-in for an ID Podman assigns at run time; only generate(play(...)) ever shows it."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


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
        if ctx.profile.play_host_network_node_hostname:
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
    for sysctl in (spec.get("securityContext") or {}).get("sysctls") or []:
        pod.sysctls[sysctl.get("name", "")] = sysctl.get("value", "")
    pod.networks = [] if pod.host_network else [KUBE_NETWORK]


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
    infra.env = [f"PATH={DEFAULT_PATH}", "container=podman", f"HOSTNAME={pod.hostname}"]
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


# --- volumes ---------------------------------------------------------------------------------

def _initialize_volumes(doc: Document, specs: list[dict], spec_path: tuple, ctx: _Context) -> dict[str, _KubeVolume]:
    """kube.InitializeVolumes: each spec.volumes entry, checked against the host and the ConfigMaps."""
    volumes = {}
    for index, spec in enumerate(specs):
        name = spec.get("name") or ""
        try:
            volumes[name] = _volume_source(spec, name, ctx)
        except PodmanRefusal as exc:
            line, column = doc.locate(spec_path + ("volumes", index))
            raise type(exc)(f'failed to create volume "{name}": {exc.detail}').located(doc.file, line) from None
    return volumes


def _volume_source(spec: dict, name: str, ctx: _Context) -> _KubeVolume:
    if spec.get("hostPath") is not None:
        return _host_path(spec["hostPath"], ctx)
    if spec.get("persistentVolumeClaim") is not None:
        claim = spec["persistentVolumeClaim"].get("claimName") or ""
        return _KubeVolume("named", claim)
    if spec.get("configMap") is not None:
        return _configmap_volume(spec["configMap"], ctx)
    if spec.get("secret") is not None:
        return _secret_volume(spec["secret"], ctx)
    if spec.get("emptyDir") is not None:
        if (spec["emptyDir"].get("medium") or "") == "Memory" and ctx.profile.play_emptydir_memory_tmpfs:
            return _KubeVolume("tmpfs", name)
        return _KubeVolume("emptydir", name)
    if spec.get("image") is not None and ctx.profile.play_image_volumes:
        return _KubeVolume("image", spec["image"].get("reference") or "")
    raise PodmanRefusal(ctx.profile.play_volume_sources_message)


def _host_path(source: dict, ctx: _Context) -> _KubeVolume:
    path = source.get("path") or ""
    kind = source.get("type") or ""
    facts = ctx.options.host_paths
    actual = None if facts is None else facts.get(path, "")
    if kind in ("DirectoryOrCreate", "FileOrCreate"):
        if not actual:
            ctx.result.created_paths[path] = "Directory" if kind == "DirectoryOrCreate" else "File"
        return _KubeVolume("bind", path)
    if kind == "Socket":
        if actual is not None and actual != "Socket":
            if actual == "":
                raise PodmanRefusal(f"checking HostPathSocket: stat {path}: no such file or directory")
            raise PodmanRefusal(f"checking HostPathSocket: path {path} is not a socket")
    elif kind == "BlockDevice":
        if actual == "":
            raise PodmanRefusal(f"checking HostPathBlockDevice: stat {path}: no such file or directory")
        if actual == "CharDevice":
            raise PodmanRefusal(f"checking HostPathDevice: path {path} is not a block device")
        return _KubeVolume("blockdev", path)
    elif kind == "CharDevice":
        if actual == "":
            raise PodmanRefusal(f"checking HostPathCharDevice: stat {path}: no such file or directory")
        if actual is not None and actual != "CharDevice":
            raise PodmanRefusal(f"checking HostPathCharDevice: path {path} is not a character device")
        return _KubeVolume("chardev", path)
    elif kind not in ("", "Directory", "File"):
        raise PodmanRefusal(f"invalid HostPath type {kind}")
    if actual == "":
        raise PodmanRefusal(f"in parsing HostPath in YAML: {ctx.profile.play_missing_path_verb} {path}: no such file "
                            "or directory")
    return _KubeVolume("bind", path)


def _configmap_volume(source: dict, ctx: _Context) -> _KubeVolume:
    name = source.get("name") or ""
    cm = next((c for c in ctx.configmaps if _name(c) == name), None)
    if cm is None:
        if source.get("optional"):
            return _KubeVolume("configmap", name, optional=True)
        raise MissingReference(f'no such ConfigMap "{name}"')
    mode = source.get("defaultMode")
    if mode is not None and not 0 <= mode <= 0o777:
        raise PodmanRefusal(f'invalid DefaultMode for configMap "{name}": must be between 0000 and 0777')
    data = {k: v.encode() for k, v in (cm.get("data") or {}).items()}
    for key, value in (cm.get("binaryData") or {}).items():
        if key in data:
            raise PodmanRefusal(f'the ConfigMap "{name}" is invalid: duplicate key "{key}" present in data and '
                                "binaryData")
        data[key] = value
    _add_volume(Volume(name=name, files=_items(data, source.get("items")), file_mode=mode if mode is not None
                       else 0o644), ctx)
    return _KubeVolume("configmap", name)


def _secret_volume(source: dict, ctx: _Context) -> _KubeVolume:
    name = source.get("secretName") or ""
    if name not in ctx.secrets:
        if source.get("optional"):
            return _KubeVolume("secret", name, optional=True)
        raise MissingReference(f'no secret with name or id "{name}": no such secret')
    if not ctx.profile.play_yaml_secrets:
        raise PodmanRefusal(f"Podman {ctx.profile.version} crashes on a secret volume from a Secret played from "
                            "YAML (kube play panics)")
    mode = source.get("defaultMode")
    _add_volume(Volume(name=name, files=_items(ctx.secrets[name], source.get("items")),
                       file_mode=mode if mode is not None else 0o644), ctx)
    return _KubeVolume("secret", name)


def _items(data: dict[str, bytes], items: list | None) -> dict[str, bytes]:
    if not items:
        return dict(data)
    return {item.get("path") or item.get("key"): data[item["key"]] for item in items if item.get("key") in data}


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
        raise PodmanRefusal(f'{profile.play_missing_image_message} (container "{yaml_name}" has no image)')
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
    _resources(c, ctr.get("resources") or {})
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
    _mounts(c, ctr, volumes, annotations, profile.play_sub_path)
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
    if label is not None:
        if label not in c.selinux_opts:
            c.selinux_opts.append(label)
        shared["io.podman.annotations.label"] = ",label=".join(c.selinux_opts)
    for key, attr in (("io.podman.annotations.autoremove", "auto_remove"), ("io.podman.annotations.init", "init")):
        value = shared.get(f"{key}/{name}")
        if value is not None:
            setattr(c, attr, _parse_bool(value, key))
            shared[key] = value
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


def _resources(c: Container, resources: dict) -> None:
    """setupContainerResources: CPU limit as quota/period, memory limit and reservation."""
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    try:
        if limits.get("cpu"):
            milli = quantity.milli_value(limits["cpu"])
            if milli > 0:
                c.cpu_period = 100000
                c.cpu_quota = int(milli / 1000 * 100000)
        if limits.get("memory"):
            c.memory = quantity.int_value(limits["memory"])
        if requests.get("memory"):
            c.memory_reservation = quantity.int_value(requests["memory"])
    except ValueError as exc:
        raise PodmanRefusal(f"failed to configure container resources: {exc}") from None


def _probes(c: Container, ctr: dict, restart: str, profile: Profile) -> None:
    ports = ctr.get("ports") or []
    probe = ctr.get("livenessProbe")
    if probe and any(probe.get(k) for k in ("exec", "httpGet", "tcpSocket")):
        c.healthcheck = _healthcheck(probe, ports)
        if restart in ("always", "on-failure"):
            c.healthcheck.on_failure = "restart"
    startup = ctr.get("startupProbe") if profile.play_startup_probe else None
    if startup and any(startup.get(k) for k in ("exec", "httpGet", "tcpSocket")):
        c.startup_healthcheck = _healthcheck(startup, ports)
        if c.healthcheck is None:
            c.healthcheck = Healthcheck(test=["CMD-SHELL", "exit 0"])


def _healthcheck(probe: dict, ports: list[dict]) -> Healthcheck:
    """probeToHealthConfig."""
    if probe.get("exec"):
        test = ["CMD", *(probe["exec"].get("command") or [])]
    elif probe.get("httpGet"):
        http = probe["httpGet"]
        port = _probe_port(http.get("port"), ports) or 80
        url = f"{(http.get('scheme') or 'HTTP').lower()}://{http.get('host') or 'localhost'}:{port}" \
              f"{http.get('path') or '/'}"
        test = ["CMD-SHELL", f"curl -f {url} || exit 1"]
    else:
        tcp = probe["tcpSocket"]
        test = ["CMD-SHELL", f"nc -z -v {tcp.get('host') or 'localhost'} {_probe_port(tcp.get('port'), ports)} || "
                             "exit 1"]
    period = probe.get("periodSeconds") or 0
    retries = probe.get("failureThreshold") or 0
    timeout = probe.get("timeoutSeconds") or 0
    return Healthcheck(test=test, interval=period if period >= 1 else 10, retries=retries if retries >= 1 else 3,
                       timeout=timeout if timeout >= 1 else 1, start_period=probe.get("initialDelaySeconds") or 0)


def _probe_port(port: Any, ports: list[dict]) -> int:
    if port is None or isinstance(port, int):
        return port or 0
    if port.isdigit():
        return int(port)
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


# --- env -------------------------------------------------------------------------------------

def _env(c: Container, ctr: dict, image: Image, pod: Pod, annotations: dict[str, str], ctx: _Context) -> list[str]:
    """Image env, then env, then envFrom (which Podman applies last), then CompleteSpec's defaults."""
    env: dict[str, str] = {}
    for entry in image.env:
        key, _, value = entry.partition("=")
        env[key] = value
    for var in ctr.get("env") or []:
        value = _env_value(var, ctr, c, pod, annotations, ctx)
        if value is not None:
            env[var.get("name") or ""] = value
    for source in ctr.get("envFrom") or []:
        env.update(_env_from(source, ctx))
    if ctx.profile.play_completes_spec:  # Podman's defaults, under the image's and the YAML's
        env.setdefault("PATH", DEFAULT_PATH)
        env.setdefault("container", "podman")
        if c.tty:
            env.setdefault("TERM", "xterm")
    return [f"{k}={v}" for k, v in env.items()]


def _configmap(name: str, ctx: _Context) -> dict | None:
    return next((cm for cm in ctx.configmaps if _name(cm) == name), None)


def _secret(name: str, ctx: _Context) -> dict[str, bytes]:
    if name not in ctx.secrets:
        raise MissingReference(f'no secret with name or id "{name}": no such secret')
    if not ctx.profile.play_yaml_secrets:
        raise PodmanRefusal(f"secret {name} is not valid JSON: invalid character 'a' looking for beginning of value")
    return ctx.secrets[name]


def _env_value(var: dict, ctr: dict, c: Container, pod: Pod, annotations: dict, ctx: _Context) -> str | None:
    name = var.get("name") or ""
    source = var.get("valueFrom")
    if not source:
        return var.get("value") or ""
    if source.get("configMapKeyRef"):
        ref = source["configMapKeyRef"]
        cm = _configmap(ref.get("name") or "", ctx)
        if cm is not None and ref.get("key") in (cm.get("data") or {}):
            return cm["data"][ref["key"]]
        if ref.get("optional"):
            return None
        if cm is None:
            raise MissingReference(f"cannot set env {name}: configmap {ref.get('name') or ''} not found")
        raise PodmanRefusal(f"cannot set env {name}: key {ref.get('key') or ''} not found in configmap "
                            f"{ref.get('name') or ''}")
    if source.get("secretKeyRef"):
        ref = source["secretKeyRef"]
        try:
            data = _secret(ref.get("name") or "", ctx)
            if ref.get("key") in data:
                return data[ref["key"]].decode(errors="replace")
            raise PodmanRefusal(f"secret {ref.get('name') or ''} has not {ref.get('key') or ''} key")
        except PodmanRefusal as exc:
            if ref.get("optional"):
                return None
            raise type(exc)(f"cannot set env {name}: {exc}") from None
    if source.get("fieldRef"):
        return _field_ref(name, source["fieldRef"].get("fieldPath") or "", c, pod, annotations)
    if source.get("resourceFieldRef"):
        return _resource_field_ref(name, source["resourceFieldRef"], ctr.get("resources") or {}, ctx)
    return var.get("value") or ""


_FIELD_MAP = re.compile(r"metadata\.(labels|annotations)\['(.*)'\]\Z")


def _field_ref(name: str, path: str, c: Container, pod: Pod, annotations: dict) -> str:
    if path == "metadata.name":
        return pod.name
    if path == "metadata.uid":
        return pod.id
    m = _FIELD_MAP.match(path)
    if m:
        source = c.labels if m.group(1) == "labels" else annotations
        return source.get(m.group(2), "")
    raise PodmanRefusal(f"can not set env {name}. Reason: fieldPath {path} is either not valid or not supported")


MEMORY_DIVISORS = ("1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei")


def _resource_field_ref(name: str, ref: dict, resources: dict, ctx: _Context) -> str:
    """envVarValueResourceFieldRef: the YAML's limit or request, else the host's, over the divisor, rounded up."""
    resource = ref.get("resource") or ""
    divisor = ref.get("divisor") or "1"
    kind, _, what = resource.partition(".")
    if kind not in ("limits", "requests") or what not in ("memory", "cpu"):
        raise PodmanRefusal(f"can not set env {name}. Reason: resource {resource} is either not valid or not "
                            "supported")
    try:
        divisor_value = quantity.parse(divisor)
        canonical = quantity.decimal_si(int(divisor_value)) if divisor_value == int(divisor_value) else divisor
    except ValueError:
        raise PodmanRefusal(f"can not set env {name}. Reason: divisor value {divisor} is not valid") from None
    if divisor_value == 0:
        divisor_value, canonical = quantity.parse("1"), "1"
    allowed = MEMORY_DIVISORS if what == "memory" else ("1", "1m")
    if divisor not in allowed and canonical not in allowed:
        raise PodmanRefusal(f"can not set env {name}. Reason: divisor value {divisor} is not valid")
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    value = limits.get(what) if kind == "limits" else (requests.get(what) or limits.get(what))
    if not value or quantity.parse(value) == 0:
        host = ctx.options.host_memory if what == "memory" else ctx.options.host_cpus
        if host is None:
            raise PodmanRefusal(f"can not set env {name}: {resource} is not set, so Podman uses the host's "
                                f"{'total memory' if what == 'memory' else 'CPU count'}; give it to kubebridge "
                                f"(host_{'memory' if what == 'memory' else 'cpus'})")
        amount = quantity.parse(str(host))
    else:
        amount = quantity.parse(value)
    from decimal import ROUND_CEILING
    return str(int((amount / divisor_value).to_integral_value(rounding=ROUND_CEILING)))  # k8s rounds up


def _env_from(source: dict, ctx: _Context) -> dict[str, str]:
    env: dict[str, str] = {}
    if source.get("configMapRef"):
        ref = source["configMapRef"]
        cm = _configmap(ref.get("name") or "", ctx)
        if cm is not None:
            env.update(cm.get("data") or {})
        elif not ref.get("optional"):
            raise MissingReference(f"configmap {ref.get('name') or ''} not found")
    if source.get("secretRef"):
        ref = source["secretRef"]
        try:
            env.update({k: v.decode(errors="replace") for k, v in _secret(ref.get("name") or "", ctx).items()})
        except PodmanRefusal:
            if not ref.get("optional"):
                raise
    return env


# --- mounts ----------------------------------------------------------------------------------

def parse_mount_path(path: str, read_only: bool, propagation: str | None) -> tuple[str, list[str]]:
    """parseMountPath: `/dir[:opts]`, readOnly and mountPropagation -> destination and options."""
    parts = path.split(":")
    if len(parts) > 2:
        raise PodmanRefusal(f'"{path}" incorrect volume format, should be ctr-dir[:option]')
    dest = parts[0]
    if not dest.startswith("/"):
        raise PodmanRefusal(f'parsing MountPath: invalid container path "{dest}", must be an absolute path')
    options = parts[1].split(",") if len(parts) > 1 else []
    if read_only:
        options.append("ro")
    if propagation is not None:
        if propagation not in PROPAGATION:
            raise PodmanRefusal(f'unknown propagation mode "{propagation}"')
        options.append(PROPAGATION[propagation])
    return dest, options


def _mounts(c: Container, ctr: dict, volumes: dict[str, _KubeVolume], annotations: dict[str, str],
            ctx_sub_path: bool) -> None:
    binds, named = [], []
    for mount in ctr.get("volumeMounts") or []:
        name = mount.get("name") or ""
        if name not in volumes:
            raise PodmanRefusal(f"volume mount {name} specified for container but not configured in volumes")
        source = volumes[name]
        if source.optional:
            continue
        dest, options = parse_mount_path(mount.get("mountPath") or "", bool(mount.get("readOnly")),
                                         mount.get("mountPropagation"))
        sub_path = (mount.get("subPath") or "") if ctx_sub_path else ""
        read_only = "ro" in options
        if source.type == "bind":
            relabel = annotations.get(BIND_MOUNT_OPTIONS, "")
            if ":" in relabel and relabel.rsplit(":", 1)[0] == source.source and not {"z", "Z"} & set(options):
                options.append(relabel.rsplit(":", 1)[1])
            if sub_path:
                options.append(f"subpath={sub_path}")
            binds.append(Mount("bind", dest, source.source, tuple(options), read_only))
        elif source.type == "tmpfs":
            binds.append(Mount("tmpfs", dest, "tmpfs"))  # Podman gives an emptyDir tmpfs no options, not even ro
        elif source.type in ("chardev", "blockdev"):
            c.device_mappings.append(Device(source.source, dest))
            c.devices.append(source.source)
        elif source.type == "image":
            continue  # an image volume: mounted read-only from a pulled image, outside kubebridge's model
        else:
            named.append(Mount("volume", dest, source.source, tuple(options), read_only, sub_path))
    c.mounts = binds + named
