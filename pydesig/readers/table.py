"""A facts table (a CSV file today) read into fact records.

A table is either long (``region,official,year,indicator,value,source``: one indicator a row,
lists as ``a;b;c``) or wide (``region|official,year[,source],<indicator>…``: one record a row,
an empty cell meaning absent).  Its cells are trimmed; cells have no types, so a value is read
by its indicator's type (a count as digits, a flag as true/false/1/0/yes/no) and whatever
cannot be read that way is left as text for the validator to reject with the usual message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from ..errors import CaseError
from ..indicators import indicators
from ..schema import RECORD_KEYS, did_you_mean, show
from .document import Rec

__all__ = ["Table", "LONG_COLUMNS", "table_records"]

LONG_COLUMNS = ("region", "official", "year", "indicator", "value", "source")


@dataclass
class Table:
    """The cells of a table as read from its file, before they mean anything.

    ``rows`` yields ``(line, cells)`` for every data row after the header; ``row_label(n)``
    names the n-th data row (counted from 1) in messages.
    """

    file: str
    header: list
    header_line: int | None
    rows: Iterable[tuple[int | None, list]]
    header_label: str = "header"
    row_label: Callable[[int], str] = "row {}".format


def table_records(table: Table, ruleset: str) -> Iterator[Rec]:
    """The fact records of ``table``, one per non-empty data row, in file order."""
    file = table.file
    header = [c.strip() for c in table.header]
    at = {"file": file, "record": table.header_label, "line": table.header_line}
    for i, col in enumerate(header):
        if not col or col in header[:i]:
            raise CaseError(f"{'empty' if not col else 'duplicate'} column name {show(col)}", **at)
    long = "indicator" in header or "value" in header
    _check_columns(header, long, ruleset, at)
    for n, (line, cells) in enumerate(table.rows, start=1):
        if not any(c.strip() for c in cells):
            continue
        rec = Rec({}, file, table.row_label(n), line)
        if len(cells) > len(header):
            raise rec.error(f"{len(cells)} cells but the header has {len(header)} columns")
        row = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header)}
        yield Rec(_long_row(row, rec) if long else _wide_row(row), file, rec.label, line)


def _check_columns(header: list, long: bool, ruleset: str, at: dict) -> None:
    needed = ("year", "indicator", "value") if long else ("year",)
    for col in needed:
        if col not in header:
            raise CaseError(f"missing column '{col}'", **at)
    if "region" not in header and "official" not in header:
        raise CaseError("missing column 'region' or 'official'", **at)
    for col in header:
        if long and col not in LONG_COLUMNS:
            raise CaseError(f"unknown column {show(col)}{did_you_mean(col, LONG_COLUMNS)} (a long "
                            f"table has columns {', '.join(LONG_COLUMNS)})", **at)
        if not long and col not in RECORD_KEYS:
            ind = indicators().get(col)
            if ind is None:
                names = [n for n, i in indicators().items() if ruleset in i.rulesets]
                raise CaseError(f"unknown column {show(col)}: not an indicator of ruleset "
                                f"{ruleset}{did_you_mean(col, names + list(RECORD_KEYS))}", **at)
            if ruleset not in ind.rulesets:
                raise CaseError(f"column {show(col)}: indicator of ruleset "
                                f"{', '.join(ind.rulesets)}, not {ruleset}", **at)


def _subject_year(row: dict) -> dict:
    rec = {k: row[k] for k in ("region", "official") if row.get(k)}
    if row.get("year"):
        rec["year"] = int(row["year"]) if row["year"].isdigit() else row["year"]
    return rec


def _long_row(row: dict, where: Rec) -> dict:
    rec = _subject_year(row)
    name, raw = row["indicator"], row["value"]
    if not name:
        raise where.error("missing", field="indicator")
    if name in RECORD_KEYS:
        raise where.error(f"{show(name)} is not an indicator", field="indicator")
    if raw == "":
        raise where.error("empty value (leave the row out when nothing was found)", field=name)
    rec[name] = _cell_value(name, raw)
    if row.get("source"):
        rec["source"] = row["source"]
    return rec


def _wide_row(row: dict) -> dict:
    rec = _subject_year(row)
    if row.get("source"):
        rec["source"] = row["source"]
    for col, raw in row.items():
        if col not in RECORD_KEYS and raw != "":
            rec[col] = _cell_value(col, raw)
    return rec


_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def _cell_value(name: str, raw: str):
    """A cell read by its indicator's type; what cannot be read stays text for the validator
    to reject with the usual message."""
    ind = indicators().get(name)
    kind = ind.type if ind else None
    if kind == "int" and re.fullmatch(r"[+-]?\d+", raw):
        return int(raw)
    if kind == "bool" and raw.lower() in _TRUE | _FALSE:
        return raw.lower() in _TRUE
    if kind == "list":
        return [x.strip() for x in raw.split(";") if x.strip()]
    return raw
