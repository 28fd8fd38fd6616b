"""The registry of case-file indicators, read from ``kb/indicators/*.yaml``.

One source of truth for what a fact may say: the loader validates against it, ``pydesig schema``
describes it, and the encodings' completeness test checks that every indicator is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .kb import read_yaml
from .paths import kb_dir

__all__ = ["Indicator", "indicators", "indicators_for", "canonical"]


@dataclass(frozen=True)
class Indicator:
    name: str
    subject: str  # "region" or "official"
    type: str  # "int", "bool", "enum", "list"
    values: tuple[str, ...]
    zh: str
    en: str
    serves: tuple[str, ...]
    rulesets: tuple[str, ...]
    label: dict  # short names {zh, en} for sentences; the long zh/en describe
    column: str = ""  # the Chinese column name in tables and workbooks
    aliases: tuple[str, ...] = ()  # other names a case may use for it (documented in the schema)
    value_terms: str = ""  # a kb/vocabulary section naming the values in Chinese (levels, roles …)
    value_zh: dict = field(default_factory=dict)  # value id → Chinese name(s) a table cell may use

    def short(self, lang: str, ruleset: str | None = None) -> str:
        """The short name for sentences; an instrument's own words where it words the indicator
        differently (``label: {changzhou: {zh: …}}``)."""
        own = self.label.get(ruleset) if ruleset else None
        if isinstance(own, dict) and own.get(lang):
            return own[lang]
        return self.label.get(lang) or (self.zh if lang == "zh" else self.en)

    def column_for(self, ruleset: str | None = None) -> str:
        """The Chinese column name in a table of ``ruleset`` (its own words where it has them)."""
        own = self.label.get(ruleset) if ruleset else None
        return own.get("zh") if isinstance(own, dict) and own.get("zh") else self.column

    @property
    def column_names(self) -> tuple[str, ...]:
        """Every Chinese column name a table may use for this indicator."""
        names = [self.column] + [v["zh"] for v in self.label.values() if isinstance(v, dict) and v.get("zh")]
        return tuple(n for n in names if n)


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    """Every indicator of every instrument, by name (a name is unique across instruments)."""
    result: dict[str, Indicator] = {}
    for path in sorted((kb_dir() / "indicators").glob("*.yaml")):
        default_rulesets = (path.stem,)
        for entry in read_yaml(path.read_text(encoding="utf-8")):
            name = entry["name"]
            if name in result:
                raise ValueError(f"{path.name}: indicator {name!r} is defined twice")
            result[name] = Indicator(
                name=name, subject=entry["subject"], type=entry["type"],
                values=tuple(entry.get("values", ())), zh=entry["zh"], en=entry["en"],
                serves=tuple(entry["serves"]),
                rulesets=tuple(entry.get("rulesets", default_rulesets)),
                label=entry.get("label") or {},
                column=entry.get("column", ""),
                aliases=tuple(entry.get("aliases", ())),
                value_terms=entry.get("value_terms", ""),
                value_zh=entry.get("value_zh") or {},
            )
    return result


def indicators_for(ruleset: str, subject: str | None = None) -> dict[str, Indicator]:
    """The indicators a case of ``ruleset`` may use (for one kind of subject if given)."""
    return {
        name: ind for name, ind in indicators().items()
        if ruleset in ind.rulesets and (subject is None or ind.subject == subject)
    }


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {alias: ind.name for ind in indicators().values() for alias in ind.aliases}


def canonical(name: str) -> str:
    """The indicator a name stands for: itself, or the indicator it is an alias of."""
    return _aliases().get(name, name)
