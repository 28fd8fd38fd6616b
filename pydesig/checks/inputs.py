"""Uncovered inputs: an input value no rule reads, or one that reaches no conclusion.

Method.  The inputs are every option of every enum and list indicator of the instrument
(``kb/indicators``), every role (``kb/vocabulary.yaml`` ``roles``) and every region kind below the
province (the province frames the instruments; it is never itself assessed).

1. *Read?* (clingo AST) — a value is read when some rule's body has ``fact(_, _, I, v)``, or reads
   ``I`` through a variable (then every value is passed on); a role or a kind is read when some
   rule mentions it as a constant, or carries ``official/4``'s role (``region/2``'s kind) on
   through a variable.  A value read nowhere is reported as such.
2. *Reaches a conclusion?* (over the space of generated cases, :mod:`.generate`) — marker rules
   ``_chk_read(I, V) :- <the body of a rule reading fact(_, _, I, V)>`` for the rules whose head
   leads (through the predicate dependency graph of the encodings) to a shown predicate;
   ``_chk_role(Role)`` when a measure or duty reaches an official of that role, ``_chk_kind(K)``
   when a finding, state, measure or duty reaches a region of that kind.  Their brave
   consequences are what reaches a conclusion in *some* case; a read value, role or kind outside
   them reaches none in any generated case.
Each issue carries a probe case with the input (the area at the instrument's top tier or listing,
assessments failing, neglect found) as a runnable illustration.
"""

from __future__ import annotations

from clingo import Function, Number, String, ast

from ..model import Fact, Official, Region
from . import astutil as A
from .context import Context
from .generate import Domain, brave, show, space
from .ground import case_yaml, probe_case
from .issues import make_issue

__all__ = ["check_inputs"]

START = 2020


def _reads(ctx: Context, ruleset: str):
    """(values read per indicator, indicators read through a variable, companions per indicator,
    constants mentioned anywhere, whether roles / kinds are read through a variable)."""
    values: dict[str, set] = {}
    generic: set = set()
    companions: dict[str, list] = {}
    constants: set = set()
    role_var = kind_var = False
    for site in ctx.instruments[ruleset].sites:
        rule = site.statement
        constants |= _constants(rule)
        facts = []
        for atom in A.positive_atoms(rule) + A.negative_atoms(rule):
            name, args = A.name_args(atom)
            if name == "fact" and len(args) == 4 and isinstance(A.constant(args[2]), str):
                facts.append((A.constant(args[2]), A.constant(args[3])))
            elif name == "official" and len(args) == 4 and A.variable(args[2]):
                role_var = role_var or _used_elsewhere(rule, A.variable(args[2]))
            elif name == "region" and len(args) == 2 and A.variable(args[1]):
                kind_var = kind_var or _used_elsewhere(rule, A.variable(args[1]))
        for ind, value in facts:
            if value is None:
                generic.add(ind)
            else:
                values.setdefault(ind, set()).add(value)
            companions.setdefault(ind, [])
            for other, v in facts:
                if other != ind and v is not None and (other, v) not in companions[ind]:
                    companions[ind].append((other, v))
    return values, generic, companions, constants, role_var, kind_var


def _constants(rule) -> set:
    found: set = set()

    class Visit(__import__("clingo").ast.Transformer):
        def visit_SymbolicTerm(self, t):  # noqa: N802
            if t.symbol.type == __import__("clingo").SymbolType.Function and not t.symbol.arguments:
                found.add(t.symbol.name)
            return t

        def visit_Function(self, f):  # noqa: N802
            if not f.arguments and f.name:
                found.add(f.name)
            self.visit_children(f)
            return f

    for node in [rule.head, *rule.body]:
        Visit()(node)
    return found


def _used_elsewhere(rule, var: str) -> bool:
    """The variable occurs more than once in the rule (it carries the value on), not just ``_``-like."""
    count = 0

    class Visit(__import__("clingo").ast.Transformer):
        def visit_Variable(self, v):  # noqa: N802
            nonlocal count
            if v.name == var:
                count += 1
            return v

    for node in [rule.head, *rule.body]:
        Visit()(node)
    return count > 1


