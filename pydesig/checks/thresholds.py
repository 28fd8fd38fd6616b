"""Thresholds and bands: overlaps, gaps and open bounds of every numeric condition.

Method.  Every rule of an instrument is read from its clingo AST.  A body literal
``fact(Subject, Y, Indicator, X)`` with the comparisons on ``X`` in the same body (``X >= 5000``,
``X < 10000``, or a number in place of ``X``) is a *condition*: the closed integer interval of
values the rule accepts.  Several literals of one predicate at ``Y``, ``Y-1``, … ``Y-k+1`` (连续k年)
are a condition on a run of consecutive years.  Each condition carries the level its head names
(a tier of ``kb/vocabulary`` levels), the provision it encodes and the interpretation options its
body requires (``interpretation(band_upper_bound, inclusive)``).

- **overlap**: two conditions of different levels whose intervals intersect under compatible
  readings: a value meets two tiers' items.
- **gap**: under some complete reading, a value above the lowest accepted one that no level accepts.
- **open bound**: a value accepted under one option of an interpretation and not under another
  (the text leaves the inclusivity or the count open; the interpretation's ``words`` say where).

Each overlap is confirmed by solving a generated case holding the smallest overlapping value;
that case is attached as ``counterexample``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from clingo import String, ast

from ..model import Fact, Official, Region
from . import astutil as A
from .context import Context
from .ground import case_yaml, model_atoms, probe_case
from .issues import make_issue

__all__ = ["Condition", "conditions", "check_thresholds", "INF"]

INF = 10**12
_OPS = ast.ComparisonOperator


@dataclass(frozen=True)
class Condition:
    ruleset: str
    key: str  # indicator, "consecutive:<predicate>", or the head predicate for a variable indicator
    subject: str  # region | official
    kind: str  # int | enum
    lo: int = 0
    hi: int = INF
    values: frozenset = frozenset()
    level: str | None = None
    outcome: str = ""  # head predicate and its constant arguments
    provision: str | None = None
    readings: frozenset = frozenset()  # {(interpretation, option)}
    file: str = ""
    line: int = 0
    head: object = field(default=None, compare=False, hash=False)
    subject_var: str | None = field(default=None, compare=False, hash=False)
    source: tuple = field(default=(), compare=False, hash=False)  # for runs: (indicator, value) making one year count

    def accepts(self, v) -> bool:
        if self.kind == "enum":
            return v in self.values
        return self.lo <= v <= self.hi

    def label_range(self) -> str:
        if self.kind == "enum":
            return "/".join(sorted(map(str, self.values)))
        return _range(self.lo, self.hi)


def _range(lo: int, hi: int) -> str:
    if hi >= INF:
        return f"≥ {lo}"
    if lo == hi:
        return f"= {lo}"
    return f"{lo}–{hi}"


def _levels(ctx: Context, ruleset: str) -> dict[str, int]:
    levels = ctx.kb.vocabulary.get("levels", {})
    return {k: v.get("rank", 0) for k, v in levels.items() if v.get("instrument", ruleset) == ruleset}


def _interval(var: str, cmps) -> tuple[int, int] | None:
    lo, hi = 0, INF
    for left, op, right in cmps:
        if A.variable(left) == var and A.number(right) is not None:
            k = A.number(right)
        elif A.variable(right) == var and A.number(left) is not None:
            k = A.number(left)
            op = {_OPS.LessThan: _OPS.GreaterThan, _OPS.GreaterThan: _OPS.LessThan, _OPS.LessEqual: _OPS.GreaterEqual,
                  _OPS.GreaterEqual: _OPS.LessEqual}.get(op, op)
        else:
            continue
        if op == _OPS.GreaterEqual:
            lo = max(lo, k)
        elif op == _OPS.GreaterThan:
            lo = max(lo, k + 1)
        elif op == _OPS.LessEqual:
            hi = min(hi, k)
        elif op == _OPS.LessThan:
            hi = min(hi, k - 1)
        elif op == _OPS.Equal:
            lo, hi = max(lo, k), min(hi, k)
        else:
            return None  # != is not an interval
    return lo, hi


def _var_uses(rule, var: str) -> int:
    count = 0

    class Visit(ast.Transformer):
        def visit_Variable(self, v):  # noqa: N802
            nonlocal count
            if v.name == var:
                count += 1
            return v

    for lit in rule.body:
        Visit()(lit)
    return count


def _head_info(ctx: Context, ruleset: str, site, levels) -> tuple[str | None, str, str | None]:
    head = A.head_atom(site.statement)
    if head is None:
        return None, "", None
    name, args = A.name_args(head)
    consts = [A.constant(a) for a in args]
    level = next((c for c in consts if isinstance(c, str) and c in levels), None)
    pids = [c for c in consts if isinstance(c, str) and A.PROVISION_ID.match(c)]
    provision = pids[0] if pids else (site.provisions[0] if site.provisions else None)
    outcome = name + "(" + ",".join(str(c) for c in consts if c is not None and not (isinstance(c, str) and A.PROVISION_ID.match(c))) + ")"
    return level, outcome, provision


def _readings(rule) -> frozenset:
    out = set()
    for atom in A.positive_atoms(rule):
        name, args = A.name_args(atom)
        if name == "interpretation" and len(args) == 2:
            n, o = A.constant(args[0]), A.constant(args[1])
            if isinstance(n, str) and isinstance(o, str):
                out.add((n, o))
    return frozenset(out)


def _year_sources(sites) -> dict[str, tuple]:
    """For each predicate p(R, Y) some rule derives from one fact with a constant value: that fact."""
    out: dict[str, tuple] = {}
    for site in sites:
        head = A.head_atom(site.statement)
        pos = A.positive_atoms(site.statement)
        if head is None or len(pos) != 1 or A.comparisons(site.statement) or A.negative_atoms(site.statement):
            continue
        name, args = A.name_args(pos[0])
        hname, _ = A.name_args(head)
        if name == "fact" and len(args) == 4 and isinstance(A.constant(args[2]), str) \
                and A.constant(args[3]) is not None and hname not in out:
            out[hname] = (A.constant(args[2]), A.constant(args[3]))
    return out


def conditions(ctx: Context, ruleset: str) -> list[Condition]:
    """Every threshold condition of the rule set's encodings."""
    inst = ctx.instruments[ruleset]
    levels = _levels(ctx, ruleset)
    sources = _year_sources(inst.sites)
    out: list[Condition] = []
    for site in inst.sites:
        rule = site.statement
        level, outcome, provision = _head_info(ctx, ruleset, site, levels)
        if not outcome:
            continue
        readings = _readings(rule)
        cmps = A.comparisons(rule)
        common = dict(ruleset=ruleset, level=level, outcome=outcome, provision=provision, readings=readings,
                      file=site.file, line=site.line, head=A.head_atom(rule))
        atoms = A.positive_atoms(rule)
        for atom in atoms:
            name, args = A.name_args(atom)
            if name != "fact" or len(args) != 4:
                continue
            subj_name, subj_args = A.name_args(args[0])
            subject = subj_name if subj_name in ("region", "official") else None
            if subject is None:
                continue
            subject_var = A.variable(subj_args[0]) if subj_args else None
            indicator = A.constant(args[2])
            if isinstance(indicator, str):
                key = indicator
            else:  # an indicator read through a variable: named by the int indicators serving the provision
                served = sorted(n for n, i in ctx.indicators.items() if i.type == "int" and provision in i.serves)
                key = "+".join(served) or outcome.split("(")[0]
            value = args[3]
            var = A.variable(value)
            if var is None:
                const = A.constant(value)
                if isinstance(const, int):
                    out.append(Condition(key=key, subject=subject, kind="int", lo=const, hi=const,
                                         subject_var=subject_var, **common))
                elif isinstance(const, str):
                    out.append(Condition(key=key, subject=subject, kind="enum", values=frozenset([const]),
                                         subject_var=subject_var, **common))
                continue
            own = [c for c in cmps if var in (A.variable(c[0]), A.variable(c[2]))]
            if not own:
                continue
            # the value must be used only by this literal and its comparisons
            if _var_uses(rule, var) != 1 + sum(1 for c in own for t in (c[0], c[2]) if A.variable(t) == var):
                continue
            interval = _interval(var, own)
            if interval is None or interval[0] > interval[1]:
                continue
            out.append(Condition(key=key, subject=subject, kind="int", lo=interval[0], hi=interval[1],
                                 subject_var=subject_var, **common))
        out += _runs(atoms, sources, common)
    return out


