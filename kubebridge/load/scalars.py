"""How Go's YAML libraries read a plain scalar: go-yaml v2's resolver (kubectl, the API server and Podman's
marshalling, through sigs.k8s.io/yaml) and yaml.v3's (what `podman kube play` splits documents with).

The loaders resolve plain scalars with resolve() or resolve_v3(); the writer asks
resolves_to_string() whether a string needs quotes to read back as a string.
Sources: gopkg.in/yaml.v2 resolve.go, gopkg.in/yaml.v3 resolve.go.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_RESOLVE_MAP = frozenset(
    "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF "
    "~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<".split()
)
_HINT_MAP = frozenset("yYnNtTfFoO~")
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?\Z")
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?P<sep>[Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(?P<zone>Z|[+-]\d{2}:\d{2})?)?\Z"
)
_DIGITS = {16: "0123456789abcdefABCDEF", 8: "01234567", 2: "01", 10: "0123456789"}
_INT64_MIN, _INT64_MAX, _UINT64_MAX = -(1 << 63), (1 << 63) - 1, (1 << 64) - 1


def _go_parse_int(s: str) -> bool:
    """strconv.ParseInt(s, 0, 64) or ParseUint(s, 0, 64) succeeds."""
    sign = ""
    body = s
    if body[:1] in ("+", "-"):
        sign, body = body[0], body[1:]
    base, digits = 10, body
    low = body[:2].lower()
    if low == "0x":
        base, digits = 16, body[2:]
    elif low == "0b":
        base, digits = 2, body[2:]
    elif low == "0o":
        base, digits = 8, body[2:]
    elif body[:1] == "0" and len(body) > 1:
        base, digits = 8, body[1:]
    if not digits or any(c not in _DIGITS[base] for c in digits):
        return False
    value = int(digits, base)
    if sign == "-":
        return -value >= _INT64_MIN
    return value <= _UINT64_MAX if not sign else value <= _INT64_MAX


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _is_timestamp(s: str) -> bool:
    m = _TIMESTAMP.match(s)
    if not m:
        return False
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)):
        return False
    if m.group("sep") is None:
        return True
    if m.group("sep") == " " and m.group("zone"):
        return False  # Go's space-separated layout has no zone
    if m.group("sep") in "Tt" and not m.group("zone"):
        return False  # the RFC 3339 layouts require a zone
    hour, minute, second = int(m.group(5)), int(m.group(6)), int(m.group(7))
    return hour < 24 and minute < 60 and second < 60


@lru_cache(maxsize=4096)
def resolves_to_string(s: str) -> bool:
    """go-yaml v2 resolve("", s) gives !!str, and s is no base-60 float: it may stay plain."""
    if s == "":
        return False
    first = s[0]
    if first in "+-":
        hint = "S"
    elif "0" <= first <= "9":
        hint = "D"
    elif first in _HINT_MAP:
        hint = "M"
    elif first == ".":
        hint = "."
    else:
        return True
    if s in _RESOLVE_MAP:
        return False
    if hint == ".":
        if _DOT_FLOAT.match(s):
            return False
    elif hint in "DS":
        if hint == "D" and _is_timestamp(s):
            return False
        plain = s.replace("_", "")
        if plain and _go_parse_int(plain):
            return False
        if _YAML_FLOAT.match(plain) and float(plain) not in (float("inf"), float("-inf")):
            return False
    return not _BASE60_FLOAT.match(s)


_BOOLS = {**dict.fromkeys("y Y yes Yes YES true True TRUE on On ON".split(), True),
          **dict.fromkeys("n N no No NO false False FALSE off Off OFF".split(), False)}
_FLOATS = {".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan"), ".inf": float("inf"),
           ".Inf": float("inf"), ".INF": float("inf"), "+.inf": float("inf"), "+.Inf": float("inf"),
           "+.INF": float("inf"), "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf")}
MERGE = object()  # the << merge key


def _go_int(s: str) -> int | None:
    """The value of strconv.ParseInt/ParseUint(s, 0, 64), or None."""
    if not _go_parse_int(s):
        return None
    sign = -1 if s[0] == "-" else 1
    body = s.lstrip("+-")
    low = body[:2].lower()
    if low in ("0x", "0b", "0o"):
        return sign * int(body[2:], {"0x": 16, "0b": 2, "0o": 8}[low])
    if body[:1] == "0" and len(body) > 1:
        return sign * int(body[1:], 8)
    return sign * int(body)


def resolve(s: str):
    """What go-yaml v2 decodes a plain scalar to, for an interface{} target (as Podman and kubectl read YAML).

    Timestamps stay strings (yaml.v2 keeps them so for interface{}); base-60
    numbers are strings too, unlike YAML 1.1.
    """
    if s == "" or s in ("~", "null", "Null", "NULL"):
        return None
    first = s[0]
    if first in "yYnNtTfFoO":
        return _BOOLS.get(s, s)
    if first == "<" and s == "<<":
        return MERGE
    if first == ".":
        if s in _FLOATS:
            return _FLOATS[s]
        return float(s) if _DOT_FLOAT.match(s) else s
    if first in "+-" and s in _FLOATS:
        return _FLOATS[s]
    if first in "+-0123456789":
        if first.isdigit() and _is_timestamp(s):
            return s
        plain = s.replace("_", "")
        if plain:
            value = _go_int(plain)
            if value is not None:
                return value
            if _YAML_FLOAT.match(plain):
                f = float(plain)
                if f not in (float("inf"), float("-inf")):
                    return f
    return s


_V3_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def _rfc3339nano(m: re.Match) -> str:
    """A go-yaml timestamp as Go's time.Format(time.RFC3339Nano) writes it."""
    date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    if m.group("sep") is None:
        return date + "T00:00:00Z"
    clock = f"{int(m.group(5)):02d}:{int(m.group(6)):02d}:{int(m.group(7)):02d}"
    fraction = (m.group(8) or "").rstrip("0").rstrip(".")
    zone = m.group("zone")
    if zone in (None, "Z", "+00:00", "-00:00"):  # a zero offset is UTC on a UTC host
        zone = "Z"
    return f"{date}T{clock}{fraction}{zone}"


