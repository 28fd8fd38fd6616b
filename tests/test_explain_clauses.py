"""A justification quotes the clause of a provision that applied, not the whole 款: the alternative
of 第七条第（四）项 the facts met, the sentence of 第十七条 that names the person's role (both languages).
The clauses are data (explain/templates/clauses.yaml); these tests hold them to the text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explain import render, why
from explain.render import linearize
from explain.statements import _spec, clauses
from pydesig import load_case
from pydesig.indicators import indicators
from pydesig.kb import knowledge_base
from pydesig.program import RULESETS

REPO = Path(__file__).resolve().parents[1]
TONGHUA = REPO / "kb" / "cases" / "tonghua.yaml"
CHANGZHOU = REPO / "kb" / "cases" / "changzhou.yaml"
KB = knowledge_base()


def _flat(text: str) -> str:
    return "".join(text.split())


def _quoted_text(p) -> tuple[str, str]:
    """What a citation of ``p`` quotes in full: an article's own words (without its items), else its text."""
    return (p.lead_zh or p.zh, p.lead_en or p.en) if p.paragraph is None else (p.zh, p.en)


def test_every_clause_is_the_provision_s_own_words_in_order():
    for pid, entries in clauses().items():
        assert KB.canonical(pid) == pid, f"{pid}: write the canonical id"
        p = KB.get(pid)
        zh, en = _quoted_text(p)
        for lang, full in (("zh", zh), ("en", en)):
            positions = [_flat(full).find(_flat(e[lang])) for e in entries]
            assert all(i >= 0 for i in positions), f"{pid} {lang}: a clause is not in the text: {positions}"
            assert positions == sorted(positions), f"{pid} {lang}: clauses out of the text's order"
        assert len(entries) > 1, f"{pid}: a provision with one clause is quoted whole anyway"


def test_every_clause_is_reached_by_names_the_rules_use():
    """A ``when`` entry is a predicate some rule set derives or reads, an indicator, or a term of the
    vocabulary: a misspelt name would leave the clause unreachable without any error."""
    from clingo import ast

    from pydesig.annotations import rule_sites

    predicates, constants = set(), set()

    def collect(node):
        if isinstance(node, ast.AST):
            if node.ast_type == ast.ASTType.Function:
                predicates.add(f"{node.name}/{len(node.arguments)}")
                if not node.arguments:
                    constants.add(node.name)
            elif node.ast_type == ast.ASTType.SymbolicTerm:
                constants.add(str(node.symbol).strip('"'))
            for key in node.keys():
                collect(getattr(node, key))
        elif isinstance(node, (list, tuple)) or type(node).__name__.endswith("Vector"):
            for child in node:
                collect(child)

    for ruleset in RULESETS:
        for site in rule_sites(ruleset):
            collect(site.statement)
    terms = {k for section in KB.vocabulary.values() if isinstance(section, dict) for k in section}
    known = predicates | constants | set(indicators()) | terms | set(_spec()["statements"])
    for pid, entries in clauses().items():
        for e in entries:
            unknown = sorted(set(e["when"]) - known)
            assert not unknown, f"{pid}: {unknown} names nothing the rules use"


def _citations(tree, label):
    out, stack, seen = [], [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        out += [c for c in node.get("citations", []) if c["label"] == label]
        stack.extend(node.get("children", []))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_plants_alternative_is_quoted_for_12000_plants(lang):
    tree = why(load_case(str(TONGHUA)), region="220581", year=2019, lang=lang)
    [cited] = _citations(tree, "第七条第（四）项")
    assert cited["quote"] == ["禁种铲毒责任落实不到位，年内被国家或省禁毒委员会累计发现非法种植罂粟10000株及以上或涉种地块500处及以上的；"]
    assert cited["text"].startswith("禁种铲毒")  # the contract's text stays the whole item
    text = render(tree, "text", lang)
    if lang == "zh":
        assert "第七条第（四）项“禁种铲毒责任落实不到位，年内被国家或省禁毒委员会累计发现非法种植罂粟10000株及以上或涉种地块500处及以上的；……”" in text
        assert "连续3年" not in text
    else:
        assert "500 or more cultivation plots;…\"" in text
        assert "3 consecutive years" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_three_years_alternative_is_quoted_for_three_years_of_detection(lang):
    """通化县 2019: 150 plants, detected in 2017, 2018 and 2019 — the item is met by its second
    alternative, which the quote gives in full (the issue's 「10000株及以上…」 cut is gone)."""
    tree = why(load_case(str(TONGHUA)), region="220521", year=2019, lang=lang)
    quotes = [c.get("quote") for c in _citations(tree, "第七条第（四）项")]
    assert quotes and all(q == ["非法种植毒品原植物连续3年被国家或省禁毒委员会监测发现的。"] for q in quotes), quotes
    text = render(tree, "text", lang)
    if lang == "zh":
        assert "第七条第（四）项“……非法种植毒品原植物连续3年被国家或省禁毒委员会监测发现的。”" in text
        assert "10000株及以上" not in text
    else:
        assert "Article 7(4) of the Jilin Rules: \"…or the illegal cultivation of drug-source plants has been " \
               "detected by the National or Provincial Narcotics Control Commission through monitoring in 3 " \
               "consecutive years;\"" in text
        assert "10,000 or more" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_person_s_role_is_quoted_by_its_own_sentence(lang):
    """张伟, 党委主要领导: 第十七条's first sentence (第一责任人), not the two on 直接责任人."""
    tree = why(load_case(str(TONGHUA)), official="zhang_wei", year=2020, measure="discipline", lang=lang)
    text = render(tree, "text", lang)
    if lang == "zh":
        assert "第十七条“毒品问题严重地区党委和政府主要领导是禁毒工作第一责任人。……”" in text
        assert "禁毒委员会主任是直接责任人" not in text
    else:
        assert "for drug-control work.…\"" in text
        assert "persons directly responsible" not in text


def test_changzhou_roles_and_listing_quote_their_sentences():
    tree = why(load_case(str(CHANGZHOU)), official="ly_zhou", year=2021, measure="discipline", lang="zh")
    text = render(tree, "text", "zh")
    m = re.search(r"第三条“([^”]*)”", text)
    assert m and m.group(1) == "各级党委、政府主要领导是禁毒工作第一责任人,对本行政区域禁毒工作负总责。……", m


def test_each_clause_is_quoted_once_and_another_clause_of_the_same_provision_is_quoted_too():
    """A provision's clause is quoted at its first citation and named afterwards; a step resting on
    another of its clauses quotes that one (第十条: the 2-year term, then the lowering)."""
    tree = why(load_case(str(TONGHUA)), region="220581", lang="zh")  # the timeline: designation … downgrade
    doc = linearize(tree, "zh")
    quoted = [c for s in doc["steps"] for c in s["citations"] if "第十条“" in c]
    assert len(quoted) == len(set(quoted))
    assert any("挂牌整治实行2年限期整治。" in q for q in quoted)
