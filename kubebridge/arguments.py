"""The Python API's arguments, checked at the door and turned into the pipeline's options.

A value of the wrong type or out of range is a UsageError that names the
parameter, what it was given and what it takes -- never a TypeError from deep
inside, nor a silent wrong result (a float version that lost its zero, a
relative base_dir, a timestamp Kubernetes cannot read).  One function per kind
of parameter; each returns the value in the form the pipeline takes (a tuple of
names, a dict of annotations, an absolute path).  api.py calls them before any
input is read, and the command line's --timestamp uses timestamp() too.  The
second half turns the checked arguments into play's and check's options and
chooses the Podman profile.
"""
from __future__ import annotations

import os
import posixpath
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, NoReturn, Union

from kubebridge.errors import UsageError, clip
from kubebridge.limits import Limits

if TYPE_CHECKING:
    from kubebridge.checks.engine import CheckOptions
    from kubebridge.model.podman import Container, Snapshot
    from kubebridge.model.profiles import Profile
    from kubebridge.translate.play import PlayOptions

# What a bind-mount or hostPath source is on the Podman host ("" for missing): a mapping of the sources known,
# or a function asked for each source met.
HostPaths = Union[Mapping[str, str], Callable[[str], str], None]
PATH_TYPES = ("Directory", "File", "DirectoryOrCreate", "Socket", "CharDevice", "BlockDevice", "")

# RFC 3339 section 5.6 date-time: full-date "T" full-time, with a fraction and an offset (Z or +hh:mm)
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)")


def _shown(value: Any) -> str:
    return clip(repr(value), 80) + ("" if isinstance(value, (str, int, float)) else f" ({type(value).__name__})")


def fail(name: str, value: Any, expects: str) -> NoReturn:
    """UsageError: `name=value: give expects`."""
    raise UsageError(f"{name}={_shown(value)}: give {expects}")


def flag(name: str, value: Any) -> bool:
    """A bool parameter (True or False; 1, "yes" and the like are refused: they would pass silently)."""
    if not isinstance(value, bool):
        fail(name, value, "True or False")
    return value


def count(name: str, value: Any, minimum: int | None = 0, optional: bool = False) -> int | None:
    """An int parameter of at least `minimum` (None: any; bools are refused); None when optional."""
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        fail(name, value, f"an int{' or None' if optional else ''}")
    if minimum is not None and value < minimum:
        fail(name, value, f"an int of at least {minimum}")
    return value


def positive(name: str, value: Any) -> float:
    """A number of seconds above 0 (an int or a finite float; bools refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        fail(name, value, "a number of seconds above 0")
    return float(value)


def word(name: str, value: Any, choices: Iterable[str] = (), optional: bool = False) -> str | None:
    """A str parameter, one of `choices` when there are some; None when optional."""
    if value is None and optional:
        return None
    choices = tuple(choices)
    if not isinstance(value, str) or (choices and value not in choices):
        fail(name, value, "one of " + ", ".join(map(repr, choices)) if choices else "a str")
    return value


def names(name: str, value: Any, what: str = "") -> tuple[str, ...]:
    """One str, or an iterable of strs (a list, a tuple, a set): the names as a tuple (`what`: what they name, for
    messages)."""
    if isinstance(value, str):
        return (value,)
    items = list(value) if _several(value) else None
    if items is None or not all(isinstance(v, str) for v in items):
        fail(name, value, f"{what + ': ' if what else ''}a str or a list of strs")
    return tuple(items)


def check_inputs(values: tuple) -> list:
    """check()'s inputs: a list or tuple holding paths (str or PathLike) is its items, one input each, as the
    command line takes several files; a list of objects alone is one input.  UsageError when there is none."""
    found: list = []
    for value in values:
        paths = isinstance(value, (list, tuple)) and any(isinstance(v, (str, os.PathLike)) for v in value)
        found.extend(value if paths else [value])
    if not found:
        raise UsageError("check: give manifests to check: text, a path, a dict, or a list of them")
    return found


def _several(value: Any) -> bool:
    """A list, tuple, set or other iterable of values, but not one str, bytes or mapping."""
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes, bytearray, Mapping))


def inputs(name: str, value: Any) -> list:
    """A parameter that takes one input or several (images, configmaps): one text, bytes, path, dict, or a
    list or tuple of them.  Each one is checked as an input later (load.inputs)."""
    from kubebridge.load.kubernetes_client import is_kubernetes_object
    from kubebridge.load.source import Source

    one = (str, bytes, bytearray, os.PathLike, dict, Source)
    if value is None:
        return []
    if isinstance(value, one) or is_kubernetes_object(value) or _is_model(value):
        return [value]
    if isinstance(value, (list, tuple)):
        wrong = [v for v in value if not (isinstance(v, one) or is_kubernetes_object(v) or _is_model(v))]
        if not wrong:
            return list(value)
        value = wrong[0]
    fail(name, value, "YAML or JSON text, bytes, a path, a dict, or a list of them")


def _is_model(value: Any) -> bool:
    from kubebridge.model.podman import Image

    return isinstance(value, Image)


def string_map(name: str, value: Any) -> dict[str, str]:
    """A mapping of str to str (annotations); None is empty."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str)
                                                 for k, v in value.items()):
        fail(name, value, "a mapping of str keys to str values ({'key': 'value'})")
    return dict(value)


