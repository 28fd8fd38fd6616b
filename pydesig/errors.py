"""The one error a user sees for a bad case file.

The command line prints ``str(err)`` on stderr and exits with code 2, so the message has to say
by itself where the problem is (file, record, line, field) and what is wrong, in words a case
author understands without reading the schema.
"""

from __future__ import annotations

__all__ = ["CaseError"]


class CaseError(Exception):
    """Bad input: ``FILE: facts[3] (line 12): field 'poppy_plants': must be an integer ≥ 0, got -5``.

    ``record`` names the record the way the file is indexed ("facts[3]", "regions[0]" — counted
    from 0 — or "row 4" for a CSV data row, counted from 1); ``line`` is the 1-based line in
    ``file`` where the record (or the offending value) starts.  Any part may be ``None`` and is
    then left out of the message.
    """

    def __init__(self, message: str, *, file: str | None = None, record: str | None = None,
                 line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = None if file is None else str(file)
        self.record = record
        self.line = line
        self.field = field

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.record and self.line is not None:
            parts.append(f"{self.record} (line {self.line})")
        elif self.record:
            parts.append(self.record)
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        parts.append(self.message)
        return ": ".join(parts)

    def __repr__(self) -> str:
        return f"CaseError({str(self)!r})"
