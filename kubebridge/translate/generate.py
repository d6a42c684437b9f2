"""`podman kube generate`: the model -> Kubernetes documents, as a pure function.

generate() takes a Snapshot of Podman objects and returns the documents (plain
dicts holding only the fields Go's `omitempty` keeps) and comment chunks that
Podman would print, in Podman's order.  The rules follow libpod/kube.go and
pkg/domain/infra/abi/generate.go of Podman 4.3.1 and 5.4.2; where they differ,
the Profile decides.  Rendering the documents as text is the writer's job.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from kubebridge.model import quantity
from kubebridge.errors import InputError, PodmanRefusal, UsageError, placed
from kubebridge.model.podman import Container, Image, Pod, PortMapping, Snapshot, Volume
from kubebridge.model.names import (AUTOUPDATE_LABEL, BIND_MOUNT_OPTIONS, INFRA_NAME_ANNOTATION, LABEL_ANNOTATION,
                                    ULIMIT_ANNOTATION, USERNS_ANNOTATION)
from kubebridge.model.profiles import Profile

TYPES = ("pod", "deployment", "daemonset", "job")

NAMESPACE_NOTE = (
    "\n# NOTE: The namespace sharing for a pod has been modified by the user and is not the same as the\n"
    "# default settings for kubernetes. This can lead to unexpected behavior when running the generated\n"
    "# kube yaml in a kubernetes cluster.\n"
)
SELINUX_NOTE = (
    "\n# NOTE: If you generated this yaml from an unprivileged and rootless podman container on an SELinux\n"
    "# enabled system, check the podman generate kube man page for steps to follow to ensure that your "
    "pod/container\n# has the right permissions to access the volumes added.\n"
)
RESTART_POLICIES = {"no": "Never", "always": "Always", "on-failure": "OnFailure"}
NODE_PORT_MIN, NODE_PORT_MAX = 30000, 32767
# Go's unicode.IsSpace, which strings.TrimSpace uses
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000"


@dataclass(frozen=True)
class GenerateOptions:
    """The flags of `podman kube generate`, and which objects to generate (its arguments)."""

    names: tuple[str, ...] = ()
    service: bool = False
    type: str = "pod"
    replicas: int = 1
    podman_only: bool = False
    timestamp: str = ""  # creationTimestamp to write, RFC 3339 (the caller reads the clock, not generate)


@dataclass
class Note:
    """A comment chunk Podman prints between documents."""

    text: str


@dataclass
class GenerateResult:
    chunks: list = field(default_factory=list)  # dict documents and Notes, in output order
    warnings: list[str] = field(default_factory=list)
    # per pod document name: the volumes of init containers, which Podman leaves out of spec.volumes
    init_volumes: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def documents(self) -> list[dict]:
        return [c for c in self.chunks if isinstance(c, dict)]


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
    return GenerateResult(content + kinds, ctx.warnings, ctx.init_volumes)


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


@dataclass
class _Context:
    snapshot: Snapshot
    options: GenerateOptions
    profile: Profile
    timestamp: str
    warnings: list[str] = field(default_factory=list)
    init_volumes: dict[str, list[dict]] = field(default_factory=dict)

    def annotation_value(self, value: str) -> str:
        """Podman 4.3's TruncateKubeAnnotation: trim, and cut at 63 characters."""
        limit = self.profile.annotation_limit
        if limit is None:
            return value
        value = value.strip(_GO_SPACE)
        if len(value) < limit:
            return value
        cut = value[:limit]
        self.warnings.append(f"Truncation Annotation: {value!r} to {cut!r}: Kubernetes only allows {limit} characters")
        return cut


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
    kube_ctrs, init_ctrs, volumes = [], [], []
    servers, searches, options = [], [], []
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


# --- containers ----------------------------------------------------------------------------

