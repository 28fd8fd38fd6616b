"""The provisions in ``kb/provisions`` are the source texts in ``kb/sources``, cut into units.

Every article, paragraph (款) and item (项) of both instruments is present, numbered in order,
and its Chinese text reproduces the source verbatim: the units of an article, joined back
together, give the article as it stands in the source file (whitespace aside).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "kb"

INSTRUMENTS = {
    # id: (provisions file, source file, number of articles)
    "jilin-2019": ("provisions/jilin-2019.yaml", "sources/jilin-2019-draft.txt", 27),
    "changzhou": ("provisions/changzhou.yaml", "sources/changzhou-responsibility.txt", 30),
}
MODALITIES = {"obligatory", "discretionary", "definitional", "procedural", "non-operative"}

_DIGITS = "一二三四五六七八九"
_NUMERAL = "[一二三四五六七八九十]+"
# 第N条 opens an article only at the start of a line or after whitespace, and only when
# whitespace follows: a cross-reference such as 「第二十五条第三项」 is not an article start.
_ARTICLE = re.compile(rf"(?:^|(?<=\s))第({_NUMERAL})条(?=\s)", re.M)
# A chapter heading runs from 第N章 to the next 第 (the following article); no title contains 第.
_CHAPTER = re.compile(rf"(?:^|(?<=\s))第({_NUMERAL})章([^第]*)", re.M)
_WS = re.compile(r"\s+")


def cn_number(numeral: str) -> int:
    """Chinese numeral from 一 to 九十九."""
    if "十" not in numeral:
        return _DIGITS.index(numeral) + 1
    tens, _, units = numeral.partition("十")
    return (_DIGITS.index(tens) + 1 if tens else 1) * 10 + (_DIGITS.index(units) + 1 if units else 0)


def squeeze(text: str) -> str:
    return _WS.sub("", text)


def rules_text(instrument: str) -> str:
    """The part of the source file that is the instrument itself."""
    text = (KB / INSTRUMENTS[instrument][1]).read_text(encoding="utf-8")
    if instrument == "jilin-2019":
        # The notice header before 第一章 and the issuing trailer after 第二十七条 are not rules.
        start = text.index("第一章")
        end = text.index("中共吉林省委办公厅", text.index("第二十七条"))
        return text[start:end]
    # Changzhou: one line, closed by a stray " |" that is not part of the text.
    text = text.rstrip()
    assert text.endswith("|")
    return text[:-1]


def source_articles(instrument: str) -> dict[int, str]:
    """Article number -> article text (after 第N条, chapter headings removed)."""
    text = rules_text(instrument)
    starts = list(_ARTICLE.finditer(text))
    out = {}
    for here, nxt in zip(starts, starts[1:] + [None]):
        body = text[here.end() : nxt.start() if nxt else len(text)]
        number = cn_number(here.group(1))
        assert number not in out, f"{instrument}: 第{here.group(1)}条 twice in the source"
        out[number] = _CHAPTER.sub("", body)
    return out


def source_chapters(instrument: str) -> dict[int, str]:
    return {cn_number(m.group(1)): squeeze(m.group(2)) for m in _CHAPTER.finditer(rules_text(instrument))}


@pytest.fixture(scope="module", params=sorted(INSTRUMENTS))
def kb(request):
    instrument = request.param
    doc = yaml.safe_load((KB / INSTRUMENTS[instrument][0]).read_text(encoding="utf-8"))
    return instrument, doc


def units(doc):
    """(label, unit) for every paragraph and item."""
    for article in doc["articles"]:
        for paragraph in article["paragraphs"]:
            yield f"art {article['article']} para {paragraph['paragraph']}", paragraph
            for item in paragraph.get("items", []):
                yield f"art {article['article']} para {paragraph['paragraph']} item {item['item']}", item


def test_header(kb):
    instrument, doc = kb
    assert doc["instrument"] == instrument
    assert doc["title"]["zh"] and doc["title"]["en"]
    assert (KB / doc["source"]) == KB / INSTRUMENTS[instrument][1]


def test_articles_complete_and_in_order(kb):
    instrument, doc = kb
    numbers = [a["article"] for a in doc["articles"]]
    assert numbers == list(range(1, INSTRUMENTS[instrument][2] + 1))


def test_chapters_match_source(kb):
    instrument, doc = kb
    chapters = {c["number"]: c["title"]["zh"] for c in doc["chapters"]}
    assert chapters == source_chapters(instrument)
    assert all(c["title"]["en"] for c in doc["chapters"])
    assert all(a["chapter"] in chapters for a in doc["articles"])
    assert [a["chapter"] for a in doc["articles"]] == sorted(a["chapter"] for a in doc["articles"])


def test_articles_sit_in_their_source_chapter(kb):
    instrument, doc = kb
    text = rules_text(instrument)
    chapter_at = [(m.start(), cn_number(m.group(1))) for m in _CHAPTER.finditer(text)]
    for m in _ARTICLE.finditer(text):
        chapter = max(number for pos, number in chapter_at if pos < m.start())
        article = next(a for a in doc["articles"] if a["article"] == cn_number(m.group(1)))
        assert article["chapter"] == chapter, f"article {article['article']}"


def test_paragraphs_and_items_numbered_from_one(kb):
    _, doc = kb
    for article in doc["articles"]:
        assert article["heading"]["en"]
        paragraphs = article["paragraphs"]
        assert [p["paragraph"] for p in paragraphs] == list(range(1, len(paragraphs) + 1))
        for paragraph in paragraphs:
            if "items" in paragraph:
                items = paragraph["items"]
                assert items, f"art {article['article']}: empty items list"
                assert [i["item"] for i in items] == list(range(1, len(items) + 1))


def test_zh_text_is_the_source_text(kb):
    instrument, doc = kb
    source = source_articles(instrument)
    assert sorted(source) == [a["article"] for a in doc["articles"]]
    for article in doc["articles"]:
        joined = ""
        for paragraph in article["paragraphs"]:
            joined += paragraph["text"]["zh"]
            for item in paragraph.get("items", []):
                joined += item["marker"] + item["text"]["zh"]
        assert squeeze(joined) == squeeze(source[article["article"]]), f"article {article['article']}"


def test_zh_text_is_verbatim_and_stripped(kb):
    instrument, doc = kb
    text = rules_text(instrument)
    for label, unit in units(doc):
        zh = unit["text"]["zh"]
        assert zh == zh.strip(), label
        assert zh in text, f"{label}: not a verbatim substring of the source"
        if "marker" in unit:
            assert re.search(re.escape(unit["marker"]) + r"\s*" + re.escape(zh), text), label


def test_every_unit_has_text_and_modality(kb):
    _, doc = kb
    for label, unit in units(doc):
        assert unit["text"]["zh"].strip(), label
        assert isinstance(unit["text"]["en"], str) and unit["text"]["en"].strip(), label
        assert unit["modality"] in MODALITIES, label
        if unit["modality"] == "non-operative":
            assert isinstance(unit.get("reason"), str) and unit["reason"].strip(), label
        if "note" in unit:
            assert isinstance(unit["note"], str) and unit["note"].strip(), label


def test_item_markers(kb):
    instrument, doc = kb
    for article in doc["articles"]:
        for paragraph in article["paragraphs"]:
            for item in paragraph.get("items", []):
                n = item["item"]
                if instrument == "changzhou":
                    expected = f"({_numeral(n)})"
                elif article["article"] == 21:
                    expected = f"（{n}）"
                else:
                    expected = f"（{_numeral(n)}）"
                assert item["marker"] == expected, f"art {article['article']} item {n}"


def _numeral(n: int) -> str:
    if n <= 9:
        return _DIGITS[n - 1]
    tens, units_ = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens - 1]) + "十" + (_DIGITS[units_ - 1] if units_ else "")


@pytest.mark.parametrize(
    ("instrument", "article", "paragraph", "start"),
    [
        ("jilin-2019", 11, 2, "省级禁毒重点整治延长期限为1年。"),
        ("jilin-2019", 23, 2, "市（州）内有国家级挂牌整治地区"),
        ("jilin-2019", 24, 2, "被列为毒品问题严重地区前"),
        ("changzhou", 7, 2, "被国家和省级禁毒委员会列为重点通报"),
        ("changzhou", 26, 2, "对属于第二十五条第三项规定的情形"),
    ],
)
def test_known_paragraph_splits(instrument, article, paragraph, start):
    doc = yaml.safe_load((KB / INSTRUMENTS[instrument][0]).read_text(encoding="utf-8"))
    art = next(a for a in doc["articles"] if a["article"] == article)
    assert len(art["paragraphs"]) == paragraph
    assert art["paragraphs"][paragraph - 1]["text"]["zh"].startswith(start)


def test_splitter_ignores_cross_references():
    # 第二十六条 cites 「第二十五条第三项」; that must stay inside article 26.
    assert "第二十五条第三项" in source_articles("changzhou")[26]
    assert cn_number("二十七") == 27 and cn_number("十") == 10 and cn_number("三十") == 30
