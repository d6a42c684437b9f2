"""Run a real Podman on a store of the tests' own, and keep exactly what it prints.

This is the one place where the tests, the capture scripts and the benchmarks
run Podman.  Every Podman it runs gets a store made for the run and removed
after it (`Store`): its own root, run root, tmp dir, volume path, network
config dir, lock files, events log and secrets, set twice over: by the global
flags (--root, --runroot, --tmpdir, --volumepath, --network-config-dir,
--storage-driver, --events-backend) and by configuration files of its own
(CONTAINERS_CONF, CONTAINERS_STORAGE_CONF) that replace the machine's.  Before
anything is made in a store, Podman is asked where its store is; a Podman that
answers with any other place is refused.  So a reset (`rm --all`), a listing or
a cleanup only ever sees the store the run made: never a user's pods,
containers, volumes or secrets.

Locks are files in the store's tmp dir (lock_type "file"): with the default
SHM locks, a fresh store frees every lock in /dev/shm/libpod_lock when it is
first used, the default store's locks included.

The configuration is the distribution's own default (the Podman's
/usr/share/containers/containers.conf) plus the store's paths, and nothing
from /etc or ~/.config: live tests model a default Podman, whatever the
machine has configured.

Podman 5.x runs from a chroot (../shared/tools/podman5, podman58) whose /tmp is
the host's /tmp, so stores and every file Podman must see go under /tmp.
"""
from __future__ import annotations

import atexit
import contextlib
import fcntl
import functools
import json
import os
import re
import shlex
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO.parent / "shared" / "tools"
HOST_ROOT = Path("/tmp/kb-capture")          # bind-mount sources used by scenarios
SCENARIO_LOCK = Path("/tmp/kb-capture.lock")  # held while a scenario uses the fixed paths under /tmp
STORE_PARENT = Path("/tmp")                  # shared with the chroot Podmans

# The chroot Podmans of ../shared/tools: wrapper name -> (override of the wrapper path, chroot root and its default)
CHROOTS = {
    "podman5": ("KUBEBRIDGE_PODMAN5", "PODMAN5_ROOT", "/var/tmp/podman5-root"),
    "podman58": ("KUBEBRIDGE_PODMAN58", "PODMAN58_ROOT", "/var/tmp/podman58-root"),
}


@dataclass
class Result:
    argv: list[str]
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def text(self) -> str:
        return self.stdout.decode()


class PodmanFailed(Exception):
    def __init__(self, result: Result):
        super().__init__(f"podman {shlex.join(result.argv)} exited {result.returncode}: {result.stderr.decode().strip()}")
        self.result = result


class StoreRefused(RuntimeError):
    """Podman did not take the store it was given: nothing is run on it."""


# --- the store ---------------------------------------------------------------------------------

ENGINE_KEYS = ("lock_type", "static_dir", "tmp_dir", "volume_path", "events_logger", "events_logfile_path")


def own_config(base_text: str, settings: dict[str, dict[str, str]]) -> str:
    """containers.conf text: base_text with `settings` ({table: {key: value}}) in force.

    A key of `settings` already set in its table of base_text is dropped there;
    the settings go right after their table's header (tables base_text lacks
    are added at the end).  Values are written as TOML strings.
    """
    out: list[str] = []
    table = ""
    pending = {t: dict(keys) for t, keys in settings.items()}
    header = re.compile(r"^\s*\[([A-Za-z0-9_.\-]+)\]\s*(#.*)?$")
    for line in base_text.splitlines():
        m = header.match(line)
        if m:
            table = m.group(1)
            out.append(line)
            out.extend(f"{k} = {json.dumps(v)}" for k, v in pending.pop(table, {}).items())
            continue
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith("#") else None
        if key and key in settings.get(table, {}):
            continue
        out.append(line)
    for table, keys in pending.items():
        out.append(f"[{table}]")
        out.extend(f"{k} = {json.dumps(v)}" for k, v in keys.items())
    return "\n".join(out) + "\n"