def _runs(atoms, sources, common) -> list[Condition]:
    """连续k年: literals p(…, Y), p(…, Y-1), … of one predicate in one body."""
    groups: dict[tuple, set] = {}
    subject_vars: dict[tuple, str] = {}
    for atom in atoms:
        name, args = A.name_args(atom)
        if not name or name == "fact" or len(args) < 2:
            continue
        for i, arg in enumerate(args):
            yo = A.year_offset(arg)
            if yo is None:
                continue
            rest = tuple(str(a) for j, a in enumerate(args) if j != i)
            groups.setdefault((name, i, rest, yo[0]), set()).add(yo[1])
            subject_vars[(name, i, rest, yo[0])] = next((A.variable(a) for j, a in enumerate(args) if j != i
                                                         and A.variable(a)), None)
    out = []
    for (name, _i, _rest, _y), offsets in groups.items():
        n = len(offsets)
        if n >= 2 and sorted(offsets) == list(range(-(n - 1), 1)) and name in sources:
            out.append(Condition(key=f"consecutive:{name}", subject="region", kind="int", lo=n, hi=INF,
                                 subject_var=subject_vars[(name, _i, _rest, _y)], source=sources[name], **common))
    return out


# --------------------------------------------------------------------------- analysis

def _compatible(r1: frozenset, r2: frozenset) -> frozenset | None:
    chosen = dict(r1)
    for n, o in r2:
        if chosen.get(n, o) != o:
            return None
        chosen[n] = o
    return frozenset(chosen.items())


