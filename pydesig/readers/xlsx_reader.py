"""Excel workbooks (.xlsx), read with openpyxl in read-only mode.

A workbook case file has a ``facts`` sheet (long or wide, as a CSV facts table; see
:mod:`.table`) and optional sheets ``case`` (key | value rows: ``format``, ``ruleset``,
``title``, ``notes``), ``regions`` (id, name, kind, parent), ``officials`` (id, name, region,
role, since, until, member_unit), ``decisions`` (region|official, year, decision, source) and
``interpretations`` (interpretation, option).  Without a ``case`` sheet the format is
``pydesig-case/1`` and the ruleset the one every indicator column belongs to; without a
``regions`` sheet the regions are those the facts name (from the gazetteer).  A YAML case may
name a workbook in ``facts:``; its ``facts`` sheet (or its only sheet) is then the table.

Every record is named by its sheet and row as Excel shows them (``sheet 'facts' row 5``) and,
where the error is in one cell, its column (``column C``).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ..errors import CaseError
from ..indicators import canonical, indicators
from ..schema import FORMAT, did_you_mean, rulesets, show
from .document import Doc
from .table import LONG_COLUMNS, Row, Table, _suggest, _text, _year, column_id
from .terms import Terms, decision_terms, ruleset_terms, vocabulary_terms
from .xlsx_layout import apply_layout

__all__ = ["open_workbook", "xlsx_table", "parse_xlsx"]

_HEADERS_ZH = {
    "代码": "id", "编号": "id", "名称": "name", "姓名": "name", "级别": "kind", "类型": "kind",
    "上级": "parent", "上级地区": "parent", "地区": "region", "职务": "role", "角色": "role",
    "任职起始年": "since", "起": "since", "离任年": "until", "止": "until", "年度": "year",
    "决定": "decision", "来源": "source", "人员": "official", "解释": "interpretation",
    "选项": "option", "项目": "key", "内容": "value", "键": "key", "值": "value",
    "成员单位": "member_unit",
}
_COLUMNS = {
    "regions": ("id", "name", "kind", "parent"),
    "officials": ("id", "name", "region", "role", "since", "until", "member_unit"),
    "decisions": ("region", "official", "year", "decision", "source"),
    "interpretations": ("interpretation", "option"),
}
_INTEGERS = {"since", "until", "year"}
_VOCABULARY = {"kind": "region_kinds", "role": "roles"}  # by id or Chinese name (see .terms)
_BOOLEANS = {"member_unit"}  # an official heading a commission member unit (Changzhou 第十四条)
_TRUE, _FALSE = {"true", "是", "1", "yes"}, {"false", "否", "0", "no"}


def _flag(cell):
    """A yes/no cell as Excel or an analyst writes it; anything else stays for the validator to refuse."""
    if isinstance(cell, bool):
        return cell
    text = _text(cell).lower()
    return True if text in _TRUE else False if text in _FALSE else _text(cell)


def letter(index: int) -> str:
    """Excel's column letter of the 0-based column ``index`` (0 → A, 26 → AA)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


MAX_UNPACKED = 512 * 2**20
"""Bytes a workbook may unpack to (its XML parts together): a national case needs a few MB."""


