"""Writers: documents -> text.

`kube_yaml` lays documents out as `podman kube generate` prints them: a header
comment, then each chunk, separated by `---`.  Only the header's last line
differs from Podman's: it names kubebridge and the Podman version modelled.
"""
from __future__ import annotations

import json
from typing import Iterable

from kubebridge import __version__
from kubebridge.render import goyaml

HEADER = (
    "# Save the output of this file and use kubectl create -f to import\n"
    "# it into Kubernetes.\n"
    "#\n"
    "# Created with kubebridge-{version} (as podman-{podman} kube generate)\n"
)


PORTABLE_HEADER = (
    "# Portable Kubernetes YAML: kubebridge-{version} generate --portable, for podman-{podman}.\n"
    "# podman kube play, then generate --portable, gives it back unchanged.\n"
)


def kube_yaml(chunks: Iterable, podman_version: str, *, println: bool = True, portable: bool = False) -> str:
    """Podman's generateKubeOutput.  `println` adds the newline Podman's stdout gets from fmt.Println."""
    header = PORTABLE_HEADER if portable else HEADER
    parts = [header.format(version=__version__, podman=podman_version)]
    for i, chunk in enumerate(chunks):
        if i:
            parts.append("---\n")
        parts.append(chunk.text if hasattr(chunk, "text") else goyaml.dump(chunk))
    if println:
        parts.append("\n")
    return "".join(parts)


def documents_yaml(documents: Iterable[dict]) -> str:
    """Documents in Podman's YAML style without the header: `---` between them."""
    return "---\n".join(goyaml.dump(doc) for doc in documents)


def json_text(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
