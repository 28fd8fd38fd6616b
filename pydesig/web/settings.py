"""What an operator can tune when starting the server (``pydesig serve`` options)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """Limits and the cases offered besides the shipped ones.

    ``max_body`` bounds every request body (HTTP 413 above it); ``time_limit`` bounds one solve
    (the child process running it is killed, HTTP 503); ``workers`` solves run at once, each in its
    own process; ``cases`` maps a name to a case file the operator named on the command line.
    """

    max_body: int = 8 * 1024 * 1024
    time_limit: float = 120.0
    workers: int = field(default_factory=lambda: max(1, os.cpu_count() or 1))
    cases: tuple[tuple[str, str], ...] = ()
    cache_entries: int = 64
