"""Rendering the check report: JSON (the contract: a list of issues) or text for a drafting office."""

from __future__ import annotations

import textwrap

from ..kb import knowledge_base
from ..render import environment, to_json_text
from . import summary

__all__ = ["render_check"]


def _wrap(text: str, width: int = 100) -> str:
    # CJK text has no spaces: textwrap breaks long words, which is what we want here
    return "\n".join(textwrap.fill(p, width=width, initial_indent="  ", subsequent_indent="  ",
                                   break_long_words=True, break_on_hyphens=False)
                     for p in text.split("\n"))


def _indent(text: str, n: int) -> str:
    pad = " " * n
    return "\n".join(pad + line if line else line for line in text.rstrip("\n").split("\n"))


def _instrument_short(inst: str, lang: str = "zh") -> str:
    entry = knowledge_base().vocabulary.get("instruments", {}).get(inst, {})
    return (entry.get("short") or {}).get(lang) or inst


def _scope_title(scope: str, lang: str = "zh") -> str:
    if scope == "cross":
        return "Between the two instruments (through kb/crosswalk.yaml)"
    entry = knowledge_base().vocabulary.get("instruments", {}).get(scope)
    return f"{entry[lang]} ({scope})" if entry else scope


def render_check(issues: list[dict], fmt: str = "text", rulesets: list[str] | None = None, lang: str = "zh") -> str:
    """The issues as JSON (the contract; ``lang`` does not apply) or text; in text, instrument titles,
    terms and provision labels follow ``lang`` (the messages are written in one language)."""
    if fmt == "json":
        return to_json_text(issues)
    rulesets = rulesets or ["jilin-2019", "changzhou"]
    groups: list[tuple[str, list]] = []
    for i in issues:
        scope = i["id"].split("/", 1)[0]
        if not groups or groups[-1][0] != scope:
            groups.append((scope, []))
        groups[-1][1].append(i)
    template = environment(lang).get_template("check.txt")
    return template.render(issues=issues, summary=summary(issues), groups=groups, rulesets=rulesets,
                           wrap=_wrap, indent_block=_indent, instrument_short=_instrument_short,
                           scope_title=lambda scope: _scope_title(scope, lang))
