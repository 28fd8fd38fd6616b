"""``solve``: a loaded case in, the contract's result out."""

from __future__ import annotations

import json
from typing import Callable, Iterator

from . import solver as _solver
from .bridge import interpretation_choices
from .model import Case
from .result import RESULT_FORMAT, Result, build_result
from .solver import Consequences, consequences

__all__ = ["solve", "solve_records", "solve_json", "PartJSON", "part_json"]


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


# ------------------------------------------------------------------------------------------------
# solve --format json, part by part: the workers write the JSON, the parent only interleaves it

# The lists of the result JSON that belong to a region or an official, and the subject each entry
# belongs to: the first thing each list is sorted by (pydesig.result), so the entries of one
# subject are consecutive, and every subject is in exactly one part.
SECTIONS = ("findings", "status", "measures", "duties", "decisions")


def _subject_key(entry: dict) -> tuple[str, str]:
    """(kind, id) of an entry's subject: ("region", id) for findings and status, the ``subject``
    object of measures, duties and decisions.  Within a list these compare as its sort does."""
    if "subject" in entry:
        return next(iter(entry["subject"].items()))
    return ("region", entry["region"])


class PartJSON:
    """The result JSON of one part (or batch) as its workers wrote it: for each list of the result,
    the entries already encoded (one line each, in the list's order) and the runs of entries per
    subject; the notice atoms, which belong to no part, left to merge.  Strings and small tuples
    only, so that sending it back from a worker process costs little and the parent holds no
    entry as Python objects."""

    __slots__ = ("sections", "notices")

    def __init__(self, sections: dict[str, tuple[list[tuple[tuple[str, str], int]], list[bytes]]],
                 notices: Consequences):
        self.sections, self.notices = sections, notices

    def __getstate__(self):
        return (self.sections, self.notices)

    def __setstate__(self, state):
        self.sections, self.notices = state


_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False), one encoder for all


def part_json(case: Case) -> PartJSON:
    """Solve one part (or batch) and encode its entries (run by the executor, in a worker)."""
    found = _solver.part_consequences(case)
    doc = build_result(case, found, {}).to_json()
    sections = {}
    for name in SECTIONS:
        runs: list[tuple[tuple[str, str], int]] = []
        lines: list[bytes] = []  # UTF-8: half the memory of str for the Chinese of citations
        for entry in doc.get(name, ()):
            key = _subject_key(entry)
            if runs and runs[-1][0] == key:
                runs[-1] = (key, runs[-1][1] + 1)
            else:
                runs.append((key, 1))
            lines.append(_encode(entry).encode())
        sections[name] = (runs, lines)
    return PartJSON(sections, Consequences(found.atoms("notice", 2)))


def _interleaved(pieces: list[PartJSON], name: str) -> list[bytes]:
    """The encoded entries of list ``name`` of every piece in the order of the whole result: by
    subject (each subject's entries stay as its part ordered them)."""
    runs = []
    for index, piece in enumerate(pieces):
        start = 0
        for key, count in piece.sections[name][0]:
            runs.append((key, index, start, start + count))
            start += count
    runs.sort()
    out: list[bytes] = []
    for _, index, start, end in runs:
        out.extend(pieces[index].sections[name][1][start:end])
    return out


def solve_json(case: Case, *, workers: int | None = None, scheduler: str | None = None, whole: bool = False,
               progress: Callable[[int, int], None] | None = None) -> Iterator[bytes]:
    """``solve --format json``: the result JSON of ``case`` in pieces (UTF-8), byte for byte
    ``pydesig.render.json_chunks(solve(case).to_json())``.

    Each part (batch of parts, see :func:`pydesig.parts.batches`) is solved, built and encoded
    where it runs; this process only interleaves the encoded entries by subject and writes them.
    It never holds the consequences of the whole case, nor any entry as a dict: on a national
    case that is most of the memory a whole result takes.  Every part is solved before the first
    piece is returned, so a failure leaves nothing written."""
    from .dispatch import run_parts
    from .parts import batches, split
    from .result import _notices, warnings_json

    units = [case] if whole else batches(split(case))
    pieces = run_parts(units, part_json, workers=workers if len(units) > 1 else 1, scheduler=scheduler,
                       progress=progress)
    notices = _notices(Consequences.merge([p.notices for p in pieces]))
    head = {"format": RESULT_FORMAT, "ruleset": case.ruleset, "title": case.title,
            "interpretations": interpretation_choices(case)}
    lists = {name: _interleaved(pieces, name) for name in SECTIONS}
    del pieces
    return _json_document(head, lists, notices, warnings_json(case))


def _json_document(head: dict, lists: dict[str, list[bytes]], notices: list[dict],
                   warnings: list[dict]) -> Iterator[bytes]:
    """The framing of :func:`pydesig.render.json_chunks` around entries already encoded (the keys
    in the order of :meth:`pydesig.result.Result.to_json`; duties, notices, decisions and warnings
    only when there are any)."""
    items = [*((k, _encode(v).encode()) for k, v in head.items()),
             ("findings", lists["findings"]), ("status", lists["status"]), ("measures", lists["measures"])]
    if lists["duties"]:
        items.append(("duties", lists["duties"]))
    if notices:
        items.append(("notices", [_encode(n).encode() for n in notices]))
    if lists["decisions"]:
        items.append(("decisions", lists["decisions"]))
    if warnings:
        items.append(("warnings", [_encode(w).encode() for w in warnings]))
    yield b"{\n"
    separator = b""
    for key, value in items:
        name = _encode(key).encode()
        if isinstance(value, bytes):
            yield separator + b"  " + name + b": " + value
        elif value:
            yield separator + b"  " + name + b": [\n    "
            for start in range(0, len(value), 1024):  # a thousand entries per piece, not one huge string
                yield (b",\n    " if start else b"") + b",\n    ".join(value[start:start + 1024])
            yield b"\n  ]"
        else:
            yield separator + b"  " + name + b": []"
        separator = b",\n"
    yield b"\n}\n"
