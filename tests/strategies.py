"""Hypothesis strategies: Kubernetes manifests within what Podman plays, and Podman snapshots.

manifests(): Pods and Deployments with several containers, init containers
(once or always), native sidecars, ports with and without hostPort (TCP, UDP,
host IPs), env and envFrom with a ConfigMap, volumes (hostPath of the capture
host's paths, emptyDir, PersistentVolumeClaim, configMap), security contexts,
commands, working directories, labels, annotations, DNS, host aliases.  They
use the test images (localhost/busybox, localhost/webimg) and hostPaths that
exist on a capture host, so real Podman can play them too (test_live_fidelity).

snapshots(): Podman pods as a `podman pod create` + `podman create --pod` user
makes them, in the intermediate model, for the Podman 5 or 4.3 profile: made by
playing a manifest (kubebridge's play is held to real Podman's field by field),
then given what the command line gives and play does not: container names
without the pod prefix, init containers created `--init-ctr always` or `once`,
port ranges, host network, labels on the pod only, no restart policy.  Images
come from captured `podman image inspect` of each version.  (The JSON shapes of
the two versions' inspect output are the loaders' business, fuzzed on their own.)
"""
from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
IMAGES = {"busybox": "localhost/busybox:latest", "web": "localhost/webimg:1.0"}
HOST_DIRS = ["/tmp/kb-capture/data", "/tmp/kb-capture/logs", "/tmp/kb-capture/html", "/tmp/kb-capture/cache/nested"]
HOST_FILES = ["/tmp/kb-capture/config.txt"]
VERSIONS = ("5.8", "5.4", "4.3")
FIXTURE_VERSION = {"5.8": "5.8.6", "5.4": "5.4.2", "4.3": "4.3.1"}

names = st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True).filter(lambda n: n not in ("pod", "infra"))
values = st.text(st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="$\\"), min_size=1,
                 max_size=12)
env_names = st.from_regex(r"[A-Z][A-Z0-9_]{0,6}", fullmatch=True)
label_values = st.from_regex(r"[a-z0-9]([a-z0-9.-]{0,8}[a-z0-9])?", fullmatch=True)


@lru_cache(maxsize=None)
def image_inspect(version: str) -> list[dict]:
    path = ROOT / "tests/fixtures/play" / f"podman-{FIXTURE_VERSION[version]}" / "pod-sidecar" / "image-inspect.json"
    return json.loads(path.read_text())


@st.composite
def ports(draw, used: set[int], host_ports: bool = True) -> list[dict]:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        number = draw(st.sampled_from([80, 443, 5000, 8080, 9090, 53]))
        protocol = draw(st.sampled_from(["TCP", "UDP", None]))
        port: dict = {"containerPort": number}
        if protocol:
            port["protocol"] = protocol
        if host_ports and draw(st.booleans()):
            host = draw(st.integers(20000, 29999).filter(lambda p: p not in used))
            used.add(host)
            port["hostPort"] = host
            if draw(st.integers(0, 4)) == 0:
                port["hostIP"] = "127.0.0.1"
        key = (number, protocol or "TCP")
        if key not in {(p["containerPort"], p.get("protocol") or "TCP") for p in out}:
            out.append(port)
    return out


