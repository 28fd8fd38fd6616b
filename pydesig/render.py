"""Render a result as JSON, text, markdown or HTML (jinja2 templates in ``pydesig/templates``).

JSON is the contract; the other formats are for reading.  HTML is autoescaped, so a hostile
region name stays text.  Every format is deterministic: same input, same bytes.
"""

from __future__ import annotations

import json
from typing import Iterator
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .errors import one_line
from .kb import knowledge_base, read_yaml
from .result import Result
from .sections import region_sections, year_span

__all__ = ["render_result", "to_json_text", "json_chunks", "environment", "words", "cite_label", "provision_text"]

FORMATS = ("json", "text", "markdown", "html")


def to_json_text(doc) -> str:
    """JSON with one entry of each top-level list per line: readable and diffable, and written by
    the json module's C encoder (an indented dump of a national-scale result takes several times
    longer, all of it in pure Python)."""
    return "".join(json_chunks(doc))


def json_chunks(doc) -> Iterator[str]:
    """:func:`to_json_text` in pieces, one entry at a time, so that a national-scale result (hundreds
    of megabytes of JSON) is written without ever being one string in memory."""
    if not isinstance(doc, dict):
        yield json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        return
    yield "{\n"
    separator = ""
    for key, value in doc.items():
        name = json.dumps(key, ensure_ascii=False)
        if isinstance(value, list) and value:
            yield f"{separator}  {name}: [\n"
            lead = "    "
            for entry in value:
                yield lead + json.dumps(entry, ensure_ascii=False)
                lead = ",\n    "
            yield "\n  ]"
        else:
            yield f"{separator}  {name}: {json.dumps(value, ensure_ascii=False)}"
        separator = ",\n"
    yield "\n}\n"


# Markdown punctuation that can start markup (emphasis, code, links, images, autolinks, raw
# HTML, table cells, headings, strikethrough, entities); CommonMark lets a backslash escape each.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~&])")


def md_text(value) -> str:
    """Case text (a name, an id, a title) as literal markdown: control characters escaped so a
    newline cannot end a table row, markup characters backslash-escaped so ``<script>`` or
    ``[x](javascript:…)`` stay text."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(str(value)))


def line_text(value) -> str:
    """Case text for the plain-text layouts: one line, whatever it holds (a newline in a name
    would otherwise start what reads as another record)."""
    return one_line(str(value))


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@lru_cache(maxsize=2)
def environment(lang: str = "zh") -> Environment:
    """The jinja2 environment of pydesig's templates; ``term``, ``instrument_title``,
    ``cite_label``, ``provision_text`` and ``word`` speak ``lang`` unless told otherwise."""
    env = Environment(
        loader=PackageLoader("pydesig", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    kb = knowledge_base()
    env.filters["short"] = _short
    env.filters["md"] = md_text
    env.filters["line"] = line_text
    env.globals["term"] = lambda section, key, lang=lang: kb.term(section, key, lang)
    env.globals["instrument_title"] = lambda inst, lang=lang: kb.vocabulary["instruments"][inst][lang]
    env.globals["provision_title"] = _provision_title
    env.globals["provision_anchor"] = _provision_anchor
    env.globals["cite_label"] = lambda c, lang=lang: cite_label(c, lang)
    env.globals["provision_text"] = lambda c, lang=lang: provision_text(c, lang)
    env.globals["year_span"] = year_span
    env.globals["word"] = words(lang)
    env.globals["tree_html"] = lambda tree, lang=lang: _tree_html(tree, lang)
    env.globals["lang"] = lang
    return env


def _tree_html(tree: dict, lang: str):
    from explain.report import tree_html

    return tree_html(tree, lang)


@lru_cache(maxsize=1)
def _words() -> dict:
    return read_yaml((Path(__file__).parent / "templates" / "words.yaml").read_text(encoding="utf-8"))


def words(lang: str):
    """``word(key)`` in ``lang``: the words of pydesig's own prose (templates/words.yaml)."""
    table = _words()

    def word(key: str) -> str:
        return table[key][lang]

    return word