def absolute_dir(name: str, value: Any) -> str | None:
    """An absolute POSIX directory (where `kube play` runs), normalised; None when not given.  A relative one is
    refused: the API reads no working directory (the command line makes --base-dir absolute)."""
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str) or not value.startswith("/"):
        fail(name, value, "an absolute directory, such as '/srv/app' (the API takes no working directory: "
                          "os.path.abspath() makes one absolute)")
    return posixpath.normpath(value)


def timestamp(name: str, value: Any) -> str | None:
    """An RFC 3339 date-time (creationTimestamp: 2024-05-01T12:00:00Z); None when not given."""
    if value is None:
        return None
    if isinstance(value, str) and _RFC3339.fullmatch(value):
        try:
            datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
            return value
        except ValueError:  # the shape is right, the date is not (2024-02-30)
            pass
    fail(name, value, "an RFC 3339 time, such as '2024-05-01T12:00:00Z'")


def version(name: str, value: Any, example: str, profile: bool = False) -> Any:
    """A version as a string ("5.4", "1.30"), or (profile=True) a Profile; None when not given.  A float is
    refused: 1.30 would be read as 1.3."""
    from kubebridge.model.profiles import Profile

    if value is None or isinstance(value, str) or (profile and isinstance(value, Profile)):
        return value
    hint = " (a float is refused: 1.30 would read as 1.3)" if isinstance(value, float) else ""
    fail(name, value, f"the version as a string, such as {example!r}"
         + (", or a Profile (kubebridge.PODMAN_5_8)" if profile else "") + hint)


def rule_list(name: str, value: Any) -> str | None:
    """Rule ids: a comma-separated str or an iterable of strs -> one comma-separated str (checks.findings
    reads it and refuses unknown ids)."""
    if value is None or isinstance(value, str):
        return value
    return ",".join(names(name, value))


def limits_of(value: Any) -> Limits:
    if not isinstance(value, Limits):
        fail("limits", value, "a kubebridge.Limits (kubebridge.LIMITS, or dataclasses.replace(LIMITS, ...))")
    return value


def host_path_map(value: Any) -> HostPaths:
    """host_paths: None, a mapping of source -> type, or a function of the source giving its type; a mapping
    is checked here, a function's answers when asked (facts())."""
    if value is None or callable(value):
        return value
    if not isinstance(value, Mapping):
        fail("host_paths", value, "a mapping of source path -> type, or a function of the path giving its type")
    for source, kind in value.items():
        _path_type(source, kind, f"host_paths[{source!r}]")
    return value


def facts(value: HostPaths, sources: Iterable[str]) -> dict[str, str]:
    """host_paths as a plain dict over `sources`: a function is asked for each (its answer checked); a mapping
    is taken as it is."""
    if value is None:
        return {}
    if callable(value):
        return {s: _path_type(s, value(s), f"host_paths({s!r})") for s in dict.fromkeys(sources)}
    return dict(value)


def _path_type(source: Any, kind: Any, name: str) -> str:
    if not isinstance(source, str):
        fail("host_paths", source, "source paths as strs")
    if kind not in PATH_TYPES or not isinstance(kind, str):
        fail(name, kind, "one of " + ", ".join(map(repr, PATH_TYPES)) + " ('' for missing)")
    return kind


def documents(name: str, value: Any, objects: bool = True) -> list:
    """Kubernetes documents: an iterable (a list, a tuple) of dicts (and, when `objects`, kubernetes.client
    objects); one dict or object is one document."""
    from kubebridge.load.kubernetes_client import is_kubernetes_object

    def ok(v: Any) -> bool:
        return isinstance(v, dict) or (objects and is_kubernetes_object(v))

    items = [value] if ok(value) else list(value) if _several(value) else None
    wrong = [value] if items is None else [v for v in items if not ok(v)]
    if wrong:
        fail(name, wrong[0], "a list of Kubernetes documents: dicts" + (" or kubernetes.client objects" if objects
                                                                          else ""))
    return items or []


def result_of(name: str, value: Any, kind: type, made_by: str) -> Any:
    """A result object of `kind` (a GenerateResult, a PlayResult, a RoundTrip), as `made_by` returns it."""
    if not isinstance(value, kind):
        fail(name, value, f"a {kind.__name__}, as {made_by} returns it")
    return value


# --- the API's arguments -> the pipeline's options ------------------------------------------------

