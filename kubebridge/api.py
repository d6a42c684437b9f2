"""The Python API: every job kubebridge does, and the one pipeline under the command line.

Each job loads its inputs into the model (load/), translates (translate/,
fidelity/, checks/) and renders (render/).  The command line parses its
arguments, reads its files, gathers the host's facts and calls these
functions; a Python caller gets the same results from the same code.

Inputs are Podman inspect JSON or Kubernetes YAML as text or bytes, paths,
parsed data (dicts and lists), kubernetes.client objects, or Sources (a name
for messages and the text or data).  Path or content: bytes and Sources are
content; a path object (pathlib.Path) is a path; a str is a path when it is one
line without "{", "[" or ": " (or names an existing file), else content
(`"kind: Pod"` is content, `"app.yaml"` a path).  A str read as a path that
names no file is an InputError that says so.  Results are plain dicts,
Podman's text, or kubernetes.client objects (that package is imported only
when asked for: it is slow).

Host facts are parameters, never read behind the caller's back: `host_paths`
(what a bind or hostPath source is on the Podman host: a mapping, or a
function called for each source met), `node_hostname`, `host_memory` (bytes),
`host_cpus`, `base_dir` (absolute) and `timestamp` (creationTimestamp, RFC
3339; default: now).

Errors: every function raises only kubebridge.KubebridgeError subclasses:
UsageError (an argument of the wrong type or value, named with what it takes;
options that cannot work; an input that is no input), InputError (input that
cannot be read), PodmanRefusal (what Podman itself would refuse, in Podman's
words) and its MissingReference.  Arguments are checked first
(kubebridge/arguments.py), before any input is read.

The command line's own steps are public too (kubebridge.api.X): check_files
(check, streamed), report_writer and rules_text (its reports), generate_text,
play_json, play_script and roundtrip_report (a result as the command prints it).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import (TYPE_CHECKING, Any, BinaryIO, Callable, ContextManager, Iterable, Literal, Mapping, Sequence,
                    TextIO, overload)

from kubebridge import arguments as arg
from kubebridge.arguments import HostPaths
from kubebridge.errors import UsageError
from kubebridge.limits import LIMITS, Limits
from kubebridge.load.source import Source

if TYPE_CHECKING:  # the modules below are imported when a job needs them: start-up stays lean
    from kubebridge.checks.engine import CheckResult
    from kubebridge.checks.stream import CheckRun
    from kubebridge.fidelity import RoundTrip
    from kubebridge.model.podman import Snapshot
    from kubebridge.model.profiles import Profile
    from kubebridge.render.reports import Writer
    from kubebridge.translate.generate import GenerateResult
    from kubebridge.translate.play import PlayResult

__all__ = ["HostPaths", "Source", "check", "check_files", "generate", "generate_result", "generate_text",
           "generate_yaml", "now", "play", "play_commands", "play_json", "play_result", "play_script",
           "report_writer", "roundtrip", "roundtrip_report", "rules_text", "snapshot", "take_snapshot", "to_dicts",
           "to_kubernetes", "to_yaml"]


def now() -> str:
    """The time now, as generate writes creationTimestamp (RFC 3339, UTC, seconds): the facade's clock."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- generate --------------------------------------------------------------------------------

def snapshot(*inputs: Any, host_paths: HostPaths = None, limits: Limits = LIMITS) -> Snapshot:
    """`podman pod|container|image|volume inspect` output -> the intermediate model (a Snapshot).

    host_paths: what each bind-mount source is on the generating host
    (Directory, File or another type; "" for missing), which generate writes
    as the hostPath type (libpod/kube.go, os.Stat).  limits: limits.max_bytes
    bounds each input.

    Raises:
        UsageError: an argument of the wrong type or value.
        InputError: input that cannot be read (not JSON, not inspect output, too large).
    """
    from kubebridge.load.inputs import as_sources
    from kubebridge.load.inspect import load_snapshot

    host_paths, limits = arg.host_path_map(host_paths), arg.limits_of(limits)
    snap = load_snapshot(as_sources(inputs, limits))
    snap.host_paths = arg.facts(host_paths, arg.bind_sources(snap))
    return snap