@dataclass
class Store:
    """A Podman store made for one run, in a new directory under /tmp, and every path Podman keeps state in."""

    base: Path
    fs_root: Path = Path("/")  # the Podman's filesystem: its distribution config is read there

    @classmethod
    def create(cls, fs_root: Path = Path("/")) -> "Store":
        """A new store, named for this process; stores of processes that died (killed mid-run) are removed."""
        sweep(STORE_PARENT, "kubebridge-podman-")
        store = cls(Path(tempfile.mkdtemp(prefix=f"kubebridge-podman-{os.getpid()}-", dir=STORE_PARENT)), fs_root)
        store.write_config()
        return store

    def path(self, name: str) -> str:
        return str(self.base / name)

    def write_config(self) -> None:
        default = self.fs_root / "usr/share/containers/containers.conf"
        base_text = default.read_text() if default.is_file() else ""
        settings = {
            "engine": {"lock_type": "file", "static_dir": self.path("root/libpod"), "tmp_dir": self.path("tmp"),
                       "volume_path": self.path("volumes"), "events_logger": "file",
                       "events_logfile_path": self.path("events.log")},
            "network": {"network_config_dir": self.path("networks")},
        }
        (self.base / "containers.conf").write_text(own_config(base_text, settings))
        (self.base / "storage.conf").write_text(
            f'[storage]\ndriver = "vfs"\ngraphroot = {json.dumps(self.path("root"))}\n'
            f'runroot = {json.dumps(self.path("run"))}\n')

    def flags(self) -> list[str]:
        """The global flags that put a Podman command on this store."""
        return ["--root", self.path("root"), "--runroot", self.path("run"), "--tmpdir", self.path("tmp"),
                "--volumepath", self.path("volumes"), "--network-config-dir", self.path("networks"),
                "--storage-driver", "vfs", "--events-backend", "file"]

    def env(self) -> dict[str, str]:
        """The process environment for this store: its own configuration files instead of the machine's."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CONTAINERS_", "CONTAINER_HOST"))}
        env.update(CONTAINERS_CONF=self.path("containers.conf"), CONTAINERS_STORAGE_CONF=self.path("storage.conf"))
        return env

    def owns(self, graph_root: str, volume_path: str) -> bool:
        """Whether Podman took this store: its root and volume path, and file locks in its tmp dir (made when
        the runtime starts; with SHM locks there are none, and /dev/shm is shared with the default store)."""
        return graph_root == self.path("root") and volume_path == self.path("volumes") and \
            (self.base / "tmp" / "locks").is_dir()

    def remove(self) -> None:
        """Delete the store's directory (vfs: nothing is mounted in it; containers never start here)."""
        if self.base.parent == STORE_PARENT and self.base.name.startswith("kubebridge-"):
            shutil.rmtree(self.base, ignore_errors=True)


def sweep(parent: Path, prefix: str) -> None:
    """Remove parent/<prefix><pid>-* directories whose process is gone (a run killed before its cleanup)."""
    for path in parent.glob(prefix + "*"):
        pid = path.name.removeprefix(prefix).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


# --- one Podman on its own store -----------------------------------------------------------------

