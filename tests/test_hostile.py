"""Hostile input, through the whole command line and the Python API.

Every case runs `python -m kubebridge` as a user would and requires: the exit
code, a message naming the file and the place (line, or JSON path), no
traceback, an end within a few seconds, and no output file left behind.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import kubebridge
from kubebridge.errors import InputError, KubebridgeError, UsageError
from kubebridge.limits import LIMITS

DEPTH = LIMITS.max_depth  # kubebridge's nesting limit: its message comes first, whatever parser is installed

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests/fixtures/generate/podman-5.4.2/pod-sidecar"
INSPECT = sorted(p for p in FIXTURE.glob("*.json") if p.name != "scenario.json")
SECONDS = 5

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: busybox\n"


def laughs() -> str:
    """The billion laughs: nine levels of nine aliases."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def fan_out() -> str:
    """An alias fan-out inside a pod: one big container repeated as many containers."""
    env = "".join(f"    - {{name: V{i}, value: \"{i}\"}}\n" for i in range(2000))
    return (f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  initContainers:\n  - &c\n    name: a\n"
            f"    image: busybox\n    env:\n{env}  containers: [{', '.join(['*c'] * 100)}]\n")


def inspect_with(path: tuple, value) -> bytes:
    """The pod-sidecar container inspect output with one value replaced."""
    data = json.loads((FIXTURE / "container-inspect.json").read_text())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return json.dumps(data).encode()


