"""The user's cache folder: what pydesig remembers between runs, and nothing it could get wrong.

Three things are remembered, each under a key that changes whenever what it was computed from
changes, so a cached answer is always the answer a fresh run would give:

- the consistency issues of the shipped knowledge base (:mod:`pydesig.checks.cache`), under a
  digest of ``kb/``, ``encodings/`` and the code (:func:`code_digest`);
- whether a rule set's cases split into parts (:func:`pydesig.parts.part_relation`), under a
  digest of its encodings;
- a validated case file (:mod:`pydesig.readers.cache`), under a digest of its bytes, the files it
  names and the code, so that asking ``why`` of one county of a national case does not read and
  validate the whole file again.

Where: ``$PYDESIG_CACHE_DIR``, else ``$XDG_CACHE_HOME/pydesig``, else ``~/.cache/pydesig``;
``PYDESIG_CACHE_DIR=off`` turns the cache off.  A cache that cannot be read or written is simply
not used: it never changes an answer, only how soon it comes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

import clingo

from .paths import encodings_dir, kb_dir

T = TypeVar("T")

__all__ = ["cache_dir", "code_digest", "read", "write", "remembered"]

_PACKAGES = (Path(__file__).resolve().parent, Path(__file__).resolve().parents[1] / "explain")


def cache_dir() -> Path | None:
    """The folder things are remembered in, or None when the cache is off."""
    chosen = os.environ.get("PYDESIG_CACHE_DIR")
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pydesig"


def _files(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    return sorted(p for pattern in patterns for p in root.rglob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts)


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of everything an answer of pydesig can depend on besides its input: kb/,
    encodings/, the Python code of pydesig and of the explanations, clingo's version."""
    h = hashlib.sha256(f"clingo {clingo.__version__}\n".encode())
    roots = [(kb_dir(), ("*",)), (encodings_dir(), ("*",))]
    roots += [(package, ("*.py",)) for package in _PACKAGES if package.is_dir()]
    for root, patterns in roots:
        for path in _files(root, patterns):
            h.update(f"{path.relative_to(root).as_posix()}\n".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:32]


def read(name: str) -> bytes | None:
    """The bytes remembered as ``name``, or None (cache off, nothing there, unreadable)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Remember ``data`` as ``name``, atomically (a temporary file, then a rename), so that a
    reader never sees half of it; a folder that cannot be written is left alone."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, folder / name)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only home: the answer is the same, only not remembered


def remembered(name: str, compute: Callable[[], T], dump: Callable[[T], bytes], load: Callable[[bytes], T]) -> T:
    """What is remembered as ``name`` (``load`` of its bytes), else ``compute()``, remembered as
    ``dump`` of it.  An entry that does not load (damaged, an older shape) is computed afresh."""
    stored = read(name)
    if stored is not None:
        try:
            return load(stored)
        except Exception:  # noqa: BLE001 - whatever a damaged entry raises: compute it again
            pass
    value = compute()
    write(name, dump(value))
    return value
