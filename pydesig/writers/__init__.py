"""Results and templates out as workbooks and CSV files (the readers' counterpart).

- :func:`write_xlsx` / :func:`xlsx_bytes`: a result as a workbook (sheets ``findings``,
  ``status``, ``measures``, ``duties``, ``provisions``, ``readings``);
- :func:`csv_files` / :func:`write_csv_dir`: the same tables as CSV files, UTF-8 with BOM;
- :func:`template_bytes`: an empty case workbook or facts table for a rule set.
"""

from __future__ import annotations

from pathlib import Path

from ..result import Result
from .result_tables import SHEETS, result_sheets
from .sheets import csv_bytes, workbook_bytes
from .template import template_bytes

__all__ = ["xlsx_bytes", "write_xlsx", "csv_files", "write_csv_dir", "template_bytes", "SHEETS"]


def xlsx_bytes(result: Result) -> bytes:
    """The result as an .xlsx workbook (the same bytes for the same result)."""
    return workbook_bytes(result_sheets(result))


def write_xlsx(result: Result, path) -> None:
    Path(path).write_bytes(xlsx_bytes(result))


def csv_files(result: Result) -> dict[str, bytes]:
    """``{file name: bytes}``: one CSV file per table of the result."""
    return {f"{sheet.name}.csv": csv_bytes(sheet) for sheet in result_sheets(result)}


def write_csv_dir(result: Result, directory) -> list[Path]:
    """Write one CSV file per table into ``directory`` (created if missing); the paths written."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in csv_files(result).items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written