def many_documents(n: int) -> str:
    return "".join(f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n" for i in range(n))


BINARY = bytes(random.Random(7).randrange(256) for _ in range(4000))


@dataclass
class Case:
    id: str
    args: list[str]  # {name} is a file of `files`, written into a scratch directory
    files: dict[str, bytes | str]
    code: int
    place: list[str]  # each must be in the message (stderr; stdout for check's findings)
    output: str | None = None  # an -o target that must not exist afterwards
    existing: dict[str, str] = field(default_factory=dict)  # files that must be left as they were


CASES = [
    # generate: Podman inspect JSON
    Case("generate-empty", ["generate", "{in.json}"], {"in.json": ""}, 2, ["{in.json}: empty input"]),
    Case("generate-whitespace", ["generate", "{in.json}"], {"in.json": "  \n\t\n"}, 2, ["{in.json}: empty input"]),
    Case("generate-yaml-given", ["generate", "{pod.yaml}"], {"pod.yaml": POD}, 2,
         ["{pod.yaml}:1: not JSON", "`play` reads that"]),
    Case("generate-truncated-json", ["generate", "{in.json}"], {"in.json": '[{"Id": "abc",\n  "Name": '}, 2,
         ["{in.json}:2:11: invalid JSON"]),
    Case("generate-duplicate-key", ["generate", "{in.json}"],
         {"in.json": '[{"Id": "a", "Config": {"Env": [], "Env": []}}]'}, 2,
         ["{in.json}: at $[0].Config.Env: key 'Env' is given twice"]),
    Case("generate-unknown-json", ["generate", "{in.json}"], {"in.json": '{"apiVersion": "v1", "kind": "Pod"}'}, 2,
         ["{in.json}: at $: not Podman inspect output"]),
    Case("generate-wrong-type", ["generate", "{in.json}"], {"in.json": inspect_with((0, "Config", "Env"), 5)}, 2,
         ["{in.json}: at $[0].Config.Env: ", "array"]),
    Case("generate-wrong-type-deep", ["generate", "{in.json}"],
         {"in.json": inspect_with((0, "HostConfig", "PortBindings"), ["80/tcp"])}, 2,
         ["{in.json}: at $[0].HostConfig.PortBindings: "]),
    Case("generate-port-out-of-range", ["generate", "{in.json}"],
         {"in.json": inspect_with((0, "HostConfig", "PortBindings"),
                                  {"80/tcp": [{"HostIp": "", "HostPort": "99999"}]})},
         2, ["{in.json}: at $[0].HostConfig.PortBindings['80/tcp'][0].HostPort: '99999' is not empty or a port"]),
    Case("generate-time-not-a-time", ["generate", "{in.json}"], {"in.json": inspect_with((0, "Created"), "yesterday")},
         2, ["{in.json}: at $[0].Created: 'yesterday' is not an RFC 3339 time"]),
    Case("generate-deep-json", ["generate", "{in.json}"], {"in.json": "[" * 100_000 + "]" * 100_000}, 2,
         ["{in.json}:1:100000: JSON nested 100,000 levels deep: more than Python's recursion limit"]),
    Case("generate-binary", ["generate", "{in.json}"], {"in.json": BINARY}, 2, ["{in.json}: not UTF-8 text"]),
    Case("generate-nul", ["generate", "{in.json}"], {"in.json": b"[\x00]"}, 2, ["{in.json}:1:2: invalid JSON"]),
    Case("generate-directory", ["generate", "{dir}"], {}, 2, ["{dir}: is a directory"]),
    Case("generate-missing", ["generate", "{dir}/nope.json"], {}, 2, ["{dir}/nope.json: no such file"]),
    # inputs that yield nothing: said, never an empty success
    Case("generate-containers-without-their-pod", ["generate", "-o", "{dir}/out.yaml", "{ctrs.json}"],
         {"ctrs.json": (FIXTURE / "container-inspect.json").read_bytes()}, 2,
         ["{ctrs.json}: container app belongs to pod ", "`podman pod inspect` output is not in the input"],
         output="out.yaml"),
    Case("generate-empty-name", ["generate", "--name", "", *[str(p) for p in INSPECT]], {}, 2,
         ["name or ID cannot be empty"]),
    Case("play-inspect-json", ["play", "{ctrs.json}"], {"ctrs.json": (FIXTURE / "container-inspect.json").read_bytes()},
         2, ["{ctrs.json}: YAML document does not contain any supported kube kind (this looks like `podman ... "
             "inspect` output: `kubebridge generate` reads that)"]),
    Case("play-image-inspect-of-containers", ["play", "--image-inspect", "{ctrs.json}", "{in.yaml}"],
         {"ctrs.json": (FIXTURE / "container-inspect.json").read_bytes(), "in.yaml": POD}, 2,
         ["{ctrs.json}: not `podman image inspect` output (the images a manifest uses): it holds 3 container "
          "inspect"]),
    Case("generate-images-only", ["generate", "{images.json}"],
         {"images.json": (FIXTURE / "image-inspect.json").read_bytes()}, 2,
         ["{images.json}: nothing to generate: the input holds no `podman pod inspect`"]),
    Case("generate-max-bytes", ["generate", "--max-bytes", "1K", "{in.json}"],
         {"in.json": (FIXTURE / "container-inspect.json").read_bytes()}, 2,
         ["{in.json}: larger than 1,024 bytes", "--max-bytes"]),
    Case("generate-pod-without-containers", ["generate", "{in.json}"],
         {"in.json": '[{"Id": "abc", "Name": "p", "InfraConfig": {}}]'}, 2,
         ["{in.json}: at $[0]: pod abc has no containers"]),
    Case("generate-error-leaves-no-file", ["generate", "-o", "{dir}/out.yaml", "{in.json}"], {"in.json": "["}, 2,
         ["{in.json}:1:2: invalid JSON"], output="out.yaml"),
    Case("generate-error-keeps-old-output", ["generate", "-o", "{old.yaml}", "{in.json}"],
         {"in.json": "[", "old.yaml": "kept\n"}, 2, ["{in.json}:1:2: invalid JSON"], existing={"old.yaml": "kept\n"}),
    # play: Kubernetes YAML
    Case("play-empty", ["play", "{in.yaml}"], {"in.yaml": ""}, 2, ["{in.yaml}: no Kubernetes objects"]),
    Case("play-comments-only", ["play", "{in.yaml}"], {"in.yaml": "# nothing\n---\n# here\n"}, 2,
         ["{in.yaml}: no Kubernetes objects"]),
    Case("play-tab", ["play", "{in.yaml}"], {"in.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n"}, 2,
         ["{in.yaml}:4:1: invalid YAML"]),
    Case("play-unclosed-flow", ["play", "{in.yaml}"], {"in.yaml": POD + "    command: [top,\n"}, 2,
         ["{in.yaml}:10:1: invalid YAML"]),
    Case("play-billion-laughs", ["play", "{in.yaml}"], {"in.yaml": laughs()}, 2,
         ["{in.yaml}:6:10:", "excessive aliasing"]),
    Case("play-alias-fan-out-in-a-pod", ["play", "{in.yaml}"], {"in.yaml": fan_out()}, 2,
         ["{in.yaml}:2011:", "excessive aliasing"]),
    Case("play-recursive-alias", ["play", "{in.yaml}"], {"in.yaml": "a: &a [*a]\n"}, 2,
         ["{in.yaml}:1:8: unknown alias *a: no anchor &a is complete before it"]),
    Case("play-deep-nesting", ["play", "{in.yaml}"], {"in.yaml": "a: " + "[" * 5000 + "]" * 5000 + "\n"}, 2,
         [f"{{in.yaml}}:1:{DEPTH + 3}: YAML nested more than {DEPTH:,} levels deep"]),
    Case("play-deep-mappings", ["play", "{in.yaml}"],
         {"in.yaml": "".join("  " * i + f"k{i}:\n" for i in range(3000))}, 2,
         [f"{{in.yaml}}:{DEPTH + 1}:", f"nested more than {DEPTH:,} levels deep"]),
    Case("play-duplicate-key", ["play", "{in.yaml}"], {"in.yaml": POD + "    image: nginx\n"}, 2,
         ['{in.yaml}:9:5: at spec.containers[0].image: mapping key "image" already defined at line 8']),
    Case("play-latin1", ["play", "{in.yaml}"], {"in.yaml": POD.encode() + b"    workingDir: /caf\xe9\n"}, 2,
         [f"{{in.yaml}}:9: not UTF-8 text (byte {len(POD) + 20})"]),
    Case("play-binary", ["play", "{in.yaml}"], {"in.yaml": BINARY}, 2, ["{in.yaml}:1: not UTF-8 text"]),
    Case("play-nul", ["play", "{in.yaml}"], {"in.yaml": POD + "    workingDir: /a\x00b\n"}, 2,
         ["{in.yaml}:9: binary data"]),
    Case("play-inspect-json-given", ["play", "{in.json}"],
         {"in.json": (FIXTURE / "container-inspect.json").read_bytes()}, 2,
         ["{in.json}: YAML document does not contain any supported kube kind"]),
    Case("play-wrong-type", ["play", "{in.yaml}"], {"in.yaml": POD.replace("  - name: app\n    image: busybox\n",
                                                                             "  - abc\n")}, 2,
         ["{in.yaml}:7:5: at spec.containers[0]: ", "cannot unmarshal string"]),
    Case("play-port-not-a-number", ["play", "{in.yaml}"], {"in.yaml": POD + "    ports:\n    - containerPort: http\n"},
         2, ["{in.yaml}:10:7: at spec.containers[0].ports[0].containerPort: ", "cannot unmarshal string"]),
    Case("play-very-long-string", ["play", "{in.yaml}"],
         {"in.yaml": POD.replace("name: web\n", "name: web\n  annotations:\n    big: " + "x" * 5_000_000 + "\n")}, 2,
         ["{in.yaml}:6:10: a string of 5,000,000 characters"]),
    Case("play-max-documents", ["play", "--max-documents", "3", "{in.yaml}"], {"in.yaml": many_documents(5)}, 2,
         ["{in.yaml}:17: more than 3 documents", "--max-documents"]),
    Case("play-max-bytes", ["play", "--max-bytes", "50", "{in.yaml}"], {"in.yaml": POD}, 2,
         ["{in.yaml}: larger than 50 bytes"]),
    Case("play-directory", ["play", "{dir}"], {}, 2, ["{dir}: is a directory"]),
    Case("play-bad-image-inspect", ["play", "--image-inspect", "{img.json}", "{in.yaml}"],
         {"img.json": "{", "in.yaml": POD}, 2, ["{img.json}:1:2: invalid JSON"]),
    Case("play-bad-configmap", ["play", "--configmap", "{cm.yaml}", "{in.yaml}"],
         {"cm.yaml": "data: [", "in.yaml": POD}, 2, ["{cm.yaml}:2:1: invalid YAML"]),
    Case("play-error-leaves-no-file", ["play", "-o", "{dir}/out.json", "{in.yaml}"], {"in.yaml": "a: ["}, 2,
         ["{in.yaml}:2:1: invalid YAML"], output="out.json"),
    Case("play-long-value-clipped", ["play", "--no-stat", "{in.yaml}"],
         {"in.yaml": POD.replace("image: busybox", "image: localhost/" + "x" * 3_000_000)}, 0,
         ["kubebridge: warning: no image inspect for 'localhost/xxx", "characters]...xxx"]),
    # check: findings for what it reads, exit 2 for what it cannot
    Case("check-empty", ["check", "{in.yaml}"], {"in.yaml": ""}, 0, ["{in.yaml}:1:1: warning [empty]"]),
    Case("check-billion-laughs", ["check", "{in.yaml}"], {"in.yaml": laughs()}, 2,
         ["{in.yaml}:6:10: error [yaml] document contains excessive aliasing"]),
    Case("check-tab", ["check", "{in.yaml}"], {"in.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n"}, 2,
         ["{in.yaml}:4:1: error [yaml] invalid YAML"]),
    Case("check-binary", ["check", "{in.yaml}"], {"in.yaml": BINARY}, 2, ["{in.yaml}:1:1: error [yaml] not UTF-8"]),
    Case("check-deep-json", ["check", "{in.json}"], {"in.json": "[" * 100_000 + "]" * 100_000}, 2,
         [f"{{in.json}}:1:{DEPTH + 1}: error [yaml] YAML nested more than {DEPTH:,} levels deep"]),
    Case("check-wrong-type", ["check", "{in.yaml}"], {"in.yaml": POD.replace("  - name: app\n    image: busybox\n",
                                                                               "  - abc\n")}, 1,
         ["{in.yaml}:7:5: error [schema]", "spec.containers[0]"]),
    Case("check-port-out-of-range", ["check", "{in.yaml}"],
         {"in.yaml": POD + "    ports:\n    - containerPort: 70000\n"}, 1,
         ["{in.yaml}:10:7: error [port-invalid] containerPort 70000"]),
    Case("check-directory-nothing-lost", ["check", "{dir}"],
         {"bad.yaml": "a: [", "good.yaml": POD.replace("busybox", "busybox:1.36")}, 2,
         ["{bad.yaml}:2:1: error [yaml]", "in 1 document (2 files)"]),
    Case("check-max-documents", ["check", "--max-documents", "3", "{in.yaml}"], {"in.yaml": many_documents(5)}, 2,
         ["{in.yaml}:17:1: error [yaml] more than 3 documents", "fix: split the file, or raise the limit"]),
    Case("check-long-value-clipped", ["check", "{in.yaml}"],
         {"in.yaml": POD.replace("image: busybox", "image: localhost/" + "x" * 3_000_000)}, 0,
         ["{in.yaml}:8:5: warning [image-local] image 'localhost/xxx", "characters]...xxx"]),
    Case("check-missing", ["check", "{dir}/nope.yaml"], {}, 2, ["{dir}/nope.yaml: error [yaml] no such file",
                                                               "the file, for both; fix: check the path: give an existing "]),
    Case("check-error-still-reports", ["check", "-o", "{dir}/report.txt", "{in.yaml}"], {"in.yaml": "a: ["},
         2, []),
    # roundtrip
    Case("roundtrip-empty", ["roundtrip", "{in.yaml}"], {"in.yaml": ""}, 2, ["{in.yaml}: no Kubernetes objects"]),
    Case("roundtrip-bad-yaml", ["roundtrip", "{in.yaml}"], {"in.yaml": "a: [\n"}, 2, ["{in.yaml}:2:1: invalid YAML"]),
    Case("roundtrip-deep-json", ["roundtrip", "{in.json}"], {"in.json": "[" * 100_000 + "]" * 100_000}, 2,
         [f"{{in.json}}:1:{DEPTH + 1}: YAML nested more than {DEPTH:,} levels deep"]),
    Case("roundtrip-duplicate-key-inspect", ["roundtrip", "{in.json}"],
         {"in.json": inspect_with((0, "Name"), "x").replace(b'"Name": "x"', b'"Name": "x", "Name": "y"')}, 2,
         ["{in.json}: at $[0].Name: key 'Name' is given twice"]),
    Case("roundtrip-binary", ["roundtrip", "{in.yaml}"], {"in.yaml": BINARY}, 2, ["{in.yaml}:1: not UTF-8 text"]),
    Case("roundtrip-no-image", ["roundtrip", "--no-stat", "{in.yaml}"],
         {"in.yaml": POD.replace("busybox", "localhost/busybox:latest")}, 1,
         ["kubebridge: warning: no image inspect for 'localhost/busybox:latest'"]),
]


def _fill(text: str, where: Path) -> str:
    for name in [n for n in ("dir",)]:
        text = text.replace("{" + name + "}", str(where))
    while "{" in text and "}" in text:
        start = text.index("{")
        end = text.index("}", start)
        text = text[:start] + str(where / text[start + 1:end]) + text[end + 1:]
    return text


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_gets_a_clear_error(case, tmp_path):
    for name, content in case.files.items():
        (tmp_path / name).write_bytes(content.encode() if isinstance(content, str) else content)
    argv = [_fill(a, tmp_path) for a in case.args]
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "kubebridge", *argv], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    took = time.monotonic() - start
    message = proc.stderr + (proc.stdout if argv[0] == "check" else "")
    assert proc.returncode == case.code, message[-2000:]
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    for expected in case.place:
        assert _fill(expected, tmp_path) in message, message[:2000]
    if case.code == 2 and argv[0] != "check":
        assert proc.stderr.startswith("kubebridge: error: ") and proc.stderr.count("\n") == 1, proc.stderr[:2000]
        assert proc.stdout == ""
    assert max(map(len, proc.stderr.splitlines() or [""])) < 1200  # a huge value is clipped in a message
    if argv[0] == "check":
        assert max(map(len, proc.stdout.splitlines() or [""])) < 1400
    assert took < SECONDS, f"took {took:.1f} s"
    if case.output:
        assert not (tmp_path / case.output).exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file either
    for name, content in case.existing.items():
        assert (tmp_path / name).read_text() == content


