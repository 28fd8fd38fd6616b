"""The result read region by region: what the text result, the HTML report and the web app's
region pages show.

The result JSON lists findings, status and measures in three long lists; an analyst reads a case
county by county.  :func:`region_sections` joins, for each region, its findings, its status
timeline, the measures and duties on the region and on each of its officials, and the decisions
left open about them.  A measure that runs over consecutive years is one row even where the
provisions carrying it change from year to year (:func:`measure_rows`); the row lists each
provision with the years it carries the measure in, where that is not every year of the row.

Regions come parent first, then their sub-regions (通化市, then its counties), in id order at each
level.  Everything is one pass over the result: no step looks at the whole case per entry.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .kb import knowledge_base
from .model import Case, Official, Region

__all__ = ["RegionSection", "OfficialSection", "MeasureRow", "region_sections", "measure_rows", "year_span",
           "citation_key"]


def citation_key(c: dict) -> tuple:
    """Citations in the order of the text: 第四条 before 第十条 (numbers, not strings)."""
    return (c["instrument"], c["article"], c["paragraph"] or 0, c["item"] or 0)


def year_span(years) -> str:
    """2020–2023 for a run, 2019, 2021–2022 otherwise."""
    ys = sorted(set(years))
    runs, start = [], None
    for i, y in enumerate(ys):
        if start is None:
            start = y
        if i + 1 == len(ys) or ys[i + 1] != y + 1:
            runs.append(str(y) if y == start else f"{start}–{y}")
            start = None
    return ", ".join(runs)


@dataclass
class MeasureRow:
    """One measure on one subject over a run of consecutive years, with one modality.

    ``entries`` are ``(index in result.measures, entry)`` of the result entries it joins (the
    report links each year to its justification through them); ``bases`` are ``(citation, years)``
    in the order of the text, ``years`` empty where the provision carries every year of the row."""

    subject: dict
    measure: str
    modality: str
    years: list[int]
    forms: list[str] = field(default_factory=list)
    by: list[str] = field(default_factory=list)
    to: list[str] = field(default_factory=list)
    interpretations: list[str] = field(default_factory=list)
    bases: list[tuple[dict, list[int]]] = field(default_factory=list)
    entries: list[tuple[int, dict]] = field(default_factory=list)
    # whom a measure on persons concerns where it stands on the area for want of a named person
    concerns: list[str] = field(default_factory=list)

    @property
    def span(self) -> str:
        return year_span(self.years)


@dataclass
class OfficialSection:
    official: Official
    measures: list[MeasureRow] = field(default_factory=list)
    duties: list[tuple[int, dict]] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)


@dataclass
class RegionSection:
    """Everything the result says about one region and its officials; entries are ``(index in
    the result list, entry)`` so that renderers can link to per-entry material."""

    region: Region
    parent: Region | None
    findings: list[tuple[int, dict]] = field(default_factory=list)
    status: list[tuple[int, dict]] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    duties: list[tuple[int, dict]] = field(default_factory=list)
    decisions: list[dict] = field(default_factory=list)
    officials: list[OfficialSection] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.region.id

    @property
    def empty(self) -> bool:
        return not (self.findings or self.status or self.measures or self.duties or self.decisions
                    or any(o.measures or o.duties or o.decisions for o in self.officials))

    @property
    def highest(self) -> str | None:
        """The highest level the region is found at or holds in any year (for summaries)."""
        levels = knowledge_base().vocabulary["levels"]
        seen = {f["level"] for _, f in self.findings} | {s["level"] for _, s in self.status}
        seen.discard("absent")
        return max(seen, key=lambda lv: (levels.get(lv, {}).get("rank", 0), lv), default=None)


def measure_rows(entries: list[tuple[int, dict]]) -> list[MeasureRow]:
    """Measure entries of one subject joined into rows: same measure, modality, forms, body and
    recipients over consecutive years make one row, whatever provisions carry each year."""
    groups: dict[tuple, dict[int, list]] = defaultdict(dict)
    for i, m in entries:
        key = (m["measure"], m["modality"], tuple(m.get("forms", ())), tuple(m.get("by", ())),
               tuple(m.get("to", ())), tuple(m.get("concerns", ())))
        for y in m["years"]:
            groups[key][y] = [i, m]
    rows = []
    for (measure, modality, forms, by, to, concerns), per_year in groups.items():
        years = sorted(per_year)
        run: list[int] = []
        for k, y in enumerate(years):
            run.append(y)
            if k + 1 == len(years) or years[k + 1] != y + 1:
                row = _row(measure, modality, forms, by, to, run, per_year)
                row.concerns = list(concerns)
                rows.append(row)
                run = []
    return sorted(rows, key=lambda r: (r.years[0], r.measure, r.modality))


def _row(measure, modality, forms, by, to, years, per_year) -> MeasureRow:
    first = per_year[years[0]][1]
    carried: dict[tuple, tuple[dict, list[int]]] = {}
    entries: dict[int, dict] = {}
    readings: set[str] = set()
    for y in years:
        i, m = per_year[y]
        entries[i] = m
        readings.update(m.get("interpretations", ()))
        for c in m["basis"]:
            carried.setdefault(citation_key(c), (c, []))[1].append(y)
    bases = [(c, [] if len(ys) == len(years) else ys) for _, (c, ys) in sorted(carried.items())]
    return MeasureRow(subject=first["subject"], measure=measure, modality=modality, years=list(years),
                      forms=list(forms), by=list(by), to=list(to), interpretations=sorted(readings),
                      bases=bases, entries=sorted(entries.items()))


def _ordered_regions(case: Case) -> list[Region]:
    """Parent first, then its sub-regions, depth first, ids in order at each level."""
    children: dict[str | None, list[Region]] = defaultdict(list)
    for r in case.regions.values():
        parent = r.parent if r.parent in case.regions else None
        children[parent].append(r)
    out, stack = [], sorted(children[None], key=lambda r: r.id, reverse=True)
    while stack:
        r = stack.pop()
        out.append(r)
        stack.extend(sorted(children.get(r.id, []), key=lambda c: c.id, reverse=True))
    return out


def region_sections(doc: dict, case: Case, *, keep_empty: bool = False) -> list[RegionSection]:
    """The result ``doc`` (``Result.to_json()``, possibly narrowed) as one section per region;
    regions the result says nothing about are left out unless ``keep_empty``."""
    sections = {r.id: RegionSection(region=r, parent=case.regions.get(r.parent) if r.parent else None)
                for r in _ordered_regions(case)}
    people: dict[str, OfficialSection] = {}
    for o in sorted(case.officials.values(), key=lambda o: o.id):
        if o.region in sections:
            people[o.id] = OfficialSection(official=o)
            sections[o.region].officials.append(people[o.id])

    def holder(subject: dict):
        kind, ident = next(iter(subject.items()))
        return sections.get(ident) if kind == "region" else people.get(ident)

    for i, f in enumerate(doc.get("findings", [])):
        if f["region"] in sections:
            sections[f["region"]].findings.append((i, f))
    for i, s in enumerate(doc.get("status", [])):
        if s["region"] in sections:
            sections[s["region"]].status.append((i, s))
    measures: dict[int, list] = defaultdict(list)
    for i, m in enumerate(doc.get("measures", [])):
        place = holder(m["subject"])
        if place is not None:
            measures[id(place)].append((i, m))
    for i, d in enumerate(doc.get("duties", [])):
        place = holder(d["subject"])
        if place is not None:
            place.duties.append((i, d))
    for d in doc.get("decisions", []):
        place = holder(d["subject"])
        if place is not None:
            place.decisions.append(d)
    for place in (*sections.values(), *people.values()):
        if measures.get(id(place)):
            place.measures = measure_rows(measures[id(place)])
    return [s for s in sections.values() if keep_empty or not s.empty]
