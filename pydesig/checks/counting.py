"""Counting bases: provisions that count the same notion over different sets or in different ways.

Method.

*Counts* (clingo AST).  Every body aggregate ``#count { X : p(…) } ≥ n`` of an instrument is a count
of the elements of ``p`` per the variables it shares with the rest of the rule (a city and a year,
say).  Two counts of different provisions with the same function and the same bound count the same
kind of thing to the same number — 「同时有3个以上（含3个）毒品问题严重地区」 (第四条) and
「3个及以上省级毒品问题严重地区」 (第二十三条第二款).  Whether they count the same *set* is decided over
the space of generated cases (:mod:`.generate`): marker rules ``_chk_cnt(k, V…) :- <the rule's
body>`` for each count k, and ``_chk_diff(k1, k2) :- _chk_cnt(k1, V…), not _chk_cnt(k2, V…)``; a
brave consequence ``_chk_diff`` is a case in which one provision's count reaches the bound and the
other's does not.  Its witness case is the counterexample, its interpretations the ``under``.

*Years in post* (clingo AST).  A comparison between a year and the ``since`` of ``official/4`` is a
count of years in post; it is brought to the form ``Y − since ≥ k`` (a threshold read through a
predicate such as ``tenure_min(T)`` is resolved per interpretation option from the facts that
define it).  The defaults of the two instruments are compared wherever their provisions use the
same words (「两年以上（含两年）」, 「2年及以上」 — the number and the inclusive marker), and a
difference of ``k`` under the defaults is reported with every reading's value.
"""

from __future__ import annotations

import itertools
import re

from clingo import Number, ast

from . import astutil as A
from .context import Context
from .generate import Domain, brave, show, space
from .ground import case_yaml
from .issues import make_issue
from .witness import witness_case

__all__ = ["check_counting", "check_counting_across", "counts", "tenure_rules"]

_LOC = ast.Location(ast.Position("<check>", 1, 1), ast.Position("<check>", 1, 1))


# --------------------------------------------------------------------------- counts

def _aggregate(rule):
    """(literal, function, bound, element predicates, outer variables) of the rule's body aggregate, or None."""
    body = list(rule.body)
    for index, lit in enumerate(body):
        if lit.ast_type != ast.ASTType.Literal or lit.atom.ast_type != ast.ASTType.BodyAggregate:
            continue
        agg = lit.atom
        guard = agg.right_guard or agg.left_guard
        bound = A.number(guard.term) if guard is not None else None
        preds, inner = [], []
        for element in agg.elements:
            for cond in element.condition:
                if cond.ast_type == ast.ASTType.Literal and cond.atom.ast_type == ast.ASTType.SymbolicAtom:
                    p = A.predicate_of(cond.atom.symbol)
                    if p:
                        preds.append(p)
                        inner += [A.variable(t) for t in A.name_args(cond.atom.symbol)[1]]
        outside = _variables([x for i, x in enumerate(body) if i != index] + [rule.head])
        outer = [v for v in dict.fromkeys(inner) if v and v in outside]
        return lit, agg.function, bound, preds, outer
    return None


def _variables(nodes) -> set[str]:
    found: set = set()

    class Visit(ast.Transformer):
        def visit_Variable(self, v):  # noqa: N802
            found.add(v.name)
            return v

    for n in nodes:
        Visit()(n)
    return found


def counts(ctx: Context, ruleset: str) -> list[dict]:
    """The counting aggregates of the instrument's rules (with their provision)."""
    out = []
    for k, site in enumerate(ctx.instruments[ruleset].sites):
        found = _aggregate(site.statement)
        if not found or not site.provisions or found[2] is None:
            continue
        _lit, function, bound, preds, outer = found
        if function != ast.AggregateFunction.Count or not outer:
            continue
        out.append({"site": k, "provision": site.provisions[0], "bound": bound, "counted": preds,
                    "outer": outer, "rule": site.statement, "file": site.file, "line": site.line})
    return out


def _cnt_rule(k: int, c: dict):
    args = [ast.SymbolicTerm(_LOC, Number(k))] + [ast.Variable(_LOC, v) for v in c["outer"]]
    head = ast.Literal(_LOC, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(_LOC, "_chk_cnt", args, False)))
    return ast.Rule(_LOC, head, list(c["rule"].body))


