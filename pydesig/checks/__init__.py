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
circularity        an indicator counting a measure the rules attach (kb/feedback.yaml)
triggers           one measure for the same facts under two provisions, or by two bodies
counting           counts of the same notion over different sets; years in post counted
                   differently for the same words (per instrument and across)
inputs             enum values, roles and region kinds no rule reads or no conclusion reaches
timing             the same consequence in different years; consequences outside the time
                   in post
=================  =====================================================================
"""

from __future__ import annotations

from .circularity import check_circularity
from .context import Context, context_from, default_context
from .counting import check_counting, check_counting_across
from .crosswalk import check_crosswalk
from .delegation import check_delegation
from .deontic import check_deontic_conflicts, check_no_lawful_outcome
from .inputs import check_inputs
from .issues import KINDS, SEVERITIES, localized, sort_issues
from .reachability import check_coverage, check_reachability
from .terms import check_terms, check_terms_across
from .thresholds import check_thresholds
from .timing import check_timing
from .triggers import check_triggers

__all__ = ["run_checks", "summary", "KINDS", "SEVERITIES", "Context", "context_from", "default_context",
           "CHECK_FORMAT", "localized"]

CHECK_FORMAT = "pydesig-check/1"

# Each check with the kinds it can report, so that ``--kind`` runs only the checks it needs.
PER_INSTRUMENT = (
    (check_no_lawful_outcome, {"no-lawful-outcome"}),
    (check_deontic_conflicts, {"deontic-conflict"}),
    (check_thresholds, {"threshold-overlap", "threshold-gap", "threshold-open-bound"}),
    (check_terms, {"term-undefined", "term-inconsistent", "body-undefined", "measure-outside-catalogue"}),
    (check_delegation, {"delegated", "external-reference", "period-not-given"}),
    (check_reachability, {"unreachable"}),
    (check_coverage, {"not-encoded"}),
    (check_circularity, {"circular-rule"}),
    (check_triggers, {"overlapping-triggers"}),
    (check_counting, {"counting-bases"}),
    (check_inputs, {"uncovered-input"}),
    (check_timing, {"timing-differs", "consequence-before-cause"}),
)
ACROSS = (
    (check_terms_across, {"term-inconsistent"}),
    (check_crosswalk, {"crosswalk-incomplete", "measure-only-in-one", "discipline-forms-differ", "period-differs",
                       "modality-differs", "consequence-differs"}),
    (check_counting_across, {"counting-bases"}),
)


def run_checks(ctx: Context | None = None, rulesets: list[str] | None = None, cross: bool = True,
               kinds: set[str] | None = None) -> list[dict]:
    """Every issue the checks find (only those of ``kinds`` when given), ranked: severity, then
    instrument, kind and id — a deterministic order."""
    ctx = ctx or default_context()
    rulesets = rulesets or ctx.rulesets
    issues: list[dict] = []
    for rs in rulesets:
        for check, emits in PER_INSTRUMENT:
            if kinds is None or emits & kinds:
                issues += check(ctx, rs)
    if cross and len(rulesets) >= 2:
        a, b = rulesets[0], rulesets[1]
        for check, emits in ACROSS:
            if kinds is None or emits & kinds:
                issues += check(ctx, a, b)
    if kinds is not None:
        issues = [i for i in issues if i["kind"] in kinds]
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
