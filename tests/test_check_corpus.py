"""No false errors on real repositories: `check --target kubernetes` over the whole real-manifest corpus.

../shared/corpora/real-manifests (read where it is: its SOURCES.md) holds 672 files from public repositories,
some partial by design (kustomize bases and patches, kompose test outputs, the validators' own invalid fixtures).
REVIEWED lists every error check must report there, by rule, file and path, each with the reason the API server
(or kubectl's reader) refuses it and how many there are.  An error no entry explains fails the test: it is a false
error (or a new true one, to be reviewed and added); an entry with fewer or more errors than it says fails too.
"""
from __future__ import annotations

import fnmatch
from functools import lru_cache
from pathlib import Path

import pytest

from kubebridge.checks.engine import Checker, CheckOptions

from support import CORPUS, real_corpus  # noqa: E402

PARTIAL = ("kustomize/examples/ldap/overlays/*", "metrics-server/manifests/components/*/patch.yaml",
           "argocd-example-apps/plugins/kustomized-helm/overlays/*", "metrics-server/manifests/base/deployment.yaml")

# (rule, file glob, path fragment, count, why the API server refuses it)
REVIEWED: list[tuple[str, str, str, int, str]] = [
    ("unknown-kind", "kompose/*", "", 192, "OpenShift's kinds (DeploymentConfig, ImageStream, BuildConfig, Route) as "
     "apiVersion v1: kompose's OpenShift output; no Kubernetes API serves them"),
    ("unknown-kind", "kube*/fixtures/duplicates-skipped-kinds.yaml", "", 4, "v1 SkipThisKind: a made-up kind of the "
     "validators' own skip tests"),
    ("unknown-kind", "kubernetes-examples/_archived/cloud-controller-manager/*", "", 1, "admissionregistration.k8s.io/"
     "v1alpha1 InitializerConfiguration: removed in 1.14"),
    ("unknown-kind", "kubernetes-examples/_archived/scheduler-policy/*", "", 2, "v1 Policy: a scheduler configuration "
     "file, not an API object"),
    ("unknown-kind", "kustomize/examples/transformerconfigs/*", "", 2, "v1beta1 Bee (a custom resource without its "
     "group) and v1 Deployment (Deployment is apps/v1): kustomize's transformer inputs"),
    ("api-removed", "*", "", 36, "extensions/v1beta1, apps/v1beta1, policy/v1beta1, batch/v1beta1, storage.k8s.io/"
     "v1beta1 and apiextensions.k8s.io/v1beta1 were removed by 1.16-1.25: 1.37 answers 'no matches for kind'"),
    ("missing-kind", "kube*/fixtures/*", "", 13, "the validators' fixtures without apiVersion or kind: the API server "
     "cannot decode an object without them"),
    ("schema", "kompose/*", "", 18, "apps/v1 DaemonSets and Deployments without spec.selector (ValidateDeploymentSpec: "
     "Required; a DaemonSet's nil selector matches no template label)"),
    ("schema", "kube*/fixtures/*", "", 12, "the validators' invalid fixtures: replicas \"asd\", port \"sds\", unknown "
     "fields replicas (DaemonSet) and templates, which strict field validation refuses"),
    ("schema", "kubernetes-examples/_archived/volumes/*", "", 6, "a placeholder LUN ('<ADD LUN ID Here>') and fields no "
     "volume source has (imageformat, imagefeatures, protectionDoamin, pool, secretName): strict field validation"),
    ("schema", "kubernetes-website/content/en/examples/pods/probe/grpc-liveness.yaml", "gRPC", 1, "gRPC is not grpc: "
     "the API server matches field names case-sensitively, and strict field validation refuses the unknown one"),
    ("schema", "kubernetes-website/content/en/examples/pods/restart-policy/*", "onExit", 1, "restartPolicyRules "
     "onExit: a field 1.37's API does not have"),
    ("schema", "kustomize/examples/validationTransformer/invalid.yaml", "data", 1, "ConfigMap data given as a list"),
    ("schema", PARTIAL[0], "", 4, "kustomize overlay patches applied alone: no selector, template or containers"),
    ("schema", PARTIAL[1], "", 4, "metrics-server's kustomize patches applied alone: no selector, no containers, "
     "a $patch directive"),
    ("schema", PARTIAL[2], "", 1, "a kustomize overlay patch applied alone: no selector"),
    ("schema", PARTIAL[3], "", 1, "a kustomize base whose selector comes from its kustomization"),
    ("containers-missing", "kube*/fixtures/*invalid.yaml", "", 4, "ReplicationControllers without a template "
     "(ValidateReplicationControllerSpec: spec.template Required)"),
    ("containers-missing", PARTIAL[0], "", 2, "kustomize overlay patches applied alone: no containers"),
    ("containers-missing", PARTIAL[1], "", 1, "a kustomize patch applied alone: no containers"),
    ("containers-missing", "kustomize/examples/transformerconfigs/images/resources.yaml", "", 1, "an input of "
     "kustomize's image transformer: containers: []"),
    ("image-missing", PARTIAL[1], "", 1, "a kustomize patch applied alone: a container without image"),
    ("value-invalid", "kompose/*", "subdomain", 3, "spec.subdomain affy.com / foo.com: a pod's subdomain is a DNS "
     "label, no dots (ValidatePodSpec)"),
    ("value-invalid", "kompose/*", "defaultMode", 3, "configMap defaultMode 644 written in decimal: more than 0777 "
     "(511)"),
    ("name-invalid", "kompose/*", "", 5, "names with '_' (my_secret, front_end): not DNS names"),
    ("name-invalid", "kubernetes-examples/_archived/storage/vitess/*", "", 1, "a template's {{uid}} placeholder"),
    ("volume-name-invalid", "kompose/*", "", 3, "volume names with '_' (my_secret): not DNS labels"),
    ("label-invalid", "kompose/*", "", 2, "a label value with spaces (compose labels as Kubernetes labels)"),
    ("label-invalid", "kubernetes-examples/_archived/storage/vitess/*", "", 3, "{{placeholders}} as label values"),
    ("mount-path-duplicate", "kompose/*", "", 6, "/var/lib/mysql mounted twice in one container"),
    ("service-invalid", "kompose/*", "", 2, "port 3000/TCP given twice in one Service"),
    ("selector-mismatch", "kubeconform/fixtures/*_property.yaml", "", 2, "a DaemonSet template without labels: the "
     "selector matches none"),
    ("protocol-invalid", "kubernetes-examples/_archived/volumes/*", "", 2, "protocol tcp: the API is case-sensitive, "
     "TCP"),
    ("field-required", "kubernetes-website/content/en/examples/pods/probe/grpc-liveness.yaml", "livenessProbe", 1,
     "with gRPC unknown, the probe has no handler: 'must specify a handler type'"),
]


