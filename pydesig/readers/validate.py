"""The one validator: a parsed document (from any reader) checked and turned into a :class:`Case`.

Two layers after the syntax a reader checked, each raising the first :class:`CaseError` it
meets, so nothing is half-loaded:

1. schema: the document matches :func:`pydesig.schema.case_schema` for its rule set (keys,
   types, ranges, indicators), the same schema ``pydesig schema`` publishes; records read from
   a table are checked one by one against the fact-record part of it;
2. meaning: ids are unique, references resolve (gazetteer codes fill in), a fact is not given
   two different values.

Ids are strings (an integer id such as 220581 is read as "220581"); in YAML and JSON a count
must be an integer (not true, not 12000.0) and a flag true or false (not 1).
"""

from __future__ import annotations

import math
from pathlib import Path

from ..errors import CaseError
from ..indicators import canonical, indicators
from ..model import Case, Fact, Official, Region
from ..regions import gazetteer
from ..schema import (FORMAT, RECORD_KEYS, did_you_mean, explain, fact_validator,
                      interpretation_problem, quick_check, quick_fact_check, rulesets, show,
                      validator)
from .document import Doc, Rec
from .formats import read_table
from .limits import check_record_text, check_tree, confined
from .table import column_id, table_records

__all__ = ["build_case"]

_SECTIONS = ("regions", "officials", "facts", "decisions")
_RANK = {"township": 0, "county": 1, "city": 2, "province": 3}


def build_case(doc: Doc, *, interpretations: dict | None = None) -> Case:
    """The validated case of ``doc``; ``interpretations`` (from ``-I``) win over the file's."""
    check_tree(doc)
    ruleset = _header(doc)
    _schema_check(doc, ruleset)
    sources: tuple[str, ...] = ()
    if doc.fact_table is not None:
        records = _table_facts(doc.fact_table, ruleset)
    elif isinstance(doc.data["facts"], str):
        table = _named_table(doc)
        sources = (table.file,)
        records = _table_facts(table, ruleset)
    else:
        records = doc.records("facts")
    regions = _regions(doc)
    officials = _officials(doc, regions)
    warnings: list[dict] = []
    _one_holder_per_post(doc, officials, warnings)
    facts = _facts(records, regions, officials, warnings)
    return Case(
        path=doc.file, ruleset=ruleset, title=doc.data.get("title", ""),
        regions=regions, officials=officials,
        facts=facts,
        interpretations=_interpretations(doc, ruleset, interpretations or {}),
        decisions=_decisions(doc, regions, officials),
        sources=sources,
        warnings=warnings,
    )


def _warning(rec: Rec, kind: str, message: str, field: str, record: str, located: str | None = None) -> dict:
    """A case the law allows but a reader should look at twice: kept, said on stderr and in the
    result's ``warnings``.  ``text`` is the one line the command line prints, file, record and line
    first (``located`` is the message with the places of other records, where it names some).  The
    result's ``record`` and ``message`` name the record by what it is (``official 'sunli'``), never
    by where it was read: the result of a case is the same whether it came as YAML, JSON or a
    workbook."""
    err = rec.error(located or message, field=field)
    return {"id": kind, "record": record, "field": field, "message": message, "text": str(err)}


# --------------------------------------------------------------------------- schema

def _header(doc: Doc) -> str:
    """Check ``format`` and ``ruleset`` first: the rest is read according to them."""
    data = doc.data
    if data is None:
        raise CaseError("the file is empty", file=doc.file)
    if not isinstance(data, dict):
        raise CaseError("a case must be a mapping with keys format, ruleset, regions, facts; "
                        f"got {show(data)}", file=doc.file, line=doc.line(()))
    if "format" not in data:
        raise CaseError(f"missing (expected '{FORMAT}')", file=doc.file, field="format")
    if data["format"] != FORMAT:
        raise CaseError(f"must be '{FORMAT}', got {show(data['format'])}", file=doc.file,
                        field="format", line=doc.line(("format",)), **doc.at(("format",)))
    known = rulesets()
    if "ruleset" not in data:
        raise CaseError(f"missing (one of {', '.join(known)})", file=doc.file, field="ruleset")
    rs = data["ruleset"]
    if not isinstance(rs, str) or rs not in known:
        raise CaseError(f"unknown ruleset {show(rs)} (one of {', '.join(known)})"
                        f"{did_you_mean(rs, known)}", file=doc.file, field="ruleset",
                        line=doc.line(("ruleset",)), **doc.at(("ruleset",)))
    return rs


