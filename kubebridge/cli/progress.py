"""check's progress line on a terminal: a bar of files and a count of documents."""
from __future__ import annotations

import sys
import time


class Progress:
    """A progress line on a terminal's stderr, five times a second: a bar of files and a count of documents.

    Nothing when stderr is not a terminal (piped, in CI).  clear() erases the
    line before anything else is printed (a finding on the same terminal), so
    the two never run together; done() erases it at the end.
    """

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.last = 0.0
        self.shown = False

    def __call__(self, documents: int, files: int, total: int) -> None:
        now = time.monotonic()
        if self.on and now - self.last > 0.2:
            self.last, self.shown = now, True
            done = min(files, total)
            if total > 1:
                text = f"[{'#' * (20 * done // total):<20}] {done}/{total} files, {documents:,} document{'s' * (documents != 1)}"
            else:
                text = f"{documents:,} document{'s' * (documents != 1)}"
            sys.stderr.write(f"\r\033[Kkubebridge: checking {text}")
            sys.stderr.flush()

    def clear(self) -> None:
        """Erase the line (it is drawn again at the next update)."""
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.shown = False
            self.last = 0.0

    done = clear
