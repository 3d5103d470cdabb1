"""A paper as a Word document, the way branch secretaries print spot-check papers.

The first pages are the paper: title, paper number and marks, the name/branch/score lines,
then each section with its heading (how many questions, how many points, the multiple-choice
rule) and the questions with their option letters and answer brackets. The key starts on a
new page so the paper can be printed without it: each question's answer, explanation and source.

The layout is also what :mod:`quizbank.text_import` reads, so the printed paper can be read
back into a bank (``quizbank import paper.docx``): numbered questions, ``A．`` options,
section headings, and a ``参考答案`` page of ``1．B`` entries followed by ``解析：`` and ``出处：``.
Options go several to a line when they are short, as printed papers do, to save paper.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from .models import LETTERS, Paper, PaperQuestion
from .paper_xlsx import answer_text, section_heading
from .paperjson import num

__all__ = ["write_paper_docx"]

_BODY_FONT = "宋体"
_HEAD_FONT = "黑体"
_TEXT_WIDTH_CM = 21 - 2 * 2.2 - 0.74
_BLANK_IN_STEM = re.compile(r"[（(][ \u3000\t]*[）)]")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _font(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)  # Word picks the Chinese font from eastAsia, not from name


def _para(doc: Any, text: str = "", *, size: float = 11, bold: bool = False, font: str = _BODY_FONT, align: str = "") -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    p.paragraph_format.space_before = Pt(0)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        _font(p.add_run(text), font, size, bold=bold)
    return p


def _stem_for_print(q: PaperQuestion) -> str:
    """The stem with room to write: wide brackets, and a bracket for choice and judge answers."""
    stem = _BLANK_IN_STEM.sub("（    ）", q.stem)
    if q.type in ("single", "multiple") and "（    ）" not in stem and "____" not in stem:
        stem += "（    ）"
    if q.type == "judge":
        stem += "（    ）"
    return stem


def _option_rows(options: tuple[str, ...]) -> list[list[str]]:
    """Four short options to a line, two medium ones, or one a line when they are long."""
    labelled = [f"{LETTERS[i]}．{o}" for i, o in enumerate(options)]
    widest = max((_width(x) for x in labelled), default=0)
    per_line = 4 if widest <= 16 else 2 if widest <= 36 else 1
    return [labelled[i : i + per_line] for i in range(0, len(labelled), per_line)]


def _page_number_footer(section: Any, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(f"{title}  第 "), _BODY_FONT, 9)
    run = p.add_run()
    _font(run, _BODY_FONT, 9)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = run._element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = run._element.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._element.append(el)
    _font(p.add_run(" 页"), _BODY_FONT, 9)


def write_paper_docx(paper: Paper, path: str | os.PathLike[str], *, member_line: str = "") -> Path:
    """Write the printable paper, then the key on a new page, to ``path`` (``.docx``)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm((21 - _TEXT_WIDTH_CM - 0.74) / 2)
    section.top_margin = section.bottom_margin = Cm(2)
    _page_number_footer(section, paper.blueprint)

    _para(doc, paper.blueprint, size=18, bold=True, font=_HEAD_FONT, align="center")
    _para(
        doc,
        f"试卷编号：{paper.paper_id}    满分：{num(paper.total_points)}分    及格：{num(paper.pass_mark)}分    "
        f"时间：{paper.time_limit_s // 60}分钟",
        size=10.5,
        align="center",
    )
    _para(
        doc,
        member_line or "姓名：____________    党支部：________________    编号：__________    得分：________",
        size=11,
        align="center",
    )
    _para(doc)
    current = -1
    for q in paper.questions:
        if q.section != current:
            current = q.section
            _para(doc, section_heading(paper, current), size=12, bold=True, font=_HEAD_FONT)
        p = _para(doc, f"{q.no}．{_stem_for_print(q)}")
        p.paragraph_format.keep_with_next = bool(q.options)
        rows = _option_rows(q.options)
        for i, row in enumerate(rows):
            op = _para(doc, "\t".join(row))
            op.paragraph_format.left_indent = Cm(0.74)
            op.paragraph_format.keep_with_next = i < len(rows) - 1
            step = _TEXT_WIDTH_CM / len(row)
            for k in range(1, len(row)):
                op.paragraph_format.tab_stops.add_tab_stop(Cm(0.74 + step * k))

    doc.add_page_break()  # type: ignore[no-untyped-call]  # python-docx ships no annotations here
    _para(doc, f"{paper.blueprint}　参考答案", size=16, bold=True, font=_HEAD_FONT, align="center")
    _para(doc, f"试卷编号：{paper.paper_id}", size=10.5, align="center")
    current = -1
    for q in paper.questions:
        if q.section != current:
            current = q.section
            _para(doc, section_heading(paper, current), size=12, bold=True, font=_HEAD_FONT)
        _para(doc, f"{q.no}．{answer_text(q)}", bold=True)
        if q.explanation:
            _para(doc, f"解析：{q.explanation}", size=10.5)
        if q.source:
            _para(doc, f"出处：{q.source}", size=10.5)
    out = Path(path)
    doc.save(str(out))
    return out
