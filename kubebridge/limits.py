"""How much input kubebridge reads before it refuses: hostile input meets a clear message, not a hang.

Every limit is a field of Limits; the defaults are far above any real
manifest or inspect file (an object in Kubernetes is at most 1.5 MiB), and
the CLI's --max-bytes and --max-documents change the first two.
"""
from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of an input is read before kubebridge refuses it (sizes in bytes; counts of documents,
    nesting levels, alias nodes); LIMITS holds the defaults, dataclasses.replace() changes one."""

    max_bytes: int = 256 * MiB  # one input file or stream
    max_documents: int = 1_000_000  # YAML documents in one input
    max_depth: int = 1000  # nested mappings and lists in YAML (the deepest real manifest seen: 17)
    max_alias_nodes: int = 100_000  # nodes reached through YAML aliases in one document (billion laughs)
    max_string: int = 4 * MiB  # one scalar; Kubernetes refuses objects over 1.5 MiB


LIMITS = Limits()


def size_text(n: int) -> str:
    """A byte count for a message: 268435456 -> "256 MiB"."""
    return f"{n / MiB:g} MiB" if n >= MiB and n % (MiB // 4) == 0 else f"{n:,} bytes"
