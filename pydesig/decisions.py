"""Fixed discretionary decisions (``--decide`` on the command line, ``decisions`` in an HTTP
request): parsed, checked against the instrument's vocabulary, and, when they leave no lawful
outcome, explained.  The web app calls these names so that it gives the CLI's messages.

The functions still live in ``cli.py``, where several lanes are editing them this week; this
module is the name the web app uses, so moving them here later changes no caller.
"""

from __future__ import annotations

from .cli import _unlawful as unlawful, _with_decisions as with_decisions

__all__ = ["with_decisions", "unlawful"]
