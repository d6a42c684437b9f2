"""Kubernetes resource quantities in their canonical text form.

Podman sets a memory limit with Quantity.Set(bytes) on a BinarySI quantity and
a CPU limit with SetMilli on a DecimalSI one; String() then canonicalizes.
These functions give the same text for the integer values Podman produces.
"""
from __future__ import annotations

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
