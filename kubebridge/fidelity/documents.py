"""A manifest's documents paired with what comes back, and each change explained."""
from __future__ import annotations

import re
from dataclasses import replace

from kubebridge.model.manifest import as_dict, as_str
from kubebridge.model.names import WORKLOADS

from .diff import ADDED, LOST, Change, Pair, diff, diff_pair
from .rewrites import BY_ID, explain

# --- documents -----------------------------------------------------------------------------

AUX_KINDS = ("ConfigMap", "Secret")


def pair_documents(before: list[dict], after: list[dict], images: tuple = ()) -> tuple[list[Pair], list[Change]]:
    """Workloads paired in order; what has no counterpart is a whole document lost or added."""
    aux = {}
    for doc in before:
        kind = as_str(doc.get("kind"))
        if kind in AUX_KINDS:
            data = dict(as_dict(doc.get("data")))
            data.update(as_dict(doc.get("stringData")))
            aux[(kind, as_str(as_dict(doc.get("metadata")).get("name")))] = data
    ours = [(i, d) for i, d in enumerate(before) if as_str(d.get("kind")) in WORKLOADS]
    theirs = [d for d in after if as_str(d.get("kind")) in WORKLOADS]
    pairs = [Pair(d, theirs[n], i, aux=aux, images=images) for n, (i, d) in enumerate(ours) if n < len(theirs)]
    extra: list[Change] = []
    for n, (i, d) in enumerate(ours):
        if n >= len(theirs):
            extra.append(Change(LOST, (), d, None, i))
    claims_after = {as_str(as_dict(d.get("metadata")).get("name")): d for d in after
                    if as_str(d.get("kind")) == "PersistentVolumeClaim"}
    for i, d in enumerate(before):
        kind = as_str(d.get("kind"))
        if kind == "PersistentVolumeClaim" and as_str(as_dict(d.get("metadata")).get("name")) in claims_after:
            changes: list[Change] = []
            diff(d, claims_after[as_str(as_dict(d.get("metadata")).get("name"))], (), changes, i)
            extra.extend(replace(c, rewrite="claim-regenerated") for c in changes)
        elif kind not in WORKLOADS:
            extra.append(Change(LOST, (), d, None, i, "consumed" if kind in AUX_KINDS + ("PersistentVolumeClaim",)
                                else "not-played"))
    for d in theirs[len(ours):]:
        extra.append(Change(ADDED, (), None, d, len(before), "replica-pods"))
    return pairs, extra


def manifest_changes(before: list[dict], after: list[dict], images: tuple = ()) -> list[Change]:
    """Every change from the original documents to the round-tripped ones, each explained where Podman's rules
    explain it."""
    pairs, extra = pair_documents(before, after, images)
    changes = []
    for pair in pairs:
        changes.extend(explain(diff_pair(pair), pair))
    return changes + extra


DOCUMENT_REWRITES = {
    "claim-regenerated": "play makes a Podman volume of a PersistentVolumeClaim; generate writes a claim for the "
                         "volume with Podman's volume options as annotations and a default storage request",
    "consumed": "play consumes ConfigMaps, Secrets and PersistentVolumeClaims into the pod's environment and "
                "volumes; generate writes no such document back",
    "not-played": "play skips this kind, so nothing of it comes back",
}


def describe(rewrite: str) -> str:
    """What Podman does, for a rewrite id: a manifest's (REWRITES, DOCUMENT_REWRITES) or a snapshot's
    (snapshots.MODEL_REWRITES); "" for an unknown id."""
    from .snapshots import MODEL_BY_ID

    if rewrite in BY_ID:
        return BY_ID[rewrite].podman
    if rewrite in MODEL_BY_ID:
        return MODEL_BY_ID[rewrite].podman
    return DOCUMENT_REWRITES.get(rewrite, "")


_ID = re.compile(r"\b[0-9a-f]{64}\b")