def _pathkey(path: tuple) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path)


def _schema_check(doc: Doc, ruleset: str) -> None:
    """Raise the schema error that comes first in the file."""
    floats = doc.floats if doc.floats is not None else _has_float(doc.data)
    if not floats and quick_check(ruleset)(doc.data):
        return
    found = []
    for error in validator(ruleset).iter_errors(doc.data):
        path = tuple(error.absolute_path)
        record = _record_at(doc.data, path)
        field, message, key = explain(error, path, ruleset, record)
        pos = doc.keys.get(path + (key,)) if key is not None else None
        pos = pos or (doc.pos(path) if path or key is None else None)
        found.append(((pos or (math.inf, math.inf)), len(path), _pathkey(path), message,
                      path, field, key))
    if found:
        pos, _, _, message, path, field, key = min(found, key=lambda f: f[:4])
        record, line = None, (pos[0] if pos[0] != math.inf else None)
        if len(path) >= 2 and path[0] in _SECTIONS and isinstance(path[1], int):
            record, line = doc.label(path[0], path[1]), doc.line(path[:2])
            column = doc.columns(path[0], path[1]).get(field)
            if column:
                record = f"{record}, column {column}"
        else:
            record = doc.at(path if key is None else path + (key,)).get("record")
        raise CaseError(message, file=doc.file, record=record, line=line, field=field)


def _has_float(data) -> bool:
    """Whether a number with a fraction or exponent occurs anywhere (12000.0 is no count; the quick
    check, like JSON Schema's own integer type, would let it pass)."""
    if isinstance(data, float):
        return True
    if isinstance(data, dict):
        return any(_has_float(v) for v in data.values())
    if isinstance(data, list):
        return any(_has_float(v) for v in data)
    return False


def _record_at(data, path: tuple):
    if len(path) >= 2 and path[0] in _SECTIONS and isinstance(path[1], int):
        item = data[path[0]][path[1]]
        return item if isinstance(item, dict) else None
    return None


def _named_table(doc: Doc):
    """The table named by ``facts`` (a path relative to the case file)."""
    rel = doc.data["facts"]
    at = {"file": doc.file, "field": "facts", "line": doc.line(("facts",))}
    if doc.uploads is not None:  # a case held in memory: its tables come with it, never from disk
        return read_table(Path(rel), rel, at, doc.uploads)
    return read_table(confined(doc.file, rel, at), rel, at)


def _table_facts(table, ruleset: str) -> list[Rec]:
    """The fact records of a table, each checked like a YAML record."""
    header = [column_id(c) for c in table.header]
    records = []
    for rec in table_records(table, ruleset):
        check_record_text(rec)
        check_fact_record(rec, ruleset, header)
        records.append(rec)
    return records


def check_fact_record(rec: Rec, ruleset: str, header: list) -> None:
    """Raise the first schema error of one fact record read from a table (errors ordered by
    the column they are in)."""
    if not _has_float(rec.data) and quick_fact_check(ruleset)(rec.data):
        return
    found = []
    for error in fact_validator(ruleset).iter_errors(rec.data):
        path = ("facts", 0) + tuple(error.absolute_path)
        field, message, key = explain(error, path, ruleset, rec.data)
        col = field if field in header else ("indicator" if "indicator" in header else None)
        found.append((header.index(col) if col in header else -1, message, field))
    if found:
        _, message, field = min(found, key=lambda f: f[:2])
        raise rec.error(message, field=field)


# --------------------------------------------------------------------------- meaning

def _id(value) -> str | None:
    """Ids are strings; a YAML/JSON integer such as 220581 is read as "220581"."""
    return None if value is None else str(value)


