"""A facts table (a CSV file or a workbook sheet) read into fact records.

A table is either long (``region,official,year,indicator,value,source``: one indicator a row,
lists as ``a;b;c``) or wide (``region|official,year[,source],<indicator>…``: one record a row,
an empty cell meaning absent).  Column names are ids or their Chinese names (the indicators'
``column`` in ``kb/indicators/``, and 地区、人员、年度、来源、指标、值 for the others); a row right
under the header that names the same columns again (the other language, as ``pydesig template``
writes it) is skipped.

Cells are trimmed and read by their indicator's type, because a CSV cell has no type and a
workbook cell's type is whatever Excel guessed: a count as a whole number (12000, "12000",
12000.0), a flag as true/false, TRUE/FALSE, 是/否, 1/0 or yes/no, a ``*_date`` as a date (or
MMDD), a list as ``a;b;c``, an enumerated value or a list item by its id or its Chinese name
(挂牌整治, see :mod:`.terms`; a name that is neither is refused with the accepted values).
Whatever else cannot be read that way is passed on unchanged for the validator to reject with
the usual message.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from ..errors import CaseError
from ..indicators import canonical, indicators
from ..schema import RECORD_KEYS, did_you_mean, show
from .document import Rec
from .limits import MAX_INT_DIGITS
from .terms import indicator_terms

__all__ = ["Table", "Row", "LONG_COLUMNS", "RECORD_COLUMNS_ZH", "column_id", "table_records"]

LONG_COLUMNS = ("region", "official", "year", "indicator", "value", "source")

RECORD_COLUMNS_ZH = {"region": "地区", "official": "人员", "year": "年度", "source": "来源",
                     "indicator": "指标", "value": "值"}
"""The Chinese names of the columns that are not indicators (as the template writes them)."""

_ZH_SYNONYMS = {"地区代码": "region", "区域": "region", "责任人": "official", "年份": "year",
                "年": "year", "依据": "source", "数值": "value"}


@dataclass
class Row:
    label: str  # "row 4", "sheet 'facts' row 5"
    line: int | None
    cells: list


@dataclass
class Table:
    """The cells of a table as read from its file, before they mean anything.

    ``header_at(i)`` gives the :class:`CaseError` location of the header (of its i-th column
    when ``i`` is given); ``letters`` are the workbook's column letters, if any, so that an
    error in a row can name its cell.
    """

    file: str
    header: list
    rows: Iterable[Row]
    header_at: Callable[[int | None], dict]
    letters: list | None = None
    extra_cells_allowed: bool = False  # a workbook row may run on with empty cells


@lru_cache(maxsize=1)
def _column_names() -> dict[str, str]:
    """Column name as written → column id (ids, aliases and Chinese names)."""
    names: dict[str, str] = {c: c for c in LONG_COLUMNS}
    names.update({zh: c for c, zh in RECORD_COLUMNS_ZH.items()})
    names.update(_ZH_SYNONYMS)
    for name, ind in indicators().items():
        names[name] = name
        for column in ind.column_names:
            names.setdefault(column, name)
        for alias in ind.aliases:
            names.setdefault(alias, alias)
    return names


def column_id(text) -> str:
    """The id a column name stands for (the name itself when it is none known)."""
    text = _text(text)
    return _column_names().get(text, text)


def table_records(table: Table, ruleset: str) -> Iterator[Rec]:
    """The fact records of ``table``, one per non-empty data row, in file order."""
    file = table.file
    written = [_text(c) for c in table.header]
    while written and not written[-1] and table.extra_cells_allowed:
        written.pop()
    header = [column_id(c) for c in written]
    for i, col in enumerate(header):
        if not col or col in header[:i]:
            what = "empty" if not col else "duplicate"
            raise CaseError(f"{what} column name {show(written[i])}", file=file,
                            **table.header_at(i))
    long = "indicator" in header or "value" in header
    _check_columns(header, written, long, ruleset, table)
    letters = dict(zip(header, table.letters)) if table.letters else {}
    first = True
    for row in table.rows:
        cells = list(row.cells)
        if table.extra_cells_allowed:
            while len(cells) > len(header) and _text(cells[-1]) == "":
                cells.pop()
        if not any(_text(c) for c in cells):
            continue
        if first and _names_again(cells, header):
            first = False
            continue
        first = False
        rec = Rec({}, file, row.label, row.line, letters)
        if len(cells) > len(header):
            raise rec.error(f"{len(cells)} cells but the header has {len(header)} columns")
        values = {col: (cells[i] if i < len(cells) else None) for i, col in enumerate(header)}
        yield Rec(_long_row(values, rec, ruleset) if long else _wide_row(values, rec), file, rec.label,
                  rec.line, letters)


def _names_again(cells: list, header: list) -> bool:
    """Whether a row only names the header's columns again (a second, other-language name row)."""
    named = [(column_id(c), h) for c, h in zip(cells, header) if _text(c)]
    return bool(named) and all(c == h for c, h in named) and any(
        _text(c) != h for c, h in zip(cells, header) if _text(c))


