"""Where a case comes from, and loading it through the readers the CLI uses.

A request never names a file of the server: a case arrives as a JSON document (the API) or as
uploaded files (the pages: a YAML, JSON or XLSX case file and the CSV/XLSX facts tables it names).
Either is held in memory and read by :func:`pydesig.readers.load_case_bytes` — the CLI's readers
and validator, fed bytes instead of a path — so the messages are the CLI's, naming the file as the
user named it, and nothing from a request touches the disk.  A case may name a facts table
(``facts: facts.csv``) only among the files uploaded with it.  Shipped cases (``kb/cases``) and
files the operator named on the command line are read in place, as the CLI reads them.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CaseError
from ..readers import load_case, load_case_bytes
from ..readers.formats import CASE_SUFFIXES, TABLE_SUFFIXES
from ..model import Case
from ..paths import kb_dir

__all__ = ["CaseSource", "document_source", "upload_source", "shipped_sources", "file_source",
           "CASE_SUFFIXES", "TABLE_SUFFIXES"]

_SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


@dataclass(frozen=True)
class CaseSource:
    """A case to load: ``files`` held in memory (name → bytes, the first is the case file), or a
    ``path`` on the server chosen by the operator.  ``key`` names it in page addresses."""

    key: str
    name: str
    files: tuple[tuple[str, bytes], ...] = ()
    path: str | None = None

    def load(self, interpretations: dict | None = None) -> Case:
        if self.path is not None:
            case = load_case(self.path, interpretations=interpretations or None)
            case.path = self.name
            return case
        (name, raw), tables = self.files[0], dict(self.files[1:])
        return load_case_bytes(raw, name, tables=tables, interpretations=interpretations or None)


def safe_name(name: str, default: str) -> str:
    """The last component of an uploaded file's name, reduced to letters, digits, ``.-_``."""
    base = _SAFE.sub("_", Path(name.replace("\\", "/")).name).strip("._") or default
    return base[:80]


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h.hexdigest()[:20]


def document_source(document) -> CaseSource:
    """A case document from a request body (``{"case": …}``), read as the file ``case.json``."""
    if isinstance(document, dict) and isinstance(document.get("facts"), str):
        raise CaseError("in a request, facts must be a list of records (a file name means nothing to "
                        "the server)", file="case.json", field="facts")
    data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return CaseSource(key="d" + _digest(data), name="case.json", files=(("case.json", data),))


def upload_source(case_name: str, case_data: bytes, tables: list[tuple[str, bytes]] = ()) -> CaseSource:
    """Uploaded files: the case file and any facts tables it names."""
    name = safe_name(case_name, "case.yaml")  # its suffix is checked by the readers, as the CLI checks it
    files = [(name, case_data)]
    for table_name, data in tables:
        tname = safe_name(table_name, "facts.csv")
        if not tname.lower().endswith(TABLE_SUFFIXES):
            raise CaseError(f"unsupported file type: a facts table is {', '.join(TABLE_SUFFIXES)}", file=tname)
        if tname in dict(files):
            raise CaseError("uploaded twice", file=tname)
        files.append((tname, data))
    key = "u" + _digest(*(n.encode() + b"\0" + d for n, d in files))
    return CaseSource(key=key, name=name, files=tuple(files))


def file_source(key: str, path: str) -> CaseSource:
    return CaseSource(key=key, name=Path(path).name, path=str(path))


def shipped_sources() -> list[CaseSource]:
    """The example cases in ``kb/cases``, named by their stem (``tonghua``)."""
    folder = kb_dir() / "cases"
    return [CaseSource(key=p.stem, name=f"kb/cases/{p.name}", path=str(p))
            for p in sorted(folder.iterdir()) if p.suffix in (".yaml", ".yml", ".json")]
