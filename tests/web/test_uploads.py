"""Uploads go through the CLI's readers: every format the CLI reads (a YAML, JSON or XLSX case file;
facts tables in CSV, UTF-8 or GB18030, or XLSX) gives, once uploaded, the result the CLI gives for the same
files, byte for byte; a bad file is refused with the CLI's one-line message (HTTP 422); a body over
the limit is 413."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[test]' (make setup)")

import html
import json
import re

import yaml
from click.testing import CliRunner
from fastapi.testclient import TestClient
import openpyxl
from workbooks import case_workbook, facts_sheet

from pydesig.cli import main
from pydesig.web import Settings, create_app

DOC = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "上传的案例",
       "regions": [{"id": "r1", "name": "甲县", "kind": "county"}],
       "facts": [{"region": "r1", "year": 2019, "poppy_plants": 12000, "source": "省禁毒委通报"}]}
TABLE_DOC = {**DOC, "facts": "facts.csv"}
CSV_IDS = "region,year,poppy_plants,source\nr1,2019,12000,省禁毒委通报\n"
CSV_ZH = "地区,年度,非法种植罂粟株数,来源\nr1,2019,12000,省禁毒委通报\n"  # as Excel on Chinese Windows saves it


def _yaml(doc) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


def _xlsx(doc, tmp_path) -> bytes:
    case_workbook(doc, tmp_path / "built.xlsx", zh=True)
    return (tmp_path / "built.xlsx").read_bytes()


def _xlsx_table(facts, tmp_path) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    facts_sheet(book, facts, zh=True)
    book.save(tmp_path / "facts.xlsx")
    return (tmp_path / "facts.xlsx").read_bytes()


FORMATS = {  # name: the case file and the tables uploaded with it
    "yaml": lambda tmp: [("case.yaml", _yaml(DOC))],
    "json": lambda tmp: [("case.json", json.dumps(DOC, ensure_ascii=False).encode("utf-8"))],
    "csv-utf8": lambda tmp: [("case.yaml", _yaml(TABLE_DOC)), ("facts.csv", ("\ufeff" + CSV_IDS).encode("utf-8"))],
    "csv-gb18030": lambda tmp: [("case.yaml", _yaml(TABLE_DOC)), ("facts.csv", CSV_ZH.encode("gb18030"))],
    "xlsx": lambda tmp: [("case.xlsx", _xlsx(DOC, tmp))],
    "xlsx-table": lambda tmp: [("case.yaml", _yaml({**DOC, "facts": "facts.xlsx"})),
                               ("facts.xlsx", _xlsx_table(DOC["facts"], tmp))],
}


def _upload(client, files):
    (name, data), tables = files[0], files[1:]
    parts = [("case", (name, data, "application/octet-stream"))]
    parts += [("tables", (t, d, "application/octet-stream")) for t, d in tables]
    return client.post("/cases", files=parts, follow_redirects=False)


def _cli(tmp_path, monkeypatch, files, *args):
    for name, data in files:
        (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, ["solve", files[0][0], "--workers", "1", *args])


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_uploads_to_the_cli_result(client, tmp_path, monkeypatch, fmt):
    files = FORMATS[fmt](tmp_path)
    cli = _cli(tmp_path, monkeypatch, files, "--format", "json")
    assert cli.exit_code == 0, cli.stderr
    assert json.loads(cli.stdout)["findings"], "the case has a finding to compare"
    opened = _upload(client, files)
    assert opened.status_code == 303, opened.text
    answer = client.get(opened.headers["location"] + "/result.json")
    assert answer.status_code == 200
    assert answer.content == cli.stdout.encode("utf-8")
    page = client.get(opened.headers["location"])
    assert page.status_code == 200 and "上传的案例" in page.text and "甲县" in page.text


def _error_line(page: str) -> str:
    return html.unescape(re.search(r'<p class="error">(.*?)</p>', page, re.S).group(1))


BAD = {  # a bad file of each kind, refused by the readers
    "yaml-value": [("case.yaml", _yaml({**DOC, "facts": [{**DOC["facts"][0], "poppy_plants": -5}]}))],
    "yaml-syntax": [("case.yaml", b"format: pydesig-case/1\nregions: [\n")],
    "json-syntax": [("case.json", b'{"format": "pydesig-case/1",\n "ruleset": }')],
    "csv-gb18030-value": [("case.yaml", _yaml(TABLE_DOC)),
                          ("facts.csv", CSV_ZH.replace("12000", "一万二").encode("gb18030"))],
    "csv-not-text": [("case.yaml", _yaml(TABLE_DOC)), ("facts.csv", "地区,年度\n".encode("utf-16"))],
    "xlsx-broken": [("case.xlsx", b"PK\x03\x04 not a workbook")],
    "not-a-case-file": [("case.txt", _yaml(DOC))],
    "table-not-uploaded": [("case.yaml", _yaml(TABLE_DOC))],
}


@pytest.mark.parametrize("bad", BAD)
def test_a_bad_upload_is_422_with_the_cli_message(client, tmp_path, monkeypatch, bad):
    files = BAD[bad]
    refused = _upload(client, files)
    assert refused.status_code == 422
    message = _error_line(refused.text)
    assert "\n" not in message
    if bad == "table-not-uploaded":  # the CLI would look on its disk; the server never does
        assert message.startswith("case.yaml: line ")
        assert message.endswith("field 'facts': the facts table 'facts.csv' was not given with the case")
        return
    cli = _cli(tmp_path, monkeypatch, files, "--format", "json")
    assert cli.exit_code == 2
    assert message == cli.stderr.strip().removeprefix("pydesig: ")


def test_an_upload_over_the_size_limit_is_413():
    with TestClient(create_app(Settings(max_body=4096, workers=1))) as small:
        answer = small.post("/cases", files={"case": ("case.yaml", b"#" * 8000 + b"\n" + _yaml(DOC), "text/yaml")})
        assert answer.status_code == 413 and "limit of 4096 bytes" in answer.json()["error"]