def _check_size(raw: bytes, file: str) -> None:
    """Refuse a workbook that would unpack to more than :data:`MAX_UNPACKED` (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise CaseError(f"not an Excel workbook (.xlsx) that can be read: {e}", file=file) from None
    if total > MAX_UNPACKED:
        raise CaseError(f"the workbook unpacks to {total:,} bytes, more than the "
                        f"{MAX_UNPACKED:,} a case file may hold", file=file)


def open_workbook(raw: bytes, file: str):
    """The workbook in ``raw`` (read-only, cached values instead of formulas)."""
    import openpyxl

    _check_size(raw, file)
    try:
        return openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise CaseError(f"not an Excel workbook (.xlsx) that can be read: {e}", file=file) from None
    except Exception as e:  # openpyxl raises its own exception types for broken parts
        raise CaseError(f"not an Excel workbook (.xlsx) that can be read: {type(e).__name__}",
                        file=file) from None


def _rows(ws, file: str) -> list[tuple[int, list]]:
    """(row number, cell values) of every row, merged cells filled down (:mod:`.xlsx_layout`)."""
    ws.reset_dimensions()  # the dimension a writer recorded may be wrong
    rows = [(n, list(cells)) for n, cells in enumerate(ws.iter_rows(values_only=True), start=1)]
    return apply_layout(ws, rows, file)


def _sheet_table(ws, file: str) -> Table:
    rows = _rows(ws, file)
    title = ws.title
    if not rows or not any(_text(c) for c in rows[0][1]):
        raise CaseError(f"sheet {show(title)} is empty (it needs a header row)", file=file,
                        record=f"sheet {show(title)} row 1")
    header = rows[0][1]

    def header_at(i):
        where = f"sheet {show(title)} row 1"
        return {"record": where if i is None else f"{where}, column {letter(i)}"}

    body = [Row(f"sheet {show(title)} row {n}", None, cells) for n, cells in rows[1:]]
    return Table(file=file, header=header, rows=body, header_at=header_at,
                 letters=[letter(i) for i in range(len(header))], extra_cells_allowed=True)


def _sheet(wb, name: str):
    for ws in wb.worksheets:
        if ws.title.strip().lower() == name:
            return ws
    return None


def xlsx_table(raw: bytes, file: str) -> Table:
    """The facts table of the workbook ``file``: its ``facts`` sheet, or its only sheet."""
    wb = open_workbook(raw, file)
    ws = _sheet(wb, "facts") or (wb.worksheets[0] if len(wb.worksheets) == 1 else None)
    if ws is None:
        raise CaseError("no sheet named 'facts' (sheets: "
                        f"{', '.join(show(w.title) for w in wb.worksheets)})", file=file)
    return _sheet_table(ws, file)


@dataclass
class XlsxDoc(Doc):
    """A workbook case: ``places`` maps ``(section, index)`` (or ``(key,)`` for a row of the
    case sheet) to ``(label, columns)``, so that messages name the sheet, row and column."""

    places: dict | None = None

    def label(self, section: str, index: int) -> str:
        return self.places[(section, index)][0]

    def columns(self, section: str, index: int) -> dict:
        return self.places[(section, index)][1]

    def line(self, path: tuple):
        return None

    def at(self, path: tuple) -> dict:
        place = self.places.get(path[:1]) if path else None
        return {"record": f"{place[0]}, column B"} if place else {}


def parse_xlsx(raw: bytes, file: str) -> XlsxDoc:
    """The workbook case file ``file`` as a document whose facts are its ``facts`` sheet."""
    wb = open_workbook(raw, file)
    facts = _sheet(wb, "facts")
    if facts is None:
        raise CaseError("no sheet named 'facts' (a workbook case has a facts sheet and optional "
                        "case, regions, officials sheets)", file=file)
    table = _sheet_table(facts, file)
    data: dict = {}
    places: dict = {}
    case = _sheet(wb, "case")
    if case is not None:
        for n, cells in _rows(case, file):
            key = _text(cells[0]) if cells else ""
            if not key:
                continue
            key = _HEADERS_ZH.get(key, {"格式": "format", "规则": "ruleset", "规则集": "ruleset",
                                        "标题": "title", "说明": "notes"}.get(key, key))
            if key in ("key", "项目"):  # a header row
                continue
            value = cells[1] if len(cells) > 1 else None
            if key in data:
                raise CaseError(f"duplicate key {show(key)} (first given at "
                                f"{places[(key,)][0]})", file=file,
                                record=f"sheet {show(case.title)} row {n}, column A")
            if _text(value) == "":
                continue
            data[key] = _text(value)
            if key == "ruleset":  # the instrument may be named as analysts name it (常州市禁毒工作责任制)
                data[key] = ruleset_terms().read(data[key]) or data[key]
            places[(key,)] = (f"sheet {show(case.title)} row {n}", {})
    data.setdefault("format", FORMAT)
    if "ruleset" not in data:
        data["ruleset"] = _infer_ruleset(table, file)
    for section, columns in _COLUMNS.items():
        ws = _sheet(wb, section)
        if ws is None:
            continue
        records = _sheet_records(ws, section, columns, file, places, data["ruleset"])
        if section == "interpretations":
            data[section] = {r.get("interpretation"): r.get("option") for r in records}
        else:
            data[section] = records
    if "regions" not in data:
        data["regions"] = []
        for rid, label, col in _regions_of_facts(table):
            places[("regions", len(data["regions"]))] = (label, {"id": col})
            data["regions"].append(rid)
    data["facts"] = []
    return XlsxDoc(file, data, {}, {}, fact_table=table, places=places)


def _terms_of(column: str, ruleset) -> Terms | None:
    """The values a records-sheet column takes by id or Chinese name (None: free text)."""
    if column in _VOCABULARY:
        return vocabulary_terms(column, _VOCABULARY[column])
    if column == "decision" and ruleset in rulesets():
        return decision_terms(ruleset)
    return None


def _term(terms: Terms | None, cell, file: str, record: str, field: str):
    """A cell of a records sheet as text, an id where the column takes one (by id or Chinese name)."""
    text = _text(cell)
    if terms is None:
        return text
    found = terms.read(text)
    if found is None:
        raise CaseError(terms.unknown(text), file=file, record=record, field=field)
    return found


def _sheet_records(ws, section: str, columns: tuple, file: str, places: dict,
                   ruleset=None) -> list[dict]:
    rows = _rows(ws, file)
    if not rows:
        return []
    header = [_HEADERS_ZH.get(_text(c), _text(c)) for c in rows[0][1]]
    while header and not header[-1]:
        header.pop()
    for i, col in enumerate(header):
        if col not in columns or col in header[:i]:
            problem = "duplicate" if col in header[:i] else "unknown"
            names = list(columns) + [zh for zh, c in _HEADERS_ZH.items() if c in columns]
            hint = "" if problem == "duplicate" else did_you_mean(col, names)
            raise CaseError(f"{problem} column {show(_text(rows[0][1][i]))}{hint} (the {section} "
                            f"sheet has columns {', '.join(columns)})", file=file,
                            record=f"sheet {show(ws.title)} row 1, column {letter(i)}")
    records = []
    for n, cells in rows[1:]:
        values = {col: cells[i] for i, col in enumerate(header) if i < len(cells)}
        values = {k: v for k, v in values.items() if _text(v) != ""}
        if not values:
            continue
        if not records and all(_HEADERS_ZH.get(_text(v), _text(v)) == k for k, v in values.items()):
            continue  # a second name row (the other language)
        label = f"sheet {show(ws.title)} row {n}"
        record = {}
        for k, v in values.items():
            record[k] = (_year(v) if k in _INTEGERS else _flag(v) if k in _BOOLEANS else
                         _term(_terms_of(k, ruleset), v, file, f"{label}, column "
                               f"{letter(header.index(k))}", k))
        places[(section, len(records))] = (label, {k: letter(header.index(k)) for k in values})
        records.append(record)
    return records


def _infer_ruleset(table: Table, file: str) -> str:
    """The one rule set every indicator column (or long-table indicator) belongs to."""
    names = [column_id(c) for c in table.header]
    if "indicator" in names:
        i = names.index("indicator")
        names = [column_id(r.cells[i]) for r in table.rows if i < len(r.cells)]
    sets = None
    for name in names:
        ind = indicators().get(name)
        if ind is not None:
            sets = set(ind.rulesets) if sets is None else sets & set(ind.rulesets)
    if not sets:
        _unknown_columns(table, file)
    if not sets or len(sets) != 1:
        raise CaseError("no 'case' sheet naming the ruleset, and the indicators do not tell "
                        "(add a sheet 'case' with a row: ruleset | jilin-2019 or changzhou)",
                        file=file)
    return next(iter(sets))


def _unknown_columns(table: Table, file: str) -> None:
    """Refuse the first column of a wide facts sheet that names nothing known (with the
    indicator it may have meant, of any rule set), before saying the rule set is unknown."""
    for i, cell in enumerate(table.header):
        name = column_id(cell)
        if _text(cell) and name not in LONG_COLUMNS and name not in indicators() \
                and canonical(name) == name:
            raise CaseError(f"unknown column {show(_text(cell))}"
                            f"{_suggest(name, list(indicators()))}", file=file,
                            **table.header_at(i))


def _regions_of_facts(table: Table) -> list[tuple[str, str, str]]:
    """(id, where first named, column) of every region the facts name, in order."""
    names = [column_id(c) for c in table.header]
    if "region" not in names:
        return []
    i = names.index("region")
    seen: dict[str, tuple] = {}
    for row in table.rows:
        if i < len(row.cells) and _text(row.cells[i]) and column_id(row.cells[i]) != "region":
            seen.setdefault(_text(row.cells[i]), (row.label, letter(i)))
    return [(rid, label, col) for rid, (label, col) in seen.items()]
