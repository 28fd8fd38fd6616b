"""The JSON Schema of case files, generated from the indicator registry, and how its errors read.

``pydesig schema`` prints :func:`case_schema` so that users (and editors) see every key a case may
hold, every indicator with its meaning and the provisions it serves.  The loader validates with
the same schema, so what is documented is what is enforced; :func:`explain` turns a
``jsonschema`` error into the short sentence a case author needs.
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache

import fastjsonschema

from .indicators import Indicator, indicators, indicators_for
from .kb import UnknownProvision, knowledge_base

__all__ = [
    "FORMAT", "INT_MAX", "YEAR_MIN", "YEAR_MAX", "rulesets", "case_schema", "validator", "quick_check",
    "fact_validator", "quick_fact_check", "explain", "interpretation_problem", "show", "did_you_mean",
]

FORMAT = "pydesig-case/1"
INT_MAX = 2**31 - 1  # clingo's integers are 32-bit signed
YEAR_MIN, YEAR_MAX = 1900, 2200
RECORD_KEYS = ("region", "official", "year", "source")
_SECTIONS = ("regions", "officials", "facts", "decisions")


def rulesets() -> tuple[str, ...]:
    """The rule sets (instruments) a case may name, in the vocabulary's order."""
    return tuple(knowledge_base().vocabulary["instruments"])


# --------------------------------------------------------------------------- building the schema

def _serves(ind: Indicator) -> str:
    """'serves: 《吉林…》第七条第（四）项、第八条第（五）项' (raw ids where the KB lacks them)."""
    kb = knowledge_base()
    groups: dict[str, list[str]] = {}
    for pid in ind.serves:
        inst = pid.split("/", 1)[0]
        try:
            label = kb.get(pid).label
        except (UnknownProvision, KeyError):
            label = pid
        groups.setdefault(inst, []).append(label)
    shorts = {k: v.get("short", {}).get("zh", k) for k, v in kb.vocabulary["instruments"].items()}
    return "serves: " + "；".join(shorts.get(i, i) + "、".join(ls) for i, ls in groups.items())


def _indicator_schema(ind: Indicator) -> dict:
    desc = f"{ind.zh}\n{ind.en}\n{_serves(ind)}" + (f"\ncolumn: {ind.column}" if ind.column else "")
    if ind.type == "int":
        return {"type": "integer", "minimum": 0, "maximum": INT_MAX, "description": desc}
    if ind.type == "bool":
        return {"type": "boolean", "description": desc}
    if ind.type == "enum":
        return {"type": "string", "enum": list(ind.values), "description": desc}
    if ind.type == "list":
        return {"type": "array", "items": {"enum": list(ind.values)}, "uniqueItems": True,
                "description": desc}
    raise ValueError(f"indicator {ind.name}: unknown type {ind.type!r}")


def _ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def _fact_def(ruleset: str) -> dict:
    """A fact record: one subject, a year, an optional source, indicators of the rule set."""
    inds = indicators_for(ruleset)
    props = {
        "region": {**_ref("id"), "description": "the region the record is about"},
        "official": {**_ref("id"), "description": "the official the record is about"},
        "year": _ref("year"),
        "source": {"type": "string", "description": "where the facts of this record come from"},
    }
    props.update({name: _indicator_schema(ind) for name, ind in sorted(inds.items())})
    aliases = {alias: ind for ind in inds.values() for alias in ind.aliases}
    for alias, ind in sorted(aliases.items()):
        own = _indicator_schema(ind)
        props[alias] = {**own, "description": f"another name of {ind.name}, read as {ind.name}\n"
                                              + own["description"]}

    def others(subject: str) -> dict:
        names = [n for n, ind in sorted(inds.items()) if ind.subject == subject]
        names += [a for a, ind in sorted(aliases.items()) if ind.subject == subject]
        return {name: {"not": {}, "description": f"only for records about a {subject}"}
                for name in names}

    return {
        "type": "object",
        "description": f"facts of one subject in one year under {ruleset}; an indicator absent "
                       "for a year means 'not found that year' (0 / false)",
        "required": ["year"],
        "properties": props,
        "additionalProperties": False,
        "oneOf": [{"required": ["region"]}, {"required": ["official"]}],
        "allOf": [
            {"if": {"required": ["region"]}, "then": {"properties": others("official")}},
            {"if": {"required": ["official"]}, "then": {"properties": others("region")}},
        ],
    }


