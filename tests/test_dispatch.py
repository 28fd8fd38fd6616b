"""Dispatch (pydesig.dispatch): the same result in part order whichever executor runs the parts —
in this process, a process pool of any size, a Dask cluster — and a worker that dies names its part."""

from __future__ import annotations

import dataclasses
import io
import os
import time

import pytest
from click.testing import CliRunner

from pydesig import parts as parts_module
from pydesig.cli import main
from pydesig.dispatch import PartFailed, run_parts
from pydesig.engine import solve, solve_json
from pydesig.model import Case, Fact, Official, Region
from pydesig.parts import split
from pydesig.progress import ProgressLine
from pydesig.render import render_result


def slow_square(n: int) -> int:
    time.sleep(0.05 * (4 - n))  # the first parts finish last
    return n * n


def test_results_come_back_in_part_order():
    for workers in (1, 2, 4):
        assert run_parts([0, 1, 2, 3], slow_square, workers=workers) == [0, 1, 4, 9]


def dies_on_two(n: int) -> int:
    if n == 2:
        os._exit(1)  # a worker killed mid-part (out of memory, a crash in native code)
    time.sleep(0.2)
    return n


class Named:
    def __init__(self, n):
        self.n, self.part = n, f"C{n} 市{n}"


def dies_on_named_two(p: Named) -> int:
    return dies_on_two(p.n)


def test_a_dead_worker_fails_naming_its_part():
    with pytest.raises(PartFailed, match=r"part 3 of 4 \(C2 市2\).*died"):
        run_parts([Named(i) for i in range(4)], dies_on_named_two, workers=2)


def dies_the_first_time(job: tuple) -> int:
    n, flag = job
    if n == 1 and not os.path.exists(flag):
        open(flag, "w").close()
        os._exit(1)  # a passing fault: the process is gone, the part itself is fine
    return n


def test_parts_that_shared_a_dead_worker_are_computed_again(tmp_path):
    flag = str(tmp_path / "died")
    assert run_parts([(n, flag) for n in range(4)], dies_the_first_time, workers=2) == [0, 1, 2, 3]


