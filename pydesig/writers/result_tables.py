"""A result as tables: one sheet per list of the result JSON, one row per entry.

Every entry of ``findings``, ``status``, ``measures``, ``duties`` (and ``decisions``,
``notices`` and the case's ``warnings`` where the result has them) becomes one row; a citation list becomes two cells,
the labels an analyst reads (第七条第（四）项) and beside them the provision ids a program
reads (``jilin-2019/art_7/item_4``), in the same order.  Ids stay ids, with their Chinese names
in a column of their own.  ``provisions`` lists every provision the result cites with its text;
``readings`` the interpretations (readings of the text) the result was computed under;
``result`` (last) its format, rule set and title.  :func:`pydesig.readers.read_result_workbook`
reads such a workbook back.
"""

from __future__ import annotations

import json

from ..kb import knowledge_base
from ..result import Result
from .sheets import Sheet

__all__ = ["result_sheets", "SHEETS"]

SHEETS = ("findings", "status", "measures", "duties", "provisions", "readings")
_OPTIONAL = ("decisions", "notices", "warnings")

_ZH = {
    "region": "地区", "region_name": "地区名称", "year": "年度", "level": "级别",
    "level_zh": "级别名称", "grounds": "依据（级别：条款）", "ground_ids": "依据条款编号",
    "event": "变动", "event_zh": "变动名称", "basis": "依据条款", "basis_ids": "依据条款编号",
    "certain": "确定", "subject_kind": "主体类型", "subject": "主体", "subject_name": "主体名称",
    "measure": "措施", "measure_zh": "措施名称", "modality": "规范性质", "modality_zh": "规范性质名称",
    "years": "适用年度", "forms": "处分形式", "forms_zh": "处分形式名称", "interpretations": "涉及的解释",
    "duty": "职责", "duty_zh": "职责名称", "met": "已履行", "decision": "决定",
    "decision_zh": "决定名称", "taken": "是否作出", "id": "编号", "zh": "说明", "en": "说明（英文）",
    "citations": "相关条款", "citation_ids": "相关条款编号", "by": "作出机关", "to": "对象",
    "other": "其他", "serious_problems": "第六条所列突出毒品问题", "serious_problems_ids": "条款编号",
    "record": "记录", "field": "字段", "message": "提示", "events": "可能的变动",
    "event_basis": "各变动的依据", "concerns": "涉及人员", "reported": "已报告",
}
_VOCAB = {"level": "levels", "event": "events", "measure": "measures", "modality": "modalities",
          "duty": "duties", "decision": "decisions", "forms": "discipline_forms"}
_CITES = {"basis": "basis_ids", "citations": "citation_ids"}


def _cited_id(citation: dict) -> str:
    return knowledge_base().cited_id(citation)


def _names(result: Result) -> dict:
    case = result.case
    return {"region": {r.id: r.name for r in case.regions.values()},
            "official": {o.id: o.name for o in case.officials.values()}}


def _citations_list(value) -> bool:
    """Whether ``value`` is a non-empty list of citation objects (written as labels and ids)."""
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and {"instrument", "article", "label"} <= set(v) for v in value)


def _flat(entry: dict, names: dict) -> dict:
    """One entry as ``column → cell`` (columns in the order the entry gives its keys)."""
    kb = knowledge_base()
    row: dict = {}
    for key, value in entry.items():
        if key == "subject" and isinstance(value, dict):
            kind, ident = next(iter(value.items()))
            row.update(subject_kind=kind, subject=ident, subject_name=names[kind].get(ident, ""))
        elif key == "region":
            row.update(region=value, region_name=names["region"].get(value, ""))
        elif key == "grounds":
            row["grounds"] = "；".join(f"{kb.term('levels', g['level'])}：{g['citation']['label']}"
                                      for g in value)
            row["ground_ids"] = "; ".join(f"{g['level']}={_cited_id(g['citation'])}" for g in value)
        elif key in _CITES or _citations_list(value):
            row[key] = "；".join(c["label"] for c in value)
            row[_CITES.get(key, key + "_ids")] = "; ".join(_cited_id(c) for c in value)
        elif key in _VOCAB and isinstance(value, list):
            row[key] = ", ".join(value)
            row[key + "_zh"] = "、".join(kb.term(_VOCAB[key], v) for v in value)
        elif key in _VOCAB:
            row[key] = value
            row[key + "_zh"] = kb.term(_VOCAB[key], value)
        elif isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            row[key] = ", ".join(str(v) for v in value)
        elif isinstance(value, (dict, list)):  # in the entry's own key order, to read back as it was
            row[key] = json.dumps(value, ensure_ascii=False)
        else:
            row[key] = value
    return row


