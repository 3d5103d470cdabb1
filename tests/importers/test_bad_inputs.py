"""Bad inputs give clear errors, each at its place, and nothing is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizbank.cli import main
from quizbank.errors import ImportProblem
from quizbank.importers import import_bank

from .conftest import DATA, write_xlsx

BAD = DATA / "bad"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.txt", "empty.txt: the file is empty"),
        ("blank.txt", "blank.txt: the file is empty"),
        ("image.txt", "image.txt: not a text file: this is a PNG image"),
        ("word97.txt", "word97.txt: not a text file: this is an old Word/Excel 97-2003 file (.doc/.xls)"),
        ("random.txt", "random.txt: not a text file"),
        ("latin1.txt", "latin1.txt:1: not UTF-8"),
        ("no_answer.txt", "no_answer.txt:6: question 2: no answer"),
        ("letter_no_option.txt", "letter_no_option.txt:2: question 1: answer letter E is outside the options A–D"),
        ("key_without_question.txt", "key_without_question.txt:10: answer key: there is no question 3"),
        (
            "multiple_one_letter.txt",
            "multiple_one_letter.txt:2: question 1: a multiple question has at least two correct letters, not A",
        ),
        ("fill_count.txt", "fill_count.txt:2: question 1: the stem has 2 blanks but the answer lists 1"),
        ("prose.txt", "prose.txt: no questions found"),
    ],
)
def test_bad_text_files(name: str, expected: str) -> None:
    with pytest.raises(ImportProblem) as info:
        import_bank(BAD / name, bank_name="测试")
    text = str(info.value)
    assert expected in text, text


def test_no_answer_names_only_the_bad_question() -> None:
    with pytest.raises(ImportProblem) as info:
        import_bank(BAD / "no_answer.txt", bank_name="测试")
    assert [str(p).split("/")[-1] for p in info.value.problems] == ["no_answer.txt:6: question 2: no answer"]
    assert "give --skip-bad to import the 2 good ones" in info.value.summary


def test_a_zip_named_txt_is_named(tmp_path: Path) -> None:
    p = tmp_path / "bank.txt"
    shutil.copy(write_xlsx(tmp_path / "x.xlsx", {"题库": [["题干", "答案"], ["甲（ ）", "A"]]}), p)
    with pytest.raises(ImportProblem, match=r"a zip archive \(a \.docx or \.xlsx saved under another name\?\)"):
        import_bank(p)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.xlsx", b"", "the file is empty"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel 97-2003 .xls file"),
        ("text.xlsx", "题干,答案\n".encode(), "not an Excel .xlsx file"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "save it as .docx"),
        ("empty.docx", b"", "the file is empty"),
        ("text.docx", "1. 甲\n".encode(), "not a readable .docx file"),
        ("pdf.docx", b"%PDF-1.4\n", "this is a PDF document"),
    ],
)
def test_bad_office_files(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(ImportProblem, match=expected.replace(".", r"\.")):
        import_bank(p)


def test_sheet_without_header(tmp_path: Path) -> None:
    p = write_xlsx(
        tmp_path / "noheader.xlsx",
        {"Sheet1": [["党的最高领导机关是（ ）", "甲", "乙", "A"], ["预备期为（ ）", "半年", "一年", "B"]]},
    )
    with pytest.raises(ImportProblem) as info:
        import_bank(p)
    assert "sheet 'Sheet1': no header row in the first 30 rows" in str(info.value)


def test_sheet_rows_with_problems_are_named_by_row(tmp_path: Path) -> None:
    rows = [
        ["题库"],  # a title row above the header
        ["题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案"],
        ["单选", "党的最高领导机关是（ ）。", "甲", "乙", "丙", "丁", "A"],
        ["单选", "预备期为（ ）。", "半年", "一年", "", "", ""],
        ["单选", "党龄从（ ）算起。", "甲", "乙", "丙", "丁", "E"],
        ["问答", "谈谈你的体会。", "", "", "", "", "略"],
        ["多选", "党的纪律包括（ ）。", "甲", "乙", "丙", "丁", "A,Q"],
        ["判断", "党员可以信教。", "", "", "", "", "不对"],
        ["", "", "", "", "", "", "B"],
    ]
    p = write_xlsx(tmp_path / "rows.xlsx", {"题库": rows})
    with pytest.raises(ImportProblem) as info:
        import_bank(p)
    got = [str(x).split(": ", 1)[1] for x in info.value.problems]
    assert got == [
        "row 4: no answer",
        "row 5: answer letter E is outside the options A–D",
        "row 6: unknown question type '问答' (单选题, 多选题, 判断题 or 填空题)",
        "row 7: answer 'A,Q' is not option letters such as C or ABD",
        "row 8: answer '不对' is not 对/错, √/×, 正确/错误 or 是/否",
        "row 9: no question text",
    ]


def test_duplicate_ids_in_a_file(tmp_path: Path) -> None:
    rows = [["编号", "题型", "题干", "答案"], ["x-1", "判断", "甲。", "对"], ["x-1", "判断", "乙。", "错"]]
    with pytest.raises(ImportProblem, match="row 3: duplicate id x-1 \\(also at row 2\\)"):
        import_bank(write_xlsx(tmp_path / "d.xlsx", {"题库": rows}))


# --- through the command: nothing is written -------------------------------------------
@pytest.mark.parametrize("name", ["empty.txt", "image.txt", "no_answer.txt", "letter_no_option.txt", "latin1.txt"])
def test_command_writes_nothing_on_error(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.yaml"
    assert main(["import", str(BAD / name), "--out", str(out), "--banks", str(tmp_path)]) == 1
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either
    err = capsys.readouterr().err
    assert name in err
    assert "Traceback" not in err


def test_command_leaves_an_existing_bank_untouched_on_error(tmp_path: Path) -> None:
    out = tmp_path / "bank.yaml"
    out.write_text("bank: 旧\nrevision: '1'\nquestions: []\n", encoding="utf-8")
    before = out.read_bytes()
    assert main(["import", str(BAD / "no_answer.txt"), "--out", str(out), "--banks", str(tmp_path / "none")]) == 1
    assert out.read_bytes() == before
