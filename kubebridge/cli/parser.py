"""The command line's arguments: one subcommand per job, with Podman's flag names where Podman has them.

Podman versions (choices, default and help) come from the profiles
(model/profiles.py), never from a list written here.
"""
from __future__ import annotations

import argparse
import sys

from kubebridge import __version__
from kubebridge.limits import LIMITS, size_text
from kubebridge.model import versions


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 as well; keep its usage line
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser(prog: str = "python -m kubebridge") -> argparse.ArgumentParser:
    """The argument parser: one subcommand per job; Podman versions, choices and help from the profiles."""
    parser = _Parser(prog=prog,
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
    gen.add_argument("--timestamp", type=_timestamp, metavar="RFC3339",
                     help="creationTimestamp to write (default: $SOURCE_DATE_EPOCH, else now)")
    _output(gen)
    _limits(gen)

    play = commands.add_parser(
        "play", help="Kubernetes YAML -> what `podman kube play` would create",
        description="Read Kubernetes YAML and print the pods, containers and volumes `podman kube play "
                    "--start=false` would create: as inspect-shaped JSON, or as podman commands.")
    play.add_argument("inputs", nargs="+", metavar="KUBEFILE", help="YAML files; - reads standard input")
    _podman_version(play, default="the newest")
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
    _format(play, "play", "inspect-shaped JSON (default) or podman commands")
    play.add_argument("--host-path", action="append", default=[], metavar="PATH=TYPE",
                      help="what a hostPath source is on the Podman host (Directory, File, Socket, CharDevice, "
                           "BlockDevice, or Missing), instead of looking at this machine")
    play.add_argument("--no-stat", action="store_true",
                      help="do not look at this machine's filesystem: hostPath sources are taken to exist")
    play.add_argument("--node-hostname", metavar="NAME", help="the hostname of the Podman host (hostNetwork pods)")
    play.add_argument("--base-dir", metavar="DIR", help="the directory podman kube play runs in, which a relative "
                      "hostPath is taken against (default: this one)")
    _output(play)
    _limits(play)

    rt = commands.add_parser(
        "roundtrip", help="what a round trip through Podman changes",
        description="Kubernetes YAML goes through `podman kube play` and `podman kube generate`; Podman inspect "
                    "output through generate and play. Prints every field lost, renamed, added or rewritten, with "
                    "its path and the Podman behaviour behind it. Exit 0: nothing changes; 1: something does; 2: "
                    "unusable input.")
    rt.add_argument("inputs", nargs="+", metavar="FILE", help="YAML manifests or inspect JSON; - reads standard input")
    _podman_version(rt, default="for inspect output, the one it shows; else the newest")
    _format(rt, "roundtrip", "the report: text (default), json, or html (one self-contained page: the manifest "
                "and what comes back side by side, each change coloured by kind and linked to the Podman rewrite "
                "behind it)")
    rt.add_argument("--image-inspect", action="append", default=[], metavar="FILE",
                    help="`podman image inspect` output for the images used, as for play")
    rt.add_argument("--configmap", action="append", default=[], metavar="FILE", help="ConfigMaps, as for play")
    rt.add_argument("-t", "--type", default="pod", metavar="KIND",
                    help="what generate writes after play: pod (default, as Podman), deployment, daemonset, job")
    rt.add_argument("--host-path", action="append", default=[], metavar="PATH=TYPE",
                    help="what a hostPath source is on the Podman host, as for play")
    rt.add_argument("--no-stat", action="store_true", help="do not look at this machine's filesystem")
    rt.add_argument("--base-dir", metavar="DIR", help="the directory podman kube play runs in, as for play")
    rt.add_argument("--sidecars", choices=("podman", "containers"), default="podman",
                    help="native sidecars: played as Podman does (podman, default) or as regular containers, "
                         "as for play")
    rt.add_argument("--node-hostname", metavar="NAME", help="the hostname of the Podman host, as for play")
    rt.add_argument("--portable", action="store_true",
                    help="after play, generate --portable (kubebridge's) instead of Podman's generate: for YAML "
                         "made with generate --portable, nothing changes")
    rt.add_argument("--timestamp", type=_timestamp, metavar="RFC3339", help="creationTimestamp generate writes (default: "
                    "$SOURCE_DATE_EPOCH, else now)")
    _output(rt, report=True)
    _limits(rt)

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
    check.add_argument("--crd", action="append", default=[], metavar="FILE|DIR",
                       help="CustomResourceDefinitions (apiextensions.k8s.io/v1) to check custom resources against, "
                            "besides those among the manifests (repeat it; a directory is searched as inputs are)")
    check.add_argument("--schema-location", action="append", default=[], metavar="DIR|TEMPLATE",
                       help="JSON Schemas of custom resources, laid out as kubeconform's catalogs: a directory (the "
                            "CRDs-catalog and standalone layouts) or a path template such as "
                            "'DIR/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json' (repeat it; tried in "
                            "order; local only)")
    _podman_version(check, "the Podman whose kube play to check for", default="the newest")
    check.add_argument("--target", choices=("both", "kubernetes", "podman"), default="both",
                       help="check for a cluster, for podman kube play, or both (default)")
    _format(check, "check", "the report: text (default), json, junit or sarif")
    _output(check, report=True)
    check.add_argument("--select", metavar="RULES", help="only these rules (comma-separated ids)")
    check.add_argument("--ignore", metavar="RULES", help="skip these rules (comma-separated ids)")
    check.add_argument("--fail-on", choices=("error", "warning"), default="error",
                       help="exit 1 on errors (default), or on warnings too")
    check.add_argument("--jobs", type=int, default=1, metavar="N", help="check files in N processes (default 1)")
    check.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    _limits(check)

    snap = commands.add_parser(
        "snapshot", help="a running Podman's pods, containers, images and volumes -> one JSON file for generate",
        description="Ask the local Podman (read-only: `podman inspect` and `podman version`, nothing else) for the "
                    "pods, containers, images and volumes named and everything they reference (a pod's containers, "
                    "the infra container among them, their images, the named volumes they mount), and write one "
                    "JSON file that records the Podman version too: generate and roundtrip take it like any inspect "
                    "file, and need no --podman-version with it.")
    snap.add_argument("names", nargs="+", metavar="NAME", help="pods, containers, images or volumes, by name or ID")
    reach = snap.add_mutually_exclusive_group()
    reach.add_argument("--podman", metavar="COMMAND",
                       help="the podman command to run, as a command line ('podman --connection remote'); default: "
                            f"${PODMAN_VARIABLE}, else podman")
    reach.add_argument("--url", metavar="URL",
                       help="ask a Podman API service instead (`podman system service`): unix:///PATH, tcp://HOST:PORT "
                            "or ssh://...; needs podman-py (pip install 'kubebridge[podman]')")
    snap.add_argument("--timeout", type=_seconds, default=120.0, metavar="SECONDS",
                      help="give up on a podman command or API request after SECONDS (default 120); a command "
                           "still running after 5 seconds is named on stderr")
    _output(snap)
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0")
    return value


PODMAN_VARIABLE = "KUBEBRIDGE_PODMAN"  # the podman command snapshot runs, when --podman does not say
# Every format name a command prints.  -o/--output takes a file name: one of these given to it is never taken as
# a file's name (settle_output): check and roundtrip read it as their old spelling of --format, with a notice,
# and the other commands refuse it and say what to write instead.
FORMAT_NAMES = ("text", "json", "junit", "sarif", "html", "commands", "yaml")
FORMATS = {"play": ("json", "commands"), "roundtrip": ("text", "json", "html"),
           "check": ("text", "json", "junit", "sarif")}
ONE_FORMAT = {"generate": "YAML", "snapshot": "JSON"}
OLD_OUTPUT_FORMAT = ("roundtrip", "check")  # where --output FORMAT and --report FILE were the spellings before


def _output(parser: argparse.ArgumentParser, report: bool = False) -> None:
    parser.add_argument("-o", "--output", metavar="FILE", action="append",
                        help="write to FILE (atomically: nothing is written on an error) instead of standard output")
    if report:
        parser.add_argument("--report", metavar="FILE", help="the old spelling of -o/--output FILE (deprecated)")


def _format(parser: argparse.ArgumentParser, command: str, what: str) -> None:
    parser.add_argument("--format", choices=FORMATS[command], metavar="FORMAT", help=f"{what}; one of "
                        f"{', '.join(FORMATS[command])}")


def settle_output(args: argparse.Namespace) -> list[str]:
    """-o/--output and --format as one convention across the commands (Podman's: --format FORMAT, -o FILE), the
    old spellings of check and roundtrip mapped onto it: the deprecation notices to give.

    A format name given to -o/--output is never a file name: for check and
    roundtrip it is their old `--output FORMAT` (a notice says so); elsewhere a
    UsageError says what to write instead.  A file of that name is `-o ./json`.
    Raises UsageError for two spellings of one thing given together.
    """
    from kubebridge.errors import UsageError

    notices = []
    command, outputs = args.command, getattr(args, "output", None) or []
    if len(outputs) > 1:
        raise UsageError(f"-o/--output given {len(outputs)} times ({', '.join(outputs)}): name one file, and the "
                         "format with --format")
    output = args.output = outputs[0] if outputs else None
    formats = FORMATS.get(command, ())
    if output is not None and output.lower() in FORMAT_NAMES and output.lower() != output:
        raise UsageError(f"-o/--output names the file to write, and {output!r} is a format name in capitals: "
                         f"write --format {output.lower()} (or -o ./{output} for a file of that name)")
    if output in FORMAT_NAMES:
        if command in OLD_OUTPUT_FORMAT and output in formats:
            if args.format is not None:
                raise UsageError(f"--output {output} (the old spelling of --format {output}) and --format "
                                 f"{args.format}: give --format only")
            args.format, args.output = output, None
            notices.append(f"-o/--output {output} is deprecated: -o/--output names a file now; write --format {output}")
        else:
            instead = f"write --format {output}" if output in formats else f"{command} writes " + (
                " or ".join(formats) if formats else f"{ONE_FORMAT[command]} only")
            raise UsageError(f"-o/--output names the file to write, and {output!r} is a format name: {instead} "
                             f"(or -o ./{output} for a file of that name)")
    if getattr(args, "report", None) is not None:
        if args.output is not None:
            raise UsageError("--report is the old spelling of -o/--output: give -o/--output only")
        args.output = args.report
        notices.append(f"--report is deprecated: write -o {args.report}")
    if formats and args.format is None:
        args.format = format_of_file(args.output, formats) or formats[0]
        named = format_of_file(args.output, tuple(set(SUFFIX_FORMATS.values())))
        if named and named not in formats:
            notices.append(f"-o {args.output}: {command} writes no {named}; writing {args.format} (--format "
                           f"{' or '.join(formats)} chooses)")
    return notices


SUFFIX_FORMATS = {".json": "json", ".html": "html", ".htm": "html", ".sarif": "sarif", ".xml": "junit",
                  ".txt": "text", ".sh": "commands"}


def format_of_file(output: str | None, formats: tuple[str, ...]) -> str:
    """The format an -o FILE's suffix names (report.html: html), when the command writes it; "" otherwise."""
    if not output:
        return ""
    suffix = output[output.rfind("."):].lower() if "." in output.rpartition("/")[2] else ""
    named = SUFFIX_FORMATS.get(suffix, "")
    return named if named in formats else ""


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


def _podman_version(parser: argparse.ArgumentParser, what: str = "the Podman to model",
                    default: str = "the one the inspect output shows, else the newest") -> None:
    parser.add_argument("--podman-version", type=_version, metavar="VERSION",
                        help=f"{what}: {versions.help_text()}; another version is modelled by the nearest profile of "
                             f"its major (default: {default})")


def _version(text: str) -> str:
    try:
        versions.resolve(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def _timestamp(text: str) -> str:
    """--timestamp checked as the API checks timestamp= (RFC 3339)."""
    from kubebridge import arguments  # when --timestamp is given: --help stays lean
    from kubebridge.errors import UsageError

    try:
        return arguments.timestamp("timestamp", text) or text
    except UsageError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an RFC 3339 time (such as 2024-05-01T12:00:00Z)") from None


def unknown_arguments(parser: argparse.ArgumentParser, command: str | None, unknown: list[str]) -> None:
    """Exit 2 with the command's usage and what it does not know (generate --format: it writes YAML only)."""
    subparsers = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    sub = subparsers.choices.get(command) if subparsers is not None and command else None
    hint = ""
    if command in ONE_FORMAT and any(u == "--format" or u.startswith("--format=") for u in unknown):
        hint = f" ({command} writes {ONE_FORMAT[command]} only: it has no --format)"
    (sub or parser).error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
