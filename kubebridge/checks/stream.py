"""check over files, streamed: findings come out as each document is checked, never all held at once.

A file (or standard input) is read a chunk of whole documents at a time
(load.chunks); with jobs > 1, files are checked in worker processes and each
file's findings arrive together.  A file that cannot be opened or read is a
`yaml` finding, and the run goes on with the others: nothing is lost.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO, Callable, ContextManager, Iterator, Sequence

from kubebridge.checks.engine import Checker, CheckOptions, CheckResult
from kubebridge.checks.findings import ERROR, UNREADABLE_FIX, Finding
from kubebridge.errors import InputError

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
        self.checker = Checker(self.options)
        self.result = self.checker.result()  # counts only: findings are yielded, not kept

    @property
    def notices(self) -> list[str]:
        """About the run, not a document: a Kubernetes minor that is not bundled, say."""
        return list(self.result.notices)

    def __iter__(self) -> Iterator[list[Finding]]:
        if self.jobs > 1 and len(self.files) > 1 and "-" not in self.files:
            yield from self._in_workers()
            return
        for name in self.files:
            yield from self._one_file(name)

    def _tick(self) -> None:
        if self.progress is not None:
            self.progress(self.result.documents, self.result.files, len(self.files))

    def _counted(self, findings: list[Finding]) -> list[Finding]:
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
                       exit_code=2 if self.result.unusable else 1 if self.counts["error"] else 0)
        return summary


def unreadable(checker: Checker, name: str, exc: InputError) -> CheckResult:
    """A file that cannot be read, as a result holding one `yaml` finding."""
    result = checker.result()
    result.files, result.unusable = 1, True
    result.findings.append(Finding(name, 0, "", "", "", exc.line, exc.column, "yaml", ERROR, exc.detail,
                                   advice=UNREADABLE_FIX))
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