def _interpretations_def(ruleset: str) -> dict:
    props = {
        it.id: {"type": "string", "enum": list(it.options),
                "description": f"{it.zh}\n{it.en}\ndefault: {it.default}"}
        for it in knowledge_base().interpretations.values() if it.applies_to(ruleset)
    }
    return {"type": "object", "properties": props, "additionalProperties": False,
            "description": f"readings of {ruleset} the text leaves open (name: option)"}


def _common_defs() -> dict:
    vocab = knowledge_base().vocabulary
    return {
        "id": {"type": ["string", "integer"], "minLength": 1, "minimum": 0,
               "description": "an id; an integer such as 220581 is read as the string \"220581\""},
        "year": {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
        "region": {
            "description": "a region: a gazetteer code alone, or a mapping; given fields override "
                           "the gazetteer's",
            "if": {"type": "object"},
            "then": {
                "type": "object", "required": ["id"], "additionalProperties": False,
                "properties": {
                    "id": _ref("id"),
                    "name": {"type": "string", "minLength": 1},
                    "kind": {"type": "string", "enum": list(vocab["region_kinds"]),
                             "description": "; ".join(f"{k}: {v['zh']}"
                                                      for k, v in vocab["region_kinds"].items())},
                    "parent": {"anyOf": [_ref("id"), {"type": "null"}],
                               "description": "a region of the case or of the gazetteer"},
                },
            },
            "else": _ref("id"),
        },
        "official": {
            "type": "object", "required": ["id", "region", "role", "since"],
            "additionalProperties": False,
            "properties": {
                "id": _ref("id"),
                "name": {"type": "string", "minLength": 1},
                "region": _ref("id"),
                "role": {"type": "string", "enum": list(vocab["roles"]),
                         "description": "; ".join(f"{k}: {v['zh']}" for k, v in vocab["roles"].items())},
                "since": _ref("year"),
                "until": {**_ref("year"), "description": "last year in office (≥ since)"},
                "member_unit": {"type": "boolean",
                                "description": "the official heads a member unit (成员单位) of the narcotics "
                                               "control commission (Changzhou 第十四条、第二十二条); a "
                                               "commission_member is one by role, a department_head only "
                                               "with member_unit: true (otherwise 第十六条 其他有关职能部门)"},
            },
        },
        "decision": {
            "type": "object", "required": ["year", "decision"], "additionalProperties": False,
            "description": "a decision taken by the competent authority about a subject in a year",
            "properties": {
                "region": _ref("id"), "official": _ref("id"), "year": _ref("year"),
                "decision": {"type": "string", "pattern": "^[a-z_]+$"},
                "source": {"type": "string"},
            },
            "oneOf": [{"required": ["region"]}, {"required": ["official"]}],
        },
    }


def case_schema(ruleset: str | None = None) -> dict:
    """The Draft 2020-12 schema of case files (of one rule set, or of all with ``if``/``then``)."""
    sets = rulesets() if ruleset is None else (ruleset,)
    defs = _common_defs()
    for rs in sets:
        defs[f"fact-{rs}"] = _fact_def(rs)
        defs[f"interpretations-{rs}"] = _interpretations_def(rs)
    props = {
        "format": {"const": FORMAT},
        "ruleset": {"enum": list(sets)},
        "title": {"type": "string"},
        "notes": {"type": "string", "description": "free text, ignored"},
        "regions": {"type": "array", "items": _ref("region")},
        "officials": {"type": "array", "items": _ref("official")},
        "facts": {"type": ["array", "string"],
                  "description": "fact records, or the path of a facts table relative to the case file: "
                                 "a CSV file (UTF-8, UTF-8 with BOM or GB18030) or an .xlsx workbook "
                                 "(its facts sheet), long or wide, headers as indicator ids or their "
                                 "Chinese column names"},
        "interpretations": {"type": "object"},
        "decisions": {"type": "array", "items": _ref("decision")},
    }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"pydesig case file ({FORMAT})",
        "description": "Region and official ids are strings (an integer is read as its digits). "
                       "Counts are written as integers (12000, not 12000.0) and flags as "
                       "true/false; an indicator absent for a year means 'not found that year'.",
        "type": "object",
        "required": ["format", "ruleset", "regions", "facts"],
        "additionalProperties": False,
        "properties": props,
        "$defs": defs,
    }
    if ruleset is not None:
        props["facts"]["items"] = _ref(f"fact-{ruleset}")
        props["interpretations"] = _ref(f"interpretations-{ruleset}")
    else:
        schema["allOf"] = [
            {"if": {"properties": {"ruleset": {"const": rs}}, "required": ["ruleset"]},
             "then": {"properties": {"facts": {"items": _ref(f"fact-{rs}")},
                                     "interpretations": _ref(f"interpretations-{rs}")}}}
            for rs in sets
        ]
    return schema


