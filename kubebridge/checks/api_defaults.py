"""Which served apiVersions a cluster serves only when it is told to: alpha APIs, and beta APIs new since 1.24.

The bundled schemas say what a minor *can* serve (its OpenAPI holds every
API group compiled in); a cluster started with kube-apiserver's defaults
serves less.  Kubernetes' DefaultAPIResourceConfigSource
(pkg/controlplane/apiserver/options, pkg/controlplane/instance.go) disables
every alpha group-version ("They are always disabled by default"), and since
1.24 every new beta API (KEP-3136, "beta APIs off by default"); the betas of
1.23 and before that a bundled minor still serves stay on, and
legacyBetaEnabledByDefaultResources turns a few later ones back on.  Creating
an object of a disabled API fails with "no matches for kind" until the
cluster enables it with --runtime-config=<group>/<version>=true.

No beta kind first appeared in 1.24 (the first release of the policy), so a
beta apiVersion/kind the oldest bundled minor (1.25) already serves is one of
the old betas, on by default.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kubebridge.checks import api_lifecycle
from kubebridge.checks import schema as k8s_schema

# legacyBetaEnabledByDefaultResources: betas new since 1.24 that are on by default all the same
ON_BY_DEFAULT = frozenset({
    "flowcontrol.apiserver.k8s.io/v1beta3/FlowSchema",  # 1.26-1.31, on (the earlier flowcontrol betas were)
    "flowcontrol.apiserver.k8s.io/v1beta3/PriorityLevelConfiguration",
})


@dataclass(frozen=True)
class Disabled:
    """Why a default cluster does not serve an apiVersion/kind, and what it does serve instead ("" if nothing)."""

    level: str  # "alpha" or "beta"
    instead: str  # an apiVersion of the same group and kind the minor serves by default


def _off(key: str) -> str:
    """"alpha" or "beta" when a default cluster does not serve "apiVersion/Kind" (wherever it is served), else ""."""
    api = key.rpartition("/")[0]
    level = re.search(r"v\d+(alpha|beta)\d+$", api)
    if level is None or key in ON_BY_DEFAULT:
        return ""
    if level[1] == "beta":
        span = api_lifecycle.served_span(key)
        if span is None or span[0] == k8s_schema.bundled_versions()[0]:
            return ""
    return level[1]


@lru_cache(maxsize=None)
def disabled_by_default(version: str, key: str) -> Disabled | None:
    """Disabled when the minor serves "apiVersion/Kind" only to a cluster that enables it, else None."""
    level = _off(key)
    if not level:
        return None
    api, _, kind = key.rpartition("/")
    group = api.rpartition("/")[0]
    enabled = [k.rpartition("/")[0] for k in k8s_schema.served(version)
               if k.rpartition("/")[2] == kind and k != key and k.rpartition("/")[0].rpartition("/")[0] == group
               and not _off(k)]
    instead = max(enabled, key=lambda a: (api_lifecycle.stability(a), a)) if enabled else ""
    return Disabled(level, instead)
