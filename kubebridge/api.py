"""The Python API: every job kubebridge does, and the one pipeline under the command line.

Each job loads its inputs into the model (load/), translates (translate/,
fidelity/, checks/) and renders (render/).  The command line parses its
arguments, reads its files, gathers the host's facts and calls these
functions; a Python caller gets the same results from the same code.

Inputs are Podman inspect JSON or Kubernetes YAML as text or bytes, paths (path
objects, or a one-line string naming an existing file), parsed data (dicts and
lists), kubernetes.client objects, or Sources (a name for messages and the text
or data).  Results are plain dicts, Podman's text, or kubernetes.client objects
(that package is imported only when asked for: it is slow).

Host facts are parameters, never read behind the caller's back: `host_paths`
(what a bind or hostPath source is on the Podman host: a mapping, or a
function called for each source met), `node_hostname`, `host_memory` (bytes),
`host_cpus`, and `timestamp` (creationTimestamp, RFC 3339; default: now).

Errors: every function raises only kubebridge.KubebridgeError subclasses:
UsageError (options that cannot work, an input that is no input), InputError
(input that cannot be read), PodmanRefusal (what Podman itself would refuse,
in Podman's words) and its MissingReference.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, ContextManager, Iterable, Mapping, Sequence, Union

from kubebridge.errors import UsageError
from kubebridge.limits import LIMITS, Limits
from kubebridge.load.source import Source

if TYPE_CHECKING:  # the modules below are imported when a job needs them: start-up stays lean
    from kubebridge.checks.engine import CheckResult
    from kubebridge.checks.stream import CheckRun
    from kubebridge.fidelity import RoundTrip
    from kubebridge.model.podman import Container, Snapshot
    from kubebridge.model.profiles import Profile
    from kubebridge.translate.generate import GenerateResult
    from kubebridge.translate.play import PlayResult

__all__ = ["HostPaths", "Source", "check", "check_files", "generate", "generate_result", "generate_text",
           "generate_yaml", "now", "play", "play_commands", "play_json", "play_result", "play_script", "roundtrip",
           "roundtrip_report", "snapshot", "take_snapshot", "to_dicts", "to_kubernetes", "to_yaml"]

# What a bind-mount or hostPath source is on the Podman host ("Directory", "File", "Socket", "CharDevice",
# "BlockDevice", or "" for missing): a mapping of the sources known, or a function asked for each source met.
HostPaths = Union[Mapping[str, str], Callable[[str], str], None]


def now() -> str:
    """The time now, as generate writes creationTimestamp (RFC 3339, UTC, seconds): the facade's clock."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _profile(podman_version: str | Profile | None, printed_by: tuple[str, str] | None = None
             ) -> tuple[Profile, list[str]]:
    """The profile to model, and the notices to give about the choice.

    A version given is used (another version of a modelled major: the nearest
    profile, with a notice).  None: for inspect output (printed_by: the version
    the input shows and the sign), that version, with a notice saying why, or
    the newest when nothing tells, with a notice; for manifests, the newest.
    Raises UsageError for a major kubebridge has no profile for.
    """
    from kubebridge.model import versions
    from kubebridge.model.profiles import Profile, get_profile

    if isinstance(podman_version, Profile):
        return podman_version, []
    if podman_version is None:
        newest = get_profile(None)
        if printed_by is None:
            return newest, []
        version, sign = printed_by
        if version:
            try:
                profile = get_profile(version)
            except UsageError as exc:  # a snapshot recorded a Podman kubebridge has no profile for
                raise UsageError(f"{sign}: {exc} (--podman-version or podman_version= chooses one)") from None
            if not sign:  # recorded by a snapshot, and modelled exactly: nothing to tell
                return profile, []
            return profile, [f"modelling Podman {profile.version}: {sign} (--podman-version or podman_version= chooses another)"]
        return newest, [f"nothing in the input tells which Podman printed it: modelling Podman {newest.version}, "
                        "the newest (--podman-version or podman_version= chooses another)"]
    try:
        full, notice = versions.resolve(str(podman_version))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return get_profile(full), [notice] if notice else []


def _facts(host_paths: HostPaths, sources: Iterable[str]) -> dict[str, str]:
    """host_paths as a plain dict over `sources` (a function is asked for each; a mapping is taken as it is)."""
    if host_paths is None:
        return {}
    if callable(host_paths):
        return {s: host_paths(s) for s in dict.fromkeys(sources)}
    return dict(host_paths)


