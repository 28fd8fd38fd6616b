"""Fixed discretionary decisions: ``--decide SUBJECT:YEAR:DECISION`` on the command line,
``decisions`` in an HTTP request body, the decision selectors of the web app's case page.

One library for all three, so that they accept the same values and refuse with the same one-line
message: :func:`with_decisions` parses the values (a subject by id or name, ``region=…`` /
``official=…`` where a name is both), adds them to the case and checks each against the
instrument's vocabulary; :func:`unlawful` says, when the fixed decisions leave no lawful outcome,
which of them is no lawful option at all, or else the smallest set that conflicts.
"""

from __future__ import annotations

import dataclasses

from . import resolve
from .bridge import atom_args
from .errors import CaseError
from .kb import knowledge_base
from .solver import NoLawfulOutcome, consequences

__all__ = ["with_decisions", "unlawful", "parse_decisions", "check_decisions", "decision_label"]


def parse_decisions(case, values: tuple[str, ...]) -> list[dict]:
    """``SUBJECT:YEAR:DECISION`` → ``{region|official: id, year, decision}``.  SUBJECT is a region
    or official of the case by id or name, or ``region=…`` / ``official=…`` where it names both."""
    result = []
    for value in values:
        record = f"--decide {value}"
        subject, _, rest = value.partition(":")
        year, _, decision = rest.partition(":")
        if not subject or not year.strip() or not decision:
            raise CaseError("not SUBJECT:YEAR:DECISION (e.g. 220581:2022:extend)", file=case.path, record=record)
        kind, sep, ident = subject.partition("=")
        if sep and kind in ("region", "official"):
            ident = (resolve.region if kind == "region" else resolve.official)(case, ident, field="subject")
        else:
            kind, ident = decision_subject(case, subject, record)
        try:
            year = resolve.year(case, year, field="year")
        except CaseError as err:  # say which --decide it was
            raise CaseError(err.message, file=case.path, record=record, field="year") from None
        result.append({kind: ident, "year": year, "decision": decision.strip(), "record": record})
    return result


def decision_subject(case, subject: str, record: str) -> tuple[str, str]:
    """The region or official a bare SUBJECT names (by id or name); both or neither is an error."""
    found, errors = [], []
    for kind, find in (("region", resolve.region), ("official", resolve.official)):
        try:
            found.append((kind, find(case, subject, field="subject")))
        except CaseError as err:
            errors.append(err)
    if len(found) == 1:
        return found[0]
    if found:
        raise CaseError(f"{subject!r} names both a region and an official: write region=… or official=…",
                        file=case.path, record=record, field="subject")
    ambiguous = [e for e in errors if isinstance(e, resolve.Ambiguous)]
    if ambiguous:
        raise CaseError(ambiguous[0].message, file=case.path, record=record, field="subject")
    raise CaseError(f"{subject!r} names no region or official of the case", file=case.path, record=record,
                    field="subject")


def decision_label(d: dict) -> str:
    kind = "official" if "official" in d else "region"
    return f"{d[kind]}:{d['year']}:{d['decision']}"


def check_decisions(case) -> None:
    """Every fixed decision is a decision of the case's instrument (kb/vocabulary/*.yaml ``decisions``)
    for the right kind of subject."""
    known = knowledge_base().vocabulary.get("decisions", {})
    for d in case.decisions:
        kind = "official" if "official" in d else "region"
        entry = known.get(d["decision"])
        instrument = (entry or {}).get("provision", case.ruleset + "/").split("/")[0]
        if entry is None or instrument != case.ruleset:
            ids = sorted(k for k, e in known.items() if e.get("provision", case.ruleset + "/").startswith(case.ruleset + "/"))
            raise CaseError(f"unknown decision {d['decision']!r} for {case.ruleset}; known: {', '.join(ids)}",
                            file=case.path, record=d.get("record"), field="decision")
        if entry.get("subject", kind) != kind:
            raise CaseError(f"decision {d['decision']!r} is taken for a {entry['subject']}, not a {kind}",
                            file=case.path, record=d.get("record"), field="decision")


def with_decisions(case, values: tuple[str, ...] = ()):
    """The case with the ``--decide`` decisions added, all checked against the vocabulary."""
    case.decisions = [*case.decisions, *parse_decisions(case, values)]
    check_decisions(case)
    return case


def unlawful(case, err: NoLawfulOutcome, run: dict | None = None) -> CaseError:
    """Say which fixed decisions leave no lawful outcome: those that are no lawful option at all,
    or else the combination."""
    try:
        free = consequences(dataclasses.replace(case, decisions=[]), **(run or {}))
    except NoLawfulOutcome:
        return CaseError(str(err), file=case.path)
    options = {(a[0], a[1], y, d) for a, y, d, _ in (atom_args(s) for s in free.atoms("decision_option", 4))}
    known = knowledge_base().vocabulary.get("decisions", {})

    def lawful(d: dict) -> bool:
        point = ("official" if "official" in d else "region", d.get("official", d.get("region")), d["year"])
        negated = known.get(d["decision"], {}).get("negates")  # a no_… decision holds where its step is not open
        return (*point, d["decision"]) in options or (negated is not None and (*point, negated) not in options)

    wrong = [d for d in case.decisions if not lawful(d)]
    if wrong:
        readings = ", ".join(f"{k}={v}" for k, v in sorted(case.interpretations.items()))
        return CaseError(f"not a lawful decision in this case: {', '.join(decision_label(d) for d in wrong)} "
                         f"(under the interpretations in force{': ' + readings if readings else ''}; "
                         f"pydesig outcomes lists the lawful decisions)", file=case.path,
                         record=wrong[0].get("record"), field="decision")
    return conflict_error(case, err)


def conflict_error(case, err) -> CaseError:
    """The smallest set of fixed decisions that conflict (explain.conflicts), in one line."""
    from explain.conflicts import conflicting_decisions

    found = conflicting_decisions(case)
    if not found:
        return CaseError(str(err), file=case.path)
    parts = []
    for d in found["decisions"]:
        label = decision_label(d)
        if "citation" in d:
            label += f" ({d['citation']['label']})"
        parts.append(label)
    return CaseError("the fixed decisions cannot all hold together; the smallest set that conflicts: "
                     f"{', '.join(parts)}", file=case.path, record=found["decisions"][-1].get("record"))
