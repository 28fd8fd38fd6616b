"""Tables written as workbook sheets and CSV files that analysts can open safely.

Both writers share these rules:

- a header row of ids (what programs read) and, under it, the same columns in Chinese (what
  analysts read); the readers skip such a second name row;
- text is never run as a formula: a cell from the case that starts with ``=``, ``+``, ``-``,
  ``@`` (or a tab or carriage return) is written as a text cell with Excel's quote prefix in a
  workbook, and with a leading apostrophe in CSV (the usual defence: Excel shows the text,
  LibreOffice and Excel do not evaluate it);
- output is deterministic: a workbook's timestamps are fixed, so the same result gives the same
  bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

__all__ = ["Sheet", "workbook_bytes", "csv_bytes", "risky", "new_workbook", "add_sheet",
           "save_workbook"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_EPOCH = dt.datetime(2000, 1, 1)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass
class Sheet:
    """One table: ``columns`` as ``(id, zh)``, ``rows`` of cell values (str, int, bool, None)."""

    name: str
    columns: list[tuple[str, str]]
    rows: list[list] = field(default_factory=list)
    comments: dict = field(default_factory=dict)  # column id → comment text on its header
    validations: dict = field(default_factory=dict)  # column id → openpyxl DataValidation kwargs
    header_rows: int = 2  # ids, then Chinese names (1: ids only)
    hidden: bool = False  # a sheet the workbook uses but analysts need not see (drop-down lists)


def risky(value) -> bool:
    """Whether a spreadsheet would read this text as a formula."""
    return isinstance(value, str) and value.startswith(_FORMULA_START)


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def new_workbook():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "pydesig"
    wb.properties.created = _EPOCH
    wb.properties.modified = _EPOCH
    return wb


def add_sheet(wb, sheet: Sheet):
    """Write ``sheet`` into ``wb``: header rows, data, frozen header, filter, fitted widths,
    header comments and data validation."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(sheet.name)
    if sheet.hidden:
        ws.sheet_state = "hidden"
    ids = [c for c, _ in sheet.columns]
    heads = [ids] if sheet.header_rows == 1 else [ids, [zh for _, zh in sheet.columns]]
    for r, values in enumerate(heads, start=1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = Font(bold=True)
    first = len(heads) + 1
    for r, values in enumerate(sheet.rows, start=first):
        for c, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = ws.cell(row=r, column=c, value=value)
            if risky(value):
                cell.data_type = "s"
                cell.quotePrefix = True
    last_row = max(first - 1 + len(sheet.rows), first)
    for c, cid in enumerate(ids, start=1):
        letter = get_column_letter(c)
        texts = [str(h[c - 1]) for h in heads] + [str(row[c - 1]) for row in sheet.rows[:2000]
                                                    if c - 1 < len(row) and row[c - 1] is not None]
        width = max((_display_width(t) for line in texts for t in line.split("\n")), default=8)
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        if cid in sheet.comments:
            comment = Comment(sheet.comments[cid], "pydesig")
            comment.width, comment.height = 320, 160
            ws.cell(row=len(heads), column=c).comment = comment
        if cid in sheet.validations:
            dv = DataValidation(**sheet.validations[cid])
            ws.add_data_validation(dv)
            dv.add(f"{letter}{first}:{letter}{max(last_row, 2000)}")
    ws.freeze_panes = ws.cell(row=first, column=1)
    if ids:
        ws.auto_filter.ref = f"A{len(heads)}:{get_column_letter(len(ids))}{last_row}"
    return ws


def save_workbook(wb) -> bytes:
    """The workbook's bytes, the same for the same content (zip entries dated 1980-01-01)."""
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                data = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    wb = new_workbook()
    for sheet in sheets:
        add_sheet(wb, sheet)
    return save_workbook(wb)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = str(value)
    return "'" + text if risky(text) else text


def csv_bytes(sheet: Sheet) -> bytes:
    """The sheet as CSV, UTF-8 with BOM (so that Excel reads it as UTF-8), CRLF line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c for c, _ in sheet.columns])
    if sheet.header_rows > 1:
        writer.writerow([zh for _, zh in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return "\ufeff".encode("utf-8") + out.getvalue().encode("utf-8")
