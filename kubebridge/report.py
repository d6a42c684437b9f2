"""Writers for check results: text for people, JSON for scripts, JUnit and SARIF for CI systems."""
from __future__ import annotations

import json

from . import __version__
from .checks import CheckResult
from .findings import ERROR, RULES, Finding

FORMATS = ("text", "json", "junit", "sarif")


def render(result: CheckResult, output: str) -> str:
    return {"text": text, "json": json_report, "junit": junit, "sarif": sarif}[output](result)


def escape(text: str) -> str:
    """XML character data (xml.sax.saxutils would import urllib: 20 ms of start-up)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    return '"' + escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"'


def _where(f: Finding) -> str:
    where = f.file
    if f.line is not None:
        where += f":{f.line}"
        if f.column is not None:
            where += f":{f.column}"
    return where


def text(result: CheckResult) -> str:
    """file:line:column: severity [rule] message, then what it is about and the fix; a summary line last."""
    lines = []
    for f in result.findings:
        lines.append(f"{_where(f)}: {f.severity} [{f.rule}] {f.message}")
        subject = f"{f.kind}/{f.name}" if f.kind else f"document {f.document}"
        at = f" at {f.path}" if f.path else ""
        lines.append(f"    {subject}{at}; fix: {f.fix}")
    s = result.summary()
    errors, warnings = s["errors"], s["warnings"]
    lines.append(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in "
                 f"{s['documents']} document{'s' * (s['documents'] != 1)} ({s['files']} file"
                 f"{'s' * (s['files'] != 1)}); Kubernetes {s['kubernetes_version']}"
                 f"{' strict' if s['strict'] else ''}, Podman {s['podman_version']}, target {s['target']}")
    return "\n".join(lines) + "\n"


def json_report(result: CheckResult) -> str:
    body = {"findings": [f.as_dict() for f in result.findings], "summary": result.summary()}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def junit(result: CheckResult) -> str:
    """One test suite per file, one test case per document; errors fail it, warnings go to its output."""
    by_file: dict[str, dict[int, list[Finding]]] = {}
    for f in result.findings:
        by_file.setdefault(f.file, {}).setdefault(f.document, []).append(f)
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    total_failures = sum(1 for f in result.findings if f.severity == ERROR)
    out.append(f'<testsuites name="kubebridge check" tests="{max(result.documents, len(by_file))}" '
               f'failures="{total_failures}">')
    for file, documents in by_file.items():
        failures = sum(1 for fs in documents.values() for f in fs if f.severity == ERROR)
        out.append(f'  <testsuite name={quoteattr(file)} tests="{len(documents)}" failures="{failures}">')
        for document, found in sorted(documents.items()):
            first = found[0]
            label = f"document {document}" + (f" {first.kind}/{first.name}" if first.kind else "")
            out.append(f'    <testcase classname={quoteattr(file)} name={quoteattr(label)}>')
            for f in found:
                if f.severity == ERROR:
                    out.append(f'      <failure type={quoteattr(f.rule)} message={quoteattr(f.message)}>'
                               f'{escape(_where(f))} {escape(f.path)}: {escape(f.message)}</failure>')
            notes = [f for f in found if f.severity != ERROR]
            if notes:
                body = "\n".join(f"{_where(f)}: warning [{f.rule}] {f.path}: {f.message}" for f in notes)
                out.append(f"      <system-out>{escape(body)}</system-out>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    if result.findings == []:
        out.append('  <testsuite name="kubebridge check" tests="1" failures="0">')
        out.append(f'    <testcase classname="kubebridge" name={quoteattr(f"{result.documents} documents")}/>')
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def sarif(result: CheckResult) -> str:
    """SARIF 2.1.0, the format GitHub code scanning reads."""
    used = sorted({f.rule for f in result.findings})
    rules = [{"id": r, "shortDescription": {"text": RULES[r].summary}, "help": {"text": RULES[r].fix},
              "defaultConfiguration": {"level": RULES[r].severity}} for r in used]
    index = {r: i for i, r in enumerate(used)}
    results = []
    for f in result.findings:
        region = {}
        if f.line is not None:
            region["startLine"] = f.line
            if f.column is not None:
                region["startColumn"] = f.column
        location = {"physicalLocation": {"artifactLocation": {"uri": f.file}, **({"region": region} if region else {})}}
        if f.path:
            location["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "member"}]
        results.append({"ruleId": f.rule, "ruleIndex": index[f.rule], "level": f.severity,
                        "message": {"text": f.message}, "locations": [location]})
    body = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"tool": {"driver": {"name": "kubebridge", "version": __version__, "rules": rules}},
                      "results": results}]}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
