"""`generate --portable`: YAML a cluster accepts and a round trip through Podman does not change.

Podman's own generate output drifts on every play -> generate cycle
(fidelity.REWRITES) and is not always valid Kubernetes (check's GENERATE
defects).  make_portable() rewrites generate's documents, with the snapshot
they came from, so that:
  * names are valid (RFC 1123 labels and subdomains), and a container's name
    loses the `<pod>-` prefix play gave it, a workload's the `-pod` suffix;
  * Podman-only annotations go, except the one Podman reads back, the init
    container type; annotations every container carries become the pod's;
  * the pod's own labels are written (or `app: <name>`), the timestamp is not;
  * command and args equal to the image's, empty fields and fields play ignores
    (stdin) are left out; init containers' volumes are listed;
  * env, mounts, volumes and ports are written in one fixed order (Podman keeps
    them in Go maps, so their order does not survive play);
so that `generate --portable` of what `play` made of it gives it back unchanged.
Whatever cannot survive (a per-container annotation, a mix of init types) is
dropped with a warning.
"""
from __future__ import annotations

import copy
import hashlib
import re
from typing import Any

from kubebridge.model.manifest import POD_SPEC_PATHS, as_dict, as_list, as_str
from kubebridge.model.names import INIT_TYPE_ANNOTATION, workload_name
from kubebridge.model.podman import Container, Pod, Snapshot
from kubebridge.model.profiles import Profile

PODMAN_ONLY = ("io.podman.annotations.", "io.kubernetes.cri-o.", "io.containers.", "bind-mount-options",
               "run.oci.", "org.opencontainers.", "volume.podman.io/")
_INVALID = re.compile(r"[^a-z0-9-]+")


def dns_label(name: str, limit: int = 63) -> str:
    """The nearest RFC 1123 label: lower case, other characters as '-', a hash when it must be shortened."""
    label = _INVALID.sub("-", name.lower()).strip("-")
    label = re.sub(r"-{2,}", "-", label) or "x"
    if len(label) > limit:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        label = label[:limit - 9].rstrip("-") + "-" + digest
    return label


def dns_subdomain(name: str) -> str:
    """The nearest RFC 1123 subdomain (labels of any length, 253 characters in all)."""
    parts = [dns_label(part, limit=253) for part in name.split(".") if part]
    return dns_label(name, 253) if len(".".join(parts)) > 253 else ".".join(parts) or "x"


def podman_only(key: str) -> bool:
    return key.startswith(PODMAN_ONLY) and key != INIT_TYPE_ANNOTATION


def make_portable(chunks: list, snapshot: Snapshot, profile: Profile,
                  init_volumes: dict[str, list[dict]] | None = None) -> tuple[list, list[str]]:
    """generate's documents (and NOTE chunks, which are dropped) -> portable documents, and warnings."""
    warnings: list[str] = []
    claims: dict[str, str] = {}  # Podman volume (claim) name -> portable claim name
    docs = [copy.deepcopy(c) for c in chunks if isinstance(c, dict)]
    for doc in docs:
        if doc.get("kind") == "PersistentVolumeClaim":
            _pvc(doc, claims, warnings)
    out = []
    for doc in docs:
        kind = doc.get("kind")
        if kind in POD_SPEC_PATHS:
            _workload(doc, snapshot, profile, claims, init_volumes or {}, warnings)
        elif kind == "Service":
            if not as_list(as_dict(doc.get("spec")).get("ports")):
                warnings.append(f"Service {as_str(as_dict(doc.get('metadata')).get('name'))}: left out, its pod "
                                "publishes no port (a Service needs one)")
                continue
            _service(doc, snapshot)
        out.append(doc)
    # claims first, in name order: the order of Podman's volume list is not the user's
    claims_docs = sorted((d for d in out if d.get("kind") == "PersistentVolumeClaim"),
                         key=lambda d: as_str(as_dict(d.get("metadata")).get("name")))
    return claims_docs + [d for d in out if d.get("kind") != "PersistentVolumeClaim"], warnings