def _unknown_region(rid: str, regions: dict) -> str:
    known = gazetteer().get(rid)
    if known is not None:
        return (f"unknown region {show(rid)}: it is {known.name} in the gazetteer but not among "
                "the case's regions (list it under regions)")
    return f"unknown region {show(rid)}{did_you_mean(rid, regions)}"


def _regions(doc: Doc) -> dict[str, Region]:
    """The case's regions, filled in from the gazetteer, with every gazetteer parent added."""
    gaz = gazetteer()
    regions: dict[str, Region] = {}
    where: dict[str, Rec] = {}
    for rec in doc.records("regions"):
        item = rec.data if isinstance(rec.data, dict) else {"id": rec.data}
        rid = _id(item["id"])
        if rid in regions:
            raise rec.error(f"duplicate region id {show(rid)} (first at {where[rid].where})",
                            field="id")
        base = gaz.get(rid)
        for key in ("name", "kind"):
            if key not in item and base is None:
                raise rec.error(f"missing: region {show(rid)} is not in the gazetteer, so it "
                                "needs a name and a kind", field=key)
        parent = _id(item["parent"]) if "parent" in item else (base.parent if base else None)
        regions[rid] = Region(id=rid, name=item.get("name") or base.name,
                              kind=item.get("kind") or base.kind, parent=parent)
        where[rid] = rec
    queue = list(regions)
    while queue:
        region = regions[queue.pop(0)]
        if region.parent is None:
            continue
        rec = where.get(region.id)
        if region.parent not in regions:
            if region.parent not in gaz:
                raise rec.error(f"unknown parent region {show(region.parent)} (neither among the "
                                "case's regions nor in the gazetteer)", field="parent")
            regions[region.parent] = gaz[region.parent]
            queue.append(region.parent)
        parent = regions[region.parent]
        if _RANK[parent.kind] <= _RANK[region.kind]:
            message = (f"a {region.kind} cannot lie within a {parent.kind} "
                       f"({show(parent.id)} {parent.name})")
            if rec is None:
                raise CaseError(f"region {show(region.id)}: {message}", file=doc.file, field="parent")
            raise rec.error(message, field="parent")
    return regions


def _officials(doc: Doc, regions: dict) -> dict[str, Official]:
    officials: dict[str, Official] = {}
    where: dict[str, Rec] = {}
    for rec in doc.records("officials"):
        o = rec.data
        oid, region = _id(o["id"]), _id(o["region"])
        if oid in officials:
            raise rec.error(f"duplicate official id {show(oid)} (first at {where[oid].where})",
                            field="id")
        if region not in regions:
            raise rec.error(_unknown_region(region, regions), field="region")
        since, until = o["since"], o.get("until")
        if until is not None and until < since:
            raise rec.error(f"must not be before since ({since}), got {until}", field="until")
        officials[oid] = Official(id=oid, name=o.get("name", oid), region=region, role=o["role"],
                                  since=since, until=until, member_unit=o.get("member_unit", False))
        where[oid] = rec
    return officials


# Posts one person holds at a time in a region: the principal Party and government leaders (第一责任人)
# and the commission director (Jilin 第十六条, Changzhou 第七条第二款 name one).
_SINGLE_POSTS = ("party_secretary", "government_head", "commission_director")


def _one_holder_per_post(doc: Doc, officials: dict, warnings: list) -> None:
    """Two holders of one single post of one region in the same year are an error, except in a
    handover year (one leaves the year the other arrives): both are in post that year, which the law
    allows; it is accepted with a warning, since every measure of that year on the post then reaches both."""
    recs = {_id(r.data["id"]): r for r in doc.records("officials")}
    holders: dict[tuple, list] = {}
    for o in officials.values():
        if o.role in _SINGLE_POSTS:
            holders.setdefault((o.region, o.role), []).append(o)
    for (region, role), people in sorted(holders.items()):
        people.sort(key=lambda o: (o.since, o.id))
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                end_a = a.until if a.until is not None else math.inf
                end_b = b.until if b.until is not None else math.inf
                first, last = max(a.since, b.since), min(end_a, end_b)
                if first > last:
                    continue
                if first == last and a.until == b.since:
                    said = (f"leaves and {show(b.id)} arrives as {role} of {show(region)}; both are counted in post "
                            f"in {first}, so a measure of {first} on the {role} reaches both")
                    warnings.append(_warning(
                        recs[b.id], "handover_year", f"handover year {first}: {show(a.id)} {said}", "since",
                        record=f"official {show(b.id)}",
                        located=f"handover year {first}: {show(a.id)} ({recs[a.id].where}) {said}"))
                    continue
                span = f"{first}" if first == last else (f"{first}–{last}" if last != math.inf else f"{first} on")
                raise recs[b.id].error(f"{show(a.id)} ({recs[a.id].where}) is already {role} of {show(region)} in "
                                       f"{span}; one holder of the post at a time (only the year of a handover "
                                       f"may have two: until of the one = since of the other)", field="since")


