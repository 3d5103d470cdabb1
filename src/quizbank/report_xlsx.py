"""The committee workbook: 汇总, one sheet per branch, 未参考, 知识点, 题目分析.

The workbook is printed and handed out, so every sheet is laid out for A4 landscape, fit
to one page wide, with its title rows and header repeated on each page, the period, the
time zone and the generation time in the sheet and in the page header, and column widths
that count a Chinese character as two.

It is written with openpyxl's *write-only* mode. Nothing in the report reads cells back,
and write-only streams each row to disk as it is appended, so memory stays flat however
many members there are and the time is close to the bare cost of writing the cells (see
``scripts/bench_report.py``). Write-only mode still supports everything used here —
charts, conditional formats, merged title rows, freeze panes, print titles, page setup
— as long as what goes *above* the rows in the file (column widths, frozen panes) is set
before the first row. Styled cells are made from per-workbook templates
(:class:`_Styles`) rather than by assigning fonts and fills cell by cell, which would
cost more than writing the cell.
"""

from __future__ import annotations

import copy
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import DEFAULT_FONT, Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from .itemstats import FLAG_LABELS, MIN_MEMBERS
from .reports import EXCELLENT, BranchSummary, MemberRow, Report, TopicRow

__all__ = [
    "ITEM_HEADERS",
    "MEMBER_HEADERS",
    "SHEET_ITEMS",
    "SHEET_SUMMARY",
    "SHEET_TOPICS",
    "SHEET_UNTESTED",
    "SUMMARY_HEADERS",
    "TEST_HEADERS",
    "UNTESTED_HEADERS",
    "branch_sheet_names",
    "write_report_xlsx",
]

SHEET_SUMMARY = "汇总"
SHEET_UNTESTED = "未参考"
SHEET_TOPICS = "知识点"
SHEET_ITEMS = "题目分析"
SUMMARY_HEADERS = ("党支部", "党员数", "参考人数", "参考率", "平均分", "中位数", "最高分", "最低分", "及格率", "优秀率", "名次")
MEMBER_HEADERS = (
    "编号",
    "姓名",
    "类别",
    "本期参考次数",
    "最近成绩",
    "最高成绩",
    "是否及格",
    "最近参考日期",
    "用时（分钟）",
    "备注",
)
UNTESTED_HEADERS = ("党支部", "编号", "姓名", "类别", "本期", "本年度", "本年度最近参考日期")
ITEM_HEADERS = (
    "题目编号",
    "题型",
    "知识点",
    "难度",
    "分值",
    "作答次数",
    "作答人数",
    "得分率",
    "标准差",
    "区分度",
    "区分效率",
    "标记",
    "题干（摘要）",
)
TEST_HEADERS = ("试卷", "份数", "题数", "满分", "平均分", "标准差", "α系数", "标准误")

#: Rows above every table: title, then period / zone / generation time. The header is row 3.
HEADER_ROW = 3
_TYPE_CN = {"single": "单选", "multiple": "多选", "judge": "判断", "fill": "填空"}
_DIFF_CN = {"easy": "易", "medium": "中", "hard": "难"}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_PCT = "0.0%"
#: Branch columns of 知识点 that fit on one A4 landscape page at a readable size.
_BRANCHES_PER_PAGE = 12
#: A topic rate resting on fewer answers than this is printed in grey italics.
FEW_ANSWERS = 10
_STEM = 24  # characters of the stem shown in 题目分析: enough to recognise the question
_SCORE = "0.00"


def _font(**kw: Any) -> Font:
    """The workbook's default font (Calibri 11, theme "minor") with changes.

    Unstyled cells use the default font, so styled ones must too or a highlighted row
    prints in another face and size. The theme font also lets Excel and LibreOffice pick
    their own East Asian face for the Chinese text, instead of naming one a machine may lack.
    """
    base: dict[str, Any] = {
        "name": DEFAULT_FONT.name,
        "size": DEFAULT_FONT.sz,
        "family": DEFAULT_FONT.family,
        "scheme": DEFAULT_FONT.scheme,
    }
    return Font(**{**base, **kw})


