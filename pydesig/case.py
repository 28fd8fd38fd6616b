"""Reading a case file (YAML, JSON, or either with a CSV facts table) into a validated Case.

Three layers, each raising the first :class:`CaseError` it meets, so nothing is half-loaded:

1. syntax: the file parses as UTF-8 YAML or JSON; duplicate keys are rejected (a silently
   dropped value is a wrong fact); every node keeps its line so errors can point at it;
2. schema: the document matches :func:`pydesig.schema.case_schema` for its rule set (keys,
   types, ranges, indicators), the same schema ``pydesig schema`` publishes;
3. meaning: ids are unique, references resolve (gazetteer codes fill in), a fact is not given
   two different values.

Choices worth knowing: ids are strings (an integer id such as 220581 is read as "220581");
in YAML and JSON a count must be an integer (not true, not 12000.0) and a flag true or false
(not 1), while a CSV cell, which has no types, may say true/false/1/0/yes/no.  A CSV facts table
is either long (``region,official,year,indicator,value,source``: one indicator a row, lists as
``a;b;c``) or wide (``region|official,year[,source],<indicator>…``: one record a row, an empty
cell meaning absent); its cells are trimmed, a UTF-8 BOM is allowed, and its records are named
"row N" (data rows counted from 1) with their line.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import CaseError
from .jsonpos import json_positions
from .indicators import indicators
from .model import Case, Fact, Official, Region
from .regions import gazetteer
from .schema import (FORMAT, RECORD_KEYS, did_you_mean, explain, fact_validator,
                     interpretation_problem, quick_check, rulesets, show, validator)

__all__ = ["load_case"]

_SECTIONS = ("regions", "officials", "facts", "decisions")
_RANK = {"township": 0, "county": 1, "city": 2, "province": 3}


def load_case(path, *, interpretations: dict | None = None) -> Case:
    """Load and validate the case at ``path``; ``interpretations`` (from ``-I``) win over the file's."""
    doc = _read(Path(path))
    ruleset = _header(doc)
    _schema_check(doc, ruleset)
    facts_in = doc.data["facts"]
    records = _csv_records(doc, ruleset) if isinstance(facts_in, str) else _records(doc, "facts")
    regions = _regions(doc)
    officials = _officials(doc, regions)
    return Case(
        path=str(path), ruleset=ruleset, title=doc.data.get("title", ""),
        regions=regions, officials=officials,
        facts=_facts(records, regions, officials),
        interpretations=_interpretations(doc, ruleset, interpretations or {}),
        decisions=_decisions(doc, regions, officials),
    )


# --------------------------------------------------------------------------- syntax

@dataclass
class _Doc:
    """A parsed file with the (line, column) of every value and key node, by path."""

    file: str
    data: object
    values: dict
    keys: dict

    def pos(self, path: tuple):
        for n in range(len(path), -1, -1):
            if path[:n] in self.values:
                return self.values[path[:n]]
        return None

    def line(self, path: tuple) -> int | None:
        pos = self.pos(path)
        return pos[0] if pos else None


class _Duplicate(Exception):
    def __init__(self, key, line=None, first=None):
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


class _Alias(Exception):
    def __init__(self, line):
        super().__init__(line)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (YAML would keep the last) and
    aliases (``*name``), which a case does not need and which could make it explode in size."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _Alias(self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # unhashable key: the base constructor reports it
            line = key_node.start_mark.line + 1
            if first is not None:
                raise _Duplicate(key, line, first)
            seen[key] = line
        return super().construct_mapping(node, deep)


def _read(path: Path) -> _Doc:
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise CaseError(f"unsupported file type {show(suffix or path.name)}: a case file is "
                        ".yaml, .yml or .json", file=file)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CaseError(f"cannot read the file: {e.strerror or e}", file=file) from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as e:
        raise CaseError("not UTF-8 text", file=file, line=raw[:e.start].count(b"\n") + 1) from None
    return _parse_json(text, file) if suffix == ".json" else _parse_yaml(text, file)


