"""The report of a round trip: text (one line per change, then the Podman behaviour behind each) or JSON."""
from __future__ import annotations

import json

from kubebridge.fidelity import RoundTrip, describe


def roundtrip_text(result: RoundTrip, names: str) -> str:
    """The roundtrip command's text report: one line per change, then why (Podman's behaviour behind each)."""
    steps = "generate, then play" if result.source == "snapshot" else (
        "play, then generate --portable" if result.portable else "play, then generate")
    if not result.changes:
        return f"{names}: a round trip through Podman {result.podman_version} ({steps}) changes nothing\n"
    lines = [f"{names}: a round trip through Podman {result.podman_version} ({steps}) changes "
             f"{len(result.changes)} thing{'s' * (len(result.changes) != 1)}:"]
    width = max(len(c.kind) for c in result.changes)
    for c in result.changes:
        where = c.where if c.path else f"document {c.document + 1}"
        detail = {"lost": json.dumps(c.before, default=str), "added": json.dumps(c.after, default=str)}.get(
            c.kind, f"{json.dumps(c.before, default=str)} -> {json.dumps(c.after, default=str)}")
        if len(detail) > 100:
            detail = detail[:97] + "..."
        lines.append(f"  {c.kind:<{width}}  {where}: {detail}  [{c.rewrite or 'unexplained'}]")
    used = sorted({c.rewrite for c in result.changes if c.rewrite})
    if used:
        lines.append("Why (Podman's behaviour):")
        lines.extend(f"  {r}: {describe(r)}" for r in used)
    return "\n".join(lines) + "\n"


def roundtrip_json(result: RoundTrip) -> str:
    """The roundtrip command's JSON report: RoundTrip.as_dict()."""
    return json.dumps(result.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