def _width(text: str) -> int:
    """Display width: CJK and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _hf(text: str) -> str:
    """Header/footer text with ``&`` escaped (it starts a code such as ``&P``)."""
    return text.replace("&", "&&")


class _Styles:
    """Style templates, made once per workbook and copied into cells (cheap: nine small ints)."""

    def __init__(self, wb: Workbook) -> None:
        probe = wb.create_sheet("_probe")
        thin = Side(style="thin", color="808080")
        box = Border(left=thin, right=thin, top=thin, bottom=thin)
        base = _font()

        def make(**kw: Any) -> Any:
            c = WriteOnlyCell(probe)
            c.font = kw.pop("font", base)
            for k, v in kw.items():
                setattr(c, k, v)
            return c._style

        self.title = make(font=_font(size=14, bold=True))
        self.sub = make(font=_font(color="404040"))
        self.note = make(font=_font(size=9, color="595959"), alignment=Alignment(wrap_text=False))
        self.alert = make(font=_font(size=12, bold=True, color="C00000"))
        self.header = make(
            font=_font(bold=True),
            fill=PatternFill("solid", fgColor="D9E1F2"),
            border=box,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        self.text = make()
        self.int = make()
        self.pct = make(number_format=_PCT)
        self.score = make(number_format=_SCORE)
        self.r = make(number_format="0.00")
        self.date = make(number_format="yyyy-mm-dd")
        bold = _font(bold=True)
        top = Border(top=Side(style="thin"), bottom=Side(style="double"))
        self.total_text = make(font=bold, border=top)
        self.total_int = make(font=bold, border=top)
        self.total_pct = make(font=bold, border=top, number_format=_PCT)
        self.total_score = make(font=bold, border=top, number_format=_SCORE)
        miss = PatternFill("solid", fgColor="FCE4D6")
        gap = PatternFill("solid", fgColor="F8CBAD")
        self.miss_text = make(fill=miss)
        self.miss_date = make(fill=miss, number_format="yyyy-mm-dd")
        self.gap_text = make(fill=gap, font=_font(bold=True))
        self.bank = make(font=bold)
        self.bank_pct = make(font=bold, number_format=_PCT)
        self.subtopic = make(alignment=Alignment(indent=1))
        self.pct_few = make(font=_font(italic=True, color="808080"), number_format=_PCT)
        self.flag_bad = make(font=_font(bold=True, color="C00000"), fill=PatternFill("solid", fgColor="FFC7CE"))
        self.flag = make(fill=PatternFill("solid", fgColor="FFEB9C"))
        self.muted = make(font=_font(color="808080"))
        wb.remove(probe)


class _Sheet:
    """One print-ready sheet: title rows, a header, rows; widths computed from the content."""

    def __init__(self, wb: Workbook, styles: _Styles, report: Report, name: str, title: str) -> None:
        self.ws = wb.create_sheet(name)
        self.st = styles
        self.report = report
        self.title = title
        self.row = 0
        ws = self.ws
        ws.page_setup.paperSize = 9  # A4 (the ECMA-376 paper size code)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        p = report.period
        ws.oddHeader.left.text = _hf(title)
        ws.oddHeader.left.size = 9
        ws.oddHeader.center.text = _hf(f"{p.label}（{p.span}）")
        ws.oddHeader.center.size = 9
        ws.oddHeader.right.text = _hf(f"生成于 {report.generated_at:%Y-%m-%d %H:%M}")
        ws.oddHeader.right.size = 9
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 9

    def cell(self, value: Any, style: Any) -> Any:
        c = WriteOnlyCell(self.ws, value)
        c._style = copy.copy(style)
        return c

    def setup(self, widths: Sequence[float], freeze: str | None) -> None:
        """Column widths and frozen panes: must come before the first row (write-only)."""
        for i, w in enumerate(widths, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        if freeze:
            self.ws.freeze_panes = freeze

    def append(self, values: Iterable[Any]) -> int:
        self.ws.append(list(values))
        self.row += 1
        return self.row

    def heading(self, columns: int) -> None:
        """Rows 1–2: the title, and the period with its zone and the generation time."""
        r = self.report
        self.append([self.cell(self.title, self.st.title)])
        self.append(
            [
                self.cell(
                    f"统计期：{r.period.label}（{r.period.span}，时区 {r.zone}）    生成时间：{r.generated_at:%Y-%m-%d %H:%M}",
                    self.st.sub,
                )
            ]
        )
        last = get_column_letter(max(columns, 1))
        self.ws.merged_cells.add(f"A1:{last}1")
        self.ws.merged_cells.add(f"A2:{last}2")

    def header(self, names: Sequence[str], *, repeat: bool = True) -> int:
        row = self.append(self.cell(n, self.st.header) for n in names)
        if repeat:
            self.ws.print_title_rows = f"{row}:{row}"
        return row

    def note(self, text: str, style: Any = None) -> int:
        return self.append([self.cell(text, style if style is not None else self.st.note)])


def _widths(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, cap: int = 40, minimum: int = 6) -> list[float]:
    """Widths that fit the header and the longest value (a Chinese character counts two).

    Runs over every member row of a large report, so it measures only text that could widen
    a column (a text of n characters is at most 2n wide); numbers and dates get the room
    their printed form needs (at most 8 and 10 characters here).
    """
    w = [max(minimum, _width(h) + 2) for h in headers]
    n = len(w)
    for row in rows:
        for i, v in enumerate(row):
            if i >= n or v is None:
                continue
            if isinstance(v, str):
                if 2 * len(v) + 2 > w[i]:
                    w[i] = max(w[i], _width(v) + 2)
            elif isinstance(v, date):
                w[i] = max(w[i], 12)
            else:
                w[i] = max(w[i], 10)
    return [min(cap, x) for x in w]


def _subtopic(topic: str) -> str:
    """The topic below its bank (``党章/党员`` → ``党员``): the bank shows in the question id and the bank row."""
    return topic.split("/", 1)[1] if "/" in topic else topic


def _sheet_name(name: str, taken: set[str]) -> str:
    """A legal, unique sheet name: no []:*?/\\, at most 31 characters."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "支部"
    base = base[:31]
    cand, i = base, 2
    while cand.lower() in taken:
        suffix = f"({i})"
        cand = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(cand.lower())
    return cand


