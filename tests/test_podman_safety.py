"""The test suite never touches a user's Podman.

Every Podman the tests run is on a store of the tests' own (podmanrun.Store);
the canary (canary.py) stands in for the machine's default store during the
session.  The canary test runs last (conftest.py orders it), after every live
test: the canary pod, container, volume and secret are all still there, and
nothing else is.  Run alone, it first plays, generates and resets on each
Podman's own store itself, so it still proves something.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path

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


ROOT = Path(__file__).resolve().parents[1]
# The one module of kubebridge that starts a process: `kubebridge snapshot` runs the *user's* podman, on purpose,
# read-only (version and inspect only: test_the_snapshot_module_runs_only_read_only_subcommands).  The tests point
# it at a test store (podmanrun.Podman.wrapper), never at a default one.
SNAPSHOT_MODULE = ROOT / "kubebridge/query/command_line.py"


def test_nothing_else_runs_podman():
    """Only podmanrun.py (on a test store), canary.py (on the canary) and the snapshot module (the user's podman,
    read-only) start a Podman process."""
    root = ROOT
    allowed = {root / "tests/capture/podmanrun.py", root / "tests/canary.py", SNAPSHOT_MODULE}
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


def _process_calls(tree: ast.AST) -> list[int]:
    """Lines that start a process: subprocess.*, os.system/popen/exec*/spawn*/posix_spawn*."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name):
            module, name = node.func.value.id, node.func.attr
            if module == "subprocess" or (module == "os" and name.startswith(("system", "popen", "exec", "spawn",
                                                                                 "posix_spawn", "fork"))):
                lines.append(node.lineno)
    return lines


def test_kubebridge_starts_a_process_only_in_the_snapshot_module():
    """The product starts no process but the snapshot module's podman, so the scan above cannot miss a podman
    whose name is not written in the call (the snapshot module's comes from the user)."""
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path in sorted((ROOT / "kubebridge").rglob("*.py"))
                 if path != SNAPSHOT_MODULE for line in _process_calls(ast.parse(path.read_text()))]
    assert offenders == []
    for path in sorted((ROOT / "kubebridge").rglob("*.py")):
        tree = ast.parse(path.read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                    for a in n.names} | {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert path == SNAPSHOT_MODULE or not imported & {"subprocess", "pty", "multiprocessing.popen_fork"}, path


def test_the_snapshot_module_runs_only_read_only_subcommands(tmp_path):
    """Its one process start is in CommandLine.run, after the check against READ_ONLY, whose subcommands are
    `version` and `... inspect` (read-only in every Podman), with no option but --format json; anything else is
    refused before a process starts."""
    from kubebridge.errors import PodmanError
    from kubebridge.query.command_line import READ_ONLY, CommandLine

    assert set(READ_ONLY) == {("version",), ("pod", "inspect"), ("container", "inspect"), ("image", "inspect"),
                              ("volume", "inspect")}
    assert {options for options in READ_ONLY.values()} == {(), ("--format", "json")}
    tree = ast.parse(SNAPSHOT_MODULE.read_text())
    starts = _process_calls(tree)
    run = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "run")
    guard = next(n for n in ast.walk(run) if isinstance(n, ast.If) and "READ_ONLY" in ast.unparse(n.test))
    assert len(starts) == 1 and run.lineno <= guard.lineno < starts[0] <= run.end_lineno
    assert "raise" in ast.unparse(guard.body[-1])
    # at run time: a subcommand that changes something never reaches a process
    marker = tmp_path / "ran"
    podman = CommandLine(["sh", "-c", f"touch {marker}", "sh"])
    for subcommand in [("rm",), ("pod", "rm"), ("volume", "prune"), ("kube", "play"), ("system", "reset"),
                       ("inspect",), ("exec",)]:
        with pytest.raises(PodmanError, match="not a read-only command"):
            podman.run(subcommand, ["web"])
    assert not marker.exists()


def test_the_api_client_sends_only_get_requests_for_version_and_inspect():
    """service.py calls no method of podman-py's client but get, for READ_ONLY paths only; another path is refused
    before anything is sent (here: no service listens, so sending would fail otherwise)."""
    from kubebridge.errors import PodmanError
    from kubebridge.query.service import READ_ONLY, Service

    source = (ROOT / "kubebridge/query/service.py").read_text()
    called = {n.func.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and
              isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Attribute) and
              n.func.value.attr == "api"}
    assert called == {"get"}
    assert not {"post", "put", "delete", "patch", "head", "request", "_request"} & {
        n.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute)}
    for path in ("version", "pods/web/json", "containers/abc/json", "images/localhost%2Fa%3A1/json",
                 "volumes/data/json"):
        assert READ_ONLY.fullmatch(path)
    service = Service("unix:///nonexistent/kubebridge-test.sock")
    for path in ("pods/web/stop", "containers/abc/kill", "images/prune", "pods/web", "volumes/create", "libpod/x"):
        with pytest.raises(PodmanError, match="not a read-only request"):
            service.get(path)
