"""Kubernetes' resource.Quantity as Go holds it, for the numbers Podman reads from one.

`model/quantity.py` reads a quantity as the exact number it writes.  Podman's
kube play does not use that number: it asks the Quantity for an int64, and a
Quantity keeps one of two forms, chosen by ParseQuantity (apimachinery
pkg/api/resource/quantity.go, vendored by Podman under pkg/k8s.io):

* int64Amount{value, scale}, worth value * 10**scale, when the digits fit
  (at most 18 of them, a binary suffix small enough);
* inf.Dec{unscaled, scale}, worth unscaled * 10**-scale, otherwise; a non-zero
  one is rounded up to scale 9 (nanos), so its unscaled is value * 10**9.

Podman's memory limit (quantityToInt64, pkg/specgen/generate/kube/kube.go)
takes AsInt64() or else AsDec().Unscaled(): `1.5Gi` (an inf.Dec) gives
1610612736000000000 and `0.5` gives 5, as real Podman shows
(play/resources-quantity-forms).  Its CPU limit takes MilliValue(), which
wraps or gives 0 past int64 (`1e19` gives 0).  Go's int64 arithmetic wraps;
so does this module's (see _wrap).
"""
from __future__ import annotations

from dataclasses import dataclass

_INT64_MAX = 2 ** 63 - 1
_MAX_INT64_FACTORS = 18
_NANO = -9
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL_NAMES = {v: k for k, v in _DECIMAL.items()}
_BINARY_NAMES = {v // 10: k for k, v in _BINARY.items()}

FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
NUMERIC_ERROR = "unable to parse numeric part of quantity"
SUFFIX_ERROR = "unable to parse quantity's suffix"


def _wrap(value: int) -> int:
    """value as Go's int64 arithmetic leaves it (two's complement, 64 bits)."""
    return (value + 2 ** 63) % 2 ** 64 - 2 ** 63


def _fits(value: int) -> bool:
    return -2 ** 63 <= value <= _INT64_MAX


@dataclass(frozen=True)
class GoQuantity:
    """One parsed quantity in the form Go keeps: int64Amount (dec False: value * 10**scale) or inf.Dec
    (dec True: value * 10**-scale); text is the string it was parsed from, kept when Go keeps it (q.s)."""

    value: int
    scale: int
    dec: bool
    format: str  # "DecimalSI", "BinarySI" or "DecimalExponent"
    text: str = ""

    def as_int64(self) -> int | None:
        """Quantity.AsInt64(): the exact int64, or None (an inf.Dec, a fraction, or too big)."""
        if self.dec or self.scale < 0:
            return None
        return _positive_scale(self.value, self.scale)

    def unscaled(self) -> int | None:
        """AsDec().Unscaled(): the unscaled integer when it fits int64, else None."""
        unscaled = self.value
        return unscaled if _fits(unscaled) else None

    def podman_int64(self) -> int | None:
        """Podman's quantityToInt64: AsInt64(), else AsDec().Unscaled(), else None (Podman refuses)."""
        exact = self.as_int64()
        return exact if exact is not None else self.unscaled()

    def milli_value(self) -> int:
        """Quantity.MilliValue() (ScaledValue(Milli)): thousandths, rounded away from zero, as int64."""
        if not self.dec:
            if self.scale < -3:
                return _negative_scale(self.value, -3 - self.scale)
            return _positive_scale(self.value, self.scale + 3) or 0
        return _scaled_value(self.value, self.scale, 3)

    def __str__(self) -> str:
        """Quantity.String(): the text it was given when Go kept it, else the canonical form."""
        return self.text or _canonical(self)


def parse(text: str) -> GoQuantity:
    """ParseQuantity(text); ValueError with Kubernetes' message when Go refuses it."""
    if text == "":
        raise ValueError(FORMAT_ERROR)
    if text == "0":
        return GoQuantity(0, 0, False, "DecimalSI", text)
    positive, value, num, denom, suffix = _split(text)
    if suffix in _BINARY:
        base, exponent, form = 2, _BINARY[suffix], "BinarySI"
    elif suffix in _DECIMAL:
        base, exponent, form = 10, _DECIMAL[suffix], "DecimalSI"
    elif len(suffix) > 1 and suffix[0] in "eE" and _is_int(suffix[1:]) and _fits(int(suffix[1:])):
        # strconv.ParseInt(..., 64), then int32(): a larger exponent wraps as Go's conversion does
        base, form = 10, "DecimalExponent"
        exponent = (int(suffix[1:]) + 2 ** 31) % 2 ** 32 - 2 ** 31
    else:
        raise ValueError(SUFFIX_ERROR)
    fast = _fast_path(positive, num, denom, base, exponent, form, text)
    if fast is not None:
        return fast
    return _as_dec(value, base, exponent, form)


def _is_int(text: str) -> bool:
    digits = text[1:] if text[:1] in ("+", "-") else text
    return digits.isascii() and digits.isdigit()


def _split(text: str) -> tuple[bool, str, str, str, str]:
    """parseQuantityString: (positive, value text, numerator, denominator, suffix)."""
    end, pos = len(text), 0
    positive = True
    if text[0] in "+-":
        positive, pos = text[0] == "+", 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "0", "", ""
    start = pos
    while pos < end and text[pos] in "0123456789":
        pos += 1
    num = text[start:pos] or "0"
    denom = ""
    if pos < end and text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in "0123456789":
            pos += 1
        denom = text[start:pos]
    value = text[:pos]
    suffix_start = pos
    while pos < end and text[pos] in "eEinumkKMGTP":
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in "0123456789":
        pos += 1
    if pos < end:
        raise ValueError(FORMAT_ERROR)
    return positive, value, num, denom, text[suffix_start:]


def _fast_path(positive: bool, num: str, denom: str, base: int, exponent: int, form: str,
               text: str) -> GoQuantity | None:
    """ParseQuantity's int64Amount branch, or None when it falls through to inf.Dec."""
    mantissa, scale = 1, 0
    if base == 10:
        scale = exponent
        precision = _MAX_INT64_FACTORS - (len(num) + len(denom))
    elif exponent >= 0 and not denom:
        mantissa = 1 << exponent
        precision = 15 - len(num) - int(exponent * 3 / 10) - 1
    else:
        precision = -1
    if precision < 0:
        return None
    scale -= len(denom)
    if scale < _NANO:
        return None
    shifted = int(num + denom)
    if not _fits(shifted):
        raise ValueError(NUMERIC_ERROR)
    result = shifted * mantissa
    if not _fits(result):
        return None
    result = result if positive else -result
    canonical = (exponent % 10 == 0 and shifted & 7 != 0) if form == "BinarySI" else \
        (scale % 3 == 0 and not (num + denom).endswith("000") and (num + denom)[0] != "0")
    return GoQuantity(result, scale, False, form, text if canonical else "")


def _as_dec(value: str, base: int, exponent: int, form: str) -> GoQuantity:
    """ParseQuantity's inf.Dec branch: the exact number, rounded up (away from zero) to nanos, capped for
    BinarySI at int64's largest."""
    digits = value.lstrip("+-")
    negative = value.startswith("-")
    whole, _, fraction = digits.partition(".")
    unscaled, scale = int((whole + fraction) or "0"), len(fraction)
    if base == 10:
        scale -= exponent
    else:
        unscaled <<= exponent
    if unscaled != 0:
        unscaled, scale = _round_up(unscaled, scale, -_NANO), -_NANO
    if form == "BinarySI" and unscaled * 10 ** max(0, -scale) > _INT64_MAX * 10 ** max(0, scale):
        unscaled, scale = _INT64_MAX, 0
    if form == "BinarySI" and 0 < unscaled and unscaled < 10 ** scale:
        form = "DecimalSI"
    return GoQuantity(-unscaled if negative else unscaled, scale, True, form)


def _round_up(unscaled: int, scale: int, to: int) -> int:
    """inf.Dec.Round(x, to, RoundUp) of a non-negative x = unscaled * 10**-scale: the new unscaled at scale `to`."""
    if scale <= to:
        return unscaled * 10 ** (to - scale)
    quotient, remainder = divmod(unscaled, 10 ** (scale - to))
    return quotient + 1 if remainder else quotient


def _positive_scale(value: int, scale: int) -> int | None:
    """positiveScaleInt64: value * 10**scale, or None past int64."""
    result = value * 10 ** scale
    return result if _fits(result) else None


def _negative_scale(value: int, scale: int) -> int:
    """negativeScaleInt64: value / 10**scale, a remainder rounded away from zero."""
    quotient, remainder = divmod(abs(value), 10 ** scale)
    quotient += 1 if remainder else 0
    return quotient if value > 0 else -quotient


def _scaled_value(unscaled: int, scale: int, new_scale: int) -> int:
    """scaleInt's scaledValue: unscaled * 10**-scale in units of 10**-new_scale, rounded up, as Go's int64."""
    dif = scale - new_scale
    if dif < 0:
        return _wrap(_wrap(unscaled) * 10 ** -dif)
    quotient, remainder = divmod(abs(unscaled), 10 ** dif)
    quotient = -quotient if unscaled < 0 else quotient
    return _wrap(quotient) + 1 if remainder else _wrap(quotient)


def _canonical(q: GoQuantity) -> str:
    """Quantity.CanonicalizeBytes for the forms above."""
    if q.value == 0:
        return "0"
    if q.dec:
        mantissa, exponent = q.value, -q.scale
    else:
        mantissa, exponent = q.value, q.scale
    form = q.format
    if form == "BinarySI":
        whole = mantissa * 10 ** exponent if exponent >= 0 else None
        if whole is None and mantissa % 10 ** -exponent == 0:
            whole = mantissa // 10 ** -exponent
        if -1024 < (whole if whole is not None else 0) < 1024 or whole is None:
            form = "DecimalSI"
        else:
            power = 0
            while whole % 1024 == 0 and whole:
                whole //= 1024
                power += 1
            name = _BINARY_NAMES.get(power, "") if power else ""
            return f"{whole}{name}"
    while mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    while exponent % 3:
        mantissa *= 10
        exponent -= 1
    if form == "DecimalSI":  # an exponent without a suffix of its own gets none (constructBytes fails)
        return f"{mantissa}{_DECIMAL_NAMES.get(exponent, '')}"
    return f"{mantissa}e{exponent}" if exponent else f"{mantissa}"