def generate_result(*inputs: Any, podman_version: str | Profile | None = None, names: Sequence[str] | str = (),
                    service: bool = False, type: str = "pod", replicas: int = 1, podman_only: bool = False,
                    host_paths: HostPaths = None, timestamp: str | None = None,
                    portable: bool = False, limits: Limits = LIMITS) -> GenerateResult:
    """generate(), with Podman's NOTE chunks and kubebridge's warnings (a GenerateResult; its .profile is the
    Profile modelled).

    inputs: inspect output (text, bytes, paths, Sources, dicts; a str is a
    path when it is one line without "{", "[" or ": ", as the module's
    docstring says), or one Snapshot.  names: the pods, containers or
    volumes to generate (Podman's arguments; one name or several); default:
    every pod, then the containers outside pods, then the volumes (for snapshot
    bundles alone: the names they were taken of).
    service, type ("pod", "deployment", "daemonset", "job"), replicas (an
    int; Podman refuses less than 1), podman_only: Podman's flags
    (abi/generate.go).  portable=True: kubebridge's portable variant
    (translate/portable.py): valid Kubernetes that a round trip through Podman
    gives back unchanged.  timestamp: RFC 3339 (default: now).  limits:
    limits.max_bytes bounds each input.

    Raises:
        UsageError: an argument of the wrong type or value; a flag this Podman lacks.
        InputError: input that cannot be read.
        PodmanRefusal: what Podman refuses (no such pod, --replicas 0, an unknown --type), in its words.
    """
    from dataclasses import replace

    from kubebridge.errors import InputError
    from kubebridge.load.inputs import as_sources
    from kubebridge.load.inspect import load_snapshot
    from kubebridge.model.podman import Snapshot
    from kubebridge.translate.generate import GenerateOptions, GenerateResult
    from kubebridge.translate.generate import generate as _generate

    podman_version, host_paths, limits = arg.podman_choice(podman_version), arg.host_path_map(host_paths), arg.limits_of(limits)
    wanted, when = arg.names("names", names, "pod, container or volume names or IDs"), arg.timestamp("timestamp", timestamp) or now()
    options = GenerateOptions(names=wanted, service=arg.flag("service", service), type=arg.word("type", type) or "",
                              replicas=arg.count("replicas", replicas, minimum=None) or 0,
                              podman_only=arg.flag("podman_only", podman_only), timestamp=when)
    portable = arg.flag("portable", portable)
    if len(inputs) == 1 and isinstance(inputs[0], Snapshot):
        snap = replace(inputs[0], host_paths={**inputs[0].host_paths, **arg.facts(host_paths, arg.bind_sources(inputs[0]))})
        names_read = None
    else:
        sources = as_sources(inputs, limits)
        snap = load_snapshot(sources)
        snap.host_paths = arg.facts(host_paths, arg.bind_sources(snap))
        names_read = ", ".join(s.name for s in sources) or None
    if not wanted:  # a snapshot bundle's own names, as `podman kube generate NAME...`
        options = replace(options, names=tuple(snap.names))
    profile, notices = arg.profile(podman_version, (snap.printed_by, snap.printed_by_sign))
    try:
        result = _generate(snap, options, profile)
    except InputError as exc:  # about the inputs as a whole (nothing to generate): name them
        raise exc.located(names_read) from None
    if portable:
        from kubebridge.translate.portable import make_portable
        chunks, warnings = make_portable(result.chunks, snap, profile, result.init_volumes)
        result = GenerateResult(chunks, result.warnings + warnings, result.init_volumes, profile.version, profile)
    result.warnings[:0] = notices
    return result


@overload
def generate(*inputs: Any, kubernetes: Literal[False] = False, podman_version: str | Profile | None = None,
             names: Sequence[str] | str = (), service: bool = False, type: str = "pod", replicas: int = 1,
             podman_only: bool = False, host_paths: HostPaths = None, timestamp: str | None = None,
             portable: bool = False, limits: Limits = LIMITS) -> list[dict[str, Any]]: ...
@overload  # noqa: E302
def generate(*inputs: Any, kubernetes: Literal[True], podman_version: str | Profile | None = None,
             names: Sequence[str] | str = (), service: bool = False, type: str = "pod", replicas: int = 1,
             podman_only: bool = False, host_paths: HostPaths = None, timestamp: str | None = None,
             portable: bool = False, limits: Limits = LIMITS) -> list[Any]: ...


