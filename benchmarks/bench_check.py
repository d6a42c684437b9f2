"""Benchmark: `check` on a 20,000-document file, against kubernetes-validate on a 1,000-document one and on a
corpus of real manifests.

    python benchmarks/bench_check.py [--documents 20000] [--compare 1000] [--runs 5]
                                     [--corpus ../shared/corpora/real-manifests]

The manifests come from benchmarks/corpus.py (a Deployment, Service and
ConfigMap per application, with Secrets, PVCs, sidecar Pods and Jobs; about 2%
with a mistake).  Figures are medians of --runs runs, wall clock:
  * in one process: Checker.check_file on the whole file (parse, schema, rules,
    Podman dry run, lines of every finding), all rules on, strict, Kubernetes 1.37,
    with the schema of every kind of 1.37 loaded first (the time to load them is shown);
    then the same with --target kubernetes (no Podman rules, no dry run) and --target podman;
  * in one process, the command line's path (api.check_files: the first pass
    that looks for CustomResourceDefinitions, then the check, the notices), on
    that file and on one where a document in ten is a custom resource of a CRD
    that comes last (corpus.custom_corpus): CRDs in play;
  * whole process: `python -m kubebridge check --format json FILE`, start-up included;
  * kubernetes-validate 1.37.0 (strict, 1.37) on the same 1,000 documents, in
    process (its own file reader and validate_resource) and as its command;
  * the schema step alone: kubebridge's verdict (jsonschema-rs, or jsonschema
    where it is not installed) and jsonschema's;
  * the real-manifest corpus (its .yaml and .yml files, every kind): both
    commands, whole process, on the same files.
"""
from __future__ import annotations

import argparse
import atexit
import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import corpus, custom_corpus  # noqa: E402
from timing import median_time  # noqa: E402


def kubebridge_in_process(path: Path, runs: int, target: str = "both") -> tuple[float, int, int]:
    from kubebridge.checks.engine import Checker, CheckOptions

    checker = Checker(CheckOptions(kubernetes_version="1.37", target=target))
    load_every_kind("1.37")
    raw = path.read_bytes()
    result = checker.check_file(raw, str(path))  # warm: schemas compiled, modules imported
    return median_time(lambda: checker.check_file(raw, str(path)), runs), result.documents, len(result.findings)


def check_files_in_process(path: Path, runs: int) -> tuple[float, int, int]:
    """The command line's check, in process: api.check_files (first pass for CRDs, check, notices), every batch."""
    import contextlib

    from kubebridge import api

    def once() -> tuple[int, int]:
        run = api.check_files([str(path)], open=lambda name: contextlib.closing(open(name, "rb")),
                              kubernetes_version="1.37")
        findings = sum(len(batch) for batch in run)
        return run.summary()["documents"], findings

    load_every_kind("1.37")
    documents, findings = once()  # warm
    return median_time(once, runs), documents, findings


def load_every_kind(version: str) -> float:
    """Every kind's schema of the minor, strict, compiled: the one-process figures are taken with all of them loaded."""
    import time

    from kubebridge.checks import schema as k8s_schema

    start = time.perf_counter()
    for key in k8s_schema.served(version):
        k8s_schema.compiled_kind(version, key, True)
    return time.perf_counter() - start


def whole_process(command: list[str], runs: int) -> float:
    return median_time(lambda: subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
                       runs)


def kubernetes_validate_in_process(path: Path, runs: int) -> float:
    from kubernetes_validate import utils

    def once():
        with contextlib.redirect_stdout(io.StringIO()):
            for resource in utils.resources_from_file(str(path)):
                utils.validate_resource(resource, str(path), "1.37", strict=True, quiet=True, no_warn=True)
    return median_time(once, runs)


