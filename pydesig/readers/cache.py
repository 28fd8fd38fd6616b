"""A validated case file remembered between runs, so that a question about one county does not
read and validate a national case again.

Reading and validating a case costs about 80 µs a record (1.5 s for the 19,000 records of a
national case), every run, whatever is asked of it; an analyst asks ``why`` of one county after
another.  A case file of at least :data:`SMALLEST` bytes, once validated, is kept in the user's
cache folder (:mod:`pydesig.cache`) under a digest of

- its bytes and its absolute path (messages and warnings name the file),
- the ``-I`` readings given on the command line,
- the code and the knowledge base (:func:`pydesig.cache.code_digest`: a new version of the
  validator is a new key),

with the digest of every other file it was read from (a facts table it names), checked before
the case is used: a table edited since is read afresh.  Only a case that validated is kept, so a
bad file gives its error every time; a cache entry that cannot be read is ignored.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Callable

from .. import cache
from ..model import Case

__all__ = ["SMALLEST", "cached_case"]

SMALLEST = 256 * 1024  # smaller files validate in a few hundredths of a second: not worth a file
KEPT = 16


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _key(path: Path, raw: bytes, interpretations: dict | None) -> str:
    h = hashlib.sha256()
    for part in (cache.code_digest(), str(path.resolve()), repr(sorted((interpretations or {}).items())),
                 _digest(raw)):
        h.update(part.encode("utf-8") + b"\0")
    return f"case-{h.hexdigest()[:40]}.pickle"


def _current(sources: list[tuple[str, str]]) -> bool:
    """Whether every other file the case was read from still has the bytes it had."""
    for name, digest in sources:
        try:
            if _digest(Path(name).read_bytes()) != digest:
                return False
        except OSError:
            return False
    return True


def cached_case(path: Path, raw: bytes, interpretations: dict | None, build: Callable[[], Case]) -> Case:
    """The case at ``path`` whose bytes are ``raw``: from the cache when its bytes, its tables and
    the code are those it was validated with, else ``build()`` (which raises on bad input),
    remembered when large."""
    if len(raw) < SMALLEST or cache.cache_dir() is None:
        return build()
    name = _key(path, raw, interpretations)
    stored = cache.read(name)
    if stored is not None:
        try:
            entry = pickle.loads(stored)
            if isinstance(entry, dict) and isinstance(entry.get("case"), Case) and _current(entry["sources"]):
                return entry["case"]
        except Exception:  # noqa: BLE001 - a damaged or foreign entry: validate afresh
            pass
    case = build()
    sources = []
    for other in case.sources:
        try:
            sources.append((str(other), _digest(Path(other).read_bytes())))
        except OSError:
            return case  # a table that cannot be read again cannot be checked next time
    cache.write(name, pickle.dumps({"sources": sources, "case": case}, protocol=pickle.HIGHEST_PROTOCOL))
    _prune()
    return case


def _prune() -> None:
    """Keep the :data:`KEPT` cases used last (a case read from the cache is not touched, so
    "used" means written; enough for the cases an analyst has open)."""
    folder = cache.cache_dir()
    try:
        entries = sorted(folder.glob("case-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