def _options(ctx: Context, conds: list[Condition]) -> dict[str, tuple]:
    names = sorted({n for c in conds for n, _ in c.readings})
    out = {}
    for n in names:
        interp = ctx.kb.interpretations.get(n)
        out[n] = interp.options if interp else tuple(sorted({o for c in conds for m, o in c.readings if m == n}))
    return out


def _assignments(options: dict[str, tuple]):
    names = list(options)
    for combo in itertools.product(*(options[n] for n in names)):
        yield dict(zip(names, combo))


def _applies(c: Condition, assignment: dict) -> bool:
    return all(assignment.get(n) == o for n, o in c.readings)


def _under_text(readings) -> str:
    return ", ".join(f"{n}={o}" for n, o in sorted(readings))


def _key_label(ctx: Context, key: str, conds=(), lang: str = "en") -> str:
    if key.startswith("consecutive:"):
        source = next((c.source for c in conds if c.source), None)
        if lang == "zh":
            ind = ctx.indicators.get(source[0]) if source else None
            return f"{ind.short('zh') if ind else key.split(':', 1)[1]}连续年数"
        via = f", e.g. {source[0]}" if source else ""
        return f"consecutive years of {key.split(':', 1)[1]} ({via[2:] or 'years in a row'})"
    ind = ctx.indicators.get(key)
    if ind:
        return ind.short("zh") if lang == "zh" else f"{key} ({ind.short('zh')})"
    return " / ".join(key.split("+"))


def _range_zh(lo: int, hi: int) -> str:
    if hi >= INF:
        return f"≥ {lo}"
    return f"= {lo}" if lo == hi else f"{lo}至{hi}"


def _labels(ctx: Context, pids, lang: str = "en") -> str:
    return ("、" if lang == "zh" else ", ").join(ctx.label(p) for p in pids)


def _group(conds):
    groups: dict[tuple, list[Condition]] = {}
    for c in conds:
        groups.setdefault((c.key, c.subject, c.kind), []).append(c)
    return groups


def check_thresholds(ctx: Context, ruleset: str) -> list[dict]:
    conds = conditions(ctx, ruleset)
    issues: list[dict] = []
    for (key, subject, kind), group in sorted(_group(conds).items()):
        tiered = [c for c in group if c.level]
        issues += _overlaps(ctx, ruleset, key, tiered)
        if kind == "int":
            issues += _gaps(ctx, ruleset, key, tiered)
        issues += _open_bounds(ctx, ruleset, key, group)
    return issues


