"""The ``pydesig`` command line: thin click wrappers over the library.

Each command parses, calls one library function and prints.  Bad input (a case file that does
not validate, an unknown option) exits with code 2 and one line on stderr naming the file, the
record and the field; anything unexpected exits with 1, without a traceback unless
``PYDESIG_DEBUG`` is set.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from . import case as case_module
from .decisions import unlawful, with_decisions
from .engine import solve, solve_json, solve_records
from .dispatch import PartFailed
from .errors import CaseError, one_line
from .kb import knowledge_base
from .output import check_folder, emit, emit_stream
from .readers.limits import allow_facts_in
from .writers import csv_files, template_bytes, xlsx_bytes
from .program import program_text
from .progress import stderr_progress
from .render import json_chunks, render_result, to_json_text
from .result import lawful_outcomes
from .schema import case_schema
from .solver import NoLawfulOutcome
from .usage import OneLineGroup

__all__ = ["main"]


def _parse_interpretations(values: tuple[str, ...]) -> dict[str, str]:
    result = {}
    for value in values:
        name, sep, option = value.partition("=")
        if not sep or not name or not option:
            raise click.BadParameter(f"{value!r} is not NAME=OPTION", param_hint="-I/--interpretation")
        result[name.strip()] = option.strip()
    return result


def _load(path: str, interpretations: tuple[str, ...] = ()):
    case = case_module.load_case(path, interpretations=_parse_interpretations(interpretations) or None)
    # accepted, but said (a handover year, a fact after an official left): on stderr once the command
    # has succeeded (see _guarded), so that bad input still gets its one line and nothing else
    ctx = click.get_current_context(silent=True)
    if ctx is not None and case.warnings:
        ctx.find_root().meta.setdefault("pydesig.warnings", []).extend(w["text"] for w in case.warnings)
    return case


def _inputs(case) -> tuple[str, ...]:
    """The files a command read for ``case``: the case file and any table it names."""
    if case is None:
        return ()
    if isinstance(case, (str, os.PathLike)):
        return (str(case),)
    return (case.path, *getattr(case, "sources", ()))


def _emit(text: str | bytes, output: str | None, case=None) -> None:
    """Print ``text`` unchanged or write it atomically to ``output`` (never over an input)."""
    emit(text, output, inputs=_inputs(case))


def _guarded(fn):
    """Turn bad input into exit code 2 and internal faults into exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            if kwargs.get("output"):
                check_folder(kwargs["output"])
            done = fn(*args, **kwargs)
            ctx = click.get_current_context(silent=True)
            for text in (ctx.find_root().meta.pop("pydesig.warnings", []) if ctx is not None else []):
                click.echo(f"pydesig: warning: {one_line(text)}", err=True)
            return done
        except (CaseError, NoLawfulOutcome) as err:
            click.echo(f"pydesig: {one_line(str(err))}", err=True)
            sys.exit(2)
        except PartFailed as err:
            click.echo(f"pydesig: {one_line(str(err))}", err=True)
            sys.exit(1)
        except click.ClickException:
            raise
        except Exception as err:  # noqa: BLE001 - the last line of defence
            if os.environ.get("PYDESIG_DEBUG"):
                raise
            click.echo(one_line(f"pydesig: internal error: {type(err).__name__}: {err}"), err=True)
            sys.exit(1)

    return wrapper


decide_option = click.option(
    "--decide", "decide", multiple=True, metavar="SUBJECT:YEAR:DECISION",
    help="Fix a discretionary decision (repeatable); the subject is a region or official by id or name, "
         "e.g. --decide 220581:2022:extend, --decide 张伟:2022:discipline.",
)
interpretation_option = click.option(
    "-I", "--interpretation", "interpretations", multiple=True, metavar="NAME=OPTION",
    help="Switch a named interpretation (see kb/interpretations/), e.g. -I band_upper_bound=inclusive.",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["json", "text", "markdown", "html"]), default="text", show_default=True,
)
output_option = click.option("-o", "--output", type=click.Path(), help="Write to FILE instead of stdout.")
lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           help="Language of the prose: terms of the law, provision labels and texts, headings.")


