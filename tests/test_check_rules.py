"""Every check rule: a manifest that triggers it (at the expected path and line) and one that does not.

tests/check_rules/<rule>.yaml holds both: the triggering text, then `#### good`
and the text that must not trigger the rule.  Header comments say what to
expect (`# expect: <json path> line <n>`) and how to check
(`# options: kubernetes_version=1.28`).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import kubebridge
from kubebridge.checks.findings import RULES

CASES = Path(__file__).parent / "check_rules"
PYTHON_ONLY = {"internal"}  # a rule that fires only on a kubebridge bug: tested below by making one


def _split(rule: str) -> tuple[str, str]:
    text = re.sub(r'"@@(\d+)"', lambda m: "x" * int(m.group(1)), (CASES / f"{rule}.yaml").read_text())  # big values
    bad, _, good = text.partition("#### good\n")
    return bad, good


def _options(text: str) -> dict:
    options = {}
    for line in re.findall(r"^# options: (.*)$", text, re.M):
        for item in line.split():
            key, _, value = item.partition("=")
            options[key] = value
    return options


def _check(text: str):
    return kubebridge.check(text, **_options(text))


def test_every_rule_has_cases():
    have = {p.stem for p in CASES.glob("*.yaml")}
    assert have == set(RULES) - PYTHON_ONLY


@pytest.mark.parametrize("rule", sorted(set(RULES) - PYTHON_ONLY))
def test_rule_triggers_where_expected(rule):
    bad, _ = _split(rule)
    expect = re.search(r"^# expect: (?:(\S+) )?line (\d+)$", bad, re.M)
    assert expect, "the case must say where the finding is"
    path, line = expect.group(1) or "", int(expect.group(2))
    found = [f for f in _check(bad).findings if f.rule == rule]
    assert found, f"{rule} did not fire"
    assert (path, line) in [(f.path, f.line) for f in found], [(f.path, f.line, f.message) for f in found]
    assert all(f.severity == RULES[rule].severity_for(f.target) for f in found)
    assert all(f.target in ((RULES[rule].target,) if RULES[rule].target != "both" else ("kubernetes", "podman", "both"))
               for f in found)
    assert all(f.message for f in found)


@pytest.mark.parametrize("rule", sorted(set(RULES) - PYTHON_ONLY))
def test_rule_quiet_on_the_corrected_manifest(rule):
    _, good = _split(rule)
    result = _check(good)
    assert [f for f in result.findings if f.rule == rule] == []
    assert not result.unusable


def test_internal_reports_a_crashing_rule_instead_of_raising(monkeypatch):
    from kubebridge.checks import kubernetes_rules as rules_kubernetes

    def broken(m):
        raise KeyError("boom")

    monkeypatch.setattr(rules_kubernetes, "DOCUMENT_RULES", rules_kubernetes.DOCUMENT_RULES + [
        (frozenset({"name-invalid"}), broken)])
    import kubebridge.checks.engine as checks
    monkeypatch.setattr(checks, "DOCUMENT_RULES", rules_kubernetes.DOCUMENT_RULES)
    text = (CASES / "image-local.yaml").read_text().partition("#### good\n")[2]
    found = [f for f in kubebridge.check(text).findings if f.rule == "internal"]
    assert len(found) == 1 and "KeyError" in found[0].message and found[0].severity == "error"
    monkeypatch.undo()
    assert [f for f in kubebridge.check(text).findings if f.rule == "internal"] == []


def test_rule_table_is_complete():
    for rule in RULES.values():
        assert rule.severity in ("error", "warning")
        assert rule.target in ("kubernetes", "podman", "both")
        assert rule.summary and rule.fix and "\n" not in rule.fix