# ---------------------------------------------------------------------------- 汇总
def _summary_values(s: BranchSummary) -> list[Any]:
    return [s.branch, s.members, s.tested, s.rate, s.mean, s.median, s.best, s.worst, s.pass_rate, s.excellent_rate, s.rank]


def _write_summary(wb: Workbook, st: _Styles, report: Report) -> None:
    sh = _Sheet(wb, st, report, SHEET_SUMMARY, f"党建知识应知应会测试成绩汇总（{report.period.label}）")
    rows = [_summary_values(s) for s in report.summary]
    widths = _widths(SUMMARY_HEADERS, [*rows, _summary_values(report.total)], minimum=8)
    widths[0] = max(widths[0], 16)
    sh.setup(widths, f"B{HEADER_ROW + 1}")
    sh.heading(len(SUMMARY_HEADERS))
    header = sh.header(SUMMARY_HEADERS)
    fmt = [st.text, st.int, st.int, st.pct, st.score, st.score, st.score, st.score, st.pct, st.pct, st.int]
    tfmt = [st.total_text, st.total_int, st.total_int, st.total_pct] + [st.total_score] * 4 + [st.total_pct] * 2 + [st.total_int]
    for values in rows:
        sh.append(sh.cell(v, f) if v is not None else None for v, f in zip(values, fmt, strict=True))
    last = sh.row
    sh.append(sh.cell(v, f) for v, f in zip(_summary_values(report.total), tfmt, strict=True))
    sh.append([])
    if report.empty:
        sh.note(f"本期（{report.period.span}）没有已交卷的测试记录：各项成绩为空，参考率为 0。", st.alert)
    notes = [
        f"说明：个人成绩取本期最高一次，按百分制（得分 ÷ 满分 × 100）计；及格按所用试卷的及格线；优秀为 {EXCELLENT:g} 分及以上。",
        "参考率 = 参考人数 ÷ 党员数；平均分、中位数、最高分、最低分、及格率、优秀率均以参考人数计；名次按平均分排列。",
        f"计入统计期内交卷（含到时自动交卷）的测试，共 {report.attempts} 次；党员数为在册党员及本期参考过的已停用人员；"
        f"时间为 {report.zone}。",
    ]
    if report.branch_filter:
        notes.append(f"本表只统计 {report.branch_filter}。")
    for n in notes:
        sh.note(n)
    if any(s.mean is not None for s in report.summary):
        _chart(sh, header, last)


