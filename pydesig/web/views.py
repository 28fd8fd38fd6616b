"""What the pages show, computed from the result JSON (``pydesig-result/1``) and the case's names.

Pure functions of data: no solving here, no HTML.  Each walks the result once.
"""

from __future__ import annotations

import json
from collections import defaultdict

from ..kb import knowledge_base

__all__ = ["timeline", "open_decisions", "changes", "region_view", "official_view",
           "subject_key"]


def subject_key(subject: dict) -> tuple[str, str]:
    return next(iter(subject.items()))


def _years(data: dict) -> list[int]:
    doc = data["doc"]
    years = {e["year"] for e in doc["findings"]} | {e["year"] for e in doc["status"]}
    if data.get("years"):
        years |= set(range(data["years"][0], data["years"][1] + 1))
    return sorted(years)


def _levels(ruleset: str) -> list[str]:
    """The instrument's levels, highest first (``absent`` left out)."""
    levels = knowledge_base().vocabulary["levels"]
    own = [k for k, v in levels.items() if v.get("instrument") == ruleset and k != "absent"]
    return sorted(own, key=lambda k: -levels[k].get("rank", 0))


def timeline(data: dict) -> dict:
    """Regions × years: the status entry and the finding of each cell."""
    years = _years(data)
    cells: dict[tuple, dict] = {}
    for s in data["doc"]["status"]:
        cells.setdefault((s["region"], s["year"]), {})["status"] = s
    for f in data["doc"]["findings"]:
        cells.setdefault((f["region"], f["year"]), {})["finding"] = f
    regions = sorted({r for r, _ in cells})
    return {"years": years, "rows": [{"region": r, "cells": [cells.get((r, y), {}) for y in years]} for r in regions]}


def open_decisions(data: dict) -> list[dict]:
    """The points (subject, year) where the lawful outcomes differ, each with its lawful options:
    the form controls of the case page."""
    points: dict[tuple, dict] = {}
    for d in data["doc"].get("decisions", []):
        kind, ident = subject_key(d["subject"])
        point = points.setdefault((kind, ident, d["year"]), {"kind": kind, "id": ident, "year": d["year"],
                                                              "options": [], "open": False})
        if d["taken"] != "never":
            point["options"].append({"decision": d["decision"], "value": f"{kind}={ident}:{d['year']}:{d['decision']}",
                                     "basis": d["basis"]})
        if d["taken"] == "sometimes":
            point["open"] = True
    return [p for p in points.values() if p["open"]]


def _entries(doc: dict) -> dict[str, set[str]]:
    return {part: {json.dumps(e, sort_keys=True, ensure_ascii=False) for e in doc.get(part, [])}
            for part in ("findings", "status", "measures")}


def changes(before: dict, after: dict) -> list[dict]:
    """What fixing decisions changed: entries of ``after`` not in ``before`` (added) and back (removed)."""
    a, b = _entries(before), _entries(after)
    out = []
    for part in ("status", "measures", "findings"):
        for text in sorted(b[part] - a[part]):
            out.append({"part": part, "change": "added", "entry": json.loads(text)})
        for text in sorted(a[part] - b[part]):
            out.append({"part": part, "change": "removed", "entry": json.loads(text)})
    return out


def region_view(data: dict, rid: str) -> dict:
    """One region: its findings, status years, measures and officials (with their measures)."""
    doc = data["doc"]
    officials = sorted(o for o, v in data["officials"].items() if v["region"] == rid)
    by_official = defaultdict(list)
    own = []
    for m in doc["measures"]:
        kind, ident = subject_key(m["subject"])
        if kind == "region" and ident == rid:
            own.append(m)
        elif kind == "official" and ident in officials:
            by_official[ident].append(m)
    return {"findings": [f for f in doc["findings"] if f["region"] == rid],
            "status": [s for s in doc["status"] if s["region"] == rid],
            "measures": own,
            "duties": [d for d in doc.get("duties", []) if subject_key(d["subject"]) == ("region", rid)],
            "officials": [{"id": o, "measures": by_official.get(o, [])} for o in officials],
            "children": sorted(r for r, v in data["regions"].items() if v["parent"] == rid)}


def official_view(data: dict, oid: str) -> dict:
    doc = data["doc"]
    return {"measures": [m for m in doc["measures"] if subject_key(m["subject"]) == ("official", oid)],
            "duties": [d for d in doc.get("duties", []) if subject_key(d["subject"]) == ("official", oid)]}