def generate(*inputs: Any, kubernetes: bool = False, podman_version: str | Profile | None = None,
             names: Sequence[str] | str = (), service: bool = False, type: str = "pod", replicas: int = 1,
             podman_only: bool = False, host_paths: HostPaths = None, timestamp: str | None = None,
             portable: bool = False, limits: Limits = LIMITS) -> list[dict[str, Any]] | list[Any]:
    """The Kubernetes documents `podman kube generate` would print, as dicts (PersistentVolumeClaims, Services,
    then Pods, Deployments, DaemonSets or Jobs, in Podman's order).

    Parameters as generate_result(); kubernetes=True gives kubernetes.client
    model objects (V1Pod, V1Service, ...) instead of dicts.

    Raises:
        as generate_result(); InputError when kubernetes=True and the kubernetes package is missing.
    """
    from kubebridge.load.kubernetes_client import to_kubernetes

    kubernetes = arg.flag("kubernetes", kubernetes)
    docs = generate_result(*inputs, podman_version=podman_version, names=names, service=service, type=type,
                           replicas=replicas, podman_only=podman_only, host_paths=host_paths, timestamp=timestamp,
                           portable=portable, limits=limits).documents
    return to_kubernetes(docs) if kubernetes else docs


def generate_text(result: GenerateResult, *, stdout: bool = True, portable: bool = False) -> str:
    """A GenerateResult as Podman prints it (generateKubeOutput): the header, then the chunks between `---`.

    stdout=True ends with the newline fmt.Println adds on Podman's standard
    output; Podman's -f file lacks it.  portable: the portable header.

    Raises:
        UsageError: result is not a GenerateResult, or a flag is not a bool.
    """
    from kubebridge.render import kube_yaml as render
    from kubebridge.translate.generate import GenerateResult

    result = arg.result_of("result", result, GenerateResult, "generate_result()")
    return render.kube_yaml(result.chunks, result.podman_version, println=arg.flag("stdout", stdout),
                            portable=arg.flag("portable", portable))


def generate_yaml(*inputs: Any, podman_version: str | Profile | None = None, names: Sequence[str] | str = (),
                  service: bool = False, type: str = "pod", replicas: int = 1, podman_only: bool = False,
                  host_paths: HostPaths = None, timestamp: str | None = None, portable: bool = False,
                  limits: Limits = LIMITS) -> str:
    """What `podman kube generate` prints, byte for byte but for the header's last line and the timestamps.

    Parameters and errors as generate_result().
    """
    result = generate_result(*inputs, podman_version=podman_version, names=names, service=service, type=type,
                             replicas=replicas, podman_only=podman_only, host_paths=host_paths,
                             timestamp=timestamp, portable=portable, limits=limits)
    return generate_text(result, portable=portable)


def to_dicts(documents: Iterable[Any]) -> list[dict[str, Any]]:
    """kubernetes.client objects -> camelCase dicts, as the API server writes them; dicts pass through.

    documents: a list of dicts and kubernetes.client objects (one alone is one document).
    Raises UsageError for anything else.
    """
    from kubebridge.load import kubernetes_client

    return kubernetes_client.to_dicts(arg.documents("documents", documents))


def to_kubernetes(documents: Iterable[dict[str, Any]]) -> list[Any]:
    """dicts -> kubernetes.client model objects (V1Pod, V1Deployment, ...).

    documents: a list of dicts (one alone is one document).
    Raises UsageError for anything else, InputError without the kubernetes package or for a kind it has no
    model of.
    """
    from kubebridge.load import kubernetes_client

    return kubernetes_client.to_kubernetes(arg.documents("documents", documents, objects=False))


def to_yaml(documents: Iterable[Any]) -> str:
    """Documents (a list of dicts or kubernetes.client objects) in Podman's YAML style, `---` between them.

    Raises UsageError for anything that is no list of documents.
    """
    from kubebridge.render import kube_yaml as render

    return render.documents_yaml(to_dicts(documents))


# --- snapshot: asking a running Podman ------------------------------------------------------------