def parts_options(fn):
    """``--workers``, ``--scheduler``, ``--whole``, ``--quiet``: how the parts of the case are run
    (pydesig.parts, pydesig.dispatch), the same on every command that solves.  The command receives
    them as ``run``, the keyword arguments of the library functions it calls."""

    @click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
                  help="Processes to solve the parts on (default: the machine's cores; 1: in this process). "
                       "The output is the same for every N.")
    @click.option("--scheduler", metavar="ADDRESS",
                  help="Solve the parts on the Dask distributed cluster at ADDRESS, e.g. tcp://10.0.0.5:8786 "
                       "(pip install 'pydesig[dask]').")
    @click.option("--whole", is_flag=True,
                  help="Solve the case as one program instead of part by part (the reference the parts match "
                       "byte for byte).")
    @click.option("--quiet", "-q", is_flag=True, help="No progress line on stderr.")
    @functools.wraps(fn)
    def wrapper(*args, workers, scheduler, whole, quiet, **kwargs):
        run = {"workers": workers, "scheduler": scheduler, "whole": whole, "progress": stderr_progress(quiet)}
        return fn(*args, run=run, **kwargs)

    return wrapper


@click.group(cls=OneLineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pydesig")
@click.option("--facts-root", "facts_roots", multiple=True, type=click.Path(file_okay=False), metavar="DIR",
              help="Also read facts tables that lie in DIR (repeatable; default: only the case file's folder).")
def main(facts_roots: tuple[str, ...] = ()) -> None:
    """Executable, explainable rules for China's serious drug-problem areas (Jilin 2019, Changzhou)."""
    allow_facts_in(facts_roots)


@main.command("solve")
@click.argument("case", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "jsonl", "text", "markdown", "html", "xlsx", "csv"]),
              default="text", show_default=True,
              help="jsonl: a header line, then one JSON object per finding, status, measure … ; "
                   "xlsx: a workbook (-o FILE); csv: one CSV file per table, UTF-8 with BOM (-o DIR).")
@click.option("-o", "--output", type=click.Path(), help="Write to FILE (a folder for --format csv) instead of stdout.")
@click.option("--region", "-r", "regions", multiple=True, metavar="REGION",
              help="Keep only this region (id or name) and its officials; repeatable.")
@click.option("--official", "-p", "officials", multiple=True, metavar="OFFICIAL",
              help="Keep only this official (id or name); repeatable.")
@click.option("--year", "-y", "years", multiple=True, type=int, metavar="YEAR",
              help="Keep only this year; repeatable.")
@click.option("--reading-marks/--no-reading-marks", default=True, show_default=True,
              help="html: mark the conclusions that hinge on a reading of the text (solves every relevant "
                   "combination of readings; on a large dense case --no-reading-marks gives the report "
                   "without them, and `pydesig readings` answers the question separately).")
@lang_option
@interpretation_option
@decide_option
@parts_options
@_guarded
def solve_command(case: str, fmt: str, output: str | None, regions: tuple[str, ...], officials: tuple[str, ...],
                  years: tuple[int, ...], reading_marks: bool, lang: str, interpretations: tuple[str, ...],
                  decide: tuple[str, ...], run: dict) -> None:
    """Findings, status timeline and measures for CASE.

    Text and markdown give one section per region (its findings, status, measures and officials);
    html is the report (summary, a card per region, justifications with their provisions, a print
    layout); xlsx a workbook, csv one table per file.  --region/--official/--year narrow the result,
    JSON keeping its shape: a region keeps its own entries and those of its officials; a measure
    keeps only the selected years (see pydesig/narrow.py).  jsonl is not narrowed.

    \b
    Examples:
      pydesig solve kb/cases/tonghua.yaml
      pydesig solve kb/cases/tonghua.yaml --region 梅河口市 --year 2020 --year 2021
      pydesig solve kb/cases/tonghua.yaml --official 张伟 --format json
      pydesig solve kb/cases/tonghua.yaml --format html --lang en -o report.html
      pydesig solve kb/cases/tonghua.yaml --format xlsx -o 通化.xlsx
      pydesig solve kb/cases/tonghua.yaml --format csv -o tonghua-tables/
    """
    from .narrow import narrow, selection

    if fmt == "csv" and not output:
        raise click.UsageError("--format csv writes one file per table: give -o DIR")
    if fmt == "xlsx" and not output and sys.stdout.isatty():
        raise click.UsageError("--format xlsx writes a workbook: give -o FILE.xlsx")
    loaded = with_decisions(_load(case, interpretations), decide)
    keep = selection(loaded, regions=regions, officials=officials, years=years)
    if fmt == "jsonl" and any(keep.values()):
        raise click.UsageError("--region/--official/--year narrow json, text, markdown and html, not jsonl")
    try:
        if fmt == "jsonl":  # written as the parts finish
            lines = (json.dumps(record, ensure_ascii=False) + "\n" for record in solve_records(loaded, **run))
            emit_stream(lines, output, inputs=_inputs(loaded))
            return
        if fmt == "json" and not any(keep.values()):  # the whole result, written as the parts encoded it
            emit_stream(solve_json(loaded, **run), output, inputs=_inputs(loaded))
            return
        result = solve(loaded, **run)
    except NoLawfulOutcome as err:
        raise unlawful(loaded, err, run) from None
    result = narrow(result, **keep)
    if fmt == "json":  # piece by piece: a national result is hundreds of megabytes
        emit_stream(json_chunks(result.to_json()), output, inputs=_inputs(loaded))
    elif fmt == "csv":
        _emit_tables(csv_files(result), output, loaded)
    elif fmt == "xlsx":
        _emit(xlsx_bytes(result), output, loaded)
    else:
        _emit(render_result(result, fmt, lang, reading_marks=reading_marks, run=run), output, loaded)


