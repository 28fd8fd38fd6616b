"""Sentences for atoms, in Chinese and English, from ``explain/templates/statements.yaml``.

Each predicate has one jinja2 template per language over the atom's arguments; names of regions
and officials come from the case, names of levels, measures, roles and indicators from ``kb/``.
A predicate without a template is stated as the atom itself, so nothing is ever hidden.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import yaml
from clingo import Symbol
from jinja2 import Environment, StrictUndefined

from pydesig.bridge import parse_atom as _parse_atom

from .terms import split_top
from pydesig.indicators import indicators
from pydesig.kb import UnknownProvision, knowledge_base
from pydesig.model import Case

__all__ = ["Speaker", "clauses", "quiet_predicates", "transparent_predicates", "folded_predicates", "restating_predicates",
           "narrowing"]

# The same atom is put into words and its provisions read from it (explain/tree.py): each text
# parsed once.  The results are tuples, never changed.
parse_atom = lru_cache(maxsize=1 << 17)(_parse_atom)

_FILE = Path(__file__).parent / "templates" / "statements.yaml"
_CLAUSES = Path(__file__).parent / "templates" / "clauses.yaml"


@lru_cache(maxsize=1)
def _spec() -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml where installed: 20x faster
    return yaml.load(_FILE.read_text(encoding="utf-8"), Loader=loader)


@lru_cache(maxsize=1)
def clauses() -> dict[str, list[dict]]:
    """provision id → its clauses (``zh``, ``en``, ``when`` as a frozenset), from
    ``explain/templates/clauses.yaml``: the words a step quotes of a provision that says several things."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(_CLAUSES.read_text(encoding="utf-8"), Loader=loader) or {}
    return {pid: [{"zh": e["zh"], "en": e["en"], "when": frozenset(e.get("when") or ())} for e in entries]
            for pid, entries in raw.items()}


def quiet_predicates() -> frozenset[str]:
    return frozenset(_spec()["quiet"])


def transparent_predicates() -> frozenset[str]:
    return frozenset(_spec().get("transparent", ()))


def folded_predicates() -> frozenset[str]:
    """Bookkeeping steps with no legal step of their own: merged into the step they serve."""
    return frozenset(_spec().get("fold", ()))


def restating_predicates() -> frozenset[str]:
    """Conclusions that restate the step they rest on (status/3 of st/5): that step is merged in."""
    return frozenset(_spec().get("restating", ()))


def narrowing() -> dict:
    """``cites`` (predicate → the provisions of its rule's header its step rests on) and
    ``tier_articles`` (level → the article that gives it) of the statements catalogue."""
    spec = _spec()
    return {"cites": {k: tuple(v) for k, v in (spec.get("cites") or {}).items()},
            "tier_articles": dict(spec.get("tier_articles") or {})}


_EXPR = re.compile(r"\{\{(.*?)\}\}", re.S)
_ARG = re.compile(r"\s*a\[(\d+)\]\s*((?:\|\s*\w+\s*(?:\([^()]*\))?\s*)*)$")
_FILTER = re.compile(r"\|\s*(\w+)\s*(\([^()]*\))?")


class _Plain:
    """A statement template that is only text and ``{{ a[i] | filter … }}``, evaluated without
    building a jinja context for every atom (the same result as rendering it with jinja)."""

    def __init__(self, parts):
        self.parts = parts

    @classmethod
    def compile(cls, source: str, env: Environment):
        if "{%" in source or "{#" in source:
            return None
        parts, pos = [], 0
        for m in _EXPR.finditer(source):
            if m.start() > pos:
                parts.append(source[pos:m.start()])
            arg = _ARG.match(m.group(1))
            if arg is None:
                return None
            filters = []
            for f in _FILTER.finditer(arg.group(2)):
                if f.group(1) not in env.filters:
                    return None
                inner = (f.group(2) or "()")[1:-1].strip()
                extra = ast.literal_eval(f"({inner},)") if inner else ()
                filters.append((env.filters[f.group(1)], extra))
            parts.append((int(arg.group(1)), filters))
            pos = m.end()
        if pos < len(source):
            parts.append(source[pos:])
        return cls(parts)

    def render(self, args) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = args[part[0]]
            for fn, extra in part[1]:
                value = fn(value, *extra)
            out.append(str(value))
        return "".join(out)


