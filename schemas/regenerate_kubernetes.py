"""Regenerate schemas/kubernetes/ from a pinned source: the kubernetes-validate wheel.

    python schemas/regenerate_kubernetes.py [--wheel PATH]

The wheel (kubernetes-validate 1.37.0, checked against its sha256) carries the
Kubernetes JSON Schemas of every minor from 1.25 to 1.37, built from the
Kubernetes OpenAPI by openapi2jsonschema.  This keeps every built-in kind of
every minor: each top-level schema that declares x-kubernetes-group-version-kind
(one file may declare several, as DeleteOptions does) and the definitions they
reach.  Descriptions, x-kubernetes-* annotations, $schema and $id are dropped
(validation ignores them; a property that happens to be named so is kept).

Each distinct cleaned schema is stored once, across kinds and minors:

    definitions.json  {"<hash>": schema, ...}  one entry a line, so a run
                      parses only the lines it needs; <hash> is the first 12
                      hex digits of the sha256 of the schema's canonical JSON
    v1.NN.json        {"definitions": {"io.k8s.api.core.v1.Pod": "<hash>", ...},
                       "kinds": {"apps/v1/Deployment": "<hash>", ...}}
                      a minor's names of definitions ($ref "#/$defs/<name>")
                      and the root schema of every apiVersion/kind it serves
    index.json        the minors, the API groups, the first and last minor
                      serving each apiVersion/kind, the source and its sha256

kubebridge derives strict mode itself (additionalProperties: false on every
object with properties; kubebridge/checks/schema.py), so only the non-strict
schemas are stored; this script proves that derivation equals the wheel's
-strict schemas for every definition and root schema of every minor, so for
every kind, and stops if it does not.  It also proves every kind's root is the
file kubernetes-validate itself would pick for that apiVersion/kind.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "kubernetes-validate==1.37.0"
SHA256 = "85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9"
OUT = Path(__file__).resolve().parent / "kubernetes"
MINORS = range(25, 38)
REF_PREFIX = "/api/_definitions.json#/$defs/"
HASH_DIGITS = 12
DROPPED = ("description", "$schema", "$id")

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


def clean(node, names: bool = False):
    """Without descriptions and x-kubernetes-* annotations; refs made local.

    names: node is a `properties` map, whose keys are field names (a field may
    be called "description" or "$schema"), not keywords.
    """
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not names:
                if key in DROPPED or key.startswith("x-kubernetes-"):
                    continue
                if key == "$ref" and isinstance(value, str) and value.startswith(REF_PREFIX):
                    value = "#/$defs/" + value[len(REF_PREFIX):]
            out[key] = clean(value, not names and key == "properties")
        return out
    if isinstance(node, list):
        return [clean(v) for v in node]
    return node


def canonical(schema) -> str:
    return json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:HASH_DIGITS]


def refs(node, found: set, names: bool = False) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if not names and key == "$ref" and isinstance(value, str):
                found.add(value.rsplit("/", 1)[-1])
            else:
                refs(value, found, not names and key == "properties")
    elif isinstance(node, list):
        for value in node:
            refs(value, found)


def version_dir(version: str, flavour: str = "") -> str:
    return f"kubernetes_validate/kubernetes-json-schema/v{version}.0-local{flavour}/"


def kv_file(api: str, kind: str) -> str:
    """The file kubernetes-validate reads for apiVersion/kind (kubernetes_validate.utils.validate)."""
    return kind.lower() + "-" + re.sub(r"^([^./]*)(?:[.][^/]*)?/", r"\1-", api) + ".json"


def kind_files(z: zipfile.ZipFile, version: str, flavour: str = "") -> dict[str, dict]:
    """Every top-level schema of the minor that declares a group-version-kind, by file name (unchanged)."""
    base = version_dir(version, flavour)
    found = {}
    for name in z.namelist():
        if not name.startswith(base) or name.endswith(("/_definitions.json", "/all.json")) or name == base:
            continue
        schema = json.loads(z.read(name))
        if schema.get("x-kubernetes-group-version-kind"):
            found[name[len(base):]] = schema
    return found


def minor(z: zipfile.ZipFile, version: str, table: dict[str, str]) -> dict:
    """One minor: its definitions and kinds as hashes into table (filled here), strict derivation proven."""
    plain_defs = json.loads(z.read(version_dir(version) + "_definitions.json"))["$defs"]
    strict_defs = json.loads(z.read(version_dir(version, "-strict") + "_definitions.json"))["$defs"]
    plain_kinds, strict_kinds = kind_files(z, version), kind_files(z, version, "-strict")
    if set(plain_defs) != set(strict_defs) or set(plain_kinds) != set(strict_kinds):
        raise SystemExit(f"v{version}: the strict and non-strict schemas name different definitions or kinds")

    def store(schema) -> str:
        text = canonical(schema)
        key = digest(text)
        if table.setdefault(key, text) != text:
            raise SystemExit(f"hash collision on {key}: use more digits")
        return key

    def prove(what: str, plain, strict) -> None:
        if strict_variant(clean(plain)) != clean(strict):
            raise SystemExit(f"v{version} {what}: derived strict schema differs from the wheel's -strict one")

    definitions = {}
    for name in sorted(plain_defs):
        prove(f"definition {name}", plain_defs[name], strict_defs[name])
        definitions[name] = store(clean(plain_defs[name]))
    kinds = {}
    names = set(z.namelist())
    for filename in sorted(plain_kinds):
        schema = plain_kinds[filename]
        prove(filename, schema, strict_kinds[filename])
        root = clean(schema)
        wanted: set = set()
        refs(root, wanted)
        missing = wanted - set(plain_defs)
        if missing:
            raise SystemExit(f"v{version} {filename}: refers to missing definitions {sorted(missing)}")
        for gvk in schema["x-kubernetes-group-version-kind"]:
            api = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            key = f"{api}/{gvk['kind']}"
            theirs = version_dir(version) + kv_file(api, gvk["kind"])
            if theirs in names and clean(json.loads(z.read(theirs))) != root:
                raise SystemExit(f"v{version} {key}: kubernetes-validate reads {theirs}, not {filename}")
            if key in kinds and kinds[key] != store(root):
                raise SystemExit(f"v{version} {key}: declared by two different schemas")
            kinds[key] = store(root)
    return {"definitions": definitions, "kinds": dict(sorted(kinds.items()))}


def served_spans(versions: list[str]) -> dict[str, list[str]]:
    """"apiVersion/Kind" -> [the first, the last] minor serving it: each is served by an unbroken run of minors."""
    serving: dict[str, list[str]] = {}
    for version in versions:
        for key in json.loads((OUT / f"v{version}.json").read_text())["kinds"]:
            serving.setdefault(key, []).append(version)
    for key, minors in serving.items():
        if minors != versions[versions.index(minors[0]):versions.index(minors[-1]) + 1]:
            raise SystemExit(f"{key} is served by {minors}: not one run of minors (api_lifecycle assumes one)")
    return {key: [minors[0], minors[-1]] for key, minors in sorted(serving.items())}


def write_table(table: dict[str, str], path: Path) -> None:
    """A JSON object of one entry a line: k8s_schema parses only the lines a run needs."""
    lines = [f'"{key}":{table[key]}' for key in sorted(table)]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel", help="a downloaded kubernetes_validate wheel (default: pip download it)")
    opts = ap.parse_args()
    z = zipfile.ZipFile(fetch_wheel(opts.wheel))
    OUT.mkdir(exist_ok=True)
    versions, groups, table = [], set(), {}
    for number in MINORS:
        version = f"1.{number}"
        data = minor(z, version, table)
        groups.update(key.rsplit("/", 2)[0] if key.count("/") == 2 else "" for key in data["kinds"])
        text = json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"
        (OUT / f"v{version}.json").write_text(text)
        versions.append(version)
        print(f"v{version}: {len(data['kinds'])} kinds, {len(data['definitions'])} definitions, "
              f"{len(text) // 1024} KiB; strict derivation exact")
    write_table(table, OUT / "definitions.json")
    index = {"source": PACKAGE, "sha256": SHA256, "versions": versions, "groups": sorted(groups),
             "served": served_spans(versions)}
    text = json.dumps(index, indent=1, sort_keys=True)
    text = re.sub(r'\[\n +("1\.\d+"),\n +("1\.\d+")\n +\]', r"[\1, \2]", text)  # a span on one line
    (OUT / "index.json").write_text(text + "\n")
    size = sum(p.stat().st_size for p in OUT.glob("*.json"))
    print(f"{len(table)} distinct schemas; schemas/kubernetes/ holds {size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
