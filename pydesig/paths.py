"""Where the knowledge base and the encodings live.

Both folders sit at the top of the source tree so that a reader sees law (``kb/``) and rules
(``encodings/``) beside the code.  A wheel carries them inside the package as ``pydesig/_data``;
an editable install or a checkout reads them from the tree.  Everything that opens a file of
``kb/`` or ``encodings/`` asks this module, so there is exactly one place that knows.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["kb_dir", "encodings_dir"]

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def _data_root() -> Path:
    installed = _PACKAGE / "_data"
    if (installed / "kb").is_dir():
        return installed
    tree = _PACKAGE.parent
    if (tree / "kb").is_dir() and (tree / "encodings").is_dir():
        return tree
    raise RuntimeError("pydesig is installed without its kb/ and encodings/ folders")


def kb_dir() -> Path:
    """The knowledge base: provisions, vocabulary, interpretations, regions, cases."""
    return _data_root() / "kb"


def encodings_dir() -> Path:
    """The ASP encodings, one folder per instrument."""
    return _data_root() / "encodings"
