"""Render justification trees and why-not answers as text (zh/en) or JSON.

The text is meant to be pasted into a memo: the conclusion first, then the reasons as a numbered
outline, each with the provision it rests on (quoted, in the language chosen) and the evidence
with its source.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pydesig.kb import knowledge_base

__all__ = ["render", "render_why_not", "cite_text"]

_TEMPLATES = Path(__file__).parent / "templates"


def cite_text(citation: dict, lang: str) -> str:
    """《Title》第七条第（四）项“…” in Chinese; Article 7(4) of the Jilin Rules: "…" in English."""
    kb = knowledge_base()
    inst = citation["instrument"]
    p = kb.get(_pid(citation))
    short = kb.vocabulary["instruments"][inst]["short"]
    zh, en = (p.lead_zh or p.zh, p.lead_en or p.en) if p.paragraph is None else (p.zh, p.en)
    if lang == "zh":
        return f"{short['zh']}{p.label}“{_one_line(zh)}”"
    return f"{p.label_en} of the {short['en']}: \"{_one_line(en)}\""


def label(citation: dict, lang: str) -> str:
    """第七条第（四）项 or Article 7(4)."""
    if lang == "zh":
        return citation["label"]
    p = knowledge_base().get(_pid(citation))
    return p.label_en


def _pid(citation: dict) -> str:
    pid = f"{citation['instrument']}/art_{citation['article']}"
    if citation["paragraph"]:
        pid += f"/para_{citation['paragraph']}"
    if citation["item"]:
        pid += f"/item_{citation['item']}"
    return pid


def _one_line(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["cite"] = cite_text
    env.filters["label"] = label
    return env


def render(tree: dict, fmt: str = "text", lang: str = "zh") -> str:
    if fmt == "json":
        return json.dumps(tree, ensure_ascii=False, indent=2) + "\n"
    return _env().get_template(f"justification.{lang}.txt").render(tree=tree, seen=[])


def render_why_not(doc: dict, fmt: str = "text", lang: str = "zh") -> str:
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return _env().get_template(f"why_not.{lang}.txt").render(doc=doc)