def _chart(sh: _Sheet, header: int, last: int) -> None:
    """Bars of branch means (left axis, 0–100) and a line of participation (right axis, 0–100%)."""
    ws = sh.ws
    n = last - header
    bar = BarChart()
    bar.type = "col"
    bar.style = 10
    bar.title = "各支部平均分与参考率"
    bar.y_axis.title = "平均分"
    # both axes end a little above 100 (ticks stop at 100 / 100 %) so a branch at 100 % is not
    # drawn on the frame, where LibreOffice clips it
    bar.y_axis.scaling.min = 0
    bar.y_axis.scaling.max = 110
    bar.y_axis.majorUnit = 20
    bar.y_axis.number_format = "0"
    bar.y_axis.majorGridlines = None
    bar.x_axis.title = None
    bar.add_data(Reference(ws, min_col=5, min_row=header, max_row=last), titles_from_data=True)
    cats = Reference(ws, min_col=1, min_row=header + 1, max_row=last)
    bar.set_categories(cats)
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    line = LineChart()
    line.add_data(Reference(ws, min_col=4, min_row=header, max_row=last), titles_from_data=True)
    line.set_categories(cats)
    line.y_axis.axId = 200
    line.y_axis.title = "参考率"
    line.y_axis.number_format = "0%"
    line.y_axis.scaling.min = 0
    line.y_axis.scaling.max = 1.1
    line.y_axis.majorUnit = 0.2
    line.y_axis.crosses = "max"
    line.y_axis.majorGridlines = None
    line.y_axis.delete = False
    bar += line
    bar.legend.position = "b"
    bar.width = min(32.0, max(16.0, 1.6 * n + 6))
    bar.height = 9.0
    ws.add_chart(bar, f"A{sh.row + 2}")


# ---------------------------------------------------------------------------- branch sheets
def _member_values(r: MemberRow) -> list[Any]:
    remark = ("本期未参考" if r.year_tests else "本年度未参考") if r.tests == 0 else ""
    if not r.active:
        remark = "已停用" + ("；" + remark if remark else "")
    passed = None if r.passed is None else ("是" if r.passed else "否")
    minutes = None if r.minutes is None else round(r.minutes, 1)
    return [r.member_id, r.name, r.category, r.tests, r.latest, r.best, passed, r.last_date, minutes, remark]


def _write_branch(wb: Workbook, st: _Styles, report: Report, branch: str, name: str) -> None:
    rows = report.members.get(branch, [])
    summary = next((s for s in report.summary if s.branch == branch), None)
    sh = _Sheet(wb, st, report, name, f"{branch}党员测试情况（{report.period.label}）")
    values = [_member_values(r) for r in rows]
    widths = _widths(MEMBER_HEADERS, values[:2000])
    widths[7] = max(widths[7], 12)
    sh.setup(widths, f"C{HEADER_ROW + 1}")
    sh.heading(len(MEMBER_HEADERS))
    sh.header(MEMBER_HEADERS)
    date_style = st.date
    for r, v in zip(rows, values, strict=True):
        if r.tests:
            # most rows: plain values, one styled date cell — the fast path
            v[7] = sh.cell(v[7], date_style)
            sh.append(v)
        else:
            sh.append(sh.cell(x, st.miss_text) for x in v)
    if rows:
        sh.ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(MEMBER_HEADERS))}{sh.row}"
    sh.append([])
    if summary is not None:
        rate = f"{summary.rate:.1%}" if summary.rate is not None else "—"
        sh.note(f"党员 {summary.members} 人，本期参考 {summary.tested} 人，参考率 {rate}。未参考的党员以底色标出。")
    if not rows:
        sh.note("本支部没有在册党员。", st.alert)
    elif report.empty:
        sh.note(f"本期（{report.period.span}）没有已交卷的测试记录。", st.alert)


# ---------------------------------------------------------------------------- 未参考
def _write_untested(wb: Workbook, st: _Styles, report: Report) -> None:
    year = report.period.year_to_end()
    sh = _Sheet(wb, st, report, SHEET_UNTESTED, f"未参考人员名单（{report.period.label}）")
    headers = list(UNTESTED_HEADERS)
    headers[5] = f"本年度（截至{year.last_day:%m月%d日}）"
    rows = report.untested
    values = [
        [
            r.branch,
            r.member_id,
            r.name,
            r.category,
            "未参考" if r.tests == 0 else f"已参考 {r.tests} 次",
            "未参考" if r.year_tests == 0 else f"已参考 {r.year_tests} 次",
            r.year_last_date,
        ]
        for r in rows
    ]
    widths = _widths(headers, values[:2000])
    widths[6] = max(widths[6], 14)
    sh.setup(widths, f"A{HEADER_ROW + 1}")
    sh.heading(len(headers))
    sh.header(headers)
    for r, v in zip(rows, values, strict=True):
        gap = r.year_tests == 0
        cells = [sh.cell(x, st.gap_text if gap and i in (2, 5) else st.miss_text if gap else st.text) for i, x in enumerate(v)]
        cells[6] = sh.cell(v[6], st.date)
        sh.append(cells)
    if rows:
        sh.ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}{sh.row}"
    sh.append([])
    n_period = sum(1 for r in rows if r.tests == 0)
    n_year = sum(1 for r in rows if r.year_tests == 0)
    sh.note(
        f"本期未参考 {n_period} 人；{year.first_day:%Y年%m月%d日}至{year.last_day:%m月%d日}一次也未参考 {n_year} 人"
        "（全覆盖要求每名党员每年至少参考一次，以深色标出）。"
    )
    if not rows:
        sh.note("全部党员本期均已参考。", st.sub)


