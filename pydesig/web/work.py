"""The library calls behind each endpoint and page, as the CLI makes them.

Every function takes a :class:`~pydesig.web.sources.CaseSource` and plain options and returns
what the CLI prints for the same case and options (the JSON text, byte for byte) or, for pages,
plain data; they run in a child process (``jobs``), so they take and return picklable values.
Importing this module reads ``kb/`` once, so that the forkserver's warm process starts every job
with the knowledge base loaded.
"""

from __future__ import annotations

import json

from ..decisions import unlawful, with_decisions
from ..engine import solve
from ..errors import CaseError
from ..kb import knowledge_base
from ..narrow import narrow, selection
from ..render import render_result, to_json_text
from ..schema import case_schema
from ..solver import NoLawfulOutcome
from ..writers import xlsx_bytes
from .sources import CaseSource

__all__ = ["solve_text", "solve_xlsx", "report_part", "why_text", "why_not_text", "outcomes_text", "compare_text", "check_text",
           "schema_text", "readings_text", "result_doc", "report_html", "why_page", "why_not_page"]

# Each job is one process of the server's pool; it solves the parts of its case one after another
# (pydesig.dispatch in-process), which gives the same bytes as any other number of workers.
RUN = {"workers": 1, "scheduler": None, "whole": False, "progress": None}


def _case(source: CaseSource, interpretations: dict | None, decisions=()):
    return with_decisions(source.load(interpretations), tuple(decisions or ()))


def _solved(case):
    try:
        return solve(case, **RUN)
    except NoLawfulOutcome as err:
        raise unlawful(case, err, RUN) from None


def _result(source: CaseSource, interpretations=None, decisions=(), regions=(), officials=(), years=()):
    """``pydesig solve CASE [-I …] [--decide …] [--region R …] [--official P …] [--year Y …]``: the
    result, narrowed as the CLI narrows it (the same library calls in the same order)."""
    case = _case(source, interpretations, decisions)
    keep = selection(case, regions=regions, officials=officials, years=years)
    return narrow(_solved(case), **keep)


def solve_text(source: CaseSource, interpretations=None, decisions=(), fmt: str = "json", lang: str = "zh", *,
               regions=(), officials=(), years=()) -> str:
    """``pydesig solve CASE --format FMT --lang LANG [-I …] [--decide …] [--region …]``."""
    return render_result(_result(source, interpretations, decisions, regions, officials, years), fmt, lang)


def solve_xlsx(source: CaseSource, interpretations=None, decisions=(), *, regions=(), officials=(),
               years=()) -> bytes:
    """``pydesig solve CASE --format xlsx -o FILE``: the workbook's bytes."""
    return xlsx_bytes(_result(source, interpretations, decisions, regions, officials, years))


def report_part(source: CaseSource, interpretations=None, decisions=(), lang: str = "zh", *, regions=(),
                officials=()) -> dict:
    """The report's context (:func:`explain.report.report_context`: sections, justifications, graphs,
    provisions) for the result narrowed to some regions or officials, as ``solve --region R
    --format html`` builds it, reading marks included (the readings of the region's or official's
    part alone): a region's or an official's page draws its card with it."""
    from explain.report import report_context

    return report_context(_result(source, interpretations, decisions, regions, officials), lang)


def result_doc(source: CaseSource, interpretations=None, decisions=()) -> dict:
    """The result JSON as data, with the case's names, for the pages; ``summary``: what the report's
    front page draws (:func:`explain.report.summary_context`), for the case page's summary, which is
    the same partial, ``report/_summary.html``."""
    from explain.report import summary_context

    case = _case(source, interpretations, decisions)
    result = _solved(case)
    doc = result.to_json()
    return {"doc": json.loads(json.dumps(doc)), "summary": summary_context(result), "ruleset": case.ruleset,
            "regions": {r.id: {"name": r.name, "kind": r.kind, "parent": r.parent} for r in case.regions.values()},
            "officials": {o.id: {"name": o.name, "region": o.region, "role": o.role, "since": o.since,
                                 "until": o.until} for o in case.officials.values()},
            "years": list(case.years) if case.years else None}


def report_html(source: CaseSource, interpretations=None, decisions=(), lang: str = "zh") -> str:
    """``pydesig solve CASE --format html --lang LANG``: the self-contained report."""
    return solve_text(source, interpretations, decisions, "html", lang)


