"""The API server's validation, as a table: each check, the Kubernetes function it follows, its kinds and minors.

Each entry is one check of the kube-apiserver's validation (pkg/apis/<group>/validation
in kubernetes/kubernetes, and the helpers of k8s.io/apimachinery), run after a
manifest is decoded and defaulted, and the finding rule (findings.RULES) it reports
under.  `minors` is the range of Kubernetes minors the check applies to; where a
feature gate moves it, `gate` names the gate and the minor it became on by default.
The functions that implement the checks register here with @implements(id)
(apiserver_pod, apiserver_kinds); the checks older than the table are
kubernetes_rules' and are listed with `impl` "kubernetes_rules".  tests/test_apiserver.py
holds every entry to a triggering and a corrected manifest, at both ends of its
range, and the README counts the entries per kind.

Defaulting comes first, as in the API server: a field the API server defaults
(restartPolicy, dnsPolicy, imagePullPolicy, protocols, a Service's type...) is
never "required" here, only an explicit wrong value is refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kubebridge.model.manifest import Manifest

Minor = tuple[int, int]
Say = Callable[[tuple, str], None]  # (path, message): one finding of the entry's rule

POD_TEMPLATE_KINDS = frozenset({"Deployment", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob",
                                "PodTemplate", "StatefulSet"})
POD_KINDS = POD_TEMPLATE_KINDS | {"Pod"}
WORKLOADS = frozenset({"Deployment", "DaemonSet", "ReplicaSet", "ReplicationController", "StatefulSet"})
JOBS = frozenset({"Job", "CronJob"})
RBAC = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
FIRST, LAST = (1, 25), (1, 37)
CORE = "pkg/apis/core/validation"
APPS = "pkg/apis/apps/validation"
BATCH = "pkg/apis/batch/validation"
NET = "pkg/apis/networking/validation"
META = "apimachinery pkg/api/validation"
CRD_VALIDATION = "apiextensions-apiserver pkg/apis/apiextensions/validation"
CRD = "CustomResourceDefinition"


@dataclass(frozen=True)
class Check:
    id: str
    rule: str  # the finding rule it reports under
    kinds: frozenset[str]
    follows: str  # the Kubernetes function(s) it follows, and where they are
    minors: tuple[Minor, Minor] = (FIRST, LAST)
    gate: str = ""  # the feature gate that moves it between minors, and when
    impl: str = ""  # "kubernetes_rules" for the checks implemented there

    def applies(self, kind: str, minor: Minor) -> bool:
        return kind in self.kinds and self.minors[0] <= minor <= self.minors[1]

    @property
    def minor_range(self) -> str:
        (a, b), (c, d) = self.minors
        return f"{a}.{b}-{c}.{d}"


def _c(check_id: str, rule: str, kinds, follows: str, minors: tuple[Minor, Minor] = (FIRST, LAST), gate: str = "",
       impl: str = "") -> Check:
    return Check(check_id, rule, frozenset({kinds} if isinstance(kinds, str) else kinds), follows, minors, gate, impl)


OLD = "kubernetes_rules"
NAMED = POD_KINDS | {"Service", "ConfigMap", "Secret", "PersistentVolumeClaim", "PersistentVolume", "ServiceAccount",
                     "Namespace", "Ingress", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget"} | RBAC

TABLE: dict[str, Check] = {c.id: c for c in (
    # --- ObjectMeta: every kind (apimachinery ValidateObjectMeta and each kind's name function)
    _c("metadata-name", "name-invalid", NAMED, f"{META} ValidateObjectMetaAccessor, NameIsDNSSubdomain / "
       "NameIsDNSLabel / NameIsDNS1035Label / IsValidPathSegmentName per kind", impl=OLD),
    _c("statefulset-name-label", "name-invalid", "StatefulSet", f"{APPS} ValidateStatefulSetName (NameIsDNSLabel, "
       "PR #114172)", ((1, 27), LAST)),
    _c("cronjob-name-length", "name-invalid", "CronJob", f"{BATCH} ValidateCronJobCreate (at most 52 characters)"),
    _c("metadata-namespace", "namespace-invalid", NAMED, f"{META} ValidateObjectMetaAccessor (ValidateNamespaceName)",
       impl=OLD),
    _c("metadata-labels", "label-invalid", NAMED, "apimachinery meta/v1/validation ValidateLabels", impl=OLD),
    _c("metadata-annotations", "annotation-invalid", NAMED, f"{META} ValidateAnnotations (keys, 256 KiB)", impl=OLD),
    _c("metadata-finalizers", "value-invalid", NAMED, f"{META} ValidateFinalizers (IsQualifiedName)"),
    # --- pod spec: every kind with a pod (template); StatefulSet templates are not validated, their pods are
    _c("containers-required", "containers-missing", POD_KINDS, f"{CORE} validateContainers (len == 0: absent, null, "
       "[] alike)", impl=OLD),
    _c("container-name", "container-name-invalid", POD_KINDS, f"{CORE} validateContainerCommon (ValidateDNS1123Label)",
       impl=OLD),
    _c("container-name-unique", "container-name-duplicate", POD_KINDS, f"{CORE} validateContainers / "
       "validateInitContainers", impl=OLD),
    _c("container-image", "image-missing", POD_KINDS, f"{CORE} validateContainerCommon (len(Image) == 0); Pod: "
       "validateContainersOnlyForPod (whitespace)", impl=OLD),
    _c("image-pull-policy", "pull-policy-invalid", POD_KINDS, f"{CORE} validatePullPolicy", impl=OLD),
    _c("termination-message-policy", "value-invalid", POD_KINDS, f"{CORE} validateContainerCommon"),
    _c("container-ports", "port-invalid", POD_KINDS, f"{CORE} validateContainerPorts (IsValidPortNum), "
       "validatePodHostNetworkDeps", impl=OLD),
    _c("container-port-names", "port-name-invalid", POD_KINDS, f"{CORE} validateContainerPorts (IsValidPortName)",
       impl=OLD),
    _c("container-port-names-unique", "port-name-duplicate", POD_KINDS, f"{CORE} validateContainerPorts", impl=OLD),
    _c("host-ports-unique", "hostport-duplicate", POD_KINDS, f"{CORE} AccumulateUniqueHostPorts", impl=OLD),
    _c("port-protocols", "protocol-invalid", POD_KINDS | {"Service"}, f"{CORE} validateContainerPorts / "
       "validateServicePort", impl=OLD),
    _c("restart-policies", "restart-policy-invalid", POD_KINDS, f"{CORE} validateRestartPolicy, "
       f"validateInitContainerRestartPolicy; {APPS} ValidatePodTemplateSpecForReplicaSet; {BATCH} validateJobSpec",
       gate="SidecarContainers (1.29), ContainerRestartRules (1.35)", impl=OLD),
    _c("probes-on-init-containers", "probe-on-init", POD_KINDS, f"{CORE} validateInitContainers",
       gate="SidecarContainers (1.29)", impl=OLD),
    _c("probe-ports", "port-name-invalid", POD_KINDS, f"{CORE} ValidatePortNumOrName (a string port is an IANA name, "
       "with a letter)", impl=OLD),
    _c("resources", "resources-invalid", POD_KINDS, f"{CORE} ValidateContainerResourceRequirements (negative, "
       "request > limit)", impl=OLD),
    _c("resource-names", "value-invalid", POD_KINDS, f"{CORE} validateContainerResourceName (standard or "
       "domain-qualified)"),
    _c("extended-resources", "resources-invalid", POD_KINDS, f"{CORE} ValidateContainerResourceRequirements "
       "(extended resources: whole numbers, request equal to the limit)"),
    _c("volume-names", "volume-name-invalid", POD_KINDS, f"{CORE} ValidateVolumes (ValidateDNS1123Label)", impl=OLD),
    _c("volume-names-unique", "volume-name-duplicate", POD_KINDS, f"{CORE} ValidateVolumes", impl=OLD),
    _c("volume-source-single", "value-invalid", POD_KINDS, f"{CORE} validateVolumeSource (may not specify more than 1 "
       "volume type)"),
    _c("volume-fields-required", "field-required", POD_KINDS, f"{CORE} validateHostPathVolumeSource, "
       "validateSecretVolumeSource, validateConfigMapVolumeSource, validatePersistentClaimVolumeSource, "
       "validateNFSVolumeSource, validateKeyToPath"),
    _c("volume-values", "value-invalid", POD_KINDS, f"{CORE} validateHostPathType, validateKeyToPath "
       "(validateLocalNonReservedPath), file modes 0..0777, emptyDir sizeLimit"),
    _c("volume-mounts-defined", "volume-mount-undefined", POD_KINDS, f"{CORE} ValidateVolumeMounts (NotFound)",
       impl=OLD),
    _c("volume-mount-paths-unique", "mount-path-duplicate", POD_KINDS, f"{CORE} ValidateVolumeMounts", impl=OLD),
    _c("volume-mount-path-required", "field-required", POD_KINDS, f"{CORE} ValidateVolumeMounts (mountPath)"),
    _c("volume-mount-values", "value-invalid", POD_KINDS, f"{CORE} ValidateVolumeMounts (subPath: "
       "validateLocalDescendingPath), validateMountPropagation"),
    _c("env-name-required", "field-required", POD_KINDS, f"{CORE} ValidateEnv"),
    _c("env-names-strict", "value-invalid", POD_KINDS, f"{CORE} ValidateEnv, ValidateEnvFrom (IsEnvVarName)",
       (FIRST, (1, 31)), gate="RelaxedEnvironmentVariableValidation: alpha 1.30, on by default from 1.32"),
    _c("env-names-relaxed", "value-invalid", POD_KINDS, f"{CORE} ValidateEnv, ValidateEnvFrom (IsRelaxedEnvVarName)",
       ((1, 32), LAST), gate="RelaxedEnvironmentVariableValidation: beta, on by default, 1.32; GA 1.34"),
    _c("env-sources", "value-invalid", POD_KINDS, f"{CORE} validateEnvVarValueFrom (one source, not beside value), "
       "ValidateEnvFrom (one of configMapRef, secretRef)"),
    _c("env-reference-names", "reference-invalid", POD_KINDS, f"{CORE} validateConfigMapKeySelector, "
       "validateSecretKeySelector, validateConfigMapEnvSource, validateSecretEnvSource (NameIsDNSSubdomain)"),
    _c("env-reference-keys", "value-invalid", POD_KINDS, f"{CORE} validateConfigMapKeySelector, "
       "validateSecretKeySelector (key required, IsConfigMapKey)"),
    _c("env-field-paths", "value-invalid", POD_KINDS, f"{CORE} validateObjectFieldSelector (supported fieldPaths)",
       gate="PodHostIPs: status.hostIPs from 1.29"),
    _c("env-resource-fields", "value-invalid", POD_KINDS, f"{CORE} validateContainerResourceFieldSelector"),
    _c("probe-handlers", "field-required", POD_KINDS, f"{CORE} validateHandler / validateLifecycleHandler (must "
       "specify a handler type)"),
    _c("probe-handler-single", "value-invalid", POD_KINDS, f"{CORE} validateHandler (may not specify more than 1 "
       "handler type)"),
    _c("probe-values", "value-invalid", POD_KINDS, f"{CORE} validateProbe (ValidateNonnegativeField), "
       "validateLivenessProbe / validateStartupProbe (successThreshold 1), validateHTTPGetAction (scheme, headers)"),
    _c("probe-exec-command", "field-required", POD_KINDS, f"{CORE} validateExecAction"),
    _c("security-context", "value-invalid", POD_KINDS, f"{CORE} ValidateSecurityContext, "
       "validatePodSpecSecurityContext (IsValidUserID/IsValidGroupID, allowPrivilegeEscalation, sysctls, "
       "fsGroupChangePolicy, seccompProfile, shareProcessNamespace with hostPID)"),
    _c("pod-enums", "value-invalid", POD_KINDS, f"{CORE} validateDNSPolicy, ValidatePreemptionPolicy, validateOS"),
    _c("pod-dns-config", "value-invalid", POD_KINDS, f"{CORE} validatePodDNSConfig (nameservers, searches, "
       "options)", gate="ExpandedDNSConfig (1.26: 32 searches); RelaxedDNSSearchValidation (1.33: '_' and '.')"),
    _c("pod-dns-none", "field-required", POD_KINDS, f"{CORE} validatePodDNSConfig (dnsPolicy None needs "
       "nameservers)"),
    _c("pod-host-names", "value-invalid", POD_KINDS, f"{CORE} ValidatePodSpec (hostname, subdomain: "
       "ValidateDNS1123Label), ValidateHostAliases"),
    _c("pod-active-deadline", "value-invalid", POD_KINDS, f"{CORE} ValidatePodSpec (activeDeadlineSeconds 1.."
       f"2^31-1); {APPS} ValidatePodTemplateSpecForReplicaSet, ValidateDaemonSetSpec (not supported)"),
    _c("pod-reference-names", "reference-invalid", POD_KINDS, f"{CORE} ValidatePodSpec (serviceAccountName, "
       "nodeName, priorityClassName: NameIsDNSSubdomain; ValidateRuntimeClassName), imagePullSecrets"),
    _c("pod-node-selector", "label-invalid", POD_KINDS, f"{CORE} ValidatePodSpec (nodeSelector: ValidateLabels)"),
    _c("pod-tolerations", "value-invalid", POD_KINDS, f"{CORE} ValidateTolerations, validateTaintEffect"),
    _c("pod-affinity", "value-invalid", POD_KINDS, f"{CORE} validateNodeAffinity (ValidateNodeSelectorRequirement), "
       "validatePodAffinityTerm (topologyKey), ValidatePreferredSchedulingTerms (weight 1..100)"),
    _c("pod-topology-spread", "value-invalid", POD_KINDS, f"{CORE} validateTopologySpreadConstraints"),
    # --- workloads (apps) and ReplicationController
    _c("replicas", "value-invalid", WORKLOADS - {"DaemonSet"}, f"{APPS} ValidateDeploymentSpec, "
       f"ValidateReplicaSetSpec, ValidateStatefulSetSpec ({CORE} ValidateReplicationControllerSpec): "
       "ValidateNonnegativeField; the int32 field's decoding"),
    _c("workload-selectors", "selector-mismatch", WORKLOADS, f"{APPS} ValidateDeploymentSpec, ValidateDaemonSetSpec, "
       "ValidatePodTemplateSpecForReplicaSet (empty selector, selector does not match template labels)", impl=OLD),
    _c("label-selectors", "selector-invalid", WORKLOADS | {"Job", "PodDisruptionBudget", "NetworkPolicy"} | POD_KINDS,
       "apimachinery meta/v1/validation ValidateLabelSelector, ValidateLabelSelectorRequirement"),
    _c("workload-counts", "value-invalid", WORKLOADS, f"{APPS} ValidateDeploymentSpec, ValidateDaemonSetSpec, "
       "ValidateStatefulSetSpec (minReadySeconds, revisionHistoryLimit, progressDeadlineSeconds)"),
    _c("update-strategies", "value-invalid", WORKLOADS - {"ReplicaSet", "ReplicationController"},
       f"{APPS} ValidateDeploymentStrategy, ValidateDaemonSetUpdateStrategy, ValidateStatefulSetSpec "
       "(updateStrategy, podManagementPolicy, persistentVolumeClaimRetentionPolicy, ordinals)"),
    _c("int-or-percent", "value-invalid", frozenset({"Deployment", "DaemonSet", "StatefulSet", "PodDisruptionBudget"}),
       f"{APPS} ValidatePositiveIntOrPercent (IsValidPercent), IsNotMoreThan100Percent; pkg/apis/policy/validation "
       "ValidatePodDisruptionBudgetSpec"),
    _c("rolling-update-zero", "value-invalid", frozenset({"Deployment", "DaemonSet"}), f"{APPS} "
       "ValidateRollingUpdateDeployment (may not be 0 when maxSurge is 0), ValidateRollingUpdateDaemonSet"),
    # --- Job, CronJob
    _c("job-counts", "value-invalid", JOBS, f"{BATCH} validateJobSpec (parallelism, completions, "
       "activeDeadlineSeconds, backoffLimit, ttlSecondsAfterFinished: ValidateNonnegativeField), completionMode"),
    _c("cronjob-spec", "value-invalid", "CronJob", f"{BATCH} validateCronJobSpec (schedule: robfig/cron "
       "ParseStandard, concurrencyPolicy, startingDeadlineSeconds, history limits), validateTimeZone"),
    _c("cronjob-schedule-required", "field-required", "CronJob", f"{BATCH} validateCronJobSpec (schedule)"),
    # --- Service
    _c("service-ports", "service-invalid", "Service", f"{CORE} ValidateService (ports required, names with several, "
       "type, (protocol, port) unique)", impl=OLD),
    _c("service-port-values", "port-invalid", "Service", f"{CORE} validateServicePort (port, targetPort: "
       "ValidatePortNumOrName, nodePort)", impl=OLD),
    _c("service-target-port-names", "port-name-invalid", "Service", f"{CORE} validateServicePort "
       "(ValidatePortNumOrName: a string targetPort is an IANA name)", impl=OLD),
    _c("service-type-fields", "service-invalid", "Service", f"{CORE} ValidateService (nodePort with ClusterIP, "
       "clusterIP None with NodePort/LoadBalancer, externalName, LoadBalancer-only fields)"),
    _c("service-values", "value-invalid", "Service", f"{CORE} ValidateService (clusterIP(s), externalIPs, "
       "sessionAffinity, traffic policies, appProtocol), validateServiceTrafficDistribution",
       gate="ServiceTrafficDistribution (1.31: PreferClose), PreferSameTrafficDistribution (1.34)"),
    _c("service-selector", "label-invalid", "Service", f"{CORE} ValidateService (selector: ValidateLabels)"),
    # --- ConfigMap, Secret
    _c("data-keys", "data-key-invalid", frozenset({"ConfigMap", "Secret"}), f"{CORE} ValidateConfigMap, "
       "ValidateSecret (IsConfigMapKey, data and binaryData)", impl=OLD),
    _c("secret-base64", "secret-not-base64", "Secret", "the API server's decoding of []byte fields (base64)", impl=OLD),
    _c("data-size", "too-large", frozenset({"ConfigMap", "Secret"}), f"{CORE} ValidateConfigMap, ValidateSecret "
       "(at most 1 MiB of data: core.MaxSecretSize)"),
    _c("secret-type-keys", "field-required", "Secret", f"{CORE} ValidateSecret (keys each type needs)"),
    # --- PersistentVolumeClaim, PersistentVolume
    _c("pvc-spec", "pvc-invalid", "PersistentVolumeClaim", f"{CORE} ValidatePersistentVolumeClaimSpec (accessModes, "
       "resources.requests.storage)", impl=OLD),
    _c("pvc-values", "value-invalid", "PersistentVolumeClaim", f"{CORE} ValidatePersistentVolumeClaimSpec "
       "(ReadWriteOncePod alone, volumeMode, storageClassName, storage > 0)"),
    _c("pv-spec", "field-required", "PersistentVolume", f"{CORE} ValidatePersistentVolumeSpec (accessModes, "
       "capacity.storage, one volume source)"),
    _c("pv-values", "value-invalid", "PersistentVolume", f"{CORE} ValidatePersistentVolumeSpec "
       "(persistentVolumeReclaimPolicy, volumeMode, one volume source)"),
    # --- networking
    _c("ingress-spec", "field-required", "Ingress", f"{NET} ValidateIngressSpec (defaultBackend or rules), "
       "validateHTTPIngressPath (pathType), validateIngressBackend (service name and port)"),
    _c("ingress-values", "value-invalid", "Ingress", f"{NET} validateIngressRules (host), validateHTTPIngressPath, "
       "validateIngressBackend"),
    _c("ingress-references", "reference-invalid", "Ingress", f"{NET} validateIngressBackend (ValidateServiceName), "
       "validateIngressTLS (secretName), ValidateIngressSpec (ingressClassName)"),
    _c("networkpolicy-values", "value-invalid", "NetworkPolicy", f"{NET} ValidateNetworkPolicyPort, "
       "ValidateNetworkPolicyPeer, ValidateIPBlock, ValidateNetworkPolicySpec (policyTypes)"),
    # --- policy, rbac, autoscaling
    _c("pdb-spec", "value-invalid", "PodDisruptionBudget", "pkg/apis/policy/validation ValidatePodDisruptionBudgetSpec "
       "(minAvailable and maxUnavailable exclusive, unhealthyPodEvictionPolicy)",
       gate="PDBUnhealthyPodEvictionPolicy (1.27)"),
    _c("rbac-rules", "field-required", frozenset({"Role", "ClusterRole"}), "pkg/apis/rbac/validation "
       "ValidatePolicyRule (verbs; apiGroups and resources, or nonResourceURLs)"),
    _c("rbac-bindings", "value-invalid", frozenset({"RoleBinding", "ClusterRoleBinding"}), "pkg/apis/rbac/validation "
       "ValidateRoleBinding, ValidateClusterRoleBinding, ValidateRoleBindingSubject"),
    _c("hpa-spec", "value-invalid", "HorizontalPodAutoscaler", "pkg/apis/autoscaling/validation "
       "validateHorizontalPodAutoscalerSpec (replicas), ValidateCrossVersionObjectReference, validateMetricSpec, "
       "validateBehavior", gate="HPAScaleToZero: alpha, off in every minor"),
    # --- apiextensions: a CustomResourceDefinition's own validity (apiextensions-apiserver, pkg/apis/apiextensions/
    #     validation), before any of its custom resources can be created
    _c("crd-name", "name-invalid", CRD, f"{CRD_VALIDATION} ValidateCustomResourceDefinition (metadata.name must be "
       "spec.names.plural + '.' + spec.group; a name is required)"),
    _c("crd-spec", "value-invalid", CRD, f"{CRD_VALIDATION} ValidateCustomResourceDefinitionSpec (group: a DNS "
       "subdomain with a dot, api-approved.kubernetes.io for k8s.io and kubernetes.io groups; scope; names "
       "required; preserveUnknownFields false), ValidateCustomResourceDefinitionNames (DNS-1035 labels, kind "
       "differs from listKind)"),
    _c("crd-versions", "value-invalid", CRD, f"{CRD_VALIDATION} ValidateCustomResourceDefinitionSpec (version names: "
       "DNS-1035 labels, unique; exactly one storage version; deprecationWarning only when deprecated), "
       "ValidateCustomResourceDefinitionSubresources (scale paths), ValidateCustomResourceColumnDefinition"),
    _c("crd-schema", "field-required", CRD, f"{CRD_VALIDATION} validateCustomResourceDefinitionVersion (v1: "
       "'schemas are required'), structural schema rules (apiextensions-apiserver pkg/apiserver/schema: a type at "
       "the root; a type for every field and array item, unless x-kubernetes-int-or-string or "
       "x-kubernetes-preserve-unknown-fields; items for every array)"),
    _c("crd-schema-values", "value-invalid", CRD, f"{CRD_VALIDATION} ValidateCustomResourceDefinitionOpenAPISchema "
       "($ref, uniqueItems, additionalProperties with properties, items as an array, type null), structural "
       "schema rules (root type object and not nullable, known types, no type, nullable or default in value "
       "validations, int-or-string without preserve-unknown-fields, embedded resources of type object, only name "
       "and generateName in metadata), validateDefaults (the type of a default)"),
)}


# the apiVersions whose shapes the checks follow; an older one (extensions/v1beta1 Ingress) is api-removed's
CURRENT_APIS = frozenset({"v1", "apps/v1", "batch/v1", "networking.k8s.io/v1", "policy/v1", "rbac.authorization.k8s.io/v1",
                          "autoscaling/v1", "autoscaling/v2", "apiextensions.k8s.io/v1"})

APISERVER_RULES: list[tuple[frozenset[str], Callable[[Manifest], None]]] = []  # (rule ids, check) for the engine


def implements(check_id: str) -> Callable:
    """Register fn(m, say) as the implementation of TABLE[check_id]: it runs on the entry's kinds and minors."""
    entry = TABLE[check_id]

    def register(fn: Callable[[Manifest, Say], None]) -> Callable:
        def run(m: Manifest) -> None:  # the engine runs it only on its kinds and minors (Check.applies)
            if m.api_version in CURRENT_APIS:
                fn(m, _sayer(m, entry.rule))
        run.__name__ = fn.__name__
        run.check = entry  # type: ignore[attr-defined]  # the engine picks a document's checks by its kind and minor
        APISERVER_RULES.append((frozenset({entry.rule}), run))
        IMPLEMENTED.add(check_id)
        return fn
    return register


IMPLEMENTED: set[str] = set()


def _sayer(m: Manifest, rule: str) -> Say:
    if m.kind != "StatefulSet":
        return lambda path, message: m.emit(rule, path, message)

    def say(path: tuple, message: str) -> None:
        if path[:3] == ("spec", "template", "spec"):  # ValidatePodTemplateSpecForStatefulSet skips the pod spec
            message += " (the API server accepts the StatefulSet, but refuses every pod its controller makes)"
        m.emit(rule, path, message)
    return say


def coverage() -> dict[str, int]:
    """How many of the table's checks apply to each kind (in some minor)."""
    counts: dict[str, int] = {}
    for entry in TABLE.values():
        for kind in entry.kinds:
            counts[kind] = counts.get(kind, 0) + 1
    return dict(sorted(counts.items()))