# ---------------------------------------------------------------------------- 知识点
def _write_topics(wb: Workbook, st: _Styles, report: Report) -> None:
    sh = _Sheet(wb, st, report, SHEET_TOPICS, f"各支部知识点得分率（{report.period.label}）")
    headers = ["知识点", *report.branches, "全段", "作答题次"]
    rows: list[TopicRow] = report.topics
    names = [t.topic if t.depth == 1 else _subtopic(t.topic) for t in rows]
    widths = _widths(headers[:1], [[n] for n in names], cap=36, minimum=12)
    widths[0] += 2  # the indent of subtopics
    widths += [max(9.0, min(16.0, _width(h) + 2)) for h in headers[1:]]
    sh.setup(widths, f"B{HEADER_ROW + 1}")
    if len(report.branches) > _BRANCHES_PER_PAGE:
        # forty branches on one page width would print at a few points; instead fit to as many
        # pages wide as needed, each repeating the 知识点 column
        sh.ws.page_setup.fitToWidth = math.ceil((len(report.branches) + 2) / _BRANCHES_PER_PAGE)
        sh.ws.print_title_cols = "A:A"
    sh.heading(len(headers))
    sh.header(headers)
    for t, name in zip(rows, names, strict=True):
        bank = t.depth == 1
        pct = st.bank_pct if bank else st.pct
        cells: list[Any] = [sh.cell(name, st.bank if bank else st.subtopic)]
        for b in report.branches:
            rate = t.rates.get(b)
            few = t.counts.get(b, 0) < FEW_ANSWERS
            cells.append(None if rate is None else sh.cell(rate, st.pct_few if few else pct))
        cells += [sh.cell(t.overall, pct) if t.overall is not None else None, t.responses]
        sh.append(cells)
    first, last = HEADER_ROW + 1, sh.row
    if rows:
        rng = f"B{first}:{get_column_letter(len(headers) - 1)}{last}"
        # fixed anchors, not min/max of the sheet, so that a colour means the same in every report:
        # red at 50 % or less, yellow at 75 %, green at 100 %
        sh.ws.conditional_formatting.add(
            rng,
            ColorScaleRule(
                start_type="num",
                start_value=0.5,
                start_color="F8696B",
                mid_type="num",
                mid_value=0.75,
                mid_color="FFEB84",
                end_type="num",
                end_value=1,
                end_color="63BE7B",
            ),
        )
    sh.append([])
    if report.empty or not rows:
        sh.note(f"本期（{report.period.span}）没有作答记录。", st.alert)
    sh.note("得分率 = 该知识点题目所得分 ÷ 应得分（未答计 0 分）；粗体为题库（一级知识点），其下为二级知识点。")
    sh.note(
        f"底色：红色为 50% 及以下，黄色为 75%，绿色为 100%；灰色斜体表示作答不足 {FEW_ANSWERS} 题次，仅供参考；"
        "空白表示该支部本期未遇到该知识点的题目。"
    )


