"""The exceptions kubebridge raises.

Every error is a KubebridgeError, so callers catch one class.  InputError says
where the bad input is (file, JSON path, line and column); PodmanRefusal is an
error Podman itself would report, with Podman's wording.
"""
from __future__ import annotations


class KubebridgeError(Exception):
    """Base of every error kubebridge raises on purpose."""

    exit_code = 2

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        return self.args[0] if self.args else self.__class__.__name__


class UsageError(KubebridgeError):
    """Options that cannot work together, or one the chosen Podman version lacks."""


class InputError(KubebridgeError):
    """Input that cannot be read: bad JSON or YAML, wrong shape, wrong type of value."""

    def __init__(self, message: str, *, file: str | None = None, path: str | None = None,
                 line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.file = file
        self.path = path
        self.line = line
        self.column = column

    @property
    def message(self) -> str:
        detail = self.args[0]
        if self.path:
            detail = f"at {self.path}: {detail}"
        if self.file is None:
            return detail
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {detail}"


class PodmanRefusal(KubebridgeError):
    """Podman would refuse this too; the message is Podman's own."""
