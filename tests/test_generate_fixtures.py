"""Every captured `podman kube generate` scenario, through kubebridge.

The output must be identical to what Podman printed (timestamps and node ports
aside); see tests/support.py for the Go-map orders that are compared canonically.
Scenarios where Podman refused must fail in kubebridge with Podman's message.
"""
from __future__ import annotations

import pytest
from support import body, canonical, generate_fixtures, random_order_in, service_ports_in_range, split_chunks

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
