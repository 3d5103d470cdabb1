"""The loader reports every problem at its line, as PATH:LINE: message, and exits 1."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quizbank.cli import main
from quizbank.errors import BankError
from quizbank.loader import load_bank_file, load_paths

GOOD = """\
bank: 测试
revision: "2022"
questions:
  - id: t-0001
    type: single
    topic: 测试/甲
    stem: 党员的党龄从（ ）之日算起。
    options: [递交入党申请书, 被确定为入党积极分子, 预备期满转为正式党员, 支部大会通过其为预备党员]
    answer: C
    explanation: 党章第七条。
    source: 《中国共产党章程》第七条
    difficulty: easy
  - id: t-0002
    type: fill
    topic: 测试/乙
    stem: 预备党员的预备期为____。
    answer: [[一年, 1年]]
    explanation: 党章第七条。
    source: 《中国共产党章程》第七条
    difficulty: easy
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def problems_of(paths: list[Path]) -> list[str]:
    with pytest.raises(BankError) as info:
        load_paths(paths)
    return [str(p) for p in info.value.problems]


def test_good_bank_loads(tmp_path: Path) -> None:
    bank = load_bank_file(write(tmp_path, "ok.yaml", GOOD))
    assert [q.id for q in bank.bank.questions] == ["t-0001", "t-0002"]
    assert bank.lines == {"t-0001": 4, "t-0002": 13}
    assert bank.bank.questions[1].fill_key == (("一年", "1年"),)


@pytest.mark.parametrize(
    ("edit", "line", "needle"),
    [
        # YAML syntax error: an unclosed flow list on line 8
        (lambda t: t.replace("options: [递交入党申请书,", "options: [递交入党申请书, [,"), 8, "YAML syntax"),
        # unknown key on its own line
        (
            lambda t: t.replace("    difficulty: easy\n  - id: t-0002", "    difficulty: easy\n    hint: 党龄\n  - id: t-0002"),
            13,
            "unknown key 'hint'",
        ),
        # answer letter outside the options
        (lambda t: t.replace("answer: C", "answer: E"), 9, "outside the options"),
        # fill whose blanks and answers differ in number
        (lambda t: t.replace("answer: [[一年, 1年]]", "answer: [一年, 两年]"), 17, "1 blank but the answer lists 2"),
        # missing field names the question's line
        (
            lambda t: t.replace(
                "    source: 《中国共产党章程》第七条\n    difficulty: easy\n  - id", "    difficulty: easy\n  - id"
            ),
            4,
            "missing field 'source'",
        ),
        # duplicate options
        (lambda t: t.replace("被确定为入党积极分子", "递交入党申请书"), 8, "are the same"),
        # a multiple with one correct letter
        (lambda t: t.replace("type: single", "type: multiple"), 9, "at least two correct letters"),
        # duplicate key inside one question
        (lambda t: t.replace("    answer: C\n", "    answer: C\n    answer: D\n"), 10, "duplicate key 'answer'"),
        # a topic outside the bank
        (lambda t: t.replace("topic: 测试/甲", "topic: 别的/甲"), 4, "must start with the bank's name"),
        # a judge with options
        (lambda t: t.replace("type: single", "type: judge"), 8, "has no options"),
    ],
)
def test_broken_bank_names_the_line(tmp_path: Path, edit, line: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, "bad.yaml", edit(GOOD))
    found = problems_of([path])
    assert any(p.startswith(f"{path}:{line}: ") and needle in p for p in found), found


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yaml", GOOD)
    b = write(tmp_path, "b.yaml", GOOD.replace("bank: 测试", "bank: 测试").replace("t-0002", "t-0003"))
    found = problems_of([a, b])
    assert f"{b}:4: duplicate id t-0001 (also at {a}:4)" in found
    assert f"{a}:4: duplicate id t-0001 (also at {b}:4)" in found


def test_all_problems_reported_together(tmp_path: Path) -> None:
    text = GOOD.replace("answer: C", "answer: E").replace("answer: [[一年, 1年]]", "answer: [一年, 两年]")
    found = problems_of([write(tmp_path, "two.yaml", text)])
    assert len(found) == 2


def test_not_utf8_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "gbk.yaml"
    p.write_bytes(GOOD.encode("gb18030"))
    found = problems_of([p])
    assert "not UTF-8" in found[0]


def test_cli_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, "good.yaml", GOOD)
    assert main(["validate", str(good)]) == 0
    bad = write(tmp_path, "bad.yaml", GOOD.replace("answer: C", "answer: Z"))
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:9: question t-0001: answer letter Z is outside the options A–D" in err
    assert "Traceback" not in err


def test_cli_never_prints_a_traceback_on_garbage(tmp_path: Path) -> None:
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(b"\x00\x01\x02 not yaml: [")
    run = subprocess.run([sys.executable, "-m", "quizbank", "validate", str(junk)], capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert str(junk) in run.stderr


def test_blueprint_errors_name_the_line(tmp_path: Path) -> None:
    bp = write(
        tmp_path,
        "bp.yaml",
        """\
        name: 卷
        audience: member
        time_limit: 45m
        pass_mark: 60
        sections:
          - {type: single, count: 20, points: 2}
          - {type: judge, count: 10, points: 1, scoring: half}
        shuffle: true
        """,
    )
    found = problems_of([bp])
    assert any(p.startswith(f"{bp}:7:") and "scoring applies to multiple" in p for p in found), found
    assert any(p.startswith(f"{bp}:8:") and "unknown key 'shuffle'" in p for p in found), found


def test_infeasible_blueprint_is_reported_at_its_constraint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "bank.yaml", GOOD)
    (tmp_path / "blueprints").mkdir()
    write(
        tmp_path,
        "blueprints/bp.yaml",
        """\
        name: 卷
        audience: member
        time_limit: 45m
        pass_mark: 1
        sections:
          - {type: single, count: 1, points: 2}
          - {type: multiple, count: 3, points: 1}
        """,
    )
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "bp.yaml:7: cannot be met: sections[1]: asked 3 multiple (多选) questions for audience member, the banks hold 0" in err


def test_duplicate_id_within_one_file_names_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.yaml", GOOD.replace("id: t-0002", "id: t-0001"))
    assert problems_of([path]) == [f"{path}:13: duplicate id t-0001 (also at {path}:4)"]
