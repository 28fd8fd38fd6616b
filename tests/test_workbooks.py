"""Data in and out the way analysts keep it: workbooks, Excel's CSV encodings, templates, and
results as workbooks and CSV tables."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from pydesig import load_case, solve
from pydesig.errors import CaseError
from pydesig.indicators import indicators
from pydesig.readers import load_case_bytes
from pydesig.render import render_result
from pydesig.writers import SHEETS, csv_files, template_bytes, xlsx_bytes

from workbooks import case_workbook, facts_sheet

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "kb" / "cases"
GOOD = Path(__file__).parent / "cases" / "good"
HEAD_JILIN = 'format: pydesig-case/1\nruleset: jilin-2019\nregions: ["220581"]\n'


def _doc(name: str) -> dict:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


def _json(case) -> str:
    """The result JSON: byte-identical whatever format the case came in (a case warning names its
    record by what it is, never by where it was read)."""
    return render_result(solve(case), "json")


@pytest.fixture(scope="module")
def reference():
    return {name: _json(load_case(CASES / name)) for name in ("tonghua.yaml", "changzhou.yaml")}


@pytest.mark.parametrize("name,form,zh", [("tonghua.yaml", "wide", False), ("tonghua.yaml", "long", True),
                                          ("changzhou.yaml", "wide", True), ("changzhou.yaml", "long", False)])
def test_shipped_cases_as_workbooks_solve_byte_identically(tmp_path, reference, name, form, zh):
    path = tmp_path / f"{Path(name).stem}.xlsx"
    case_workbook(_doc(name), path, form=form, zh=zh)
    assert _json(load_case(path)) == reference[name]


def test_yaml_case_may_name_a_workbook_of_facts(tmp_path, reference):
    doc = _doc("tonghua.yaml")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    facts_sheet(wb, doc["facts"], zh=True)
    wb.save(tmp_path / "事实.xlsx")
    doc["facts"] = "事实.xlsx"
    (tmp_path / "case.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    case = load_case(tmp_path / "case.yaml")
    assert _json(case) == reference["tonghua.yaml"]
    assert case.sources == (str(tmp_path / "事实.xlsx"),)
    assert case.facts[0].record == "sheet 'facts' row 2"


def _facts(case) -> set:
    return {(f.subject, f.subject_id, f.year, f.indicator, f.value, f.source) for f in case.facts}


@pytest.mark.parametrize("encoding,bom", [("gb18030", b""), ("gbk", b""), ("utf-8", b"\xef\xbb\xbf"),
                                          ("utf-8", b"")])
def test_csv_as_excel_saves_it(tmp_path, encoding, bom):
    reference = load_case(GOOD / "basic.yaml")
    text = (GOOD / "wide.csv").read_text(encoding="utf-8")
    (tmp_path / "wide.csv").write_bytes(bom + text.encode(encoding))
    (tmp_path / "wide.yaml").write_text((GOOD / "wide.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert _facts(load_case(tmp_path / "wide.yaml")) == _facts(reference)


def test_workbook_cells_as_excel_types_them(tmp_path):
    head = ("format: pydesig-case/1\nruleset: changzhou\nregions: ['320481']\n"
            "officials: [{id: u, name: 单位, region: '320481', role: department_head, since: 2015}]\n"
            "facts: f.xlsx\n")
    (tmp_path / "c.yaml").write_text(head, encoding="utf-8")
    import datetime as dt
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "facts"
    ws.append(["人员", "年度", "年度禁毒工作计划制定日期", "安排禁毒专项经费", "成员单位未履行的职责"])
    ws.append(["u", "2019", dt.datetime(2019, 12, 15), "是", None])
    ws.append(["u", 2020.0, "2020/3/1", True, None])
    ws.append(["u", 2021, 1215, 1, None])
    ws.append(["u", "2022年", "2022年3月1日", "否", None])
    wb.save(tmp_path / "f.xlsx")
    facts = {(f.year, f.indicator): f.value for f in load_case(tmp_path / "c.yaml").facts}
    assert facts == {(2019, "annual_plan_date"): 1215, (2019, "unit_funds_allocated"): True,
                     (2020, "annual_plan_date"): 301, (2020, "unit_funds_allocated"): True,
                     (2021, "annual_plan_date"): 1215, (2021, "unit_funds_allocated"): True,
                     (2022, "annual_plan_date"): 301, (2022, "unit_funds_allocated"): False}


def test_every_indicator_has_its_own_chinese_column_name():
    names = [ind.column for ind in indicators().values()]
    assert all(names) and len(set(names)) == len(names)


def _sheet_rows(ws) -> list[dict]:
    rows = list(ws.iter_rows(values_only=True))
    ids = rows[0]
    return [dict(zip(ids, r)) for r in rows[2:] if any(v is not None for v in r)]


def test_round_trip_template_filled_solved_read_back(tmp_path):
    """template → filled in → solve → xlsx → read back: every entry of the result is there."""
    doc = _doc("tonghua.yaml")
    path = tmp_path / "模板.xlsx"
    path.write_bytes(template_bytes("jilin-2019"))
    wb = openpyxl.load_workbook(path)
    ws = wb["case"]
    ws["B5"] = doc["title"]  # the title row the template leaves empty
    officials = wb["officials"]
    for o in doc["officials"]:
        officials.append([o["id"], o["name"], o["region"], o["role"], o["since"], o.get("until")])
    facts = wb["facts"]
    ids = [c.value for c in facts[1]]
    for r in doc["facts"]:
        facts.append([(";".join(r[c]) if isinstance(r.get(c), list) else r.get(c)) for c in ids])
    dec = wb["decisions"]  # the template's: region, official, year, decision, source
    assert [c.value for c in dec[1]] == ["region", "official", "year", "decision", "source"]
    for d in doc.get("decisions", []):
        dec.append([d.get("region"), d.get("official"), d["year"], d["decision"], d.get("source")])
    wb.save(path)
    case = load_case(path)
    result = solve(case)
    out = openpyxl.load_workbook(__import__("io").BytesIO(xlsx_bytes(result)), read_only=True)
    assert out.sheetnames[:6] == list(SHEETS)
    doc_out = result.to_json()
    for sheet in ("findings", "status", "measures", "duties", "decisions"):
        rows = _sheet_rows(out[sheet]) if sheet in out.sheetnames else []
        entries = doc_out.get(sheet, [])
        assert len(rows) == len(entries), sheet
        for row, entry in zip(rows, entries):
            subject = entry.get("subject") or {"region": entry.get("region")}
            kind, ident = next(iter(subject.items()))
            assert row.get("subject", row.get("region")) == ident
            cites = entry.get("basis") or [g["citation"] for g in entry.get("grounds", [])]
            labels = row.get("basis") or row.get("grounds")
            assert all(c["label"] in labels for c in cites), (sheet, entry)
    cited = {r["id"] for r in _sheet_rows(out["provisions"])}
    assert all(f"jilin-2019/art_{c['article']}" in "".join(cited) for e in doc_out["measures"] for c in e["basis"])
    # the template's facts read as the YAML's: same result as the shipped case
    assert render_result(result, "json").replace(case.title, "") == \
        _json(load_case(CASES / "tonghua.yaml")).replace(doc["title"], "")
    # and the result workbook reads back as the result, every entry
    from pydesig.readers import read_result_workbook
    assert read_result_workbook(xlsx_bytes(result)) == json.loads(render_result(result, "json"))


def test_result_workbook_is_deterministic_frozen_filtered_and_formula_safe(tmp_path):
    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "=HYPERLINK(\"http://x\")",
           "regions": [{"id": "220581", "name": "+梅河口市"}],
           "facts": [{"region": "220581", "year": 2019, "poppy_plants": 12000, "source": "@SUM(A1:A9)"}]}
    path = tmp_path / "c.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = solve(load_case(path))
    data = xlsx_bytes(result)
    assert data == xlsx_bytes(solve(load_case(path)))
    wb = openpyxl.load_workbook(__import__("io").BytesIO(data))
    ws = wb["findings"]
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:")
    names = [c for c in ws[3] if c.value == "+梅河口市"]
    assert names and names[0].data_type == "s" and names[0].quotePrefix
    assert ws.column_dimensions["B"].width >= 12  # two columns per Chinese character
    files = csv_files(result)
    assert set(files) >= {f"{s}.csv" for s in SHEETS}
    text = files["findings.csv"].decode("utf-8")
    assert text.startswith("\ufeffregion,") and "'+梅河口市" in text


def test_cli_solve_xlsx_and_csv_and_template(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "pydesig", *a], capture_output=True, text=True)
    p = run("solve", str(CASES / "changzhou.yaml"), "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    assert p.returncode == 0, p.stderr
    assert openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames[:6] == list(SHEETS)
    p = run("solve", str(CASES / "changzhou.yaml"), "--format", "csv", "-o", str(tmp_path / "tables"))
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "tables" / "duties.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    p = run("solve", str(CASES / "changzhou.yaml"), "--format", "csv")
    assert p.returncode == 2 and "-o DIR" in p.stderr
    p = run("template", "--ruleset", "changzhou", "--format", "csv", "-o", str(tmp_path / "t.csv"))
    assert p.returncode == 0, p.stderr
    head = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()
    assert head[0].startswith("region,official,year,source,") and "tasks_completed" in head[0]
    assert head[1].startswith("地区,人员,年度,来源,")


def test_template_workbook_loads_as_an_empty_case_and_describes_every_indicator():
    data = template_bytes("changzhou")
    case = load_case_bytes(data, "模板.xlsx")
    assert case.ruleset == "changzhou" and not case.facts and "320481" in case.regions
    wb = openpyxl.load_workbook(__import__("io").BytesIO(data))
    facts = wb["facts"]
    ids = [c.value for c in facts[1]]
    assert {i for i, ind in indicators().items() if "changzhou" in ind.rulesets} <= set(ids)
    col = ids.index("unit_funds_allocated") + 1
    assert "第十四条" in facts.cell(row=2, column=col).comment.text
    assert any("TRUE,FALSE,是,否" in (dv.formula1 or "") for dv in facts.data_validations.dataValidation)


def test_changzhou_reads_tasks_completed_and_its_former_name(tmp_path):
    doc = _doc("changzhou.yaml")
    text = yaml.safe_dump(doc, allow_unicode=True)
    assert "tasks_completed" in text and "targets_completed" not in text
    (tmp_path / "old.yaml").write_text(text.replace("tasks_completed", "targets_completed"), encoding="utf-8")
    assert _json(load_case(tmp_path / "old.yaml")) == _json(load_case(CASES / "changzhou.yaml"))
    both = ("format: pydesig-case/1\nruleset: changzhou\nregions: ['320481']\nfacts:\n"
            "  - {region: '320481', year: 2020, tasks_completed: false}\n"
            "  - {region: '320481', year: 2020, targets_completed: true}\n")
    (tmp_path / "both.yaml").write_text(both, encoding="utf-8")
    with pytest.raises(CaseError, match="conflicting values"):
        load_case(tmp_path / "both.yaml")


def test_result_workbook_bytes_do_not_depend_on_the_time(monkeypatch):
    import datetime as dt

    import openpyxl.writer.excel as excel

    result = solve(load_case(CASES / "changzhou.yaml"))
    first = xlsx_bytes(result)

    class Later(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

    monkeypatch.setattr(excel.datetime, "datetime", Later)
    assert xlsx_bytes(result) == first


def test_uploaded_case_reads_its_table_from_the_upload_only(tmp_path):
    text = (GOOD / "wide.yaml").read_bytes()
    table = (GOOD / "wide.csv").read_bytes()
    case = load_case_bytes(text, "wide.yaml", tables={"wide.csv": table})
    assert _facts(case) == _facts(load_case(GOOD / "basic.yaml"))
    with pytest.raises(CaseError, match="'wide.csv' was not given with the case"):
        load_case_bytes(text, "wide.yaml")


def _dropdowns(ws) -> dict:
    """Column id (header row 1) → the values its drop-down list offers (inline, or a range of
    the hidden sheet 'lists')."""
    ids = {c.column_letter: c.value for c in ws[1]}
    found = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type != "list":
            continue
        column = ids[str(dv.sqref).split(":")[0].rstrip("0123456789")]
        if dv.formula1.startswith("lists!"):
            lists = ws.parent["lists"]
            assert lists.sheet_state == "hidden"
            found[column] = [c.value for row in lists[dv.formula1.split("!")[1].replace("$", "")] for c in row]
        else:
            found[column] = dv.formula1.strip('"').split(",")
    return found


@pytest.mark.parametrize("ruleset", ["jilin-2019", "changzhou"])
def test_template_drop_downs_offer_chinese_names_and_ids(ruleset):
    wb = openpyxl.load_workbook(__import__("io").BytesIO(template_bytes(ruleset)))
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            assert len(dv.formula1 or "") <= 257, (ws.title, dv.formula1)  # Excel's 255 and the quotes
    roles = _dropdowns(wb["officials"])["role"]
    assert "党委主要领导" in roles and "party_secretary" in roles
    assert {"县级（县、市、区、市州政府管理的开发区）", "county"} <= set(_dropdowns(wb["regions"])["kind"])
    facts = _dropdowns(wb["facts"])
    enum = "national_status" if ruleset == "jilin-2019" else "listing"
    assert {"挂牌整治", "listed_rectification"} <= set(facts[enum]) if enum == "national_status" else \
        {"重点整治", "key_rectification"} <= set(facts[enum])
    officials = [c.value for c in wb["officials"][1]]
    assert ("member_unit" in officials) == (ruleset == "changzhou")  # only Changzhou's encodings read it
    decisions = _dropdowns(wb["decisions"])["decision"]
    first = "延期整治（第十一条：应当延期或升级）" if ruleset == "jilin-2019" else "依第二十五条第（三）项视情给予警告、严重警告等处分"
    assert first in decisions and ("extend" if ruleset == "jilin-2019" else "discipline_on_listing") in decisions


def test_template_filled_in_chinese_reads_as_the_ids(tmp_path):
    """An analyst fills the template in the instrument's words: roles, kinds, enumerations, list
    items (separated by ；or 、) and member units by their Chinese names."""
    path = tmp_path / "常州.xlsx"
    path.write_bytes(template_bytes("changzhou"))
    wb = openpyxl.load_workbook(path)
    regions = wb["regions"]
    regions.delete_rows(3, regions.max_row)
    regions.append(["X1", "某区", "县级", "320400"])
    regions.append(["X2", "某镇", "乡镇", "X1"])
    wb["officials"].append(["qin", "秦某", "X1", "有关职能部门负责人", 2015, None, "是"])
    wb["officials"].append(["li", "李某", "X2", "分管禁毒工作的领导", 2016, None, None])
    facts = wb["facts"]
    ids = [c.value for c in facts[1]]
    row = dict.fromkeys(ids)
    row.update(region="X1", year=2020, listing="重点整治", listed_by="省级", commission_director_role="其他人员",
               duties_failed="禁毒办组织禁毒专业培训；辖市（区）禁毒委结合本地实际建立重点通报和重点整治制度")
    facts.append([row[c] for c in ids])
    row = dict.fromkeys(ids)
    row.update(official="qin", year=2020, unit_duties_failed="牵头单位切实履行小组牵头工作职责、"
               "成员单位履行有关法律、法规和文件规定的其他禁毒职责")
    facts.append([row[c] for c in ids])
    wb["decisions"].append([None, "qin", 2020, "依第二十五条第(三)项视情不予处分", "市禁毒委决定"])
    wb.save(path)
    case = load_case(path)
    assert [(d["official"], d["decision"]) for d in case.decisions] == [("qin", "no_discipline_on_listing")]
    assert {r: case.regions[r].kind for r in ("X1", "X2")} == {"X1": "county", "X2": "township"}
    assert case.officials["qin"].role == "department_head" and case.officials["qin"].member_unit
    assert case.officials["li"].role == "deputy_in_charge" and not case.officials["li"].member_unit
    values = {f.indicator: f.value for f in case.facts}
    assert values == {"listing": "key_rectification", "listed_by": "provincial",
                      "commission_director_role": "other",
                      "duties_failed": ("office_training", "listing_system"),
                      "unit_duties_failed": ("lead_unit", "other_unit_duties")}


def test_chinese_values_in_a_gb18030_csv(tmp_path):
    """A CSV saved by Excel on Chinese Windows, values in Chinese, brackets half-width."""
    (tmp_path / "c.yaml").write_text(HEAD_JILIN + "facts: f.csv\n", encoding="utf-8")
    (tmp_path / "f.csv").write_bytes("地区,年度,国家禁毒委员会确定的状态,毒情监测认定,第十一条所列原因\r\n"
                                     "220581,2019,通报警示,比较突出,领导不重视、保障不到位\r\n"
                                     "220581,2020,key_attention,Spreading,\r\n".encode("gb18030"))
    facts = {(f.year, f.indicator): f.value for f in load_case(tmp_path / "c.yaml").facts}
    assert facts == {(2019, "national_status"): "notified_warning", (2019, "monitoring"): "prominent",
                     (2019, "failure_causes"): ("leadership", "safeguards"),
                     (2020, "national_status"): "key_attention", (2020, "monitoring"): "spreading"}
    doc = ("format: pydesig-case/1\nruleset: jilin-2019\nregions:\n  - {id: A, name: 甲, kind: 市(州)}\n"
           "facts: []\n")
    (tmp_path / "yaml-keeps-ids.yaml").write_text(doc, encoding="utf-8")
    with pytest.raises(CaseError, match="field 'kind'"):  # a YAML or JSON case file keeps to the ids
        load_case(tmp_path / "yaml-keeps-ids.yaml")


def test_near_miss_chinese_header_is_suggested(tmp_path):
    (tmp_path / "c.yaml").write_text(HEAD_JILIN + "facts: f.csv\n", encoding="utf-8")
    (tmp_path / "f.csv").write_text("地区,年度,涉种地快数\n220581,2019,3\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"unknown column '涉种地快数'.*did you mean '涉种地块数' \[planting_plots\]"):
        load_case(tmp_path / "c.yaml")
    (tmp_path / "f.csv").write_text("地区,年度,指标,值\n220581,2019,涉种地快数,3\n", encoding="utf-8")
    with pytest.raises(CaseError, match=r"row 1 \(line 2\): field 'indicator': unknown indicator '涉种地快数'.*"
                                        r"did you mean '涉种地块数' \[planting_plots\]"):
        load_case(tmp_path / "c.yaml")


def test_every_enumerated_value_has_one_chinese_name_of_its_own():
    from pydesig.readers.terms import indicator_terms

    for name, ind in indicators().items():
        if ind.type not in ("enum", "list"):
            continue
        terms = indicator_terms(name)
        assert set(ind.value_zh) <= set(ind.values), name
        assert all(terms.names.get(v) for v in ind.values), (name, terms.names)
        mains = [terms.names[v][0] for v in ind.values]
        assert len(set(mains)) == len(mains), name
        assert all(terms.read(zh) == v for v in ind.values for zh in terms.names[v]), name


def _two_events_case(tmp_path):
    """A state reached by different events in different lawful outcomes (events, event_basis)."""
    six = ["leadership", "safeguards", "groundwork", "enforcement", "education", "alleviation"]
    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "=两种变动",
           "regions": [{"id": "220500", "name": "通化市", "kind": "city"},
                       {"id": "D1", "name": "+某县", "kind": "county", "parent": "220500"}],
           "facts": [{"region": "D1", "year": 2019, "labs_busted_elsewhere": 1},
                     {"region": "D1", "year": 2020, "tasks_completed": True, "delisting_conditions_met": six},
                     {"region": "D1", "year": 2021, "provincial_criticisms": 1}],
           "interpretations": {"term_end_outcome": "expire"}}
    path = tmp_path / "two.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return load_case(path)


@pytest.mark.parametrize("which", ["tonghua.yaml", "changzhou.yaml", "two events"])
def test_result_workbook_reads_back_as_the_json(tmp_path, which):
    """solve → xlsx → read_result_workbook gives the JSON document, key for key, in order."""
    from pydesig.readers import read_result_workbook

    case = _two_events_case(tmp_path) if which == "two events" else load_case(CASES / which)
    result = solve(case)
    expected = json.loads(render_result(result, "json"))
    path = tmp_path / "结果.xlsx"
    path.write_bytes(xlsx_bytes(result))
    back = read_result_workbook(path)
    assert json.dumps(back, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    if which == "two events":
        assert any("event_basis" in e for e in back["status"])
        assert back["title"] == "=两种变动"


def test_result_workbook_reader_refuses_what_it_cannot_read(tmp_path):
    from pydesig.readers import read_result_workbook

    with pytest.raises(CaseError, match="no sheet 'result': not a result workbook"):
        read_result_workbook(template_bytes("jilin-2019"), "模板.xlsx")
    wb = openpyxl.load_workbook(__import__("io").BytesIO(xlsx_bytes(solve(load_case(CASES / "changzhou.yaml")))))
    ws = wb["status"]
    column = [c.value for c in ws[1]].index("basis_ids") + 1
    ws.cell(row=3, column=column, value="changzhou/art_99")
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    with pytest.raises(CaseError, match=r"edited.xlsx: sheet 'status' row 3, column \w+: provision "
                                        r"'changzhou/art_99' is not on the provisions sheet"):
        read_result_workbook(path)


def test_merged_cells_read_as_the_analyst_sees_them(tmp_path):
    """A region merged down the rows of its years (and a source merged down two rows) is read
    in every row of the merge; an unmerged empty cell below stays empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "facts"
    ws.append(["地区", "年度", "非法种植罂粟株数", "来源"])
    ws.append(["220581", 2019, 5000, "通报一"])
    ws.append([None, 2020, 6000, None])
    ws.append([None, 2021, 7000, None])
    ws.append(["220582", 2019, 3000, None])
    ws.merge_cells("A2:A4")
    ws.merge_cells("D2:D3")
    wb.save(tmp_path / "f.xlsx")
    (tmp_path / "c.yaml").write_text(HEAD_JILIN.replace('["220581"]', '["220581", "220582"]') + "facts: f.xlsx\n",
                                     encoding="utf-8")
    facts = [(f.subject_id, f.year, f.value, f.source) for f in load_case(tmp_path / "c.yaml").facts]
    assert facts == [("220581", 2019, 5000, "通报一"), ("220581", 2020, 6000, "通报一"), ("220581", 2021, 7000, None),
                     ("220582", 2019, 3000, None)]


def test_case_sheet_may_name_the_instrument_as_analysts_do():
    for name, ruleset in (("《常州市禁毒工作责任制》", "changzhou"), ("吉林省毒品问题严重地区责任考评实施细则", "jilin-2019"),
                          ("changzhou", "changzhou")):
        wb = openpyxl.Workbook()
        wb.active.title = "case"
        wb["case"].append(["规则集", name])
        wb.create_sheet("facts").append(["region", "year"])
        buffer = __import__("io").BytesIO()
        wb.save(buffer)
        assert load_case_bytes(buffer.getvalue(), "c.xlsx").ruleset == ruleset
