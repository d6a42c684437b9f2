"""`python -m kubebridge check`: exit codes, the four report formats, options, directories, stdin, processes."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from support import WEB_POD

from kubebridge.checks.findings import RULES
from kubebridge.cli import main

ROOT = Path(__file__).resolve().parents[1]
RULE_CASES = ROOT / "tests/check_rules"
GOOD = WEB_POD
BAD = GOOD.replace("name: app", "name: App_1")
WARN = GOOD.replace("registry.example.com/app:1.0", "localhost/app:dev")


def run(*args, stdin: str | None = None, cwd=ROOT):
    proc = subprocess.run([sys.executable, "-m", "kubebridge", "check", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=300)
    return proc


@pytest.fixture
def files(tmp_path):
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "bad.yaml").write_text(BAD)
    (tmp_path / "warn.yaml").write_text(WARN)
    return tmp_path


def test_exit_codes(files):
    assert run(str(files / "good.yaml")).returncode == 0
    assert run(str(files / "warn.yaml")).returncode == 0
    assert run(str(files / "bad.yaml")).returncode == 1
    assert run(str(files / "warn.yaml"), "--fail-on", "warning").returncode == 1
    assert run(str(files / "missing.yaml")).returncode == 2
    assert run("--kubernetes-version", "one", str(files / "good.yaml")).returncode == 2
    assert run("--select", "no-such-rule", str(files / "good.yaml")).returncode == 2
    assert run("--podman-version", "3", str(files / "good.yaml")).returncode == 2
    (files / "tab.yaml").write_text("a:\n\tb: 1\n")
    assert run(str(files / "tab.yaml")).returncode == 2


def test_unusable_input_loses_nothing_else(files):
    proc = run("--format", "json", str(files / "bad.yaml"), str(files / "missing.yaml"), str(files / "good.yaml"))
    assert proc.returncode == 2
    report = json.loads(proc.stdout)
    rules = {(Path(f["file"]).name, f["rule"]) for f in report["findings"]}
    assert ("bad.yaml", "container-name-invalid") in rules and ("missing.yaml", "yaml") in rules
    assert report["summary"]["files"] == 3 and report["summary"]["exit_code"] == 2


def test_json_report_has_the_promised_shape(files):
    proc = run("--format", "json", str(files / "bad.yaml"))
    report = json.loads(proc.stdout)
    assert set(report) == {"findings", "summary"}
    finding = next(f for f in report["findings"] if f["rule"] == "container-name-invalid")
    assert list(finding) == ["file", "document", "kind", "name", "path", "line", "column", "rule", "severity",
                             "target", "message"]
    assert finding == {**finding, "document": 1, "kind": "Pod", "name": "web", "path": "spec.containers[0].name",
                       "line": 7, "column": 5, "severity": "error", "target": "kubernetes"}
    summary = report["summary"]
    assert summary["errors"] == sum(f["severity"] == "error" for f in report["findings"])
    assert summary["kubernetes_version"] == "1.37" and summary["strict"] is True


def test_text_report(files):
    proc = run(str(files / "bad.yaml"))
    first = proc.stdout.splitlines()[0]
    assert first.startswith(f"{files / 'bad.yaml'}:7:5: error [container-name-invalid] ")
    assert "fix: " in proc.stdout.splitlines()[1]
    assert proc.stdout.splitlines()[-1].startswith("1 error, ")


def test_junit_report(files):
    proc = run("--format", "junit", str(files / "bad.yaml"), str(files / "warn.yaml"), str(files / "good.yaml"))
    tree = ET.fromstring(proc.stdout)
    assert tree.tag == "testsuites" and tree.get("failures") == "1"
    failures = tree.findall(".//failure")
    assert [f.get("type") for f in failures] == ["container-name-invalid"]
    assert "image-local" in "".join(e.text for e in tree.iter("system-out"))
    # the totals are the test cases written (the trial's tests="7" over suites of 5)
    assert int(tree.get("tests")) == len(tree.findall(".//testcase")) == sum(
        int(suite.get("tests")) for suite in tree.findall("testsuite"))
    clean = ET.fromstring(run("--format", "junit", str(files / "good.yaml")).stdout)
    assert (clean.get("tests"), len(clean.findall(".//testcase")), clean.get("failures")) == ("1", 1, "0")


def test_sarif_report(files):
    proc = run("--format", "sarif", str(files / "bad.yaml"), str(files / "warn.yaml"))
    sarif = json.loads(proc.stdout)
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rules = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    for result in run_["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1
    assert {"container-name-invalid", "image-local"} <= set(rules)


def test_select_ignore_and_target(files):
    bad = str(files / "bad.yaml")
    only = json.loads(run("--format", "json", "--select", "image-local", bad).stdout)["findings"]
    assert only == []
    ignored = json.loads(run("--format", "json", "--ignore", "container-name-invalid", bad).stdout)
    assert "container-name-invalid" not in {f["rule"] for f in ignored["findings"]}
    podman = json.loads(run("--format", "json", "--target", "podman", str(files / "warn.yaml")).stdout)
    assert {RULES[f["rule"]].target for f in podman["findings"]} <= {"podman", "both"}
    cluster = json.loads(run("--format", "json", "--target", "kubernetes", str(files / "warn.yaml")).stdout)
    assert "image-local" in {f["rule"] for f in cluster["findings"]}


def test_strict_and_version(files):
    unknown = GOOD.replace("    image:", "    imagee: x\n    image:")
    (files / "unknown.yaml").write_text(unknown)
    assert run(str(files / "unknown.yaml")).returncode == 1
    assert run("--no-strict", "--target", "kubernetes", str(files / "unknown.yaml")).returncode == 0
    proc = run("--kubernetes-version", "1.99", "--format", "json", str(files / "good.yaml"))
    assert proc.returncode == 0
    assert "has no bundled schema; checked against 1.37" in proc.stderr
    summary = json.loads(proc.stdout)["summary"]
    assert summary["kubernetes_version"] == "1.37" and summary["requested_kubernetes_version"] == "1.99"
    assert summary["notices"]
    assert json.loads(run("--kubernetes-version", "v1.30.4", "--format", "json",
                          str(files / "good.yaml")).stdout)["summary"]["kubernetes_version"] == "1.30"


def test_directory_stdin_and_report_file(files, tmp_path):
    (files / "sub").mkdir()
    (files / "sub" / "more.yml").write_text(BAD)
    (files / ".hidden").mkdir()
    (files / ".hidden" / "skip.yaml").write_text(BAD)
    (files / "notes.txt").write_text("not a manifest")
    report = json.loads(run("--format", "json", str(files)).stdout)
    names = {Path(f["file"]).name for f in report["findings"]}
    assert report["summary"]["files"] == 4 and "more.yml" in names and "skip.yaml" not in names
    proc = run("--format", "json", "-", stdin=BAD)
    assert proc.returncode == 1 and json.loads(proc.stdout)["findings"][0]["file"] == "<stdin>"
    out = tmp_path / "report.json"
    proc = run("--format", "json", "-o", str(out), str(files / "bad.yaml"))
    assert proc.stdout == "" and json.loads(out.read_text())["summary"]["errors"] == 1


def test_jobs_give_the_same_report(files):
    for i in range(6):
        (files / f"copy{i}.yaml").write_text([GOOD, BAD, WARN][i % 3])
    one = json.loads(run("--format", "json", str(files)).stdout)
    many = json.loads(run("--format", "json", "--jobs", "3", str(files)).stdout)
    assert one == many and one["summary"]["files"] == 9
    assert run("--jobs", "0", str(files)).returncode == 2


def test_list_rules():
    proc = run("--list-rules")
    assert proc.returncode == 0 and len(proc.stdout.splitlines()) == len(RULES)


def test_in_process_main(files, capsys):
    assert main(["check", "--format", "json", str(files / "good.yaml")]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["errors"] == 0


def test_pre_commit_hook_runs_the_check():
    """.pre-commit-hooks.yaml names the command; pre-commit appends the staged file names to it."""
    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "kubebridge-check")
    assert hook["language"] == "python" and hook["entry"].split()[:2] == ["kubebridge", "check"]
    files = [str(RULE_CASES / "image-local.yaml"), str(RULE_CASES / "port-invalid.yaml")]
    proc = subprocess.run([sys.executable, "-m", "kubebridge", *hook["entry"].split()[1:], *files],
                          capture_output=True, text=True, cwd=ROOT, env=os.environ)
    assert proc.returncode == 1 and "port-invalid" in proc.stdout


def test_control_characters_of_a_manifest_reach_no_terminal_and_keep_junit_well_formed(tmp_path):
    """A name holding \\x01 and an ANSI colour escape (newcomer trial): JUnit stays well-formed XML, and the text
    report shows the characters as escapes."""
    import xml.dom.minidom

    path = tmp_path / "x.yaml"
    path.write_text('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "a<&]]>\\x01\\e[31m"\ndata: {a: b}\n')
    run("--format", "junit", "-o", str(tmp_path / "x.xml"), str(path))
    names = [c.getAttribute("name") for c in xml.dom.minidom.parse(str(tmp_path / "x.xml"))
             .getElementsByTagName("testcase")]
    assert "document 1 ConfigMap/a<&]]>\\x01\\x1b[31m" in names
    text = run(str(path)).stdout
    assert "\x1b" not in text and "\x01" not in text and "ConfigMap/a<&]]>\\x01\\x1b[31m at metadata.name" in text


def test_list_rules_as_json_gives_every_rule_with_its_fix():
    """The trial's `--list-rules --format json` printed text."""
    proc = run("--list-rules", "--format", "json")
    assert proc.returncode == 0
    listed = json.loads(proc.stdout)
    assert [r["id"] for r in listed] == list(RULES)
    assert all(r["fix"] == RULES[r["id"]].fix and r["severity"] == RULES[r["id"]].severity for r in listed)
    proc = run("--list-rules", "--format", "junit")
    assert proc.returncode == 2 and "the rules are listed as text or json" in proc.stderr


