"""Hostile case files for the fuzzer, and the one verdict every run of one must meet.

Two sources of cases:

- :func:`schema_cases`: documents drawn from the JSON Schema ``pydesig schema`` publishes, walked
  keyword by keyword (a generator for exactly the keywords the schema uses: an unknown keyword
  fails loudly, so the schema cannot drift away from the fuzzer).  Ids come from a small pool so
  that references often resolve and the case reaches the solver, with hostile ids mixed in (NUL,
  ESC, newline, quotes, a lone surrogate, integers);
- :func:`mutated_cases`: the shipped cases with byte edits, other encodings, stray CSV quotes,
  YAML tags, anchors and merge keys, huge and non-ASCII numbers, other line ends;
  :func:`mutated_tables` the same edits always on a case's CSV facts table, and
  :func:`mutated_workbooks` a workbook case with hostile cell values (control characters, line
  and paragraph separators, bidirectional controls, huge, fractional and non-ASCII numbers,
  dates, formulas, a header renamed or emptied) or damaged bytes;
- :data:`CATALOGUE`: every kind of edit once, at a fixed place (the short profile draws few
  examples; the catalogue makes sure each kind of hostile input is tried on every run).

:func:`verdict` runs a command in-process and asserts the rule of issue 14: exit 0, or exit 2
with one line on stderr naming the file; never exit 1, never a traceback, never two ids merged.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import yaml
from click.testing import CliRunner
from clingo import String
from hypothesis import strategies as st

from pydesig import load_case
from pydesig.cli import main
from pydesig.errors import CaseError
from pydesig.schema import case_schema

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))  # tests/workbooks.py writes the workbook case
SHIPPED = [REPO / "kb" / "cases" / "tonghua.yaml", REPO / "kb" / "cases" / "changzhou.yaml",
           *sorted((REPO / "tests" / "cases" / "good").glob("*.yaml")),
           *sorted((REPO / "tests" / "cases" / "good").glob("*.json"))]

# --------------------------------------------------------------------------- from the schema

HOSTILE_IDS = ["220581\x00fake", "a\x1b[1mb", "x\ny", "\ud800", 'a"). x. %', "\u202eevil", "a\u2028b",
               " 220581", "220581 ", "", "%*", "0123", "ａ"]
POOL = ["220581", "220582", "220500", "A", "B", "甲", "zhang", "li", 220581, 220582]

_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    ["\x00", "\x1b", "\n", "\r", "\t", "\u2028", "\x85", '"', "\\", "<", "|", "%", "*", ":", "#"])


def _text(min_size: int = 0) -> st.SearchStrategy:
    return st.text(alphabet=_ALPHABET, min_size=min_size, max_size=12)


OVERRIDES = {
    "#/$defs/id": st.one_of(*[st.sampled_from(POOL)] * 12, st.sampled_from(HOSTILE_IDS), _text(),
                            st.integers(min_value=0, max_value=2**40)),
    "#/$defs/year": st.one_of(*[st.integers(2016, 2022)] * 60, st.integers(1900, 2200),
                              st.sampled_from([1899, 2201, 2**31, -1, 10**30])),
}


class Unsupported(Exception):
    """A schema keyword the generator does not know: teach it, do not ignore it."""


_KNOWN = {"$schema", "title", "description", "type", "required", "additionalProperties", "properties",
          "$defs", "$ref", "items", "enum", "const", "minimum", "maximum", "minLength", "uniqueItems",
          "pattern", "if", "then", "else", "anyOf", "oneOf", "allOf", "not"}


def from_schema(schema: dict, root: dict | None = None) -> st.SearchStrategy:
    """A strategy for documents of ``schema`` (the subset of JSON Schema 2020-12 the case schema
    uses), with :data:`OVERRIDES` for ids and years."""
    root = root or schema
    unknown = set(schema) - _KNOWN
    if unknown:
        raise Unsupported(sorted(unknown))
    if "$ref" in schema:
        ref = schema["$ref"]
        if ref in OVERRIDES:
            return OVERRIDES[ref]
        target = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return from_schema(target, root)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "if" in schema:
        return st.one_of(from_schema(schema["then"], root), from_schema(schema["else"], root))
    if "anyOf" in schema:
        return st.one_of([from_schema(s, root) for s in schema["anyOf"]])
    if "oneOf" in schema:  # branches that only add required keys: exactly one of them holds
        base = {k: v for k, v in schema.items() if k != "oneOf"}
        branches = [b["required"] for b in schema["oneOf"]]
        return st.one_of([_object(base, root, extra_required=keys,
                                  without={k for other in branches if other != keys for k in other})
                          for keys in branches])
    types = schema.get("type", "object" if "properties" in schema else None)
    if types is None:
        return st.nothing() if schema.get("not") == {} else st.none()
    types = types if isinstance(types, list) else [types]
    return st.one_of([_typed(t, schema, root) for t in types])


def _typed(kind: str, schema: dict, root: dict) -> st.SearchStrategy:
    if kind == "object":
        return _object(schema, root)
    if kind == "array":
        items = from_schema(schema.get("items", {"type": "string"}), root)
        return st.lists(items, max_size=5, unique=bool(schema.get("uniqueItems")))
    if kind == "string":
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True)
        return _text(schema.get("minLength", 0))
    if kind == "integer":
        return st.integers(schema.get("minimum", -(2**40)), schema.get("maximum", 2**40))
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "number":
        return st.floats(allow_nan=False)
    raise Unsupported(kind)


def _object(schema: dict, root: dict, extra_required=(), without=()) -> st.SearchStrategy:
    props = {k: v for k, v in schema.get("properties", {}).items() if k not in without}
    required = [*schema.get("required", []), *extra_required]
    for rule in schema.get("allOf", []):  # {"if": {"required": [k]}, "then": {"properties": {x: {"not": {}}}}}
        if set(rule) - {"if", "then"} or set(rule["if"]) != {"required"}:
            raise Unsupported(rule)
        if set(rule["if"]["required"]) <= set(required):
            for name, sub in rule["then"].get("properties", {}).items():
                if sub.get("not") == {}:
                    props.pop(name, None)
    return st.fixed_dictionaries(
        {k: from_schema(props[k], root) for k in required if k in props},
        optional={k: from_schema(v, root) for k, v in props.items() if k not in required})


@st.composite
def schema_cases(draw, ruleset: str) -> tuple[str, dict]:
    """(name, {file name: bytes}) of a case drawn from the schema, as JSON or as YAML; four in
    five have their references pointed at ids the case lists, so that they reach the solver."""
    doc = draw(from_schema(case_schema(ruleset)))
    if draw(st.integers(0, 4)):
        _point_references(doc, draw)
    return _serialised((doc, draw(st.sampled_from(["json", "yaml"]))))


def _point_references(doc: dict, draw) -> None:
    """Point officials, facts and decisions at the case's own (possibly hostile) ids."""
    regions = [r.get("id") if isinstance(r, dict) else r for r in doc.get("regions", [])]
    if not isinstance(doc.get("facts"), list):
        doc["facts"] = []
    if not regions:
        return
    for o in doc.get("officials", []):
        o["region"] = draw(st.sampled_from(regions))
    officials = [o["id"] for o in doc.get("officials", [])]
    for record in doc["facts"] + doc.get("decisions", []):
        if "region" in record:
            record["region"] = draw(st.sampled_from(regions))
        elif officials:
            record["official"] = draw(st.sampled_from(officials))