def _pvc(doc: dict, claims: dict[str, str], warnings: list[str]) -> None:
    meta = doc.setdefault("metadata", {})
    name = as_str(meta.get("name"))
    claims[name] = dns_subdomain(name)
    meta["name"] = claims[name]
    meta.pop("creationTimestamp", None)
    annotations = as_dict(meta.get("annotations"))
    dropped = [k for k in annotations if podman_only(k)]
    lost = [f"{k}={annotations[k]}" for k in dropped if (k, annotations[k]) != ("volume.podman.io/driver", "local")]
    if lost:
        warnings.append(f"PersistentVolumeClaim {name}: Podman's volume options left out ({', '.join(lost)})")
    for key in dropped:
        annotations.pop(key)
    if "annotations" in meta and not annotations:
        meta.pop("annotations")
    doc.pop("status", None)


def _find_pod(name: str, snapshot: Snapshot) -> Pod | None:
    for pod in snapshot.pods:
        if name in (pod.name, pod.name.replace("_", "")):
            return pod
    return None


def _workload(doc: dict, snapshot: Snapshot, profile: Profile, claims: dict[str, str],
              init_volumes: dict[str, list[dict]], warnings: list[str]) -> None:
    spec_path = POD_SPEC_PATHS[doc["kind"]]
    template = doc
    for part in spec_path[:-1]:
        template = template[part]
    spec = template["spec"]
    meta = template.setdefault("metadata", {})
    generated_name = as_str(meta.get("name"))
    pod = _find_pod(generated_name, snapshot)
    pod_name = pod.name if pod else generated_name
    base = workload_name(pod_name, doc["kind"], profile)
    name = dns_subdomain(base) if doc["kind"] == "Pod" else dns_label(base)
    labels = dict(pod.labels) if pod and pod.labels else {"app": name}
    annotations = _pod_annotations(doc, pod, spec, warnings)
    meta.clear()
    meta.update({"labels": labels, "name": name} if doc["kind"] == "Pod" else {"labels": labels})
    if annotations:
        meta["annotations"] = annotations
    if doc["kind"] != "Pod":
        doc["metadata"] = {"labels": dict(labels), "name": name}
        if annotations:
            doc["metadata"]["annotations"] = dict(annotations)  # play reads a workload's own annotations
        if "selector" in doc["spec"]:
            doc["spec"]["selector"] = {"matchLabels": dict(labels)}
    _pod_spec(spec, pod, pod_name, generated_name, claims, init_volumes.get(generated_name, []), snapshot,
              profile, warnings)
    if "restartPolicy" not in spec:  # no policy: Podman restarts nothing, and Kubernetes reads none as Always
        spec["restartPolicy"] = "Never" if doc["kind"] in ("Pod", "Job") else "Always"
    doc.pop("status", None)


def _pod_annotations(doc: dict, pod: Pod | None, spec: dict, warnings: list[str]) -> dict[str, str]:
    """The pod's annotations, from the per-container copies generate wrote: those every container carries."""
    meta = as_dict(doc.get("metadata"))
    written = as_dict(meta.get("annotations")) or as_dict(as_dict(as_dict(doc.get("spec")).get(
        "template")).get("metadata", {})).get("annotations") or {}
    containers = [as_str(c.get("name")) for key in ("initContainers", "containers") for c in as_list(spec.get(key))]
    per_key: dict[str, dict[str, str]] = {}
    for key, value in as_dict(written).items():
        base, _, owner = key.rpartition("/")
        if base and owner in containers:
            per_key.setdefault(base, {})[owner] = value
    annotations: dict[str, str] = {}
    for key, owners in sorted(per_key.items()):
        if podman_only(key):
            continue
        if set(owners) == set(containers) and len(set(owners.values())) == 1:
            annotations[key] = next(iter(owners.values()))
        else:
            warnings.append(f"annotation {key} is set on some containers only ({', '.join(sorted(owners))}): "
                            "Kubernetes has no per-container annotations, left out")
    inits = [c for c in (pod.containers if pod else []) if c.init_type]
    types = {c.init_type for c in inits}
    if "always" in types:
        annotations[INIT_TYPE_ANNOTATION] = "always"
        if len(types) > 1 and pod is not None:
            warnings.append(f"pod {pod.name}: init containers of both types; Podman's annotation is pod-wide, so "
                            "all are written as `always`")
    return annotations


