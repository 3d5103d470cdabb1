"""A paper as a printable Excel workbook: the paper sheet and an answer-key sheet.

Secretaries print spot-check papers on A4; the sheet is laid out for that (portrait, fit to
one page wide, wrapped Chinese text in a wide column) rather than for computing.
"""

from __future__ import annotations

import math
import os
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from .models import LETTERS, Paper, PaperQuestion
from .paperjson import num

__all__ = ["SECTION_TITLES", "answer_text", "section_heading", "write_paper_xlsx"]

SECTION_TITLES = {"single": "单项选择题", "multiple": "多项选择题", "judge": "判断题", "fill": "填空题"}
_NUMERALS = "一二三四五六七八九十"
_WRAP = Alignment(wrap_text=True, vertical="top")
_FONT = "宋体"


def section_heading(paper: Paper, index: int) -> str:
    """``一、单项选择题（共20题，每题2分，共40分）``."""
    sec = paper.sections[index]
    title = sec.title or SECTION_TITLES[sec.type]
    total = num(sec.points * sec.count)
    rule = ""
    if sec.type == "multiple":
        rule = {
            "strict": "，多选、少选、错选均不得分",
            "half": "，少选得一半分，错选不得分",
            "per_option": "，每选对一项按比例得分，错选不得分",
        }[sec.scoring]
    return f"{_NUMERALS[index % 10]}、{title}（共{sec.count}题，每题{num(sec.points)}分，共{total}分{rule}）"


def answer_text(q: PaperQuestion) -> str:
    """The key as a person reads it: ``B``, ``ACD``, ``正确``, ``四个意识；……``."""
    if q.type == "judge":
        return "正确" if q.answer is True else "错误"
    if q.type == "fill":
        assert isinstance(q.answer, tuple)
        return "；".join(" / ".join(b) for b in q.answer)
    return str(q.answer)


def _setup(ws: Worksheet, title: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.oddFooter.center.text = f"{title}  第 &P 页 / 共 &N 页"
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 88


def _wrapped(ws: Worksheet, text: str, width: float = 88) -> None:
    """Wrap the last row's text cell and give the row the height its lines need.

    Excel and LibreOffice do not grow a row for wrapped text that openpyxl wrote, so a long
    stem would print cut off; a full-width character takes two units of column width.
    """
    cell = ws.cell(ws.max_row, 2)
    cell.alignment = _WRAP
    cell.font = Font(name=_FONT, size=11)
    units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    lines = max(1, math.ceil(units / (width - 2)))
    if lines > 1:
        ws.row_dimensions[ws.max_row].height = 15 * lines


def write_paper_xlsx(paper: Paper, path: str | os.PathLike[str], *, member_line: str = "") -> Path:
    """Write the paper sheet (试卷) and the key sheet (答案) to ``path``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "试卷"
    _setup(ws, paper.blueprint)
    ws.append([paper.blueprint])
    ws.merge_cells("A1:B1")
    ws["A1"].font = Font(name=_FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(
        [
            f"试卷编号：{paper.paper_id}    满分：{num(paper.total_points)}分    及格：{num(paper.pass_mark)}分    时间：{paper.time_limit_s // 60}分钟"
        ]
    )
    ws.merge_cells("A2:B2")
    ws.append([member_line or "姓名：____________    党支部：________________    编号：__________    得分：________"])
    ws.merge_cells("A3:B3")
    for r in (2, 3):
        ws.cell(r, 1).font = Font(name=_FONT, size=11)
    ws.append([])
    thin = Side(style="thin")
    current = -1
    for q in paper.questions:
        if q.section != current:
            current = q.section
            ws.append([section_heading(paper, current)])
            row = ws.max_row
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            ws.cell(row, 1).font = Font(name=_FONT, size=12, bold=True)
            ws.cell(row, 1).border = Border(bottom=thin)
        stem = q.stem
        if q.type == "judge":
            stem += "（    ）"
        ws.append([f"{q.no}.", stem])
        _wrapped(ws, stem)
        ws.cell(ws.max_row, 1).alignment = Alignment(vertical="top")
        ws.cell(ws.max_row, 1).font = Font(name=_FONT, size=11)
        for i, opt in enumerate(q.options):
            ws.append(["", f"{LETTERS[i]}. {opt}"])
            _wrapped(ws, f"{LETTERS[i]}. {opt}")
    ws.print_title_rows = "1:1"

    key = wb.create_sheet("答案")
    _setup(key, paper.blueprint + "（答案）")
    key.column_dimensions["B"].width = 16
    key.column_dimensions["C"].width = 60
    key.column_dimensions["D"].width = 28
    key.append(["题号", "答案", "解析", "出处"])
    for c in key[1]:
        c.font = Font(name=_FONT, bold=True)
    key.freeze_panes = "A2"
    for q in paper.questions:
        key.append([q.no, answer_text(q), q.explanation, q.source])
        for c in key[key.max_row]:
            c.alignment = _WRAP
    out = Path(path)
    wb.save(out)
    return out
