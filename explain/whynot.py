"""Why not: every rule that could have given a level, the first condition that failed, the
actual and the required value, and the smallest change to the facts that would flip it.

The rules are read from the parsed encodings and their bodies are evaluated against the answer
set literal by literal, in the order the encoder wrote them (which is the order of the text's
conditions).  An indicator absent for a year counts as 0 (a count) or false (a flag), as the
contract says, so "9999 < 10000" and "no poppies recorded: 0 < 3000" read the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from clingo import Number, String, Symbol, SymbolType, ast

from pydesig.indicators import indicators

from .graph import _COMPARE
from .instrument import ExplainedModel, InstrumentedRule
from .statements import Speaker
from .terms import Unbound, evaluate, match

__all__ = ["Failure", "RuleAttempt", "attempts_for_level", "level_document", "measure_document", "change_words"]

LEVEL_HEADS = {"criterion", "ground", "status"}


@dataclass
class Failure:
    condition: str  # the literal as written
    statement: str  # in the chosen language
    actual: object = None
    required: object = None
    change: dict | None = None
    because: "Failure | None" = None  # for an atom that does not hold: the first failure of its rules


@dataclass
class RuleAttempt:
    rule: InstrumentedRule
    holds: bool
    failure: Failure | None


class _Evaluator:
    def __init__(self, model: ExplainedModel, speaker: Speaker):
        self.model, self.say = model, speaker
        self.index: dict[tuple[str, int], list[Symbol]] = defaultdict(list)
        for sym in sorted(model.atoms):  # a fixed order: the first binding that fails is reported
            self.index[(sym.name, len(sym.arguments))].append(sym)
        self.rules_by_head: dict[tuple[str, int], list[InstrumentedRule]] = defaultdict(list)
        for rule in model.rules:
            head = rule.site.statement.head
            if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
                fn = head.atom.symbol
                if fn.ast_type == ast.ASTType.Function:
                    self.rules_by_head[(fn.name, len(fn.arguments))].append(rule)

    # -------------------------------------------------------------------------------------------
    def attempt(self, rule: InstrumentedRule, binding: dict, depth: int = 0) -> RuleAttempt:
        stm = rule.site.statement
        bindings = [binding]
        indicator_of: dict[str, str] = {}
        # A rule that applies only under another reading fails on that first, whatever the facts.
        body = sorted(stm.body, key=lambda lit: not _is_interpretation(lit))
        for lit in body:
            atom = lit.atom
            kept, failure = self._step(lit, atom, bindings, indicator_of, depth)
            if not kept:
                return RuleAttempt(rule, False, failure)
            bindings = kept
        return RuleAttempt(rule, True, None)

    def _step(self, lit, atom, bindings, indicator_of, depth):
        kind = atom.ast_type
        if kind == ast.ASTType.SymbolicAtom:
            fn = atom.symbol
            if lit.sign != ast.Sign.NoSign:
                kept = [b for b in bindings if not self._holds(fn, b)]
                return kept, None if kept else self._negation_failure(fn, bindings[0])
            kept = []
            for b in bindings:
                kept.extend(self._matches(fn, b))
            if fn.ast_type == ast.ASTType.Function and fn.name == "fact" and len(fn.arguments) == 4:
                ind_term = fn.arguments[2]
                if ind_term.ast_type == ast.ASTType.SymbolicTerm:
                    indicator = ind_term.symbol.name
                    value = fn.arguments[3]
                    if value.ast_type == ast.ASTType.Variable:
                        indicator_of[value.name] = indicator
                    if not kept:
                        return self._absent_fact(fn, bindings, indicator)
            if kept:
                return kept, None
            return [], self._missing_atom(fn, bindings[0], depth)
        if kind == ast.ASTType.Comparison:
            kept = [b for b in bindings if self._compare(atom, b)]
            return kept, None if kept else self._comparison_failure(atom, bindings[0], indicator_of)
        if kind == ast.ASTType.BodyAggregate:
            kept = [b for b in bindings if self._aggregate(atom, b)[0]]
            if kept:
                return kept, None
            count, text = self._aggregate(atom, bindings[0])[1:]
            return [], Failure(str(atom), text, actual=count)
        return bindings, None

    # ------------------------------------------------------------------------------- matching
    def _matches(self, fn, binding):
        out = []
        try:
            sym = evaluate(fn, binding)
            return [binding] if sym in self.model.atoms else []
        except Unbound:
            pass
        for sym in self.index.get((fn.name, len(fn.arguments)), ()):
            extended = match(fn, sym, binding)
            if extended is not None:
                out.append(extended)
        return out

    def _holds(self, fn, binding) -> bool:
        return bool(self._matches(fn, binding))

    def _compare(self, cmp, binding) -> bool:
        try:
            left = evaluate(cmp.term, binding)
            for guard in cmp.guards:
                right = evaluate(guard.term, binding)
                if not _COMPARE[guard.comparison][0](left, right):
                    return False
                left = right
        except (Unbound, TypeError):
            return False
        return True

    def _aggregate(self, agg, binding):
        tuples = set()
        for element in agg.elements:
            conds = [c for c in element.condition if c.atom.ast_type == ast.ASTType.SymbolicAtom]
            partial = [binding]
            for cond in conds:
                nxt = []
                for b in partial:
                    nxt.extend(self._matches(cond.atom.symbol, b) if cond.sign == ast.Sign.NoSign
                               else ([b] if not self._holds(cond.atom.symbol, b) else []))
                partial = nxt
            for b in partial:
                try:
                    tuples.add(tuple(evaluate(t, b) for t in element.terms))
                except Unbound:
                    pass
        count = Number(len(tuples))
        ok, parts = True, [f"#count = {len(tuples)}"]
        for guard in (agg.left_guard, agg.right_guard):
            if guard is None:
                continue
            bound = evaluate(guard.term, binding)
            # the left guard reads "bound op aggregate"; clingo normalises it so
            test, sign = _COMPARE[guard.comparison]
            holds = test(bound, count) if guard is agg.left_guard else test(count, bound)
            ok = ok and holds
            parts.append(f"{'' if holds else 'not '}{sign} {bound}" if guard is agg.right_guard
                         else f"{bound} {sign} {len(tuples)}")
        return ok, len(tuples), " ".join(parts)

    # ------------------------------------------------------------------------------- failures
    def _absent_fact(self, fn, bindings, indicator):
        """A fact literal found nothing: absent counts as 0 / false, or another value is given."""
        ind = indicators().get(indicator)
        b = bindings[0]
        value_term = fn.arguments[3]
        subject = fn.arguments[0]
        year_term = fn.arguments[1]
        try:
            year = evaluate(year_term, b).number
            subj = evaluate(subject, b)
        except Unbound:
            year, subj = None, None
        if ind is not None and ind.type == "int" and value_term.ast_type == ast.ASTType.Variable:
            return [{**b, value_term.name: Number(0)}], None  # absent count = 0; the comparison decides
        present = []
        if subj is not None:
            present = [s.arguments[3] for s in self.index.get(("fact", 4), ())
                       if s.arguments[0] == subj and s.arguments[1].number == year
                       and s.arguments[2].name == indicator]
        try:
            required = evaluate(value_term, b)
        except Unbound:
            required = None
        actual = [str(p) for p in present] or ("false" if ind and ind.type == "bool" else None)
        name = self.say.indicator(indicator)
        req = "true" if required is not None and str(required) == "true" else (str(required) if required else None)
        shown_actual = self.say.value(_plain(actual), indicator) if actual not in (None, []) else \
            ("未记载" if self.say.lang == "zh" else "not recorded")
        shown_req = self.say.value(_plain(req), indicator) if req is not None else "—"
        if self.say.lang == "zh":
            statement = f"{year}年{name}：实际为{shown_actual}，要求为{shown_req}"
        else:
            statement = f"{name} in {year}: actual {shown_actual}, required {shown_req}"
        change = {"indicator": indicator, "year": year, "from": _plain(actual), "to": _plain(req)} if req else None
        return [], Failure(str(fn), statement, actual=_plain(actual), required=_plain(req), change=change)

    def _comparison_failure(self, cmp, binding, indicator_of):
        try:
            left = evaluate(cmp.term, binding)
        except Unbound:
            return Failure(str(cmp), str(cmp))
        guard = cmp.guards[0]
        right = evaluate(guard.term, binding)
        test, sign = _COMPARE[guard.comparison]
        var = cmp.term.name if cmp.term.ast_type == ast.ASTType.Variable else None
        indicator = indicator_of.get(var) if var else None
        actual, required = left.number if left.type == SymbolType.Number else str(left), f"{sign} {right}"
        change = None
        if indicator and left.type == SymbolType.Number and right.type == SymbolType.Number:
            target = {"≥": right.number, ">": right.number + 1, "≤": right.number, "<": right.number - 1,
                      "=": right.number}.get(sign)
            if target is not None and target >= 0:
                change = {"indicator": indicator, "year": binding.get("Y").number if "Y" in binding else None,
                          "from": actual, "to": target, "delta": target - actual}
        if not indicator:  # years, terms, counts of the rules: the comparison itself, in words
            def shown(v):
                return f"{v}年" if self.say.lang == "zh" and str(v).isdigit() and len(str(v)) == 4 else str(v)
            words = f"{shown(left)} {sign} {shown(right)}"
            statement = f"条件不成立：{words}" if self.say.lang == "zh" else f"condition not met: {words}"
            return Failure(str(cmp), statement, actual=actual, required=required)
        name = self.say.indicator(indicator)
        if isinstance(actual, int):
            actual_words = self.say.value(actual, indicator)
            required_words = f"{sign} {self.say.value(right.number, indicator) if right.type == SymbolType.Number else right}"
        else:
            actual_words, required_words = actual, required
        if self.say.lang == "zh":
            statement = f"{name}为{actual_words}，要求{required_words}"
            if change:
                statement += f"（{'增加' if change['delta'] > 0 else '减少'}{abs(change['delta'])}即可满足）"
        else:
            statement = f"{name} is {actual_words}, required {required_words}"
            if change:
                statement += f" ({'+' if change['delta'] > 0 else '−'}{abs(change['delta'])} would meet it)"
        return Failure(str(cmp), statement, actual=actual, required=required, change=change)

    def _negation_failure(self, fn, binding):
        try:
            sym = evaluate(fn, binding)
            text = self.say(sym)
        except Unbound:
            text = str(fn)
        prefix = "以下情形存在，排除了本条：" if self.say.lang == "zh" else "this holds and excludes the rule: "
        return Failure(f"not {fn}", prefix + text)

    def _missing_atom(self, fn, binding, depth):
        try:
            sym = evaluate(fn, binding)
        except Unbound:
            return self._missing_pattern(fn, binding, depth)
        if fn.name == "interpretation":
            name, option = (a.name for a in sym.arguments)
            current = next((s.arguments[1].name for s in self.index.get(("interpretation", 2), ())
                            if s.arguments[0].name == name), None)
            statement = (f"本条仅在解释 {name}={option} 下适用，现采用 {name}={current}" if self.say.lang == "zh"
                         else f"applies only under interpretation {name}={option}; in force: {name}={current}")
            return Failure(str(fn), statement, actual=current, required=option,
                           change={"interpretation": name, "from": current, "to": option})
        statement = ("不成立：" if self.say.lang == "zh" else "does not hold: ") + self.say(sym)
        change, because = None, None
        if depth < 3:  # down the rules of the atom: why it does not hold, and what would make it
            for rule in self.rules_by_head.get((sym.name, len(sym.arguments)), ()):
                head_binding = match(rule.site.statement.head.atom.symbol, sym, {})
                if head_binding is None:
                    continue
                sub = self.attempt(rule, head_binding, depth + 1)
                if sub.failure and (because is None or _rank_failure(sub.failure) < _rank_failure(because)):
                    because = sub.failure
            change = because.change if because else None
        return Failure(str(fn), statement, change=change, because=because)

    def _missing_pattern(self, fn, binding, depth):
        """An atom with an unnamed argument that no atom of the answer set matches
        (``disciplined_24(O, _, S)``): stated with the sentence of its predicate where one fits,
        and followed down its rules with the arguments that are known."""
        name = f"{fn.name}/{len(fn.arguments)}"
        because = None
        if depth < 3:
            for rule in self.rules_by_head.get((fn.name, len(fn.arguments)), ()):
                hb = {}
                for term, arg in zip(rule.site.statement.head.atom.symbol.arguments, fn.arguments):
                    try:
                        value = evaluate(arg, binding)
                    except Unbound:
                        continue
                    hb = match(term, value, hb) if hb is not None else None
                if hb is None:
                    continue
                sub = self.attempt(rule, hb, depth + 1)
                if sub.failure and (because is None or _rank_failure(sub.failure) < _rank_failure(because)):
                    because = sub.failure
        lead = "不成立：" if self.say.lang == "zh" else "does not hold: "
        statement = lead + self.say.predicate_name(name)
        return Failure(str(fn), statement, change=because.change if because else None, because=because)

    # ------------------------------------------------------------------------------- candidates
    def level_rules(self, level: str) -> list[tuple[InstrumentedRule, int]]:
        out = []
        for rule in self.model.rules:
            head = rule.site.statement.head
            if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
                continue
            fn = head.atom.symbol
            if fn.ast_type != ast.ASTType.Function or fn.name not in LEVEL_HEADS or len(fn.arguments) < 3:
                continue
            lv = fn.arguments[2]
            if lv.ast_type == ast.ASTType.SymbolicTerm and lv.symbol.type == SymbolType.Function \
                    and lv.symbol.name == level:
                out.append((rule, 0))
        # criterion rules first (they are the text's items), then the rest
        return sorted(out, key=lambda r: (r[0].site.statement.head.atom.symbol.name != "criterion", r[0].index))


def attempts_for_level(model: ExplainedModel, speaker: Speaker, region: str, year: int, level: str):
    """Every rule that could give ``level`` to ``region`` in ``year``, tried against the model."""
    ev = _Evaluator(model, speaker)
    target = {"R": String(region), "Y": Number(year)}
    out = []
    for rule, _ in ev.level_rules(level):
        head = rule.site.statement.head.atom.symbol
        binding = {}
        ok = True
        for pos in (0, 1):
            term = head.arguments[pos]
            value = target["R"] if pos == 0 else target["Y"]
            extended = match(term, value, binding)
            if extended is None:
                ok = False
                break
            binding = extended
        if ok:
            out.append(ev.attempt(rule, binding))
    return out, ev


def _is_interpretation(lit) -> bool:
    atom = lit.atom
    return (atom.ast_type == ast.ASTType.SymbolicAtom and atom.symbol.ast_type == ast.ASTType.Function
            and atom.symbol.name == "interpretation")


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "、".join(value) if value else "—"
    return str(value)


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value] if len(value) != 1 else _plain(value[0])
    if value == "true":
        return True
    if value == "false":
        return False
    return value


# ------------------------------------------------------------------------------------------------
# The why-not document: one entry per item of the text, the changes that would give the level.

def level_document(ex, region: str, year: int, level: str, lang: str, gives_level=None) -> dict:
    """Why ``region`` was (not) at ``level`` in ``year``, read from the explanation ``ex``.

    - one entry per item of the text (``rules``), the ways the item can be met inside
      (``alternatives``: each rule of the encodings for it, what failed, what would meet it);
    - a reading (interpretation) is suggested only where ``gives_level(name, option)`` — solving
      the case under that reading — gives the level;
    - ``changes``: every single change to the facts or readings that would meet an item, ranked
      by how far it moves the facts (a count moved by 1 of 5000 before a count moved from 0 to 1
      or a yes/no turned), then by indicator and year; ``smallest_changes`` are all that tie
      first (``smallest_change``, the first of them);
    - when the level is held, a short answer: the items met, nothing else."""
    from clingo import Function, Number, String

    from pydesig.kb import knowledge_base

    kb = knowledge_base()
    say = ex.speaker
    attempts, _ = attempts_for_level(ex.model, say, region, year, level)
    finding = Function("finding", [String(region), Number(year), Function(level)])
    status = Function("status", [String(region), Number(year), Function(level)])
    holds = ex.holds(finding) or ex.holds(status)
    items: dict[tuple, dict] = {}
    verified: dict[tuple, bool] = {}
    for att in attempts:
        pids = _item_provisions(att)
        entry = items.setdefault(pids, {"citations": [kb.citation(p) for p in pids], "holds": False,
                                        "alternatives": []})
        alt = {"holds": att.holds, "rule": att.rule.site.text}
        if att.rule.site.interpretations:
            alt["interpretation"] = list(att.rule.site.interpretations)
        if att.failure:
            alt["failed"] = {"condition": att.failure.condition, "statement": att.failure.statement,
                             "actual": att.failure.actual, "required": att.failure.required}
            change = att.failure.change
            if change and "interpretation" in change:
                key = (change["interpretation"], change["to"])
                if key not in verified:
                    verified[key] = bool(gives_level and gives_level(*key))
                if not verified[key]:  # kept in the JSON, left out of the text: no help to the reader
                    change = None
                    alt["failed"]["statement"] += ("（改用该解释仍不能得出该级别）" if lang == "zh"
                                                   else " (that reading would not give the level)")
                    alt["failed"]["reading_would_not_help"] = True
            if change:
                alt["change"] = change
        entry["holds"] = entry["holds"] or att.holds
        entry["alternatives"].append(alt)
    rules = list(items.values())
    for entry in rules:  # the closest way to meet the item, on the entry itself
        changes = [a["change"] for a in entry["alternatives"] if "change" in a]
        failing = [a for a in entry["alternatives"] if "failed" in a]
        if changes and not entry["holds"]:
            entry["change"] = min(changes, key=_change_rank)
            entry["failed"] = next(a["failed"] for a in failing if a.get("change") is entry["change"])
        elif failing and not entry["holds"]:
            entry["failed"] = failing[0]["failed"]
        if any("interpretation" in a for a in entry["alternatives"]):
            entry["interpretation"] = sorted({i for a in entry["alternatives"] for i in a.get("interpretation", [])})
    level_name = kb.term("levels", level, lang)
    if holds:
        statement = (f"{say.region(region)}{year}年度为{level_name}" if lang == "zh"
                     else f"{say.region(region)} was at {level_name} in {year}")
        met = [r for r in rules if r["holds"]]
        for r in met:
            r["alternatives"] = [a for a in r["alternatives"] if a["holds"]]
            r.pop("change", None), r.pop("failed", None)
        return {"region": region, "year": year, "level": level, "holds": True, "statement": statement,
                "rules": met}
    if any(r["holds"] for r in rules):
        statement = (f"{say.region(region)}{year}年度符合{level_name}的标准，但依所采用的解释另有更应适用的级别"
                     if lang == "zh" else
                     f"{say.region(region)} met the {level_name} criteria in {year}, but under the "
                     f"interpretation in force another tier prevails")
    else:
        statement = (f"{say.region(region)}{year}年度不符合{level_name}的任何一项标准" if lang == "zh"
                     else f"{say.region(region)} met no criterion of {level_name} in {year}")
    doc = {"region": region, "year": year, "level": level, "holds": False, "statement": statement,
           "rules": rules}
    ranked, seen = [], set()
    for r in rules:
        for a in r["alternatives"]:
            change = a.get("change")
            if change is None:
                continue
            key = tuple(sorted((k, str(v)) for k, v in change.items()))
            if key not in seen:
                seen.add(key)
                ranked.append({**change, "item": r["citations"][0], "words": change_words(change, say)})
    ranked.sort(key=_change_rank)
    if ranked:
        best = _change_rank(ranked[0])[:2]
        doc["changes"] = ranked
        doc["smallest_changes"] = [c for c in ranked if _change_rank(c)[:2] == best]
        doc["smallest_change"] = doc["smallest_changes"][0]
    return doc


def _item_provisions(att: RuleAttempt) -> tuple[str, ...]:
    """The item a rule gives the level under: the provision id in its head (``criterion(R, Y, L,
    "…/art_8/item_5")``), else its header's provisions."""
    head = att.rule.site.statement.head.atom.symbol
    for arg in head.arguments:
        if arg.ast_type == ast.ASTType.SymbolicTerm and arg.symbol.type == SymbolType.String:
            return (arg.symbol.string,)
    return tuple(att.rule.site.provisions)


