"""The one dispatch by suffix: which reader reads a case file, and which a facts table.

Adding a format means adding a reader module and a line here; the validator does not change.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from xml.etree.ElementTree import ParseError

from ..errors import CaseError
from ..schema import show
from .csv_reader import read_csv
from .document import Doc
from .json_reader import parse_json
from .limits import read_bounded
from .table import Table
from .xlsx_reader import parse_xlsx, xlsx_table
from .yaml_reader import parse_yaml

__all__ = ["CASE_SUFFIXES", "TABLE_SUFFIXES", "read_document", "read_case_bytes", "parse_document",
           "read_table", "parse_table"]

CASE_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
TABLE_SUFFIXES = (".csv", ".xlsx")


def read_document(path: Path) -> Doc:
    """The case file at ``path`` parsed by the reader for its suffix."""
    return parse_document(read_case_bytes(path), str(path))


def read_case_bytes(path: Path) -> bytes:
    """The bytes of the case file at ``path`` (a case file's suffix, within the size limit)."""
    _case_suffix(path)
    return read_bounded(path, "the file", {"file": str(path)})


def _case_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in CASE_SUFFIXES:
        raise CaseError(f"unsupported file type {show(suffix or path.name)}: a case file is "
                        ".yaml, .yml, .json or .xlsx", file=str(path))
    return suffix


def parse_document(raw: bytes, file: str) -> Doc:
    """The case file ``file`` whose bytes are ``raw``, read as its suffix says."""
    suffix = _case_suffix(Path(file))
    if suffix == ".xlsx":
        with _damaged_xml(file):
            return parse_xlsx(raw, file)
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise CaseError("not UTF-8 text", file=file, line=raw[:e.start].count(b"\n") + 1) from None
    return parse_json(text, file) if suffix == ".json" else parse_yaml(text, file)


def read_table(path: Path, rel: str, at: dict, uploads: dict | None = None) -> Table:
    """The facts table at ``path``, named ``rel`` in the case file (``at`` locates that name,
    for errors about the file as a whole).  With ``uploads`` (a case held in memory) the table
    is taken from there by its name, never from the disk."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise CaseError(f"the facts table {show(rel)} must be a .csv or .xlsx file", **at)
    if uploads is not None:
        if rel not in uploads:
            raise CaseError(f"the facts table {show(rel)} was not given with the case", **at)
        raw, file = uploads[rel], rel
    else:
        file = str(path)
        raw = read_bounded(path, f"the facts table {show(rel)}", at)
    return parse_table(raw, file)


def parse_table(raw: bytes, file: str) -> Table:
    """The facts table ``file`` whose bytes are ``raw`` (CSV or workbook, by its suffix)."""
    if Path(file).suffix.lower() == ".xlsx":
        with _damaged_xml(file):
            return xlsx_table(raw, file)
    return read_csv(raw, file)


@contextmanager
def _damaged_xml(file: str):
    """A sheet whose XML is not well-formed (a raw control character in a cell, a part cut
    short), or a cell openpyxl cannot convert (``<v>inf</v>``, which no spreadsheet writes), as
    bad input: openpyxl parses sheets as they are read, after the workbook opened.  Only errors
    raised inside openpyxl or the XML parser are read so; any other stays an internal error."""
    try:
        yield
    except ParseError as e:
        raise CaseError(f"not an Excel workbook (.xlsx) that can be read: a sheet's XML is damaged ({e})",
                        file=file) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
        if not _raised_in_openpyxl(e):
            raise
        raise CaseError(f"not an Excel workbook (.xlsx) that can be read: a cell holds what no spreadsheet "
                        f"writes ({type(e).__name__}: {e})", file=file) from None


def _raised_in_openpyxl(err: BaseException) -> bool:
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and f"{os.sep}openpyxl{os.sep}" in tb.tb_frame.f_code.co_filename