def take_snapshot(*names: str, podman: str | Sequence[str] | None = None, url: str | None = None,
                  timeout: float = 120, waiting: Callable[[str], None] | None = None) -> dict[str, Any]:
    """A running Podman's pods, containers, images and volumes named (by name or ID), and everything they
    reference, as one snapshot bundle (a dict: load/bundle.py, schemas/snapshot.json) that records the Podman's
    version; generate(), generate_yaml() and roundtrip() take it like inspect output.

    The Podman is asked read-only (`podman version`, `podman ... inspect`;
    kubebridge.query): through its command line, `podman` or the command given
    (a command line as a string or a list: "podman --connection remote"), or
    with url=, a Podman API service (unix:///run/podman/podman.sock, tcp://...,
    ssh://...) through podman-py.  timeout: seconds each request may take; waiting(command) is called when a
    podman command has not answered after 5 seconds.

    Raises:
        UsageError: no names, a name that is not a str, podman and url both, podman-py missing for url.
        PodmanError: a podman that cannot be run or reached, or its own error (no such object).
    """
    import shlex

    from kubebridge.query.walk import take

    names = arg.names("names", list(names), "pod, container, image or volume names or IDs")
    url = arg.word("url", url, optional=True)
    if podman is not None and url is not None:
        raise UsageError("give podman= (a podman command) or url= (a Podman API service), not both")
    timeout = arg.positive("timeout", timeout)
    if url is not None:
        from kubebridge.query.service import Service
        return take(names, Service(url, timeout))
    from kubebridge.query.command_line import CommandLine

    command = shlex.split(podman) if isinstance(podman, str) else list(arg.names("podman", podman or ("podman",)))
    return take(names, CommandLine(command, timeout, waiting))


# --- play ------------------------------------------------------------------------------------

def play_result(*inputs: Any, podman_version: str | Profile | None = None, publish_all: bool = False,
                sidecars: str = "podman", images: Any = (), configmaps: Any = (),
                annotations: Mapping[str, str] | None = None, host_paths: HostPaths = None,
                node_hostname: str | None = None, host_memory: int | None = None, host_cpus: int | None = None,
                base_dir: str | None = None, limits: Limits = LIMITS) -> PlayResult:
    """What `podman kube play --start=false` would create, as the model (a PlayResult: pods with their
    containers, volumes, warnings, and .profile, the Profile modelled).

    inputs: Kubernetes YAML (text, bytes, paths, Sources; a str is a path when
    it is one line without "{", "[" or ": "), dicts or
    kubernetes.client objects.  publish_all (bool), annotations (a str -> str
    mapping): Podman's flags.  sidecars: "podman" plays native sidecars as
    Podman does (blocking init containers, with a warning); "containers" as
    regular containers.  images: `podman image inspect` output of the images
    used (their ENTRYPOINT, CMD, ENV, WORKDIR, USER apply); configmaps:
    --configmap files; each one input or a list of them.  Host facts:
    host_paths (None: every source is taken to exist as declared),
    node_hostname (a str; default "localhost"), host_memory in bytes and
    host_cpus (ints of at least 1: a resourceFieldRef on an unset limit needs
    them), base_dir: the absolute directory `kube play` runs in, which a
    relative hostPath is taken against (default "/", with a warning when one
    is met; the command line passes its working directory).  limits: how much
    of each input is read.

    Raises:
        UsageError: an argument of the wrong type or value.
        InputError: input that cannot be read (placed in the YAML).
        PodmanRefusal: what Podman refuses, in Podman's words, placed in the YAML; MissingReference for a
            ConfigMap or Secret the inputs lack.
    Follows pkg/domain/infra/abi/play.go and pkg/specgen/generate/kube.
    """
    from kubebridge.load.inputs import documents
    from kubebridge.translate.play import play as _play

    podman_version, limits = arg.podman_choice(podman_version), arg.limits_of(limits)
    given = arg.play_arguments(publish_all, sidecars, images, configmaps, annotations, host_paths, node_hostname,
                            host_memory, host_cpus, base_dir)
    docs = documents(inputs, "podman", limits=limits)
    options = arg.play_options(docs, limits=limits, **given)
    profile, notices = arg.profile(podman_version)
    result = _play(docs, options, profile)
    result.warnings[:0] = notices
    if given["base_dir"] is None and arg.relative_hostpaths(d.data for d in docs):
        result.warnings.append("a relative hostPath is taken against / (give base_dir: the directory podman kube "
                               "play would run in)")
    return result


def play_json(result: PlayResult) -> dict[str, list[Any]]:
    """A PlayResult shaped like Podman's inspect output: {"pods", "containers", "volumes", "warnings"}, each a
    list (of inspect dicts; warnings of strs), rendered with the result's own Profile.

    Raises UsageError when result is not a PlayResult.
    """
    from kubebridge.render import inspect_json

    profile = arg.played_profile(result)
    return {"pods": [inspect_json.pod(p, profile) for p in result.pods],
            "containers": [inspect_json.container(c, profile) for c in result.containers],
            "volumes": [inspect_json.volume(v, profile) for v in result.volumes],
            "warnings": list(result.warnings)}


