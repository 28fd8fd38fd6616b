"""From consequences to the contract's result: findings, status timeline, measures, duties.

The encodings name the provision of every conclusion inside the atom itself (``ground(R, Y, L,
P)``, ``measure(S, M, Y, P)`` …), so citations flow from the rule that fired into the result;
this module only resolves provision ids against ``kb/`` and groups, sorts and shapes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .bridge import atom_args
from .kb import knowledge_base
from .model import Case
from .solver import Atom, Consequences

__all__ = ["Result", "build_result", "RESULT_FORMAT", "lawful_outcomes", "OUTCOMES_FORMAT"]

RESULT_FORMAT = "pydesig-result/1"
OUTCOMES_FORMAT = "pydesig-outcomes/1"

# Events in the order in which they are reported when several fall on one region-year.
EVENT_ORDER = ("designated", "upgraded", "extended", "continued", "downgraded", "cancelled", "expired",
               "reported_national", "delisted")


@dataclass
class Result:
    case: Case
    findings: list[dict] = field(default_factory=list)
    status: list[dict] = field(default_factory=list)
    measures: list[dict] = field(default_factory=list)
    duties: list[dict] = field(default_factory=list)
    notices: list[dict] = field(default_factory=list)
    interpretations: dict[str, str] = field(default_factory=dict)
    decisions: list[dict] = field(default_factory=list)
    whole: bool = False  # solved as one program (the report then explains it as one too)
    # narrowed to some regions and officials (pydesig.narrow): (region ids, official ids), else None
    scope: tuple | None = None

    def to_json(self) -> dict:
        doc = {
            "format": RESULT_FORMAT,
            "ruleset": self.case.ruleset,
            "title": self.case.title,
            "interpretations": self.interpretations,
            "findings": self.findings,
            "status": self.status,
            "measures": self.measures,
        }
        if self.duties:
            doc["duties"] = self.duties
        if self.notices:
            doc["notices"] = self.notices
        if self.decisions:
            doc["decisions"] = self.decisions
        if getattr(self.case, "warnings", None):
            doc["warnings"] = warnings_json(self.case)
        return doc


def warnings_json(case: Case) -> list[dict]:
    """What the loader accepted with a warning (a handover year, a fact after an official left),
    without the file's name, so that the same case gives the same JSON wherever it lies."""
    return [{k: w[k] for k in ("id", "record", "field", "message")} for w in case.warnings]


@lru_cache(maxsize=None)
def _provision_key(pid: str):
    p = knowledge_base().get(pid)
    return (p.instrument, p.article, p.paragraph or 0, p.item or 0)


@lru_cache(maxsize=None)
def _citation(pid: str) -> dict:
    return knowledge_base().citation(pid)


def cite(pid: str) -> dict:
    """The contract's citation object of a provision id (a fresh copy: callers may edit it)."""
    return dict(_citation(pid))


@lru_cache(maxsize=4096)
def _cites_key(pids: frozenset) -> tuple:
    return tuple(sorted(pids, key=_provision_key))


def _cites(pids) -> list[dict]:
    return [cite(p) for p in _cites_key(frozenset(pids))]


def _subject(term) -> dict:
    kind, ident = term
    return {kind: ident}


def _grouped(c: Consequences, name: str, arity: int, key: int | None = None) -> dict:
    """``name/arity`` atoms grouped: their first ``key`` arguments (all but the last by default) →
    the set of the remaining argument(s) (one value, or a tuple when more than one remains)."""
    key = arity - 1 if key is None else key
    out: dict = defaultdict(set)
    for s in c.atoms(name, arity):
        args = s.args if isinstance(s, Atom) else atom_args(s)
        rest = args[key:]
        out[args[:key]].add(rest[0] if len(rest) == 1 else rest)
    return out


def _level_rank(level: str) -> int:
    return knowledge_base().vocabulary["levels"].get(level, {}).get("rank", 0)