def _emit_tables(files: dict[str, bytes], folder: str, case) -> None:
    """Write each table into ``folder`` (created if its parent exists), each file atomically."""
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise CaseError("cannot write the tables: not a folder", file=folder, field="-o")
    if not target.exists():
        if not target.parent.is_dir():
            raise CaseError(f"cannot write the tables: the folder {str(target.parent)!r} does not exist",
                            file=folder, field="-o")
        target.mkdir()
    for name, data in files.items():
        _emit(data, str(target / name), case)


@main.command("template")
@click.option("--ruleset", type=click.Choice(["jilin-2019", "changzhou"]), required=True)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option("-o", "--output", type=click.Path(), required=True,
              help="The workbook (or CSV facts table) to write.")
@_guarded
def template_command(ruleset: str, fmt: str, output: str) -> None:
    """An empty case for analysts to fill in: a workbook with sheets case, regions (from the
    gazetteer), officials and facts (one column per indicator, Chinese and id headers, the
    provision each serves as a comment, data validation), or the facts table as CSV.

    \b
    Examples:
      pydesig template --ruleset jilin-2019 -o 事实表.xlsx
      pydesig template --ruleset changzhou --format csv -o facts.csv
    """
    _emit(template_bytes(ruleset, fmt), output)


@main.command("outcomes")
@click.argument("case", type=click.Path(dir_okay=False))
@click.option("--limit", type=click.IntRange(min=0), default=10, show_default=True,
              help="List at most N lawful outcomes (0: all of them).")