def play_script(result: PlayResult) -> str:
    """A PlayResult as a POSIX sh script of `podman volume create`, `pod create` and `create --pod` commands,
    for the result's own Profile.

    Raises UsageError when result is not a PlayResult.
    """
    from kubebridge.render import commands

    profile = arg.played_profile(result)
    return commands.script(result.pods, result.volumes, profile, result.warnings, result.created_paths)


def play(*inputs: Any, podman_version: str | Profile | None = None, publish_all: bool = False, sidecars: str = "podman",
         images: Any = (), configmaps: Any = (), annotations: Mapping[str, str] | None = None,
         host_paths: HostPaths = None, node_hostname: str | None = None, host_memory: int | None = None,
         host_cpus: int | None = None, base_dir: str | None = None, limits: Limits = LIMITS) -> dict[str, list[Any]]:
    """What `podman kube play --start=false` would create, shaped like Podman's inspect output:
    {"pods": [...], "containers": [...], "volumes": [...], "warnings": [...]}.

    Parameters and errors as play_result().
    """
    result = play_result(*inputs, podman_version=podman_version, publish_all=publish_all, sidecars=sidecars,
                         images=images, configmaps=configmaps, annotations=annotations, host_paths=host_paths,
                         node_hostname=node_hostname, host_memory=host_memory, host_cpus=host_cpus,
                         base_dir=base_dir, limits=limits)
    return play_json(result)


def play_commands(*inputs: Any, podman_version: str | Profile | None = None, publish_all: bool = False,
                  sidecars: str = "podman", images: Any = (), configmaps: Any = (),
                  annotations: Mapping[str, str] | None = None, host_paths: HostPaths = None,
                  node_hostname: str | None = None, host_memory: int | None = None, host_cpus: int | None = None,
                  base_dir: str | None = None, limits: Limits = LIMITS) -> str:
    """play() as a POSIX sh script of podman commands.  Parameters and errors as play_result()."""
    result = play_result(*inputs, podman_version=podman_version, publish_all=publish_all, sidecars=sidecars,
                         images=images, configmaps=configmaps, annotations=annotations, host_paths=host_paths,
                         node_hostname=node_hostname, host_memory=host_memory, host_cpus=host_cpus,
                         base_dir=base_dir, limits=limits)
    return play_script(result)


# --- check -----------------------------------------------------------------------------------

def _manifest_files(names: Sequence[str]) -> list[str]:
    """The files to check among names (a directory: its manifests); UsageError when there are none."""
    from kubebridge.load.files import manifest_files

    files = manifest_files(names)
    if names and not files:
        raise UsageError("no manifests found in " + ", ".join(names))
    return files


