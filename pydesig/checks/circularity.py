"""Circularity: a consequence of one provision is a criterion of another.

Method.  ``kb/feedback.yaml`` maps each indicator that *counts* an act the rules themselves attach
(a measure id, optionally only when taken by certain bodies, and for an enum indicator the value the
act leads to).  For each entry:

1. the *consumers* are the threshold conditions (:func:`.thresholds.conditions`) that read the
   indicator, the *producers* the rules whose head attaches the counted measure (clingo AST);
2. a probe case makes the region meet the consumer's own criterion in a first year (so that the
   rules run: designation, terms, assessments failing every year so that every lifecycle decision
   is open), and the brave consequences give the years in which the counted measure is taken by
   the named body;
3. the measure is then counted in the indicator for that year — for a count, as many as the rules
   took, topped up to the consumer's threshold when they took fewer (the message says how many
   more) — and the case is solved again: if the consumer's criterion now holds in that year, the
   loop closes.  The issue names both ends (every provision involved), the years it runs through,
   and carries the second case as a runnable counterexample.
"""

from __future__ import annotations

from ..model import Fact, Region
from . import astutil as A
from .context import Context
from .ground import case_yaml, consequences_for, probe_case
from .issues import make_issue

__all__ = ["check_circularity", "producers_of"]

START = 2020
HORIZON = 6  # years of failed assessments after the first finding: every lifecycle path stays open


def _pkey(pid: str):
    import re

    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pid)]


def readers_of(ctx: Context, ruleset: str, indicator: str, value=None) -> list[str]:
    """Provisions of the rules whose body reads ``fact(_, _, indicator, V)`` (clingo AST), V a variable
    or, when ``value`` is given, that value."""
    found = set()
    for site in ctx.instruments[ruleset].sites:
        for atom in A.positive_atoms(site.statement):
            name, args = A.name_args(atom)
            if name == "fact" and len(args) == 4 and A.constant(args[2]) == indicator:
                const = A.constant(args[3])
                if value is None or const is None or const == value:
                    found.update(p for p in site.provisions if p in ctx.kb)
    return sorted(found, key=_pkey)


def _threshold(ctx: Context, ruleset: str, indicator: str) -> int:
    """The smallest count that meets a default-reading condition on ``indicator`` (1 if none)."""
    from .thresholds import conditions

    defaults = set(ctx.default_interpretations(ruleset).items())
    los = [c.lo for c in conditions(ctx, ruleset)
           if c.key == indicator and c.kind == "int" and c.readings <= defaults and c.lo > 0]
    return min(los, default=1)


def _probe(ruleset: str, kind: str, facts: list[Fact], title: str):
    """A city (and, for a county, a county under it) with ``facts`` on the target region."""
    if kind == "county":
        regions = [Region("C0", "示例市", "city"), Region("R1", "示例县", "county", "C0")]
        target = "R1"
    else:
        regions = [Region("C0", "示例市", "city")]
        target = "C0"
    facts = [Fact("region", target, f.year, f.indicator, f.value) for f in facts]
    return probe_case(ruleset, title, facts, regions=regions), target


def _taken(atoms, target: str, measure: str, bodies) -> dict[int, list[str]]:
    """Year → the provisions under which ``measure`` is taken on region ``target`` (by one of ``bodies``)."""
    by: dict[int, set] = {}
    for s in atoms:
        if s.name == "measure_by" and len(s.arguments) == 4 and s.arguments[1].name == measure:
            subj = s.arguments[0]
            if subj.name == "region" and subj.arguments[0].string == target:
                by.setdefault(s.arguments[2].number, set()).add(s.arguments[3].name)
    years: dict[int, list[str]] = {}
    for s in atoms:
        if s.name == "measure" and len(s.arguments) == 4 and s.arguments[1].name == measure:
            subj = s.arguments[0]
            if subj.name != "region" or subj.arguments[0].string != target:
                continue
            y = s.arguments[2].number
            if bodies and not (by.get(y, set()) & set(bodies)):
                continue
            years.setdefault(y, []).append(s.arguments[3].string)
    return years


def _conclusions(atoms, year: int) -> set:
    """Grounds, findings, state changes and measures of ``year`` and later, as (name, args) text."""
    return {str(s) for s in atoms if s.name in ("ground", "finding", "status_event", "measure")
            and len(s.arguments) >= 3 and s.arguments[1 if s.name != "measure" else 2].number >= year}