def _change_rank(change: dict) -> tuple:
    """(kind, relative size, indicator or reading, year): facts before readings; a count moved by
    a small part of itself before one moved from nothing."""
    if "interpretation" in change:
        return (1, 0.0, change["interpretation"], 0)
    delta = change.get("delta")
    if delta is not None:
        base = max(abs(change.get("from") or 0), abs(change.get("to") or 0), 1)
        size = abs(delta) / base
    else:
        size = 1.0
    return (0, size, change.get("indicator") or "", change.get("year") or 0)


def change_words(change: dict, say: Speaker) -> str:
    """A change in words: 「2019年非法种植罂粟株数：4999株 → 5000株」, "reading band_upper_bound=inclusive"."""
    zh = say.lang == "zh"
    if "interpretation" in change:
        return f"改用解释 {change['interpretation']}={change['to']}" if zh else \
            f"the reading {change['interpretation']}={change['to']}"
    ind = change.get("indicator")
    name = say.indicator(ind) if ind else ""
    before = say.value(change.get("from"), ind) if change.get("from") not in (None, []) else \
        ("未记载" if zh else "not recorded")
    after = say.value(change.get("to"), ind)
    year = change.get("year")
    if zh:
        return f"{year}年{name}：{before} → {after}" if year else f"{name}：{before} → {after}"
    return f"{name} in {year}: {before} → {after}" if year else f"{name}: {before} → {after}"


