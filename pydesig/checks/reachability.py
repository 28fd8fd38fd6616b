"""Reachability: encoded rules that no possible case fires, and operative provisions not encoded.

Method.  For every rule *k* of an instrument (``pydesig.annotations.rule_sites``) a marker rule
``_chk_fired(k) :- <the rule's body>.`` is added (clingo AST), and the encodings are grounded over
the space of generated cases (:mod:`.generate`: every region kind, every role, five years, the
values that matter for every indicator, every option of every interpretation).  The brave
consequences of ``_chk_fired/1`` are the rules some case fires; the others fire in no case of the
space.  A provision none of whose rules fires is reported as never applied; a provision with some
rules that never fire is reported with those rules.

Operative provisions (``modality`` obligatory or discretionary in ``kb/provisions``) that no rule
cites — neither the unit nor a unit inside it — and that ``kb/coverage.yaml`` does not excuse are
reported as not encoded.
"""

from __future__ import annotations

from clingo import Number

from . import astutil as A
from .context import Context
from .generate import Domain, brave, marker_rule, show, space
from .issues import make_issue

__all__ = ["fired_rules", "check_reachability", "check_coverage"]


def fired_rules(ctx: Context, ruleset: str, domain: Domain = Domain()) -> tuple[set[int], list]:
    """Indices (into the instrument's rule sites) of the rules some generated case fires."""
    sites = ctx.instruments[ruleset].sites
    markable = [k for k, s in enumerate(sites) if s.statement.body and not A.is_constraint(s.statement)]

    def add(builder):
        for k in markable:
            builder.add(marker_rule("_chk_fired", [Number(k)], sites[k].statement.body))
        builder.add(show("_chk_fired", 1))

    ctl = space(ctx, ruleset, domain, add=add)
    fired = {s.arguments[0].number for s in brave(ctl) if s.name == "_chk_fired"}
    facts = {k for k, s in enumerate(sites) if not s.statement.body}
    return fired | facts, markable


def check_reachability(ctx: Context, ruleset: str, domain: Domain = Domain()) -> list[dict]:
    sites = ctx.instruments[ruleset].sites
    fired, markable = fired_rules(ctx, ruleset, domain)
    dead = [k for k in markable if k not in fired]
    by_provision: dict[str, list[int]] = {}
    all_by_provision: dict[str, list[int]] = {}
    for k, s in enumerate(sites):
        if not s.provisions or A.is_constraint(s.statement):
            continue
        all_by_provision.setdefault(s.provisions[0], []).append(k)
    for k in dead:
        if sites[k].provisions:
            by_provision.setdefault(sites[k].provisions[0], []).append(k)
    issues = []
    scope = (f"any generated case ({len(domain.regions)} regions of every kind, {len(domain.officials)} officials in "
             f"every role, {domain.years} years, the values that matter for every indicator, every option of every "
             f"interpretation)")
    for pid, ks in sorted(by_provision.items(), key=lambda kv: _pkey(kv[0])):
        total = all_by_provision.get(pid, [])
        rules = "; ".join(f"{sites[k].file}:{sites[k].line} {_short(sites[k].text)}" for k in ks[:5])
        more = f" (and {len(ks) - 5} more)" if len(ks) > 5 else ""
        heads = sorted({f"{p[0]}/{p[1]}" for k in ks for p in A.head_predicates(sites[k].statement)})
        scope_zh = (f"任何生成的案例（{len(domain.regions)}个各类地区、{len(domain.officials)}名各类角色人员、"
                    f"{domain.years}年、各指标的关键取值、各解释的每一选项）")
        if len(ks) == len(total):
            msg = (f"{ctx.label(pid)} is encoded but none of its {len(ks)} rule(s) fires in {scope}: {rules}{more}. "
                   f"Either the rules can never apply or they wait for a combination the text cannot produce.")
            zh = (f"{ctx.label(pid)}已编码，但其{len(ks)}条规则在{scope_zh}中都不触发：{rules}{more}。"
                  f"这些规则要么永远不能适用，要么等待文本无法产生的条件组合。")
        else:
            msg = (f"{len(ks)} of the {len(total)} rules encoding {ctx.label(pid)} fire in no {scope[4:]}: "
                   f"{rules}{more}.")
            zh = f"编码{ctx.label(pid)}的{len(total)}条规则中有{len(ks)}条在{scope_zh}中都不触发：{rules}{more}。"
        issues.append(make_issue(ctx, f"{ruleset}/unreachable/{pid.split('/', 1)[1]}/{'+'.join(heads)}",
                                 "unreachable", "warning", msg, [pid], message_zh=zh,
                                 details={"rules": [f"{sites[k].file}:{sites[k].line}" for k in ks],
                                          "heads": heads}))
    return issues


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _pkey(pid: str):
    import re

    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pid)]


def check_coverage(ctx: Context, ruleset: str) -> list[dict]:
    """Operative provisions no rule cites and kb/coverage.yaml does not excuse."""
    kb = ctx.kb
    cited = set()
    for site in ctx.instruments[ruleset].sites:
        for pid in site.provisions:
            if pid in kb:
                p = kb.get(pid)
                cited.add(p.id)
                cited.add(f"{p.instrument}/art_{p.article}")
        for term in A.head_terms(site.statement):
            for pid in A.provision_strings(term):
                if pid in kb:
                    cited.add(kb.canonical(pid))
    excused = {kb.canonical(p) for p in ctx.coverage if p in kb}
    issues = []
    for p in kb:
        if p.instrument != ruleset or p.modality not in ("obligatory", "discretionary"):
            continue
        covered = p.id in cited or p.id in excused or any(c.startswith(p.id + "/") for c in cited | excused)
        # an item or paragraph inside an excused article is excused
        covered = covered or any(p.id.startswith(e + "/") for e in excused)
        if covered:
            continue
        issues.append(make_issue(
            ctx, f"{ruleset}/not-encoded/{p.id.split('/', 1)[1]}", "not-encoded", "warning",
            f"{p.label} is {p.modality} ({ctx.kb.term('modalities', p.modality)}) but no rule encodes it and "
            f"kb/coverage.yaml gives no reason: 「{_short(p.zh, 60)}」.", [p.id],
            message_zh=f"{p.label}具有规范效力（{ctx.kb.term('modalities', p.modality)}），但没有规则编码它，"
                       f"kb/coverage.yaml 也未说明理由：「{_short(p.zh, 60)}」。"))
    return issues