def _regions(kind: str):
    if kind == "city":
        return [Region("C0", "示例市", "city")], "C0"
    if kind == "township":
        return [Region("C0", "示例市", "city"), Region("R1", "示例县", "county", "C0"),
                Region("T1", "示例镇", "township", "R1")], "T1"
    return [Region("C0", "示例市", "city"), Region("R1", "示例县", "county", "C0")], "R1"


def _top_probe(ctx: Context, ruleset: str, target: str) -> list[Fact]:
    """Facts putting ``target`` at the instrument's top tier / listing, failing every assessment."""
    from .crosswalk import _tier_trigger

    levels = sorted((k for k, v in ctx.kb.vocabulary.get("levels", {}).items() if v.get("instrument") == ruleset),
                    key=lambda k: -ctx.kb.vocabulary["levels"][k].get("rank", 0))
    facts = []
    inds = ctx.indicators_for(ruleset, "region")
    if "listing" in inds:
        facts += [Fact("region", target, y, "listing", levels[0]) for y in range(START, START + 2)]
    else:
        trigger = next((t for t in (_tier_trigger(ctx, ruleset, lvl) for lvl in levels) if t), None)
        if trigger:
            facts.append(Fact("region", target, START, trigger[0], trigger[1]))
    for name in ("tasks_completed", "targets_completed"):
        if name in inds:
            facts += [Fact("region", target, y, name, False) for y in range(START + 1, START + 4)]
    return facts


def _about(atoms, subject: str, ident: str) -> list[str]:
    out = []
    for s in atoms:
        if s.name in ("measure", "duty") and len(s.arguments) == 4:
            subj = s.arguments[0]
            if subj.name == subject and subj.arguments[0].string == ident:
                out.append(str(s))
        elif subject == "region" and s.name in ("finding", "status", "ground") and s.arguments \
                and s.arguments[0].type.name == "String" and s.arguments[0].string == ident:
            out.append(str(s))
    return out


_LOC = ast.Location(ast.Position("<check>", 1, 1), ast.Position("<check>", 1, 1))

_REACHED = """
_chk_role(Role) :- measure(official(O), _, _, _), official(O, _, Role, _).
_chk_role(Role) :- duty(official(O), _, _, _), official(O, _, Role, _).
_chk_kind(K) :- finding(R, _, _), region(R, K).
_chk_kind(K) :- status(R, _, L), region(R, K), L != absent.
_chk_kind(K) :- measure(region(R), _, _, _), region(R, K).
_chk_kind(K) :- duty(region(R), _, _, _), region(R, K).
#defined measure/4. #defined duty/4. #defined finding/3. #defined status/3.
"""


def _leads_to_shown(ctx: Context, ruleset: str) -> set:
    """Predicates from which a shown predicate can be derived (the encodings' dependency graph)."""
    import networkx as nx

    graph = nx.DiGraph()
    for site in ctx.instruments[ruleset].sites:
        for head in A.head_predicates(site.statement):
            for body in A.body_predicates(site.statement):
                graph.add_edge(body, head)
    shown = {p for p in ctx.instruments[ruleset].shown if p in graph}
    leading = set(shown)
    for p in shown:
        leading |= nx.ancestors(graph, p)
    return leading


def _fact_reads(rule):
    """(body without the literal's aggregate, indicator, value term) for every ``fact(_, _, I, V)`` the rule
    reads — in its body or inside a body aggregate's element (then with that element's condition and
    the rest of the body).  An anonymous value becomes a named variable so that the marker can carry it."""
    body = list(rule.body)
    for i, lit in enumerate(body):
        if lit.ast_type != ast.ASTType.Literal:
            continue
        if lit.atom.ast_type == ast.ASTType.SymbolicAtom and lit.sign == ast.Sign.NoSign:
            read = _fact_literal(lit)
            if read:
                yield [*body[:i], read[0], *body[i + 1:]], read[1], read[2]
        elif lit.atom.ast_type == ast.ASTType.BodyAggregate:
            rest = body[:i] + body[i + 1:]
            for element in lit.atom.elements:
                cond = list(element.condition)
                for j, c in enumerate(cond):
                    read = _fact_literal(c) if c.ast_type == ast.ASTType.Literal and \
                        c.atom.ast_type == ast.ASTType.SymbolicAtom and c.sign == ast.Sign.NoSign else None
                    if read:
                        yield [*rest, *cond[:j], read[0], *cond[j + 1:]], read[1], read[2]


