"""The exceptions kubebridge raises.

Every error is a KubebridgeError, so callers catch one class.  Each may say
where the problem is: file, JSON path, line and column (shown as
`file:line:column: at path: message`).  InputError is input that cannot be read;
PodmanRefusal is an error Podman itself would report, in Podman's words.
"""
from __future__ import annotations

from contextlib import contextmanager


class KubebridgeError(Exception):
    """Base of every error kubebridge raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, path: str | None = None,
                 line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.file = file
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self.message

    @property
    def detail(self) -> str:
        return clip(str(self.args[0])) if self.args else self.__class__.__name__

    @property
    def message(self) -> str:
        detail = self.detail
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

    def located(self, file: str | None, line: int | None = None, path: str | None = None,
                column: int | None = None) -> "KubebridgeError":
        """The same error, placed (unless it already knows its place)."""
        if self.file is None:
            self.file, self.line, self.path, self.column = file, line, path or self.path, column
        return self


def clip(text: str, limit: int = 1000) -> str:
    """A message no longer than about `limit` characters: a value quoted in it may be megabytes long."""
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}...[{len(text) - 2 * half:,} characters]...{text[-half:]}"


@contextmanager
def placed(origin: tuple[str, str]):
    """Errors raised inside are placed at origin, (file, JSON path), unless they know their place already."""
    try:
        yield
    except KubebridgeError as exc:
        file, path = origin
        if file:
            exc.located(file, path=path or None)
        raise


class UsageError(KubebridgeError):
    """Options that cannot work together, or one the chosen Podman version lacks."""


class InputError(KubebridgeError):
    """Input that cannot be read: bad JSON or YAML, wrong shape, wrong type of value."""


class PodmanRefusal(KubebridgeError):
    """Podman would refuse this too; the message is Podman's own."""


class MissingReference(PodmanRefusal):
    """A ConfigMap or Secret Podman needs and the input lacks; it may still exist (--configmap, podman secret)."""


class PodmanError(KubebridgeError):
    """The running Podman `snapshot` asked could not be run or reached, or answered with an error (no such pod);
    Podman's own message where it gave one."""
