"""Regenerate the golden justifications (regenerate-and-review).

    .venv/bin/python tests/golden/regen.py      # rewrites tests/golden/*.txt
    git diff tests/golden/                      # review every changed sentence before committing

tests/test_explain_golden.py compares the current output of ``pydesig why`` with these files; a
change to the statements, the encodings or the renderer shows up there as a diff to read, not as
a silent change in what analysts paste into memos.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

# name → (case file, arguments of explain.why): a finding, a status in an extension year, three
# consecutive years of cultivation, an official's discipline after a failed extension, and
# Changzhou's listing measures.
GOLDEN = {
    "jilin-finding-220581-2019": ("kb/cases/tonghua.yaml", {"region": "220581", "year": 2019}),
    "jilin-status-extended-220581-2022": ("kb/cases/tonghua.yaml", {"region": "220581", "year": 2022}),
    "jilin-three-years-220521-2019": ("kb/cases/tonghua.yaml", {"region": "220521", "year": 2019}),
    "jilin-discipline-art24-zhang_wei-2020": ("kb/cases/tonghua.yaml",
                                              {"official": "zhang_wei", "year": 2020, "measure": "discipline"}),
    "jilin-discipline-art25-zhang_wei-2022": ("kb/cases/tonghua.yaml",
                                              {"official": "zhang_wei", "year": 2022, "measure": "discipline"}),
    "changzhou-status-extended-320481-2020": ("kb/cases/changzhou.yaml", {"region": "320481", "year": 2020}),
    "changzhou-creation-ineligible-320481-2019": ("kb/cases/changzhou.yaml",
                                                  {"region": "320481", "year": 2019, "measure": "creation_ineligible"}),
    "changzhou-discipline-ly_zhou-2021": ("kb/cases/changzhou.yaml",
                                          {"official": "ly_zhou", "year": 2021, "measure": "discipline"}),
}
LANGS = ("zh", "en")


def current(name: str, lang: str) -> str:
    """The justification as ``pydesig why … --lang LANG`` prints it today."""
    from explain import render, why
    from pydesig import load_case

    path, kwargs = GOLDEN[name]
    case = load_case(str(REPO / path))
    return render(why(case, lang=lang, **kwargs), "text", lang)


def golden_path(name: str, lang: str) -> Path:
    return HERE / f"{name}.{lang}.txt"


def main() -> None:
    for name in GOLDEN:
        for lang in LANGS:
            path = golden_path(name, lang)
            text = current(name, lang)
            old = path.read_text(encoding="utf-8") if path.exists() else None
            path.write_text(text, encoding="utf-8")
            print(f"{'unchanged' if old == text else 'written  '} {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
