"""`podman kube play`: Kubernetes documents -> the pods, containers and volumes Podman would create.

A pure function of the documents, the images and the host facts (PlayOptions), following
pkg/domain/infra/abi/play.go and pkg/specgen/generate/kube of every Podman kubebridge models
(model/versions.VERSIONS); where they differ, the Profile decides.  Errors are Podman's own
(PodmanRefusal) with the place in the YAML added.  Native sidecars, which Podman runs as blocking init containers, always produce a warning.

  documents.py   the entry point: which documents play, in which order (play.go ServeKube loop)
  pods.py        a pod spec -> a Pod, its infra container and shared settings
  volumes.py     spec.volumes -> Podman volumes (hostPath, emptyDir, PVC, ConfigMap, Secret)
  containers.py  a container spec -> a Container (kube.ToSpecGen)
  env.py         env and envFrom, with ConfigMaps, Secrets and field references
  mounts.py      volumeMounts -> mounts and their options
  context.py     the options, the result and what a run carries between them
"""
from .containers import cap_name, capabilities, expand, find_image
from .context import PlayOptions, PlayResult
from .documents import play, sort_kinds, validate_annotations
from .mounts import parse_mount_path
from .pods import pod_ports

__all__ = ['PlayOptions', 'PlayResult', 'cap_name', 'capabilities', 'expand', 'find_image', 'parse_mount_path', 'play', 'pod_ports', 'sort_kinds', 'validate_annotations']