def _fact_literal(lit):
    term = lit.atom.symbol
    name, args = A.name_args(term)
    if name != "fact" or len(args) != 4 or not isinstance(A.constant(args[2]), str):
        return None
    value = args[3]
    if value.ast_type == ast.ASTType.Variable and value.name == "_":
        value = ast.Variable(_LOC, "ChkValue")
        term = term.update(arguments=[*args[:3], value])
        lit = lit.update(atom=lit.atom.update(symbol=term))
    elif A.variable(value) is None and A.constant(value) is None:
        return None
    return lit, A.constant(args[2]), value


def _markers(ctx: Context, ruleset: str) -> list:
    """``_chk_read(I, V) :- Body`` for every rule reading an indicator whose head leads to a conclusion."""
    leading = _leads_to_shown(ctx, ruleset)
    out: list = []
    for site in ctx.instruments[ruleset].sites:
        rule = site.statement
        if A.is_constraint(rule) or not (A.head_predicates(rule) & leading):
            continue
        for body, indicator, value in _fact_reads(rule):
            term = ast.Function(_LOC, "_chk_read", [ast.SymbolicTerm(_LOC, Function(indicator)), value], False)
            out.append(ast.Rule(_LOC, ast.Literal(_LOC, ast.Sign.NoSign, ast.SymbolicAtom(term)), body))
    stms: list = []
    ast.parse_string(_REACHED, stms.append)  # fixed text: no data is pasted into it
    return out + [s for s in stms if s.ast_type != ast.ASTType.Program]


def reached_inputs(ctx: Context, ruleset: str, domain: Domain = Domain()) -> dict:
    """What reaches a conclusion in some generated case: {"values": {(I, V)}, "roles": {…}, "kinds": {…}}."""
    from ..bridge import to_python

    stms = _markers(ctx, ruleset)

    def add(builder):
        for stm in stms:
            builder.add(stm)
        for name, arity in (("_chk_read", 2), ("_chk_role", 1), ("_chk_kind", 1)):
            builder.add(show(name, arity))

    ctl = space(ctx, ruleset, domain, add=add)
    atoms = brave(ctl)
    out = {"values": set(), "roles": set(), "kinds": set()}
    for s in atoms:
        if s.name == "_chk_read":
            value = to_python(s.arguments[1])
            out["values"].add((s.arguments[0].name, str(value).lower() if isinstance(value, bool) else value))
        elif s.name == "_chk_role":
            out["roles"].add(s.arguments[0].name)
        elif s.name == "_chk_kind":
            out["kinds"].add(s.arguments[0].name)
    return out


def check_inputs(ctx: Context, ruleset: str, domain: Domain = Domain()) -> list[dict]:
    values, generic, _companions, constants, role_var, kind_var = _reads(ctx, ruleset)
    reached = reached_inputs(ctx, ruleset, domain)
    issues = []
    for name, ind in ctx.indicators_for(ruleset).items():
        if ind.type not in ("enum", "list"):
            continue
        for value in ind.values:
            read = name in generic or value in values.get(name, set())
            if read and (name, value) in reached["values"]:
                continue
            issues.append(_value_issue(ctx, ruleset, name, ind, value, read))
    for role in ctx.kb.vocabulary.get("roles", {}):
        if role not in reached["roles"]:
            issues.append(_role_issue(ctx, ruleset, role, role_var or role in constants))
    for kind in ctx.kb.vocabulary.get("region_kinds", {}):
        if kind != "province" and kind not in reached["kinds"]:
            issues.append(_kind_issue(ctx, ruleset, kind, kind_var or kind in constants))
    return issues