@click.option("--count", is_flag=True, help="Also count every lawful outcome (enumerates them all).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
@lang_option
@interpretation_option
@decide_option
@parts_options
@_guarded
def outcomes_command(case: str, limit: int, count: bool, fmt: str, output: str | None, lang: str,
                     interpretations: tuple[str, ...], decide: tuple[str, ...], run: dict) -> None:
    """The lawful outcome combinations for CASE: first the open decisions (可以, 视情, 或者) with
    the lawful options of each, then the decisions every outcome takes, then a few outcomes
    (--limit; --count counts them all).  --decide fixes some and lists what remains open.

    \b
    Examples:
      pydesig outcomes kb/cases/tonghua.yaml --limit 5
      pydesig outcomes kb/cases/tonghua.yaml --decide 梅河口市:2022:extend --lang en
    """
    loaded = with_decisions(_load(case, interpretations), decide)
    try:
        doc = lawful_outcomes(loaded, limit, count=count, **run)
    except NoLawfulOutcome as err:
        raise unlawful(loaded, err, run) from None
    _emit(to_json_text(doc) if fmt == "json" else _outcomes_text(doc, loaded, lang), output, loaded)


def _outcomes_text(doc: dict, case, lang: str = "zh") -> str:
    kb = knowledge_base()

    def name(subject: dict) -> str:
        kind, ident = next(iter(subject.items()))
        known = case.regions.get(ident) if kind == "region" else case.officials.get(ident)
        return f"{ident} {known.name}" if known else ident

    def line(d: dict, described: bool = False) -> str:
        text = f"{name(d['subject'])} {d['year']} {d['decision']}"
        return f"{text} ({kb.term('decisions', d['decision'], lang)})" if described else text

    opened = [f"  {name(p['subject'])} {p['year']}: " + " | ".join(
        f"{o['decision']} ({kb.term('decisions', o['decision'], lang)})" for o in p["options"]) for p in doc["open"]]
    common = [line(d, described=True) for d in doc["in_every_outcome"]]
    shared = {json.dumps(d, sort_keys=True) for d in doc["in_every_outcome"]}
    listed = len(doc["outcomes"])
    if "count" in doc:
        summary = f"lawful outcomes: {doc['count']}" + ("" if doc["complete"] else f", {listed} listed")
    else:
        summary = f"lawful outcomes: {listed}" + ("" if doc["complete"] else
                                                  " listed (more exist; --limit 0 lists all, --count counts them)")
    lines = [f"{kb.vocabulary['instruments'][doc['ruleset']][lang]} — {doc['title']}",
             f"open decisions ({len(opened)}):", *(opened or ["  (none)"]),
             f"decisions in every lawful outcome ({len(common)}):", *[f"  {c}" for c in common or ["(none)"]],
             summary]
    for i, outcome in enumerate(doc["outcomes"], 1):
        varying = [line(d) for d in outcome["decisions"] if json.dumps(d, sort_keys=True) not in shared]
        lines.append(f"  {i}. " + ("; ".join(varying) if varying else "(no further decision)"))
    return "\n".join(lines) + "\n"


@main.command("program")
@click.argument("case", type=click.Path(dir_okay=False))
@output_option
@interpretation_option
@_guarded
def program_command(case: str, output: str | None, interpretations: tuple[str, ...]) -> None:
    """The plain ASP program that `solve` grounds for CASE (feed it to the clingo command line).

    \b
    Examples:
      pydesig program kb/cases/tonghua.yaml -o tonghua.lp && clingo tonghua.lp --enum-mode=cautious 0
    """
    loaded = _load(case, interpretations)
    _emit(program_text(loaded), output, loaded)


@main.command("schema")
@click.option("--ruleset", type=click.Choice(["jilin-2019", "changzhou"]), default=None,
              help="Only the indicators of one instrument.")
@output_option
@_guarded
def schema_command(ruleset: str | None, output: str | None) -> None:
    """JSON Schema of case files, every indicator described with the provision it serves.

    \b
    Examples:
      pydesig schema --ruleset jilin-2019 -o case.schema.json
    """
    _emit(json.dumps(case_schema(ruleset), ensure_ascii=False, indent=2) + "\n", output)


@main.command("demo")
@format_option
@output_option
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of every step (default: Chinese, with one justification in English).")
@_guarded
def demo_command(fmt: str, output: str | None, lang: str | None) -> None:
    """The shipped examples end to end: 通化市 under the Jilin rules (solve, why, why-not) and
    常州市 under the Changzhou responsibility system.

    \b
    Examples:
      pydesig demo
      pydesig demo --lang en -o tour.txt
    """
    from .demo import demo_steps

    steps = demo_steps(fmt, lang)
    if output:
        _emit("".join(f"=== {command}\n{produce()}\n" for command, produce in steps), output)
    else:
        for command, produce in steps:
            _emit(f"=== {command}\n{produce()}\n", None)


tree_format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                                  show_default=True)


@main.command("why")
@click.argument("case", type=click.Path(dir_okay=False))
@click.option("--region", "-r", help="Region id or name (220581 or 梅河口市).")
@click.option("--year", "-y", type=int, help="Omit for every year: a region's timeline, or every year of the measure.")
@click.option("--official", "-p", help="Explain a measure attached to this official (id or name) instead.")
@click.option("--measure", "-m", help="Measure id (notified_criticism, no_promotion, discipline …).")
@click.option("--detail", type=click.Choice(["brief", "full"]), default="brief", show_default=True,
              help="full: every intermediate conclusion of the encodings as a step of its own.")