@dataclass
class Podman:
    """One Podman installation, run on a store of its own (made here, removed by close() or at exit)."""

    command: list[str]
    fs_root: Path = Path("/")
    version: str = field(default="", init=False)
    store: Store = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.store = Store.create(self.fs_root)
        atexit.register(self.close)
        where = self._run(["info", "--format", "{{.Store.GraphRoot}}\t{{.Store.VolumePath}}"])
        graph_root, _, volume_path = where.stdout.decode().strip().partition("\t")
        if where.returncode != 0 or not self.store.owns(graph_root, volume_path):
            self.close()
            raise StoreRefused(f"{shlex.join(self.command)} did not take the test store {self.store.base} "
                               f"(it reports root {graph_root!r}, volumes {volume_path!r}, file locks "
                               f"{(self.store.base / 'tmp' / 'locks').is_dir()}; {where.stderr.decode().strip()}): "
                               "not running it")
        self.version = self.run("version", "--format", "{{.Client.Version}}").text.strip()

    @property
    def major_minor(self) -> str:
        return ".".join(self.version.split(".")[:2])

    def argv(self, *args: str) -> list[str]:
        """The whole command line of `podman ARGS` on this store."""
        return [*self.command, *self.store.flags(), *args]

    def _run(self, args: list[str], stdin: bytes | None = None, timeout: int = 120, cwd: str | None = None) -> Result:
        proc = subprocess.run(self.argv(*args), input=stdin, capture_output=True, timeout=timeout,
                              env=self.store.env(), cwd=cwd)
        return Result(list(args), proc.returncode, proc.stdout, proc.stderr)

    def run(self, *args: str, check: bool = True, stdin: bytes | None = None, timeout: int = 120,
            cwd: str | None = None) -> Result:
        """`podman ARGS` on this store; cwd: the directory to start it in (a chroot Podman starts in its /)."""
        result = self._run(list(args), stdin, timeout, cwd)
        if check and result.returncode != 0:
            raise PodmanFailed(result)
        return result

    def run_line(self, line: str, timeout: int = 120) -> subprocess.CompletedProcess:
        """A podman command line written as a user types it (`pod create --name web -p 8080:80`), on this store."""
        return subprocess.run(["bash", "-c", f"{shlex.join(self.argv())} {line}"], capture_output=True,
                              timeout=timeout, env=self.store.env())

    def wrapper(self, log: Path | None = None) -> Path:
        """An executable `podman` for code under test (`kubebridge snapshot --podman WRAPPER`): a script in the
        store that runs this Podman on this store, with the store's configuration, whatever it is asked.
        log: a file each run appends its arguments to (one line per run, tab-separated)."""
        script = self.store.base / "podman"
        lines = ["#!/bin/sh", "# kubebridge tests: this Podman, on this test store only"]
        if log is not None:
            lines.append(f"(IFS=\"$(printf '\\t')\"; printf '%s\\n' \"$*\") >> {shlex.quote(str(log))}")
        lines += ["for name in $(env | sed -n 's/^\\(CONTAINERS\\?_[A-Z_]*\\)=.*/\\1/p'); do unset \"$name\"; done",
                  f"export CONTAINERS_CONF={shlex.quote(self.store.path('containers.conf'))}",
                  f"export CONTAINERS_STORAGE_CONF={shlex.quote(self.store.path('storage.conf'))}",
                  f'exec {shlex.join(self.argv())} "$@"']
        script.write_text("\n".join(lines) + "\n")
        script.chmod(0o755)
        return script

    @contextlib.contextmanager
    def service(self, timeout: float = 30) -> Iterator[str]:
        """`podman system service` of this Podman on this store, listening on a socket in the store: its URL
        (unix://...) while the context lasts; the service is stopped after it."""
        sock = self.store.base / "api.sock"
        proc = subprocess.Popen(self.argv("system", "service", "--time", "0", f"unix://{sock}"),
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=self.store.env())
        try:
            deadline = time.monotonic() + timeout
            while not sock.exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"podman system service did not start: {proc.stderr.read().decode()}"
                                       if proc.poll() is not None else "podman system service did not start")
                time.sleep(0.05)
            yield f"unix://{sock}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stderr.close()

    def reset(self) -> None:
        """Remove every pod, container, volume and secret of this run's own store, so a scenario starts clean."""
        self.run("pod", "rm", "--all", "--force", "--time", "0", check=False)
        self.run("rm", "--all", "--force", "--time", "0", check=False)
        self.run("volume", "rm", "--all", "--force", check=False)
        self.run("secret", "rm", "--all", check=False)

    def close(self) -> None:
        """Remove the store (idempotent)."""
        self.store.remove()

    def stat_type(self, path: str) -> str:
        """What Podman's os.Stat would say of a hostPath source: Directory, File or absent."""
        local = self.fs_root / path.lstrip("/")
        if local.is_dir():
            return "Directory"
        if local.exists():
            return "File"
        return ""


def chroot_mount(name: str) -> Path:
    """Where a chroot Podman's filesystem is seen from the host (podman-chroot mounts its root at ROOT.mnt)."""
    _, root_var, default = CHROOTS[name]
    root = Path(os.environ.get(root_var, default))
    return root.with_name(root.name + ".mnt")


def chroot_wrapper(name: str) -> Path | None:
    """Where a chroot Podman's wrapper is: $KUBEBRIDGE_PODMAN5 (or 58), else ../shared/tools beside the
    checkout, else on PATH."""
    path_var = CHROOTS[name][0]
    for candidate in (os.environ.get(path_var), TOOLS / name, shutil.which(name)):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def podman_commands() -> list[tuple[list[str], Path]]:
    """Every Podman this machine has, as (command, filesystem root): the system one and the built chroots."""
    found = []
    if shutil.which("podman"):
        found.append((["podman"], Path("/")))
    for name, (_, root_var, default) in CHROOTS.items():
        wrapper = chroot_wrapper(name)
        if wrapper and (Path(os.environ.get(root_var, default)) / "usr/bin/podman").exists():
            found.append(([str(wrapper)], chroot_mount(name)))
    return found


def find_podmans() -> list[Podman]:
    """Every Podman this machine has, each on a store of its own."""
    return [Podman(command, fs_root) for command, fs_root in podman_commands()]


def podman_from_command(command: str) -> Podman:
    """A Podman from a command name (podman, or a chroot wrapper that sees its chroot's files), on its own store.

    A bare podman5 or podman58 is found as the tests find it (chroot_wrapper)."""
    name = Path(command).name
    if name in CHROOTS and not Path(command).is_file():
        found = chroot_wrapper(name)
        if found is None:
            raise SystemExit(f"{command}: not found (set {CHROOTS[name][0]} to the wrapper's path)")
        command = str(found)
    if not shutil.which(command):
        raise SystemExit(f"{command}: not found")
    if "/" in command:  # absolute: a scenario may run Podman in another directory (# cwd:)
        command = str(Path(command).resolve())
    return Podman([command], fs_root=chroot_mount(name) if name in CHROOTS else Path("/"))


