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
from .engine import solve
from .errors import CaseError
from .paths import kb_dir
from .program import program_text
from .render import render_result, to_json_text
from .schema import case_schema
from .solver import NoLawfulOutcome

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
    return case_module.load_case(path, interpretations=_parse_interpretations(interpretations) or None)


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _guarded(fn):
    """Turn bad input into exit code 2 and internal faults into exit code 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (CaseError, NoLawfulOutcome) as err:
            click.echo(f"pydesig: {err}", err=True)
            sys.exit(2)
        except click.ClickException:
            raise
        except Exception as err:  # noqa: BLE001 - the last line of defence
            if os.environ.get("PYDESIG_DEBUG"):
                raise
            click.echo(f"pydesig: internal error: {type(err).__name__}: {err}", err=True)
            sys.exit(1)

    return wrapper


interpretation_option = click.option(
    "-I", "--interpretation", "interpretations", multiple=True, metavar="NAME=OPTION",
    help="Switch a named interpretation (see kb/interpretations/), e.g. -I band_upper_bound=inclusive.",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(["json", "text", "markdown", "html"]), default="text", show_default=True,
)
output_option = click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="pydesig")
def main() -> None:
    """Executable, explainable rules for China's serious drug-problem areas (Jilin 2019, Changzhou)."""


@main.command("solve")
@click.argument("case", type=click.Path(dir_okay=False))
@format_option
@output_option
@interpretation_option
@_guarded
def solve_command(case: str, fmt: str, output: str | None, interpretations: tuple[str, ...]) -> None:
    """Findings, status timeline and measures for CASE."""
    _emit(render_result(solve(_load(case, interpretations)), fmt), output)


@main.command("program")
@click.argument("case", type=click.Path(dir_okay=False))
@interpretation_option
@_guarded
def program_command(case: str, interpretations: tuple[str, ...]) -> None:
    """The plain ASP program that `solve` grounds for CASE (feed it to the clingo command line)."""
    click.echo(program_text(_load(case, interpretations)), nl=False)


@main.command("schema")
@click.option("--ruleset", type=click.Choice(["jilin-2019", "changzhou"]), default=None,
              help="Only the indicators of one instrument.")
@_guarded
def schema_command(ruleset: str | None) -> None:
    """JSON Schema of case files, every indicator described with the provision it serves."""
    click.echo(json.dumps(case_schema(ruleset), ensure_ascii=False, indent=2))


@main.command("demo")
@format_option
@_guarded
def demo_command(fmt: str) -> None:
    """Solve the shipped example cases (通化市 under the Jilin rules), end to end."""
    for path in sorted((kb_dir() / "cases").glob("*.yaml")):
        click.echo(f"=== pydesig solve kb/cases/{path.name}")
        click.echo(render_result(solve(_load(str(path))), fmt), nl=False)
        click.echo()
