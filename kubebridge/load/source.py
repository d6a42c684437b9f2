"""One input as the loaders take it: a name for messages, and its text or already-parsed data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Source:
    """One input: its name for messages, and its text or already-parsed data."""

    name: str
    text: str | bytes | None = None
    data: Any = None
