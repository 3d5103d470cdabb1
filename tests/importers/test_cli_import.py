"""``quizbank import`` and ``quizbank export`` from the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from quizbank.cli import main
from quizbank.loader import load_bank_file

from .conftest import DATA, REPO, shipped_bank_files

LAYOUT = DATA / "text" / "01_headings_dot.txt"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_import_writes_a_bank_that_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.yaml"
    code, stdout, err = run(
        ["import", str(LAYOUT), "--out", str(out), "--bank", "党章", "--revision", "2022", "--banks", str(tmp_path / "none")],
        capsys,
    )
    assert code == 0, err
    assert "imported 5 questions (单选 2, 多选 1, 判断 1, 填空 1) into bank 党章" in stdout
    assert "not compared with the existing banks" in err
    code, stdout, err = run(["validate", str(out)], capsys)
    assert code == 0, err
    assert stdout.startswith("ok: 1 banks, 5 questions")
    bank = load_bank_file(out).bank
    assert (bank.bank, bank.revision) == ("党章", "2022")


def test_yaml_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.yaml"
    assert run(["import", str(LAYOUT), "--out", str(out), "--bank", "党章", "--banks", str(tmp_path)], capsys)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "\\u" not in text  # Chinese is written as Chinese
    assert "党的最高领导机关是（ ）。" in text
    assert "\n  - id: q-" in text  # block style, indented like the shipped banks
    assert "\n\n  - id: " in text  # a blank line between questions
    assert "options: [半年, 一年, 两年, 三年]" in text
    assert "{" not in text
    assert text.startswith("# 导入自 01_headings_dot.txt")
    assert yaml.safe_load(text)["questions"][0]["answer"] == "A"


def test_dry_run_prints_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.yaml"
    code, stdout, err = run(["import", str(LAYOUT), "--out", str(out), "--dry-run", "--banks", str(tmp_path)], capsys)
    assert code == 0
    assert not out.exists()
    assert "bank: 01_headings_dot" in stdout
    assert "dry run: would write 5 questions" in err
    assert "nothing written" in err


def test_skip_bad_writes_the_good_and_lists_the_bad(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.yaml"
    code, stdout, err = run(
        ["import", str(DATA / "bad" / "no_answer.txt"), "--out", str(out), "--skip-bad", "--banks", str(tmp_path)], capsys
    )
    assert code == 0
    assert "imported 2 questions" in stdout
    assert "1 skipped" in stdout
    assert "no_answer.txt:6: question 2: no answer" in err
    assert len(load_bank_file(out).bank.questions) == 2


def test_skip_bad_with_nothing_good_still_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.yaml"
    code, _, err = run(
        ["import", str(DATA / "bad" / "letter_no_option.txt"), "--out", str(out), "--skip-bad", "--banks", str(tmp_path)], capsys
    )
    assert code == 1
    assert "no good questions, nothing written" in err
    assert not out.exists()


def test_same_file_twice_gives_the_same_bank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for out in (a, b):
        assert (
            run(["import", str(LAYOUT), "--out", str(out), "--bank", "测试", "--banks", str(tmp_path / "none")], capsys)[0] == 0
        )
    assert a.read_text(encoding="utf-8").replace("a.yaml", "") == b.read_text(encoding="utf-8").replace("b.yaml", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", str(LAYOUT)], "give --out BANK.yaml"),
        (["import", str(LAYOUT), "--out", "x.txt"], "name it .yaml"),
        (["import", str(LAYOUT), "--out", "x.yaml", "--id-prefix", "题"], "--id-prefix"),
        (["export", "党章", "--out", "x.csv"], "name it .xlsx"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert message in err


def test_export_by_name_file_name_or_path_and_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = shipped_bank_files()
    if not files:
        pytest.skip("no shipped banks yet")
    banks = tmp_path / "banks"
    banks.mkdir()
    src = banks / files[0].name
    shutil.copy(files[0], src)
    try:
        name = load_bank_file(src).bank.bank
    except Exception:
        pytest.skip(f"{files[0].name} does not load right now")
    for target in (name, src.stem, str(src)):
        out = tmp_path / "x.xlsx"
        code, stdout, err = run(["export", target, "--out", str(out), "--banks", str(banks)], capsys)
        assert code == 0, err
        assert f"of bank {name}" in stdout
    # edited in Excel, imported back over the same file: no id clash, same questions
    before = load_bank_file(src).bank
    code, stdout, err = run(["import", str(tmp_path / "x.xlsx"), "--out", str(src), "--banks", str(banks)], capsys)
    assert code == 0, err
    assert load_bank_file(src).bank == before
    assert run(["validate", str(banks)], capsys)[0] == 0


def test_export_unknown_bank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        ["export", "没有这个题库", "--out", str(tmp_path / "x.xlsx"), "--banks", str(REPO / "question_banks")], capsys
    )
    assert code == 1
    assert "no bank named '没有这个题库'" in err


def test_importing_a_copy_of_a_bank_elsewhere_says_how_to_update_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = shipped_bank_files()
    if not files:
        pytest.skip("no shipped banks yet")
    banks = tmp_path / "banks"
    banks.mkdir()
    src = banks / files[0].name
    shutil.copy(files[0], src)
    xlsx = tmp_path / "x.xlsx"
    if run(["export", str(src), "--out", str(xlsx), "--banks", str(banks)], capsys)[0] != 0:
        pytest.skip(f"{files[0].name} does not load right now")
    code, _, err = run(["import", str(xlsx), "--out", str(tmp_path / "copy.yaml"), "--banks", str(banks)], capsys)
    assert code == 1
    assert f"are already used in {src}; to update that bank, import with --out {src}" in err


def test_duplicates_against_the_banks_are_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    banks = tmp_path / "banks"
    banks.mkdir()
    (banks / "b.yaml").write_text(
        "bank: 党章\nrevision: '2022'\nquestions:\n  - id: dz-1\n    type: fill\n    topic: 党章\n"
        "    stem: 党的最高理想和最终目标是实现____。\n    answer: [共产主义]\n    explanation: e\n    source: s\n    difficulty: easy\n",
        encoding="utf-8",
    )
    code, _, err = run(
        ["import", str(LAYOUT), "--out", str(tmp_path / "new.yaml"), "--bank", "新", "--banks", str(banks)], capsys
    )
    assert code == 0, err
    assert f"question 5: same question text as dz-1 ({banks / 'b.yaml'}:4) in the banks" in err


def test_blank_template_for_a_new_bank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "new.xlsx"
    code, stdout, err = run(["export", "新题库", "--blank", "--revision", "2024", "--out", str(out)], capsys)
    assert code == 0, err
    assert "blank template for bank 新题库" in stdout
    from openpyxl import load_workbook

    ws = load_workbook(out)["题库"]
    ws.append(["", "判断题", "党员必须遵守党的纪律。", None, None, None, None, None, None, None, None, "对"])
    ws.parent.save(out)
    bank_file = tmp_path / "new.yaml"
    assert run(["import", str(out), "--out", str(bank_file), "--banks", str(tmp_path / "none")], capsys)[0] == 0
    bank = load_bank_file(bank_file).bank
    assert (bank.bank, bank.revision, len(bank.questions)) == ("新题库", "2024", 1)


def test_paper_command_writes_docx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "paper.docx"
    code, stdout, err = run(
        ["paper", "member", "--seed", "5", "--out", str(out), "--banks", str(REPO / "question_banks")], capsys
    )
    if code != 0 and "problem" in err:
        pytest.skip(f"the shipped banks do not load right now: {err.splitlines()[0]}")
    assert code == 0, err
    assert f"written to {out}" in stdout
    import docx

    assert docx.Document(str(out)).paragraphs[0].text