@lru_cache(maxsize=None)
def _cited(instrument: str, article: int, paragraph, item):
    kb = knowledge_base()
    return kb.get(kb.cited_id({"instrument": instrument, "article": article, "paragraph": paragraph, "item": item}))


def cite_label(c: dict, lang: str = "zh") -> str:
    """第七条第（四）项 in Chinese, Article 7(4) in English."""
    return c["label"] if lang == "zh" else _cited(c["instrument"], c["article"], c["paragraph"], c["item"]).label_en


def provision_text(c: dict, lang: str = "zh") -> str:
    """The words of the cited provision in ``lang`` on one line (an article's own words, without
    its items, where the whole article is cited); in a justification, the clauses of it that applied
    (a why tree's citations carry them as ``quote``)."""
    if c.get("quote"):
        return _quoted_text(c["instrument"], c["article"], c["paragraph"], c["item"], tuple(c["quote"]), lang)
    return _provision_text(c["instrument"], c["article"], c["paragraph"], c["item"], lang)


@lru_cache(maxsize=1 << 14)
def _quoted_text(instrument: str, article: int, paragraph, item, quote: tuple, lang: str) -> str:
    """:func:`provision_text` of a citation with ``quote``, by what it depends on (a report quotes
    the same clauses under thousands of steps)."""
    from explain.render import quoted_words

    return quoted_words({"instrument": instrument, "article": article, "paragraph": paragraph, "item": item,
                         "quote": list(quote)}, lang)


@lru_cache(maxsize=None)
def _provision_text(instrument: str, article: int, paragraph, item, lang: str) -> str:
    """:func:`provision_text` by the citation's key (a report quotes each provision many times)."""
    p = _cited(instrument, article, paragraph, item)
    if lang == "zh":
        text = p.lead_zh or p.zh if p.paragraph is None and p.item is None else p.zh
    else:
        text = p.lead_en or p.en if p.paragraph is None and p.item is None else p.en
    return " ".join(text.split())




def _provision_title(citation: dict) -> str:
    """The hover text of a citation: the provision's words (an article's own words, without its
    items, as in the text justifications); both languages in the report's list of provisions."""
    p = knowledge_base().get(knowledge_base().cited_id(citation))
    zh = p.lead_zh or p.zh if p.paragraph is None and p.item is None else p.zh
    return f"{citation['label']} {' '.join(zh.split())}"


def _provision_anchor(citation: dict) -> str:
    return _anchor(citation["instrument"], citation["article"], citation["paragraph"], citation["item"])


@lru_cache(maxsize=None)
def _anchor(instrument: str, article: int, paragraph, item) -> str:
    citation = {"instrument": instrument, "article": article, "paragraph": paragraph, "item": item}
    return "p-" + knowledge_base().cited_id(citation).replace("/", "-")


def render_result(result: Result, fmt: str, lang: str = "zh", reading_marks: bool = True,
                  run: dict | None = None) -> str:
    """``result`` as JSON (the contract; ``lang`` does not apply), text or markdown (one section
    per region) or the HTML report (:mod:`explain.report`; ``reading_marks`` False leaves out the
    marks of conclusions that hinge on a reading, and the readings analysis they cost; ``run``:
    where that analysis runs its parts, the command's ``--workers``/``--scheduler``/progress)."""
    if fmt == "json":
        return to_json_text(result.to_json())
    if fmt == "html":
        from explain.report import render_report

        return render_report(result, lang, readings=reading_marks, run=run)
    doc = result.to_json()
    names = {r.id: r.name for r in result.case.regions.values()}
    officials = {o.id: o for o in result.case.officials.values()}
    template = environment(lang).get_template(f"result.{ {'text': 'txt', 'markdown': 'md'}[fmt] }")
    sections = region_sections(doc, result.case)
    quiet = [r for r in result.case.regions.values() if r.id not in {s.id for s in sections}]
    return template.render(doc=doc, names=names, officials=officials, sections=sections, quiet=quiet)
