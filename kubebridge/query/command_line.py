"""Podman's command line, read-only: `podman version` and `podman ... inspect`, nothing else.

Every command this module can start is in READ_ONLY, with the options it
passes; anything else is refused before a process starts (run()).  Names are
passed after `--`, so a name can never be read as an option.  The command is
the user's: `podman` by default, or another (`--podman`, $KUBEBRIDGE_PODMAN),
given as a command line (`podman --connection remote`, `sudo podman`).
"""
from __future__ import annotations

import json
import re
import shlex
import subprocess
from typing import Any, Callable, Sequence

from kubebridge.errors import PodmanError

# subcommand -> the options given with it: the only commands ever run (none of them changes anything)
READ_ONLY: dict[tuple[str, ...], tuple[str, ...]] = {
    ("version",): ("--format", "json"),
    ("pod", "inspect"): (),
    ("container", "inspect"): (),
    ("image", "inspect"): (),
    ("volume", "inspect"): (),
}
# Podman's words for a missing object (4.3 to 5.8): "no such container", "no such pod", "no such volume",
# "... image not known" (libpod/define/errors.go)
NOT_FOUND = re.compile(r"no such (container|pod|volume)\b|image not known")
TIMEOUT = 120.0  # seconds: one inspect of a few objects takes well under one
SLOW = 5.0  # seconds after which `waiting` is told a command has not answered yet


class CommandLine:
    """A Podman reached through its command line (command: the argv prefix, e.g. ["podman"])."""

    def __init__(self, command: Sequence[str] = ("podman",), timeout: float = TIMEOUT,
                 waiting: Callable[[str], None] | None = None) -> None:
        """timeout: seconds each command may take; waiting(command) is called once a command has taken SLOW
        seconds (the command line prints a hint), so a hung podman is not silence."""
        if not command or not all(command):
            raise PodmanError("no podman command given")
        self.command = list(command)
        self.timeout = timeout
        self.waiting = waiting

    def run(self, subcommand: tuple[str, ...], names: Sequence[str] = (), missing_ok: bool = False) -> Any:
        """The JSON a read-only subcommand prints; None when missing_ok and Podman says there is no such object.
        Raises PodmanError for a subcommand not in READ_ONLY (before anything runs), a podman that cannot be
        started, an error it reports (in its own words), or output that is not JSON."""
        if subcommand not in READ_ONLY:
            raise PodmanError(f"podman {' '.join(subcommand)}: not a read-only command; snapshot runs only "
                              + ", ".join(f"podman {' '.join(c)}" for c in READ_ONLY))
        argv = [*self.command, *subcommand, *READ_ONLY[subcommand], *(["--", *names] if names else [])]
        shown = f"{shlex.join(self.command)} {' '.join(subcommand)}"
        try:
            with subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) as proc:
                stdout, stderr = self._answer(proc, shown)
            returncode = proc.returncode
        except FileNotFoundError:
            raise PodmanError(f"{self.command[0]}: command not found: is Podman installed? (--podman or "
                              "$KUBEBRIDGE_PODMAN names another podman command, --url a Podman API socket)") from None
        except PermissionError:
            raise PodmanError(f"{self.command[0]}: permission denied") from None
        except OSError as exc:
            raise PodmanError(f"{self.command[0]}: cannot run: {exc.strerror}") from None
        except subprocess.TimeoutExpired:
            raise PodmanError(f"{shown}: no answer within {self.timeout:g} seconds (snapshot --timeout, "
                              "take_snapshot(timeout=) give it longer)") from None
        if returncode != 0:
            message = _podman_message(stderr, returncode)
            if missing_ok and NOT_FOUND.search(message):
                return None
            raise PodmanError(f"{shown}: {message}")
        try:
            return json.loads(stdout)
        except ValueError:
            raise PodmanError(f"{shown}: printed something that is not JSON: "
                              f"{stdout[:200].decode('utf-8', 'replace')!r}") from None

    def _answer(self, proc: subprocess.Popen, shown: str) -> tuple[bytes, bytes]:
        """(stdout, stderr) of the started command; raises subprocess.TimeoutExpired after self.timeout (the
        process killed), and tells self.waiting once it has taken SLOW seconds."""
        try:
            if self.waiting is not None and self.timeout > SLOW:
                try:
                    return proc.communicate(timeout=SLOW)
                except subprocess.TimeoutExpired:
                    self.waiting(shown)
                return proc.communicate(timeout=self.timeout - SLOW)
            return proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise

    def version(self) -> str:
        data = self.run(("version",))
        side = data.get("Server") or data.get("Client") if isinstance(data, dict) else None
        version = side.get("Version") if isinstance(side, dict) else None
        if not isinstance(version, str) or not version:
            raise PodmanError(f"{shlex.join(self.command)} version: no version in its output")
        return version

    def inspect(self, kind: str, names: Sequence[str]) -> list[dict]:
        data = self.run((kind, "inspect"), names)
        return data if isinstance(data, list) else [data]  # Podman 4 prints one pod as an object

    def lookup(self, kind: str, name: str) -> dict | None:
        data = self.run((kind, "inspect"), [name], missing_ok=True)
        found = data if isinstance(data, list) else [data] if data is not None else []
        return found[0] if found else None


def _podman_message(stderr: bytes, code: int) -> str:
    """Podman's own error: its last `Error: ` line (else its last line), without the prefix."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line.removeprefix("Error: ") for line in lines if line.startswith("Error: ")]
    return (errors or lines or [f"exited {code}"])[-1]