def _diff_rule(k1: int, k2: int, arity: int):
    names = [f"V{i}" for i in range(arity)]

    def cnt(k, sign):
        args = [ast.SymbolicTerm(_LOC, Number(k))] + [ast.Variable(_LOC, v) for v in names]
        return ast.Literal(_LOC, sign, ast.SymbolicAtom(ast.Function(_LOC, "_chk_cnt", args, False)))

    head_args = [ast.SymbolicTerm(_LOC, Number(k1)), ast.SymbolicTerm(_LOC, Number(k2))]
    head = ast.Literal(_LOC, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(_LOC, "_chk_diff", head_args, False)))
    return ast.Rule(_LOC, head, [cnt(k1, ast.Sign.NoSign), cnt(k2, ast.Sign.Negation)])


def _defined_by(ctx: Context, ruleset: str, predicate: tuple) -> list[str]:
    """The provisions of the rules that derive ``predicate``."""
    out = set()
    for site in ctx.instruments[ruleset].sites:
        if predicate in A.head_predicates(site.statement):
            out.update(p for p in site.provisions if p in ctx.kb)
    return sorted(out, key=_pkey)


def _pkey(pid: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pid)]


def check_counting(ctx: Context, ruleset: str, domain: Domain = Domain()) -> list[dict]:
    found = counts(ctx, ruleset)
    pairs = [(a, b) for a, b in itertools.combinations(found, 2)
             if a["provision"] != b["provision"] and a["bound"] == b["bound"] and len(a["outer"]) == len(b["outer"])]
    if not pairs:
        return []

    stms = [_cnt_rule(c["site"], c) for c in {c["site"]: c for pair in pairs for c in pair}.values()]
    for a, b in pairs:
        stms += [_diff_rule(a["site"], b["site"], len(a["outer"])), _diff_rule(b["site"], a["site"], len(a["outer"]))]

    def add(builder):
        for stm in stms:
            builder.add(stm)
        builder.add(show("_chk_diff", 2))

    ctl = space(ctx, ruleset, domain, add=add)
    diffs = brave(ctl)
    ways = {(s.arguments[0].number, s.arguments[1].number): s for s in diffs}
    issues = []
    for a, b in pairs:
        one, other = ways.get((a["site"], b["site"])), ways.get((b["site"], a["site"]))
        if not one and not other:
            continue
        case = witness_case(ctx, ruleset, ctl, one or other, stms, domain, title="计数基础不同")
        issues.append(_count_issue(ctx, ruleset, a, b, bool(one), bool(other), case))
    return issues


def _count_issue(ctx, ruleset, a, b, a_not_b: bool, b_not_a: bool, case) -> dict:
    kb = ctx.kb
    pa, pb = kb.get(a["provision"]), kb.get(b["provision"])
    basis = {}
    for c in (a, b):
        basis[c["site"]] = sorted({p for pred in c["counted"] for p in _defined_by(ctx, ruleset, pred)}, key=_pkey)

    def described(c, lang):
        pids = [p for p in basis[c["site"]] if p != c["provision"]] or basis[c["site"]]
        preds = "、".join(f"{n}/{ar}" for n, ar in c["counted"])
        names = ("、" if lang == "zh" else ", ").join(kb.get(p).label if lang == "zh" else kb.get(p).label_en
                                                     for p in pids[:6])
        return (f"{preds}（由{names}得出）" if lang == "zh" else f"{preds} (derived under {names})")

    both = a_not_b and b_not_a
    if both:
        way_zh, way_en = "两者各有对方不计的情形", "each counts what the other does not"
    else:
        wide, narrow = (a, b) if a_not_b else (b, a)
        way_zh = f"{kb.get(wide['provision']).label}计满而{kb.get(narrow['provision']).label}不计满的情形存在"
        way_en = (f"there are cases that reach the bound under {kb.get(wide['provision']).label_en} but not under "
                  f"{kb.get(narrow['provision']).label_en}")
    under = dict(sorted(case.interpretations.items())) if case is not None and case.interpretations else None
    zh = (f"{pa.label}与{pb.label}都以「{a['bound']}个」为标准计数同一类对象，但计数的基础不同：{pa.label}计"
          f"{described(a, 'zh')}，{pb.label}计{described(b, 'zh')}；{way_zh}（见所附案例）。同一地区同一年可能按一条规定"
          f"满足而按另一条不满足，分析人员应确认两条规定是否应以同一基础计数。")
    en = (f"{pa.label_en} and {pb.label_en} both count the same kind of thing up to {a['bound']}, on different bases: "
          f"{pa.label_en} counts {described(a, 'en')}, {pb.label_en} counts {described(b, 'en')}; {way_en} (see the "
          f"attached case). One area in one year can meet one provision and not the other: an analyst must decide "
          f"whether both should count on the same basis.")
    ident = f"{ruleset}/counting-bases/{pa.id.split('/', 1)[1]}+{pb.id.split('/', 1)[1]}"
    return make_issue(ctx, ident, "counting-bases", "warning", en, [pa.id, pb.id], message_zh=zh,
                      counterexample=case_yaml(case) if case is not None else None, under=under,
                      details={"bound": a["bound"], "counted": {pa.id: [f"{n}/{ar}" for n, ar in a["counted"]],
                                                                pb.id: [f"{n}/{ar}" for n, ar in b["counted"]]},
                               "rules": [f"{a['file']}:{a['line']}", f"{b['file']}:{b['line']}"],
                               "one_not_other": {pa.id: a_not_b, pb.id: b_not_a}})


