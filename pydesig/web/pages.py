"""The pages: a case's summary, regions, officials, justifications, why-not, check, downloads.

Server-rendered with jinja2 (autoescaped; no script on any page).  The state of an analysis —
switched interpretations (``I=NAME=OPTION``) and fixed decisions (``decide=SUBJECT:YEAR:DECISION``)
— travels in the query string, so every page is a link that can be bookmarked, and the server
keeps nothing but the uploaded files (in memory, the newest few).  Ids from a case appear only in
query strings and as escaped text.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from pathlib import Path
from functools import lru_cache
from urllib.parse import quote, quote_plus, urlencode

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from ..errors import CaseError
from ..kb import knowledge_base
from ..render import environment as report_environment
from . import views, work
from .sources import CaseSource, file_source, safe_name, shipped_sources, upload_source

__all__ = ["router", "install_sources", "error_page", "case_urls"]

router = APIRouter(include_in_schema=False)
MAX_UPLOADS = 32


@lru_cache(maxsize=2)
def environment(lang: str = "zh") -> Environment:
    """The web templates, falling back to the report's (``pydesig/templates``), so that the pages
    draw the report's partials (``report/_summary.html``, ``report/_region_card.html`` …) as the
    report does: with the report's globals in ``lang`` (terms, words, provision labels and texts)."""
    env = Environment(loader=ChoiceLoader([PackageLoader("pydesig.web", "templates"),
                                           PackageLoader("pydesig", "templates")]),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    report = report_environment(lang)
    env.globals.update(report.globals)
    env.filters.update(report.filters)
    env.globals["provision"] = _provision
    return env


def _provision(citation: dict, lang: str) -> dict:
    """A cited provision's label and words in ``lang`` (the citation object carries Chinese only);
    in a justification, the clauses of it that applied (``quote``), as the text answer quotes them."""
    kb = knowledge_base()
    p = kb.get(kb.cited_id(citation))
    if citation.get("quote"):
        from explain.render import quoted_words

        return {"label": p.label if lang == "zh" else p.label_en, "text": quoted_words(citation, lang)}
    return {"label": p.label if lang == "zh" else p.label_en, "text": " ".join((p.zh if lang == "zh" else p.en).split())}


def case_urls(app, paths) -> list[str]:
    """The page of each case file named on the command line."""
    wanted = {str(Path(p).resolve()) for p in paths}
    return [f"/cases/{s.key}" for s in app.state.sources.values()
            if s.path and str(Path(s.path).resolve()) in wanted]


def install_sources(app, settings) -> None:
    """Shipped cases and the operator's cases by key; uploads go to a bounded in-memory store."""
    sources = {s.key: s for s in shipped_sources()}
    shipped = {str(Path(s.path).resolve()) for s in sources.values()}
    for name, path in settings.cases:
        if str(Path(path).resolve()) in shipped:
            continue  # a shipped case named again keeps its own page
        key = safe_name(name, "case").rsplit(".", 1)[0] or "case"
        while key in sources:
            key += "_"
        sources[key] = file_source(key, path)
    app.state.sources = sources
    app.state.uploads = OrderedDict()


class State:
    """The analysis state a page carries in its links: interpretations, decisions, language."""

    def __init__(self, request: Request):
        q = request.query_params
        self.lang = q.get("lang") if q.get("lang") in ("zh", "en") else "zh"
        self.readings = tuple(v for v in q.getlist("I") if v)
        self.decide = tuple(v for v in q.getlist("decide") if v)

    @property
    def interpretations(self) -> dict:
        out = {}
        for value in self.readings:
            name, sep, option = value.partition("=")
            if not sep or not name or not option:
                raise CaseError(f"{value!r} is not NAME=OPTION", record="-I")
            out[name.strip()] = option.strip()
        return out

    def query(self, lang: str | None = None, decide=None, **params) -> str:
        pairs = [(k, v) for k, v in params.items() if v is not None]
        pairs += [("I", v) for v in self.readings]
        pairs += [("decide", v) for v in (self.decide if decide is None else decide)]
        pairs.append(("lang", lang or self.lang))
        return urlencode(pairs, quote_via=quote_plus)


def source_of(request: Request, key: str) -> CaseSource:
    source = request.app.state.sources.get(key) or request.app.state.uploads.get(key)
    if source is None:
        raise HTTPException(404, f"no case {key!r} on this server (uploads are kept while the server runs)")
    return source


async def _cached(request: Request, fn, source: CaseSource, *args, **kwargs):
    """A library call's answer, computed once per server for the same case and options."""
    cache: dict = request.app.state.cache
    key = (fn.__name__, source.key, args, tuple(sorted(kwargs.items())))
    if key not in cache:
        value = await request.app.state.jobs.run(fn, source, *args, **kwargs)
        while len(cache) >= request.app.state.settings.cache_entries:
            cache.pop(next(iter(cache)))
        cache[key] = value
    return cache[key]


def _page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    state = State(request)
    def switch_lang(lang: str) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", lang)]
        return f"{request.url.path}?{urlencode(params, quote_via=quote_plus)}"

    html = environment(state.lang).get_template(template).render(request=request, state=state, lang=state.lang,
                                                        kb=knowledge_base(), switch_lang=switch_lang, **context)
    return HTMLResponse(html, status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return _page(request, "error.html", status=status, status_code=status, message=message)


def _case_context(request: Request, source: CaseSource, data: dict) -> dict:
    state = State(request)

    def href(page: str = "", **params) -> str:
        return f"/cases/{source.key}{'/' + page if page else ''}?{state.query(**params)}"

    def region_name(rid: str) -> str:
        known = data["regions"].get(rid)
        return f"{known['name']}（{rid}）" if known else rid

    def official_name(oid: str) -> str:
        known = data["officials"].get(oid)
        return known["name"] if known else oid

    return {"source": source, "data": data, "doc": data["doc"], "href": href, "region_name": region_name,
            "official_name": official_name, "subject_key": views.subject_key}


async def _data(request: Request, source: CaseSource, decide=None) -> dict:
    state = State(request)
    readings = tuple(sorted(state.interpretations.items()))
    return await _cached(request, work.result_doc, source, dict(readings) or None,
                         state.decide if decide is None else decide)


@router.get("/static/report.css")
async def report_css() -> Response:
    """The report's stylesheet (inlined into the report file), for the pages drawing its partials."""
    css = (Path(__file__).parent.parent / "templates" / "report" / "report.css").read_bytes()
    return Response(css, media_type="text/css; charset=utf-8")


@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    return _page(request, "index.html", sources=list(request.app.state.sources.values()),
                 uploads=list(reversed(request.app.state.uploads.values())))


@router.post("/cases")
async def upload(request: Request, case: UploadFile = File(...), tables: list[UploadFile] = File(default=[])):
    """Upload a case file (YAML, JSON, XLSX) and the facts tables it names; open its page."""
    files = [(t.filename or "facts.csv", await t.read()) for t in tables if t.filename]
    source = upload_source(case.filename or "case.yaml", await case.read(), files)
    await _cached(request, work.result_doc, source, None, ())  # refuse a bad case here, with its message
    uploads = request.app.state.uploads
    uploads[source.key] = source
    uploads.move_to_end(source.key)
    while len(uploads) > MAX_UPLOADS:
        uploads.popitem(last=False)
    return RedirectResponse(f"/cases/{source.key}", status_code=303)


@router.get("/cases/{key}", response_class=HTMLResponse)
async def case_page(request: Request, key: str) -> HTMLResponse:
    source = source_of(request, key)
    state = State(request)
    data = await _data(request, source)
    base = await _data(request, source, decide=()) if state.decide else data
    fixed = set(state.decide)
    context = _case_context(request, source, data)
    report = {k: v for k, v in data["summary"].items() if k != "doc"}  # the report's front page
    return _page(request, "case.html", **context, **report,
                 region_href=lambda rid: context["href"]("region", id=rid), timeline=views.timeline(data),
                 decisions=views.open_decisions(base), fixed=fixed,
                 changes=views.changes(base["doc"], data["doc"]) if state.decide else None,
                 interpretations=_interpretation_choices(data))


def _interpretation_choices(data: dict) -> list[dict]:
    kb = knowledge_base()
    chosen = data["doc"].get("interpretations", {})
    return [{"id": i.id, "options": i.options, "chosen": chosen.get(i.id, i.default), "default": i.default,
             "text": i.zh, "text_en": i.en}
            for i in sorted(kb.interpretations.values(), key=lambda i: i.id) if i.instrument == data["ruleset"]]


async def _report_part(request: Request, source: CaseSource, **keep) -> dict:
    """The report's context for one region's or official's entries, in the page's language."""
    state = State(request)
    report = await _cached(request, work.report_part, source, state.interpretations or None, state.decide,
                           state.lang, **keep)
    return {k: v for k, v in report.items() if k != "doc"}  # ``doc`` stays the whole result


@router.get("/cases/{key}/region", response_class=HTMLResponse)
async def region_page(request: Request, key: str, id: str) -> HTMLResponse:  # noqa: A002 - the query's name
    """A region: the report's card for it (findings, status, measures, duties, decisions, its
    officials, each with its justification), the questions to ask about it, its downloads."""
    source = source_of(request, key)
    data = await _data(request, source)
    if id not in data["regions"]:
        raise CaseError(f"no region {id!r} in this case", file=source.name)
    report = await _report_part(request, source, regions=(id,))
    return _page(request, "region.html", **_case_context(request, source, data), **report, rid=id,
                 region=data["regions"][id], view=views.region_view(data, id),
                 levels=[lv for lv in views._levels(data["ruleset"])])


@router.get("/cases/{key}/official", response_class=HTMLResponse)
async def official_page(request: Request, key: str, id: str) -> HTMLResponse:  # noqa: A002
    """An official: the report's card of their region holding only their measures, duties and
    decisions (``solve --official P``), with the justifications."""
    source = source_of(request, key)
    data = await _data(request, source)
    if id not in data["officials"]:
        raise CaseError(f"no official {id!r} in this case", file=source.name)
    report = await _report_part(request, source, officials=(id,))
    return _page(request, "official.html", **_case_context(request, source, data), **report, oid=id,
                 official=data["officials"][id], view=views.official_view(data, id))


@router.get("/cases/{key}/why", response_class=HTMLResponse)
async def why_page(request: Request, key: str, year: int, region: str | None = None, official: str | None = None,
                   measure: str | None = None) -> HTMLResponse:
    source = source_of(request, key)
    state = State(request)
    data = await _data(request, source)
    answer = await _cached(request, work.why_page, source, state.interpretations or None, region=region,
                           year=year, official=official, measure=measure, lang=state.lang)
    return _page(request, "why.html", **_case_context(request, source, data), answer=answer,
                 question={"region": region, "year": year, "official": official, "measure": measure})


@router.get("/cases/{key}/why-not", response_class=HTMLResponse)
async def why_not_page(request: Request, key: str, region: str, year: int, level: str) -> HTMLResponse:
    source = source_of(request, key)
    state = State(request)
    data = await _data(request, source)
    answer = await _cached(request, work.why_not_page, source, state.interpretations or None, region=region,
                           year=year, level=level, lang=state.lang)
    return _page(request, "why_not.html", **_case_context(request, source, data), answer=answer,
                 question={"region": region, "year": year, "level": level})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _narrowing(request: Request) -> dict:
    """``region``, ``official``, ``year`` of the query (repeatable, ids or names): the CLI's
    ``solve --region/--official/--year``, resolved and refused by the same library calls."""
    q = request.query_params
    return {"regions": tuple(q.getlist("region")), "officials": tuple(q.getlist("official")),
            "years": tuple(q.getlist("year"))}


def _download_name(source: CaseSource, what: str, narrowing: dict) -> str:
    """``tonghua.result.json``, ``tonghua.220581.result.xlsx``: the case file's stem, what was kept."""
    stem = Path(source.name).stem or source.key
    kept = [str(v) for values in narrowing.values() for v in values]
    return ".".join([stem, *kept, what])


def _attachment(body: bytes, media_type: str, filename: str, inline: bool = False) -> Response:
    """``body`` with a Content-Disposition naming ``filename`` (ASCII fallback and RFC 5987 UTF-8)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    disposition = f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(body, media_type=media_type, headers={"content-disposition": disposition})


async def _narrowed_download(request: Request, key: str, job, media_type: str, filename: str) -> Response:
    """What ``job`` (a :mod:`.work` solve) gives for the case, narrowed by ``region``/``official``/``year``
    if asked, as a download named after the case and the narrowing."""
    source = source_of(request, key)
    state = State(request)
    keep = _narrowing(request)
    data = await _cached(request, job, source, state.interpretations or None, state.decide, **keep)
    return _attachment(data.encode("utf-8") if isinstance(data, str) else data, media_type,
                       _download_name(source, filename, keep))


@router.get("/cases/{key}/result.json")
async def result_json(request: Request, key: str) -> Response:
    """``pydesig solve CASE --format json`` (narrowed by ``region``/``official``/``year`` if asked)."""
    return await _narrowed_download(request, key, work.solve_text, "application/json", "result.json")


@router.get("/cases/{key}/result.xlsx")
async def result_xlsx(request: Request, key: str) -> Response:
    """``pydesig solve CASE --format xlsx -o FILE``: the workbook (sheets findings, status, measures …)."""
    return await _narrowed_download(request, key, work.solve_xlsx, XLSX, "result.xlsx")


@router.get("/cases/{key}/report.html")
async def report(request: Request, key: str, download: bool = False) -> Response:
    """The HTML report (``pydesig solve CASE --format html --lang LANG``), self-contained: shown in the
    browser, or saved with ``download=1``."""
    source = source_of(request, key)
    state = State(request)
    text = await _cached(request, work.report_html, source, state.interpretations or None, state.decide,
                         state.lang)
    return _attachment(text.encode("utf-8"), "text/html; charset=utf-8",
                       _download_name(source, f"report.{state.lang}.html", {}), inline=not download)


@router.get("/cases/{key}/compare.html")
async def compare(request: Request, key: str) -> Response:
    """``pydesig compare CASE --format html``."""
    source = source_of(request, key)
    state = State(request)
    text = await _cached(request, work.compare_text, source, state.interpretations or None, "html")
    return HTMLResponse(text)


@router.get("/cases/{key}/readings.html")
async def readings(request: Request, key: str) -> Response:
    """``pydesig readings CASE --format html``: which conclusions hold under every reading."""
    source = source_of(request, key)
    state = State(request)
    text = await _cached(request, work.readings_text, source, state.interpretations or None, "html", state.lang)
    return HTMLResponse(text)


@router.get("/check", response_class=HTMLResponse)
async def check_page(request: Request) -> HTMLResponse:
    import json

    from .api import checks

    issues = json.loads(await checks(request, "json", State(request).lang))
    counts = {s: sum(1 for i in issues if i["severity"] == s) for s in ("error", "warning", "info")}
    return _page(request, "check.html", issues=issues, counts=counts)