def _pod_spec(spec: dict, pod: Pod | None, pod_name: str, generated_name: str, claims: dict[str, str],
              init_volumes: list[dict], snapshot: Snapshot, profile: Profile, warnings: list[str]) -> None:
    volumes = as_list(spec.get("volumes")) + [v for v in init_volumes
                                             if v.get("name") not in {x.get("name") for x in as_list(
                                                 spec.get("volumes"))}]
    volumes = _without_relative_paths(spec, volumes, pod_name, warnings)
    mounts = [m for key in ("initContainers", "containers") for c in as_list(spec.get(key))
              for m in as_list(as_dict(c).get("volumeMounts"))]
    renames: dict[str, str] = {}
    merged: dict[str, dict] = {}
    for volume in volumes:
        old = as_str(volume.get("name"))
        new = _volume_name(volume, old, mounts)
        renames[old] = new
        volume["name"] = new
        claim = as_dict(volume.get("persistentVolumeClaim"))
        if claim.get("claimName") in claims:
            claim["claimName"] = claims[claim["claimName"]]
        host = as_dict(volume.get("hostPath"))
        if host:  # whether the path exists is the generating host's business: let it be created either way
            host["type"] = HOST_PATH_TYPES.get(as_str(host.get("type")), "DirectoryOrCreate")
        merged.setdefault(new, volume)  # one source mounted by several containers: one volume
    if merged:
        spec["volumes"] = sorted(merged.values(), key=lambda v: as_str(v.get("name")))
    originals = _ordered(pod) if pod else []
    used: set[str] = set()
    for section in ("initContainers", "containers"):
        for i, ctr in enumerate(as_list(spec.get(section))):
            original = _match(originals, section, i)
            _container(ctr, original, pod_name, generated_name, renames, snapshot, used)
            _drop_selinux(ctr, warnings)
    _ports_on_first(spec)
    if not as_list(spec.get("containers")):
        warnings.append(f"pod {pod_name}: only init containers; Kubernetes needs a regular one, and Podman "
                        "publishes no init container's ports")
    if as_str(spec.get("hostname")) in (pod_name, generated_name) or spec.get("hostNetwork") is True:
        spec.pop("hostname", None)  # the pod's own name, or (host network) the host's


def _without_relative_paths(spec: dict, volumes: list, pod_name: str, warnings: list[str]) -> list:
    """Volumes without a relative hostPath (Podman 4.3 writes a tmpfs as `hostPath: tmpfs`), and mounts of
    them: play takes such a path against its working directory, so it cannot survive a round trip."""
    relative = {as_str(v.get("name")) for v in volumes
                if as_dict(v.get("hostPath")) and not as_str(as_dict(v.get("hostPath")).get("path")).startswith("/")}
    if not relative:
        return volumes
    for section in ("initContainers", "containers"):
        for ctr in as_list(spec.get(section)):
            ctr = as_dict(ctr)
            kept = [m for m in as_list(ctr.get("volumeMounts")) if as_dict(m).get("name") not in relative]
            if kept:
                ctr["volumeMounts"] = kept
            else:
                ctr.pop("volumeMounts", None)
    warnings.append(f"pod {pod_name}: volumes {', '.join(sorted(relative))} left out: a relative hostPath "
                    "(Podman 4.3 writes a tmpfs so) is taken against play's working directory")
    kept_volumes = [v for v in volumes if as_str(v.get("name")) not in relative]
    if not kept_volumes:
        spec.pop("volumes", None)
    return kept_volumes


def _volume_name(volume: dict, old: str, mounts: list) -> str:
    """A name from the volume's source, not from the order of mounts (Podman's `-host-<n>`, `tmp-<n>` are)."""
    host = as_dict(volume.get("hostPath"))
    if host:
        return dns_label(as_str(host.get("path")).strip("/").replace("/", "-") + "-host")
    claim = as_dict(volume.get("persistentVolumeClaim"))
    if claim:
        return dns_label(as_str(claim.get("claimName")) + "-pvc")
    if "emptyDir" in volume:
        path = next((as_str(m.get("mountPath")) for m in mounts if as_dict(m).get("name") == old), old)
        return dns_label("tmp-" + path.strip("/").replace("/", "-"))
    return dns_label(old)


