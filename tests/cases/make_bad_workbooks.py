"""Write the workbook and encoding fixtures of ``tests/cases/bad/`` (binary files, so they are
generated: run ``python tests/cases/make_bad_workbooks.py`` after changing this script).

Each workbook case ``<name>.xlsx`` has its expected message in ``<name>.expect``; a facts table
(``.xlsx`` or ``.csv``) is named by a ``<name>.yaml`` case whose ``# expect:`` line holds it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl

BAD = Path(__file__).parent / "bad"
HEAD = "format: pydesig-case/1\nruleset: {rs}\nregions:\n  - \"{region}\"\n"


def _save(wb, path: Path) -> None:
    """Save with fixed zip dates so that regenerating gives the same bytes."""
    buffer = io.BytesIO()
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data)
    path.write_bytes(out.getvalue())


def _book(sheets: dict) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    return wb


def table_case(name: str, expect: str, table: str, *, rs="jilin-2019", region="220581", extra="") -> None:
    (BAD / f"{name}.yaml").write_text(
        f"# expect: {expect}\n# file: {table}\n" + HEAD.format(rs=rs, region=region) + extra
        + f"facts: {table}\n", encoding="utf-8")


def workbook_case(name: str, expect: str, sheets: dict) -> None:
    _save(_book(sheets), BAD / f"{name}.xlsx")
    (BAD / f"{name}.expect").write_text(expect + "\n", encoding="utf-8")


def main() -> None:
    (BAD / "xlsx-not-a-workbook.xlsx").write_text("region,year\n220581,2019\n", encoding="utf-8")
    table_case("xlsx-not-a-workbook", "not an Excel workbook (.xlsx) that can be read", "xlsx-not-a-workbook.xlsx")

    _save(_book({"甲": [["region", "year"]], "乙": [["x"]]}), BAD / "xlsx-no-facts-sheet.xlsx")
    table_case("xlsx-no-facts-sheet", "no sheet named 'facts' (sheets: '甲', '乙')", "xlsx-no-facts-sheet.xlsx")

    _save(_book({"facts": []}), BAD / "xlsx-empty-sheet.xlsx")
    table_case("xlsx-empty-sheet", "sheet 'facts' is empty (it needs a header row)", "xlsx-empty-sheet.xlsx")

    _save(_book({"facts": [["地区", "年度", "来源", "非法种植罂粟株数"], ["220581", 2019, "通报", 5000],
                           ["220581", 2020, "通报", 12000.5]]}), BAD / "xlsx-fraction-count.xlsx")
    table_case("xlsx-fraction-count", "sheet 'facts' row 3, column D: field 'poppy_plants': must be an integer "
               "≥ 0, got 12000.5", "xlsx-fraction-count.xlsx")

    _save(_book({"facts": [["region", "year", "source", "user_incident"], ["220581", 2019, None, "可能"]]}),
          BAD / "xlsx-bad-flag.xlsx")
    table_case("xlsx-bad-flag", "sheet 'facts' row 2, column D: field 'user_incident': must be true or false, "
               "got '可能'", "xlsx-bad-flag.xlsx")

    _save(_book({"facts": [["地区", "年度", "来源", "罂粟株数"], ["220581", 2019, None, 5]]}),
          BAD / "xlsx-unknown-column.xlsx")
    table_case("xlsx-unknown-column", "sheet 'facts' row 1, column D: unknown column '罂粟株数': not an "
               "indicator of ruleset jilin-2019 (did you mean '非法种植罂粟株数' [poppy_plants]?)",
               "xlsx-unknown-column.xlsx")

    _save(_book({"facts": [["地区", "年度", "来源", "国家禁毒委员会确定的状态"], ["220581", 2019, None, "挂牌"]]}),
          BAD / "xlsx-unknown-enum-value.xlsx")
    table_case("xlsx-unknown-enum-value", "sheet 'facts' row 2, column D: field 'national_status': unknown value "
               "'挂牌' (did you mean '挂牌整治'?); accepted: 挂牌整治 (listed_rectification), 通报警示 "
               "(notified_warning), 重点关注 (key_attention)", "xlsx-unknown-enum-value.xlsx")

    _save(_book({"facts": [["地区", "年度", "非法种植罂粟株数", "涉种地块数"], ["220581", 2019, 5000, 12],
                           ["220581", 2020, "=C2*2", 12]]}), BAD / "xlsx-formula-not-computed.xlsx")
    table_case("xlsx-formula-not-computed", "sheet 'facts' row 3, column C: a formula whose result was never "
               "stored", "xlsx-formula-not-computed.xlsx")

    wb = _book({"facts": [["地区", "年度", "非法种植罂粟株数", "来源"], ["220581", 2019, "通报", None]]})
    wb["facts"].merge_cells("C2:D2")
    _save(wb, BAD / "xlsx-merged-across-columns.xlsx")
    table_case("xlsx-merged-across-columns", "sheet 'facts' row 2, column C: cells C2:D2 are merged across "
               "columns", "xlsx-merged-across-columns.xlsx")

    (BAD / "csv-unknown-list-item.csv").write_bytes(
        "地区,年度,指标,值\n220581,2020,第十一条所列原因,领导不重视;保障不够\n".encode("gb18030"))
    table_case("csv-unknown-list-item", "row 1 (line 2): field 'failure_causes': unknown value '保障不够'",
               "csv-unknown-list-item.csv")

    official = ("officials:\n  - {id: u, name: 单位, region: \"320481\", role: department_head, since: 2015}\n")
    _save(_book({"facts": [["人员", "年度", "年度禁毒工作计划制定日期"], ["u", 2019, dt.datetime(2018, 12, 15)]]}),
          BAD / "xlsx-date-other-year.xlsx")
    table_case("xlsx-date-other-year", "sheet 'facts' row 2, column C: field 'annual_plan_date': the date "
               "2018-12-15 is not in the record's year 2019", "xlsx-date-other-year.xlsx", rs="changzhou",
               region="320481", extra=official)

    _save(_book({"facts": [["official", "year", "written_report_date"], ["u", 2019, "2019-02-30"]]}),
          BAD / "xlsx-not-a-date.xlsx")
    table_case("xlsx-not-a-date", "field 'written_report_date': not a date: '2019-02-30'", "xlsx-not-a-date.xlsx",
               rs="changzhou", region="320481", extra=official)

    (BAD / "csv-not-utf8-or-gb18030.csv").write_bytes("region,year,source\n220581,2019,".encode()
                                                       + "通報".encode("big5") + b"\xff\n")
    table_case("csv-not-utf8-or-gb18030", "line 2: neither UTF-8 nor GB18030 text", "csv-not-utf8-or-gb18030.csv")

    (BAD / "csv-utf16.csv").write_bytes("region,year\n220581,2019\n".encode("utf-16"))
    table_case("csv-utf16", "UTF-16 text is not accepted (accepted encodings: UTF-8 (with or without BOM) "
               "and GB18030/GBK", "csv-utf16.csv")

    # a zip whose directory says it unpacks to 4 GB (a zip bomb, without the bytes)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("xl/worksheets/sheet1.xml", (1980, 1, 1, 0, 0, 0)), b"0" * 100)
    data = bytearray(buffer.getvalue())
    at = data.index(b"PK\x01\x02") + 24
    data[at:at + 4] = (0xFFFFFF00).to_bytes(4, "little")
    (BAD / "xlsx-zip-bomb.xlsx").write_bytes(bytes(data))
    (BAD / "xlsx-zip-bomb.expect").write_text("the workbook unpacks to 4,294,967,040 bytes, more than the "
                                              "536,870,912 a case file may hold\n", encoding="utf-8")

    workbook_case("xlsx-case-no-facts-sheet", "no sheet named 'facts' (a workbook case has a facts sheet",
                  {"case": [["ruleset", "jilin-2019"]]})
    workbook_case("xlsx-case-unknown-ruleset", "sheet 'case' row 2, column B: field 'ruleset': unknown ruleset "
                  "'jilin'", {"case": [["format", "pydesig-case/1"], ["ruleset", "jilin"]],
                              "facts": [["region", "year"]]})
    workbook_case("xlsx-case-no-ruleset", "no 'case' sheet naming the ruleset, and the indicators do not tell",
                  {"facts": [["region", "year", "neglect"]]})
    workbook_case("xlsx-case-regions-column", "sheet 'regions' row 1, column C: unknown column '面积' (the "
                  "regions sheet has columns id, name, kind, parent)",
                  {"case": [["ruleset", "jilin-2019"]], "regions": [["代码", "名称", "面积"]],
                   "facts": [["region", "year"]]})
    workbook_case("xlsx-case-region-kind", "sheet 'regions' row 3, column C: field 'kind': unknown value '村'; "
                  "accepted: 省 (province), 市（州） (city), 县级（县、市、区、市州政府管理的开发区） (county), "
                  "乡镇（街道） (township)",
                  {"case": [["ruleset", "jilin-2019"]], "regions": [["id", "name", "kind", "parent"],
                                                                  ["代码", "名称", "级别", "上级"],
                                                                  ["A1", "甲", "村", "220500"]],
                   "facts": [["region", "year"]]})
    workbook_case("xlsx-case-unknown-role", "sheet 'officials' row 2, column D: field 'role': unknown value "
                  "'书记'; accepted: 党委主要领导 (party_secretary), 政府主要领导 (government_head)", {
                      "case": [["ruleset", "changzhou"]],
                      "officials": [["编号", "姓名", "地区", "职务", "任职起始年"], ["a", "甲", "320481", "书记", 2015]],
                      "facts": [["region", "year"], ["320481", 2019]]})
    workbook_case("xlsx-case-unknown-decision", "sheet 'decisions' row 2, column C: field 'decision': unknown "
                  "value '延期' (did you mean '延期整治'?); accepted: 延期整治（第十一条：应当延期或升级） (extend)", {
                      "case": [["ruleset", "jilin-2019"]],
                      "decisions": [["地区", "年度", "决定"], ["220581", 2020, "延期"]],
                      "facts": [["region", "year"], ["220581", 2019]]})
    workbook_case("xlsx-case-duplicate-key", "sheet 'case' row 3, column A: duplicate key 'ruleset' (first given "
                  "at sheet 'case' row 1)", {"case": [["ruleset", "jilin-2019"], ["title", "t"],
                                                       ["规则集", "changzhou"]],
                                              "facts": [["region", "year"]]})


if __name__ == "__main__":
    main()