def _value_issue(ctx, ruleset, name, ind, value, read) -> dict:
    kb = ctx.kb
    regions, target = _regions("county")
    raw = (value,) if ind.type == "list" else value
    if ind.subject == "region":
        facts = [Fact("region", target, y, name, raw) for y in range(START, START + 3)]
        officials = []
    else:
        facts = [Fact("official", "p1", y, name, raw) for y in range(START, START + 3)]
        officials = [Official("p1", "示例负责人", target, "party_secretary", START - 3)]
    case = probe_case(ruleset, f"探针：{ind.label.get('zh', name)} = {value}", facts, officials, regions=regions)
    label_zh, label_en = ind.label.get("zh", name), ind.label.get("en", name)
    provisions = [p for p in ind.serves if p in kb]
    if not read:
        zh = (f"指标{label_zh}的取值「{value}」没有任何规则读取：案例可以给出该值，但它不产生任何结论；"
              f"该指标所服务的规定（{_labels(ctx, provisions, 'zh')}）对此值未作对应。")
        en = (f"No rule reads the value {value!r} of {label_en}: a case may give it, and it yields no conclusion; the "
              f"provisions it serves ({_labels(ctx, provisions, 'en')}) do not map it.")
    else:
        zh = (f"指标{label_zh}的取值「{value}」虽被规则读取，但在任何生成的案例中都不通向结论（评定、状态、措施、职责）："
              f"文本未规定该值的后果（{_labels(ctx, provisions, 'zh')}）。")
        en = (f"The value {value!r} of {label_en} is read by the rules but leads to no conclusion (finding, state, "
              f"measure, duty) in any generated case: the text attaches no consequence to it "
              f"({_labels(ctx, provisions, 'en')}).")
    return make_issue(ctx, f"{ruleset}/uncovered-input/{name}/{value}", "uncovered-input", "warning", en,
                      provisions, message_zh=zh, counterexample=case_yaml(case),
                      details={"input": "indicator", "indicator": name, "value": value, "read": read})


def _labels(ctx: Context, pids, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(ctx.kb.get(p).label if lang == "zh" else ctx.kb.get(p).label_en for p in pids) or "—"


def _role_issue(ctx, ruleset, role, read) -> dict:
    kb = ctx.kb
    regions, target = _regions("county")
    facts = _top_probe(ctx, ruleset, target)
    official = Official("p1", f"示例{kb.term('roles', role)}", target, role, START - 5)
    facts += [Fact("official", "p1", y, "neglect", True) for y in range(START - 1, START + 4)]
    case = probe_case(ruleset, f"探针：{kb.term('roles', role)}", facts, [official], regions=regions)
    zh = (f"角色「{kb.term('roles', role)}」在任何生成的案例中都不受任何措施、不负任何职责"
          f"（{'规则从未读取该角色' if not read else '规则虽读取该角色，但没有结论到达该角色'}）："
          f"文本对其责任未作对应。所附案例为一例：所在地区处于最高级别、考核未通过、每年均有履职不力。")
    en = (f"The role {kb.term('roles', role, 'en')} gets no measure and no duty in any generated case "
          f"({'no rule reads the role' if not read else 'the rules read the role but no conclusion reaches it'}): "
          f"the text maps no responsibility to it. The attached case is one example: its area at the top tier, "
          f"assessments failed, neglect found every year.")
    return make_issue(ctx, f"{ruleset}/uncovered-input/role/{role}", "uncovered-input", "warning", en,
                      _title_provisions(ctx, ruleset), message_zh=zh, counterexample=case_yaml(case),
                      details={"input": "role", "role": role, "read": read})


def _title_provisions(ctx: Context, ruleset: str) -> list[str]:
    from .terms import definitions

    defs, _uses = definitions(ctx, ruleset)
    return sorted({d.provision for d in defs})


def _kind_issue(ctx, ruleset, kind, read) -> dict:
    kb = ctx.kb
    regions, target = _regions(kind)
    case = probe_case(ruleset, f"探针：{kb.term('region_kinds', kind)}", _top_probe(ctx, ruleset, target),
                      regions=regions)
    zh = (f"地区类别「{kb.term('region_kinds', kind)}」在任何生成的案例中都没有评定、状态、措施或职责："
          f"文本未将其作为适用对象。所附案例为一例（满足最高级别的标准或被列入、考核未通过）。")
    en = (f"The region kind {kb.term('region_kinds', kind, 'en')} gets no finding, state, measure or duty in any "
          f"generated case: the text does not apply to it. The attached case is one example (meeting the top tier "
          f"or listed, assessments failed).")
    return make_issue(ctx, f"{ruleset}/uncovered-input/kind/{kind}", "uncovered-input", "warning", en,
                      [p.id for p in ctx.kb.articles(ruleset)][:1], message_zh=zh, counterexample=case_yaml(case),
                      details={"input": "region_kind", "kind": kind, "read": read})
