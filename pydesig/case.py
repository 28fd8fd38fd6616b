"""Reading a case file: kept as the historical entry point; the readers live in
:mod:`pydesig.readers` (a reader per format, one dispatch by suffix, one validator)."""

from __future__ import annotations

from pathlib import Path

from .readers import load_case, read_document

__all__ = ["load_case"]


def _read(path: Path):
    """The parsed document of ``path``, before its meaning is checked."""
    return read_document(Path(path))