def _serialised(pair) -> tuple[str, dict]:
    doc, kind = pair
    if kind == "json":
        text = json.dumps(doc, ensure_ascii=False)
    else:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    return f"case.{kind}", {f"case.{kind}": text.encode("utf-8", "surrogatepass")}


# --------------------------------------------------------------------------- mutations

SPECIAL_BYTES = [b"\x00", b"\x1b[1m", b"\xff", b"\xe2\x80\xa8", b"\xc2\x85", b"\r", b"\n", b'"', b"'",
                 b"\xef\xbb\xbf", b"\\", b"%", b"*", b"&a ", b"*a", b"{", b"[", b"]" * 3, b"[" * 400,
                 "²".encode(), "٣".encode(), b"9" * 5000, b"3000000000", b"-1", b"\t", b"#", b": ", b"- "]
YAML_TAGS = ["!!set ", "!!binary ", "!!timestamp ", "!!omap ", "!!python/object:os.system ", "&anchor ",
             "*anchor", "<<: {poppy_plants: 1}\n", "!!str ", "!!int ", "? "]
ENCODINGS = ["utf-16", "utf-16-le", "gb18030", "latin-1", "utf-8-sig", "utf-32", "big5"]


def _files_of(case: Path) -> dict:
    files = {case.name: case.read_bytes()}
    text = files[case.name].decode("utf-8")
    table = re.search(r"^facts:\s*(\S+\.csv)\s*$", text, re.M)
    if table:
        files[table.group(1)] = (case.parent / table.group(1)).read_bytes()
    return files


