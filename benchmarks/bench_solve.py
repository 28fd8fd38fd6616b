"""Time `pydesig solve` (one worker, all workers) against the clingo command line on the same program.

Generates a synthetic national-scale Jilin case (benchmarks/generate.py: the ``dense`` profile of
issue 9 by default, or ``sparse``), prints its plain program with `pydesig program`, then runs, side
by side in one run, each as a fresh process under ``/usr/bin/time -v`` (wall time and peak memory):

- `pydesig solve CASE --format json -o OUT --workers 1` (load and validate, split into parts,
  ground, brave and cautious consequences per part, build and write the JSON);
- the same with `--workers N` (default: the machine's cores);
- optionally (`--whole`) the same solving the case as one program;
- `python -m clingo PROGRAM` (the clingo application on `pydesig program`'s output), one answer set;

and prints each time, its ratio to clingo, the CPU time (user + system, of the process and the
worker processes it waited for: what the run costs when the cores are shared with others) and the
peak resident memory of each process.  The JSON outputs of every pydesig run are compared byte for
byte.  Debian's `time` package provides
/usr/bin/time (`apt-get install time`).

    python benchmarks/bench_solve.py [--profile dense|sparse] [--counties 2844] [--cities 316] [--years 10]
                                     [--workers N] [--repeat 1] [--whole] [--keep DIR]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

TIME = "/usr/bin/time"


def measured(command: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak resident MB) of one process run under /usr/bin/time -v."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        subprocess.run([TIME, "-v", "-o", report.name, *command], check=True, stdout=stdout)
        wall = time.perf_counter() - start
        text = Path(report.name).read_text()
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", text)[1]) for kind in ("User", "System"))
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)[1]) / 1024
    return wall, cpu, peak


def best(repeat: int, command: list[str], stdout=None) -> tuple[float, float, float]:
    runs = []
    for _ in range(repeat):
        if stdout is not None:
            with open(stdout, "wb") as fh:
                runs.append(measured(command, fh))
        else:
            runs.append(measured(command))
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile", choices=["dense", "sparse"], default="dense")
    ap.add_argument("--counties", type=int, default=2844)
    ap.add_argument("--cities", type=int, help="default: one city per nine counties")
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="the 'all workers' run")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--whole", action="store_true", help="also time solve --whole (slow on dense cases)")
    ap.add_argument("--keep", help="keep the case, program and outputs in this folder")
    args = ap.parse_args()
    if not Path(TIME).exists():
        sys.exit(f"{TIME} is missing: apt-get install time")
    cities = args.cities or max(1, round(args.counties / 9))

    folder = Path(args.keep or tempfile.mkdtemp(prefix="pydesig-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        case_path = folder / f"{args.profile}-{args.counties}.json"
        doc = generate(args.counties, cities, args.years, profile=args.profile)
        case_path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        program = folder / f"{args.profile}-{args.counties}.lp"
        with program.open("w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, "-m", "pydesig", "program", str(case_path)], check=True, stdout=fh)
        print(f"case: {args.profile}, {len(doc['regions'])} regions ({args.counties} counties, {cities} cities), "
              f"{len(doc['officials'])} officials, {len(doc['facts'])} fact records, {args.years} years")
        print(f"program: {program.stat().st_size / 1e6:.1f} MB of plain ASP")

        pydesig = [sys.executable, "-m", "pydesig", "solve", str(case_path), "--format", "json", "--quiet"]
        runs = [(f"pydesig solve --workers 1", [*pydesig, "--workers", "1"], folder / "out-1.json"),
                (f"pydesig solve --workers {args.workers}", [*pydesig, "--workers", str(args.workers)],
                 folder / f"out-{args.workers}.json")]
        if args.whole:
            runs.append(("pydesig solve --whole", [*pydesig, "--whole"], folder / "out-whole.json"))
        clingo_s, clingo_cpu, clingo_mb = best(args.repeat, [sys.executable, "-m", "clingo", str(program), "-q"])
        print(f"{'process':40s} {'wall':>10s} {'CPU':>10s} {'peak':>10s}")
        print(f"{'python -m clingo PROGRAM (one model)':40s} {clingo_s:8.2f} s {clingo_cpu:8.2f} s {clingo_mb:7.0f} MB")
        outputs = []
        for label, command, out in runs:
            seconds, cpu, peak = best(args.repeat, [*command, "-o", str(out)])
            outputs.append(out)
            print(f"{label:40s} {seconds:8.2f} s {cpu:8.2f} s {peak:7.0f} MB   time {seconds / clingo_s:5.2f}x clingo, "
                  f"CPU {cpu / clingo_cpu:5.2f}x, memory {peak / clingo_mb:5.2f}x")
        same = all(filecmp.cmp(outputs[0], o, shallow=False) for o in outputs[1:])
        print(f"outputs byte-identical: {same} ({outputs[0].stat().st_size / 1e6:.1f} MB of JSON)")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
