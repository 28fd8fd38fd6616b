"""A result workbook (``solve --format xlsx``) read back into the result's JSON structure.

The counterpart of :mod:`pydesig.writers.result_tables`: a colleague's workbook, perhaps sorted
or filtered in Excel, gives back the ``pydesig-result/1`` document it was written from -- the
same findings, status, measures, duties, decisions, notices and warnings, each citation the
contract's citation object.  Only the columns a program reads are used: the ids (``region``, ``subject``,
``level`` …, ``basis_ids``, ``ground_ids``), never the Chinese names and labels beside them; a
citation is rebuilt from the workbook's own ``provisions`` sheet (its label, article, paragraph,
item and text), so reading needs no knowledge base.  The ``result`` sheet gives format, rule set
and title, the ``readings`` sheet the interpretations.

Rows are read in sheet order, so a workbook sorted by hand gives its entries in its own order;
an untouched one gives the JSON's order exactly.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import CaseError
from ..schema import show
from .table import _text
from .xlsx_reader import letter, open_workbook

__all__ = ["read_result_workbook", "ENTRY_KEYS"]

ENTRY_KEYS = {
    "findings": ("region", "year", "level", "grounds", "serious_problems", "interpretations"),
    "status": ("region", "year", "level", "event", "events", "event_basis", "by", "basis", "certain"),
    "measures": ("subject", "measure", "modality", "years", "forms", "by", "to", "concerns", "basis",
                 "interpretations"),
    "duties": ("subject", "duty", "year", "met", "reported", "basis"),
    "notices": ("id", "zh", "en", "citations"),
    "decisions": ("subject", "year", "decision", "taken", "basis"),
    "warnings": ("id", "record", "field", "message"),
}
"""The keys of each table's entries in the order the result JSON gives them."""

_ALWAYS = ("findings", "status", "measures")  # in the JSON even when empty
_LISTS = {"years", "forms", "by", "to", "concerns", "interpretations", "events"}  # written "a, b"
_CITES = {"basis": "basis_ids", "citations": "citation_ids"}
_BESIDE = {"region_name", "subject_name", "grounds", "ground_ids", "basis_ids", "citation_ids"}


def read_result_workbook(source, name: str | None = None) -> dict:
    """The result document (as ``solve --format json`` prints it) of the workbook ``source``: a
    path, or the workbook's bytes (then ``name`` names it in messages)."""
    if isinstance(source, (bytes, bytearray)):
        raw, file = bytes(source), name or "result.xlsx"
    else:
        raw, file = Path(source).read_bytes(), str(source)
    wb = open_workbook(raw, file)
    sheets = {ws.title: ws for ws in wb.worksheets}
    for needed in ("result", "provisions", "readings", *_ALWAYS):
        if needed not in sheets:
            raise CaseError(f"no sheet {show(needed)}: not a result workbook of pydesig solve "
                            "--format xlsx", file=file)
    about = {row["key"]: row["value"] for _, row in _rows(sheets["result"], file)}
    provisions = {row["id"]: {"instrument": row["instrument"], "article": row["article"],
                              "paragraph": row.get("paragraph"), "item": row.get("item"),
                              "label": row["label"], "text": row.get("text", "")}
                  for _, row in _rows(sheets["provisions"], file)}
    doc = {"format": about.get("format"), "ruleset": about.get("ruleset"),
           "title": about.get("title") or "",
           "interpretations": {row["interpretation"]: row["option"]
                               for _, row in _rows(sheets["readings"], file)}}
    for table, keys in ENTRY_KEYS.items():
        if table not in sheets:
            continue
        entries = [_entry(row, keys, provisions, file, where)
                   for where, row in _rows(sheets[table], file)]
        if entries or table in _ALWAYS:
            doc[table] = entries
    return doc


def _rows(ws, file: str):
    """``(where, {column id: cell})`` for every data row: row 1 names the columns by id, row 2
    (their Chinese names) is skipped, empty cells are left out."""
    rows = ws.iter_rows(values_only=True)
    ids = [_text(c) for c in next(rows, ())]
    next(rows, None)
    for n, cells in enumerate(rows, start=3):
        row = {ids[i]: c for i, c in enumerate(cells) if i < len(ids) and ids[i] and c not in (None, "")}
        if row:
            yield (f"sheet {show(ws.title)} row {n}", {"columns": ids}), row


def _entry(row: dict, keys: tuple, provisions: dict, file: str, where) -> dict:
    label, place = where
    entry = {}

    def cited(pid: str, column: str) -> dict:
        if pid not in provisions:
            col = letter(place["columns"].index(column))
            raise CaseError(f"provision {show(pid)} is not on the provisions sheet", file=file,
                            record=f"{label}, column {col}")
        return dict(provisions[pid])

    for key in keys + tuple(k for k in row if k not in keys):
        if key == "subject" and "subject_kind" in row:
            entry["subject"] = {row["subject_kind"]: _text(row["subject"])}
        elif key == "grounds" and "ground_ids" in row:
            pairs = [p.split("=", 1) for p in _items(row["ground_ids"], ";")]
            entry["grounds"] = [{"level": lv, "citation": cited(pid, "ground_ids")} for lv, pid in pairs]
        elif _CITES.get(key, key + "_ids") in row:  # labels, and beside them the provision ids
            ids = _CITES.get(key, key + "_ids")
            entry[key] = [cited(pid, ids) for pid in _items(row[ids], ";")]
        elif key in _LISTS and key in row:
            items = _items(row[key], ",")
            entry[key] = [int(i) for i in items] if key == "years" else items
        elif key in row and key not in _BESIDE and key != "subject_kind" and not _beside(key, row) \
                and not key.endswith("_ids"):
            entry[key] = _value(key, row[key])
    return entry


def _beside(key: str, row: dict) -> bool:
    """Whether ``key`` is a column written beside an id for people to read (level_zh …)."""
    return key.endswith("_zh") and key[:-3] in row


def _items(cell, sep: str) -> list[str]:
    return [p.strip() for p in str(cell).split(sep) if p.strip()]


def _value(key: str, cell):
    """A cell as the JSON value it was written from: ids and words as text, years as integers,
    flags as booleans; a structure the writer wrote as JSON text is parsed back."""
    if key in ("region", "id", "subject") and not isinstance(cell, str):
        return _text(cell)
    if isinstance(cell, str) and cell[:1] in "[{" and key not in ("zh", "en"):
        try:
            return json.loads(cell)
        except ValueError:
            return cell
    return cell
