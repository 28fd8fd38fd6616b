"""Reading marks: which conclusions of a result hinge on how the text is read, and on what.

The HTML report (``solve --format html``, also the web app's report page) marks each finding,
ground, status and measure that does not hold under every combination of the readings that can
touch the case (:func:`pydesig.readings.readings`).  A mark names the readings in force the
conclusion rests on and each other option under which it would no longer hold.

Both come from the conclusion's minimal sufficient readings (``under`` in the readings document):
they cover exactly the combinations under which it holds (a combination has the conclusion when
it extends one of them), so whether it holds after one reading is changed is read off them,
without solving again.  The readings in force are the case's: what the case (or ``-I``) fixes
stays fixed (``readings`` does not vary it), every other interpretation is at its default, the
first option listed.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Mark", "Lookups", "reading_marks", "conclusion_key", "merge_marks"]

Reading = tuple[str, str]  # (interpretation, option)


@dataclass(frozen=True)
class Mark:
    """How one conclusion of the result hinges on the readings.

    ``rests_on``: the minimal sufficient sets that the readings in force satisfy (the conclusion
    holds because of any one of them); ``flips``: each change of one reading (interpretation,
    other option) under which it no longer holds (empty when only changing two or more readings
    together undoes it); ``under``: every minimal sufficient set."""

    rests_on: tuple[tuple[Reading, ...], ...]
    flips: tuple[Reading, ...]
    under: tuple[tuple[Reading, ...], ...]


def conclusion_key(kind: str, entry: dict, year: int | None = None) -> tuple:
    """One key per conclusion, the same for an entry of the result JSON and of the readings JSON:
    ``(finding|status, region, year, level)``, ``(ground, region, year, level, provision label)``,
    ``(measure, subject kind, subject id, measure, year)`` (``year`` given for a measure)."""
    if kind == "measure":
        subject_kind, ident = next(iter(entry["subject"].items()))
        return ("measure", subject_kind, ident, entry["measure"], year)
    if kind == "ground":
        return ("ground", entry["region"], entry["year"], entry["level"], entry["citation"]["label"])
    return (kind, entry["region"], entry["year"], entry["level"])


def _holds(primes, combination: dict[str, str]) -> bool:
    return any(all(combination[n] == o for n, o in prime) for prime in primes)


def reading_marks(doc: dict) -> dict[tuple, Mark]:
    """The mark of every conclusion of a ``pydesig-readings/1`` document that hinges on a reading
    and holds under the readings in force, by :func:`conclusion_key`."""
    options = doc["interpretations"]
    current = {n: opts[0] for n, opts in options.items()}
    marks: dict[tuple, Mark] = {}
    for entry in doc["conclusions"]:
        if entry["holds"] == "always":
            continue
        primes = tuple(tuple(sorted(p.items())) for p in entry["under"])
        if not _holds(primes, current):
            continue
        rests_on = tuple(p for p in primes if _holds((p,), current))
        flips = tuple((n, o) for n, opts in options.items() for o in opts[1:]
                      if not _holds(primes, {**current, n: o}))
        mark = Mark(rests_on, flips, primes)
        for year in entry.get("years", [entry.get("year")]):
            marks[conclusion_key(entry["kind"], entry, year)] = mark
    return marks


def merge_marks(marks) -> Mark | None:
    """One mark for several conclusions shown together (a measure over a run of years): the
    readings any of them rests on, the changes that undo any of them."""
    marks = [m for m in marks if m is not None]
    if not marks:
        return None
    if all(m == marks[0] for m in marks):
        return marks[0]
    return Mark(tuple(sorted({p for m in marks for p in m.rests_on}, key=lambda p: (len(p), p))),
                tuple(sorted({r for m in marks for r in m.flips})),
                tuple(sorted({p for m in marks for p in m.under}, key=lambda p: (len(p), p))))


@dataclass(frozen=True)
class Lookups:
    """The marks of a result's rows as the report's templates ask for them (``hinge(kind, entry)``,
    ``ground_hinge(finding, ground)``, ``row_hinge(row)``): plain data, so that a web worker
    process can build them and hand them back to the page."""

    marks: dict

    def hinge(self, kind: str, entry: dict, year: int | None = None) -> Mark | None:
        return self.marks.get(conclusion_key(kind, entry, year))

    def ground_hinge(self, finding: dict, ground: dict) -> Mark | None:
        return self.marks.get(conclusion_key("ground", {**finding, "level": ground["level"],
                                                        "citation": ground["citation"]}))

    def row_hinge(self, row) -> Mark | None:
        """A measure row of a card (its entries over a run of years), one mark for them all."""
        return merge_marks(self.marks.get(conclusion_key("measure", m, y)) for _, m in row.entries
                           for y in m["years"] if y in row.years)
