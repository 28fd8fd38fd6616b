"""``pydesig outcomes``: the lawful outcomes of a case, a few at a time, part by part.

A case with discretion can have more lawful outcomes than anyone can read (six options in each of
eight counties: 6⁸).  So the answer first says what is open — each decision point (subject and
year) with the lawful options there — then the decisions every outcome shares, then a few outcomes
(``limit``, 10 by default); it counts them all only on request.

The parts of a case (``pydesig.parts``) decide independently, so the lawful outcomes of the whole
are the combinations of its parts' outcomes: each part is enumerated on its own (at most ``limit``
+ 1 outcomes), the listed outcomes are the first combinations, and the count is the product of the
parts' counts.  Parts are never batched here, so the outcomes listed do not depend on the number
of workers.  (``whole=True`` enumerates the whole program instead: the open points, shared
decisions and count are the same; a truncated list may show other outcomes.)
"""

from __future__ import annotations

import functools
import itertools
import math

from .model import Case
from .result import OUTCOMES_FORMAT, _cites, _decision_key, _subject
from .solver import consequences, outcomes

__all__ = ["lawful_outcomes", "DEFAULT_LIMIT"]

DEFAULT_LIMIT = 10


def _plain(symbol) -> tuple:
    from .bridge import to_python

    subject, year, decision = (to_python(a) for a in symbol.arguments)
    return subject, year, decision


def part_outcomes(case: Case, limit: int = 0, count: bool = False) -> tuple[list[tuple], int | None, bool]:
    """(the first ``limit`` + 1 outcomes of one part, each as its sorted decisions; how many there
    are in all when ``count``; whether the list holds them all)."""
    listed, total = [], 0
    for model in outcomes(case, limit=0 if count or not limit else limit + 1):
        total += 1
        if not limit or len(listed) <= limit:
            listed.append(tuple(sorted(_plain(s) for s in model if s.name == "decided" and len(s.arguments) == 3)))
        elif not count:
            break
    complete = not limit or len(listed) <= limit
    return listed, (total if count else None), complete


def _entry(decision: tuple) -> dict:
    subject, year, name = decision
    return {"subject": _subject(subject), "year": year, "decision": name}


def lawful_outcomes(case: Case, limit: int = DEFAULT_LIMIT, *, count: bool = False, workers: int | None = None,
                    scheduler: str | None = None, whole: bool = False, progress=None) -> dict:
    """The open decisions, the shared ones, the first ``limit`` lawful outcomes (0: all) and, with
    ``count``, their number (``format: pydesig-outcomes/1``)."""
    from .dispatch import run_parts
    from .parts import split

    run = {"workers": workers, "scheduler": scheduler, "progress": progress}
    shared = consequences(case, whole=whole, **run)
    common = sorted((_entry(a.args) for a in shared.atoms("decided", 3) if a.certain), key=_decision_key)
    options: dict[tuple, list] = {}
    basis = {(a.args[0], a.args[1], a.args[2]): a.args[3] for a in shared.atoms("decision_option", 4)}
    for a in shared.atoms("decided", 3):
        if not a.certain:
            options.setdefault((a.args[0], a.args[1]), []).append(a.args[2])
    open_points = [
        {"subject": _subject(subject), "year": year,
         "options": [{"decision": d, "basis": _cites([basis[(subject, year, d)]] if (subject, year, d) in basis else [])}
                     for d in sorted(ds)]}
        for (subject, year), ds in sorted(options.items(), key=lambda kv: (sorted(_subject(kv[0][0]).items()), kv[0][1]))
    ]
    parts = [case] if whole else split(case)
    found = run_parts(parts, functools.partial(part_outcomes, limit=limit, count=count), **run)
    complete = all(c for _, _, c in found)
    combos = itertools.product(*(listed for listed, _, _ in found))
    taken = list(itertools.islice(combos, limit + 1)) if limit else list(combos)
    complete = complete and (not limit or len(taken) <= limit)
    taken = taken[:limit] if limit else taken
    listed = [sorted((_entry(d) for part in combo for d in part), key=_decision_key) for combo in taken]
    doc = {
        "format": OUTCOMES_FORMAT,
        "ruleset": case.ruleset,
        "title": case.title,
        "open": open_points,
        "in_every_outcome": common,
        "outcomes": [{"decisions": ds} for ds in sorted(listed, key=lambda ds: [_decision_key(d) for d in ds])],
        "complete": complete,
    }
    if count:
        doc["count"] = math.prod(n for _, n, _ in found)
    return doc
