"""YAML text byte-for-byte as Podman prints it.

Podman marshals objects with sigs.k8s.io/yaml: Go JSON, then go-yaml v2
(the same emitter in Podman 4.3 and 5.4).  This module re-implements the parts
of go-yaml v2 that decide the bytes: which strings need quotes (its resolver),
the natural key order, the emitter's scalar analysis and style choice, folding
of long scalars at 80 columns, literal blocks, and the indentation of block
sequences under mappings.  Only JSON-shaped data is handled: dict, list, str,
int, bool and None.
"""
from __future__ import annotations

import re
from functools import cmp_to_key, lru_cache

from kubebridge.load.scalars import resolves_to_string

BEST_INDENT = 2
BEST_WIDTH = 80

PLAIN, SINGLE, DOUBLE, LITERAL = "plain", "single", "double", "literal"


# --- the natural key order of go-yaml v2's keyList.Less -----------------------------------

def _key_less(a: str, b: str) -> bool:
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            return bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = an * 10 + (ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = bn * 10 + (ord(b[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


_LETTERS_ONLY = re.compile(r"[A-Za-z]+\Z")
def _compare(a: str, b: str) -> int:
    return -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0)


_KEY_ORDER = cmp_to_key(_compare)


def sorted_keys(keys) -> list[str]:
    keys = list(keys)
    if all(_LETTERS_ONLY.match(k) for k in keys):
        return sorted(keys)  # for letters only, the natural order is code-point order
    return sorted(keys, key=_KEY_ORDER)


# --- scalar analysis (yaml_emitter_analyze_scalar) ----------------------------------------

_BREAKS = "\r\n\x85\u2028\u2029"


def _printable(c: str) -> bool:
    o = ord(c)
    return (o == 0x0A or 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF
            or (0xE000 <= o <= 0xFFFD and o != 0xFEFF))


_SIMPLE = re.compile(r"[A-Za-z0-9_/.=+$()^;<~][A-Za-z0-9_/.=+$()^;<>~-]*\Z")


@lru_cache(maxsize=8192)
def _analyze(value: str) -> tuple[bool, bool, bool, bool, bool]:
    """(multiline, block_plain_allowed, single_quoted_allowed, block_allowed, flow_plain_allowed)."""
    if not value:
        return False, True, True, False, False
    if _SIMPLE.match(value) and not value.startswith("..."):
        return False, True, True, True, True
    block_ind = flow_ind = line_breaks = special = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = previous_space = previous_break = False
    if value.startswith(("---", "...")):
        block_ind = flow_ind = True
    preceded_ws = True
    n = len(value)
    for i, c in enumerate(value):
        followed_ws = i + 1 >= n or value[i + 1] in " \t"
        if i == 0:
            if c in "#,[]{}&*!|>'\"%@`":
                flow_ind = block_ind = True
            elif c in "?:":
                flow_ind = True
                if followed_ws:
                    block_ind = True
            elif c == "-" and followed_ws:
                flow_ind = block_ind = True
        else:
            if c in ",?[]{}":
                flow_ind = True
            elif c == ":":
                flow_ind = True
                if followed_ws:
                    block_ind = True
            elif c == "#" and preceded_ws:
                flow_ind = block_ind = True
        if not _printable(c):
            special = True
        if c == " ":
            if i == 0:
                leading_space = True
            if i == n - 1:
                trailing_space = True
            if previous_break:
                break_space = True
            previous_space, previous_break = True, False
        elif c in _BREAKS:
            line_breaks = True
            if i == 0:
                leading_break = True
            if i == n - 1:
                trailing_break = True
            if previous_space:
                space_break = True
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_ws = c in " \t" or c in _BREAKS or c == "\0"
    flow_plain = block_plain = single = block = True
    if leading_space or leading_break or trailing_space or trailing_break:
        flow_plain = block_plain = False
    if trailing_space:
        block = False
    if break_space:
        flow_plain = block_plain = single = False
    if space_break or special:
        flow_plain = block_plain = single = block = False
    if line_breaks:
        flow_plain = block_plain = False
    if flow_ind:
        flow_plain = False
    if block_ind:
        block_plain = False
    return line_breaks, block_plain, single, block, flow_plain


def _encoder_style(s: str) -> str:
    """encoder.stringv: literal for newlines, plain if it resolves to a string, else double."""
    if "\n" in s:
        return LITERAL
    return PLAIN if resolves_to_string(s) else DOUBLE


# --- the emitter ----------------------------------------------------------------------------

class _Emitter:
    __slots__ = ("out", "column", "whitespace", "indention", "indent", "indents",
                 "open_ended", "root_ctx", "seq_ctx", "map_ctx", "key_ctx")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.indent = -1
        self.indents: list[int] = []
        self.open_ended = False
        self.root_ctx = self.seq_ctx = self.map_ctx = self.key_ctx = False

    # low-level writers
    def put(self, s: str) -> None:
        self.out.append(s)
        self.column += len(s)

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write_break(self, c: str) -> None:
        if c == "\n":
            self.put_break()
        else:
            self.out.append(c)
            self.column = 0

    def write_indent(self) -> None:
        indent = self.indent if self.indent > 0 else 0
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self.put_break()
        if self.column < indent:
            self.out.append(" " * (indent - self.column))
            self.column = indent
        self.whitespace = True
        self.indention = True

    def write_indicator(self, indicator: str, need_ws: bool, is_ws: bool, is_indention: bool) -> None:
        if need_ws and not self.whitespace:
            self.put(" ")
        self.put(indicator)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention
        self.open_ended = False

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += BEST_INDENT

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    # nodes
    def node(self, value, root=False, sequence=False, mapping=False, simple_key=False) -> None:
        self.root_ctx, self.seq_ctx, self.map_ctx, self.key_ctx = root, sequence, mapping, simple_key
        if isinstance(value, dict):
            if value:
                self.block_mapping(value)
            else:
                self.empty_flow("{", "}")
        elif isinstance(value, list):
            if value:
                self.block_sequence(value)
            else:
                self.empty_flow("[", "]")
        elif isinstance(value, str):
            self.scalar(value, _encoder_style(value))
        elif value is True:
            self.scalar("true", PLAIN)
        elif value is False:
            self.scalar("false", PLAIN)
        elif value is None:
            self.scalar("null", PLAIN)
        elif isinstance(value, int):
            self.scalar(str(value), PLAIN)
        else:
            raise TypeError(f"cannot render {type(value).__name__} as Podman YAML")

    def empty_flow(self, start: str, end: str) -> None:
        self.write_indicator(start, True, True, False)
        self.write_indicator(end, False, False, False)

    def block_mapping(self, mapping: dict) -> None:
        self.increase_indent(False, False)
        for key in sorted_keys(mapping):
            self.write_indent()
            multiline = _analyze(key)[0]
            if not multiline and len(key.encode()) <= 128:
                self.node(key, mapping=True, simple_key=True)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.node(key, mapping=True)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(mapping[key], mapping=True)
        self.pop_indent()

    def block_sequence(self, items: list) -> None:
        self.increase_indent(False, self.map_ctx and not self.indention)
        for item in items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item, sequence=True)
        self.pop_indent()

    def scalar(self, value: str, style: str) -> None:
        multiline, block_plain, single_ok, block_ok, _ = _analyze(value)
        if self.key_ctx and multiline:
            style = DOUBLE
        if style == PLAIN:
            if not block_plain or (not value and self.key_ctx):
                style = SINGLE
        if style == SINGLE and not single_ok:
            style = DOUBLE
        if style == LITERAL and (not block_ok or self.key_ctx):
            style = DOUBLE
        root = self.root_ctx
        allow_breaks = not self.key_ctx
        self.increase_indent(True, False)
        if style == PLAIN:
            self.write_plain(value, allow_breaks, root)
        elif style == SINGLE:
            self.write_single(value, allow_breaks)
        elif style == DOUBLE:
            self.write_double(value, allow_breaks)
        else:
            self.write_literal(value)
        self.pop_indent()

    def _fits(self, value: str) -> bool:
        return " " not in value or self.column + len(value) <= BEST_WIDTH + 1

    def write_plain(self, value: str, allow_breaks: bool, root: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        if not allow_breaks or self._fits(value):
            self.put(value)
        else:
            spaces = False
            n = len(value)
            for i, c in enumerate(value):
                if c == " ":
                    if not spaces and self.column > BEST_WIDTH and not (i + 1 < n and value[i + 1] == " "):
                        self.write_indent()
                    else:
                        self.put(c)
                    spaces = True
                else:
                    self.put(c)
                    self.indention = False
                    spaces = False
        self.whitespace = False
        self.indention = False
        if root:
            self.open_ended = True

    def write_single(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        if (not allow_breaks or self._fits(value)) and not any(c in _BREAKS for c in value):
            self.put(value.replace("'", "''"))
        else:
            spaces = breaks = False
            n = len(value)
            for i, c in enumerate(value):
                if c == " ":
                    if (allow_breaks and not spaces and self.column > BEST_WIDTH and 0 < i < n - 1
                            and value[i + 1] != " "):
                        self.write_indent()
                    else:
                        self.put(c)
                    spaces = True
                elif c in _BREAKS:
                    if not breaks and c == "\n":
                        self.put_break()
                    self.write_break(c)
                    self.indention = True
                    breaks = True
                else:
                    if breaks:
                        self.write_indent()
                    self.put("''" if c == "'" else c)
                    self.indention = False
                    spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_double(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator('"', True, False, False)
        spaces = False
        bom = value.startswith("\ufeff")
        n = len(value)
        for i, c in enumerate(value):
            if bom or not _printable(c) or c in _BREAKS or c == '"' or c == "\\":
                self.put(_escape(c))
                spaces = False
            elif c == " ":
                if allow_breaks and not spaces and self.column > BEST_WIDTH and 0 < i < n - 1:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(c)
                spaces = True
            else:
                self.put(c)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str) -> None:
        self.write_indicator("|", True, False, False)
        if value[:1] == " " or value[:1] in _BREAKS:
            self.write_indicator(str(BEST_INDENT), False, False, False)
        self.open_ended = False
        chomp = ""
        if not value or value[-1] not in _BREAKS:
            chomp = "-"
        elif len(value) == 1 or value[-2] in _BREAKS:
            chomp = "+"
            self.open_ended = True
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for c in value:
            if c in _BREAKS:
                self.write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(c)
                self.indention = False
                breaks = False


_ESCAPES = {0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f", 0x0D: "r",
            0x1B: "e", 0x22: '"', 0x5C: "\\", 0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P"}


def _escape(c: str) -> str:
    v = ord(c)
    if v in _ESCAPES:
        return "\\" + _ESCAPES[v]
    if v <= 0xFF:
        return "\\x%02X" % v
    if v <= 0xFFFF:
        return "\\u%04X" % v
    return "\\U%08X" % v


def dump(document) -> str:
    """One document as go-yaml v2 marshals it (sigs.k8s.io/yaml.Marshal)."""
    e = _Emitter()
    e.node(document, root=True)
    e.write_indent()
    return "".join(e.out)
