"""Helpers shared by the tests: fixtures, and the comparison with what Podman printed.

Podman's own output is not fully deterministic.  Besides creationTimestamp and
the random Service nodePort, a few lists come from Go map iteration, so their
order (and, for hostPath/tmpfs volume names, their index suffix) changes from
run to run of Podman itself:
  * a pod's spec.volumes (deDupPodVolumes is a map);
  * container ports across (hostIP, protocol) groups (ParsePortMapping's maps);
  * bind-mount-options when several mounts are relabelled (one key, last wins);
  * where tmpfs mounts fall among binds (parseVolumes' unifiedMounts map).
`compare_generate` first requires identical bytes; only when they differ and
the fixture has one of these does it compare the canonical forms.
"""
from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT / "fixtures"
_TIMESTAMP = re.compile(r'(creationTimestamp: )"[^"]*"')
_NODEPORT = re.compile(r"(nodePort: )\d+")


@dataclass
class GenerateFixture:
    path: Path
    meta: dict

    @property
    def id(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"

    @property
    def version(self) -> str:
        return ".".join(self.meta["podman_version"].split(".")[:2])

    @property
    def inputs(self) -> list[Path]:
        return sorted(p for p in self.path.glob("*.json") if p.name != "scenario.json")

    @property
    def expected(self) -> str | None:
        f = self.path / "generate.yaml"
        return f.read_text() if f.exists() else None

    @property
    def error(self) -> str:
        """Podman's error message (its last `Error: ` line), or "panic" when it crashed."""
        stderr = self.meta["stderr"]
        if "panic:" in stderr:
            return "panic"
        lines = [l[len("Error: "):] for l in stderr.splitlines() if l.startswith("Error: ")]
        return lines[-1] if lines else stderr.strip()

    def options(self) -> dict:
        return parse_generate_args(self.meta["generate_args"])


def parse_generate_args(args: list[str]) -> dict:
    """`podman kube generate` arguments -> kubebridge.generate keyword arguments."""
    opts: dict = {"names": []}
    it = iter(args)
    for arg in it:
        if arg in ("-s", "--service"):
            opts["service"] = True
        elif arg in ("-t", "--type"):
            opts["type"] = next(it)
        elif arg in ("-r", "--replicas"):
            opts["replicas"] = int(next(it))
        elif arg == "--podman-only":
            opts["podman_only"] = True
        else:
            opts["names"].append(arg)
    return opts


def generate_fixtures() -> list[GenerateFixture]:
    found = []
    for meta_file in sorted((FIXTURES / "generate").glob("podman-*/*/scenario.json")):
        found.append(GenerateFixture(meta_file.parent, json.loads(meta_file.read_text())))
    return found


def body(text: str) -> str:
    """Everything after the four header lines, with timestamps and node ports masked."""
    text = text.split("\n", 4)[4]
    return _NODEPORT.sub(r"\g<1>0", _TIMESTAMP.sub(r'\g<1>"T"', text))


def split_chunks(text: str) -> list:
    """A generate body -> documents (dicts) and NOTE chunks (str), read as Kubernetes reads YAML (`=` is text)."""
    from kubebridge.load.manifests import load_documents

    chunks = []
    for chunk in text.split("---\n"):
        if chunk.startswith("\n#"):
            chunks.append(chunk)
        else:
            docs = load_documents(chunk, "chunk", expand_lists=False)
            chunks.append(docs[0].data if docs else None)
    return chunks


def _pod_specs(doc: dict) -> list[dict]:
    if doc.get("kind") == "Pod":
        return [doc["spec"]]
    template = (doc.get("spec") or {}).get("template")
    return [template["spec"]] if template else []


def _inspected_containers(fixture: GenerateFixture) -> list[dict]:
    f = fixture.path / "container-inspect.json"
    return [c for c in json.loads(f.read_text()) if not c.get("IsInfra")] if f.exists() else []


def random_order_in(chunks: list, fixture: GenerateFixture) -> bool:
    """Does this Podman output contain something Podman takes from a Go map's order?"""
    ctrs = _inspected_containers(fixture)
    relabelled = sum(1 for c in ctrs for m in c.get("Mounts") or [] if m.get("Mode") in ("z", "Z"))
    if relabelled > 1:
        return True
    for c in ctrs:
        tmpfs = len((c.get("HostConfig") or {}).get("Tmpfs") or {})
        binds = sum(1 for m in c.get("Mounts") or [] if m.get("Type") == "bind")
        if tmpfs and tmpfs + binds > 1:
            return True
    path_kind = "pod" if any(fixture.path.glob("pod-inspect-*.json")) else "ctr"
    for doc in chunks:
        if not isinstance(doc, dict):
            continue
        for spec in _pod_specs(doc):
            if path_kind == "pod" and len(spec.get("volumes") or []) > 1:
                return True
            for ctr in (spec.get("containers") or []) + (spec.get("initContainers") or []):
                groups = {(p.get("hostIP", ""), p.get("protocol", "TCP")) for p in ctr.get("ports") or []}
                if len(groups) > 1:
                    return True
        if doc.get("kind") == "Service":
            if len({p.get("protocol", "TCP") for p in doc["spec"].get("ports") or []}) > 1:
                return True
    return False


def canonical(chunks: list, fixture: GenerateFixture) -> list:
    """Chunks with Go-map-ordered lists sorted and numbered volume names made positional."""
    ctrs = _inspected_containers(fixture)
    mask_relabel = sum(1 for c in ctrs for m in c.get("Mounts") or [] if m.get("Mode") in ("z", "Z")) > 1
    out = []
    for doc in chunks:
        if not isinstance(doc, dict):
            out.append(doc)
            continue
        doc = json.loads(json.dumps(doc))
        for spec in _pod_specs(doc):
            renames = {}
            for ctr in (spec.get("containers") or []) + (spec.get("initContainers") or []):
                if ctr.get("ports"):
                    ctr["ports"].sort(key=lambda p: json.dumps(p, sort_keys=True))
                for m in ctr.get("volumeMounts") or []:
                    if re.search(r"-(host-|tmp-)?\d+$", m["name"]) or m["name"].startswith("tmp-"):
                        renames.setdefault(m["name"], f"mount:{m['mountPath']}")
                for m in ctr.get("volumeMounts") or []:
                    m["name"] = renames.get(m["name"], m["name"])
                if ctr.get("volumeMounts"):
                    ctr["volumeMounts"].sort(key=lambda m: m["mountPath"])
            for v in spec.get("volumes") or []:
                v["name"] = renames.get(v["name"], v["name"])
            if spec.get("volumes"):
                spec["volumes"].sort(key=lambda v: json.dumps(v, sort_keys=True))
        if doc.get("kind") == "Service" and doc["spec"].get("ports"):
            doc["spec"]["ports"].sort(key=lambda p: json.dumps(p, sort_keys=True))
        annotations = (doc.get("metadata") or {}).get("annotations") or {}
        if mask_relabel and "bind-mount-options" in annotations:
            annotations["bind-mount-options"] = "<one of the relabelled sources>"
        out.append(doc)
    return out


def service_ports_in_range(text: str) -> bool:
    return all(30000 <= int(m) <= 32767 for m in re.findall(r"nodePort: (\d+)", text))


def generate_args_text(args: list[str]) -> str:
    return shlex.join(args)


def value_paths(value, prefix=()):
    """(path, value) of every value inside nested dicts and lists, the root's ((), value) first."""
    yield prefix, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from value_paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from value_paths(item, prefix + (i,))


# A valid Pod of one container, as text: the base the check tests vary.
WEB_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: registry.example.com/app:1.0
"""

# A Deployment, as text, with the pod's `{spec}` lines (indented 6) given: `{{`/`}}` are braces.
WEB_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
{spec}"""


# The real-manifest corpus, read where it is (its SOURCES.md), never copied into the project.
CORPUS = ROOT.parent.parent / "shared" / "corpora" / "real-manifests"


def real_corpus() -> Path:
    """The corpus directory.  Missing, the test fails saying where it was looked for: the corpus tests are the proof
    of "no false errors on real repositories", and a skip would pass them unseen."""
    import pytest

    if not (CORPUS / "SOURCES.md").is_file():
        pytest.fail(f"the real-manifest corpus is not at {CORPUS} (it is read beside the checkout, in "
                    "../shared/corpora/real-manifests)")
    return CORPUS
