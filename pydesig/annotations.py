"""Which provision each rule of the encodings encodes, read from the files' comment headers.

An encoding file marks its rule groups with ``% provision: <id> [<id> …]`` and, where a group
rests on a reading the text leaves open, ``% interpretation: <name> …``.  A provision header holds
until the next one; an interpretation header holds until the next provision header.  A purely
structural rule (the region hierarchy) stands under ``% helper: <why>`` instead.  The rules
themselves are found with clingo's parser (``clingo.ast``), so the encodings stay plain ASP and
the link from a rule to its provision is data, not a convention in a regex over rule text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from clingo import ast

from .paths import encodings_dir
from .program import encoding_files

__all__ = ["RuleSite", "rule_sites", "sites_of", "provision_headers"]

_HEADER = re.compile(r"^%\s*(provision|interpretation|helper):\s*(.+?)\s*$")


@dataclass(frozen=True)
class RuleSite:
    """One rule of an encoding file with the provisions and interpretations it encodes."""

    file: str  # relative to encodings/
    line: int
    provisions: tuple[str, ...]
    interpretations: tuple[str, ...]
    helper: str | None  # why a structural rule cites no provision
    text: str
    statement: object  # the clingo AST node


def provision_headers(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, kind, names) for every header comment of an encoding file."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = _HEADER.match(line.strip())
        if m:
            out.append((number, m[1], tuple(m[2].split())))
    return out


def _scope(headers, line: int):
    provisions: tuple[str, ...] = ()
    interpretations: tuple[str, ...] = ()
    helper = None
    for number, kind, names in headers:
        if number > line:
            break
        if kind == "provision":
            provisions, interpretations, helper = names, (), None
        elif kind == "helper":
            provisions, interpretations, helper = (), (), " ".join(names)
        else:
            interpretations = interpretations + names
    return provisions, interpretations, helper


def sites_of(files, root: Path) -> tuple[RuleSite, ...]:
    """Every rule (not directives such as #show or #defined) of ``files``, named relative to
    ``root``, with the provisions and interpretations its header comments name."""
    sites: list[RuleSite] = []
    for path in files:
        headers = provision_headers(path)
        statements: list = []
        ast.parse_files([str(path)], statements.append)
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            rel = path.name
        for stm in statements:
            if stm.ast_type != ast.ASTType.Rule:
                continue
            line = stm.location.begin.line
            provisions, interpretations, helper = _scope(headers, line)
            sites.append(RuleSite(rel, line, provisions, interpretations, helper, str(stm), stm))
    return tuple(sites)


@lru_cache(maxsize=None)
def rule_sites(ruleset: str) -> tuple[RuleSite, ...]:
    """Every rule of the ruleset's program."""
    return sites_of(encoding_files(ruleset), encodings_dir())