def _subject(rec: Rec, regions: dict, officials: dict) -> tuple[str, str]:
    """("region" | "official", id) of a record, checked to exist."""
    subject = "region" if "region" in rec.data else "official"
    sid = _id(rec.data[subject])
    if subject == "region" and sid not in regions:
        raise rec.error(_unknown_region(sid, regions), field="region")
    if subject == "official" and sid not in officials:
        raise rec.error(f"unknown official {show(sid)}{did_you_mean(sid, officials)}",
                        field="official")
    return subject, sid


def _normal(name: str, value):
    """List values as a tuple in the registry's order, so that [a, b] and [b, a] agree."""
    if isinstance(value, list):
        order = indicators()[name].values
        return tuple(sorted(value, key=order.index))
    return value


def _facts(records: list[Rec], regions: dict, officials: dict, warnings: list) -> list[Fact]:
    facts: list[Fact] = []
    seen: dict[tuple, tuple] = {}
    for rec in records:
        subject, sid = _subject(rec, regions, officials)
        year = rec.data["year"]
        if subject == "official" and year < officials[sid].since:
            raise rec.error(f"official {show(sid)} is in post from {officials[sid].since} (since); a fact of "
                            f"{year} predates it", field="year")
        if subject == "official" and officials[sid].until is not None and year > officials[sid].until:
            warnings.append(_warning(
                rec, "fact_after_post",
                f"official {show(sid)} left the post in {officials[sid].until} (until); this fact of {year} is "
                f"after it, and no rule reads it (a person is judged only for the years in post)", "year",
                record=f"fact of official {show(sid)} in {year}"))
        for name, raw in rec.data.items():
            if name in RECORD_KEYS:
                continue
            name = canonical(name)  # an alias (targets_completed) is the indicator itself
            value = _normal(name, raw)
            key = (subject, sid, year, name)
            if key in seen:
                old, first = seen[key]
                if old != value:
                    raise rec.error(f"conflicting values for {subject} {show(sid)} in {year}: "
                                    f"{show(value)} here, {show(old)} at {first.where}", field=name)
                continue
            seen[key] = (value, rec)
            facts.append(Fact(subject=subject, subject_id=sid, year=year, indicator=name,
                              value=value, source=rec.data.get("source"), record=rec.where))
    return facts


def _interpretations(doc: Doc, ruleset: str, override: dict) -> dict[str, str]:
    """The file's choices (already schema-checked), then ``-I`` choices, checked the same way."""
    chosen = dict(doc.data.get("interpretations") or {})
    for name, option in override.items():
        problem = interpretation_problem(ruleset, name, option)
        if problem:
            raise CaseError(problem, file=doc.file, record=f"-I {name}={option}")
        chosen[name] = option
    return dict(sorted(chosen.items()))


def _decisions(doc: Doc, regions: dict, officials: dict) -> list[dict]:
    """Decisions as ``{region|official, year, decision, [source], record}`` with string ids."""
    result = []
    for rec in doc.records("decisions"):
        subject, sid = _subject(rec, regions, officials)
        entry = {subject: sid, "year": rec.data["year"], "decision": rec.data["decision"]}
        if "source" in rec.data:
            entry["source"] = rec.data["source"]
        entry["record"] = rec.where
        result.append(entry)
    return result
