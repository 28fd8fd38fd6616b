"""Delegation and dangling references: what the text leaves to another measure or does not give.

Method.  Every provision's Chinese (kb/provisions) is scanned for the markers below; a period the
instrument relies on (按期, …期限) while stating no duration anywhere (…实行N年…, …期限为N年) is a
period not given.  For each finding the report lists

- the conclusions that rest on it: the shown atoms (``#show``) the rules citing the provision
  derive, read from their heads with ``pydesig.annotations.rule_sites`` (``measure(discipline)``),
  and the provisions whose rules read a predicate only those rules define (one step);
- the named interpretations that fill the gap (``kb/interpretations`` entries that read it);
- the notices the encodings emit about it (``notice(K, P)`` heads).
"""

from __future__ import annotations

import re

from . import astutil as A
from .context import Context
from .issues import make_issue
from .terms import leaf_texts

__all__ = ["MARKERS", "check_delegation", "conclusions_of", "dependent_provisions"]

# (kind, regular expression, what it means).  A reference to a named instrument (依照《…》及有关规定)
# is not dangling and does not match.
MARKERS = [
    ("delegated", r"另行制定", "leaves {what} to separate measures (另行制定) that are not part of this text"),
    ("delegated", r"参照本(?:细则|办法|责任制)制定执行", "leaves {what} to measures of another body made "
                                                   "with reference to this instrument (参照本细则制定执行)"),
    ("external-reference", r"依照有关规定", "leaves {what} to unnamed other rules (依照有关规定)"),
]
# The same meanings in Chinese, by marker.
MEANINGS_ZH = {
    r"另行制定": "将{what}交由不属于本文本的另行制定的办法",
    r"参照本(?:细则|办法|责任制)制定执行": "将{what}交由其他机关参照本文件制定的办法",
    r"依照有关规定": "将{what}交由未指明的其他规定（依照有关规定）",
}

_DURATION = re.compile(r"(?:实行|期限为|期限是|为期)\s*[0-9０-９一二两三四五六七八九十]+\s*(?:个)?(?:年|月)")
_PERIOD_WORDS = [("extension_period", re.compile(r"延长[^，,。；;]*?期限|延期")),
                 ("rectification_period", re.compile(r"按期|整治期限|限期"))]


def _sites_citing(ctx: Context, instrument: str, pid: str):
    """Rules that encode ``pid`` (or a unit of it) first: it heads their provision header, or their
    head cites it.  Rules that merely list it beside their own provision are left out."""
    canon = ctx.kb.canonical(pid)

    def within(p):
        if p not in ctx.kb:
            return False
        c = ctx.kb.canonical(p)
        return c == canon or c.startswith(canon + "/")

    for site in ctx.instruments[instrument].sites:
        cited = [p for t in A.head_terms(site.statement) for p in A.provision_strings(t)]
        if (site.provisions and within(site.provisions[0])) or any(within(p) for p in cited):
            yield site


def _describe(term) -> str:
    name, args = A.name_args(term)
    consts = [A.constant(a) for a in args]
    shown = [str(c) for c in consts if c is not None and not (isinstance(c, str) and A.PROVISION_ID.match(c))]
    return f"{name}({', '.join(shown)})" if shown else name


PRIMARY = {("finding", 3), ("ground", 4), ("status", 3), ("measure", 4), ("duty", 4)}


def conclusions_of(ctx: Context, instrument: str, sites, only: set | None = None) -> list[str]:
    """The main shown conclusions (findings, states, measures, duties) the given rules derive, described
    by predicate and constant arguments: ``measure(discipline)``.  ``only``: keep those naming one of
    these constants (when the text names the measure concerned)."""
    shown = ctx.instruments[instrument].shown
    out = set()
    for site in sites:
        for term in A.head_terms(site.statement):
            pred = A.predicate_of(term)
            if pred not in shown or pred not in PRIMARY:
                continue
            text = _describe(term)
            if only and not any(f"({c}" in text or f", {c}" in text for c in only):
                continue
            out.add(text)
    return sorted(out)


