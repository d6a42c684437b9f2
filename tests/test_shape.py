"""The fast schema checker must agree with jsonschema, the reference, on every input."""
from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from support import FIXTURES, value_paths

from kubebridge.load import shape
from kubebridge.load.inspect import kind_of

OBJECTS = []
for f in sorted((FIXTURES / "generate").glob("podman-*/*/*-inspect*.json")):
    data = json.loads(f.read_text())
    for obj in data if isinstance(data, list) else [data]:
        OBJECTS.append((kind_of(obj), obj))
KINDS = ("pod", "container", "image", "volume")


def reference(kind: str, obj) -> bool:
    return Draft202012Validator(shape.load_schema(f"inspect/{kind}")).is_valid(obj)


@pytest.mark.parametrize("kind", KINDS)
def test_schemas_are_valid_draft_2020_12(kind):
    Draft202012Validator.check_schema(shape.load_schema(f"inspect/{kind}"))


def test_every_captured_object_is_recognised_and_valid():
    assert {k for k, _ in OBJECTS} == set(KINDS)
    for kind, obj in OBJECTS:
        assert shape.checker(f"inspect/{kind}")(obj)
        assert reference(kind, obj)


REPLACEMENTS = st.sampled_from([None, 0, -1, 1.5, 2.0, True, "", "x", "80/tcp", [], ["a"], [1], {}, {"a": 1},
                                {"HostIp": 1}])


@settings(max_examples=2000, deadline=None)
@given(st.integers(0, len(OBJECTS) - 1), st.integers(0, 10 ** 6), REPLACEMENTS, st.booleans())
def test_fast_checker_agrees_with_jsonschema_on_mutations(index, where, replacement, delete):
    kind, original = OBJECTS[index]
    obj = copy.deepcopy(original)
    paths = [p for p, _ in value_paths(obj) if p]
    path = paths[where % len(paths)]
    parent = obj
    for step in path[:-1]:
        parent = parent[step]
    if delete and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    assert shape.checker(f"inspect/{kind}")(obj) == reference(kind, obj)


def test_explain_gives_jsonschemas_path_and_message():
    kind, obj = next((k, o) for k, o in OBJECTS if k == "container")
    obj = copy.deepcopy(obj)
    obj["HostConfig"]["PortBindings"] = {"80/tcp": [{"HostIp": 5}]}
    assert not shape.checker("inspect/container")(obj)
    path, message = shape.explain("inspect/container", obj)
    assert path == "$.HostConfig.PortBindings['80/tcp'][0].HostIp"
    assert message == "5 is not of type 'string'"


def test_unknown_keywords_are_refused_rather_than_ignored():
    with pytest.raises(ValueError, match="not supported"):
        shape.compile_schema({"type": "object", "maxProperties": 3})