@st.composite
def container(draw, name: str, volumes: list[str], configmap: dict | None, used_ports: set[int],
              init: bool = False) -> dict:
    kind = draw(st.sampled_from(sorted(IMAGES)))
    ctr: dict = {"name": name, "image": IMAGES[kind]}
    if kind == "busybox" or draw(st.booleans()):
        ctr["command"] = draw(st.sampled_from([["top"], ["sleep", "1000"], ["sh", "-c", "echo hi; sleep 9"]]))
    if draw(st.integers(0, 3)) == 0:
        ctr["args"] = draw(st.lists(values, min_size=1, max_size=2))
    if draw(st.booleans()):
        env = draw(st.dictionaries(env_names, values, max_size=3))
        if env:
            ctr["env"] = [{"name": k, "value": v} for k, v in env.items()]
    if configmap and draw(st.booleans()):
        if draw(st.booleans()):
            ctr["envFrom"] = [{"configMapRef": {"name": configmap["metadata"]["name"]}}]
        else:
            key = draw(st.sampled_from(sorted(configmap["data"])))
            ctr.setdefault("env", []).append({"name": "FROM_CM",
                                              "valueFrom": {"configMapKeyRef": {"name": configmap["metadata"]["name"],
                                                                                "key": key}}})
    if draw(st.integers(0, 3)) == 0:
        ctr["workingDir"] = draw(st.sampled_from(["/tmp", "/var", "/srv"]))
    if not init:
        found = draw(ports(used_ports))
        if found:
            ctr["ports"] = found
    security: dict = {}
    if draw(st.integers(0, 3)) == 0:
        security["runAsUser"] = draw(st.sampled_from([0, 1000, 65534]))
        if draw(st.booleans()):
            security["runAsGroup"] = draw(st.sampled_from([0, 1000]))
    if draw(st.integers(0, 3)) == 0:
        security["capabilities"] = {"add": draw(st.lists(st.sampled_from(["NET_ADMIN", "SYS_TIME"]), max_size=1,
                                                         unique=True)),
                                    "drop": draw(st.lists(st.sampled_from(["CHOWN", "KILL", "NET_RAW"]), max_size=2,
                                                          unique=True))}
    if draw(st.integers(0, 5)) == 0:
        security["readOnlyRootFilesystem"] = True
    if security:
        ctr["securityContext"] = security
    mounts = []
    for volume in volumes:
        if draw(st.booleans()):
            mount = {"name": volume, "mountPath": f"/mnt/{volume}"}
            if draw(st.integers(0, 3)) == 0:
                mount["readOnly"] = True
            mounts.append(mount)
    if mounts:
        ctr["volumeMounts"] = mounts
    if draw(st.integers(0, 4)) == 0 and not init:
        ctr["resources"] = {"limits": {"memory": draw(st.sampled_from(["64Mi", "128Mi", "1Gi"])),
                                       "cpu": draw(st.sampled_from(["250m", "500m", "1"]))}}
    return ctr


@st.composite
def volumes(draw, configmap: dict | None) -> list[dict]:
    out = []
    for i in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["hostdir", "hostfile", "emptydir", "pvc", "configmap"]))
        name = f"vol{i}"
        if kind == "hostdir":
            out.append({"name": name, "hostPath": {"path": draw(st.sampled_from(HOST_DIRS)),
                                                   "type": draw(st.sampled_from(["Directory", "DirectoryOrCreate"]))}})
        elif kind == "hostfile":
            out.append({"name": name, "hostPath": {"path": HOST_FILES[0], "type": "File"}})
        elif kind == "emptydir":
            out.append({"name": name, "emptyDir": draw(st.sampled_from([{}, {"medium": "Memory"}]))})
        elif kind == "pvc":
            out.append({"name": name, "persistentVolumeClaim": {"claimName": draw(st.sampled_from(["data",
                                                                                                  "cache"]))}})
        elif configmap:
            out.append({"name": name, "configMap": {"name": configmap["metadata"]["name"]}})
    # one source, one volume: Podman merges volumes of the same source into one
    seen, unique = set(), []
    for v in out:
        key = json.dumps({k: v[k] for k in v if k != "name"}, sort_keys=True)
        if key not in seen:
            seen.add(key)
            unique.append(v)
    return unique


