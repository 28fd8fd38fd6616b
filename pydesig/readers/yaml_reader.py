"""YAML case files: parsed with PyYAML's safe loader into a :class:`Doc` with the line of
every node.

YAML as a case author means it, and nothing that silently changes a fact:

- a key given twice in one mapping is refused (YAML would keep the last, silently dropping a
  fact), and so is a key that a merge key (``<<: *defaults``) would bring in beside the same
  key given directly or by another merge;
- anchors and aliases (``&name`` / ``*name``, which ``yaml.safe_dump`` writes for shared
  objects) are accepted, but the document they expand to may hold at most
  :data:`ALIAS_EXPANSION_LIMIT` nodes brought in by aliases (the "billion laughs" refused), and an
  alias may not contain itself;
- scalars are read with the YAML 1.2 core rules, not YAML 1.1's: ``true``/``false`` are the only
  booleans (``yes``, ``no``, ``on``, ``off`` stay text), an integer is written in decimal
  without leading zeros, and everything else (``0123``, ``0x1F``, ``1:30``, ``1_000``,
  ``2019-05-01``) stays the text it is, so an id reads exactly as written;
- only the types a case holds (mappings, lists, strings, numbers, booleans, null): ``!!set``,
  ``!!omap``, ``!!pairs``, ``!!binary`` and ``!!timestamp`` are refused by name.
"""

from __future__ import annotations

import re

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from ..errors import CaseError
from ..schema import show
from .document import Doc
from .limits import MAX_INT_DIGITS, bad_character, check_tree

__all__ = ["parse_yaml", "compose", "ALIAS_EXPANSION_LIMIT"]

ALIAS_EXPANSION_LIMIT = 100_000
"""Nodes that aliases may add to a document when expanded (a whole national case written
without aliases needs none; a billion-laughs document needs billions)."""

_MERGE = "tag:yaml.org,2002:merge"
_REFUSED_TAGS = {f"tag:yaml.org,2002:{t}": t for t in ("set", "omap", "pairs", "binary", "timestamp")}


class Duplicate(Exception):
    """A key given twice in one mapping (``first`` is the line it was first given; ``merged``
    says which of the two a merge key brought in)."""

    def __init__(self, key, line=None, first=None, merged=False):
        super().__init__(key)
        self.key, self.line, self.first, self.merged = key, line, first, merged


class _Refused(Exception):
    def __init__(self, message, line):
        super().__init__(message)
        self.message, self.line = message, line


class _CoreResolver(BaseResolver):
    """The YAML 1.2 core schema's plain scalars (plus ``<<`` merge keys)."""


_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))
_CoreResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_CoreResolver.add_implicit_resolver(_MERGE, re.compile(r"^(?:<<)$"), ["<"])


class _Loader(Reader, Scanner, Parser, Composer, SafeConstructor, _CoreResolver):
    """The safe loader with the core resolver, the duplicate-key rule (merge keys included)
    and the refused tags."""

    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        _CoreResolver.__init__(self)

    def construct_object(self, node, deep=False):
        if node.tag in _REFUSED_TAGS:
            raise _Refused(f"YAML tag !!{_REFUSED_TAGS[node.tag]} is not allowed in case files "
                           "(a case holds mappings, lists, strings, numbers, true/false and null)",
                           node.start_mark.line + 1)
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, TypeError, OverflowError):
            if not isinstance(node, yaml.ScalarNode):
                raise
            # an explicit tag the value does not fit: !!int JL-CBS, !!bool maybe, !!float x
            tag = node.tag.rsplit(":", 1)[-1]
            raise _Refused(f"{show(node.value)} is not a YAML !!{tag}", node.start_mark.line + 1) from None

    def construct_yaml_int(self, node):
        """An integer, refused past MAX_INT_DIGITS digits before Python converts it (past 4,300
        digits int() raises; long before that no count or year is meant)."""
        digits = self.construct_scalar(node).lstrip("+-")
        if len(digits) > MAX_INT_DIGITS:
            raise _Refused(f"an integer of more than {MAX_INT_DIGITS} digits (no count or year is that long)",
                           node.start_mark.line + 1)
        return super().construct_yaml_int(node)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            own = {id(k) for k, _ in node.value if k.tag != _MERGE}
            self.flatten_mapping(node)  # merged keys now stand in node.value beside the own ones
            seen: dict = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:
                    continue  # unhashable key: the base constructor reports it
                line = key_node.start_mark.line + 1
                merged = id(key_node) not in own
                if first is not None:
                    raise Duplicate(key, line, first[0], merged or first[1])
                seen[key] = (line, merged)
        return super().construct_mapping(node, deep)


_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _expansion(root) -> None:
    """Refuse a node graph whose aliases expand past the limit or into themselves.

    The composer shares one node between an anchor and its aliases, so the expanded size of a
    node is computed once (memoised by identity) and the whole check costs one pass."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    added = 0
    seen_once: set[int] = set()

    def walk(node) -> int:
        nonlocal added
        key = id(node)
        if key in size:
            return size[key]
        if key in open_:
            raise _Refused("a YAML alias refers to a node that contains it (a recursive "
                           "structure)", node.start_mark.line + 1)
        open_.add(key)
        if isinstance(node, yaml.MappingNode):
            children = [c for pair in node.value for c in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        total = 1
        for child in children:
            n = walk(child)
            if id(child) in seen_once:
                added += n  # a second occurrence: an alias
                if added > ALIAS_EXPANSION_LIMIT:
                    raise _Refused("YAML aliases expand to more than "
                                   f"{ALIAS_EXPANSION_LIMIT:,} nodes (a case needs no such "
                                   "repetition; write the records out)", child.start_mark.line + 1)
            seen_once.add(id(child))
            total += n
        open_.discard(key)
        size[key] = total
        return total

    walk(root)


def compose(text: str):
    """(data, values, keys) of a YAML text; raises yaml errors, :class:`Duplicate` and
    :class:`_Refused`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, {}
        _expansion(node)
        data = loader.construct_document(node)
        values: dict = {}
        keys: dict = {}
        _positions(loader, node, (), values, keys, set())
        return data, values, keys
    finally:
        loader.dispose()