# --- test images, made from busybox-static without any registry -------------------------

IMAGES = {
    # name: podman import --change arguments
    "localhost/busybox:latest": ['CMD ["/bin/sh"]', "ENV PATH=/bin"],
    "localhost/webimg:1.0": ['ENTRYPOINT ["/bin/httpd"]', 'CMD ["-f","-p","80"]', "ENV APP_MODE=prod",
                             "ENV PATH=/bin", "WORKDIR /srv", "LABEL org.example.team=web", "EXPOSE 80", "USER 0"],
    "localhost/nonroot:1.0": ['ENTRYPOINT ["/bin/sleep"]', 'CMD ["1000"]', "USER 1000", "ENV PATH=/bin"],
    "localhost/appuser:1.0": ['CMD ["/bin/top"]', "USER app", "ENV PATH=/bin", "WORKDIR /home/app"],
    "localhost/envimg:1.0": ['CMD ["/bin/env"]', "ENV PATH=/bin", "ENV OPTS=a=b,c=d", "ENV EMPTY_IN_IMAGE=",
                             "ENV GREETING=hello world", "WORKDIR /work", "EXPOSE 8080/tcp", "EXPOSE 5353/udp",
                             "STOPSIGNAL SIGQUIT"],
}
_APPLETS = "sh ls cat sleep httpd wget echo top env nc true id".split()


def image_rootfs(tmp: Path) -> Path:
    """A tar of a busybox-static root filesystem, the content of every test image."""
    busybox = shutil.which("busybox")
    if not busybox:
        raise RuntimeError("busybox-static is needed to build the test images: apt-get install -y busybox-static")
    root = tmp / "root"
    for sub in ("bin", "etc", "tmp", "srv", "work", "home/app"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    shutil.copy(busybox, root / "bin/busybox")
    for applet in _APPLETS:
        (root / "bin" / applet).symlink_to("busybox")
    (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002:app:/home/app:/bin/sh\n")
    (root / "etc/group").write_text("root:x:0:\napp:x:1002:\n")
    tar = tmp / "rootfs.tar"
    with tarfile.open(tar, "w") as t:
        t.add(root, arcname=".")
    return tar


def ensure_images(podman: Podman) -> None:
    have = set(podman.run("images", "--format", "{{.Repository}}:{{.Tag}}").text.split())
    missing = [name for name in IMAGES if name not in have]
    if not missing:
        return
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="kb-images.") as tmp:
        tar = image_rootfs(Path(tmp))
        for name in missing:
            changes = [arg for change in IMAGES[name] for arg in ("--change", change)]
            podman.run("import", *changes, str(tar), name)


def has_subids(podman: Podman) -> bool:
    """`--userns auto` needs subordinate IDs for the user "containers" (podman-run(1)) in the Podman's /etc.

    Nothing here writes them: /etc/subuid is the machine's, not the tests'.  A chroot
    Podman's are its chroot's (../shared/tools builds them); add them there with
    `echo containers:2147483647:2147483648 >> ROOT/etc/subuid` (and subgid), and for
    Podman 5.8's libsubid the user itself (`chroot ROOT useradd --system containers`).
    """
    for name in ("etc/subuid", "etc/subgid", "etc/passwd"):  # newer libsubid wants the user to exist too (5.8)
        f = podman.fs_root / name
        if not f.exists() or not any(line.startswith("containers:") for line in f.read_text().splitlines()):
            return False
    return True


def exclusive(func):
    """Run func holding the machine-wide scenario lock.

    Scenarios use fixed paths (/tmp/kb-capture, /tmp/kb-play: the captured files
    name them), so two test runs, or a capture beside a test run, take turns.
    """
    @functools.wraps(func)
    def locked(*args, **kwargs):
        with open(SCENARIO_LOCK, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return func(*args, **kwargs)
    return locked


def prepare_host_files() -> None:
    """Bind-mount sources the scenarios use, identical for every capture."""
    if HOST_ROOT.exists():
        shutil.rmtree(HOST_ROOT)
    for d in ("data", "logs", "html", "Upper_Case.Dir", "cache/nested"):
        (HOST_ROOT / d).mkdir(parents=True)
    (HOST_ROOT / "data/hello.txt").write_text("hello\n")
    (HOST_ROOT / "config.txt").write_text("key=value\n")
    (HOST_ROOT / "gone").mkdir()


def loads(data: bytes):
    return json.loads(data)