def test_progress_is_reported_per_part():
    seen = []
    run_parts([1, 2, 3], slow_square, workers=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_the_progress_line_waits_a_moment_and_ends_with_a_newline():
    clock = iter([0.0, 0.2, 1.5, 3.0]).__next__
    stream = io.StringIO()
    line = ProgressLine(stream, clock=clock)
    line(1, 3)  # 0.2 s: too early to say anything
    assert stream.getvalue() == ""
    line(2, 3)
    line(3, 3)
    shown = stream.getvalue()
    assert "2/3" in shown and "3/3" in shown and shown.endswith("\n") and "left" in shown


def cities(n: int = 3) -> Case:
    regions = {"P0": Region("P0", "省", "province")}
    facts, officials = [], {}
    for c in range(n):
        regions[f"C{c}"] = Region(f"C{c}", f"市{c}", "city", "P0")
        for k in range(3):
            rid = f"C{c}X{k}"
            regions[rid] = Region(rid, f"县{c}{k}", "county", f"C{c}")
            officials[f"o{c}{k}"] = Official(f"o{c}{k}", "某", rid, "deputy_in_charge", 2014)
            facts += [Fact("region", rid, 2018, "poppy_plants", 12000 if k != 1 else 3000),
                      Fact("region", rid, 2019, "tasks_completed", c % 2 == 0),
                      Fact("official", f"o{c}{k}", 2018, "neglect", True)]
    return Case(path="generated.yaml", ruleset="jilin-2019", title="generated", regions=regions,
                officials=officials, facts=facts)


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of one or two parts, so that a small case really goes through the executors."""
    monkeypatch.setattr(parts_module, "BATCH_TARGET", 10)


def test_every_number_of_workers_gives_the_same_bytes(small_batches):
    case = cities()
    reference = render_result(solve(case, whole=True), "json")
    assert len(parts_module.batches(split(case))) > 2
    for workers in (1, 2, 3):
        assert render_result(solve(case, workers=workers), "json") == reference


def test_json_encoded_where_the_parts_run_is_the_whole_result_byte_for_byte(small_batches):
    """solve --format json lets each worker encode its entries and only interleaves them by subject:
    the bytes must be those of the whole case solved as one program and rendered in one piece, for
    every number of workers, and with --whole."""
    case = dataclasses.replace(cities(), warnings=[  # the loader's warnings close the document
        {"id": "handover_year", "record": "officials[0] (line 3)", "field": "since", "message": "m", "text": "t"}])
    reference = render_result(solve(case, whole=True), "json")
    assert '"warnings"' in reference
    assert len(parts_module.batches(split(case))) > 2
    assert b"".join(solve_json(case, whole=True)).decode() == reference
    for workers in (1, 2):
        assert b"".join(solve_json(case, workers=workers)).decode() == reference


def test_parts_interleave_by_subject_across_batches(small_batches):
    """Regions of one batch sort between regions of another (ids are not grouped by city): the
    interleaving, not the order of the batches, decides where an entry goes."""
    case = cities()
    renamed = {}
    for i, rid in enumerate(sorted(case.regions)):  # counties of different cities alternate in id order
        renamed[rid] = f"R{(i * 7) % len(case.regions):03d}"
    regions = {renamed[r]: Region(renamed[r], reg.name, reg.kind, renamed.get(reg.parent) if reg.parent else None)
               for r, reg in case.regions.items()}
    officials = {o: Official(o, off.name, renamed[off.region], off.role, off.since)
                 for o, off in case.officials.items()}
    facts = [Fact(f.subject, renamed[f.subject_id] if f.subject == "region" else f.subject_id, f.year, f.indicator,
                  f.value) for f in case.facts]
    mixed = Case(path=case.path, ruleset=case.ruleset, title=case.title, regions=regions, officials=officials,
                 facts=facts)
    reference = render_result(solve(mixed, whole=True), "json")
    got = b"".join(solve_json(mixed, workers=1)).decode()
    assert got == reference
    assert got.index('"region": "R000"') < got.index('"region": "R001"')


def test_solve_on_a_dask_cluster_gives_the_same_bytes(small_batches):
    distributed = pytest.importorskip("distributed")
    case = cities(2)
    reference = render_result(solve(case, whole=True), "json")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert render_result(solve(case, scheduler=cluster.scheduler_address), "json") == reference


def kill_part(case, extra=()):
    os._exit(9)


def test_cli_exit_1_naming_the_part_when_a_worker_dies(tmp_path, monkeypatch, small_batches):
    import yaml

    from pydesig import solver

    case = cities(2)
    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "t",
           "regions": [{"id": r.id, "name": r.name, "kind": r.kind, **({"parent": r.parent} if r.parent else {})}
                       for r in case.regions.values()],
           "facts": [{"region": f.subject_id, "year": f.year, f.indicator: f.value}
                     for f in case.facts if f.subject == "region"]}
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(solver, "part_consequences", kill_part)
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["solve", str(path), "--workers", "2", "--format", "json", "-o", str(out)])
    assert result.exit_code == 1
    assert "failed: its worker process died" in result.output and "part " in result.output
    assert not out.exists()


def test_readings_on_a_dask_cluster_give_the_same_document():
    """``pydesig readings --scheduler``: the parts searched on a Dask cluster give the document of
    the whole case searched as one program (issue 16, item 3)."""
    distributed = pytest.importorskip("distributed")
    from pydesig.readings import readings

    regions = {"220500": Region("220500", "通化市", "city"), "220581": Region("220581", "梅河口市", "county", "220500"),
               "220200": Region("220200", "吉林市", "city"), "220283": Region("220283", "舒兰市", "county", "220200")}
    facts = [Fact("region", "220581", 2019, "poppy_plants", 10000),
             Fact("region", "220283", 2019, "labs_busted_elsewhere", 3)]
    case = Case(path="two.yaml", ruleset="jilin-2019", title="two cities", regions=regions, officials={}, facts=facts,
                interpretations={"designation_lag": "next_year", "national_report": "alternative"})
    assert len(split(case)) == 2
    whole = readings(case, whole=True)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert readings(case, scheduler=cluster.scheduler_address) == whole
    assert whole["conclusions"] and {"band_upper_bound", "bare_counts"} <= set(whole["interpretations"])
