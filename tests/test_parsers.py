"""kubebridge's limits fire before any YAML parser's own, whichever parsers are installed.

PyYAML 6.0.4's libyaml refuses nesting of 1,000 levels in its own words, and
its scanner reads up to 1,024 characters ahead of the events it gives; ruamel's
libyaml has no such limit today.  kube_yaml picks, per text, the fastest parser
whose own limit that text cannot reach.  These tests force each parser (and the
pure-Python fallback) in turn and require kubebridge's message every time.
"""
from __future__ import annotations

import pytest

from kubebridge.errors import InputError
from kubebridge.limits import LIMITS, Limits
from kubebridge.load import manifests as kube_yaml
from kubebridge.load import yaml_parsers

DEEP = {
    "flow": "a: " + "[" * 2500 + "]" * 2500 + "\n",
    "block": "".join("  " * i + f"k{i}:\n" for i in range(3000)),
    "json": "[" * 2500 + "]" * 2500,
}
CHOICES = {"pyyaml-first": yaml_parsers.CANDIDATES, "ruamel-only": (yaml_parsers.ruamel,), "python-only": ()}


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("shape", DEEP)
def test_the_nesting_limit_is_kubebridges(monkeypatch, choice, shape):
    monkeypatch.setattr(yaml_parsers, "CANDIDATES", CHOICES[choice])
    with pytest.raises(InputError) as info:
        kube_yaml.load_documents(DEEP[shape], "deep.yaml", "podman")
    assert f"YAML nested more than {LIMITS.max_depth:,} levels deep (the limit)" in str(info.value)
    assert str(info.value).startswith("deep.yaml:")


def test_a_lower_limit_is_kubebridges_too():
    with pytest.raises(InputError) as info:
        kube_yaml.load_documents("a: " + "[" * 60 + "]" * 60, "x.yaml", "podman", limits=Limits(max_depth=50))
    assert "x.yaml:1:53: YAML nested more than 50 levels deep (the limit)" in str(info.value)


def test_a_higher_limit_is_honoured_by_a_parser_that_reads_that_deep():
    depth = 1500  # beyond PyYAML 6.0.4's own limit
    docs = kube_yaml.load_documents("a: " + "[" * depth + "]" * depth, "x.yaml", "podman",
                                    limits=Limits(max_depth=depth + 1))
    value, levels = docs[0].data["a"], 1
    while value:
        value, levels = value[0], levels + 1
    assert levels == depth


class _Limited:
    """A parser that refuses nesting past 40 levels in its own words, as PyYAML 6.0.4's does past 999."""

    LIMIT = 40

    def __init__(self, text):
        self.inner = yaml_parsers.ruamel()(text)
        self.depth = 0

    def check_event(self):
        return self.inner.check_event()

    def peek_event(self):
        return self.inner.peek_event()

    def get_event(self):
        event = self.inner.get_event()
        name = type(event).__name__
        self.depth += name in ("MappingStartEvent", "SequenceStartEvent")
        self.depth -= name in ("MappingEndEvent", "SequenceEndEvent")
        if self.depth > self.LIMIT:
            raise ValueError("exceeded maximum nesting depth")
        return event


def test_a_parser_with_a_limit_of_its_own_reads_only_what_it_cannot_refuse(monkeypatch):
    _Limited.__module__ = yaml_parsers.ruamel().__module__  # its events are ruamel's
    monkeypatch.setattr(yaml_parsers, "CANDIDATES", (lambda: _Limited, yaml_parsers.ruamel))
    monkeypatch.setattr(yaml_parsers, "SHALLOW", 30)
    assert yaml_parsers.parser_for("a: [b]\n", LIMITS.max_depth) is _Limited
    assert yaml_parsers.parser_for("a: " + "[" * 35, LIMITS.max_depth) is yaml_parsers.ruamel()
    with pytest.raises(InputError) as info:
        kube_yaml.load_documents("a: " + "[" * 100 + "]" * 100, "x.yaml", "podman", limits=Limits(max_depth=60))
    assert "YAML nested more than 60 levels deep (the limit)" in str(info.value)


# What go-yaml (kubectl's and Podman's reader) reads: each parser kubebridge may pick must read it the same.
GO_YAML_READS = [
    "- {name: a, image: localhost/busybox:latest}\n",   # `:` inside a flow plain scalar (old libyaml refuses it)
    "- [a:b, http://x:80/y]\n",
    "- {a: 'quoted: yes', b: \"x:y\"}\n",
    "a: b:c\nd: [e:f]\n",
]


@pytest.mark.parametrize("choice", sorted(CHOICES))
@pytest.mark.parametrize("text", GO_YAML_READS)
def test_every_parser_reads_what_go_yaml_reads(monkeypatch, choice, text):
    expected = [d.data for d in kube_yaml.load_documents(text, "t.yaml")]
    monkeypatch.setattr(yaml_parsers, "CANDIDATES", CHOICES[choice])
    assert [d.data for d in kube_yaml.load_documents(text, "t.yaml")] == expected


def test_the_size_of_a_file_does_not_change_how_it_reads():
    """A long file (or a long line) makes kubebridge pick another parser: it reads the documents the same."""
    doc = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: reg/app:1.0}\n"
    small = kube_yaml.load_documents(doc, "t.yaml")
    big_text = ("---\n" + doc) * 100 + "# " + "x" * 600 + "\n"
    assert yaml_parsers.parser_for(doc, LIMITS.max_depth) is not yaml_parsers.parser_for(big_text, LIMITS.max_depth)
    big = kube_yaml.load_documents(big_text, "t.yaml")
    assert len(big) == 100 and all(d.data == small[0].data for d in big)
    with pytest.raises(InputError, match=r"^t\.yaml:703:6: invalid YAML"):
        kube_yaml.load_documents(big_text + "---\n{a: [}\n", "t.yaml")