def schema_step(path: Path, runs: int) -> dict[str, float]:
    """Only the JSON Schema verdicts of every document: the part a schema library does."""
    from jsonschema import Draft202012Validator

    from kubebridge.checks import schema as k8s_schema
    from kubebridge.load.manifests import iter_documents

    docs = [d.data for d in iter_documents(path.read_bytes(), str(path), expand_lists=False)]
    keys = [f"{d['apiVersion']}/{d['kind']}" for d in docs]
    fast = {k: k8s_schema.compiled_kind("1.37", k, True) for k in set(keys)}
    slow = {k: Draft202012Validator(k8s_schema.strict_variant(k8s_schema.kind_schema("1.37", k))) for k in set(keys)}
    sample = list(zip(keys, docs))[:2000]
    assert all(fast[k](d) == slow[k].is_valid(d) for k, d in sample), "the verdict disagrees with jsonschema"
    return {f"kubebridge's verdict ({k8s_schema.verdict_library()})": median_time(
                lambda: [fast[k](d) for k, d in zip(keys, docs)], runs),
            "jsonschema (validator built once)": median_time(
                lambda: [slow[k].is_valid(d) for k, d in zip(keys, docs)], max(1, runs // 2))}


def real_corpus(directory: Path, runs: int) -> None:
    """Both command lines, whole process, on the same real manifests (every kind; kubernetes-validate 1.37 strict)."""
    import yaml

    files, unreadable = [], 0
    for path in sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
        try:  # kubernetes-validate's command stops at the first file PyYAML cannot read: leave those out
            list(yaml.safe_load_all(path.read_text()))
            files.append(str(path))
        except yaml.YAMLError:
            unreadable += 1
    if not files:
        print(f"no corpus at {directory}")
        return
    ours = whole_process([sys.executable, "-m", "kubebridge", "check", "--format", "json", "--target", "kubernetes",
                          "--kubernetes-version", "1.37", *files], runs)
    theirs = whole_process([sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet", "-k", "1.37",
                            *files], max(1, runs // 2))
    print(f"real-manifest corpus, {len(files)} YAML files ({unreadable} PyYAML cannot read left out), whole "
          f"process: kubebridge check {ours:.2f} s, "
          f"kubernetes-validate {theirs:.2f} s: {theirs / ours:.0f}x")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--documents", type=int, default=20000)
    ap.add_argument("--compare", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpora" / "real-manifests",
                    help="a directory of real manifests (default: the shared real-manifest corpus)")
    opts = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kb-bench-check."))
    atexit.register(shutil.rmtree, work, True)  # the corpus files go when the run ends
    big, small = work / "big.yaml", work / "small.yaml"
    big.write_text(corpus(opts.documents))
    small.write_text(corpus(opts.compare))
    lines = big.read_text().count("\n")
    print(f"corpus: {opts.documents} documents, {lines} lines ({lines / opts.documents:.1f} per document), "
          f"{big.stat().st_size // 1024} KiB")

    from kubebridge.checks import schema as k8s_schema

    loading = load_every_kind("1.37")
    print(f"every kind of Kubernetes 1.37 loaded: {len(k8s_schema.served('1.37'))} schemas, strict, "
          f"{loading:.2f} s")
    seconds, documents, findings = kubebridge_in_process(big, opts.runs)
    print(f"kubebridge check, one process, {documents} documents, every kind loaded: {seconds:.2f} s = "
          f"{documents / seconds:,.0f} documents/s ({findings} findings)")
    for target in ("kubernetes", "podman"):
        seconds, documents, findings = kubebridge_in_process(big, opts.runs, target)
        print(f"kubebridge check --target {target}, one process, {documents} documents: {seconds:.2f} s = "
              f"{documents / seconds:,.0f} documents/s ({findings} findings)")
    command = [sys.executable, "-m", "kubebridge", "check", "--format", "json", "--kubernetes-version", "1.37"]
    whole = whole_process(command + [str(big)], max(1, opts.runs // 2))
    print(f"kubebridge check, whole process (start-up included): {whole:.2f} s = {documents / whole:,.0f} documents/s")
    custom = work / "custom.yaml"
    custom.write_text(custom_corpus(opts.documents))
    for label, path in (("no CRD", big), ("CRDs in play: 1 document in 10 a custom resource", custom)):
        seconds, documents, findings = check_files_in_process(path, opts.runs)
        print(f"kubebridge check_files, one process, {label}: {seconds:.2f} s = {documents / seconds:,.0f} "
              f"documents/s ({findings} findings)")
    whole = whole_process(command + [str(custom)], max(1, opts.runs // 2))
    print(f"kubebridge check, whole process, CRDs in play: {whole:.2f} s = {documents / whole:,.0f} documents/s")

    ours_small = kubebridge_in_process(small, opts.runs)[0]
    ours_small_process = whole_process(command + [str(small)], opts.runs)
    try:
        theirs = kubernetes_validate_in_process(small, max(1, opts.runs // 2))
        theirs_process = whole_process([sys.executable, "-m", "kubernetes_validate", "--strict", "--quiet",
                                        "-k", "1.37", str(small)], max(1, opts.runs // 2))
    except ImportError:
        print("kubernetes-validate is not installed: pip install kubernetes-validate==1.37.0")
        return 0
    print(f"{opts.compare} documents, in process: kubebridge {ours_small * 1000:.0f} ms, kubernetes-validate "
          f"{theirs * 1000:.0f} ms: {theirs / ours_small:.0f}x")
    print(f"{opts.compare} documents, whole process: kubebridge {ours_small_process * 1000:.0f} ms, "
          f"kubernetes-validate {theirs_process * 1000:.0f} ms: {theirs_process / ours_small_process:.0f}x")
    for name, value in schema_step(big, opts.runs).items():
        print(f"schema step only, {documents} documents: {name} {value * 1000:.0f} ms "
              f"({value / documents * 1e6:.1f} us/document)")
    real_corpus(opts.corpus, opts.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
