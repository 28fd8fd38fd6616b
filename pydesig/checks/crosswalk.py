"""Cross-instrument checks through ``kb/crosswalk.yaml``.

Method.

- *The crosswalk against the encodings.*  Over the space of generated cases (:mod:`.generate`) a
  brave search collects every measure id each instrument's encodings can attach, the provisions
  that attach it and the forms (``measure_form``) they give, and every level a region can be in.
  A measure or level the crosswalk does not map is ``crosswalk-incomplete``; a provision id the
  crosswalk names that ``kb/provisions`` does not know is too.
- *Measures one instrument lacks*: crosswalk ``measures`` entries with a side ``null`` (or a side
  without a measure id), stated with the provisions of the side that has it and the ``closest``
  provisions of the other.
- *Forms of discipline*: the forms each instrument's encodings give ``discipline``, per provision.
- *Periods*: the durations each side's provisions state (…实行N年…, …期限为N年), or the
  interpretation that stands in where the text gives none.
- *Modality*: the ``kb/provisions`` modality of the provisions of each ``rules`` entry.
- *Consequences*: probe cases — a county designated / listed at each tier, with officials of every
  role (one with a tenure just at the 2-year bound), neglect found and the tasks failed in every
  year — are run through ``pydesig compare`` from both sides; every difference of a crosswalk-paired
  measure or state (only in one, other timing, other modality, other form) is reported once per
  measure, kind of difference and roles, with both sides' citations and the probe case.
"""

from __future__ import annotations

import re
from collections import defaultdict

from clingo import ast

from ..model import Fact, Official, Region
from .context import Context
from .generate import Domain, brave, show, space
from .ground import case_yaml, probe_case
from .issues import make_issue

__all__ = ["check_crosswalk", "produced", "probe_cases"]

_PRODUCED = """
_chk_m(M, P) :- measure(_, M, _, P).
_chk_f(M, F, P) :- measure_form(S, M, Y, F), measure(S, M, Y, P).
_chk_l(L) :- status(_, _, L).
#defined measure/4.
#defined measure_form/4.
#defined status/3.
"""


def produced(ctx: Context, ruleset: str, domain: Domain = Domain()) -> dict:
    """What any generated case can get: {"measures": {m: {provisions}}, "forms": {m: {form: {provisions}}},
    "levels": {levels}}."""
    stms: list = []
    ast.parse_string(_PRODUCED, stms.append)  # fixed text: no data is pasted into it
    stms = [s for s in stms if s.ast_type != ast.ASTType.Program]

    def add(builder):
        for s in stms:
            builder.add(s)
        for name, arity in (("_chk_m", 2), ("_chk_f", 3), ("_chk_l", 1)):
            builder.add(show(name, arity))

    ctl = space(ctx, ruleset, domain, add=add)
    atoms = brave(ctl)
    out = {"measures": defaultdict(set), "forms": defaultdict(lambda: defaultdict(set)), "levels": set()}
    for s in atoms:
        if s.name == "_chk_m":
            out["measures"][s.arguments[0].name].add(s.arguments[1].string)
        elif s.name == "_chk_f":
            out["forms"][s.arguments[0].name][s.arguments[1].name].add(s.arguments[2].string)
        elif s.name == "_chk_l":
            out["levels"].add(s.arguments[0].name)
    return out


def _pid(c: dict) -> str:
    pid = f"{c['instrument']}/art_{c['article']}"
    if c.get("paragraph"):
        pid += f"/para_{c['paragraph']}"
    if c.get("item"):
        pid += f"/item_{c['item']}"
    return pid


def _side_pids(ctx: Context, entry: dict, rs: str) -> list[str]:
    side = entry.get(rs) or {}
    return [p for p in side.get("provisions", []) if p in ctx.kb]


def _labels(ctx: Context, pids, lang: str = "en") -> str:
    return ("、" if lang == "zh" else ", ").join(ctx.label(p) for p in pids)


