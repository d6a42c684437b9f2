"""Small helpers shared by the API-server checks: Go's types and the shapes Kubernetes' validation tests for.

Values may be of any type here (the schema reports wrong types); each helper
answers only for the type it is about and is quiet otherwise.
"""
from __future__ import annotations

from typing import Any, TypeGuard

from kubebridge.model.kube_names import percent_problem, port_name_problem, port_problem
from kubebridge.model.manifest import Manifest, as_dict, as_list

INT32_MAX = 2**31 - 1


def spec_of(m: Manifest) -> dict:
    """An object's spec, {} when it has none or it is no mapping."""
    return as_dict(m.data.get("spec"))


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def given(value: Any) -> bool:
    """Whether Go sees a value: not null, and not an empty string, list or map (len() != 0)."""
    return value is not None and value != "" and value != [] and value != {}


def negative(value: Any) -> bool:
    return is_int(value) and value < 0


def int32_problem(value: Any) -> str:
    """A number an int32 field cannot hold: the API server's decoding refuses it before validation."""
    if is_int(value) and not -2**31 <= value <= INT32_MAX:
        return f"{value} does not fit the field's 32-bit integer (at most {INT32_MAX})"
    return ""


def enum_problem(value: Any, allowed: tuple[str, ...]) -> str:
    """NotSupported: an explicit value outside the list (an unset one is defaulted, not refused)."""
    if isinstance(value, str) and value and value not in allowed:
        return f"{value!r} is not supported: use {', '.join(allowed)}"
    return ""


def int_or_percent_problem(value: Any) -> str:
    """ValidatePositiveIntOrPercent: an integer >= 0, or a string that is a percentage ("25%")."""
    if isinstance(value, str):
        problem = percent_problem(value)
        return f"{value!r} {problem}" if problem else ""
    if is_int(value) and value < 0:
        return f"{value} must be greater than or equal to 0"
    return ""


def percent_value(value: Any) -> int | None:
    """The number of a valid percentage ("25%" -> 25), else None."""
    if isinstance(value, str) and not percent_problem(value):
        return int(value[:-1])
    return None


def int_or_percent_amount(value: Any) -> int | None:
    """getIntOrPercentValue: the percentage's number or the integer; None when neither."""
    number = percent_value(value)
    return number if number is not None else value if is_int(value) else None


def port_num_or_name_problem(value: Any) -> tuple[str, str]:
    """ValidatePortNumOrName: (rule, problem); a string is an IANA port name (it needs a letter: "80" is not)."""
    if isinstance(value, str):
        problem = port_name_problem(value)
        return ("port-name-invalid", f"port name {value!r} {problem}") if problem else ("", "")
    problem = port_problem(value)
    return ("port-invalid", f"port {problem}") if problem else ("", "")


def entries(container: Any, key: str) -> list[tuple[int, dict]]:
    """(index, mapping) of a list field's mappings."""
    return [(i, item) for i, item in enumerate(as_list(as_dict(container).get(key))) if isinstance(item, dict)]
