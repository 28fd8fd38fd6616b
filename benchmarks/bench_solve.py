"""Time `pydesig solve` against the clingo command line on the same program.

Generates the synthetic national-scale case (benchmarks/generate.py), prints the plain program
with `pydesig program`, then times, best of --repeat runs, each as a fresh process:

- `pydesig solve CASE --format json` (load and validate, ground, solve, build and write JSON);
- `python -m clingo PROGRAM` (the clingo application on `pydesig program`'s output), once for one
  answer set and once each for the brave and the cautious consequences, which is what `solve`
  computes (the modality of every measure comes from them);

and, in one process, the stages of `pydesig solve`.  Prints both figures and their ratio.

    python benchmarks/bench_solve.py [--counties 2844] [--years 10] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def best_of(repeat: int, command: list[str]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def stages(case_path: Path) -> dict[str, float]:
    from pydesig import load_case
    from pydesig.bridge import interpretation_choices
    from pydesig.render import render_result
    from pydesig.result import build_result
    from pydesig.solver import consequences

    out = {}
    t = time.perf_counter()
    case = load_case(str(case_path))
    out["load + validate"] = time.perf_counter() - t
    t = time.perf_counter()
    cons = consequences(case)
    out["ground + solve"] = time.perf_counter() - t
    t = time.perf_counter()
    result = build_result(case, cons, interpretation_choices(case))
    out["build result"] = time.perf_counter() - t
    t = time.perf_counter()
    render_result(result, "json")
    out["render json"] = time.perf_counter() - t
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counties", type=int, default=2844)
    ap.add_argument("--cities", type=int, default=330)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import json

    with tempfile.TemporaryDirectory() as tmp:
        case_path = Path(tmp) / "national.json"
        case = generate(args.counties, args.cities, args.years)
        case_path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
        program = Path(tmp) / "national.lp"
        with program.open("w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, "-m", "pydesig", "program", str(case_path)], check=True, stdout=fh)
        print(f"case: {len(case['regions'])} regions, {len(case['officials'])} officials, "
              f"{len(case['facts'])} fact records, {args.years} years")
        print(f"program: {program.stat().st_size / 1e6:.1f} MB of plain ASP")
        solve_s = best_of(args.repeat, [sys.executable, "-m", "pydesig", "solve", str(case_path),
                                        "--format", "json", "-o", str(Path(tmp) / "out.json")])
        clingo_s = best_of(args.repeat, [sys.executable, "-m", "clingo", str(program), "-q"])
        # What solve computes: the brave and the cautious consequences (two clingo runs).
        consequences_s = sum(best_of(args.repeat, [sys.executable, "-m", "clingo", str(program), "-q",
                                                   f"--enum-mode={mode}", "0"]) for mode in ("brave", "cautious"))
        print(f"pydesig solve (process):                   {solve_s:7.3f} s")
        print(f"clingo, one answer set:                    {clingo_s:7.3f} s   ratio {solve_s / clingo_s:5.2f}x")
        print(f"clingo, brave + cautious consequences:     {consequences_s:7.3f} s   "
              f"ratio {solve_s / consequences_s:5.2f}x")
        print("stages of pydesig solve (in one process):")
        for name, seconds in stages(case_path).items():
            print(f"  {name:28s}{seconds:7.3f} s")


if __name__ == "__main__":
    main()
