"""Time the explanations against the plain solve, and against xclingo on the same rules and data.

On the synthetic national-scale case (benchmarks/generate.py), in one process, best of --repeat:

- the plain solve: ``pydesig.engine.solve`` (ground, solve for the brave and cautious consequences,
  build the result), after the case is loaded;
- every justification: one ``explain.api.Explanation`` of the case (the bookkept program grounded
  and solved, its rule applications read) and the tree of every finding, status and measure atom
  (what ``explain.api.explain_all`` returns), in Chinese;

then, on a province-size case (--province-counties, --province-cities), one ``why`` of a region's
status and one of an official's measure, in process and as ``pydesig why`` processes.  Goals
(issue 5): all justifications under 3× the plain solve; one why well under a second.

xclingo (PyPI ``xclingo``, not a dependency of pydesig) runs in its own interpreter, so that its
clingo never replaces ours: give one with ``--xclingo-python``, e.g.

    python -m venv /tmp/xcl && /tmp/xcl/bin/pip install xclingo
    python benchmarks/bench_explain.py --xclingo-python /tmp/xcl/bin/python [--xclingo-cli]

It explains the same program (``pydesig program`` with ``%!trace_rule`` lines from the provision
headers; ``--write-traced CASE`` prints it) and the same conclusions (``%!show_trace`` of finding/3,
status/3, measure/4), through its API (XclingoControl: ground, solve, explain_model) and, with
--xclingo-cli, through its command line.

    python benchmarks/bench_explain.py [--counties 2844] [--cities 330] [--years 10] [--repeat 3]

With ``--dense``, only the goals of issue 9 (each a process, wall time, CPU time and peak memory
from /usr/bin/time -v, side by side in one run): ``pydesig why`` for one county of the dense
national case, and ``solve --format html`` (without and with the reading marks) against ``solve
--format json`` on 60 counties × 8 years, dense and sparse.

    python benchmarks/bench_explain.py --dense [--counties 2844] [--years 10] [--province-counties 60]
                                       [--province-years 8]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from clingo import ast

from explain.instrument import NameAnonymous, is_positive_atom  # noqa: E402
from generate import generate  # noqa: E402

from pydesig.annotations import rule_sites  # noqa: E402
from pydesig.paths import encodings_dir  # noqa: E402
from pydesig.program import encoding_files, program_text  # noqa: E402

CONCLUSIONS = (("finding", 3), ("status", 3), ("measure", 4))

# ------------------------------------------------------------------------------------------------
# The plain program with xclingo annotations (``--write-traced CASE`` prints it).  Every rule of
# the encodings gets ``%!trace_rule {"<provision ids> (<file>:<line>)"}.`` from its provision
# header, the conclusions ``%!show_trace {finding(R,Y,L)}.`` and the like.  The rules are printed
# from clingo's AST with each anonymous variable of a positive literal named (xclingo's
# translation copies body variables into heads, where an anonymous one is unsafe); the facts are
# those of ``pydesig program``.

SHOW = ("finding(R,Y,L)", "status(R,Y,L)", "measure(S,M,Y,P)")


def _named(rule):
    namer = NameAnonymous()

    def conditions(element):
        return element.update(condition=[namer(c) if is_positive_atom(c) else c for c in element.condition])

    body = []
    for lit in rule.body:
        if is_positive_atom(lit):
            body.append(namer(lit))
        elif lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.BodyAggregate:
            body.append(lit.update(atom=lit.atom.update(elements=[conditions(e) for e in lit.atom.elements])))
        else:
            body.append(lit)
    head = rule.head
    if head.ast_type == ast.ASTType.Aggregate:
        head = head.update(elements=[conditions(e) for e in head.elements])
    return rule.update(head=head, body=body)


def traced_program(case) -> str:
    sites = {(s.file, s.line): s for s in rule_sites(case.ruleset)}
    out = []
    for path in encoding_files(case.ruleset):
        rel = path.relative_to(encodings_dir()).as_posix()
        statements: list = []
        ast.parse_files([str(path)], statements.append)
        for stm in statements:
            if stm.ast_type in (ast.ASTType.ShowSignature, ast.ASTType.ShowTerm):
                continue
            if stm.ast_type != ast.ASTType.Rule:
                out.append(str(stm))
                continue
            site = sites.get((rel, stm.location.begin.line))
            is_constraint = stm.head.ast_type == ast.ASTType.Literal and \
                stm.head.atom.ast_type != ast.ASTType.SymbolicAtom
            if site is not None and not is_constraint:
                label = " ".join(site.provisions) or "helper"
                out.append(f'%!trace_rule {{"{label} ({rel}:{site.line})"}}.')
            out.append(str(_named(stm)))
    text = program_text(case)
    out.append(text[text.index("%%% facts of"):])
    out.extend(f"%!show_trace {{{atom}}}." for atom in SHOW)
    return "\n".join(out) + "\n"




def best(repeat: int, fn) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def explain_every_conclusion(case) -> tuple[int, int, dict]:
    from explain.api import Explanation

    stages = {}
    t = time.perf_counter()
    ex = Explanation(case, "zh")
    stages["explained answer set (ground, solve, read)"] = time.perf_counter() - t
    t = time.perf_counter()
    count = 0
    for name, arity in CONCLUSIONS:
        for atom in ex.atoms(name, arity):
            ex.tree(atom)
            count += 1
    stages["proofs and trees of every conclusion"] = time.perf_counter() - t
    return count, len(ex.justifier._memo), stages


def write_case(doc: dict, folder: Path, name: str) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def process(command: list[str], repeat: int) -> float:
    return best(repeat, lambda: subprocess.run(command, check=True, stdout=subprocess.DEVNULL))[0]


XCLINGO_API = textwrap.dedent("""
    import sys, time
    from xclingo import XclingoControl
    program = open(sys.argv[1], encoding="utf-8").read()
    start = time.perf_counter()
    ctl = XclingoControl(["1"], n_explanations="1")
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    grounded = time.perf_counter()
    graphs = 0
    for model in ctl.solve():
        graphs = len(list(model.explain_model()))
        break
    done = time.perf_counter()
    print(f"{grounded - start:.3f} {done - grounded:.3f} {done - start:.3f} {graphs}")