@lru_cache(maxsize=None)
def _validator_class():
    """jsonschema's Draft 2020-12 validator, integers being integers (JSON Schema counts 12000.0
    as one, a case file may not).  Imported when first needed: only to word an error."""
    import jsonschema

    types = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, v: isinstance(v, int) and not isinstance(v, bool))
    return jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=types)


@lru_cache(maxsize=None)
def validator(ruleset: str):
    """A validator of whole case documents of ``ruleset``."""
    return _validator_class()(case_schema(ruleset))


@lru_cache(maxsize=None)
def quick_check(ruleset: str):
    """A compiled yes/no check of whole documents (fastjsonschema), for the common case of a
    valid file: national-scale cases validate in a tenth of the time.  Only when it says no does
    the loader ask the full validator for the error to report, so messages do not change.  The
    schema uses nothing beyond draft-07 keywords, which both validators read the same way."""
    schema = dict(case_schema(ruleset))
    draft = "http://json-schema.org/draft-07/schema#"
    schema["$schema"] = draft
    defs = schema["$defs"] = _quick_defs(schema["$defs"])
    # The records of each list are checked one by one with their own compiled check rather than
    # through the document's ``items`` (the same test: every item valid), which costs the compiled
    # code a formatted name per record.
    props = schema["properties"] = dict(schema["properties"])
    items = {}
    for section in _SECTIONS:
        if "items" in props.get(section, {}):
            props[section] = {k: v for k, v in props[section].items() if k != "items"}
            items[section] = fastjsonschema.compile({"$schema": draft, "$defs": defs,
                                                     **case_schema(ruleset)["properties"][section]["items"]})
    compiled = fastjsonschema.compile(schema)

    def check(document) -> bool:
        try:
            compiled(document)
            for section, item in items.items():
                records = document.get(section)
                if isinstance(records, list):
                    for record in records:
                        item(record)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return check