def _short(ctx: Context, rs: str) -> str:
    entry = ctx.kb.vocabulary.get("instruments", {}).get(rs, {})
    return (entry.get("short") or {}).get("zh") or rs


def check_crosswalk(ctx: Context, a: str = "jilin-2019", b: str = "changzhou", probes: bool = True) -> list[dict]:
    if not ctx.crosswalk or a not in ctx.instruments or b not in ctx.instruments:
        return []
    made = {rs: produced(ctx, rs) for rs in (a, b)}
    issues = []
    issues += _validity(ctx, a, b, made)
    issues += _only_in_one(ctx, a, b, made)
    issues += _forms(ctx, a, b, made)
    issues += _periods(ctx, a, b)
    issues += _modality(ctx, a, b)
    if probes and ctx.shipped:
        issues += _consequences(ctx, a, b)
    return issues


# --------------------------------------------------------------------------- the crosswalk itself

def _validity(ctx, a, b, made) -> list[dict]:
    issues = []
    cw = ctx.crosswalk
    unknown = []
    for section in ("roles", "tiers", "measures", "bodies", "periods", "rules"):
        for entry in cw.get(section, []) or []:
            for rs in (a, b):
                for p in (entry.get(rs) or {}).get("provisions", []):
                    if p not in ctx.kb:
                        unknown.append((section, entry.get("id"), p))
            for p in entry.get("closest", []) or []:
                if p not in ctx.kb:
                    unknown.append((section, entry.get("id"), p))
    for section, eid, p in unknown:
        issues.append(make_issue(ctx, f"cross/crosswalk-incomplete/unknown/{p}", "crosswalk-incomplete", "warning",
                                 f"kb/crosswalk.yaml {section} entry {eid!r} names {p!r}, which kb/provisions "
                                 f"does not contain.", [],
                                 message_zh=f"kb/crosswalk.yaml 的 {section} 条目 {eid!r} 引用了 {p!r}，"
                                            f"而 kb/provisions 中没有这一规定。"))
    for rs in (a, b):
        mapped = set()
        for e in cw.get("measures", []):
            side = e.get(rs) or {}
            if side.get("measure"):
                mapped.add(side["measure"])
        levels = {(t.get(rs) or {}).get("level") for t in cw.get("tiers", [])}
        for m, pids in sorted(made[rs]["measures"].items()):
            if m not in mapped:
                issues.append(make_issue(
                    ctx, f"cross/crosswalk-incomplete/{rs}/measure/{m}", "crosswalk-incomplete", "warning",
                    f"The {_short(ctx, rs)} encodings attach the measure {m} ({ctx.kb.term('measures', m)}) under "
                    f"{_labels(ctx, sorted(pids))}, but kb/crosswalk.yaml maps no measure of {rs} to it; "
                    f"`pydesig compare` shows it without a counterpart.", sorted(pids),
                    message_zh=f"{_short(ctx, rs)}的编码依{_labels(ctx, sorted(pids), 'zh')}附加措施{m}"
                               f"（{ctx.kb.term('measures', m)}），但 kb/crosswalk.yaml 未将 {rs} 的任何措施与之对应；"
                               f"`pydesig compare` 将其显示为没有对应项。"))
        for level in sorted(made[rs]["levels"] - levels - {"absent"}):
            issues.append(make_issue(
                ctx, f"cross/crosswalk-incomplete/{rs}/level/{level}", "crosswalk-incomplete", "warning",
                f"The {_short(ctx, rs)} encodings put regions in the state {level} "
                f"({ctx.kb.term('levels', level)}), which kb/crosswalk.yaml tiers do not map.", [],
                message_zh=f"{_short(ctx, rs)}的编码使地区处于状态{level}（{ctx.kb.term('levels', level)}），"
                           f"而 kb/crosswalk.yaml 的级别对应中没有它。"))
    return issues


