"""Deontic conflicts: cases with no lawful outcome, and actions both required and forbidden.

Method (over the space of generated cases, :mod:`.generate`).

*No lawful outcome.*  A program has no answer set for an input only through its integrity
constraints and the lower bounds of its choice rules (``1 { … } 1``: "one of these shall be
taken").  Each such statement *k* is relaxed (clingo AST): a constraint ``:- B`` becomes
``_chk_violated(k) :- B``; a choice ``L { E : C } U :- B`` keeps its upper bound and adds
``_chk_violated(k) :- B, #count { E : C } < L`` — fewer lawful options than the text requires.  The
brave consequences of ``_chk_violated/1`` over the relaxed program are the statements some case may
violate; for each, the generated case of a witness answer set is solved with the real encodings,
and if it has no lawful outcome it is reported (error) with the case as counterexample.

*Required and forbidden.*  ``kb/crosswalk.yaml`` ``deontic`` says which action each measure
requires or forbids (``no_promotion`` forbids promotion, ``discipline`` requires it); a decision may
be given a polarity too.  Marker rules derive ``_chk_conflict(S, Y, A, forbidden)`` when one
subject in one year is required to undergo A and forbidden it; a brave search finds the cases where it happens, each is confirmed
on the real encodings and reported (error) with the case, shrunk to the facts that matter.
"""

from __future__ import annotations

from clingo import Function, Number, ast

from ..model import Case
from . import astutil as A
from .context import Context
from .generate import Domain, brave, case_from_model, encoding_statements, marker_rule, show, space
from .ground import _control, case_yaml, symbols_for
from .issues import make_issue

__all__ = ["check_no_lawful_outcome", "check_deontic_conflicts", "relaxed_program"]

_LOC = ast.Location(ast.Position("<check>", 1, 1), ast.Position("<check>", 1, 1))


def relaxed_program(statements: list) -> tuple[list, dict[int, object]]:
    """The statements with every constraint and choice lower bound turned into a violation marker."""
    out, relaxed = [], {}
    for k, stm in enumerate(statements):
        if stm.ast_type != ast.ASTType.Rule:
            out.append(stm)
            continue
        if A.is_constraint(stm):
            out.append(marker_rule("_chk_violated", [Number(k)], stm.body))
            relaxed[k] = stm
            continue
        head = stm.head
        if head.ast_type == ast.ASTType.Aggregate and head.left_guard is not None:
            lower = head.left_guard
            out.append(ast.Rule(stm.location, ast.Aggregate(head.location, None, head.elements, head.right_guard),
                                stm.body))
            element_terms = [ast.BodyAggregateElement([e.literal.atom.symbol], list(e.condition))
                             for e in head.elements]
            count = ast.BodyAggregate(_LOC, ast.Guard(ast.ComparisonOperator.GreaterThan, lower.term),
                                      ast.AggregateFunction.Count, element_terms, None)
            body = [*stm.body, ast.Literal(_LOC, ast.Sign.NoSign, count)]
            out.append(marker_rule("_chk_violated", [Number(k)], body))
            relaxed[k] = stm
            continue
        out.append(stm)
    return out, relaxed


def _brave(ctl, name: str) -> set:
    return {s for s in brave(ctl) if s.name == name}


def _witness(ctl, assumption) -> set | None:
    ctl.configuration.solve.enum_mode = "auto"
    ctl.configuration.solve.models = 1
    with ctl.solve(yield_=True, assumptions=[(assumption, True)]) as handle:
        for model in handle:
            return set(model.symbols(atoms=True))
    return None


def _has_outcome(ctx: Context, case: Case, require=None) -> bool:
    """Whether the real encodings give the case a lawful outcome (in which ``require`` holds)."""
    def extra(ctl):
        if require is not None:
            with ast.ProgramBuilder(ctl) as builder:
                for stm in require:
                    builder.add(stm)

    ctl = _control(ctx, case.ruleset, symbols_for(ctx, case), extra_rules=extra, args=["--models=1"])
    with ctl.solve(yield_=True) as handle:
        for _model in handle:
            return True
    return False


