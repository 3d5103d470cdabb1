"""Word documents: reading question documents, writing printable papers, and the round trip."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from quizbank.generator import PaperGenerator
from quizbank.importers import import_bank
from quizbank.loader import Library
from quizbank.models import Paper, PaperQuestion, Section
from quizbank.paper_docx import write_paper_docx

from .conftest import paper_view


# --- reading ---------------------------------------------------------------------------
def test_paragraphs_with_auto_numbering_and_underlined_blanks(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("一、单项选择题")
    d.add_paragraph("党的最高领导机关是（ ）。", style="List Number")  # Word's own numbering: no "1." in the text
    d.add_paragraph("A.党的全国代表大会 B.中央委员会 C.中央政治局 D.书记处")
    d.add_paragraph("答案：A")
    d.add_paragraph("二、填空题")
    p = d.add_paragraph("2. 党的最高理想和最终目标是实现")
    p.add_run("共产主义").underline = True  # the answer, underlined
    p.add_run("。")
    p = d.add_paragraph("3. 党员的预备期为")
    p.add_run("      ").underline = True  # an underlined blank
    p.add_run("。")
    d.add_paragraph("答案：一年")
    path = tmp_path / "q.docx"
    d.save(str(path))
    qs = import_bank(path, bank_name="测试").bank.questions
    assert [(q.type, q.stem, q.answer) for q in qs] == [
        ("single", "党的最高领导机关是（ ）。", "A"),
        ("fill", "党的最高理想和最终目标是实现（ ）。", ("共产主义",)),
        ("fill", "党员的预备期为____。", ("一年",)),
    ]


def test_options_laid_out_in_a_table(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("1. 党的根本宗旨是（ ）。")
    t = d.add_table(rows=2, cols=2)
    for cell, text in zip(
        (c for row in t.rows for c in row.cells),
        ["A. 全心全意为人民服务", "B. 实现共产主义", "C. 发展生产力", "D. 维护团结"],
        strict=True,
    ):
        cell.text = text
    d.add_paragraph("答案：A")
    path = tmp_path / "grid.docx"
    d.save(str(path))
    (q,) = import_bank(path, bank_name="测试").bank.questions
    assert q.options == ("全心全意为人民服务", "实现共产主义", "发展生产力", "维护团结")


def test_a_bank_kept_as_a_table(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("党章知识题库")
    t = d.add_table(rows=3, cols=5)
    rows = [
        ["题型", "题目", "选项", "答案", "解析"],
        ["单选", "甲是（ ）", "A.子 B.丑", "B", "因为。"],
        ["判断", "乙。", "", "×", ""],
    ]
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    path = tmp_path / "table.docx"
    d.save(str(path))
    qs = import_bank(path, bank_name="测试").bank.questions
    assert [(q.type, q.answer, q.explanation) for q in qs] == [("single", "B", "因为。"), ("judge", False, "（暂无解析）")]


def test_problems_in_docx_name_paragraph_and_question(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("标题")
    d.add_paragraph("1. 甲是（ ）。")
    d.add_paragraph("A. 子 B. 丑")
    path = tmp_path / "bad.docx"
    d.save(str(path))
    with pytest.raises(Exception, match=r"bad\.docx: paragraph 2: question 1: no answer"):
        import_bank(path, bank_name="测试")


# --- writing papers ----------------------------------------------------------------------
def _paper(library: Library, name: str = "member", seed: int = 7) -> Paper:
    bp = library.blueprint(name)
    return PaperGenerator(bp.blueprint, library.questions, revisions=library.revisions(), blueprint_key=bp.key).draw(seed)


def test_paper_layout(tmp_path: Path, library: Library) -> None:
    paper = _paper(library)
    path = write_paper_docx(
        paper, tmp_path / "p.docx", member_line="姓名：张三    党支部：机务一支部    编号：1001    得分：____"
    )
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == paper.blueprint
    assert texts[1].startswith(f"试卷编号：{paper.paper_id}")
    assert texts[2].startswith("姓名：张三")
    assert texts[4].startswith("一、单项选择题（共20题，每题2分，共40分）")
    assert any(t.startswith("二、多项选择题") and "少选得一半分" in t for t in texts)
    first = paper.questions[0]
    assert texts[5].startswith(f"1．{first.stem.split('（')[0]}")
    assert "（    ）" in texts[5]
    assert texts[6].startswith("A．")
    judge = next(q for q in paper.questions if q.type == "judge")
    assert any(t.startswith(f"{judge.no}．") and t.endswith("（    ）") for t in texts)
    # the key starts on a page of its own
    page = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type"
    breaks = [i for i, p in enumerate(doc.paragraphs) for br in p._p.findall(".//{*}br") if br.get(page) == "page"]
    assert len(breaks) == 1
    key_start = breaks[0] + 1
    assert texts[key_start].endswith("参考答案")
    assert all("参考答案" not in t for t in texts[:key_start])
    assert f"1．{first.answer}" in texts[key_start:]


def test_empty_member_line_gives_lines_to_fill_in(tmp_path: Path, library: Library) -> None:
    doc = docx.Document(str(write_paper_docx(_paper(library), tmp_path / "p.docx")))
    assert doc.paragraphs[2].text.startswith("姓名：____")


@pytest.mark.parametrize(("blueprint", "seed"), [("member", 1), ("member", 2), ("secretary", 3), ("secretary", 4)])
def test_paper_docx_reads_back_as_the_papers_questions(tmp_path: Path, library: Library, blueprint: str, seed: int) -> None:
    paper = _paper(library, blueprint, seed)
    path = write_paper_docx(paper, tmp_path / "p.docx")
    result = import_bank(path, bank_name="卷")
    assert [paper_view(q) for q in result.bank.questions] == [paper_view(q) for q in paper.questions]


def test_every_shipped_question_survives_print_and_read_back(tmp_path: Path, library: Library) -> None:
    """All questions of all banks on one 'paper', so every stem and option is tried."""
    order = {"single": 0, "multiple": 1, "judge": 2, "fill": 3}
    qs = sorted(library.questions, key=lambda q: order[q.type])
    paper = Paper(
        paper_id="all",
        blueprint="全部题目",
        seed=0,
        time_limit_s=3600,
        total_points=len(qs),
        pass_mark=0,
        sections=tuple(Section(type=t, count=max(1, sum(q.type == t for q in qs)), points=1) for t in order),
        questions=tuple(
            PaperQuestion(
                no=i,
                id=q.id,
                type=q.type,
                topic=q.topic,
                difficulty=q.difficulty,
                section=order[q.type],
                points=1,
                stem=q.stem,
                options=tuple(q.options or ()),
                answer=q.fill_key if q.type == "fill" else q.answer,
                explanation=q.explanation,
                source=q.source,
            )
            for i, q in enumerate(qs, start=1)
        ),
    )
    result = import_bank(write_paper_docx(paper, tmp_path / "all.docx"), bank_name="卷")
    assert [paper_view(q) for q in result.bank.questions] == [paper_view(q) for q in paper.questions]
