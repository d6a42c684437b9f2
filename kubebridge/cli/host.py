"""The host's facts, gathered once by the command line and passed to the API: what Podman would read from the
machine it runs on.  Nothing below the command line looks at the machine.

  memory      MemTotal from /proc/meminfo, bytes (a resourceFieldRef's default for an unset limit)
  cpus        the CPU count (runtime.NumCPU(): likewise)
  hostname    socket.gethostname() (os.Hostname(): a hostNetwork pod's hostname in Podman 5)
  host_paths  what a bind-mount or hostPath source is here (os.Stat), unless given with --host-path
  timestamp   $SOURCE_DATE_EPOCH as RFC 3339, if set (generate's creationTimestamp; else the API's clock)
  working_dir the current directory (kube play's, which a relative hostPath is taken against)
"""
from __future__ import annotations

import os
import socket
import stat
from dataclasses import dataclass
from typing import Callable, Sequence

from kubebridge.errors import UsageError

MISSING = "Missing"  # --host-path PATH=Missing: the source does not exist on the Podman host


@dataclass(frozen=True)
class HostFacts:
    memory: int | None  # bytes
    cpus: int | None
    hostname: str
    timestamp: str | None  # RFC 3339
    working_dir: str  # where kube play would run: a relative hostPath is taken against it


def gather() -> HostFacts:
    return HostFacts(memory=memory(), cpus=os.cpu_count(), hostname=socket.gethostname(), timestamp=timestamp(),
                     working_dir=os.getcwd())


def base_dir(given: str | None, working_dir: str) -> str:
    """--base-dir as an absolute directory (a relative one is taken against the working directory, as Podman
    takes its own); UsageError when it is not a directory here."""
    if given is None:
        return working_dir
    path = os.path.normpath(os.path.join(working_dir, given))
    if not os.path.isdir(path):
        raise UsageError(f"--base-dir {given}: {'not a directory' if os.path.exists(path) else 'no such directory'}")
    return path


def memory() -> int | None:
    """MemTotal of this machine, in bytes (what Podman reads from /proc/meminfo); None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def timestamp() -> str | None:
    """$SOURCE_DATE_EPOCH as RFC 3339 (reproducible builds), or None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        from datetime import datetime, timezone
        return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def path_type(path: str) -> str:
    """What a source is here, as Podman's os.Stat sees it: Directory, File, Socket, CharDevice, BlockDevice, or
    "" when it does not exist."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISDIR(mode):
        return "Directory"
    if stat.S_ISCHR(mode):
        return "CharDevice"
    if stat.S_ISBLK(mode):
        return "BlockDevice"
    if stat.S_ISSOCK(mode):
        return "Socket"
    return "File"


def host_paths(given: Sequence[str], types: Sequence[str], look: bool) -> dict[str, str] | Callable[[str], str] | None:
    """The --host-path facts (PATH=TYPE, TYPE one of `types`), and, when look, this machine's for the rest.

    Returns what the API takes: a function asked for each source (look), or
    the given facts alone (no look; None when there are none).
    """
    facts: dict[str, str] = {}
    for item in given:
        path, sep, kind = item.rpartition("=")
        if not sep or not path or kind not in types:
            raise UsageError(f"--host-path {item!r}: expected PATH=TYPE with TYPE one of {', '.join(types)}")
        facts[path] = "" if kind == MISSING else kind
    if look:
        return lambda path: facts[path] if path in facts else path_type(path)
    return facts or None
