"""Every step of every justification of the shipped cases, the scenario cases and the
good test cases reads as words
(long: ``make test-long``).

The justification of every conclusion (finding, ground, status, measure, duty) is rendered in
Chinese and English while the speaker's fallbacks are watched: an atom stated as itself (no
sentence in ``explain/templates/statements.yaml``), a negation written as ASP, an aggregate check
without words.  The fast tests in ``test_explain_statements.py`` check the catalogue against the
rules; this one checks what analysts actually read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from explain import statements
from explain.api import Explanation
from explain.render import render
from pydesig import load_case
from pydesig.readers import load_case_bytes

REPO = Path(__file__).resolve().parents[1]
CONCLUSIONS = (("finding", 3), ("ground", 4), ("status", 3), ("measure", 4), ("duty", 4))


def _cases():
    for path in [*sorted((REPO / "kb" / "cases").glob("*.yaml")), *sorted((REPO / "tests" / "cases" / "good").glob("*.yaml"))]:
        yield path.relative_to(REPO).as_posix(), lambda p=path: load_case(str(p))
    for path in sorted((REPO / "tests" / "scenarios").rglob("*.yaml")):
        def build(p=path):
            doc = yaml.safe_load(p.read_text(encoding="utf-8"))
            return load_case_bytes(yaml.safe_dump(doc["case"], allow_unicode=True).encode("utf-8"), p.name)
        yield path.relative_to(REPO).as_posix(), build


@pytest.fixture
def fallbacks(monkeypatch):
    """Record what the speaker could not put in words."""
    found: list[str] = []
    Speaker = statements.Speaker
    call, negation, check = Speaker.__call__, Speaker.negation, Speaker.check

    def said(self, atom):
        out = call(self, atom)
        text = atom if isinstance(atom, str) else str(atom)
        if out == text:
            found.append(f"atom stated as itself: {text}")
        return out

    def negated(self, text):
        out = negation(self, text)
        if text in out:
            found.append(f"negation as ASP: {out}")
        return out

    def checked(self, cond):
        out = check(self, cond)
        if out is not None and out == cond.text and (cond.kind == "aggregate" or not cond.sides):
            found.append(f"check as ASP: {out}")
        return out

    monkeypatch.setattr(Speaker, "__call__", said)
    monkeypatch.setattr(Speaker, "negation", negated)
    monkeypatch.setattr(Speaker, "check", checked)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name,build", list(_cases()), ids=[n for n, _ in _cases()])
def test_every_step_reads_as_words(name, build, fallbacks):
    case = build()
    for lang in ("zh", "en"):
        ex = Explanation(case, lang)
        for pred, arity in CONCLUSIONS:
            for atom in ex.atoms(pred, arity):
                text = render(ex.tree(atom), "text", lang)
                assert "#count" not in text and "#sum" not in text and "#max" not in text, (atom, lang)
    assert not fallbacks, f"{name}: {sorted(set(fallbacks))[:10]}"