def _positions(loader, node, path, values, keys, done) -> None:
    """Where each node starts; an aliased node's children are recorded where it was first
    written (once: the expansion is bounded, but walking every copy would cost its size)."""
    values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if id(node) in done:
        return
    done.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = loader.construct_object(key_node)
            keys[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            _positions(loader, value_node, path + (key,), values, keys, done)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _positions(loader, item, path + (i,), values, keys, done)


def parse_yaml(text: str, file: str) -> Doc:
    """The YAML ``text`` of ``file`` as a :class:`Doc`; syntax errors as :class:`CaseError`."""
    disarmed, back = _disarm(text)
    unprintable = _UNPRINTABLE.search(text) if back else None
    try:
        data, values, keys = _compose_or_unprintable(disarmed, text, file, unprintable)
    except Duplicate as d:
        how = " (one of them brought in by a merge key <<)" if d.merged else ""
        raise CaseError(f"duplicate key {show(d.key)} (first given at line {d.first}){how}",
                        file=file, line=d.line) from None
    except _Refused as r:
        raise CaseError(r.message, file=file, line=r.line) from None
    except RecursionError:
        raise CaseError("nested too deeply", file=file) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "invalid YAML"
        raise CaseError(f"YAML syntax error: {problem}", file=file,
                        line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise CaseError(f"YAML error: {e}", file=file) from None
    if back:
        data, values, keys = _restore(data, back), _restore_paths(values, back), _restore_paths(keys, back)
    doc = Doc(file, data, values, keys)
    if unprintable:
        check_tree(doc)  # a string holding the character: named by its record and field
        raise _unprintable_error(text, file, unprintable)  # elsewhere: a comment, between tokens
    return doc


# --------------------------------------------------------------------------- characters

# What PyYAML refuses anywhere in a stream (C0 controls but tab/LF/CR, DEL, C1 but NEL,
# surrogates, U+FFFE/U+FFFF), and what it reads as a line break where an editor shows none.
_UNPRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_YAML_ONLY_BREAKS = "\x85\u2028\u2029"
_SPARE = re.compile("[\U000F0000-\U0010FFFF]")


def _disarm(text: str) -> tuple[str, dict | None]:
    """``text`` with each character YAML refuses or reads as a line break (U+0085, U+2028,
    U+2029, which no editor shows as one) replaced by a private-use stand-in, and the table that
    puts them back (None when there is none).

    So that line numbers are the ones an editor shows, a comment ends where the editor shows it
    end (``# note<U+2028>key: 1`` would otherwise add a key), and such a character is refused
    (or, in ``title`` and ``source``, read as a space) by the string rule with the record and
    the field named, as in a JSON file."""
    odd = sorted(set(_UNPRINTABLE.findall(text)) | {c for c in _YAML_ONLY_BREAKS if c in text})
    if not odd:
        return text, None
    taken = set(text) if _SPARE.search(text) else set()
    spare = (chr(c) for c in range(0xF0000, 0x10FFFE) if chr(c) not in taken)
    forward = {ord(c): stand_in for c, stand_in in zip(odd, spare)}
    return text.translate(forward), {ord(stand_in): c for c, stand_in in zip(odd, forward.values())}


def _compose_or_unprintable(text: str, original: str, file: str, unprintable):
    try:
        return compose(text)
    except (yaml.YAMLError, RecursionError):
        if unprintable:  # the character, not what it made of the YAML around it
            raise _unprintable_error(original, file, unprintable) from None
        raise


def _restore(data, back: dict):
    """``data`` with the stand-ins of :func:`_disarm` put back (in place: aliases share)."""
    if isinstance(data, str):
        return data.translate(back)
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, list):
            node[:] = [v.translate(back) if isinstance(v, str) else v for v in node]
            stack.extend(node)
        else:
            items = [(k.translate(back) if isinstance(k, str) else k,
                      v.translate(back) if isinstance(v, str) else v) for k, v in node.items()]
            node.clear()
            node.update(items)
            stack.extend(v for _, v in items)
    return data


def _restore_paths(positions: dict, back: dict) -> dict:
    return {tuple(p.translate(back) if isinstance(p, str) else p for p in path): at
            for path, at in positions.items()}


def _unprintable_error(text: str, file: str, match: re.Match) -> CaseError:
    """A character YAML allows nowhere (not even in a comment), by the line and column an
    editor shows."""
    at = match.start()
    start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
    line = text.count("\n", 0, at) + text.count("\r", 0, at) - text.count("\r\n", 0, at) + 1
    char = match.group()
    what = (bad_character(char) or f"U+{ord(char):04X}, a noncharacter").rsplit(", at position", 1)[0]
    return CaseError(f"{what}, at column {at - start + 1}: YAML allows it nowhere in a file, not "
                     "even in a comment (remove it)", file=file, line=line)
