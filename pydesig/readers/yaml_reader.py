"""YAML case files: parsed with PyYAML's safe loader into a :class:`Doc` with the line of
every node.

A key given twice in one mapping is refused (YAML would keep the last, silently dropping a
fact), and so are aliases (``*name``), which a case does not need and which could make it
explode in size.
"""

from __future__ import annotations

import yaml

from ..errors import CaseError
from ..schema import show
from .document import Doc

__all__ = ["parse_yaml", "compose"]


class Duplicate(Exception):
    """A key given twice in one mapping (``first`` is the line it was first given)."""

    def __init__(self, key, line=None, first=None):
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


class _Alias(Exception):
    def __init__(self, line):
        super().__init__(line)
        self.line = line


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping and aliases (``*name``)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _Alias(self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # unhashable key: the base constructor reports it
            line = key_node.start_mark.line + 1
            if first is not None:
                raise Duplicate(key, line, first)
            seen[key] = line
        return super().construct_mapping(node, deep)


def compose(text: str):
    """(data, values, keys) of a YAML text; raises yaml errors and :class:`Duplicate`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        values: dict = {}
        keys: dict = {}
        if node is not None:
            _positions(loader, node, (), values, keys)
        return data, values, keys
    finally:
        loader.dispose()


def _positions(loader, node, path, values, keys) -> None:
    values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = loader.construct_object(key_node)
            keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _positions(loader, value_node, path + (key,), values, keys)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(loader, item, path + (i,), values, keys)


def parse_yaml(text: str, file: str) -> Doc:
    """The YAML ``text`` of ``file`` as a :class:`Doc`; syntax errors as :class:`CaseError`."""
    try:
        data, values, keys = compose(text)
    except Duplicate as d:
        raise CaseError(f"duplicate key {show(d.key)} (first given at line {d.first})",
                        file=file, line=d.line) from None
    except _Alias as a:
        raise CaseError("YAML aliases (*name) are not allowed in case files", file=file,
                        line=a.line) from None
    except RecursionError:
        raise CaseError("nested too deeply", file=file) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid YAML"
        raise CaseError(f"YAML syntax error: {problem}", file=file,
                        line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise CaseError(f"YAML error: {e}", file=file) from None
    return Doc(file, data, values, keys)