def check_circularity(ctx: Context, ruleset: str) -> list[dict]:
    if not ctx.shipped and not ctx.feedback:
        return []
    issues = []
    for entry in ctx.feedback:
        if entry.get("ruleset") != ruleset or entry.get("indicator") not in ctx.indicators:
            continue
        issues += _loop(ctx, ruleset, entry)
    return issues


def _loop(ctx: Context, ruleset: str, entry: dict) -> list[dict]:
    from .crosswalk import _tier_trigger

    indicator, measure = entry["indicator"], entry["counts"]
    ind = ctx.indicators[indicator]
    readers = readers_of(ctx, ruleset, indicator, entry.get("value"))
    levels = sorted((k for k, v in ctx.kb.vocabulary.get("levels", {}).items() if v.get("instrument") == ruleset),
                    key=lambda k: -ctx.kb.vocabulary["levels"][k].get("rank", 0))
    trigger = next((t for t in (_tier_trigger(ctx, ruleset, lvl) for lvl in levels) if t), None)
    if not readers or trigger is None:
        return []
    issues = []
    for kind in entry.get("subject_kinds") or ["county"]:
        base = [Fact("region", "", START, trigger[0], trigger[1])]
        if "tasks_completed" in ctx.indicators_for(ruleset):
            base += [Fact("region", "", y, "tasks_completed", False) for y in range(START + 1, START + HORIZON + 1)]
        case, target = _probe(ruleset, kind, base, f"探针：{ind.label.get('zh', indicator)}（{kind}）")
        found = consequences_for(ctx, case)
        if found is None:
            continue
        taken = _taken(found[0], target, measure, entry.get("by"))
        later = sorted(y for y in taken if y >= START)
        if not later:
            continue
        year = later[0]
        if ind.type == "int":
            counted, needed = 1, _threshold(ctx, ruleset, indicator)
            value = max(counted, needed)
        else:
            counted, needed, value = 1, 1, entry.get("value")
        looped = [*base, Fact("region", "", year, indicator, value)]
        case2, _ = _probe(ruleset, kind, looped, f"循环探针：{ind.label.get('zh', indicator)}计入{year}年的措施")
        found2 = consequences_for(ctx, case2)
        if found2 is None:
            continue
        new = sorted(_conclusions(found2[0], year) - _conclusions(found[0], year))
        if not new:
            continue
        issues.append(_issue(ctx, ruleset, entry, kind, trigger, sorted(set(taken[year]), key=_pkey), readers,
                             year, counted, needed, new, found2[0], case2))
    return issues


_KINDS = {"city": ("市（州）", "city (prefecture)"), "county": ("县级地区", "county-level area"),
          "township": ("乡镇（街道）", "township")}


def _value(kb, value, lang: str) -> str:
    """An indicator value in words: an enum by its vocabulary name, a count as a number."""
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, str):
        for section in ("levels", "monitoring", "values"):
            entry = kb.vocabulary.get(section, {}).get(value)
            if entry:
                return entry[lang]
    return str(value)


def _new_parts(new: list[str], atoms) -> dict:
    """The new conclusions, parsed: grounds (region, year, level, provision), measures, state changes."""
    wanted = set(new)
    out = {"grounds": [], "measures": [], "events": []}
    for s in sorted(atoms):
        if str(s) not in wanted:
            continue
        a = s.arguments
        if s.name == "ground":
            out["grounds"].append((a[0].string, a[1].number, a[2].name, a[3].string))
        elif s.name == "measure":
            subj = a[0].arguments[0].string
            out["measures"].append((subj, a[1].name, a[2].number, a[3].string))
        elif s.name == "status_event":
            out["events"].append((a[0].string, a[1].number, a[2].name, a[3].name))
    return out


