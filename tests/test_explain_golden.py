"""The golden justifications (tests/golden/) still read as reviewed.

On a difference: run ``.venv/bin/python tests/golden/regen.py``, read ``git diff tests/golden/``,
and commit the new text only if it is what an analyst should paste into a memo.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("golden_regen", Path(__file__).parent / "golden" / "regen.py")
regen = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(regen)


@pytest.mark.parametrize("name", sorted(regen.GOLDEN))
@pytest.mark.parametrize("lang", regen.LANGS)
def test_justification_matches_golden(name, lang):
    path = regen.golden_path(name, lang)
    assert path.exists(), f"missing {path.name}: run tests/golden/regen.py"
    expected = path.read_text(encoding="utf-8")
    assert regen.current(name, lang) == expected, (
        f"{path.name} differs from the current justification: run tests/golden/regen.py and review git diff")


def test_every_golden_file_is_listed():
    listed = {regen.golden_path(n, lang).name for n in regen.GOLDEN for lang in regen.LANGS}
    present = {p.name for p in Path(regen.HERE).glob("*.txt")}
    assert present == listed
