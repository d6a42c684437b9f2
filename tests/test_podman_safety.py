"""The test suite never touches a user's Podman.

Every Podman the tests run is on a store of the tests' own (podmanrun.Store);
the canary (canary.py) stands in for the machine's default store during the
session.  The canary test runs last (conftest.py orders it), after every live
test: the canary pod, container, volume and secret are all still there, and
nothing else is.  Run alone, it first plays, generates and resets on each
Podman's own store itself, so it still proves something.
"""
from __future__ import annotations

import os

import canary
import pytest
from livepodman import VERSIONS, available, live, podman_for
from podmanrun import Store, own_config

WORKLOAD = """\
apiVersion: v1
kind: Pod
metadata:
  name: safety
spec:
  containers:
  - name: app
    image: localhost/busybox:latest
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: safety-data
"""


def test_own_config_sets_the_store_keys_once():
    base = '[containers]\ndefault_sysctls = [\n  "a=b",\n]\n[engine]\n# tmp_dir = "/x"\nlock_type = "shm"\n'
    text = own_config(base, {"engine": {"lock_type": "file", "tmp_dir": "/s/tmp"}, "network": {"x": "/s/n"}})
    assert text.count("lock_type") == 1 and 'lock_type = "file"' in text
    assert 'tmp_dir = "/s/tmp"' in text and '# tmp_dir = "/x"' in text
    assert text.index("[engine]") < text.index('lock_type = "file"')
    assert text.endswith('[network]\nx = "/s/n"\n')
    assert '"a=b",' in text


def test_store_flags_and_environment_name_only_the_store(tmp_path):
    store = Store(tmp_path)
    flags = store.flags()
    for flag in ("--root", "--runroot", "--tmpdir", "--volumepath", "--network-config-dir"):
        assert flags[flags.index(flag) + 1].startswith(str(tmp_path))
    env = store.env()
    assert env["CONTAINERS_CONF"].startswith(str(tmp_path)) and env["CONTAINERS_STORAGE_CONF"].startswith(
        str(tmp_path))


@pytest.mark.parametrize("version", [pytest.param(v, marks=live(v)) for v in VERSIONS])
def test_canary_default_store_is_untouched(version, tmp_path):
    canary.plant()  # done at the session's start (conftest.py); raises if that failed
    podman = podman_for(version)
    podman.reset()
    podman.run("pod", "create", "--name", "safety-extra")
    podman.run("volume", "create", "safety-extra")
    podman.run("secret", "create", "safety-extra", "-", stdin=b"x")
    (tmp_path / "safety.yaml").write_text(WORKLOAD)
    podman.run("kube", "play", "--start=false", str(tmp_path / "safety.yaml"))
    assert "name: safety" in podman.run("kube", "generate", "safety").text
    podman.reset()
    assert podman.run("pod", "ps", "-q").text.strip() == ""

    mine = [c for c in canary.CANARIES if available().get(version) and c.command == podman.command]
    assert len(mine) == 1, "no canary store for this Podman"
    now = mine[0].ids()
    assert now == mine[0].planted, f"the default store changed during the tests: {mine[0].planted} -> {now}"
    assert len(now["pod"]) == 1 and len(now["container"]) == 2 and len(now["volume"]) == 1 \
        and len(now["secret"]) == 1, now


def podman_calls(source: str) -> list[int]:
    """Lines of `subprocess.X(...)` calls whose command is a Podman (podman, podman5, podman58, or a path to one)."""
    import ast
    from pathlib import PurePath

    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == "subprocess":
            words = [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            if any(PurePath(w.split(" ")[0]).name in ("podman", "podman5", "podman58") for w in words if w):
                lines.append(node.lineno)
    return lines


def test_the_podman_call_finder_finds_them():
    assert podman_calls('import subprocess\nsubprocess.run(["podman", "pod", "rm", "--all"])\n') == [2]
    assert podman_calls('subprocess.run("/x/shared/tools/podman58 volume rm --all", shell=True)') == [1]
    assert podman_calls('subprocess.run([sys.executable, "-m", "kubebridge"])') == []


def test_nothing_else_runs_podman():
    """Only podmanrun.py (on a test store) and canary.py (on the canary) start a Podman process."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    allowed = {root / "tests/capture/podmanrun.py", root / "tests/canary.py"}
    offenders = [f"{path.relative_to(root)}:{line}"
                 for path in [*root.glob("tests/**/*.py"), *root.glob("benchmarks/*.py"),
                              *root.glob("kubebridge/**/*.py")] if path not in allowed
                 for line in podman_calls(path.read_text())]
    assert offenders == []


def test_a_store_is_ours_only_with_its_file_locks(tmp_path):
    store = Store(tmp_path)
    root, volumes = store.path("root"), store.path("volumes")
    assert not store.owns(root, volumes)  # no file locks: Podman would be on /dev/shm, shared with the default
    (tmp_path / "tmp" / "locks").mkdir(parents=True)
    assert store.owns(root, volumes)
    assert not store.owns("/var/lib/containers/storage", volumes)


def test_stores_of_killed_runs_are_swept(tmp_path):
    import subprocess
    import sys

    from podmanrun import sweep

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (tmp_path / f"kubebridge-podman-{gone.pid}-abc").mkdir()
    (tmp_path / f"kubebridge-podman-{os.getpid()}-def").mkdir()
    sweep(tmp_path, "kubebridge-podman-")
    assert [p.name for p in tmp_path.iterdir()] == [f"kubebridge-podman-{os.getpid()}-def"]
