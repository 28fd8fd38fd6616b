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
from .instrument import BookkeptProgram, explained_model
from .statements import Speaker
from .tree import Justifier
from .whynot import change_words, level_document, measure_document

__all__ = ["why", "why_not", "explain_all", "Explanation"]


class Explanation:
    """The derivations of one answer set of a case, ready to justify any of its atoms."""

    def __init__(self, case: Case, lang: str = "zh", assumptions=(), detail: str = "brief", *,
                 shared: "Explanation | None" = None, all_atoms: bool = True, model=None):
        """``shared``: another explanation of the same case (a further answer set), whose work that
        does not depend on the answer set this one reuses: the compiled statements and the
        sentences said, the provisions and readings of each rule step.  ``all_atoms=False``: the
        answer set's atoms are not all kept (``model.atoms``, which only why-not reads).  ``model``:
        an answer set already read (:meth:`explain.instrument.BookkeptProgram.model`) instead of
        grounding the case again."""
        if model is None:
            model = explained_model(case, assumptions, all_atoms=all_atoms)
        if model is None:
            raise CaseError("no lawful outcome in which that conclusion holds", file=case.path)
        self.case, self.lang = case, lang
        self.model = model
        self.derivations: Derivations = derivations(model)
        if shared is not None and (shared.case is not case or shared.lang != lang):
            shared = None
        self.speaker = shared.speaker if shared is not None else Speaker(case, lang)
        self.justifier = Justifier(self.derivations, self.speaker, detail=detail,
                                   shared=shared.justifier if shared is not None else None)
        self._atoms: dict[tuple[str, int], list[str]] = {}

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
        in ``year``, whatever provisions carry it (the measure/4 atoms of each, together).  Its
        atoms are found by their printed beginning in the sorted bookkeeping (a bisection), so
        that explaining every measure, in every answer set a report needs, is linear in the case."""
        start = f"{Function(subject[0], [String(subject[1])])},{measure},{year},"
        atoms = self.model.heads("measure", 4, start)
        if not atoms:
            raise KeyError((subject, measure, year))
        forms = [atom_args(a)[3] for a in self.model.heads("measure_form", 4, start)]
        return self.justifier.group(self.speaker.measure_group(subject, measure, year, sorted(forms)), atoms)


def _region_atoms(ex: Explanation, region: str, year: int | None) -> list[str]:
    """The finding and status atoms of ``region`` in ``year`` (every year, in order, when None)."""
    wanted = []
    for name in ("finding", "status"):
        wanted += [s for s in ex.atoms(name, 3)
                   if atom_args(s)[0] == region and (year is None or atom_args(s)[1] == year)]
    return sorted(wanted, key=lambda a: (atom_args(a)[1], not a.startswith("finding(")))


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


def why(case: Case, *, year: int | None = None, region: str | None = None, official: str | None = None,
        measure: str | None = None, lang: str = "zh", detail: str = "brief", whole: bool = False,
        readings: bool = False) -> dict:
    """The cited justification of a region's finding and status in ``year``, or of a measure.
    Regions and officials may be given by id or by name (:mod:`pydesig.resolve`); only the part of
    the case that holds them is solved unless ``whole``.  ``detail="full"`` shows every
    intermediate conclusion of the encodings as a step of its own (the bookkeeping the brief form
    folds into the step it serves).  Without ``year``: a region's timeline (every finding and
    status, year by year), or every year of the measure(s) asked about, as one argument.  With
    ``readings`` the root also says (key ``readings``, :func:`pydesig.readings.reading_remark`)
    whether the conclusion holds under every reading of the text or which readings it rests on."""
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
    year = resolve.year(case, year) if year is not None else None
    region = resolve.region(case, region) if region is not None else None
    official = resolve.official(case, official) if official is not None else None
    if not whole:
        case = part_of(case, region=region if not official else None, official=official)
    solved.append(case)
    if measure or official:
        return _why_measure(case, year=year, region=region, official=official, measure=measure, lang=lang,
                            detail=detail, explained=explained)
    ex = Explanation(case, lang, detail=detail, all_atoms=False)
    atoms = _region_atoms(ex, region, year)
    if not atoms:
        raise CaseError(f"no finding or status for region {region!r}" + (f" in {year}" if year else "")
                        + "; ask `pydesig why-not` for a level", file=case.path)
    explained.extend(atoms)
    say = ex.speaker
    if year is None:
        statement = (f"{say.region(region)}历年的评定与整治状态" if lang == "zh"
                     else f"the findings and status of {say.region(region)}, year by year")
    else:
        statement = (f"{say.region(region)}{year}年度的评定与整治状态" if lang == "zh"
                     else f"finding and status of {say.region(region)} in {year}")
    return _combine(ex, atoms, statement)


def _why_measure(case, *, year, region, official, measure, lang, detail="brief", explained=None) -> dict:
    """The measures on a subject in ``year`` (every year they apply in, when None), each in an
    outcome where it is taken: the first answer set, or for a discretionary measure one found
    under the assumption that it is taken."""
    subject = ("official", official) if official else ("region", region)

    def wanted(sym):
        s, m, y, _ = atom_args(sym)
        return s == subject and (year is None or y == year) and (measure is None or m == measure)

    program = BookkeptProgram(case)  # grounded once: a further outcome is one more solve of it
    ex = Explanation(case, lang, detail=detail, all_atoms=False, model=_model(program, (), case))
    found = {(atom_args(a)[1], atom_args(a)[2]): ex for a in ex.atoms("measure", 4) if wanted(a)}
    brave = consequences(case, whole=True).atoms("measure", 4)  # case: the part, or the whole
    for cand in sorted((s for s in brave if wanted(s)), key=lambda a: a.text):
        key = (cand.args[1], cand.args[2])
        if key not in found:  # a discretionary measure: explain it in an outcome where it is taken
            other = Explanation(case, lang, detail=detail, shared=ex, all_atoms=False,
                                model=_model(program, [cand.symbol], case))
            for a in other.atoms("measure", 4):
                if wanted(a):
                    found.setdefault((atom_args(a)[1], atom_args(a)[2]), other)
    if not found:
        who = f"official {official!r}" if official else f"region {region!r}"
        raise CaseError(f"no measure {measure or ''} for {who}".replace("  ", " ")
                        + (f" in {year}" if year else ""), file=case.path)
    who = ex.speaker.official(official) if official else ex.speaker.region(region)
    years = sorted({y for _, y in found})
    shown = "、".join(map(str, years)) if lang == "zh" else ", ".join(map(str, years))
    if year is not None:
        statement = f"{year}年对{who}适用的措施" if lang == "zh" else f"measures for {who} in {year}"
    else:
        statement = f"{shown}年对{who}适用的措施" if lang == "zh" else f"measures for {who} in {shown}"
    ordered = sorted(found, key=lambda k: (k[1], k[0]))
    if explained is not None:
        explained.extend(a for e in {id(e): e for e in found.values()}.values()
                         for a in e.atoms("measure", 4) if wanted(a))
    return _combine(ex, [found[k].measure_tree(subject, k[0], k[1]) for k in ordered], statement)


def _model(program: BookkeptProgram, assumptions, case: Case):
    model = program.model(assumptions, all_atoms=False)
    if model is None:
        raise CaseError("no lawful outcome in which that conclusion holds", file=case.path)
    return model


def why_not(case: Case, *, region: str | None = None, year: int | None = None, level: str | None = None,
            official: str | None = None, measure: str | None = None, lang: str = "zh", whole: bool = False) -> dict:
    """Why ``region`` was not at ``level`` in ``year``: each rule that could have given it, the
    first condition that failed, and the smallest change that would flip it.  With ``official``
    and ``measure`` instead: why the official did not receive the measure (in ``year``, or in each
    year of the case)."""
    kb = knowledge_base()
    if official is not None or measure is not None:
        return _why_not_measure(case, official=official, measure=measure, year=year, lang=lang, whole=whole)
    if region is None or year is None or level is None:
        raise CaseError("give --region, --year and --level (or --official and --measure)", file=case.path)
    year, region = resolve.year(case, year), resolve.region(case, region)
    level = resolve.level(case.ruleset, level, file=case.path)
    if not whole:
        case = part_of(case, region=region)
    ex = Explanation(case, lang)

    def gives_level(name: str, option: str) -> bool:  # solve under the other reading
        return _holds_under(case, {**case.interpretations, name: option}, region, year, level)

    doc = level_document(ex, region, year, level, lang, gives_level)
    if not doc["rules"] and not doc["holds"] and \
            kb.vocabulary["levels"][level].get("instrument") == "changzhou" == case.ruleset:
        doc["rules"].append(_listing_attempt(ex, region, year, level, lang))
        change = doc["rules"][-1].get("change")
        if change:
            change = {**change, "item": doc["rules"][-1]["citations"][0],
                      "words": change_words(change, ex.speaker)}
            doc["changes"] = doc["smallest_changes"] = [change]
            doc["smallest_change"] = change
    return doc


def _why_not_measure(case: Case, *, official, measure, year, lang, whole) -> dict:
    kb = knowledge_base()
    if official is None or measure is None:
        raise CaseError("give both --official and --measure", file=case.path)
    official = resolve.official(case, official)
    if measure not in kb.vocabulary.get("measures", {}):
        raise CaseError(f"unknown measure {measure!r} (one of {', '.join(sorted(kb.vocabulary['measures']))})",
                        file=case.path, field="--measure")
    years = [resolve.year(case, year)] if year is not None else \
        list(range(case.years[0], case.years[1] + 1)) if case.years else []
    if not whole:
        case = part_of(case, official=official)
    ex = Explanation(case, lang)
    return measure_document(ex, official, measure, years, lang)


def _holds_under(case: Case, interpretations: dict, region: str, year: int, level: str) -> bool:
    """Whether ``region`` is at ``level`` in ``year`` in some lawful outcome under other readings."""
    import dataclasses

    from pydesig.solver import NoLawfulOutcome

    try:
        brave = consequences(dataclasses.replace(case, interpretations=interpretations))
    except NoLawfulOutcome:
        return False
    wanted = {str(Function(name, [String(region), Number(year), Function(level)])) for name in ("finding", "status")}
    return any(a.text in wanted for name in ("finding", "status") for a in brave.atoms(name, 3))


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
