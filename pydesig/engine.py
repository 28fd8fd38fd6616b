"""``solve``: a loaded case in, the contract's result out."""

from __future__ import annotations

from typing import Callable

from .bridge import interpretation_choices
from .model import Case
from .result import Result, build_result
from .solver import consequences

__all__ = ["solve"]


def solve(case: Case, *, workers: int | None = None, scheduler: str | None = None, whole: bool = False,
          progress: Callable[[int, int], None] | None = None) -> Result:
    """Findings, status timeline and measures of ``case`` under its instrument.

    The case is solved part by part (``pydesig.parts``) on ``workers`` processes (default: the
    machine's cores; 1: in this process) or on the Dask cluster at ``scheduler``; ``whole=True``
    solves it as one program.  The result is the same, byte for byte, whichever is chosen."""
    found = consequences(case, workers=workers, scheduler=scheduler, whole=whole, progress=progress)
    return build_result(case, found, interpretation_choices(case))
