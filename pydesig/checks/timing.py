"""Timing: provisions that put the same consequence in different years, or a consequence before its cause.

Method.

*Different years* (probe cases).  The consequence probes of :func:`.crosswalk.probe_cases` (an
area designated or listed at each tier, assessments failing, neglect found, officials of every
role) are solved under their own instrument.  For each subject and measure, the years each
*imposing* provision (:func:`.triggers.imposing`: its text names the measure) attaches it are
compared; two provisions that attach the same measure to the same subject for the same facts
from different first years are reported, with the years and the probe as the counterexample.

*Before the cause* (over the space of generated cases, :mod:`.generate`).  Marker rules derive
``_chk_before_post(M, P)`` when a measure under P reaches an official for a year before the year
they took up the post (``official/4``'s since), and ``_chk_after_post(M, P)`` for a year after they
left (``until``) — a sanction for a time the person did not serve, which the text may or may not
intend (终身追责).  The brave consequences are the provisions some case does this under; a
shrunk witness case (:mod:`.witness`) is the counterexample.
"""

from __future__ import annotations

from clingo import ast

from .context import Context
from .generate import Domain, brave, show, space
from .ground import case_yaml, consequences_for
from .issues import make_issue
from .triggers import imposing
from .witness import witness_case

__all__ = ["check_timing"]

_MARKERS = """
_chk_before_post(M, P) :- measure(official(O), M, Y, P), official(O, _, _, S), Y < S.
_chk_after_post(M, P) :- measure(official(O), M, Y, P), official_until(O, U), Y > U.
#defined measure/4.
#defined official_until/2.
"""


def check_timing(ctx: Context, ruleset: str, domain: Domain = Domain()) -> list[dict]:
    return _outside_post(ctx, ruleset, domain) + (_different_years(ctx, ruleset) if ctx.shipped else [])


def _outside_post(ctx: Context, ruleset: str, domain: Domain) -> list[dict]:
    stms: list = []
    ast.parse_string(_MARKERS, stms.append)  # fixed text: no data is pasted into it
    stms = [s for s in stms if s.ast_type != ast.ASTType.Program]

    def add(builder):
        for s in stms:
            builder.add(s)
        builder.add(show("_chk_before_post", 2))
        builder.add(show("_chk_after_post", 2))

    ctl = space(ctx, ruleset, domain, add=add)
    found = brave(ctl)
    imposes = imposing(ctx, ruleset)
    groups: dict[tuple, list] = {}
    for s in found:
        measure, pid = s.arguments[0].name, s.arguments[1].string
        if pid not in imposes.get(measure, {}):
            continue  # a supporting citation of the measure (its form, the title's definition)
        groups.setdefault((s.name, pid), []).append((measure, s))
    issues = []
    for (name, pid), entries in sorted(groups.items()):
        case = witness_case(ctx, ruleset, ctl, entries[0][1], stms, domain, title="任职期间以外的措施")
        issues.append(_post_issue(ctx, ruleset, name, pid, sorted({m for m, _ in entries}), case))
    return issues


def _post_issue(ctx, ruleset, name, pid, measures, case) -> dict:
    kb = ctx.kb
    p = kb.get(pid)
    m_zh = "、".join(kb.term("measures", m) for m in measures)
    m_en = ", ".join(kb.term("measures", m, "en") for m in measures)
    before = name == "_chk_before_post"
    if before:
        zh = (f"{p.label}的{m_zh}会落在责任人到任之前的年份：措施先于其任职（原因）发生。文本以任职为追责前提，"
              f"此处的年份计算须核对。")
        en = (f"{p.label_en} can place {m_en} on an official in a year before they took up the post: the consequence "
              f"comes before its cause, though the text holds persons to account for their time in post.")
        kind, severity, what = "consequence-before-cause", "warning", "before-post"
    else:
        zh = (f"{p.label}的{m_zh}会落在责任人离任之后的年份：文本未说明离任者是否仍应承担（终身追责与否），"
              f"分析人员须确认。")
        en = (f"{p.label_en} can place {m_en} on an official in a year after they left the post: the text does not say "
              f"whether one who has left is still held to account; an analyst must decide.")
        kind, severity, what = "consequence-before-cause", "info", "after-post"
    under = dict(sorted(case.interpretations.items())) if case is not None and case.interpretations else None
    return make_issue(ctx, f"{ruleset}/{kind}/{what}/{pid.split('/', 1)[1]}", kind, severity, en, [pid],
                      message_zh=zh, counterexample=case_yaml(case) if case is not None else None, under=under,
                      details={"measures": measures, "when": what})


def _different_years(ctx: Context, ruleset: str) -> list[dict]:
    from .crosswalk import probe_cases

    imposes = imposing(ctx, ruleset)
    seen: dict[tuple, dict] = {}
    for case in probe_cases(ctx):
        if case.ruleset != ruleset:
            continue
        found = consequences_for(ctx, case)
        if found is None:
            continue
        years: dict[tuple, dict[str, set]] = {}
        for s in found[0]:
            if s.name != "measure" or len(s.arguments) != 4:
                continue
            subject, measure, year, pid = str(s.arguments[0]), s.arguments[1].name, s.arguments[2].number, \
                s.arguments[3].string
            unit = imposes.get(measure, {}).get(pid)
            if unit is None:
                continue
            years.setdefault((subject, measure), {}).setdefault(unit, set()).add(year)
        for (subject, measure), by_unit in sorted(years.items()):
            units = sorted(by_unit)
            for i, u1 in enumerate(units):
                for u2 in units[i + 1:]:
                    if min(by_unit[u1]) == min(by_unit[u2]):
                        continue
                    key = (measure, u1, u2)
                    if key not in seen:
                        seen[key] = {"years": (sorted(by_unit[u1]), sorted(by_unit[u2])), "case": case,
                                     "subject": subject}
    return [_years_issue(ctx, ruleset, m, u1, u2, e) for (m, u1, u2), e in sorted(seen.items())]


def _years_issue(ctx, ruleset, measure, u1, u2, entry) -> dict:
    kb = ctx.kb
    a, b = kb.get(u1), kb.get(u2)
    ya, yb = entry["years"]
    case = entry["case"]
    start = min(f.year for f in case.facts) if case.facts else 0

    def span(ys):
        return "、".join(str(y) for y in ys)

    zh = (f"同一事实下，{a.label}在{span(ya)}年、{b.label}在{span(yb)}年对同一对象适用{kb.term('measures', measure)}"
          f"（事实始于{start}年，见所附案例）：两条规定对同一后果的时间点不一致，起算年份须由分析人员确定。")
    en = (f"For the same facts, {a.label_en} attaches {kb.term('measures', measure, 'en')} in {span(ya)} and "
          f"{b.label_en} in {span(yb)} to the same subject (facts from {start}; see the attached case): the two "
          f"provisions put the same consequence in different years.")
    return make_issue(ctx, f"{ruleset}/timing-differs/{measure}/{u1.split('/', 1)[1]}+{u2.split('/', 1)[1]}",
                      "timing-differs", "warning", en, [u1, u2], message_zh=zh, counterexample=case_yaml(case),
                      details={"measure": measure, "years": {u1: ya, u2: yb}, "subject": entry["subject"]})