@lang_option
@tree_format_option
@output_option
@interpretation_option
@parts_options
@_guarded
def why_command(case, region, year, official, measure, detail, lang, fmt, output, interpretations, run):
    """Cited justification of REGION's finding and status in YEAR (or of a measure).

    \b
    Examples:
      pydesig why kb/cases/tonghua.yaml --region 梅河口市 --year 2019
      pydesig why kb/cases/tonghua.yaml --official 张伟 --year 2020 --measure discipline --lang en
    """
    from explain import render, why

    if not region and not official:
        raise click.UsageError("give --region R (finding/status) or --official P (measures)")
    loaded = _load(case, interpretations)
    tree = why(loaded, region=region, year=year, official=official, measure=measure, lang=lang, detail=detail,
               whole=run["whole"], readings=True)
    _emit(render(tree, fmt, lang), output, loaded)


@main.command("why-not")
@click.argument("case", type=click.Path(dir_okay=False))
@click.option("--region", "-r", help="Region id or name (220581 or 梅河口市).")
@click.option("--year", "-y", type=int, help="Required with --region; with --official, omit for every year.")
@click.option("--level", "-l",
              help="A level of the case's instrument, by id or name: notified_warning or 通报警示 (Jilin); "
                   "key_rectification or 重点整治 (Changzhou).")
@click.option("--official", "-p", help="Why this official (id or name) did not receive --measure.")
@click.option("--measure", "-m", help="Measure id (discipline, no_promotion …), with --official.")
@lang_option
@tree_format_option
@output_option
@interpretation_option
@parts_options
@_guarded
def why_not_command(case, region, year, level, official, measure, lang, fmt, output, interpretations, run):
    """Why REGION was not at LEVEL in YEAR: each rule that could have given it and what failed;
    or why OFFICIAL did not receive MEASURE (--official P --measure M [--year Y]).

    \b
    Examples:
      pydesig why-not kb/cases/tonghua.yaml --region 集安市 --year 2019 --level 通报警示
      pydesig why-not kb/cases/changzhou.yaml --region 320481 --year 2020 --level key_rectification --lang en
      pydesig why-not kb/cases/tonghua.yaml --official 张伟 --measure discipline --lang en
    """
    from explain.api import why_not
    from explain.render import render_why_not

    if not (official or measure) and not (region and year is not None and level):
        raise click.UsageError("give --region R --year Y --level L, or --official P --measure M [--year Y]")
    loaded = _load(case, interpretations)
    doc = why_not(loaded, region=region, year=year, level=level, official=official, measure=measure, lang=lang,
                  whole=run["whole"])
    _emit(render_why_not(doc, fmt, lang), output, loaded)


@main.command("check")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only issues of this kind (repeatable), e.g. --kind circular-rule --kind counting-bases; "
                   "kinds are listed in docs/checks.md.")
@lang_option
@output_option
@_guarded
def check_command(fmt: str, kinds: tuple[str, ...], lang: str, output: str | None) -> None:
    """Consistency checks within each rule set and between them (thresholds, terms, delegation,
    reachability, deontic conflicts, circularity, overlapping triggers, counting bases, uncovered
    inputs, timing, the crosswalk); see docs/checks.md.

    \b
    Examples:
      pydesig check --kind circular-rule --lang en
      pydesig check --format html -o check.html
    """
    from .checks import KINDS
    from .checks.cache import shipped_issues
    from .checks.report import render_check

    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise click.BadParameter(f"unknown kind {unknown[0]!r}; known: {', '.join(KINDS)}", param_hint="--kind")
    _emit(render_check(shipped_issues(set(kinds) or None), fmt, lang=lang), output)


@main.command("compare")
@click.argument("case", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@output_option
@lang_option
@interpretation_option
@parts_options
@_guarded
def compare_command(case: str, fmt: str, output: str | None, lang: str, interpretations: tuple[str, ...],
                    run: dict) -> None:
    """CASE under both rule sets through kb/crosswalk.yaml, side by side, differences marked.

    \b
    Examples:
      pydesig compare kb/cases/tonghua.yaml
      pydesig compare kb/cases/changzhou.yaml --format html --lang en -o compare.html
    """
    from .compare import compare, render_compare

    loaded = _load(case, interpretations)
    _emit(render_compare(compare(loaded, run=run), fmt, loaded, lang), output, loaded)


@main.command("graph")
@click.argument("case", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["graphml", "dot"]), default="graphml", show_default=True)
@click.option("--scope", type=click.Choice(["full", "conclusions"]), default="full", show_default=True,
              help="full: every atom and rule instance; conclusions: findings, statuses, measures and the "
                   "provisions they rest on (the graph the HTML report draws).")
