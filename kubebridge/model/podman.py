"""The intermediate model: Podman's pods, containers, images and volumes.

Loaders fill it from `podman ... inspect` JSON (and, for play, from Kubernetes
YAML); translators read it.  It holds what Podman itself knows about an
object, in Podman's terms, independent of the Podman version and of the text
it came from.  Nothing here reads files or formats text.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class PortMapping:
    """One published port (ranges are kept expanded: one entry per port)."""

    container_port: int
    host_port: int = 0
    protocol: str = "tcp"  # tcp, udp or sctp
    host_ip: str = ""


@dataclass(slots=True)
class Mount:
    """A user volume: a bind mount, a named volume or a tmpfs."""

    type: str  # "bind", "volume", "tmpfs" or "image" (an image's filesystem, read-only; source: the image)
    destination: str
    source: str = ""  # host path of a bind, name of a volume
    options: tuple[str, ...] = ()
    read_only: bool = False
    sub_path: str = ""


@dataclass(slots=True)
class Device:
    path: str  # on the host
    destination: str = ""  # in the container; empty: the same as path


@dataclass(slots=True)
class Healthcheck:
    """A container healthcheck, as kube play makes one from a liveness or startup probe."""

    test: list[str]
    interval: int = 30  # seconds
    retries: int = 3  # consecutive failures before unhealthy
    timeout: int = 30  # seconds
    start_period: int = 0  # seconds
    on_failure: str = "none"
    successes: int = 0  # consecutive successes a startup check needs; 0: not set


@dataclass(slots=True)
class Ulimit:
    """One resource limit of a container (`--ulimit nofile=1024:2048`)."""

    name: str  # "nofile", as `--ulimit` spells it
    soft: int  # in the resource's own unit (a count of files, bytes, ...); -1 unlimited
    hard: int


@dataclass(slots=True)
class Image:
    """A Podman image as `podman image inspect` shows it: the names and the config a container inherits
    (ENTRYPOINT, CMD, ENV, WORKDIR, USER, labels, exposed ports, volumes)."""

    id: str
    names: tuple[str, ...] = ()
    entrypoint: list[str] = field(default_factory=list)
    cmd: list[str] = field(default_factory=list)
    env: list[str] = field(default_factory=list)
    working_dir: str = ""
    user: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    stop_signal: str = ""
    exposed_ports: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Container:
    """A Podman container as `podman container inspect` shows it, reduced to what generate and play
    read or write (times in nanoseconds since the epoch, sizes in bytes)."""

    id: str
    name: str
    image: str  # the image name as the user gave it
    image_id: str = ""
    created: int = 0  # nanoseconds since the epoch; orders a pod's containers
    pod_id: str = ""
    is_infra: bool = False
    init_type: str = ""  # "" for a regular container, else "once" or "always"
    entrypoint: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    env: list[str] = field(default_factory=list)  # "KEY=value", in the container's order
    working_dir: str = "/"
    user: str = ""
    tty: bool = False
    stdin: bool = False
    hostname: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    stop_timeout: int = 10  # seconds
    stop_signal: str = ""
    restart_policy: str = ""  # "", "no", "always", "on-failure", "unless-stopped"
    restart_retries: int = 0  # on-failure's maximum retry count
    ports: list[PortMapping] = field(default_factory=list)
    dns_servers: list[str] = field(default_factory=list)
    dns_search: list[str] = field(default_factory=list)
    dns_options: list[str] = field(default_factory=list)
    add_hosts: list[str] = field(default_factory=list)
    capabilities: list[str] = field(default_factory=list)  # every capability the process may hold
    cap_add: list[str] = field(default_factory=list)
    cap_drop: list[str] = field(default_factory=list)
    privileged: bool = False
    read_only: bool = False
    no_new_privileges: bool = False
    unmask_all: bool = False  # no masked paths: `--security-opt unmask=all` or privileged
    memory: int = 0  # bytes
    memory_reservation: int = 0  # bytes
    cpu_quota: int = 0  # microseconds of CPU time per period (CFS quota)
    cpu_period: int = 0  # microseconds (CFS period)
    cpu_shares: int = 0  # relative weight
    pids_limit: int = 0  # processes; 0 unlimited
    mounts: list[Mount] = field(default_factory=list)
    ulimits: list[Ulimit] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)  # --device: host path, and where in the container
    network_mode: str = ""
    host_users: bool = True  # the user namespace is the host's
    create_command: list[str] = field(default_factory=list)
    # what kube play decides beyond what generate reads
    groups: list[str] = field(default_factory=list)  # supplemental groups
    # SELinux label parts, one a part: "type:spc_t", "level:s0", "disable" (inspect's joined
    # "label=type:spc_t,label=level:s0" is split when it is loaded)
    selinux_opts: list[str] = field(default_factory=list)
    seccomp_profile: str = ""  # "unconfined" or a path; empty: the default profile
    apparmor_profile: str = ""
    umask: str = "0022"
    pid_host: bool = False
    pid_shared: bool = False  # joins the pod's PID namespace (shareProcessNamespace)
    ipc_host: bool = False
    uts_host: bool = False
    healthcheck: Healthcheck | None = None
    startup_healthcheck: Healthcheck | None = None
    exposed_ports: list[str] = field(default_factory=list)  # "80/tcp", from the image
    auto_remove: bool = False
    init: bool = False  # --init: a minimal init process
    sysctls: dict[str, str] = field(default_factory=dict)
    origin: tuple[str, str] = ("", "")  # (input, JSON path) it was read from, for messages


@dataclass(slots=True)
class Pod:
    """A Podman pod as `podman pod inspect` shows it, with its infra container and its containers (times
    in nanoseconds since the epoch)."""

    id: str
    name: str
    created: int = 0  # nanoseconds since the epoch
    hostname: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    restart_policy: str = ""
    shared_namespaces: list[str] = field(default_factory=lambda: ["ipc", "net", "uts"])
    infra_id: str = ""
    infra_name: str = ""
    ports: list[PortMapping] = field(default_factory=list)
    host_network: bool = False
    userns: str = "host"
    dns_servers: list[str] = field(default_factory=list)
    dns_search: list[str] = field(default_factory=list)
    dns_options: list[str] = field(default_factory=list)
    add_hosts: list[str] = field(default_factory=list)  # "hostname:ip"
    networks: list[str] = field(default_factory=list)
    network_aliases: list[str] = field(default_factory=list)  # names the pod has on its networks besides its own
    infra_annotations: dict[str, str] = field(default_factory=dict)
    exit_policy: str = "continue"
    pid_host: bool = False
    ipc_host: bool = False
    uts_host: bool = False
    sysctls: dict[str, str] = field(default_factory=dict)
    infra: Container | None = None  # the infra container, when the model was made by play
    containers: list[Container] = field(default_factory=list)  # without the infra container
    members: dict[str, str] = field(default_factory=dict)  # id -> name of every container, from pod inspect
    create_command: list[str] = field(default_factory=list)
    origin: tuple[str, str] = ("", "")  # (input, JSON path) it was read from, for messages

    def shares(self, namespace: str) -> bool:
        return namespace in self.shared_namespaces


@dataclass(slots=True)
class Volume:
    """A named Podman volume as `podman volume inspect` shows it, with the files kube play writes into it."""

    name: str
    driver: str = "local"
    labels: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)
    anonymous: bool = False  # removed with its pod (kube play's emptyDir)
    files: dict[str, bytes] = field(default_factory=dict)  # what kube play writes into it (ConfigMap, Secret)
    file_mode: int = 0o644  # permission bits of the files it holds


@dataclass(slots=True)
class Snapshot:
    """Everything a generate call may look at, as one set of Podman objects."""

    pods: list[Pod] = field(default_factory=list)
    containers: list[Container] = field(default_factory=list)  # those not in a pod
    volumes: list[Volume] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    # What os.Stat says of each bind-mount source on the generating host:
    # "Directory", "File", or absent (Podman then writes DirectoryOrCreate).
    host_paths: dict[str, str] = field(default_factory=dict)
    # Which Podman printed the inspect output, as far as it tells ("4.3", "5.4", "5.8", "5", or a full version
    # a snapshot bundle records; "" when nothing tells), and the sign that says so ("" for a recorded version that
    # has a profile of its own: nothing was guessed, nothing needs saying)
    printed_by: str = ""
    printed_by_sign: str = ""
    # The names a snapshot bundle was taken of: what generate makes when it is given none (else everything)
    names: tuple[str, ...] = ()

    def find_image(self, container: Container) -> Image | None:
        for image in self.images:
            if container.image_id and image.id == container.image_id:
                return image
        for image in self.images:
            if container.image in image.names:
                return image
        return None
