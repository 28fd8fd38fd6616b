"""Explanations: cited justification trees, why-not, and their renderings.

    >>> from pydesig import load_case
    >>> from explain import why, why_not, render
    >>> tree = why(load_case("kb/cases/tonghua.yaml"), region="220581", year=2019)
    >>> print(render(tree, "text", "en"))
"""

from .api import explain_all, why, why_not
from .render import render

__all__ = ["why", "why_not", "render", "explain_all"]
