"""Each step cites the provisions of the rule that derived it, and only those (issue 11, item 1);
bookkeeping is folded into the steps it serves (item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explain import why
from explain.api import Explanation
from explain.graph import predicate_of
from explain.render import linearize
from explain.statements import _spec, folded_predicates, restating_predicates, transparent_predicates
from pydesig import load_case
from pydesig.annotations import rule_sites
from pydesig.kb import knowledge_base

REPO = Path(__file__).resolve().parents[1]
DEMOS = {"jilin-2019": REPO / "kb" / "cases" / "tonghua.yaml", "changzhou": REPO / "kb" / "cases" / "changzhou.yaml"}
KB = knowledge_base()


def _within(pid: str, allowed: set[str]) -> bool:
    return any(pid == a or pid.startswith(a + "/") for a in allowed)


def _allowed(ex: Explanation, atom: str, seen=None) -> set[str]:
    """The header provisions of the rule that derived ``atom``, of the rules of the steps merged
    into it with their provisions (transparent; the step a restating conclusion rests on) and of
    the text's own rules it states as premises — read from the encodings' headers, not from the
    explainer's narrowing."""
    seen = seen if seen is not None else set()
    if atom in seen:
        return set()
    seen.add(atom)
    d = ex.derivations
    inst = d.proof(atom)
    if inst is None:
        return set()
    out = set(inst.provisions)
    restating = predicate_of(atom) in restating_predicates()
    for b in inst.positive:
        if b in d.inputs:
            continue
        pred = predicate_of(b)
        if pred in transparent_predicates() or restating or ex.justifier._premise(b) is not None:
            out |= _allowed(ex, b, seen)
    return out


@pytest.fixture(scope="module", params=sorted(DEMOS))
def explained(request):
    ex = Explanation(load_case(str(DEMOS[request.param])), "zh")
    for name, arity in (("finding", 3), ("status", 3), ("measure", 4)):
        for atom in ex.atoms(name, arity):
            ex.tree(atom)
    return ex


def test_no_step_cites_a_provision_outside_its_own_rules(explained):
    ex = explained
    checked = 0
    for atom, node in list(ex.justifier._memo.items()):
        if "fact" in node or not node.get("citations") or atom in ex.derivations.inputs:
            continue  # evidence, and the readings in force (they cite the words they read)
        allowed = _allowed(ex, atom)
        for c in node["citations"]:
            pid = KB.cited_id(c)
            assert _within(pid, allowed), f"{node['statement']} cites {c['label']}, outside {sorted(allowed)}"
        checked += 1
    assert checked > 20


def test_a_step_about_one_tier_cites_only_that_tiers_article():
    case = load_case(str(DEMOS["jilin-2019"]))
    doc = linearize(why(case, region="220581", year=2019), "zh")
    labels = [label for s in doc["steps"] for label in s["seen"] + [c.split("“")[0] for c in s["citations"]]]
    assert not any("第八条" in lab or "第九条" in lab for lab in labels), labels
    ground = next(s for s in doc["steps"] if "规定的挂牌整治情形" in s["statement"])
    cited = {c.split("》")[1].split("“")[0] for c in ground["citations"]} | set(ground["seen"])
    assert cited == {"第七条第（四）项", "第六条"}


def test_the_designation_does_not_cite_the_sanction():
    """"was listed in 2020" is 第二十四条第二款's condition, not 第二十一条 or 第十七条."""
    case = load_case(str(DEMOS["jilin-2019"]))
    doc = linearize(why(case, official="zhang_wei", year=2020, measure="discipline"), "zh")
    for s in doc["steps"][:-1]:
        text = " ".join(s["citations"] + s["seen"])
        assert "第二十一条" not in text, s


def test_the_article_24_discipline_reads_in_at_most_seven_steps():
    case = load_case(str(DEMOS["jilin-2019"]))
    doc = linearize(why(case, official="zhang_wei", year=2020, measure="discipline"), "zh")
    assert len(doc["steps"]) <= 7, [s["statement"] for s in doc["steps"]]
    assert len(doc["evidence"]) == 3


@pytest.mark.parametrize("ruleset", sorted(DEMOS))
def test_every_narrowing_names_provisions_of_the_predicates_rules(ruleset):
    """``cites`` in the statements catalogue only picks among a header's own provisions."""
    heads: dict[str, set[str]] = {}
    for site in rule_sites(ruleset):
        head = site.statement.head
        atom = getattr(head, "atom", None)
        fn = getattr(atom, "symbol", None)
        if fn is None or not hasattr(fn, "arguments"):
            continue
        heads.setdefault(f"{fn.name}/{len(fn.arguments)}", set()).update(site.provisions)
    for pred, pids in (_spec().get("cites") or {}).items():
        if pred in heads:
            assert set(pids) & heads[pred], (pred, pids)
            for pid in pids:
                assert pid in KB, pid


def test_folded_steps_are_stated_somewhere():
    """A folded predicate still has a sentence (``--detail full`` shows it as a step)."""
    assert folded_predicates() <= set(_spec()["statements"])


def test_full_detail_keeps_every_intermediate_step():
    case = load_case(str(DEMOS["jilin-2019"]))
    brief = linearize(why(case, official="zhang_wei", year=2020, measure="discipline"), "zh")
    full = linearize(why(case, official="zhang_wei", year=2020, measure="discipline", detail="full"), "zh")
    assert len(full["steps"]) > len(brief["steps"]) + 5
    statements = " ".join(s["statement"] for s in full["steps"])
    assert "被列入前对禁毒工作重视不够" in statements  # neglect_led/3, folded in the brief form