def test_check_report_is_written_even_when_input_is_unusable(tmp_path):
    (tmp_path / "in.yaml").write_text("a: [")
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "check", "--format", "json", "-o",
                           str(tmp_path / "r.json"), str(tmp_path / "in.yaml")], capture_output=True, text=True)
    assert proc.returncode == 2
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["summary"]["exit_code"] == 2 and report["findings"][0]["line"] == 2


# --- the Python API: the same, as exceptions of one hierarchy -------------------------------------

API_CASES = [
    ("generate-text-not-json", lambda: kubebridge.generate("apiVersion: v1\n"), InputError, "<input 1>:1: not JSON"),
    ("generate-wrong-type", lambda: kubebridge.generate(json.loads(inspect_with((0, "Config", "Cmd"), {"a": 1}))),
     InputError, "<input 1>: at $[0].Config.Cmd: "),
    ("generate-not-an-input", lambda: kubebridge.generate(None), UsageError, "input 1 is of type NoneType"),
    ("generate-missing-file", lambda: kubebridge.generate("/nonexistent/pod.json"), InputError,
     "/nonexistent/pod.json: no such file"),
    ("play-latin1", lambda: kubebridge.play(POD.encode() + b"    workingDir: /caf\xe9\n"), InputError,
     "<input 1>:9: not UTF-8 text"),
    ("play-wrong-type", lambda: kubebridge.play({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                                                 "spec": {"containers": [{"name": "a", "image": "b", "env": 3}]}}),
     InputError, "at spec.containers[0].env: "),
    ("play-laughs", lambda: kubebridge.play(laughs()), InputError,
     "<input 1>:6:10: document contains excessive aliasing"),
    ("play-not-an-input", lambda: kubebridge.play(42), UsageError, "input 1 is of type int"),
    ("play-empty", lambda: kubebridge.play(""), InputError, "<input 1>: no Kubernetes objects"),
    ("generate-containers-without-their-pod", lambda: kubebridge.generate(FIXTURE / "container-inspect.json"),
     InputError, "`podman pod inspect` output is not in the input"),
    ("generate-names-not-strings", lambda: kubebridge.generate(*INSPECT, names=[1]), UsageError,
     "names=[1] (list): give pod, container or volume names or IDs: a str or a list of strs"),
    ("check-not-an-input", lambda: kubebridge.check(object()), UsageError, "input 1 is of type object"),
    ("check-bad-version", lambda: kubebridge.check(POD, podman_version="3"), UsageError, "3"),
    ("roundtrip-bad-yaml", lambda: kubebridge.roundtrip("a: [\n"), InputError, "<input 1>:2:1: invalid YAML"),
    ("roundtrip-deep", lambda: kubebridge.roundtrip("[" * 100_000 + "]" * 100_000), InputError,
     f"YAML nested more than {DEPTH:,} levels deep"),
]


@pytest.mark.parametrize("call, error, message", [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES])
def test_api_raises_one_hierarchy(call, error, message):
    start = time.monotonic()
    with pytest.raises(KubebridgeError) as info:
        call()
    assert isinstance(info.value, error)
    assert message in str(info.value)
    assert time.monotonic() - start < SECONDS


def test_check_api_reports_unreadable_text_as_a_finding():
    result = kubebridge.check(laughs())
    assert result.exit_code == 2
    assert [(f.rule, f.line) for f in result.findings] == [("yaml", 6)]
