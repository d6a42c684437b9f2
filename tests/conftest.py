import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent / "capture"))

# Property tests take their example count from the profile: CI runs "ci" (.ci/run sets HYPOTHESIS_PROFILE=ci).
# "ci" is derandomized, so a red CI run is reproducible from its clone; "dev" and "hunt" draw fresh examples each
# run to keep finding new ones (every one found so far is a captured scenario or a fixed bug).
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("hunt", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
settings.load_profile(PROFILE)
# The fuzz tests (test_fuzz.py) run more examples: each is cheap, and the CI profile asks 600 per entry point.
FUZZ_EXAMPLES = {"ci": 600, "hunt": 20000}.get(PROFILE, 150)


# --- Podman safety: the canary default store (tests/canary.py, test_podman_safety.py) -------------------------

def pytest_configure(config):
    import signal

    import canary
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:  # killed (a timeout, a cancelled CI job): clean up first
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    canary.install()


def pytest_sessionstart(session):
    """The canary objects are made before any test runs (a failure is reported by the canary test)."""
    import canary
    try:
        canary.plant()
    except RuntimeError:
        pass


def pytest_unconfigure(config):
    import canary
    canary.remove()


def pytest_collection_modifyitems(session, config, items):
    """The canary test runs last, after every other test that could have touched a Podman."""
    last = [item for item in items if item.name.startswith("test_canary_")]
    items[:] = [item for item in items if item not in last] + last
