"""Kubernetes YAML -> plain data, read the way Podman or Kubernetes reads it.

Two dialects, because the two read the same text differently:
  * "kubernetes": kubectl and the API server decode with go-yaml v2
    (sigs.k8s.io/yaml): YAML 1.1 booleans (`yes`, `off`), octal `0755`,
    timestamps kept as strings, a later duplicate key winning;
  * "podman": `podman kube play` splits the input with yaml.v3 and re-marshals
    each document first: only true/false are booleans, timestamps come back in
    RFC 3339, and a duplicate key is an error.
A libyaml-backed parser (yaml_parsers) gives the events; plain scalars are resolved by
scalars.resolve (v2) or scalars.resolve_v3.  Building from
events uses an explicit stack, so nesting cannot exhaust Python's recursion.
Line numbers are found only when a message needs one: Document.locate()
parses that one document again.
"""
from __future__ import annotations

import re

import weakref
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterator

from kubebridge.errors import InputError
from kubebridge.limits import LIMITS, Limits
from kubebridge.load import scalars
from kubebridge.load.chunks import document_chunks, text_only
from kubebridge.load.yaml_parsers import event_classes, loader_of, parser_for, reference_parser, ruamel


@dataclass
class Document:
    """One YAML document: its data, where it came from, and how to find a line in it."""

    data: Any
    file: str
    index: int  # position in the file, from 0
    line: int  # first line of the document, from 1
    text: str = field(repr=False, default="")  # the document's own text, for locate()
    line_offset: int = 0  # lines before `text` in the file
    duplicates: list[tuple] = field(default_factory=list)  # paths of keys given twice
    # plain scalars Kubernetes and Podman read differently (yes, on, 2024-01-01); only when asked to watch
    dialect_scalars: list[str] = field(default_factory=list)
    # id(container) -> its entries' marks (key -> mark of the key, or item marks); only when asked to keep them
    marks: dict | None = field(default=None, repr=False)
    mark_offset: int = 0  # lines before the text the marks were taken in (a chunk of a streamed file)

    @property
    def kind(self) -> str:
        kind = self.data.get("kind", "") if isinstance(self.data, dict) else ""
        return kind if isinstance(kind, str) else ""

    @property
    def name(self) -> str:
        meta = self.data.get("metadata") if isinstance(self.data, dict) else None
        return meta.get("name", "") if isinstance(meta, dict) and isinstance(meta.get("name"), str) else ""

    def locate(self, path: tuple | list) -> tuple[int | None, int | None]:
        """(line, column), from 1, of the value at path (or of its nearest existing parent)."""
        if self.marks is not None:
            return self._from_marks(tuple(path))
        try:
            return _locate(self.text, tuple(path), self.line_offset)
        except Exception:  # locating is best effort: never turn a message into a crash
            return self.line, 1

    def locate_all(self, paths: list[tuple]) -> dict[tuple, tuple[int | None, int | None]]:
        """locate() for many paths in one walk over the document (or none, with its marks)."""
        if self.marks is not None:
            return {tuple(p): self._from_marks(tuple(p)) for p in paths}
        try:
            return _locate_many(self.text, [tuple(p) for p in paths], self.line_offset)
        except Exception:  # best effort, as locate()
            return {tuple(p): (self.line, 1) for p in paths}

    def _from_marks(self, path: tuple) -> tuple[int | None, int | None]:
        """The place of the deepest node on the way to path, from the marks kept while building."""
        place = (self.line, 1)
        value: Any = self.data
        marks = self.marks or {}
        for part in path:
            own = marks.get(id(value)) if isinstance(value, (dict, list)) else None
            if own is None:
                break
            if isinstance(value, dict) and part in value and part in own:
                mark, value = own[part], value[part]
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(own):
                mark, value = own[part], value[part]
            else:
                break
            place = (mark.line + 1 + self.mark_offset, mark.column + 1)
        return place

    def error(self, message: str, path: tuple | list = ()) -> InputError:
        line, column = self.locate(path) if path else (self.line, None)
        return InputError(message, file=self.file, path=json_path(path) if path else None, line=line, column=column)