def _overlaps(ctx, ruleset, key, conds) -> list[dict]:
    found: dict[tuple, dict] = {}
    for c1, c2 in itertools.combinations(conds, 2):
        if c1.level == c2.level:
            continue
        readings = _compatible(c1.readings, c2.readings)
        if readings is None:
            continue
        if c1.kind == "enum":
            common = c1.values & c2.values
            if not common:
                continue
            lo, hi, witness = None, None, sorted(common)[0]
        else:
            lo, hi = max(c1.lo, c2.lo), min(c1.hi, c2.hi)
            if lo > hi:
                continue
            witness = lo
        a, b = sorted([c1, c2], key=lambda c: (-_levels(ctx, ruleset).get(c.level, 0), c.provision or ""))
        k = (a.level, a.provision, b.level, b.provision, witness)
        entry = found.setdefault(k, {"pair": (a, b), "readings": [], "lo": lo, "hi": hi})
        entry["readings"].append(readings)
        if lo is not None:
            entry["lo"], entry["hi"] = min(entry["lo"], lo), max(entry["hi"], hi)
    issues = []
    for (la, pa, lb, pb, witness), entry in sorted(found.items(), key=lambda kv: (kv[0][4], kv[0][1] or "", kv[0][3] or "")):
        a, b = entry["pair"]
        readings = min(entry["readings"], key=len)
        under = dict(readings)
        span = "" if entry["lo"] is None else (f" (every value {_range(entry['lo'], entry['hi'])})"
                                                if entry["lo"] != entry["hi"] else "")
        confirmation, confirmation_zh, case_text = _confirm(ctx, ruleset, key, witness, a, b, under)
        cond_text = f"under {_under_text(readings)}" if readings else "under every reading of the text"
        message = (f"{_key_label(ctx, key, conds)} = {witness}{span} meets both {ctx.label(pa)} ({_lvl(ctx, la)}) and "
                   f"{ctx.label(pb)} ({_lvl(ctx, lb)}), {cond_text}; the text does not say which tier governs."
                   f" {confirmation}")
        span_zh = "" if entry["lo"] is None or entry["lo"] == entry["hi"] else \
            f"（取值{_range_zh(entry['lo'], entry['hi'])}均如此）"
        cond_zh = f"在解释{_under_text(readings)}下" if readings else "在文本的任何解读下"
        zh = (f"{_key_label(ctx, key, conds, 'zh')}为{witness}时{span_zh}，{cond_zh}同时满足{ctx.label(pa)}"
              f"（{_lvl(ctx, la)}）和{ctx.label(pb)}（{_lvl(ctx, lb)}）；文本未说明适用哪一级别。{confirmation_zh}")
        issues.append(make_issue(
            ctx, f"{ruleset}/threshold-overlap/{_id_key(key)}/{witness}", "threshold-overlap", "warning",
            message.strip(), [pa, pb], under=under, counterexample=case_text, message_zh=zh,
            details={"indicator": key, "value": witness,
                     "range": None if entry["lo"] is None else [entry["lo"], None if entry["hi"] >= INF else entry["hi"]],
                     "items": [{"level": la, "provision": pa, "accepts": a.label_range()},
                               {"level": lb, "provision": pb, "accepts": b.label_range()}]}))
    return issues


def _id_key(key: str, conds=()) -> str:
    if key.startswith("consecutive:"):
        return key.split(":", 1)[1] + "_consecutive_years"
    return key


def _lvl(ctx: Context, level: str | None) -> str:
    return ctx.kb.term("levels", level) if level else "-"


