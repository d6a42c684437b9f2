"""Podman inspect JSON -> the intermediate model.

Accepts the output of `podman pod|container|image|volume inspect` from Podman
4 and 5, recognising each object's kind from its content.  Inspect shows the
runtime view of a container while `kube generate` reads the create-time one;
the differences are undone here (see the notes on each function).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from kubebridge.errors import InputError
from kubebridge.load import shape
from kubebridge.load.source import Source
from kubebridge.model.names import RUNTIME_ONLY_ANNOTATIONS, label_parts
from kubebridge.model.podman import Container, Device, Image, Mount, Pod, PortMapping, Snapshot, Ulimit, Volume

KINDS = ("pod", "container", "image", "volume")


@dataclass
class Objects:
    """Inspect objects by kind, each with where it came from: (input name, JSON path in it)."""

    pods: list[tuple[dict, tuple[str, str]]] = field(default_factory=list)
    containers: list[tuple[dict, tuple[str, str]]] = field(default_factory=list)
    images: list[tuple[dict, tuple[str, str]]] = field(default_factory=list)
    volumes: list[tuple[dict, tuple[str, str]]] = field(default_factory=list)
    # what snapshot bundles (load/bundle.py) record: the Podman version (the first bundle's), and the names they
    # were taken of when every input is a bundle (else None: Podman's default of everything)
    podman_version: str = ""
    podman_version_file: str = ""  # the bundle that recorded it (for messages)
    names: list[str] | None = None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def deepest_json(text: str) -> tuple[int, int, int]:
    """(depth, line, column) of the most deeply nested bracket of JSON text (strings skipped)."""
    depth = best = 0
    where = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > best:
                best, where = depth, match.start()
        elif token in "]}":
            depth -= 1
    return best, text.count("\n", 0, where) + 1, where - text.rfind("\n", 0, where)


def parse_json(source: Source) -> Any:
    if source.data is not None or source.text is None:
        return source.data
    text = source.text
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {exc.start})", file=source.name) from None
    if not text.strip():
        raise InputError("empty input: expected the JSON printed by podman ... inspect", file=source.name)
    if not text.lstrip("\ufeff \t\r\n").startswith(("[", "{")):
        hint = " (this looks like Kubernetes YAML: `play` reads that)" if "apiVersion" in text[:4096] else ""
        what = "not JSON"
        try:
            json.loads(text)
            what = "JSON, but not inspect output (a list or object)"  # null, 5, "x": valid JSON of the wrong shape
        except (ValueError, RecursionError):
            pass
        raise InputError(f"{what}: expected the JSON printed by podman ... inspect{hint}", file=source.name,
                         line=1)
    duplicates: list[tuple[dict, str]] = []

    def pairs(items: list[tuple[str, Any]]) -> dict:
        obj = dict(items)
        if len(obj) < len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    duplicates.append((obj, key))
                    break
                seen.add(key)
        return obj

    try:
        data = json.loads(text.lstrip("\ufeff"), object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", file=source.name, line=exc.lineno, column=exc.colno) from None
    except RecursionError:  # Python's json reader is recursive: its recursion limit bounds nesting
        depth, line, column = deepest_json(text)
        raise InputError(f"JSON nested {depth:,} levels deep: more than Python's recursion limit lets kubebridge "
                         "read", file=source.name, line=line, column=column) from None
    if duplicates:
        obj, key = duplicates[0]
        raise InputError(f"key {key!r} is given twice in one object", file=source.name,
                         path=f"{_path_to(data, obj)}.{key}")
    return data


def _path_to(data: Any, target: dict) -> str | None:
    """The JSON path of the object `target` inside data (iteratively: data may be deep)."""
    stack: list[tuple[Any, str]] = [(data, "$")]
    while stack:
        value, path = stack.pop()
        if value is target:
            return path
        if isinstance(value, dict):
            stack.extend((v, f"{path}.{k}") for k, v in value.items() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(value) if isinstance(v, (dict, list)))
    return None


def kind_of(obj: Any) -> str | None:
    """Which inspect command printed this object, judged by keys only that command prints."""
    if not isinstance(obj, dict):
        return None
    if "InfraConfig" in obj or "SharedNamespaces" in obj or "NumContainers" in obj:
        return "pod"
    if "HostConfig" in obj or ("State" in obj and "Config" in obj and "Image" in obj):
        return "container"
    if "RootFS" in obj or "RepoTags" in obj or "Architecture" in obj:
        return "image"
    if "Mountpoint" in obj or ("Driver" in obj and "Scope" in obj):
        return "volume"
    return None


def collect(sources: Iterable[Source]) -> Objects:
    """Parse, classify and validate every input object."""
    from kubebridge.load import bundle

    objects = Objects()
    only_bundles = True
    for source in sources:
        data = parse_json(source)
        if bundle.is_bundle(data):
            read = bundle.read(data, source.name, kind_of)
            if not objects.podman_version and read.podman_version:
                objects.podman_version = read.podman_version
                objects.podman_version_file = "" if source.name.startswith("<") else source.name  # <input 1>: no file
            objects.names = (objects.names or []) + [n for n in read.names if n not in (objects.names or [])]
            for listed, obj, where in read.objects:
                _check_shape(listed, obj, source.name, where)
                getattr(objects, listed + "s").append((obj, (source.name, where)))
            continue
        only_bundles = False
        items = data if isinstance(data, list) else [data]
        for index, obj in enumerate(items):
            where = f"$[{index}]" if isinstance(data, list) else "$"
            kind = kind_of(obj)
            if kind is None:
                raise InputError(
                    "not Podman inspect output: expected the JSON printed by podman pod inspect, "
                    "podman container inspect, podman image inspect or podman volume inspect",
                    file=source.name, path=where)
            _check_shape(kind, obj, source.name, where)
            getattr(objects, kind + "s").append((obj, (source.name, where)))
    if not only_bundles:
        objects.names = None
    return objects


def _check_shape(kind: str, obj: Any, file: str, where: str) -> None:
    if not shape.checker(f"inspect/{kind}")(obj):
        path, message = shape.explain(f"inspect/{kind}", obj)
        raise InputError(f"{message} (in {kind} inspect output)", file=file, path=where + path[1:])


# --- small conversions ------------------------------------------------------------------

_TIME = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)\Z")


def parse_time(value: str | None) -> int:
    """RFC 3339 with nanoseconds (Go's format) -> nanoseconds since the epoch; 0 if absent."""
    if not value:
        return 0
    m = _TIME.match(value)
    if not m:
        return 0
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    seconds = int(datetime.fromisoformat(m.group(1) + zone).timestamp())
    return seconds * 1_000_000_000 + int((m.group(2) or "0").ljust(9, "0")[:9])


def _list(value: Any) -> list:
    return list(value) if value else []


def _map(value: Any) -> dict:
    return dict(value) if value else {}


def ports_from_bindings(bindings: dict | None) -> list[PortMapping]:
    """Inspect PortBindings ({"80/tcp": [{"HostIp", "HostPort"}]}) -> port mappings.

    A port only exposed (EXPOSE, --expose) has no bindings and is no mapping.
    Podman 5 shows an unset host IP as 0.0.0.0, so 0.0.0.0 reads as unset.
    Inspect prints the map sorted by key, so Podman's own order is lost; ports
    are returned grouped by host IP and protocol, each group by host port, the
    order Podman's ParsePortMapping gives within a group.
    """
    ports = []
    for key, hosts in (bindings or {}).items():
        number, _, proto = key.partition("/")
        for host in hosts or ():
            host_ip = host.get("HostIp", "") or ""
            if host_ip == "0.0.0.0":
                host_ip = ""
            host_port = host.get("HostPort") or "0"
            ports.append(PortMapping(int(number), int(host_port) if host_port.isdigit() else 0,
                                     proto or "tcp", host_ip))
    order = {"tcp": 0, "udp": 1, "sctp": 2}
    ports.sort(key=lambda p: (p.host_ip, order.get(p.protocol, 3), p.protocol, p.host_port == 0, p.host_port,
                              p.container_port))
    return ports


def _flag_value(argv: list[str], flag: str) -> str | None:
    """The value of `--flag VALUE` or `--flag=VALUE` in a create command line."""
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg[len(flag) + 1:]
    return None


def _env_flags(argv: list[str]) -> set[str]:
    """Names set with -e/--env on a create command line."""
    names = set()
    for i, arg in enumerate(argv):
        value = None
        if arg in ("-e", "--env") and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--env="):
            value = arg[6:]
        elif arg.startswith("-e") and len(arg) > 2:
            value = arg[2:]
        if value is not None:
            names.add(value.split("=", 1)[0])
    return names


def _restart_policy(name: str, create: list[str]) -> str:
    """Inspect shows an unset restart policy as "no"; generate tells the two apart.

    A container made by `podman create/run` without --restart had none; one
    made by `kube play` always gets an explicit policy from the YAML.
    """
    if name != "no":
        return name
    played = create[1:3] in (["kube", "play"], ["play", "kube"])
    given = any(a == "--restart" or a.startswith("--restart=") for a in create)
    return name if played or given else ""


def _entrypoint(config: dict, obj: dict) -> list[str]:
    """Config.Entrypoint as a list; Podman 4 joins it with spaces.

    Podman 4's Path and Args hold the entrypoint and command as separate words,
    so the list is rebuilt from them when they agree with the joined string.
    """
    value = config.get("Entrypoint")
    if not isinstance(value, str):
        return _list(value)
    if not value:
        return []
    cmd = _list(config.get("Cmd"))
    path, args = obj.get("Path", ""), _list(obj.get("Args"))
    # inspect drops the first word from Args only when there are two or more
    for words in ([path] + args, args):
        candidate = words[: len(words) - len(cmd)] if len(words) > len(cmd) else []
        if candidate and " ".join(candidate) == value and words[len(candidate):] == cmd:
            return candidate
    return value.split(" ")


# --- objects ------------------------------------------------------------------------------

def load_container(obj: dict) -> Container:
    config = obj.get("Config") or {}
    host = obj.get("HostConfig") or {}
    create = _list(config.get("CreateCommand"))
    restart = host.get("RestartPolicy") or {}
    security_opt = _list(host.get("SecurityOpt"))
    explicit_env = _env_flags(create)
    # HOME is added to the runtime spec at start; generate reads the create-time spec
    env = [e for e in _list(config.get("Env")) if not e.startswith("HOME=") or "HOME" in explicit_env]
    annotations = {k: v for k, v in _map(config.get("Annotations")).items() if k not in RUNTIME_ONLY_ANNOTATIONS}
    caps: list[str] = []
    for cap in _list(obj.get("BoundingCaps")) + _list(obj.get("EffectiveCaps")):
        if cap not in caps:
            caps.append(cap)
    userns = host.get("UsernsMode") or ""
    return Container(
        id=obj["Id"],
        name=obj.get("Name", ""),
        image=config.get("Image") or obj.get("ImageName") or "",
        image_id=obj.get("Image", "") or "",
        created=parse_time(obj.get("Created")),
        pod_id=obj.get("Pod", "") or "",
        is_infra=bool(obj.get("IsInfra")),
        init_type=_flag_value(create, "--init-ctr") or "",
        entrypoint=_entrypoint(config, obj),
        command=_list(config.get("Cmd")),
        env=env,
        working_dir=config.get("WorkingDir") or "/",
        user=config.get("User") or "",
        tty=bool(config.get("Tty")),
        stdin=bool(config.get("OpenStdin")),
        hostname=config.get("Hostname") or "",
        labels=_map(config.get("Labels")),
        annotations=annotations,
        stop_timeout=int(config.get("StopTimeout", 10)),
        stop_signal=str(config.get("StopSignal", "") or ""),
        restart_policy=_restart_policy(restart.get("Name", "") or "", create),
        restart_retries=int(restart.get("MaximumRetryCount", 0) or 0),
        ports=ports_from_bindings(host.get("PortBindings")),
        dns_servers=_list(host.get("Dns")),
        dns_search=_list(host.get("DnsSearch")),
        dns_options=_list(host.get("DnsOptions")),
        add_hosts=_list(host.get("ExtraHosts")),
        capabilities=caps,
        cap_add=_list(host.get("CapAdd")),
        cap_drop=_list(host.get("CapDrop")),
        privileged=bool(host.get("Privileged")),
        read_only=bool(host.get("ReadonlyRootfs")),
        no_new_privileges="no-new-privileges" in security_opt,
        unmask_all="unmask=all" in security_opt,
        selinux_opts=[part for o in security_opt if o.startswith("label=") for part in label_parts(o[6:])],
        memory=int(host.get("Memory", 0) or 0),
        memory_reservation=int(host.get("MemoryReservation", 0) or 0),
        cpu_quota=int(host.get("CpuQuota", 0) or 0),
        cpu_period=int(host.get("CpuPeriod", 0) or 0),
        cpu_shares=int(host.get("CpuShares", 0) or 0),
        pids_limit=int(host.get("PidsLimit", 0) or 0),
        mounts=_mounts(obj, host),
        ulimits=[Ulimit(u["Name"].removeprefix("RLIMIT_").lower(), int(u.get("Soft", 0)), int(u.get("Hard", 0)))
                 for u in _list(host.get("Ulimits"))],
        devices=[_device(d) for d in _list(host.get("Devices"))],
        network_mode=host.get("NetworkMode") or "",
        host_users=userns in ("", "host") and not host.get("IDMappings"),
        create_command=create,
    )


def _device(entry: dict) -> Device:
    path, inside = entry.get("PathOnHost", "") or "", entry.get("PathInContainer", "") or ""
    return Device(path, "" if inside == path else inside)


def _mounts(obj: dict, host: dict) -> list[Mount]:
    """Binds in inspect order, then tmpfs mounts, then named volumes.

    Inspect keeps the order of binds and of named volumes; tmpfs mounts are a
    map there, so where Podman placed them among the binds is unknown.
    """
    binds, volumes = [], []
    for m in _list(obj.get("Mounts")):
        mode = m.get("Mode") or ""
        options = tuple(o for o in [mode, *(_list(m.get("Options")))] if o)
        read_only = not m.get("RW", True)
        if m["Type"] == "bind":
            binds.append(Mount("bind", m["Destination"], m.get("Source", ""), options, read_only))
        elif m["Type"] == "volume":
            volumes.append(Mount("volume", m["Destination"], m.get("Name", ""), options, read_only,
                                 m.get("SubPath", "") or ""))
        elif m["Type"] == "image":
            binds.append(Mount("image", m["Destination"], m.get("Source", ""), read_only=True))
    tmpfs_options = _map(host.get("Tmpfs"))
    tmpfs = [Mount("tmpfs", dest, "tmpfs", tuple(o for o in (tmpfs_options[dest] or "").split(",") if o),
                   "ro" in (tmpfs_options[dest] or "").split(","))
             for dest in _tmpfs_order(tmpfs_options, _list((obj.get("Config") or {}).get("CreateCommand")))]
    return binds + tmpfs + volumes


READ_ONLY_TMPFS = ("/tmp", "/var/tmp", "/run")  # what --read-only-tmpfs mounts, in the order Podman adds them


def _tmpfs_order(tmpfs: dict, create: list[str]) -> list[str]:
    """Tmpfs destinations in the order Podman added them: the user's --tmpfs and --mount type=tmpfs in the order
    given, then --read-only-tmpfs's /tmp, /var/tmp and /run (inspect prints the map sorted; Podman's own output
    lists them in a rotation of the order they were added)."""
    given = []
    for i, word in enumerate(create):
        value = create[i + 1] if word in ("--tmpfs", "--mount") and i + 1 < len(create) else \
            word.split("=", 1)[1] if word.startswith(("--tmpfs=", "--mount=")) else None
        if value is None:
            continue
        if word.startswith("--mount"):
            fields = dict(f.split("=", 1) for f in value.split(",") if "=" in f)
            value = fields.get("destination") or fields.get("dst") or fields.get("target") or ""
        given.append(value.split(":", 1)[0])
    ordered = [d for d in dict.fromkeys(given) if d in tmpfs]
    ordered += [d for d in READ_ONLY_TMPFS if d in tmpfs and d not in ordered]
    return ordered + sorted(d for d in tmpfs if d not in ordered)


def load_pod(obj: dict) -> Pod:
    infra = obj.get("InfraConfig") or {}
    infra_id = obj.get("InfraContainerID", "") or ""
    infra_name = next((c.get("Name", "") for c in _list(obj.get("Containers")) if c.get("Id") == infra_id), "")
    return Pod(
        id=obj["Id"],
        name=obj.get("Name", ""),
        created=parse_time(obj.get("Created")),
        hostname=obj.get("Hostname", "") or "",
        labels=_map(obj.get("Labels")),
        restart_policy=obj.get("RestartPolicy", "") or "",
        shared_namespaces=_list(obj.get("SharedNamespaces")),
        infra_id=infra_id,
        infra_name=infra_name,
        ports=ports_from_bindings(infra.get("PortBindings")),
        host_network=bool(infra.get("HostNetwork")),
        userns=infra.get("userns", "host") or "host",
        dns_servers=_list(infra.get("DNSServer")),
        dns_search=_list(infra.get("DNSSearch")),
        dns_options=_list(infra.get("DNSOption")),
        add_hosts=_list(infra.get("HostAdd")),
        networks=_list(infra.get("Networks")),
        create_command=_list(obj.get("CreateCommand")),
        members={c["Id"]: c.get("Name", "") for c in _list(obj.get("Containers"))},
    )


def load_image(obj: dict) -> Image:
    config = obj.get("Config") or {}
    names = tuple(_list(obj.get("RepoTags")) + _list(obj.get("NamesHistory")))
    return Image(
        id=obj["Id"],
        names=names,
        entrypoint=_list(config.get("Entrypoint")),
        cmd=_list(config.get("Cmd")),
        env=_list(config.get("Env")),
        working_dir=config.get("WorkingDir", "") or "",
        user=obj.get("User", config.get("User", "")) or "",
        labels=_map(config.get("Labels")),
        stop_signal=config.get("StopSignal", "") or "",
        exposed_ports=sorted(_map(config.get("ExposedPorts"))),
        volumes=sorted(_map(config.get("Volumes"))),
    )


def load_volume(obj: dict) -> Volume:
    return Volume(name=obj["Name"], driver=obj.get("Driver", "local") or "local",
                  labels=_map(obj.get("Labels")), options=_map(obj.get("Options")))


def load_snapshot(sources: Iterable[Source], host_paths: dict[str, str] | None = None) -> Snapshot:
    """Every input, classified and tied together: containers into their pods."""
    objects = collect(sources)
    pods = {}
    for obj, origin in objects.pods:
        pod = load_pod(obj)
        pod.origin = origin
        if pod.id in pods:
            continue  # the same pod given twice
        pods[pod.id] = pod
    from kubebridge.load.podman_version import detect, recorded

    detected = (recorded(objects.podman_version, objects.podman_version_file) if objects.podman_version
                else detect(objects))
    snapshot = Snapshot(pods=list(pods.values()), host_paths=dict(host_paths or {}), printed_by=detected.version,
                        printed_by_sign=detected.because, names=tuple(objects.names or ()))
    seen = set()
    for obj, origin in objects.containers:
        ctr = load_container(obj)
        ctr.origin = origin
        if ctr.id in seen:
            continue
        seen.add(ctr.id)
        owner = pods.get(ctr.pod_id)
        if owner is None:
            snapshot.containers.append(ctr)
        elif ctr.is_infra:
            owner.infra_annotations = ctr.annotations
            owner.infra_name = ctr.name or owner.infra_name
            if not owner.dns_servers and not owner.dns_search and not owner.dns_options:
                owner.dns_servers, owner.dns_search, owner.dns_options = (ctr.dns_servers, ctr.dns_search,
                                                                          ctr.dns_options)
        else:
            owner.containers.append(ctr)
    snapshot.images = [load_image(obj) for obj, _ in objects.images]
    snapshot.volumes = [load_volume(obj) for obj, _ in objects.volumes]
    return snapshot