def container_object(ctr: Container, ctx: _Context) -> tuple[dict, list[dict], dict[str, str]]:
    """containerToV1Container: (container, its volumes, {bind source: z or Z})."""
    profile = ctx.profile
    image = ctx.snapshot.find_image(ctr)
    if image is None:
        raise InputError(f"no image inspect for image {ctr.image!r} of container {ctr.name!r}: "
                         f"add the output of `podman image inspect {ctr.image}` to the input")
    security, has_data = security_context(ctr, image, ctx)
    if not ctr.privileged and ctr.devices:
        raise PodmanRefusal("linux devices: not yet implemented")
    mounts, volumes, relabel = volume_mounts(ctr, ctx)
    kube: dict = {"name": ctr.name.replace("_", ""), "image": ctr.image}
    command, args = (ctr.entrypoint, ctr.command) if ctr.entrypoint else (ctr.command, [])
    if command and (command == image.cmd or command == image.entrypoint):
        command = []
    if command:
        kube["command"] = list(command)
    if args:
        kube["args"] = list(args)
    if ctr.stdin:
        kube["stdin"] = True
    if ctr.working_dir != "/" and image.working_dir != ctr.working_dir:
        kube["workingDir"] = ctr.working_dir
    if image.user == ctr.user:
        security.pop("runAsUser", None)
        security.pop("runAsGroup", None)
    if profile.run_as_non_root and image.user.isdigit() and int(image.user) > 0:
        security["runAsNonRoot"] = True
    env = env_vars(ctr, image, profile)
    if env:
        kube["env"] = env
    ports = container_ports(ctr.ports, ctx)
    if ports:
        kube["ports"] = ports
    if has_data or not profile.security_context_only_with_data:
        kube["securityContext"] = security
    if ctr.tty:
        kube["tty"] = True
    kube["resources"] = resources(ctr)
    if mounts:
        kube["volumeMounts"] = mounts
    return kube, volumes, relabel


def env_vars(ctr: Container, image: Image, profile: Profile) -> list[dict]:
    """libpodEnvVarsToKubeEnvVars: the container env minus Podman's defaults and the image's env.

    Both are Go map lookups, where a missing key reads as "", so a variable with
    an empty value is always dropped.
    """
    defaults = profile.default_env_map
    image_env = dict(e.split("=", 1) if "=" in e else (e, "") for e in image.env)
    result = []
    for entry in ctr.env:
        name, sep, value = entry.partition("=")
        if not sep:
            raise PodmanRefusal(f"environment variable {entry} is malformed; should be key=value")
        if defaults.get(name, "") == value or image_env.get(name, "") == value:
            continue
        result.append({"name": name, "value": value})
    return result


def resources(ctr: Container) -> dict:
    limits = {}
    if ctr.memory > 0:
        limits["memory"] = quantity.memory(ctr.memory)
    if ctr.cpu_quota > 0 and ctr.cpu_period > 0:
        milli = int(1000 * (ctr.cpu_quota / ctr.cpu_period))  # float64 arithmetic, truncated, as in Go
        if milli >= 1:
            limits["cpu"] = quantity.cpu_milli(milli)
    return {"limits": limits} if limits else {}


def container_ports(ports: list[PortMapping], ctx: _Context) -> list[dict]:
    """portMappingToContainerPort: tcp is Kubernetes' default and is left out."""
    result = []
    for p in ports:
        proto = p.protocol.upper()
        if proto not in ("TCP", "UDP", "SCTP"):
            raise PodmanRefusal(f"unknown network protocol {p.protocol}")
        entry: dict = {"containerPort": p.container_port}
        if p.host_port and not (ctx.options.service and ctx.profile.service_drops_host_port):
            entry["hostPort"] = p.host_port
        if p.host_ip:
            entry["hostIP"] = p.host_ip
        if proto != "TCP":
            entry["protocol"] = proto
        result.append(entry)
    return result


def security_context(ctr: Container, image: Image, ctx: _Context) -> tuple[dict, bool]:
    """generateKubeSecurityContext: (securityContext, whether Podman 5 counts it as having data)."""
    profile = ctx.profile
    sc: dict = {}
    has_data = False
    if not ctr.privileged:
        caps = _capabilities(ctr.capabilities, profile)
        if caps is not None:
            sc["capabilities"] = caps
            has_data = True
    selinux = _selinux_options(ctr.annotations.get(LABEL_ANNOTATION, ""), profile)
    if selinux:
        sc["seLinuxOptions"] = selinux
        has_data = True
    if ctr.no_new_privileges:
        sc["allowPrivilegeEscalation"] = False
        has_data = True
    if ctr.privileged:
        sc["privileged"] = True
        has_data = True
    if ctr.read_only:
        sc["readOnlyRootFilesystem"] = True
        has_data = True
    if profile.proc_mount_unmasked and ctr.unmask_all:
        sc["procMount"] = "Unmasked"
        has_data = True
    if ctr.user:
        has_data = True
        ids = resolve_user(ctr.user)
        if ids is None:
            if ctr.user != image.user:
                ctx.warnings.append(f"container {ctr.name}: cannot resolve user {ctr.user!r} without the "
                                    "image's /etc/passwd; runAsUser and runAsGroup are left out")
        else:
            sc["runAsUser"], sc["runAsGroup"] = ids
    return sc, has_data


