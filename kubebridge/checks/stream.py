"""check over files, streamed: findings come out as each document is checked, never all held at once.

A file (or standard input) is read a chunk of whole documents at a time
(load.chunks); with jobs > 1, files are checked in worker processes and each
file's findings arrive together.  A file that cannot be opened or read is a
`yaml` finding, and the run goes on with the others: nothing is lost.

A custom resource is checked against a CustomResourceDefinition of the run
wherever that CRD is (a later file, later in the same file).  So a first pass,
before any document is checked, collects the CRDs of every input: a file is
read once for the bytes "CustomResourceDefinition" (1 MiB at a time) and parsed
only if it holds them.  What is not a regular file (standard input, a pipe
such as bash's <(...)) can be read only once: it is copied to a temporary file
(in memory up to 16 MiB) that both passes read.  The CRDs found go to every
worker process with the options, so --jobs gives the same report.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field, replace
from typing import IO, BinaryIO, Callable, ContextManager, Iterator, Sequence

from kubebridge.checks.custom import CrdSource, crds_in, holds_marker
from kubebridge.checks.engine import LIMIT_FIX, LIMIT_OPTION, Checker, CheckOptions, CheckResult, exit_code
from kubebridge.checks.findings import ERROR, UNREADABLE_FIX, Finding
from kubebridge.checks.noise import Collapse
from kubebridge.errors import InputError, KubebridgeError

Opener = Callable[[str], ContextManager[BinaryIO]]  # a name -> its bytes (the command line's reader, say)
Progress = Callable[[int, int, int], None]  # (documents so far, files done, files in all)


@dataclass
class CheckRun:
    """A check over files: iterate for batches of findings as they come; summary() once done.

    The counts (errors, warnings, documents, files) cover every finding
    yielded; exit_code is 2 when an input could not be read, 1 on errors, else 0.
    """

    files: Sequence[str]
    options: CheckOptions
    open: Opener
    jobs: int = 1
    progress: Progress | None = None
    label: Callable[[str], str] = str  # a name as messages show it ("-" is "<stdin>" on the command line)
    result: CheckResult = field(init=False)
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0})

    def __post_init__(self) -> None:
        self._spooled: dict[str, IO[bytes]] = {}
        found = self._first_pass()
        if found:
            self.options = replace(self.options, crds=self.options.crds + tuple(found))
        self.checker = Checker(self.options)
        self.result = self.checker.result()  # counts only: findings are yielded, not kept
        self.collapse = Collapse(self.options.target, self.checker.active, self.checker.profile)

    def _first_pass(self) -> list[CrdSource]:
        """The CustomResourceDefinitions of every input, before any is checked (see the module's docstring)."""
        found: list[CrdSource] = []
        limit = self.options.limits.max_bytes
        for name in self.files:
            try:
                if name == "-" or not os.path.isfile(name):
                    self._spool(name, limit)
                with self.open(name) as stream:
                    if not holds_marker(stream, limit):
                        continue
                with self.open(name) as stream:
                    found += crds_in(stream, self.label(name), self.options.limits)
            except (KubebridgeError, OSError):
                continue  # the check reports what cannot be read
        return found

    def _spool(self, name: str, limit: int) -> None:
        """Copy an input that can be read only once to a temporary file, which self.open gives from now on."""
        import shutil
        import tempfile

        if name in self._spooled:
            return
        copy = tempfile.SpooledTemporaryFile(max_size=16 << 20)
        with self.open(name) as stream:
            shutil.copyfileobj(_Bounded(stream, limit + 1), copy)
        self._spooled[name] = copy
        if len(self._spooled) == 1:
            self.open = _with_spooled(self.open, self._spooled)

    @property
    def notices(self) -> list[str]:
        """About the run, not a document: a Kubernetes minor that is not bundled, say."""
        return list(self.result.notices)

    def __iter__(self) -> Iterator[list[Finding]]:
        try:
            if self.jobs > 1 and len(self.files) > 1 and not self._spooled:
                yield from self._in_workers()
            else:
                for name in self.files:
                    yield from self._one_file(name)
            notices = self.collapse.finish()
            if notices:
                yield self._counted(notices, collapse=False)
        finally:
            for copy in self._spooled.values():
                copy.close()

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress(self.result.documents, self.result.files, len(self.files))

    def _counted(self, findings: list[Finding], collapse: bool = True) -> list[Finding]:
        """The findings to report (the collapsed ones held back, checks/noise.py), counted."""
        if collapse:
            findings = self.collapse.take(findings)
        for f in findings:
            self.counts[f.severity] = self.counts.get(f.severity, 0) + 1
        return findings

    def file(self, name: str) -> Iterator[list[Finding]]:
        """One file's findings, in batches, counted into the run (api.check takes files one by one, between its
        other inputs)."""
        return self._one_file(name)

    def _one_file(self, name: str) -> Iterator[list[Finding]]:
        batch: list[Finding] = []
        tick = self._tick if self.progress is not None else None
        try:
            with self.open(name) as stream:  # iter_file reports what it cannot read as findings
                for finding in self.checker.iter_file(stream, self.label(name), self.result, tick):
                    batch.append(finding)
                    if len(batch) >= 256:
                        yield self._counted(batch)
                        batch = []
        except InputError as exc:  # the file could not be opened
            yield self._absorb(unreadable(self.checker, self.label(name), exc))
            return
        yield self._counted(batch)
        self._tick()

    def _absorb(self, part: CheckResult) -> list[Finding]:
        """A whole file's result (from a worker, or a file that cannot be opened): counted, merged, yielded."""
        findings, part.findings = part.findings, []
        self.result.merge(part)
        self._tick()
        return self._counted(findings)

    def _in_workers(self) -> Iterator[list[Finding]]:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(self.jobs, len(self.files)), initializer=_init_worker,
                                 initargs=(self.options, self.open)) as pool:
            for part in pool.map(_check_in_worker, self.files,
                                 chunksize=max(1, len(self.files) // (self.jobs * 8))):
                yield self._absorb(part)

    def summary(self) -> dict:
        """The run's summary (CheckResult.summary), with the counts of what was yielded."""
        summary = self.result.summary()
        summary.update(errors=self.counts["error"], warnings=self.counts["warning"],
                       exit_code=exit_code(self.result.unusable, self.counts["error"], self.counts["warning"],
                                           self.options.fail_on))
        return summary


class _Bounded:
    """A stream read no further than limit bytes (a copy one byte past --max-bytes is refused as too large)."""

    def __init__(self, stream: BinaryIO, limit: int):
        self.stream, self.left = stream, limit

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        block = self.stream.read(self.left if size < 0 else min(size, self.left))
        self.left -= len(block)
        return block


def _with_spooled(open: Opener, spooled: dict[str, IO[bytes]]) -> Opener:
    """An opener that gives the temporary copy of a spooled input, from its start, and opens the others as before."""
    @contextlib.contextmanager
    def opener(name: str) -> Iterator[BinaryIO]:
        copy = spooled.get(name)
        if copy is None:
            with open(name) as stream:
                yield stream
            return
        copy.seek(0)
        yield copy  # type: ignore[misc]

    return opener


def unreadable(checker: Checker, name: str, exc: InputError) -> CheckResult:
    """A file that cannot be read, as a result holding one `yaml` finding."""
    result = checker.result()
    result.files, result.unusable = 1, True
    advice = LIMIT_FIX if LIMIT_OPTION in exc.detail else UNREADABLE_FIX
    result.findings.append(Finding(name, 0, "", "", "", exc.line, exc.column, "yaml", ERROR, exc.detail,
                                   advice=advice))
    return result


def check_one(checker: Checker, name: str, open: Opener) -> CheckResult:
    """One file's result, at once (for worker processes); a file that cannot be read is a finding."""
    try:
        with open(name) as stream:
            return checker.check_file(stream, name)
    except InputError as exc:
        return unreadable(checker, name, exc)


_WORKER: tuple[Checker, Opener] | None = None


def _init_worker(options: CheckOptions, open: Opener) -> None:
    global _WORKER
    _WORKER = (Checker(options), open)


def _check_in_worker(name: str) -> CheckResult:
    assert _WORKER is not None
    return check_one(_WORKER[0], name, _WORKER[1])