def _issue(ctx, ruleset, entry, kind, trigger, producers, readers, year, counted, needed, new, atoms, case) -> dict:
    indicator, measure = entry["indicator"], entry["counts"]
    ind, kb = ctx.indicators[indicator], ctx.kb
    parts = _new_parts(new, atoms)
    reached = sorted({g[3] for g in parts["grounds"]} | {m[3] for m in parts["measures"] if m[3] in readers},
                     key=_pkey) or [p for p in readers if any(m[3] == p for m in parts["measures"])]
    reached = reached or sorted({m[3] for m in parts["measures"]}, key=_pkey)[:3]
    closes = any(g[3] in readers for g in parts["grounds"])

    def labels(pids, lang):
        return ("、" if lang == "zh" else ", ").join(kb.get(p).label if lang == "zh" else kb.get(p).label_en
                                                     for p in pids if p in kb)

    def term(section, key, lang):
        return kb.term(section, key, lang)

    def effects(lang):
        out = []
        for r, y, lvl, p in parts["grounds"][:3]:
            out.append(f"{r}于{y}年满足{kb.get(p).label}（{term('levels', lvl, 'zh')}）" if lang == "zh" else
                       f"{r} meets {kb.get(p).label_en} ({term('levels', lvl, 'en')}) in {y}")
        for subj, m, y, p in parts["measures"][:3]:
            if p in reached:
                out.append(f"{subj}于{y}年依{kb.get(p).label}受到{term('measures', m, 'zh')}" if lang == "zh" else
                           f"{subj} is subject to {term('measures', m, 'en')} under {kb.get(p).label_en} in {y}")
        return ("；" if lang == "zh" else "; ").join(out)

    ind_zh, ind_en = ind.label.get("zh", indicator), ind.label.get("en", indicator)
    m_zh, m_en = term("measures", measure, "zh"), term("measures", measure, "en")
    kind_zh, kind_en = _KINDS[kind]
    cause = ctx.indicators.get(trigger[0])
    cause_zh = f"{cause.label.get('zh', trigger[0]) if cause else trigger[0]}（{_value(kb, trigger[1], 'zh')}）"
    cause_en = f"{cause.label.get('en', trigger[0]) if cause else trigger[0]} ({_value(kb, trigger[1], 'en')})"
    if ind.type == "int" and needed > counted:
        share_zh = f"计入{ind_zh}即为所需{needed}次中的{counted}次，再有{needed - counted}次"
        share_en = f"counted in {ind_en} it is {counted} of the {needed} needed; with {needed - counted} more"
    elif ind.type == "int":
        share_zh, share_en = f"计入{ind_zh}即达到所需的{needed}次", f"counted in {ind_en} it alone reaches the {needed} needed"
    else:
        value = entry.get("value")
        share_zh = f"{ind_zh}随之为「{term('levels', value, 'zh')}」"
        share_en = f"{ind_en} then becomes {term('levels', value, 'en')}"
    verdict_zh = "循环闭合：规则的结论回到其自身的评定标准" if closes else "规则的结论成为其他规定的输入"
    verdict_en = "the loop closes: the rules' consequence meets their own criteria again" if closes else \
        "the rules' consequence becomes the input of another provision"
    zh = (f"{verdict_zh}。{ind_zh}（{labels(readers, 'zh')}的标准，「{entry.get('words', '')}」）计算的正是"
          f"{labels(producers, 'zh')}所附的{m_zh}。一个{kind_zh}于{START}年因{cause_zh}被评定后，{year}年依"
          f"{labels(producers, 'zh')}受到{m_zh}；{share_zh}，则{effects('zh')}。分析人员须确定该措施是否计入该指标。")
    en = (f"{verdict_en[0].upper()}{verdict_en[1:]}. {ind_en} (the criterion of {labels(readers, 'en')}, "
          f"「{entry.get('words', '')}」) counts exactly the {m_en} that {labels(producers, 'en')} attaches. A {kind_en} "
          f"designated on its {cause_en} in {START} is subject to {m_en} under {labels(producers, 'en')} in {year}; "
          f"{share_en}, {effects('en')}. An analyst must decide whether the act counts towards the indicator.")
    ident = f"{ruleset}/circular-rule/{indicator}/{measure}/{kind}"
    return make_issue(ctx, ident, "circular-rule", "warning", en, [*producers, *reached, *entry.get("provisions", [])],
                      message_zh=zh, counterexample=case_yaml(case),
                      details={"indicator": indicator, "measure": measure, "bodies": entry.get("by", []),
                               "subject_kind": kind, "trigger": [trigger[0], trigger[1], START],
                               "measure_year": year, "counted": counted, "needed": needed, "closes": closes,
                               "reached": reached, "note": entry.get("note", "").strip()})
