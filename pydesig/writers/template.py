"""``pydesig template``: an empty case for analysts to fill in, as a workbook or a CSV table.

The workbook has the sheets a workbook case file has (see :mod:`pydesig.readers.xlsx_reader`):
``case`` (format, ruleset, title), ``regions`` (filled from the gazetteer with the instrument's
area, to be trimmed or extended), ``officials``, ``facts`` (wide: one record a row, one
column per indicator of the rule set) and ``decisions`` (discretionary decisions taken), with a
hidden ``lists`` sheet holding the drop-down lists too long for Excel's inline lists.  Every header is given twice, ids then Chinese names;
an indicator's header carries its meaning and the provisions it serves as a cell comment, and
its column has data validation (true/false or 是/否 for flags, the Chinese names and ids of the
allowed values for enumerations, roles and region kinds, whole numbers ≥ 0 for counts, years
from 1900 to 2200).  The CSV template is the facts table.
"""

from __future__ import annotations

from ..indicators import indicators_for
from ..regions import gazetteer
from ..readers.table import RECORD_COLUMNS_ZH
from ..readers.terms import decision_terms, indicator_terms, vocabulary_terms
from ..readers.xlsx_reader import letter
from ..schema import FORMAT, INT_MAX, YEAR_MAX, YEAR_MIN, _serves, rulesets
from .sheets import Sheet, csv_bytes, workbook_bytes

__all__ = ["template_bytes", "AREAS"]

AREAS = {"jilin-2019": "220000", "changzhou": "320400"}
"""Where each instrument applies (吉林省; 常州市): the template lists the gazetteer's regions there."""

_BOOL = {"type": "list", "formula1": '"TRUE,FALSE,是,否"', "allow_blank": True}
_LIST_MAX = 255
"""Characters Excel allows an inline drop-down list (longer lists go without validation; the
header's comment names the values)."""


def _list(values) -> dict | None:
    """A drop-down of ``values`` (Chinese names and ids: the readers accept both)."""
    formula = '"' + ",".join(values) + '"'
    if len(formula) - 2 > _LIST_MAX or any("," in v or '"' in v for v in values):
        return None
    return {"type": "list", "formula1": formula, "allow_blank": True}


class _Lists:
    """Drop-downs too long to write inline: their values go to a hidden sheet ``lists``, one
    column each, and the validation names the range."""

    def __init__(self):
        self.columns: list[tuple[str, list[str]]] = []

    def drop_down(self, name: str, values: list[str]) -> dict:
        inline = _list(values)
        if inline:
            return inline
        self.columns.append((name, list(values)))
        col = letter(len(self.columns) - 1)
        return {"type": "list", "formula1": f"lists!${col}$2:${col}${len(values) + 1}",
                "allow_blank": True}

    def sheet(self) -> Sheet | None:
        if not self.columns:
            return None
        height = max(len(v) for _, v in self.columns)
        rows = [[v[i] if i < len(v) else None for _, v in self.columns] for i in range(height)]
        return Sheet("lists", [(name, name) for name, _ in self.columns], rows, header_rows=1,
                     hidden=True)


def _facts_sheet(ruleset: str) -> Sheet:
    inds = indicators_for(ruleset)
    columns = [(c, RECORD_COLUMNS_ZH[c]) for c in ("region", "official", "year", "source")]
    comments = {"region": "地区代码（regions 表中的 id）；与“人员”二选一",
                "official": "人员编号（officials 表中的 id）；与“地区”二选一",
                "year": f"年度（{YEAR_MIN}—{YEAR_MAX}）", "source": "事实来源（文件、通报）"}
    validations = {"year": {"type": "whole", "operator": "between", "formula1": str(YEAR_MIN),
                            "formula2": str(YEAR_MAX), "allow_blank": True}}
    for name, ind in inds.items():
        columns.append((name, ind.column_for(ruleset) or ind.zh))
        subject = "地区" if ind.subject == "region" else "人员"
        comment = f"{ind.zh}\n（{subject}；{_type_zh(ind)}）\n{_serves(ind).removeprefix('serves: ')}"
        comments[name] = comment
        if ind.type == "bool":
            validations[name] = _BOOL
        elif ind.type == "enum" and _list(indicator_terms(name).choices()):
            validations[name] = _list(indicator_terms(name).choices())
        elif ind.type == "int" and not name.endswith("_date"):
            validations[name] = {"type": "whole", "operator": "between", "formula1": "0",
                                 "formula2": str(INT_MAX), "allow_blank": True}
    return Sheet("facts", columns, [], comments, validations)


