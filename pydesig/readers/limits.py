"""What a case file may hold and how big it may be: the loader's rules against hostile input.

Every rule here has its own message and its own failing fixture in ``tests/cases/bad/``:

- **size**: a case file or facts table is read only if it is a regular file of at most
  :data:`MAX_FILE_BYTES` (``/dev/zero``, a FIFO or a 5 GB file are refused before reading: the
  bytes are read with a bound, never whole and unchecked); a table has at most
  :data:`MAX_TABLE_LINES` lines;
- **where a facts table lives**: inside the case file's folder (or below it), after following
  symbolic links, unless the folder it lies in was allowed with ``--facts-root`` (or
  ``PYDESIG_FACTS_ROOT``); its contents are never quoted in a message about where it is;
- **nesting**: at most :data:`MAX_DEPTH` levels of lists and mappings (a case needs four);
- **integers**: at most :data:`MAX_INT_DIGITS` digits (clingo's integers are 32-bit; Python's
  own limit of 4,300 digits would otherwise surface as an internal error);
- **text**: no string may hold control characters (U+0000–U+001F, U+007F–U+009F), the line and
  paragraph separators U+2028/U+2029, bidirectional controls or lone surrogates — an id holding
  a NUL would be cut short inside clingo and merge with another, a newline would forge lines in
  text output.  ``title`` and ``source`` are free text: a run of tabs and line breaks there
  (U+2028, U+0085 included) is read as one space.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..errors import CaseError

__all__ = ["MAX_FILE_BYTES", "MAX_TABLE_LINES", "MAX_DEPTH", "MAX_INT_DIGITS", "FREE_TEXT",
           "read_bounded", "confined", "allow_facts_in", "check_tree", "check_text", "check_record_text",
           "check_table_lines",
           "long_integer_line", "bad_character"]

MAX_FILE_BYTES = 32 * 1024 * 1024
"""32 MiB: forty times a synthetic national case (2,844 counties, 10 years: 0.8 MB of JSON)."""
MAX_TABLE_LINES = 1_000_000
"""A national long-form table has about 150,000 rows."""
MAX_DEPTH = 32
MAX_INT_DIGITS = 20
FREE_TEXT = ("title", "source")
"""Keys whose strings are prose: line breaks and tabs there are read as spaces."""

_EXTRA_ROOTS: list[Path] = []

# Refused in every string: C0 and C1 controls, DEL, line/paragraph separators, bidirectional
# embeddings, overrides and isolates, lone surrogates.
_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_BREAKS = re.compile("[\t\r\n\x85\u2028\u2029]+")
_NAMES = {0: "NUL", 9: "tab", 10: "line feed", 13: "carriage return", 0x1B: "ESC", 0x7F: "DEL",
          0x85: "next line", 0x2028: "line separator", 0x2029: "paragraph separator"}


def bad_character(text: str) -> str | None:
    """How to name the first character of ``text`` that no case string may hold, or None."""
    match = _BAD.search(text)
    if match is None:
        return None
    code = ord(match.group())
    kind = ("a lone surrogate" if 0xD800 <= code <= 0xDFFF else
            "a bidirectional control" if code >= 0x202A else
            "a line break" if code in (0x85, 0x2028, 0x2029) else "a control character")
    name = f" ({_NAMES[code]})" if code in _NAMES else ""
    return f"U+{code:04X}{name}, {kind}, at position {match.start() + 1}"


def check_text(value: str, key) -> str:
    """``value`` as the case holds it: free text with its line breaks read as spaces; raises
    ValueError naming the character otherwise refused."""
    if key in FREE_TEXT and _BREAKS.search(value):
        value = _BREAKS.sub(" ", value).strip()
    problem = bad_character(value)
    if problem:
        raise ValueError(f"must not contain {problem}")
    return value


def _plain(data) -> bool:
    """Whether ``data`` is within :data:`MAX_DEPTH` and none of its strings (keys included) holds
    a character :func:`check_text` refuses or rewrites: the strings are gathered in one light walk
    and searched together, at the regular expression engine's speed (every character a free-text
    line break stands for is among the refused ones elsewhere)."""
    strings: list = []
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= MAX_DEPTH:
            return False
        if isinstance(node, dict):
            strings += node  # its keys: one that is no string fails the join below
            node = node.values()
        for value in node:
            if isinstance(value, str):
                strings.append(value)
            elif isinstance(value, (dict, list)):
                stack.append((value, depth + 1))
    try:
        return _BAD.search(" ".join(strings)) is None
    except TypeError:  # a key that is no string (YAML allows them): walked path by path
        return False


def check_tree(doc) -> None:
    """Walk a parsed document once: refuse deep nesting and strings no case may hold, read the
    line breaks of free text as spaces.  Iterative, so a deep document cannot exhaust the stack.
    A document with nothing to refuse or rewrite (nearly every one) is seen to be so at once."""
    data = doc.data
    if not isinstance(data, (dict, list)):
        return
    if _plain(data):
        return
    stack: list[tuple[object, tuple]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if len(path) >= MAX_DEPTH:
            raise _error(doc, path, f"nested more than {MAX_DEPTH} levels deep (a case needs four)")
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            here = path + (key,)
            if isinstance(key, str) and bad_character(key):
                raise _error(doc, path, f"a key must not contain {bad_character(key)}")
            if isinstance(value, str):
                try:
                    fixed = check_text(value, key)
                except ValueError as e:
                    raise _error(doc, here, str(e)) from None
                if fixed is not value:
                    node[key] = fixed
            elif isinstance(value, (dict, list)):
                stack.append((value, here))


def check_record_text(rec) -> None:
    """The string rule of :func:`check_tree` for one record read from a table (a CSV row, a
    workbook row): its cells are strings no YAML or JSON parser has seen."""
    data = rec.data
    for key, value in list(data.items()):
        values = value if isinstance(value, list) else [value]
        try:
            fixed = [check_text(v, key) if isinstance(v, str) else v for v in values]
        except ValueError as e:
            raise rec.error(str(e), field=key) from None
        data[key] = fixed if isinstance(value, list) else fixed[0]


def _error(doc, path: tuple, message: str) -> CaseError:
    """The error at ``path`` named as the validator names it: ``facts[3] (line 12): field 'x'``."""
    record = field = None
    if len(path) >= 2 and isinstance(path[0], str) and isinstance(path[1], int):
        record = doc.label(path[0], path[1])
        rest = [p for p in path[2:] if isinstance(p, str)]
        field = rest[0] if rest else ("id" if len(path) == 2 else None)
    elif path:
        field = str(path[0])
    return CaseError(message, file=doc.file, record=record, line=doc.line(path), field=field)


def long_integer_line(text: str) -> int | None:
    """The line of the first run of more than :data:`MAX_INT_DIGITS` digits in ``text``."""
    match = re.search(r"[0-9]{%d,}" % (MAX_INT_DIGITS + 1), text)
    return None if match is None else _line_at(text, match.start())


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + text.count("\r", 0, offset) - text.count("\r\n", 0, offset) + 1


# --------------------------------------------------------------------------- files

def read_bounded(path: Path, what: str, at: dict, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.  ``what`` names the
    file in messages ("the file", "the facts table 'x.csv'"); ``at`` says where the error is."""
    try:
        # non-blocking, so that opening a FIFO returns at once (to be refused) instead of waiting
        # for a writer; regular files read as usual
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise CaseError(f"cannot read {what}: not a regular file", **at)
            if info.st_size > limit:
                raise CaseError(f"{what} is too large: {_size(info.st_size)}, at most "
                                f"{_size(limit)} are read", **at)
            raw = handle.read(min(limit, info.st_size) + 1)  # no 32 MiB buffer for a small file
            if len(raw) > info.st_size:  # it grew while we read: read on, up to the limit
                raw += handle.read(limit + 1 - len(raw))
    except OSError as e:
        raise CaseError(f"cannot read {what}: {e.strerror or e}", **at) from None
    if len(raw) > limit:  # it grew while we read
        raise CaseError(f"{what} is too large: more than {_size(limit)}", **at)
    return raw


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB" if n >= 1024 * 1024 else f"{n} bytes"


