"""Downloads from a case's pages: the result JSON, the workbook and the HTML report, each the bytes the
CLI writes for the same case and options, with its content type and a file name to save it under."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[test]' (make setup)")

import html
import io
import re
from urllib.parse import unquote

import openpyxl
import yaml
from click.testing import CliRunner

from pydesig.cli import main


MINI = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "一县一年",
        "regions": [{"id": "r1", "name": "甲县", "kind": "county"}, {"id": "r2", "name": "乙县", "kind": "county"}],
        "officials": [{"id": "p1", "name": "王一", "region": "r1", "role": "party_secretary", "since": 2015}],
        "facts": [{"region": "r1", "year": 2019, "poppy_plants": 12000, "source": "省禁毒委通报"},
                  {"region": "r2", "year": 2019, "poppy_plants": 3000, "source": "省禁毒委通报"}]}


@pytest.fixture(scope="module")
def uploaded(client, tmp_path_factory):
    """A small case (a county listed, an official held to account) uploaded as ``mini.yaml``; the
    folder holds the same file for the CLI."""
    folder = tmp_path_factory.mktemp("download")
    data = yaml.safe_dump(MINI, allow_unicode=True, sort_keys=False).encode("utf-8")
    (folder / "mini.yaml").write_bytes(data)
    opened = client.post("/cases", files={"case": ("mini.yaml", data, "text/yaml")}, follow_redirects=False)
    assert opened.status_code == 303
    return opened.headers["location"], folder


def _cli(folder, monkeypatch, *args) -> bytes:
    monkeypatch.chdir(folder)
    out = folder / "out"
    result = CliRunner().invoke(main, ["solve", "mini.yaml", "--workers", "1", "-q", *args, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out.read_bytes()


def _links(page: str) -> dict[str, str]:
    """The download links of a page: file suffix → href."""
    section = page[page.index('class="downloads"'):]
    section = section[:section.index("</ul>")]
    return {re.search(r"/(?:result|report)\.(\w+)\?", h).group(1): html.unescape(h)
            for h in re.findall(r'href="([^"]+)"', section)}


def _filename(response) -> str:
    disposition = response.headers["content-disposition"]
    return unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1))


def test_the_case_page_downloads_json_xlsx_and_the_report(client, uploaded, monkeypatch):
    home, folder = uploaded
    links = _links(client.get(home, params={"lang": "en"}).text)
    assert set(links) == {"json", "xlsx", "html"}

    answer = client.get(links["json"])
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert _filename(answer) == "mini.result.json"
    assert answer.content == _cli(folder, monkeypatch, "--format", "json")

    book = client.get(links["xlsx"])
    assert book.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert _filename(book) == "mini.result.xlsx"
    assert book.content == _cli(folder, monkeypatch, "--format", "xlsx")
    sheets = openpyxl.load_workbook(io.BytesIO(book.content), read_only=True)
    assert {"findings", "status", "measures", "duties", "provisions"} <= set(sheets.sheetnames)
    measures = list(sheets["measures"].values)
    assert len(measures) > 2 and any("p1" in map(str, row) for row in measures)

    report = client.get(links["html"])
    assert report.headers["content-type"] == "text/html; charset=utf-8"
    assert report.headers["content-disposition"].startswith("attachment;")
    assert _filename(report) == "mini.report.en.html"
    assert report.content == _cli(folder, monkeypatch, "--format", "html", "--lang", "en")


def test_a_region_page_downloads_its_own_entries(client, uploaded, monkeypatch):
    home, folder = uploaded
    links = _links(client.get(home + "/region", params={"id": "r2"}).text)
    assert set(links) == {"json", "xlsx"}
    answer = client.get(links["json"])
    assert _filename(answer) == "mini.r2.result.json"
    assert answer.content == _cli(folder, monkeypatch, "--format", "json", "--region", "r2")
    assert [f["region"] for f in answer.json()["findings"]] == ["r2"]
    named = client.get(home + "/result.json", params={"official": "王一", "year": "2020"})
    assert named.content == _cli(folder, monkeypatch, "--format", "json", "--official", "王一", "--year", "2020")
    assert _filename(named) == "mini.王一.2020.result.json"
    assert named.json()["measures"] and not named.json()["findings"]
    unknown = client.get(home + "/result.xlsx", params={"region": "集安市"})
    assert unknown.status_code == 422 and "集安市" in html.unescape(unknown.text)
