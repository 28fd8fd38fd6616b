"""Explanations of a whole case, part by part: each conclusion explained in the part that holds it.

The HTML report explains every finding, status, measure and duty of a case.  One explanation of
the whole case grounds the bookkept program of all of it at once; here each conclusion goes to the
batch of parts (:func:`pydesig.parts.batches`) that holds its region or official, whose explanation
is built the first time one of its conclusions asks, so the cost follows the conclusions, and no
rule joins a part to another (:mod:`pydesig.parts`), so each derivation is the whole case's.
"""

from __future__ import annotations

from pydesig.model import Case
from pydesig.parts import batches, split

__all__ = ["PartExplanations"]


def _owner(symbol) -> tuple[str, str] | None:
    """The region or official a conclusion atom is about: its first argument."""
    args = getattr(symbol, "arguments", None)
    if not args:
        return None
    first = args[0]
    if first.type.name == "String":
        return ("region", first.string)
    if first.name in ("region", "official") and len(first.arguments) == 1:
        return (first.name, first.arguments[0].string)
    return None


class PartExplanations:
    """The interface of :class:`explain.report.CaseExplanations` (``tree``, ``measure_tree``,
    ``first``, ``others``) over the parts of a case; ``whole=True``: one for the whole case."""

    def __init__(self, case: Case, lang: str = "zh", whole: bool = False):
        self.case, self.lang = case, lang
        self.units = [case] if whole else batches(split(case))
        self.index: dict[tuple[str, str], int] = {}
        for i, unit in enumerate(self.units):
            self.index.update({("region", r): i for r in unit.regions})
            self.index.update({("official", o): i for o in unit.officials})
        self.built: dict[int, object] = {}

    def _unit(self, owner) -> object:
        return self._built(self.index.get(owner, 0) if owner else 0)

    def _built(self, i: int) -> object:
        from .report import CaseExplanations

        if i not in self.built:
            self.built[i] = CaseExplanations(self.units[i], self.lang)
        return self.built[i]

    def cover(self, symbols) -> None:
        """:meth:`explain.report.CaseExplanations.cover`, each unit with the conclusions it holds
        (units in order; only those that hold one are built)."""
        by_unit: dict[int, list] = {}
        for sym in symbols:
            owner = _owner(sym)
            by_unit.setdefault(self.index.get(owner, 0) if owner else 0, []).append(sym)
        for i in sorted(by_unit):
            self._built(i).cover(by_unit[i])

    def tree(self, symbol) -> dict | None:
        return self._unit(_owner(symbol)).tree(symbol)

    def measure_tree(self, subject: dict, measure: str, year: int, provision: str) -> dict | None:
        return self._unit(next(iter(subject.items()))).measure_tree(subject, measure, year, provision)

    @property
    def explanations(self) -> list:
        """Every explanation built so far, in the order of the parts."""
        out = []
        for i in sorted(self.built):
            out += [self.built[i].first, *self.built[i].others]
        return out or [self._unit(None).first]

    @property
    def first(self):
        return self.explanations[0]

    @property
    def others(self) -> list:
        return self.explanations[1:]
