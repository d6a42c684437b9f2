"""Every captured `podman kube generate` scenario, through kubebridge.

The output must be identical to what Podman printed (timestamps and node ports
aside); see tests/support.py for the Go-map orders that are compared canonically.
Scenarios where Podman refused must fail in kubebridge with Podman's message.
"""
from __future__ import annotations

import json

import pytest
from support import (
    _pod_specs,
    body,
    canonical,
    generate_fixtures,
    random_order_in,
    service_ports_in_range,
    split_chunks,
)

import kubebridge
from kubebridge.render import goyaml

FIXTURES = generate_fixtures()


def run(fixture):
    meta = fixture.meta
    return kubebridge.generate_yaml(*fixture.inputs, podman_version=fixture.version,
                                    host_paths=meta["host_paths"], **fixture.options())


def dump_chunks(chunks):
    return "---\n".join(c if isinstance(c, str) else goyaml.dump(c) for c in chunks)


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.expected is not None], ids=lambda f: f.id)
def test_generate_matches_podman(fixture):
    ours = run(fixture)
    assert ours.startswith("# Save the output of this file")
    assert service_ports_in_range(ours)
    expected, actual = body(fixture.expected), body(ours)
    if actual == expected:
        return
    expected_chunks, actual_chunks = split_chunks(expected), split_chunks(actual)
    assert random_order_in(expected_chunks, fixture), "output differs from Podman's:\n" + actual
    assert dump_chunks(canonical(actual_chunks, fixture)) == dump_chunks(canonical(expected_chunks, fixture))


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.expected is None], ids=lambda f: f.id)
def test_generate_refuses_like_podman(fixture):
    with pytest.raises(kubebridge.KubebridgeError) as info:
        run(fixture)
    if fixture.error == "panic":
        assert "crashes" in str(info.value)
    else:
        assert fixture.error in str(info.value)


def _rotation_of(ours: list, theirs: list) -> bool:
    return len(ours) == len(theirs) and any(ours[i:] + ours[:i] == theirs for i in range(max(1, len(ours))))


MAP_ORDERED = {  # lists Podman builds from a Go map: how to tell their entries apart
    "volumes": lambda v: json.dumps({k: x for k, x in v.items() if k != "name"}, sort_keys=True),
    "volumeMounts": lambda m: m["mountPath"], "env": lambda e: e["name"],
    "ports": lambda p: json.dumps(p, sort_keys=True)}


@pytest.mark.parametrize("fixture", [f for f in FIXTURES if f.expected is not None], ids=lambda f: f.id)
def test_map_ordered_lists_are_in_an_order_podman_prints(fixture):
    """Where Podman's order comes from a Go map, it prints a rotation of the order the entries were added (29 of 29
    creations of one container, tests/capture notes): kubebridge prints the order they were added, so its list
    is a rotation of the one Podman printed, never an order Podman cannot print (a sorted one, say)."""
    ours, theirs = split_chunks(body(run(fixture))), split_chunks(body(fixture.expected))
    for a, b in zip(ours, theirs):
        if not isinstance(a, dict):
            continue
        for spec_a, spec_b in zip(_pod_specs(a), _pod_specs(b)):
            pairs = [(spec_a, spec_b, "volumes")]
            ctrs_a = (spec_a.get("containers") or []) + (spec_a.get("initContainers") or [])
            ctrs_b = (spec_b.get("containers") or []) + (spec_b.get("initContainers") or [])
            pairs += [(ca, cb, key) for ca, cb in zip(ctrs_a, ctrs_b) for key in ("volumeMounts", "env", "ports")]
            for x, y, key in pairs:
                ident = MAP_ORDERED[key]
                assert _rotation_of([ident(e) for e in x.get(key) or []], [ident(e) for e in y.get(key) or []]), key
