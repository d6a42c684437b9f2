"""Play fixtures, and the field-by-field comparison of kubebridge's play output with Podman's inspect output.

kubebridge writes only what the YAML and the images decide; every value it
writes must equal the value at the same place in Podman's inspect output.
Maps (labels, annotations, port bindings...) must be equal as a whole; lists
Podman builds from Go maps (env, mounts, binds, shared namespaces) are compared
as sets; annotation values that are IDs are left out on both sides.
"""
from __future__ import annotations

import re

import json
from dataclasses import dataclass
from pathlib import Path

from support import FIXTURES

PLAY_DIR = "/tmp/kb-play"  # where capture_play.py plays the scenarios from

ID_VALUED = {"io.kubernetes.cri-o.SandboxID"}
MAPS = {"Labels", "Annotations", "Tmpfs", "PortBindings", "Options", "RestartPolicy"}
SETS = {"Env", "SharedNamespaces", "Binds", "EffectiveCaps", "BoundingCaps", "CapAdd", "CapDrop", "GroupAdd",
        "SecurityOpt", "DNSOption"}


@dataclass
class PlayFixture:
    path: Path
    meta: dict

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def version(self) -> str:
        return ".".join(self.meta["podman_version"].split(".")[:2])

    @property
    def ok(self) -> bool:
        return self.meta["returncode"] == 0

    def error(self) -> str:
        stderr = self.meta["stderr"]
        if "panic:" in stderr or "goroutine" in stderr:
            return "panic"
        # go-yaml's "unmarshal errors:" puts each error on a line of its own: joined to the first
        stderr = re.sub(r"unmarshal errors:\n\s+", "unmarshal errors: ", stderr)
        lines = [l[len("Error: "):] for l in stderr.splitlines() if l.startswith("Error: ")]
        # a file played from the capture's play directory is here, beside the fixture
        return (lines[-1] if lines else stderr.strip()).replace(f'"{PLAY_DIR}/', f'"{self.path}/')

    def options(self) -> dict:
        args = self.meta["play_args"]
        opts: dict = {"podman_version": self.version, "host_paths": self.meta["host_paths"],
                      "node_hostname": self.meta["node_hostname"], "publish_all": "--publish-all" in args,
                      "images": [self.path / "image-inspect.json"] if (self.path / "image-inspect.json").exists()
                      else self.default_images()}
        opts["configmaps"] = [self.path / Path(args[i + 1]).name for i, a in enumerate(args) if a == "--configmap"]
        if self.meta.get("podman_cwd"):  # the directory kube play ran in ("/ (the chroot's root)" in a chroot)
            opts["base_dir"] = self.meta["podman_cwd"].split(" ")[0]
        return opts

    def default_images(self) -> list[Path]:
        """Failed plays left no images to inspect; use a successful scenario's images of the same Podman."""
        for other in sorted(self.path.parent.glob("*/image-inspect.json")):
            return [other]
        return []

    def podman_objects(self) -> tuple[list[dict], list[dict], list[dict]]:
        pods = []
        for f in sorted(self.path.glob("pod-inspect-*.json")):
            data = json.loads(f.read_text())
            pods.extend(data if isinstance(data, list) else [data])
        load = lambda name: json.loads((self.path / name).read_text()) if (self.path / name).exists() else []  # noqa
        return pods, load("container-inspect.json"), load("volume-inspect.json")


def play_fixtures() -> list[PlayFixture]:
    return [PlayFixture(f.parent, json.loads(f.read_text()))
            for f in sorted((FIXTURES / "play").glob("podman-*/*/scenario.json"))]


def compare(ours, theirs, path: str = "") -> list[str]:
    key = path.rsplit(".", 1)[-1]
    if key == "Annotations" and isinstance(theirs, dict):
        theirs = {k: v for k, v in theirs.items() if k not in ID_VALUED}
    if key == "PortBindings" and isinstance(ours, dict) and isinstance(theirs, dict):
        # bindings of one port across host IPs come from a Go map: their order changes from run to run
        canon = lambda b: {k: sorted(map(json.dumps, v or [])) for k, v in b.items()}  # noqa: E731
        return [] if canon(ours) == canon(theirs) else [f"{path}: {ours!r} != podman {theirs!r}"]
    if key in SETS and isinstance(ours, list) and isinstance(theirs, list):
        return [] if sorted(map(json.dumps, ours)) == sorted(map(json.dumps, theirs)) else [
            f"{path}: {ours!r} != podman {theirs!r}"]
    if key == "Mounts" and isinstance(theirs, list):
        ours = sorted(ours, key=lambda m: m["Destination"])
        theirs = sorted(theirs, key=lambda m: m["Destination"])
    if key == "Containers" and isinstance(theirs, list):  # a pod's members: by name
        theirs_names = {c["Name"] for c in theirs}
        return [f"{path}: {c['Name']} not in podman's" for c in ours if c["Name"] not in theirs_names]
    if isinstance(ours, dict) and key not in MAPS:
        if not isinstance(theirs, dict):
            return [f"{path}: {ours!r} != podman {theirs!r}"]
        problems = []
        for k, v in ours.items():
            if k not in theirs:
                if v in (None, [], {}, False, "", 0):
                    continue  # Podman's omitempty left out the zero value kubebridge writes
                problems.append(f"{path}.{k}: podman has no such field")
                continue
            problems += compare(v, theirs[k], f"{path}.{k}")
        return problems
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs) and ours and \
            isinstance(ours[0], dict):
        problems = []
        for i, (a, b) in enumerate(zip(ours, theirs)):
            problems += compare(a, b, f"{path}[{i}]")
        return problems
    if theirs is None and ours in ([], {}):
        return []
    return [] if ours == theirs else [f"{path}: {ours!r} != podman {theirs!r}"]


