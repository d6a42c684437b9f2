"""The command line's files: inputs read with a clear error (a missing path, a directory, too large), and
outputs written atomically (a temporary file, then a rename: an error leaves no file, and an existing one as
it was)."""
from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import BinaryIO, Iterator, TextIO

from kubebridge.errors import InputError, clip
from kubebridge.limits import LIMITS, Limits, size_text


def label(name: str) -> str:
    """An input's name in messages: `-` is <stdin>."""
    return "<stdin>" if name == "-" else name


def open_input(name: str) -> BinaryIO:
    """The input as a binary stream (- is standard input): a clear error for a missing path or a directory."""
    if name == "-":
        return sys.stdin.buffer
    from kubebridge.load.files import open_path
    return open_path(name)


@contextlib.contextmanager
def input_stream(name: str) -> Iterator[BinaryIO]:
    """open_input() as a context: the file is closed after (standard input is left open)."""
    stream = open_input(name)
    try:
        yield stream
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_input(name: str, limits: Limits = LIMITS) -> bytes:
    """The whole input, at most limits.max_bytes of it; InputError beyond."""
    with input_stream(name) as stream:
        try:
            data = stream.read(limits.max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", file=label(name)) from None
    if len(data) > limits.max_bytes:
        raise InputError(f"larger than {size_text(limits.max_bytes)}, the limit (--max-bytes)", file=label(name))
    return data


def check_output(target: str | None) -> None:
    """InputError now for an output path that cannot be a file (a directory), before any work is done."""
    if target not in (None, "-") and Path(target).is_dir():
        raise InputError("is a directory, not a file", file=target)


@contextlib.contextmanager
def output_stream(target: str | None) -> Iterator[TextIO]:
    """stdout, or FILE through a temporary file renamed at the end: an error leaves no file behind.

    A symbolic link is followed (the link stays, its target is replaced); a file that is not a regular one
    (/dev/null, a FIFO, a device) is written into as it is, never replaced: as `podman save -o` does.
    Errors: InputError naming FILE (a directory, a write that fails)."""
    if target is None or target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    import tempfile

    path = Path(os.path.realpath(target))  # a symbolic link stays one: the file it points to is written
    if path.is_dir():
        raise InputError("is a directory, not a file", file=target)
    if path.exists() and not path.is_file():  # a device, FIFO or socket: written into, never replaced
        try:
            with open(path, "w", encoding="utf-8", newline="") as out:
                yield out
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", file=target) from None
        return
    mode = _mode_for(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=target) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
        os.chmod(tmp, mode)
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror}", file=target) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """The permissions the written file gets: an existing file's own (a read-only one stays read-only), else
    what a new file gets under this process's umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_output(text: str, target: str | None) -> None:
    """stdout, or FILE written through a temporary file and a rename: never half a file."""
    with output_stream(target) as out:
        out.write(text)


def warn(message: str) -> None:
    print(f"kubebridge: warning: {clip(message)}", file=sys.stderr)