def measure_document(ex, official: str, measure: str, years, lang: str) -> dict:
    """Why ``official`` did not receive ``measure`` in each of ``years``: every rule of the
    encodings that attaches the measure to an official, tried against the answer set, followed down
    the atoms it needs to the condition that failed (「被列为前已在该地区担任相应职务2年及以上：
    任职1年，要求≥ 2」).  Years that fail the same way are given together."""
    from clingo import Function, Number, String

    from pydesig.kb import knowledge_base

    kb = knowledge_base()
    say = ex.speaker
    ev = _Evaluator(ex.model, say)
    target = Function("official", [String(official)])
    held = {y for y in years
            if any(atom_args_text(a)[:3] == (("official", official), measure, y) for a in ex.atoms("measure", 4))}
    groups: dict[tuple, dict] = {}
    for year in years:
        if year in held:
            continue
        for rule in ev.rules_by_head.get(("measure", 4), ()):
            head = rule.site.statement.head.atom.symbol
            binding = {}
            for term, value in zip(head.arguments[:3], (target, Function(measure), Number(year))):
                binding = match(term, value, binding) if binding is not None else None
            if binding is None or _for_other_measures(ev, rule, binding):
                continue
            att = ev.attempt(rule, binding)
            if att.holds or att.failure is None or _not_a_ground(att.failure):
                continue
            chain = _chain(att.failure)
            pids = tuple(rule.site.provisions)
            key = (pids, tuple(f["statement"] for f in chain))
            entry = groups.setdefault(key, {"citations": [kb.citation(p) for p in pids], "years": [], "failed": chain})
            if year not in entry["years"]:
                entry["years"].append(year)
    name = kb.term("measures", measure, lang)
    who = say.official(official)
    if held and not groups:
        shown = "、".join(map(str, sorted(held)))
        statement = (f"{shown}年对{who}适用{name}" if lang == "zh" else f"{who} received \"{name}\" in {shown}")
    else:
        statement = (f"对{who}不适用{name}的理由" if lang == "zh" else f"why {who} did not receive \"{name}\"")
    return {"official": official, "measure": measure, "years": sorted(years), "held": sorted(held),
            "holds": bool(held) and not groups, "statement": statement, "rules": list(groups.values())}


