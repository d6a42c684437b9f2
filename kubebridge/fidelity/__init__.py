"""What a round trip through Podman changes, and why.

A manifest's round trip is `podman kube play` then `podman kube generate`; a
snapshot's is `generate`, `play`, and the pods that come out.  The changes are
listed with their paths (diff.py) and each is explained by the Podman behaviour
behind it (rewrites.py: REWRITES, the one table of Podman's round-trip rewrites,
each confirmed by a captured fixture; snapshots.py: MODEL_REWRITES).

  diff.py        lining the two sides up; Change
  rewrites.py    REWRITES: why a manifest change happens
  documents.py   documents paired and their changes explained
  snapshots.py   a snapshot's changes, field by field of the model
  roundtrip.py   the round trips themselves; RoundTrip
"""
from .diff import Change
from .documents import describe, manifest_changes
from .rewrites import REWRITES
from .roundtrip import RoundTrip, manifest_round_trip, snapshot_round_trip
from .snapshots import MODEL_REWRITES

__all__ = ['Change', 'MODEL_REWRITES', 'REWRITES', 'RoundTrip', 'describe', 'manifest_changes', 'manifest_round_trip', 'snapshot_round_trip']
