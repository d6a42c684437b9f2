"""Capture `podman kube generate` fixtures from a real Podman.

    python tests/capture/capture_generate.py --podman podman [SCENARIO...]
    python tests/capture/capture_generate.py --podman ../shared/tools/podman5 [SCENARIO...]

For each scenario this writes tests/fixtures/generate/podman-<version>/<scenario>/:
  pod-inspect-<pod>.json   `podman pod inspect <pod>`, one file per pod, as printed
  container-inspect.json   `podman container inspect` of every container, as printed
  image-inspect.json       `podman image inspect` of the images those containers use
  volume-inspect.json      `podman volume inspect` of every volume
  generate.yaml            stdout of `podman kube generate ARGS`, as printed
  scenario.json            what was run, the exit code and stderr, and the hostPath
                           types Podman's os.Stat saw (kubebridge's input for them)
Nothing in the captured files is edited.
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_scenarios import SCENARIOS, Scenario  # noqa: E402
from podmanrun import Podman, ensure_images, exclusive, podman_from_command, prepare_host_files  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "generate"


def run_setup(podman: Podman, line: str) -> None:
    """One setup line: a podman command line on the capture's own store, or (after `!`) a host shell command."""
    if line.startswith("!"):
        proc = subprocess.run(["bash", "-c", line[1:]], capture_output=True, timeout=120)
    else:
        proc = podman.run_line(line)
    if proc.returncode != 0:
        raise RuntimeError(f"setup failed: {line}\n{proc.stderr.decode()}")


def bind_sources(containers: list[dict]) -> list[str]:
    sources = []
    for c in containers:
        for m in c.get("Mounts") or []:
            if m.get("Type") == "bind":
                sources.append(m["Source"])
        for bind in (c.get("HostConfig") or {}).get("Binds") or []:
            sources.append(bind.split(":", 1)[0])
    return sorted(set(s for s in sources if s.startswith("/")))


def set_up(podman: Podman, sc: Scenario) -> None:
    """The scenario made on the Podman's own store, from a clean one (hold the scenario lock: `exclusive`)."""
    podman.reset()
    prepare_host_files()
    for line in sc.setup:
        run_setup(podman, line)


def empty_dir(path: Path) -> Path:
    """path, made or emptied: a capture's files, none left from an earlier one."""
    path.mkdir(parents=True, exist_ok=True)
    for old in path.iterdir():
        old.unlink()
    return path


@exclusive
def capture(podman: Podman, sc: Scenario, out_root: Path) -> str:
    set_up(podman, sc)
    out = empty_dir(out_root / sc.name)

    pods = podman.run("pod", "ps", "--format", "{{.Name}}").text.split()
    for pod in sorted(pods):
        (out / f"pod-inspect-{pod}.json").write_bytes(podman.run("pod", "inspect", pod).stdout)
    ctr_ids = podman.run("ps", "-a", "--sort", "created", "--format", "{{.ID}}").text.split()
    containers: list[dict] = []
    if ctr_ids:
        raw = podman.run("container", "inspect", *ctr_ids).stdout
        (out / "container-inspect.json").write_bytes(raw)
        containers = json.loads(raw)
    images = sorted({c["Image"] for c in containers if not c.get("IsInfra")})
    if images:
        (out / "image-inspect.json").write_bytes(podman.run("image", "inspect", *images).stdout)
    volumes = podman.run("volume", "ls", "--format", "{{.Name}}").text.split()
    if volumes:
        (out / "volume-inspect.json").write_bytes(podman.run("volume", "inspect", *volumes).stdout)

    args = shlex.split(sc.generate)
    gen = podman.run("kube", "generate", *args, check=False)
    if gen.returncode == 0:
        (out / "generate.yaml").write_bytes(gen.stdout)
    meta = {
        "scenario": sc.name,
        "about": sc.about,
        "podman_version": podman.version,
        "setup": list(sc.setup),
        "generate_args": args,
        "returncode": gen.returncode,
        "stderr": gen.stderr.decode(),
        "host_paths": {src: podman.stat_type(src) for src in bind_sources(containers)},
    }
    (out / "scenario.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return "ok" if gen.returncode == 0 else f"podman exited {gen.returncode}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--podman", default="podman", help="podman command (e.g. ../shared/tools/podman5)")
    ap.add_argument("scenarios", nargs="*", help="scenario names (default: all)")
    opts = ap.parse_args()
    unknown = set(opts.scenarios) - {sc.name for sc in SCENARIOS}
    if unknown:
        ap.error(f"no such scenario: {', '.join(sorted(unknown))}")

    podman = podman_from_command(opts.podman)
    ensure_images(podman)
    out_root = FIXTURES / f"podman-{podman.version}"
    wanted = set(opts.scenarios)
    failures = 0
    for sc in SCENARIOS:
        if wanted and sc.name not in wanted:
            continue
        if podman.major_minor not in sc.versions:
            continue
        try:
            status = capture(podman, sc, out_root)
        except Exception as exc:  # report and go on: one broken scenario must not stop the rest
            status = f"FAILED: {exc}"
            failures += 1
        print(f"{podman.version} {sc.name}: {status}", flush=True)
    podman.close()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
