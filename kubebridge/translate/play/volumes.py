"""spec.volumes -> what Podman makes of each (pkg/specgen/generate/kube/volume.go)."""
from __future__ import annotations

import posixpath

from kubebridge.errors import MissingReference, PodmanRefusal
from kubebridge.load.manifests import Document
from kubebridge.model.podman import Volume

from .context import _add_volume, _Context, _KubeVolume, _name

# --- volumes ---------------------------------------------------------------------------------

def _initialize_volumes(doc: Document, specs: list[dict], spec_path: tuple, ctx: _Context) -> dict[str, _KubeVolume]:
    """kube.InitializeVolumes: each spec.volumes entry, checked against the host and the ConfigMaps."""
    volumes = {}
    for index, spec in enumerate(specs):
        name = spec.get("name") or ""
        try:
            volumes[name] = _volume_source(spec, name, ctx)
        except PodmanRefusal as exc:
            line, column = doc.locate(spec_path + ("volumes", index))
            raise type(exc)(f'failed to create volume "{name}": {exc.detail}').located(doc.file, line) from None
    for index, spec in enumerate(specs):
        # play.go pulls each image volume's image (buildOrPullImage) before it makes the pod, mounted or not;
        # an empty reference fails there (vol-image-no-reference)
        volume = volumes.get(spec.get("name") or "")
        if volume is not None and volume.type == "image" and not volume.source:
            line, column = doc.locate(spec_path + ("volumes", index, "image"))
            raise PodmanRefusal('parsing reference "": repository name must have at least one component'
                                ).located(doc.file, line)
    return volumes


def _volume_source(spec: dict, name: str, ctx: _Context) -> _KubeVolume:
    if spec.get("hostPath") is not None:
        return _host_path(spec["hostPath"], ctx)
    if spec.get("persistentVolumeClaim") is not None:
        claim = spec["persistentVolumeClaim"].get("claimName") or ""
        return _KubeVolume("named", claim)
    if spec.get("configMap") is not None:
        return _configmap_volume(spec["configMap"], ctx)
    if spec.get("secret") is not None:
        return _secret_volume(spec["secret"], ctx)
    if spec.get("emptyDir") is not None:
        if (spec["emptyDir"].get("medium") or "") == "Memory" and ctx.profile.play_emptydir_memory_tmpfs:
            return _KubeVolume("tmpfs", name)
        return _KubeVolume("emptydir", name)
    if spec.get("image") is not None and ctx.profile.play_image_volumes:
        return _KubeVolume("image", spec["image"].get("reference") or "")
    raise PodmanRefusal(ctx.profile.play_volume_sources_message)


def _host_path(source: dict, ctx: _Context) -> _KubeVolume:
    path = source.get("path") or ""
    kind = source.get("type") or ""
    facts = ctx.options.host_paths
    if path and not path.startswith("/"):
        # Podman checks only an absolute path here; a relative one is made absolute against its working
        # directory (filepath.Abs) when the container is created, and fails there if it does not exist
        resolved = posixpath.normpath(posixpath.join(ctx.options.base_dir, path))
        actual = None if facts is None else facts.get(resolved, "")
        if kind in ("", "Directory", "File"):
            return _KubeVolume("bind", resolved, missing=actual == "")
        path = resolved
    actual = None if facts is None else facts.get(path, "")
    if kind in ("DirectoryOrCreate", "FileOrCreate"):
        if not actual:
            ctx.result.created_paths[path] = "Directory" if kind == "DirectoryOrCreate" else "File"
        return _KubeVolume("bind", path)
    if kind == "Socket":
        if actual is not None and actual != "Socket":
            if actual == "":
                raise PodmanRefusal(f"checking HostPathSocket: stat {path}: no such file or directory")
            raise PodmanRefusal(f"checking HostPathSocket: path {path} is not a socket")
    elif kind == "BlockDevice":
        if actual == "":
            raise PodmanRefusal(f"checking HostPathBlockDevice: stat {path}: no such file or directory")
        if actual == "CharDevice":
            raise PodmanRefusal(f"checking HostPathDevice: path {path} is not a block device")
        return _KubeVolume("blockdev", path)
    elif kind == "CharDevice":
        if actual == "":
            raise PodmanRefusal(f"checking HostPathCharDevice: stat {path}: no such file or directory")
        if actual is not None and actual != "CharDevice":
            raise PodmanRefusal(f"checking HostPathCharDevice: path {path} is not a character device")
        return _KubeVolume("chardev", path)
    elif kind not in ("", "Directory", "File"):
        raise PodmanRefusal(f"invalid HostPath type {kind}")
    if actual == "":
        raise PodmanRefusal(f"in parsing HostPath in YAML: {ctx.profile.play_missing_path_verb} {path}: no such file "
                            "or directory")
    return _KubeVolume("bind", path)


def _configmap_volume(source: dict, ctx: _Context) -> _KubeVolume:
    name = source.get("name") or ""
    cm = next((c for c in ctx.configmaps if _name(c) == name), None)
    if cm is None:
        if source.get("optional"):
            return _KubeVolume("configmap", name, optional=True)
        raise MissingReference(f'no such ConfigMap "{name}"')
    mode = source.get("defaultMode")
    if mode is not None and not 0 <= mode <= 0o777:
        raise PodmanRefusal(f'invalid DefaultMode for configMap "{name}": must be between 0000 and 0777')
    data = {k: v.encode() for k, v in (cm.get("data") or {}).items()}
    for key, value in (cm.get("binaryData") or {}).items():
        if key in data:
            raise PodmanRefusal(f'the ConfigMap "{name}" is invalid: duplicate key "{key}" present in data and '
                                "binaryData")
        data[key] = value
    _add_volume(Volume(name=name, files=_items(data, source.get("items")), file_mode=mode if mode is not None
                       else 0o644), ctx)
    return _KubeVolume("configmap", name)


def _secret_volume(source: dict, ctx: _Context) -> _KubeVolume:
    name = source.get("secretName") or ""
    if name not in ctx.secrets:
        if source.get("optional"):
            return _KubeVolume("secret", name, optional=True)
        raise MissingReference(f'no secret with name or id "{name}": no such secret')
    if not ctx.profile.play_yaml_secrets:
        raise PodmanRefusal(f"Podman {ctx.profile.version} crashes on a secret volume from a Secret played from "
                            "YAML (kube play panics)")
    mode = source.get("defaultMode")
    _add_volume(Volume(name=name, files=_items(ctx.secrets[name], source.get("items")),
                       file_mode=mode if mode is not None else 0o644), ctx)
    return _KubeVolume("secret", name)


def _items(data: dict[str, bytes], items: list | None) -> dict[str, bytes]:
    if not items:
        return dict(data)
    return {item.get("path") or item.get("key"): data[item["key"]] for item in items if item.get("key") in data}
