"""The shipped knowledge base's consistency issues, remembered between runs.

The checks read nothing but the knowledge base, the encodings and pydesig's own code, and a full
run grounds every generated case of both instruments (a minute or more).  An analyst who asks
``pydesig check`` twice, or in English after Chinese, should not pay that twice.  The issues of the
full run are kept on disk under a digest of everything they depend on — every file of ``kb/`` and
``encodings/``, every Python source file of pydesig and of the explanations, the clingo version —
so any change to the law, the rules or the code is a new key and the issues are computed afresh.

Where, and what else is remembered: :mod:`pydesig.cache`.
"""

from __future__ import annotations

import json

from .. import cache
from ..cache import cache_dir, code_digest as digest

__all__ = ["cache_dir", "digest", "shipped_issues"]


def _name() -> str:
    return f"checks-{digest()}.json"


def _read() -> list[dict] | None:
    raw = cache.read(_name())
    try:
        data = json.loads(raw.decode("utf-8")) if raw is not None else None
    except ValueError:
        return None
    return data if isinstance(data, list) else None


def _write(issues: list[dict]) -> None:
    cache.write(_name(), json.dumps(issues, ensure_ascii=False).encode("utf-8"))


def shipped_issues(kinds: set[str] | None = None) -> list[dict]:
    """``run_checks(kinds=kinds)`` on the shipped knowledge base, from the cache when it holds the
    full run for today's kb, encodings and code.  A run restricted to some kinds is not stored (it
    is cheap when the kinds are); it is cut from the full run when that is stored."""
    from . import run_checks

    issues = _read()
    if issues is None:
        if kinds:
            return run_checks(kinds=kinds)
        issues = run_checks()
        _write(issues)
    return [i for i in issues if i["kind"] in kinds] if kinds else issues