def _render(template, args) -> str:
    if isinstance(template, _Plain):
        return template.render(args)
    return "".join(template.root_render_func(template.new_context({"a": args}, shared=True)))


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
            decision=lambda v: kb.term("decisions", v, lang),
            event=lambda v: kb.term("events", v, lang),
            body=lambda v: kb.term("bodies", v, lang),
            duty=lambda v: kb.term("duties", v, lang),
            responsibility=lambda v: kb.term("responsibilities", v, lang),
            listing_body=lambda v: kb.term("listing_bodies", v, lang),
            form=lambda v: kb.term("discipline_forms", v, lang),
            notice=lambda v: kb.term("notices", v, lang),
            indicator=self.indicator,
            reading=self.reading,
        )
        self._env = env
        self._said: dict[str, str] = {}
        self._templates = {key: _Plain.compile(t[lang], env) or env.from_string(t[lang])
                           for key, t in _spec()["statements"].items()}
        self._negations = {key: _Plain.compile(t[lang], env) or env.from_string(t[lang])
                           for key, t in _spec().get("negations", {}).items()}
        self.region, self.official, self.cite = region, official, cite

    def __call__(self, atom: Symbol | str) -> str:
        text = atom if isinstance(atom, str) else str(atom)
        said = self._said.get(text)
        if said is None:
            name, args = parse_atom(text)
            template = self._templates.get(f"{name}/{len(args)}")
            said = text if template is None else _render(template, args)
            self._said[text] = said
        return said

    def predicate_name(self, key: str) -> str:
        """What a predicate says, for an atom whose arguments are not all known: the catalogue's
        ``described`` entry, else the predicate's name."""
        entry = (_spec().get("described") or {}).get(key)
        return entry[self.lang] if entry else key.split("/")[0]

    def reading(self, name: str) -> str:
        """An interpretation by its id and the option in force: ``relevant_persons=first_and_principal
        （该地区的第一责任人和主要责任人）``."""
        kb = knowledge_base()
        interp = kb.interpretations.get(name)
        if interp is None:
            return str(name)
        option = self.case.interpretations.get(name, interp.default)
        text = interp.option_text.get(option, {}).get(self.lang, option)
        return f"{name}={option}（{text}）" if self.lang == "zh" else f"{name}={option} ({text})"

    def negation(self, text: str) -> str:
        """A negative condition whose atom is not ground (``not official_until("li",_)``): its
        sentence from the ``negations`` section, else the literal as written."""
        name, _, rest = text.partition("(")
        template = self._negations.get(f"{name}/{len(split_top(rest[:-1])) if rest else 0}")
        if template is None:
            return ("并非：" if self.lang == "zh" else "it is not the case that ") + text
        args = [None if a.strip() == "_" else parse_atom(a)[0] if "(" not in a else parse_atom(a)
                for a in split_top(rest[:-1])]
        return _render(template, args)

    def measure_group(self, subject, measure: str, year: int, forms=()) -> str:
        """The sentence for a measure whatever provision carries it: 2020年对张伟适用党纪政务处分."""
        kb = knowledge_base()
        who = self._env.filters["subject"](subject)
        name = kb.term("measures", measure, self.lang)
        shown = [kb.term("discipline_forms", f, self.lang) for f in forms]
        if self.lang == "zh":
            return f"{year}年对{who}适用{name}" + (f"（可为{'、'.join(shown)}）" if shown else "")
        return f"the measure \"{name}\" applies to {who} in {year}" + (f" (as {' or '.join(shown)})" if shown else "")

    def fact(self, subject, year, indicator: str, value) -> str:
        """A fact of the case in words: 「梅河口市（220581）2019年，非法种植罂粟株数：12000株」."""
        who = self._env.filters["subject"](subject)
        shown = self.value(value, indicator)
        if self.lang == "zh":
            return f"{who}{year}年，{self.indicator(indicator)}：{shown}"
        return f"{who}, {year}: {self.indicator(indicator)}: {shown}"

    def absent_fact(self, atom: str) -> str:
        """A fact the rule required the case not to state (``not fact(region("220581"), 2021,
        tasks_completed, true)``): 「案卷未载明：…」."""
        _, args = parse_atom(atom)
        said = self.fact(*args)
        return f"案卷未载明：{said}" if self.lang == "zh" else f"the case does not record: {said}"

    def indicator(self, name: str) -> str:
        ind = indicators().get(name)
        if ind is None:
            return name
        return ind.short(self.lang, self.case.ruleset)

    def value(self, value, indicator: str | None = None) -> str:
        """A fact's value in words: yes/no, enum values by their names in ``kb/`` (levels, listing
        bodies, roles …), counts with their unit (``indicator``'s, from the catalogue's ``units``).
        A count of 1 is a number, not "yes" (``1 == True`` in Python)."""
        if value is True or value == "true":
            return "是" if self.lang == "zh" else "yes"
        if value is False or value == "false":
            return "否" if self.lang == "zh" else "no"
        if isinstance(value, (tuple, list)):
            sep = "、" if self.lang == "zh" else ", "
            return sep.join(self.value(v) for v in value)
        if isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit()):
            unit = (_spec().get("units") or {}).get(indicator or "", {}).get(self.lang)
            if unit and self.lang == "zh":
                return f"{value}{unit}"
            if unit:
                return f"{value} {unit[0] if int(value) == 1 else unit[1]}"
            return str(value)
        if isinstance(value, str) and value in (_spec().get("values") or {}):
            return _spec()["values"][value][self.lang]
        if isinstance(value, str):
            vocabulary = knowledge_base().vocabulary
            for section in _VALUE_SECTIONS:
                entry = vocabulary.get(section, {}).get(value)
                if entry:
                    return entry[self.lang]
        return str(value)


    def check(self, cond) -> str | None:
        """A condition the rule checked, in words: 「12000株 ≥ 10000株」, "6 serious areas ≥ 3",
        「2015年 ≤ 2019年」; None for bookkeeping (the case's span of years) and assignments."""
        if cond.bookkeeping or not cond.sides:
            return None if cond.bookkeeping else cond.text
        values = cond.sides[0::2]
        ops = cond.sides[1::2]
        if len(values) == 2 and ops[0] == "=" and values[0][0] == values[1][0] and cond.kind == "compare":
            return None  # an assignment (S = F + 1), not a condition
        noun = None
        if cond.kind == "aggregate":
            if cond.function in ("#max", "#min") and cond.assignment:
                return None  # K = #max {…}: what it picks is said by the conclusion that uses it
            section = "counted" if cond.function == "#count" else "summed" if cond.function == "#sum" else None
            noun = (_spec().get(section) or {}).get(cond.counted or "", {}).get(self.lang) if section else None
            if noun is None:
                return cond.text  # an aggregate the catalogue has no words for (a test keeps this empty)
        words = []
        for i, (text, ind) in enumerate(values):
            if noun:
                if self.lang == "zh" and cond.function == "#sum":  # 「听取禁毒工作汇报合计2次 ≥ 1次」
                    shown = f"{noun[1]}合计{text}{noun[0]}" if i == 0 else f"{text}{noun[0]}"
                elif self.lang == "zh":
                    shown = f"{text}{noun[0]}{noun[1]}" if i == 0 else f"{text}{noun[0]}"
                else:
                    word = noun if isinstance(noun, str) else noun[0] if text == "1" else noun[1]  # [one, several]
                    shown = f"{text} {word}" if i == 0 else text
            elif ind:
                shown = self.value(int(text) if text.lstrip("-").isdigit() else text, ind)
                if self.lang == "en" and i > 0:
                    shown = text  # "12000 plants ≥ 10000"
            elif _is_year(text) and self.lang == "zh":
                shown = f"{text}年"
            else:
                shown = self.value(text) if not text.lstrip("-").isdigit() else text
            words.append(shown)
        out = [words[0]]
        for op, w in zip(ops, words[1:]):
            out += [op, w]
        return " ".join(out)


def _is_year(text: str) -> bool:
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2199


_VALUE_SECTIONS = ("levels", "listing_bodies", "roles", "discipline_forms", "duties")
