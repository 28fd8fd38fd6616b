"""The shipped knowledge base's consistency issues, remembered between runs.

The checks read nothing but the knowledge base, the encodings and pydesig's own code, and a full
run grounds every generated case of both instruments (a minute or more).  An analyst who asks
``pydesig check`` twice, or in English after Chinese, should not pay that twice.  The issues of the
full run are kept on disk under a digest of everything they depend on — every file of ``kb/`` and
``encodings/``, every Python source file of pydesig and of the explanations, the clingo version —
so any change to the law, the rules or the code is a new key and the issues are computed afresh.

Where: ``$PYDESIG_CACHE_DIR``, else ``$XDG_CACHE_HOME/pydesig``, else ``~/.cache/pydesig``;
``PYDESIG_CACHE_DIR=off`` turns the cache off.  A cache that cannot be read or written is simply
not used: it never changes what ``check`` answers, only how soon.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

import clingo

from ..paths import encodings_dir, kb_dir

__all__ = ["cache_dir", "digest", "shipped_issues"]

_PACKAGES = (Path(__file__).resolve().parents[1], Path(__file__).resolve().parents[2] / "explain")


def cache_dir() -> Path | None:
    """The folder the issues are kept in, or None when the cache is off."""
    chosen = os.environ.get("PYDESIG_CACHE_DIR")
    if chosen:
        return None if chosen.lower() == "off" else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pydesig"


def _files(root: Path, patterns: tuple[str, ...]) -> list[Path]:
    return sorted(p for pattern in patterns for p in root.rglob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts)


@lru_cache(maxsize=1)
def digest() -> str:
    """A digest of everything the checks read: kb/, encodings/, the code, clingo's version."""
    h = hashlib.sha256(f"clingo {clingo.__version__}\n".encode())
    roots = [(kb_dir(), ("*",)), (encodings_dir(), ("*",))]
    roots += [(package, ("*.py",)) for package in _PACKAGES if package.is_dir()]
    for root, patterns in roots:
        for path in _files(root, patterns):
            h.update(f"{path.relative_to(root).as_posix()}\n".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()[:32]


def _path() -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"checks-{digest()}.json"


def _read(path: Path) -> list[dict] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, list) else None


def _write(path: Path, issues: list[dict]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".checks-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(issues, out, ensure_ascii=False)
        os.replace(temp, path)
    except OSError:
        pass  # a read-only home: the answer is the same, only not remembered


def shipped_issues(kinds: set[str] | None = None) -> list[dict]:
    """``run_checks(kinds=kinds)`` on the shipped knowledge base, from the cache when it holds the
    full run for today's kb, encodings and code.  A run restricted to some kinds is not stored (it
    is cheap when the kinds are); it is cut from the full run when that is stored."""
    from . import run_checks

    path = _path()
    issues = _read(path) if path is not None else None
    if issues is None:
        if kinds:
            return run_checks(kinds=kinds)
        issues = run_checks()
        if path is not None:
            _write(path, issues)
    return [i for i in issues if i["kind"] in kinds] if kinds else issues