def _only_in_one(ctx, a, b, made) -> list[dict]:
    issues = []
    for e in ctx.crosswalk.get("measures", []):
        sa, sb = e.get(a), e.get(b)
        has_a = bool(sa and (sa.get("measure") or sa.get("duty")))
        has_b = bool(sb and (sb.get("measure") or sb.get("duty")))
        if has_a == has_b:
            continue
        has, lacks = (a, b) if has_a else (b, a)
        side = e[has]
        mid = side.get("measure") or side.get("duty")
        pids = _side_pids(ctx, e, has)
        text_pids = _side_pids(ctx, e, lacks)
        closest = [p for p in (e.get("closest") or []) if p in ctx.kb]
        attached = sorted(made[has]["measures"].get(mid, set())) if side.get("measure") else []
        msg = (f"{_short(ctx, has)} has 「{ctx.kb.term('measures', mid)}」 ({mid}; {_labels(ctx, pids)}); "
               f"{_short(ctx, lacks)} has no counterpart")
        if text_pids:
            msg += (f" — its text says the like in {_labels(ctx, text_pids)}, but no rule attaches it to anyone")
        elif closest:
            msg += f" (nearest: {_labels(ctx, closest)})"
        msg += "."
        zh = f"{_short(ctx, has)}有「{ctx.kb.term('measures', mid)}」（{mid}；{_labels(ctx, pids, 'zh')}）；{_short(ctx, lacks)}没有对应"
        if text_pids:
            zh += f"——其文本在{_labels(ctx, text_pids, 'zh')}中有类似表述，但没有规则将其附加于任何人"
        elif closest:
            zh += f"（最接近的：{_labels(ctx, closest, 'zh')}）"
        zh += "。"
        if side.get("measure") and not attached:
            msg += f" (No generated case gets it under the {_short(ctx, has)} encodings.)"
            zh += f"（在{_short(ctx, has)}的编码下，没有生成的案例得到它。）"
        if e.get("note"):
            msg += f" {e['note']}"
            zh += f" {e['note']}"
        issues.append(make_issue(ctx, f"cross/measure-only-in-one/{mid}", "measure-only-in-one", "warning", msg,
                                 [*pids, *text_pids, *closest], message_zh=zh,
                                 details={"in": has, "measure": mid, "confidence": e.get("confidence")}))
    return issues


def _forms(ctx, a, b, made) -> list[dict]:
    issues = []
    for e in ctx.crosswalk.get("measures", []):
        ma = (e.get(a) or {}).get("measure")
        mb = (e.get(b) or {}).get("measure")
        if not ma or not mb:
            continue
        fa, fb = made[a]["forms"].get(ma, {}), made[b]["forms"].get(mb, {})
        if set(fa) == set(fb):
            continue
        # the provisions that attach the measure and name it (not those it merely hangs on)
        rx = ctx.crosswalk.get("lexicon", {}).get("measure_phrases", {}).get(ma)

        def naming(pids):
            return sorted(p for p in pids if p in ctx.kb and (not rx or re.search(rx, ctx.kb.get(p).zh)))

        pa, pb = naming(made[a]["measures"].get(ma, set())), naming(made[b]["measures"].get(mb, set()))
        fa = {f: set(naming(ps)) or ps for f, ps in fa.items()}
        fb = {f: set(naming(ps)) or ps for f, ps in fb.items()}

        def describe(rs, forms, pids, lang="en"):
            if not forms:
                return (f"{_short(ctx, rs)}（{_labels(ctx, pids, 'zh')}）未规定种类" if lang == "zh" else
                        f"{_short(ctx, rs)} ({_labels(ctx, pids)}) names no form")
            parts = []
            by_pids: dict[tuple, list] = defaultdict(list)
            for f, ps in sorted(forms.items()):
                by_pids[tuple(sorted(ps))].append(f)
            for ps, fs in sorted(by_pids.items()):
                names = "、".join(ctx.kb.term("discipline_forms", f) for f in fs)
                parts.append(f"{names}（{_labels(ctx, ps, 'zh')}）" if lang == "zh" else f"{names} ({_labels(ctx, ps)})")
            return (f"{_short(ctx, rs)}规定" + "；".join(parts)) if lang == "zh" else \
                f"{_short(ctx, rs)} names " + "; ".join(parts)

        msg = (f"The forms of 「{ctx.kb.term('measures', ma)}」 differ: {describe(a, fa, pa)}; "
               f"{describe(b, fb, pb)}.")
        zh = (f"「{ctx.kb.term('measures', ma)}」的种类不同：{describe(a, fa, pa, 'zh')}；"
              f"{describe(b, fb, pb, 'zh')}。")
        issues.append(make_issue(ctx, f"cross/discipline-forms-differ/{ma}", "discipline-forms-differ", "warning",
                                 msg, [*pa, *pb], message_zh=zh, details={a: sorted(fa), b: sorted(fb)}))
    return issues