# --- generate --------------------------------------------------------------------------------

def snapshot(*inputs: Any, host_paths: HostPaths = None) -> Snapshot:
    """`podman pod|container|image|volume inspect` output -> the intermediate model (a Snapshot).

    host_paths: what each bind-mount source is on the generating host
    (Directory, File or another type; "" for missing), which generate writes
    as the hostPath type (libpod/kube.go, os.Stat).  Raises InputError for
    unreadable input.
    """
    from kubebridge.load.inputs import as_sources
    from kubebridge.load.inspect import load_snapshot

    snap = load_snapshot(as_sources(inputs))
    snap.host_paths = _facts(host_paths, _bind_sources(snap))
    return snap


def _bind_sources(snap: Snapshot) -> list[str]:
    containers: list[Container] = list(snap.containers) + [c for p in snap.pods for c in p.containers]
    return [m.source for c in containers for m in c.mounts if m.type in ("bind", "tmpfs")]


def generate_result(*inputs: Any, podman_version: str | Profile | None = None, names: Sequence[str] | str = (),
                    service: bool = False, type: str = "pod", replicas: int = 1, podman_only: bool = False,
                    host_paths: HostPaths = None, timestamp: str | None = None,
                    portable: bool = False) -> GenerateResult:
    """generate(), with Podman's NOTE chunks and kubebridge's warnings (a GenerateResult).

    inputs: inspect output, or one Snapshot.  names: the pods, containers or
    volumes to generate (Podman's arguments; one name or several); default:
    every pod, then the containers outside pods, then the volumes (for snapshot
    bundles alone: the names they were taken of).
    service, type ("pod", "deployment", "daemonset", "job"), replicas,
    podman_only: Podman's flags (abi/generate.go).  portable=True:
    kubebridge's portable variant (translate/portable.py): valid Kubernetes
    that a round trip through Podman gives back unchanged.
    Raises UsageError (a flag this Podman lacks), InputError, PodmanRefusal.
    """
    from dataclasses import replace

    from kubebridge.errors import InputError
    from kubebridge.load.inputs import as_sources, many
    from kubebridge.load.inspect import load_snapshot
    from kubebridge.model.podman import Snapshot
    from kubebridge.translate.generate import GenerateOptions, GenerateResult
    from kubebridge.translate.generate import generate as _generate

    if len(inputs) == 1 and isinstance(inputs[0], Snapshot):
        snap = replace(inputs[0], host_paths={**inputs[0].host_paths, **_facts(host_paths, _bind_sources(inputs[0]))})
        names_read = None
    else:
        sources = as_sources(inputs)
        snap = load_snapshot(sources)
        snap.host_paths = _facts(host_paths, _bind_sources(snap))
        names_read = ", ".join(s.name for s in sources) or None
    wanted = many(names) or list(snap.names)  # a snapshot bundle's own names, as `podman kube generate NAME...`
    if not all(isinstance(n, str) for n in wanted):
        raise UsageError("names: give pod, container or volume names or IDs as strings")
    options = GenerateOptions(names=tuple(wanted), service=service, type=type, replicas=replicas,
                              podman_only=podman_only, timestamp=timestamp or now())
    profile, notices = _profile(podman_version, (snap.printed_by, snap.printed_by_sign))
    try:
        result = _generate(snap, options, profile)
    except InputError as exc:  # about the inputs as a whole (nothing to generate): name them
        raise exc.located(names_read) from None
    if portable:
        from kubebridge.translate.portable import make_portable
        chunks, warnings = make_portable(result.chunks, snap, profile, result.init_volumes)
        result = GenerateResult(chunks, result.warnings + warnings, result.init_volumes, profile.version)
    result.warnings[:0] = notices
    return result


