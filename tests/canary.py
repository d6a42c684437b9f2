"""The canary default store: proof that the tests never touch the store a bare `podman` would use.

For the test session (conftest.py: install() at start, remove() at the end), the
*default* configuration of every Podman here is pointed at a canary store:
CONTAINERS_CONF and CONTAINERS_STORAGE_CONF name files under CANARY, a path that
exists inside each Podman's own filesystem (the host's /var/tmp for the system
Podman, the chroot's for podman5 and podman58), each with a store of its own
there.  Before the first live test, plant() makes a pod with a container, a
volume and a secret in each.  Any Podman command of the session that is not on
a test store of its own (tests/capture/podmanrun.py) lands in the canary, never
in the machine's real default store; test_podman_safety.py, run last, finds
whatever such a command made or removed.

The canary itself is the one place that runs Podman without a test store, and
it refuses to make anything before Podman has said its store is the canary's.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from podmanrun import image_rootfs, own_config, podman_commands, sweep

CANARY = Path("/var/tmp") / f"kubebridge-canary-{os.getpid()}"
IMAGE = "localhost/kb-canary:1"
NAMES = {"pod": "kb-canary-pod", "container": "kb-canary-ctr", "volume": "kb-canary-vol",
         "secret": "kb-canary-secret"}
_SAVED: dict[str, str | None] = {}


@dataclass
class Canary:
    """One Podman's canary store, as that Podman sees it and as the host sees it."""

    command: list[str]
    fs_root: Path
    planted: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids made by plant()

    @property
    def host_dir(self) -> Path:
        return self.fs_root / CANARY.relative_to("/")

    def run(self, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        """A bare Podman command: no store flags, the session's environment (which names the canary)."""
        return subprocess.run([*self.command, *args], input=stdin, capture_output=True, timeout=120)

    def ids(self) -> dict[str, set[str]]:
        """Every pod, container, volume and secret in the canary store, by kind."""
        def listed(*args: str) -> set[str]:
            proc = self.run(*args)
            assert proc.returncode == 0, proc.stderr.decode()
            return set(proc.stdout.decode().split())
        return {"pod": listed("pod", "ps", "-q", "--no-trunc"), "container": listed("ps", "-a", "-q", "--no-trunc"),
                "volume": listed("volume", "ls", "-q"), "secret": listed("secret", "ls", "--format", "{{.ID}}")}

    def is_canary_store(self) -> bool:
        proc = self.run("info", "--format", "{{.Store.GraphRoot}}")
        return proc.returncode == 0 and proc.stdout.decode().strip() == str(CANARY / "root")

    def plant(self) -> None:
        if not self.is_canary_store():
            raise RuntimeError(f"{self.command}: the default store is not the canary's; not making anything")
        with tempfile.TemporaryDirectory(dir="/tmp", prefix="kb-canary-image.") as tmp:
            tar = image_rootfs(Path(tmp))
            steps = [("import", "--change", 'CMD ["/bin/sh"]', str(tar), IMAGE),
                     ("pod", "create", "--name", NAMES["pod"]),
                     ("create", "--pod", NAMES["pod"], "--name", NAMES["container"], IMAGE, "top"),
                     ("volume", "create", NAMES["volume"]),
                     ("secret", "create", NAMES["secret"], "-")]
            for args in steps:
                proc = self.run(*args, stdin=b"canary" if args[0] == "secret" else None)
                if proc.returncode != 0:
                    raise RuntimeError(f"canary: podman {' '.join(args)}: {proc.stderr.decode().strip()}")
        self.planted = self.ids()


def _configure(command: list[str], fs_root: Path) -> Canary:
    canary = Canary(command, fs_root)
    canary.host_dir.mkdir(parents=True, exist_ok=True)
    default = fs_root / "usr/share/containers/containers.conf"
    base_text = default.read_text() if default.is_file() else ""
    inside = str(CANARY)
    settings = {"engine": {"lock_type": "file", "static_dir": f"{inside}/root/libpod", "tmp_dir": f"{inside}/tmp",
                           "volume_path": f"{inside}/volumes", "events_logger": "file",
                           "events_logfile_path": f"{inside}/events.log"},
                "network": {"network_config_dir": f"{inside}/networks"}}
    (canary.host_dir / "containers.conf").write_text(own_config(base_text, settings))
    (canary.host_dir / "storage.conf").write_text(
        f'[storage]\ndriver = "vfs"\ngraphroot = {json.dumps(inside + "/root")}\n'
        f'runroot = {json.dumps(inside + "/run")}\n')
    return canary


CANARIES: list[Canary] = []
_PLANTED: list[str] = []  # "" once planted, or why planting failed


def install() -> None:
    """Point every Podman's default configuration at its canary store, for this process and its children."""
    commands = podman_commands()
    if not commands:
        return
    for _, fs_root in commands:  # canaries of runs killed before their cleanup
        sweep(fs_root / "var/tmp", "kubebridge-canary-")
    for name in ("CONTAINERS_CONF", "CONTAINERS_STORAGE_CONF"):
        _SAVED[name] = os.environ.get(name)
    os.environ["CONTAINERS_CONF"] = str(CANARY / "containers.conf")
    os.environ["CONTAINERS_STORAGE_CONF"] = str(CANARY / "storage.conf")
    CANARIES.extend(_configure(command, fs_root) for command, fs_root in commands)


def plant() -> None:
    """Make the canary objects in every Podman's canary store, once per session (conftest: at its start)."""
    if not _PLANTED:
        try:
            for canary in CANARIES:
                canary.plant()
            _PLANTED.append("")
        except Exception as exc:  # the canary test reports it
            _PLANTED.append(str(exc) or type(exc).__name__)
    if _PLANTED[0]:
        raise RuntimeError(f"the canary could not be planted: {_PLANTED[0]}")


def remove() -> None:
    """Delete the canary stores and restore the environment."""
    for canary in CANARIES:
        shutil.rmtree(canary.host_dir, ignore_errors=True)
    CANARIES.clear()
    for name, value in _SAVED.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