# --------------------------------------------------------------------------- years in post

def _linear(term, sign: int = 1, out: dict | None = None) -> dict | None:
    """A term as {variable: coefficient, "": constant}, or None when not linear."""
    out = {} if out is None else out
    if term.ast_type == ast.ASTType.Variable:
        out[term.name] = out.get(term.name, 0) + sign
        return out
    n = A.number(term)
    if n is not None:
        out[""] = out.get("", 0) + sign * n
        return out
    if term.ast_type == ast.ASTType.BinaryOperation and term.operator_type in (ast.BinaryOperator.Plus,
                                                                                ast.BinaryOperator.Minus):
        if _linear(term.left, sign, out) is None:
            return None
        return _linear(term.right, sign if term.operator_type == ast.BinaryOperator.Plus else -sign, out)
    return None


def tenure_rules(ctx: Context, ruleset: str) -> list[dict]:
    """Rules comparing a year with an official's ``since``: {provision, readings → minimum Y − since}."""
    sites = ctx.instruments[ruleset].sites
    out = []
    for site in sites:
        rule = site.statement
        since = None
        for atom in A.positive_atoms(rule):
            name, args = A.name_args(atom)
            if name == "official" and len(args) == 4:
                since = A.variable(args[3]) or since
        if since is None or not site.provisions:
            continue
        for left, op, right in A.comparisons(rule):
            if op != ast.ComparisonOperator.GreaterEqual:
                continue
            lin = _linear(left)
            rhs = _linear(right, -1, dict(lin)) if lin is not None else None
            if rhs is None or rhs.get(since) != -1:
                continue
            others = {v: c for v, c in rhs.items() if v not in ("", since) and c}
            year = [v for v, c in others.items() if c == 1]
            thresholds = [v for v, c in others.items() if c == -1]
            if len(year) != 1 or len(thresholds) > 1:
                continue
            const = -rhs.get("", 0)  # Y − since ≥ const (+ T)
            readings = _readings_of(rule)
            if thresholds:
                for value, reading in _bound_values(ctx, ruleset, rule, thresholds[0]):
                    out.append({"provision": site.provisions[0], "minimum": const + value,
                                "readings": readings | reading, "file": site.file, "line": site.line})
            else:
                out.append({"provision": site.provisions[0], "minimum": const, "readings": readings,
                            "file": site.file, "line": site.line})
    return out


def _readings_of(rule) -> frozenset:
    found = set()
    for atom in A.positive_atoms(rule):
        name, args = A.name_args(atom)
        if name == "interpretation" and len(args) == 2:
            found.add((A.constant(args[0]), A.constant(args[1])))
    return frozenset(found)


