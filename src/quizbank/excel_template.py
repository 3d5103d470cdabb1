"""The Excel question template, and reading question sheets from other exam platforms.

:func:`write_template` writes a bank as the template bank editors fill in: one row a question
(编号, 题型, 题干, 选项A … 选项H, 答案, 解析, 出处, 难度, 知识点, 适用对象, and 标签, 分组,
不分顺序, 停用 so that nothing of a question is lost), drop-down lists where a cell takes one of
a few words, and a 说明 sheet with the bank's name and revision and how to fill each column.
:func:`read_workbook` reads it back exactly, and also reads the sheets other platforms export:

* the header row is found wherever it is (title rows, merged or not, above it);
* columns are matched by name and the usual variants (题干/题目/题目内容, 答案/正确答案,
  选项A/A/A选项, 难度/难易程度, …); columns it does not know (分值, 创建人) are ignored and listed;
* a sheet named after a type (单选题, 判断) or a one-cell row ``一、单选题`` sets the type of the
  rows below when there is no 题型 column; vertically merged cells count for every row they span;
* a single 选项 column holding ``A.甲 B.乙`` or one option a line is split.

Rows are numbered as the spreadsheet shows them. Writing uses openpyxl; strings that begin
with ``=`` are stored as text so that a stem never becomes a formula.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .drafts import Draft, Origin, SourceRead, parse_type, split_options
from .errors import BankError, ImportProblem, Problem
from .models import LETTERS, Bank, Question
from .paper_xlsx import SECTION_TITLES

__all__ = ["TEMPLATE_MARK", "answer_cell", "read_table", "read_workbook", "write_template"]

#: Value of the 模板 row on the 说明 sheet; marks a workbook as our own template.
TEMPLATE_MARK = "quizbank 题库模板 v1"
DATA_SHEET = "题库"
INFO_SHEET = "说明"

_HEADERS = [
    "编号",
    "题型",
    "题干",
    *(f"选项{c}" for c in LETTERS),
    "答案",
    "解析",
    "出处",
    "难度",
    "知识点",
    "适用对象",
    "标签",
    "分组",
    "不分顺序",
    "停用",
]
_DIFFICULTY_CN = {"easy": "易", "medium": "中", "hard": "难"}
_AUDIENCE_CN = {("member",): "党员", ("secretary",): "支部书记", ("member", "secretary"): "党员、支部书记"}
_INSTRUCTIONS = [
    ("编号", "题目的唯一编号，只用字母、数字、-、_，如 dz-0001；新题可留空，导入时按题干自动生成固定编号。"),
    ("题型", "下拉选择：单选题、多选题、判断题、填空题。"),
    ("题干", "题目正文。选择题用（ ）标出作答处；填空题每个空用（ ）或 ____ 标出。"),
    ("选项A…选项H", "单选题、多选题的选项，从 A 起连续填写；判断题、填空题不填。"),
    (
        "答案",
        "单选题填一个字母（C）；多选题填多个字母（ABD，也可写 A,B,D 或 A、B、D）；判断题填 正确/错误（或 对/错、√/×）；填空题每空一个答案，用“；”分隔，同一空的几种写法用“ / ”分隔，如：一年 / 1年；四个意识",
    ),
    ("解析", "为什么选这个答案，考后给党员看；可留空，导入后显示“（暂无解析）”。"),
    ("出处", "依据的文件和条款，如《中国共产党章程》第七条；可留空，导入后显示“（出处待补充）”。"),
    ("难度", "下拉选择：易、中、难；留空按“中”处理。"),
    ("知识点", "题目所属的主题路径，如 党章/党员；第一段是题库名称，可只写后面的部分。"),
    ("适用对象", "下拉选择：党员、支部书记、党员、支部书记（两者都考）；留空表示两者都考。"),
    ("标签", "关键词，用“，”分隔，可留空。"),
    ("分组", "同一分组的题互相泄露答案，不会出现在同一份试卷里；可留空。"),
    ("不分顺序", "仅填空题：各空答案可以任意顺序作答时填“是”。"),
    ("停用", "法规修订后不再使用的题填“是”：保留历史，不再抽取。"),
]


# --------------------------------------------------------------------------- writing
def answer_cell(q: Question) -> str:
    """The 答案 cell: ``C``, ``ABD``, ``正确``/``错误``, ``一年 / 1年；四个意识``."""
    if q.type == "judge":
        return "正确" if q.answer is True else "错误"
    if q.type == "fill":
        return "；".join(" / ".join(spellings) for spellings in q.fill_key)
    return str(q.answer)


def _unrepresentable(q: Question) -> list[str]:
    """What of a question the template cannot carry so that it reads back the same."""
    out = []
    if q.type == "fill":
        for spellings in q.fill_key:
            for s in spellings:
                if re.search(r"[；;|｜／]|\s/\s", s) or s != s.strip():
                    out.append(f"fill answer '{s}' contains a separator (； ; | or ' / ') or outer spaces")
    for t in q.tags:
        if re.search(r"[,，、;；]", t) or t != t.strip():
            out.append(f"tag '{t}' contains a separator (， 、 or ；)")
    for o in q.options or ():
        if o != o.strip():
            out.append(f"option '{o}' starts or ends with a space")
    return out


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    return cell


def write_template(bank: Bank, path: str | os.PathLike[str], *, where: str = "") -> Path:
    """Write ``bank`` to ``path`` as the Excel template; :func:`read_workbook` reads it back.

    Raises :class:`BankError` (naming each question) when a value cannot be written so that
    it reads back the same, e.g. a fill answer containing ``；``; nothing is written then.
    """
    problems = []
    for q in bank.questions:
        for what in _unrepresentable(q):
            problems.append(Problem(where or bank.bank, None, f"question {q.id}: {what}"))
    if problems:
        raise BankError(problems, summary="these cannot be written to the Excel template unchanged")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = DATA_SHEET
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for c, name in enumerate(_HEADERS, start=1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.font = bold
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, q in enumerate(bank.questions, start=2):
        options = list(q.options or ())
        values: list[Any] = [
            q.id,
            SECTION_TITLES[q.type].replace("项选择", "选"),
            q.stem,
            *(options + [None] * (len(LETTERS) - len(options))),
            answer_cell(q),
            q.explanation,
            q.source,
            _DIFFICULTY_CN[q.difficulty],
            q.topic,
            _AUDIENCE_CN.get(tuple(a for a in ("member", "secretary") if a in q.audience), "党员、支部书记"),
            "，".join(q.tags) or None,
            q.group,
            "是" if q.any_order else None,
            "是" if q.retired else None,
        ]
        for c, v in enumerate(values, start=1):
            cell = _put(ws, r, c, v)
            if c in (3, 13):
                cell.alignment = wrap
    widths = {"A": 12, "B": 9, "C": 60, "L": 16, "M": 50, "N": 30, "O": 6, "P": 20, "Q": 14, "R": 12, "S": 12, "T": 9, "U": 6}
    for c in range(4, 12):
        ws.column_dimensions[get_column_letter(c)].width = 18
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "D2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_HEADERS))}{max(len(bank.questions) + 1, 2)}"
    last = max(len(bank.questions) + 500, 1000)
    column = {name: get_column_letter(i) for i, name in enumerate(_HEADERS, start=1)}
    for name, choices in (
        ("题型", "单选题,多选题,判断题,填空题"),
        ("难度", "易,中,难"),
        ("适用对象", "党员,支部书记,党员、支部书记"),
        ("不分顺序", "是,否"),
        ("停用", "是,否"),
    ):
        dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        dv.error = f"请从下拉列表中选择：{choices.replace(',', '、')}"
        dv.errorTitle = name
        dv.prompt = f"{name}：{choices.replace(',', '、')}"
        dv.showErrorMessage = True
        dv.showInputMessage = True
        ws.add_data_validation(dv)
        dv.add(f"{column[name]}2:{column[name]}{last}")

    info = wb.create_sheet(INFO_SHEET)
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 100
    info.append(["题库导入模板"])
    info["A1"].font = Font(bold=True, size=14)
    rows: list[tuple[str, str]] = [("题库名称", bank.bank), ("依据版本", bank.revision), ("模板", TEMPLATE_MARK)]
    for k, v in rows:
        info.append([k, v])
        r = info.max_row
        info.cell(r, 1).font = bold
        _put(info, r, 2, v)
    info.append([])
    info.append(["填写说明"])
    info.cell(info.max_row, 1).font = bold
    for k, v in _INSTRUCTIONS:
        info.append([k, v])
        info.cell(info.max_row, 2).alignment = wrap
    info.append([])
    info.append(
        ["导入", "quizbank import 本文件.xlsx --out 题库.yaml；有问题的行会逐一列出（行号与表格一致），全部改好才会写出。"]
    )
    info.cell(info.max_row, 2).alignment = wrap
    out = Path(path)
    wb.save(out)
    return out


# --------------------------------------------------------------------------- columns
_COLUMN_NAMES = {
    "id": "编号 试题编号 题目编号 试题id 题目id 试题代码 题目代码 id uid qid",
    "number": "序号 题号 no no. # 行号",
    "type": "题型 题目类型 试题类型 类型 题类 题型名称 题目题型 type",
    "stem": "题干 题目 题目内容 试题内容 问题 试题 内容 题目名称 题干内容 试题题干 题目描述 question stem",
    "answer": "答案 正确答案 标准答案 参考答案 答案选项 正确选项 answer key",
    "explanation": "解析 答案解析 试题解析 题目解析 解释 答案说明 解题思路 explanation",
    "source": "出处 来源 依据 出题依据 参考依据 政策依据 source",
    "difficulty": "难度 难易度 难易程度 难度等级 试题难度 难度系数 difficulty",
    "topic": "知识点 分类 题目分类 试题分类 所属分类 章节 考点 所属章节 知识点分类 topic",
    "audience": "适用对象 适用人群 对象 audience",
    "tags": "标签 关键词 关键字 tags",
    "group": "分组 互斥组 group",
    "any_order": "不分顺序 答案不分顺序 any_order",
    "retired": "停用 已停用 retired",
    "options": "选项 所有选项 选项内容 备选项 options",
}
_COLUMN_OF = {w: f for f, ws in _COLUMN_NAMES.items() for w in ws.split()}
_OPTION_COLUMN = re.compile(r"^(?:选项|option)?([a-h])(?:选项|项)?(?:内容)?$")
_OPTION_CN = re.compile(r"^选项([一二三四五六七八])$")


def _header_key(value: Any) -> str:
    t = unicodedata.normalize("NFKC", _cell_text(value)).strip().lower()
    t = re.sub(r"[(（][^)）]*[)）]", "", t)  # 题干（必填）
    return re.sub(r"[\s*＊:：]", "", t)


def column_field(header: Any) -> str | None:
    """The field a header names (``stem``, ``option:C`` …), or ``None`` for a column we ignore."""
    k = _header_key(header)
    if not k:
        return None
    if k in _COLUMN_OF:
        return _COLUMN_OF[k]
    m = _OPTION_COLUMN.match(k)
    if m:
        return "option:" + m.group(1).upper()
    m = _OPTION_CN.match(k)
    if m:
        return "option:" + LETTERS["一二三四五六七八".index(m.group(1))]
    return None


def _cell_text(value: Any) -> str:
    """A cell as text: numbers without ``.0``, dates as ISO dates, booleans as true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\u00a0", " ").strip(" \t\r\n\u3000")


