"""The go-yaml v2 writer.

The oracle is Podman: every document Podman printed in the fixtures is parsed
and written again, and must come out byte-identical.  The property tests then
check, for arbitrary data, what go-yaml guarantees: the text reads back (with
YAML 1.1 rules, which Kubernetes tools use) as exactly the same data.
"""
from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from support import FIXTURES

from kubebridge.render import goyaml

DOCS = []
for f in sorted((FIXTURES / "generate").glob("podman-*/*/generate.yaml")):
    for i, chunk in enumerate(f.read_text().split("\n", 4)[4].split("---\n")):
        if not chunk.startswith("\n#"):
            DOCS.append(pytest.param(chunk[:-1] if chunk.endswith("\n\n") else chunk,
                                     id=f"{f.parent.parent.name}/{f.parent.name}/{i}"))


def load11(text: str):
    """YAML 1.1, as Kubernetes tools read it: go-yaml v2 resolves a plain `=` as a string, not !!value, and a
    plain `<<` as a string unless it is a mapping key (its resolve table has no hint for `<`)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    for tag in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"):
        yaml.constructor.add_constructor(tag, lambda loader, node: loader.construct_scalar(node))
    return yaml.load(io.StringIO(text))


@pytest.mark.parametrize("text", DOCS)
def test_rewrites_podman_documents_identically(text):
    yaml = YAML(typ="safe", pure=True)
    assert goyaml.dump(yaml.load(text)) == text


@pytest.mark.parametrize("value,expected", [
    # quoting decided by go-yaml's resolver: anything that would read as non-string is double-quoted
    ("true", '"true"'), ("yes", '"yes"'), ("On", '"On"'), ("y", '"y"'), ("~", '"~"'), ("null", '"null"'),
    ("", '""'), ("8080", '"8080"'), ("0755", '"0755"'), ("0x1F", '"0x1F"'), ("1_000", '"1_000"'),
    ("1.5", '"1.5"'), (".5", '".5"'), ("1e3", '"1e3"'), (".inf", '".inf"'), ("2024-01-01", '"2024-01-01"'),
    ("1:30", '"1:30"'), ("+1", '"+1"'),
    # ... and strings that stay strings but hit the emitter's indicator rules are single-quoted
    ("*", "'*'"), ("a: b", "'a: b'"), ("a #b", "'a #b'"), ("---", "'---'"), ("-", "'-'"), ("it's", "it's"),
    ("'x", "'''x'"), ("{a}", "'{a}'"), ("@x", "'@x'"), ("a:", "'a:'"),
    # plain
    ("-x", "-x"), ("a:b", "a:b"), ("s0:c1,c2", "s0:c1,c2"), ("daemon off;", "daemon off;"), ("?x", "?x"),
    ("2024-13-01", "2024-13-01"), ("1e400", "1e400"), ("héllo", "héllo"),
    # escapes and literal blocks
    ("a\tb", '"a\\tb"'), ("a\nb", "|-\n  a\n  b"), ("end\n", "|\n  end"), ("\u0085", '"\\N"'),
    ("\U0001F600", '"\\U0001F600"'),
])
def test_scalar_styles(value, expected):
    assert goyaml.dump({"k": value}) == f"k: {expected}\n"


def test_long_strings_fold_at_80_columns_as_go_yaml_does():
    # the lines Podman 5.4.2 printed for scenario pod-annotation-long
    text = goyaml.dump({"metadata": {"annotations": {"words/app": "lorem ipsum dolor sit amet " * 5}}})
    assert text == ("metadata:\n  annotations:\n"
                    "    words/app: 'lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum\n"
                    "      dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet '\n")


def test_natural_key_order():
    keys = ["tmp-10", "tmp-2", "b", "a", "B", "a1", "a-b", "io.x/app", "10"]
    assert goyaml.sorted_keys(keys) == ["10", "B", "a", "a-b", "a1", "b", "io.x/app", "tmp-2", "tmp-10"]


def test_sequences_under_mappings_are_not_indented():
    assert goyaml.dump({"a": [{"b": 1, "c": [2]}], "d": {}, "e": []}) == "a:\n- b: 1\n  c:\n  - 2\nd: {}\ne: []\n"


def test_long_keys_use_the_complex_key_form():
    key = "k" * 129
    assert goyaml.dump({key: 1}) == f"? {key}\n: 1\n"


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 63), 2 ** 63 - 1), st.text(max_size=120))
# "<<" is YAML 1.1's merge key; go-yaml writes it plain too, and Kubernetes never has such a key
keys = st.text(max_size=20).filter(lambda k: k != "<<")
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, json_values, max_size=6))
def test_output_reads_back_as_the_same_data(doc):
    text = goyaml.dump(doc)
    assert load11(text) == doc


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_string_round_trips(value):
    assert load11(goyaml.dump({"v": value, "list": [value]})) == {"v": value, "list": [value]}


def test_a_merge_sign_that_is_no_key_reads_as_a_string():
    """go-yaml (v2 and v3) merges only at a `<<` key; a `<<` value or list item is the string "<<"."""
    from kubebridge.load.manifests import load_documents

    for dialect in ("kubernetes", "podman"):
        data = load_documents("a: <<\nb: [<<]\nbase: &b {c: 1}\nd:\n  <<: *b\n", dialect=dialect)[0].data
        assert data == {"a": "<<", "b": ["<<"], "base": {"c": 1}, "d": {"c": 1}}
        assert load_documents(goyaml.dump({"a": "<<"}), dialect=dialect)[0].data == {"a": "<<"}

