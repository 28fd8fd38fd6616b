"""Writing a case document (as a YAML file holds it) into a workbook, for the reader tests.

Four shapes: the facts sheet long or wide, headers and values as ids or as Chinese names (with
``zh``, an enumerated value, a list item, a role or a region kind is written by its Chinese
name, as an analyst types it).  Regions, officials and decisions go to their own sheets; the
case sheet holds format, ruleset, title.
"""

from __future__ import annotations

import openpyxl

from pydesig.indicators import canonical, indicators
from pydesig.readers.table import RECORD_COLUMNS_ZH
from pydesig.readers.terms import decision_terms, indicator_terms, vocabulary_terms

_ZH = {"regions": {"id": "代码", "name": "名称", "kind": "级别", "parent": "上级"},
       "officials": {"id": "编号", "name": "姓名", "region": "地区", "role": "职务", "since": "任职起始年",
                     "until": "离任年", "member_unit": "成员单位"},
       "decisions": {"region": "地区", "official": "人员", "year": "年度", "decision": "决定", "source": "来源"}}
_SUBJECT = ("region", "official", "year", "source")


def _head(name: str, zh: bool, section: str = "facts") -> str:
    if not zh:
        return name
    if section != "facts":
        return _ZH[section][name]
    if name in RECORD_COLUMNS_ZH:
        return RECORD_COLUMNS_ZH[name]
    return indicators()[canonical(name)].column


_VOCABULARY = {"kind": "region_kinds", "role": "roles"}


def _zh(column: str, value, ruleset: str = ""):
    """``value`` of ``column`` by its Chinese name, where it has one."""
    terms = (vocabulary_terms(column, _VOCABULARY[column]) if column in _VOCABULARY
             else decision_terms(ruleset) if column == "decision"
             else indicator_terms(canonical(column)) if column in indicators() or canonical(column) != column
             else None)
    if terms is None or not isinstance(value, (str, list)):
        return value
    if isinstance(value, list):
        return [_zh(column, v) for v in value]
    return terms.names[value][0] if terms.names.get(value) else value


def _cell(value, column: str = "", zh: bool = False, ruleset: str = ""):
    if zh and column:
        value = _zh(column, value, ruleset)
    if isinstance(value, list):
        return ";".join(value)
    return value


def _records_sheet(wb, section: str, records: list, zh: bool, ruleset: str) -> None:
    ws = wb.create_sheet(section)
    records = [r if isinstance(r, dict) else {"id": r} for r in records]
    columns: list[str] = []
    for r in records:
        columns += [k for k in r if k not in columns]
    ws.append([_head(c, zh, section) for c in columns])
    for r in records:
        ws.append([_cell(r.get(c), c, zh, ruleset) for c in columns])


def case_workbook(doc: dict, path, *, form: str = "wide", zh: bool = False) -> None:
    """Write ``doc`` (a case document with inline facts) as a workbook case file at ``path``."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    case = wb.create_sheet("case")
    for key in ("format", "ruleset", "title"):
        if key in doc:
            case.append([key, doc[key]])
    for section in ("regions", "officials", "decisions"):
        if doc.get(section):
            _records_sheet(wb, section, doc[section], zh, doc["ruleset"])
    if doc.get("interpretations"):
        ws = wb.create_sheet("interpretations")
        ws.append(["interpretation", "option"])
        for k, v in doc["interpretations"].items():
            ws.append([k, v])
    facts_sheet(wb, doc["facts"], form=form, zh=zh)
    wb.save(path)


def facts_sheet(wb, facts: list, *, form: str = "wide", zh: bool = False, title: str = "facts"):
    ws = wb.create_sheet(title)
    if form == "long":
        ws.append([_head(c, zh) for c in ("region", "official", "year", "indicator", "value", "source")])
        for r in facts:
            for k, v in r.items():
                if k in _SUBJECT:
                    continue
                ws.append([r.get("region"), r.get("official"), r["year"], _head(k, zh), _cell(v, k, zh),
                           r.get("source")])
        return ws
    columns = list(_SUBJECT)
    for r in facts:
        columns += [k for k in r if k not in columns]
    ws.append([_head(c, zh) for c in columns])
    for r in facts:
        ws.append([_cell(r.get(c), c, zh) for c in columns])
    return ws
