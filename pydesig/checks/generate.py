"""The space of cases: an instrument's encodings grounded with *generated* inputs.

Instead of one case, the input facts become choices: a fixed set of regions (a city, three
counties, a township) and officials (every role), five years, and for every subject-year and
every indicator of the instrument a free choice among the values that matter — each bound of the
instrument's own numeric conditions ±1 (read by :mod:`.thresholds`), 0, 1, 2, every enum value,
any subset of a list — and a free choice of one option for every interpretation.  Each answer set
is then one case with one lawful outcome for it.  Everything is added as clingo symbols through
the backend (no program text is built from data); marker rules (``_chk_…``) that checks add are
built with clingo's AST.

:func:`space` returns a grounded control; the checks ask it brave questions ("is there a case in
which …") and read the case back from a model with :func:`case_from_model`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import clingo
from clingo import Function, Number, String, Symbol, ast

from ..model import Case, Fact, Official, Region
from .context import Context

__all__ = ["Domain", "space", "brave", "case_from_model", "marker_rule", "candidate_values", "INPUT_PREDICATES"]

INPUT_PREDICATES = {("region", 2), ("parent", 2), ("official", 4), ("official_until", 2), ("official_member_unit", 1),
                    ("fact", 4), ("year", 1),
                    ("last_fact_year", 1), ("interpretation", 2)}


@dataclass(frozen=True)
class Domain:
    first_year: int = 2020
    years: int = 5
    regions: tuple = (Region("S0", "示例省", "province"), Region("C1", "示例市", "city", "S0"),
                      Region("K1", "甲县", "county", "C1"),
                      Region("K2", "乙县", "county", "C1"), Region("K3", "丙县", "county", "C1"),
                      Region("T1", "丁镇", "township", "K1"))
    # (official id, region, role); K1 has every role
    officials: tuple = (("P_ps", "K1", "party_secretary"), ("P_gh", "K1", "government_head"),
                        ("P_dep", "K1", "deputy_in_charge"), ("P_dir", "K1", "commission_director"),
                        ("P_mem", "K1", "commission_member"), ("P_head", "K1", "department_head"),
                        ("P_tps", "T1", "party_secretary"), ("P_cps", "C1", "party_secretary"),
                        ("P_cmem", "C1", "commission_member"), ("P_k2", "K2", "party_secretary"))
    since_offsets: tuple = (-4, -2, -1, 0, 1)

    @property
    def year_range(self) -> list[int]:
        return list(range(self.first_year, self.first_year + self.years))


def candidate_values(ctx: Context, ruleset: str) -> dict[str, list]:
    """Per indicator of the instrument, the values a generated case may give it."""
    from .thresholds import INF, conditions

    bounds: dict[str, set] = {}
    for c in conditions(ctx, ruleset):
        if c.kind != "int":
            continue
        for key in c.key.split("+"):
            for b in (c.lo, c.hi):
                if b < INF:
                    bounds.setdefault(key, set()).update({b - 1, b, b + 1})
    out = {}
    for name, ind in ctx.indicators_for(ruleset).items():
        if ind.type == "bool":
            out[name] = [True, False]
        elif ind.type in ("enum", "list"):
            out[name] = list(ind.values)
        else:
            out[name] = sorted(v for v in {0, 1, 2} | bounds.get(name, set()) if v >= 0)
    return out


def encoding_statements(ctx: Context, ruleset: str, keep_show: bool = False) -> list:
    """The instrument's encodings as AST statements; without their #show statements, so that a check
    shows only its own markers (a brave search then stops as soon as every marker is settled)."""
    out: list = []
    for path in ctx.instruments[ruleset].files:
        ast.parse_files([str(path)], out.append)
    if not keep_show:
        out = [s for s in out if s.ast_type not in (ast.ASTType.ShowSignature, ast.ASTType.ShowTerm)]
    return out


def brave(ctl: clingo.Control) -> list[Symbol]:
    """The brave consequences of ``ctl``'s shown atoms, sorted: every marker some generated case
    shows ("is there a case in which …"), the question every check asks of :func:`space`."""
    ctl.configuration.solve.enum_mode = "brave"
    ctl.configuration.solve.models = 0
    found: list[Symbol] = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            found = model.symbols(shown=True)
    return sorted(found)


def _value(v) -> Symbol:
    if isinstance(v, bool):
        return Function("true" if v else "false")
    if isinstance(v, int):
        return Number(v)
    return Function(v)


_LOC = ast.Location(ast.Position("<check>", 1, 1), ast.Position("<check>", 1, 1))


def _literal(sym: Symbol):
    return ast.Literal(_LOC, ast.Sign.NoSign, ast.SymbolicAtom(ast.SymbolicTerm(_LOC, sym)))


def space(ctx: Context, ruleset: str, domain: Domain = Domain(), add=None, fixed: dict | None = None,
          program: list | None = None) -> clingo.Control:
    """A grounded control over every generated case of ``ruleset``.

    ``add(builder)`` may add AST statements (markers) before grounding; ``fixed`` pins
    interpretations (name → option) instead of choosing them; ``program`` replaces the encoding files
    by AST statements (a relaxed program)."""
    ctl = clingo.Control(["--warn=none"])
    if program is None:
        program = encoding_statements(ctx, ruleset)
    with ast.ProgramBuilder(ctl) as builder:
        for stm in program:
            builder.add(stm)
        if add is not None:
            add(builder)
    values = candidate_values(ctx, ruleset)
    years = domain.year_range
    facts: list[Symbol] = []
    choices: list[list[Symbol]] = []  # {a; b; …}: any of them
    at_most: list[list[Symbol]] = []  # at most one of them
    at_least: list[list[Symbol]] = []  # at least one of them

    def exactly_one(symbols):
        choices.append(symbols)
        at_most.append(symbols)
        at_least.append(symbols)

    for r in domain.regions:
        facts.append(Function("region", [String(r.id), Function(r.kind)]))
        if r.parent:
            facts.append(Function("parent", [String(r.id), String(r.parent)]))
    for y in years:
        facts.append(Function("year", [Number(y)]))
    facts.append(Function("last_fact_year", [Number(years[-1])]))
    for oid, rid, role in domain.officials:
        exactly_one([Function("official", [String(oid), String(rid), Function(role), Number(years[0] + k)])
                     for k in domain.since_offsets])
        choices.append([Function("official_until", [String(oid), Number(years[1])])])
        choices.append([Function("official_member_unit", [String(oid)])])
    subjects = {"region": [r.id for r in domain.regions], "official": [o[0] for o in domain.officials]}
    for name, ind in ctx.indicators_for(ruleset).items():
        for sid in subjects.get(ind.subject, []):
            for y in years:
                symbols = [Function("fact", [Function(ind.subject, [String(sid)]), Number(y), Function(name), _value(v)])
                           for v in values.get(name, [])]
                if not symbols:
                    continue
                choices.append(symbols)
                if ind.type != "list":
                    at_most.append(symbols)
    for name, interp in ctx.interpretations_of(ruleset).items():
        options = [fixed[name]] if fixed and name in fixed else list(interp.options)
        exactly_one([Function("interpretation", [Function(name), Function(o)]) for o in options])
    # The inputs go to the grounder as facts and choice rules (AST built from the symbols), so that
    # it knows which input atoms are certain and which are open: atoms that only the backend adds
    # are not known to the grounder as open, and a rule with a ground head (a check's marker
    # ``_chk_fired(7) :- other_department(O, Y)``) was then grounded for one instance only.
    with ast.ProgramBuilder(ctl) as builder:
        for sym in facts:
            builder.add(ast.Rule(_LOC, _literal(sym), []))
        for symbols in choices:
            elements = [ast.ConditionalLiteral(_LOC, _literal(sym), []) for sym in symbols]
            builder.add(ast.Rule(_LOC, ast.Aggregate(_LOC, None, elements, None), []))
    with ctl.backend() as backend:
        for symbols in at_most:
            atoms = [backend.add_atom(sym) for sym in symbols]
            for a, b in itertools.combinations(atoms, 2):
                backend.add_rule([], [a, b])
        for symbols in at_least:
            backend.add_rule([], [-backend.add_atom(sym) for sym in symbols])
    ctl.ground([("base", [])])
    return ctl


def marker_rule(name: str, args: list[Symbol], body) -> object:
    """``name(args) :- body.`` as an AST rule (body: the AST literals of an existing rule)."""
    return ast.Rule(_LOC, _literal(Function(name, args)), list(body))


def show(name: str, arity: int):
    return ast.ShowSignature(_LOC, name, arity, True)


def case_from_model(ctx: Context, ruleset: str, atoms, domain: Domain = Domain(), title: str = "") -> Case:
    """The generated case an answer set chose (its input atoms), as a Case."""
    from ..bridge import to_python

    regions = {r.id: r for r in domain.regions}
    officials, facts, interps = {}, [], {}
    names = {"party_secretary": "党委主要领导", "government_head": "政府主要领导", "deputy_in_charge": "分管领导",
             "commission_director": "禁毒委员会主任", "commission_member": "禁毒委员会委员",
             "department_head": "职能部门负责人"}
    until = {}
    lists: dict[tuple, list] = {}
    for s in atoms:
        if s.name == "official_until" and len(s.arguments) == 2:
            until[s.arguments[0].string] = s.arguments[1].number
    for s in sorted(atoms):
        if s.name == "official" and len(s.arguments) == 4:
            oid, rid, role, since = s.arguments[0].string, s.arguments[1].string, s.arguments[2].name, s.arguments[3].number
            officials[oid] = Official(oid, f"{regions[rid].name}{names.get(role, role)}", rid, role, since, until.get(oid))
        elif s.name == "fact" and len(s.arguments) == 4:
            subj, y, ind, v = s.arguments
            kind, sid = subj.name, subj.arguments[0].string
            value = to_python(v)
            if value in ("true", "false"):
                value = value == "true"
            indicator = ctx.indicators.get(ind.name)
            if indicator and indicator.type == "list":
                lists.setdefault((kind, sid, y.number, ind.name), []).append(value)
            else:
                facts.append(Fact(kind, sid, y.number, ind.name, value))
        elif s.name == "interpretation" and len(s.arguments) == 2:
            interps[s.arguments[0].name] = s.arguments[1].name
    for (kind, sid, y, name), vals in sorted(lists.items()):
        facts.append(Fact(kind, sid, y, name, tuple(sorted(vals))))
    # keep only the subjects the facts or officials need
    used = {f.subject_id for f in facts if f.subject == "region"} | {o.region for o in officials.values()}
    keep = set()
    for rid in used:
        while rid and rid not in keep:
            keep.add(rid)
            rid = regions[rid].parent if rid in regions else None
    defaults = ctx.default_interpretations(ruleset)
    chosen = {n: o for n, o in interps.items() if defaults.get(n) != o}
    return Case(path=f"<{title or 'generated'}>", ruleset=ruleset, title=title or "generated case",
                regions={r: regions[r] for r in sorted(keep)}, officials=dict(sorted(officials.items())),
                facts=sorted(facts, key=lambda f: (f.subject, f.subject_id, f.year, f.indicator)),
                interpretations=chosen)
