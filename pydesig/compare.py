"""``pydesig compare CASE``: one case under both instruments, side by side, through the crosswalk.

The case is solved under its own instrument.  It is then translated by ``kb/crosswalk.yaml``:
officials and regions carry over; indicators with a counterpart (``indicators``) are renamed, the
others dropped and reported; the rectification states become listings and back (``tiers``,
``translation``):

- Jilin → Changzhou: each year a Jilin term begins (designated / upgraded / downgraded, certain
  in every lawful outcome) at a tier with a Changzhou counterpart becomes a ``listing`` fact at that
  counterpart, ``listed_by: provincial``, recorded so that it takes effect that year under
  Changzhou's ``listing_lag``;
- Changzhou → Jilin: each ``listing`` becomes a Jilin ``ground`` atom (added as a clingo symbol, not
  as program text) at the counterpart tier, citing 第十二条 (the provincial commission designates),
  in the year that makes the designation take effect in the listing's first year under
  ``designation_lag``.

The translated case is solved under the other instrument, and the conclusions are set side by
side per region (states, measures, duties) and per official (measures), each cell with its
citations, each row with its differences: ``only_in_<instrument>``, ``other_level``,
``other_timing`` (years), ``other_modality``, ``other_form``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from clingo import Function, Number, String

from .bridge import interpretation_choices
from .checks.context import Context, default_context
from .engine import solve
from .model import Case, Fact
from .result import build_result
from .solver import NoLawfulOutcome, consequences

__all__ = ["compare", "render_compare", "COMPARE_FORMAT", "translate", "DIFFERENCES"]

COMPARE_FORMAT = "pydesig-compare/1"
DIFFERENCES = ("only_in", "other_level", "other_timing", "other_modality", "other_form")


def _other(ctx: Context, ruleset: str) -> str:
    others = [r for r in ("jilin-2019", "changzhou") if r != ruleset]
    return others[0]


def _tier_maps(ctx: Context, source: str, target: str) -> dict[str, str]:
    """source level → target level, for the tiers translated in that direction."""
    out = {}
    for t in ctx.crosswalk.get("tiers", []):
        a, b = t.get(source), t.get(target)
        if not a or not b:
            continue
        direction = t.get("direction", "both")
        if direction in ("both", f"to_{target}"):
            out.setdefault(a["level"], b["level"])
    return out


def _corresponding_levels(ctx: Context, a: str, b: str) -> set[tuple[str, str]]:
    return {(t[a]["level"], t[b]["level"]) for t in ctx.crosswalk.get("tiers", []) if t.get(a) and t.get(b)}


def _indicator_map(ctx: Context, source: str, target: str) -> dict[str, tuple[str, str]]:
    return {e[source]: (e[target], e.get("confidence", "")) for e in ctx.crosswalk.get("indicators", [])
            if e.get(source) and e.get(target)}


def _offset(ctx: Context, interpretation: str, case_interps: dict, ruleset: str) -> int:
    offsets = ctx.crosswalk.get("translation", {}).get("offsets", {}).get(interpretation, {})
    chosen = case_interps.get(interpretation) or (ctx.kb.interpretations[interpretation].default
                                                   if interpretation in ctx.kb.interpretations else None)
    return int(offsets.get(chosen, 0))


def translate(case: Case, own: dict, ctx: Context | None = None):
    """(translated case, extra symbols, translation report) of ``case`` into the other instrument."""
    ctx = ctx or default_context()
    source, target = case.ruleset, _other(ctx, case.ruleset)
    ind_map = _indicator_map(ctx, source, target)
    tiers = _tier_maps(ctx, source, target)
    facts, dropped, renamed = [], defaultdict(lambda: {"records": 0, "years": set()}), defaultdict(int)
    extra, listings, untranslated = [], [], []
    for f in case.facts:
        if f.indicator in ind_map:
            name, _conf = ind_map[f.indicator]
            facts.append(replace(f, indicator=name, source=f.source, record=f"{f.record} (crosswalk)"))
            renamed[(f.indicator, name)] += 1
        elif source == "changzhou" and f.indicator in ("listing", "listed_by"):
            continue
        else:
            d = dropped[f.indicator]
            d["records"] += 1
            d["years"].add(f.year)
    target_interps = {}
    if source == "jilin-2019":
        lag = _offset(ctx, "listing_lag", target_interps, target)
        spec = ctx.crosswalk.get("translation", {}).get(f"{source}_to_{target}", {})
        events = set(spec.get("events", ["designated", "upgraded", "downgraded"]))
        listed_by = spec.get("listed_by", "provincial")
        for s in own["status"]:
            if s.get("event") not in events and not (set(s.get("events", [])) & events):
                continue
            if s["level"] not in tiers:
                untranslated.append({"region": s["region"], "year": s["year"], "level": s["level"],
                                     "reason": "no counterpart in kb/crosswalk.yaml tiers"})
                continue
            if not s.get("certain", True):
                untranslated.append({"region": s["region"], "year": s["year"], "level": s["level"],
                                     "reason": "rests on a discretionary decision (not in every lawful outcome)"})
                continue
            year = s["year"] - lag
            facts.append(Fact("region", s["region"], year, "listing", tiers[s["level"]],
                              source=f"crosswalk: {source} {s['level']} {s['year']}", record="crosswalk"))
            if listed_by != "municipal":
                facts.append(Fact("region", s["region"], year, "listed_by", listed_by,
                                  source=f"crosswalk: {source} {s['level']} {s['year']}", record="crosswalk"))
            listings.append({"region": s["region"], "year": s["year"], "from": s["level"], "to": tiers[s["level"]],
                             "recorded_year": year})
    else:
        spec = ctx.crosswalk.get("translation", {}).get(f"{source}_to_{target}", {})
        basis = spec.get("basis", f"{target}/art_12")
        own_lag = _offset(ctx, "listing_lag", case.interpretations, source)
        target_lag = _offset(ctx, "designation_lag", target_interps, target)
        for f in case.facts:
            if f.indicator != "listing":
                continue
            if f.value not in tiers:
                untranslated.append({"region": f.subject_id, "year": f.year, "level": f.value,
                                     "reason": "no counterpart in kb/crosswalk.yaml tiers"})
                continue
            start = f.year + own_lag
            finding_year = start - target_lag
            extra.append(Function("ground", [String(f.subject_id), Number(finding_year), Function(tiers[f.value]),
                                             String(basis)]))
            listings.append({"region": f.subject_id, "year": start, "from": f.value, "to": tiers[f.value],
                             "finding_year": finding_year})
    translated = Case(path=case.path, ruleset=target, title=case.title, regions=dict(case.regions),
                      officials=dict(case.officials), facts=facts, interpretations=target_interps, decisions=[])
    report = {
        "from": source, "to": target,
        "renamed": [{"from": a, "to": b, "records": n,
                     "confidence": ind_map[a][1]} for (a, b), n in sorted(renamed.items())],
        "dropped": [{"indicator": k, "records": v["records"], "years": sorted(v["years"]),
                     "reason": "no counterpart in kb/crosswalk.yaml indicators"} for k, v in sorted(dropped.items())],
        "states": listings,
        "not_translated": untranslated,
        "decisions_dropped": len(case.decisions),
    }
    return translated, extra, report


# --------------------------------------------------------------------------- side by side

def _measure_pairs(ctx: Context, a: str, b: str):
    """[(pair id, a key, b key, entry)] where a key / b key is ("measure"|"duty", id) or None."""
    out = []
    for e in ctx.crosswalk.get("measures", []):
        def key(side):
            s = e.get(side)
            if not s:
                return None
            if s.get("measure"):
                return ("measure", s["measure"])
            if s.get("duty"):
                return ("duty", s["duty"])
            return None
        out.append((e["id"], key(a), key(b), e))
    return out


def _subject_key(subject: dict) -> tuple:
    return next(iter(subject.items()))


def _measure_cells(result: dict) -> dict[tuple, dict]:
    """(subject kind, id, ("measure", m)) → cell aggregated over the result's measure entries."""
    cells: dict[tuple, dict] = {}
    for m in result.get("measures", []):
        kind, ident = _subject_key(m["subject"])
        key = (kind, ident, ("measure", m["measure"]))
        cell = cells.setdefault(key, {"measure": m["measure"], "years": {}, "forms": {}, "basis": [], "readings": set()})
        cell["readings"].update(m.get("interpretations", []))
        for y in m["years"]:
            prev = cell["years"].get(y)
            cell["years"][y] = "obligatory" if "obligatory" in (prev, m["modality"]) else m["modality"]
            if m.get("forms"):
                cell["forms"].setdefault(y, set()).update(m["forms"])
        for c in m["basis"]:
            if c not in cell["basis"]:
                cell["basis"].append(c)
    for d in result.get("duties", []):
        kind, ident = _subject_key(d["subject"])
        key = (kind, ident, ("duty", d["duty"]))
        cell = cells.setdefault(key, {"duty": d["duty"], "years": {}, "forms": {}, "basis": [], "met": {},
                                      "readings": set()})
        cell["years"][d["year"]] = "obligatory"
        if "met" in d:
            cell["met"][d["year"]] = d["met"]
        for c in d["basis"]:
            if c not in cell["basis"]:
                cell["basis"].append(c)
    return cells


