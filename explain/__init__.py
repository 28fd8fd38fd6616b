"""Explanations: cited justification trees, why-not, and their renderings.

- ``instrument``: the encodings with bookkeeping (clingo AST), one answer set read as text;
- ``graph``: derivations read lazily, a shallowest (well-founded) proof per atom, the networkx graph;
- ``tree`` and ``statements``: the contract's why-JSON, one zh/en sentence per predicate
  (``templates/statements.yaml``: every derived predicate stated or quiet);
- ``render``: the text justification as one argument (conclusion, evidence, numbered steps, 综上);
- ``whynot``: the rules that could have given a level and the first condition that failed;
- ``report``: the HTML report's trees, timeline and SVG graph, and the GraphML/DOT export
  (``pydesig solve --format html``, ``pydesig graph``).

    >>> from pydesig import load_case
    >>> from explain import why, why_not, render
    >>> tree = why(load_case("kb/cases/tonghua.yaml"), region="220581", year=2019)
    >>> print(render(tree, "text", "en"))
"""

from .api import explain_all, why, why_not
from .render import render

__all__ = ["why", "why_not", "render", "explain_all"]
