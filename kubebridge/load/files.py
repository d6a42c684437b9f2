"""Finding the manifest files to check: the only place `check` looks at a directory."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


def manifest_files(inputs: Iterable[str]) -> list[str]:
    """Each input; for a directory, its manifests (*.yaml, *.yml, *.json), recursively, sorted, hidden ones skipped."""
    files = []
    for name in inputs:
        path = Path(name)
        if str(name) != "-" and path.is_dir():
            files.extend(sorted(str(p) for p in path.rglob("*") if p.suffix in MANIFEST_SUFFIXES and p.is_file()
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            files.append(str(name))
    return files