def _one_subject(definition: dict) -> dict:
    """A fact record's definition with its subject rules said the way compiled code checks
    fastest, accepting exactly what the published form accepts.  Published: ``oneOf`` [region
    given, official given] and ``allOf`` [if region given then the official-only keys absent, if
    official given then the region-only keys absent] — fastjsonschema answers each ``oneOf``
    branch and each ``if`` that fails by raising an exception, two or more per record.  Here:
    ``anyOf`` [region given and official absent and the official-only keys absent, the same the
    other way round], which for a region's record (most of them) raises nothing.  Any other shape
    is left as it is."""
    one_of, all_of = definition.get("oneOf"), definition.get("allOf")
    try:
        subjects = [b["required"] for b in one_of]
        conditions = [(c["if"]["required"], c["then"]["properties"]) for c in all_of]
    except (TypeError, KeyError):
        return definition
    if not (len(subjects) == 2 and all(len(s) == 1 and len(b) == 1 for s, b in zip(subjects, one_of))
            and [c[0] for c in conditions] == subjects
            and all(set(c) == {"if", "then"} and set(c["if"]) == {"required"} and set(c["then"]) == {"properties"}
                    for c in all_of)):
        return definition
    (a,), (b,) = subjects
    branches = [{"required": [mine], "properties": {other: {"not": {}}, **absent}}
                for (mine, other), (_, absent) in zip(((a, b), (b, a)), conditions)]
    rest = {k: v for k, v in definition.items() if k not in ("oneOf", "allOf")}
    return {**rest, "anyOf": branches}


def _quick_defs(defs: dict) -> dict:
    """The definitions the compiled checks use (:func:`_one_subject` applied to the fact records)."""
    return {name: _one_subject(d) if name.startswith("fact-") else d for name, d in defs.items()}


@lru_cache(maxsize=None)
def quick_fact_check(ruleset: str):
    """A compiled yes/no check of single fact records (rows of a table), as :func:`quick_check`
    is of whole documents: only a record it refuses goes to :func:`fact_validator` for the message."""
    compiled = fastjsonschema.compile({"$schema": "http://json-schema.org/draft-07/schema#",
                                       "$defs": _quick_defs(case_schema(ruleset)["$defs"]),
                                       **_ref(f"fact-{ruleset}")})

    def check(record) -> bool:
        try:
            compiled(record)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return check


@lru_cache(maxsize=None)
def fact_validator(ruleset: str):
    """A validator of single fact records (rows of a CSV facts table)."""
    return _validator_class()({"$defs": case_schema(ruleset)["$defs"], **_ref(f"fact-{ruleset}")})


# --------------------------------------------------------------------------- reading the errors

