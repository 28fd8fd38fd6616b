"""``solve``: a loaded case in, the contract's result out."""

from __future__ import annotations

from .bridge import interpretation_choices
from .model import Case
from .result import Result, build_result
from .solver import consequences

__all__ = ["solve"]


def solve(case: Case) -> Result:
    """Findings, status timeline and measures of ``case`` under its instrument."""
    return build_result(case, consequences(case), interpretation_choices(case))
