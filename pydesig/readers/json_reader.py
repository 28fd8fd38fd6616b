"""JSON case files: parsed with the json module into a :class:`Doc`; a key given twice in one
object is refused, and every value's line is found by :func:`pydesig.jsonpos.json_positions`."""

from __future__ import annotations

import json

from ..errors import CaseError
from ..jsonpos import json_positions
from ..schema import show
from .document import Doc
from .yaml_reader import Duplicate, compose

__all__ = ["parse_json"]


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
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as e:
        raise CaseError(f"JSON syntax error: {e.msg} (column {e.colno})", file=file,
                        line=e.lineno) from None
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