def show(value) -> str:
    """A value as the author wrote it: -5, 'many', true, null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}…'"
    if isinstance(value, int) and value.bit_length() > 200:  # str() refuses past 4,300 digits
        return f"an integer of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, (int, float)):
        return str(value)
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def did_you_mean(word, candidates) -> str:
    close = difflib.get_close_matches(str(word), sorted(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _expect(schema: dict) -> str:
    """What a field must be, in words."""
    if "enum" in schema:
        return "one of " + ", ".join(map(str, schema["enum"]))
    t = schema.get("type")
    if "$ref" in schema and schema["$ref"].endswith("/year") or schema.get("minimum") == YEAR_MIN:
        return f"a year from {YEAR_MIN} to {YEAR_MAX}"
    if "$ref" in schema and schema["$ref"].endswith("/id") or t == ["string", "integer"]:
        return "an id (a string)"
    if t == "integer":
        return "an integer ≥ 0"
    if t == "boolean":
        return "true or false"
    if t == "array" and "enum" in schema.get("items", {}):
        return "a list of distinct values from " + ", ".join(schema["items"]["enum"])
    if "pattern" in schema:
        return "a non-empty word of lowercase letters and '_'"
    return {"string": "a string", "object": "a mapping", "array": "a list", "null": "null",
            ("array", "string"): "a list of fact records or the path of a CSV file",
            }.get(tuple(t) if isinstance(t, list) else t, "valid")


def interpretation_problem(ruleset: str, name, option) -> str | None:
    """Why ``name: option`` is not a valid interpretation choice for ``ruleset`` (None if it is)."""
    known = knowledge_base().interpretations
    mine = {k for k, it in known.items() if it.applies_to(ruleset)}
    if name not in known:
        return f"unknown interpretation '{name}' for ruleset {ruleset}{did_you_mean(name, mine)}"
    it = known[name]
    if not it.applies_to(ruleset):
        return f"interpretation '{name}' belongs to ruleset {it.instrument}, not {ruleset}"
    if option not in it.options:
        return (f"unknown option {show(option)} for interpretation '{name}' "
                f"(options: {', '.join(it.options)}){did_you_mean(option, it.options)}")
    return None


def _unknown_key(section: str | None, key, error, ruleset: str) -> str:
    if section == "facts":
        ind = indicators().get(key)
        if ind is not None and ruleset not in ind.rulesets:
            return f"indicator '{key}' belongs to ruleset {', '.join(ind.rulesets)}, not {ruleset}"
        names = set(indicators_for(ruleset)) | set(RECORD_KEYS)
        return f"unknown indicator '{key}' for ruleset {ruleset}{did_you_mean(key, names)}"
    if section == "interpretations":
        return interpretation_problem(ruleset, key, None) or f"unknown interpretation '{key}'"
    allowed = list(error.schema.get("properties", {}))
    hint = did_you_mean(key, allowed)
    where = "" if section is None else f" in {section}"
    return f"unknown key {show(key)}{where}{hint} (keys: {', '.join(allowed)})"


def explain(error: "jsonschema.ValidationError", path: tuple, ruleset: str,
            record: dict | None = None) -> tuple:
    """``(field, message, key)`` for a schema error at ``path`` (the full path in the case).

    ``record`` is the record the path runs through, if any.  ``key`` is the offending key of a
    mapping when the error is about a key rather than a value (unknown or missing key), so the
    caller can locate it.
    """
    section = path[0] if path and path[0] in _SECTIONS + ("interpretations",) else None
    in_record = section in _SECTIONS and len(path) >= 2
    if in_record:
        field = path[2] if len(path) >= 3 else None
    elif section == "interpretations" and len(path) >= 2:
        field = path[1]
    else:
        field = path[0] if path else None
    v, inst = error.validator, error.instance
    if v == "additionalProperties":
        allowed = error.schema.get("properties", {})
        key = next(k for k in inst if k not in allowed)
        return None, _unknown_key(section, key, error, ruleset), key
    if v == "required":
        key = next(k for k in error.validator_value if k not in inst)
        return key, "missing", key
    if v == "oneOf" and isinstance(inst, dict):
        if "region" in inst and "official" in inst:
            return None, "names both 'region' and 'official'; a record is about exactly one subject", None
        return None, "names neither 'region' nor 'official'; a record is about exactly one subject", None
    if v == "not" and section == "facts":
        if "region" in (record or {}):
            return None, f"indicator '{field}' is about officials, not regions", None
        return None, f"indicator '{field}' is about regions, not officials", None
    if section == "interpretations" and field is not None and v in ("enum", "type"):
        return field, interpretation_problem(ruleset, field, inst) or "invalid option", None
    list_item = isinstance(path[-1], int) and len(path) > 3 if path else False
    if v == "enum" and list_item:
        return field, (f"unknown element {show(inst)} ({_expect({'enum': error.validator_value})})"
                       f"{did_you_mean(inst, error.validator_value)}"), None
    if v == "enum":
        return field, (f"must be {_expect(error.schema)}, got {show(inst)}"
                       f"{did_you_mean(inst, error.validator_value)}"), None
    if v == "uniqueItems":  # compared as JSON text: elements may be lists or mappings (unhashable)
        seen, dup = set(), None
        for x in inst:
            key = json.dumps(x, sort_keys=True, default=str)
            if key in seen:
                dup = x
                break
            seen.add(key)
        return field, f"lists {show(dup)} more than once", None
    if v == "maximum" and error.validator_value == INT_MAX:
        return field, f"{inst} exceeds clingo's integer range (at most {INT_MAX})", None
    if v == "const":
        return field, f"must be {show(error.validator_value)}, got {show(inst)}", None
    if v == "minLength":
        return field, "must not be empty", None
    return field, f"must be {_expect(error.schema)}, got {show(inst)}", None

