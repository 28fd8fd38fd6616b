"""Sentences for atoms, in Chinese and English, from ``explain/templates/statements.yaml``.

Each predicate has one jinja2 template per language over the atom's arguments; names of regions
and officials come from the case, names of levels, measures, roles and indicators from ``kb/``.
A predicate without a template is stated as the atom itself, so nothing is ever hidden.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from clingo import Symbol
from jinja2 import Environment, StrictUndefined

from pydesig.bridge import atom_args
from pydesig.indicators import indicators
from pydesig.kb import UnknownProvision, knowledge_base
from pydesig.model import Case

__all__ = ["Speaker", "quiet_predicates"]

_FILE = Path(__file__).parent / "templates" / "statements.yaml"


@lru_cache(maxsize=1)
def _spec() -> dict:
    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


def quiet_predicates() -> frozenset[str]:
    return frozenset(_spec()["quiet"])


class Speaker:
    """States atoms of one case in one language."""

    def __init__(self, case: Case, lang: str = "zh"):
        self.case, self.lang = case, lang
        kb = knowledge_base()
        env = Environment(undefined=StrictUndefined, autoescape=False)
        regions = {r.id: r.name for r in case.regions.values()}
        officials = case.officials

        def region(rid):
            name = regions.get(rid)
            return f"{name}（{rid}）" if lang == "zh" and name else f"{name} ({rid})" if name else str(rid)

        def official(oid):
            o = officials.get(oid)
            return f"{o.name}" if o else str(oid)

        def subject(term):
            if isinstance(term, tuple) and term[0] == "official":
                return official(term[1])
            if isinstance(term, tuple) and term[0] == "region":
                return region(term[1])
            return str(term)

        def cite(pid):
            try:
                p = kb.get(pid)
            except UnknownProvision:
                return str(pid)
            return p.label if lang == "zh" else p.label_en

        env.filters.update(
            region=region, official=official, subject=subject, cite=cite,
            level=lambda v: kb.term("levels", v, lang),
            measure=lambda v: kb.term("measures", v, lang),
            role=lambda v: kb.term("roles", v, lang),
            term=lambda v, section: kb.term(section, v, lang),
        )
        self._env = env
        self._templates = {key: env.from_string(t[lang]) for key, t in _spec()["statements"].items()}
        self.region, self.official, self.cite = region, official, cite

    def __call__(self, atom: Symbol) -> str:
        key = f"{atom.name}/{len(atom.arguments)}"
        template = self._templates.get(key)
        if template is None:
            return str(atom)
        return template.render(a=atom_args(atom))

    def indicator(self, name: str) -> str:
        ind = indicators().get(name)
        if ind is None:
            return name
        return ind.short(self.lang)

    def value(self, value) -> str:
        if value in ("true", True):
            return "是" if self.lang == "zh" else "yes"
        if value in ("false", False):
            return "否" if self.lang == "zh" else "no"
        return str(value)
