"""Each command: read the files and the host's facts, call the API, print.  No translation happens here."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kubebridge import api
from kubebridge.cli import host
from kubebridge.cli.io import input_stream, label, output_stream, read_input, warn, write_output
from kubebridge.cli.parser import PODMAN_VARIABLE
from kubebridge.cli.progress import Progress
from kubebridge.errors import UsageError
from kubebridge.limits import Limits

GENERATE_PATH_TYPES = ("Directory", "File", "DirectoryOrCreate")
PLAY_PATH_TYPES = ("Directory", "File", "Socket", "CharDevice", "BlockDevice", host.MISSING)


def _sources(names: list[str], limits: Limits) -> list[api.Source]:
    """Each input file's bytes, named for messages (- is standard input)."""
    return [api.Source(label(name), text=read_input(name, limits)) for name in names]


def _annotations(items: list[str]) -> dict[str, str]:
    annotations = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"annotation {item!r} must include an '=' sign")
        annotations[key] = value
    return annotations


def run_generate(args: argparse.Namespace) -> int:
    facts = host.gather()
    result = api.generate_result(
        *_sources(args.inputs, args.limits), podman_version=args.podman_version, names=args.name,
        service=args.service, type=args.type, replicas=args.replicas, podman_only=args.podman_only,
        host_paths=host.host_paths(args.host_path, GENERATE_PATH_TYPES, look=not args.no_stat),
        timestamp=args.timestamp or facts.timestamp, portable=args.portable)
    for message in result.warnings:
        warn(message)
    # Podman's stdout ends with fmt.Println's extra newline; its -f file does not
    write_output(api.generate_text(result, stdout=args.output in (None, "-"), portable=args.portable), args.output)
    return 0


def run_play(args: argparse.Namespace) -> int:
    facts = host.gather()
    result = api.play_result(
        *_sources(args.inputs, args.limits), podman_version=args.podman_version, publish_all=args.publish_all,
        sidecars=args.sidecars, images=_sources(args.image_inspect, args.limits),
        configmaps=_sources(args.configmap, args.limits), annotations=_annotations(args.annotation),
        host_paths=host.host_paths(args.host_path, PLAY_PATH_TYPES, look=not args.no_stat),
        node_hostname=args.node_hostname or facts.hostname, host_memory=facts.memory, host_cpus=facts.cpus,
        base_dir=host.base_dir(args.base_dir, facts.working_dir), limits=args.limits)
    for message in result.warnings:
        warn(message)
    if args.format == "commands":
        text = api.play_script(result)
    else:
        import json
        text = json.dumps(api.play_json(result), indent=2, ensure_ascii=False) + "\n"
    write_output(text, args.output)
    return 0


def run_roundtrip(args: argparse.Namespace) -> int:
    facts = host.gather()
    sources = _sources(args.inputs, args.limits)
    result = api.roundtrip(
        *sources, podman_version=args.podman_version, images=_sources(args.image_inspect, args.limits),
        configmaps=_sources(args.configmap, args.limits), type=args.type,
        host_paths=host.host_paths(args.host_path, PLAY_PATH_TYPES, look=not args.no_stat),
        node_hostname=args.node_hostname or facts.hostname, host_memory=facts.memory, host_cpus=facts.cpus,
        timestamp=args.timestamp or facts.timestamp, portable=args.portable, sidecars=args.sidecars,
        base_dir=host.base_dir(args.base_dir, facts.working_dir), limits=args.limits)
    for message in result.warnings:
        warn(message)
    write_output(api.roundtrip_report(result, args.format, ", ".join(s.name for s in sources)), args.output)
    return 1 if result.changed else 0


def run_check(args: argparse.Namespace) -> int:
    if args.list_rules:
        if args.format not in ("text", "json"):
            raise UsageError(f"--list-rules --format {args.format}: the rules are listed as text or json")
        write_output(api.rules_text(args.format), args.output)
        return 0
    if not args.inputs:
        raise UsageError("check: give manifests to check (FILE, DIR or - for standard input)")
    progress = Progress()
    run = api.check_files(args.inputs, open=input_stream, kubernetes_version=args.kubernetes_version,
                          strict=args.strict, podman_version=args.podman_version, target=args.target,
                          select=args.select, ignore=args.ignore, crds=[Path(p) for p in args.crd],
                          schema_locations=args.schema_location, limits=args.limits, jobs=args.jobs,
                          progress=progress if progress.on else None, label=label, fail_on=args.fail_on)
    for notice in run.notices:
        warn(notice)
    to_terminal = args.output in (None, "-") and sys.stdout.isatty()
    with output_stream(args.output) as out:
        writer = api.report_writer(args.format, out, args.fail_on)
        writer.begin()
        for findings in run:
            if findings:
                if to_terminal:
                    progress.clear()  # a finding never runs into the progress line
                writer.add(findings)
        progress.done()
        summary = run.summary()
        writer.end(summary)
    return summary["exit_code"]


def run_snapshot(args: argparse.Namespace) -> int:
    import json
    import os

    command = None if args.url else args.podman or os.environ.get(PODMAN_VARIABLE) or None
    def waiting(shown: str) -> None:
        warn(f"{shown} has not answered after 5 seconds; waiting up to {args.timeout:g} s in all (--timeout)")

    bundle = api.take_snapshot(*args.names, podman=command, url=args.url, timeout=args.timeout, waiting=waiting)
    write_output(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", args.output)
    return 0


COMMANDS = {"generate": run_generate, "play": run_play, "roundtrip": run_roundtrip, "check": run_check,
            "snapshot": run_snapshot}
