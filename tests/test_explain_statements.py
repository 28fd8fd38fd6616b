"""Every predicate the rule sets derive is stated in Chinese and English, or quiet."""

from __future__ import annotations

from pathlib import Path

import pytest
from clingo import ast

from explain.api import Explanation
from explain.statements import Speaker, _spec, quiet_predicates, transparent_predicates
from pydesig import load_case
from pydesig.annotations import rule_sites
from pydesig.indicators import indicators
from pydesig.kb import knowledge_base
from pydesig.program import RULESETS, encoding_files

REPO = Path(__file__).resolve().parents[1]
KB = knowledge_base()
DEMOS = {"jilin-2019": REPO / "kb" / "cases" / "tonghua.yaml", "changzhou": REPO / "kb" / "cases" / "changzhou.yaml"}


def _derived(ruleset: str) -> set[str]:
    heads = set()
    for site in rule_sites(ruleset):
        head = site.statement.head
        if head.ast_type == ast.ASTType.Literal:
            if head.atom.ast_type == ast.ASTType.SymbolicAtom:
                fn = head.atom.symbol
                heads.add(f"{fn.name}/{len(fn.arguments)}")
        else:
            for element in head.elements:
                fn = element.literal.atom.symbol
                heads.add(f"{fn.name}/{len(fn.arguments)}")
    return heads


def _shown(ruleset: str) -> set[str]:
    shown = set()
    for path in encoding_files(ruleset):
        ast.parse_files([str(path)], lambda s: shown.add(f"{s.name}/{s.arity}")
                        if s.ast_type == ast.ASTType.ShowSignature else None)
    return shown


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_derived_predicate_has_a_statement_or_is_quiet(ruleset):
    statements = set(_spec()["statements"])
    missing = sorted(p for p in _derived(ruleset) if p not in statements and p not in quiet_predicates())
    assert not missing, f"no sentence and not quiet: {missing} (explain/templates/statements.yaml)"


def test_statements_have_both_languages_and_name_no_unknown_predicate():
    derived = set().union(*(_derived(r) for r in RULESETS))
    inputs = {"region/2", "parent/2", "official/4", "official_until/2", "official_member_unit/1", "decision/3", "fact/4", "year/1",
              "last_fact_year/1", "interpretation/2"}
    for key, text in _spec()["statements"].items():
        assert set(text) == {"zh", "en"}, key
        assert key in derived | inputs, f"statement for a predicate no rule derives: {key}"
    assert not (set(_spec()["statements"]) & quiet_predicates()), "a predicate is both stated and quiet"


@pytest.mark.parametrize("ruleset", RULESETS)
def test_conclusions_and_transparent_steps_are_never_quiet(ruleset):
    quiet = quiet_predicates()
    assert not (_shown(ruleset) & quiet), "a shown conclusion is quiet"
    assert not (transparent_predicates() & quiet)
    assert transparent_predicates() <= set(_spec()["statements"])  # stated where negated