def _find_header(rows: Sequence[Sequence[Any]], limit: int = 30) -> tuple[int, dict[int, str]] | None:
    for r, row in enumerate(rows[:limit]):
        fields = {c: f for c, v in enumerate(row) if (f := column_field(v)) is not None}
        names = set(fields.values())
        has_options = any(f.startswith("option") for f in names)
        if "stem" in names and ("answer" in names or has_options):
            return r, fields
    return None


_SECTION_ROW = re.compile(
    r"^(?:第?[一二三四五六七八九十]+(?:部分)?[、.．:：\s]*|[(（][一二三四五六七八九十]+[)）]\s*)?(?P<word>[^\s（(:：]{2,8})\s*(?:[(（:：].*)?$"
)


def read_table(
    rows: Sequence[Sequence[Any]],
    where: str,
    *,
    place: str = "row",
    origin: Origin = "sheet",
    sheet_type: str = "",
    first_row: int = 1,
) -> SourceRead | None:
    """Drafts from a grid with a header row somewhere near the top; ``None`` if none is found.

    ``place`` names the rows in messages (``row``, ``sheet 单选题 row``, ``table 2 row``);
    ``first_row`` is the number of ``rows[0]``. ``sheet_type`` (a sheet name such as 单选题)
    is the type of rows that have no 题型 of their own.
    """
    found = _find_header(rows)
    if found is None:
        return None
    header_at, fields = found
    read = SourceRead()
    ignored = [_cell_text(v) for c, v in enumerate(rows[header_at]) if c not in fields and _cell_text(v)]
    if ignored:
        read.notes.append(Problem(where, None, f"columns ignored: {', '.join(ignored)}"))
    seen: dict[str, int] = {}
    for c, f in sorted(fields.items()):
        if f in seen:
            read.notes.append(Problem(where, None, f"two '{f}' columns; the first one is used"))
        else:
            seen[f] = c
    col = seen
    option_cols = sorted((f.split(":")[1], c) for f, c in col.items() if f.startswith("option:"))
    default_type, default_choice = parse_type(sheet_type) if sheet_type else (None, False)
    scale = 3
    if "difficulty" in col:
        for row in rows[header_at + 1 :]:
            v = row[col["difficulty"]] if col["difficulty"] < len(row) else None
            if isinstance(v, int | float) and not isinstance(v, bool) and v in (4, 5):
                scale = 5
                break
    section_type, section_choice = default_type, default_choice
    header_keys = [_header_key(v) for v in rows[header_at]]

    def cell(row: Sequence[Any], name: str) -> str:
        c = col.get(name)
        return _cell_text(row[c]) if c is not None and c < len(row) else ""

    for r in range(header_at + 1, len(rows)):
        row = rows[r]
        number = first_row + r
        texts = [_cell_text(v) for v in row]
        filled = [i for i, t in enumerate(texts) if t]
        if not filled:
            continue
        if [_header_key(v) for v in row] == header_keys:
            continue  # the header repeated (pages pasted together)
        stem = cell(row, "stem")
        if len(filled) == 1:
            m = _SECTION_ROW.match(texts[filled[0]])
            kind, choice = parse_type(m.group("word")) if m else (None, False)
            if kind is not None or choice:
                section_type, section_choice = kind, choice
                continue
        if not stem:
            if len(filled) == 1 and filled[0] not in (col.get("answer"), *(c for _, c in option_cols)):
                continue  # a note or footer row
            if not any(cell(row, f) for f in ("answer", "options")) and not any(
                _cell_text(row[c]) for _, c in option_cols if c < len(row)
            ):
                continue
        d = Draft(where, number, origin, place=place)
        d.id = cell(row, "id")
        type_text = cell(row, "type")
        if type_text:
            kind, choice = parse_type(type_text)
            d.type, d.choice = kind, choice
            if kind is None and not choice:
                d.type_text = type_text
        else:
            d.type, d.choice = section_type, section_choice
        d.stem = stem
        if option_cols:
            by_letter = dict(option_cols)
            letters_used = [letter for letter in LETTERS if letter in by_letter]
            d.options = [_cell_text(row[by_letter[k]]) if by_letter[k] < len(row) else "" for k in letters_used]
            if letters_used != list(LETTERS[: len(letters_used)]):
                d.notes.append(f"option columns {', '.join(letters_used)} do not run from A without gaps")
        elif "options" in col:
            d.options = _split_option_cell(cell(row, "options"))
        d.answer = cell(row, "answer")
        d.explanation = cell(row, "explanation")
        d.source = cell(row, "source")
        d.difficulty = cell(row, "difficulty")
        d.difficulty_scale = scale
        d.topic = cell(row, "topic")
        d.audience = cell(row, "audience")
        d.tags = cell(row, "tags")
        d.group = cell(row, "group")
        d.any_order = cell(row, "any_order")
        d.retired = cell(row, "retired")
        read.drafts.append(d)
    return read


