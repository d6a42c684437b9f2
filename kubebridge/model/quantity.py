"""Kubernetes resource quantities in their canonical text form.

Podman sets a memory limit with Quantity.Set(bytes) on a BinarySI quantity and
a CPU limit with SetMilli on a DecimalSI one; String() then canonicalizes.
These functions give the same text for the integer values Podman produces.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_DECIMAL_SUFFIX = {-9: "n", -6: "u", -3: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E"}
_BINARY_SUFFIX = {1: "Ki", 2: "Mi", 3: "Gi", 4: "Ti", 5: "Pi", 6: "Ei"}


def _go_mod(a: int, b: int) -> int:
    """Go's %, whose result takes the sign of the dividend."""
    r = abs(a) % b
    return -r if a < 0 else r


def decimal_si(value: int, scale: int = 0) -> str:
    """int64Amount.AsCanonicalBytes + the DecimalSI suffix: value * 10**scale."""
    if value == 0:
        return "0"
    exponent = scale
    while value % 10 == 0:
        value //= 10
        exponent += 1
    rem = _go_mod(exponent, 3)
    if rem in (1, -2):
        value *= 10
        exponent -= 1
    elif rem in (2, -1):
        value *= 100
        exponent -= 2
    return f"{value}{_DECIMAL_SUFFIX[exponent]}" if exponent in _DECIMAL_SUFFIX else f"{value}e{exponent}"


def binary_si(value: int) -> str:
    """A BinarySI quantity of `value` bytes: 10Mi, 1Gi; decimal below 1024 or when not a multiple."""
    if value == 0:
        return "0"
    if -1024 < value < 1024:
        return decimal_si(value)
    exponent = 0
    while value % 1024 == 0 and exponent < 6:
        value //= 1024
        exponent += 1
    return f"{value}{_BINARY_SUFFIX.get(exponent, '')}"


def memory(value: int) -> str:
    return binary_si(value)


def cpu_milli(milli: int) -> str:
    return decimal_si(milli, -3)


# --- reading quantities ----------------------------------------------------------------------

_SUFFIXES: dict[str, int | str] = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60,
             "n": "1e-9", "u": "1e-6", "m": "1e-3", "": "1", "k": "1e3", "M": "1e6", "G": "1e9", "T": "1e12",
             "P": "1e15", "E": "1e18"}


_QUANTITY = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?\Z")


def parse(text: str):
    """A Kubernetes quantity ("512Mi", "1.5", "200m", "1e3") as an exact Decimal; ValueError if malformed."""
    m = _QUANTITY.match(text.strip())
    if not m:
        raise ValueError(f"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?"
                         f"[0-9]*)$': {text!r}")
    try:
        number = Decimal(m.group(1))
    except InvalidOperation:
        raise ValueError(f"invalid quantity {text!r}") from None
    suffix = m.group(2) or ""
    if suffix[:1] in ("e", "E"):
        return number * (Decimal(10) ** int(suffix[1:]))
    return number * Decimal(_SUFFIXES[suffix])


def go_int64(value: int) -> int:
    """Go's big.Int.Int64(): the low 64 bits of |value| as an int64, negated for a negative value (what
    Quantity's Value and MilliValue give for a quantity beyond int64: "1e400" gives 0)."""
    low = abs(value) % 2 ** 64
    low = low - 2 ** 64 if low >= 2 ** 63 else low
    return -low if value < 0 else low


def milli_value(text: str) -> int:
    """Quantity.MilliValue(): thousandths, rounded up, as an int64 (see go_int64)."""
    from decimal import ROUND_CEILING

    return go_int64(int((parse(text) * 1000).to_integral_value(rounding=ROUND_CEILING)))


def int_value(text: str) -> int:
    """Quantity.Value(): rounded up to an integer, as an int64 (see go_int64)."""
    from decimal import ROUND_CEILING

    return go_int64(int(parse(text).to_integral_value(rounding=ROUND_CEILING)))
