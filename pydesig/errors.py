"""The one error a user sees for a bad case file.

The command line prints ``str(err)`` on stderr and exits with code 2, so the message has to say
by itself where the problem is (file, record, line, field) and what is wrong, in words a case
author understands without reading the schema.
"""

from __future__ import annotations

import re

__all__ = ["CaseError", "one_line"]

# Characters that would break the one-line rule or forge what a terminal shows: C0/C1 controls
# (newline, CR, ESC …), DEL, the Unicode line and paragraph separators, lone surrogates and the
# bidirectional overrides.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``,
    ``\\u2028``), so that a value quoted in a message can never start a second line on stderr
    or rewrite what the terminal shows."""
    return _UNSAFE.sub(_escape, text)


class CaseError(Exception):
    """Bad input: ``FILE: facts[3] (line 12): field 'poppy_plants': must be an integer ≥ 0, got -5``.

    ``record`` names the record the way the file is indexed ("facts[3]", "regions[0]" — counted
    from 0 — or "row 4" for a CSV data row, counted from 1); ``line`` is the 1-based line in
    ``file`` where the record (or the offending value) starts.  Any part may be ``None`` and is
    then left out of the message.  The message is always one line: control characters in any
    part (a file name or a quoted value holding a newline) are escaped.
    """

    def __init__(self, message: str, *, file: str | None = None, record: str | None = None,
                 line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = None if file is None else str(file)
        self.record = record
        self.line = line
        self.field = field

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.record and self.line is not None:
            parts.append(f"{self.record} (line {self.line})")
        elif self.record:
            parts.append(self.record)
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        parts.append(self.message)
        return one_line(": ".join(parts))

    def __repr__(self) -> str:
        return f"CaseError({str(self)!r})"
