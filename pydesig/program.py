"""Which encoding files make up an instrument's program, and the plain program as text.

The program of a ruleset is ``encodings/common/*.lp`` then ``encodings/<ruleset>/*.lp`` in name
order.  ``pydesig program CASE`` prints exactly what ``solve`` grounds: these files untouched,
then the case's facts, so that the clingo command line on the output gives the same answers.
"""

from __future__ import annotations

from pathlib import Path

from .bridge import case_symbols
from .errors import one_line
from .model import Case
from .paths import encodings_dir

__all__ = ["RULESETS", "encoding_files", "program_text"]

RULESETS = ("jilin-2019", "changzhou")


def encoding_files(ruleset: str) -> list[Path]:
    if ruleset not in RULESETS:
        raise ValueError(f"unknown ruleset {ruleset!r}")
    root = encodings_dir()
    return sorted((root / "common").glob("*.lp")) + sorted((root / ruleset).glob("*.lp"))


def program_text(case: Case) -> str:
    """The plain program for ``case``: every encoding file, then the facts."""
    parts = []
    for path in encoding_files(case.ruleset):
        rel = path.relative_to(encodings_dir()).as_posix()
        parts.append(f"%%% encodings/{rel}\n{path.read_text(encoding='utf-8').rstrip()}\n")
    facts = "\n".join(f"{sym}." for sym in case_symbols(case))
    # The file name is the one piece of user text in the program: it stands in a line comment,
    # escaped so that a newline in it cannot end the comment and start program text.
    parts.append(f"%%% facts of {one_line(Path(case.path).name)}\n{facts}\n")
    return "\n".join(parts)
