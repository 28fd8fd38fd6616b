"""Values a table cell may give by their Chinese names, as the instrument words them.

An analyst fills a workbook in the words of the text: 挂牌整治 rather than
``listed_rectification``, 党委主要领导 rather than ``party_secretary``.  Wherever a table (a CSV
file or a workbook sheet) takes an id from a fixed set -- an enumerated or list indicator, a
region's ``kind``, an official's ``role``, a ``decision`` -- it also takes that id's Chinese
name: the term of ``kb/vocabulary`` with the same id (an indicator names its section with
``value_terms``) and the names an indicator lists in ``value_zh``.  A name that ends in a
bracketed gloss may also be written without it (市（州） → 市) when that names one value only.
Names are compared after Unicode NFKC folding (full-width and half-width brackets agree), case
and spaces ignored.  YAML and JSON case files keep to the ids.

A value that is none of these is refused here, naming the accepted values in both languages,
because the schema's message would list the ids only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..indicators import indicators
from ..kb import knowledge_base
from ..schema import did_you_mean, show

__all__ = ["Terms", "indicator_terms", "vocabulary_terms", "decision_terms", "ruleset_terms"]

_GLOSS = re.compile(r"^(.+?)[（(][^（）()]*[)）]$")


def _fold(text: str) -> str:
    """The form names are compared in: NFKC, no spaces, case folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


@dataclass(frozen=True)
class Terms:
    """The values of one field: ``ids`` in their order, ``names`` (id → its Chinese names, the
    main one first) and ``lookup`` (folded written form → id)."""

    field: str
    ids: tuple[str, ...]
    names: dict
    lookup: dict

    def read(self, text: str) -> str | None:
        """The id ``text`` names, or None."""
        return self.lookup.get(_fold(text))

    def accepted(self) -> str:
        """The values in words, for messages: ``挂牌整治 (listed_rectification), …``."""
        return ", ".join(f"{self.names[i][0]} ({i})" if self.names.get(i) else i for i in self.ids)

    def unknown(self, text: str) -> str:
        """The message for a value that names none of the values."""
        written = [n for i in self.ids for n in (i, *self.names.get(i, ()))]
        written += [m[1] for m in map(_GLOSS.match, written) if m]  # 延期整治（…） → 延期整治
        return (f"unknown value {show(text)}{did_you_mean(text, written)}; accepted: "
                f"{self.accepted()}")

    def choices(self) -> list[str]:
        """What a drop-down list offers: every Chinese name, then every id."""
        return [self.names[i][0] for i in self.ids if self.names.get(i)] + list(self.ids)


def _terms(field: str, ids, names: dict) -> Terms:
    ids = tuple(ids)
    names = {i: tuple(dict.fromkeys(n for n in names.get(i, ()) if n)) for i in ids}
    lookup: dict[str, str] = {}
    short: dict[str, set] = {}
    for i in ids:
        lookup[_fold(i)] = i
        for name in names[i]:
            lookup.setdefault(_fold(name), i)
            m = _GLOSS.match(unicodedata.normalize("NFKC", name))
            if m:
                short.setdefault(_fold(m[1]), set()).add(i)
    for name, owners in short.items():
        if len(owners) == 1:  # a short form that names two values names neither
            lookup.setdefault(name, next(iter(owners)))
    return Terms(field, ids, names, lookup)


def _vocabulary_names(section: str, ids) -> dict:
    vocab = knowledge_base().vocabulary.get(section, {})
    return {i: [vocab[i]["zh"]] for i in ids if isinstance(vocab.get(i), dict) and vocab[i].get("zh")}


@lru_cache(maxsize=None)
def indicator_terms(name: str) -> Terms | None:
    """The values of an enumerated or list indicator with their Chinese names (None for others)."""
    ind = indicators().get(name)
    if ind is None or ind.type not in ("enum", "list"):
        return None
    names = _vocabulary_names(ind.value_terms, ind.values) if ind.value_terms else {}
    for i, extra in ind.value_zh.items():
        names.setdefault(i, []).extend([extra] if isinstance(extra, str) else extra)
    return _terms(name, ind.values, names)


@lru_cache(maxsize=None)
def vocabulary_terms(field: str, section: str) -> Terms:
    """The values of a records-sheet field that takes the ids of a vocabulary section
    (``kind``: ``region_kinds``, ``role``: ``roles``)."""
    ids = list(knowledge_base().vocabulary.get(section, {}))
    return _terms(field, ids, _vocabulary_names(section, ids))


@lru_cache(maxsize=None)
def decision_terms(ruleset: str) -> Terms:
    """The discretionary decisions of ``ruleset`` (those whose provision is in its text, as
    ``solve`` checks them)."""
    vocab = knowledge_base().vocabulary.get("decisions", {})
    ids = [i for i, d in vocab.items()
           if str(d.get("provision", ruleset + "/")).startswith(ruleset + "/")]
    return _terms("decision", ids, _vocabulary_names("decisions", ids))


@lru_cache(maxsize=1)
def ruleset_terms() -> Terms:
    """The rule sets by id or by the instrument's name, full or short, with or without its
    title marks (吉林省毒品问题严重地区责任考评实施细则, 《常州市禁毒工作责任制》)."""
    instruments = knowledge_base().vocabulary.get("instruments", {})
    names = {}
    for rid, entry in instruments.items():
        short = (entry.get("short") or {}).get("zh", "")
        names[rid] = [entry.get("zh", ""), short, short.strip("《》")]
    return _terms("ruleset", list(instruments), names)