def _cell_out(cell: dict | None) -> dict | None:
    if cell is None:
        return None
    years = sorted(cell["years"])
    modalities = sorted(set(cell["years"].values()))
    out = {}
    if "measure" in cell:
        out["measure"] = cell["measure"]
    else:
        out["duty"] = cell["duty"]
    out["years"] = years
    out["modality"] = modalities[0] if len(modalities) == 1 else "mixed"
    if len(modalities) > 1:
        out["modality_by_year"] = {str(y): cell["years"][y] for y in years}
    forms = sorted({f for fs in cell["forms"].values() for f in fs})
    if forms:
        out["forms"] = forms
    if cell.get("met"):
        out["met"] = {str(y): v for y, v in sorted(cell["met"].items())}
    out["basis"] = cell["basis"]
    if cell.get("readings"):
        out["interpretations"] = sorted(cell["readings"])
    return out


def _differences(a: dict | None, b: dict | None, ra: str, rb: str) -> list[str]:
    """Differences of two raw cells: only in one; other years; another modality in a year both
    have; other forms (measures only)."""
    if a is None and b is None:
        return []
    if a is None:
        return [f"only_in_{rb}"]
    if b is None:
        return [f"only_in_{ra}"]
    diffs = []
    if sorted(a["years"]) != sorted(b["years"]):
        diffs.append("other_timing")
    common = set(a["years"]) & set(b["years"])
    if any(a["years"][y] != b["years"][y] for y in common):
        diffs.append("other_modality")
    forms_a = sorted({f for fs in a["forms"].values() for f in fs})
    forms_b = sorted({f for fs in b["forms"].values() for f in fs})
    if forms_a != forms_b and "measure" in a and "measure" in b:
        diffs.append("other_form")
    return diffs


