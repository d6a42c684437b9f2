"""`podman kube generate`: the model -> Kubernetes documents, as a pure function.

generate() takes a Snapshot of Podman objects and returns the documents (plain dicts holding only
the fields Go's `omitempty` keeps) and comment chunks that Podman would print, in Podman's order.
The rules follow libpod/kube.go and pkg/domain/infra/abi/generate.go of every Podman kubebridge models
(model/versions.VERSIONS); where they differ, the Profile decides.  Rendering the documents as text is the writer's job.

  documents.py   the entry point: what to generate and in which order (abi/generate.go)
  pods.py        a pod, or standalone containers -> a Pod (kube.go podWithContainers)
  containers.py  a container -> its spec (kube.go containerToV1Container)
  volumes.py     mounts -> volumes and volumeMounts; volumes -> PersistentVolumeClaims
  workloads.py   Services, and the Pod as a Deployment, DaemonSet or Job
  context.py     the options, the result and what a run carries
"""
from .containers import env_vars, resolve_user
from .context import TYPES, GenerateOptions, GenerateResult, Note
from .documents import generate, select
from .volumes import volume_name
from .workloads import node_port_for

__all__ = ['GenerateOptions', 'GenerateResult', 'Note', 'TYPES', 'env_vars', 'generate', 'node_port_for', 'resolve_user', 'select', 'volume_name']