def _compose(text: str):
    """(data, values, keys) of a YAML text; raises yaml errors and _Duplicate."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        values: dict = {}
        keys: dict = {}
        if node is not None:
            _positions(loader, node, (), values, keys)
        return data, values, keys
    finally:
        loader.dispose()


def _positions(loader, node, path, values, keys) -> None:
    values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = loader.construct_object(key_node)
            keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _positions(loader, value_node, path + (key,), values, keys)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(loader, item, path + (i,), values, keys)


def _parse_yaml(text: str, file: str) -> _Doc:
    try:
        data, values, keys = _compose(text)
    except _Duplicate as d:
        raise CaseError(f"duplicate key {show(d.key)} (first given at line {d.first})",
                        file=file, line=d.line) from None
    except _Alias as a:
        raise CaseError("YAML aliases (*name) are not allowed in case files", file=file,
                        line=a.line) from None
    except RecursionError:
        raise CaseError("nested too deeply", file=file) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid YAML"
        raise CaseError(f"YAML syntax error: {problem}", file=file,
                        line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise CaseError(f"YAML error: {e}", file=file) from None
    return _Doc(file, data, values, keys)


def _parse_json(text: str, file: str) -> _Doc:
    def pairs(items):
        result = {}
        for k, v in items:
            if k in result:
                raise _Duplicate(k)
            result[k] = v
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        raise CaseError(f"JSON syntax error: {e.msg} (column {e.colno})", file=file,
                        line=e.lineno) from None
    except RecursionError:
        raise CaseError("nested too deeply", file=file) from None
    except _Duplicate as d:
        line = first = None
        try:  # JSON is (nearly) YAML: let the YAML composer find the line
            _compose(text)
        except _Duplicate as y:
            if y.key == d.key:
                line, first = y.line, y.first
        except Exception:
            pass
        where = f" (first given at line {first})" if first else ""
        raise CaseError(f"duplicate key {show(d.key)}{where}", file=file, line=line) from None
    values, keys = json_positions(text)
    return _Doc(file, data, values, keys)


# --------------------------------------------------------------------------- schema

def _header(doc: _Doc) -> str:
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
                        field="format", line=doc.line(("format",)))
    known = rulesets()
    if "ruleset" not in data:
        raise CaseError(f"missing (one of {', '.join(known)})", file=doc.file, field="ruleset")
    rs = data["ruleset"]
    if not isinstance(rs, str) or rs not in known:
        raise CaseError(f"unknown ruleset {show(rs)} (one of {', '.join(known)})"
                        f"{did_you_mean(rs, known)}", file=doc.file, field="ruleset",
                        line=doc.line(("ruleset",)))
    return rs


def _pathkey(path: tuple) -> tuple:
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in path)


def _schema_check(doc: _Doc, ruleset: str) -> None:
    """Raise the schema error that comes first in the file."""
    if not _has_float(doc.data) and quick_check(ruleset)(doc.data):
        return
    found = []
    for error in validator(ruleset).iter_errors(doc.data):
        path = tuple(error.absolute_path)
        record = _record_at(doc.data, path)
        field, message, key = explain(error, path, ruleset, record)
        pos = doc.keys.get(path + (key,)) if key is not None else None
        pos = pos or (doc.pos(path) if path or key is None else None)
        found.append(((pos or (math.inf, math.inf)), len(path), _pathkey(path), message,
                      path, field))
    if found:
        pos, _, _, message, path, field = min(found, key=lambda f: f[:4])
        record, line = None, (pos[0] if pos[0] != math.inf else None)
        if len(path) >= 2 and path[0] in _SECTIONS and isinstance(path[1], int):
            record, line = f"{path[0]}[{path[1]}]", doc.line(path[:2])
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


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class _Rec:
    """One record of the case, with where it was read."""

    data: object
    file: str
    label: str  # "facts[3]" or "row 4"
    line: int | None

    @property
    def where(self) -> str:
        return self.label if self.line is None else f"{self.label} (line {self.line})"

    def error(self, message: str, field: str | None = None) -> CaseError:
        return CaseError(message, file=self.file, record=self.label, line=self.line, field=field)


def _records(doc: _Doc, section: str) -> list[_Rec]:
    return [_Rec(item, doc.file, f"{section}[{i}]", doc.line((section, i)))
            for i, item in enumerate(doc.data.get(section) or [])]


def _id(value) -> str | None:
    """Ids are strings; a YAML/JSON integer such as 220581 is read as "220581"."""
    return None if value is None else str(value)


# --------------------------------------------------------------------------- CSV facts

_LONG = ("region", "official", "year", "indicator", "value", "source")


def _csv_records(doc: _Doc, ruleset: str) -> list[_Rec]:
    """The fact records of the CSV table named by ``facts``, validated like YAML records."""
    rel = doc.data["facts"]
    path = Path(doc.file).parent / rel
    file = str(path)
    at = {"file": doc.file, "field": "facts", "line": doc.line(("facts",))}
    if path.suffix.lower() != ".csv":
        raise CaseError(f"the facts table {show(rel)} must be a .csv file", **at)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise CaseError(f"cannot read the facts table {show(rel)}: {e.strerror or e}", **at) from None
    except UnicodeDecodeError:
        raise CaseError("not UTF-8 text", file=file) from None
    rows = _csv_rows(text, file)
    if not rows:
        raise CaseError("the facts table is empty (it needs a header row)", file=file)
    header = [c.strip() for c in rows[0][1]]
    for i, col in enumerate(header):
        if not col or col in header[:i]:
            raise CaseError(f"{'empty' if not col else 'duplicate'} column name {show(col)}",
                            file=file, record="header", line=rows[0][0])
    long = "indicator" in header or "value" in header
    _check_columns(header, long, ruleset, file, rows[0][0])
    records = []
    for n, (line, cells) in enumerate(rows[1:], start=1):
        if not any(c.strip() for c in cells):
            continue
        rec = _Rec({}, file, f"row {n}", line)
        if len(cells) > len(header):
            raise rec.error(f"{len(cells)} cells but the header has {len(header)} columns")
        row = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header)}
        rec = _Rec(_long_row(row, rec) if long else _wide_row(row), file, rec.label, line)
        _check_row(rec, ruleset, header)
        records.append(rec)
    return records


def _csv_rows(text: str, file: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as e:
            raise CaseError(f"CSV syntax error: {e}", file=file, line=reader.line_num) from None
        rows.append((start, cells))


def _check_columns(header: list, long: bool, ruleset: str, file: str, line: int) -> None:
    at = {"file": file, "record": "header", "line": line}
    needed = ("year", "indicator", "value") if long else ("year",)
    for col in needed:
        if col not in header:
            raise CaseError(f"missing column '{col}'", **at)
    if "region" not in header and "official" not in header:
        raise CaseError("missing column 'region' or 'official'", **at)
    for col in header:
        if long and col not in _LONG:
            raise CaseError(f"unknown column {show(col)}{did_you_mean(col, _LONG)} (a long "
                            f"table has columns {', '.join(_LONG)})", **at)
        if not long and col not in RECORD_KEYS:
            ind = indicators().get(col)
            if ind is None:
                names = [n for n, i in indicators().items() if ruleset in i.rulesets]
                raise CaseError(f"unknown column {show(col)}: not an indicator of ruleset "
                                f"{ruleset}{did_you_mean(col, names + list(RECORD_KEYS))}", **at)
            if ruleset not in ind.rulesets:
                raise CaseError(f"column {show(col)}: indicator of ruleset "
                                f"{', '.join(ind.rulesets)}, not {ruleset}", **at)


def _subject_year(row: dict) -> dict:
    rec = {k: row[k] for k in ("region", "official") if row.get(k)}
    if row.get("year"):
        rec["year"] = int(row["year"]) if row["year"].isdigit() else row["year"]
    return rec


def _long_row(row: dict, where: _Rec) -> dict:
    rec = _subject_year(row)
    name, raw = row["indicator"], row["value"]
    if not name:
        raise where.error("missing", field="indicator")
    if name in RECORD_KEYS:
        raise where.error(f"{show(name)} is not an indicator", field="indicator")
    if raw == "":
        raise where.error("empty value (leave the row out when nothing was found)", field=name)
    rec[name] = _csv_value(name, raw)
    if row.get("source"):
        rec["source"] = row["source"]
    return rec


def _wide_row(row: dict) -> dict:
    rec = _subject_year(row)
    if row.get("source"):
        rec["source"] = row["source"]
    for col, raw in row.items():
        if col not in RECORD_KEYS and raw != "":
            rec[col] = _csv_value(col, raw)
    return rec


_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


def _csv_value(name: str, raw: str):
    """A CSV cell read by its indicator's type; what cannot be read stays text for the schema
    to reject with the usual message."""
    ind = indicators().get(name)
    kind = ind.type if ind else None
    if kind == "int" and re.fullmatch(r"[+-]?\d+", raw):
        return int(raw)
    if kind == "bool" and raw.lower() in _TRUE | _FALSE:
        return raw.lower() in _TRUE
    if kind == "list":
        return [x.strip() for x in raw.split(";") if x.strip()]
    return raw


def _check_row(rec: _Rec, ruleset: str, header: list) -> None:
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

def _unknown_region(rid: str, regions: dict) -> str:
    known = gazetteer().get(rid)
    if known is not None:
        return (f"unknown region {show(rid)}: it is {known.name} in the gazetteer but not among "
                "the case's regions (list it under regions)")
    return f"unknown region {show(rid)}{did_you_mean(rid, regions)}"


def _regions(doc: _Doc) -> dict[str, Region]:
    """The case's regions, filled in from the gazetteer, with every gazetteer parent added."""
    gaz = gazetteer()
    regions: dict[str, Region] = {}
    where: dict[str, _Rec] = {}
    for rec in _records(doc, "regions"):
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