@st.composite
def mutated_cases(draw) -> tuple[str, dict]:
    """(case file name, {file name: bytes}): a shipped case with one to three edits."""
    case = draw(st.sampled_from(SHIPPED))
    files = _files_of(case)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        files[name] = draw(_mutation(files[name], name.endswith(".csv")))
    return case.name, files


TABLE_CASES = [c for c in SHIPPED if re.search(r"^facts:\s*\S+\.csv\s*$", c.read_text(encoding="utf-8"), re.M)]


@st.composite
def mutated_tables(draw) -> tuple[str, dict]:
    """(case file name, {file name: bytes}): a shipped case with one to three edits of its CSV table."""
    case = draw(st.sampled_from(TABLE_CASES))
    files = _files_of(case)
    table = next(name for name in files if name.endswith(".csv"))
    for _ in range(draw(st.integers(1, 3))):
        files[table] = draw(_mutation(files[table], True))
    return case.name, files


_WORKBOOK: list[bytes] = []

HOSTILE_CELLS = ["220581\nfake", "a\tb", "a\u2028b", "\u202eevil", "\x85", "", " ", "=1+1", "'0123", "²", "٢٠١٩",
                 "9" * 5000, 10**30, 2**31, -1, 1.5, float("inf"), True, "true", "是", "2019-13-45",
                 dt.datetime(2019, 12, 15), dt.date(1800, 1, 1), "x" * 40000, "a_x001B_b", "_x0000_", "a\x1bb"]


def workbook_case() -> bytes:
    """The small Jilin case (basic.yaml) as a workbook case file (regions, officials, facts sheets)."""
    if not _WORKBOOK:
        from workbooks import case_workbook  # tests/workbooks.py

        doc = yaml.safe_load((REPO / "tests" / "cases" / "good" / "basic.yaml").read_text(encoding="utf-8"))
        buffer = io.BytesIO()
        case_workbook(doc, buffer)
        _WORKBOOK.append(buffer.getvalue())
    return _WORKBOOK[0]


def _cell_edit(raw: bytes, sheet: int, row: int, column: int, value) -> bytes:
    """``raw`` with one cell of one sheet set to ``value`` (header cells included), written into
    the sheet's XML directly: fast, and it can hold what openpyxl refuses to write (Excel's
    ``_x001B_`` escapes).  A cell the sheet does not have is left alone."""
    sheets = sorted((n for n in zipfile.ZipFile(io.BytesIO(raw)).namelist()
                     if n.startswith("xl/worksheets/sheet")), key=lambda n: int(re.sub(r"\D", "", n)))
    name = sheets[sheet % len(sheets)]
    ref = f"{'ABCDEFGH'[column % 8]}{1 + row % 6}"
    if isinstance(value, bool):
        cell = f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    elif isinstance(value, (int, float)):
        cell = f'<c r="{ref}"><v>{value!r}</v></c>'
    elif isinstance(value, dt.date):
        cell = f'<c r="{ref}" t="d"><v>{value.isoformat()}</v></c>'
    else:
        text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        cell = f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == name:
                data = re.sub(rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)'.encode(), lambda _m: cell.encode("utf-8"),
                              data, count=1, flags=re.S)
            zout.writestr(item, data)
    return out.getvalue()


