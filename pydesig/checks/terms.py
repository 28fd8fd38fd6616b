"""Terms: responsibility titles, bodies and measures used but not defined, or defined differently.

Method.  The texts are the Chinese of ``kb/provisions`` (each article's lead, paragraph and item
once).  The words to look for come from ``kb/crosswalk.yaml`` ``lexicon``:

- a responsibility *title* (第一责任人 …) is *defined* by a sentence ``<posts>是…<title>``; the posts
  before 是 are read with the lexicon's role phrases into the contract's role ids; every other
  occurrence is a *use*;
- a *body* is set up by a provision that makes it responsible (…负责 / …承担) or establishes it
  (建立 / 设立 / 成立 …); a body that provisions rely on but no provision sets up is reported;
- a *measure* phrase in an operative provision that the instrument's own catalogue of forms of
  accountability (``lexicon.catalogue``) does not contain is reported.

The cross-instrument part compares the role sets each instrument gives the same title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import astutil as A
from .context import Context
from .issues import make_issue

__all__ = ["leaf_texts", "definitions", "check_terms", "check_terms_across"]

_SENTENCE = re.compile(r"[^。；;]+")
_CLAUSE_BREAK = "，,、。；;："


def leaf_texts(ctx: Context, instrument: str) -> list[tuple[str, str]]:
    """(provision id, its own words) for every article lead, paragraph and item of the instrument."""
    out = []
    for p in ctx.kb:
        if p.instrument != instrument:
            continue
        if p.paragraph is None and p.item is None:
            if not p.cite_paragraph:
                out.append((p.id, p.lead_zh or p.zh))
        else:
            out.append((p.id, p.zh))
    return out


@dataclass(frozen=True)
class Definition:
    title: str  # lexicon id
    provision: str
    roles: frozenset
    definiens: str


def _titles(ctx: Context) -> list[dict]:
    return ctx.crosswalk.get("lexicon", {}).get("titles", [])


def _roles_in(ctx: Context, text: str) -> frozenset:
    found = set()
    for entry in ctx.crosswalk.get("lexicon", {}).get("role_phrases", []):
        if entry["phrase"] in text:
            found |= set(entry["roles"])
    return frozenset(found)


def definitions(ctx: Context, instrument: str):
    """(definitions, uses): the title definitions of the instrument and, per title, the provisions using it."""
    defs: list[Definition] = []
    uses: dict[str, list[str]] = {}
    for pid, text in leaf_texts(ctx, instrument):
        for sentence in _SENTENCE.findall(text):
            defined_here = set()
            for t in _titles(ctx):
                m = re.search(r"([^。；;]*?)是([^，,。；;]*?)" + re.escape(t["zh"]), sentence)
                if m and t["zh"] not in m.group(1):
                    defined_here.add(t["id"])
                    defs.append(Definition(t["id"], pid, _roles_in(ctx, m.group(1)), m.group(1).strip()))
            for t in _titles(ctx):
                if t["zh"] in sentence and t["id"] not in defined_here:
                    uses.setdefault(t["id"], [])
                    if pid not in uses[t["id"]]:
                        uses[t["id"]].append(pid)
    return defs, uses


def _zh(ctx: Context, title_id: str) -> str:
    return next((t["zh"] for t in _titles(ctx) if t["id"] == title_id), title_id)


def _role_names(ctx: Context, roles) -> str:
    order = list(ctx.kb.vocabulary.get("roles", {}))
    return "、".join(ctx.kb.term("roles", r) for r in sorted(roles, key=lambda r: order.index(r) if r in order else 99))


def _notices_citing(ctx: Context, instrument: str, pids) -> list[str]:
    """Notices the encodings emit (notice(K, P) heads) about any of ``pids``."""
    wanted = {ctx.kb.canonical(p) for p in pids}
    found = set()
    for site in ctx.instruments[instrument].sites if instrument in ctx.instruments else ():
        head = A.head_atom(site.statement)
        if head is None:
            continue
        name, args = A.name_args(head)
        if name == "notice" and len(args) == 2:
            key, pid = A.constant(args[0]), A.constant(args[1])
            if isinstance(pid, str) and pid in ctx.kb and ctx.kb.canonical(pid) in wanted and isinstance(key, str):
                found.add(key)
    return sorted(found)


def _interpretations_on(ctx: Context, instrument: str, words: str) -> list[str]:
    return [n for n, i in ctx.interpretations_of(instrument).items() if words in i.words or words in i.zh]


def check_terms(ctx: Context, instrument: str) -> list[dict]:
    issues: list[dict] = []
    defs, uses = definitions(ctx, instrument)
    defined = {d.title for d in defs}
    for title in [t["id"] for t in _titles(ctx)]:
        using = uses.get(title, [])
        if title in defined or not using:
            continue
        zh = _zh(ctx, title)
        others = sorted({d.title for d in defs}, key=lambda t: [x["id"] for x in _titles(ctx)].index(t))
        defining = sorted({d.provision for d in defs}, key=lambda p: ctx.kb.get(p).article)
        msg = (f"「{zh}」 is used in {', '.join(ctx.label(p) for p in using)} but no provision of this instrument "
               f"says who it is")
        if others:
            msg += (f" ({', '.join(ctx.label(p) for p in defining)} defines only "
                    f"{'、'.join('「' + _zh(ctx, t) + '」' for t in others)})")
        readings = _interpretations_on(ctx, instrument, zh)
        notices = _notices_citing(ctx, instrument, using)
        zh_msg = f"{_labels(ctx, using, 'zh')}使用了「{zh}」，但本文件没有任何规定说明其指谁"
        if others:
            zh_msg += (f"（{_labels(ctx, defining, 'zh')}只界定了"
                       f"{'、'.join('「' + _zh(ctx, t) + '」' for t in others)}）")
        if readings:
            names = [f"{n} (default {ctx.kb.interpretations[n].default})" for n in readings]
            msg += f"; the encodings read it by the interpretation {', '.join(names)}"
            zh_msg += "；编码依解释" + "、".join(f"{n}（默认{ctx.kb.interpretations[n].default}）" for n in readings) + "确定"
        else:
            msg += "; no named interpretation reads it"
            zh_msg += "；没有具名解释处理它"
        if notices:
            msg += f" and flag it with the notice {', '.join(notices)}"
            zh_msg += f"，并以提示{'、'.join(notices)}标明"
        issues.append(make_issue(ctx, f"{instrument}/term-undefined/{title}", "term-undefined", "warning", msg + ".",
                                 [*using, *defining], message_zh=zh_msg + "。", details={"title": zh, "used_in": using,
                                                               "interpretations": readings, "notices": notices}))
    # the same title defined with different persons in two provisions of one instrument
    by_title: dict[str, dict[str, set]] = {}
    for d in defs:
        by_title.setdefault(d.title, {}).setdefault(d.provision, set()).update(d.roles)
    for title, per_pid in sorted(by_title.items()):
        sets = {frozenset(v) for v in per_pid.values()}
        if len(per_pid) > 1 and len(sets) > 1:
            parts = [f"{ctx.label(p)}: {_role_names(ctx, r)}" for p, r in sorted(per_pid.items())]
            parts_zh = [f"{ctx.label(p)}：{_role_names(ctx, r)}" for p, r in sorted(per_pid.items())]
            issues.append(make_issue(ctx, f"{instrument}/term-inconsistent/{title}", "term-inconsistent", "warning",
                                     f"「{_zh(ctx, title)}」 is defined differently within the instrument — "
                                     + "; ".join(parts) + ".", list(per_pid),
                                     message_zh=f"「{_zh(ctx, title)}」在本文件内的界定不一致——" + "；".join(parts_zh) + "。"))
    issues += _bodies(ctx, instrument)
    issues += _catalogue(ctx, instrument)
    return issues


def _set_up(text: str, phrase: str) -> bool:
    for m in re.finditer(re.escape(phrase), text):
        before = text[max(0, m.start() - 12):m.start()]
        after = text[m.end():]
        cut = min([after.find(c) for c in _CLAUSE_BREAK if after.find(c) >= 0] or [len(after)])
        if re.search(r"(建立|设立|成立|组建)[^，,。；;]*$", before) or re.search(r"(负责|承担)", after[:cut]):
            return True
    return False


def _bodies(ctx: Context, instrument: str) -> list[dict]:
    issues = []
    texts = leaf_texts(ctx, instrument)
    for body in ctx.crosswalk.get("lexicon", {}).get("bodies", []):
        if body.get("external"):
            continue
        using = [pid for pid, text in texts if body["zh"] in text]
        if not using or any(_set_up(text, body["zh"]) for _pid, text in texts):
            continue
        issues.append(make_issue(
            ctx, f"{instrument}/body-undefined/{body['id']}", "body-undefined", "info",
            f"{', '.join(ctx.label(p) for p in using)} rel{'ies' if len(using) == 1 else 'y'} on 「{body['zh']}」, "
            f"which no provision of this instrument sets up or makes responsible for anything; who it is and what it "
            f"must do is left to other rules.", using,
            message_zh=f"{_labels(ctx, using, 'zh')}依赖「{body['zh']}」，但本文件没有任何规定设立它或规定其职责；"
                       f"它是谁、应做什么，交由其他规定。"))
    return issues


def _catalogue(ctx: Context, instrument: str) -> list[dict]:
    lex = ctx.crosswalk.get("lexicon", {})
    cat_pid = lex.get("catalogue", {}).get(instrument)
    phrases = lex.get("measure_phrases", {})
    if not cat_pid or cat_pid not in ctx.kb:
        return []
    catalogue_text = ctx.kb.get(cat_pid).zh
    listed = {m for m, rx in phrases.items() if re.search(rx, catalogue_text)}
    cat_prefix = ctx.kb.canonical(cat_pid)
    found: dict[str, list[str]] = {}
    for pid, text in leaf_texts(ctx, instrument):
        p = ctx.kb.get(pid)
        if pid == cat_prefix or pid.startswith(cat_prefix + "/") or p.modality not in ("obligatory", "discretionary"):
            continue
        for m, rx in phrases.items():
            if m not in listed and re.search(rx, text):
                found.setdefault(m, []).append(pid)
    issues = []
    for m, pids in sorted(found.items()):
        issues.append(make_issue(
            ctx, f"{instrument}/measure-outside-catalogue/{m}", "measure-outside-catalogue", "info",
            f"{', '.join(ctx.label(p) for p in pids)} impose{'s' if len(pids) == 1 else ''} "
            f"「{ctx.kb.term('measures', m)}」, which {ctx.label(cat_pid)}'s list of the forms of accountability does "
            f"not contain (the list names the 'main' forms, so it is not closed, but the sanction rests on "
            f"{'this provision' if len(pids) == 1 else 'these provisions'} alone).", [*pids, cat_pid],
            message_zh=f"{_labels(ctx, pids, 'zh')}规定了「{ctx.kb.term('measures', m)}」，而{ctx.label(cat_pid)}所列的"
                       f"追责方式中没有这一项（该条所列为“主要”方式，并非封闭，但该处理仅以上述规定为依据）。"))
    return issues


# --------------------------------------------------------------------------- across instruments

def check_terms_across(ctx: Context, a: str, b: str) -> list[dict]:
    """Titles the two instruments define with different persons, or one defines and the other only uses."""
    issues = []
    defs = {}
    uses = {}
    for inst in (a, b):
        d, u = definitions(ctx, inst)
        defs[inst] = {}
        for x in d:
            defs[inst].setdefault(x.title, {"roles": set(), "provisions": []})
            defs[inst][x.title]["roles"] |= x.roles
            if x.provision not in defs[inst][x.title]["provisions"]:
                defs[inst][x.title]["provisions"].append(x.provision)
        uses[inst] = u
    names = {a: _short(ctx, a), b: _short(ctx, b)}
    for t in [t["id"] for t in _titles(ctx)]:
        da, db = defs[a].get(t), defs[b].get(t)
        if da and db and da["roles"] != db["roles"]:
            msg = (f"「{_zh(ctx, t)}」 means different persons: {names[a]} {_labels(ctx, da['provisions'])} — "
                   f"{_role_names(ctx, da['roles'])}; {names[b]} {_labels(ctx, db['provisions'])} — "
                   f"{_role_names(ctx, db['roles'])}.")
            zh_msg = (f"「{_zh(ctx, t)}」在两部文件中指不同的人：{names[a]}{_labels(ctx, da['provisions'], 'zh')}——"
                      f"{_role_names(ctx, da['roles'])}；{names[b]}{_labels(ctx, db['provisions'], 'zh')}——"
                      f"{_role_names(ctx, db['roles'])}。")
            moved = _retitled(ctx, defs, a, b, t)
            if moved:
                msg += " " + moved
                zh_msg += _retitled(ctx, defs, a, b, t, "zh")
            issues.append(make_issue(ctx, f"cross/term-inconsistent/{t}", "term-inconsistent", "warning", msg,
                                     [*da["provisions"], *db["provisions"]], message_zh=zh_msg,
                                     details={a: sorted(da["roles"]), b: sorted(db["roles"])}))
        elif (da or db) and not (da and db):
            has, lacks = (a, b) if da else (b, a)
            using = uses[lacks].get(t, [])
            entry = defs[has][t]
            if not using:
                continue
            other = [(x, v) for x, v in defs[lacks].items() if v["roles"] & entry["roles"]]
            msg = (f"{names[has]} {_labels(ctx, entry['provisions'])} defines 「{_zh(ctx, t)}」 as "
                   f"{_role_names(ctx, entry['roles'])}; {names[lacks]} uses the title ({_labels(ctx, using)}) "
                   f"without defining it")
            zh_msg = (f"{names[has]}{_labels(ctx, entry['provisions'], 'zh')}将「{_zh(ctx, t)}」界定为"
                      f"{_role_names(ctx, entry['roles'])}；{names[lacks]}使用该称谓（{_labels(ctx, using, 'zh')}）"
                      f"却未加界定")
            if other:
                msg += (" and calls the same persons " + "; ".join(
                    f"「{_zh(ctx, x)}」 ({_labels(ctx, v['provisions'])})" for x, v in other))
                zh_msg += "，并把同一批人称为" + "；".join(
                    f"「{_zh(ctx, x)}」（{_labels(ctx, v['provisions'], 'zh')}）" for x, v in other)
            pids = [*entry["provisions"], *using] + [p for _x, v in other for p in v["provisions"]]
            issues.append(make_issue(ctx, f"cross/term-inconsistent/{t}", "term-inconsistent", "warning", msg + ".",
                                     pids, message_zh=zh_msg + "。", details={has: sorted(entry["roles"]), lacks: None}))
    return issues


def _retitled(ctx, defs, a, b, title, lang: str = "en") -> str:
    """Which persons one instrument gives this title and the other another title."""
    parts = []
    for x, y in ((a, b), (b, a)):
        extra = defs[x][title]["roles"] - defs[y][title]["roles"]
        for other, v in defs[y].items():
            common = extra & v["roles"]
            if other != title and common:
                parts.append(f"{_role_names(ctx, common)}在{_short(ctx, y)}中是「{_zh(ctx, other)}」"
                             f"（{_labels(ctx, v['provisions'], 'zh')}）" if lang == "zh" else
                             f"{_role_names(ctx, common)} are 「{_zh(ctx, other)}」 in {_short(ctx, y)} "
                             f"({_labels(ctx, v['provisions'])})")
    if not parts:
        return ""
    return "；".join(parts) + "。" if lang == "zh" else "The " + "; ".join(parts) + "."


def _labels(ctx: Context, pids, lang: str = "en") -> str:
    return ("、" if lang == "zh" else ", ").join(ctx.label(p) for p in pids)


def _short(ctx: Context, inst: str) -> str:
    entry = ctx.kb.vocabulary.get("instruments", {}).get(inst, {})
    return (entry.get("short") or {}).get("zh") or inst
