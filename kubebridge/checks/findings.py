"""What `check` reports: findings, and the table of rules that produce them.

The rule table is data: its id, severity, which target it is about and a
one-line fix.  The README's rules table and SARIF's rule metadata are made
from it, so the three never disagree.

Severity `error` means the API server or Podman would refuse the manifest;
`warning` means it is accepted but will not behave as written.
Targets: "kubernetes" rules are about a cluster, "podman" rules about
`podman kube play`; `--target` chooses which apply.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ERROR, WARNING = "error", "warning"
KUBERNETES, PODMAN, BOTH = "kubernetes", "podman", "both"


@dataclass(frozen=True)
class Rule:
    """A rule check knows (kubebridge.RULES): its id, default severity, target ("kubernetes", "podman" or
    "both"), what it finds and how to fix it."""

    id: str
    severity: str
    target: str
    summary: str  # what the rule finds
    fix: str  # one line: what to do about it
    podman_severity: str = ""  # Podman's verdict, where it differs from the cluster's (it refuses, kubectl does not)

    def severity_for(self, target: str) -> str:
        """The severity of a finding that is `target`'s verdict (kubernetes, podman or both)."""
        return self.podman_severity if target == PODMAN and self.podman_severity else self.severity


@dataclass(slots=True)
class Finding:
    """One problem in one document: where (file, document from 1, JSON path, line and column from 1 where
    known), which rule, how bad ("error" or "warning"), and the message; as_dict() for JSON reports."""

    file: str
    document: int  # position of the document in its file, from 1
    kind: str
    name: str
    path: str  # JSON path into the document ("spec.containers[0].image"), "" for the document itself
    line: int | None
    column: int | None
    rule: str
    severity: str
    message: str
    target: str = BOTH  # whose verdict: kubernetes (the API server, kubectl's reader), podman (kube play), both
    keys: tuple = field(default=(), repr=False, compare=False)  # the path as keys and indexes, for locating
    advice: str = field(default="", repr=False, compare=False)  # a fix for this finding, instead of its rule's
    # a notice standing for this many findings of its rule and kind (checks/noise.py), placed at the first; 0: one
    occurrences: int = field(default=0, repr=False, compare=False)

    def as_dict(self) -> dict:
        found = {"file": self.file, "document": self.document, "kind": self.kind, "name": self.name,
                 "path": self.path, "line": self.line, "column": self.column, "rule": self.rule,
                 "severity": self.severity, "target": self.target, "message": self.message}
        if self.occurrences:
            found["occurrences"] = self.occurrences
        return found

    @property
    def fix(self) -> str:
        if self.advice:
            return self.advice
        rule = RULES.get(self.rule)
        return rule.fix if rule else ""


# The fix of a `yaml` finding for a file that cannot be opened (missing, a directory, not readable): its rule's
# fix is about syntax, which such a file has none of.
UNREADABLE_FIX = "check the path: give an existing file or directory (or - for standard input) that can be read"


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


