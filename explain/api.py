"""``why`` and ``why_not``: the questions analysts ask, answered as cited trees.

Both solve only the part of the case that holds the region or official asked about
(:func:`pydesig.parts.part_of`: no rule joins it to the rest, so its derivations are the whole
case's), once, with the explanation bookkeeping (one answer set; for a discretionary conclusion,
one in which it holds), build the derivation graph and read the answer from it.  ``whole=True``
explains within the whole case instead.
"""

from __future__ import annotations

from clingo import Function, Number, String, Symbol

from pydesig import resolve
from pydesig.bridge import atom_args
from pydesig.errors import CaseError
from pydesig.kb import knowledge_base
from pydesig.model import Case
from pydesig.parts import part_of
from pydesig.solver import consequences

from .graph import Derivations, derivations
from .instrument import explained_model
from .statements import Speaker
from .tree import Justifier
from .whynot import attempts_for_level

__all__ = ["why", "why_not", "explain_all", "Explanation"]


class Explanation:
    """The derivations of one answer set of a case, ready to justify any of its atoms."""

    def __init__(self, case: Case, lang: str = "zh", assumptions=(), detail: str = "brief"):
        model = explained_model(case, assumptions)
        if model is None:
            raise CaseError("no lawful outcome in which that conclusion holds", file=case.path)
        self.case, self.lang = case, lang
        self.model = model
        self.derivations: Derivations = derivations(model)
        self.speaker = Speaker(case, lang)
        self.justifier = Justifier(self.derivations, self.speaker, detail=detail)
        self._atoms: dict[tuple[str, int], list[str]] = {}
        self._measures: dict[tuple, tuple[list, list]] | None = None

    def atoms(self, name: str, arity: int) -> list[str]:
        """The atoms of ``name/arity`` in this answer set, as text, sorted (read once)."""
        found = self._atoms.get((name, arity))
        if found is None:
            found = self._atoms[(name, arity)] = self.model.heads(name, arity)
        return found

    def holds(self, atom: Symbol | str) -> bool:
        return self.derivations.holds(atom if isinstance(atom, str) else str(atom))

    def tree(self, atom: Symbol | str) -> dict:
        """The justification tree of ``atom`` (a clingo symbol or its text)."""
        return self.justifier.node(atom)

    def measure_tree(self, subject: tuple[str, str], measure: str, year: int) -> dict:
        """One justification for a measure on ``subject`` (``("official", id)`` or ``("region", id)``)
        in ``year``, whatever provisions carry it (the measure/4 atoms of each, together).  The
        measures are indexed once, so that explaining every measure is linear in the case."""
        atoms, forms = self._measure_index().get((subject, measure, year), ([], []))
        if not atoms:
            raise KeyError((subject, measure, year))
        return self.justifier.group(self.speaker.measure_group(subject, measure, year, sorted(forms)), atoms)

    def _measure_index(self) -> dict[tuple, tuple[list, list]]:
        """(subject, measure, year) → (its measure/4 atoms, its forms)."""
        if self._measures is None:
            index: dict[tuple, tuple[list, list]] = {}
            for a in self.atoms("measure", 4):
                index.setdefault(atom_args(a)[:3], ([], []))[0].append(a)
            for a in self.atoms("measure_form", 4):
                args = atom_args(a)
                index.setdefault(args[:3], ([], []))[1].append(args[3])
            self._measures = index
        return self._measures


def _region_atoms(ex: Explanation, region: str, year: int) -> list[str]:
    wanted = []
    for name in ("finding", "status"):
        wanted += [s for s in ex.atoms(name, 3) if atom_args(s)[:2] == (region, year)]
    return wanted


def _combine(ex: Explanation, atoms: list, statement: str) -> dict:
    trees = [a if isinstance(a, dict) else ex.tree(a) for a in atoms]
    if len(trees) == 1:
        return trees[0]
    citations, seen = [], set()
    for t in trees:
        for c in t["citations"]:
            key = (c["instrument"], c["article"], c["paragraph"], c["item"])
            if key not in seen:
                seen.add(key)
                citations.append(c)
    return {"statement": statement, "citations": citations, "children": trees, "combined": True}


def why(case: Case, *, year: int, region: str | None = None, official: str | None = None,
        measure: str | None = None, lang: str = "zh", detail: str = "brief", whole: bool = False,
        readings: bool = False) -> dict:
    """The cited justification of a region's finding and status in ``year``, or of a measure.
    Regions and officials may be given by id or by name (:mod:`pydesig.resolve`); only the part of
    the case that holds them is solved unless ``whole``.  ``detail="full"`` shows every
    intermediate conclusion of the encodings as a step of its own (the bookkeeping the brief form
    folds into the step it serves).  With ``readings`` the root also says (key ``readings``,
    :func:`pydesig.readings.reading_remark`) whether the conclusion holds under every reading of
    the text or which readings it rests on."""
    explained: list = []
    solved: list = []
    tree = _why(case, year=year, region=region, official=official, measure=measure, lang=lang, detail=detail,
                whole=whole, explained=explained, solved=solved)
    if readings:
        from pydesig.readings import reading_remark

        tree["readings"] = reading_remark(solved[0], explained, lang)
    return tree


