"""play's entry point: which documents Podman plays, in which order, and as what (play.go)."""
from __future__ import annotations

from typing import Any

from kubebridge.errors import PodmanRefusal, UsageError
from kubebridge.load.kube_types import decode
from kubebridge.load.manifests import Document
from kubebridge.model.kube_names import DNS1123_SUBDOMAIN, DNS1123_SUBDOMAIN_FMT, QUALIFIED_NAME, QUALIFIED_NAME_FMT
from kubebridge.model.names import WORKLOADS, workload_pod_name
from kubebridge.model.podman import Volume
from kubebridge.model.profiles import Profile

from .context import PlayOptions, PlayResult, _add_volume, _annotations, _Context, _name
from .pods import _play_pod

# --- documents -------------------------------------------------------------------------------

def play(documents: list[Document], options: PlayOptions, profile: Profile) -> PlayResult:
    if options.sidecars not in ("podman", "containers"):
        raise UsageError(f"--sidecars {options.sidecars!r}: choose podman or containers")
    ctx = _Context(options, profile, PlayResult(podman_version=profile.version, profile=profile))
    for doc in _flag_configmap_documents(options.configmaps, profile):
        if doc.kind != "ConfigMap":
            raise PodmanRefusal(f'"{doc.file}": invalid YAML kind: "{doc.kind}". [ConfigMap] is the only supported by '
                                "--configmap")
        ctx.configmaps.append(decode(doc, go_field_paths=ctx.profile.go_json_field_paths))
    from_flag = {_name(cm) for cm in ctx.configmaps}
    played = 0
    for doc in sort_kinds(_expand_lists(documents, profile)):
        try:
            played += _play_document(doc, from_flag, ctx)
        except PodmanRefusal as exc:
            raise exc.located(doc.file, doc.line) from None
    if played == 0:
        files = ", ".join(dict.fromkeys(doc.file for doc in documents)) or None
        if any(doc.kind == "ConfigMap" for doc in documents):
            raise PodmanRefusal("ConfigMaps in podman are not a standalone object and must be used in a container",
                                file=files)
        inspect = bool(documents) and all(_inspect_like(d.data) for d in documents)
        hint = " (this looks like `podman ... inspect` output: `kubebridge generate` reads that)" if inspect else ""
        raise PodmanRefusal("YAML document does not contain any supported kube kind" + hint, file=files)
    return ctx.result


def _flag_configmap_documents(documents: tuple[Document, ...], profile: Profile) -> list[Document]:
    """The documents Podman reads from the --configmap files (readConfigMapFromFile).

    4.3 unmarshals each file as one object: only its first document counts, and an
    empty file (a Document whose data is None) is an object of kind "".  5.x splits
    each file (splitMultiDocYAML): empty documents are skipped and a List's items
    are read one by one (configmap-flag-two-docs, configmap-flag-list, configmap-flag-empty).
    """
    if profile.play_configmap_file_first_only:
        firsts: dict[str, Document] = {}
        for doc in documents:
            firsts.setdefault(doc.file, doc)
        return list(firsts.values())
    return _expand_lists([doc for doc in documents if doc.data is not None], profile)


def _play_document(doc: Document, from_flag: set[str], ctx: _Context) -> int:
    """Play one document; 1 if it counts as a kind Podman plays (ConfigMaps only feed others)."""
    kind = doc.kind
    if kind in WORKLOADS and kind in ctx.profile.play_kinds:
        _play_workload(doc, ctx)
    elif kind == "PersistentVolumeClaim":
        _play_pvc(doc, ctx)
    elif kind == "Secret":
        _play_secret(doc, ctx)
    elif kind == "ConfigMap":
        cm = decode(doc, go_field_paths=ctx.profile.go_json_field_paths)
        if _name(cm) in from_flag:
            raise PodmanRefusal(f"ambiguous configuration: the same config map {_name(cm)} is present in YAML and "
                                "in --configmaps")
        ctx.configmaps.append(cm)
        return 0
    else:
        ctx.warn(f"{doc.file}: document {doc.index + 1}: kind {kind or '(none)'} is not played by Podman "
                 f"{ctx.profile.version}; it is skipped")
        return 0
    return 1


def sort_kinds(documents: list[Document]) -> list[Document]:
    """sortKubeKinds: workloads keep their order; every other kind goes first, in reverse order."""
    result: list[Document] = []
    for doc in documents:
        if doc.kind in WORKLOADS:
            result.append(doc)
        else:
            result.insert(0, doc)
    return result


def _expand_lists(documents: list[Document], profile: Profile) -> list[Document]:
    result: list[Document] = []
    for doc in documents:
        items = doc.data.get("items") if isinstance(doc.data, dict) else None
        if doc.kind == "List" and "List" in profile.play_kinds and isinstance(items, list):
            result.extend(Document(item, doc.file, doc.index, doc.line, doc.text, doc.line_offset)
                          for item in items)
        else:
            result.append(doc)
    return result


