"""Which real Podmans the live tests run against, each on a store of the tests' own.

On a developer's machine without Podman the live tests are skipped.  CI sets
KUBEBRIDGE_REQUIRE_PODMAN=1 (the system Podman 4.3) and, where the chroot
tools exist, KUBEBRIDGE_REQUIRE_PODMAN5=1 (5.4) and KUBEBRIDGE_REQUIRE_PODMAN58=1
(5.8): then a missing Podman fails the run instead of skipping it.

Every Podman here runs through tests/capture/podmanrun.py, on a store made for
the session and removed after it.  The canary (test_podman_safety.py) proves
it: for the session, each Podman's *default* configuration is pointed at a
canary store of its own (CONTAINERS_CONF and CONTAINERS_STORAGE_CONF, set in
the environment before any Podman runs, in each Podman's own filesystem), which
holds a pod with a container, a volume and a secret made before the first test.  A stray bare `podman` call would land there, never on the machine's real
default store, and the canary test, run last, finds what it changed.
"""
from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "capture"))
from podmanrun import Podman, ensure_images, find_podmans  # noqa: E402

VERSIONS = {"4.3": "KUBEBRIDGE_REQUIRE_PODMAN", "5.4": "KUBEBRIDGE_REQUIRE_PODMAN5",
            "5.8": "KUBEBRIDGE_REQUIRE_PODMAN58"}


@lru_cache(maxsize=None)
def available() -> dict[str, Podman]:
    found = {}
    for podman in find_podmans():
        found.setdefault(podman.major_minor, podman)
    return found


def required(version: str) -> bool:
    return os.environ.get(VERSIONS[version]) == "1"


@lru_cache(maxsize=None)
def podman_for(version: str) -> Podman:
    """The Podman of that version on the session's own store, with the test images; fails when CI requires it and
    it is missing."""
    podman = available().get(version)
    if podman is None:
        pytest.fail(f"Podman {version} is required ({VERSIONS[version]}=1) but not found: the system podman (4.3), "
                    "and podman5/podman58 from ../shared/tools beside the checkout, on PATH, or named by "
                    "KUBEBRIDGE_PODMAN5/KUBEBRIDGE_PODMAN58 (the chroot built: run the wrapper once)")
    ensure_images(podman)
    return podman


def live(version: str):
    """Mark a test as needing Podman `version`: skipped only where it is neither present nor required."""
    absent = version not in available() and not required(version)
    return pytest.mark.skipif(absent, reason=f"Podman {version} is not installed (set {VERSIONS[version]}=1 to "
                                             "require it)")