RULES: dict[str, Rule] = _rules(
    # input and schema
    Rule("yaml", ERROR, BOTH, "the file is not readable YAML (or JSON)",
         "fix the syntax at the line shown"),
    Rule("empty", WARNING, BOTH, "the file holds no Kubernetes object: it is empty, only comments, or an empty List",
         "remove the file, or make sure the tool that wrote it did not fail"),
    Rule("duplicate-key", WARNING, BOTH, "a mapping gives the same key twice: kubectl keeps the last value without a "
         "word (a warning), podman kube play refuses the file (an error)", "keep one of the two keys",
         podman_severity=ERROR),
    Rule("schema", ERROR, KUBERNETES, "the document does not match the Kubernetes JSON Schema of its kind, or the "
         "schema of its CustomResourceDefinition or --schema-location (strict: no unknown fields); for Podman, its "
         "own decoder's refusals are podman-refuses",
         "correct the field's type or name as the message says"),
    Rule("openapi-required", WARNING, KUBERNETES, "a field the OpenAPI of the target Kubernetes lists as required, "
         "though its API server accepts the object without it (a few fields of 1.25-1.35, e.g. StatefulSet "
         "serviceName up to 1.32): schema validators that read the OpenAPI refuse it, the cluster does not",
         "set the field if the file must also pass kubeconform or kubernetes-validate; the cluster needs no change"),
    Rule("missing-kind", ERROR, KUBERNETES, "the document has no apiVersion or kind",
         "add apiVersion and kind (e.g. apiVersion: v1, kind: Pod)"),
    Rule("unknown-kind", ERROR, KUBERNETES, "Kubernetes' own API group does not serve this apiVersion/kind in the "
         "target version (a typo, or an API newer than the target)",
         "use an apiVersion/kind the target Kubernetes serves"),
    Rule("api-removed", ERROR, KUBERNETES, "the target Kubernetes no longer serves this apiVersion of the kind: "
         "a release removed it (the message names the release and the apiVersion that replaces it)",
         "change apiVersion to the one the message names (kubectl convert can rewrite the object)"),
    Rule("api-deprecated", WARNING, KUBERNETES, "a deprecated apiVersion: the target Kubernetes serves it, a later "
         "release removes it (the message names both the release and the replacement); or a kind deprecated with no "
         "removal yet (v1 Endpoints from 1.33)",
         "move to what the message names (an apiVersion, or another kind) before a release removes it"),
    Rule("api-disabled-by-default", WARNING, KUBERNETES, "an apiVersion the target Kubernetes serves only when the "
         "cluster enables it: every alpha API, and the beta APIs new since 1.24 (KEP-3136)",
         "use the apiVersion the message names, or enable the API with kube-apiserver --runtime-config"),
    Rule("no-schema", WARNING, KUBERNETES, "no schema for this kind: not a built-in Kubernetes kind (a custom "
         "resource), and no CustomResourceDefinition or --schema-location defines it, so it is not schema-checked",
         "check it with its CustomResourceDefinition (--crd) or a schema catalog (--schema-location)"),
    Rule("version-not-served", ERROR, KUBERNETES, "a custom resource's apiVersion is not served: its "
         "CustomResourceDefinition lists no such version, sets served: false for it, or is itself refused by the API "
         "server",
         "use a version the CustomResourceDefinition serves, or fix the CustomResourceDefinition the message names"),
    Rule("schema-invalid", ERROR, BOTH, "a schema check was given cannot be used: a --schema-location file that is not "
         "JSON or not a valid JSON Schema, or a CustomResourceDefinition's openAPIV3Schema that does not compile "
         "(the run exits 2, as for unreadable input)", "fix or replace the schema the message names"),
    # what the API server refuses
    Rule("name-invalid", ERROR, KUBERNETES, "metadata.name is missing or not a valid name for its kind "
         "(RFC 1123 subdomain; RFC 1035 label for a Service)",
         "use lowercase letters, digits and '-' (and '.' where allowed), starting and ending with a letter or digit"),
    Rule("namespace-invalid", ERROR, KUBERNETES, "metadata.namespace is not an RFC 1123 label",
         "use a namespace of lowercase letters, digits and '-'"),
    Rule("label-invalid", ERROR, KUBERNETES, "a label key or value is not valid syntax",
         "keys: [prefix/]name, name up to 63 of [A-Za-z0-9-_.]; values: up to 63 such characters"),
    Rule("annotation-invalid", ERROR, KUBERNETES, "an annotation key is not a valid qualified name, or annotations "
         "exceed 256 KiB", "use keys of the form [prefix/]name"),
    Rule("containers-missing", ERROR, KUBERNETES, "a pod (template) without containers",
         "add at least one container under spec.containers"),
    Rule("container-name-invalid", ERROR, KUBERNETES, "a container name is missing or not an RFC 1123 label",
         "name containers with up to 63 lowercase letters, digits and '-'"),
    Rule("container-name-duplicate", ERROR, KUBERNETES, "two containers (init or regular) of a pod share a name",
         "give every container of the pod its own name"),
    Rule("image-missing", ERROR, KUBERNETES, "a container has no image: the API server refuses a pod, and a pod "
         "template (Deployment, Job...), without one", "set image: to the container's image reference"),
    Rule("volume-name-invalid", ERROR, KUBERNETES, "a volume name is missing or not an RFC 1123 label",
         "name volumes with up to 63 lowercase letters, digits and '-' (no dots)"),
    Rule("volume-name-duplicate", ERROR, KUBERNETES, "two volumes of a pod share a name",
         "give every volume its own name"),
    Rule("volume-mount-undefined", ERROR, KUBERNETES, "a volumeMount names a volume the pod does not define (nor, "
         "in a StatefulSet, its volumeClaimTemplates)",
         "add the volume to spec.volumes or correct the mount's name"),
    Rule("mount-path-duplicate", ERROR, KUBERNETES, "two volumeMounts of one container use the same mountPath",
         "mount each path once"),
    Rule("port-invalid", ERROR, KUBERNETES, "a port number is outside 1-65535 (or a required port is 0)",
         "use a port number from 1 to 65535"),
    Rule("port-name-invalid", ERROR, KUBERNETES, "a port name is not an IANA service name (at most 15 lowercase "
         "letters, digits and '-', with a letter)", "rename the port, e.g. http or metrics"),
    Rule("port-name-duplicate", ERROR, KUBERNETES, "two ports of a container (or of a Service) share a name",
         "give each port its own name"),
    Rule("hostport-duplicate", ERROR, KUBERNETES, "the same hostPort/protocol/hostIP is used twice in a pod",
         "publish each host port once"),
    Rule("protocol-invalid", ERROR, KUBERNETES, "a port protocol is not TCP, UDP or SCTP",
         "use TCP, UDP or SCTP (upper case)"),
    Rule("restart-policy-invalid", ERROR, KUBERNETES, "a restartPolicy value the API server refuses (for the pod, "
         "the workload kind, or a container in the target version)",
         "pods: Always, OnFailure or Never (Deployment/DaemonSet: Always; Job: OnFailure or Never); "
         "containers: only init containers, only Always, before Kubernetes 1.35"),
    Rule("pull-policy-invalid", ERROR, KUBERNETES, "imagePullPolicy is not Always, IfNotPresent or Never",
         "use Always, IfNotPresent or Never"),
    Rule("probe-on-init", ERROR, KUBERNETES, "a probe or lifecycle hook on an init container that is not a native "
         "sidecar", "move the probe to a regular container, or make the init container a sidecar "
         "(restartPolicy: Always)"),
    Rule("selector-mismatch", ERROR, KUBERNETES, "a workload's selector is empty or does not match its template's "
         "labels", "make spec.selector.matchLabels a subset of spec.template.metadata.labels"),
    Rule("resources-invalid", ERROR, KUBERNETES, "a resource quantity cannot be parsed, is negative, or a request "
         "exceeds its limit", "write quantities like 500m, 1, 256Mi and keep requests <= limits"),
    Rule("data-key-invalid", ERROR, KUBERNETES, "a ConfigMap or Secret key is not valid (only [-._a-zA-Z0-9], "
         "at most 253) or is given in both data and binaryData", "rename the key"),
    Rule("secret-not-base64", ERROR, KUBERNETES, "a Secret's data value is not base64",
         "base64-encode data values, or move them to stringData"),
    Rule("service-invalid", ERROR, KUBERNETES, "a Service the API server refuses: no ports, unnamed ports when "
         "there are several, an unknown type, a duplicate port", "name every port of a multi-port Service and use "
         "ClusterIP, NodePort, LoadBalancer or ExternalName"),
    Rule("pvc-invalid", ERROR, KUBERNETES, "a PersistentVolumeClaim without access modes or a storage request, or "
         "with an unknown access mode", "set accessModes (e.g. [ReadWriteOnce]) and resources.requests.storage"),
    Rule("field-required", ERROR, KUBERNETES, "a field the API server requires is missing, null or empty (all three "
         "alike where Kubernetes tests its length)", "set the field the message names"),
    Rule("value-invalid", ERROR, KUBERNETES, "a value out of the range or format the API server accepts: a negative "
         "count, a number beyond int32, an int-or-string that is not a percentage, an unsupported enum value, a "
         "malformed name, path, IP or schedule", "use a value of the range or format the message gives"),
    Rule("reference-invalid", ERROR, KUBERNETES, "a name that refers to another object (a Secret, ConfigMap, "
         "Service, ServiceAccount, class...) is not a valid name for that kind, so it can never match one",
         "use the referenced object's real name: lowercase letters, digits, '-' and '.'"),
    Rule("selector-invalid", ERROR, KUBERNETES, "a label selector the API server refuses: an unknown operator, In or "
         "NotIn without values, Exists with values, or a key or value that is not label syntax",
         "In/NotIn need values; Exists/DoesNotExist take none; keys and values follow label syntax"),
    Rule("too-large", ERROR, KUBERNETES, "a ConfigMap's or Secret's data over the 1 MiB the API server stores",
         "split the data, or mount it from a volume instead"),
    # pod-level problems no schema sees
    Rule("port-conflict", WARNING, BOTH, "two containers of one pod declare the same containerPort and protocol: "
         "they share one network namespace, so only one can listen", "give each container its own port"),
    Rule("probe-port-undeclared", WARNING, BOTH, "a probe names a port the container does not declare (the kubelet "
         "fails the probe; podman kube play refuses the container)", "declare the named port in the container's "
         "ports, or use its number"),
    Rule("sidecar-unsupported", WARNING, KUBERNETES, "a native sidecar (init container with restartPolicy: Always) "
         "on a Kubernetes version where the SidecarContainers feature is off: it runs as a blocking init container",
         "target Kubernetes 1.29 or later, or make it a regular container"),
    # podman kube play
    Rule("podman-refuses", ERROR, PODMAN, "podman kube play would refuse this input (Podman's own message)",
         "change what the message names, or do not play this with Podman"),
    Rule("podman-missing-ref", WARNING, PODMAN, "podman kube play needs a ConfigMap or Secret the checked files "
         "do not hold", "pass it with --configmap, create it with podman secret create, or add it to the files"),
    Rule("podman-kind-ignored", WARNING, PODMAN, "podman kube play skips this kind",
         "nothing, if it is only meant for a cluster"),
    Rule("podman-ignored", WARNING, PODMAN, "a field podman kube play does not act on",
         "do not rely on it under Podman"),
    Rule("podman-native-sidecar", WARNING, PODMAN, "a native sidecar runs under Podman as a blocking init "
         "container: the pod's other containers wait for it to exit", "make it a regular container for Podman, or "
         "play with kubebridge's --sidecars=containers"),
    Rule("podman-port-unpublished", WARNING, PODMAN, "a containerPort Podman will not publish on the host (no "
         "hostPort, or it belongs to an init container)", "give a regular container's port a hostPort, or use podman "
         "kube play --publish"),
    Rule("podman-mount-options", WARNING, BOTH, "a mountPath with ':' options (like :Z): Podman reads them as "
         "mount options, a cluster as part of the path", "drop the options for a cluster; keep them only for Podman"),
    Rule("podman-yaml-dialect", WARNING, BOTH, "a plain scalar Kubernetes (YAML 1.1) and Podman (YAML 1.2) read "
         "differently, such as yes/no/on/off or a timestamp", "quote the value"),
    Rule("podman-env-precedence", WARNING, PODMAN, "a variable set both in env and by envFrom: Kubernetes uses the "
         "env value, podman kube play the last envFrom source's", "set each variable in one place"),
    Rule("podman-names", WARNING, PODMAN, "a name podman kube play changes: a workload's pod gets a suffix",
         "refer to the pod by the name Podman gives it"),
    Rule("internal", ERROR, BOTH, "kubebridge itself failed on the document (a bug)",
         "report it with the document that caused it"),
    # a manifest made on a laptop, bound for a cluster
    Rule("image-local", WARNING, KUBERNETES, "an image under localhost/ exists only in a local image store",
         "push the image to a registry and refer to it there"),
    Rule("hostpath-on-cluster", WARNING, KUBERNETES, "a hostPath volume: its source must exist on whichever node "
         "runs the pod", "use a PersistentVolumeClaim, ConfigMap or emptyDir"),
)


def rule_ids(text: str | None) -> frozenset[str]:
    """Rule ids from a comma-separated list; an unknown id is a usage error."""
    from kubebridge.errors import UsageError

    if not text:
        return frozenset()
    wanted = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(wanted - set(RULES))
    if unknown:
        raise UsageError(f"unknown rule(s) {', '.join(unknown)}: see --list-rules for the rules")
    return frozenset(wanted)