def check(*inputs: Any, kubernetes_version: str | None = None, strict: bool = True,
          podman_version: str | Profile | None = None, target: str = "both", select: Iterable[str] | str = (),
          ignore: Iterable[str] | str = (), crds: Any = (), schema_locations: Iterable[str] | str = (),
          limits: Limits = LIMITS, fail_on: str = "error") -> CheckResult:
    """Pre-deploy checks of Kubernetes manifests: a CheckResult with every finding.

    inputs: YAML or JSON text, bytes, paths (files or directories; a str is a
    path when it is one line without "{", "[" or ": "), dicts, lists
    of dicts, or kubernetes.client objects.  Findings in text and files carry
    lines; dicts and objects have none.  kubernetes_version (a str: "1.30";
    default the newest bundled), strict (unknown fields are errors),
    podman_version, target ("kubernetes", "podman" or "both"), select and ignore
    (rule ids: a comma-separated str or a list), limits.  crds:
    CustomResourceDefinitions (paths of files or directories, text, dicts, as
    inputs) that custom resources are checked against, besides those among the
    inputs (wherever they are); schema_locations: directories or path templates
    of JSON Schemas laid out as kubeconform's catalogs (checks/locations.py);
    fail_on "warning" makes a warning set exit_code 1.  Paths agree with the command line's check (check_files): a file that
    cannot be read (a missing one) is a `yaml` finding (exit_code 2), not an
    exception, and paths with no manifest among them (an empty directory) a
    UsageError.

    Raises:
        UsageError: an argument of the wrong type or value (an unknown rule, target or Podman version);
            paths given and no manifest among them (an empty directory), as on the command line.
        InputError: crds that cannot be read.
    """
    import os
    from dataclasses import replace

    from kubebridge.checks.custom import CrdSource, crds_in, is_crd
    from kubebridge.checks.engine import Checker
    from kubebridge.checks.noise import collapse_result
    from kubebridge.checks.stream import unreadable
    from kubebridge.errors import InputError
    from kubebridge.load.files import read_file
    from kubebridge.load.inputs import NO_SUCH_FILE, check_input, check_unit
    from kubebridge.load.manifests import Document
    from kubebridge.load.kubernetes_client import to_dicts

    options = arg.check_options(kubernetes_version, strict, podman_version, target, select, ignore, limits, crds,
                                schema_locations, fail_on)
    units = [check_unit(check_input(item, index, directories=True, missing=True), index)
             for index, item in enumerate(arg.check_inputs(inputs))]
    paths = [name for kind, name, _ in units if kind in ("files", "missing")]
    _manifest_files(paths)  # paths with no manifest among them: a UsageError, as check_files gives
    found = []  # the first pass: CRDs wherever they are among the inputs (a file that cannot be read: below)
    for kind, name, payload in units:
        if kind == "files":
            found += [crd for file in payload if os.path.isfile(file)
                      for crd in crds_in(read_file(file), file, options.limits)]
        elif kind == "text":
            found += crds_in(payload, name, options.limits)
        elif kind == "objects":
            found += [CrdSource(data, name) for data in to_dicts(payload) if is_crd(data)]
    checker = Checker(replace(options, crds=options.crds + tuple(found)) if found else options)
    result = checker.result()
    objects: list = []
    for kind, name, payload in units:
        if kind in ("files", "missing"):
            for file in payload:
                try:  # as the command line's CheckRun: a file that cannot be read is a `yaml` finding
                    result.merge(checker.check_file(read_file(file, NO_SUCH_FILE if kind == "missing" else ""), file))
                except InputError as exc:
                    result.merge(unreadable(checker, file, exc))
        elif kind == "text":
            result.merge(checker.check_file(payload, name))
        else:
            for data in to_dicts(payload):
                objects.append(Document(data, name, len(objects), 1))
    if objects:
        result.merge(checker.check_documents(objects))
    return collapse_result(result, checker)


def check_files(names: Sequence[str], *, open: Callable[[str], ContextManager[BinaryIO]] | None = None,
                kubernetes_version: str | None = None, strict: bool = True, podman_version: str | Profile | None = None,
                target: str = "both", select: Iterable[str] | str = (), ignore: Iterable[str] | str = (),
                crds: Any = (), schema_locations: Iterable[str] | str = (), limits: Limits = LIMITS, jobs: int = 1,
                progress: Callable[[int, int, int], None] | None = None, label: Callable[[str], str] = str,
                fail_on: str = "error") -> CheckRun:
    """check over files, streamed (the command line's check): a CheckRun to iterate for batches of findings
    (lists of Finding) as they come, then to ask for its summary() (a dict: CheckResult.summary()).

    names: files and directories (searched for *.yaml, *.yml, *.json);
    open(name) gives a file's bytes as a context manager (default: the file,
    with an InputError for a missing one, which the run reports as a `yaml`
    finding); jobs > 1 checks files in that many processes; progress(documents,
    files done, files) is called as it goes; label(name) is a file's name in
    findings.  Options as check(); the CRDs among the files are found by a
    first pass over them (checks/stream.py).

    Raises:
        UsageError: an argument of the wrong type or value; nothing found to check.
        InputError: crds that cannot be read.
    """
    from kubebridge.checks.stream import CheckRun
    from kubebridge.load.files import open_file

    names = arg.names("names", names)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    options = arg.check_options(kubernetes_version, strict, podman_version, target, select, ignore, limits, crds,
                                schema_locations, fail_on)
    return CheckRun(_manifest_files(names), options, open or open_file, jobs=jobs, progress=progress, label=label)


