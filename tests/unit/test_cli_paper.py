"""`quizbank paper` and `quizbank stats` from the outside: bytes, files, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from quizbank.cli import main


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "quizbank", *args], capture_output=True, text=True, check=False, cwd=cwd)


def test_same_seed_gives_byte_identical_json(tmp_path: Path) -> None:
    a = run("paper", "member", "--seed", "2024", "--json", cwd=tmp_path)
    b = run("paper", "member", "--seed", "2024", "--json", cwd=tmp_path)
    c = run("paper", "member", "--seed", "2025", "--json", cwd=tmp_path)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert a.stdout != c.stdout
    paper = json.loads(a.stdout)
    assert paper["seed"] == 2024
    assert paper["total_points"] == 100
    assert paper["pass_mark"] == 60
    assert paper["time_limit_s"] == 45 * 60
    assert len(paper["questions"]) == 50
    first = paper["questions"][0]
    assert set(first) >= {"no", "id", "type", "topic", "difficulty", "points", "stem", "options", "answer"}


def test_xlsx_has_the_paper_and_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "paper.xlsx"
    assert main(["paper", "secretary", "--seed", "5", "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["试卷", "答案"]
    paper_ws, key_ws = wb["试卷"], wb["答案"]
    assert paper_ws["A1"].value == "支部书记应知应会测试"
    headings = [c.value for c in paper_ws["A"] if isinstance(c.value, str) and "、" in c.value and "题（共" in c.value]
    assert headings[0].startswith("一、单项选择题（共20题，每题2分，共40分")
    assert len(headings) == 4
    assert str(paper_ws.page_setup.paperSize) == paper_ws.PAPERSIZE_A4
    assert key_ws.max_row == 51  # header + 50 answers
    assert all(key_ws.cell(r, 3).value for r in range(2, 52))  # every answer explained


def test_infeasible_blueprint_exits_3(tmp_path: Path) -> None:
    bp = tmp_path / "big.yaml"
    bp.write_text(
        "name: 大卷\naudience: member\ntime_limit: 45m\npass_mark: 60\nsections:\n  - {type: multiple, count: 500, points: 1}\n",
        encoding="utf-8",
    )
    r = run("paper", str(bp), "--seed", "1", cwd=tmp_path)
    assert r.returncode == 3
    assert "asked 500 multiple (多选) questions for audience member, the banks hold" in r.stderr
    assert "Traceback" not in r.stderr


def test_unknown_blueprint_and_bad_usage(tmp_path: Path) -> None:
    r = run("paper", "nonesuch", cwd=tmp_path)
    assert r.returncode == 1
    assert "no blueprint named 'nonesuch'" in r.stderr
    assert run("paper", cwd=tmp_path).returncode == 2
    assert run("paper", "member", "--seed", "x", cwd=tmp_path).returncode == 2


def test_banks_env_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("QUIZBANK_BANKS", str(tmp_path))
    assert main(["stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
