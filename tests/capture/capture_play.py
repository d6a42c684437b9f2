"""Capture `podman kube play --start=false` fixtures from a real Podman.

    python tests/capture/capture_play.py --podman podman [SCENARIO...]
    python tests/capture/capture_play.py --podman ../shared/tools/podman5 [SCENARIO...]

Each scenario is a YAML file in tests/capture/play/ whose leading comments say
what it covers (`# about:`), the extra `kube play` arguments (`# args:`, where
{dir} is the directory the YAML files are played from), the Podman
versions it applies to (`# versions: 5.4`) and, optionally, the working
directory Podman is started in (`# cwd: {dir}`; otherwise this script's own).
A chroot Podman (podman5, podman58) always starts in its chroot's /: chroot(1)
changes directory, so `# cwd:` only moves the system Podman.  For each, this writes
tests/fixtures/play/podman-<version>/<scenario>/:
  play.yaml                the input, as played
  pod-inspect-<pod>.json   `podman pod inspect` of each pod created, as printed
  container-inspect.json   `podman container inspect` of every container created
  volume-inspect.json      `podman volume inspect` of every volume created
  image-inspect.json       `podman image inspect` of the images used
  generate.yaml            `podman kube generate` of the pods created, as printed
  scenario.json            the command, exit code, stdout, stderr, and the host facts
                           play depended on (hostPath types, node hostname; the
                           working directory when the scenario sets one, and the
                           one Podman actually ran in)
"""
from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shlex
import shutil
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from podmanrun import Podman, ensure_images, exclusive, has_subids, podman_from_command, prepare_host_files  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent / "play"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "play"
PLAY_DIR = Path("/tmp/kb-play")  # visible to both Podmans


def header(path: Path) -> dict:
    meta = {"about": "", "args": "", "versions": "4.3 5.4 5.8", "cwd": ""}
    for line in path.read_text().splitlines():
        m = re.match(r"# (about|args|versions|cwd): (.*)", line)
        if not m:
            break
        meta[m.group(1)] = m.group(2).strip()
    return meta


def scenario_files() -> list[Path]:
    return sorted(p for p in SCENARIOS.glob("*.yaml") if not p.name.endswith(".configmap.yaml"))


def host_paths(text: str, base_dir: str = "/", fs_root: Path = Path("/")) -> dict[str, str]:
    """What the hostPath sources in the YAML are on the Podman's host before play (play may create them).

    A relative source is recorded as Podman resolves it: against the directory
    it runs in (base_dir), in its own filesystem (a chroot's, fs_root)."""
    facts = {}
    for source in re.findall(r"^\s*path: (\S+)\s*$", text, re.M):
        path = posixpath.normpath(posixpath.join(base_dir, source))
        p = fs_root / path.lstrip("/") if not source.startswith("/") else Path(path)
        if p.is_char_device():
            facts[path] = "CharDevice"
        elif p.is_block_device():
            facts[path] = "BlockDevice"
        elif p.is_socket():
            facts[path] = "Socket"
        elif p.is_dir():
            facts[path] = "Directory"
        elif p.exists():
            facts[path] = "File"
        else:
            facts[path] = ""
    return facts


