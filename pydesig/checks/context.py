"""What the checks read: the knowledge base, the crosswalk, the encodings' rules and the indicators.

The shipped data is read through :func:`default_context`.  Tests (and an analyst trying a draft)
build a :class:`Context` from other folders with :func:`context_from`, so every check runs
unchanged on a small synthetic instrument whose right answer is known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from clingo import Function, Symbol, ast

from ..annotations import RuleSite, rule_sites, sites_of
from ..indicators import Indicator, indicators
from ..kb import KnowledgeBase, _load_instrument, _load_interpretations, knowledge_base
from ..paths import kb_dir
from ..program import RULESETS, encoding_files

__all__ = ["Context", "Instrument", "default_context", "context_from", "load_crosswalk"]


@dataclass
class Instrument:
    """One rule set as the checks see it: its encoding files and their rules."""

    ruleset: str
    files: list[Path]
    sites: tuple[RuleSite, ...]
    shown: frozenset  # (name, arity) of the #show signatures


@dataclass
class Context:
    kb: KnowledgeBase
    crosswalk: dict
    instruments: dict[str, Instrument]
    indicators: dict[str, Indicator]
    coverage: dict = field(default_factory=dict)  # kb/coverage.yaml not_encoded: provision -> reason
    feedback: list = field(default_factory=list)  # kb/feedback.yaml: indicators counting the rules' own measures
    shipped: bool = False  # the shipped kb and encodings (pydesig.solver can run the rule sets)

    @property
    def rulesets(self) -> list[str]:
        return list(self.instruments)

    def interpretations_of(self, ruleset: str) -> dict:
        return {n: i for n, i in sorted(self.kb.interpretations.items()) if i.applies_to(ruleset)}

    def default_interpretations(self, ruleset: str) -> dict[str, str]:
        return {n: i.default for n, i in self.interpretations_of(ruleset).items()}

    def indicators_for(self, ruleset: str, subject: str | None = None) -> dict[str, Indicator]:
        return {n: i for n, i in sorted(self.indicators.items())
                if ruleset in i.rulesets and (subject is None or i.subject == subject)}

    def interpretation_symbols(self, ruleset: str, chosen: dict[str, str] | None = None) -> list[Symbol]:
        chosen = chosen or {}
        return [Function("interpretation", [Function(n), Function(chosen.get(n, i.default))])
                for n, i in self.interpretations_of(ruleset).items()]

    def citation(self, pid: str) -> dict:
        return self.kb.citation(pid)

    def label(self, pid: str) -> str:
        return self.kb.get(pid).label


def _shown(files: list[Path]) -> frozenset:
    found = set()
    for path in files:
        statements: list = []
        ast.parse_files([str(path)], statements.append)
        for stm in statements:
            if stm.ast_type == ast.ASTType.ShowSignature:
                found.add((stm.name, stm.arity))
    return frozenset(found)


def load_crosswalk(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _coverage(root: Path) -> dict:
    path = root / "coverage.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {e["provision"]: e.get("reason", "") for e in data.get("not_encoded", []) or []}


def _feedback(root: Path) -> list:
    path = root / "feedback.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or []) if path.exists() else []


def _indicators_from(root: Path) -> dict[str, Indicator]:
    result: dict[str, Indicator] = {}
    for path in sorted((root / "indicators").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            result[entry["name"]] = Indicator(
                name=entry["name"], subject=entry["subject"], type=entry["type"],
                values=tuple(entry.get("values", ())), zh=entry.get("zh", ""), en=entry.get("en", ""),
                serves=tuple(entry.get("serves", ())), rulesets=tuple(entry.get("rulesets", (path.stem,))),
                label=entry.get("label") or {},
            )
    return result


@lru_cache(maxsize=1)
def default_context() -> Context:
    """The shipped knowledge base and encodings."""
    instruments = {}
    for rs in RULESETS:
        files = encoding_files(rs)
        instruments[rs] = Instrument(rs, files, rule_sites(rs), _shown(files))
    crosswalk_path = kb_dir() / "crosswalk.yaml"
    crosswalk = load_crosswalk(crosswalk_path) if crosswalk_path.exists() else {}
    return Context(knowledge_base(), crosswalk, instruments, indicators(), _coverage(kb_dir()),
                   _feedback(kb_dir()), shipped=True)


def context_from(kb_root: Path, encodings_root: Path, rulesets: list[str] | None = None,
                 crosswalk: dict | None = None) -> Context:
    """A context over other folders (laid out like ``kb/`` and ``encodings/``)."""
    kb_root, encodings_root = Path(kb_root), Path(encodings_root)
    provisions: dict = {}
    titles = {}
    for path in sorted((kb_root / "provisions").glob("*.yaml")):
        inst, meta = _load_instrument(path, provisions)
        titles[inst] = meta
    vocabulary: dict = {}
    vocab_file = kb_root / "vocabulary.yaml"
    if vocab_file.exists():
        vocabulary = yaml.safe_load(vocab_file.read_text(encoding="utf-8")) or {}
    interp_dir = kb_root / "interpretations"
    interpretations = _load_interpretations(interp_dir) if interp_dir.is_dir() else {}
    kb = KnowledgeBase(provisions, titles, vocabulary, interpretations)
    rulesets = rulesets or sorted(titles)
    instruments = {}
    for rs in rulesets:
        files = sorted((encodings_root / "common").glob("*.lp")) + sorted((encodings_root / rs).glob("*.lp"))
        instruments[rs] = Instrument(rs, files, sites_of(files, encodings_root), _shown(files))
    if crosswalk is None:
        path = kb_root / "crosswalk.yaml"
        crosswalk = load_crosswalk(path) if path.exists() else {}
    return Context(kb, crosswalk, instruments, _indicators_from(kb_root), _coverage(kb_root), _feedback(kb_root))
