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

from ..errors import CaseError
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
    rows = _rows(decode_table_text(raw, file), file)
    if not rows:
        raise CaseError("the facts table is empty (it needs a header row)", file=file)
    line = rows[0][0]
    return Table(file=file, header=rows[0][1], header_at=lambda _i: {"record": "header", "line": line},
                 rows=[Row(f"row {n}", start, cells) for n, (start, cells) in enumerate(rows[1:], 1)])


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
