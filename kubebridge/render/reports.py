"""Writers for check results: text for people, JSON for scripts, JUnit and SARIF for CI systems.

Each writer streams: findings are written as they come (a file's at a time),
the summary at the end, so checking a huge stream does not hold its findings
in memory.  render() is the same, at once, for a CheckResult.
"""
from __future__ import annotations

import io
import json
import re
from typing import TextIO

from kubebridge import __version__
from kubebridge.checks.findings import ERROR, RULES, WARNING, Finding

FORMATS = ("text", "json", "junit", "sarif")


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def visible(text: str) -> str:
    """Control characters as Python escapes ("\\x1b"): a manifest's names cannot drive a terminal, and what XML
    1.0 cannot hold at all (even as a reference) is never written."""
    return CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def escape(text: str) -> str:
    """XML character data (xml.sax.saxutils would import urllib: 20 ms of start-up)."""
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    return '"' + escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"'


def where(f: Finding) -> str:
    place = f.file
    if f.line is not None:
        place += f":{f.line}"
        if f.column is not None:
            place += f":{f.column}"
    return place


class Writer:
    """begin(), add(findings) as often as findings come, end(summary)."""

    def __init__(self, out: TextIO, fail_on: str = ERROR):
        self.out = out
        self.first = True
        self.fails = (ERROR, WARNING) if fail_on == WARNING else (ERROR,)  # the severities that fail a run

    def begin(self) -> None:
        return None

    def add(self, findings: list[Finding]) -> None:
        return None

    def end(self, summary: dict) -> None:
        return None

    def item(self, text: str, indent: str) -> None:
        """One item of a JSON list being written: a comma before all but the first."""
        self.out.write(("\n" if self.first else ",\n") + indent + text)
        self.first = False


class TextWriter(Writer):
    """file:line:column: severity [rule] message, then what it is about, whose verdict it is (for kubernetes,
    podman or both) and the fix; a summary line last."""

    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            subject = f"{f.kind}/{f.name}" if f.kind else f"document {f.document}" if f.document else "the file"
            at = f" at {f.path}" if f.path else ""
            self.out.write(visible(f"{where(f)}: {f.severity} [{f.rule}] {f.message}\n    {subject}{at}, for "
                                   f"{f.target}; fix: {f.fix}") + "\n")

    def end(self, s: dict) -> None:
        errors, warnings, docs, files = s["errors"], s["warnings"], s["documents"], s["files"]
        self.out.write(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in "
                       f"{docs} document{'s' * (docs != 1)} ({files} file{'s' * (files != 1)}); Kubernetes "
                       f"{s['kubernetes_version']}{' strict' if s['strict'] else ''}, Podman {s['podman_version']}, "
                       f"target {s['target']}\n")


class JsonWriter(Writer):
    """{"findings": [...], "summary": {...}}, the findings written one by one."""

    def begin(self) -> None:
        self.out.write('{\n  "findings": [')
        self.first = True

    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            self.item(json.dumps(f.as_dict(), ensure_ascii=False), "    ")

    def end(self, summary: dict) -> None:
        self.out.write(("\n  " if not self.first else "") + '],\n  "summary": '
                       + json.dumps(summary, ensure_ascii=False) + "\n}\n")


