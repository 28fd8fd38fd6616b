"""Line and column of every value and key of a JSON text, by path.

The json module gives values but no positions; error messages and fact records want the line
of each record.  One pass over the (already valid) text finds them, fast enough for
national-scale cases, in memory that does not grow with the text:

- structural tokens, numbers and literals are found by a regular expression, but a string is
  skipped with ``str.find`` from quote to quote (a regular expression over a 50 MB string keeps
  a backtracking frame per character: gigabytes);
- lines are counted as the scan moves on, never by a list of every line break.

Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r`` (a file saved with old Mac line ends), as an
editor counts them; U+2028 and U+0085 inside strings end no line.

A valid case needs only the lines of its records (``facts[3] (line 12)`` is part of what a fact
cites); the reader finds those while it parses and hands the rest to :class:`LazyPositions`,
which scans the whole text only when a position outside them is asked for (to word an error).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

__all__ = ["json_positions", "line_of", "Lines", "LazyPositions"]

_TOKEN = re.compile(r'[{}\[\],:"]|-?\d[\d.eE+-]*|true|false|null')


def line_of(text: str, offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of ``offset`` in ``text``."""
    return Lines(text).at(offset)


class Lines:
    """Line and column of increasing offsets, counted incrementally."""

    def __init__(self, text: str):
        self.text, self.last, self.line, self.start = text, 0, 1, 0
        self.cr = "\r" in text  # most files end lines with \n alone: one count per step then

    def at(self, offset: int) -> tuple[int, int]:
        text, last = self.text, self.last
        if offset < last:  # not increasing: count again from the top
            self.last, self.line, self.start = 0, 1, 0
            return self.at(offset)
        if self.cr:
            breaks = text.count("\n", last, offset) + text.count("\r", last, offset) - text.count("\r\n", last, offset)
            if breaks:
                self.line += breaks
                self.start = max(text.rfind("\n", last, offset), text.rfind("\r", last, offset)) + 1
        else:
            breaks = text.count("\n", last, offset)
            if breaks:
                self.line += breaks
                self.start = text.rfind("\n", last, offset) + 1
        self.last = offset
        return self.line, offset - self.start + 1


def _string_end(text: str, start: int) -> int:
    """The offset just after the string whose opening quote is at ``start``."""
    i = start + 1
    while True:
        j = text.find('"', i)
        if j < 0:
            return len(text)
        k = j - 1
        while text[k] == "\\":
            k -= 1
        if (j - 1 - k) % 2 == 0:  # an even number of backslashes: the quote is not escaped
            return j + 1
        i = j + 1


def _tokens(text: str):
    """(offset, token, end) of every token; a string's token is its opening quote alone (the
    caller slices the strings it needs, the keys, so a long value string is never copied)."""
    pos = 0
    search = _TOKEN.search
    while True:
        m = search(text, pos)
        if m is None:
            return
        start, tok = m.start(), m.group()
        pos = _string_end(text, start) if tok == '"' else m.end()
        yield start, tok, pos


def json_positions(text: str) -> tuple[dict, dict]:
    """(values, keys): path → (line, column), 1-based, for a text that json.loads accepts."""
    lines = Lines(text)
    values: dict = {}
    keys: dict = {}
    stack: list[list] = []  # [kind, path, key_or_index, expecting_key]
    pending: tuple | None = ()  # the path of the next value to start
    for start, tok, end in _tokens(text):
        if stack and stack[-1][0] == "obj" and stack[-1][3] and tok == '"':
            frame = stack[-1]
            key = text[start:end]
            frame[2] = json.loads(key) if "\\" in key else key[1:-1]
            frame[3] = False
            keys[frame[1] + (frame[2],)] = lines.at(start)
            continue
        if tok == ":":
            frame = stack[-1]
            pending = frame[1] + (frame[2],)
            continue
        if tok == ",":
            frame = stack[-1]
            if frame[0] == "obj":
                frame[3] = True
            else:
                frame[2] += 1
                pending = frame[1] + (frame[2],)
            continue
        if tok in "}]":
            stack.pop()
            pending = None
            continue
        if pending is not None:
            values[pending] = lines.at(start)
            path, pending = pending, None
        else:
            continue
        if tok == "{":
            stack.append(["obj", path, None, True])
        elif tok == "[":
            stack.append(["arr", path, 0, False])
            pending = path + (0,)
    return values, keys


class LazyPositions:
    """The positions of a JSON text as :func:`json_positions` gives them, starting from those
    already known (a reader's records): ``values`` and ``keys`` answer from them, and the first
    request for any other path scans the whole text once (:func:`json_positions`)."""

    def __init__(self, text: str, values: dict, keys: dict):
        self._text: str | None = text
        self.values, self.keys = _View(self, values), _View(self, keys)

    def complete(self) -> None:
        if self._text is not None:
            self.values.map, self.keys.map = json_positions(self._text)
            self._text = None


class _View(Mapping):
    """One of the two maps of a :class:`LazyPositions` (path → (line, column))."""

    __slots__ = ("owner", "map")

    def __init__(self, owner: LazyPositions, known: dict):
        self.owner, self.map = owner, known

    def __getitem__(self, path):
        try:
            return self.map[path]
        except KeyError:
            self.owner.complete()
            return self.map[path]

    def __contains__(self, path) -> bool:
        if path in self.map:
            return True
        self.owner.complete()
        return path in self.map

    def __iter__(self):
        self.owner.complete()
        return iter(self.map)

    def __len__(self) -> int:
        self.owner.complete()
        return len(self.map)
