"""check against real Podman's verdicts, captured.

1. Every `podman kube play` scenario captured from Podman 5.8.6, 5.4.2 and 4.3.1
   (tests/fixtures/play): where Podman refused the file, check reports the
   refusal in Podman's words; where Podman played it, check reports no refusal.
2. Every YAML Podman's own `kube generate` printed (tests/fixtures/generate)
   passes without errors, except the defects listed in GENERATE_DEFECTS:
   YAML Podman prints that a cluster or Podman itself refuses.  Each is
   explained; those Podman refuses are proven by playing them in test_live_check.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubebridge.checks.engine import Checker, CheckOptions

ROOT = Path(__file__).resolve().parents[1]
PLAY = ROOT / "tests/fixtures/play"
GENERATE = ROOT / "tests/fixtures/generate"
VERSIONS = {"5.8.6": "5.8", "5.4.2": "5.4", "4.3.1": "4.3"}

# refusals that depend on the host Podman runs on, which a check cannot see (it assumes hostPaths exist)
HOST_FACTS = {"vol-hostpath-missing", "vol-hostpath-socket-error", "vol-hostpath-relative"}
# files with nothing Podman plays: check warns (podman-kind-ignored) rather than fail every lone ConfigMap/CRD file
NOTHING_PLAYED = {"error-only-configmap", "error-unsupported-kind"}
# where kubebridge's refusal says more than Podman's (Podman 4.3 crashes; kubebridge says so)
OWN_WORDS = {("4.3.1", "vol-secret"): "crashes on a secret volume", ("5.4.2", "error-tab"): "found a tab character",
             ("4.3.1", "error-tab"): "found a tab character", ("5.8.6", "error-tab"): "found a tab character"}
REFUSAL_RULES = ("podman-refuses", "podman-missing-ref", "yaml", "duplicate-key")
READER = "podman kube play refuses the file: "  # check's words before what Podman's YAML reader says
# refusals of the --configmap FILE itself (4.3 reads it as one ConfigMap object): check reads no --configmap
# file, so it reports at most the references the file would have given (podman-missing-ref, a warning)
FLAG_FILE = {"configmap-flag-empty", "configmap-flag-list", "configmap-flag-list-only-first"}


def _play_scenarios():
    for version in VERSIONS:
        for scenario in sorted((PLAY / f"podman-{version}").iterdir()):
            yield pytest.param(version, scenario, id=f"{version}-{scenario.name}")


@pytest.fixture(scope="module")
def checkers():
    return {v: Checker(CheckOptions(podman_version=p, target="podman")) for v, p in VERSIONS.items()}


@pytest.mark.parametrize("version,scenario", list(_play_scenarios()))
def test_play_verdict_matches_podman(version, scenario, checkers):
    info = json.loads((scenario / "scenario.json").read_text())
    source = ROOT / "tests/capture/play" / f"{scenario.name}.yaml"
    result = checkers[version].check_file(source.read_bytes(), str(source))
    refusals = [f for f in result.findings if f.rule in REFUSAL_RULES]
    podman_said = info["stderr"].strip().splitlines()[0].removeprefix("Error: ") if info["returncode"] else ""
    if scenario.name in HOST_FACTS:
        assert refusals == []
        return
    if scenario.name in FLAG_FILE and info["returncode"]:
        assert "--configmap" in podman_said and "--configmap" in info["play_args"]
        assert [f.rule for f in refusals if f.rule != "podman-missing-ref"] == []
        return
    if scenario.name in NOTHING_PLAYED:
        assert info["returncode"] != 0
        assert any(f.rule == "podman-kind-ignored" and "refuses" in f.message for f in result.findings)
        return
    if info["returncode"] == 0:
        # a ConfigMap Podman got with --configmap is not in the checked file: a warning, never an error
        assert [f for f in refusals if f.rule != "podman-missing-ref"] == []
        assert not refusals or "--configmap" in info["play_args"]
        return
    assert refusals, f"Podman refused ({podman_said}); check did not"
    own = OWN_WORDS.get((version, scenario.name))
    if own:
        assert any(own in f.message for f in refusals)
    else:
        assert any(f.message.removeprefix(READER).startswith(podman_said) for f in refusals), (
            [f.message for f in refusals], podman_said)
    missing_reference = "not found" in podman_said and "key" not in podman_said or "no such" in podman_said
    assert all(f.rule == ("podman-missing-ref" if missing_reference else "podman-refuses")
               for f in refusals if f.rule not in ("yaml", "duplicate-key"))


# (Podman version, scenario) -> the error rules check reports on the YAML Podman generated, and why
GENERATE_DEFECTS = {
    "ctr-shared-volume": {"volume-name-duplicate"},  # two containers' mounts of one volume give two volumes, one name
    "pod-all-volume-kinds": {"volume-name-invalid"},  # a bind source with a dot: "config.txt-host" (podman#27620)
    "pod-bind-mounts": {"volume-name-invalid"},  # the same
    "pod-bind-names": {"volume-name-invalid"},  # the same, and upper case / underscores kept by 4.3
    "pod-anonymous-volume": {"volume-name-invalid"},  # a 64-hex-digit volume ID + "-pvc": longer than 63
    "pod-volume-names": {"volume-name-invalid"},  # 4.3 keeps upper case and '_' of volume names
    "pod-annotations": {"annotation-invalid", "podman-refuses"},  # the scenario's own annotation has two '/'
    "pod-group-add": {"annotation-invalid", "podman-refuses"},  # Podman writes run.oci.keep_original_groups/<ctr>
    "pod-init-only": {"containers-missing"},  # a pod of init containers only: no regular container
    "pod-init-volume": {"volume-mount-undefined", "podman-refuses"},  # an init container's bind mount, no volume
    "pod-selinux-multi": {"schema"},  # seLinuxOptions.filetype: a Podman-only field, unknown to Kubernetes
    "pod-service-no-ports": {"service-invalid"},  # --service for a pod without ports: a Service with no ports
    "pod-underscores": {"name-invalid", "value-invalid"},  # 4.3 keeps the '_' of a pod name and of its hostname (5.x removes it)
}


def _generated():
    for version in VERSIONS:
        for scenario in sorted((GENERATE / f"podman-{version}").iterdir()):
            for doc in sorted(scenario.glob("generate*.yaml")):
                yield pytest.param(version, scenario.name, doc, id=f"{version}-{scenario.name}-{doc.stem}")


@pytest.mark.parametrize("version,scenario,path", list(_generated()))
def test_podman_generated_yaml_passes(version, scenario, path, checkers):
    result = Checker(CheckOptions(podman_version=VERSIONS[version])).check_file(path.read_bytes(), str(path))
    errors = {f.rule for f in result.errors}
    assert not result.unusable
    expected = GENERATE_DEFECTS.get(scenario, set())
    assert errors <= expected, [(f.rule, f.path, f.message) for f in result.errors]
    strict_off = Checker(CheckOptions(podman_version=VERSIONS[version], strict=False)).check_file(path.read_bytes(),
                                                                                                  str(path))
    assert "schema" not in {f.rule for f in strict_off.errors}  # Podman's output matches the schema, bar extra fields


def test_every_listed_defect_still_shows():
    """The allowance above is not a blanket: each scenario listed shows each listed rule in some version."""
    for scenario, rules in GENERATE_DEFECTS.items():
        seen = set()
        for version in VERSIONS:
            for path in (GENERATE / f"podman-{version}" / scenario).glob("generate*.yaml"):
                result = Checker(CheckOptions(podman_version=VERSIONS[version])).check_file(path.read_bytes(),
                                                                                            str(path))
                seen |= {f.rule for f in result.errors}
        assert rules <= seen, (scenario, rules - seen)
