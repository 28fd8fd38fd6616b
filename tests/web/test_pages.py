"""The pages: every view of the demo case renders, hostile strings stay text, decisions show their effect."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[test]' (make setup)")

import re

import yaml
from webutil import HOSTILE, check_markup, hostile_doc


def test_front_page_offers_the_shipped_cases_and_an_upload(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/cases/tonghua?lang=zh"' in page.text and 'href="/cases/changzhou?lang=zh"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert check_markup(page.text).bad == []


def test_case_page_counts_tiers_per_year_and_draws_the_timeline(client):
    page = client.get("/cases/tonghua")
    assert page.status_code == 200
    text = page.text
    assert 'id="summary"' in text and "整治状态时间线" in text  # the report's front page, then the timeline
    doc = client.get("/cases/tonghua/result.json").json()
    table = text[text.index('class="counts"'):text.index("</table>", text.index('class="counts"'))]
    years = [int(y) for y in re.findall(r"<th>(\d{4})</th>", table)]
    assert years and years == sorted(years)
    rows = {}
    for level, cells in re.findall(r'<span class="lv lv-(\w+)">.*?</th>(.*?)</tr>', table, re.S):
        rows[level] = [int(n) for n in re.findall(r'<td class="num[^"]*">(\d+)</td>', cells)]
    expected = {}  # regions under each level in each year, from the result JSON
    for s in doc["status"]:
        if s["level"] != "absent":
            expected.setdefault(s["level"], {}).setdefault(s["year"], set()).add(s["region"])
    assert rows == {lv: [len(per_year.get(y, ())) for y in years] for lv, per_year in expected.items()}
    assert 'href="/cases/tonghua/region?id=220581&amp;lang=zh"' in text  # the summary's regions link to their pages
    assert re.search(r'<select name="decide"', text)  # open decisions are form controls


def test_region_and_official_pages_link_every_conclusion_to_its_justification(client):
    region = client.get("/cases/tonghua/region", params={"id": "220581"}).text
    assert "梅河口市" in region and "why?region=220581&amp;year=2022&amp;lang=zh" in region
    assert 'action="/cases/tonghua/why-not"' in region
    assert "why-not?region=220581&amp;year=2019&amp;level=notified_warning" in region  # a finding's other tiers
    assert 'class="card"' in region and '<details class="why">' in region  # the report's card, justifications
    assert 'id="provisions"' in region and "罂粟" in region  # the cited provisions with their words
    official = client.get("/cases/tonghua/official", params={"id": "li_na"}).text
    assert "李娜" in official
    links = re.findall(r'href="/cases/tonghua/why\?([^"]*)"', official)
    assert any({"official=li_na", "year=2020", "measure=no_promotion"} <= set(q.split("&amp;")) for q in links)


def test_justification_switches_language(client):
    zh = client.get("/cases/tonghua/why", params={"region": "220581", "year": 2022}).text
    en = client.get("/cases/tonghua/why", params={"region": "220581", "year": 2022, "lang": "en"}).text
    assert "第七条第（四）项" in zh and "Article 7(4)" in en
    assert "is under listed rectification in 2022" in en
    assert 'hreflang="zh"' in en


def test_why_not_page_names_the_failed_condition(client):
    page = client.get("/cases/tonghua/why-not",
                      params={"region": "220582", "year": 2019, "level": "notified_warning"}).text
    assert "4999" in page and "poppy_plants" in page


def test_fixing_a_decision_shows_what_changes(client):
    base = client.get("/cases/tonghua").text
    option = re.search(r'<option value="(official=zhao_min:2022:no_discipline)"', base)
    assert option, "zhao_min's 2022 discipline is an open decision of the demo"
    fixed = client.get("/cases/tonghua", params={"decide": option.group(1)}).text
    changes = fixed[fixed.index('id="changes"'):fixed.index('id="summary"')]
    assert "removed" in changes and "党纪政务" in changes
    assert f'<option value="{option.group(1)}" selected>' in fixed


def test_bad_decision_is_an_error_page_with_the_message(client):
    page = client.get("/cases/tonghua", params={"decide": "220581:2022:nonsense"})
    assert page.status_code == 422 and "unknown decision" in page.text


def test_uploaded_hostile_case_renders_as_text_on_every_page(client):
    files = {"case": ("../../hostile<x>.yaml", yaml.safe_dump(hostile_doc(), allow_unicode=True), "text/yaml")}
    opened = client.post("/cases", files=files, follow_redirects=False)
    assert opened.status_code == 303
    home = opened.headers["location"]
    pages = [home, f"{home}?lang=en", "/"]
    case = client.get(home).text
    pages += [m.replace("&amp;", "&") for m in re.findall(r'href="(/cases/u[^"]*/(?:region|official|why)\?[^"]*)"', case)]
    assert len(pages) > 6
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        checker = check_markup(page.text)
        assert checker.bad == [], (url, checker.bad)
        assert "</style>" not in page.text.replace("&lt;/style&gt;", "")
    region = client.get(home + "/region", params={"id": 'A"x&</style>'}).text
    assert HOSTILE in "".join(check_markup(region).text)


def test_upload_naming_a_facts_table_not_uploaded_is_refused(client):
    doc = {**hostile_doc(), "facts": "../../etc/passwd.csv"}
    page = client.post("/cases", files={"case": ("case.yaml", yaml.safe_dump(doc), "text/yaml")})
    assert page.status_code == 422 and "was not given with the case" in page.text


def test_upload_with_its_facts_table(client, tmp_path):
    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "csv",
           "regions": [{"id": "r1", "name": "甲县", "kind": "county"}], "facts": "facts.csv"}
    table = "region,year,poppy_plants\nr1,2019,12000\n"
    opened = client.post("/cases", files=[("case", ("case.yaml", yaml.safe_dump(doc, allow_unicode=True), "text/yaml")),
                                           ("tables", ("facts.csv", table, "text/csv"))])
    assert opened.status_code == 200 and "甲县" in opened.text and "挂牌整治" in opened.text


def test_region_and_official_pages_mark_what_hinges_on_a_reading(client):
    """Issue 16: the pages mark the conclusions that hinge on a reading, as the report does, from
    the readings of the region's part alone, with the readings section the marks link to."""
    from pathlib import Path

    from pydesig import load_case
    from pydesig.readings import readings

    case = load_case(Path(__file__).resolve().parents[2] / "kb/cases/tonghua.yaml")
    finding = next(e for e in readings(case)["conclusions"]
                   if e["kind"] == "finding" and e["region"] == "220581" and e["year"] == 2019)
    assert finding["holds"] == "some"  # under art6_basis=explicit nothing in the demo is found
    page = client.get("/cases/tonghua/region", params={"id": "220581", "lang": "en"}).text
    assert '<span class="hinge">' in page and 'id="readings"' in page and "art6_basis=implied" in page
    official = client.get("/cases/tonghua/official", params={"id": "zhang_wei"}).text
    assert '<span class="hinge">' in official and 'id="readings"' in official


def test_region_page_draws_the_reports_card_for_that_region(client, tmp_path, monkeypatch):
    """One template per concept: a region's page holds the card ``solve --region R --format html``
    draws, byte for byte, in either language, reading marks included."""
    from click.testing import CliRunner

    from pydesig.cli import main

    doc = {**hostile_doc(), "title": "卡片"}
    data = yaml.safe_dump(doc, allow_unicode=True).encode("utf-8")
    (tmp_path / "card.yaml").write_bytes(data)
    home = client.post("/cases", files={"case": ("card.yaml", data, "text/yaml")},
                       follow_redirects=False).headers["location"]
    monkeypatch.chdir(tmp_path)
    rid = 'A"x&</style>'
    for lang in ("zh", "en"):
        page = client.get(home + "/region", params={"id": rid, "lang": lang}).text
        report = CliRunner().invoke(main, ["solve", "card.yaml", "--region", rid, "--format", "html", "--lang", lang,
                                           "--workers", "1", "-q"]).stdout
        card = re.search(r'<section class="card".*?</section>', report, re.S).group(0)
        assert card in page
        provisions = re.search(r'<section id="provisions">.*?</section>', report, re.S).group(0)
        assert provisions in page