class JunitWriter(Writer):
    """One test suite per file with findings, one test case per document with findings; errors fail it,
    warnings go to its output; a run without findings is one passing test.  tests= counts the test cases.  The totals head the XML, so the suites are held until the end: as text, in a temporary file once
    they pass a few megabytes."""

    def begin(self) -> None:
        import tempfile

        self.file: str | None = None
        self.pending: dict[int, list[Finding]] = {}
        self.suites = 0
        self.tests = 0
        self.failures = 0
        self.notices: list[Finding] = []
        self.body = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8")

    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            if f.occurrences:  # a notice for a whole run (checks/noise.py): a suite of their own, at the end
                self.notices.append(f)
                continue
            if f.file != self.file:
                self._flush()
                self.file = f.file
            self.pending.setdefault(f.document, []).append(f)

    def _flush(self) -> None:
        if self.file is None:
            return
        failures = sum(1 for fs in self.pending.values() for f in fs if f.severity in self.fails)
        self.failures += failures
        out = self.body
        out.write(f'  <testsuite name={quoteattr(self.file)} tests="{len(self.pending)}" '
                  f'failures="{failures}">\n')
        self.tests += len(self.pending)
        for document, found in sorted(self.pending.items()):
            first = found[0]
            label = f"document {document}" + (f" {first.kind}/{first.name}" if first.kind else "")
            out.write(f"    <testcase classname={quoteattr(self.file)} name={quoteattr(label)}>\n")
            for f in found:
                if f.severity in self.fails:
                    out.write(f"      <failure type={quoteattr(f.rule)} message={quoteattr(f.message)}>"
                              f"{escape(where(f))} {escape(f.path)}: {escape(f.message)}</failure>\n")
            notes = [f for f in found if f.severity not in self.fails]
            if notes:
                body = "\n".join(f"{where(f)}: warning [{f.rule}] {f.path}: {f.message}" for f in notes)
                out.write(f"      <system-out>{escape(body)}</system-out>\n")
            out.write("    </testcase>\n")
        out.write("  </testsuite>\n")
        self.suites += 1
        self.pending = {}

    def _flush_notices(self) -> None:
        if not self.notices:
            return
        out = self.body
        out.write(f'  <testsuite name="kubebridge notices" tests="{len(self.notices)}" failures="0">\n')
        self.tests += len(self.notices)
        for f in self.notices:
            out.write(f"    <testcase classname={quoteattr(f.file)} name={quoteattr(f'{f.rule} {f.kind}')}>\n"
                      f"      <system-out>{escape(f'{where(f)}: warning [{f.rule}] {f.path}: {f.message}')}"
                      "</system-out>\n    </testcase>\n")
        out.write("  </testsuite>\n")
        self.suites += 1

    def end(self, summary: dict) -> None:
        self._flush()
        self._flush_notices()
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(f'<testsuites name="kubebridge check" tests="{self.tests or 1}" '
                       f'failures="{self.failures}">\n')
        import shutil

        self.body.seek(0)
        shutil.copyfileobj(self.body, self.out)
        self.body.close()
        if self.suites == 0:  # a clean run is one passing test
            self.out.write('  <testsuite name="kubebridge check" tests="1" failures="0">\n'
                           f'    <testcase classname="kubebridge" name="{summary["documents"]} documents"/>\n'
                           "  </testsuite>\n")
        self.out.write("</testsuites>\n")


class SarifWriter(Writer):
    """SARIF 2.1.0, the format GitHub code scanning reads; the rules used are listed after the results."""

    def begin(self) -> None:
        self.out.write('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n'
                       '  "runs": [{\n    "results": [')
        self.rules: dict[str, int] = {}
        self.first = True

    def add(self, findings: list[Finding]) -> None:
        for f in findings:
            index = self.rules.setdefault(f.rule, len(self.rules))
            region = {}
            if f.line is not None:
                region["startLine"] = f.line
                if f.column is not None:
                    region["startColumn"] = f.column
            location: dict = {"physicalLocation": {"artifactLocation": {"uri": f.file},
                                                   **({"region": region} if region else {})}}
            if f.path:
                location["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "member"}]
            properties: dict = {"target": f.target}
            if f.occurrences:  # one result standing for several (checks/noise.py)
                properties["occurrences"] = f.occurrences
            result = {"ruleId": f.rule, "ruleIndex": index, "level": f.severity, "message": {"text": f.message},
                      "locations": [location], "properties": properties}
            self.item(json.dumps(result, ensure_ascii=False), "      ")

    def end(self, summary: dict) -> None:
        rules = [{"id": r, "shortDescription": {"text": RULES[r].summary}, "help": {"text": RULES[r].fix},
                  "defaultConfiguration": {"level": RULES[r].severity}} for r in self.rules]
        tool = {"driver": {"name": "kubebridge", "version": __version__, "rules": rules}}
        self.out.write(("\n    " if not self.first else "") + '],\n    "tool": ' + json.dumps(tool, ensure_ascii=False)
                       + "\n  }]\n}\n")


WRITERS = {"text": TextWriter, "json": JsonWriter, "junit": JunitWriter, "sarif": SarifWriter}


def render(result, output: str) -> str:
    """A CheckResult in one of FORMATS, at once."""
    out = io.StringIO()
    writer = WRITERS[output](out)
    writer.begin()
    writer.add(result.findings)
    writer.end(result.summary())
    return out.getvalue()


def rules_listing(format: str) -> str:
    """check --list-rules: the rules as text (one a line: id, severity, target, summary) or a JSON list."""
    from kubebridge.checks.findings import RULES

    if format == "json":
        return json.dumps([{"id": r.id, "severity": r.severity, "target": r.target, "summary": r.summary,
                            "fix": r.fix} for r in RULES.values()], indent=2) + "\n"
    width = max(map(len, RULES))
    return "".join(f"{r.id:<{width}}  {r.severity:<7}  {r.target:<10}  {r.summary}\n" for r in RULES.values())