def dependent_provisions(ctx: Context, instrument: str, sites) -> list[str]:
    """Provisions whose rules read a predicate that only the given rules define."""
    sites = list(sites)
    own = {id(s) for s in sites}
    defined_here = set().union(*(A.head_predicates(s.statement) for s in sites)) if sites else set()
    defined_elsewhere = set()
    for s in ctx.instruments[instrument].sites:
        if id(s) not in own:
            defined_elsewhere |= A.head_predicates(s.statement)
    exclusive = {p for p in defined_here - defined_elsewhere if p[1] > 1}
    cited = {ctx.kb.canonical(p) for s in sites for p in s.provisions if p in ctx.kb}
    out = set()
    for s in ctx.instruments[instrument].sites:
        if id(s) in own or not (A.body_predicates(s.statement) & exclusive):
            continue
        out |= {ctx.kb.canonical(p) for p in s.provisions if p in ctx.kb}
    return sorted(out - cited, key=_pkey)


def _pkey(pid: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pid)]


def _readings_of(ctx: Context, instrument: str, pid: str) -> list[str]:
    canon = ctx.kb.canonical(pid)
    out = []
    for name, interp in ctx.interpretations_of(instrument).items():
        for r in interp.reads:
            if r in ctx.kb:
                c = ctx.kb.canonical(r)
                if c == canon or c.startswith(canon + "/") or canon.startswith(c + "/"):
                    out.append(name)
                    break
    return out


def _notices(ctx: Context, instrument: str, pids) -> list[str]:
    from .terms import _notices_citing

    return _notices_citing(ctx, instrument, pids)


def _sentence(text: str, marker: str) -> str:
    """The sentence the marker stands in."""
    m = re.search(marker, text)
    start = max(text.rfind(c, 0, m.start()) for c in "。；;") + 1
    end_candidates = [text.find(c, m.end()) for c in "。；;"]
    end = min([e for e in end_candidates if e >= 0] or [len(text)])
    return text[start:end].strip()


def _measures_named(ctx: Context, sentence: str) -> set:
    phrases = ctx.crosswalk.get("lexicon", {}).get("measure_phrases", {})
    return {m for m, rx in phrases.items() if re.search(rx, sentence)}


def check_delegation(ctx: Context, instrument: str) -> list[dict]:
    issues: list[dict] = []
    texts = leaf_texts(ctx, instrument)
    delegations = []
    for pid, text in texts:
        p = ctx.kb.get(pid)
        if p.modality == "non-operative":
            continue
        for kind, marker, meaning in MARKERS:
            if not re.search(marker, text):
                continue
            sites = list(_sites_citing(ctx, instrument, pid))
            sentence = _sentence(text, marker)
            conclusions = conclusions_of(ctx, instrument, sites, _measures_named(ctx, sentence)) or \
                conclusions_of(ctx, instrument, sites)
            dependents = dependent_provisions(ctx, instrument, sites)
            readings = _readings_of(ctx, instrument, pid)
            notices = _notices(ctx, instrument, [pid])
            msg = f"{ctx.label(pid)} " + meaning.format(what=f"「{sentence}」") + "."
            zh = f"{ctx.label(pid)}" + MEANINGS_ZH[marker].format(what=f"「{sentence}」") + "。"
            if conclusions:
                msg += f" Conclusions of the rules encoding it: {', '.join(conclusions)}"
                zh += f"编码该规定的规则所得结论：{'、'.join(conclusions)}"
                if dependents:
                    msg += f"; and through them {', '.join(ctx.label(d) for d in dependents)}"
                    zh += f"；并经由它们影响{'、'.join(ctx.label(d) for d in dependents)}"
                msg += "."
                zh += "。"
            elif not sites:
                msg += " No rule encodes it."
                zh += "没有规则编码它。"
            read = {str(a) for s in sites for atom in A.positive_atoms(s.statement)
                    for a in A.name_args(atom)[1][2:3] if A.name_args(atom)[0] == "fact"}
            inputs = sorted(n for n, i in ctx.indicators_for(instrument).items() if n in read
                            and any(s in ctx.kb and ctx.kb.canonical(s) == ctx.kb.canonical(pid) for s in i.serves))
            if kind == "delegated" and inputs:
                msg += f" The encodings take what it leaves open from the case: {', '.join(inputs)}."
                zh += f"编码从案例中取得它所留空的内容：{'、'.join(inputs)}。"
            if readings:
                msg += f" Readings the encodings name for it: {', '.join(readings)}."
                zh += f"编码为它命名的解释：{'、'.join(readings)}。"
            if notices:
                msg += f" The encodings flag it with the notice {', '.join(notices)}."
                zh += f"编码以提示{'、'.join(notices)}标明。"
            slug = pid.split("/", 1)[1]
            issues.append(make_issue(ctx, f"{instrument}/{kind}/{slug}", kind, "info", msg, [pid, *dependents],
                                     message_zh=zh,
                                     details={"marker": marker, "conclusions": conclusions,
                                              "dependent_provisions": dependents, "interpretations": readings,
                                              "notices": notices}))
            if kind == "delegated":
                delegations.append(pid)
    issues += _periods(ctx, instrument, texts, delegations)
    return issues


