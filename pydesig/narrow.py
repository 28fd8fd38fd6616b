"""Narrow a result to some regions, officials and years (``solve --region/--official/--year``).

An analyst of a 60-county case asks about one county, one official or one year.  Narrowing keeps
the result's shape (the same keys, the same entry fields, so a script reading the full JSON reads
the narrowed one) and keeps exactly these entries:

* **subjects** — with ``--region R``: the findings and status of R, the measures, duties and
  decisions whose subject is R *or an official of R* (an official belongs to the region of their
  ``region`` field); with ``--official P``: the measures, duties and decisions whose subject is P.
  Several options add up (R1 or R2 or P).  Without either, every subject is kept.
* **years** — with ``--year Y`` (repeatable): findings, status, duties and decisions of those
  years; a measure entry is kept when one of its years is selected, and its ``years`` list keeps
  only the selected ones (an entry's basis holds for each of its years, so that stays true).
* ``notices`` (remarks on the text itself) and ``interpretations`` are kept whole.

A sub-region is not its parent: ``--region 220500`` (通化市) keeps the city's own entries, not
those of its counties.  Cost: one pass over the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from . import resolve
from .result import Result

__all__ = ["narrow", "selection"]


def selection(case, *, regions: Iterable[str] = (), officials: Iterable[str] = (),
              years: Iterable = ()) -> dict[str, list]:
    """What a request asks to keep, as ids: regions and officials by id or name (an ambiguous or
    unknown one refused with its candidates, :mod:`pydesig.resolve`), years within the case's.
    The keyword arguments of :func:`narrow`; the CLI's ``--region/--official/--year`` and the
    HTTP API's ``region``/``official``/``year`` both come here."""
    return {"regions": [resolve.region(case, r) for r in regions],
            "officials": [resolve.official(case, p) for p in officials],
            "years": [resolve.year(case, y) for y in years]}


def narrow(result: Result, *, regions: Iterable[str] = (), officials: Iterable[str] = (),
           years: Iterable[int] = ()) -> Result:
    """The entries of ``result`` about the given regions, officials and years (ids, already
    resolved; empty means no restriction on that axis)."""
    regions, officials, years = set(regions), set(officials), set(years)
    if not (regions or officials or years):
        return result
    case = result.case
    subjects = None
    if regions or officials:
        subjects = {("region", r) for r in regions} | {("official", o) for o in officials}
        subjects |= {("official", o.id) for o in case.officials.values() if o.region in regions}

    def about(entry: dict) -> bool:
        if subjects is None:
            return True
        if "subject" in entry:
            return next(iter(entry["subject"].items())) in subjects
        return ("region", entry["region"]) in subjects

    def in_years(entry: dict) -> bool:
        return not years or entry["year"] in years

    def keep(entries: list[dict]) -> list[dict]:
        return [e for e in entries if about(e) and in_years(e)]

    measures = []
    for m in result.measures:
        if not about(m):
            continue
        kept = [y for y in m["years"] if not years or y in years]
        if kept:
            measures.append(m if kept == m["years"] else {**m, "years": kept})
    scope = (tuple(sorted(regions)), tuple(sorted(officials))) if regions or officials else result.scope
    return dataclasses.replace(result, findings=keep(result.findings), status=keep(result.status),
                               measures=measures, duties=keep(result.duties), decisions=keep(result.decisions),
                               scope=scope)
