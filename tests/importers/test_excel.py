"""The Excel template (export and back) and the sheets other platforms produce."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from quizbank.errors import BankError
from quizbank.excel_template import column_field, write_template
from quizbank.importers import import_bank
from quizbank.models import Bank, Question

from .conftest import load_or_skip, meaning, shipped_bank_files, write_xlsx


# --- the template -----------------------------------------------------------------------
@pytest.mark.parametrize("path", shipped_bank_files(), ids=[p.stem for p in shipped_bank_files()])
def test_every_shipped_bank_round_trips(tmp_path: Path, path: Path) -> None:
    loaded = load_or_skip(path)
    xlsx = write_template(loaded.bank, tmp_path / "bank.xlsx")
    result = import_bank(xlsx)
    assert result.bank.bank == loaded.bank.bank
    assert result.bank.revision == loaded.bank.revision
    assert [meaning(q) for q in result.bank.questions] == [meaning(q) for q in loaded.bank.questions]
    assert result.warnings == []


def _bank() -> Bank:
    def q(**kw: object) -> Question:
        base: dict[str, object] = {"topic": "测试/甲", "explanation": "解析。", "source": "出处", "difficulty": "easy"}
        base.update(kw)
        return Question.model_validate(base)

    return Bank(
        bank="测试",
        revision="2022",
        questions=(
            q(id="t-1", type="single", stem="选（A）类的是（ ）。", options=["甲", "乙"], answer="A"),
            q(id="t-2", type="multiple", stem="多（ ）", options=["=1+1", "乙", "丙"], answer="AC", difficulty="hard"),
            q(id="t-3", type="judge", stem="对吗？（√）", answer=False, audience=["secretary"], tags=["甲", "乙"]),
            q(id="t-4", type="fill", stem="____和____", answer=[["一年", "1年"], "三"], any_order=True, group="g"),
            q(id="0005", type="judge", stem="停用的题。", answer=True, retired=True, explanation="多行\n解析"),
        ),
    )


def test_template_round_trips_the_odd_cases(tmp_path: Path) -> None:
    """Stems that look like answers, formulas, digit ids, any_order, retired, multi-line text."""
    bank = _bank()
    result = import_bank(write_template(bank, tmp_path / "t.xlsx"))
    assert [meaning(q) for q in result.bank.questions] == [meaning(q) for q in bank.questions]


def test_template_has_dropdowns_and_instructions(tmp_path: Path) -> None:
    wb = load_workbook(write_template(_bank(), tmp_path / "t.xlsx"))
    assert wb.sheetnames == ["题库", "说明"]
    ws = wb["题库"]
    header = [c.value for c in ws[1]]
    assert header[:14] == [
        "编号",
        "题型",
        "题干",
        "选项A",
        "选项B",
        "选项C",
        "选项D",
        "选项E",
        "选项F",
        "选项G",
        "选项H",
        "答案",
        "解析",
        "出处",
    ]
    assert header[14:17] == ["难度", "知识点", "适用对象"]
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["B2"] == '"单选题,多选题,判断题,填空题"'
    assert lists["O2"] == '"易,中,难"'
    assert ws.freeze_panes == "D2"
    assert ws["B2"].value == "单选题"
    assert ws["O3"].value == "难"
    assert ws["L5"].value == "一年 / 1年；三"
    assert ws["D3"].value == "=1+1"
    assert ws["D3"].data_type == "s"
    info = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True) if r and r[0]}
    assert info["题库名称"] == "测试"
    assert info["依据版本"] == "2022"
    assert "题型" in info
    assert "答案" in info


def test_template_refuses_what_would_not_read_back(tmp_path: Path) -> None:
    bank = Bank(
        bank="测试",
        revision="1",
        questions=(
            Question(
                id="t-1",
                type="fill",
                topic="测试",
                stem="____",
                answer=("甲；乙",),
                explanation="e",
                source="s",
                difficulty="easy",
            ),
        ),
    )
    with pytest.raises(BankError, match="question t-1: fill answer '甲；乙' contains a separator"):
        write_template(bank, tmp_path / "t.xlsx")
    assert not (tmp_path / "t.xlsx").exists()


def test_edited_template_reads_as_typed(tmp_path: Path) -> None:
    """What people type into the template: numbers as numbers, 'A,C', empty difficulty."""
    path = write_template(_bank(), tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb["题库"]
    ws.append(["", "多选题", "新题（ ）", 1, 2, 3, None, None, None, None, None, "A,C", None, None, None, "子题"])
    ws.append(["", "填空题", "____年", None, None, None, None, None, None, None, None, 1921, None, None, "易"])
    wb.save(path)
    result = import_bank(path)
    new, year = result.bank.questions[-2:]
    assert (new.options, new.answer, new.difficulty, new.topic) == (("1", "2", "3"), "AC", "medium", "测试/子题")
    assert year.fill_key == (("1921",),)
    assert new.id.startswith("q-")


# --- other platforms' sheets ----------------------------------------------------------
def test_foreign_sheet_with_title_junk_columns_and_variants(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["2023年度党建知识题库（导出）"],
        [],
        ["序号 ", " 题目类型", "题目内容", "A", "B", "C", "D", "正确答案", "答案解析", "难易程度", "分值", "创建人"],
        [
            1,
            "单选",
            "党的最高领导机关是（ ）。 ",
            "党的全国代表大会 ",
            "中央委员会",
            "中央政治局",
            "书记处",
            "A ",
            "党章第十条。",
            "低",
            2,
            "张三",
        ],
        [2, "多选", "党的纪律包括（ ）", "政治纪律", "组织纪律", "廉洁纪律", "", "A、C", "", "高", 3, "李四"],
        [3, "多选题", "党的作风包括（ ）", "理论联系实际", "密切联系群众", "批评与自我批评", "", "A,B,C", "", "中", 3, ""],
        [4, "判断", "党员有退党的自由。", "", "", "", "", "√", "", "低", 1, ""],
        [5, "判断题", "党员可以信仰宗教。", "", "", "", "", "×", "", "", 1, ""],
        [6, "是非题", "党员必须交纳党费。", "", "", "", "", "是", "", "", 1, ""],
        [7, "填空", "党的最高理想是实现____。", "", "", "", "", "共产主义", "", "", 1, ""],
        [8, "单选题", "党员的党龄从（ C ）之日算起。", "申请", "积极分子", "转正", "", "C", "", "", 2, ""],
    ]
    p = write_xlsx(tmp_path / "foreign.xlsx", {"Sheet1": rows}, {"Sheet1": ["A1:L1"]})
    result = import_bank(p, bank_name="党建")
    qs = result.bank.questions
    assert [(q.type, q.answer) for q in qs] == [
        ("single", "A"),
        ("multiple", "AC"),
        ("multiple", "ABC"),
        ("judge", True),
        ("judge", False),
        ("judge", True),
        ("fill", ("共产主义",)),
        ("single", "C"),
    ]
    assert qs[0].stem == "党的最高领导机关是（ ）。"
    assert qs[0].options == ("党的全国代表大会", "中央委员会", "中央政治局", "书记处")
    assert qs[1].options == ("政治纪律", "组织纪律", "廉洁纪律")
    assert [q.difficulty for q in qs[:3]] == ["easy", "hard", "medium"]
    assert qs[-1].stem == "党员的党龄从（ ）之日算起。"  # the answer shown in the stem is blanked
    notes = [str(w) for w in result.warnings]
    assert any("columns ignored: 序号, 分值, 创建人" in n for n in notes) is False  # 序号 is known
    assert any("columns ignored: 分值, 创建人" in n for n in notes)


def test_one_sheet_per_type_without_a_type_column(tmp_path: Path) -> None:
    head = ["题干", "选项A", "选项B", "选项C", "选项D", "答案"]
    p = write_xlsx(
        tmp_path / "sheets.xlsx",
        {
            "单选题": [head, ["甲是（ ）", "子", "丑", "寅", "卯", "B"]],
            "多选题": [head, ["乙是（ ）", "子", "丑", "寅", "卯", "BD"]],
            "判断题": [head, ["丙是对的。", "", "", "", "", "正确"], ["丁是对的。", "正确", "错误", "", "", "B"]],
            "填空题": [head, ["戊是（ ）和（ ）。", "", "", "", "", "子；丑"]],
        },
    )
    qs = import_bank(p, bank_name="测试").bank.questions
    assert [(q.type, q.answer) for q in qs] == [
        ("single", "B"),
        ("multiple", "BD"),
        ("judge", True),
        ("judge", False),
        ("fill", ("子", "丑")),
    ]


def test_merged_type_cells_section_rows_and_a_single_options_column(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["题型", "题目", "选项", "答案", "难度"],
        ["一、单选题"],
        ["单选题", "甲是（ ）", "A.子 B.丑 C.寅 D.卯", "A", 1],
        [None, "乙是（ ）", "A、子\nB、丑\nC、寅", "b", 3],
        [None, "丙是（ ）", "子|丑|寅", "C", 5],
        [None, "丁是（ ）", "子|丑", "A", 4],
    ]
    p = write_xlsx(tmp_path / "merged.xlsx", {"Sheet1": rows}, {"Sheet1": ["A2:E2", "A3:A6"]})
    qs = import_bank(p, bank_name="测试").bank.questions
    assert [q.type for q in qs] == ["single"] * 4
    assert [q.options for q in qs[:3]] == [("子", "丑", "寅", "卯"), ("子", "丑", "寅"), ("子", "丑", "寅")]
    assert [q.answer for q in qs] == ["A", "B", "C", "A"]
    # a column with a 4 or 5 is a 1–5 scale
    assert [q.difficulty for q in qs] == ["easy", "medium", "hard", "hard"]


def test_difficulty_as_1_to_3_and_as_coefficient(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["题干", "答案", "难度"],
        ["甲。", "对", 1],
        ["乙。", "对", 2],
        ["丙。", "对", 3],
        ["丁。", "对", 0.85],
        ["戊。", "对", "★★★★"],
    ]
    qs = import_bank(write_xlsx(tmp_path / "d.xlsx", {"判断": rows}), bank_name="测试").bank.questions
    assert [q.difficulty for q in qs] == ["easy", "medium", "hard", "easy", "hard"]


def test_boolean_cells_for_judge_answers(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["题型", "题干", "答案"], ["判断", "甲。", True], ["判断", "乙。", False]]
    qs = import_bank(write_xlsx(tmp_path / "b.xlsx", {"题库": rows}), bank_name="测试").bank.questions
    assert [q.answer for q in qs] == [True, False]


def test_topic_column_names_the_bank(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["题型", "题干", "答案", "知识点"],
        ["判断", "甲。", "对", "党章/党员"],
        ["判断", "乙。", "错", "党章"],
    ]
    bank = import_bank(write_xlsx(tmp_path / "t.xlsx", {"题库": rows})).bank
    assert bank.bank == "党章"
    assert [q.topic for q in bank.questions] == ["党章/党员", "党章"]


def test_foreign_sequence_numbers_are_not_ids(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["编号", "题型", "题干", "答案"], [1, "判断", "甲。", "对"], ["zb-7", "判断", "乙。", "错"]]
    qs = import_bank(write_xlsx(tmp_path / "n.xlsx", {"题库": rows}), bank_name="测试").bank.questions
    assert qs[0].id.startswith("q-")
    assert qs[1].id == "zb-7"


def test_csv_in_gbk_with_foreign_headers(tmp_path: Path) -> None:
    p = tmp_path / "bank.csv"
    with p.open("w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(["题目", "A选项", "B选项", "C选项", "标准答案", "题型"])
        w.writerow(["党的最高领导机关是（ ）", "党的全国代表大会", "中央委员会", "书记处", "A", "单选题"])
        w.writerow(["党员必须遵守党的纪律。", "", "", "", "对", "判断题"])
    result = import_bank(p, bank_name="测试")
    assert [(q.type, q.answer) for q in result.bank.questions] == [("single", "A"), ("judge", True)]
    assert any("GB18030" in w.message for w in result.warnings)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("题干", "stem"),
        ("题目内容", "stem"),
        ("题目（必填）", "stem"),
        ("*题干", "stem"),
        ("正确答案", "answer"),
        ("选项A", "option:A"),
        ("A", "option:A"),
        ("b选项", "option:B"),
        ("选项三", "option:C"),
        ("题型 ", "type"),
        ("难易程度", "difficulty"),
        ("分值", None),
        ("", None),
    ],
)
def test_column_names(header: str, field: str | None) -> None:
    assert column_field(header) == field
