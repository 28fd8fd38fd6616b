"""Generate a synthetic national-scale Jilin case: 2,844 counties under ~330 cities, 10 years.

Two profiles, both deterministic for a given seed:

* ``sparse`` (the default): what the provincial notices suggest — most county-years have no finding
  at all (about 4 % of county-years meet some tier, a few hundred counties a year nationally); a few
  percent of counties report poppies (mostly small counts), fewer report labs, leaks, criticisms
  or monitoring findings, and a county is not assessed in most years.
* ``dense``: the case of issue 9 — about 30 % of counties find poppies in most years, assessments
  reported in about 30 % of county-years, all six 第十条 conditions in about 10 %, three officials
  per county with ``neglect`` in about 3 % of official-years, a few percent criticisms, labs,
  leaks and monitoring findings.  Discretion is everywhere (extend / upgrade / report, cancel,
  organisational handling, discipline), which is what makes brave and cautious enumeration costly.

    python benchmarks/generate.py -o /tmp/national.json [--profile dense] [--counties 2844] [--cities 316] [--years 10]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path


def generate(counties: int = 2844, cities: int = 330, years: int = 10, seed: int = 2019,
             first_year: int = 2010, profile: str = "sparse") -> dict:
    if profile == "dense":
        return dense(counties, cities, years, seed, first_year)
    rng = random.Random(seed)
    regions = [{"id": "P00", "name": "全国（合成）", "kind": "province"}]
    for c in range(cities):
        regions.append({"id": f"C{c:03d}", "name": f"合成市{c}", "kind": "city", "parent": "P00"})
    officials = []
    facts = []
    for k in range(counties):
        rid = f"X{k:04d}"
        regions.append({"id": rid, "name": f"合成县{k}", "kind": "county", "parent": f"C{k % cities:03d}"})
        officials.append({"id": f"sec{k:04d}", "name": f"书记{k}", "region": rid, "role": "party_secretary",
                          "since": first_year + rng.randrange(years)})
        grower = rng.random() < 0.03  # a few counties grow poppies year after year
        for y in range(first_year, first_year + years):
            rec: dict = {}
            if grower and rng.random() < 0.5:
                rec["poppy_plants"] = int(rng.choice([rng.randrange(1, 3000), rng.randrange(3000, 12000)]))
                rec["planting_plots"] = rng.randrange(1, 600)
            if rng.random() < 0.005:
                rec["labs_busted_elsewhere"] = rng.choice([1, 1, 2, 3])
            if rng.random() < 0.005:
                rec["precursor_leaks_traced"] = rng.choice([1, 2])
            if rng.random() < 0.01:
                rec["provincial_criticisms"] = rng.choice([1, 2, 3])
            if rng.random() < 0.01:
                rec["monitoring"] = rng.choice(["worsening", "prominent", "spreading"])
            if rng.random() < 0.005:
                rec["user_incident"] = True
            if rng.random() < 0.002:
                rec["national_status"] = rng.choice(["notified_warning", "key_attention"])
            if rng.random() < 0.05:
                rec["tasks_completed"] = rng.random() < 0.7
            if rec:
                facts.append({"region": rid, "year": y, **rec, "source": "合成数据"})
    return {
        "format": "pydesig-case/1",
        "ruleset": "jilin-2019",
        "title": f"合成全国规模案例（{counties}个县级单位，{years}年）",
        "regions": regions,
        "officials": officials,
        "facts": facts,
    }


CONDITIONS = ["leadership", "safeguards", "groundwork", "enforcement", "education", "alleviation"]
ROLES = ("party_secretary", "government_head", "deputy_in_charge")


def dense(counties: int = 2844, cities: int = 316, years: int = 10, seed: int = 2019, first_year: int = 2010) -> dict:
    """The dense profile (see the module docstring)."""
    rng = random.Random(seed)
    regions = [{"id": "P00", "name": "全国（合成）", "kind": "province"}]
    for c in range(cities):
        regions.append({"id": f"C{c:03d}", "name": f"合成市{c}", "kind": "city", "parent": "P00"})
    officials, facts = [], []
    for k in range(counties):
        rid = f"X{k:04d}"
        regions.append({"id": rid, "name": f"合成县{k}", "kind": "county", "parent": f"C{k % cities:03d}"})
        team = []
        for role in ROLES:
            oid = f"{role[:3]}{k:04d}"
            since = first_year - 3 + rng.randrange(years)
            team.append((oid, since))
            officials.append({"id": oid, "name": f"{role[:3]}{k}", "region": rid, "role": role, "since": since})
        grower = rng.random() < 0.30
        for y in range(first_year, first_year + years):
            rec: dict = {}
            if grower and rng.random() < 0.7:
                rec["poppy_plants"] = rng.choice([rng.randrange(1, 3000), rng.randrange(3000, 12000),
                                                  rng.randrange(12000, 30000)])
                rec["planting_plots"] = rng.randrange(1, 600)
            for indicator, p, values in (("labs_busted_elsewhere", 0.03, [1, 1, 2]),
                                         ("precursor_leaks_traced", 0.03, [1, 2]),
                                         ("provincial_criticisms", 0.04, [1, 2, 3]),
                                         ("monitoring", 0.03, ["worsening", "prominent", "spreading"])):
                if rng.random() < p:
                    rec[indicator] = rng.choice(values)
            if rng.random() < 0.01:
                rec["user_incident"] = True
            if rng.random() < 0.005:
                rec["national_status"] = rng.choice(["listed_rectification", "notified_warning", "key_attention"])
            if rng.random() < 0.30:
                rec["tasks_completed"] = rng.random() < 0.6
                if rng.random() < 0.2:
                    rec["worsened"] = True
            if rng.random() < 0.05:
                rec["work_ineffective"] = True
            if rng.random() < 0.10:
                rec["delisting_conditions_met"] = list(CONDITIONS)
            if rec:
                facts.append({"region": rid, "year": y, **rec, "source": "合成数据"})
            for oid, since in team:
                if rng.random() < 0.03 and y >= since:  # a fact about an official in post (the loader refuses others)
                    facts.append({"official": oid, "year": y, "neglect": True})
    return {
        "format": "pydesig-case/1",
        "ruleset": "jilin-2019",
        "title": f"合成全国规模案例（稠密，{counties}个县级单位，{years}年）",
        "regions": regions,
        "officials": officials,
        "facts": facts,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--counties", type=int, default=2844)
    ap.add_argument("--cities", type=int, default=330)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--profile", choices=["sparse", "dense"], default="sparse")
    args = ap.parse_args()
    case = generate(args.counties, args.cities, args.years, args.seed, profile=args.profile)
    Path(args.output).write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    print(f"{args.output}: {len(case['regions'])} regions, {len(case['facts'])} fact records")


if __name__ == "__main__":
    main()
