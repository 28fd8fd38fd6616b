"""What a workbook sheet's cell values alone do not say: merged cells and formulas never computed.

Read-only openpyxl gives each cell's stored value and nothing else, which loses two things an
analyst's workbook often holds:

- **merged cells**: a region or official merged down the rows of its years shows its id once;
  the rows below read as empty.  A merge down one column is read as the analyst sees it, the
  value in every row of the range; a merge across columns (a value spread over several fields)
  is refused, since no one reading of it is safe.
- **formulas without a stored value**: Excel stores a formula's last result beside it, but a
  workbook written by a program (openpyxl, some converters) may store the formula alone.  Such
  a cell would read as empty -- an indicator "not found that year" -- so it is refused, with how
  to store the values.

Both come from one extra pass over the sheet's XML with openpyxl's own sheet parser, whose cell
step is cut down to noting formulas.
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import CaseError
from ..schema import show

__all__ = ["apply_layout"]


@lru_cache(maxsize=1)
def _parser_class():
    """A sheet parser that keeps no values: it notes formula cells without a stored result
    (``uncomputed``) and, from the sheet's end, the merged ranges (``merged_cells``).  Built on
    first use: openpyxl is imported only when a workbook is read."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class LayoutParser(WorkSheetParser):
        def __init__(self, source):
            super().__init__(source, [])
            self.uncomputed: list[str] = []

        def parse_cell(self, element):
            if element.find(FORMULA_TAG) is not None and not element.findtext(VALUE_TAG):
                self.uncomputed.append(element.get("r") or "?")
            return {}

    return LayoutParser


def _layout(ws) -> tuple[list[str], list[str]]:
    """(formula cells without a value, merged ranges) of the read-only sheet ``ws``."""
    with ws._get_source() as source:  # the sheet's XML part, as openpyxl's read-only sheet reads it
        parser = _parser_class()(source)
        for _ in parser.parse():
            pass
    merged = [m.ref for m in parser.merged_cells.mergeCell] if parser.merged_cells else []
    return parser.uncomputed, merged


def apply_layout(ws, rows: list[tuple[int, list]], file: str) -> list[tuple[int, list]]:
    """``rows`` (row number, cells) of ``ws`` with merged cells filled down; refuses formulas
    without a stored value and merges across columns, naming the cell."""
    from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter, range_boundaries

    uncomputed, merged = _layout(ws)

    def at(row: int, col: int) -> dict:
        return {"file": file, "record": f"sheet {show(ws.title)} row {row}, column {get_column_letter(col)}"}

    if uncomputed:
        row, col = coordinate_to_tuple(uncomputed[0])
        raise CaseError("a formula whose result was never stored (the workbook was written by a "
                        "program, not saved by a spreadsheet): open it in Excel or LibreOffice and "
                        "save it, or paste the values (选择性粘贴 → 数值)", **at(row, col))
    by_number = {n: cells for n, cells in rows}
    for ref in sorted(merged, key=lambda r: range_boundaries(r)[1::-1]):
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col != max_col:
            raise CaseError(f"cells {ref} are merged across columns; a merged cell may only run down "
                            "one column (取消单元格合并, then give each field its own cell)",
                            **at(min_row, min_col))
        top = by_number.get(min_row)
        value = top[min_col - 1] if top is not None and min_col - 1 < len(top) else None
        for n in range(min_row + 1, max_row + 1):
            cells = by_number.get(n)
            if cells is None:
                continue
            cells.extend([None] * (min_col - len(cells)))
            cells[min_col - 1] = value
    return rows