@pytest.mark.parametrize("ruleset", RULESETS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_atom_of_the_demo_reads_as_a_sentence(ruleset, lang):
    """No atom of a stated predicate comes out as raw ASP, and no template fails on real atoms."""
    case = load_case(str(DEMOS[ruleset]))
    ex = Explanation(case, lang)
    say = Speaker(case, lang)
    quiet = quiet_predicates()
    stated = set(_spec()["statements"])
    for sym in ex.model.atoms:
        key = f"{sym.name}/{len(sym.arguments)}"
        if key in quiet or key not in stated:
            continue
        sentence = say(sym)
        assert sentence and sentence != str(sym), sym
        assert "None" not in sentence and "{{" not in sentence, (sym, sentence)
        if lang == "zh":  # every id is named, except the interpretations (users switch them by id)
            plain = sentence
            for name, interp in KB.interpretations.items():
                for option in interp.options:
                    plain = plain.replace(f"{name}={option}", "")
                plain = plain.replace(name, "")
            # the kb's own notes name indicators and terms by id (listing、listed_by; serious_area)
            for name in [*indicators(), *(k for section in KB.vocabulary.values() for k in section)]:
                plain = plain.replace(name, "")
            assert "_" not in plain, (sym, sentence)


def test_chinese_statements_read_as_a_legal_opinion():
    case = load_case(str(DEMOS["jilin-2019"]))
    zh, en = Speaker(case, "zh"), Speaker(case, "en")
    atom = 'trigger("220581",2020,listed_rectification,2019)'
    assert zh(atom) == "依2019年度的评定，梅河口市（220581）应自2020年起予以挂牌整治"
    assert en(atom) == "on the finding for 2019, 梅河口市 (220581) is to be placed under listed rectification from 2020"
    assert zh('term_years(listed_rectification,2)') == "挂牌整治实行2年限期整治"
    assert zh('status("220581",2024,absent)') == "梅河口市（220581）2024年不再处于重点整治"


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_negated_condition_with_an_unnamed_argument_reads_as_a_sentence(ruleset):
    """``not met(C, Y, _)`` is stated in words (the catalogue's ``negations``), never as ASP."""
    from clingo import ast

    from pydesig.annotations import rule_sites

    negations = _spec().get("negations", {})
    quiet = quiet_predicates()
    for site in rule_sites(ruleset):
        if site.statement.head.ast_type == ast.ASTType.Literal and \
                site.statement.head.atom.ast_type == ast.ASTType.BooleanConstant:
            continue  # an integrity constraint: never explained
        for lit in site.statement.body:
            if lit.ast_type != ast.ASTType.Literal or lit.sign == ast.Sign.NoSign:
                continue
            if lit.atom.ast_type != ast.ASTType.SymbolicAtom:
                continue
            fn = lit.atom.symbol
            key = f"{fn.name}/{len(fn.arguments)}"
            if key in quiet or not any(str(a) == "_" for a in fn.arguments):
                continue
            assert key in negations, f"{site.file}:{site.line}: no sentence for 'not {fn}'"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checks_are_in_words(lang):
    """Counts with their unit, years as years, aggregates by what they count; no #count."""
    from explain import render, why

    case = load_case(str(DEMOS["jilin-2019"]))
    text = render(why(case, region="220581", year=2019, lang=lang), "text", lang)
    assert ("12000株 ≥ 10000株" if lang == "zh" else "12000 plants ≥ 10000") in text
    text = render(why(case, official="zhang_wei", year=2022, measure="discipline", lang=lang), "text", lang)
    assert "#count" not in text and "#sum" not in text
    assert "2021 ≤ 2023" not in text  # the case's span of years is bookkeeping, not a check


def test_a_count_of_one_is_a_number_not_yes():
    case = load_case(str(DEMOS["jilin-2019"]))
    zh, en = Speaker(case, "zh"), Speaker(case, "en")
    assert zh.value(1, "poppy_plants") == "1株" and en.value(1, "labs_busted_elsewhere") == "1 site"
    assert zh.value(1) == "1" and zh.value(True) == "是" and en.value("false") == "no"


def _body_literals(ruleset: str):
    """(site, literal) of every rule body literal of ``ruleset`` (inside choice conditions too),
    integrity constraints left out (never explained)."""
    for site in rule_sites(ruleset):
        stm = site.statement
        if stm.head.ast_type == ast.ASTType.Literal and stm.head.atom.ast_type == ast.ASTType.BooleanConstant:
            continue
        for lit in stm.body:
            yield site, lit


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_aggregate_is_stated_in_words(ruleset):
    """``#count {R : counted_area(…)} >= 3`` reads 「3个毒品问题严重地区 ≥ 3个」: what a #count or #sum
    of the rules counts has its words in the catalogue (``counted`` / ``summed``); a #max or #min
    only picks a value (``K = #max {…}``), which the conclusion using it states."""
    spec = _spec()
    for site, lit in _body_literals(ruleset):
        if lit.ast_type != ast.ASTType.Literal or lit.atom.ast_type != ast.ASTType.BodyAggregate:
            continue
        agg = lit.atom
        fn = {0: "#count", 1: "#sum", 2: "#sum+", 3: "#min", 4: "#max"}[int(agg.function)]
        first = next(c.atom.symbol for e in agg.elements for c in e.condition
                     if c.ast_type == ast.ASTType.Literal and c.atom.ast_type == ast.ASTType.SymbolicAtom)
        key = f"{first.name}/{len(first.arguments)}"
        where = f"{site.file}:{site.line}"
        if fn in ("#max", "#min"):
            guards = [g for g in (agg.left_guard, agg.right_guard) if g is not None]
            assert len(guards) == 1 and guards[0].term.ast_type == ast.ASTType.Variable, \
                f"{where}: a {fn} that is a condition, not an assignment: give it words in explain/statements.py"
            continue
        section = "counted" if fn == "#count" else "summed"
        assert key in (spec.get(section) or {}), f"{where}: no words for {fn} over {key} (statements.yaml {section})"


def test_the_aggregate_words_name_only_counted_predicates():
    counted = set()
    for ruleset in RULESETS:
        for _site, lit in _body_literals(ruleset):
            if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.BodyAggregate:
                for e in lit.atom.elements:
                    for c in e.condition:
                        if c.ast_type == ast.ASTType.Literal and c.atom.ast_type == ast.ASTType.SymbolicAtom:
                            counted.add(f"{c.atom.symbol.name}/{len(c.atom.symbol.arguments)}")
                            break
    for section in ("counted", "summed"):
        stale = set(_spec().get(section) or {}) - counted
        assert not stale, f"statements.yaml {section} names what no aggregate counts: {sorted(stale)}"


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_negated_atom_reads_as_a_sentence(ruleset):
    """``not finding(R, Y, L)``, ``not fact(region(R), Y, tasks_completed, true)``: a negated atom
    is stated by its predicate's sentence (a fact: 「案卷未载明：…」), or is bookkeeping nobody is shown."""
    statements, quiet = set(_spec()["statements"]), quiet_predicates()
    for site, lit in _body_literals(ruleset):
        lits = [lit]
        if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.BodyAggregate:
            lits = [c for e in lit.atom.elements for c in e.condition]
        for one in lits:
            if one.ast_type != ast.ASTType.Literal or one.sign == ast.Sign.NoSign:
                continue
            if one.atom.ast_type != ast.ASTType.SymbolicAtom:
                continue
            fn = one.atom.symbol
            key = f"{fn.name}/{len(fn.arguments)}"
            assert key in statements or key in quiet or key == "fact/4", \
                f"{site.file}:{site.line}: 'not {fn}' has no sentence (explain/templates/statements.yaml)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_sum_reads_in_words_with_only_what_it_summed_as_evidence(lang):
    """第七条第一款's hearings summed over the year (``#sum {N, I : fact(…, I, N), hearing_count(I)}``):
    in words, resting on the hearing counts only, not on every count the case gives that year."""
    from explain import render

    case = load_case(str(DEMOS["changzhou"]))
    ex = Explanation(case, lang)
    atom = next(a for a in ex.atoms("duty_met", 3) if a.startswith('duty_met(region("320402"),hear_reports_yearly,2020'))
    text = render(ex.tree(atom), "text", lang)
    words = "听取禁毒工作汇报合计1次 ≥ 1次" if lang == "zh" else "1 report heard in all ≥ 1"
    assert words in text and "#sum" not in text
    from explain.render import linearize

    step = next(s for s in linearize(ex.tree(atom), lang)["steps"] if words in s["checks"])
    evidence = {e["number"]: e["statement"] for e in linearize(ex.tree(atom), lang)["evidence"]}
    cited = [evidence[r] for r in step["refs"] if r in evidence]
    assert cited and all(("听取" in e) if lang == "zh" else ("report" in e) for e in cited), cited


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_fact_the_rule_requires_absent_reads_in_words(lang):
    """第二十三条第一款 bars an area that has not completed its tasks: 'not fact(…, tasks_completed,
    true)' reads 「案卷未载明：…按期完成整治任务：是」, not as the atom."""
    from explain import render

    case = load_case(str(REPO / "tests" / "cases" / "good" / "anchors.yaml"))
    ex = Explanation(case, lang)
    atom = next(a for a in ex.atoms("measure", 4) if a.startswith('measure(region("220581"),creation_ineligible,2021,'))
    text = render(ex.tree(atom), "text", lang)
    assert ("案卷未载明：梅河口市（220581）2021年，" if lang == "zh"
            else "the case does not record: 梅河口市 (220581), 2021: ") in text
    assert "fact(" not in text and "tasks_completed" not in text


def test_a_sum_reads_the_same_in_the_answer_of_pydesig_why():
    """``why`` reads its answer set without all its atoms (``all_atoms=False``); the bookkeeping
    atoms an aggregate tests are kept, so the hearings still sum to what the rule summed."""
    from explain import render

    case = load_case(str(DEMOS["changzhou"]))
    ex = Explanation(case, "zh", all_atoms=False)
    atom = next(a for a in ex.atoms("duty_met", 3) if a.startswith('duty_met(region("320402"),hear_reports_yearly,2020'))
    assert "听取禁毒工作汇报合计1次 ≥ 1次" in render(ex.tree(atom), "text", "zh")
