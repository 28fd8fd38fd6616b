"""The text justification reads as one argument: each step after what it rests on, a provision
quoted once and named afterwards; JSON is the contract's tree, unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from explain import render, why
from explain.render import cite_text, linearize
from pydesig import load_case

REPO = Path(__file__).resolve().parents[1]
TONGHUA = REPO / "kb" / "cases" / "tonghua.yaml"
CHANGZHOU = REPO / "kb" / "cases" / "changzhou.yaml"

QUESTIONS = [
    (TONGHUA, {"region": "220581", "year": 2022}),  # a failed assessment leading to an extension
    (TONGHUA, {"official": "zhang_wei", "year": 2022, "measure": "discipline"}),  # … and to discipline
    (TONGHUA, {"region": "220521", "year": 2019}),  # three consecutive years
    (CHANGZHOU, {"official": "ly_zhou", "year": 2021, "measure": "discipline"}),
]


def _walk(node):
    yield node
    for child in node.get("children", []):
        yield from _walk(child)


@pytest.fixture(scope="module")
def trees():
    return [(why(load_case(str(path)), lang=lang, **kw), lang) for path, kw in QUESTIONS for lang in ("zh", "en")]


def test_a_provision_is_quoted_once_then_named(trees):
    """Each clause that applied is quoted once; nothing of a provision quoted whole is quoted again."""
    for tree, lang in trees:
        text = render(tree, "text", lang)
        cited = {json.dumps(c, sort_keys=True): c for n in _walk(tree) for c in n["citations"]}
        assert cited
        for c in cited.values():
            whole = cite_text({k: v for k, v in c.items() if k != "quote"}, lang)
            quote = cite_text(c, lang)
            if text.count(whole) == 1 and "quote" in c:  # quoted whole once: its clauses are named only
                assert text.count(quote) == 0, (c["label"], lang)
            else:  # a clause that applied (the words of the step), or the whole, quoted once
                assert text.count(quote) == 1, (c["label"], lang)


def test_steps_come_after_what_they_rest_on_and_each_is_stated_once(trees):
    for tree, lang in trees:
        doc = linearize(tree, lang)
        numbers = [e["number"] for e in doc["evidence"]] + [s["number"] for s in doc["steps"]]
        assert numbers == list(range(1, len(numbers) + 1))
        for step in doc["steps"]:
            assert all(r < step["number"] for r in step["refs"]), step
        statements = [s["statement"] for s in doc["steps"]]
        text = render(tree, "text", lang)
        for s in statements:
            assert s[1:] in text  # English sentences begin with a capital


def test_the_failed_extension_leading_to_discipline_reads_in_order(trees):
    text = render(why(load_case(str(TONGHUA)), official="zhang_wei", year=2022, measure="discipline"), "text", "zh")
    order = ["非法种植罂粟株数：12000", "2019年度的情形应予评定为挂牌整治", "2020年处于挂牌整治期间",
             "2021年经考评验收，未按期完成整治任务", "作出的决定为：延期整治", "2022年对张伟适用党纪政务（政纪）处分"]
    body = text[text.index("一、事实与证据"):]
    positions = [body.index(s) for s in order]
    assert positions == sorted(positions), positions
    assert text.startswith("结论：2022年对张伟适用党纪政务（政纪）处分。")
    assert "综上" in text


def test_three_consecutive_years_are_three_steps_of_one_argument():
    text = render(why(load_case(str(TONGHUA)), region="220521", year=2019, lang="en"), "text", "en")
    detected = [int(m) for m in re.findall(r"detected by the national or provincial commission in (\d{4})", text)]
    assert sorted(set(detected)) == [2017, 2018, 2019]
    # the item is met in one step (criterion/4 folded into ground/4), resting on the three years
    assert re.search(r"met in 2019 the listed rectification criterion of Article 7\(4\)\. "
                     r"\(From \[\d+\], \[\d+\], \[\d+\]\.\)", text)


def test_json_is_the_tree_unchanged(trees):
    for tree, lang in trees:
        assert json.loads(render(tree, "json", lang)) == json.loads(json.dumps(tree, ensure_ascii=False))
        for node in _walk(tree):
            assert "statement" in node and "citations" in node
            assert ("children" in node) != ("fact" in node)


def test_rendering_is_deterministic():
    a = render(why(load_case(str(CHANGZHOU)), region="320481", year=2020), "text", "zh")
    b = render(why(load_case(str(CHANGZHOU)), region="320481", year=2020), "text", "zh")
    assert a == b