HOST_PATH_TYPES = {"Directory": "DirectoryOrCreate", "DirectoryOrCreate": "DirectoryOrCreate", "File": "FileOrCreate",
                   "FileOrCreate": "FileOrCreate", "Socket": "Socket", "CharDevice": "CharDevice",
                   "BlockDevice": "BlockDevice"}


def _drop_selinux(ctr: dict, warnings: list[str]) -> None:
    security = as_dict(ctr.get("securityContext"))
    if security.pop("seLinuxOptions", None) is not None:
        warnings.append(f"container {ctr.get('name')}: seLinuxOptions left out: Podman's play does not keep "
                        "them where its generate reads them back")
        if not security:
            ctr.pop("securityContext")


def _ports_on_first(spec: dict) -> None:
    """A pod's containers share one network: its ports, all on the first container, as Podman writes them."""
    containers = as_list(spec.get("containers"))
    ports: list[dict] = []
    for ctr in containers:
        for port in as_list(ctr.pop("ports", None)):
            if port not in ports:
                ports.append(port)
    if containers and ports:
        containers[0]["ports"] = sorted(ports, key=lambda p: (as_str(p.get("hostIP")), p.get("hostPort") or 0,
                                                              p.get("containerPort") or 0, as_str(p.get("protocol"))))


def _ordered(pod: Pod) -> dict[str, list[Container]]:
    ctrs = sorted((c for c in pod.containers if not c.is_infra), key=lambda c: c.created)
    return {"initContainers": [c for c in ctrs if c.init_type], "containers": [c for c in ctrs if not c.init_type]}


def _match(originals: Any, section: str, index: int) -> Container | None:
    group = originals.get(section, []) if isinstance(originals, dict) else []
    return group[index] if index < len(group) else None


def _container(ctr: dict, original: Container | None, pod_name: str, generated_name: str, renames: dict[str, str],
               snapshot: Snapshot, used: set[str]) -> None:
    name = as_str(ctr.get("name"))
    for prefix in (f"{pod_name}-", f"{pod_name.replace('_', '')}-", f"{generated_name}-"):
        if name.startswith(prefix) and len(name) > len(prefix):
            name = name[len(prefix):]
            break
    name = dns_label(name)
    while name in used:
        name = dns_label(name + "-x")
    used.add(name)
    ctr["name"] = name
    image = snapshot.find_image(original) if original else None
    if image is not None:
        command, args = ctr.get("command"), ctr.get("args")
        if args is not None and args == image.cmd and (command is None or command == image.entrypoint):
            ctr.pop("args")
        if command is not None and command == image.entrypoint and (args is None or "args" not in ctr):
            ctr.pop("command")
    ctr.pop("stdin", None)  # play ignores it: it would not come back
    for key in ("securityContext", "resources"):
        if ctr.get(key) == {}:
            ctr.pop(key)
    for mount in as_list(ctr.get("volumeMounts")):
        if mount.get("name") in renames:
            mount["name"] = renames[mount["name"]]
    # Podman keeps env and mounts in Go maps, so their order does not survive play: write them in one order
    if isinstance(ctr.get("env"), list):
        ctr["env"].sort(key=lambda e: as_str(as_dict(e).get("name")))
    if isinstance(ctr.get("volumeMounts"), list):
        ctr["volumeMounts"].sort(key=lambda m: as_str(as_dict(m).get("mountPath")))


def _service(doc: dict, snapshot: Snapshot) -> None:
    meta = doc.setdefault("metadata", {})
    meta.pop("creationTimestamp", None)
    selector = as_dict(as_dict(doc.get("spec")).get("selector"))
    pod = _find_pod(as_str(selector.get("app")), snapshot)
    name = dns_label(as_str(meta.get("name")))
    if not name[:1].isalpha():
        name = "svc-" + name
    meta["name"] = name[:63]
    if pod is not None:
        doc["spec"]["selector"] = dict(pod.labels) if pod.labels else {"app": dns_subdomain(pod.name)}
        meta["labels"] = dict(doc["spec"]["selector"])
    doc.pop("status", None)
