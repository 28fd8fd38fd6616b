"""Time `pydesig readings` against `pydesig solve` on the dense synthetic case, all workers.

Generates the dense profile of benchmarks/generate.py (issue 9's case: poppies in ~30 % of
county-years, discretion everywhere), then times, best of --repeat runs, each as a fresh process:

- `pydesig solve CASE --format json --workers N --quiet`
- `pydesig readings CASE --format json --workers N --quiet`

and prints both and their ratio, in wall-clock time and in CPU time (user + system of the command
and its worker processes: on a machine others share, the CPU ratio is the steadier figure).
--counties/--cities scale the national case (2,844 counties) down with the same density.

    python benchmarks/bench_readings.py [--counties 2844] [--cities 316] [--years 10] [--workers N] [--repeat 1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(repeat: int, command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the fastest of ``repeat`` runs of ``command``."""
    runs = []
    for _ in range(repeat):
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        runs.append((time.perf_counter() - start, _children_cpu() - cpu))
    return min(runs)


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
    print(f"pydesig solve    {solve[0]:8.2f} s wall {solve[1]:8.2f} s CPU")
    print(f"pydesig readings {readings[0]:8.2f} s wall {readings[1]:8.2f} s CPU")
    print(f"ratio readings/solve {readings[0] / solve[0]:.1f} wall, {readings[1] / solve[1]:.1f} CPU")


if __name__ == "__main__":
    main()
