"""Overlapping triggers: the same facts attach one measure under two provisions, or by two bodies.

Method (over the space of generated cases, :mod:`.generate`).  Marker rules (clingo AST, fixed
text) derive

- ``_chk_twice(M, P1, P2)`` when one subject in one year gets measure M under two provisions P1 < P2
  of which neither is the instrument's catalogue of the forms of accountability (Jilin 第二十一条,
  Changzhou 第二十条 — a measure cites its form there beside the provision that imposes it) nor a
  provision that defines the responsible persons (a measure on a person cites the definition of
  its title);
- ``_chk_bodies(M, B1, B2, P)`` when one measure of one subject-year is taken by two bodies.

The brave consequences of the markers over the generated cases are every overlap some case has;
for each, one more solve under the marker as an assumption gives a witness answer set, whose case
is the runnable counterexample.  Two provisions imposing the same measure for the same facts is a
double sanction (or one act the text prescribes twice — which body acts, and whether both do, is
then for the analyst to settle): a warning.  Two bodies named by one provision (上级党委和政府及禁毒委员会)
act jointly by the text: info, so that the analyst knows the measure names both.
"""

from __future__ import annotations

from clingo import Function, String, ast

from .context import Context
from .generate import Domain, brave, show, space
from .ground import case_yaml
from .issues import make_issue
from .witness import witness_case

__all__ = ["check_triggers", "imposing"]

_MARKERS = """
_chk_twice(M, A1, A2) :- measure(S, M, Y, P1), measure(S, M, Y, P2),
    _chk_imposes(M, P1, A1), _chk_imposes(M, P2, A2), A1 < A2.
_chk_twice(M, A1, A2, P1, P2) :- measure(S, M, Y, P1), measure(S, M, Y, P2),
    _chk_imposes(M, P1, A1), _chk_imposes(M, P2, A2), A1 < A2.
_chk_other(S, M, Y, A) :- measure(S, M, Y, P), _chk_imposes(M, P, A), measure(S, M, Y, P2),
    _chk_imposes(M, P2, A2), A2 != A.
_chk_joint(M, B1, B2, A) :- measure_by(S, M, Y, B1), measure_by(S, M, Y, B2), B1 < B2, measure(S, M, Y, P),
    _chk_imposes(M, P, A), not _chk_other(S, M, Y, A).
#defined measure/4.
#defined measure_by/4.
"""


def imposing(ctx: Context, ruleset: str) -> dict[str, dict[str, str]]:
    """Measure → {provision: article} of the operative provisions that *impose* it: the provision's own
    text, or its article's chapeau, names the measure (``kb/crosswalk.yaml`` ``lexicon.measure_phrases``).
    A measure atom also cites its supporting provisions (the catalogue of forms, the definition of a
    title, the decision it rests on); they impose nothing and are left out."""
    import re

    phrases = ctx.crosswalk.get("lexicon", {}).get("measure_phrases", {}) or {}
    out: dict[str, dict[str, str]] = {}
    catalogue = (ctx.crosswalk.get("lexicon", {}).get("catalogue") or {}).get(ruleset, "")
    for p in ctx.kb:
        if p.instrument != ruleset or p.modality not in ("obligatory", "discretionary"):
            continue
        article = f"{ruleset}/art_{p.article}"
        if catalogue and (article == catalogue):
            continue
        # one rule of the text: an item whose chapeau imposes the measure belongs to that list
        # (具有下列情形之一的…), an item that names it itself (应采取以下措施：…) stands alone
        parent = p.id.rsplit("/item_", 1)[0]
        chapeau = "".join(ctx.kb.get(u).zh for u in dict.fromkeys((parent, article)) if u in ctx.kb and u != p.id)
        for measure, pattern in phrases.items():
            if _criterion_only(p.zh, pattern):
                continue
            if re.search(pattern, p.zh):
                out.setdefault(measure, {})[p.id] = p.id
            elif re.search(pattern, chapeau):
                out.setdefault(measure, {})[p.id] = parent
    return out


def _criterion_only(text: str, pattern: str) -> bool:
    """The phrase names a past act the provision counts (被…通报批评2次的), not one it imposes."""
    import re

    return bool(re.search(r"被[^，。；]*(" + pattern + r")[^，。；]*\d+次", text))


def _statements(imposes: dict[str, dict[str, str]]) -> list:
    stms: list = []
    ast.parse_string(_MARKERS, stms.append)  # fixed text: no data is pasted into it
    stms = [s for s in stms if s.ast_type != ast.ASTType.Program]
    loc = ast.Location(ast.Position("<check>", 1, 1), ast.Position("<check>", 1, 1))
    for measure, provisions in sorted(imposes.items()):
        for pid, article in sorted(provisions.items()):
            args = [Function(measure), String(pid), String(article)]
            term = ast.Function(loc, "_chk_imposes", [ast.SymbolicTerm(loc, a) for a in args], False)
            stms.append(ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(term)), []))
    return stms


