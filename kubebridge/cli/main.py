"""The command line: `python -m kubebridge COMMAND ...`.

This is the edge where files are read, the local filesystem is consulted and
output is written; everything in between is pure.  Every KubebridgeError ends
as one line on stderr and exit code 2; output files are written atomically.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import BinaryIO, Sequence

from kubebridge import __version__
from kubebridge.errors import InputError, KubebridgeError, UsageError, clip
from kubebridge.limits import LIMITS, Limits, size_text

HOST_PATH_TYPES = ("Directory", "File", "DirectoryOrCreate")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 as well; keep its usage line
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m kubebridge",
                     description="Translate between Podman pods and Kubernetes YAML offline, as Podman would.")
    parser.add_argument("--version", action="version", version=f"kubebridge {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    gen = commands.add_parser(
        "generate", help="Podman inspect JSON -> the YAML `podman kube generate` prints",
        description="Read `podman pod|container|image|volume inspect` output and print the Kubernetes YAML "
                    "`podman kube generate` would print for it.")
    gen.add_argument("inputs", nargs="+", metavar="INPUT", help="inspect JSON files; - reads standard input")
    _podman_version(gen)
    gen.add_argument("--name", action="append", default=[], metavar="NAME",
                     help="a pod, container or volume to generate, by name or ID (repeatable; the order is "
                          "kept); default: every pod, then every container outside a pod, then every volume")
    gen.add_argument("-s", "--service", action="store_true", help="also generate a Service (type NodePort)")
    gen.add_argument("-t", "--type", default="pod", metavar="KIND",
                     help="pod (default), deployment, daemonset or job (Podman 5)")
    gen.add_argument("-r", "--replicas", type=int, default=1, metavar="N", help="Deployment replicas (Podman 5)")
    gen.add_argument("--podman-only", action="store_true",
                     help="keep Podman's reserved annotations (Podman 5)")
    gen.add_argument("--portable", action="store_true",
                     help="kubebridge's portable YAML instead of Podman's: valid Kubernetes without Podman-only "
                          "annotations, which a round trip through Podman (play, then generate --portable) gives "
                          "back unchanged")
    gen.add_argument("--host-path", action="append", default=[], metavar="PATH=TYPE",
                     help="the hostPath type of a bind-mount source (Directory, File or DirectoryOrCreate), "
                          "instead of looking at this machine's filesystem as Podman does")
    gen.add_argument("--no-stat", action="store_true",
                     help="do not look at this machine's filesystem: sources not given with --host-path "
                          "become DirectoryOrCreate")
    gen.add_argument("--timestamp", metavar="RFC3339",
                     help="creationTimestamp to write (default: $SOURCE_DATE_EPOCH, else now)")
    gen.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    _limits(gen)
    gen.set_defaults(run=run_generate)

    play = commands.add_parser(
        "play", help="Kubernetes YAML -> what `podman kube play` would create",
        description="Read Kubernetes YAML and print the pods, containers and volumes `podman kube play "
                    "--start=false` would create: as inspect-shaped JSON, or as podman commands.")
    play.add_argument("inputs", nargs="+", metavar="KUBEFILE", help="YAML files; - reads standard input")
    _podman_version(play)
    play.add_argument("--image-inspect", action="append", default=[], metavar="FILE",
                      help="`podman image inspect` output for the images used (repeatable): their ENTRYPOINT, "
                           "CMD, ENV, WORKDIR, USER and labels apply as in Podman")
    play.add_argument("--configmap", action="append", default=[], metavar="FILE",
                      help="a YAML file of ConfigMaps, as podman kube play --configmap (repeatable)")
    play.add_argument("--publish-all", action="store_true", help="publish every containerPort, as Podman's flag")
    play.add_argument("--annotation", action="append", default=[], metavar="KEY=VALUE",
                      help="add an annotation to every Pod and PersistentVolumeClaim, as Podman's flag")
    play.add_argument("--sidecars", choices=("podman", "containers"), default="podman",
                      help="native sidecars (init containers with restartPolicy: Always): play them as Podman "
                           "does, as blocking init containers (podman, default), or as regular containers of "
                           "the pod (containers)")
    play.add_argument("--format", choices=("json", "commands"), default="json",
                      help="inspect-shaped JSON (default) or podman commands")
    play.add_argument("--host-path", action="append", default=[], metavar="PATH=TYPE",
                      help="what a hostPath source is on the Podman host (Directory, File, Socket, CharDevice, "
                           "BlockDevice, or Missing), instead of looking at this machine")
    play.add_argument("--no-stat", action="store_true",
                      help="do not look at this machine's filesystem: hostPath sources are taken to exist")
    play.add_argument("--node-hostname", metavar="NAME", help="the hostname of the Podman host (hostNetwork pods)")
    play.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    _limits(play)
    play.set_defaults(run=run_play)

    rt = commands.add_parser(
        "roundtrip", help="what a round trip through Podman changes",
        description="Kubernetes YAML goes through `podman kube play` and `podman kube generate`; Podman inspect "
                    "output through generate and play. Prints every field lost, renamed, added or rewritten, with "
                    "its path and the Podman behaviour behind it. Exit 0: nothing changes; 1: something does; 2: "
                    "unusable input.")
    rt.add_argument("inputs", nargs="+", metavar="FILE", help="YAML manifests or inspect JSON; - reads standard input")
    _podman_version(rt)
    rt.add_argument("--output", choices=("text", "json"), default="text", help="report format (default: text)")
    rt.add_argument("--image-inspect", action="append", default=[], metavar="FILE",
                    help="`podman image inspect` output for the images used, as for play")
    rt.add_argument("--configmap", action="append", default=[], metavar="FILE", help="ConfigMaps, as for play")
    rt.add_argument("-t", "--type", default="pod", metavar="KIND",
                    help="what generate writes after play: pod (default, as Podman), deployment, daemonset, job")
    rt.add_argument("--host-path", action="append", default=[], metavar="PATH=TYPE",
                    help="what a hostPath source is on the Podman host, as for play")
    rt.add_argument("--no-stat", action="store_true", help="do not look at this machine's filesystem")
    rt.add_argument("--portable", action="store_true",
                    help="after play, generate --portable (kubebridge's) instead of Podman's generate: for YAML "
                         "made with generate --portable, nothing changes")
    rt.add_argument("--timestamp", metavar="RFC3339", help="creationTimestamp generate writes (default: "
                    "$SOURCE_DATE_EPOCH, else now)")
    rt.add_argument("--report", metavar="FILE", help="write the report to FILE (atomically)")
    _limits(rt)
    rt.set_defaults(run=run_roundtrip)

    check = commands.add_parser(
        "check", help="pre-deploy checks: Kubernetes schema, API server rules, Podman compatibility",
        description="Check Kubernetes manifests before `kubectl apply` or `podman kube play`: the bundled "
                    "Kubernetes JSON Schema of each kind, what the API server would refuse, and what Podman would "
                    "refuse, ignore or run differently. Exit 0: no errors; 1: errors; 2: unusable input or "
                    "arguments.")
    check.add_argument("inputs", nargs="*", metavar="FILE|DIR|-",
                       help="YAML or JSON manifests; a directory is searched for *.yaml, *.yml and *.json; - reads "
                            "standard input")
    check.add_argument("--kubernetes-version", metavar="X.Y",
                       help="the Kubernetes minor to check against (default: the newest bundled; one that is not "
                            "bundled falls back to the nearest, with a warning)")
    strict = check.add_mutually_exclusive_group()
    strict.add_argument("--strict", dest="strict", action="store_true", default=True,
                        help="unknown fields are schema errors (default)")
    strict.add_argument("--no-strict", dest="strict", action="store_false", help="allow unknown fields")
    check.add_argument("--podman-version", default="5", metavar="VERSION", choices=("5", "5.4", "4.3"),
                       help="the Podman whose kube play to check for: 5 (5.4.2, default) or 4.3 (4.3.1)")
    check.add_argument("--target", choices=("both", "kubernetes", "podman"), default="both",
                       help="check for a cluster, for podman kube play, or both (default)")
    check.add_argument("--output", choices=("text", "json", "junit", "sarif"), default="text",
                       help="report format (default: text)")
    check.add_argument("--report", metavar="FILE", help="write the report to FILE (atomically) instead of stdout")
    check.add_argument("--select", metavar="RULES", help="only these rules (comma-separated ids)")
    check.add_argument("--ignore", metavar="RULES", help="skip these rules (comma-separated ids)")
    check.add_argument("--fail-on", choices=("error", "warning"), default="error",
                       help="exit 1 on errors (default), or on warnings too")
    check.add_argument("--jobs", type=int, default=1, metavar="N", help="check files in N processes (default 1)")
    check.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    _limits(check)
    check.set_defaults(run=run_check)
    return parser


def _limits(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-bytes", type=_size, default=LIMITS.max_bytes, metavar="SIZE",
                        help=f"refuse an input larger than SIZE (bytes, or with K, M or G; default "
                             f"{size_text(LIMITS.max_bytes)})")
    parser.add_argument("--max-documents", type=_count, default=LIMITS.max_documents, metavar="N",
                        help=f"refuse an input of more than N YAML documents (default {LIMITS.max_documents:,})")


def _size(text: str) -> int:
    units = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3}
    number = text.strip().upper().removesuffix("IB").removesuffix("B")
    factor = units.get(number[-1:], 1)
    try:
        value = int(number[:-1] if factor > 1 else number) * factor
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (bytes, or a number with K, M or G)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (must be 1 or more)")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: must be 1 or more")
    return value


def _podman_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--podman-version", default="5", metavar="VERSION", choices=("5", "5.4", "4.3"),
                        help="the Podman to model: 5 (5.4.2, default) or 4.3 (4.3.1)")


# --- input and output ------------------------------------------------------------------------

def open_input(name: str) -> BinaryIO:
    """The input as a binary stream (- is standard input): a clear error for a missing path or a directory."""
    if name == "-":
        return sys.stdin.buffer
    path = Path(name)
    if path.is_dir():
        raise InputError("is a directory, not a file", file=name)
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=name) from None


def label(name: str) -> str:
    """An input's name in messages."""
    return "<stdin>" if name == "-" else name


