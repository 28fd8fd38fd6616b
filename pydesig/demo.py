"""The tour ``pydesig demo`` gives: the shipped cases solved, then the questions analysts ask.

Each step is the command a user would type, run through the same library functions, so the demo
cannot drift from what the commands do.
"""

from __future__ import annotations

from typing import Callable, Iterator

from .readers import load_case
from .engine import solve
from .paths import kb_dir
from .render import render_result

__all__ = ["demo_steps"]

JILIN = "tonghua.yaml"
CHANGZHOU = "changzhou.yaml"


def demo_steps(fmt: str = "text", lang: str | None = None) -> Iterator[tuple[str, Callable[[], str]]]:
    """(command line, function producing its output) for every step of the tour; ``lang`` None
    tours in Chinese with one justification in English, else every step in ``lang``."""
    from explain import render, why
    from explain.api import why_not
    from explain.render import render_why_not

    cases = kb_dir() / "cases"
    jilin, changzhou = str(cases / JILIN), str(cases / CHANGZHOU)
    main, why_lang = lang or "zh", lang or "en"
    flag = f" --lang {lang}" if lang else ""
    yield (f"pydesig solve kb/cases/{JILIN}{flag}",
           lambda: render_result(solve(load_case(jilin)), fmt, main))
    yield (f"pydesig why kb/cases/{JILIN} --region 220581 --year 2019 --lang {why_lang}",
           lambda: render(why(load_case(jilin), region="220581", year=2019, lang=why_lang), "text", why_lang))
    yield (f"pydesig why-not kb/cases/{JILIN} --region 220582 --year 2019 --level notified_warning{flag}",
           lambda: render_why_not(why_not(load_case(jilin), region="220582", year=2019,
                                          level="notified_warning", lang=main), "text", main))
    yield (f"pydesig solve kb/cases/{CHANGZHOU}{flag}",
           lambda: render_result(solve(load_case(changzhou)), fmt, main))