@click.option("--region", "-r", help="Only the part of the case that holds this region.")
@click.option("--official", "-p", help="Only the part of the case that holds this official.")
@lang_option
@output_option
@interpretation_option
@decide_option
@parts_options
@_guarded
def graph_command(case, fmt, scope, region, official, lang, output, interpretations, decide, run):
    """The derivation graph of CASE (one lawful outcome) as GraphML or Graphviz DOT; with --region or
    --official, of the part of the case that holds it (pydesig.parts).

    \b
    Examples:
      pydesig graph kb/cases/tonghua.yaml --scope conclusions --format dot -o tonghua.dot
    """
    from explain.api import Explanation
    from explain.report import conclusion_graph, export_graph, graphml_text, to_dot

    from .parts import part_of

    loaded = with_decisions(_load(case, interpretations), decide)
    if (region or official) and not run["whole"]:
        loaded = part_of(loaded, region=region, official=official)
    ex = Explanation(loaded, lang)
    graph = export_graph(ex) if scope == "full" else _plain_conclusions(conclusion_graph([ex], lang))
    _emit(graphml_text(graph) if fmt == "graphml" else to_dot(graph, Path(case).stem), output, loaded)


def _plain_conclusions(graph):
    """The conclusion graph with string attributes only (GraphML takes no sets or lists)."""
    import networkx as nx

    out = nx.DiGraph()
    for n in sorted(graph.nodes):
        out.add_node(n, **{k: str(v) for k, v in graph.nodes[n].items()})
    out.add_edges_from(sorted(graph.edges))
    return out


@main.command("readings")
@click.argument("case", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@lang_option
@output_option
@interpretation_option
@parts_options
@_guarded
def readings_command(case: str, fmt: str, lang: str, output: str | None, interpretations: tuple[str, ...],
                     run) -> None:
    """Which conclusions of CASE hold under every reading of the text, and which hinge on one.

    Every named interpretation that can touch the case is varied (those fixed with -I or in the
    case file stay fixed); a conclusion holds under a combination of readings when some lawful
    outcome has it.

    \b
    Examples:
      pydesig readings kb/cases/tonghua.yaml --format json
      pydesig readings kb/cases/tonghua.yaml --format html --lang en -o readings.html
    """
    from .readings import readings
    from .readings_render import render_readings

    loaded = _load(case, interpretations)
    _emit(render_readings(readings(loaded, **run), fmt, loaded, lang), output, loaded)


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command("serve")
@click.argument("cases", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; anything but loopback exposes the app to the network (warned on stderr).")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--time-limit", type=click.FloatRange(min=1), default=120, show_default=True,
              help="Seconds one solve may take before it is stopped (HTTP 503).")
@click.option("--max-body", type=click.IntRange(min=1024), default=8 * 1024 * 1024, show_default=True,
              help="Largest request body in bytes (HTTP 413 above it).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Solves run at once (default: cores).")
def serve_command(cases, host, port, time_limit, max_body, workers):
    """The local web app and HTTP API (needs the web extra: pip install 'pydesig[web]').

    CASES are case files to offer besides the shipped ones; open http://127.0.0.1:8765/ (the API
    is described at /docs).

    \b
    Examples:
      pydesig serve kb/cases/tonghua.yaml
      pydesig serve --port 9000 my-case.yaml
    """
    try:
        import uvicorn

        from .web import Settings, create_app
    except ImportError as err:
        raise click.UsageError(f"the web app needs the web extra (pip install 'pydesig[web]'): {err}")
    settings = Settings(time_limit=time_limit, max_body=max_body, cases=tuple((Path(c).name, c) for c in cases),
                        **({"workers": workers} if workers else {}))
    loopback = host in _LOOPBACK
    if not loopback:
        click.echo(f"pydesig: warning: serving on {host}, reachable from the network; the app has no login",
                   err=True)
    app = create_app(settings, allowed_hosts=[*_LOOPBACK, "[::1]"] if loopback else None)
    from .web.pages import case_urls

    root = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    click.echo(f"pydesig: serving on {root}/ (Ctrl-C stops)", err=True)
    for url in case_urls(app, cases):
        click.echo(f"pydesig: open {root}{url}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")
