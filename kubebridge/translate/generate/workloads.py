"""Services, and the Pod wrapped as a Deployment, DaemonSet or Job (libpod/kube.go GenerateForKube, abi/generate.go)."""
from __future__ import annotations

from kubebridge.errors import PodmanRefusal

from .context import NODE_PORT_MAX, NODE_PORT_MIN, _Context

# --- services and workloads ----------------------------------------------------------------

def service_ports_for(ports: list[dict], seed: str) -> list[dict]:
    """containerPortsToServicePorts, with node ports derived from the name instead of random."""
    used: set[int] = set()
    result = []
    for p in ports:
        port = p["containerPort"]
        node_port = node_port_for(seed, port, p.get("protocol", "TCP"), used)
        entry = {"name": str(port), "nodePort": node_port, "port": port, "targetPort": port}
        if "protocol" in p:
            entry["protocol"] = p["protocol"]
        result.append(entry)
    return result


def node_port_for(seed: str, port: int, protocol: str, used: set[int]) -> int:
    """A node port in 30000-32767 that depends only on its inputs, unique within one Service."""
    import hashlib

    span = NODE_PORT_MAX - NODE_PORT_MIN + 1
    digest = hashlib.sha256(f"{seed}/{port}/{protocol}".encode()).digest()
    offset = int.from_bytes(digest[:8], "big") % span
    for step in range(span):
        candidate = NODE_PORT_MIN + (offset + step) % span
        if candidate not in used:
            used.add(candidate)
            return candidate
    raise PodmanRefusal("too many attempts trying to generate a unique NodePort number")


def service(pod_doc: dict, ports: list[dict], ctx: _Context) -> dict:
    """GenerateKubeServiceFromV1Pod."""
    metadata = {k: v for k, v in pod_doc["metadata"].items() if k != "annotations"}
    if not ports:
        ports = []
        used: set[int] = set()
        for ctr in pod_doc["spec"]["containers"]:
            for p in ctr.get("ports", ()):
                entry = {"name": str(p["containerPort"]), "port": p["containerPort"],
                         "targetPort": p["containerPort"],
                         "nodePort": node_port_for(metadata["name"], p["containerPort"], p.get("protocol", "TCP"),
                                                   used)}
                if "protocol" in p:
                    entry["protocol"] = p["protocol"]
                ports.append(entry)
    spec: dict = {"selector": {"app": pod_doc["metadata"]["labels"].get("app", "")}, "type": "NodePort"}
    if ports:
        spec["ports"] = ports
    return {"apiVersion": pod_doc["apiVersion"], "kind": "Service", "metadata": metadata, "spec": spec}


def workload(pod_doc: dict, ctx: _Context) -> dict:
    """The Pod itself, or the Deployment, DaemonSet or Job around it (--type)."""
    kind = ctx.options.type
    if kind == "pod":
        return pod_doc
    name = pod_doc["metadata"]["name"]
    spec = pod_doc["spec"]
    policy = spec.get("restartPolicy", "")
    if kind == "deployment" and policy not in ("", "Always"):
        raise PodmanRefusal("k8s Deployments can only have restartPolicy set to Always")
    if kind == "daemonset":
        if policy not in ("", "Always"):
            raise PodmanRefusal("k8s DaemonSets can only have restartPolicy set to Always")
        if ctx.options.replicas > 1:
            raise PodmanRefusal("k8s DaemonSets don't allow setting replicas")
    if kind == "job" and policy == "Always":
        raise PodmanRefusal("k8s Jobs can not have restartPolicy set to Always; only Never and OnFailure "
                            "policies allowed")
    metadata = {"creationTimestamp": pod_doc["metadata"]["creationTimestamp"],
                "labels": pod_doc["metadata"]["labels"], "name": f"{name}-{kind}"}
    template = {"metadata": pod_doc["metadata"], "spec": spec}
    api, kind_name = {"deployment": ("apps/v1", "Deployment"), "daemonset": ("apps/v1", "DaemonSet"),
                      "job": ("batch/v1", "Job")}[kind]
    if kind == "job":
        spec["restartPolicy"] = "Never"
        body: dict = {"completions": 1, "parallelism": 1, "template": template}
    else:
        body = {"selector": {"matchLabels": {"app": name}}, "template": template}
        if kind == "deployment" and ctx.options.replicas > 1:
            body["replicas"] = ctx.options.replicas
        if kind == "daemonset":
            body["updateStrategy"] = {}
    return {"apiVersion": api, "kind": kind_name, "metadata": metadata, "spec": body}
