"""The JSON reader's one-pass path gives what the plain path gives: the same data, the same
positions (those it knows at once, and the rest on request), and no answer at all for a text it
does not take (which the plain path then words as an error)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pydesig.jsonpos import json_positions
from pydesig.readers.json_reader import _records_first, parse_json
from pydesig.readers.validate import _has_float

CASES = Path(__file__).parent / "cases"

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=8),
                    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([1e300, -0.0, 12000.0]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)
documents = st.dictionaries(st.text(max_size=6), st.one_of(values, st.lists(values, max_size=5)), max_size=5)
spacing = st.sampled_from([None, 0, 1, 2, "\t"])


def _dump(doc, indent) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=indent)


def _agrees(text: str) -> None:
    fast = _records_first(text)
    assert fast is not None
    data, values_known, keys_known, floats = fast
    assert data == json.loads(text)
    assert floats == _has_float(data)
    values_all, keys_all = json_positions(text)
    assert all(values_all[p] == pos for p, pos in values_known.items())
    assert all(keys_all[p] == pos for p, pos in keys_known.items())
    doc = parse_json(text, "x.json")
    assert dict(doc.values) == values_all and dict(doc.keys) == keys_all  # the rest on request


@settings(max_examples=150, deadline=None)
@given(documents, spacing)
def test_one_pass_gives_the_plain_data_and_positions(doc, indent):
    _agrees(_dump(doc, indent))


@settings(max_examples=60, deadline=None)
@given(documents, st.sampled_from(["\r\n", "\r", "\n  \n"]))
def test_every_line_ending_counts_as_the_plain_positions_count_it(doc, newline):
    _agrees(_dump(doc, 1).replace("\n", newline))


def test_shipped_good_case_and_record_lines():
    text = (CASES / "good" / "basic.json").read_text(encoding="utf-8")
    _agrees(text)
    doc = parse_json(text, "basic.json")
    values_all, _ = json_positions(text)
    assert [r.line for r in doc.records("facts")] == \
        [values_all[("facts", i)][0] for i in range(len(doc.data["facts"]))]


def test_texts_it_does_not_take_go_the_plain_way():
    for text in ('[1, 2]', '{"a": 1,}', '{"a": [1,]}', '{"a": 1} x', '{"a": 1, "a": 2}',
                 '{"a": {"b": 1, "b": 2}}', '{"a": 1' , '{"a": [1 2]}', '"text"', '',
                 '{"a": 123456789012345678901234567890}'):
        try:
            fast = _records_first(text)
        except Exception:  # noqa: BLE001 - the reader catches these and parses the plain way
            fast = None
        assert fast is None, text


def test_bad_json_cases_still_fail_with_their_messages():
    # every bad JSON fixture is refused by the plain path with the message its test expects
    # (tests/test_case_loader.py); here: the one-pass path never accepts one of them
    for path in sorted((CASES / "bad").glob("json-*.json")):
        text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
        try:
            fast = _records_first(text)
        except Exception:  # noqa: BLE001
            continue
        if fast is not None:  # syntactically fine (a float count, a lone surrogate): same data
            assert fast[0] == json.loads(text)
