"""JSON case files: parsed with the json module into a :class:`Doc`; a key given twice in one
object is refused, and every value's line is found by :func:`pydesig.jsonpos.json_positions`.

The common case, a valid file, is read in one pass at the json module's C speed: the top-level
object and its lists are walked here, each record parsed by the json module's scanner, so the
line of every record (which a fact cites) comes with it; the lines of everything else are found
only if an error must name one (:class:`pydesig.jsonpos.LazyPositions`).  Anything unusual (a
syntax error, a duplicate key, a huge integer, a top level that is not an object) goes the
plain way, ``json.loads`` on the whole text, which words the error."""

from __future__ import annotations

import json
from json.decoder import WHITESPACE, scanstring

from ..errors import CaseError
from ..jsonpos import LazyPositions, Lines, json_positions, line_of
from ..schema import show
from .document import Doc
from .limits import MAX_INT_DIGITS, long_integer_line
from .yaml_reader import Duplicate, compose

__all__ = ["parse_json"]


class _LongInteger(Exception):
    pass


def _integer(digits: str) -> int:
    """A JSON integer, refused past MAX_INT_DIGITS digits before Python converts it (past
    4,300 digits int() raises; long before that no count or year is meant)."""
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongInteger
    return int(digits)


def _pairs(items):
    """An object's members as a dict; a key given twice is refused."""
    result = {}
    for k, v in items:
        if k in result:
            raise Duplicate(k)
        result[k] = v
    return result


def _records_first(text: str):
    """(data, values, keys, floats) of a valid JSON text whose top level is an object, with the
    positions of the top-level keys and values and of the items of top-level lists, and whether
    any number has a fraction or exponent (or is NaN or infinite); None for anything else (the
    caller then parses the plain way, which words the error).  The data is what ``json.loads``
    gives: the same scanner reads every record."""
    floats: list = []

    def number(digits: str) -> float:
        floats.append(digits)
        return float(digits)

    def constant(name: str) -> float:
        floats.append(name)
        return {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}[name]

    scan = json.JSONDecoder(object_pairs_hook=_pairs, parse_int=_integer, parse_float=number,
                            parse_constant=constant).scan_once
    ws = WHITESPACE.match
    lines = Lines(text)
    i = ws(text, 0).end()
    if text[i:i + 1] != "{":
        return None
    values, keys, data = {(): lines.at(i)}, {}, {}
    i = ws(text, i + 1).end()
    if text[i:i + 1] == "}":
        i += 1
    else:
        while True:
            if text[i:i + 1] != '"':
                return None
            at = i
            key, i = scanstring(text, i + 1)
            if key in data:
                return None
            keys[(key,)] = lines.at(at)
            i = ws(text, i).end()
            if text[i:i + 1] != ":":
                return None
            i = ws(text, i + 1).end()
            values[(key,)] = lines.at(i)
            if text[i:i + 1] == "[":
                items: list = []
                i = ws(text, i + 1).end()
                if text[i:i + 1] == "]":
                    i += 1
                else:
                    while True:
                        values[(key, len(items))] = lines.at(i)
                        item, i = scan(text, i)
                        items.append(item)
                        i = ws(text, i).end()
                        if text[i:i + 1] == ",":
                            i = ws(text, i + 1).end()
                        elif text[i:i + 1] == "]":
                            i += 1
                            break
                        else:
                            return None
                data[key] = items
            else:
                data[key], i = scan(text, i)
            i = ws(text, i).end()
            if text[i:i + 1] == ",":
                i = ws(text, i + 1).end()
            elif text[i:i + 1] == "}":
                i += 1
                break
            else:
                return None
    if ws(text, i).end() != len(text):
        return None
    return data, values, keys, bool(floats)


def parse_json(text: str, file: str) -> Doc:
    """The JSON ``text`` of ``file`` as a :class:`Doc`; syntax errors as :class:`CaseError`."""
    try:
        fast = _records_first(text)
    except (StopIteration, ValueError, Duplicate, _LongInteger, RecursionError):
        fast = None  # the plain way below says what is wrong
    if fast is not None:
        data, values, keys, floats = fast
        positions = LazyPositions(text, values, keys)
        return Doc(file, data, positions.values, positions.keys, floats=floats)
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_int=_integer)
    except json.JSONDecodeError as e:
        line, column = line_of(text, e.pos)  # lines as an editor counts them (CR-only too)
        raise CaseError(f"JSON syntax error: {e.msg} (column {column})", file=file,
                        line=line) from None
    except _LongInteger:
        raise CaseError(f"an integer of more than {MAX_INT_DIGITS} digits (no count or year is "
                        "that large)", file=file, line=long_integer_line(text)) from None
    except RecursionError:
        raise CaseError("nested too deeply", file=file) from None
    except Duplicate as d:
        line = first = None
        try:  # JSON is (nearly) YAML: let the YAML composer find the line
            compose(text)
        except Duplicate as y:
            if y.key == d.key:
                line, first = y.line, y.first
        except Exception:
            pass
        where = f" (first given at line {first})" if first else ""
        raise CaseError(f"duplicate key {show(d.key)}{where}", file=file, line=line) from None
    values, keys = json_positions(text)
    return Doc(file, data, values, keys)