def generate(*inputs: Any, kubernetes: bool = False, podman_version: str | Profile | None = None,
             names: Sequence[str] | str = (), service: bool = False, type: str = "pod", replicas: int = 1,
             podman_only: bool = False, host_paths: HostPaths = None, timestamp: str | None = None,
             portable: bool = False) -> list:
    """The Kubernetes documents `podman kube generate` would print, as dicts (PersistentVolumeClaims, Services,
    then Pods, Deployments, DaemonSets or Jobs, in Podman's order).

    Parameters as generate_result(); kubernetes=True gives kubernetes.client
    model objects (V1Pod, V1Service, ...) instead of dicts.
    """
    from kubebridge.load.kubernetes_client import to_kubernetes

    docs = generate_result(*inputs, podman_version=podman_version, names=names, service=service, type=type,
                           replicas=replicas, podman_only=podman_only, host_paths=host_paths, timestamp=timestamp,
                           portable=portable).documents
    return to_kubernetes(docs) if kubernetes else docs


def generate_text(result: GenerateResult, *, stdout: bool = True, portable: bool = False) -> str:
    """A GenerateResult as Podman prints it (generateKubeOutput): the header, then the chunks between `---`.

    stdout=True ends with the newline fmt.Println adds on Podman's standard
    output; Podman's -f file lacks it.  portable: the portable header.
    """
    from kubebridge.render import kube_yaml as render

    return render.kube_yaml(result.chunks, result.podman_version, println=stdout, portable=portable)


def generate_yaml(*inputs: Any, podman_version: str | Profile | None = None, names: Sequence[str] | str = (),
                  service: bool = False, type: str = "pod", replicas: int = 1, podman_only: bool = False,
                  host_paths: HostPaths = None, timestamp: str | None = None, portable: bool = False) -> str:
    """What `podman kube generate` prints, byte for byte but for the header's last line and the timestamps.

    Parameters as generate_result().
    """
    result = generate_result(*inputs, podman_version=podman_version, names=names, service=service, type=type,
                             replicas=replicas, podman_only=podman_only, host_paths=host_paths,
                             timestamp=timestamp, portable=portable)
    return generate_text(result, portable=portable)


def to_dicts(documents: Iterable[Any]) -> list[dict]:
    """kubernetes.client objects -> camelCase dicts, as the API server writes them; dicts pass through."""
    from kubebridge.load import kubernetes_client

    return kubernetes_client.to_dicts(documents)


def to_kubernetes(documents: Iterable[dict]) -> list:
    """dicts -> kubernetes.client model objects (V1Pod, V1Deployment, ...); InputError without that package."""
    from kubebridge.load import kubernetes_client

    return kubernetes_client.to_kubernetes(documents)


def to_yaml(documents: Iterable[Any]) -> str:
    """Documents (dicts or kubernetes.client objects) in Podman's YAML style, `---` between them."""
    from kubebridge.render import kube_yaml as render

    return render.documents_yaml(to_dicts(documents))


# --- snapshot: asking a running Podman ------------------------------------------------------------

def take_snapshot(*names: str, podman: str | Sequence[str] | None = None, url: str | None = None) -> dict:
    """A running Podman's pods, containers, images and volumes named (by name or ID), and everything they
    reference, as one snapshot bundle (a dict: load/bundle.py, schemas/snapshot.json) that records the Podman's
    version; generate(), generate_yaml() and roundtrip() take it like inspect output.

    The Podman is asked read-only (`podman version`, `podman ... inspect`;
    kubebridge.query): through its command line, `podman` or the command given
    (a command line as a string or a list: "podman --connection remote"), or
    with url=, a Podman API service (unix:///run/podman/podman.sock, tcp://...,
    ssh://...) through podman-py.  Raises UsageError (no names, podman and url
    both, podman-py missing for url) and PodmanError (a podman that cannot be
    run or reached, or its own error: no such object).
    """
    import shlex

    from kubebridge.query.walk import take

    if podman is not None and url is not None:
        raise UsageError("give podman= (a podman command) or url= (a Podman API service), not both")
    if url is not None:
        from kubebridge.query.service import Service
        return take(names, Service(url))
    from kubebridge.query.command_line import CommandLine

    command = shlex.split(podman) if isinstance(podman, str) else list(podman or ("podman",))
    return take(names, CommandLine(command))


# --- play ------------------------------------------------------------------------------------

def _hostpath_sources(docs: Iterable[Any], base_dir: str) -> list[str]:
    """Every hostPath source, absolute: a relative one is taken against kube play's working directory."""
    import posixpath

    from kubebridge.model.manifest import walk

    return [posixpath.normpath(posixpath.join(base_dir, v["path"])) for v in walk(docs, "hostPath")
            if isinstance(v, dict) and isinstance(v.get("path"), str) and v["path"]]