@lru_cache(maxsize=1)
def corpus_errors() -> list[tuple[str, str, str, str]]:
    """(file, rule, path, message) of every error of `check --target kubernetes` on the corpus (1.37, strict)."""
    real_corpus()
    checker = Checker(CheckOptions(target="kubernetes"))
    errors = []
    for path in sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file()):
        name = str(path.relative_to(CORPUS))
        errors += [(name, f.rule, f.path, f.message) for f in checker.check_file(path.read_bytes(), name).errors]
    return errors


def _entry(error: tuple[str, str, str, str]) -> int | None:
    name, rule, path, _ = error
    for i, (want_rule, glob, fragment, _, _) in enumerate(REVIEWED):
        if rule == want_rule and fnmatch.fnmatch(name, glob) and fragment in path:
            return i
    return None


def test_every_error_on_the_corpus_is_a_reviewed_refusal():
    unexplained = [error for error in corpus_errors() if _entry(error) is None]
    assert unexplained == []


def test_every_reviewed_entry_still_holds_as_many_errors_as_it_says():
    counts = [0] * len(REVIEWED)
    for error in corpus_errors():
        index = _entry(error)
        if index is not None:
            counts[index] += 1
    assert [(entry[:3], count) for entry, count in zip(REVIEWED, counts) if count != entry[3]] == []
    assert sum(counts) >= 300


def test_statefulset_claim_templates_and_duplicate_keys_are_no_errors_on_the_corpus():
    """Issue 11's false errors: mounts of volumeClaimTemplates (cassandra, mysql, zookeeper, nginx StatefulSets), and
    the duplicate keys kubectl reads last-wins (sc-pvc.yaml)."""
    assert not [e for e in corpus_errors() if e[1] in ("volume-mount-undefined", "duplicate-key")]