def _findings(c: Consequences) -> list[dict]:
    grounds = _grouped(c, "ground", 4, key=2)  # (region, year) → {(level, provision)}
    readings = _grouped(c, "finding_reading", 3)
    art6 = _grouped(c, "serious_problem", 3)
    out = []
    for s in c.atoms("finding", 3):
        r, y, level = atom_args(s)
        entry = {
            "region": r,
            "year": y,
            "level": level,
            "grounds": [
                {"level": lv, "citation": cite(pid)}
                for lv, pid in sorted(grounds[(r, y)], key=lambda g: (-_level_rank(g[0]), _provision_key(g[1])))
            ],
        }
        if art6[(r, y)]:
            entry["serious_problems"] = _cites(art6[(r, y)])
        if readings[(r, y)]:
            entry["interpretations"] = sorted(readings[(r, y)])
        out.append(entry)
    return sorted(out, key=lambda f: (f["region"], f["year"], -_level_rank(f["level"]), f["level"]))


def _status(c: Consequences) -> list[dict]:
    events = _grouped(c, "status_event", 4)
    basis = _grouped(c, "status_basis", 4)
    bodies = _grouped(c, "status_by", 4)  # status_by/4: the body that takes the step (Jilin 第十二条)
    # status_event_basis/5, status_event_by/5: basis and body paired with the event within one outcome
    event_basis = _grouped(c, "status_event_basis", 5, key=4)
    event_by = _grouped(c, "status_event_by", 5, key=4)
    out = []
    for s in c.atoms("status", 3):
        r, y, level = atom_args(s)
        entry = {"region": r, "year": y, "level": level}
        evs = sorted(events[(r, y, level)], key=lambda e: (EVENT_ORDER.index(e) if e in EVENT_ORDER else 99, e))
        if evs:
            entry["event"] = evs[0]
            if len(evs) > 1:
                entry["events"] = evs
        pids, by = basis[(r, y, level)], bodies[(r, y, level)]
        if len(evs) > 1:
            # Different events in different lawful outcomes: the entry's basis and body are what holds
            # whichever event it is; each event's own basis is listed beside it (never another outcome's).
            per = {e: event_basis.get((r, y, level, e), set()) for e in evs}
            pids = set.intersection(*(set(p) for p in per.values())) if all(per.values()) else pids
            by = set.intersection(*(set(event_by.get((r, y, level, e), set())) for e in evs))
            entry["event_basis"] = [{"event": e, "basis": _cites(per[e]),
                                     **({"by": sorted(event_by[(r, y, level, e)])}
                                        if event_by.get((r, y, level, e)) else {})} for e in evs]
        if by:
            entry["by"] = sorted(by)
        entry["basis"] = _cites(pids)
        entry["certain"] = c.certain(s)
        out.append(entry)
    return sorted(out, key=lambda e: (e["region"], e["year"], -_level_rank(e["level"]), e["level"]))


def _measures(c: Consequences) -> list[dict]:
    forms = _grouped(c, "measure_form", 4)
    bodies = _grouped(c, "measure_by", 4)
    recipients = _grouped(c, "measure_to", 4)  # measure_to/4: to whom a report goes (Changzhou 第二十四条)
    # measure_concerns/4: whom a measure on persons concerns when it stands on the area for want of named persons
    concerns = _grouped(c, "measure_concerns", 4)
    # measure_discretionary/3: a measure the text leaves to discretion (可以, 视情) that no decision of the case can
    # fix, because it stands on the area for persons the case does not name: discretionary in every outcome
    left_open = {tuple(s.args) for s in c.atoms("measure_discretionary", 3)}
    # (subject, measure, modality, forms, bodies, basis, recipients) -> years
    groups: dict[tuple, set] = defaultdict(set)
    readings = _grouped(c, "measure_reading", 4)  # measure_reading/4: the measure rests on an interpretation
    # A measure is obligatory when it attaches in every lawful outcome, whichever provision carries it
    # there; the basis lists every provision that carries it in some outcome.
    carried, certain = defaultdict(set), set()
    for s in c.atoms("measure", 4):
        subj, m, y, pid = s.args
        carried[(subj, m, y)].add(pid)
        if s.certain and (subj, m, y) not in left_open:
            certain.add((subj, m, y))
    none = ()
    for (subj, m, y), pids in carried.items():
        point = (subj, m, y)
        key = (subj, m, "obligatory" if point in certain else "discretionary",
               tuple(sorted(forms.get(point, none))), tuple(sorted(bodies.get(point, none))),
               _cites_key(frozenset(pids)), tuple(sorted(recipients.get(point, none))),
               tuple(sorted(readings.get(point, none))), tuple(sorted(concerns.get(point, none))))
        groups[key].add(y)
    out = []
    for key, years in groups.items():
        subj, m, modality, fs, bs, pids, to, rd, whom = key
        entry = {"subject": _subject(subj), "measure": m, "modality": modality, "years": sorted(years)}
        if fs:
            entry["forms"] = list(fs)
        if bs:
            entry["by"] = list(bs)
        if to:
            entry["to"] = list(to)
        if whom:
            entry["concerns"] = list(whom)
        entry["basis"] = [cite(p) for p in pids]
        if rd:
            entry["interpretations"] = list(rd)
        out.append((key, entry))
    # the whole grouping key breaks ties, so the order never depends on the order atoms were read in
    out.sort(key=lambda ke: (ke[0][0], ke[0][1], ke[1]["years"], ke[0][2], ke[0][3:]))
    return [entry for _, entry in out]