def play_result(*inputs: Any, podman_version: str | Profile | None = None, publish_all: bool = False,
                sidecars: str = "podman", images: Any = (), configmaps: Any = (),
                annotations: Mapping[str, str] | None = None, host_paths: HostPaths = None,
                node_hostname: str | None = None, host_memory: int | None = None, host_cpus: int | None = None,
                base_dir: str | None = None, limits: Limits = LIMITS) -> PlayResult:
    """What `podman kube play --start=false` would create, as the model (a PlayResult: pods with their
    containers, volumes, warnings).

    inputs: Kubernetes YAML (text, bytes, paths, Sources), dicts or
    kubernetes.client objects.  publish_all, annotations: Podman's flags.
    sidecars: "podman" plays native sidecars as Podman does (blocking init
    containers, with a warning); "containers" as regular containers.  images:
    `podman image inspect` output of the images used (their ENTRYPOINT, CMD,
    ENV, WORKDIR, USER apply).  configmaps: --configmap files.  Host facts:
    host_paths (None: every source is taken to exist as declared),
    node_hostname (default "localhost"), host_memory in bytes and host_cpus
    (a resourceFieldRef on an unset limit needs them), base_dir: the
    directory `kube play` runs in, which a relative hostPath is taken against
    (default "/", with a warning when one is met).
    Raises UsageError, InputError, PodmanRefusal (in Podman's words, placed in the YAML), MissingReference.
    Follows pkg/domain/infra/abi/play.go and pkg/specgen/generate/kube.
    """
    from kubebridge.load.inputs import documents, many
    from kubebridge.load.inputs import images as image_models
    from kubebridge.translate.play import PlayOptions
    from kubebridge.translate.play import play as _play

    docs = documents(inputs, "podman", limits=limits)
    facts = None if host_paths is None else _facts(host_paths, _hostpath_sources((d.data for d in docs),
                                                                                 base_dir or "/"))
    options = PlayOptions(publish_all=publish_all, sidecars=sidecars,
                          annotations=tuple((annotations or {}).items()),
                          configmaps=tuple(documents(many(configmaps), "podman", required=False, limits=limits,
                                               keep_empty=True)),
                          images=tuple(image_models(images)), host_paths=facts,
                          node_hostname=node_hostname or "localhost", host_memory=host_memory, host_cpus=host_cpus,
                          base_dir=base_dir or "/")
    profile, notices = _profile(podman_version)
    result = _play(docs, options, profile)
    result.warnings[:0] = notices
    if base_dir is None and _relative_hostpaths(d.data for d in docs):
        result.warnings.append("a relative hostPath is taken against / (give base_dir: the directory podman kube "
                               "play would run in)")
    return result


def _relative_hostpaths(docs: Iterable[Any]) -> bool:
    from kubebridge.model.manifest import walk

    return any(isinstance(v, dict) and isinstance(v.get("path"), str) and v["path"] and
               not v["path"].startswith("/") for v in walk(docs, "hostPath"))


def play_json(result: PlayResult) -> dict:
    """A PlayResult shaped like Podman's inspect output: {"pods", "containers", "volumes", "warnings"}."""
    from kubebridge.model.profiles import get_profile
    from kubebridge.render import inspect_json

    profile = get_profile(result.podman_version)
    return {"pods": [inspect_json.pod(p, profile) for p in result.pods],
            "containers": [inspect_json.container(c, profile) for c in result.containers],
            "volumes": [inspect_json.volume(v, profile) for v in result.volumes],
            "warnings": list(result.warnings)}


def play_script(result: PlayResult) -> str:
    """A PlayResult as a POSIX sh script of `podman volume create`, `pod create` and `create --pod` commands."""
    from kubebridge.model.profiles import get_profile
    from kubebridge.render import commands

    return commands.script(result.pods, result.volumes, get_profile(result.podman_version), result.warnings,
                           result.created_paths)


