"""Regions, officials, levels and years as a user types them on the command line or in a form.

Analysts know 梅河口市 and 通报警示, not ``220581`` and ``notified_warning``.  Each function here
takes what the user typed — an id or a name — and returns the id the rules use, or raises a
:class:`CaseError` (exit 2, HTTP 422) that says what was wrong and lists the candidates: every
match of an ambiguous name with its id, or the ids the case does know.  The CLI, the web app and
the library's ``why``/``why_not`` all call these, so a name means the same thing everywhere.
"""

from __future__ import annotations

import re

from .errors import CaseError
from .kb import knowledge_base
from .model import Case
from .schema import YEAR_MAX, YEAR_MIN

__all__ = ["Ambiguous", "region", "official", "level", "year", "levels_of"]

#: How many candidates an "unknown" message lists before it says how many more there are.
SHOWN = 12


class Ambiguous(CaseError):
    """A name that several regions (or officials) of the case bear; ``candidates`` are their ids."""

    def __init__(self, message: str, candidates: list[str], **where):
        super().__init__(message, **where)
        self.candidates = candidates


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return shown + (f" … ({len(items) - SHOWN} more)" if len(items) > SHOWN else "")


def region(case: Case, text: str, *, field: str = "--region") -> str:
    """The id of the case's region ``text`` names: its id, or else its name (unique in the case)."""
    text = str(text).strip()
    if text in case.regions:
        return text
    named = sorted(r.id for r in case.regions.values() if r.name == text)
    if len(named) == 1:
        return named[0]

    def show(rid: str) -> str:
        r = case.regions[rid]
        parent = case.regions.get(r.parent) if r.parent else None
        return f"{rid} {r.name}" + (f" (in {parent.id} {parent.name})" if parent else "")

    if named:
        raise Ambiguous(f"{text!r} names {len(named)} regions of the case; give the id: "
                        f"{', '.join(show(r) for r in named)}", named, file=case.path, field=field)
    near = sorted(r.id for r in case.regions.values() if text and (text in r.name or text in r.id))
    known = near or sorted(case.regions)
    raise CaseError(f"no region {text!r} in the case; {'did you mean' if near else 'regions'}: "
                    f"{_listing([show(r) for r in known])}", file=case.path, field=field)


def official(case: Case, text: str, *, field: str = "--official") -> str:
    """The id of the case's official ``text`` names: their id, or else their name (unique in the case)."""
    text = str(text).strip()
    if text in case.officials:
        return text
    named = sorted(o.id for o in case.officials.values() if o.name == text)
    if len(named) == 1:
        return named[0]

    def show(oid: str) -> str:
        o = case.officials[oid]
        where = case.regions.get(o.region)
        return f"{oid} {o.name} ({o.role}, {o.region}{' ' + where.name if where else ''})"

    if named:
        raise Ambiguous(f"{text!r} names {len(named)} officials of the case; give the id: "
                        f"{', '.join(show(o) for o in named)}", named, file=case.path, field=field)
    near = sorted(o.id for o in case.officials.values() if text and (text in o.name or text in o.id))
    known = near or sorted(case.officials)
    if not known:
        raise CaseError(f"no official {text!r}: the case lists no officials", file=case.path, field=field)
    raise CaseError(f"no official {text!r} in the case; {'did you mean' if near else 'officials'}: "
                    f"{_listing([show(o) for o in known])}", file=case.path, field=field)


def levels_of(ruleset: str, allow_absent: bool = False) -> list[str]:
    """The level ids of one instrument, highest rank first (``absent`` last, when allowed)."""
    levels = knowledge_base().vocabulary["levels"]
    own = [k for k, e in levels.items() if e.get("instrument") == ruleset and (allow_absent or k != "absent")]
    return sorted(own, key=lambda k: (-levels[k].get("rank", 0), k))


def level(ruleset: str, text: str, allow_absent: bool = False, *, file: str | None = None,
          field: str = "--level") -> str:
    """The id of the level of ``ruleset`` that ``text`` names: its id, Chinese or English name.

    Only the instrument's own levels are accepted (a Changzhou listing is no Jilin tier), and
    ``absent`` — the state of not being under rectification — only where ``allow_absent`` says a
    state rather than a level to reach is asked for."""
    kb = knowledge_base()
    levels = kb.vocabulary["levels"]
    text = str(text).strip()
    wanted = next((k for k, e in levels.items()
                   if text in (k, e.get("zh"), e.get("en")) and e.get("instrument") == ruleset), None)
    own = levels_of(ruleset, allow_absent)
    described = _listing([f"{k} {levels[k]['zh']}" for k in own])
    if wanted is None:
        other = next((k for k, e in levels.items() if text in (k, e.get("zh"), e.get("en"))), None)
        if other is not None:
            raise CaseError(f"{text!r} is a level of {levels[other]['instrument']}, not of {ruleset}; "
                            f"levels of {ruleset}: {described}", file=file, field=field)
        raise CaseError(f"unknown level {text!r}; levels of {ruleset}: {described}", file=file, field=field)
    if wanted not in own:
        raise CaseError(f"{text!r} is no level a region can be at ({levels[wanted]['zh']}: the state of not "
                        f"being under rectification); levels of {ruleset}: {described}", file=file, field=field)
    return wanted


def year(case: Case, value, *, field: str = "--year") -> int:
    """``value`` as a year, within the range case files may use (the loader's range)."""
    text = str(value).strip()
    # ASCII digits only: isdigit() also takes '²' and '٣', which int() then refuses or misreads;
    # at most 12 of them, so that int() never meets a 5,000-digit number
    if not re.fullmatch(r"-?[0-9]{1,12}", text):
        raise CaseError(f"{text!r} is not a year", file=case.path, field=field)
    number = int(text)
    if not YEAR_MIN <= number <= YEAR_MAX:
        raise CaseError(f"year {number} out of range (a year from {YEAR_MIN} to {YEAR_MAX})",
                        file=case.path, field=field)
    return number