def _split_option_cell(text: str) -> list[str]:
    """One 选项 cell: ``A.甲 B.乙``, one option a line, or ``甲|乙|丙``."""
    if not text:
        return []
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    opts: list[str] = []
    for line in lines:
        got = split_options(line, len(opts))
        if got is not None and not got[0]:
            opts.extend(got[1])
        elif len(lines) > 1:
            opts.append(line)
        else:
            opts.extend(p.strip() for p in re.split(r"[|｜]|\s{2,}", line) if p.strip())
    return opts


# --------------------------------------------------------------------------- reading
_INFO_NAMES = {"说明", "填写说明", "使用说明", "导入说明", "instructions", "readme"}


def read_workbook(path: str | os.PathLike[str]) -> SourceRead:
    """Drafts from every question sheet of an ``.xlsx`` workbook (see the module docstring)."""
    where = str(path)
    try:
        wb = load_workbook(str(path), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as e:
        head = Path(path).read_bytes()[:8] if Path(path).exists() else b""
        if not head:
            raise ImportProblem([Problem(where, None, "the file is empty")]) from None
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            msg = "an Excel 97-2003 .xls file: open it in Excel or WPS and save it as .xlsx"
        elif head.startswith(b"PK"):
            msg = f"not an Excel workbook ({type(e).__name__}: a .docx named .xlsx?)"
        else:
            msg = "not an Excel .xlsx file"
        raise ImportProblem([Problem(where, None, msg)]) from None
    result = SourceRead()
    sheets = [ws for ws in wb.worksheets if ws.title.strip().lower() not in _INFO_NAMES]
    for ws in wb.worksheets:
        if ws.title.strip().lower() in _INFO_NAMES:
            _read_info(ws, result)
    several = len(sheets) > 1
    for ws in sheets:
        rows = _grid(ws)
        if not any(any(_cell_text(v) for v in row) for row in rows):
            continue
        place = f"sheet {ws.title} row" if several else "row"
        origin: Origin = "template" if result.template else "sheet"
        table = read_table(rows, where, place=place, origin=origin, sheet_type=ws.title)
        if table is None:
            result.problems.append(
                Problem(
                    where,
                    None,
                    f"sheet '{ws.title}': no header row in the first 30 rows; a header names the columns, "
                    "e.g. 题型 | 题干 | 选项A … 选项D | 答案",
                )
            )
            continue
        result.drafts += table.drafts
        result.problems += table.problems
        result.notes += [Problem(p.where, p.line, f"sheet '{ws.title}': {p.message}") if several else p for p in table.notes]
    if not sheets or (not result.drafts and not result.problems):
        result.problems.append(Problem(where, None, "the workbook holds no questions"))
    return result


def _read_info(ws: Any, result: SourceRead) -> None:
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, 10), values_only=True):
        if len(row) < 2:
            continue
        k, v = _header_key(row[0]), _cell_text(row[1])
        if k in ("题库名称", "题库", "bank") and v:
            result.meta["bank"] = v
        elif k in ("依据版本", "版本", "revision") and v:
            result.meta["revision"] = v
        elif k == "模板" and v.startswith("quizbank"):
            result.template = True


def _grid(ws: Any) -> list[list[Any]]:
    """The sheet's values, a vertically merged cell's value copied down into every row it spans.

    A 题型 cell merged over twenty rows is the type of each of them. Horizontal merges (a title
    across the sheet) are left as one cell, so such a row still reads as a single-cell row.
    """
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        r0, c0 = rng.min_row - 1, rng.min_col - 1
        if r0 >= len(rows) or c0 >= len(rows[r0]) or rng.max_row == rng.min_row:
            continue
        value = rows[r0][c0]
        for r in range(r0 + 1, min(rng.max_row, len(rows))):
            if c0 < len(rows[r]):
                rows[r][c0] = value
    return rows
