"""CSV facts tables: the bytes decoded, the rows split by the csv module, each row with the
line it starts on (a quoted cell may span lines)."""

from __future__ import annotations

import csv
import io

from ..errors import CaseError
from .table import Table

__all__ = ["read_csv"]


def read_csv(raw: bytes, file: str) -> Table:
    """The table held in the CSV bytes ``raw`` of ``file``."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError("not UTF-8 text", file=file) from None
    rows = _rows(text, file)
    if not rows:
        raise CaseError("the facts table is empty (it needs a header row)", file=file)
    return Table(file=file, header=rows[0][1], header_line=rows[0][0], rows=rows[1:])


def _rows(text: str, file: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as e:
            raise CaseError(f"CSV syntax error: {e}", file=file, line=reader.line_num) from None
        rows.append((start, cells))
