"""``pydesig check``: consistency checks within each rule set and between them.

Every check computes its findings from the encodings (their clingo AST and the answer sets over
generated cases) and from ``kb/`` (the provisions' texts, interpretations, indicators and the
crosswalk); none is a list of known problems.  Each returns issues in the contract's shape,
``{"id", "kind", "severity", "message", "citations"}``, sometimes with ``counterexample`` (a runnable
case file), ``under`` (the interpretations it holds under) and ``details``.  ``docs/checks.md``
describes each kind.

=================  =====================================================================
module             checks
=================  =====================================================================
thresholds         overlaps, gaps and open bounds of numeric conditions (per instrument)
terms              undefined / inconsistent responsibility titles, bodies never set up,
                   measures outside the catalogue of forms (per instrument and across)
delegation         delegated criteria, references to unnamed rules, periods not given
reachability       rules no generated case fires; operative provisions not encoded
deontic            cases with no lawful outcome; actions required and forbidden
crosswalk          the crosswalk against the encodings; measures, forms, periods and
                   modality that differ; consequences that differ on probe cases
=================  =====================================================================
"""

from __future__ import annotations

from .context import Context, context_from, default_context
from .crosswalk import check_crosswalk
from .delegation import check_delegation
from .deontic import check_deontic_conflicts, check_no_lawful_outcome
from .issues import KINDS, SEVERITIES, sort_issues
from .reachability import check_coverage, check_reachability
from .terms import check_terms, check_terms_across
from .thresholds import check_thresholds

__all__ = ["run_checks", "summary", "KINDS", "SEVERITIES", "Context", "context_from", "default_context",
           "CHECK_FORMAT"]

CHECK_FORMAT = "pydesig-check/1"

PER_INSTRUMENT = (check_no_lawful_outcome, check_deontic_conflicts, check_thresholds, check_terms, check_delegation,
                  check_reachability, check_coverage)


def run_checks(ctx: Context | None = None, rulesets: list[str] | None = None, cross: bool = True) -> list[dict]:
    """Every issue the checks find, in a deterministic order (instrument, severity, kind, id)."""
    ctx = ctx or default_context()
    rulesets = rulesets or ctx.rulesets
    issues: list[dict] = []
    for rs in rulesets:
        for check in PER_INSTRUMENT:
            issues += check(ctx, rs)
    if cross and len(rulesets) >= 2:
        a, b = rulesets[0], rulesets[1]
        issues += check_terms_across(ctx, a, b)
        issues += check_crosswalk(ctx, a, b)
    return sort_issues(issues, ctx.rulesets)


def summary(issues: list[dict]) -> dict:
    """Counts by scope, severity and kind (for the text report)."""
    out: dict = {"total": len(issues), "by_severity": {}, "by_kind": {}, "by_scope": {}}
    for i in issues:
        scope = i["id"].split("/", 1)[0]
        out["by_severity"][i["severity"]] = out["by_severity"].get(i["severity"], 0) + 1
        out["by_kind"][i["kind"]] = out["by_kind"].get(i["kind"], 0) + 1
        out["by_scope"][scope] = out["by_scope"].get(scope, 0) + 1
    out["by_severity"] = {s: out["by_severity"][s] for s in SEVERITIES if s in out["by_severity"]}
    out["by_kind"] = {k: out["by_kind"][k] for k in KINDS if k in out["by_kind"]}
    return out