@st.composite
def manifests(draw, kinds: tuple[str, ...] = ("Pod", "Deployment"), native_sidecars: bool = True,
              playable_init_volumes: bool = False, init_containers: bool = True) -> list[dict]:
    """A multi-document manifest: maybe a ConfigMap, then one workload.

    playable_init_volumes: init containers mount no volume (Podman's generate leaves an init container's
    volumes out of spec.volumes, and names a hostPath per container, so its output then does not play).
    """
    configmap = None
    if draw(st.booleans()):
        data = draw(st.dictionaries(env_names, values, min_size=1, max_size=3))
        configmap = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}, "data": data}
    pod_name = draw(names)
    vols = draw(volumes(configmap))
    used_ports: set[int] = set()
    container_names = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    init_names = draw(st.lists(names.filter(lambda n: n not in container_names), max_size=2 if init_containers else 0,
                               unique=True))
    vol_names = [v["name"] for v in vols]
    containers = [draw(container(n, vol_names, configmap, used_ports)) for n in container_names]
    if playable_init_volumes:
        vol_names = []
    inits = [draw(container(n, vol_names, configmap, used_ports, init=True)) for n in init_names]
    if native_sidecars and inits and draw(st.integers(0, 3)) == 0:
        inits[0]["restartPolicy"] = "Always"
    spec: dict = {"containers": containers}
    if inits:
        spec["initContainers"] = inits
    if vols:
        spec["volumes"] = vols
    kind = draw(st.sampled_from(kinds))
    if kind == "Pod":
        policy = draw(st.sampled_from([None, "Always", "OnFailure", "Never"]))
        if policy:
            spec["restartPolicy"] = policy
    if draw(st.integers(0, 4)) == 0:
        spec["hostAliases"] = [{"ip": "10.0.0.7", "hostnames": ["db.local"]}]
    if draw(st.integers(0, 4)) == 0:
        spec["dnsConfig"] = {"nameservers": ["10.0.0.53"], "searches": ["example.com"]}
    labels = draw(st.dictionaries(st.sampled_from(["tier", "team", "env"]), label_values, max_size=2))
    annotations = draw(st.dictionaries(st.sampled_from(["example.com/owner", "note"]), values, max_size=1))
    if inits and draw(st.booleans()):
        annotations["io.podman.annotations.init.container.type"] = draw(st.sampled_from(["once", "always"]))
    metadata: dict = {"name": pod_name}
    if labels:
        metadata["labels"] = labels
    if annotations:
        metadata["annotations"] = annotations
    if kind == "Pod":
        doc = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}
    else:
        template_labels = {"app": pod_name, **labels}
        doc = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata,
               "spec": {"selector": {"matchLabels": {"app": pod_name}},
                        "template": {"metadata": {"labels": template_labels}, "spec": spec}}}
    return ([configmap] if configmap else []) + [doc]


def played(docs: list[dict], version: str):
    """kubebridge's play of documents (dicts), with the captured images: a PlayResult."""
    from kubebridge.load.inspect import load_image
    from kubebridge.load.manifests import Document
    from kubebridge.model.profiles import get_profile
    from kubebridge.translate.play import PlayOptions, play

    images = tuple(load_image(obj) for obj in image_inspect(version))
    options = PlayOptions(images=images, host_paths=None, host_memory=1 << 30, host_cpus=2)
    return play([Document(copy.deepcopy(d), "<strategy>", i, 1) for i, d in enumerate(docs)], options,
                get_profile(version))


@st.composite
def snapshots(draw, version: str, init_containers: bool = True):
    """A Snapshot of one pod as the Podman command line would leave it."""
    from kubebridge.load.inspect import load_image
    from kubebridge.model.podman import Snapshot
    docs = draw(manifests(kinds=("Pod",), native_sidecars=False, playable_init_volumes=True,
                          init_containers=init_containers))
    result = played(docs, version)
    pod = result.pods[0]
    for n, ctr in enumerate(pod.containers):
        ctr.name = ctr.name.removeprefix(pod.name + "-")  # `podman create --pod P --name c`: no prefix
        ctr.labels = {}  # the command line labels the pod, not its containers
        ctr.annotations = {}
        ctr.restart_policy = ""
        ctr.created = n + 1
        if ctr.init_type:
            ctr.init_type = draw(st.sampled_from(["once", "always"]))
            ctr.restart_policy = "no"
    pod.restart_policy = ""
    pod.labels = dict(pod.labels)
    from kubebridge.model.podman import PortMapping

    if draw(st.integers(0, 3)) == 0:  # `-p 30000-30002:7000-7002/udp`: a range, kept expanded in the model
        width, protocol = draw(st.integers(2, 3)), draw(st.sampled_from(["tcp", "udp"]))
        pod.ports += [PortMapping(7000 + i, 30000 + i, protocol) for i in range(width)]
    unique: dict[tuple, object] = {}  # `podman pod create -p` binds a host port once
    for port in pod.ports:
        unique.setdefault((port.host_ip, port.host_port, port.protocol), port)
    pod.ports = list(unique.values())
    if draw(st.integers(0, 7)) == 0:  # `podman pod create --network host`: no published ports
        pod.host_network, pod.ports, pod.networks = True, [], []
    pod.members = {c.id: c.name for c in ([pod.infra] if pod.infra else []) + pod.containers}
    images = [load_image(obj) for obj in image_inspect(version)]
    facts = {path: "Directory" for path in HOST_DIRS}
    facts.update({path: "File" for path in HOST_FILES})
    return Snapshot(pods=[pod], volumes=list(result.volumes), images=images, host_paths=facts)