@st.composite
def mutated_workbooks(draw) -> tuple[str, dict]:
    """("case.xlsx", {"case.xlsx": bytes}): the workbook case with one to three hostile cells, or
    its bytes damaged."""
    raw = workbook_case()
    if draw(st.integers(0, 5)) == 0:
        raw = draw(_mutation(raw, False))
    else:
        for _ in range(draw(st.integers(1, 3))):
            raw = _cell_edit(raw, draw(st.integers(0, 4)), draw(st.integers(0, 8)), draw(st.integers(0, 12)),
                             draw(st.sampled_from(HOSTILE_CELLS)))
    return "case.xlsx", {"case.xlsx": raw}


def _mutation(data: bytes, is_csv: bool):
    at = st.integers(0, len(data))
    edits = [
        st.builds(lambda i, b: data[:i] + b + data[i:], at, st.sampled_from(SPECIAL_BYTES)),
        st.builds(lambda i, b: data[:i] + bytes([b]) + data[i + 1:], at, st.integers(0, 255)),
        st.builds(lambda i, n: data[:i] + data[i + n:], at, st.integers(1, 40)),
        at.map(lambda i: data[:i]),
        st.sampled_from(ENCODINGS).map(lambda enc: data.decode("utf-8", "replace").encode(enc, "replace")),
        st.sampled_from([b"\r", b"\r\n", "\u2028".encode(), b"\n\n\n"]).map(lambda nl: data.replace(b"\n", nl)),
        st.builds(_replace_number, st.just(data), st.integers(0, 50), st.sampled_from(
            [b"9" * 5000, b"3000000000", "²".encode(), "٢٠١٩".encode(), b"-5", b"0x1F", b"1_000", b"1e3",
             b"2147483648", b"2147483647"])),
    ]
    if is_csv:
        edits.append(st.builds(_csv_quote, st.just(data), st.integers(0, 40), st.sampled_from([b'"', b'""', b'"x"y'])))
    else:
        edits.append(st.builds(_yaml_tag, st.just(data), st.integers(0, 60), st.sampled_from(YAML_TAGS)))
    return st.one_of(edits)


def _replace_number(data: bytes, k: int, number: bytes) -> bytes:
    runs = list(re.finditer(rb"\d+", data))
    if not runs:
        return data
    m = runs[k % len(runs)]
    return data[:m.start()] + number + data[m.end():]


def _csv_quote(data: bytes, k: int, quote: bytes) -> bytes:
    """A stray quote at the start of the k-th cell."""
    cuts = [0] + [m.end() for m in re.finditer(rb"[,\n]", data)]
    i = cuts[k % len(cuts)]
    return data[:i] + quote + data[i:]


def _yaml_tag(data: bytes, k: int, tag: str) -> bytes:
    """``tag`` put before the k-th value after ``key: ``."""
    cuts = [m.end() for m in re.finditer(rb": ", data)] or [0]
    i = cuts[k % len(cuts)]
    return data[:i] + tag.encode() + data[i:]


# --------------------------------------------------------------------------- every kind once

BASIC = REPO / "tests" / "cases" / "good" / "basic.yaml"
LONG = REPO / "tests" / "cases" / "good" / "long.yaml"