def play(*inputs: Any, podman_version: str | Profile | None = None, publish_all: bool = False, sidecars: str = "podman",
         images: Any = (), configmaps: Any = (), annotations: Mapping[str, str] | None = None,
         host_paths: HostPaths = None, node_hostname: str | None = None, host_memory: int | None = None,
         host_cpus: int | None = None, base_dir: str | None = None, limits: Limits = LIMITS) -> dict:
    """What `podman kube play --start=false` would create, shaped like Podman's inspect output:
    {"pods": [...], "containers": [...], "volumes": [...], "warnings": [...]}.  Parameters as play_result()."""
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
    """play() as a POSIX sh script of podman commands.  Parameters as play_result()."""
    result = play_result(*inputs, podman_version=podman_version, publish_all=publish_all, sidecars=sidecars,
                         images=images, configmaps=configmaps, annotations=annotations, host_paths=host_paths,
                         node_hostname=node_hostname, host_memory=host_memory, host_cpus=host_cpus,
                         base_dir=base_dir, limits=limits)
    return play_script(result)


# --- check -----------------------------------------------------------------------------------

def _check_options(kubernetes_version: str | None, strict: bool, podman_version: str | Profile | None, target: str,
                   select: Iterable[str] | str, ignore: Iterable[str] | str, limits: Limits):
    from kubebridge.checks.engine import CheckOptions
    from kubebridge.checks.findings import rule_ids

    def ids(value: Iterable[str] | str | None) -> frozenset[str]:
        return rule_ids(value if isinstance(value, str) or value is None else ",".join(value))

    return CheckOptions(kubernetes_version=kubernetes_version, strict=strict, podman_version=podman_version,
                        target=target, select=ids(select), ignore=ids(ignore), limits=limits)


def check(*inputs: Any, kubernetes_version: str | None = None, strict: bool = True,
          podman_version: str | Profile | None = None, target: str = "both", select: Iterable[str] | str = (),
          ignore: Iterable[str] | str = (), limits: Limits = LIMITS) -> CheckResult:
    """Pre-deploy checks of Kubernetes manifests: a CheckResult with every finding.

    inputs: YAML or JSON text, bytes, paths (files or directories), dicts, lists
    of dicts, or kubernetes.client objects.  Findings in text and files carry
    lines; dicts and objects have none.  kubernetes_version ("1.30"; default the
    newest bundled), strict (unknown fields are errors), podman_version, target
    ("kubernetes", "podman" or "both"), select and ignore (rule ids), limits.
    Input that cannot be read is a `yaml` finding (exit_code 2), not an exception;
    raises UsageError for options that cannot work.
    """
    import os
    from pathlib import Path

    from kubebridge.checks.engine import Checker
    from kubebridge.errors import InputError
    from kubebridge.load.files import manifest_files
    from kubebridge.load.inputs import check_input, is_path
    from kubebridge.load.kubernetes_client import to_dicts
    from kubebridge.load.manifests import Document

    checker = Checker(_check_options(kubernetes_version, strict, podman_version, target, select, ignore, limits))
    result = checker.result()
    objects: list[Document] = []
    for index, item in enumerate(inputs):
        item = check_input(item, index, directories=True)
        name = f"<input {index + 1}>"
        if is_path(item) or (isinstance(item, (str, os.PathLike)) and "\n" not in str(item) and
                             os.path.isdir(item)):
            for file in manifest_files([str(item)]):
                try:
                    raw = Path(file).read_bytes()
                except OSError as exc:
                    raise InputError(f"cannot read: {exc.strerror}", file=file) from None
                result.merge(checker.check_file(raw, file))
        elif isinstance(item, Source):
            result.merge(checker.check_file(item.text if item.text is not None else "", item.name))
        elif isinstance(item, (str, bytes)):
            result.merge(checker.check_file(item, name))
        else:
            for data in to_dicts(item if isinstance(item, list) else [item]):
                objects.append(Document(data, name, len(objects), 1))
    if objects:
        result.merge(checker.check_documents(objects))
    return result


def check_files(names: Sequence[str], *, open: Callable[[str], ContextManager[BinaryIO]],
                kubernetes_version: str | None = None, strict: bool = True, podman_version: str | Profile | None = None,
                target: str = "both", select: Iterable[str] | str = (), ignore: Iterable[str] | str = (),
                limits: Limits = LIMITS, jobs: int = 1, progress: Callable[[int, int, int], None] | None = None,
                label: Callable[[str], str] = str) -> CheckRun:
    """check over files, streamed (the command line's check): a CheckRun to iterate for batches of findings
    as they come, then to ask for its summary().

    names: files and directories (searched for *.yaml, *.yml, *.json);
    open(name) gives a file's bytes; jobs > 1 checks files in that many
    processes; progress(documents, files done, files) is called as it goes.
    Options as check().  Raises UsageError when nothing is found to check.
    """
    from kubebridge.checks.stream import CheckRun
    from kubebridge.load.files import manifest_files

    if jobs < 1:
        raise UsageError("--jobs must be 1 or more")
    files = manifest_files(names)
    if not files:
        raise UsageError("no manifests found in " + ", ".join(names))
    options = _check_options(kubernetes_version, strict, podman_version, target, select, ignore, limits)
    return CheckRun(files, options, open, jobs=jobs, progress=progress, label=label)


