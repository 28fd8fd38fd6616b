"""Time `pydesig readings` against `pydesig solve` on the dense synthetic case, all workers.

Generates the dense profile of benchmarks/generate.py (issue 9's case: poppies in ~30 % of
county-years, discretion everywhere), then times, best of --repeat runs, each as a fresh process:

- `pydesig solve CASE --format json --workers N --quiet`
- `pydesig readings CASE --format json --workers N --quiet`

and prints both and their ratio.  The national case (2,844 counties) takes hours for readings on 2
cores; --counties/--cities scale it down with the same density.

    python benchmarks/bench_readings.py [--counties 2844] [--cities 316] [--years 10] [--workers N] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--counties", type=int, default=2844)
    ap.add_argument("--cities", type=int, default=316)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    pydesig = str(Path(sys.executable).with_name("pydesig"))
    with tempfile.TemporaryDirectory() as tmp:
        case = Path(tmp) / "dense.json"
        doc = generate(args.counties, args.cities, args.years, profile="dense")
        case.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        common = ["--format", "json", "--workers", str(args.workers), "--quiet"]
        solve = best_of(args.repeat, [pydesig, "solve", str(case), *common])
        readings = best_of(args.repeat, [pydesig, "readings", str(case), *common])
    print(f"dense case: {args.counties} counties, {args.cities} cities, {args.years} years, "
          f"{len(doc['facts'])} fact records; workers {args.workers}")
    print(f"pydesig solve    {solve:8.2f} s")
    print(f"pydesig readings {readings:8.2f} s")
    print(f"ratio readings/solve {readings / solve:.1f}")


if __name__ == "__main__":
    main()