_DURATION = re.compile(r"([^，,。；;]*?)(?:实行|期限为|为期)\s*([0-9０-９一二两三四五六七八九十]+)\s*年")


def _periods(ctx, a, b) -> list[dict]:
    issues = []
    for e in ctx.crosswalk.get("periods", []):
        stated = {}
        for rs in (a, b):
            found = []
            for p in _side_pids(ctx, e, rs):
                for m in _DURATION.finditer(ctx.kb.get(p).zh):
                    found.append(f"{m.group(1).strip()} {m.group(2)}年".strip())
            stated[rs] = found
        if stated[a] == stated[b]:
            continue

        def describe(rs, lang="en"):
            labels = _labels(ctx, _side_pids(ctx, e, rs), lang)
            if stated[rs]:
                return f"{_short(ctx, rs)}{labels}：{'；'.join(stated[rs])}" if lang == "zh" else \
                    f"{_short(ctx, rs)} {labels}: {'; '.join(stated[rs])}"
            interp = (e.get(rs) or {}).get("interpretation")
            text = f"{_short(ctx, rs)}{labels}：未规定" if lang == "zh" else f"{_short(ctx, rs)} {labels}: none given"
            if interp and interp in ctx.kb.interpretations:
                default = ctx.kb.interpretations[interp].default
                text += (f"（编码使用解释{interp}，默认{default}）" if lang == "zh" else
                         f" (the encodings use the interpretation {interp}, default {default})")
            return text

        issues.append(make_issue(ctx, f"cross/period-differs/{e['id']}", "period-differs", "warning",
                                 f"The {e['id'].replace('_', ' ')} differs — {describe(a)}; {describe(b)}.",
                                 [*_side_pids(ctx, e, a), *_side_pids(ctx, e, b)],
                                 message_zh=f"期限（{e['id']}）不同——{describe(a, 'zh')}；{describe(b, 'zh')}。",
                                 details={a: stated[a], b: stated[b]}))
    return issues


def _modality(ctx, a, b) -> list[dict]:
    issues = []
    for e in ctx.crosswalk.get("rules", []):
        mods = {}
        for rs in (a, b):
            mods[rs] = [(p, ctx.kb.get(p).modality) for p in _side_pids(ctx, e, rs)]
        sa = {m for _p, m in mods[a]}
        sb = {m for _p, m in mods[b]}
        if not sa or not sb or sa == sb or {"definitional", "non-operative"} >= sa | sb:
            continue

        def describe(rs):
            return f"{_short(ctx, rs)} " + ", ".join(
                f"{ctx.label(p)} {m} ({ctx.kb.term('modalities', m)})" for p, m in mods[rs])

        msg = f"Corresponding provisions ({e['id'].replace('_', ' ')}) differ in modality: {describe(a)}; {describe(b)}."
        zh = f"相应规定（{e['id']}）的规范性质不同：" + "；".join(
            f"{_short(ctx, rs)}" + "、".join(f"{ctx.label(p)}为{ctx.kb.term('modalities', m)}" for p, m in mods[rs])
            for rs in (a, b)) + "。"
        if e.get("note"):
            msg += f" {e['note']}"
            zh += f" {e['note']}"
        issues.append(make_issue(ctx, f"cross/modality-differs/{e['id']}", "modality-differs", "warning", msg,
                                 [p for rs in (a, b) for p, _m in mods[rs]], message_zh=zh,
                                 details={rs: dict(mods[rs]) for rs in (a, b)}))
    return issues