""")


def timed_process(command: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds (user + system, children included), peak resident MB) of one
    process, under /usr/bin/time -v.  On a shared machine the CPU seconds are the steadier figure."""
    import re

    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-v", "-o", report.name, *command], check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        text = Path(report.name).read_text()
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([0-9.]+)", text)[1]) for kind in ("User", "System"))
    return wall, cpu, int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)[1]) / 1024


def dense_runs(args) -> None:
    """Issue 9's goals, each run a process under /usr/bin/time -v, side by side in one run:
    ``pydesig why`` for one county of the dense national case (``--counties``), and ``solve
    --format html`` against ``--format json`` on 60 counties × 8 years, dense and sparse (both
    with ``--workers 1``, so that the two formats do the same solving work)."""
    cli = [sys.executable, "-m", "pydesig"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        national = write_case(generate(args.counties, max(1, round(args.counties / 9)), args.years, profile="dense"),
                              folder, "dense-national")
        # a county of the national case with a status: found on its own part, as why would
        from pydesig import load_case
        from pydesig.engine import solve
        from pydesig.parts import part_of

        case = load_case(str(national))
        county = sorted(r for r, reg in case.regions.items() if reg.kind == "county")[len(case.regions) // 3]
        status = next(s for s in solve(part_of(case, region=county), workers=1).status
                      if s["level"] != "absent" and case.regions[s["region"]].kind == "county")
        why = [*cli, "why", str(national), "--region", status["region"], "--year", str(status["year"]), "--quiet"]
        seconds, cpu, peak = timed_process(why)
        print(f"dense national ({args.counties} counties, {len(case.facts)} facts): pydesig why --region "
              f"{status['region']} --year {status['year']}: {seconds:6.2f} s wall, {cpu:6.2f} s CPU, {peak:5.0f} MB"
              f"   (goal < 1 s)")
        counties, years = args.province_counties, args.province_years
        for profile in ("dense", "sparse"):
            province = write_case(generate(counties, max(1, round(counties / 9)), years, profile=profile),
                                  folder, f"{profile}-{counties}x{years}")
            solve_ = [*cli, "solve", str(province), "--quiet", "--workers", "1", "--format"]
            json_s, json_cpu, json_mb = timed_process([*solve_, "json"])
            print(f"{profile} {counties} counties x {years} years, solve --workers 1 --format json: {json_s:6.2f} s wall "
                  f"{json_cpu:6.2f} s CPU {json_mb:5.0f} MB")
            for label, extra in (("html --no-reading-marks", ["--no-reading-marks"]), ("html (reading marks)", [])):
                html_s, html_cpu, html_mb = timed_process([*solve_, "html", *extra])
                print(f"  --format {label}: {html_s:6.2f} s wall {html_cpu:6.2f} s CPU {html_mb:5.0f} MB; "
                      f"html/json {html_s / json_s:5.1f}x wall, {html_cpu / json_cpu:5.1f}x CPU   (goal <= 3x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counties", type=int, default=2844)
    ap.add_argument("--cities", type=int, default=330)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--province-counties", type=int, default=60)
    ap.add_argument("--province-cities", type=int, default=9)
    ap.add_argument("--province-years", type=int, default=8, help="with --dense: the years of the html/json case")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--xclingo-python", help="an interpreter with xclingo installed (see the docstring)")
    ap.add_argument("--xclingo-cli", action="store_true", help="also time the xclingo command line (slow)")
    ap.add_argument("--write-traced", metavar="CASE", help="print CASE's program with xclingo annotations and stop")
    ap.add_argument("--dense", action="store_true",
                    help="only issue 9's dense runs: why on the dense national case, html against json on 60 x 8")
    args = ap.parse_args()
    if args.dense:
        dense_runs(args)
        return
    if args.write_traced:
        from pydesig import load_case

        sys.stdout.write(traced_program(load_case(args.write_traced)))
        return

    from explain import why
    from pydesig import load_case
    from pydesig.engine import solve

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        national = write_case(generate(args.counties, args.cities, args.years), folder, "national")
        t = time.perf_counter()
        case = load_case(str(national))
        load_s = time.perf_counter() - t
        print(f"national case: {len(case.regions)} regions, {len(case.officials)} officials, "
              f"{len(case.facts)} facts, {args.years} years (load + validate {load_s:.2f} s)")

        solve_s, result = best(args.repeat, lambda: solve(case))
        explain_s, (count, nodes, stages) = best(args.repeat, lambda: explain_every_conclusion(case))
        print(f"  plain solve (ground, solve, build the result):   {solve_s:7.2f} s   "
              f"{len(result.findings)} findings, {len(result.status)} status entries, "
              f"{len(result.measures)} measure entries")
        print(f"  every justification ({count} conclusions, {nodes} distinct steps):"
              f" {explain_s:7.2f} s   ratio {explain_s / solve_s:4.2f}x  (goal < 3x)")
        for name, seconds in stages.items():
            print(f"    {name:46s}{seconds:7.2f} s")

        province_doc = generate(args.province_counties, args.province_cities, args.years)
        province = write_case(province_doc, folder, "province")
        pcase = load_case(str(province))
        presult = solve(pcase)
        status = next((s for s in presult.status if s["level"] != "absent"), presult.status[0])
        official = next(m for m in presult.measures if "official" in m["subject"])
        who, year, measure = official["subject"]["official"], official["years"][0], official["measure"]
        why_s, _ = best(args.repeat, lambda: why(pcase, region=status["region"], year=status["year"]))
        why_m, _ = best(args.repeat, lambda: why(pcase, official=who, year=year, measure=measure))
        cli = [sys.executable, "-m", "pydesig", "why", str(province)]
        why_p = process([*cli, "--region", status["region"], "--year", str(status["year"])], args.repeat)
        print(f"province case: {len(pcase.regions)} regions, {len(pcase.facts)} facts")
        print(f"  why {status['region']} {status['year']} (finding and status), in process: {why_s:6.3f} s")
        print(f"  why {who} {year} --measure {measure}, in process:      {why_m:6.3f} s")
        print(f"  pydesig why (a process: start-up, load, explain, print):     {why_p:6.3f} s   (goal < 1 s)")

        if not args.xclingo_python:
            print("xclingo: not run (--xclingo-python PYTHON, an interpreter with `pip install xclingo`)")
            return
        traced = folder / "national-traced.lp"
        traced.write_text(traced_program(case), encoding="utf-8")
        script = folder / "xclingo_api.py"
        script.write_text(XCLINGO_API, encoding="utf-8")
        out = subprocess.run([args.xclingo_python, str(script), str(traced)], capture_output=True, text=True)
        if out.returncode != 0:
            print("xclingo API failed:", out.stderr.strip().splitlines()[-1:])
            return
        ground_x, explain_x, total_x, graphs = out.stdout.split()
        plain = folder / "national.lp"
        with plain.open("w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, "-m", "pydesig", "program", str(national)], check=True, stdout=fh)
        clingo_s = process([sys.executable, "-m", "clingo", str(plain), "-q"], 1)
        print(f"xclingo on the same program and conclusions ({traced.stat().st_size / 1e6:.1f} MB traced):")
        print(f"  clingo command line, one answer set:              {clingo_s:7.2f} s")
        print(f"  xclingo API: ground {float(ground_x):.2f} s, solve and explain {float(explain_x):.2f} s, "
              f"total {float(total_x):7.2f} s   ({float(total_x) / explain_s:4.1f}x pydesig's justifications)")
        if args.xclingo_cli:
            xcl = Path(args.xclingo_python).with_name("xclingo")
            cli_s = process([str(xcl), "-n", "1", "1", str(traced)], 1)
            print(f"  xclingo command line:                              {cli_s:7.2f} s")


if __name__ == "__main__":
    main()