def _gaps(ctx, ruleset, key, conds) -> list[dict]:
    if not conds:
        return []
    options = _options(ctx, conds)
    found: dict[tuple, list] = {}
    for assignment in _assignments(options):
        intervals = sorted((c.lo, c.hi) for c in conds if _applies(c, assignment))
        if not intervals:
            continue
        merged = [list(intervals[0])]
        for lo, hi in intervals[1:]:
            if lo <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        holes = [(merged[i][1] + 1, merged[i + 1][0] - 1) for i in range(len(merged) - 1)]
        if merged[-1][1] < INF:
            holes.append((merged[-1][1] + 1, INF))
        for hole in holes:
            found.setdefault(hole, []).append(assignment)
    issues = []
    all_count = len(list(_assignments(options))) or 1
    for (lo, hi), assignments in sorted(found.items()):
        below = [c for c in conds if c.hi < lo and any(_applies(c, a) for a in assignments)]
        above = [c for c in conds if c.lo > hi and any(_applies(c, a) for a in assignments)]
        # the readings common to every assignment under which the gap occurs
        common = set(assignments[0].items())
        for a in assignments[1:]:
            common &= set(a.items())
        cond_text = ("under every reading of the text" if len(assignments) == all_count
                     else f"under {_under_text(common)}")
        where = (f"between {', '.join(sorted({ctx.label(c.provision) for c in below}))} and "
                 f"{', '.join(sorted({ctx.label(c.provision) for c in above}))}" if above else
                 f"above {', '.join(sorted({ctx.label(c.provision) for c in below}))}")
        message = (f"{_key_label(ctx, key)} {_range(lo, hi)} meets no tier's item ({where}), {cond_text}, "
                   f"although a smaller value does.")
        below_zh = _labels(ctx, sorted({c.provision for c in below}, key=_pkey), "zh")
        where_zh = (f"介于{below_zh}与{_labels(ctx, sorted({c.provision for c in above}, key=_pkey), 'zh')}之间"
                    if above else f"高于{below_zh}")
        cond_zh = "在文本的任何解读下" if len(assignments) == all_count else f"在解释{_under_text(common)}下"
        zh = (f"{_key_label(ctx, key, (), 'zh')}取值{_range_zh(lo, hi)}（{where_zh}）{cond_zh}不满足任何级别的标准，"
              f"而更小的取值却满足。")
        pids = [c.provision for c in below + above if c.provision]
        issues.append(make_issue(ctx, f"{ruleset}/threshold-gap/{_id_key(key)}/{lo}", "threshold-gap", "warning",
                                 message, pids, message_zh=zh,
                                 under=dict(sorted(common)) if len(assignments) != all_count else None,
                                 details={"indicator": key, "range": [lo, None if hi >= INF else hi]}))
    return issues


def _open_bounds(ctx, ruleset, key, conds) -> list[dict]:
    options = _options(ctx, conds)
    issues = []
    defaults = {n: (ctx.kb.interpretations[n].default if n in ctx.kb.interpretations else opts[0])
                for n, opts in options.items()}
    label = _key_label(ctx, key, conds)
    for name, opts in options.items():
        reading_conds = [c for c in conds if any(n == name for n, _ in c.readings)]
        if conds[0].kind == "int":
            candidates = sorted({v for c in conds for b in (c.lo, c.hi) if b < INF for v in (b - 1, b, b + 1) if v >= 0})
        else:
            candidates = sorted({v for c in conds for v in c.values})
        differing: dict = {}
        for v in candidates:
            for outcome in sorted({(c.outcome, c.provision or "") for c in conds}):
                verdicts = {}
                for o in opts:
                    assignment = {**defaults, name: o}
                    verdicts[o] = any(c.accepts(v) for c in conds
                                      if (c.outcome, c.provision or "") == outcome and _applies(c, assignment))
                if len(set(verdicts.values())) > 1:
                    differing.setdefault(v, []).append((outcome, verdicts))
        # one issue per bound of the text: the nearest bound at or below each differing value
        by_bound: dict = {}
        for d in sorted(differing):
            consts = sorted({b for c in reading_conds if c.kind == "int" for b in (c.lo, c.hi) if b < INF and b <= d})
            by_bound.setdefault(consts[-1] if consts else d, []).append(d)
        interp = ctx.kb.interpretations.get(name)
        words = f"「{interp.words}」" if interp else name
        for bound, values in sorted(by_bound.items()):
            d = values[0]
            affected = sorted({p for v in values for (o, p), _ in differing[v] if p}, key=_pkey)
            neighbours = sorted({c.provision for c in conds if c.provision and c.provision not in affected
                                 and c.accepts(d) and c.level}, key=_pkey)
            shown = ", ".join(str(v) for v in values[:4]) + (" …" if len(values) > 4 else "")
            verdicts = differing[d][0][1]
            in_opts = [o for o, ok in verdicts.items() if ok]
            out_opts = [o for o, ok in verdicts.items() if not ok]
            message = (f"{words}: the text leaves open whether {label} = {d} meets "
                       f"{', '.join(ctx.label(p) for p in affected)} — it does under {name}={'/'.join(in_opts)}, "
                       f"not under {name}={'/'.join(out_opts)} (default {defaults[name]}; values read differently: "
                       f"{shown})")
            zh = (f"{words}：文本未明确{_key_label(ctx, key, conds, 'zh')}为{d}时是否满足{_labels(ctx, affected, 'zh')}——"
                  f"在{name}={'/'.join(in_opts)}下满足，在{name}={'/'.join(out_opts)}下不满足（默认{defaults[name]}；"
                  f"读法不同的取值：{shown}）")
            if neighbours:
                message += f"; {d} also meets {', '.join(ctx.label(p) for p in neighbours)}"
                zh += f"；{d}同时满足{_labels(ctx, neighbours, 'zh')}"
            issues.append(make_issue(ctx, f"{ruleset}/threshold-open-bound/{_id_key(key, conds)}/{bound}",
                                     "threshold-open-bound", "info", message + ".", [*affected, *neighbours],
                                     message_zh=zh + "。",
                                     details={"indicator": key, "bound": bound, "interpretation": name,
                                              "values": values[:10]}))
    return issues