# --------------------------------------------------------------------------- consequences (probes)

_PROBE_ROLES = (("ps", "party_secretary", -5), ("gh", "government_head", -2), ("dep", "deputy_in_charge", -5),
                ("dir", "commission_director", -5), ("mem", "commission_member", -5),
                ("head", "department_head", -5))


def _officials(start: int) -> list[Official]:
    names = {"ps": "县委书记", "gh": "县长", "dep": "分管副县长", "dir": "县禁毒委主任", "mem": "县禁毒委委员",
             "head": "县教育局局长"}
    return [Official(f"p_{k}", names[k], "R1", role, start + off) for k, role, off in _PROBE_ROLES]


def _tier_trigger(ctx: Context, ruleset: str, level: str):
    """An (indicator, value) that meets only ``level``'s items under the default readings."""
    from .thresholds import conditions

    conds = conditions(ctx, ruleset)
    for c in sorted(conds, key=lambda c: (c.kind != "enum", c.key, c.lo, sorted(c.values))):
        if c.level != level or c.readings or c.key.startswith("consecutive:") or c.subject != "region":
            continue
        value = sorted(c.values)[0] if c.kind == "enum" else c.lo
        if value in ("true", "false"):
            value = value == "true"
        rivals = [d for d in conds if d.key == c.key and d.level and d.level != level and not d.readings
                  and d.accepts(value if not isinstance(value, bool) else str(value).lower())]
        if not rivals:
            return c.key, value
    return None


def probe_cases(ctx: Context, a: str = "jilin-2019", b: str = "changzhou") -> list:
    """The generated cases the consequence check compares (both sides)."""
    start = 2020
    cases = []
    officials = _officials(start)
    neglect = [Fact("official", o.id, y, "neglect", True) for o in officials for y in range(start - 1, start + 2)]
    regions = [Region("C0", "示例市", "city"), Region("R1", "示例县", "county", "C0")]
    for t in ctx.crosswalk.get("tiers", []):
        sa, sb = t.get(a), t.get(b)
        if not sa or not sb:
            continue
        if t.get("direction", "both") in ("both", f"to_{b}"):
            trigger = _tier_trigger(ctx, a, sa["level"])
            if trigger:
                facts = [Fact("region", "R1", start - 1, trigger[0], trigger[1])]
                facts += [Fact("region", "R1", y, "tasks_completed", False) for y in range(start, start + 3)]
                cases.append(probe_case(a, f"探针：{ctx.kb.term('levels', sa['level'])}（{trigger[0]}），任务未完成、"
                                           f"履职不力", facts + neglect, officials, regions=regions))
        if t.get("direction", "both") in ("both", f"to_{a}"):
            for by in ("municipal", "provincial"):
                # the listing alone: the failure paths are probed from the other side, whose lifecycle
                # decisions can be settled
                facts = [Fact("region", "R1", start, "listing", sb["level"]), Fact("region", "R1", start, "listed_by", by)]
                cases.append(probe_case(b, f"探针：{ctx.kb.term('levels', sb['level'])}（listed_by {by}），履职不力",
                                        facts + neglect, officials, regions=regions))
    return cases