def _status_cells(result: dict) -> dict[tuple, dict]:
    out: dict[tuple, dict] = {}
    for s in result.get("status", []):
        if s["level"] == "absent":
            continue
        key = (s["region"], s["year"])
        cell = {"level": s["level"], "certain": s.get("certain", True), "basis": s["basis"]}
        if s.get("event"):
            cell["event"] = s["event"]
        out.setdefault(key, cell)
    return out


def compare(case: Case, ctx: Context | None = None, run: dict | None = None) -> dict:
    """The compare document (``format: pydesig-compare/1``) of ``case``; ``run`` says how its parts
    are solved (``pydesig.engine.solve``'s keyword arguments)."""
    ctx = ctx or default_context()
    own_rs = case.ruleset
    other_rs = _other(ctx, own_rs)
    own = solve(case, **(run or {})).to_json()
    translated, extra, report = translate(case, own, ctx)
    try:
        other = build_result(translated, consequences(translated, extra), interpretation_choices(translated)).to_json()
    except NoLawfulOutcome:
        other = {"findings": [], "status": [], "measures": [], "duties": []}
        report["no_lawful_outcome"] = True
    order = ["jilin-2019", "changzhou"]
    results = {own_rs: own, other_rs: other}
    a, b = order  # columns always Jilin | Changzhou
    ra, rb = results[a], results[b]
    levels = _corresponding_levels(ctx, a, b)

    regions_out, officials_out = [], []
    cells_a, cells_b = _measure_cells(ra), _measure_cells(rb)
    status_a, status_b = _status_cells(ra), _status_cells(rb)
    pairs = _measure_pairs(ctx, a, b)
    paired_a = {pa for _i, pa, _pb, _e in pairs if pa}
    paired_b = {pb for _i, _pa, pb, _e in pairs if pb}
    summary: dict[str, int] = defaultdict(int)

    def measure_rows(kind: str, ident: str) -> list[dict]:
        rows = []
        for pid, pa, pb, entry in pairs:
            ca = cells_a.get((kind, ident, pa)) if pa else None
            cb = cells_b.get((kind, ident, pb)) if pb else None
            if ca is None and cb is None:
                continue
            row = {"topic": "measure", "pair": pid, a: _cell_out(ca), b: _cell_out(cb),
                   "confidence": entry.get("confidence")}
            row["differences"] = _differences(ca, cb, a, b)
            if (ca is None and not pa) or (cb is None and not pb):
                row["note"] = entry.get("note")
            rows.append(row)
        for (k, i, key), cell in sorted(cells_a.items()):
            if (k, i) == (kind, ident) and key not in paired_a:
                rows.append({"topic": "measure", "pair": None, a: _cell_out(cell), b: None,
                             "differences": [f"only_in_{a}"], "note": "no counterpart in kb/crosswalk.yaml"})
        for (k, i, key), cell in sorted(cells_b.items()):
            if (k, i) == (kind, ident) and key not in paired_b:
                rows.append({"topic": "measure", "pair": None, a: None, b: _cell_out(cell),
                             "differences": [f"only_in_{b}"], "note": "no counterpart in kb/crosswalk.yaml"})
        return rows

    region_ids = sorted({r for r, _y in status_a} | {r for r, _y in status_b}
                        | {i for k, i, _m in cells_a if k == "region"} | {i for k, i, _m in cells_b if k == "region"})
    for rid in region_ids:
        rows = []
        for year in sorted({y for r, y in status_a if r == rid} | {y for r, y in status_b if r == rid}):
            sa, sb = status_a.get((rid, year)), status_b.get((rid, year))
            row = {"topic": "status", "year": year, a: sa, b: sb}
            if sa and sb:
                row["differences"] = [] if (sa["level"], sb["level"]) in levels else ["other_level"]
            else:
                row["differences"] = [f"only_in_{a}" if sa else f"only_in_{b}"]
            rows.append(row)
        rows += measure_rows("region", rid)
        region = case.regions.get(rid)
        regions_out.append({"region": rid, "name": region.name if region else rid, "rows": rows})
    official_ids = sorted({i for k, i, _m in cells_a if k == "official"} | {i for k, i, _m in cells_b if k == "official"})
    titles = {r["id"]: r for r in ctx.crosswalk.get("roles", [])}
    for oid in official_ids:
        o = case.officials.get(oid)
        entry = {"official": oid, "name": o.name if o else oid, "region": o.region if o else None,
                 "role": o.role if o else None, "rows": measure_rows("official", oid)}
        if o and o.role in titles:
            entry["titles"] = {rs: (titles[o.role].get(rs) or {}).get("title") for rs in order}
        officials_out.append(entry)
    for group in (regions_out, officials_out):
        for item in group:
            for row in item["rows"]:
                for d in row["differences"]:
                    summary[d] += 1
    return {
        "format": COMPARE_FORMAT,
        "case": {"title": case.title, "ruleset": own_rs, "path": case.path},
        "instruments": order,
        "interpretations": {own_rs: own.get("interpretations", {}), other_rs: other.get("interpretations", {})},
        "translation": report,
        "regions": regions_out,
        "officials": officials_out,
        "summary": {"rows": sum(len(i["rows"]) for g in (regions_out, officials_out) for i in g),
                    "differences": dict(sorted(summary.items()))},
    }


