"""The roundtrip report as one self-contained HTML page (roundtrip --format html).

A manifest's round trip shows each document and what comes back side by side,
as YAML; every line a change touches is coloured by the change's kind (added,
lost, renamed, rewritten; unexplained ones in grey) and numbered, and the
numbers link to the list of changes, where each links to the Podman rewrite
behind it and that rewrite's description (fidelity.describe).  A snapshot's
round trip shows each changed field's value before and after, side by side,
and the YAML generate wrote on the way.

The page loads nothing: its CSS is inline, it has no script, and its
Content-Security-Policy forbids every fetch, so it opens the same offline, as
a CI artefact, or attached to a review.
"""
from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from kubebridge.fidelity import Change, RoundTrip, describe
from kubebridge.fidelity.diff import ADDED, LOST, RENAMED, REWRITTEN
from kubebridge.fidelity.documents import pair_documents

KINDS = (ADDED, LOST, RENAMED, REWRITTEN)
UNEXPLAINED = "unexplained"

STYLE = """
:root { --added: #1a7f37; --added-bg: #dafbe1; --lost: #cf222e; --lost-bg: #ffebe9; --renamed: #0969da;
  --renamed-bg: #ddf4ff; --rewritten: #9a6700; --rewritten-bg: #fff8c5; --unexplained: #57606a;
  --unexplained-bg: #eaeef2; }
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em; color: #1f2328; }
h1 { font-size: 1.4em; margin: 0 0 .3em; } h2 { font-size: 1.15em; margin: 1.6em 0 .4em; }
h3 { font-size: 1em; margin: 0 0 .3em; color: #57606a; }
.legend span, .kind { display: inline-block; padding: 0 .5em; border-radius: 1em; font-size: .85em;
  font-weight: 600; border: 1px solid; }
.legend span { margin-right: .5em; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1em; align-items: start; }
pre { margin: 0; padding: .5em 0; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px;
  font: 12.5px/1.5 ui-monospace, monospace; overflow-x: auto; }
pre .l { display: flex; padding: 0 .6em; white-space: pre; border-left: 4px solid transparent; }
pre .l a { margin-left: auto; padding-left: 1em; flex: none; font-size: .85em; text-decoration: none; }
.added { background: var(--added-bg); border-color: var(--added) !important; color: var(--added); }
.lost { background: var(--lost-bg); border-color: var(--lost) !important; color: var(--lost); }
.renamed { background: var(--renamed-bg); border-color: var(--renamed) !important; color: var(--renamed); }
.rewritten { background: var(--rewritten-bg); border-color: var(--rewritten) !important; color: var(--rewritten); }
.unexplained { background: var(--unexplained-bg); border-color: var(--unexplained) !important;
  color: var(--unexplained); border-style: dashed !important; }
pre .l.added, pre .l.lost, pre .l.renamed, pre .l.rewritten, pre .l.unexplained { color: #1f2328; }
ol.changes { padding-left: 2.5em; } ol.changes li { margin: .25em 0; }
ol.changes code { background: #f6f8fa; padding: 0 .3em; border-radius: 4px; }
.values { color: #57606a; word-break: break-all; }
table { border-collapse: collapse; width: 100%; } td, th { border: 1px solid #d0d7de; padding: .3em .5em;
  vertical-align: top; text-align: left; font-size: .92em; } td code { word-break: break-all; }
dl.why dt { font-weight: 600; margin-top: .6em; } dl.why dd { margin-left: 1.5em; }
.empty { color: #57606a; font-style: italic; }
"""