@exclusive
def capture(podman: Podman, path: Path, out_root: Path) -> str:
    meta = header(path)
    podman.reset()
    prepare_host_files()
    if PLAY_DIR.exists():
        shutil.rmtree(PLAY_DIR)
    shutil.copytree(SCENARIOS, PLAY_DIR)
    if path.parent != SCENARIOS:  # a scenario from elsewhere (a live property test's example)
        shutil.copy(path, PLAY_DIR / path.name)
    text = path.read_text()
    args = shlex.split(meta["args"].replace("{dir}", str(PLAY_DIR)))
    cwd = meta["cwd"].replace("{dir}", str(PLAY_DIR)) or None
    # a chroot Podman runs in its chroot's /, whatever directory it is started from
    facts = host_paths(text, (cwd or os.getcwd()) if podman.fs_root == Path("/") else "/", podman.fs_root)
    if cwd and not Path(cwd).resolve().is_relative_to("/tmp"):
        raise ValueError(f"# cwd: {cwd}: a scenario's working directory must be under /tmp")
    if cwd:
        Path(cwd).mkdir(parents=True, exist_ok=True)
    play = podman.run("kube", "play", "--start=false", *args, str(PLAY_DIR / path.name), check=False, cwd=cwd)

    out = out_root / path.stem
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(path, out / "play.yaml")
    for extra in re.findall(r"\{dir\}/(\S+)", meta["args"]):
        shutil.copy(SCENARIOS / extra, out / extra)

    pods = podman.run("pod", "ps", "--format", "{{.Name}}").text.split()
    for pod in sorted(pods):
        (out / f"pod-inspect-{pod}.json").write_bytes(podman.run("pod", "inspect", pod).stdout)
    ids = podman.run("ps", "-a", "--sort", "created", "--format", "{{.ID}}").text.split()
    containers = []
    if ids:
        raw = podman.run("container", "inspect", *ids).stdout
        (out / "container-inspect.json").write_bytes(raw)
        containers = json.loads(raw)
    images = sorted({c["Image"] for c in containers if not c.get("IsInfra")})
    if images:
        (out / "image-inspect.json").write_bytes(podman.run("image", "inspect", *images).stdout)
    volumes = podman.run("volume", "ls", "--format", "{{.Name}}").text.split()
    if volumes:
        (out / "volume-inspect.json").write_bytes(podman.run("volume", "inspect", *volumes).stdout)
    generated = None
    if pods:
        generated = podman.run("kube", "generate", *sorted(pods), check=False)
        if generated.returncode == 0:
            (out / "generate.yaml").write_bytes(generated.stdout)
    record = {
        "scenario": path.stem,
        "about": meta["about"],
        "podman_version": podman.version,
        "play_args": args,
        "returncode": play.returncode,
        "stdout": play.stdout.decode(),
        "stderr": play.stderr.decode(),
        "generate_args": sorted(pods),
        "generate_returncode": generated.returncode if generated else None,
        "generate_stderr": generated.stderr.decode() if generated else "",
        "host_paths": facts,
        "node_hostname": socket.gethostname(),
    }
    if cwd:
        record["cwd"] = cwd
        # where relative paths resolved: a chroot Podman (fs_root is not /) runs in its chroot's /
        record["podman_cwd"] = cwd if podman.fs_root == Path("/") else "/ (the chroot's root)"
    (out / "scenario.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return "ok" if play.returncode == 0 else f"podman exited {play.returncode}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--podman", default="podman")
    ap.add_argument("scenarios", nargs="*")
    opts = ap.parse_args()
    unknown = set(opts.scenarios) - {path.stem for path in scenario_files()}
    if unknown:
        ap.error(f"no such scenario: {', '.join(sorted(unknown))}")
    podman = podman_from_command(opts.podman)
    ensure_images(podman)
    subids = has_subids(podman)
    out_root = FIXTURES / f"podman-{podman.version}"
    wanted = set(opts.scenarios)
    failures = 0
    for path in scenario_files():
        if wanted and path.stem not in wanted:
            continue
        if podman.major_minor not in header(path)["versions"].split():
            continue
        if not subids and "hostUsers: false" in path.read_text():
            print(f"{podman.version} {path.stem}: not captured: --userns auto needs the user containers in "
                  f"{podman.fs_root}etc/subuid and subgid (see podmanrun.has_subids)", flush=True)
            continue
        try:
            status = capture(podman, path, out_root)
        except Exception as exc:
            status = f"FAILED: {exc}"
            failures += 1
        print(f"{podman.version} {path.stem}: {status}", flush=True)
    podman.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
