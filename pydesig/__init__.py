"""pydesig: the Jilin and Changzhou drug-control rules as executable, explainable law.

    >>> from pydesig import load_case, solve
    >>> result = solve(load_case("kb/cases/tonghua.yaml"))
    >>> result.findings[0]["level"]
"""

from .readers import load_case
from .engine import solve
from .result import Result

__all__ = ["load_case", "solve", "Result"]