def _check_columns(header: list, written: list, long: bool, ruleset: str, table: Table) -> None:
    at = {"file": table.file, **table.header_at(None)}
    needed = ("year", "indicator", "value") if long else ("year",)
    for col in needed:
        if col not in header:
            raise CaseError(f"missing column '{col}'", **at)
    if "region" not in header and "official" not in header:
        raise CaseError("missing column 'region' or 'official'", **at)
    for i, col in enumerate(header):
        at = {"file": table.file, **table.header_at(i)}
        if long and col not in LONG_COLUMNS:
            raise CaseError(f"unknown column {show(written[i])}{_suggest(col, LONG_COLUMNS)} "
                            f"(a long table has columns {', '.join(LONG_COLUMNS)})", **at)
        if not long and col not in RECORD_KEYS:
            ind = indicators().get(col) or _aliased(col)
            if ind is None:
                names = [n for n, i in indicators().items() if ruleset in i.rulesets]
                raise CaseError(f"unknown column {show(written[i])}: not an indicator of ruleset "
                                f"{ruleset}{_suggest(col, names + list(RECORD_KEYS))}", **at)
            if ruleset not in ind.rulesets:
                raise CaseError(f"column {show(written[i])}: indicator of ruleset "
                                f"{', '.join(ind.rulesets)}, not {ruleset}", **at)


def _suggest(written: str, ids) -> str:
    """Did-you-mean for an unknown column name: among the ids ``ids`` for a name in Latin
    letters, among their Chinese names for one in Chinese (naming the id beside it)."""
    if written.isascii():
        return did_you_mean(written, ids)
    zh = {name: cid for name, cid in _column_names().items() if cid in ids and not name.isascii()}
    close = difflib.get_close_matches(written, sorted(zh), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}' [{zh[close[0]]}]?)" if close else ""


def _aliased(name: str):
    return next((ind for ind in indicators().values() if name in ind.aliases), None)