def _settle_lifecycle(ctx: Context, case):
    """Fix the region's lifecycle decisions of a probe (extend at each failed assessment, else the first
    lawful option), so that its states are certain and only the officials' discretion stays open."""
    from dataclasses import replace

    from ..bridge import atom_args
    from ..solver import consequences

    for _round in range(4):
        c = consequences(case)
        fixed = {(d.get("region"), d["year"]) for d in case.decisions}
        options: dict[tuple, list] = defaultdict(list)
        for s in c.atoms("decision_option", 4):
            subj, year, decision, _pid = atom_args(s)
            if subj[0] == "region" and (subj[1], year) not in fixed:
                options[(subj[1], year)].append(decision)
        if not options:
            return case
        (region, year), opts = min(options.items())
        choice = "extend" if "extend" in opts else sorted(opts)[0]
        case = replace(case, decisions=[*case.decisions, {"region": region, "year": year, "decision": choice}])
    return case


def _consequences(ctx: Context, a: str, b: str) -> list[dict]:
    from ..compare import compare

    groups: dict[tuple, dict] = {}
    docs = []
    for case in probe_cases(ctx, a, b):
        if case.ruleset == "jilin-2019":
            case = _settle_lifecycle(ctx, case)
        docs.append((case, compare(case, ctx)))
    # duties a probe never shows (they are assessed from activity the probes do not report)
    seen_pairs = {(row.get("pair"), rs) for _c, doc in docs for item in doc["regions"] + doc["officials"]
                  for row in item["rows"] for rs in (a, b) if row.get(rs)}
    null_pairs = {e["id"] for e in ctx.crosswalk.get("measures", [])
                  if not ((e.get(a) or {}).get("measure") or (e.get(a) or {}).get("duty"))
                  or not ((e.get(b) or {}).get("measure") or (e.get(b) or {}).get("duty"))}
    for case, doc in docs:
        items = [("region", r, r["region"]) for r in doc["regions"]] + [("official", o, o["role"]) for o in doc["officials"]]
        for kind, item, who in items:
            for row in item["rows"]:
                if not row["differences"] or row.get("pair") in null_pairs or (row["topic"] == "measure" and not row.get("pair")):
                    continue
                if row["topic"] == "measure" and not all((row["pair"], rs) in seen_pairs for rs in (a, b)):
                    continue
                topic = "status" if row["topic"] == "status" else row["pair"]
                for diff in row["differences"]:
                    key = (topic, diff)
                    g = groups.setdefault(key, {"who": set(), "examples": [], "pids": set(), "cases": []})
                    g["who"].add(who if kind == "official" else "region")
                    for rs in (a, b):
                        cell = row.get(rs)
                        if cell:
                            g["pids"] |= {_pid(c) for c in cell["basis"]}
                        else:  # the side that gives nothing: the provisions the crosswalk pairs it with
                            g["pids"] |= set(_paired_provisions(ctx, topic, rs))
                    if len(g["examples"]) < 2 and case.title not in [c.title for c in g["cases"]]:
                        g["examples"].append((case, kind, item, row))
                        g["cases"].append(case)
    issues = []
    for (topic, diff), g in sorted(groups.items()):
        case, kind, item, row = g["examples"][0]
        who = ", ".join(ctx.kb.term("roles", w) if w != "region" else "the area" for w in sorted(g["who"]))
        what = "the rectification state" if topic == "status" else f"「{_pair_name(ctx, topic, a, b)}」"
        sentence = {
            f"only_in_{a}": f"only {_short(ctx, a)} gives {what}",
            f"only_in_{b}": f"only {_short(ctx, b)} gives {what}",
            "other_timing": f"{what} falls in different years",
            "other_modality": f"{what} is obligatory under one and discretionary under the other",
            "other_form": f"{what} takes different forms",
            "other_level": f"{what} is at non-corresponding levels",
        }[diff]
        msg = (f"The same situation has different consequences: {sentence} (for {who}). "
               f"E.g. in the probe case 「{case.title}」 ({case.ruleset}), "
               f"{_subject(kind, item)}{_row_year(row)}: {_cell_text(ctx, a, row.get(a))}; {_cell_text(ctx, b, row.get(b))}.")
        readings = [f"{rs} {', '.join(row[rs]['interpretations'])}" for rs in (a, b)
                    if row.get(rs) and row[rs].get("interpretations")]
        who_zh = "、".join(ctx.kb.term("roles", w) if w != "region" else "该地区" for w in sorted(g["who"]))
        what_zh = "整治状态" if topic == "status" else f"「{_pair_name(ctx, topic, a, b)}」"
        sentence_zh = {
            f"only_in_{a}": f"只有{_short(ctx, a)}给出{what_zh}",
            f"only_in_{b}": f"只有{_short(ctx, b)}给出{what_zh}",
            "other_timing": f"{what_zh}落在不同年份",
            "other_modality": f"{what_zh}在一部文件下是应当、在另一部下是可以",
            "other_form": f"{what_zh}的种类不同",
            "other_level": f"{what_zh}的级别不相对应",
        }[diff]
        zh = (f"同一情形后果不同：{sentence_zh}（对{who_zh}）。例如在探针案例「{case.title}」（{case.ruleset}）中，"
              f"{_subject(kind, item, 'zh')}{_row_year(row, 'zh')}：{_cell_text(ctx, a, row.get(a), 'zh')}；"
              f"{_cell_text(ctx, b, row.get(b), 'zh')}。")
        if readings:
            msg += f" Readings involved: {'; '.join(readings)}."
            zh += f"涉及的解释：{'；'.join(readings)}。"
        slug = "+".join(sorted(g["who"]))
        issues.append(make_issue(ctx, f"cross/consequence-differs/{topic}/{diff}/{slug}", "consequence-differs",
                                 "warning", msg, sorted(p for p in g["pids"] if p in ctx.kb), message_zh=zh,
                                 counterexample=case_yaml(case), details={"topic": topic, "difference": diff,
                                                                          "subjects": sorted(g["who"])}))
    return issues


