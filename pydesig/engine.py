"""``solve``: a loaded case in, the contract's result out."""

from __future__ import annotations

from typing import Callable, Iterator

from .bridge import interpretation_choices
from .model import Case
from .result import Result, build_result
from .solver import consequences

__all__ = ["solve", "solve_records"]


def solve(case: Case, *, workers: int | None = None, scheduler: str | None = None, whole: bool = False,
          progress: Callable[[int, int], None] | None = None) -> Result:
    """Findings, status timeline and measures of ``case`` under its instrument.

    The case is solved part by part (``pydesig.parts``) on ``workers`` processes (default: the
    machine's cores; 1: in this process) or on the Dask cluster at ``scheduler``; ``whole=True``
    solves it as one program.  The result is the same, byte for byte, whichever is chosen."""
    found = consequences(case, workers=workers, scheduler=scheduler, whole=whole, progress=progress)
    result = build_result(case, found, interpretation_choices(case))
    result.whole = whole
    return result


# The entries of a result, in the order of the result JSON, as jsonl records name them.
KINDS = (("findings", "finding"), ("status", "status"), ("measures", "measure"), ("duties", "duty"),
         ("decisions", "decision"))


def _owner(entry: dict) -> tuple[str, str]:
    if "region" in entry and "subject" not in entry:
        return ("region", entry["region"])
    return next(iter(entry["subject"].items()))


def solve_records(case: Case, *, workers: int | None = None, scheduler: str | None = None, whole: bool = False,
                  progress: Callable[[int, int], None] | None = None) -> Iterator[dict]:
    """The result as the records of ``solve --format jsonl``: a header, then one record per entry
    (``{"kind": …, **entry}``), yielded as the parts of the case finish.

    Warnings about the input (``{"kind": "warning", …}``) come right after the header.  Records come part by part (in the order of :func:`pydesig.parts.split`), within a part in the
    order of the result JSON (findings, status, measures, duties, decisions), the notices (which
    belong to no part) last.  ``whole=True`` solves the case as one program and writes the same
    records in the same order."""
    from .parts import batches, split
    from .dispatch import iter_parts
    from .result import RESULT_FORMAT, _notices, warnings_json
    from .solver import Consequences, part_consequences

    interpretations = interpretation_choices(case)
    yield {"format": RESULT_FORMAT, "ruleset": case.ruleset, "title": case.title, "interpretations": interpretations}
    for warning in warnings_json(case):  # about the input: before any part is solved
        yield {"kind": "warning", **warning}
    parts = split(case)
    index: dict[tuple[str, str], int] = {}
    for i, part in enumerate(parts):
        index.update({("region", r): i for r in part.regions})
        index.update({("official", o): i for o in part.officials})
    if whole:
        found = iter([(case, consequences(case, whole=True))])
    else:
        groups = batches(parts)
        found = zip(groups, iter_parts(groups, part_consequences, workers=workers, scheduler=scheduler,
                                       progress=progress))
    notices = []
    for batch, cons in found:
        doc = build_result(batch, cons, interpretations).to_json()
        by_part: dict[int, list[dict]] = {}
        for key, kind in KINDS:
            for entry in doc.get(key, []):
                by_part.setdefault(index.get(_owner(entry), -1), []).append({"kind": kind, **entry})
        for i in sorted(by_part):
            yield from by_part[i]
        notices.append(Consequences(cons.atoms("notice", 2)))
    for notice in _notices(Consequences.merge(notices)):
        yield {"kind": "notice", **notice}