def _text(cell) -> str:
    """A cell as text, trimmed (numbers as written, whole floats without their '.0')."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _ident(cell):
    """A subject id: always text; a number Excel made of a code is its digits."""
    return _text(cell)


def _year(cell):
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int) or (isinstance(cell, float) and cell.is_integer()):
        return int(cell)
    text = _text(cell)
    m = re.fullmatch(r"([0-9]{1,%d})(?:年度?)?" % MAX_INT_DIGITS, text)  # 2019, 2019年, 2019年度
    return int(m[1]) if m else (cell if isinstance(cell, float) else text)


def _subject_year(row: dict) -> dict:
    rec = {k: _ident(row[k]) for k in ("region", "official") if _text(row.get(k))}
    if _text(row.get("year")):
        rec["year"] = _year(row["year"])
    return rec


def _long_row(row: dict, where: Rec, ruleset: str) -> dict:
    rec = _subject_year(row)
    name, raw = column_id(row["indicator"]), row["value"]
    if not name:
        raise where.error("missing", field="indicator")
    if name in RECORD_KEYS:
        raise where.error(f"{show(name)} is not an indicator", field="indicator")
    if name not in indicators() and _aliased(name) is None and not name.isascii():
        names = [n for n, i in indicators().items() if ruleset in i.rulesets]
        raise where.error(f"unknown indicator {show(name)} for ruleset {ruleset}"
                          f"{_suggest(name, names)}", field="indicator")
    if _text(raw) == "":
        raise where.error("empty value (leave the row out when nothing was found)", field=name)
    rec[name] = _cell_value(name, raw, rec.get("year"), where)
    if _text(row.get("source")):
        rec["source"] = _text(row["source"])
    return rec


def _wide_row(row: dict, where: Rec) -> dict:
    rec = _subject_year(row)
    if _text(row.get("source")):
        rec["source"] = _text(row["source"])
    for col, raw in row.items():
        if col not in RECORD_KEYS and _text(raw) != "":
            rec[col] = _cell_value(col, raw, rec.get("year"), where)
    return rec


_TRUE = {"true", "1", "yes", "是", "√"}
_FALSE = {"false", "0", "no", "否", "×"}
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def _cell_value(name: str, raw, year, where: Rec):
    """A cell read by its indicator's type; what cannot be read stays as it is for the
    validator to reject with the usual message."""
    ind = indicators().get(name) or _aliased(name)
    kind = ind.type if ind else None
    text = _text(raw)
    if kind == "int" and name.endswith("_date"):
        return _mmdd(name, raw, text, year, where)
    if kind == "int":
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and re.fullmatch(r"[+-]?[0-9]{1,%d}" % MAX_INT_DIGITS, text):
            return int(text)
        return raw if not isinstance(raw, str) else text
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        return raw if not isinstance(raw, str) else text
    if kind == "list":
        return [_term(name, x, where) for x in _list_items(name, text)]
    if kind == "enum":
        return _term(name, text, where)
    return text


def _term(name: str, text: str, where: Rec) -> str:
    """The id a cell names by its id or its Chinese name (:mod:`.terms`); refused otherwise."""
    terms = indicator_terms(canonical(name))
    found = terms.read(text) if terms else text
    if found is None:
        raise where.error(terms.unknown(text), field=name)
    return found


def _list_items(name: str, text: str) -> list[str]:
    """The items of a list cell: separated by ``;`` (or ``；``, or line breaks); an item that is
    no value but splits at ``、`` into values (领导不重视、责任不落实) gives those values."""
    items = []
    terms = indicator_terms(canonical(name))
    for item in (x.strip() for x in re.split("[;；\n]", text)):
        split = _enumeration(item, terms) if terms and terms.read(item) is None else None
        if split:
            items += split
        elif item:
            items.append(item)
    return items


def _enumeration(item: str, terms) -> list[str] | None:
    """``item`` split at ``、`` into values, a value's own ``、`` kept (成员单位履行有关法律、法规…
    is one value): the split whose every piece is a value, or None."""
    parts = item.split("、")
    ways: dict[int, list[str]] = {0: []}  # parts consumed → the values they make
    for start in range(len(parts)):
        if start not in ways:
            continue
        for end in range(start + 1, len(parts) + 1):
            piece = "、".join(parts[start:end]).strip()
            if end not in ways and terms.read(piece) is not None:
                ways[end] = ways[start] + [piece]
    return ways.get(len(parts)) if len(parts) > 1 else None


def _mmdd(name: str, raw, text: str, year, where: Rec):
    """A ``*_date`` indicator (month and day as MMDD) from a date cell, a date written as text
    (2019-12-15, 2019/12/15, 2019年12月15日) or MMDD itself; the date's year must be the record's."""
    date = raw.date() if isinstance(raw, dt.datetime) else raw if isinstance(raw, dt.date) else None
    m = _DATE.fullmatch(text) if date is None else None
    if m:
        try:
            date = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise where.error(f"not a date: {show(text)}", field=name) from None
    if date is not None:
        if isinstance(year, int) and date.year != year:
            raise where.error(f"the date {date.isoformat()} is not in the record's year {year}",
                              field=name)
        return date.month * 100 + date.day
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if re.fullmatch(r"[0-9]{1,%d}" % MAX_INT_DIGITS, text):
        return int(text)
    return raw if not isinstance(raw, str) else text
