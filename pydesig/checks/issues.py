"""The issue record every check returns, and its deterministic order.

An issue is the contract's ``{"id", "kind", "severity", "message", "citations"}``; a check may add
``counterexample`` (a runnable case file, YAML in the contract's case format), ``under`` (the
interpretations it holds under) and ``details`` (structured data behind the message).
"""

from __future__ import annotations

from .context import Context

__all__ = ["SEVERITIES", "KINDS", "KINDS_ZH", "make_issue", "sort_issues", "citation_key", "localized"]

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
    "circular-rule": "a consequence of one provision is a criterion of another (the rules feed their own input)",
    "overlapping-triggers": "the same facts trigger one measure under two provisions or by two bodies",
    "counting-bases": "provisions count the same notion over different sets or in different ways",
    "uncovered-input": "an input value no rule reads, or that reaches no conclusion",
    "timing-differs": "provisions put the same consequence in different years",
    "consequence-before-cause": "a consequence in a year before its cause, or outside the person's time in post",
}

# The same, in Chinese (``check --lang zh``).
KINDS_ZH = {
    "no-lawful-outcome": "某些案例没有合法结果",
    "deontic-conflict": "同一行为既被要求又被禁止",
    "threshold-overlap": "同一数值同时满足两个级别的标准",
    "threshold-gap": "数值落在各级标准之间或之上而不满足任何一级",
    "threshold-open-bound": "文本未明确边界值是否包含在内",
    "term-undefined": "称谓被使用但未被界定",
    "term-inconsistent": "称谓的界定不一致（文件内部或两部文件之间）",
    "body-undefined": "规定所依赖的机构未被设立",
    "measure-outside-catalogue": "处理方式不在文件自身所列的追责方式之内",
    "delegated": "标准或措施交由其他文件规定（另行制定、参照本细则制定执行）",
    "external-reference": "后果交由未指明的其他规定（依照有关规定）",
    "period-not-given": "文本依赖某一期限但未规定其长度",
    "unreachable": "没有任何案例能触发的规则",
    "not-encoded": "有效力的规定未被编码，且 kb/coverage.yaml 未说明理由",
    "crosswalk-incomplete": "编码产生的措施或级别未在 kb/crosswalk.yaml 中对应",
    "measure-only-in-one": "一部文件有而另一部没有的措施",
    "discipline-forms-differ": "两部文件规定的处分种类不同",
    "period-differs": "相应期限长度不同（或只有一方规定）",
    "modality-differs": "相应规定的规范性质不同",
    "consequence-differs": "同一情形在两部文件下后果不同",
    "circular-rule": "一条规定的后果是另一条规定的标准（规则产生自身的输入）",
    "overlapping-triggers": "同一事实依两条规定或由两个机关引起同一措施",
    "counting-bases": "各规定以不同的范围或方法计数同一对象",
    "uncovered-input": "没有规则读取、或不通向任何结论的输入值",
    "timing-differs": "各规定将同一后果置于不同年份",
    "consequence-before-cause": "后果先于其原因，或落在任职期间以外",
}

_SCOPE_ORDER = {"jilin-2019": 0, "changzhou": 1, "cross": 9}


def citation_key(ctx: Context, pid: str):
    p = ctx.kb.get(pid)
    order = ctx.rulesets.index(p.instrument) if p.instrument in ctx.rulesets else 99
    return (order, p.article, p.paragraph or 0, p.item or 0)


def make_issue(ctx: Context, ident: str, kind: str, severity: str, message: str, provisions, **extra) -> dict:
    """One issue; ``provisions`` are provision ids, turned into citation objects in text order.
    ``message`` is English; ``message_zh`` (an extra) the same in Chinese — :func:`localized` keeps one."""
    assert severity in SEVERITIES and kind in KINDS, (severity, kind)
    pids = sorted({ctx.kb.canonical(p) for p in provisions if p in ctx.kb}, key=lambda p: citation_key(ctx, p))
    doc = {"id": ident, "kind": kind, "severity": severity, "message": message,
           "citations": [ctx.citation(p) for p in pids]}
    for key, value in extra.items():
        if value not in (None, {}, [], ""):
            doc[key] = value
    return doc


def localized(issues: list[dict], lang: str = "zh") -> list[dict]:
    """The issues with ``message`` in ``lang`` (``message_zh`` folded in): the contract's shape."""
    out = []
    for i in issues:
        doc = {k: v for k, v in i.items() if k != "message_zh"}
        if lang == "zh" and i.get("message_zh"):
            doc["message"] = i["message_zh"]
        out.append(doc)
    return out


def sort_issues(issues: list[dict], rulesets: list[str]) -> list[dict]:
    """Ranked by severity (errors first), then instrument (cross last), kind and id."""
    kinds = list(KINDS)

    def key(i):
        scope = i["id"].split("/", 1)[0]
        order = rulesets.index(scope) if scope in rulesets else _SCOPE_ORDER.get(scope, 50)
        return (SEVERITIES.index(i["severity"]), order, kinds.index(i["kind"]), _natural(i["id"]))

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