def json_path(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "$"


def parse_json_path(text: str) -> tuple:
    """json_path() backwards: "spec.containers[0].name" -> ("spec", "containers", 0, "name")."""
    import re

    keys: list = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", text):
        keys.append(int(index) if index else name)
    return tuple(keys) if text != "$" else ()


def separator_content(text: str) -> list[tuple[int, str]]:
    """(line from 1, what follows) for each line of text that kubectl's reader refuses as a document separator.

    apimachinery's YAMLReader (pkg/util/yaml/decoder.go, used by kubectl through
    NewYAMLOrJSONDecoder) takes every line starting with `---` as a separator,
    and refuses the stream ("invalid Yaml document separator") when anything but
    spaces or a comment follows it on the line, in every Kubernetes 1.25-1.37.
    YAML itself (libyaml, Podman's yaml.v3) reads `--- value` as a document start
    and its content.  A JSON stream (starting with `{`) is decoded as JSON: no lines.
    """
    if "---" not in text or text.lstrip()[:1] == "{":
        return []
    found = []
    for match in _REFUSED_SEPARATOR.finditer(text):  # a search, not a split: most documents start with a clean ---
        end = text.find("\n", match.start())
        rest = text[match.start() + 3:end if end >= 0 else len(text)].strip()
        if rest and not rest.startswith("#"):  # what str.strip() counts as space beyond the pattern's (U+00A0)
            found.append((text.count("\n", 0, match.start()) + 1, rest))
    return found


# a line starting with --- and followed by more than spaces or a comment (what separator_content reports)
_REFUSED_SEPARATOR = re.compile(r"^---(?![ \t\r\f\v]*(?:#|$))", re.M)


def _events(text: str, limits: Limits = LIMITS):
    """An event parser over text that cannot meet a nesting limit of its own (see yaml_parsers.parser_for)."""
    return parser_for(text, limits.max_depth)(text)


def _yaml_error(exc: Exception, name: str, line_base: int = 0) -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    line = line_base + mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return InputError(f"invalid YAML: {problem}", file=name, line=line, column=column)


def load_documents(raw: str | bytes | BinaryIO, name: str = "<input>", dialect: str = "kubernetes",
                   expand_lists: bool = True, limits: Limits = LIMITS) -> list[Document]:
    return list(iter_documents(raw, name, dialect, expand_lists, limits=limits))


_RESOLVED: dict[Any, dict[str, Any]] = {}  # resolver -> plain scalar text -> value (keys repeat endlessly)
_DIFFERING: set[str] = set()  # plain scalars the two dialects read differently
_CACHE_LIMIT = 200_000
_MISS = object()


def _resolve_cached(resolver, cache: dict[str, Any], s: str) -> Any:
    value = resolver(s)
    if len(cache) < _CACHE_LIMIT:
        cache[s] = value
        first = s[:1]
        if (first in "yYnNoO" or (first.isdigit() and "-" in s)) and scalars.dialects_differ(s):
            _DIFFERING.add(s)
    return value


def iter_documents(source: str | bytes | BinaryIO, name: str = "<input>", dialect: str = "kubernetes",
                   expand_lists: bool = True, watch_dialects: bool = False,
                   keep_marks: bool = False, limits: Limits = LIMITS) -> Iterator[Document]:
    """Every non-empty document; `kind: List` items expanded in place unless told not to.

    source: text, bytes or a binary stream.  Bytes and streams are read a chunk
    of whole documents at a time (chunks.py), so a long stream is never held at
    once; text is already in memory and is parsed as it is.
    keep_marks: give each document its marks, so locate() needs no second parse
    (costs a little time and memory per node; drop them with doc.marks = None).
    """
    chunks = [(text_only(source, name), 0)] if isinstance(source, str) else document_chunks(source, name, limits)
    index = 0
    for text, line_base in chunks:
        for doc in _parse_chunk(text, line_base, index, name, dialect, watch_dialects, keep_marks, limits):
            index = doc.index + 1
            if index > limits.max_documents:
                raise InputError(f"more than {limits.max_documents:,} documents, the limit "
                                 "(--max-documents)", file=name, line=doc.line)
            if expand_lists:
                yield from _expand_list(doc)
            else:
                yield doc


_PLACED: weakref.WeakSet = weakref.WeakSet()  # errors whose line is the file's already (see _parse_with)


class _ParserRefused(Exception):
    """A parser whose scanner is stricter than go-yaml's refused the text (see _parse_chunk)."""


def _parse_chunk(text: str, line_base: int, index: int, name: str, dialect: str, watch_dialects: bool,
                 keep_marks: bool, limits: Limits) -> Iterator[Document]:
    """The documents of one chunk of text, starting at line line_base + 1 of the file, numbered from index.

    ruamel.yaml.clib's libyaml is older than PyYAML's and refuses what go-yaml
    (and so kubectl and Podman) reads, such as a `:` inside a plain scalar in
    flow style (`{image: localhost/busybox:latest}`).  When it refuses a chunk,
    the chunk is read again by ruamel's Python parser, whose verdict stands.
    """
    parser = parser_for(text, limits.max_depth)
    given = 0
    try:
        for doc in _parse_with(parser, text, line_base, index, name, dialect, watch_dialects, keep_marks, limits):
            given += 1
            yield doc
    except _ParserRefused:
        again = _parse_with(reference_parser(), text, line_base, index, name, dialect, watch_dialects, keep_marks,
                            limits)
        for number, doc in enumerate(again):
            if number >= given:
                yield doc


def _parse_with(parser, text: str, line_base: int, index: int, name: str, dialect: str, watch_dialects: bool,
                keep_marks: bool, limits: Limits) -> Iterator[Document]:
    resolver = scalars.resolve_v3 if dialect == "podman" else scalars.resolve
    differing: list[str] | None = [] if watch_dialects else None
    loader, events = parser(text), event_classes(parser)
    try:
        while True:
            event = loader.get_event()
            kind = type(event).__name__
            if kind == "StreamEndEvent":
                return
            if kind != "DocumentStartEvent":
                continue
            start = event.start_mark
            first = loader.peek_event().start_mark  # the root node: the document's first line
            marks: dict | None = {} if keep_marks else None
            duplicate_marks: list = []
            data, duplicates = _build(loader, name, resolver, marks, differing, limits, v3=dialect == "podman",
                                      check_strings=len(text) > limits.max_string, events=events,
                                      duplicate_marks=duplicate_marks)
            if duplicates and dialect == "podman":  # yaml.v3 refuses the file, at the key given again
                key, (again, first) = duplicates[0], duplicate_marks[0]
                if first is None:  # the first key's place: read the chunk again, keeping marks (rare)
                    for _ in _parse_with(parser, text, line_base, index, name, dialect, False, True, limits):
                        pass
                raise InputError(f'mapping key "{key[-1]}" already defined at line {line_base + first.line + 1}',
                                 file=name, path=json_path(key), line=again.line + 1, column=again.column + 1)
            end = loader.get_event()  # DocumentEndEvent
            if data is None:
                if differing:
                    differing.clear()
                continue  # an empty document, skipped as Podman skips it
            doc_text = text[start.index:end.end_mark.index]
            doc = Document(data, name, index, line_base + first.line + 1, doc_text, line_base + start.line,
                           duplicates, marks=marks, mark_offset=line_base)
            if differing:
                doc.dialect_scalars = differing[:]
                differing.clear()
            index += 1
            yield doc
    except InputError as exc:
        if exc.line is not None and exc not in _PLACED:  # a chunk's line -> the file's, once
            exc.line += line_base
            _PLACED.add(exc)
        raise
    except RecursionError:
        raise InputError("YAML nested too deeply", file=name) from None
    except Exception as exc:  # the parser's errors carry the place
        if type(exc).__module__.startswith(("ruamel", "_ruamel", "yaml")):
            if parser is loader_of(ruamel):
                raise _ParserRefused() from None
            raise _yaml_error(exc, name, line_base) from None
        raise


def _expand_list(doc: Document) -> Iterator[Document]:
    """kind: List -> its items, each a document (Podman's splitMultiDocYAML does the same)."""
    data = doc.data
    if isinstance(data, dict) and data.get("kind") == "List" and isinstance(data.get("items"), list):
        for i, item in enumerate(data["items"]):
            yield Document(item, doc.file, doc.index, doc.line, doc.text, doc.line_offset, doc.duplicates)
        return
    yield doc


def _key(value: Any, name: str, mark: Any = None) -> str:
    """sigs.k8s.io/yaml turns non-string keys into strings; a null, a mapping or a sequence cannot be one."""
    text = scalars.go_string(value)
    if text is None:
        what = ("a null key (~ or null)" if value is None else "a mapping used as a key" if isinstance(value, dict)
                else "a sequence used as a key" if isinstance(value, list) else f"the key {value!r}")
        raise InputError(f"unsupported map key: {what}; Kubernetes and Podman read a mapping's keys as strings",
                         file=name, line=mark.line + 1 if mark is not None else None,
                         column=mark.column + 1 if mark is not None else None)
    return text


def _build(loader, name: str, resolver, marks: dict | None = None,
           watch: list[str] | None = None, limits: Limits = LIMITS,
           check_strings: bool = True, events: tuple | None = None, v3: bool = False,
           duplicate_marks: list | None = None) -> tuple[Any, list[tuple]]:
    """The data of one document, from its events; an explicit stack instead of recursion.

    A stack frame is [container, pending key, anchor, node count, key in parent,
    marks of the entries, mark of the pending key, mark of the container, keys a merge set (or None)].
    With `marks`, each container's entry marks are kept under id(container):
    a dict of key -> mark of the key, or a list of item marks (see Document.marks).
    With `watch`, plain scalars the other dialect reads differently are noted in it.
    This loop is the hot path of `check`: it avoids calls and allocations per node.
    """
    (AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent,
     SequenceStartEvent) = events or event_classes(parser_for("", limits.max_depth))

    anchors: dict[str, tuple[Any, int]] = {}
    duplicates: list[tuple] = []
    expanded = 0
    stack: list[list] = []
    get = loader.get_event
    merge = scalars.MERGE
    no_key = _NO_KEY
    keep = marks is not None
    cache = _RESOLVED.setdefault(resolver, {})
    cached = cache.get
    differing = _DIFFERING
    miss = _MISS
    max_depth, max_aliased, max_string = limits.max_depth, limits.max_alias_nodes, limits.max_string
    while True:
        event = get()
        cls = event.__class__
        if cls is ScalarEvent:
            value = event.value
            if event.tag:
                value = _scalar(event, resolver)
            elif not event.style:
                text = value
                value = cached(text, miss)
                if value is miss:
                    value = _resolve_cached(resolver, cache, text)
                    if watch is not None and scalars.dialects_differ(text):
                        watch.append(text)
                elif watch is not None and text in differing:
                    watch.append(text)
            if value is merge and not (stack and stack[-1][1] is no_key and stack[-1][0].__class__ is dict):
                value = "<<"  # go-yaml merges only at a key; elsewhere a plain << is a string
            if check_strings and len(event.value) > max_string:
                raise InputError(f"a string of {len(event.value):,} characters, more than the limit of "
                                 f"{max_string:,}", file=name, line=event.start_mark.line + 1,
                                 column=event.start_mark.column + 1)
            size = 1
            if event.anchor:
                anchors[event.anchor] = (value, 1)
            mark = event.start_mark if keep else None
        elif cls is MappingStartEvent or cls is SequenceStartEvent:
            if len(stack) >= max_depth:
                raise InputError(f"YAML nested more than {max_depth:,} levels deep (the limit)", file=name,
                                 line=event.start_mark.line + 1, column=event.start_mark.column + 1)
            parent_key = None
            if stack:
                top = stack[-1]
                parent_key = len(top[0]) if top[1] is no_key and top[0].__class__ is list else top[1]
            container: Any = {} if cls is MappingStartEvent else []
            own: Any = None
            if marks is not None:
                own = {} if cls is MappingStartEvent else []
                marks[id(container)] = own
            stack.append([container, no_key, event.anchor, 1, parent_key, own, None,
                          event.start_mark if keep else None, None])
            continue
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            value, _, anchor, size, _, _, _, mark, _ = stack.pop()
            if anchor:
                anchors[anchor] = (value, size)
        elif cls is AliasEvent:
            if event.anchor not in anchors:
                raise InputError(f"unknown alias *{event.anchor}: no anchor &{event.anchor} is complete before it (an "
                                 "alias cannot refer to the collection it is in)", file=name,
                                 line=event.start_mark.line + 1, column=event.start_mark.column + 1)
            value, size = anchors[event.anchor]
            expanded += size
            if expanded > max_aliased:
                raise InputError(f"document contains excessive aliasing (more than {max_aliased:,} nodes "
                                 "through aliases, the limit)", file=name, line=event.start_mark.line + 1,
                                 column=event.start_mark.column + 1)
            mark = event.start_mark if keep else None
        elif cls is DocumentEndEvent:  # an empty document
            return None, duplicates
        else:
            continue
        if not stack:
            return value, duplicates
        top = stack[-1]
        top[3] += size
        container = top[0]
        if container.__class__ is list:
            container.append(value)
            if keep:
                top[5].append(mark)
        elif top[1] is no_key:
            top[1] = value
            top[6] = mark if mark is not None else event.start_mark
        else:
            key = top[1]
            top[1] = no_key
            if key is merge:
                if v3 and not (value.__class__ is dict or value.__class__ is list
                               and all(v.__class__ is dict for v in value)):
                    at = top[6]
                    raise InputError("map merge requires map or sequence of maps as the value", file=name,
                                     line=at.line + 1, column=at.column + 1)
                if v3 and top[8] is not None:  # yaml.v3: a second << in one mapping is a key given twice
                    duplicates.append(_stack_path(stack) + ("<<",))
                    if duplicate_marks is not None:
                        duplicate_marks.append((top[6], top[5].get("<<") if keep else None))
                elif keep:
                    top[5]["<<"] = top[6]
                top[8] = _merge(container, value, top[8], v3)
                if watch is not None:  # go-yaml v2 and v3 merge differently: the other dialect may read it so
                    watch.append("<<")
                continue
            if key.__class__ is not str:
                key = _key(key, name, top[6])
            if key in container:
                merged = top[8]
                if merged is not None and key in merged:  # an explicit key overrides a merged one
                    merged.discard(key)
                else:
                    duplicates.append(_stack_path(stack) + (key,))
                    if duplicate_marks is not None:
                        duplicate_marks.append((top[6], top[5].get(key) if keep else None))
            container[key] = value
            if keep:
                top[5][key] = top[6]


def _stack_path(stack: list[list]) -> tuple:
    """The path of the innermost open collection, from each frame's key in its parent."""
    return tuple(frame[4] for frame in stack[1:])


class _NoKey:
    pass


_NO_KEY = _NoKey()


def _merge(target: dict, value: Any, merged: set | None, v3: bool) -> set:
    """A merge key's maps into the mapping being built; the keys it set (explicit keys override them).

    yaml.v3 (Podman's reader): explicit keys win wherever they stand, and of a
    list of maps the earlier wins.  go-yaml v2 (kubectl's): a merge overwrites
    the keys before it, a key after it overwrites the merge, and of a list of
    maps the earlier wins (v2 applies them last to first).
    """
    merged = set() if merged is None else merged
    sources = [s for s in (value if isinstance(value, list) else [value]) if isinstance(s, dict)]
    if v3:
        this_merge: set = set()
        for source in sources:
            for k, v in source.items():
                if k in target and (k not in merged or k in this_merge):
                    continue  # an explicit key, or one an earlier map of this list set
                target[k] = v
                merged.add(k)
                this_merge.add(k)
    else:
        for source in reversed(sources):
            for k, v in source.items():
                target[k] = v
                merged.add(k)
    return merged


def _scalar(event, resolver) -> Any:
    value = event.value
    tag = event.tag
    if tag and tag not in ("!", "tag:yaml.org,2002:str", "!!str"):
        resolved = resolver(value)
        return None if resolved is scalars.MERGE else resolved
    if event.style or tag:  # quoted, literal or folded, or explicitly a string
        return value
    return resolver(value)


def _locate(text: str, want: tuple, line_offset: int) -> tuple[int | None, int | None]:
    """The place of the deepest node on the way to `want`."""
    return _locate_many(text, [want], line_offset)[want]


def _locate_many(text: str, wants: list[tuple], line_offset: int) -> dict[tuple, tuple[int | None, int | None]]:
    """One walk over the document's events; for each wanted path, the place of the deepest node on its way.

    A mapping entry is placed at its key, a scalar value at the value itself.
    """
    loader = _events(text)
    frames: list[list] = []  # [is_map, expecting_key, current_key, next_index, path]
    best: dict[tuple, tuple[int | None, int | None]] = {want: (None, None) for want in wants}
    depth = {want: -1 for want in wants}
    waiting: dict[tuple, list[tuple]] = {}  # each prefix of a wanted path -> the paths it leads to
    for want in best:
        for k in range(len(want) + 1):
            waiting.setdefault(want[:k], []).append(want)

    def note(path: tuple, mark) -> None:
        for want in waiting.get(path, ()):
            if len(path) > depth[want]:
                best[want], depth[want] = (mark.line + 1 + line_offset, mark.column + 1), len(path)

    while True:
        event = loader.get_event()
        kind = type(event).__name__
        if kind in ("StreamStartEvent", "DocumentStartEvent"):
            continue
        if kind in ("StreamEndEvent", "DocumentEndEvent"):
            return best
        if kind in ("MappingEndEvent", "SequenceEndEvent"):
            frames.pop()
            if frames:
                _done(frames[-1])
            continue
        if not frames:
            path: tuple = ()
        else:
            top = frames[-1]
            if top[0] and top[1]:  # a mapping key
                top[2] = event.value if kind == "ScalarEvent" else None
                top[1] = False
                note(tuple(top[4]) + (top[2],), event.start_mark)
                if kind != "ScalarEvent":
                    frames.append([kind == "MappingStartEvent", True, None, 0, tuple(top[4]) + (None,)])
                continue
            path = tuple(top[4]) + ((top[2],) if top[0] else (top[3],))
        if kind == "ScalarEvent" or kind == "AliasEvent" or not frames or not frames[-1][0]:
            note(path, event.start_mark)
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            frames.append([kind == "MappingStartEvent", True, None, 0, path])
        elif frames:
            _done(frames[-1])


def _done(top: list) -> None:
    """A node inside this collection is complete."""
    if top[0]:
        top[1] = True
    else:
        top[3] += 1