def _pkey(pid: str):
    import re

    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pid)]


# --------------------------------------------------------------------------- confirmation

def _confirm(ctx: Context, ruleset: str, key: str, value, a: Condition, b: Condition, under: dict):
    """Solve a generated case holding ``value`` and say what the rules conclude."""
    year = 2020
    if value in ("true", "false"):
        value = value == "true"
    if key.startswith("consecutive:"):
        indicator, v = a.source or b.source
        if v in ("true", "false"):
            v = v == "true"
        facts = [Fact("region", "R1", y, indicator, v) for y in range(year - value + 1, year + 1)]
        subject, ident = "region", "R1"
    elif a.subject == "official":
        facts = [Fact("official", "P1", year, key, value)]
        subject, ident = "official", "P1"
    else:
        facts = [Fact("region", "R1", year, key, value)]
        subject, ident = "region", "R1"
    officials = [Official("P1", "示例人员", "R1", _first_role(ctx), year - 3)] if subject == "official" else []
    case = probe_case(ruleset, f"{_key_label(ctx, key)} = {value}", facts, officials, under,
                      [Region("C0", "示例市", "city"), Region("R1", "示例县", "county", "C0")])
    try:
        atoms = model_atoms(ctx, case)
    except RuntimeError:
        return "", "", case_yaml(case)
    if atoms is None:
        return ("Solving the generated case gives no lawful outcome.", "求解生成的案例得不到合法结果。",
                case_yaml(case))
    held = [_holds(c, atoms, ident) for c in (a, b)]
    if not all(held):
        return ("(Not confirmed by solving a generated case: another condition of the rules intervenes.)",
                "（求解生成的案例未能证实：规则的其他条件起了作用。）", case_yaml(case))
    text = f"Confirmed by solving a generated case: both {ctx.label(a.provision)} and {ctx.label(b.provision)} hold"
    zh = f"已由求解生成的案例证实：{ctx.label(a.provision)}和{ctx.label(b.provision)}均成立"
    findings = sorted(str(s.arguments[2]) for s in atoms if s.name == "finding" and len(s.arguments) == 3
                      and s.arguments[0] == String(ident) and s.arguments[1].number == year)
    readings = sorted(str(s.arguments[2]) for s in atoms if s.name == "finding_reading" and len(s.arguments) == 3
                      and s.arguments[0] == String(ident))
    if findings:
        text += f"; the encodings give {', '.join(_lvl(ctx, f) for f in findings)}"
        zh += f"；编码给出{'、'.join(_lvl(ctx, f) for f in findings)}"
        if readings:
            text += f" by the interpretation {', '.join(readings)}"
            zh += f"（依解释{'、'.join(readings)}）"
    return text + ".", zh + "。", case_yaml(case)


def _first_role(ctx: Context) -> str:
    roles = list(ctx.kb.vocabulary.get("roles", {}) or {"party_secretary": None})
    return roles[0]


def _holds(c: Condition, atoms, ident: str) -> bool:
    from explain.terms import match

    for sym in atoms:
        if sym.name != c.outcome.split("(")[0]:
            continue
        binding = match(c.head, sym, {})
        if binding is None:
            continue
        if c.subject_var is None or binding.get(c.subject_var) in (None, String(ident)):
            return True
    return False