def test_a_broken_symbolic_link_in_a_directory_is_reported_not_skipped(tmp_path):
    """The trial's dangling link was left out of the run without a word."""
    (tmp_path / "web.yaml").write_text(GOOD)
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    proc = run("--target", "kubernetes", str(tmp_path))
    assert proc.returncode == 2
    assert f"{tmp_path / 'gone.yaml'}: error [yaml] a symbolic link to {tmp_path / 'nowhere.yaml'}, which does not " \
           "exist" in proc.stdout
    import kubebridge
    result = kubebridge.check(tmp_path)
    assert result.unusable and any("which does not exist" in f.message for f in result.findings)


def test_fail_on_warning_is_in_the_reports_exit_code_and_in_python(tmp_path):
    """The trial's `--fail-on warning --format json` exited 1 while its summary said exit_code 0."""
    (tmp_path / "warn.yaml").write_text(WARN)
    proc = run("--fail-on", "warning", "--format", "json", str(tmp_path / "warn.yaml"))
    summary = json.loads(proc.stdout)["summary"]
    assert summary["warnings"] and summary["errors"] == 0
    assert proc.returncode == summary["exit_code"] == 1
    import kubebridge
    assert kubebridge.check(tmp_path / "warn.yaml", fail_on="warning").exit_code == 1
    assert kubebridge.check(tmp_path / "warn.yaml").exit_code == 0
    with pytest.raises(kubebridge.UsageError, match="fail_on='never'"):
        kubebridge.check(tmp_path / "warn.yaml", fail_on="never")


def test_junit_fails_warnings_when_the_run_does(tmp_path):
    """The second trial's `--format junit --fail-on warning` exited 1 with failures="0": every test green."""
    (tmp_path / "warn.yaml").write_text(WARN)
    proc = run("--format", "junit", "--fail-on", "warning", str(tmp_path / "warn.yaml"))
    tree = ET.fromstring(proc.stdout)
    assert proc.returncode == 1 and int(tree.get("failures")) >= 1
    assert "image-local" in [f.get("type") for f in tree.findall(".//failure")]
    plain = ET.fromstring(run("--format", "junit", str(tmp_path / "warn.yaml")).stdout)
    assert plain.get("failures") == "0" and plain.findall(".//failure") == []