def _duties(c: Consequences) -> list[dict]:
    met = {tuple(atom_args(s)) for s in c.atoms("duty_met", 3)}
    unmet = {tuple(atom_args(s)) for s in c.atoms("duty_unmet", 3)}
    # duty_unreported/3: the case gives none of the duty's indicators (Changzhou unreported_duties)
    unreported = {tuple(atom_args(s)) for s in c.atoms("duty_unreported", 3)}
    basis = _grouped(c, "duty", 4)
    out = []
    for (subj, d, y), pids in basis.items():
        entry = {"subject": _subject(subj), "duty": d, "year": y}
        if (subj, d, y) in met:
            entry["met"] = True
        elif (subj, d, y) in unmet:
            entry["met"] = False
        elif (subj, d, y) in unreported:
            entry["reported"] = False
        entry["basis"] = _cites(pids)
        out.append(entry)
    return sorted(out, key=lambda e: (sorted(e["subject"].items()), e["year"], e["duty"]))


def _notices(c: Consequences) -> list[dict]:
    texts = knowledge_base().vocabulary.get("notices", {})
    found = _grouped(c, "notice", 2)
    return [
        {"id": key, "zh": texts.get(key, {}).get("zh", key), "en": texts.get(key, {}).get("en", key),
         "citations": _cites(pids)}
        for (key,), pids in sorted(found.items())
    ]


def _decision_key(d: dict):
    return (sorted(d["subject"].items()), d["year"], d["decision"])


def _decisions(c: Consequences) -> list[dict]:
    """Every lawful discretionary decision (decision_option/4) and whether the lawful outcomes take
    it always, sometimes or never (decided/3)."""
    basis = _grouped(c, "decision_option", 4)
    taken = {tuple(atom_args(s)): ("always" if c.certain(s) else "sometimes") for s in c.atoms("decided", 3)}
    out = [
        {"subject": _subject(subj), "year": y, "decision": d, "taken": taken.get((subj, y, d), "never"),
         "basis": _cites(pids)}
        for (subj, y, d), pids in basis.items()
    ]
    return sorted(out, key=_decision_key)


def lawful_outcomes(case: Case, limit: int = 10, **options) -> dict:
    """The lawful outcomes of ``case`` (``pydesig outcomes``): see :mod:`pydesig.outcomes`."""
    from .outcomes import lawful_outcomes as outcomes_of

    return outcomes_of(case, limit, **options)


def build_result(case: Case, c: Consequences, interpretations: dict[str, str]) -> Result:
    return Result(
        case=case,
        findings=_findings(c),
        status=_status(c),
        measures=_measures(c),
        duties=_duties(c),
        notices=_notices(c),
        interpretations=interpretations,
        decisions=_decisions(c),
    )
