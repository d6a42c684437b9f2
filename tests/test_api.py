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