def _play_workload(doc: Document, ctx: _Context) -> None:
    kind = doc.kind
    if kind == "Pod":
        pod = decode(doc, "Pod", go_field_paths=ctx.profile.go_json_field_paths)
        annotations = _annotations(pod.get("metadata"))
        annotations.update(dict(ctx.options.annotations))
        validate_annotations(annotations, ctx.profile)
        template = {"metadata": pod.get("metadata") or {}, "spec": pod.get("spec") or {}}
        _play_pod(doc, _name(pod), template, annotations, ("spec",), ctx)
        return
    workload = decode(doc, "Workload", go_field_paths=ctx.profile.go_json_field_paths)
    name = _name(workload)
    if not name:
        raise PodmanRefusal({"Deployment": "deployment", "DaemonSet": "daemonSet", "Job": "job"}[kind]
                            + " does not have a name")
    spec = workload.get("spec") or {}
    replicas = spec.get("replicas") or 1 if kind == "Deployment" else 1
    if replicas > 1 and not ctx.profile.play_replicas_pods:
        ctx.warn("Limiting replica count to 1, more than one replica is not supported by Podman")
        replicas = 1
    template = spec.get("template") or {}
    for replica in range(replicas):
        pod_name = workload_pod_name(name, kind, ctx.profile, replica)
        try:
            _play_pod(doc, pod_name, template, _annotations(workload.get("metadata")), ("spec", "template", "spec"),
                      ctx)
        except PodmanRefusal as exc:
            raise type(exc)(f"encountered while bringing up pod {pod_name}: {exc.detail}") from None


def _play_pvc(doc: Document, ctx: _Context) -> None:
    pvc = decode(doc, go_field_paths=ctx.profile.go_json_field_paths)
    name = _name(pvc)
    if not name:
        raise PodmanRefusal("persistent volume claim name can not be empty")
    annotations = _annotations(pvc.get("metadata"))
    annotations.update(dict(ctx.options.annotations))
    volume = Volume(name=name, labels=dict((pvc.get("metadata") or {}).get("labels") or {}))
    keys = {"volume.podman.io/device": "device", "volume.podman.io/type": "type",
            "volume.podman.io/mount-options": "o"}
    for key, value in annotations.items():
        if key == "volume.podman.io/driver":
            volume.driver = value
        elif key in keys:
            volume.options[keys[key]] = value
        elif key in ("volume.podman.io/uid", "volume.podman.io/gid"):
            if not value.isdigit():
                raise PodmanRefusal(f"cannot convert {key.rsplit('/', 1)[1]} {value} to integer")
            volume.options[key.rsplit("/", 1)[1].upper()] = value
    _add_volume(volume, ctx)


def _play_secret(doc: Document, ctx: _Context) -> None:
    secret = decode(doc, go_field_paths=ctx.profile.go_json_field_paths)
    name = _name(secret)
    data = {k: v for k, v in (secret.get("data") or {}).items()}
    data.update({k: v.encode() for k, v in (secret.get("stringData") or {}).items()})
    ctx.secrets[name] = data
    if name not in ctx.result.secrets:
        ctx.result.secrets.append(name)


_QUALIFIED_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                  "alphanumeric character")


def _regex_error(message: str, fmt: str, *examples: str) -> str:
    """Podman's (and apimachinery's) regexErrorMsg."""
    if not examples:
        return f"{message} (regex used for validation is '{fmt}')"
    return message + " (e.g. " + " or ".join(f"'{e}', " for e in examples) + f"regex used for validation is '{fmt}')"


def validate_annotations(annotations: dict[str, str], profile: Profile) -> None:
    """annotations.ValidateAnnotations (5.x), or 4.3's 63-character limit on values."""
    limit = profile.play_annotation_value_limit
    if limit is not None:
        for key, value in annotations.items():
            if len(value) > limit:
                raise PodmanRefusal(f'invalid annotation "{key}"="{value}" value length exceeds Kubernetetes max '
                                    f"{limit}")
        return
    total = 0
    examples = ("MyName", "my.name", "123-abc")
    for key, value in annotations.items():
        lowered = key.lower()
        parts = lowered.split("/")
        if len(parts) > 2:
            raise PodmanRefusal(f"a qualified name of {lowered} "
                                + _regex_error(_QUALIFIED_MSG, QUALIFIED_NAME_FMT, *examples)
                                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
        if len(parts) == 2:
            prefix = parts[0]
            if not prefix:
                raise PodmanRefusal(f"prefix part of {lowered} must be non-empty")
            if len(prefix) > 253:
                raise PodmanRefusal("prefix part must be no more than 253 characters")
            if not DNS1123_SUBDOMAIN.match(prefix):
                raise PodmanRefusal(_regex_error(
                    "annotations must be formatted as a valid lowercase RFC1123 subdomain of lower case alphanumeric "
                    "characters, '-' or '.', and must start and end with an alphanumeric character",
                    DNS1123_SUBDOMAIN_FMT, "example.com"))
        name = parts[-1]
        if not name:
            raise PodmanRefusal(f"name part of {lowered} must be non-empty")
        if len(name) > 63:
            raise PodmanRefusal(f"name part of {lowered} must be no more than 63 characters")
        if not QUALIFIED_NAME.match(name):
            raise PodmanRefusal(f"name part of {lowered} " + _regex_error(_QUALIFIED_MSG, QUALIFIED_NAME_FMT,
                                                                           *examples))
        total += len(key) + len(value)
    if total > 262144:
        raise PodmanRefusal(f"annotations size {total} is larger than limit 262144")


def _inspect_like(data: Any) -> bool:
    """`podman ... inspect` output (a list of objects with Podman's keys), given where YAML was expected."""
    objects = data if isinstance(data, list) else [data]
    return bool(objects) and all(isinstance(o, dict) and "kind" not in o and ("Id" in o or "Name" in o)
                                 for o in objects)
