"""A YAML stream cut into chunks of whole documents, so a long stream is parsed without holding it all.

A line that starts with `---` or `...` (then a space or the line's end) is
where libyaml ends a document too: YAML forbids those markers at column 0
inside a document.  A chunk is cut at such a marker once it holds some
64 KiB, so the parser starts rarely; a chunk holding only comments or
directives is never cut from the document they precede.
"""
from __future__ import annotations

import io
import re
from typing import BinaryIO, Iterator

from kubebridge.errors import InputError
from kubebridge.limits import Limits, size_text

CHUNK = 64 * 1024
READ = 1024 * 1024
MARKER = re.compile(rb"^(?:---|\.\.\.)(?=[ \t\r\n])", re.M)
CONTENT = re.compile(rb"^(?![ \t\r]*(?:#|$)|%)", re.M)  # a line that is not blank, a comment or a directive
BOM = b"\xef\xbb\xbf"


def document_chunks(source: bytes | BinaryIO, name: str, limits: Limits) -> Iterator[tuple[str, int]]:
    """(text, lines before it in the input) for each chunk; bytes are checked as UTF-8 text on the way."""
    stream = io.BytesIO(source) if isinstance(source, (bytes, bytearray, memoryview)) else source
    buf = b""
    line = offset = 0  # of buf[0] in the input
    scanned = 0  # buf[:scanned] holds no marker after the chunk's start
    total = 0
    eof = False
    first = True
    while not eof:
        try:
            block = stream.read(READ)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", file=name) from None
        eof = not block
        total += len(block)
        if total > limits.max_bytes:
            raise InputError(f"larger than {size_text(limits.max_bytes)}, the limit (--max-bytes)",
                             file=name)
        if first and block:
            block = block[3:] if block.startswith(BOM) else block
            offset = 3 if len(block) < total else 0
            first = False
        buf = buf + block if buf else block
        cut = 0
        for m in MARKER.finditer(buf, max(scanned - 4, 1)):
            if m.start() - cut < CHUNK:
                continue
            if m.group().startswith(b"."):
                end = buf.find(b"\n", m.end())
                if end < 0:
                    break
                at = end + 1
            else:
                at = m.start()
            if not CONTENT.search(buf, cut, at):
                continue
            yield _text(buf[cut:at], name, line, offset + cut), line
            line += buf.count(b"\n", cut, at)
            cut = at
        if cut:
            buf = buf[cut:]
            offset += cut
        scanned = len(buf)
        if eof and buf:
            yield _text(buf, name, line, offset), line


def _text(raw: bytes, name: str, line: int, offset: int) -> str:
    """A chunk as text, or an error at the first byte that is not UTF-8 or is NUL."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = line + raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not UTF-8 text (byte {offset + exc.start}): expected Kubernetes YAML", file=name,
                         line=where) from None
    return text_only(text, name, line)


def text_only(text: str, name: str, line: int = 0) -> str:
    """The text, or an error at its first NUL character: binary data, not YAML."""
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError("binary data (a NUL byte): expected Kubernetes YAML", file=name,
                         line=line + text.count("\n", 0, nul) + 1)
    return text