def report_writer(output: str, out: TextIO, fail_on: str = "error") -> Writer:
    """A writer of check findings in one format ("text", "json", "junit", "sarif") to a text stream:
    begin(), add(findings) as they come, end(summary); fail_on "warning": JUnit fails a test on a warning too.

    Raises UsageError for another format, or an out that has no write().
    """
    from kubebridge.render.reports import WRITERS

    output = arg.word("output", output, WRITERS) or ""
    if not callable(getattr(out, "write", None)):
        arg.fail("out", out, "a text stream (sys.stdout, an open file, io.StringIO())")
    return WRITERS[output](out, arg.word("fail_on", fail_on, ("error", "warning")) or "error")


def rules_text(format: str = "text") -> str:
    """Every rule check knows: "text", one per line (id, severity, target, summary); "json", a list of
    {"id", "severity", "target", "summary", "fix"}.  Raises UsageError for another format."""
    from kubebridge.render.reports import rules_listing
    return rules_listing(arg.word("format", format, ("text", "json")) or "text")


# --- roundtrip -------------------------------------------------------------------------------

def roundtrip(*inputs: Any, podman_version: str | Profile | None = None, images: Any = (), configmaps: Any = (),
              type: str = "pod", host_paths: HostPaths = None, node_hostname: str | None = None,
              host_memory: int | None = None, host_cpus: int | None = None, timestamp: str | None = None,
              sidecars: str = "podman", portable: bool = False, base_dir: str | None = None,
              limits: Limits = LIMITS) -> RoundTrip:
    """What a round trip through Podman changes: a RoundTrip, every change with its path, explained by the
    Podman rewrite behind it (kubebridge.REWRITES).

    Kubernetes YAML (text, paths, Sources, dicts, kubernetes.client objects)
    goes through play, then generate; Podman inspect output through generate,
    then play.  Either way, type is what generate writes, portable=True writes
    kubebridge's generate --portable instead of Podman's generate, configmaps,
    base_dir and the host facts are play's, and limits bound the inputs read.
    Parameters as play_result() and generate_result().

    Raises:
        UsageError: an argument of the wrong type or value.
        InputError, PodmanRefusal: as play_result() and generate_result().
    """
    from kubebridge.fidelity import manifest_round_trip, snapshot_round_trip
    from kubebridge.load.inputs import documents, looks_like_inspect
    from kubebridge.load.inputs import images as image_models

    podman_version, limits = arg.podman_choice(podman_version), arg.limits_of(limits)
    kind, portable = arg.word("type", type) or "", arg.flag("portable", portable)
    when = arg.timestamp("timestamp", timestamp) or now()
    given = arg.play_arguments(sidecars=sidecars, images=images, configmaps=configmaps, host_paths=host_paths,
                            node_hostname=node_hostname, host_memory=host_memory, host_cpus=host_cpus,
                            base_dir=base_dir)
    given["images"] = image_models(given["images"])
    if inputs and all(looks_like_inspect(item) for item in inputs):
        snap = snapshot(*inputs, host_paths=given["host_paths"], limits=limits)
        profile, notices = arg.profile(podman_version, (snap.printed_by, snap.printed_by_sign))
        snap.images = list(snap.images) + given["images"]
        options = arg.play_options([], limits=limits, **{**given, "images": snap.images, "host_paths": None})
        trip = snapshot_round_trip(snap, options, profile, when, kind, portable=portable)
    else:
        profile, notices = arg.profile(podman_version)
        docs = documents(inputs, "podman", limits=limits)
        trip = manifest_round_trip(docs, arg.play_options(docs, limits=limits, **given), profile, kind,
                                   tuple(given["images"]), timestamp=when, portable=portable)
    trip.warnings[:0] = notices
    return trip


def roundtrip_report(result: RoundTrip, output: str = "text", names: str = "") -> str:
    """A RoundTrip as the roundtrip command prints it: "text" (one line per change, then why), "json", or "html"
    (one self-contained page: the two sides, each change coloured by kind and linked to its rewrite); names:
    the inputs' names, for the title.

    Raises UsageError for a result that is no RoundTrip, another format, or names that is not a str.
    """
    from kubebridge.fidelity import RoundTrip

    result = arg.result_of("result", result, RoundTrip, "roundtrip()")
    output, names = arg.word("output", output, ("text", "json", "html")) or "", arg.word("names", names) or ""
    if output == "html":
        from kubebridge.render.roundtrip_html import roundtrip_html
        return roundtrip_html(result, names)
    from kubebridge.render.roundtrip_report import roundtrip_json, roundtrip_text

    return roundtrip_json(result) if output == "json" else roundtrip_text(result, names)
