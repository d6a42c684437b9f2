"""Run a real Podman and keep exactly what it prints.

Shared by the capture scripts (which write fixtures) and the live tests (which
compare kubebridge with Podman at test time).  Podman 5 lives in a chroot whose
/tmp is the host's /tmp, so every file Podman must see goes under /tmp.
"""
from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PODMAN5 = Path(os.environ.get("KUBEBRIDGE_PODMAN5", REPO.parent / "shared" / "tools" / "podman5"))
HOST_ROOT = Path("/tmp/kb-capture")          # bind-mount sources used by scenarios
PODMAN5_ROOT = Path(os.environ.get("PODMAN5_ROOT", "/var/tmp/podman5-root"))


@dataclass
class Result:
    argv: list[str]
    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def text(self) -> str:
        return self.stdout.decode()


@dataclass
class Podman:
    """One Podman installation: a command prefix and the root it sees."""

    command: list[str]
    fs_root: Path = Path("/")
    version: str = field(default="", init=False)

    def __post_init__(self) -> None:
        self.version = self.run("version", "--format", "{{.Client.Version}}").text.strip()

    @property
    def major_minor(self) -> str:
        return ".".join(self.version.split(".")[:2])

    def run(self, *args: str, check: bool = True, stdin: bytes | None = None, timeout: int = 120) -> Result:
        argv = [*self.command, *args]
        proc = subprocess.run(argv, input=stdin, capture_output=True, timeout=timeout)
        result = Result(list(args), proc.returncode, proc.stdout, proc.stderr)
        if check and proc.returncode != 0:
            raise PodmanFailed(result)
        return result

    def reset(self) -> None:
        """Remove every pod, container and volume, so a scenario starts clean."""
        self.run("pod", "rm", "--all", "--force", "--time", "0", check=False)
        self.run("rm", "--all", "--force", "--time", "0", check=False)
        self.run("volume", "rm", "--all", "--force", check=False)
        self.run("secret", "rm", "--all", check=False)

    def stat_type(self, path: str) -> str:
        """What Podman's os.Stat would say of a hostPath source: Directory, File or absent."""
        local = self.fs_root / path.lstrip("/")
        if local.is_dir():
            return "Directory"
        if local.exists():
            return "File"
        return ""


class PodmanFailed(Exception):
    def __init__(self, result: Result):
        super().__init__(f"podman {shlex.join(result.argv)} exited {result.returncode}: {result.stderr.decode().strip()}")
        self.result = result


def find_podmans() -> list[Podman]:
    """Every Podman this machine has: the system one (4.3) and the podman5 chroot."""
    found = []
    if shutil.which("podman"):
        found.append(Podman(["podman"]))
    if PODMAN5.exists() and (PODMAN5_ROOT / "usr/bin/podman").exists():
        found.append(Podman([str(PODMAN5)], fs_root=PODMAN5_ROOT.with_name(PODMAN5_ROOT.name + ".mnt")))
    return found


def podman_from_command(command: str) -> Podman:
    """A Podman from a command name; the podman5 wrapper sees its chroot's files."""
    if Path(command).name == "podman5":
        return Podman([command], fs_root=PODMAN5_ROOT.with_name(PODMAN5_ROOT.name + ".mnt"))
    return Podman([command])


def podman_by_version(version: str) -> Podman | None:
    for p in find_podmans():
        if p.version == version or p.major_minor == version:
            return p
    return None


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


def ensure_images(podman: Podman) -> None:
    have = set(podman.run("images", "--format", "{{.Repository}}:{{.Tag}}").text.split())
    missing = [name for name in IMAGES if name not in have]
    if not missing:
        return
    busybox = shutil.which("busybox")
    if not busybox:
        raise RuntimeError("busybox-static is needed to build the test images: apt-get install -y busybox-static")
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="kb-images.") as tmp:
        root = Path(tmp) / "root"
        for sub in ("bin", "etc", "tmp", "srv", "work", "home/app"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        shutil.copy(busybox, root / "bin/busybox")
        for applet in _APPLETS:
            (root / "bin" / applet).symlink_to("busybox")
        (root / "etc/passwd").write_text("root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002:app:/home/app:/bin/sh\n")
        (root / "etc/group").write_text("root:x:0:\napp:x:1002:\n")
        tar = Path(tmp) / "rootfs.tar"
        with tarfile.open(tar, "w") as t:
            t.add(root, arcname=".")
        for name in missing:
            changes = [arg for change in IMAGES[name] for arg in ("--change", change)]
            podman.run("import", *changes, str(tar), name)


def ensure_subids(podman: Podman) -> None:
    """`--userns auto` needs subordinate IDs for the user "containers" (see podman-run(1)); add them if absent."""
    for root in {Path("/"), podman.fs_root}:
        for name in ("etc/subuid", "etc/subgid"):
            f = root / name
            text = f.read_text() if f.exists() else ""
            if not any(line.startswith("containers:") for line in text.splitlines()):
                f.write_text(text + "containers:2147483647:2147483648\n")


def prepare_host_files() -> None:
    """Bind-mount sources the scenarios use, identical for every capture."""
    if HOST_ROOT.exists():
        shutil.rmtree(HOST_ROOT)
    for d in ("data", "logs", "html", "Upper_Case.Dir", "cache/nested"):
        (HOST_ROOT / d).mkdir(parents=True)
    (HOST_ROOT / "data/hello.txt").write_text("hello\n")
    (HOST_ROOT / "config.txt").write_text("key=value\n")
    (HOST_ROOT / "gone").mkdir()


def inspect_json(podman: Podman, *args: str) -> bytes:
    return podman.run(*args).stdout


def loads(data: bytes):
    return json.loads(data)
