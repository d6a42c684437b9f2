"""A container -> its place in a pod spec (libpod/kube.go containerToV1Container)."""
from __future__ import annotations

from kubebridge.errors import InputError, PodmanRefusal
from kubebridge.model import quantity
from kubebridge.model.names import LABEL_ANNOTATION, label_parts
from kubebridge.model.podman import Container, Image, PortMapping
from kubebridge.model.profiles import Profile

from .context import _Context
from .volumes import volume_mounts

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
    image_env = dict(_pair(e) for e in image.env)
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
        for part in label_parts(label):
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


def _pair(entry: str) -> tuple[str, str]:
    """KEY=value -> (KEY, value); a bare KEY has the empty value."""
    key, _, value = entry.partition("=")
    return key, value
