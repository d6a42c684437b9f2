"""The Python API: in-memory inputs, dict and kubernetes.client outputs, errors."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support import FIXTURES, body

import kubebridge

D5 = FIXTURES / "generate" / "podman-5.4.2"
WHEN = "2026-01-02T03:04:05Z"


def parsed(scenario: str) -> list:
    return [json.loads(p.read_text()) for p in sorted((D5 / scenario).glob("*-inspect*.json"))]


def test_generate_from_dicts_returns_plain_dicts():
    docs = kubebridge.generate(*parsed("pod-sidecar"))
    assert [d["kind"] for d in docs] == ["Pod"]
    app, sidecar = docs[0]["spec"]["containers"]
    assert app["ports"] == [{"containerPort": 80, "hostPort": 8080}]
    assert sidecar == {"command": ["top"], "image": "localhost/busybox:latest", "name": "sidecar"}
    json.dumps(docs)  # plain JSON data


def test_json_text_and_bytes_work_too():
    texts = [p.read_text() for p in sorted((D5 / "pod-sidecar").glob("*-inspect*.json"))]
    as_text = kubebridge.generate(*texts, timestamp=WHEN)
    as_bytes = kubebridge.generate(*(t.encode() for t in texts), timestamp=WHEN)
    assert as_text == as_bytes == kubebridge.generate(*parsed("pod-sidecar"), timestamp=WHEN)


def test_generate_yaml_is_podmans_text():
    text = kubebridge.generate_yaml(*parsed("pod-service"), service=True)
    assert body(text) == body((D5 / "pod-service" / "generate.yaml").read_text())


def test_to_yaml_writes_podmans_style_without_the_header():
    docs = kubebridge.generate(*parsed("pod-sidecar"), timestamp="2020-01-01T00:00:00Z")
    assert kubebridge.to_yaml(docs) == body((D5 / "pod-sidecar" / "generate.yaml").read_text()).replace(
        '"T"', '"2020-01-01T00:00:00Z"')[:-1]


def test_kubernetes_client_objects_out_and_in():
    when = "2026-01-02T03:04:05Z"
    pvc, pod = kubebridge.generate(*parsed("pod-web-sidecar-full"), kubernetes=True, timestamp=when)
    from kubernetes.client import V1PersistentVolumeClaim, V1Pod
    assert isinstance(pod, V1Pod) and isinstance(pvc, V1PersistentVolumeClaim)
    assert pod.spec.containers[0].ports[0].host_port == 8080
    assert pod.spec.init_containers[0].name == "init"
    dicts = kubebridge.generate(*parsed("pod-web-sidecar-full"), timestamp=when)
    assert kubebridge.to_dicts([pvc, pod]) == [
        {k: v for k, v in d.items() if k != "status"} if d["kind"] == "Pod" else d for d in dicts]
    assert kubebridge.to_yaml([pod]) == kubebridge.to_yaml([dicts[1]])


def test_podman_version_profiles():
    v4 = kubebridge.generate(*parsed("pod-sidecar"), podman_version="4.3")[0]
    v5 = kubebridge.generate(*parsed("pod-sidecar"))[0]
    assert v4["status"] == {} and "status" not in v5
    assert v4["spec"]["enableServiceLinks"] is False and "enableServiceLinks" not in v5["spec"]
    with pytest.raises(kubebridge.UsageError, match="no profile for Podman 3.x"):
        kubebridge.generate(*parsed("pod-sidecar"), podman_version="3.0")


def test_generate_result_has_notes_and_warnings():
    result = kubebridge.generate_result(*[json.loads(p.read_text()) for p in sorted(
        (FIXTURES / "generate/podman-4.3.1/pod-annotation-long").glob("*-inspect*.json"))], podman_version="4.3")
    assert any("Kubernetes only allows 63 characters" in w for w in result.warnings)
    ipc = kubebridge.generate_result(*parsed("pod-share-ipc-only"))
    assert isinstance(ipc.chunks[0], kubebridge.Note) and "namespace sharing" in ipc.chunks[0].text


def test_errors_are_kubebridge_errors():
    with pytest.raises(kubebridge.InputError) as info:
        kubebridge.generate('{"Id": 1}')
    assert info.value.path == "$" and "not Podman inspect output" in str(info.value)
    with pytest.raises(kubebridge.PodmanRefusal):
        kubebridge.generate(*parsed("pod-sidecar"), names=["nope"])
    assert issubclass(kubebridge.PodmanRefusal, kubebridge.KubebridgeError)


def test_unresolvable_named_user_is_a_warning():
    inputs = parsed("pod-image-user")
    ctrs = inputs[0]
    named = next(c for c in ctrs if c["Name"] == "override")
    named["Config"]["User"] = "someone"
    result = kubebridge.generate_result(*inputs)
    assert any("cannot resolve user 'someone'" in w for w in result.warnings)


def test_importing_kubebridge_does_not_import_kubernetes_or_jsonschema():
    code = "import sys, kubebridge; print('kubernetes' in sys.modules, 'jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_public_functions_survive_importing_submodules_first():
    code = ("import kubebridge.translate.generate, kubebridge.load.inspect, kubebridge.api, kubebridge; "
            "print(callable(kubebridge.generate), kubebridge.GenerateOptions.__module__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "kubebridge.translate.generate.context"]


def test_a_single_name_or_file_is_one_value_not_its_letters():
    inputs = parsed("pods-multiple")
    assert kubebridge.generate(*inputs, names="pod2", timestamp=WHEN) == \
        kubebridge.generate(*inputs, names=["pod2"], timestamp=WHEN)
    images = str(FIXTURES / "play/podman-5.4.2/pod-sidecar/image-inspect.json")
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: localhost/webimg:1.0}]}\n"
    one = kubebridge.play(pod, images=images)["containers"]
    assert one == kubebridge.play(pod, images=[images])["containers"]
    assert one[-1]["Config"]["Entrypoint"] == ["/bin/httpd"]  # the image's ENTRYPOINT was read


# --- arguments: a wrong type or value is kubebridge's own UsageError, naming the parameter and what it takes ---

POD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: x, volumeMounts: " \
      "[{name: v, mountPath: /v}]}], volumes: [{name: v, hostPath: {path: /h}}]}\n"


def _inspect() -> list:
    return parsed("pod-sidecar")


BAD_ARGUMENTS = [
    ("host_paths-int", lambda: kubebridge.play(POD, host_paths=5),
     "host_paths=5: give a mapping of source path -> type, or a function of the path giving its type"),
    ("host_paths-function-returns-none", lambda: kubebridge.play(POD, host_paths=lambda s: None),
     "host_paths('/h')=None (NoneType): give one of 'Directory', 'File'"),
    ("host_paths-unknown-type", lambda: kubebridge.generate(*_inspect(), host_paths={"/x": "Dir"}),
     "host_paths['/x']='Dir': give one of"),
    ("names-int", lambda: kubebridge.generate(*_inspect(), names=5),
     "names=5: give pod, container or volume names or IDs: a str or a list of strs"),
    ("images-int", lambda: kubebridge.play(POD, images=5),
     "images=5: give YAML or JSON text, bytes, a path, a dict, or a list of them"),
    ("configmaps-ints", lambda: kubebridge.play(POD, configmaps=[1, 2]),
     "configmaps=1: give YAML or JSON text, bytes, a path, a dict, or a list of them"),
    ("replicas-str", lambda: kubebridge.generate(*_inspect(), type="deployment", replicas="2"),
     "replicas='2': give an int"),
    ("replicas-bool", lambda: kubebridge.generate(*_inspect(), type="deployment", replicas=True),
     "replicas=True: give an int"),
    ("annotations-pairs", lambda: kubebridge.play(POD, annotations=[("a", "b")]),
     "annotations=[('a', 'b')] (list): give a mapping of str keys to str values"),
    ("annotations-int-value", lambda: kubebridge.play(POD, annotations={"a": 1}),
     "annotations={'a': 1} (dict): give a mapping of str keys to str values"),
    ("limits-int", lambda: kubebridge.play(POD, limits=5), "limits=5: give a kubebridge.Limits"),
    ("base_dir-relative", lambda: kubebridge.play(POD, base_dir="srv"),
     "base_dir='srv': give an absolute directory"),
    ("base_dir-empty", lambda: kubebridge.roundtrip(POD, base_dir=""), "base_dir='': give an absolute directory"),
    ("host_cpus-negative", lambda: kubebridge.play(POD, host_cpus=-1), "host_cpus=-1: give an int of at least 1"),
    ("host_cpus-str", lambda: kubebridge.play(POD, host_cpus="2"), "host_cpus='2': give an int or None"),
    ("host_memory-str", lambda: kubebridge.play(POD, host_memory="1G"), "host_memory='1G': give an int or None"),
    ("node_hostname-int", lambda: kubebridge.play(POD, node_hostname=5), "node_hostname=5: give a str"),
    ("kubernetes_version-float", lambda: kubebridge.check(POD, kubernetes_version=1.30),
     "kubernetes_version=1.3: give the version as a string, such as '1.30' (a float is refused"),
    ("podman_version-float", lambda: kubebridge.generate(*_inspect(), podman_version=5.4),
     "podman_version=5.4: give the version as a string, such as '5.4', or a Profile"),
    ("select-int", lambda: kubebridge.check(POD, select=5), "select=5: give a str or a list of strs"),
    ("ignore-ints", lambda: kubebridge.check(POD, ignore=[5]), "ignore=[5] (list): give a str or a list of strs"),
    ("strict-str", lambda: kubebridge.check(POD, strict="no"), "strict='no': give True or False"),
    ("service-str", lambda: kubebridge.generate(*_inspect(), service="yes"), "service='yes': give True or False"),
    ("type-int", lambda: kubebridge.generate(*_inspect(), type=5), "type=5: give a str"),
    ("sidecars-unknown", lambda: kubebridge.play(POD, sidecars="x"),
     "sidecars='x': give one of 'podman', 'containers'"),
    ("to_yaml-int", lambda: kubebridge.to_yaml(5), "documents=5: give a list of Kubernetes documents"),
    ("to_yaml-str", lambda: kubebridge.to_yaml("kind: Pod"), "documents='kind: Pod': give a list of Kubernetes"),
    ("to_dicts-ints", lambda: kubebridge.to_dicts([5]), "documents=5: give a list of Kubernetes documents"),
    ("to_kubernetes-ints", lambda: kubebridge.to_kubernetes([5]),
     "documents=5: give a list of Kubernetes documents: dicts"),
    ("generate_text-none", lambda: kubebridge.generate_text(None),
     "result=None (NoneType): give a GenerateResult, as generate_result() returns it"),
    ("play_json-dict", lambda: kubebridge.play_json({}), "result={} (dict): give a PlayResult"),
    ("roundtrip_report-format", lambda: kubebridge.roundtrip_report(kubebridge.roundtrip(POD), "yaml"),
     "output='yaml': give one of 'text', 'json', 'html'"),
    ("report_writer-format", lambda: kubebridge.report_writer("xml", sys.stdout), "output='xml': give one of"),
    ("timestamp-not-rfc3339", lambda: kubebridge.generate(*_inspect(), timestamp="yesterday"),
     "timestamp='yesterday': give an RFC 3339 time, such as '2024-05-01T12:00:00Z'"),
    ("timestamp-impossible-date", lambda: kubebridge.roundtrip(POD, timestamp="2024-02-30T00:00:00Z"),
     "timestamp='2024-02-30T00:00:00Z': give an RFC 3339 time"),
    ("take_snapshot-int", lambda: kubebridge.take_snapshot(5), "names=[5] (list): give pod, container, image"),
]


@pytest.mark.parametrize("call, message", [c[1:] for c in BAD_ARGUMENTS], ids=[c[0] for c in BAD_ARGUMENTS])
def test_a_bad_argument_is_a_usage_error_naming_it(call, message):
    with pytest.raises(kubebridge.UsageError) as info:
        call()
    assert message in str(info.value)


def test_good_arguments_in_every_form_still_work():
    """RFC 3339 with a fraction and an offset, a Path base_dir, a set of rule ids, a generator of documents."""
    from pathlib import Path

    docs = kubebridge.generate(*_inspect(), timestamp="2024-05-01T12:00:00.5+02:00")
    assert docs[0]["metadata"]["creationTimestamp"] == "2024-05-01T12:00:00.5+02:00"
    assert kubebridge.play(POD, base_dir=Path("/srv"), host_cpus=2, host_memory=2 ** 30)["pods"][0]["Name"] == "p"
    assert {f.rule for f in kubebridge.check(POD, select={"image-local"}).findings} <= {"image-local"}
    assert kubebridge.to_yaml(d for d in docs) == kubebridge.to_yaml(docs)  # any iterable of documents


def test_the_command_lines_timestamp_is_checked_too():
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "generate", "--timestamp", "yesterday",
                           *map(str, sorted((D5 / "pod-sidecar").glob("*-inspect*.json")))],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "argument --timestamp: 'yesterday' is not an RFC 3339 time (such as 2024-05-01T12:00:00Z)" in proc.stderr


# --- results keep the Profile given -----------------------------------------------------------------------------

def test_a_profile_built_by_hand_survives_into_the_results():
    """Version 9.9.9 has no profile of its own (get_profile refuses it): rendering must use the object kept."""
    import dataclasses

    custom = dataclasses.replace(kubebridge.PODMAN_5_4, version="9.9.9")
    with pytest.raises(kubebridge.UsageError, match="no profile for Podman 9.x"):
        kubebridge.get_profile("9.9.9")
    played = kubebridge.play_result(POD, podman_version=custom)
    assert played.profile is custom
    assert kubebridge.play_json(played)["pods"][0]["Name"] == "p"
    assert "(Podman 9.9.9)" in kubebridge.play_script(played).splitlines()[1]
    assert kubebridge.play(POD, podman_version=custom)["pods"][0]["Name"] == "p"
    assert "(Podman 9.9.9)" in kubebridge.play_commands(POD, podman_version=custom)
    generated = kubebridge.generate_result(*_inspect(), podman_version=custom, portable=True)
    assert generated.profile is custom
    assert "(as podman-9.9.9 kube generate)" in kubebridge.generate_text(generated)


# --- check: the API and the command line, one pipeline ----------------------------------------------------------

def test_check_agrees_with_the_command_line_on_a_missing_file_and_an_empty_directory(tmp_path):
    missing = str(tmp_path / "nope.yaml")
    result = kubebridge.check(missing)
    (finding,) = result.findings
    assert (finding.file, finding.rule, result.exit_code) == (missing, "yaml", 2)
    assert finding.message.startswith("no such file (this string was read as a path")
    cli = subprocess.run([sys.executable, "-m", "kubebridge", "check", missing], capture_output=True, text=True)
    assert cli.returncode == 2 and f"{missing}: error [yaml] no such file" in cli.stdout
    (tmp_path / "empty").mkdir()
    with pytest.raises(kubebridge.UsageError, match=f"no manifests found in {tmp_path / 'empty'}$"):
        kubebridge.check(tmp_path / "empty")
    cli = subprocess.run([sys.executable, "-m", "kubebridge", "check", str(tmp_path / "empty")],
                         capture_output=True, text=True)
    assert cli.returncode == 2 and cli.stderr == f"kubebridge: error: no manifests found in {tmp_path / 'empty'}\n"
    (tmp_path / "web.yaml").write_text(POD)
    mixed = kubebridge.check(tmp_path / "empty", tmp_path / "web.yaml", POD)  # as `check empty/ web.yaml`
    assert mixed.files == 2 and {f.file for f in mixed.findings} <= {str(tmp_path / "web.yaml"), "<input 3>"}


# --- roundtrip of inspect output honours every parameter; generate and snapshot take limits= --------------------

def test_a_round_trip_of_inspect_output_honours_type_portable_and_limits():
    when = "2026-01-02T03:04:05Z"
    plain = kubebridge.roundtrip(*_inspect(), timestamp=when)
    assert plain.source == "snapshot" and [d["kind"] for d in plain.documents] == ["Pod"]
    assert [d["kind"] for d in kubebridge.roundtrip(*_inspect(), type="deployment", timestamp=when).documents] == \
        ["Deployment"]
    portable = kubebridge.roundtrip(*_inspect(), portable=True, timestamp=when)
    assert portable.portable and portable.documents != plain.documents
    small = kubebridge.Limits(max_bytes=100)
    texts = [p.read_text() for p in sorted((D5 / "pod-sidecar").glob("*-inspect*.json"))]
    for call in (lambda: kubebridge.roundtrip(*texts, limits=small), lambda: kubebridge.generate(*texts, limits=small),
                 lambda: kubebridge.snapshot(*texts, limits=small)):
        with pytest.raises(kubebridge.InputError, match=r"<input 1>: larger than 100 bytes, the limit"):
            call()


# --- path or content ------------------------------------------------------------------------------------------

def test_a_one_line_string_is_read_as_a_path_and_a_missing_one_says_so():
    for call in (lambda: kubebridge.play("kind Pod"), lambda: kubebridge.generate("pods.json"),
                 lambda: kubebridge.roundtrip("deploy/web")):
        with pytest.raises(kubebridge.InputError) as info:
            call()
        assert "no such file (this string was read as a path: a one-line str without '{', '[' or ': ' is one; " \
               "pass YAML or JSON text as bytes" in str(info.value)
    one_line = '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}}'
    assert kubebridge.check(one_line).documents == 1  # "{" makes it content
    assert kubebridge.play(POD.encode())["pods"][0]["Name"] == "p"  # bytes are always content
    assert kubebridge.play(kubebridge.api.Source("app.yaml", text=POD))["pods"][0]["Name"] == "p"


# --- the command line's steps are public and typed ------------------------------------------------------------

def test_the_command_lines_steps_are_exported_with_return_types():
    import inspect

    for name in ("check_files", "play_json", "play_script", "generate_text", "roundtrip_report", "report_writer",
                 "rules_text"):
        function = getattr(kubebridge, name)
        assert function is getattr(kubebridge.api, name) and name in kubebridge.api.__all__
        assert inspect.signature(function).return_annotation not in (inspect.Signature.empty, "Any", "None"), name
        assert inspect.getdoc(function)
    assert kubebridge.rules_text().splitlines()[0].split()[0] in kubebridge.RULES
