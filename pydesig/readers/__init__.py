"""Case files in, whatever format analysts keep them in.

A reader per format turns a file into a parsed document (:class:`Doc`) or a facts table, every
value and record with where it was read; one dispatch (:mod:`.formats`) picks the reader by
suffix; one validator (:mod:`.validate`) checks every document the same way and builds the
:class:`~pydesig.model.Case`.

- ``yaml_reader``, ``json_reader``: case files;
- ``csv_reader``: a facts table named by ``facts:`` (long or wide, see :mod:`.table`);
- ``xlsx_reader``: workbook case files and facts tables;
- ``cache``: a large case validated before, remembered (see :func:`load_case`);
- ``result_workbook``: a result workbook (``solve --format xlsx``) read back into the result
  document (:func:`read_result_workbook`).
"""

from __future__ import annotations

from pathlib import Path

from ..model import Case
from .document import Doc, Rec
from .cache import cached_case
from .formats import parse_document, read_case_bytes, read_document
from .result_workbook import read_result_workbook
from .validate import build_case

__all__ = ["load_case", "load_case_bytes", "read_document", "read_result_workbook", "Doc", "Rec"]


def load_case(path, *, interpretations: dict | None = None) -> Case:
    """Load and validate the case at ``path``; ``interpretations`` (from ``-I``) win over the file's.
    A large case validated before, unchanged since, comes from the cache (:mod:`.cache`)."""
    path = Path(path)
    raw = read_case_bytes(path)
    return cached_case(path, raw, interpretations,
                       lambda: build_case(parse_document(raw, str(path)), interpretations=interpretations))


def load_case_bytes(raw: bytes, name: str, *, tables: dict[str, bytes] | None = None,
                    interpretations: dict | None = None) -> Case:
    """Load and validate a case file held in memory (an upload): ``name`` is the file name
    messages use and its suffix says the format (.yaml, .yml, .json, .xlsx); a facts table the
    case names (``facts: x.csv``) must be among ``tables`` (name → bytes): nothing is read from
    the disk."""
    doc = parse_document(raw, str(name))
    doc.uploads = dict(tables or {})
    return build_case(doc, interpretations=interpretations)
