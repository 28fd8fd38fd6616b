"""Rendering the check report: JSON (the contract: a list of issues), text or HTML for a drafting office.

Every format is ranked the same way (errors, then warnings, then info; within each, the instruments
and then the two together, kind and id) and starts with one line that sums the findings up.
Messages and headings come in the chosen language (``--lang``); ids, kinds and citations are the same
in both.
"""

from __future__ import annotations

import textwrap

from ..kb import knowledge_base
from ..render import environment, to_json_text
from . import summary
from .issues import KINDS, KINDS_ZH, SEVERITIES, localized

__all__ = ["render_check", "summary_line"]

_SEVERITY_NAMES = {"zh": {"error": "错误", "warning": "警告", "info": "提示"},
                   "en": {"error": "errors", "warning": "warnings", "info": "info"}}


def _wrap(text: str, width: int = 100) -> str:
    # CJK text has no spaces: textwrap breaks long words, which is what we want here
    return "\n".join(textwrap.fill(p, width=width, initial_indent="  ", subsequent_indent="  ",
                                   break_long_words=True, break_on_hyphens=False)
                     for p in text.split("\n"))


def _indent(text: str, n: int) -> str:
    pad = " " * n
    return "\n".join(pad + line if line else line for line in text.rstrip("\n").split("\n"))


def _instrument_short(inst: str) -> str:
    entry = knowledge_base().vocabulary.get("instruments", {}).get(inst, {})
    return (entry.get("short") or {}).get("zh") or inst


def _scope_title(scope: str, lang: str = "en") -> str:
    if scope == "cross":
        return "两部文件之间（经 kb/crosswalk.yaml）" if lang == "zh" else \
            "Between the two instruments (through kb/crosswalk.yaml)"
    entry = knowledge_base().vocabulary.get("instruments", {}).get(scope)
    return f"{entry['zh']} ({scope})" if entry else scope


def _kind_name(kind: str, lang: str) -> str:
    return (KINDS_ZH if lang == "zh" else KINDS).get(kind, kind)


def summary_line(issues: list[dict], lang: str = "en") -> str:
    """One line: how many issues of each severity, and the kinds most found."""
    s = summary(issues)
    names = _SEVERITY_NAMES[lang]
    counts = ("，" if lang == "zh" else ", ").join(f"{s['by_severity'].get(k, 0)} {names[k]}" for k in SEVERITIES)
    top = sorted(s["by_kind"].items(), key=lambda kv: (-kv[1], list(KINDS).index(kv[0])))[:3]
    kinds = ("，" if lang == "zh" else ", ").join(f"{k} {n}" for k, n in top)
    if lang == "zh":
        return f"共 {s['total']} 项问题：{counts}" + (f"；最多的是 {kinds}" if top else "")
    return f"{s['total']} issues: {counts}" + (f"; most found: {kinds}" if top else "")


def _headline(issue: dict, lang: str) -> str:
    """The issue in one line: its kind in words and the provisions it cites."""
    sep = "、" if lang == "zh" else ", "
    labels = sep.join(f"{_instrument_short(c['instrument'])}{c['label']}" for c in issue["citations"][:4])
    more = "…" if len(issue["citations"]) > 4 else ""
    return f"{_kind_name(issue['kind'], lang)}{'：' if lang == 'zh' else ': '}{labels}{more}"


def render_check(issues: list[dict], fmt: str = "text", rulesets: list[str] | None = None, lang: str = "en") -> str:
    issues = localized(issues, lang)
    if fmt == "json":
        return to_json_text(issues)
    rulesets = rulesets or ["jilin-2019", "changzhou"]
    by_severity = [(s, [i for i in issues if i["severity"] == s]) for s in SEVERITIES]
    template = environment().get_template("check.html" if fmt == "html" else "check.txt")
    return template.render(issues=issues, summary=summary(issues), by_severity=by_severity, rulesets=rulesets,
                           lang=lang, summary_line=summary_line(issues, lang), severity_names=_SEVERITY_NAMES[lang],
                           headline=lambda i: _headline(i, lang), kind_name=lambda k: _kind_name(k, lang),
                           wrap=_wrap, indent_block=_indent, instrument_short=_instrument_short,
                           scope_title=lambda s: _scope_title(s, lang))
