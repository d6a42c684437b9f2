"""A CRD schema's `pattern`, written in Go's RE2 syntax, for the JSON Schema validators kubebridge runs.

The API server compiles `pattern` with Go's regexp (RE2).  jsonschema-rs reads
ECMA-262 patterns, and Python's re its own syntax; the three agree on most
patterns but not on RE2's POSIX classes (`[[:alpha:]]`), `\\z`, `\\Q...\\E` and
`\\pL`.  portable() rewrites those into the syntax the validators share; a pattern
that neither validator compiles even then is left unjudged (None), rather than
made an error the API server would not give.  Backreferences and lookarounds,
which RE2 refuses and the validators accept, are not judged either.
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache
from typing import Callable

POSIX = {"alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ",
         "cntrl": "\\x00-\\x1f\\x7f", "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~",
         "punct": "!-/:-@\\[-`{-~", "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z", "word": "0-9A-Za-z_",
         "xdigit": "0-9A-Fa-f"}
_QUOTED = re.compile(r"\\Q(.*?)(?:\\E|$)", re.S)
_POSIX = re.compile(r"\[:(\^?)([a-z]+):\]")
_ONE_LETTER_CLASS = re.compile(r"\\([pP])([A-Za-z])")


@lru_cache(maxsize=1024)
def portable(pattern: str) -> str | None:
    """The pattern with RE2's own syntax rewritten for jsonschema-rs and Python's re; None when they cannot
    compile it (it is then not judged)."""
    text = _QUOTED.sub(lambda m: re.escape(m.group(1)), pattern)
    text = _POSIX.sub(lambda m: POSIX.get(m.group(2), m.group(0)) if not m.group(1) else m.group(0), text)
    text = _ONE_LETTER_CLASS.sub(lambda m: f"\\{m.group(1)}{{{m.group(2)}}}", text)
    text = text.replace("\\z", "$")  # end of text: ECMA's $ without the m flag
    return text if _compiles(text) else None


@lru_cache(maxsize=1024)
def matcher(pattern: str) -> Callable[[str], bool] | None:
    """Whether a text matches the pattern (a search), as the validators judge it: jsonschema-rs's engine where it is
    installed (linear, where Python's re backtracks), else Python's re; None when that engine cannot compile it."""
    try:
        import jsonschema_rs
    except ImportError:
        with warnings.catch_warnings():  # "Possible nested set": a FutureWarning of re's, not the user's
            warnings.simplefilter("ignore")
            try:
                compiled = re.compile(pattern)
            except re.error:
                return None
        return lambda text: compiled.search(text) is not None
    try:
        return jsonschema_rs.Draft202012Validator({"pattern": pattern}).is_valid
    except ValueError:
        return None


def _compiles(text: str) -> bool:
    return matcher(text) is not None


def go_pattern_compiles(pattern: str) -> bool:
    """Whether the API server would compile the pattern, as far as can be told here: False only for a pattern that
    is broken in every syntax (an unbalanced bracket or parenthesis, a dangling quantifier)."""
    if portable(pattern) is not None:
        return True
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            re.compile(pattern)
            return True
        except re.error as exc:
            return not any(word in str(exc) for word in ("unterminated", "unbalanced", "missing", "nothing to repeat",
                                                         "multiple repeat"))
