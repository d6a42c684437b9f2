"""Round-trip properties, for Podman 5 and 4.3, over hypothesis-made snapshots and manifests.

Example counts come from the hypothesis profile (tests/conftest.py): CI runs
100 per property.  Strategies: tests/strategies.py.
"""
from __future__ import annotations

import copy
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import VERSIONS, image_inspect, manifests, played, snapshots

from kubebridge.checks.engine import Checker, CheckOptions
from kubebridge.fidelity import manifest_round_trip, snapshot_round_trip
from kubebridge.load.inspect import load_image
from kubebridge.load.manifests import Document, load_documents
from kubebridge.model.profiles import get_profile
from kubebridge.render.kube_yaml import kube_yaml
from kubebridge.translate.generate import GenerateOptions, generate
from kubebridge.translate.play import PlayOptions
from kubebridge.translate.portable import make_portable

TIME = "2026-11-21T00:00:00Z"
# What Podman's own generate prints that check calls an error: real defects of Podman's (test_check_oracle.py)
KNOWN_PODMAN_DEFECTS = {
    "volume-name-invalid": "a bind source's dots stay in the volume name (podman#27620)",
    "volume-mount-undefined": "an init container's volumes are left out of spec.volumes",
}


def play_options(version: str) -> PlayOptions:
    images = tuple(load_image(obj) for obj in image_inspect(version))
    return PlayOptions(images=images, host_memory=1 << 30, host_cpus=2)


def generated(snap, version: str):
    return generate(snap, GenerateOptions(timestamp=TIME), get_profile(version))


def ports_of(pods) -> set:
    return {(p.host_ip if p.host_ip != "0.0.0.0" else "", p.host_port, p.container_port, p.protocol)
            for pod in pods for p in pod.ports}


@pytest.mark.parametrize("version", VERSIONS)
@given(data=st.data())
def test_generate_output_reads_back_and_passes_check(version, data):
    snap = data.draw(snapshots(version))
    result = generated(snap, version)
    text = kube_yaml(result.chunks, get_profile(version).version)
    assert [d.data for d in load_documents(text, "generated")] == result.documents
    report = Checker(CheckOptions(podman_version=version, target="kubernetes")).check_file(text, "generated")
    assert {f.rule for f in report.errors} <= set(KNOWN_PODMAN_DEFECTS), [f.message for f in report.errors]


@pytest.mark.parametrize("version", VERSIONS)
@given(data=st.data())
def test_port_mappings_survive_generate_then_play(version, data):
    snap = data.draw(snapshots(version))
    docs = generated(snap, version).documents
    back = played(docs, version)
    assert ports_of(back.pods) == ports_of(snap.pods)


@pytest.mark.parametrize("version", VERSIONS)
@given(data=st.data())
def test_play_of_generate_changes_only_what_podman_rewrites(version, data):
    snap = data.draw(snapshots(version))
    trip = snapshot_round_trip(snap, play_options(version), get_profile(version), TIME)
    assert trip.unexplained == []


@pytest.mark.parametrize("version", VERSIONS)
@given(docs=manifests())
def test_generate_of_play_changes_only_what_podman_rewrites(version, docs):
    documents = [Document(d, "m", i, 1) for i, d in enumerate(copy.deepcopy(docs))]
    options = play_options(version)
    trip = manifest_round_trip(documents, options, get_profile(version), images=options.images, timestamp=TIME)
    assert [(c.kind, c.where, c.before, c.after) for c in trip.unexplained] == []


@pytest.mark.parametrize("version", VERSIONS)
@given(data=st.data())
def test_portable_yaml_is_valid_and_a_fixed_point(version, data):
    snap = data.draw(snapshots(version))
    profile = get_profile(version)
    result = generated(snap, version)
    portable, _ = make_portable(result.chunks, snap, profile, result.init_volumes)
    text = kube_yaml(portable, profile.version, portable=True)
    report = Checker(CheckOptions(podman_version=version, target="kubernetes")).check_file(text, "portable")
    assert report.errors == []
    documents = [Document(d, "portable", i, 1) for i, d in enumerate(copy.deepcopy(portable))]
    options = play_options(version)
    trip = manifest_round_trip(documents, options, profile, images=options.images, timestamp=TIME, portable=True)
    assert [(c.kind, c.where, c.before, c.after) for c in trip.changes] == []


@pytest.mark.parametrize("version", VERSIONS)
@given(data=st.data())
def test_same_input_same_bytes(version, data):
    snap = data.draw(snapshots(version))
    docs = data.draw(manifests())
    profile = get_profile(version)
    first = kube_yaml(generated(copy.deepcopy(snap), version).chunks, profile.version)
    assert kube_yaml(generated(copy.deepcopy(snap), version).chunks, profile.version) == first
    from kubebridge.render import inspect_json as inspect_out

    def play_json():
        result = played(docs, version)
        return json.dumps([inspect_out.container(c, profile) for c in result.containers], sort_keys=True)
    assert play_json() == play_json()
    text = kube_yaml(docs, profile.version)
    check = lambda: json.dumps([f.as_dict() for f in Checker(CheckOptions()).check_file(text, "m").findings])  # noqa
    assert check() == check()
