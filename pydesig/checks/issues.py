"""The issue record every check returns, and its deterministic order.

An issue is the contract's ``{"id", "kind", "severity", "message", "citations"}``; a check may add
``counterexample`` (a runnable case file, YAML in the contract's case format), ``under`` (the
interpretations it holds under) and ``details`` (structured data behind the message).
"""

from __future__ import annotations

from .context import Context

__all__ = ["SEVERITIES", "KINDS", "make_issue", "sort_issues", "citation_key"]

SEVERITIES = ("error", "warning", "info")

# Every kind a check emits, in report order, with a one-line description (docs/checks.md).
KINDS = {
    "no-lawful-outcome": "the rules leave no lawful outcome for some case",
    "deontic-conflict": "an action both required and forbidden in some lawful outcome",
    "threshold-overlap": "a value meets the items of two tiers",
    "threshold-gap": "a value between or above the tiers' items meets none",
    "threshold-open-bound": "the text leaves open whether a bound value is in or out",
    "term-undefined": "a title used in provisions but defined in none",
    "term-inconsistent": "a title defined differently (in two provisions or in the two instruments)",
    "body-undefined": "a body that provisions rely on but the instrument never sets up",
    "measure-outside-catalogue": "a sanction the instrument's own list of forms does not contain",
    "delegated": "criteria or measures left to another instrument (另行制定, 参照本细则制定执行)",
    "external-reference": "consequences left to unnamed other rules (依照有关规定)",
    "period-not-given": "a period the text relies on but never states",
    "unreachable": "encoded rules no possible case fires",
    "not-encoded": "an operative provision no rule encodes and kb/coverage.yaml does not excuse",
    "crosswalk-incomplete": "a measure or level the encodings produce that kb/crosswalk.yaml does not map",
    "measure-only-in-one": "a measure one instrument has and the other lacks",
    "discipline-forms-differ": "the instruments name different forms of discipline",
    "period-differs": "corresponding periods of different length (or given in one only)",
    "modality-differs": "corresponding provisions with different modality",
    "consequence-differs": "the same situation gives different consequences under the two instruments",
}

_SCOPE_ORDER = {"jilin-2019": 0, "changzhou": 1, "cross": 9}


def citation_key(ctx: Context, pid: str):
    p = ctx.kb.get(pid)
    order = ctx.rulesets.index(p.instrument) if p.instrument in ctx.rulesets else 99
    return (order, p.article, p.paragraph or 0, p.item or 0)


def make_issue(ctx: Context, ident: str, kind: str, severity: str, message: str, provisions, **extra) -> dict:
    """One issue; ``provisions`` are provision ids, turned into citation objects in text order."""
    assert severity in SEVERITIES and kind in KINDS, (severity, kind)
    pids = sorted({ctx.kb.canonical(p) for p in provisions if p in ctx.kb}, key=lambda p: citation_key(ctx, p))
    doc = {"id": ident, "kind": kind, "severity": severity, "message": message,
           "citations": [ctx.citation(p) for p in pids]}
    for key, value in extra.items():
        if value not in (None, {}, [], ""):
            doc[key] = value
    return doc


def sort_issues(issues: list[dict], rulesets: list[str]) -> list[dict]:
    kinds = list(KINDS)

    def key(i):
        scope = i["id"].split("/", 1)[0]
        order = rulesets.index(scope) if scope in rulesets else _SCOPE_ORDER.get(scope, 50)
        return (order, SEVERITIES.index(i["severity"]), kinds.index(i["kind"]), _natural(i["id"]))

    seen, out = set(), []
    for i in sorted(issues, key=key):
        if i["id"] in seen:
            continue
        seen.add(i["id"])
        out.append(i)
    return out


def _natural(text: str):
    """Sort ids with numbers in numeric order (art_9 before art_10)."""
    import re

    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", text)]
