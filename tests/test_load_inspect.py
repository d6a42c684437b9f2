"""Loading inspect JSON into the model: the places where inspect hides what generate reads."""
from __future__ import annotations

import json

import pytest
from support import FIXTURES

from kubebridge.errors import InputError
from kubebridge.load.inspect import Source, kind_of, load_container, load_snapshot, parse_time, ports_from_bindings
from kubebridge.model import quantity
from kubebridge.model.podman import PortMapping

G = FIXTURES / "generate"


def containers(version: str, scenario: str) -> dict:
    data = json.loads((G / f"podman-{version}" / scenario / "container-inspect.json").read_text())
    return {c["Name"]: c for c in data}


def test_podman_4_entrypoint_string_is_rebuilt_as_a_list():
    c4 = containers("4.3.1", "pod-command-json-entrypoint")["sh"]
    c5 = containers("5.4.2", "pod-command-json-entrypoint")["sh"]
    assert isinstance(c4["Config"]["Entrypoint"], str)
    assert load_container(c4).entrypoint == load_container(c5).entrypoint == ["/bin/sh", "-c"]


def test_unset_restart_policy_shows_as_no_in_inspect():
    unset = containers("5.4.2", "ctr-basic")["top"]
    explicit = containers("5.4.2", "ctr-restart-no")["rno"]
    assert unset["HostConfig"]["RestartPolicy"]["Name"] == explicit["HostConfig"]["RestartPolicy"]["Name"] == "no"
    assert load_container(unset).restart_policy == ""
    assert load_container(explicit).restart_policy == "no"


@pytest.mark.parametrize("version", ["4.3.1", "5.4.2", "5.8.6"])
def test_selinux_options_are_loaded_as_parts(version):
    """pod-selinux-multi (--security-opt label=type:spc_t, label=level:s0, label=filetype:usr_t): inspect joins them
    into one SecurityOpt entry; the model keeps one part an entry; a level's own comma stays in its part."""
    app = containers(version, "pod-selinux-multi")["app"]
    assert app["HostConfig"]["SecurityOpt"] == ["label=type:spc_t,label=level:s0,label=filetype:usr_t"]
    assert load_container(app).selinux_opts == ["type:spc_t", "level:s0", "filetype:usr_t"]
    mcs = dict(app, HostConfig=dict(app["HostConfig"], SecurityOpt=["label=level:s0:c100,c200", "label=disable"]))
    assert load_container(mcs).selinux_opts == ["level:s0:c100,c200", "disable"]


def test_init_container_type_comes_from_the_create_command():
    ctrs = containers("5.4.2", "pod-init-always")
    assert load_container(ctrs["init1"]).init_type == "always"
    assert load_container(ctrs["app"]).init_type == ""
    assert load_container(containers("4.3.1", "pod-init-once")["setup"]).init_type == "once"


def test_exposed_ports_are_not_mappings_and_0000_is_no_host_ip():
    ports = ports_from_bindings({"80/tcp": None, "53/udp": [{"HostIp": "0.0.0.0", "HostPort": "5353"}],
                                 "8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": "80"}]})
    assert ports == [PortMapping(53, 5353, "udp", ""), PortMapping(8080, 80, "tcp", "127.0.0.1")]


def test_home_added_at_start_is_dropped_unless_set_explicitly():
    c = json.loads(json.dumps(containers("5.4.2", "pod-env")["app"]))
    c["Config"]["Env"].append("HOME=/root")
    assert "HOME=/root" not in load_container(c).env
    c["Config"]["CreateCommand"] += ["-e", "HOME=/root"]
    assert "HOME=/root" in load_container(c).env


def test_runtime_only_annotations_are_dropped():
    c = json.loads(json.dumps(containers("5.4.2", "ctr-basic")["top"]))
    c["Config"]["Annotations"] = {"io.container.manager": "libpod", "team": "web"}
    assert load_container(c).annotations == {"team": "web"}


@pytest.mark.parametrize("text,ns", [
    ("1970-01-01T00:00:01Z", 1_000_000_000),
    ("1970-01-01T00:00:01.5Z", 1_500_000_000),
    ("1970-01-01T02:00:01.000000001+02:00", 1_000_000_001),
    ("", 0),
])
def test_go_timestamps(text, ns):
    assert parse_time(text) == ns


def test_kinds_are_recognised_from_content():
    for scenario in ("pod-web-sidecar-full",):
        d = G / "podman-4.3.1" / scenario
        pod = json.loads((d / "pod-inspect-website.json").read_text())
        assert isinstance(pod, dict) and kind_of(pod) == "pod"  # Podman 4: one pod is an object
        assert {kind_of(x) for x in json.loads((d / "container-inspect.json").read_text())} == {"container"}
        assert {kind_of(x) for x in json.loads((d / "image-inspect.json").read_text())} == {"image"}
        assert {kind_of(x) for x in json.loads((d / "volume-inspect.json").read_text())} == {"volume"}


def test_containers_join_their_pod_and_the_infra_container_is_not_a_member():
    d = G / "podman-5.4.2" / "pod-sidecar"
    snap = load_snapshot([Source(p.name, text=p.read_bytes()) for p in d.glob("*-inspect*.json")])
    (pod,) = snap.pods
    assert [c.name for c in sorted(pod.containers, key=lambda c: c.created)] == ["app", "sidecar"]
    assert pod.infra_name.endswith("-infra") and not snap.containers


def test_wrong_shapes_name_the_path():
    with pytest.raises(InputError) as info:
        load_snapshot([Source("x.json", text='{"Id": "p", "Name": "p", "InfraConfig": {"HostAdd": "a:b"}}')])
    assert info.value.file == "x.json" and info.value.path == "$.InfraConfig.HostAdd"
    assert "x.json: at $.InfraConfig.HostAdd: 'a:b' is not of type 'array', 'null'" in str(info.value)


@pytest.mark.parametrize("value,text", [
    # memory: BinarySI, decimal below 1024 or when not a multiple of 1024 (Quantity.CanonicalizeBytes)
    (10 * 1024 ** 2, "10Mi"), (512 * 1024 ** 2, "512Mi"), (1024 ** 3, "1Gi"), (20000000, "20000000"),
    (1000, "1k"), (999, "999"), (1536, "1536"), (1024, "1Ki"), (3 * 1024 ** 6, "3Ei"),
])
def test_memory_quantities(value, text):
    assert quantity.memory(value) == text


@pytest.mark.parametrize("milli,text", [(500, "500m"), (1000, "1"), (1500, "1500m"), (2000, "2"), (250, "250m"),
                                        (333, "333m"), (10000, "10"), (100, "100m"), (1, "1m")])
def test_cpu_quantities(milli, text):
    assert quantity.cpu_milli(milli) == text
