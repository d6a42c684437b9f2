"""The Podman versions kubebridge models, and what a user may call them: the one list.

profiles.py holds a Profile for each of VERSIONS (and checks it does); this
module stays light, so the command line can offer the versions in --help
without building the profiles.
"""
from __future__ import annotations

import re

VERSIONS = ("4.3.1", "5.4.2", "5.8.6")  # oldest first: one Profile each in profiles.py
DEFAULT_VERSION = "5"  # what --podman-version means when it is not given: the newest 5.x profile


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def names(version: str) -> list[str]:
    """What a user may call a profile: its full version, its minor, and its major where it is that major's
    newest ("5" is the newest 5.x)."""
    major, minor = version.split(".")[:2]
    result = [version, f"{major}.{minor}"]
    if version == max((v for v in VERSIONS if v.split(".")[0] == major), key=_key):
        result.append(major)
    return result


def full_version(name: str) -> str | None:
    """The profile's full version for a name a user gave (a full version, its minor, or a major: that major's
    newest profile, as names() gives them), or None."""
    return next((v for v in VERSIONS if name in names(v)), None)


def choices() -> tuple[str, ...]:
    """The --podman-version values: each profile's minor, and each major (its newest profile)."""
    return tuple(sorted({n for v in VERSIONS for n in names(v)[1:]}, key=_key))


def help_text() -> str:
    """The profiles in words, for --help and messages: each minor with its full version, then what each major
    alone means, all read from VERSIONS (tests/test_versions.py shows the text for today's profiles)."""
    minors = " or ".join(f"{names(v)[1]} ({v})" for v in VERSIONS)
    majors = ", ".join(f"{m} is {full_version(m)}"
                       for m in sorted({v.split('.')[0] for v in VERSIONS}, key=int))
    return f"{minors}; a major alone is its newest profile: {majors}"


_VERSION = re.compile(r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+~].*)?")


def _distance(profile: tuple[int, ...], wanted: tuple[int, ...]) -> tuple[int, int, int]:
    """How far a profile is from a wanted version of its major: minors first, patches only
    within one minor, and on a tie (5.6 between 5.4 and 5.8) the newer profile, since what a
    Podman release changes stays changed in the ones after it."""
    same_minor = profile[1] == wanted[1]
    return abs(profile[1] - wanted[1]), abs(profile[2] - wanted[2]) if same_minor else 0, -profile[1]


def resolve(name: str) -> tuple[str, str]:
    """The profile's full version for any Podman version a user names, and a notice when it is not exact.

    "5", "5.4", "5.4.2": that profile, no notice.  Another version of a major
    kubebridge models ("5.2", "5.6.1", "4.9"): the nearest profile of that major,
    with a notice naming it.  A major without a profile, or no version at all:
    ValueError, with the message to show.
    """
    text = str(name).strip()
    exact = full_version(text)
    if exact:
        return exact, ""
    match = _VERSION.fullmatch(text)
    if not match:
        raise ValueError(f"unsupported Podman version {text!r}: give a version such as 5.4 ({help_text()})")
    wanted = tuple(int(part or 0) for part in match.groups())
    same_major = [v for v in VERSIONS if _key(v)[0] == wanted[0]]
    if not same_major:
        raise ValueError(f"no profile for Podman {wanted[0]}.x: kubebridge models {', '.join(VERSIONS)}")
    nearest = min(same_major, key=lambda v: _distance(_key(v), wanted))
    return nearest, f"Podman {text} has no profile of its own: modelled by {nearest}, the nearest {wanted[0]}.x"
