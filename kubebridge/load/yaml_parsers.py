"""The YAML event parsers kubebridge reads with, and which one reads a given text.

libyaml-backed parsers (PyYAML's, ruamel.yaml.clib's) are fast but bring limits
of their own that change between releases; kubebridge's limits must fire first
(tests/test_parsers.py).  parser_for() picks, per text, the fastest parser whose
own nesting limit that text cannot reach, else ruamel's pure-Python parser.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any


def pyyaml():
    import yaml
    return yaml.CBaseLoader if yaml.__with_libyaml__ else None


def ruamel():
    from ruamel.yaml.cyaml import CBaseLoader
    return CBaseLoader


@lru_cache(maxsize=None)
def loader_of(which) -> Any:
    """A libyaml event parser class, imported on first use (None when that package or its libyaml is missing)."""
    try:
        return which()
    except ImportError:
        return None


CANDIDATES = (pyyaml, ruamel)  # fastest first: PyYAML's libyaml is 20% faster per event than ruamel's


@lru_cache(maxsize=None)
def reaches(loader, depth: int) -> bool:
    """Whether the parser reads nesting `depth` deep, in flow and in block style, without an error of its own."""
    try:
        for text in ("[" * depth + "]" * depth, "- " * depth + "x\n"):
            parser = loader(text)
            while parser.check_event():
                parser.get_event()
        return True
    except Exception:  # the parser's own nesting limit
        return False


LOOKAHEAD = 1024  # characters libyaml's scanner may read ahead of the event it gives (a simple key's length)
SHALLOW = 512  # the nesting every parser is asked for when the text cannot nest deeper


def depth_bound(text: str) -> int:
    """An upper bound of the nesting in text: its flow brackets, plus its longest line (a block level takes a
    column of indentation at least, a compact `- ` two), plus slack."""
    return text.count("[") + text.count("{") + max(map(len, text.split("\n")), default=0) + 8


def parser_for(text: str, max_depth: int):
    """The fastest parser whose own nesting limit cannot come before kubebridge's on this text.

    Parser releases bring limits of their own: PyYAML 6.0.4's libyaml refuses
    1,000 levels and more, and its scanner reads up to LOOKAHEAD characters
    ahead, so it can meet that limit before kubebridge has seen the levels
    below.  A parser is used when it reads max_depth + 1 + LOOKAHEAD levels, or
    when the text cannot nest as deep as SHALLOW levels and the parser reads
    those; each is asked once per process, on a probe document.
    """
    bound = None
    for which in CANDIDATES:
        loader = loader_of(which)
        if loader is None:
            continue
        if bound is None:
            bound = depth_bound(text)
        if bound < SHALLOW and reaches(loader, SHALLOW) or reaches(loader, max_depth + 1 + LOOKAHEAD):
            return loader
    return reference_parser()


@lru_cache(maxsize=None)
def event_classes(parser) -> tuple:
    if parser.__module__.startswith("yaml"):
        from yaml import events
    else:
        from ruamel.yaml import events
    return (events.AliasEvent, events.DocumentEndEvent, events.MappingEndEvent, events.MappingStartEvent,
            events.ScalarEvent, events.SequenceEndEvent, events.SequenceStartEvent)


def reference_parser():
    from ruamel.yaml.loader import BaseLoader  # Python, slower, and without a nesting limit of its own
    return BaseLoader
