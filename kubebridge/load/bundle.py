"""kubebridge's snapshot bundle: one JSON object holding what a running Podman printed for some pods,
containers, images and volumes, and that Podman's version (`kubebridge snapshot` writes it).

    {"kubebridge_snapshot": 1, "podman_version": "5.8.6", "names": ["web"],
     "pods": [...], "containers": [...], "images": [...], "volumes": [...]}

Each object of the four lists is what `podman pod|container|image|volume
inspect` prints for it (schemas/inspect/*.json); the envelope's schema is
schemas/snapshot.json.  `names` are the names the snapshot was taken of:
what generate makes when it is given no names, as `podman kube generate
NAME...` would.  The recorded version says which Podman printed the objects,
so nothing has to be guessed from their shapes (load/podman_version.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubebridge.errors import InputError
from kubebridge.load import shape

FORMAT_KEY = "kubebridge_snapshot"
FORMAT = 1
KIND_LISTS = {"pod": "pods", "container": "containers", "image": "images", "volume": "volumes"}


@dataclass
class Bundle:
    """A bundle read: its objects by kind, each with its JSON path in the file, the version and the names."""

    podman_version: str
    names: list[str]
    objects: list[tuple[str, dict, str]] = field(default_factory=list)  # (kind, object, JSON path)


def is_bundle(data: Any) -> bool:
    """A parsed JSON value that says it is a kubebridge snapshot bundle (any format)."""
    return isinstance(data, dict) and FORMAT_KEY in data


def make(podman_version: str, names: list[str], objects: dict[str, list[dict]]) -> dict:
    """A bundle of format 1 from the objects of each kind ({"pod": [...], "container": [...], ...})."""
    bundle: dict[str, Any] = {FORMAT_KEY: FORMAT, "podman_version": podman_version, "names": list(names)}
    bundle.update({plural: list(objects.get(kind, ())) for kind, plural in KIND_LISTS.items()})
    return bundle


def read(data: dict, file: str, kind_of) -> Bundle:
    """The bundle's envelope checked against schemas/snapshot.json, and each object's kind against the list
    that holds it (kind_of: load.inspect.kind_of).  Raises InputError naming the file and the JSON path."""
    if data.get(FORMAT_KEY) != FORMAT and isinstance(data.get(FORMAT_KEY), int):
        raise InputError(f"a kubebridge snapshot of format {data[FORMAT_KEY]}: this kubebridge reads format "
                         f"{FORMAT} (a newer kubebridge wrote it)", file=file, path=f"$.{FORMAT_KEY}")
    if not shape.checker("snapshot")(data):
        path, message = shape.explain("snapshot", data)
        raise InputError(f"{message} (in a kubebridge snapshot)", file=file, path=path)
    bundle = Bundle(data["podman_version"], list(data.get("names") or []))
    for kind, plural in KIND_LISTS.items():
        for index, obj in enumerate(data[plural]):
            where = f"$.{plural}[{index}]"
            found = kind_of(obj)
            if found != kind:
                what = f"{found} inspect output" if found else "not Podman inspect output"
                raise InputError(f"{what} in the snapshot's {plural}", file=file, path=where)
            bundle.objects.append((kind, obj, where))
    return bundle
