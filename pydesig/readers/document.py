"""What every reader produces: a parsed document and its records, each with where it was read.

A reader turns one file format into these two shapes and nothing more; the one validator
(:mod:`pydesig.readers.validate`) checks them all the same way, so a YAML mapping, a JSON object,
a CSV row and a workbook row are held to the same rules and report errors the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import CaseError

__all__ = ["Doc", "Rec"]


@dataclass
class Doc:
    """A parsed case document with the position of every value and key node, by path.

    ``values`` and ``keys`` map a path (``("facts", 3, "poppy_plants")``) to ``(line, column)``
    for text files.  ``fact_table``, when set, is the table the facts are read from (a
    workbook's ``facts`` sheet) instead of ``data["facts"]``.
    """

    file: str
    data: object
    values: dict
    keys: dict
    fact_table: object = None
    uploads: dict | None = None  # tables given with an in-memory case: name → bytes (no disk)
    floats: bool | None = None  # whether a number has a fraction or exponent (None: not known)

    def pos(self, path: tuple):
        for n in range(len(path), -1, -1):
            if path[:n] in self.values:
                return self.values[path[:n]]
        return None

    def line(self, path: tuple) -> int | None:
        pos = self.pos(path)
        return pos[0] if pos else None

    def label(self, section: str, index: int) -> str:
        """How a record of ``section`` is named in messages: ``facts[3]``."""
        return f"{section}[{index}]"

    def columns(self, section: str, index: int) -> dict:
        """The column of each field of a record, where the file has columns (a workbook)."""
        return {}

    def at(self, path: tuple) -> dict:
        """Where a value outside the records is, beyond its line (a workbook names the cell)."""
        return {}

    def records(self, section: str) -> list["Rec"]:
        """The records of a list section (``regions``, ``officials``, ``facts``, ``decisions``)."""
        return [Rec(item, self.file, self.label(section, i), self.line((section, i)),
                    self.columns(section, i))
                for i, item in enumerate(self.data.get(section) or [])]


@dataclass(frozen=True)
class Rec:
    """One record of the case with where it was read: ``facts[3]`` at a line of a YAML/JSON
    file, ``row 4`` of a CSV table, or a row of a workbook sheet (``columns`` then names the
    column of each field, so an error points at the cell)."""

    data: object
    file: str
    label: str  # "facts[3]", "row 4", "sheet 'facts' row 5"
    line: int | None
    columns: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def where(self) -> str:
        return self.label if self.line is None else f"{self.label} (line {self.line})"

    def error(self, message: str, field: str | None = None) -> CaseError:
        label = self.label
        column = self.columns.get(field) or (self.columns.get("value") if field else None)
        if column:  # a long table holds every indicator in its value column
            label = f"{label}, column {column}"
        return CaseError(message, file=self.file, record=label, line=self.line, field=field)