def _shrink(ctx: Context, case: Case, still) -> Case:
    """Drop facts (then officials) one by one while ``still(case)`` holds."""
    from dataclasses import replace

    facts = list(case.facts)
    changed = True
    while changed:  # to a fixpoint: a fact may become removable once another is gone
        changed = False
        i = 0
        while i < len(facts):
            trial = replace(case, facts=facts[:i] + facts[i + 1:])
            if still(trial):
                facts = trial.facts
                changed = True
            else:
                i += 1
    case = replace(case, facts=facts)
    for oid in list(case.officials):
        if any(f.subject_id == oid for f in case.facts if f.subject == "official"):
            continue
        trial = replace(case, officials={k: v for k, v in case.officials.items() if k != oid})
        if still(trial):
            case = trial
    for rid in sorted(case.regions, reverse=True):
        needed = any(f.subject_id == rid for f in case.facts if f.subject == "region") or \
            any(o.region == rid for o in case.officials.values()) or \
            any(r.parent == rid for r in case.regions.values())
        if needed:
            continue
        trial = replace(case, regions={k: v for k, v in case.regions.items() if k != rid})
        if still(trial):
            case = trial
    for name in sorted(case.interpretations):
        trial = replace(case, interpretations={k: v for k, v in case.interpretations.items() if k != name})
        if still(trial):
            case = trial
    return case


def check_no_lawful_outcome(ctx: Context, ruleset: str, domain: Domain = Domain()) -> list[dict]:
    statements = encoding_statements(ctx, ruleset)
    relaxed_stms, relaxed = relaxed_program(statements)
    if not relaxed:
        return []
    ctl = space(ctx, ruleset, domain, program=relaxed_stms + [show("_chk_violated", 1)])
    issues = []
    for sym in sorted(_brave(ctl, "_chk_violated")):
        k = sym.arguments[0].number
        atoms = _witness(ctl, sym)
        if atoms is None:
            continue
        case = case_from_model(ctx, ruleset, atoms, domain, title="no lawful outcome")
        if _has_outcome(ctx, case):
            continue  # the relaxed search chose badly; the real rules find a lawful outcome
        case = _shrink(ctx, case, lambda c: not _has_outcome(ctx, c))
        stm = relaxed[k]
        site = _site_at(ctx, ruleset, stm)
        pids = list(site.provisions) if site else []
        where = f"{site.file}:{site.line}" if site else str(stm.location.begin)
        issues.append(make_issue(
            ctx, f"{ruleset}/no-lawful-outcome/{'+'.join(p.split('/', 1)[1] for p in pids) or k}",
            "no-lawful-outcome", "error",
            f"A case exists in which the rules leave no lawful outcome: {where} "
            f"({_short(str(stm))}) cannot be satisfied"
            + (f"; it encodes {', '.join(ctx.label(p) for p in pids)}" if pids else "")
            + ". The counterexample is a case file on which `pydesig solve` reports no lawful outcome.",
            pids, counterexample=case_yaml(case), details={"rule": where},
            message_zh=f"存在一个案例，规则对其不给出任何合法结果：{where}（{_short(str(stm))}）无法满足"
                       + (f"；该规则编码{'、'.join(ctx.label(p) for p in pids)}" if pids else "")
                       + "。反例是一个案例文件，`pydesig solve` 对其报告没有合法结果。"))
    return issues


def _site_at(ctx: Context, ruleset: str, stm):
    line = stm.location.begin.line
    name = stm.location.begin.filename
    for site in ctx.instruments[ruleset].sites:
        if site.line == line and name.endswith(site.file.split("/")[-1]):
            return site
    return None


