"""Fields the OpenAPI of some minors lists as `required` that the API server of those minors never required.

The bundled schemas are Kubernetes' own OpenAPI, as kubernetes-validate and
kubeconform read it, and `required` there comes from the Go types' comments
(a field without `+optional`).  For a few fields that comment was wrong: the
API server's validation (pkg/apis/*/validation) or its defaulting accepts an
object without them, and a later release marked them optional.  A schema
validator refuses such an object; a cluster creates it.  check reports these
as the `openapi-required` warning instead of a `schema` error, naming why.

Each entry was found by comparing the bundled minors (a `required` that a
later minor drops), or by a trial (a Go bool the OpenAPI calls required),
and read against the Go code it names; the ones where the
API server did require the field until then (resource.k8s.io DeviceRequest's
deviceClassName before 1.33, admissionregistration v1alpha1's validations
before 1.27) stay `schema` errors.
"""
from __future__ import annotations

from dataclasses import dataclass

from kubebridge.checks.schema import TOO_DEEP, UNCHECKED, SchemaError


@dataclass(frozen=True)
class Unenforced:
    """One OpenAPI `required` the API server does not enforce, up to and including `last_minor`."""

    definition: str  # the OpenAPI definition that lists the field, e.g. io.k8s.api.apps.v1.StatefulSetSpec
    field: str
    last_minor: tuple[int, int]  # the last minor whose OpenAPI lists it as required
    why: str  # what the API server does instead, and the Kubernetes source that shows it


CRD_VERSION = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion"
UNENFORCED = {(u.definition, u.field): u for u in (
    Unenforced("io.k8s.api.apps.v1.StatefulSetSpec", "serviceName", (1, 32),
               "ValidateStatefulSetSpec never required it, and 1.33 marks it optional (kubernetes#130233)"),
    Unenforced("io.k8s.api.networking.v1.NetworkPolicySpec", "podSelector", (1, 33),
               "an omitted podSelector is the empty selector, which selects every pod of the namespace; 1.34 marks "
               "it optional (kubernetes#131354)"),
    Unenforced("io.k8s.api.batch.v1.PodFailurePolicyRule", "onPodConditions", (1, 28),
               "validatePodFailurePolicyRule requires exactly one of onExitCodes and onPodConditions; 1.29 marks "
               "it optional"),
    Unenforced(CRD_VERSION, "served", (1, 37), "served is a Go bool: absent, it is false, and the version is not "
               "served (version-not-served says so for its custom resources)"),
    Unenforced(CRD_VERSION, "storage", (1, 37), "storage is a Go bool: absent, it is false (exactly one version must "
               "set it true, which crd-versions checks)"),
    Unenforced("io.k8s.api.rbac.v1.RoleRef", "apiGroup", (1, 35),
               "SetDefaults_RoleBinding and SetDefaults_ClusterRoleBinding (pkg/apis/rbac/v1/defaults.go) set an "
               "empty apiGroup to rbac.authorization.k8s.io before validation; 1.36 marks it optional"),
)}


def unenforced(definition: str, field: str, minor: tuple[int, int]) -> Unenforced | None:
    """The entry when `field` of `definition` is listed as required in `minor` but not enforced there, else None."""
    entry = UNENFORCED.get((definition, field))
    return entry if entry is not None and minor <= entry.last_minor else None


def schema_finding(error: SchemaError, version: str, minor: tuple[int, int]) -> tuple[str, tuple, str]:
    """(rule, path, message) of a built-in kind's schema error: `schema`; `openapi-required` for a field listed
    here (missing, or null: the decoder reads null as absent); `no-schema` when no validator could judge it."""
    loose = unenforced(error.definition, error.missing, minor) if error.missing else None
    if loose is not None:
        said = error.message if error.message.endswith("required property") else (
            f"{error.missing!r} is null, which the API server reads as absent; it is a required property")
        return ("openapi-required", error.path, f"{said} in the OpenAPI of Kubernetes {version} "
                f"({error.definition.rpartition('.')[2]}), but the API server of {version} accepts the object "
                f"without it: {loose.why}. Schema validators that read that OpenAPI (kubeconform, "
                "kubernetes-validate) report an error here")
    if error.message == TOO_DEEP:  # no verdict, rather than a false error
        return "no-schema", error.path, UNCHECKED
    return "schema", error.path, error.message
