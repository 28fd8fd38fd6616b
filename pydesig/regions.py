"""The gazetteer: administrative divisions a case may name by code alone.

A case lists the regions it speaks of; for a region with a GB/T 2260 code it may give only the
code and take the name, kind and parent from here.  ``kb/regions.csv`` is the reference table
(吉林省 and 常州市, see ``kb/regions.md`` for provenance and gaps); ``kb/regions-extra.csv`` adds
areas the Jilin notice names that have no code, under stable ids of our own (``JL-…``).
"""

from __future__ import annotations

import csv
from functools import lru_cache

from .model import Region
from .paths import kb_dir

__all__ = ["gazetteer", "GAZETTEER_FILES"]

GAZETTEER_FILES = ("regions.csv", "regions-extra.csv")


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Region]:
    """Every region of the gazetteer by id, in file order (reference table first)."""
    result: dict[str, Region] = {}
    for name in GAZETTEER_FILES:
        path = kb_dir() / name
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["code"].strip()
                if code in result:
                    raise ValueError(f"{name}: region {code} is listed twice")
                result[code] = Region(
                    id=code, name=row["name"].strip(), kind=row["kind"].strip(),
                    parent=row["parent"].strip() or None,
                )
    for region in result.values():
        if region.parent is not None and region.parent not in result:
            raise ValueError(f"gazetteer: region {region.id} has unknown parent {region.parent}")
    return result
