"""The law as data: provisions, vocabulary and interpretations read from ``kb/``.

Every citation pydesig prints is built here from ``kb/provisions/*.yaml``; no label or quoted
text is typed anywhere else.  A provision id names a unit of an instrument at the precision the
text allows: ``jilin-2019/art_7``, ``jilin-2019/art_7/item_4``, ``jilin-2019/art_11/para_2``,
``changzhou/art_26/para_1/item_3``.  For an article with a single paragraph the ``para_1`` step
may be left out (and is, in canonical ids), because the contract cites paragraphs only where an
article has more than one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

import yaml

from .paths import kb_dir

__all__ = [
    "Provision",
    "Interpretation",
    "KnowledgeBase",
    "knowledge_base",
    "UnknownProvision",
    "chinese_numeral",
]

MODALITIES = ("obligatory", "discretionary", "definitional", "procedural", "non-operative")

_ID = re.compile(r"^(?P<inst>[a-z0-9-]+)/art_(?P<art>\d+)(?:/para_(?P<para>\d+))?(?:/item_(?P<item>\d+))?$")
_DIGITS = "零一二三四五六七八九"
_FULL_WIDTH = str.maketrans("()", "（）")


# The knowledge base is trusted data shipped with the package: read it with libyaml's safe loader
# where PyYAML was built with it (several times faster), else with the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str):
    """Parse a YAML file of the knowledge base."""
    return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader


class UnknownProvision(KeyError):
    """A provision id that names no unit of the knowledge base."""


def chinese_numeral(n: int) -> str:
    """1 → 一, 11 → 十一, 27 → 二十七 (enough for article, paragraph and item numbers)."""
    if n <= 0 or n >= 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True)
class Provision:
    """One article, paragraph (款) or item (项) of an instrument."""

    id: str
    instrument: str
    article: int
    paragraph: int | None  # None for the article itself
    item: int | None
    zh: str
    en: str
    modality: str
    chapter: int
    cite_paragraph: bool  # the article has more than one paragraph
    marker: str | None = None
    note: str | None = None
    reason: str | None = None
    heading: str | None = None
    lead_zh: str | None = None  # an article's own words without its items (for short quotes)
    lead_en: str | None = None

    @property
    def label(self) -> str:
        """The Chinese citation label: 第七条第（四）项, 第十一条第二款."""
        text = f"第{chinese_numeral(self.article)}条"
        if self.paragraph and self.cite_paragraph:
            text += f"第{chinese_numeral(self.paragraph)}款"
        if self.item:
            marker = (self.marker or f"（{chinese_numeral(self.item)}）").translate(_FULL_WIDTH)
            text += f"第{marker}项"
        return text

    @property
    def label_en(self) -> str:
        """The English citation label: Article 7(4), Article 11 ¶2, Article 26 ¶1(3)."""
        text = f"Article {self.article}"
        if self.paragraph and self.cite_paragraph:
            text += f" ¶{self.paragraph}"
        if self.item:
            text += f"({self.item})"
        return text

    def citation(self) -> dict:
        """The contract's citation object."""
        return {
            "instrument": self.instrument,
            "article": self.article,
            "paragraph": self.paragraph if self.cite_paragraph else None,
            "item": self.item,
            "label": self.label,
            "text": self.zh,
        }


@dataclass(frozen=True)
class Interpretation:
    """A reading the text leaves open, named so that users see it and can switch it."""

    id: str
    instrument: str
    reads: tuple[str, ...]
    words: str
    options: tuple[str, ...]
    default: str
    zh: str
    en: str
    option_text: dict = field(default_factory=dict, compare=False, hash=False)
    # The instruments whose encodings read it: one, or several where they use the same words
    # (``relevant_persons``: 有关责任人 in Jilin 第二十二条 and Changzhou 第二十一条、第二十四条).
    instruments: tuple[str, ...] = ()

    def applies_to(self, ruleset: str) -> bool:
        return ruleset in (self.instruments or (self.instrument,))


