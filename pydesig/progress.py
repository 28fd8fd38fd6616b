"""A progress line on stderr for long runs: parts done of all, elapsed time, estimated time left.

Shown only when stderr is a terminal (never in a pipe, a log file or a test) and only once a run
has taken more than a moment; stdout is never touched, so output stays byte-identical.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

__all__ = ["ProgressLine", "stderr_progress"]

DELAY = 1.0  # seconds before the first line: short runs say nothing


class ProgressLine:
    """``progress(done, total)`` callback drawing one rewritten line on ``stream``."""

    def __init__(self, stream: TextIO, label: str = "parts", delay: float = DELAY,
                 clock: Callable[[], float] = time.monotonic):
        self.stream, self.label, self.delay, self.clock = stream, label, delay, clock
        self.start = clock()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        elapsed = self.clock() - self.start
        if elapsed < self.delay and done < total:
            return
        if elapsed < self.delay and not self.drawn:
            return  # finished within the moment: nothing to clear
        eta = elapsed / done * (total - done) if done else 0.0
        width = 24
        filled = width * done // total if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"\r{self.label} [{bar}] {done}/{total}  elapsed {elapsed:5.1f} s  left {eta:5.1f} s"
        self.stream.write(line)
        self.drawn = True
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def stderr_progress(quiet: bool = False, label: str = "parts") -> ProgressLine | None:
    """A progress line on stderr, or None when ``quiet`` or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    return ProgressLine(sys.stderr, label)
