"""A plain-text progress bar for long imports, drawn on standard error."""

from __future__ import annotations

import sys
from typing import TextIO

WIDTH = 30


class ProgressBar:
    """Call with (done, total). On a terminal the bar redraws in place; into a log file
    each step gets its own line, so the log stays readable."""

    def __init__(self, label: str, *, stream: TextIO | None = None):
        self.label = label
        self.stream = stream or sys.stderr
        self.in_place = self.stream.isatty()
        self._drawn: tuple[int, bool] | None = None

    def __call__(self, done: int, total: int) -> None:
        filled = WIDTH * done // total if total else WIDTH
        finished = done >= total
        if (filled, finished) == self._drawn:
            return
        self._drawn = (filled, finished)
        text = f"{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}"
        if self.in_place:
            self.stream.write("\r" + text + ("\n" if finished else ""))
        else:
            self.stream.write(f"{text}\n")
        self.stream.flush()
