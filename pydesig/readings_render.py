"""``pydesig readings`` for reading: text (zh/en) and a self-contained HTML page.

JSON is the contract (:func:`pydesig.readings.readings`); these formats lay the same document
out for an analyst: first the readings that can touch the case, then the conclusions that hold
under every reading, then those that hinge on one, each with the readings it needs.  Templates
live in ``pydesig/templates/readings.*``; HTML is autoescaped.
"""

from __future__ import annotations

from .indicators import indicators
from .kb import knowledge_base
from .model import Case
from .render import environment, to_json_text

__all__ = ["render_readings", "reading_text", "subject_text", "unstated_rows"]

_LABELS = {
    "zh": {"interpretations": "可能影响本案的解释", "combinations": "种组合", "fixed": "已固定的解释",
           "always": "无论采用哪种解释均成立", "some": "取决于解释", "certain": "在每一种合法结果中", "under": "成立条件",
           "or": "或", "finding": "评定", "ground": "依据", "status": "状态", "measure": "措施", "none": "（无）",
           "unstated": "本案未载明的事实", "needs": "需要",
           "unstated_note": "本案未就任何主体、年度载明上述事实。在该解释下，需要这些事实的规则不适用于本案，"
                            "凡仅由这些规则得出的结论只在其他选项下成立，其成立条件列出其他选项。"
                            "这是按该解释理解条文对本案的结果，并非计算缺陷；如已知这些事实，请在案卷中载明，或以 -I 固定该解释。"},
    "en": {"interpretations": "readings that can touch this case", "combinations": "combinations",
           "fixed": "fixed readings", "always": "holds under every reading", "some": "hinges on a reading",
           "certain": "in every lawful outcome", "under": "holds under", "or": "or", "finding": "finding",
           "ground": "ground", "status": "status", "measure": "measure", "none": "(none)",
           "unstated": "facts this case never states", "needs": "needs",
           "unstated_note": "The case states these facts for no subject and year. Under that reading the rules that "
                            "need them never apply to this case, so whatever only those rules give holds only under "
                            "the other options, which its readings list. That is what reading the text that way means "
                            "for this case, not a fault of the computation; state the facts in the case if they are "
                            "known, or fix the reading with -I."},
}


def reading_text(name: str, option: str, lang: str = "zh") -> str:
    """``band_upper_bound=inclusive`` with the option's words: 上限亦含（…）."""
    interp = knowledge_base().interpretations.get(name)
    words = interp.option_text.get(option, {}).get(lang) if interp else None
    return f"{name}={option}" + (f"（{words}）" if lang == "zh" and words else f" ({words})" if words else "")


def subject_text(entry: dict, case: Case, lang: str = "zh") -> str:
    """The conclusion in one line: who, when, what (and the provision of a ground)."""
    kb = knowledge_base()
    if entry["kind"] == "measure":
        kind, ident = next(iter(entry["subject"].items()))
        known = case.regions.get(ident) if kind == "region" else case.officials.get(ident)
        who = f"{ident} {known.name}" if known else ident
        years = ",".join(str(y) for y in entry["years"])
        return f"{who}  {years}  {kb.term('measures', entry['measure'], lang)} ({entry['measure']})"
    region = case.regions.get(entry["region"])
    who = f"{entry['region']} {region.name}" if region else entry["region"]
    text = f"{who}  {entry['year']}  {kb.term('levels', entry['level'], lang)} ({entry['level']})"
    if entry["kind"] == "ground":
        text += f"  {entry['citation']['label']}"
    return text


def unstated_rows(doc: dict, lang: str = "zh") -> list[dict]:
    """The readings that want facts the case never states (``unstated`` in the document), each
    with those indicators and their names, and the note that says what follows (``note``)."""
    known = indicators()

    def named(i: str) -> str:
        if i not in known:
            return i
        label = known[i].short(lang, doc["ruleset"])
        return f"{i}（{label}）" if lang == "zh" else f"{i} ({label})"

    return [{"reading": reading_text(n, o, lang), "indicators": [named(i) for i in found], "needs": _LABELS[lang]["needs"],
             "note": _LABELS[lang]["unstated_note"], "title": _LABELS[lang]["unstated"]}
            for n, options in doc.get("unstated", {}).items() for o, found in options.items()]


def render_readings(doc: dict, fmt: str, case: Case, lang: str = "zh") -> str:
    if fmt == "json":
        return to_json_text(doc)
    labels = _LABELS[lang]
    rows = [{"entry": e, "line": subject_text(e, case, lang), "kind": labels[e["kind"]],
             "under": [[reading_text(n, o, lang) for n, o in sorted(p.items())] for p in e["under"]]}
            for e in doc["conclusions"]]
    unstated = unstated_rows(doc, lang)
    template = environment().get_template("readings.html" if fmt == "html" else "readings.txt")
    kb = knowledge_base()
    return template.render(
        doc=doc, lang=lang, L=labels, unstated=unstated, rows_always=[r for r in rows if r["entry"]["holds"] == "always"],
        rows_some=[r for r in rows if r["entry"]["holds"] == "some"],
        instrument=kb.vocabulary["instruments"][doc["ruleset"]][lang],
        readings={n: [reading_text(n, o, lang) for o in opts] for n, opts in doc["interpretations"].items()},
    )