@contextlib.contextmanager
def input_stream(name: str):
    """open_input() as a context: the file is closed after (standard input is left open)."""
    stream = open_input(name)
    try:
        yield stream
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def read_input(name: str, limits: Limits = LIMITS) -> bytes:
    """The whole input, at most limits.max_bytes of it."""
    with input_stream(name) as stream:
        try:
            data = stream.read(limits.max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", file=label(name)) from None
    if len(data) > limits.max_bytes:
        raise InputError(f"larger than {size_text(limits.max_bytes)}, the limit (--max-bytes)", file=label(name))
    return data


def yaml_documents(names: Sequence[str], limits: Limits, required: bool = True) -> list:
    """The YAML documents of every input, as podman kube play reads them; some, when required."""
    return yaml_of([(label(name), read_input(name, limits)) for name in names], limits, required)


def yaml_of(inputs: Sequence[tuple[str, bytes]], limits: Limits, required: bool = True) -> list:
    """yaml_documents() of inputs already read: (label, bytes) pairs."""
    from kubebridge.api import EMPTY_YAML
    from kubebridge.load.manifests import load_documents

    documents = [d for name, raw in inputs
                 for d in load_documents(raw, name, "podman", expand_lists=False, limits=limits)]
    if required and not documents:
        raise InputError(EMPTY_YAML, file=", ".join(name for name, _ in inputs))
    return documents


def image_inputs(names: Sequence[str], limits: Limits) -> list:
    """The images in `podman image inspect` output files (--image-inspect)."""
    from kubebridge.load.inspect import Source, collect, load_image

    return [load_image(obj) for name in names
            for obj, _ in collect([Source(label(name), text=read_input(name, limits))]).images]


def write_output(text: str, target: str | None) -> None:
    """stdout, or FILE written through a temporary file and a rename: never half a file."""
    with output_stream(target) as out:
        out.write(text)


@contextlib.contextmanager
def output_stream(target: str | None):
    """stdout, or FILE through a temporary file renamed at the end: an error leaves no file behind."""
    if target is None or target == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    import tempfile

    path = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", file=target) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def warn(message: str) -> None:
    print(f"kubebridge: warning: {clip(message)}", file=sys.stderr)


def _timestamp(value: str | None) -> str | None:
    if value:
        return value
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        from datetime import datetime, timezone
        return datetime.fromtimestamp(int(epoch), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


# --- generate --------------------------------------------------------------------------------

def host_path_types(snapshot, given: list[str], stat: bool) -> dict[str, str]:
    """What os.Stat says of each bind source here, as Podman asks the generating host."""
    result = {}
    for item in given:
        path, sep, kind = item.rpartition("=")
        if not sep or not path or kind not in HOST_PATH_TYPES:
            raise UsageError(f"--host-path {item!r}: expected PATH=TYPE with TYPE one of {', '.join(HOST_PATH_TYPES)}")
        result[path] = kind
    if stat:
        containers = list(snapshot.containers) + [c for p in snapshot.pods for c in p.containers]
        for ctr in containers:
            for m in ctr.mounts:
                if m.type in ("bind", "tmpfs") and m.source not in result:
                    p = Path(m.source)
                    result[m.source] = "Directory" if p.is_dir() else "File" if p.exists() else ""
    return result


def run_generate(args: argparse.Namespace) -> int:
    from kubebridge.api import generate_result
    from kubebridge.load.inspect import Source, load_snapshot
    from kubebridge.model.profiles import get_profile
    from kubebridge.render.kube_yaml import kube_yaml

    profile = get_profile(args.podman_version)
    sources = [Source(label(name), text=read_input(name, args.limits)) for name in args.inputs]
    snapshot = load_snapshot(sources)
    snapshot.host_paths = host_path_types(snapshot, args.host_path, stat=not args.no_stat)
    result = generate_result(snapshot, podman_version=profile, names=args.name, service=args.service,
                             type=args.type, replicas=args.replicas, podman_only=args.podman_only,
                             timestamp=_timestamp(args.timestamp), portable=args.portable)
    for message in result.warnings:
        warn(message)
    # Podman's stdout ends with fmt.Println's extra newline; its -f file does not
    write_output(kube_yaml(result.chunks, profile.version, println=args.output in (None, "-"),
                           portable=args.portable), args.output)
    return 0


# --- play ------------------------------------------------------------------------------------

PLAY_PATH_TYPES = ("Directory", "File", "Socket", "CharDevice", "BlockDevice", "Missing")


def path_type(path: str) -> str:
    """What a hostPath source is here: the checks Podman's play makes on its host."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return ""
    if stat.S_ISDIR(mode):
        return "Directory"
    if stat.S_ISCHR(mode):
        return "CharDevice"
    if stat.S_ISBLK(mode):
        return "BlockDevice"
    if stat.S_ISSOCK(mode):
        return "Socket"
    return "File"


def play_host_paths(documents, given: list[str], stat: bool) -> dict[str, str] | None:
    facts: dict[str, str] = {}
    for item in given:
        path, sep, kind = item.rpartition("=")
        if not sep or not path or kind not in PLAY_PATH_TYPES:
            raise UsageError(f"--host-path {item!r}: expected PATH=TYPE with TYPE one of {', '.join(PLAY_PATH_TYPES)}")
        facts[path] = "" if kind == "Missing" else kind
    if not stat:
        return facts or None
    for path in _host_path_sources(documents):
        facts.setdefault(path, path_type(path))
    return facts


def _host_path_sources(value) -> list[str]:
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            hp = item.get("hostPath")
            if isinstance(hp, dict) and isinstance(hp.get("path"), str):
                found.append(hp["path"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif hasattr(item, "data"):
            stack.append(item.data)
    return found


def host_memory() -> int | None:
    """MemTotal of this machine, in bytes (what Podman reads from /proc/meminfo)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def run_play(args: argparse.Namespace) -> int:
    import socket

    from kubebridge.render import commands as commands_writer
    from kubebridge.render import inspect_json as inspect_out
    from kubebridge.model.profiles import get_profile
    from kubebridge.render.kube_yaml import json_text
    from kubebridge.translate.play import PlayOptions, play

    profile = get_profile(args.podman_version)
    documents = yaml_documents(args.inputs, args.limits)
    configmaps = yaml_documents(args.configmap, args.limits, required=False)
    images = image_inputs(args.image_inspect, args.limits)
    annotations = []
    for item in args.annotation:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"annotation {item!r} must include an '=' sign")
        annotations.append((key, value))
    options = PlayOptions(publish_all=args.publish_all, sidecars=args.sidecars, annotations=tuple(annotations),
                          configmaps=tuple(configmaps), images=tuple(images),
                          host_paths=play_host_paths(documents, args.host_path, stat=not args.no_stat),
                          node_hostname=args.node_hostname or socket.gethostname(),
                          host_memory=host_memory(), host_cpus=os.cpu_count())
    result = play(documents, options, profile)
    for message in result.warnings:
        warn(message)
    if args.format == "commands":
        text = commands_writer.script(result.pods, result.volumes, profile, result.warnings)
    else:
        text = json_text({"pods": [inspect_out.pod(p, profile) for p in result.pods],
                          "containers": [inspect_out.container(c, profile) for c in result.containers],
                          "volumes": [inspect_out.volume(v, profile) for v in result.volumes],
                          "warnings": result.warnings})
    write_output(text, args.output)
    return 0


# --- roundtrip -------------------------------------------------------------------------------

def run_roundtrip(args: argparse.Namespace) -> int:
    import json

    from kubebridge import api
    from kubebridge.fidelity import describe, manifest_round_trip, snapshot_round_trip
    from kubebridge.load.inspect import Source, load_snapshot
    from kubebridge.model.profiles import get_profile
    from kubebridge.translate.play import PlayOptions

    profile = get_profile(args.podman_version)
    raws = [read_input(name, args.limits) for name in args.inputs]
    names = [label(name) for name in args.inputs]
    images = image_inputs(args.image_inspect, args.limits)
    timestamp = _timestamp(args.timestamp)
    if all(api._looks_like_inspect(raw) for raw in raws):
        snap = load_snapshot([Source(n, text=r) for n, r in zip(names, raws)])
        snap.images = list(snap.images) + images
        options = PlayOptions(images=tuple(snap.images), host_memory=1 << 30, host_cpus=1)
        result = snapshot_round_trip(snap, options, profile, timestamp or api.now())
    else:
        docs = yaml_of(list(zip(names, raws)), args.limits)
        configmaps = yaml_documents(args.configmap, args.limits, required=False)
        options = PlayOptions(images=tuple(images), configmaps=tuple(configmaps),
                              host_paths=play_host_paths(docs, args.host_path, stat=not args.no_stat),
                              host_memory=host_memory(), host_cpus=os.cpu_count())
        result = manifest_round_trip(docs, options, profile, args.type, tuple(images),
                                     timestamp=timestamp or api.now(), portable=args.portable)
    for message in result.warnings:
        warn(message)
    if args.output == "json":
        text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
    else:
        text = roundtrip_text(result, ", ".join(names), describe)
    write_output(text, args.report)
    return 1 if result.changed else 0


def roundtrip_text(result, names: str, describe) -> str:
    import json

    steps = "generate, then play" if result.source == "snapshot" else (
        "play, then generate --portable" if result.portable else "play, then generate")
    if not result.changes:
        return f"{names}: a round trip through Podman {result.podman_version} ({steps}) changes nothing\n"
    lines = [f"{names}: a round trip through Podman {result.podman_version} ({steps}) changes "
             f"{len(result.changes)} thing{'s' * (len(result.changes) != 1)}:"]
    width = max(len(c.kind) for c in result.changes)
    for c in result.changes:
        where = c.where if c.path else f"document {c.document + 1}"
        detail = {"lost": json.dumps(c.before, default=str), "added": json.dumps(c.after, default=str)}.get(
            c.kind, f"{json.dumps(c.before, default=str)} -> {json.dumps(c.after, default=str)}")
        if len(detail) > 100:
            detail = detail[:97] + "..."
        lines.append(f"  {c.kind:<{width}}  {where}: {detail}  [{c.rewrite or 'unexplained'}]")
    used = sorted({c.rewrite for c in result.changes if c.rewrite})
    if used:
        lines.append("Why (Podman's behaviour):")
        lines.extend(f"  {r}: {describe(r)}" for r in used)
    return "\n".join(lines) + "\n"


# --- check -----------------------------------------------------------------------------------

_WORKER = None


def _init_worker(options) -> None:
    global _WORKER
    from kubebridge.checks.engine import Checker
    _WORKER = Checker(options)


def _unreadable(checker, name: str, exc: InputError):
    from kubebridge.checks.findings import ERROR, Finding

    result = checker.result()
    result.files, result.unusable = 1, True
    result.findings.append(Finding(name, 0, "", "", "", None, None, "yaml", ERROR, exc.detail))
    return result


def check_one(checker, name: str):
    """One file's result, at once (for worker processes); a file that cannot be read is a finding."""
    try:
        with input_stream(name) as stream:
            return checker.check_file(stream, label(name))
    except InputError as exc:
        return _unreadable(checker, name, exc)


def _check_in_worker(name: str):
    return check_one(_WORKER, name)


class Progress:
    """A progress line on a terminal's stderr, five times a second: a bar of files and a count of documents.

    Nothing when stderr is not a terminal (piped, in CI), and the line is erased at the end.
    """

    def __init__(self, total_files: int):
        import time

        self.clock = time.monotonic
        self.on = sys.stderr.isatty()
        self.total = total_files
        self.last = 0.0
        self.shown = False

    def update(self, documents: int, files: int) -> None:
        now = self.clock()
        if self.on and now - self.last > 0.2:
            self.last, self.shown = now, True
            done = min(files, self.total)
            if self.total > 1:
                text = f"[{'#' * (20 * done // self.total):<20}] {done}/{self.total} files, {documents:,} documents"
            else:
                text = f"{documents:,} documents"
            sys.stderr.write(f"\rkubebridge: checking {text}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def run_check(args: argparse.Namespace) -> int:
    from kubebridge.checks.engine import CheckOptions, Checker
    from kubebridge.checks.findings import RULES, rule_ids
    from kubebridge.render.reports import WRITERS
    from kubebridge.load.files import manifest_files

    if args.list_rules:
        width = max(map(len, RULES))
        text = "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.target:<10}  {r.summary}\n" for r in RULES.values())
        write_output(text, args.report)
        return 0
    if not args.inputs:
        raise UsageError("check: give manifests to check (FILE, DIR or - for standard input)")
    if args.jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    options = CheckOptions(kubernetes_version=args.kubernetes_version, strict=args.strict,
                           podman_version=args.podman_version, target=args.target,
                           select=rule_ids(args.select), ignore=rule_ids(args.ignore), limits=args.limits)
    checker = Checker(options)
    result = checker.result()  # counts only: findings are written as they come, not kept
    for notice in result.notices:
        warn(notice)
    files = manifest_files(args.inputs)
    if not files:
        raise UsageError("no manifests found in " + ", ".join(args.inputs))
    progress = Progress(len(files))
    counts = {"error": 0, "warning": 0}

    def take(findings) -> None:
        for f in findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        writer.add(findings)

    def absorb(part) -> None:
        """A whole file's result (from a worker, or a file that cannot be opened): written, then counted."""
        take(part.findings)
        part.findings = []
        result.merge(part)
        progress.update(result.documents, result.files)

    with output_stream(args.report) as out:
        writer = WRITERS[args.output](out)
        writer.begin()
        if args.jobs > 1 and len(files) > 1 and "-" not in files:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=min(args.jobs, len(files)), initializer=_init_worker,
                                     initargs=(options,)) as pool:
                for part in pool.map(_check_in_worker, files, chunksize=max(1, len(files) // (args.jobs * 8))):
                    absorb(part)
        else:
            tick = (lambda: progress.update(result.documents, result.files)) if progress.on else None
            for name in files:
                batch: list = []
                try:
                    with input_stream(name) as stream:  # iter_file reports what it cannot read as findings
                        for finding in checker.iter_file(stream, label(name), result, tick):
                            batch.append(finding)
                            if len(batch) >= 256:
                                take(batch)
                                batch = []
                except InputError as exc:  # the file could not be opened
                    absorb(_unreadable(checker, name, exc))
                    continue
                take(batch)
                progress.update(result.documents, result.files)
        progress.done()
        summary = result.summary()
        summary.update(errors=counts["error"], warnings=counts["warning"],
                       exit_code=2 if result.unusable else 1 if counts["error"] else 0)
        writer.end(summary)
    if summary["exit_code"] == 0 and args.fail_on == "warning" and counts["warning"]:
        return 1
    return summary["exit_code"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.limits = Limits(max_bytes=args.max_bytes, max_documents=args.max_documents)
    try:
        return args.run(args)
    except KubebridgeError as exc:
        inputs = getattr(args, "inputs", None)
        if inputs and not isinstance(exc, UsageError):  # about the input as a whole: name it
            exc.located(", ".join(map(label, inputs)))
        print(f"kubebridge: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (| head): not an error, and no noise at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