def _sheet(name: str, entries: list[dict], names: dict) -> Sheet:
    rows = [_flat(e, names) for e in entries]
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    if not columns:
        columns = {"findings": ["region", "region_name", "year", "level", "level_zh", "grounds",
                                "ground_ids"],
                   "status": ["region", "region_name", "year", "level", "level_zh", "event",
                              "event_zh", "basis", "basis_ids"],
                   "measures": ["subject_kind", "subject", "subject_name", "measure", "measure_zh",
                                "modality", "modality_zh", "years", "basis", "basis_ids"],
                   "duties": ["subject_kind", "subject", "subject_name", "duty", "duty_zh", "year",
                              "met", "basis", "basis_ids"]}.get(name, [])
    return Sheet(name, [(c, _ZH.get(c, c)) for c in columns],
                 [[row.get(c) for c in columns] for row in rows])


def _citations(value, found: dict) -> None:
    if isinstance(value, dict):
        if "label" in value and "article" in value and "instrument" in value:
            found.setdefault(_cited_id(value), value)
        for v in value.values():
            _citations(v, found)
    elif isinstance(value, list):
        for v in value:
            _citations(v, found)


def _provisions(doc: dict) -> Sheet:
    kb = knowledge_base()
    found: dict = {}
    _citations({k: v for k, v in doc.items() if isinstance(v, list)}, found)

    def order(pid):
        p = kb.get(pid)
        return (p.instrument, p.article, p.paragraph or 0, p.item or 0)

    shorts = {k: v.get("short", {}).get("zh", k) for k, v in kb.vocabulary["instruments"].items()}
    rows = [[pid, c["instrument"], shorts.get(c["instrument"], c["instrument"]), c["label"],
             c["article"], c["paragraph"], c["item"], c["text"]]
            for pid, c in sorted(found.items(), key=lambda item: order(item[0]))]
    columns = [("id", "条款编号"), ("instrument", "文件"), ("instrument_zh", "文件名称"),
               ("label", "条款"), ("article", "条"), ("paragraph", "款"), ("item", "项"),
               ("text", "条文")]
    return Sheet("provisions", columns, rows)


def _readings(result: Result) -> Sheet:
    kb = knowledge_base()
    rows = []
    for name, option in sorted(result.interpretations.items()):
        it = kb.interpretations.get(name)
        if it is None:
            rows.append([name, option, "", "", ""])
            continue
        labels = []
        for pid in it.reads:
            try:
                labels.append(kb.get(pid).label)
            except Exception:  # noqa: BLE001 - an id the KB lacks is shown as it is
                labels.append(pid)
        rows.append([name, option, it.option_text.get(option, {}).get("zh", ""), it.zh,
                     "、".join(labels), "; ".join(it.reads), option == it.default])
    columns = [("interpretation", "解释"), ("option", "采用的理解"), ("option_zh", "理解内容"),
               ("question_zh", "问题"), ("reads", "所解释的条款"), ("reads_ids", "条款编号"),
               ("default", "默认理解")]
    return Sheet("readings", columns, rows)


def result_sheets(result: Result) -> list[Sheet]:
    """The result as the contract's sheets (plus ``decisions``, ``notices`` and ``warnings``
    where present, and ``result``)."""
    doc = result.to_json()
    names = _names(result)
    sheets = [_sheet(name, doc.get(name, []), names) for name in SHEETS[:4]]
    sheets += [_provisions(doc), _readings(result)]
    sheets += [_sheet(name, doc[name], names) for name in _OPTIONAL if doc.get(name)]
    sheets.append(_about(doc))
    return sheets


def _about(doc: dict) -> Sheet:
    """The ``result`` sheet: format, rule set and title (key | value, like a case's ``case``
    sheet), so that the workbook reads back as the whole result document."""
    return Sheet("result", [("key", "项目"), ("value", "内容")],
                 [[key, doc[key]] for key in ("format", "ruleset", "title")])