def _why(case, *, year, region, official, measure, lang, detail, whole, explained, solved) -> dict:
    if detail not in ("brief", "full"):
        raise ValueError(f"detail must be 'brief' or 'full', not {detail!r}")
    year = resolve.year(case, year)
    region = resolve.region(case, region) if region is not None else None
    official = resolve.official(case, official) if official is not None else None
    if not whole:
        case = part_of(case, region=region if not official else None, official=official)
    solved.append(case)
    if measure or official:
        return _why_measure(case, year=year, region=region, official=official, measure=measure, lang=lang,
                            detail=detail, explained=explained)
    ex = Explanation(case, lang, detail=detail)
    atoms = _region_atoms(ex, region, year)
    if not atoms:
        raise CaseError(f"no finding or status for region {region!r} in {year}; "
                        f"ask `pydesig why-not` for a level", file=case.path)
    explained.extend(atoms)
    say = ex.speaker
    statement = (f"{say.region(region)}{year}年度的评定与整治状态" if lang == "zh"
                 else f"finding and status of {say.region(region)} in {year}")
    return _combine(ex, atoms, statement)


def _why_measure(case, *, year, region, official, measure, lang, detail="brief", explained=None) -> dict:
    subject = ("official", official) if official else ("region", region)

    def wanted(sym):
        s, m, y, _ = atom_args(sym)
        return s == subject and y == year and (measure is None or m == measure)

    ex = Explanation(case, lang, detail=detail)
    atoms = [s for s in ex.atoms("measure", 4) if wanted(s)]
    if not atoms:  # a discretionary measure: explain it in an outcome where it is taken
        brave = consequences(case, whole=True).atoms("measure", 4)  # case: the part, or the whole
        candidates = sorted((s for s in brave if wanted(s)), key=lambda a: a.text)
        if candidates:
            ex = Explanation(case, lang, assumptions=[candidates[0].symbol], detail=detail)
            atoms = [s for s in ex.atoms("measure", 4) if wanted(s)]
    if not atoms:
        who = f"official {official!r}" if official else f"region {region!r}"
        raise CaseError(f"no measure {measure or ''} for {who} in {year}".replace("  ", " "), file=case.path)
    who = ex.speaker.official(official) if official else ex.speaker.region(region)
    statement = f"{year}年对{who}适用的措施" if lang == "zh" else f"measures for {who} in {year}"
    measures = sorted({atom_args(a)[1] for a in atoms})
    if explained is not None:
        explained.extend(atoms)
    return _combine(ex, [ex.measure_tree(subject, m, year) for m in measures], statement)


def why_not(case: Case, *, region: str, year: int, level: str, lang: str = "zh", whole: bool = False) -> dict:
    """Why ``region`` was not at ``level`` in ``year``: each rule that could have given it, the
    first condition that failed, and the smallest change that would flip it."""
    kb = knowledge_base()
    year, region = resolve.year(case, year), resolve.region(case, region)
    level = resolve.level(case.ruleset, level, file=case.path)
    if not whole:
        case = part_of(case, region=region)
    ex = Explanation(case, lang)
    say = ex.speaker
    attempts, _ = attempts_for_level(ex.model, say, region, year, level)
    finding = Function("finding", [String(region), Number(year), Function(level)])
    status = Function("status", [String(region), Number(year), Function(level)])
    holds = ex.holds(finding) or ex.holds(status)
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
    if not attempts and kb.vocabulary["levels"][level].get("instrument") == "changzhou" == case.ruleset:
        rules.append(_listing_attempt(ex, region, year, level, lang))
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


def _listing_attempt(ex: Explanation, region: str, year: int, level: str, lang: str) -> dict:
    """Changzhou: no rule of the text gives a listing (第二十三条 leaves the criteria to separate
    measures of the municipal commission), so the case states it (``listing``); why-not says which
    record would give it."""
    kb = knowledge_base()
    lag = 1 if ex.case.interpretations.get("listing_lag", kb.interpretations["listing_lag"].default) == "next_year" else 0
    say, name = ex.speaker, kb.term("levels", level, lang)
    given = ex.case.fact(region, year - lag, "listing")
    actual = given.value if given else None
    if lang == "zh":
        statement = (f"第二十三条未规定列入标准（由市禁毒委另行制定），列入情况以案卷记载为准；"
                     f"{say.region(region)}{year - lag}年的列入记载为{say.value(actual) if actual else '—'}，"
                     f"要求为{name}")
    else:
        statement = (f"Article 23 leaves the listing criteria to separate measures, so listings are taken from the "
                     f"case: {say.region(region)}'s listing for {year - lag} is "
                     f"{say.value(actual) if actual else 'not recorded'}, required {name}")
    entry = {"citations": [kb.citation("changzhou/art_23")], "holds": False, "rule": "listing (case input)",
             "interpretation": ["listing_lag"],
             "failed": {"condition": f"fact(region({region!r}),{year - lag},listing,{level})",
                        "statement": statement, "actual": actual, "required": level}}
    if actual != level:
        entry["change"] = {"indicator": "listing", "year": year - lag, "from": actual, "to": level}
    return entry


def explain_all(case: Case, lang: str = "zh") -> list[dict]:
    """A justification for every finding, status and measure of the case (one answer set)."""
    ex = Explanation(case, lang)
    out = []
    for name, arity in (("finding", 3), ("status", 3), ("measure", 4)):
        for atom in ex.atoms(name, arity):
            out.append({"atom": atom, "tree": ex.tree(atom)})
    return out