def report_writer(output: str, out: Any):
    """A writer of check findings in one format ("text", "json", "junit", "sarif") to a text stream:
    begin(), add(findings) as they come, end(summary)."""
    from kubebridge.render.reports import WRITERS

    return WRITERS[output](out)


def rules_text() -> str:
    """Every rule check knows, one per line: id, severity, target, summary."""
    from kubebridge.checks.findings import RULES

    width = max(map(len, RULES))
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.target:<10}  {r.summary}\n" for r in RULES.values())


# --- roundtrip -------------------------------------------------------------------------------

def roundtrip(*inputs: Any, podman_version: str | Profile | None = None, images: Any = (), configmaps: Any = (),
              type: str = "pod", host_paths: HostPaths = None, node_hostname: str | None = None,
              host_memory: int | None = None, host_cpus: int | None = None, timestamp: str | None = None,
              sidecars: str = "podman", portable: bool = False, base_dir: str | None = None,
              limits: Limits = LIMITS) -> RoundTrip:
    """What a round trip through Podman changes: a RoundTrip, every change with its path, explained by the
    Podman rewrite behind it (kubebridge.REWRITES).

    Kubernetes YAML (text, paths, Sources, dicts, kubernetes.client objects)
    goes through play, then generate (type: what generate writes); Podman
    inspect output through generate, then play.  portable=True: after play,
    kubebridge's generate --portable instead of Podman's generate.  Host facts
    and the other parameters as play_result() and generate_result().
    Raises UsageError, InputError, PodmanRefusal.
    """
    from kubebridge.fidelity import manifest_round_trip, snapshot_round_trip
    from kubebridge.load.inputs import documents, looks_like_inspect, many
    from kubebridge.load.inputs import images as image_models
    from kubebridge.translate.play import PlayOptions

    extra_images = image_models(images)
    if inputs and all(looks_like_inspect(item) for item in inputs):
        snap = snapshot(*inputs, host_paths=host_paths)
        profile, notices = _profile(podman_version, (snap.printed_by, snap.printed_by_sign))
        snap.images = list(snap.images) + extra_images
        options = PlayOptions(images=tuple(snap.images), host_paths=None, host_memory=host_memory,
                              host_cpus=host_cpus, node_hostname=node_hostname or "localhost", sidecars=sidecars)
        trip = snapshot_round_trip(snap, options, profile, timestamp or now())
        trip.warnings[:0] = notices
        return trip
    profile, notices = _profile(podman_version)
    docs = documents(inputs, "podman", limits=limits)
    facts = None if host_paths is None else _facts(host_paths, _hostpath_sources((d.data for d in docs),
                                                                                 base_dir or "/"))
    options = PlayOptions(images=tuple(extra_images), base_dir=base_dir or "/",
                          configmaps=tuple(documents(many(configmaps), "podman", required=False, limits=limits,
                                               keep_empty=True)),
                          host_paths=facts, host_memory=host_memory, host_cpus=host_cpus,
                          node_hostname=node_hostname or "localhost", sidecars=sidecars)
    trip = manifest_round_trip(docs, options, profile, type, tuple(extra_images), timestamp=timestamp or now(),
                               portable=portable)
    trip.warnings[:0] = notices
    return trip


def roundtrip_report(result: RoundTrip, output: str = "text", names: str = "") -> str:
    """A RoundTrip as the roundtrip command prints it: "text" (one line per change, then why), "json", or "html"
    (one self-contained page: the two sides, each change coloured by kind and linked to its rewrite)."""
    if output == "html":
        from kubebridge.render.roundtrip_html import roundtrip_html
        return roundtrip_html(result, names)
    from kubebridge.render.roundtrip_report import roundtrip_json, roundtrip_text

    return roundtrip_json(result) if output == "json" else roundtrip_text(result, names)
