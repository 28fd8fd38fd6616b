"""How long the justifications are: steps per justification and citations per step.

Over every conclusion (finding, status and measure atom) of the shipped cases, in one lawful
outcome each, the justification as ``pydesig why`` renders it (``explain.render.linearize``):

- steps per justification: the numbered reasoning steps (evidence leaves not counted);
- citations per step: the provisions a step cites (quoted or named by label);
- characters quoted per quotation: the length of each provision quotation (「…」 with its title and
  label), which falls where a step quotes only the clause that applied.

With ``--time`` it also times explaining every conclusion (one ``Explanation`` of the case, then the
tree of every conclusion) and ``pydesig solve --format html``, best of ``--repeat``.

    python benchmarks/justification_stats.py [--time] [--repeat 3] [--lang zh] [CASE …]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from explain.api import Explanation  # noqa: E402
from explain.render import linearize  # noqa: E402
from pydesig import load_case  # noqa: E402

CASES = ("kb/cases/tonghua.yaml", "kb/cases/changzhou.yaml")
CONCLUSIONS = (("finding", 3), ("status", 3), ("measure", 4))


def conclusions(ex: Explanation) -> list[str]:
    return [a for name, arity in CONCLUSIONS for a in ex.atoms(name, arity)]


def figures(paths, lang: str) -> dict:
    steps, cites, quoted = [], [], []
    for path in paths:
        ex = Explanation(load_case(str(REPO / path)), lang)
        for atom in conclusions(ex):
            doc = linearize(ex.tree(atom), lang)
            steps.append(len(doc["steps"]))
            cites += [len(s["citations"]) + len(s["seen"]) for s in doc["steps"]]
            quoted += [len(q) for s in doc["steps"] for q in s["citations"]]
    return {"conclusions": len(steps),
            "steps": (statistics.mean(steps), max(steps)),
            "citations": (statistics.mean(cites), max(cites)),
            "quoted": (statistics.mean(quoted), max(quoted))}


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def timings(paths, lang: str, repeat: int) -> list[tuple[str, float, float]]:
    out = []
    for path in paths:
        case = load_case(str(REPO / path))

        def explain_every():
            ex = Explanation(case, lang)
            for atom in conclusions(ex):
                ex.tree(atom)

        exe = Path(sys.executable).parent / "pydesig"
        cmd = [str(exe), "solve", str(REPO / path), "--format", "html"]
        html = _best(lambda: subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL), repeat)
        out.append((path, _best(explain_every, repeat), html))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("cases", nargs="*", default=list(CASES))
    p.add_argument("--lang", default="zh", choices=("zh", "en"))
    p.add_argument("--time", action="store_true", help="also time explaining everything and the HTML report")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    f = figures(args.cases, args.lang)
    print(f"conclusions: {f['conclusions']} ({', '.join(args.cases)})")
    print(f"steps per justification: mean {f['steps'][0]:.2f}, max {f['steps'][1]}")
    print(f"citations per step:      mean {f['citations'][0]:.2f}, max {f['citations'][1]}")
    print(f"characters per quotation: mean {f['quoted'][0]:.1f}, max {f['quoted'][1]}")
    if args.time:
        for path, every, html in timings(args.cases, args.lang, args.repeat):
            print(f"{path}: explain every conclusion {every:.3f} s; pydesig solve --format html {html:.3f} s "
                  f"(best of {args.repeat})")


if __name__ == "__main__":
    main()