def _bound_values(ctx: Context, ruleset: str, rule, var: str):
    """The values a threshold variable takes: from the facts of the predicate that binds it, each with the
    interpretation it rests on."""
    binder = None
    for atom in A.positive_atoms(rule):
        name, args = A.name_args(atom)
        positions = [i for i, t in enumerate(args) if A.variable(t) == var]
        if positions and name not in ("official", "interpretation"):
            binder = (name, len(args), positions[0])
            break
    if binder is None:
        return []
    values = []
    for site in ctx.instruments[ruleset].sites:
        head = A.head_atom(site.statement)
        if head is None or A.predicate_of(head) != binder[:2]:
            continue
        value = A.number(A.name_args(head)[1][binder[2]])
        if value is not None:
            values.append((value, _readings_of(site.statement)))
    return values


def _words(text: str) -> str | None:
    """The tenure words of a provision: 「两年以上（含两年）」, 「2年及以上」 → normalised (2, inclusive)."""
    m = re.search(r"([0-9一二两三四五]+)年(及以上|以上[（(]含[^)）]*[)）]|以上)", text)
    if not m:
        return None
    digits = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
    n = int(m.group(1)) if m.group(1).isdigit() else digits.get(m.group(1), 0)
    inclusive = "及以上" in m.group(2) or "含" in m.group(2)
    return f"{n}:{'inclusive' if inclusive else 'open'}", m.group(0)


def check_counting_across(ctx: Context, a: str, b: str) -> list[dict]:
    """The years in post that the two instruments count for the same words, under their default readings."""
    if a not in ctx.instruments or b not in ctx.instruments:
        return []
    sides = {}
    for rs in (a, b):
        defaults = set(ctx.default_interpretations(rs).items())
        for t in tenure_rules(ctx, rs):
            words = _words(ctx.kb.get(t["provision"]).zh) if t["provision"] in ctx.kb else None
            if not words:
                continue
            entry = sides.setdefault(rs, {}).setdefault(words[0], {"provision": t["provision"], "quote": words[1],
                                                                   "default": None, "readings": {}})
            key = ", ".join(f"{n}={o}" for n, o in sorted(t["readings"])) or "—"
            entry["readings"][key] = t["minimum"]
            if t["readings"] <= defaults:
                entry["default"] = t["minimum"]
    issues = []
    for words in sorted(set(sides.get(a, {})) & set(sides.get(b, {}))):
        ea, eb = sides[a][words], sides[b][words]
        if ea["default"] is None or eb["default"] is None or ea["default"] == eb["default"]:
            continue
        issues.append(_tenure_issue(ctx, a, b, words, ea, eb))
    return issues


def _tenure_issue(ctx, a, b, words, ea, eb) -> dict:
    kb = ctx.kb
    pa, pb = kb.get(ea["provision"]), kb.get(eb["provision"])

    def readings(e):
        return "; ".join(f"{k}: ≥ {v}" for k, v in sorted(e["readings"].items()))

    zh = (f"两部文件以相同的字眼计算任职年限（{pa.label}「{ea['quote']}」，{pb.label}「{eb['quote']}」），"
          f"但在默认解释下计法不同：吉林要求（认定年份 − 任职起始年）≥ {ea['default']}，常州要求 ≥ {eb['default']}。"
          f"同一任职经历在一部文件下受处分、在另一部下不受。各解释下的最低差值：{readings(ea)}（{a}）；{readings(eb)}（{b}）。")
    en = (f"The two instruments count years in post for the same words ({pa.label_en} 「{ea['quote']}」, {pb.label_en} "
          f"「{eb['quote']}」) differently under their default readings: (the year of listing − the year taking office) "
          f"≥ {ea['default']} in {a}, ≥ {eb['default']} in {b}, so the same tenure is sanctioned under one and not the "
          f"other. The minimum per reading: {readings(ea)} ({a}); {readings(eb)} ({b}).")
    ident = f"cross/counting-bases/tenure/{pa.id.split('/', 1)[1]}+{pb.id.split('/', 1)[1]}"
    return make_issue(ctx, ident, "counting-bases", "warning", en, [pa.id, pb.id], message_zh=zh,
                      details={"words": words, a: {"default": ea["default"], "readings": ea["readings"]},
                               b: {"default": eb["default"], "readings": eb["readings"]}})