def profile(podman_version: str | Profile | None, printed_by: tuple[str, str] | None = None
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


def podman_choice(value: Any) -> Any:
    """podman_version: a version as a string ("5.4"), a Profile, or None."""
    return version("podman_version", value, "5.4", profile=True)


def bind_sources(snap: Snapshot) -> list[str]:
    containers: list[Container] = list(snap.containers) + [c for p in snap.pods for c in p.containers]
    return [m.source for c in containers for m in c.mounts if m.type in ("bind", "tmpfs")]


def hostpath_sources(docs: Iterable[Any], base_dir: str) -> list[str]:
    """Every hostPath source, absolute: a relative one is taken against kube play's working directory."""
    import posixpath

    from kubebridge.model.manifest import walk

    return [posixpath.normpath(posixpath.join(base_dir, v["path"])) for v in walk(docs, "hostPath")
            if isinstance(v, dict) and isinstance(v.get("path"), str) and v["path"]]


def play_options(docs: list[Any], *, publish_all: Any = False, sidecars: Any, images: Any, configmaps: Any,
                  annotations: Any = None, host_paths: Any, node_hostname: Any, host_memory: Any, host_cpus: Any,
                  base_dir: Any, limits: Limits) -> PlayOptions:
    """play's options from the arguments play_arguments() checked; the documents name the hostPath sources
    host_paths is asked about."""
    from kubebridge.load.inputs import documents
    from kubebridge.load.inputs import images as image_models
    from kubebridge.translate.play import PlayOptions

    where = base_dir or "/"
    found = None if host_paths is None else facts(host_paths, hostpath_sources((d.data for d in docs), where))
    return PlayOptions(publish_all=publish_all, sidecars=sidecars, annotations=tuple((annotations or {}).items()),
                       configmaps=tuple(documents(configmaps, "podman", required=False, limits=limits, keep_empty=True)),
                       images=tuple(image_models(images)), host_paths=found,
                       node_hostname=node_hostname or "localhost", host_memory=host_memory, host_cpus=host_cpus,
                       base_dir=where)


def play_arguments(publish_all: Any = False, sidecars: Any = "podman", images: Any = (), configmaps: Any = (),
                    annotations: Any = None, host_paths: Any = None, node_hostname: Any = None,
                    host_memory: Any = None, host_cpus: Any = None, base_dir: Any = None) -> dict[str, Any]:
    """play's arguments, checked before any input is read (arguments.py)."""
    return dict(publish_all=flag("publish_all", publish_all),
                sidecars=word("sidecars", sidecars, ("podman", "containers")),
                images=inputs("images", images), configmaps=inputs("configmaps", configmaps),
                annotations=string_map("annotations", annotations), host_paths=host_path_map(host_paths),
                node_hostname=word("node_hostname", node_hostname, optional=True),
                host_memory=count("host_memory", host_memory, minimum=1, optional=True),
                host_cpus=count("host_cpus", host_cpus, minimum=1, optional=True),
                base_dir=absolute_dir("base_dir", base_dir))


def relative_hostpaths(docs: Iterable[Any]) -> bool:
    from kubebridge.model.manifest import walk

    return any(isinstance(v, dict) and isinstance(v.get("path"), str) and v["path"] and
               not v["path"].startswith("/") for v in walk(docs, "hostPath"))


def played_profile(result: Any) -> Profile:
    """The Profile a PlayResult was played with (kept), or its version's for a result built by hand."""
    from kubebridge.model.profiles import get_profile
    from kubebridge.translate.play import PlayResult

    played = result_of("result", result, PlayResult, "play_result()")
    return played.profile or get_profile(played.podman_version)


def check_options(kubernetes_version: Any, strict: Any, podman_version: Any, target: Any, select: Any,
                  ignore: Any, limits: Any, crds: Any = (), schema_locations: Any = (),
                  fail_on: Any = "error") -> CheckOptions:
    """check's options from the API's arguments, each checked (arguments.py); unknown rule ids and targets are
    refused by the engine; crds are read (checks/custom.py: InputError for one that cannot be read)."""
    from kubebridge.checks.custom import load_crds
    from kubebridge.checks.engine import CheckOptions
    from kubebridge.checks.findings import rule_ids

    limits = limits_of(limits)
    locations = [schema_locations] if isinstance(schema_locations, (str, os.PathLike)) else \
        list(schema_locations) if _several(schema_locations) else None
    if locations is None or not all(isinstance(v, (str, os.PathLike)) for v in locations):
        fail("schema_locations", schema_locations, "a directory or path template, or a list of them")
    return CheckOptions(kubernetes_version=version("kubernetes_version", kubernetes_version, "1.30"),
                        strict=flag("strict", strict), podman_version=podman_choice(podman_version),
                        target=word("target", target) or "", select=rule_ids(rule_list("select", select)),
                        ignore=rule_ids(rule_list("ignore", ignore)), limits=limits,
                        crds=load_crds(inputs("crds", crds), limits),
                        schema_locations=tuple(os.fspath(v) for v in locations),
                        fail_on=word("fail_on", fail_on, ("error", "warning")) or "error")
