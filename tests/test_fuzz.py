"""Fuzzing every entry point: whatever comes in, only a KubebridgeError comes out.

Inputs are random bytes, random JSON, random YAML-like text, and real captured
fixtures with random mutations (a value of the wrong type or range, a key
removed, a list where a map was).  The loaders, the Python API (generate,
play, check, roundtrip) and the command line (each command, in process, its
exit code and stderr) are run on them.  `check` must also never report the
`internal` rule: that would be a rule crashing.  The CI profile runs 2,000
examples per entry point (conftest.FUZZ_EXAMPLES).
"""
from __future__ import annotations

import copy
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from conftest import FUZZ_EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import value_paths

import kubebridge
from kubebridge.cli import main
from kubebridge.errors import KubebridgeError
from kubebridge.load.inspect import Source, load_snapshot
from kubebridge.load.manifests import load_documents

ROOT = Path(__file__).resolve().parent
GENERATE = sorted((ROOT / "fixtures/generate").glob("podman-*/*"))
UNREADABLE = ("error-tab", "error-duplicate-key-line", "error-merge-twice", "error-merge-scalar")  # Podman's reader refuses
PLAY = sorted(p for p in (ROOT / "fixtures/play").glob("podman-*/*/play.yaml") if p.parent.name not in UNREADABLE)
SNAPSHOTS = [[json.loads(p.read_text()) for p in sorted(d.glob("*inspect*.json"))] for d in GENERATE]
MANIFESTS = [[d.data for d in load_documents(p.read_bytes(), str(p), "podman", expand_lists=False)] for p in PLAY]
MANIFESTS = [m for m in MANIFESTS if m]

fuzz = settings(max_examples=FUZZ_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                    st.text(max_size=12), st.sampled_from(["", "-1", "0", "65536", "TCP", "Always", "a" * 300,
                                                           "$(X)", "'\"`$\\\n", "/", ":", "a=b", "1Gi", "2.5"]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8), inner, max_size=4), max_leaves=12)
yaml_like = st.text(alphabet="-:{}[]&*!|>'\"#%@`,?\n\t abk01.\\$~=", max_size=200)


@st.composite
def mutated(draw, corpus):
    """A real document set with one to three values replaced, removed or wrapped."""
    docs = copy.deepcopy(draw(st.sampled_from(corpus)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p, _ in value_paths(docs) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = docs
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "remove", "wrap"]))
        if action == "remove":
            del parent[path[-1]]
        elif action == "wrap":
            parent[path[-1]] = draw(st.sampled_from([[parent[path[-1]]], {"x": parent[path[-1]]}]))
        else:
            parent[path[-1]] = draw(json_values)
    return docs


def only_kubebridge_errors(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except KubebridgeError as exc:
        assert str(exc)  # a message, always
        return exc


def run_cli(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code
    assert "Traceback" not in err.getvalue()
    return code, err.getvalue()


# --- loaders -----------------------------------------------------------------------------------

@fuzz
@given(raw=st.binary(max_size=300) | yaml_like.map(str.encode))
def test_yaml_loader_raises_only_its_own_errors(raw):
    for dialect in ("kubernetes", "podman"):
        only_kubebridge_errors(load_documents, raw, "f.yaml", dialect)


@fuzz
@given(raw=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_inspect_loader_raises_only_its_own_errors(raw):
    only_kubebridge_errors(load_snapshot, [Source("f.json", text=raw)])


# --- the Python API ----------------------------------------------------------------------------

@fuzz
@given(snap=mutated(SNAPSHOTS), version=st.sampled_from(["5", "4.3"]), portable=st.booleans(),
       service=st.booleans(), kind=st.sampled_from(["pod", "deployment", "daemonset", "job"]))
def test_generate_of_mutated_inspect_output(snap, version, portable, service, kind):
    options = dict(podman_version=version, host_paths={}, timestamp="2026-01-01T00:00:00Z", service=service)
    if version == "5":
        options["type"] = kind
    result = only_kubebridge_errors(kubebridge.generate, *snap, portable=portable, **options)
    assert isinstance(result, (list, KubebridgeError))
    if isinstance(result, list):
        assert isinstance(only_kubebridge_errors(kubebridge.to_yaml, result), (str, KubebridgeError))


@fuzz
@given(docs=mutated(MANIFESTS), version=st.sampled_from(["5", "4.3"]), publish_all=st.booleans(),
       sidecars=st.sampled_from(["podman", "containers"]), commands=st.booleans())
def test_play_of_mutated_manifests(docs, version, publish_all, sidecars, commands):
    play = kubebridge.play_commands if commands else kubebridge.play
    result = only_kubebridge_errors(play, docs, podman_version=version, host_paths={}, publish_all=publish_all,
                                    sidecars=sidecars, node_hostname="host", host_memory=1 << 30, host_cpus=2)
    assert isinstance(result, (str if commands else dict, KubebridgeError))


@fuzz
@given(docs=mutated(MANIFESTS), version=st.sampled_from(["5", "4.3"]), strict=st.booleans())
def test_check_of_mutated_manifests_never_crashes_a_rule(docs, version, strict):
    result = kubebridge.check(docs, podman_version=version, strict=strict)
    assert [f.message for f in result.findings if f.rule == "internal"] == []


@fuzz
@given(text=yaml_like | st.binary(max_size=200))
def test_check_of_random_text(text):
    result = kubebridge.check(text)
    assert [f.message for f in result.findings if f.rule == "internal"] == []
    assert result.exit_code in (0, 1, 2)


@fuzz
@given(docs=mutated(MANIFESTS))
def test_roundtrip_of_mutated_manifests(docs):
    only_kubebridge_errors(kubebridge.roundtrip, docs, host_paths={}, timestamp="2026-01-01T00:00:00Z")


@fuzz
@given(snap=mutated(SNAPSHOTS))
def test_roundtrip_of_mutated_inspect_output(snap):
    only_kubebridge_errors(kubebridge.roundtrip, *snap, host_paths={}, timestamp="2026-01-01T00:00:00Z")


# --- the command line ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


@fuzz
@given(raw=st.binary(max_size=300) | yaml_like.map(str.encode) | mutated(MANIFESTS).map(
    lambda docs: json.dumps(docs[:1]).encode()) | mutated(SNAPSHOTS).map(lambda s: json.dumps(s[:1]).encode()),
       command=st.sampled_from(["generate", "play", "check", "roundtrip"]))
def test_every_command_ends_in_an_exit_code_not_a_traceback(scratch, raw, command):
    path = scratch / "input"
    path.write_bytes(raw)
    argv = [command, str(path)] + (["--no-stat"] if command in ("generate", "play", "roundtrip") else [])
    code, err = run_cli(argv)
    assert code in (0, 1, 2)
    if code == 2 and command != "check":
        assert err.startswith("kubebridge: error: ") and str(path) in err