def _capabilities(caps: list[str], profile: Profile) -> dict | None:
    """determineCapAddDropFromCapabilities against the version's default capabilities."""
    defaults = profile.default_capabilities
    drop = [c for c in dict.fromkeys(defaults) if c not in caps]
    add = [c for c in dict.fromkeys(caps) if c not in defaults]
    result = {}
    if add:
        result["add"] = add
    if drop:
        result["drop"] = drop
    if result or profile.empty_caps_object:
        return result
    return None


def _selinux_options(label: str, profile: Profile) -> dict:
    options: dict = {}
    if not label:
        return options
    if profile.selinux_all_labels:
        for part in label.split(",label="):
            key, sep, value = part.partition(":")
            if sep and key in ("filetype", "type", "level"):
                options[key] = value
            elif not sep and key == "disable":
                options["type"] = "spc_t"
    else:  # Podman 4.3 reads only the first option, and only type and level
        key, sep, value = label.partition(":")
        if sep and key in ("type", "level"):
            options[key] = value
        elif not sep and key == "disable":
            options["type"] = "spc_t"
    return options


def resolve_user(user: str) -> tuple[int, int] | None:
    """What lookup.GetUserGroupInfo gives for a user the image's passwd does not list.

    A numeric uid without a group gets gid 0; "root" is uid 0 everywhere.  Other
    names need the image's /etc/passwd, which inspect output does not carry.
    """
    name, _, group = user.partition(":")
    if name.isdigit():
        uid = int(name)
    elif name == "root":
        uid = 0
    else:
        return None
    if not group:
        return uid, 0
    if group.isdigit():
        return uid, int(group)
    if group == "root":
        return uid, 0
    return None


# --- volumes -------------------------------------------------------------------------------

def volume_name(path: str, profile: Profile) -> str:
    name = path.strip("/").replace("/", "-")
    if profile.fix_volume_names:
        name = name.replace("_", "-").lower()
    return name


def volume_mounts(ctr: Container, ctx: _Context) -> tuple[list[dict], list[dict], dict[str, str]]:
    """libpodMountsToKubeVolumeMounts: binds and tmpfs numbered in order, then named volumes."""
    profile = ctx.profile
    mounts, volumes, relabel = [], [], {}
    plain = [m for m in ctr.mounts if m.type != "volume"]
    for index, m in enumerate(plain):
        mode = next((o for o in m.options if o in ("z", "Z")), None)
        if mode:
            relabel[m.source] = mode
        if m.type == "tmpfs" and profile.tmpfs_as_empty_dir:
            name = "tmp"
            volume = {"emptyDir": {"medium": "Memory"}}
        else:
            source = m.source
            if not source:
                raise PodmanRefusal("hostSourcePath must be specified to generate volume name")
            name = "root" if source == "/" else volume_name(source, profile)
            name += "-host"
            kind = ctx.snapshot.host_paths.get(source, "")
            volume = {"hostPath": {"path": source, "type": kind if kind in ("Directory", "File")
                                   else "DirectoryOrCreate"}}
        name += f"-{index}"
        mount = {"mountPath": m.destination, "name": name}
        if m.read_only:
            mount["readOnly"] = True
        mounts.append(mount)
        volumes.append({"name": name, **volume})
    for m in ctr.mounts:
        if m.type != "volume":
            continue
        claim = volume_name(m.source, profile) if profile.fix_volume_names else m.source
        name = claim + "-pvc"
        mount = {"mountPath": m.destination, "name": name}
        if m.read_only:
            mount["readOnly"] = True
        mounts.append(mount)
        source = {"claimName": claim}
        if m.read_only:
            source["readOnly"] = True
        volumes.append({"name": name, "persistentVolumeClaim": source})
    return mounts, volumes, relabel


def pvc(volume: Volume, ctx: _Context) -> dict:
    """(*Volume).GenerateForKube."""
    annotations = {"volume.podman.io/driver": volume.driver}
    keys = {"o": "volume.podman.io/mount-options", "device": "volume.podman.io/device",
            "type": "volume.podman.io/type", "UID": "volume.podman.io/uid", "GID": "volume.podman.io/gid"}
    for key, value in volume.options.items():
        if key in keys:
            annotations[keys[key]] = value
    metadata: dict = {"annotations": annotations, "creationTimestamp": ctx.timestamp, "name": volume.name}
    if volume.labels:
        metadata["labels"] = dict(volume.labels)
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata,
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
            "status": {}}


