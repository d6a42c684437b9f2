"""Benchmark: peak memory of `check` on a 100,000-document stream.

    python benchmarks/bench_memory.py [--documents 100000] [--limit-mb 200]

Writes the benchmarks/corpus.py stream (about 49 MB for 100,000 documents) to
a temporary file and runs the whole command on it, as CI would:
  * `python -m kubebridge check --format json FILE > /dev/null`
  * the same from standard input (`... check -  < FILE`), which cannot be re-read;
  * `--format sarif`, whose report is the largest (every finding with its rule);
  * `--format junit`, which holds the findings until the end (its header counts them).
For each: wall time, documents per second, and the peak resident set size of
the process (getrusage of the child, start-up and imports included).  Exit 1
when a peak passes --limit-mb, so the script can gate a change.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import corpus  # noqa: E402


def peak_of(argv: list[str], stdin_path: Path | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit code) of one child process; each run in a fresh child of its own."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "code = subprocess.call(sys.argv[2:], stdin=open(sys.argv[1], 'rb') if sys.argv[1] else None, "
             "stdout=subprocess.DEVNULL); "
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)")
    out = subprocess.run([sys.executable, "-c", probe, str(stdin_path or ""), *argv], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout.split()
    return float(out[0]), int(out[1]) / 1024, int(out[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--limit-mb", type=float, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.yaml"
        path.write_text(corpus(args.documents))
        size = os.path.getsize(path) / 1e6
        print(f"check on {args.documents:,} documents ({size:.1f} MB), whole process; limit {args.limit_mb:g} MB")
        print(f"{'run':<34} {'seconds':>8} {'docs/s':>8} {'peak RSS':>10}")
        base = [sys.executable, "-m", "kubebridge", "check"]
        runs = [("--format json FILE", base + ["--format", "json", str(path)], None),
                ("--format json - (standard input)", base + ["--format", "json", "-"], path),
                ("--format sarif FILE", base + ["--format", "sarif", str(path)], None),
                ("--format junit FILE", base + ["--format", "junit", str(path)], None)]
        worst = 0.0
        for label, argv, stdin in runs:
            seconds, peak, code = peak_of(argv, stdin)
            if code not in (0, 1):
                print(f"{label}: exit code {code}")
                return 2
            worst = max(worst, peak)
            print(f"{label:<34} {seconds:>8.1f} {args.documents / seconds:>8,.0f} {peak:>8.0f} MB")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"(this script itself: {baseline:.0f} MB)")
    return 1 if worst > args.limit_mb else 0


if __name__ == "__main__":
    sys.exit(main())