def roundtrip_html(result: RoundTrip, names: str) -> str:
    """The page: a header (Podman version, steps, counts by kind), the two sides, the changes, and why."""
    steps = "generate, then play" if result.source == "snapshot" else (
        "play, then generate --portable" if result.portable else "play, then generate")
    title = f"{names}: a round trip through Podman {result.podman_version} ({steps})"
    counts = {kind: sum(1 for c in result.changes if _kind(c) == kind) for kind in (*KINDS, UNEXPLAINED)}
    legend = "".join(f'<span class="{kind}">{kind} {n}</span>' for kind, n in counts.items() if n)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="legend">{len(result.changes)} change{"s" * (len(result.changes) != 1)}: {legend}</p>'
        if result.changes else '<p class="empty">nothing changes</p>',
    ]
    parts += _manifest_sides(result) if result.source == "manifest" else _snapshot_sides(result)
    parts += _change_list(result.changes)
    parts += _why(result.changes)
    if result.warnings:
        parts.append("<h2>Warnings</h2><ul>" + "".join(f"<li>{escape(w)}</li>" for w in result.warnings) + "</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _kind(change: Change) -> str:
    return change.kind if change.rewrite else UNEXPLAINED


# --- a manifest: the documents side by side -------------------------------------------------------------------

def _manifest_sides(result: RoundTrip) -> list[str]:
    pairs, _ = pair_documents(result.originals, result.documents)
    paired_after = {id(p.after): p.document for p in pairs}
    by_document: dict[int, list[tuple[int, Change]]] = {}
    for number, change in enumerate(result.changes, 1):
        by_document.setdefault(change.document, []).append((number, change))
    parts = []
    for index, doc in enumerate(result.originals):
        pair = next((p for p in pairs if p.document == index), None)
        changes = by_document.get(index, [])
        left = _yaml_block(doc, [(n, c) for n, c in changes if c.kind != ADDED])
        right = _yaml_block(pair.after, [(n, c) for n, c in changes if c.kind != LOST]) if pair else \
            '<p class="empty">nothing comes back</p>'
        parts.append(f"<h2>{escape(_title(doc))} <small>(document {index + 1})</small></h2>")
        parts.append(f'<div class="pair"><div><h3>the manifest</h3>{left}</div>'
                     f"<div><h3>what comes back</h3>{right}</div></div>")
    for doc in result.documents:  # documents with no original: a replica's pod (Podman 4.3)
        if id(doc) not in paired_after:
            added = [(n, c) for n, c in enumerate(result.changes, 1) if c.kind == ADDED and c.after is doc]
            parts.append(f"<h2>{escape(_title(doc))} <small>(added)</small></h2>")
            parts.append('<div class="pair"><div><h3>the manifest</h3><p class="empty">no such document</p></div>'
                         f"<div><h3>what comes back</h3>{_yaml_block(doc, added)}</div></div>")
    return parts


def _title(doc: Any) -> str:
    if not isinstance(doc, dict):
        return "a document"
    name = (doc.get("metadata") or {}).get("name") if isinstance(doc.get("metadata"), dict) else None
    return f"{doc.get('kind') or '?'}/{name or '?'}"


def _yaml_block(doc: Any, changes: list[tuple[int, Change]]) -> str:
    """A document as YAML lines; each line a change's path covers carries its kind and a link to it."""
    lines = []
    for text, path in yaml_lines(doc):
        marks = [(n, c) for n, c in changes if path[:len(c.path)] == tuple(c.path)]
        if marks:
            kind = _kind(marks[-1][1])
            links = " ".join(f'<a href="#change-{n}" class="{_kind(c)}">{n}</a>' for n, c in marks)
            tip = "; ".join(f"{n}: {_kind(c)} {c.rewrite}".rstrip() for n, c in marks)
            lines.append(f'<span class="l {kind}" title="{escape(tip)}">{escape(text)}{links}</span>')
        else:
            lines.append(f'<span class="l">{escape(text)}</span>')
    return "<pre>" + "".join(lines) + "</pre>"


_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./@=+-]*")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(value: Any) -> str:
    """A value as YAML shows it (for reading, not for parsing back: Podman's own writer is render/goyaml.py)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    text = str(value)
    return text if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS else json.dumps(text)


def yaml_lines(value: Any, path: tuple = (), indent: int = 0) -> list[tuple[str, tuple]]:
    """A document as block YAML, each line with the path of what it declares (("spec", "containers", 0,
    "name") for `  - name: app`)."""
    pad = "  " * indent
    out: list[tuple[str, tuple]] = []
    if isinstance(value, dict) and value:
        for key, item in value.items():
            here = path + (key,)
            if isinstance(item, dict) and item:
                out.append((f"{pad}{scalar(key)}:", here))
                out.extend(yaml_lines(item, here, indent + 1))
            elif isinstance(item, list) and item:
                out.append((f"{pad}{scalar(key)}:", here))
                out.extend(_list_lines(item, here, indent))
            else:
                out.append((f"{pad}{scalar(key)}: {scalar(item)}", here))
    elif isinstance(value, list) and value:
        out.extend(_list_lines(value, path, indent))
    else:
        out.append((pad + scalar(value), path))
    return out


def _list_lines(items: list, path: tuple, indent: int) -> list[tuple[str, tuple]]:
    pad = "  " * indent
    out: list[tuple[str, tuple]] = []
    for index, item in enumerate(items):
        here = path + (index,)
        if (isinstance(item, dict) or isinstance(item, list)) and item:
            inner = yaml_lines(item, here, indent + 1)
            first, first_path = inner[0]
            out.append((f"{pad}- {first.lstrip()}", first_path))
            out.extend(inner[1:])
        else:
            out.append((f"{pad}- {scalar(item)}", here))
    return out


# --- a snapshot: each changed field before and after -------------------------------------------------------------

def _snapshot_sides(result: RoundTrip) -> list[str]:
    rows = []
    for number, change in enumerate(result.changes, 1):
        rows.append(f'<tr class="{_kind(change)}"><td><a href="#change-{number}">{number}</a></td>'
                    f"<td><code>{escape(change.where)}</code></td><td><code>{escape(_value(change.before))}</code>"
                    f"</td><td><code>{escape(_value(change.after))}</code></td></tr>")
    generated = "".join(f"<h3>{escape(_title(d))}</h3><pre>" + "".join(
        f'<span class="l">{escape(t)}</span>' for t, _ in yaml_lines(d)) + "</pre>" for d in result.documents)
    table = ("<table><tr><th>#</th><th>field</th><th>the snapshot</th><th>what comes back</th></tr>"
             + "".join(rows) + "</table>") if rows else ""
    return ["<h2>The snapshot and what comes back</h2>", table,
            f"<details><summary>the YAML generate wrote on the way</summary>{generated}</details>"]


def _value(value: Any) -> str:
    return json.dumps(value, default=str, ensure_ascii=False)


# --- the changes, and why -------------------------------------------------------------------------------------

def _change_list(changes: list[Change]) -> list[str]:
    if not changes:
        return []
    items = []
    for number, change in enumerate(changes, 1):
        kind = _kind(change)
        where = change.where if change.path else f"document {change.document + 1}"
        values = {LOST: _value(change.before), ADDED: _value(change.after)}.get(
            change.kind, f"{_value(change.before)} \u2192 {_value(change.after)}")
        why = f'<a href="#rewrite-{escape(change.rewrite)}">{escape(change.rewrite)}</a>' if change.rewrite \
            else '<span class="unexplained kind">no Podman rewrite explains it</span>'
        items.append(f'<li id="change-{number}"><span class="kind {kind}">{escape(change.kind)}</span> '
                     f'<code>{escape(where)}</code> <span class="values">{escape(_clip(values))}</span> {why}</li>')
    return ["<h2>Changes</h2>", '<ol class="changes">', *items, "</ol>"]


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _why(changes: list[Change]) -> list[str]:
    used = sorted({c.rewrite for c in changes if c.rewrite})
    if not used:
        return []
    items = [f'<dt id="rewrite-{escape(r)}">{escape(r)}</dt><dd>{escape(describe(r))}</dd>' for r in used]
    return ["<h2>Why: Podman's behaviour</h2>", '<dl class="why">', *items, "</dl>"]
