"""The HTTP API: one small controller per endpoint of the contract.

Each controller reads its body (a case document and the CLI's options), runs the library call in a
worker process and answers the CLI's JSON text unchanged.  Bad input is HTTP 422 with the CLI's
one-line message (``app`` maps the errors).
"""

from __future__ import annotations

from typing import Any, Literal, Union

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ..errors import CaseError
from . import work
from .sources import document_source

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])

JSON = "application/json"
_ANSWER = {200: {"content": {JSON: {}}, "description": "the CLI's JSON for the same case and options"},
           422: {"description": 'bad input: `{"error": "<the CLI\'s one-line message>"}`'},
           413: {"description": "the body is over the server's size limit"},
           503: {"description": "the solve ran over the server's time limit"}}
Lang = Literal["zh", "en"]


class Decision(BaseModel):
    """A fixed discretionary decision, as in a case file's ``decisions`` list."""

    model_config = ConfigDict(extra="forbid")
    region: str | None = None
    official: str | None = None
    year: int
    decision: str


class CaseBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    case: Any = Field(..., description="the case document, as a JSON case file holds it (format pydesig-case/1)",
                      json_schema_extra={"type": "object"})
    interpretations: dict[str, str] = Field(default_factory=dict,
                                            description="named interpretations to switch (the CLI's -I NAME=OPTION)")


class SolveBody(CaseBody):
    decisions: list[Union[str, Decision]] = Field(
        default_factory=list, description="decisions to fix: 'SUBJECT:YEAR:DECISION' (the CLI's --decide) or objects")
    region: Union[str, list[str], None] = Field(None, description="narrow to these regions (id or name)")
    year: Union[int, list[int], None] = Field(None, description="narrow to these years")
    official: Union[str, list[str], None] = Field(None, description="narrow to these officials (id or name)")


class WhyBody(CaseBody):
    region: str | None = None
    year: int | None = None
    official: str | None = None
    measure: str | None = None
    lang: Lang = "zh"
    detail: Literal["brief", "full"] = Field("brief", description="full: every intermediate conclusion as a step")


class WhyNotBody(CaseBody):
    region: str | None = None
    year: int | None = None
    level: str | None = None
    official: str | None = None
    measure: str | None = None
    lang: Lang = "zh"


class OutcomesBody(CaseBody):
    limit: int = Field(10, ge=0, description="list at most N lawful outcomes (0: all of them)")
    count: bool = Field(False, description="also count every lawful outcome (enumerates them all)")
    decisions: list[Union[str, Decision]] = Field(default_factory=list)


class ReadingsBody(CaseBody):
    lang: Lang = "zh"


def decide_values(decisions) -> tuple[str, ...]:
    """Decisions as the CLI's ``--decide`` values, so they are checked by the same code."""
    out = []
    for d in decisions:
        if isinstance(d, Decision):
            kind = "official" if d.official is not None else "region"
            out.append(f"{kind}={getattr(d, kind)}:{d.year}:{d.decision}")
        else:
            out.append(d)
    return tuple(out)


def _json(text: str) -> Response:
    return Response(content=text.encode("utf-8"), media_type=JSON)


def _jobs(request: Request):
    return request.app.state.jobs


@router.post("/solve", responses=_ANSWER, response_class=Response,
             summary="Findings, status timeline and measures (pydesig-result/1)")
async def solve(body: SolveBody, request: Request) -> Response:
    """`pydesig solve CASE --format json`, with `-I` as `interpretations`, `--decide` as `decisions` and
    `--region/--official/--year` (by id or name, one or a list each) narrowing the result."""
    text = await _jobs(request).run(work.solve_text, document_source(body.case), body.interpretations,
                                    decide_values(body.decisions), regions=_many(body.region),
                                    officials=_many(body.official), years=_many(body.year))
    return _json(text)


def _many(value) -> tuple:
    """One value or a list of them (a repeatable CLI option) as a tuple."""
    return () if value is None else tuple(value) if isinstance(value, list) else (value,)


@router.post("/why", responses=_ANSWER, response_class=Response, summary="Cited justification tree")
async def why(body: WhyBody, request: Request) -> Response:
    """`pydesig why CASE --region R --year Y --format json` (or `--official P [--measure M]`)."""
    if body.year is None:
        raise CaseError("missing option year", field="year")
    text = await _jobs(request).run(work.why_text, document_source(body.case), body.interpretations,
                                    region=body.region, year=body.year, official=body.official,
                                    measure=body.measure, lang=body.lang, detail=body.detail)
    return _json(text)


@router.post("/why-not", responses=_ANSWER, response_class=Response, summary="Why a level was not reached")
async def why_not(body: WhyNotBody, request: Request) -> Response:
    """`pydesig why-not CASE --region R --year Y --level L --format json`, or `--official P --measure M
    [--year Y]`: why an official did not receive a measure."""
    if not (body.official or body.measure) and not (body.region and body.year is not None and body.level):
        raise CaseError("give region, year and level, or official and measure [and year]", field="region")
    text = await _jobs(request).run(work.why_not_text, document_source(body.case), body.interpretations,
                                    region=body.region, year=body.year, level=body.level, official=body.official,
                                    measure=body.measure, lang=body.lang)
    return _json(text)


@router.post("/outcomes", responses=_ANSWER, response_class=Response, summary="The lawful outcomes")
async def outcomes(body: OutcomesBody, request: Request) -> Response:
    """`pydesig outcomes CASE --format json [--limit N] [--count] [--decide …]`."""
    text = await _jobs(request).run(work.outcomes_text, document_source(body.case), body.interpretations,
                                    decide_values(body.decisions), body.limit, body.count)
    return _json(text)


@router.post("/compare", responses=_ANSWER, response_class=Response, summary="Both instruments side by side")
async def compare(body: CaseBody, request: Request) -> Response:
    """`pydesig compare CASE --format json`."""
    text = await _jobs(request).run(work.compare_text, document_source(body.case), body.interpretations)
    return _json(text)


@router.post("/readings", responses=_ANSWER, response_class=Response,
             summary="What holds under every reading of the text (pydesig-readings/1)")
async def readings(body: ReadingsBody, request: Request) -> Response:
    """`pydesig readings CASE --format json`."""
    text = await _jobs(request).run(work.readings_text, document_source(body.case), body.interpretations,
                                    "json", body.lang)
    return _json(text)


@router.get("/check", responses=_ANSWER, response_class=Response, summary="Consistency checks")
async def check(request: Request, lang: Lang = Query("zh"),
                kind: list[str] = Query([], description="only issues of these kinds (the CLI's --kind)")) -> Response:
    """`pydesig check --format json --lang LANG [--kind K …]` (computed once per server for the same
    options: the knowledge base does not change while it runs)."""
    return _json(await checks(request, "json", lang, tuple(kind)))


async def checks(request: Request, fmt: str, lang: str, kinds: tuple[str, ...] = ()) -> str:
    cache = request.app.state.check_cache
    key = (fmt, lang, kinds)
    if key not in cache:
        cache[key] = await _jobs(request).run(work.check_text, fmt, lang, kinds)
    return cache[key]


@router.get("/schema", responses=_ANSWER, response_class=Response, summary="JSON Schema of case files")
async def schema(request: Request, ruleset: Literal["jilin-2019", "changzhou"] | None = Query(None)) -> Response:
    """`pydesig schema [--ruleset R]`."""
    return _json(work.schema_text(ruleset))