def check_triggers(ctx: Context, ruleset: str, domain: Domain = Domain()) -> list[dict]:
    stms = _statements(imposing(ctx, ruleset))

    def add(builder):
        for s in stms:
            builder.add(s)
        builder.add(show("_chk_twice", 3))
        builder.add(show("_chk_twice", 5))
        builder.add(show("_chk_joint", 4))

    ctl = space(ctx, ruleset, domain, add=add)
    found = brave(ctl)
    twice: dict[tuple, dict] = {}
    joint: dict[tuple, list] = {}
    for s in found:
        a = s.arguments
        if s.name == "_chk_twice" and len(a) == 3:
            twice.setdefault((a[1].string, a[2].string), {"measures": [], "markers": [], "items": set()})
            twice[(a[1].string, a[2].string)]["measures"].append(a[0].name)
            twice[(a[1].string, a[2].string)]["markers"].append(s)
        elif s.name == "_chk_twice":
            twice.setdefault((a[1].string, a[2].string), {"measures": [], "markers": [], "items": set()})
            twice[(a[1].string, a[2].string)]["items"].update({a[3].string, a[4].string})
        elif s.name == "_chk_joint":
            joint.setdefault((a[3].string, a[1].name, a[2].name), []).append((a[0].name, s))
    issues = []
    for (u1, u2), group in sorted(twice.items()):
        case = witness_case(ctx, ruleset, ctl, group["markers"][0], stms, domain, title="重叠触发")
        issues.append(_twice_issue(ctx, ruleset, u1, u2, group, case))
    for (unit, b1, b2), entries in sorted(joint.items()):
        case = witness_case(ctx, ruleset, ctl, entries[0][1], stms, domain, title="共同作出")
        issues.append(_joint_issue(ctx, ruleset, unit, b1, b2, [m for m, _ in entries], case))
    return issues


def _bodies_in(ctx: Context, case, measure: str, provisions: set) -> dict[str, list[str]]:
    """In the counterexample: for one subject-year with ``measure`` under the given provisions, the bodies."""
    from .ground import consequences_for

    found = consequences_for(ctx, case) if case is not None else None
    by_point: dict[tuple, set] = {}
    cited: dict[tuple, set] = {}
    for s in (found[0] if found else ()):
        a = s.arguments
        if s.name == "measure" and len(a) == 4 and a[1].name == measure and a[3].string in provisions:
            cited.setdefault((str(a[0]), a[2].number), set()).add(a[3].string)
        elif s.name == "measure_by" and len(a) == 4 and a[1].name == measure:
            by_point.setdefault((str(a[0]), a[2].number), set()).add(a[3].name)
    for point, pids in sorted(cited.items()):
        if len(pids) > 1 or len(cited) == 1:
            return {"subject": point[0], "year": point[1], "bodies": sorted(by_point.get(point, ()))}
    return {}


def _names(ctx: Context, section: str, ids, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(ctx.kb.term(section, i, lang) for i in ids)


def _twice_issue(ctx, ruleset, u1, u2, group, case) -> dict:
    kb = ctx.kb
    measures = sorted(set(group["measures"]))
    items = sorted(group["items"] - {u1, u2}, key=_pkey)
    a, b = kb.get(u1), kb.get(u2)
    seen = _bodies_in(ctx, case, measures[0], group["items"] | {u1, u2})
    if seen.get("bodies"):
        who_zh = f"（例中作出机关：{_names(ctx, 'bodies', seen['bodies'], 'zh')}）；是由一个机关处理一次，还是各机关各自处理"
        who_en = (f" (the bodies in the example: {_names(ctx, 'bodies', seen['bodies'], 'en')}); the text does not say "
                  f"whether one body acts once or each acts")
    else:
        who_zh, who_en = "；是一次处分还是两次", "; the text does not say whether this is one sanction or two"
    zh = (f"同一事实使同一对象在同一年既依{a.label}又依{b.label}受到{_names(ctx, 'measures', measures, 'zh')}"
          f"{who_zh}（重复处理），文本未作规定。")
    en = (f"The same facts subject one subject in one year to {_names(ctx, 'measures', measures, 'en')} under both "
          f"{a.label_en} and {b.label_en}{who_en} (a double sanction).")
    ident = f"{ruleset}/overlapping-triggers/{u1.split('/', 1)[1]}+{u2.split('/', 1)[1]}"
    return make_issue(ctx, ident, "overlapping-triggers", "warning", en, [u1, u2, *items], message_zh=zh,
                      counterexample=case_yaml(case) if case else None,
                      details={"measures": measures, "provisions": [u1, u2], "items": items, "example": seen})


def _joint_issue(ctx, ruleset, unit, b1, b2, measures, case) -> dict:
    kb = ctx.kb
    prov = kb.get(unit)
    measures = sorted(set(measures))
    zh = (f"{prov.label}的{_names(ctx, 'measures', measures, 'zh')}由{_names(ctx, 'bodies', [b1, b2], 'zh')}作出："
          f"文本并列两个机关，是共同作出一次，还是各自作出，未作规定。")
    en = (f"{prov.label_en} has {_names(ctx, 'measures', measures, 'en')} taken by "
          f"{_names(ctx, 'bodies', [b1, b2], 'en')}: the text names both bodies and leaves open whether they act "
          f"once together or each on its own.")
    ident = f"{ruleset}/overlapping-triggers/{unit.split('/', 1)[1]}/{b1}+{b2}"
    return make_issue(ctx, ident, "overlapping-triggers", "info", en, [unit], message_zh=zh,
                      counterexample=case_yaml(case) if case else None,
                      details={"measures": measures, "bodies": [b1, b2], "provision": unit})


def _pkey(pid: str):
    import re

    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", pid)]
