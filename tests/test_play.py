"""play beyond the fixtures: native sidecars, the command line, Python inputs, safe commands."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import FIXTURES

import kubebridge

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "tests" / "capture" / "play"
IMAGES5 = FIXTURES / "play" / "podman-5.4.2" / "pod-sidecar" / "image-inspect.json"


def kb(*args, stdin: bytes | None = None):
    proc = subprocess.run([sys.executable, "-m", "kubebridge", *map(str, args)], input=stdin, capture_output=True,
                          timeout=60, cwd=ROOT)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


# --- native sidecars -----------------------------------------------------------------------------

def test_native_sidecar_is_a_blocking_init_container_with_a_warning():
    out = kubebridge.play(SCENARIOS / "native-sidecar.yaml", images=[IMAGES5])
    assert any("Podman ignores the field and runs it as a blocking init container" in w for w in out["warnings"])
    assert any("19000" in w and "not published" in w for w in out["warnings"])
    (pod,) = out["pods"]
    assert list(pod["InfraConfig"]["PortBindings"]) == ["80/tcp"]
    result = kubebridge.play_result(SCENARIOS / "native-sidecar.yaml", images=[IMAGES5])
    assert [(c.name, c.init_type) for c in result.pods[0].containers] == [
        ("sidecars-log-shipper", "once"), ("sidecars-migrate", "once"), ("sidecars-app", "")]


def test_sidecars_as_containers_runs_them_beside_the_app():
    result = kubebridge.play_result(SCENARIOS / "native-sidecar.yaml", images=[IMAGES5], sidecars="containers")
    assert [(c.name, c.init_type) for c in result.pods[0].containers] == [
        ("sidecars-migrate", "once"), ("sidecars-log-shipper", ""), ("sidecars-app", "")]
    assert {p.host_port for p in result.pods[0].ports} == {8080, 19000}
    assert any("played as a regular container" in w for w in result.warnings)


def test_a_native_sidecar_with_a_probe_is_refused_by_podman_but_plays_as_a_container():
    with pytest.raises(kubebridge.PodmanRefusal, match="cannot create an init container"):
        kubebridge.play(SCENARIOS / "native-sidecar-deployment.yaml", images=[IMAGES5])
    out = kubebridge.play(SCENARIOS / "native-sidecar-deployment.yaml", images=[IMAGES5], sidecars="containers")
    assert [c["Name"] for c in out["containers"] if not c["IsInfra"]] == ["api-pod-proxy", "api-pod-api"]


def test_no_warning_without_native_sidecars():
    assert kubebridge.play(SCENARIOS / "pod-sidecar.yaml", images=[IMAGES5])["warnings"] == []


# --- the command line ----------------------------------------------------------------------------

def test_cli_json_has_pods_containers_volumes_warnings():
    code, out, err = kb("play", SCENARIOS / "vol-emptydir.yaml", "--image-inspect", IMAGES5)
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"pods", "containers", "volumes", "warnings"}
    assert [v["Name"] for v in data["volumes"]] == ["scratch"] and data["volumes"][0]["Anonymous"] is True


def test_cli_sidecar_warning_on_stderr_and_in_the_output():
    code, out, err = kb("play", SCENARIOS / "native-sidecar.yaml", "--image-inspect", IMAGES5)
    assert code == 0
    assert "blocking init container" in err and "blocking init container" in out


def test_cli_without_image_inspect_warns_that_images_are_empty():
    code, out, err = kb("play", SCENARIOS / "pod-basic.yaml")
    assert code == 0
    assert "no image inspect for 'localhost/webimg:1.0'" in err
    app = next(c for c in json.loads(out)["containers"] if c.get("Name") == "web-app")
    assert app["Config"]["Entrypoint"] == [] and app["Path"] == ""


def test_cli_podman_4_3_and_stdin():
    code, out, err = kb("play", "--podman-version", "4.3", "-", "--image-inspect", IMAGES5,
                        stdin=(SCENARIOS / "ports-container-only.yaml").read_bytes())
    assert code == 0, err
    assert json.loads(out)["pods"][0]["InfraConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "", "HostPort": "80"}]}


def test_cli_errors_name_file_and_line():
    code, out, err = kb("play", SCENARIOS / "error-port-type.yaml")
    assert (code, out) == (2, "")
    assert "error-port-type.yaml:11:7: at spec.containers[0].ports[0].containerPort:" in err
    assert "Traceback" not in err
    code, _, err = kb("play", SCENARIOS / "vol-undefined-mount.yaml")
    assert code == 2 and "vol-undefined-mount.yaml:8:" in err and "not configured in volumes" in err


def test_cli_host_paths_as_podman_would_find_them():
    code, _, err = kb("play", SCENARIOS / "vol-hostpath.yaml", "--no-stat", "--host-path",
                      "/tmp/kb-capture/data=Missing")
    assert code == 2 and "faccessat /tmp/kb-capture/data: no such file or directory" in err
    code, _, err = kb("play", SCENARIOS / "vol-hostpath.yaml", "--no-stat")
    assert code == 0, err


def test_cli_commands_format(tmp_path):
    target = tmp_path / "play.sh"
    code, out, err = kb("play", SCENARIOS / "pod-sidecar.yaml", "--image-inspect", IMAGES5, "--format", "commands",
                        "-o", target)
    assert (code, out) == (0, "")
    text = target.read_text()
    assert text.startswith("#!/bin/sh\n")
    assert "podman pod create --name web" in text and "--publish 8080:80/tcp" in text
    assert "podman create --pod web --name web-logger" in text


@pytest.mark.parametrize("test,flag", [
    (["CMD", "cat", "/srv/ok"], '["cat", "/srv/ok"]'), (["CMD", "true"], "CMD true"),
    (["CMD-SHELL", "cat", "/srv/ok", "||", "exit", "1"], '["CMD-SHELL", "cat", "/srv/ok", "||", "exit", "1"]')])
def test_health_cmd_is_written_as_every_podman_reads_it_back(test, flag):
    """Podman's makeHealthCheckFromCli (seen on 4.3.1, 5.4.2 and 5.8.6): a value whose first word is CMD is split
    on white space (to 5.4 even a JSON array: `["CMD",` would be a word); a JSON array of two or more words that
    does not start with CMD or CMD-SHELL gets CMD in front; one that starts with CMD-SHELL is kept as it is."""
    from kubebridge.render.commands import health_cmd
    assert health_cmd(test) == flag
    value = flag
    words = json.loads(value) if value.startswith("[") else value.split()
    if words[0] not in ("CMD", "CMD-SHELL"):
        words = ["CMD", *words]
    assert words == test


def test_commands_make_the_network_kube_play_makes_before_the_pod_joins_it():
    script = kubebridge.play_commands(SCENARIOS / "pod-sidecar.yaml", images=[IMAGES5], podman_version="5.8")
    lines = [l for l in script.splitlines() if l.startswith("podman")]
    assert lines[0] == ("podman network exists podman-default-kube-network || "
                        "podman network create podman-default-kube-network")
    assert lines[1].startswith("podman pod create") and "--network=podman-default-kube-network:alias=" in lines[1]


def test_commands_mount_an_image_volume_read_only_as_podman_reads_the_mount():
    """`--mount type=image,...,ro=true` is refused (`ro: invalid mount option`); an image mount is read-only
    unless rw=true (vol-image: RW false in 5.x inspect)."""
    script = kubebridge.play_commands(SCENARIOS / "vol-image.yaml", images=[IMAGES5], podman_version="5.4")
    assert "--mount type=image,source=localhost/webimg:1.0,destination=/volume " in script
    assert "ro=true" not in script


# --- Python inputs ---------------------------------------------------------------------------------

POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "py"},
       "spec": {"containers": [{"name": "app", "image": "localhost/busybox:latest", "command": ["top"],
                                "ports": [{"containerPort": 80, "hostPort": 8080}]}]}}


def test_play_from_dicts_and_kubernetes_objects():
    from_dict = kubebridge.play(POD, images=[IMAGES5])
    assert [c.get("Name") for c in from_dict["containers"]][1:] == ["py-app"]
    from kubernetes.client import V1Container, V1ContainerPort, V1ObjectMeta, V1Pod, V1PodSpec
    obj = V1Pod(api_version="v1", kind="Pod", metadata=V1ObjectMeta(name="py"),
                spec=V1PodSpec(containers=[V1Container(name="app", image="localhost/busybox:latest", command=["top"],
                                                       ports=[V1ContainerPort(container_port=80, host_port=8080)])]))
    assert kubebridge.play(obj, images=[IMAGES5]) == from_dict
    assert kubebridge.play(json.dumps(POD), images=[IMAGES5]) == from_dict


# --- commands are safe to paste into sh -------------------------------------------------------

NASTY = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


def shell_argv(script: str) -> list[list[str]]:
    """Run the script in sh with podman replaced by a function that prints its arguments."""
    stub = 'podman() { printf "%s\\0" "$@"; printf "\\1\\0"; }\n'
    proc = subprocess.run(["sh", "-c", stub + script], capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    calls, current = [], []
    for arg in proc.stdout.split(b"\0")[:-1]:
        if arg == b"\x01":
            calls.append(current)
            current = []
        else:
            current.append(arg.decode("utf-8", "surrogateescape"))
    return calls


def mounted_source(argv: list[str]) -> str:
    """The host path of the one bind mount, as Podman reads -v or --mount (CSV)."""
    import csv
    for i, a in enumerate(argv):
        if a == "--volume":
            return argv[i + 1].rsplit(":", 1)[0]
        if a == "--mount":
            fields = next(csv.reader([argv[i + 1]]))
            return next(f.split("=", 1)[1] for f in fields if f.startswith("source="))
    raise AssertionError("no mount in " + repr(argv))


@settings(max_examples=300, deadline=None)
@given(env=NASTY, arg=NASTY, label=NASTY, path=NASTY, annotation=NASTY)
def test_commands_carry_every_value_intact(env, arg, label, path, annotation):
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "p", "labels": {"l": label}, "annotations": {"note": annotation}},
           "spec": {"containers": [{"name": "c", "image": "localhost/busybox:latest", "command": ["sh", "-c", arg],
                                    "env": [{"name": "E", "value": env}],
                                    "volumeMounts": [{"name": "v", "mountPath": "/data"}]}],
                    "volumes": [{"name": "v", "hostPath": {"path": "/" + path}}]}}
    script = kubebridge.play_commands(pod, images=[IMAGES5])
    calls = shell_argv(script)
    create = next(c for c in calls if c[:2] == ["create", "--pod"])
    assert f"E={env}" in create
    entrypoint = create[create.index("--entrypoint") + 1]
    # Podman reads a JSON array as the entrypoint; Podman 5 expands $(VAR) and $$ in it first, as Kubernetes does
    from kubebridge.translate.play import expand
    env_given = dict(create[i + 1].split("=", 1) for i, a in enumerate(create) if a == "--env")
    assert json.loads(entrypoint) == ["sh", "-c", expand(arg, env_given)]
    assert f"l={label}" in create and f"note={annotation}" in create
    assert mounted_source(create) == "/" + path
    pod_create = next(c for c in calls if c[:2] == ["pod", "create"])
    assert f"l={label}" in pod_create


def test_resource_field_ref_defaults_to_the_host_as_podman_does():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "r"},
           "spec": {"containers": [{"name": "a", "image": "localhost/busybox:latest", "resources": {
               "requests": {"cpu": "250m"}}, "env": [
               {"name": "M", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
               {"name": "C", "valueFrom": {"resourceFieldRef": {"resource": "requests.cpu", "divisor": "1m"}}},
               {"name": "L", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}]}]}}
    env = kubebridge.play(pod, images=[IMAGES5], host_memory=8 * 1024 ** 3, host_cpus=4)["containers"][1]["Config"]["Env"]
    assert {"M=8192", "C=250", "L=4"} <= set(env)  # unset limits: the host's memory and CPUs; requests set: used
    with pytest.raises(kubebridge.PodmanRefusal, match="host's total memory"):
        kubebridge.play(pod, images=[IMAGES5])


@pytest.mark.parametrize("path,clean", [("/data/", "/data"), ("//data", "/data"), ("///data//x/", "/data/x"),
                                        ("/srv/./data", "/srv/data"), ("/srv/data/.", "/srv/data"),
                                        ("/a/b/../c", "/a/c"), ("/..", "/"), ("/", "/")])
def test_mount_destinations_are_compared_as_go_cleans_them(path, clean):
    """filepath.Clean's rules (Go's path/filepath): one slash for many, no trailing slash, no `.`, `..` eaten with
    the element before it and at the root; Python's normpath keeps a leading `//`, Go does not."""
    from kubebridge.translate.play.mounts import clean_path
    assert clean_path(path) == clean


def test_commands_warn_of_a_cpu_quota_podman_create_refuses():
    """resources-cpu-1m: 4.3's kube play takes a 100 µs quota; podman create refuses any under 1000 µs (captured
    by the live test: `CPU cfs quota cannot be less than 1ms (i.e. 1000)`)."""
    script = kubebridge.play_commands(SCENARIOS / "resources-cpu-1m.yaml", images=[IMAGES5], podman_version="4.3")
    warning = next(i for i, l in enumerate(script.splitlines()) if "refuses a CPU quota under 1000" in l)
    assert "(this one is 100)" in script.splitlines()[warning]
    assert script.splitlines()[warning + 1].startswith("podman create --pod tinycpu --name tinycpu-app")