def _officials(doc: _Doc, regions: dict) -> dict[str, Official]:
    officials: dict[str, Official] = {}
    where: dict[str, _Rec] = {}
    for rec in _records(doc, "officials"):
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
                                  since=since, until=until)
        where[oid] = rec
    return officials


def _subject(rec: _Rec, regions: dict, officials: dict) -> tuple[str, str]:
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


def _facts(records: list[_Rec], regions: dict, officials: dict) -> list[Fact]:
    facts: list[Fact] = []
    seen: dict[tuple, tuple] = {}
    for rec in records:
        subject, sid = _subject(rec, regions, officials)
        year = rec.data["year"]
        for name, raw in rec.data.items():
            if name in RECORD_KEYS:
                continue
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


def _interpretations(doc: _Doc, ruleset: str, override: dict) -> dict[str, str]:
    """The file's choices (already schema-checked), then ``-I`` choices, checked the same way."""
    chosen = dict(doc.data.get("interpretations") or {})
    for name, option in override.items():
        problem = interpretation_problem(ruleset, name, option)
        if problem:
            raise CaseError(problem, file=doc.file, record=f"-I {name}={option}")
        chosen[name] = option
    return dict(sorted(chosen.items()))


def _decisions(doc: _Doc, regions: dict, officials: dict) -> list[dict]:
    """Decisions as ``{region|official, year, decision, [source], record}`` with string ids."""
    result = []
    for rec in _records(doc, "decisions"):
        subject, sid = _subject(rec, regions, officials)
        entry = {subject: sid, "year": rec.data["year"], "decision": rec.data["decision"]}
        if "source" in rec.data:
            entry["source"] = rec.data["source"]
        entry["record"] = rec.where
        result.append(entry)
    return result
