"""Benchmark: generate for 100 pods of 3 containers, kubebridge against Podman.

    python benchmarks/bench_generate.py [--pods 100] [--runs 7] [--podman podman|../shared/tools/podman5]

Where a Podman exists, the pods are created in it, on a store of the
benchmark's own (tests/capture/podmanrun.py: made for the run, removed after
it; never the machine's default store), and its inspect output is the input; `podman kube generate` over the same pods
is timed beside kubebridge.  Without Podman, the input is a captured fixture
copied 100 times with new names and IDs.  Figures are wall-clock medians.
"""
from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "capture"))

from timing import median_time  # noqa: E402

import kubebridge  # noqa: E402
from kubebridge.load.inspect import Source, load_snapshot  # noqa: E402
from kubebridge.model.profiles import get_profile  # noqa: E402
from kubebridge.render.kube_yaml import kube_yaml  # noqa: E402
from kubebridge.translate.generate import GenerateOptions, generate  # noqa: E402


def make_in_podman(podman, pods: int, out: Path) -> list[str]:
    """Create the pods (names bench0..) in the benchmark's own store, then keep their inspect output in `out`."""
    from podmanrun import ensure_images
    ensure_images(podman)
    names = [f"bench{i}" for i in range(pods)]
    for i, name in enumerate(names):
        podman.run("pod", "create", "--name", name, "-p", f"{20000 + i}:80")
        podman.run("create", "--pod", name, "--name", f"{name}-web", "-e", "MODE=prod", "localhost/webimg:1.0")
        podman.run("create", "--pod", name, "--name", f"{name}-log", "localhost/busybox:latest", "tail", "-f",
                   "/var/log/app.log")
        podman.run("create", "--pod", name, "--name", f"{name}-metrics", "--memory", "64m",
                   "localhost/busybox:latest", "sleep", "3600")
    out.mkdir(parents=True, exist_ok=True)
    pods_json = [json.loads(podman.run("pod", "inspect", n).stdout) for n in names]
    pods_json = [p[0] if isinstance(p, list) else p for p in pods_json]
    ids = [c["Id"] for p in pods_json for c in p["Containers"]]
    (out / "pods.json").write_text(json.dumps(pods_json))
    (out / "containers.json").write_bytes(podman.run("container", "inspect", *ids).stdout)
    (out / "images.json").write_bytes(podman.run("image", "inspect", "localhost/webimg:1.0",
                                                 "localhost/busybox:latest").stdout)
    return names


def synthesize(pods: int, out: Path) -> list[str]:
    """Without Podman: a captured 3-container pod, copied with fresh names and IDs."""
    src = ROOT / "tests/fixtures/generate/podman-5.4.2/pod-three-containers"
    pod = json.loads((src / "pod-inspect-shop.json").read_text())[0]
    ctrs = json.loads((src / "container-inspect.json").read_text())
    text_pod, text_ctrs = json.dumps(pod), json.dumps(ctrs)
    all_pods, all_ctrs, names = [], [], []
    for i in range(pods):
        def rename(text: str) -> str:
            for ident in [pod["Id"]] + [c["Id"] for c in ctrs]:
                text = text.replace(ident, f"{i:04d}" + ident[4:])
            return text.replace('"shop"', f'"shop{i}"')
        all_pods.append(json.loads(rename(text_pod)))
        all_ctrs.extend(json.loads(rename(text_ctrs)))
        names.append(f"shop{i}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "pods.json").write_text(json.dumps(all_pods))
    (out / "containers.json").write_text(json.dumps(all_ctrs))
    (out / "images.json").write_bytes((src / "image-inspect.json").read_bytes())
    return names


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pods", type=int, default=100)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--podman", help="podman command to compare with (default: the newest found)")
    opts = ap.parse_args()

    podman = None
    try:
        from podmanrun import find_podmans, podman_from_command
        podman = podman_from_command(opts.podman) if opts.podman else (find_podmans() or [None])[-1]
    except Exception as exc:  # no Podman here: synthesize the input instead
        print(f"(no Podman: {exc})")
    version = podman.major_minor if podman else "5.4"
    out = Path(tempfile.mkdtemp(prefix=f"kb-bench-{version}-{opts.pods}."))
    atexit.register(shutil.rmtree, out, True)  # the inspect files go when the run ends
    names = make_in_podman(podman, opts.pods, out) if podman else synthesize(opts.pods, out)
    files = sorted(out.glob("*.json"))
    sources = [Source(f.name, text=f.read_bytes()) for f in files]
    profile = get_profile(version)
    size = sum(f.stat().st_size for f in files)

    snap = load_snapshot(sources)
    options = GenerateOptions(names=tuple(names), timestamp="2026-01-01T00:00:00Z")
    result = generate(snap, options, profile)
    text = kube_yaml(result.chunks, profile.version)
    rows = [
        ("kubebridge in-process: load inspect JSON", median_time(lambda: load_snapshot(sources), opts.runs)),
        ("kubebridge in-process: translate", median_time(lambda: generate(snap, options, profile), opts.runs)),
        ("kubebridge in-process: write YAML", median_time(lambda: kube_yaml(result.chunks, profile.version),
                                                          opts.runs)),
        ("kubebridge in-process: all three", median_time(
            lambda: kubebridge.generate_yaml(*[Source(s.name, text=s.text) for s in sources],
                                             podman_version=version, names=names), opts.runs)),
    ]
    cli = [sys.executable, "-m", "kubebridge", "generate", "--podman-version", version, *map(str, files)]
    # As installed by pip, modules are byte-compiled; measure that steady state (the first run writes
    # __pycache__ even where PYTHONDONTWRITEBYTECODE is set), and the cold case without any cache.
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cli, stdout=subprocess.DEVNULL, check=True, cwd=ROOT, env=cached)

    def process(argv, env, cwd=ROOT):
        return median_time(lambda: subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, cwd=cwd, env=env),
                           opts.runs)
    whole = process(cli, cached)
    rows.append(("kubebridge whole process (python -m kubebridge generate)", whole))
    with tempfile.TemporaryDirectory() as fresh:  # kubebridge with no bytecode of its own, none written
        shutil.copytree(ROOT / "kubebridge", Path(fresh) / "kubebridge",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copytree(ROOT / "schemas", Path(fresh) / "schemas")
        cold = {**cached, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": fresh}
        rows.append(("  the same, kubebridge not byte-compiled (editable, no cache)", process(cli, cold, fresh)))
    rows.append(("python -m kubebridge --version (start-up only)",
                 process([sys.executable, "-m", "kubebridge", "--version"], cached)))
    podman_time = None
    if podman:
        podman_time = median_time(lambda: podman.run("kube", "generate", *names), opts.runs)
        rows.append((f"podman {podman.version} kube generate (same pods)", podman_time))

    print(f"\n{opts.pods} pods x 3 containers; input {size / 1e6:.1f} MB of inspect JSON; "
          f"output {len(text) / 1e3:.0f} kB; median of {opts.runs} runs; Podman {version} rules\n")
    for label, seconds in rows:
        print(f"  {label:<58} {seconds * 1000:8.1f} ms")
    if podman_time:
        print(f"\n  kubebridge whole process / podman = {whole / podman_time:.2f} (target: at most 0.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