def _paired_provisions(ctx: Context, topic: str, rs: str) -> list[str]:
    if topic == "status":
        return [p for t in ctx.crosswalk.get("tiers", []) if t.get(rs) for p in t[rs].get("provisions", [])
                if p in ctx.kb and ctx.kb.get(p).modality != "definitional"][:2]
    for e in ctx.crosswalk.get("measures", []):
        if e["id"] == topic and e.get(rs):
            return [p for p in e[rs].get("provisions", []) if p in ctx.kb]
    return []


def _pair_name(ctx: Context, pair: str, a: str, b: str) -> str:
    for e in ctx.crosswalk.get("measures", []):
        if e["id"] == pair:
            m = (e.get(a) or {}).get("measure") or (e.get(b) or {}).get("measure") or pair
            return ctx.kb.term("measures", m)
    return pair


def _subject(kind: str, item: dict, lang: str = "en") -> str:
    if kind == "region":
        return f"地区{item['region']}" if lang == "zh" else f"region {item['region']}"
    return f"{item['name']} ({item['role']})"


def _row_year(row: dict, lang: str = "en") -> str:
    if not row.get("year"):
        return ""
    return f"{row['year']}年" if lang == "zh" else f" in {row['year']}"


def _cell_text(ctx: Context, rs: str, cell: dict | None, lang: str = "en") -> str:
    name = _short(ctx, rs)
    if not cell:
        return f"{name}——无" if lang == "zh" else f"{name} — nothing"
    if "level" in cell:
        text = f"{name} — {ctx.kb.term('levels', cell['level'])}"
    else:
        years = ", ".join(str(y) for y in cell["years"])
        modality = cell.get("modality", "")
        if lang == "zh" and modality:
            modality = ctx.kb.term("modalities", modality)
        text = f"{name} — {years} {modality}"
        if cell.get("forms"):
            text += " (" + "、".join(ctx.kb.term("discipline_forms", f) for f in cell["forms"]) + ")"
    labels = sorted({c["label"] for c in cell["basis"]}, key=lambda s: s)
    return text + f" [{', '.join(labels)}]"
