"""The case as pydesig reads it: regions, officials and yearly facts with their sources.

These types are what the loader produces and what the solver turns into clingo symbols.  They
carry no behaviour beyond what explains them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

__all__ = ["Region", "Official", "Fact", "Case", "Value"]

Value = Union[int, bool, str, tuple]  # tuple of str for list indicators


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    kind: str  # province | city | county | township
    parent: str | None = None


@dataclass(frozen=True)
class Official:
    id: str
    name: str
    region: str
    role: str
    since: int
    until: int | None = None
    # Heads a member unit (成员单位) of the narcotics control commission (Changzhou 第十四条): a case
    # fact, never inferred from the role department_head (其他有关职能部门, 第十六条).
    member_unit: bool = False


@dataclass(frozen=True)
class Fact:
    """One indicator of one subject in one year, as the case file states it."""

    subject: str  # "region" | "official"
    subject_id: str
    year: int
    indicator: str
    value: Value
    source: str | None = None
    record: str = ""  # where it was read: "facts[3] (line 12)"


@dataclass
class Case:
    path: str
    ruleset: str
    title: str
    regions: dict[str, Region]
    officials: dict[str, Official]
    facts: list[Fact]
    interpretations: dict[str, str] = field(default_factory=dict)
    decisions: list[dict] = field(default_factory=list)
    sources: tuple[str, ...] = ()  # the other files the case was read from (a facts table): never written over
    # A part of a larger case (pydesig.parts) keeps the whole case's years, so that its program
    # speaks of the same years, and names itself (its top region) in progress and error messages.
    span: tuple[int, int] | None = None
    part: str | None = None
    # What the loader accepted but a reader should look at twice (a handover year, a fact after
    # an official left): {"id", "record", "field", "message", "text"}; on stderr and in the result.
    warnings: list = field(default_factory=list)

    @property
    def years(self) -> tuple[int, int] | None:
        """The first and last year any fact speaks of (for a part: any fact of the whole case)."""
        if self.span is not None:
            return self.span
        ys = [f.year for f in self.facts]
        return (min(ys), max(ys)) if ys else None

    def fact(self, subject_id: str, year: int, indicator: str):
        for f in self.facts:
            if f.subject_id == subject_id and f.year == year and f.indicator == indicator:
                return f
        return None