# ---------------------------------------------------------------------------- 题目分析
def _write_items(wb: Workbook, st: _Styles, report: Report) -> None:
    sh = _Sheet(wb, st, report, SHEET_ITEMS, f"题目分析（{report.period.label}）")
    values = []
    for row in report.items:
        i, s = row.info, row.stat
        if s.judged:
            flag = "；".join(FLAG_LABELS[f] for f in s.flags)
        else:
            flag = f"（{s.members} 人作答，不足 {MIN_MEMBERS} 人，不判断）"
        stem = i.stem if len(i.stem) <= _STEM else i.stem[: _STEM - 1] + "…"
        values.append(
            [
                s.question_id,
                _TYPE_CN.get(i.type, i.type),
                _subtopic(i.topic),
                _DIFF_CN.get(i.difficulty, i.difficulty),
                s.max_points,
                s.n,
                s.members,
                s.facility,
                s.sd,
                s.discrimination,
                s.efficiency,
                flag,
                stem,
            ]
        )
    widths = _widths(ITEM_HEADERS, values, cap=30)
    widths[2] = min(widths[2], 20)
    widths[3:5] = [8, 8]
    widths[7:11] = [9, 8, 8, 9]
    widths[12] = 2 * _STEM + 2
    n_tests = max(1, len(report.tests))
    item_header = HEADER_ROW + n_tests + 4  # tests, a blank row, the note, a blank row
    sh.setup(widths, f"B{item_header + 1}")
    sh.heading(len(ITEM_HEADERS))
    # the test-level lines share the item table's columns: the paper's name spans A–C
    sh.append(sh.cell(h, st.header) for h in ("试卷", "", "", *TEST_HEADERS[1:]))
    sh.ws.merged_cells.add(f"A{sh.row}:C{sh.row}")
    for t in report.tests:
        sh.append(
            [
                t.blueprint,
                None,
                None,
                t.attempts,
                t.items,
                t.max_score,
                sh.cell(t.mean, st.score),
                sh.cell(t.sd, st.score) if t.sd is not None else None,
                sh.cell(t.alpha, st.r) if t.alpha is not None else None,
                sh.cell(t.sem, st.score) if t.sem is not None else None,
            ]
        )
        sh.ws.merged_cells.add(f"A{sh.row}:C{sh.row}")
    if not report.tests:
        sh.note(f"本期（{report.period.span}）没有作答记录，无法分析题目。", st.alert)
    sh.append([])
    sh.note(
        "得分率 = 平均得分 ÷ 分值；区分度 = 该题得分与其余各题总分的相关系数（Moodle 的校正题总相关）；"
        "区分效率 = 区分度相对该题得分分布下可能的最大值；α系数（Cronbach's α）按试卷题位计算，标准误 = 标准差 × √(1 − α)。"
    )
    sh.append([])
    assert sh.row == item_header - 1, (sh.row, item_header)
    sh.header(ITEM_HEADERS)
    for row, v in zip(report.items, values, strict=True):
        s = row.stat
        flag_style = st.flag_bad if "negative" in s.flags else st.flag if s.flags else st.muted
        sh.append(
            [
                *v[:7],
                sh.cell(v[7], st.pct) if v[7] is not None else None,
                sh.cell(v[8], st.r) if v[8] is not None else None,
                sh.cell(v[9], st.r) if v[9] is not None else None,
                sh.cell(v[10], st.pct) if v[10] is not None else None,
                sh.cell(v[11], flag_style) if v[11] else None,
                v[12],
            ]
        )
    if report.items:
        sh.ws.auto_filter.ref = f"A{item_header}:{get_column_letter(len(ITEM_HEADERS))}{sh.row}"
    sh.append([])
    sh.note(
        "标记：得分率高于 90% 为过易，低于 20% 为过难；区分度低于 0.2 为区分度弱，为负数时请核对答案。"
        "作答人数不足 30 人的题目只列出，不作判断。排列：有问题的题目在前。"
    )


# ---------------------------------------------------------------------------- the workbook
def write_report_xlsx(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the committee workbook for ``report`` to ``path`` (``.xlsx``)."""
    wb = Workbook(write_only=True)
    st = _Styles(wb)
    taken = {n.lower() for n in (SHEET_SUMMARY, SHEET_UNTESTED, SHEET_TOPICS, SHEET_ITEMS)}
    _write_summary(wb, st, report)
    for b in report.branches:
        _write_branch(wb, st, report, b, _sheet_name(b, taken))
    _write_untested(wb, st, report)
    _write_topics(wb, st, report)
    _write_items(wb, st, report)
    wb.properties.title = f"党建知识应知应会测试成绩（{report.period.label}）"
    wb.properties.creator = "quizbank"
    out = Path(path)
    wb.save(out)
    return out


def branch_sheet_names(branches: Sequence[str]) -> dict[str, str]:
    """Branch → the sheet name :func:`write_report_xlsx` gives it (for readers of the workbook)."""
    taken = {n.lower() for n in (SHEET_SUMMARY, SHEET_UNTESTED, SHEET_TOPICS, SHEET_ITEMS)}
    return {b: _sheet_name(b, taken) for b in branches}
