"""Where a case comes from, and loading it through the project's loader.

A request never names a file of the server: a case arrives as a JSON document (the API) or as
uploaded files (the pages).  Either is kept in memory and, to be loaded, written under fixed safe
names into a temporary folder the server creates and removes; the loader then reads it exactly as
the CLI reads a file, so the messages are the CLI's, with the file named as the user named it.
A case may name a facts table (``facts: facts.csv``) only among the files uploaded with it.
Shipped cases (``kb/cases``) and files the operator named on the command line are read in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..case import load_case
from ..errors import CaseError
from ..model import Case
from ..paths import kb_dir

__all__ = ["CaseSource", "document_source", "upload_source", "shipped_sources", "file_source",
           "CASE_SUFFIXES", "TABLE_SUFFIXES"]

CASE_SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")
TABLE_SUFFIXES = (".csv", ".xlsx")
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
        _check_references(self)
        with tempfile.TemporaryDirectory(prefix="pydesig-web-") as folder:
            for name, data in self.files:
                Path(folder, name).write_bytes(data)
            try:
                case = load_case(Path(folder, self.files[0][0]), interpretations=interpretations or None)
            except CaseError as err:
                if err.file and err.file.startswith(folder):
                    err.file = os.path.relpath(err.file, folder)
                raise
        case.path = self.name
        return case


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
    name = safe_name(case_name, "case.yaml")
    if not name.lower().endswith(CASE_SUFFIXES):
        raise CaseError(f"unsupported file type: a case file is {', '.join(CASE_SUFFIXES)}", file=name)
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


def _check_references(source: CaseSource) -> None:
    """A YAML or JSON case naming its facts table must name one uploaded with it, by plain name."""
    name, data = source.files[0]
    if not name.lower().endswith((".yaml", ".yml", ".json")):
        return
    try:
        node = yaml.compose(data.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except Exception:  # noqa: BLE001 - not readable here: the loader reports it properly
        return
    if not isinstance(node, yaml.MappingNode):
        return
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "facts" and isinstance(value, yaml.ScalarNode):
            uploaded = [n for n, _ in source.files[1:]]
            if value.value not in uploaded:
                have = f" (uploaded: {', '.join(uploaded)})" if uploaded else ""
                raise CaseError(f"facts names {value.value!r}, which was not uploaded with the case; "
                                f"upload the facts table together with the case file{have}",
                                file=name, field="facts", line=value.start_mark.line + 1)


def file_source(key: str, path: str) -> CaseSource:
    return CaseSource(key=key, name=Path(path).name, path=str(path))


def shipped_sources() -> list[CaseSource]:
    """The example cases in ``kb/cases``, named by their stem (``tonghua``)."""
    folder = kb_dir() / "cases"
    return [CaseSource(key=p.stem, name=f"kb/cases/{p.name}", path=str(p))
            for p in sorted(folder.iterdir()) if p.suffix in (".yaml", ".yml", ".json")]
