"""Noise: one notice per kind and run for the kinds `podman kube play` skips, when check is for both targets.

With the default --target both, every Service, Ingress, RBAC object, CRD and
custom resource of a repository would carry the Podman-only warning that
`podman kube play` skips its kind (podman-kind-ignored), and every file
holding only such kinds the warning that Podman refuses it on its own.  A
repository meant for a cluster drowns in them.  So, for --target both only,
these findings are held back and, at the end of the run, each kind gets one
finding instead: placed at its first occurrence, counting the documents and
files it stands for (Finding.occurrences), with advice fitting that kind.  It
keeps the rule and severity (a warning: --fail-on warning still fails).
--target podman reports every one.  Findings about kinds Podman does play are
never collapsed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kubebridge.checks import api_lifecycle
from kubebridge.checks.findings import BOTH, Finding
from kubebridge.checks.podman_rules import NOTHING_PLAYED, played
from kubebridge.model.profiles import Profile

if TYPE_CHECKING:
    from kubebridge.checks.engine import Checker, CheckResult

RULE = "podman-kind-ignored"

SERVICES = {"Service", "Endpoints", "EndpointSlice"}
INGRESS = {"Ingress", "IngressClass", "Gateway", "GatewayClass", "HTTPRoute", "GRPCRoute", "TCPRoute", "TLSRoute",
           "UDPRoute", "ReferenceGrant", "BackendTLSPolicy", "Route"}
RBAC = {"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount"}
API_EXTENSIONS = {"CustomResourceDefinition", "APIService", "MutatingWebhookConfiguration",
                  "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
                  "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding"}
STORAGE = {"PersistentVolume", "StorageClass", "VolumeAttachment", "CSIDriver", "CSINode", "CSIStorageCapacity",
           "VolumeAttributesClass"}
POLICY = {"HorizontalPodAutoscaler", "PodDisruptionBudget", "PriorityClass", "LimitRange", "ResourceQuota",
          "RuntimeClass"}
POD_OWNERS = {"StatefulSet", "ReplicaSet", "ReplicationController", "CronJob", "DaemonSet", "Job", "Deployment",
              "DeploymentConfig", "PodTemplate"}


def advice(kind: str, profile: Profile, builtin: bool) -> str:
    """What to do about a kind podman kube play skips, in words that fit that kind."""
    if kind in SERVICES:
        return "under Podman a pod is reached through its hostPorts (or podman kube play --publish), not a Service"
    if kind in INGRESS:
        return ("Podman has no ingress controller: publish the pod's port with a hostPort (or podman kube play "
                "--publish) and route to it on the host")
    if kind == "NetworkPolicy":
        return "Podman does not enforce network policies: isolate the pod with a Podman network (--network)"
    if kind in RBAC:
        return ("Podman has no API server to authorise against: the containers run with the rights of the user who "
                "runs Podman")
    if kind in API_EXTENSIONS:
        return "it extends a cluster's API server, and Podman has none"
    if kind in STORAGE:
        return "Podman makes a named volume for each PersistentVolumeClaim itself: it needs no PersistentVolume " \
               "or StorageClass"
    if kind == "Namespace":
        return "Podman plays objects by name, without namespaces"
    if kind in POLICY:
        return "scaling, scheduling and quotas are a cluster's: Podman runs one pod where it is played"
    if kind in POD_OWNERS:
        kinds = [k for k in ("Pod", "Deployment", "DaemonSet", "Job") if k in profile.play_kinds]
        text = (f"to run its pods under Podman {profile.version}, give their template as a "
                f"{', '.join(kinds[:-1])} or {kinds[-1]}")
        return text + ("; Podman runs no schedule (a systemd timer can)" if kind == "CronJob" else "")
    if not builtin:
        return ("not a built-in Kubernetes kind: a custom resource is acted on by its operator in a cluster, and "
                "nothing under Podman reads it")
    return "a cluster object with no counterpart under Podman: nothing to do if it is meant for a cluster only"


@dataclass
class _Tally:
    first: Finding
    documents: int = 0
    files: set[str] = field(default_factory=set)
    refused: set[str] = field(default_factory=set)  # files podman kube play refuses as a whole


class Collapse:
    """take() each batch of findings as they come (the collapsed ones are held back); finish() gives the notices."""

    def __init__(self, target: str, active: frozenset[str], profile: Profile):
        self.on = target == BOTH and RULE in active
        self.profile = profile
        self.kinds: dict[str, _Tally] = {}

    def take(self, findings: list[Finding]) -> list[Finding]:
        if not self.on or not findings:
            return findings
        kept = []
        for f in findings:
            if f.rule != RULE or not f.kind or played(f.kind, self.profile):
                kept.append(f)
                continue
            tally = self.kinds.get(f.kind)
            if tally is None:
                tally = self.kinds[f.kind] = _Tally(f)
            if f.message.startswith(NOTHING_PLAYED):
                tally.refused.add(f.file)
            else:
                if tally.first.message.startswith(NOTHING_PLAYED):
                    tally.first = f  # the notice sits at a document of the kind, not at a file's refusal
                tally.documents += 1
                tally.files.add(f.file)
        return kept

    def finish(self) -> list[Finding]:
        """One finding per kind held back, in the order the kinds came, at each kind's first document."""
        builtin = api_lifecycle.builtin_kinds()
        notices = []
        for kind, tally in self.kinds.items():
            first = tally.first
            files = len(tally.files | tally.refused)
            counted = (f"{tally.documents} document{'s' * (tally.documents != 1)} in {files} "
                       f"file{'s' * (files != 1)}")
            refused = (f"; it refuses {len(tally.refused)} of these files as a whole (nothing in them is played)"
                       if tally.refused else "")
            message = (f"podman kube play {self.profile.version} skips kind {kind}: {counted}, the first here "
                       f"(--target podman lists each){refused}; {advice(kind, self.profile, kind in builtin)}")
            notices.append(Finding(first.file, first.document, first.kind, first.name, first.path, first.line,
                                   first.column, first.rule, first.severity, message, target=first.target, keys=first.keys,
                                   occurrences=tally.documents + len(tally.refused)))
        self.kinds = {}
        return notices


def collapse_result(result: "CheckResult", checker: "Checker") -> "CheckResult":
    """A whole CheckResult with its notices collapsed (the Python API's check())."""
    collapse = Collapse(checker.options.target, checker.active, checker.profile)
    result.findings = collapse.take(result.findings) + collapse.finish()
    return result
