"""Properties of every justification of both demo cases: every citation is a provision of kb/,
every leaf is an input fact or a named interpretation, every step that is not a fact cites a
provision, and every conclusion has a proof."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explain.api import Explanation
from pydesig import load_case
from pydesig.bridge import atom_args
from pydesig.kb import knowledge_base

REPO = Path(__file__).resolve().parents[1]
KB = knowledge_base()
CASES = {"jilin-2019": REPO / "kb" / "cases" / "tonghua.yaml", "changzhou": REPO / "kb" / "cases" / "changzhou.yaml"}
_EXPLANATIONS: dict[tuple, Explanation] = {}


def explanation(ruleset: str, lang: str) -> Explanation:
    key = (ruleset, lang)
    if key not in _EXPLANATIONS:
        _EXPLANATIONS[key] = Explanation(load_case(str(CASES[ruleset])), lang)
    return _EXPLANATIONS[key]


def conclusions(ruleset: str) -> list[str]:
    ex = explanation(ruleset, "zh")
    return [a for name, arity in (("finding", 3), ("status", 3), ("measure", 4)) for a in ex.atoms(name, arity)]


ALL = [(r, a) for r in CASES for a in conclusions(r)]




def _walk(node, seen=None):
    seen = set() if seen is None else seen
    if id(node) in seen:
        return
    seen.add(id(node))
    yield node
    for child in node.get("children", []):
        yield from _walk(child, seen)


def check_tree(tree: dict, case) -> None:
    facts = {(f.subject_id, f.year, f.indicator) for f in case.facts}
    for node in _walk(tree):
        assert node["statement"], node
        for c in node["citations"] + [c for a in node.get("alternatives", []) for c in a["citations"]]:
            assert knowledge_base().cited_id(c) in KB, c
            # label and text exactly as kb/ has them; ``quote``, the clauses that applied, from that text
            assert KB.citation(knowledge_base().cited_id(c)) == {k: v for k, v in c.items() if k != "quote"}, c
            for words in c.get("quote", ()):
                assert "".join(words.split()) in "".join(c["text"].split()), c
        children = node.get("children")
        if "fact" in node:
            assert not children
            fact = node["fact"]
            assert set(fact) >= {"indicator", "value", "year", "source"}
            if fact["indicator"] == "decision":  # a decision the case fixes, with its record and source
                fixed = [d for d in case.decisions if d["year"] == fact["year"] and d["decision"] == fact["value"]]
                assert fixed and fact["record"] in {d.get("record") for d in fixed}, fact
                assert fact["source"] in {d.get("source") or Path(case.path).name for d in fixed}, fact
            elif fact["year"] is not None:  # a fact record of the case, with its source
                subject = [s for s in (case.regions, case.officials) if any(
                    (sid, fact["year"], fact["indicator"]) in facts for sid in s)]
                assert subject, fact
            else:  # the structure of the case file: regions, officials
                assert fact["source"] == Path(case.path).name
        elif not children:
            assert node.get("interpretation"), f"a leaf that is neither a fact nor a reading: {node['statement']}"
            for i in node["interpretation"]:
                assert i["id"] in KB.interpretations and i["option"] in KB.interpretations[i["id"]].options
        else:
            assert node["citations"], f"a step without a provision: {node['statement']}"
        for i in node.get("interpretation", []):
            assert i["option"] in KB.interpretations[i["id"]].options


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=st.sampled_from(ALL), lang=st.sampled_from(["zh", "en"]))
def test_every_conclusion_has_a_well_founded_cited_tree(item, lang):
    ruleset, atom = item
    ex = explanation(ruleset, lang)
    assert ex.derivations.proof(atom) is not None, f"no proof of {atom}"
    check_tree(ex.tree(atom), ex.case)


@pytest.mark.parametrize("ruleset", sorted(CASES))
def test_every_conclusion_and_every_measure_group_of_both_demos(ruleset):
    """Not a sample: all of them, in Chinese (the property above samples both languages)."""
    ex = explanation(ruleset, "zh")
    atoms = conclusions(ruleset)
    assert atoms
    for atom in atoms:
        assert ex.derivations.proof(atom) is not None, atom
        check_tree(ex.tree(atom), ex.case)
    groups = {atom_args(a)[:3] for a in ex.atoms("measure", 4)}
    for subject, measure, year in sorted(groups):
        tree = ex.measure_tree(subject, measure, year)
        assert tree["citations"] and tree["children"]
        check_tree(tree, ex.case)


@pytest.mark.parametrize("ruleset", sorted(CASES))
def test_replayed_rules_agree_with_the_answer_set(ruleset):
    """Rules the explainer replays instead of recording give exactly the atoms clingo derived."""
    ex = explanation(ruleset, "zh")
    replayed = ex.model.replayed
    assert replayed, "no rule is replayed"
    true = {str(s) for s in ex.model.atoms}
    for sym in ex.model.atoms:
        key = f"{sym.name}/{len(sym.arguments)}"
        if key in replayed:
            assert ex.derivations.holds(str(sym)), sym
    # every derived atom that is not quiet bookkeeping has a derivation, recorded or replayed
    quiet = ex.derivations.quiet
    for sym in ex.model.atoms:
        text = str(sym)
        if text not in ex.derivations.inputs and f"{sym.name}/{len(sym.arguments)}" not in quiet:
            assert ex.derivations.instances(text), f"true but underived: {text}"
    # and nothing false is replayed: every body atom of every replayed instance is true
    for text in sorted(true):
        for inst in ex.derivations.instances(text):
            assert all(b in true for b in inst.positive), (text, inst.positive)