def _rank_failure(f: Failure) -> tuple:
    """Which failure of an atom's rules to tell: one the facts could change, then any under the
    reading in force, then one that needs another reading."""
    change = f.change or {}
    return (0 if "indicator" in change else 2 if "interpretation" in change else 1,)


def _chain(failure: Failure) -> list[dict]:
    """A failure and, for an atom that does not hold, why, down to the condition that failed."""
    out = []
    while failure is not None:
        out.append({"condition": failure.condition, "statement": failure.statement,
                    "actual": failure.actual, "required": failure.required})
        failure = failure.because
    return out


def _for_other_measures(ev, rule, binding) -> bool:
    """A rule whose bookkeeping names the measures it gives (``restriction_24(M)``: 不得评先受奖、
    不得提拔 under 第二十四条第一款) and not this one: it is no ground for the measure asked about,
    whatever else fails first in its body."""
    from .statements import quiet_predicates

    quiet = quiet_predicates()
    for lit in rule.site.statement.body:
        if lit.ast_type != ast.ASTType.Literal or lit.sign != ast.Sign.NoSign:
            continue
        if lit.atom.ast_type != ast.ASTType.SymbolicAtom or lit.atom.symbol.ast_type != ast.ASTType.Function:
            continue
        fn = lit.atom.symbol
        if f"{fn.name}/{len(fn.arguments)}" not in quiet:
            continue
        try:
            sym = evaluate(fn, binding)
        except Unbound:
            continue
        if sym not in ev.index.get((fn.name, len(fn.arguments)), ()):
            return True
    return False


def _not_a_ground(failure: Failure) -> bool:
    """A rule for other measures (``restriction_24(M)``: bookkeeping that names the measures it
    gives), or one that only adds a citation to a measure held on other grounds
    (``measure_rests_on``): nothing to tell about this measure."""
    from .statements import quiet_predicates

    name = failure.condition.removeprefix("not ").split("(")[0]
    quiet = {q.split("/")[0] for q in quiet_predicates()}
    return name in quiet or name == "measure_rests_on"


def atom_args_text(text: str) -> tuple:
    from pydesig.bridge import atom_args

    return atom_args(text)
