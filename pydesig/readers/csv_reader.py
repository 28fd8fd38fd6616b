"""CSV facts tables as Excel writes them: the bytes decoded, the rows split by the csv module,
each row with the line it starts on (a quoted cell may span lines).

Accepted encodings: UTF-8, with or without the byte-order mark Excel's "CSV UTF-8" writes, and
GB18030, which contains GBK and GB2312 (what "CSV (逗号分隔)" writes on Chinese Windows).  Text
that is valid UTF-8 is read as UTF-8; otherwise it is read as GB18030 if it is valid GB18030;
anything else (UTF-16, Big5 with bytes GB18030 lacks, binary) is refused with how to save the
file as UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools

from ..errors import CaseError
from .limits import check_table_lines
from .table import Row, Table

__all__ = ["read_csv", "decode_table_text", "ENCODINGS_HELP"]

ENCODINGS_HELP = ("accepted encodings: UTF-8 (with or without BOM) and GB18030/GBK; in Excel "
                  "choose 文件 → 另存为 → 'CSV UTF-8（逗号分隔）(*.csv)'")


def decode_table_text(raw: bytes, file: str) -> str:
    """The text of a CSV file in one of the accepted encodings."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CaseError(f"UTF-16 text is not accepted ({ENCODINGS_HELP})", file=file)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        line = raw[:utf8_error.start].count(b"\n") + 1
        raise CaseError(f"neither UTF-8 nor GB18030 text (byte 0x{raw[utf8_error.start]:02x}; "
                        f"{ENCODINGS_HELP})", file=file, line=line) from None


def read_csv(raw: bytes, file: str) -> Table:
    """The table held in the CSV bytes ``raw`` of ``file``."""
    text = decode_table_text(raw, file)
    check_table_lines(text, file)
    rows = _rows(text, file)
    if not rows:
        raise CaseError("the facts table is empty (it needs a header row)", file=file)
    line = rows[0][1]
    return Table(file=file, header=rows[0][2], header_at=lambda _i: {"record": "header", "line": line},
                 rows=[Row(f"row {n}", start, cells) for n, start, cells in rows[1:]])


def _rows(text: str, file: str) -> list[tuple[int, int, list[str]]]:
    """(row number, line it starts on, cells) of the header and every data row that is not
    blank (a flood of blank lines costs no row objects)."""
    # strict: a quote opened and never closed is an error at the end of the file (not the rest
    # of the file read into one cell), and so is text after a closing quote ("x"y)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    for number in itertools.count():
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as e:
            raise _quote_error(text, file, rows[0][2] if rows else None) or CaseError(
                f"CSV syntax error: {e}", file=file, line=reader.line_num) from None
        if number == 0 or any(cell.strip() for cell in cells):
            rows.append((number, start, cells))
    return rows


_QUOTE_HELP = 'to write a quote inside a cell, double it ("") or quote the whole cell'


def _quote_error(text: str, file: str, header: list | None) -> CaseError | None:
    """Where a quote goes wrong, found by one scan in the csv module's way of reading quotes:
    the cell whose opening quote is never closed, or the first cell with text after its closing
    quote; None when the quotes are fine (the csv error is something else)."""
    line, row, cell = 1, 0, 0
    opened = None  # (line, row, cell) of the quote of the quoted cell being read
    at_cell_start, after_close = True, False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if opened is not None:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                else:
                    opened, after_close = None, True
            elif ch in "\r\n":
                line += 1 if ch == "\n" or text[i + 1:i + 2] != "\n" else 0
        elif ch == ",":
            cell, at_cell_start, after_close = cell + 1, True, False
        elif ch in "\r\n":
            if ch == "\n" or text[i + 1:i + 2] != "\n":
                line, row, cell = line + 1, row + 1, 0
            at_cell_start, after_close = True, False
        elif after_close:
            return _at(f"text after the closing quote of a quoted cell ({_QUOTE_HELP})",
                       file, header, line, row, cell)
        elif ch == '"' and at_cell_start:
            opened = (line, row, cell)
        else:
            at_cell_start = False
        i += 1
    if opened is not None:
        return _at(f"a quote opens this cell and is never closed, so the rest of the file would be read "
                   f"as its text ({_QUOTE_HELP})", file, header, *opened)
    return None


def _at(message: str, file: str, header: list | None, line: int, row: int, cell: int) -> CaseError:
    """The error at a cell: its row and line, and its column's name (its number if unnamed)."""
    name = header[cell].strip() if header and cell < len(header) else ""
    record = f"row {row}" if row else "header"
    return CaseError(message, file=file, record=record if name else f"{record}, column {cell + 1}",
                     line=line, field=name or None)
