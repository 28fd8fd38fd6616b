"""JSON case files: parsed with the json module into a :class:`Doc`; a key given twice in one
object is refused, and every value's line is found by :func:`pydesig.jsonpos.json_positions`."""

from __future__ import annotations

import json

from ..errors import CaseError
from ..jsonpos import json_positions, line_of
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


def parse_json(text: str, file: str) -> Doc:
    """The JSON ``text`` of ``file`` as a :class:`Doc`; syntax errors as :class:`CaseError`."""
    def pairs(items):
        result = {}
        for k, v in items:
            if k in result:
                raise Duplicate(k)
            result[k] = v
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_integer)
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
