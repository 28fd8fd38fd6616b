"""The HTML report's layout: a summary front page, one card per region, a small graph per
conclusion with articles in numeric order, provision text in the page, a print stylesheet,
English, and no script anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explain.report import conclusion_svg
from pydesig import load_case, solve
from pydesig.narrow import narrow
from pydesig.render import render_result
from pydesig.sections import region_sections

REPO = Path(__file__).resolve().parents[1]
TONGHUA = REPO / "kb" / "cases" / "tonghua.yaml"


@pytest.fixture(scope="module")
def result():
    return solve(load_case(str(TONGHUA)))


@pytest.fixture(scope="module")
def html(result):
    return render_result(result, "html")


def test_summary_then_one_card_per_region(result, html):
    sections = region_sections(result.to_json(), result.case)
    assert html.index('id="summary"') < html.index('<section class="card"')
    assert html.count('<section class="card"') == len(sections)
    for sec in sections:  # every region with conclusions has its card, linked from the front page
        assert f">{sec.region.name}</a>" in html
    card = html.split('<section class="card"')[6]  # 梅河口市: findings, status, measures and its officials
    assert "梅河口市" in card and "张伟" in card and 'id="f' in card and 'id="s' in card and 'id="m' in card


def test_counts_per_level_and_year(result, html):
    front = html[html.index('id="summary"'):html.index('<section class="card"')]
    listed = {s["region"] for s in result.status if s["year"] == 2020 and s["level"] == "listed_rectification"}
    row = re.search(r"lv-listed_rectification\">挂牌整治</span></th>(.*?)</tr>", front).group(1)
    counts = [int(n) for n in re.findall(r">(\d+)</td>", row)]
    years = [int(y) for y in re.findall(r"<th>(\d{4})</th>", front)[:len(counts)]]
    assert counts[years.index(2020)] == len(listed) > 0


def test_provision_text_is_in_the_page_not_only_on_hover(html):
    visible = re.sub(r'title="[^"]*"', "", html)
    assert "累计发现非法种植罂粟10000株及以上" in visible  # 第七条第（四）项's words as page text


def test_a_small_graph_per_conclusion_not_one_global_graph(html):
    assert html.count('<svg') == html.count('<details class="why">') > 10
    assert 'class="graph"' not in html  # the old global derivation graph is gone


def test_graph_lists_articles_in_numeric_order():
    c = lambda art: {"instrument": "jilin-2019", "article": art, "paragraph": None, "item": None,  # noqa: E731
                     "label": f"第{'十' if art == 10 else '四' if art == 4 else '二十五'}条", "text": ""}
    tree = {"statement": "结论", "citations": [c(25), c(10)],
            "children": [{"statement": "步骤", "citations": [c(4)], "children": []}]}
    svg = str(conclusion_svg(tree))
    assert svg.index("第四条") < svg.index("第十条") < svg.index("第二十五条")


def test_print_stylesheet_expands_justifications(html):
    css = html[html.index("<style>"):html.index("</style>")]
    assert "@media print" in css and "details::details-content" in css and "@page" in css
    assert "max-width: 100%" in css  # graphs shrink to the page


def test_no_script_needed_nothing_loaded(html):
    loose = html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # a namespace name, nothing fetched
    assert "<script" not in loose and "<link" not in loose and "http://" not in loose and "https://" not in loose


def test_english_report(result):
    en = render_result(result, "html", "en")
    assert '<html lang="en">' in en and "Summary" in en and "Article 7(4)" in en and "listed rectification" in en
    assert "概览" not in en


def test_narrowed_report_has_only_that_region(result):
    html = render_result(narrow(result, regions=["220581"]), "html")
    assert html.count('<section class="card"') == 1 and "梅河口市" in html


def test_hostile_names_escaped_in_graphs():
    svg = str(conclusion_svg({"statement": "<script>x</script>", "citations": [],
                              "children": [{"statement": '"</svg><b>', "citations": [], "children": []}]}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "</svg><b>" not in svg