def _periods(ctx: Context, instrument: str, texts, delegations) -> list[dict]:
    if any(_DURATION.search(text) for _pid, text in texts):
        return []
    found: dict[str, list[str]] = {}
    for pid, text in texts:
        if ctx.kb.get(pid).modality == "non-operative":
            continue
        rest = text
        for name, rx in _PERIOD_WORDS:  # an extension's 期限 is not the rectification period's
            if rx.search(rest):
                found.setdefault(name, []).append(pid)
            rest = rx.sub("", rest)
    issues = []
    for name, pids in sorted(found.items()):
        readings = [n for n in ctx.interpretations_of(instrument) if n == name] or \
            sorted({r for p in pids for r in _readings_of(ctx, instrument, p) if "period" in r})
        sites = [s for s in ctx.instruments[instrument].sites if set(readings) & set(s.interpretations)]
        conclusions = conclusions_of(ctx, instrument, sites)
        notices = _notices(ctx, instrument, pids)
        what = {"extension_period": "how long the extension lasts", "rectification_period": "how long the period is"}[name]
        msg = (f"{', '.join(ctx.label(p) for p in pids)} rel{'ies' if len(pids) == 1 else 'y'} on a period "
               f"(按期 / 期限) but the instrument never says {what}")
        if delegations:
            msg += f" (perhaps the measures {', '.join(ctx.label(d) for d in delegations)} leaves to another text do)"
        msg += "."
        what_zh = {"extension_period": "延长的期限有多长", "rectification_period": "整治期限有多长"}[name]
        zh = f"{'、'.join(ctx.label(p) for p in pids)}依赖一个期限（按期、期限），但本文件从未规定{what_zh}"
        if delegations:
            zh += f"（也许{'、'.join(ctx.label(d) for d in delegations)}交由其他文本的办法会规定）"
        zh += "。"
        if readings:
            msg += (f" The encodings take it from the interpretation {', '.join(readings)} (default "
                    f"{', '.join(ctx.kb.interpretations[r].default for r in readings)}).")
            zh += (f"编码依解释{'、'.join(readings)}取值（默认"
                   f"{'、'.join(ctx.kb.interpretations[r].default for r in readings)}）。")
        if conclusions:
            msg += f" Conclusions resting on it: {', '.join(conclusions)}."
            zh += f"以此为基础的结论：{'、'.join(conclusions)}。"
        if notices:
            msg += f" The encodings flag it with the notice {', '.join(notices)}."
            zh += f"编码以提示{'、'.join(notices)}标明。"
        issues.append(make_issue(ctx, f"{instrument}/period-not-given/{name}", "period-not-given", "warning", msg,
                                 pids, message_zh=zh, details={"interpretations": readings, "conclusions": conclusions}))
    return issues
