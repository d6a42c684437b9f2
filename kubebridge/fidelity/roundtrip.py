"""The round trips themselves: a manifest through play and generate, a snapshot through generate and play."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from kubebridge.model.manifest import as_str, walk

from .diff import Change
from .documents import describe, manifest_changes
from .snapshots import snapshot_changes

# --- the round trips themselves -----------------------------------------------------------------

@dataclass
class RoundTrip:
    """What came back from a round trip through Podman, and every change on the way."""

    source: str  # "manifest" (play, then generate) or "snapshot" (generate, then play)
    podman_version: str
    changes: list[Change] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)  # the YAML that generate wrote on the way
    warnings: list[str] = field(default_factory=list)
    portable: bool = False  # the second half was generate --portable
    originals: list[dict] = field(default_factory=list)  # a manifest's own documents, as read (the first side)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def unexplained(self) -> list[Change]:
        return [c for c in self.changes if not c.rewrite]

    def as_dict(self) -> dict:
        used = sorted({c.rewrite for c in self.changes if c.rewrite})
        return {"source": self.source, "portable": self.portable, "podman_version": self.podman_version,
                "changes": [c.as_dict() for c in self.changes],
                "rewrites": {r: describe(r) for r in used}, "warnings": list(self.warnings)}


def declared_host_paths(documents: Iterable[dict]) -> dict[str, str]:
    """What each hostPath source is after play, as the YAML declares it (play creates the *OrCreate ones)."""
    facts: dict[str, str] = {}
    for source in walk(documents, "hostPath"):
        if isinstance(source, dict) and isinstance(source.get("path"), str):
            kind = as_str(source.get("type"))
            facts.setdefault(source["path"], "File" if kind in ("File", "FileOrCreate") else
                             "Directory" if kind in ("Directory", "DirectoryOrCreate") else "")
    return facts


def manifest_round_trip(documents: list, options, profile, generate_type: str = "pod", images: tuple = (), *,
                        timestamp: str, portable: bool = False) -> RoundTrip:
    """play, then generate (or generate --portable); the changes from the original documents (Document objects,
    read in Podman's dialect)."""
    from kubebridge.model.podman import Image, Snapshot
    from kubebridge.translate.generate import GenerateOptions, generate
    from kubebridge.translate.play import play

    played = play(documents, options, profile)
    facts = {**declared_host_paths(d.data for d in documents), **(options.host_paths or {}),
             **played.created_paths}
    snapshot = Snapshot(pods=played.pods, volumes=played.volumes, images=list(images), host_paths=facts)
    for ctr in (c for pod in played.pods for c in pod.containers):
        if snapshot.find_image(ctr) is None:  # play took it as empty (and warned): generate does the same
            snapshot.images.append(Image(id="", names=(ctr.image,)))
    names = tuple(snapshot.names)  # a snapshot bundle's recorded names: generate writes those objects only
    generated = generate(snapshot, GenerateOptions(type=generate_type, timestamp=timestamp, names=names), profile)
    warnings = list(played.warnings) + list(generated.warnings)
    output = generated.documents
    if portable:
        from kubebridge.translate.portable import make_portable
        output, more = make_portable(generated.chunks, snapshot, profile, generated.init_volumes)
        warnings += more
    originals = [d.data for d in documents if isinstance(d.data, dict)]
    changes = manifest_changes(originals, output, tuple(snapshot.images))
    return RoundTrip("manifest", profile.version, changes, output, warnings, portable, originals)


def snapshot_round_trip(snapshot, options, profile, timestamp: str, generate_type: str = "pod", *,
                        portable: bool = False) -> RoundTrip:
    """generate (generate_type: what it writes; portable: generate --portable), then play; the changes from
    the original pods."""
    from kubebridge.load.manifests import Document
    from kubebridge.translate.generate import GenerateOptions, generate
    from kubebridge.translate.play import play

    names = tuple(snapshot.names)  # a snapshot bundle's recorded names: generate writes those objects only
    generated = generate(snapshot, GenerateOptions(type=generate_type, timestamp=timestamp, names=names), profile)
    output, warnings = generated.documents, list(generated.warnings)
    if portable:
        from kubebridge.translate.portable import make_portable
        output, more = make_portable(generated.chunks, snapshot, profile, generated.init_volumes)
        warnings += more
    docs = [Document(d, "<generated>", i, 1) for i, d in enumerate(output)]
    played = play(docs, options, profile)
    changes = snapshot_changes(snapshot.pods, played.pods)
    return RoundTrip("snapshot", profile.version, changes, output, warnings + list(played.warnings), portable)