def _tree(source, interpretations, region, year, official, measure, lang, detail="brief"):
    from explain import why

    if not region and not official:
        raise CaseError("give region (finding/status) or official (measures)", file=source.name)
    return why(source.load(interpretations), region=region, year=year, official=official, measure=measure,
               lang=lang, detail=detail, whole=False, readings=True)


def why_text(source: CaseSource, interpretations=None, *, region=None, year=None, official=None, measure=None,
             lang: str = "zh", detail: str = "brief", fmt: str = "json") -> str:
    """``pydesig why CASE --region R --year Y`` (or ``--official P [--measure M]``) ``--format FMT``."""
    from explain import render

    return render(_tree(source, interpretations, region, year, official, measure, lang, detail), fmt, lang)


def why_page(source: CaseSource, interpretations=None, *, region=None, year=None, official=None, measure=None,
             lang: str = "zh") -> dict:
    """The why tree drawn as the report draws a justification (tree and graph,
    :func:`explain.report.justification_context`), and its text rendering, for the justification page."""
    from explain import render
    from explain.report import justification_context

    tree = _tree(source, interpretations, region, year, official, measure, lang)
    return {**justification_context(tree, lang), "text": render(tree, "text", lang)}


def _why_not(source, interpretations, region, year, level, lang, official=None, measure=None):
    from explain.api import why_not

    return why_not(source.load(interpretations), region=region, year=year, level=level, official=official,
                   measure=measure, lang=lang, whole=False)


def why_not_text(source: CaseSource, interpretations=None, *, region=None, year=None, level=None,
                 official=None, measure=None, lang: str = "zh", fmt: str = "json") -> str:
    """``pydesig why-not CASE --region R --year Y --level L --format FMT``, or ``--official P
    --measure M [--year Y]``."""
    from explain.render import render_why_not

    return render_why_not(_why_not(source, interpretations, region, year, level, lang, official, measure), fmt, lang)


def why_not_page(source: CaseSource, interpretations=None, *, region=None, year=None, level=None,
                 lang: str = "zh") -> dict:
    from explain.render import render_why_not

    doc = _why_not(source, interpretations, region, year, level, lang)
    return {"doc": doc, "text": render_why_not(doc, "text", lang)}


def outcomes_text(source: CaseSource, interpretations=None, decisions=(), limit: int = 10, count: bool = False) -> str:
    """``pydesig outcomes CASE --format json [--limit N] [--count] [--decide …]``."""
    from ..outcomes import lawful_outcomes

    case = _case(source, interpretations, decisions)
    try:
        return to_json_text(lawful_outcomes(case, limit, count=count, **RUN))
    except NoLawfulOutcome as err:
        raise unlawful(case, err, RUN) from None


def compare_text(source: CaseSource, interpretations=None, fmt: str = "json") -> str:
    """``pydesig compare CASE --format FMT``."""
    from ..compare import compare, render_compare

    case = source.load(interpretations)
    return render_compare(compare(case, run=RUN), fmt, case)


def check_text(fmt: str = "json", lang: str = "zh", kinds: tuple[str, ...] = ()) -> str:
    """``pydesig check --format FMT --lang LANG [--kind K …]``."""
    from ..checks import KINDS
    from ..checks.cache import shipped_issues
    from ..checks.report import render_check

    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise CaseError(f"unknown kind {unknown[0]!r}; known: {', '.join(KINDS)}", field="kind")
    return render_check(shipped_issues(set(kinds) or None), fmt, lang=lang)


def readings_text(source: CaseSource, interpretations=None, fmt: str = "json", lang: str = "zh") -> str:
    """``pydesig readings CASE --format FMT --lang LANG``."""
    from ..readings import readings
    from ..readings_render import render_readings

    case = source.load(interpretations)
    return render_readings(readings(case), fmt, case, lang)


def schema_text(ruleset: str | None = None) -> str:
    """``pydesig schema [--ruleset R]`` (click.echo adds the final newline)."""
    return json.dumps(case_schema(ruleset), ensure_ascii=False, indent=2) + "\n"


knowledge_base()  # warm: jobs fork from the process that imported this module
