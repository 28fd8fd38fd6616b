"""Completeness of the encodings against the knowledge base (every rule traced to the text).

- every rule stands under a provision header (or is a declared structural helper);
- every provision id in a header or inside an atom exists in kb/;
- every interpretation a rule reads exists, belongs to that instrument, and names a real option;
- every indicator of the registry is read by the encodings of its instruments;
- every operative provision (obligatory or discretionary) is encoded, or listed in
  kb/coverage.yaml with the reason it is not.
"""

from __future__ import annotations

import pytest
import yaml
from clingo import SymbolType, ast

from pydesig.annotations import rule_sites
from pydesig.indicators import indicators
from pydesig.kb import knowledge_base
from pydesig.paths import kb_dir
from pydesig.program import RULESETS

KB = knowledge_base()


def _terms(node, found):
    """Collect every symbolic term (constants, strings, numbers) under an AST node."""

    class Collector(ast.Transformer):
        def visit_SymbolicTerm(self, term):  # noqa: N802 - clingo's visitor naming
            found.append(term.symbol)
            return term

        def visit_Function(self, fn):  # noqa: N802
            found.append(fn)
            self.visit_children(fn)
            return fn

    Collector()(node)
    return found


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_rule_cites_a_provision(ruleset):
    orphans = [f"{s.file}:{s.line} {s.text}" for s in rule_sites(ruleset) if not s.provisions and not s.helper]
    assert not orphans


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_cited_provision_exists(ruleset):
    missing = []
    for site in rule_sites(ruleset):
        ids = list(site.provisions)
        ids += [t.string for t in _terms(site.statement, []) if getattr(t, "type", None) == SymbolType.String
                and "/art_" in t.string]
        missing += [f"{site.file}:{site.line} {pid}" for pid in ids if pid not in KB]
    assert not missing


@pytest.mark.parametrize("ruleset", RULESETS)
def test_interpretations_read_exist(ruleset):
    problems = []
    for site in rule_sites(ruleset):
        for name in site.interpretations:
            interp = KB.interpretations.get(name)
            if interp is None or not interp.applies_to(ruleset):
                problems.append(f"{site.file}:{site.line} header names unknown interpretation {name}")
        for fn in _terms(site.statement, []):
            if getattr(fn, "ast_type", None) == ast.ASTType.Function and fn.name == "interpretation" \
                    and len(fn.arguments) == 2:
                name, option = (str(a) for a in fn.arguments)
                interp = KB.interpretations.get(name)
                if interp is None or not interp.applies_to(ruleset) or (
                        option[0].islower() and option not in interp.options):
                    problems.append(f"{site.file}:{site.line} reads interpretation({name},{option})")
    assert not problems


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_indicator_is_read(ruleset):
    constants = set()
    for site in rule_sites(ruleset):
        constants |= {str(t) for t in _terms(site.statement, [])}
    unused = [name for name, ind in indicators().items() if ruleset in ind.rulesets and name not in constants]
    assert not unused


def _coverage_exceptions():
    path = kb_dir() / "coverage.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {entry["provision"]: entry["reason"] for entry in (data or {}).get("not_encoded", [])}


@pytest.mark.parametrize("ruleset", RULESETS)
def test_every_operative_provision_is_encoded_or_excused(ruleset):
    cited = set()
    for site in rule_sites(ruleset):
        in_atoms = [t.string for t in _terms(site.statement, []) if getattr(t, "type", None) == SymbolType.String
                    and "/art_" in t.string]
        for pid in [*site.provisions, *in_atoms]:
            p = KB.get(pid)
            cited.add(p.id)
            cited.add(f"{p.instrument}/art_{p.article}")  # citing a unit counts for its article
    excused = {KB.canonical(pid) for pid in _coverage_exceptions()}
    missing = []
    for p in KB:
        if p.instrument != ruleset or p.modality not in ("obligatory", "discretionary"):
            continue
        covered = p.id in cited or p.id in excused or any(
            c.startswith(p.id + "/") for c in cited | excused)
        if p.item is None and p.paragraph is None and not p.cite_paragraph:
            covered = covered or any(c.startswith(p.id + "/") for c in cited)
        if not covered:
            missing.append(f"{p.id} {p.label}")
    assert not missing, "operative provisions neither encoded nor excused in kb/coverage.yaml"


def test_coverage_exceptions_have_reasons_and_exist():
    for pid, reason in _coverage_exceptions().items():
        assert pid in KB and reason.strip()


def test_every_decision_names_its_subject_and_an_existing_provision():
    for name, entry in KB.vocabulary.get("decisions", {}).items():
        assert entry.get("subject") in ("region", "official"), name
        assert entry.get("provision") in KB, name
