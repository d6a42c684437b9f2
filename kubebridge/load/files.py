"""Finding the manifest files to check: the only place `check` looks at a directory."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from kubebridge.errors import InputError

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def manifest_files(inputs: Iterable[str]) -> list[str]:
    """Each input; for a directory, its manifests (*.yaml, *.yml, *.json), recursively, sorted, hidden ones skipped.

    A symbolic link to a missing file is kept, so that reading it says so: a
    manifest a broken link stood for is never dropped without a word."""
    files = []
    for name in inputs:
        path = Path(name)
        if str(name) != "-" and path.is_dir():
            files.extend(sorted(str(p) for p in path.rglob("*") if p.suffix in MANIFEST_SUFFIXES
                                and (p.is_file() or p.is_symlink() and not p.exists())
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            files.append(str(name))
    return files


def open_path(name: str, missing: str = "no such file") -> BinaryIO:
    """A file opened for reading bytes; InputError for a missing path (`missing`: the message; a symbolic link to
    a missing file says so), a directory, or a file that cannot be opened."""
    path = Path(name)
    if path.is_dir():
        raise InputError("is a directory, not a file", file=name)
    try:
        return path.open("rb")
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(f"a symbolic link to {path.readlink()}, which does not exist", file=name) from None
        raise InputError(missing, file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None


@contextmanager
def open_file(name: str, missing: str = "no such file") -> Iterator[BinaryIO]:
    """open_path() as a context: the file is closed after (check reports its errors as a `yaml` finding)."""
    with open_path(name, missing) as stream:
        yield stream


def read_file(name: str, missing: str = "") -> bytes:
    """A file's bytes; InputError for one that cannot be read (`missing`: the message for a missing one)."""
    with open_file(name, missing=missing or "no such file") as stream:
        return stream.read()