def _short(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


_CONFLICT_RULES = """
_chk_act(S, Y, A, P) :- measure(S, M, Y, _), _chk_measure_pol(M, A, P).
_chk_act(S, Y, A, P) :- decided(S, Y, D), _chk_decision_pol(D, A, P).
_chk_conflict(S, Y, A, forbidden) :- _chk_act(S, Y, A, required), _chk_act(S, Y, A, forbidden).
#defined measure/4.
#defined decided/3.
"""


def _conflict_statements(ctx: Context) -> list:
    stms: list = []
    ast.parse_string(_CONFLICT_RULES, stms.append)  # fixed text: no data is pasted into it
    for entry in ctx.crosswalk.get("deontic", []):
        if "measure" in entry:
            stms.append(marker_rule("_chk_measure_pol", [Function(entry["measure"]), Function(entry["action"]),
                                                         Function(entry["polarity"])], []))
        elif "decision" in entry:
            stms.append(marker_rule("_chk_decision_pol", [Function(entry["decision"]), Function(entry["action"]),
                                                          Function(entry["polarity"])], []))
    return [s for s in stms if s.ast_type != ast.ASTType.Program]


def check_deontic_conflicts(ctx: Context, ruleset: str, domain: Domain = Domain()) -> list[dict]:
    if not ctx.crosswalk.get("deontic"):
        return []
    extra = _conflict_statements(ctx)

    def add(builder):
        for stm in extra:
            builder.add(stm)
        builder.add(show("_chk_conflict", 4))

    ctl = space(ctx, ruleset, domain, add=add)
    found = sorted(_brave(ctl, "_chk_conflict"))
    issues, seen = [], set()
    for sym in found:
        subject, year, action, polarity = sym.arguments
        key = (action.name, polarity.name)
        if key in seen:
            continue
        atoms = _witness(ctl, sym)
        if atoms is None:
            continue
        case = case_from_model(ctx, ruleset, atoms, domain, title=f"{action.name}: required and {polarity.name}")
        require = _require(extra, sym)
        if not _has_outcome(ctx, case, require):
            continue
        seen.add(key)
        case = _shrink(ctx, case, lambda c: _has_outcome(ctx, c, require))
        provisions = _provisions_for(atoms, subject, year, action.name)
        what = "forbidden"
        issues.append(make_issue(
            ctx, f"{ruleset}/deontic-conflict/{action.name}/{polarity.name}", "deontic-conflict", "error",
            f"In some lawful outcome of a case, {subject.name} {subject.arguments[0].string} in {year} is required to undergo {action.name} "
            f"and it is {what} at the same time ({', '.join(ctx.label(p) for p in provisions if p in ctx.kb)}). "
            f"The counterexample is a case file that shows it.",
            provisions, counterexample=case_yaml(case),
            message_zh=f"在某案例的一个合法结果中，{subject.name} {subject.arguments[0].string}于{year}年既被要求接受"
                       f"{action.name}，同时又被禁止（{'、'.join(ctx.label(p) for p in provisions if p in ctx.kb)}）。"
                       f"反例是显示这一点的案例文件。"))
    return issues


def _require(extra, sym) -> list:
    """The conflict rules plus a constraint that this very conflict holds."""
    loc = _LOC
    atom = ast.SymbolicAtom(ast.SymbolicTerm(loc, sym))
    constraint = ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.BooleanConstant(False)),
                          [ast.Literal(loc, ast.Sign.Negation, atom)])
    return [*extra, constraint]


def _provisions_for(atoms, subject, year, action: str) -> list[str]:
    out = set()
    for s in atoms:
        if s.name == "measure" and len(s.arguments) == 4 and s.arguments[0] == subject and s.arguments[2] == year:
            out.add(s.arguments[3].string)
        if s.name == "decision_option" and len(s.arguments) == 4 and s.arguments[0] == subject \
                and s.arguments[1] == year:
            out.add(s.arguments[3].string)
    return sorted(p for p in out if A.PROVISION_ID.match(p))