def _type_zh(ind) -> str:
    if ind.type == "bool":
        return "是/否"
    if ind.type == "enum":
        return "取值（中文名称或编号）：" + indicator_terms(ind.name).accepted()
    if ind.type == "list":
        return "多个取值以分号隔开（中文名称或编号）：" + indicator_terms(ind.name).accepted()
    if ind.name.endswith("_date"):
        return "日期（或月日四位数，如1215）"
    return "非负整数"


def _regions_sheet(ruleset: str) -> Sheet:
    gaz = gazetteer()
    root = AREAS.get(ruleset)

    def within(rid) -> bool:
        while rid is not None:
            if rid == root:
                return True
            rid = gaz[rid].parent if rid in gaz else None
        return False

    rows = [[r.id, r.name, r.kind, r.parent] for r in gaz.values() if within(r.id)]
    kinds = vocabulary_terms("kind", "region_kinds")
    return Sheet("regions", [("id", "代码"), ("name", "名称"), ("kind", "级别"), ("parent", "上级")],
                 rows, comments={"kind": "级别（中文名称或编号）：" + kinds.accepted()},
                 validations={"kind": _list(kinds.choices())})


def _officials_sheet(ruleset: str) -> Sheet:
    """Officials; Changzhou's also say whether one heads a commission member unit (成员单位,
    第十四条), which only its encodings read."""
    roles = vocabulary_terms("role", "roles")
    year = {"type": "whole", "operator": "between", "formula1": str(YEAR_MIN),
            "formula2": str(YEAR_MAX), "allow_blank": True}
    columns = [("id", "编号"), ("name", "姓名"), ("region", "地区"), ("role", "职务"),
               ("since", "任职起始年"), ("until", "离任年")]
    comments = {"role": "职务（中文名称或编号）：" + roles.accepted()}
    validations = {"role": _list(roles.choices()), "since": year, "until": year}
    if ruleset == "changzhou":
        columns.append(("member_unit", "成员单位"))
        comments["member_unit"] = ("是否为禁毒委员会成员单位负责人（是/否；第十四条、第二十二条）。"
                                   "禁毒委员会委员按职务即是；有关职能部门负责人填“是”方按成员单位"
                                   "考核，否则按第十六条其他有关职能部门")
        validations["member_unit"] = _BOOL
    return Sheet("officials", columns, comments=comments,
                 validations={k: v for k, v in validations.items() if v})


def _decisions_sheet(ruleset: str, lists: _Lists) -> Sheet:
    """Discretionary decisions the competent body has taken (第十条、第十一条 … of the rule set),
    fixed for the case; empty: every lawful decision stays open."""
    decisions = decision_terms(ruleset)
    year = {"type": "whole", "operator": "between", "formula1": str(YEAR_MIN),
            "formula2": str(YEAR_MAX), "allow_blank": True}
    comments = {"decision": "已作出的决定（中文名称或编号），不填则各种合法决定均予列出：" + decisions.accepted(),
                "region": "地区代码；与“人员”二选一", "official": "人员编号；与“地区”二选一"}
    return Sheet("decisions", [("region", "地区"), ("official", "人员"), ("year", "年度"),
                               ("decision", "决定"), ("source", "来源")], comments=comments,
                 validations={"year": year,
                              "decision": lists.drop_down("decision", decisions.choices())})


def template_bytes(ruleset: str, fmt: str = "xlsx") -> bytes:
    """An empty case workbook (``xlsx``) or facts table (``csv``) for ``ruleset``."""
    if ruleset not in rulesets():
        raise ValueError(f"unknown ruleset {ruleset!r}")
    facts = _facts_sheet(ruleset)
    if fmt == "csv":
        return csv_bytes(facts)
    case = Sheet("case", [("key", "项目"), ("value", "内容")],
                 [["format", FORMAT], ["ruleset", ruleset], ["title", ""]])
    lists = _Lists()
    sheets = [case, _regions_sheet(ruleset), _officials_sheet(ruleset), facts,
              _decisions_sheet(ruleset, lists)]
    return workbook_bytes(sheets + ([lists.sheet()] if lists.sheet() else []))