class KnowledgeBase:
    """All provisions of both instruments, indexed by canonical id."""

    def __init__(self, provisions: dict[str, Provision], titles: dict[str, dict],
                 vocabulary: dict, interpretations: dict[str, Interpretation]):
        self._provisions = provisions
        self.titles = titles
        self.vocabulary = vocabulary
        self.interpretations = interpretations

    def __iter__(self) -> Iterator[Provision]:
        return iter(self._provisions.values())

    def __contains__(self, pid: str) -> bool:
        try:
            self.canonical(pid)
        except UnknownProvision:
            return False
        return True

    def canonical(self, pid: str) -> str:
        """The canonical form of a provision id (``para_1`` dropped for one-paragraph articles)."""
        m = _ID.match(pid)
        if not m:
            raise UnknownProvision(pid)
        inst, art = m["inst"], int(m["art"])
        base = f"{inst}/art_{art}"
        if base not in self._provisions:
            raise UnknownProvision(pid)
        para = int(m["para"]) if m["para"] else None
        item = int(m["item"]) if m["item"] else None
        multi = self._provisions[base].cite_paragraph
        if para is None and item is not None:
            para = 1
        cid = base
        if para is not None and (multi or para != 1):
            cid += f"/para_{para}"
        if item is not None:
            cid += f"/item_{item}"
        if cid not in self._provisions:
            raise UnknownProvision(pid)
        return cid

    def get(self, pid: str) -> Provision:
        return self._provisions[self.canonical(pid)]

    def citation(self, pid: str) -> dict:
        return self.get(pid).citation()

    @staticmethod
    def cited_id(citation: dict) -> str:
        """The provision id a contract citation object names (the inverse of :meth:`citation`)."""
        pid = f"{citation['instrument']}/art_{citation['article']}"
        if citation["paragraph"]:
            pid += f"/para_{citation['paragraph']}"
        if citation["item"]:
            pid += f"/item_{citation['item']}"
        return pid

    def articles(self, instrument: str) -> list[Provision]:
        return [p for p in self if p.instrument == instrument and p.paragraph is None]

    def interpretation(self, name: str) -> Interpretation:
        return self.interpretations[name]

    def term(self, section: str, key: str, lang: str = "zh") -> str:
        """The name of a vocabulary term (level, role, measure …) in ``lang``."""
        entry = self.vocabulary.get(section, {}).get(key)
        return entry[lang] if entry else key


def _load_instrument(path, provisions: dict[str, Provision]) -> tuple[str, dict]:
    data = read_yaml(path.read_text(encoding="utf-8"))
    inst = data["instrument"]
    for art in data["articles"]:
        n = art["article"]
        paras = art["paragraphs"]
        multi = len(paras) > 1
        first = paras[0]
        art_id = f"{inst}/art_{n}"
        heading = (art.get("heading") or {}).get("en")
        # The article as a whole: its text is every paragraph with its items.
        whole_zh = "\n".join(
            p["text"]["zh"] + "".join(i["marker"] + i["text"]["zh"] for i in p.get("items", []))
            for p in paras
        )
        whole_en = "\n".join(
            p["text"]["en"] + "".join(f" {i['marker']} {i['text']['en']}" for i in p.get("items", []))
            for p in paras
        )
        modalities = {p["modality"] for p in paras}
        provisions[art_id] = Provision(
            id=art_id, instrument=inst, article=n, paragraph=None, item=None,
            zh=whole_zh, en=whole_en,
            modality=first["modality"] if len(modalities) == 1 else "mixed",
            chapter=art["chapter"], cite_paragraph=multi, heading=heading,
            reason=first.get("reason") if len(modalities) == 1 else None,
            note=first.get("note") if not multi else None,
            lead_zh="\n".join(p["text"]["zh"] for p in paras),
            lead_en="\n".join(p["text"]["en"] for p in paras),
        )
        for p in paras:
            pid = f"{art_id}/para_{p['paragraph']}" if multi else art_id
            if multi:
                provisions[pid] = _unit(pid, inst, n, p["paragraph"], None, p, art["chapter"], multi, heading)
            for it in p.get("items", []):
                iid = f"{pid}/item_{it['item']}"
                provisions[iid] = _unit(iid, inst, n, p["paragraph"], it["item"], it, art["chapter"], multi, heading)
    return inst, {"title": data["title"], "chapters": data.get("chapters", [])}


def _unit(pid, inst, art, para, item, data, chapter, multi, heading) -> Provision:
    return Provision(
        id=pid, instrument=inst, article=art, paragraph=para, item=item,
        zh=data["text"]["zh"], en=data["text"]["en"], modality=data["modality"],
        chapter=chapter, cite_paragraph=multi, marker=data.get("marker"),
        note=data.get("note"), reason=data.get("reason"), heading=heading,
    )


def _load_interpretations(folder) -> dict[str, Interpretation]:
    result = {}
    entries = []
    for path in sorted(folder.glob("*.yaml")):
        entries.extend(read_yaml(path.read_text(encoding="utf-8")) or [])
    for entry in entries:
        options = entry["options"]
        instruments = entry["instrument"] if isinstance(entry["instrument"], list) else [entry["instrument"]]
        result[entry["id"]] = Interpretation(
            id=entry["id"], instrument=instruments[0], reads=tuple(entry["reads"]),
            words=entry["words"], options=tuple(options), default=entry["default"],
            zh=entry["zh"], en=entry["en"], option_text=options, instruments=tuple(instruments),
        )
    return result


@lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The knowledge base shipped with pydesig (read once per process)."""
    root = kb_dir()
    provisions: dict[str, Provision] = {}
    titles = {}
    for path in sorted((root / "provisions").glob("*.yaml")):
        inst, meta = _load_instrument(path, provisions)
        titles[inst] = meta
    vocabulary = read_yaml((root / "vocabulary.yaml").read_text(encoding="utf-8"))
    # Each instrument may add terms (duties, notices, decisions …) in kb/vocabulary/<id>.yaml.
    for path in sorted((root / "vocabulary").glob("*.yaml")):
        for section, terms in (read_yaml(path.read_text(encoding="utf-8")) or {}).items():
            vocabulary.setdefault(section, {}).update(terms)
    interpretations = _load_interpretations(root / "interpretations")
    return KnowledgeBase(provisions, titles, vocabulary, interpretations)