def _catalogue() -> list[tuple[str, str, dict]]:
    """(what, case file name, files): each kind of edit applied once, at a place where it bites
    (inside the first id of basic.yaml, the first data row of long.csv, a cell of the workbook)."""
    entries = []
    basic = _files_of(BASIC)
    at = basic[BASIC.name].index(b'"220581"') + 4  # inside the first region id
    for b in SPECIAL_BYTES:
        entries.append((f"bytes {b[:8]!r} in an id", BASIC.name, {**basic, BASIC.name: basic[BASIC.name][:at] + b + basic[BASIC.name][at:]}))
    for tag in YAML_TAGS:
        entries.append((f"YAML {tag.strip()}", BASIC.name, {**basic, BASIC.name: _yaml_tag(basic[BASIC.name], 5, tag)}))
    for enc in ENCODINGS:
        entries.append((f"encoding {enc}", BASIC.name,
                        {**basic, BASIC.name: basic[BASIC.name].decode("utf-8").encode(enc, "replace")}))
    for nl in (b"\r", b"\r\n", "\u2028".encode(), "\x85".encode()):
        entries.append((f"line end {nl!r}", BASIC.name, {**basic, BASIC.name: basic[BASIC.name].replace(b"\n", nl)}))
    for number in (b"9" * 5000, b"3000000000", "²".encode(), "٢٠١٩".encode(), b"0x1F", b"1e3", b"2147483648"):
        entries.append((f"number {number[:8]!r}", BASIC.name, {**basic, BASIC.name: _replace_number(basic[BASIC.name], 9, number)}))
    long = _files_of(LONG)
    row = long["long.csv"].index(b"\n") + 1
    for k, quote in enumerate((b'"', b'""', b'"x"y')):
        entries.append((f"CSV quote {quote!r}", LONG.name, {**long, "long.csv": _csv_quote(long["long.csv"], 6 + k * 5, quote)}))
    for b in (b"\x00", b"\x1b[1m", b"\xff", b"\n" * 3, "\u2028".encode(), b"\r"):
        entries.append((f"CSV bytes {b!r}", LONG.name, {**long, "long.csv": long["long.csv"][:row + 3] + b + long["long.csv"][row + 3:]}))
    entries.append(("CSV as UTF-16", LONG.name, {**long, "long.csv": long["long.csv"].decode().encode("utf-16")}))
    for i, value in enumerate(HOSTILE_CELLS):
        sheet = 4 if i % 2 else 1  # the facts sheet, the regions sheet (case, regions, officials, interpretations, facts)
        entries.append((f"workbook cell {value!r:.12}", "case.xlsx",
                        {"case.xlsx": _cell_edit(workbook_case(), sheet, 1 + i % 3, i % 5, value)}))
    entries.append(("workbook cut short", "case.xlsx", {"case.xlsx": workbook_case()[:2000]}))
    return entries


CATALOGUE = _catalogue()


# --------------------------------------------------------------------------- the verdict

def write(folder: Path, files: dict) -> None:
    for name, data in files.items():
        (folder / name).write_bytes(data)


def verdict(folder: Path, case_name: str, *args: str) -> dict:
    """Run ``pydesig <args[0]> CASE <args[1:]>`` in-process on ``folder/case_name`` and assert
    the rule; returns ``{"exit": code, "line": stderr line or None}``."""
    case = folder / case_name
    result = CliRunner().invoke(main, [args[0], str(case), *args[1:]])
    stderr = result.stderr
    assert "Traceback" not in stderr and "Traceback" not in result.stdout, stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {type(result.exception).__name__}: {result.exception}")
    assert result.exit_code in (0, 2), f"exit {result.exit_code}: {stderr}"
    if result.exit_code == 2:
        lines = stderr.split("\n")
        assert len(lines) == 2 and lines[1] == "" and lines[0].startswith("pydesig: "), repr(stderr)
        named = [n for n in (str(case), *(str(folder / f) for f in _others(folder, case_name)))]
        assert any(n in lines[0] for n in named), f"names no file: {lines[0]}"
        assert result.stdout == "", "output beside an error"
        return {"exit": 2, "line": lines[0]}
    if args[0] != "outcomes":  # (outcomes reports its progress) a case's warnings, one line each
        assert all(line.startswith("pydesig: warning: ") for line in stderr.splitlines()), stderr
    _no_ids_merged(case, result.stdout_bytes if args[0] == "solve" and "json" in args else None)
    return {"exit": 0, "line": None}


def _others(folder: Path, case_name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != case_name)


def _no_ids_merged(case: Path, json_out: bytes | None) -> None:
    """Every id the loader accepted reaches clingo whole (a NUL would cut it), and a solved
    result names no region or official the case does not have."""
    loaded = load_case(case)
    for ids in (loaded.regions, loaded.officials):
        for ident in ids:
            assert String(ident).string == ident, f"id {ident!r} does not survive clingo"
    if json_out:
        doc = json.loads(json_out)
        for entry in doc.get("findings", []) + doc.get("status", []):
            assert entry["region"] in loaded.regions, entry
        for m in doc.get("measures", []):
            kind, ident = next(iter(m["subject"].items()))
            assert ident in (loaded.regions if kind == "region" else loaded.officials), m


def load_or_refuse(path: Path):
    """The case, or None when the loader refuses it with a CaseError (anything else escapes)."""
    try:
        return load_case(path)
    except CaseError:
        return None