# --- services and workloads ----------------------------------------------------------------

def service_ports_for(ports: list[dict], seed: str) -> list[dict]:
    """containerPortsToServicePorts, with node ports derived from the name instead of random."""
    used: set[int] = set()
    result = []
    for p in ports:
        port = p["containerPort"]
        node_port = node_port_for(seed, port, p.get("protocol", "TCP"), used)
        entry = {"name": str(port), "nodePort": node_port, "port": port, "targetPort": port}
        if "protocol" in p:
            entry["protocol"] = p["protocol"]
        result.append(entry)
    return result


def node_port_for(seed: str, port: int, protocol: str, used: set[int]) -> int:
    """A node port in 30000-32767 that depends only on its inputs, unique within one Service."""
    import hashlib

    span = NODE_PORT_MAX - NODE_PORT_MIN + 1
    digest = hashlib.sha256(f"{seed}/{port}/{protocol}".encode()).digest()
    offset = int.from_bytes(digest[:8], "big") % span
    for step in range(span):
        candidate = NODE_PORT_MIN + (offset + step) % span
        if candidate not in used:
            used.add(candidate)
            return candidate
    raise PodmanRefusal("too many attempts trying to generate a unique NodePort number")


def service(pod_doc: dict, ports: list[dict], ctx: _Context) -> dict:
    """GenerateKubeServiceFromV1Pod."""
    metadata = {k: v for k, v in pod_doc["metadata"].items() if k != "annotations"}
    if not ports:
        ports = []
        used: set[int] = set()
        for ctr in pod_doc["spec"]["containers"]:
            for p in ctr.get("ports", ()):
                entry = {"name": str(p["containerPort"]), "port": p["containerPort"],
                         "targetPort": p["containerPort"],
                         "nodePort": node_port_for(metadata["name"], p["containerPort"], p.get("protocol", "TCP"),
                                                   used)}
                if "protocol" in p:
                    entry["protocol"] = p["protocol"]
                ports.append(entry)
    spec: dict = {"selector": {"app": pod_doc["metadata"]["labels"].get("app", "")}, "type": "NodePort"}
    if ports:
        spec["ports"] = ports
    return {"apiVersion": pod_doc["apiVersion"], "kind": "Service", "metadata": metadata, "spec": spec}


def workload(pod_doc: dict, ctx: _Context) -> dict:
    """The Pod itself, or the Deployment, DaemonSet or Job around it (--type)."""
    kind = ctx.options.type
    if kind == "pod":
        return pod_doc
    name = pod_doc["metadata"]["name"]
    spec = pod_doc["spec"]
    policy = spec.get("restartPolicy", "")
    if kind == "deployment" and policy not in ("", "Always"):
        raise PodmanRefusal("k8s Deployments can only have restartPolicy set to Always")
    if kind == "daemonset":
        if policy not in ("", "Always"):
            raise PodmanRefusal("k8s DaemonSets can only have restartPolicy set to Always")
        if ctx.options.replicas > 1:
            raise PodmanRefusal("k8s DaemonSets don't allow setting replicas")
    if kind == "job" and policy == "Always":
        raise PodmanRefusal("k8s Jobs can not have restartPolicy set to Always; only Never and OnFailure "
                            "policies allowed")
    metadata = {"creationTimestamp": pod_doc["metadata"]["creationTimestamp"],
                "labels": pod_doc["metadata"]["labels"], "name": f"{name}-{kind}"}
    template = {"metadata": pod_doc["metadata"], "spec": spec}
    api, kind_name = {"deployment": ("apps/v1", "Deployment"), "daemonset": ("apps/v1", "DaemonSet"),
                      "job": ("batch/v1", "Job")}[kind]
    if kind == "job":
        spec["restartPolicy"] = "Never"
        body: dict = {"completions": 1, "parallelism": 1, "template": template}
    else:
        body = {"selector": {"matchLabels": {"app": name}}, "template": template}
        if kind == "deployment" and ctx.options.replicas > 1:
            body["replicas"] = ctx.options.replicas
        if kind == "daemonset":
            body["updateStrategy"] = {}
    return {"apiVersion": api, "kind": kind_name, "metadata": metadata, "spec": body}