def resolve_v3(s: str):
    """What Podman's kube play sees for a plain scalar: yaml.v3's resolution, re-marshalled.

    Podman splits the input with yaml.v3 and writes each document out again
    before decoding it: only true/false are booleans (`yes` stays a string), and
    a timestamp comes back in RFC 3339 (`2024-01-01` -> "2024-01-01T00:00:00Z").
    """
    if s in ("", "~", "null", "Null", "NULL"):
        return None
    if s[0] in "yYnNoO":
        return s
    if s and s[0] in "tTfF":
        return _V3_BOOLS.get(s, s)
    match = _TIMESTAMP.match(s) if s and s[0].isdigit() and _is_timestamp(s) else None
    if match:
        return _rfc3339nano(match)
    return resolve(s)


@lru_cache(maxsize=4096)
def dialects_differ(s: str) -> bool:
    """Kubernetes (go-yaml v2) and podman kube play (yaml.v3, re-marshalled) read this plain scalar differently."""
    v2, v3 = resolve(s), resolve_v3(s)
    if type(v2) is not type(v3):
        return True
    return v2 != v3 and not (isinstance(v2, float) and v2 != v2 and v3 != v3)  # NaN is NaN in both


def go_string(value: Any) -> str | None:
    """A scalar as sigs.k8s.io/yaml writes it into a string (a map key, or a string field): booleans as
    true/false, numbers as Go prints them; None for anything that is no scalar."""
    if isinstance(value, str):
        return value
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float32(value)
    return None


def format_float32(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32): how sigs.k8s.io/yaml writes a float into a string field."""
    import math
    import struct

    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    try:
        f32 = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:  # beyond float32: Go's conversion gives an infinity
        f32 = math.copysign(math.inf, value)
    if math.isinf(f32):
        return "+Inf" if f32 > 0 else "-Inf"
    if f32 == 0:
        return "0"
    for ndigits in range(1, 10):  # the shortest decimal that reads back as the same float32
        text = f"{abs(f32):.{ndigits - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == abs(f32):
            break
    mantissa, exponent = text.split("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    return ("-" if f32 < 0 else "") + _go_g(digits, int(exponent))


def _go_g(digits: str, exp: int) -> str:
    """strconv's 'g' layout of shortest digits with decimal exponent exp: %e when exp < -4 or exp >= 6."""
    if exp < -4 or exp >= 6:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp < 0:
        return "0." + "0" * (-exp - 1) + digits
    if len(digits) <= exp + 1:
        return digits + "0" * (exp + 1 - len(digits))
    return digits[: exp + 1] + "." + digits[exp + 1:]
