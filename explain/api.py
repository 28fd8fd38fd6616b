"""``why`` and ``why_not``: the questions analysts ask, answered as cited trees.

Both solve the case once with the explanation bookkeeping (one answer set; for a discretionary
conclusion, one in which it holds), build the derivation graph and read the answer from it.
"""

from __future__ import annotations

from clingo import Function, Number, String, Symbol

from pydesig.bridge import atom_args
from pydesig.errors import CaseError
from pydesig.kb import knowledge_base
from pydesig.model import Case
from pydesig.solver import consequences

from .graph import Derivations, derivations
from .instrument import explained_model
from .statements import Speaker
from .tree import Justifier
from .whynot import attempts_for_level

__all__ = ["why", "why_not", "explain_all", "Explanation"]


class Explanation:
    """The derivations of one answer set of a case, ready to justify any of its atoms."""

    def __init__(self, case: Case, lang: str = "zh", assumptions=()):
        model = explained_model(case, assumptions)
        if model is None:
            raise CaseError("no lawful outcome in which that conclusion holds", file=case.path)
        self.case, self.lang = case, lang
        self.model = model
        self.derivations: Derivations = derivations(model)
        self.speaker = Speaker(case, lang)
        self.justifier = Justifier(self.derivations, self.speaker)

    def atoms(self, name: str, arity: int) -> list[Symbol]:
        return sorted(s for s in self.model.atoms if s.name == name and len(s.arguments) == arity)

    def tree(self, atom: Symbol) -> dict:
        return self.justifier.node(atom)


def _region_atoms(ex: Explanation, region: str, year: int) -> list[Symbol]:
    wanted = []
    for name in ("finding", "status"):
        wanted += [s for s in ex.atoms(name, 3) if atom_args(s)[:2] == (region, year)]
    return wanted


def _combine(ex: Explanation, atoms: list[Symbol], statement: str) -> dict:
    trees = [ex.tree(a) for a in atoms]
    if len(trees) == 1:
        return trees[0]
    citations, seen = [], set()
    for t in trees:
        for c in t["citations"]:
            key = (c["instrument"], c["article"], c["paragraph"], c["item"])
            if key not in seen:
                seen.add(key)
                citations.append(c)
    return {"statement": statement, "citations": citations, "children": trees}


def why(case: Case, *, year: int, region: str | None = None, official: str | None = None,
        measure: str | None = None, lang: str = "zh") -> dict:
    """The cited justification of a region's finding and status in ``year``, or of a measure."""
    if measure or official:
        return _why_measure(case, year=year, region=region, official=official, measure=measure, lang=lang)
    ex = Explanation(case, lang)
    atoms = _region_atoms(ex, region, year)
    if not atoms:
        raise CaseError(f"no finding or status for region {region!r} in {year}; "
                        f"ask `pydesig why-not` for a level", file=case.path)
    say = ex.speaker
    statement = (f"{say.region(region)}{year}年度的评定与整治状态" if lang == "zh"
                 else f"finding and status of {say.region(region)} in {year}")
    return _combine(ex, atoms, statement)


def _why_measure(case, *, year, region, official, measure, lang) -> dict:
    subject = Function("official", [String(official)]) if official else Function("region", [String(region)])

    def wanted(sym):
        s, m, y, _ = sym.arguments
        return s == subject and y == Number(year) and (measure is None or m.name == measure)

    ex = Explanation(case, lang)
    atoms = [s for s in ex.atoms("measure", 4) if wanted(s)]
    if not atoms:  # a discretionary measure: explain it in an outcome where it is taken
        brave = consequences(case).atoms("measure", 4)
        candidates = sorted(s for s in brave if wanted(s))
        if candidates:
            ex = Explanation(case, lang, assumptions=candidates[:1])
            atoms = [s for s in ex.atoms("measure", 4) if wanted(s)]
    if not atoms:
        who = f"official {official!r}" if official else f"region {region!r}"
        raise CaseError(f"no measure {measure or ''} for {who} in {year}".replace("  ", " "), file=case.path)
    statement = (f"{year}年对{ex.speaker.official(official) if official else ex.speaker.region(region)}适用的措施"
                 if lang == "zh" else f"measures for {official or region} in {year}")
    return _combine(ex, atoms, statement)


def why_not(case: Case, *, region: str, year: int, level: str, lang: str = "zh") -> dict:
    """Why ``region`` was not at ``level`` in ``year``: each rule that could have given it, the
    first condition that failed, and the smallest change that would flip it."""
    kb = knowledge_base()
    if level not in kb.vocabulary["levels"]:
        raise CaseError(f"unknown level {level!r} (one of {', '.join(kb.vocabulary['levels'])})",
                        file=case.path, field="--level")
    ex = Explanation(case, lang)
    say = ex.speaker
    attempts, _ = attempts_for_level(ex.model, say, region, year, level)
    finding = Function("finding", [String(region), Number(year), Function(level)])
    status = Function("status", [String(region), Number(year), Function(level)])
    holds = finding in ex.model.atoms or status in ex.model.atoms
    rules = []
    for att in attempts:
        entry = {"citations": [kb.citation(p) for p in att.rule.site.provisions], "holds": att.holds,
                 "rule": att.rule.site.text}
        if att.rule.site.interpretations:
            entry["interpretation"] = list(att.rule.site.interpretations)
        if att.failure:
            entry["failed"] = {"condition": att.failure.condition, "statement": att.failure.statement,
                               "actual": att.failure.actual, "required": att.failure.required}
            if att.failure.change:
                entry["change"] = att.failure.change
        rules.append(entry)
    level_name = kb.term("levels", level, lang)
    if holds:
        statement = (f"{say.region(region)}{year}年度为{level_name}" if lang == "zh"
                     else f"{say.region(region)} was at {level_name} in {year}")
    elif any(r["holds"] for r in rules):
        statement = (f"{say.region(region)}{year}年度符合{level_name}的标准，但依所采用的解释另有更应适用的级别"
                     if lang == "zh" else
                     f"{say.region(region)} met the {level_name} criteria in {year}, but under the "
                     f"interpretation in force another tier prevails")
    else:
        statement = (f"{say.region(region)}{year}年度不符合{level_name}的任何一项标准" if lang == "zh"
                     else f"{say.region(region)} met no criterion of {level_name} in {year}")
    smallest = [r["change"] for r in rules if "change" in r and "delta" in r["change"]]
    doc = {"region": region, "year": year, "level": level, "holds": holds, "statement": statement,
           "rules": rules}
    if not holds and smallest:
        doc["smallest_change"] = min(smallest, key=lambda c: (abs(c["delta"]), c["indicator"]))
    return doc


def explain_all(case: Case, lang: str = "zh") -> list[dict]:
    """A justification for every finding, status and measure of the case (one answer set)."""
    ex = Explanation(case, lang)
    out = []
    for name, arity in (("finding", 3), ("status", 3), ("measure", 4)):
        for atom in ex.atoms(name, arity):
            out.append({"atom": str(atom), "tree": ex.tree(atom)})
    return out