def compare_play(ours: dict, fixture: PlayFixture) -> list[str]:
    pods, containers, volumes = fixture.podman_objects()
    problems = []
    by_name = {c["Name"]: c for c in containers}
    infra_of = {p["Name"]: by_name_id(containers, p.get("InfraContainerID")) for p in pods}
    if sorted(p["Name"] for p in ours["pods"]) != sorted(p["Name"] for p in pods):
        problems.append(f"pods: {[p['Name'] for p in ours['pods']]} != podman {[p['Name'] for p in pods]}")
    for pod in ours["pods"]:
        theirs = next((p for p in pods if p["Name"] == pod["Name"]), None)
        if theirs is not None:
            problems += compare(pod, theirs, f"pod {pod['Name']}")
    infra_index = 0
    pod_names = [p["Name"] for p in ours["pods"]]
    for ctr in ours["containers"]:
        if ctr["IsInfra"]:
            theirs = infra_of.get(pod_names[infra_index]) if infra_index < len(pod_names) else None
            label = f"infra of {pod_names[infra_index] if infra_index < len(pod_names) else '?'}"
            infra_index += 1
        else:
            theirs, label = by_name.get(ctr["Name"]), ctr["Name"]
        if theirs is None:
            problems.append(f"container {label}: not created by podman")
            continue
        problems += compare(ctr, theirs, f"container {label}")
    ours_non_infra = {c["Name"] for c in ours["containers"] if not c["IsInfra"]}
    for c in containers:
        if not c.get("IsInfra") and c["Name"] not in ours_non_infra:
            problems.append(f"container {c['Name']}: podman created it, kubebridge did not")
    for vol in ours["volumes"]:
        theirs = next((v for v in volumes if v["Name"] == vol["Name"]), None)
        if theirs is None:
            problems.append(f"volume {vol['Name']}: not created by podman")
            continue
        problems += compare(vol, theirs, f"volume {vol['Name']}")
    ours_vols = {v["Name"] for v in ours["volumes"]}
    for v in volumes:
        if v["Name"] not in ours_vols:
            problems.append(f"volume {v['Name']}: podman created it, kubebridge did not")
    return problems


def by_name_id(containers: list[dict], ident: str | None) -> dict | None:
    return next((c for c in containers if c["Id"] == ident), None)


def generate_after_play(fixture: PlayFixture) -> str:
    """kubebridge's generate of the pods its own play made, as the fixture's generate.yaml was made by Podman."""
    import kubebridge.api
    from kubebridge.model.podman import Snapshot
    from kubebridge.model.profiles import get_profile
    from kubebridge.render.kube_yaml import kube_yaml
    from kubebridge.translate.generate import GenerateOptions, generate

    options = fixture.options()
    result = kubebridge.api.play_result(fixture.path / "play.yaml", **options)
    _use_podman_ids(result, fixture)
    images = kubebridge.api.snapshot(*options["images"]).images if options["images"] else []
    # play creates DirectoryOrCreate and FileOrCreate paths, so generate finds them afterwards
    # the pods Podman generated, in its order (its names sorted); chosen here as objects, not by name: a
    # short pod name can prefix-match one of kubebridge's synthetic container IDs, never Podman's random ones
    wanted = fixture.meta["generate_args"]
    pods = sorted((p for p in result.pods if p.name in wanted), key=lambda p: wanted.index(p.name))
    snap = Snapshot(pods=pods, images=images, host_paths={**fixture.meta["host_paths"], **result.created_paths})
    profile = get_profile(fixture.version)
    chunks = generate(snap, GenerateOptions(timestamp="2026-01-01T00:00:00Z"), profile).chunks
    return kube_yaml(chunks, profile.version)


def _use_podman_ids(result, fixture: PlayFixture) -> None:
    """Give the played containers the IDs Podman gave them: generate compares a hostname with the ID."""
    _, containers, _ = fixture.podman_objects()
    ids = {c["Name"]: c["Id"] for c in containers}
    for pod in result.pods:
        renamed = {}
        for c in pod.containers:
            renamed[c.id] = c.id = ids.get(c.name, c.id)
        pod.members = {renamed.get(i, i): name for i, name in pod.members.items()}


def canonical_played(text: str) -> str:
    """A generate body with the lists Podman orders by Go map iteration for played containers sorted.

    kube play builds each container's env, its named volumes, the pod's
    volumes and (across protocols) its ports from Go maps, so their order in
    Podman's own generate output changes from run to run.
    """
    from support import split_chunks

    from kubebridge.render import goyaml

    out = []
    for doc in split_chunks(text):
        if isinstance(doc, dict):
            spec = doc.get("spec") or {}
            for ctr in (spec.get("containers") or []) + (spec.get("initContainers") or []):
                for key, field in (("env", "name"), ("volumeMounts", "mountPath")):
                    if ctr.get(key):
                        ctr[key].sort(key=lambda x: str(x.get(field)))
                if ctr.get("ports"):
                    ctr["ports"].sort(key=lambda x: json.dumps(x, sort_keys=True))
            if spec.get("volumes"):
                spec["volumes"].sort(key=lambda v: v["name"])
            out.append(goyaml.dump(doc))
        else:
            out.append(doc)
    return "---\n".join(out)