def allow_facts_in(folders) -> None:
    """Let facts tables also lie in ``folders`` (the ``--facts-root`` option)."""
    _EXTRA_ROOTS[:] = [Path(f).resolve() for f in folders]


def _roots() -> list[Path]:
    env = os.environ.get("PYDESIG_FACTS_ROOT", "")
    return [*_EXTRA_ROOTS, *(Path(p).resolve() for p in env.split(os.pathsep) if p)]


def confined(case_file: str, rel: str, at: dict) -> Path:
    """The facts table ``rel`` named in ``case_file``, checked to lie inside the case file's
    folder (or a folder allowed by ``--facts-root``) once links are followed."""
    folder = Path(case_file).resolve().parent
    path = folder / rel
    real = path.resolve()
    roots = [folder, *_roots()]
    if not any(real == root or root in real.parents for root in roots):
        raise CaseError(f"the facts table {rel!r} lies outside the case file's folder; keep it "
                        "beside the case (or allow its folder with --facts-root)", **at)
    return Path(case_file).parent / rel


def check_table_lines(text: str, file: str) -> None:
    """Refuse a table of more than :data:`MAX_TABLE_LINES` lines (blank ones included) before
    the csv module splits it: counting costs three ``str.count`` calls, splitting a flood of
    blank lines costs a row object each."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    lines = breaks + (1 if text and not text.endswith(("\n", "\r")) else 0)
    if lines > MAX_TABLE_LINES:
        raise CaseError(f"the table has {lines:,} lines, more than the {MAX_TABLE_LINES:,} a facts table "
                        "may have (blank lines included)", file=file, line=MAX_TABLE_LINES + 1)
