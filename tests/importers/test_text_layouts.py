"""Word-style text in a dozen real-world layouts, each file with its own quirks.

Each ``tests/data/import/text/NAME.txt`` has a ``NAME.expected.yaml`` listing, per question,
the fields that must come out (type, stem, options, answer, and where the layout says
them, explanation, difficulty, topic, source).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from quizbank.drafts import parse_judge, parse_letters, split_fill_answer, split_options
from quizbank.importers import import_bank
from quizbank.models import Question

from .conftest import DATA

LAYOUTS = sorted((DATA / "text").glob("*.txt"))


def as_expected(q: Question) -> dict[str, Any]:
    answer: Any = q.answer
    if q.type == "fill":
        answer = [list(s) if len(s) > 1 else s[0] for s in q.fill_key]
    return {
        "type": q.type,
        "stem": q.stem,
        "options": list(q.options or ()),
        "answer": answer,
        "explanation": q.explanation,
        "difficulty": q.difficulty,
        "topic": q.topic,
        "source": q.source,
    }


def test_there_are_a_dozen_layouts() -> None:
    assert len(LAYOUTS) >= 12


@pytest.mark.parametrize("path", LAYOUTS, ids=[p.stem for p in LAYOUTS])
def test_layout_reads_as_expected(path: Path) -> None:
    expected = yaml.safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    result = import_bank(path, bank_name="测试")
    got = [as_expected(q) for q in result.bank.questions]
    assert len(got) == len(expected), [g["stem"] for g in got]
    for i, (g, e) in enumerate(zip(got, expected, strict=True), start=1):
        for key, value in e.items():
            assert g[key] == value, f"question {i}: {key}"


@pytest.mark.parametrize("path", LAYOUTS, ids=[p.stem for p in LAYOUTS])
def test_same_file_twice_gives_same_ids(path: Path) -> None:
    first = import_bank(path, bank_name="测试")
    second = import_bank(path, bank_name="测试")
    assert [q.id for q in first.bank.questions] == [q.id for q in second.bank.questions]
    assert len({q.id for q in first.bank.questions}) == len(first.bank.questions)


def test_ids_do_not_move_when_a_question_is_inserted(tmp_path: Path) -> None:
    """A content id, unlike a running number, stays with its question."""
    one = "1. 甲的是（ ）。\nA. 子 B. 丑\n答案：A\n2. 乙的是（ ）。\nA. 寅 B. 卯\n答案：B\n"
    two = "1. 新加的题是（ ）。\nA. 辰 B. 巳\n答案：A\n" + one.replace("1. ", "2. ", 1).replace("2. 乙", "3. 乙")
    (tmp_path / "one.txt").write_text(one, encoding="utf-8")
    (tmp_path / "two.txt").write_text(two, encoding="utf-8")
    a = {q.stem: q.id for q in import_bank(tmp_path / "one.txt", bank_name="测试").bank.questions}
    b = {q.stem: q.id for q in import_bank(tmp_path / "two.txt", bank_name="测试").bank.questions}
    assert all(b[stem] == qid for stem, qid in a.items())


def test_gb18030_is_detected_and_said() -> None:
    result = import_bank(DATA / "text" / "10_gb18030.txt", bank_name="测试")
    assert any("GB18030" in w.message for w in result.warnings)


def test_utf16_with_bom(tmp_path: Path) -> None:
    p = tmp_path / "utf16.txt"
    p.write_bytes("1. 党员有退党的自由。\n答案：对\n".encode("utf-16"))
    (q,) = import_bank(p, bank_name="测试").bank.questions
    assert (q.type, q.answer) == ("judge", True)


def test_missing_explanation_and_source_get_placeholders_and_a_warning() -> None:
    result = import_bank(DATA / "text" / "01_headings_dot.txt", bank_name="测试")
    q = result.bank.questions[-1]
    assert q.explanation == "（暂无解析）"
    assert q.source == "（出处待补充）"
    text = " ".join(w.message for w in result.warnings)
    assert "had no 解析" in text
    assert "had no 出处" in text


def test_title_line_in_an_unnumbered_file_is_noted() -> None:
    result = import_bank(DATA / "text" / "07_unnumbered.txt", bank_name="测试")
    assert any("read as a title" in str(w) and ":1:" in str(w) for w in result.warnings)


def test_near_duplicates_within_a_file_are_reported(tmp_path: Path) -> None:
    p = tmp_path / "dup.txt"
    p.write_text(
        "1. 党的最高领导机关是（ ）。\nA. 甲 B. 乙\n答案：A\n"
        "2. 党的最高领导机关是（　　）\nA. 甲 B. 乙\n答案：A\n"
        "3. 党的最高领导机关是____。\n答案：党的全国代表大会\n",
        encoding="utf-8",
    )
    result = import_bank(p, bank_name="测试")
    dups = [str(w) for w in result.warnings if "same question text" in w.message]
    assert dups == [
        f"{p}:4: question 2: same question text as question 1 (line 1)",
        f"{p}:7: question 3: same question text as question 1 (line 1) (a single question there, fill here)",
    ]
    ids = [q.id for q in result.bank.questions]
    assert len(set(ids)) == 3


def test_numbered_list_inside_an_explanation_stays_in_it() -> None:
    result = import_bank(DATA / "text" / "03_bracket_fields.txt", bank_name="测试")
    assert len(result.bank.questions) == 3
    assert "5. 开除党籍" in result.bank.questions[0].explanation


# --- the small parsers, table-driven ------------------------------------------------
@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("A", "A"),
        ("ac", "AC"),
        ("A,C", "AC"),
        ("A、C", "AC"),
        ("A，B，D", "ABD"),
        ("ＡＣ", "AC"),
        ("A C", "AC"),
        ("（AB）", "AB"),
        ("AZ", None),
        ("对", None),
        ("", None),
    ],
)
def test_parse_letters(text: str, letters: str | None) -> None:
    assert parse_letters(text) == letters


@pytest.mark.parametrize(
    ("text", "truth"),
    [
        ("对", True),
        ("错", False),
        ("√", True),
        ("×", False),
        ("正确", True),
        ("错误", False),
        ("是", True),
        ("否", False),
        ("T", True),
        ("F", False),
        ("true", True),
        ("（√）", True),
        ("X", False),
        ("也许", None),
    ],
)
def test_parse_judge(text: str, truth: bool | None) -> None:
    assert parse_judge(text) is truth


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("共产主义", ["共产主义"]),
        ("四个自信；两个维护", ["四个自信", "两个维护"]),
        ("a|b", ["a", "b"]),
        ("a; b", ["a", "b"]),
        ("一年 / 1年；三", [("一年", "1年"), "三"]),
        ("1/5", ["1/5"]),
    ],
)
def test_split_fill_answer(text: str, entries: list[Any]) -> None:
    assert split_fill_answer(text) == entries


@pytest.mark.parametrize(
    ("text", "first", "inline", "result"),
    [
        ("A.甲 B.乙 C.丙 D.丁", 0, False, ("", ["甲", "乙", "丙", "丁"])),
        ("A.甲B.乙C.丙", 0, False, ("", ["甲", "乙", "丙"])),
        ("(A)甲 (B)乙", 0, False, ("", ["甲", "乙"])),
        ("C、丙　　D、丁", 2, False, ("", ["丙", "丁"])),
        ("A 党的全国代表大会   B 中央委员会", 0, False, ("", ["党的全国代表大会", "中央委员会"])),
        ("问（ A ）是。A.甲 B.乙", 0, True, ("问（ A ）是。", ["甲", "乙"])),
        ("问（ A、B、C ）是。", 0, True, None),
        ("B.乙", 0, False, None),
    ],
)
def test_split_options(text: str, first: int, inline: bool, result: Any) -> None:
    assert split_options(text, first, inline=inline) == result