# --------------------------------------------------------------------------- rendering

def _years_text(years: list[int]) -> str:
    if not years:
        return ""
    runs, start, prev = [], years[0], years[0]
    for y in years[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(runs)


def render_compare(doc: dict, fmt: str = "text", case: Case | None = None, lang: str = "zh") -> str:
    """The compare document as JSON, text or HTML (jinja2 templates; HTML autoescaped).  JSON is the
    contract's document with its ids; text and HTML say everything in words in ``lang``: the terms
    of the law, the indicators, the provision labels, the kinds of difference (「仅见于吉林细则」
    rather than ``only_in_jilin-2019``) and the rows by the measures they set side by side
    (「加强禁毒能力建设／禁毒机构队伍体系」 rather than ``strengthen_capacity~drug_bodies``)."""
    from .indicators import indicators
    from .kb import knowledge_base
    from .render import cite_label, environment, to_json_text, words

    if fmt == "json":
        return to_json_text(doc)
    kb = knowledge_base()
    word = words(lang)
    names = {r.id: r.name for r in case.regions.values()} if case else {}
    pairs = {e["id"]: e for e in default_context().crosswalk.get("measures", [])}
    reasons = {"no counterpart in kb/crosswalk.yaml tiers": "compare_no_tier",
               "rests on a discretionary decision (not in every lawful outcome)": "compare_discretionary",
               "no counterpart in kb/crosswalk.yaml indicators": "compare_no_indicator"}

    def instrument(rs: str) -> str:
        return word(f"compare_{rs}")

    def region(rid: str) -> str:
        name = names.get(rid)
        if not name:
            return str(rid)
        return f"{name}（{rid}）" if lang == "zh" else f"{name} ({rid})"

    def difference(d: str) -> str:
        if d.startswith("only_in_"):
            return word("compare_only_in") + ("" if lang == "zh" else " ") + instrument(d[len("only_in_"):])
        return word(f"compare_{d}")

    def indicator(name: str, ruleset: str) -> str:
        ind = indicators().get(name)
        return ind.short(lang, ruleset) if ind else name

    def reason(text: str) -> str:
        return word(reasons[text]) if text in reasons else text

    def confidence(level: str) -> str:
        return word(f"compare_confidence_{level}") if level in ("high", "medium", "low") else str(level)

    def records(n: int) -> str:
        return f"{n}{word('compare_records')}" if lang == "zh" else f"{n} {word('compare_record' if n == 1 else 'compare_records')}"

    def years(ys) -> str:
        return "、".join(f"{y}年" for y in ys) if lang == "zh" else ", ".join(str(y) for y in ys)

    def side_name(side: dict | None) -> str | None:
        if not side:
            return None
        if side.get("measure"):
            return kb.term("measures", side["measure"], lang)
        if side.get("duty"):
            return kb.term("duties", side["duty"], lang)
        return None

    def row_title(row: dict) -> str:
        if row["topic"] == "status":
            return f"{row['year']}年{word('compare_state')}" if lang == "zh" else f"{word('compare_state')} {row['year']}"
        entry = pairs.get(row.get("pair") or "")
        if entry:
            shown = list(dict.fromkeys(n for n in (side_name(entry.get(rs)) for rs in doc["instruments"]) if n))
            if shown:
                return ("／" if lang == "zh" else " / ").join(shown)
        cell = next((row[rs] for rs in doc["instruments"] if row.get(rs)), {}) or {}
        return side_name(cell) or "—"

    def cell_head(cell: dict | None) -> str:
        if not cell:
            return "—"
        if "level" in cell:
            text = kb.term("levels", cell["level"], lang)
            if cell.get("event"):
                text += f"（{kb.term('events', cell['event'], lang)}）" if lang == "zh" \
                    else f" ({kb.term('events', cell['event'], lang)})"
            if not cell.get("certain", True):
                text += f" [{word('one_outcome')}]"
            return text
        name = cell.get("measure") or cell.get("duty")
        section = "measures" if "measure" in cell else "duties"
        if cell.get("modality_by_year"):
            by_mod: dict[str, list[int]] = {}
            for y, m in cell["modality_by_year"].items():
                by_mod.setdefault(m, []).append(int(y))
            when = "; ".join(f"{_years_text(ys)} {kb.term('modalities', m, lang)}" for m, ys in sorted(by_mod.items(),
                                                                                             key=lambda kv: kv[1][0]))
        else:
            when = f"{_years_text(cell['years'])} {kb.term('modalities', cell['modality'], lang)}"
        text = f"{kb.term(section, name, lang)} · {when}"
        if cell.get("forms"):
            text += " · " + "、".join(kb.term("discipline_forms", f, lang) for f in cell["forms"])
        if cell.get("met"):
            shown = [f"{y}{'年' if lang == 'zh' else ''} {word('compare_yes' if v else 'compare_no')}"
                     for y, v in cell["met"].items()]
            text += f" · {word('compare_met')}{word('colon')}" + ("，" if lang == "zh" else ", ").join(shown)
        if cell.get("interpretations"):
            text += f" · {word('reading')}{word('colon')}" + ", ".join(cell["interpretations"])
        return text

    def cell_text(cell: dict | None) -> str:
        if not cell:
            return "—"
        sep = "、" if lang == "zh" else ", "
        return f"{cell_head(cell)}  [{sep.join(cite_label(c, lang) for c in cell['basis'])}]"

    ext = {"text": "txt", "html": "html"}[fmt]
    template = environment(lang).get_template(f"compare.{ext}")
    return template.render(doc=doc, names=names, row_title=row_title, cell_text=cell_text, cell_head=cell_head,
                           instrument=instrument, region=region, difference=difference, indicator=indicator,
                           reason=reason, confidence=confidence, records=records, years=years)
