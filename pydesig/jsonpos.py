"""Line and column of every value and key of a JSON text, by path.

The json module gives values but no positions; error messages and fact records want the line
of each record.  One pass of a regular-expression tokenizer over the (already valid) text finds
them, fast enough for national-scale cases (it does not parse values, only where they start).
"""

from __future__ import annotations

import bisect
import json
import re

__all__ = ["json_positions"]

_NEWLINE = re.compile("\n")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|-?\d[\d.eE+-]*|true|false|null')


def json_positions(text: str) -> tuple[dict, dict]:
    """(values, keys): path → (line, column), 1-based, for a text that json.loads accepts."""
    newlines = [m.start() for m in _NEWLINE.finditer(text)]

    def pos(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(newlines, offset - 1)
        start = newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    values: dict = {}
    keys: dict = {}
    stack: list[list] = []  # [kind, path, key_or_index, expecting_key]
    pending: tuple | None = ()  # the path of the next value to start
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if stack and stack[-1][0] == "obj" and stack[-1][3] and tok[0] == '"':
            frame = stack[-1]
            frame[2] = json.loads(tok) if "\\" in tok else tok[1:-1]
            frame[3] = False
            keys[frame[1] + (frame[2],)] = pos(m.start())
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
            values[pending] = pos(m.start())
            path, pending = pending, None
        else:
            continue
        if tok == "{":
            stack.append(["obj", path, None, True])
        elif tok == "[":
            stack.append(["arr", path, 0, False])
            pending = path + (0,)
    return values, keys
