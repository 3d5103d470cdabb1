"""The store's commands end to end: exit codes, output shapes, files written, database untouched on errors."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from quizbank.cli import main
from quizbank.loader import Library
from quizbank.session import ExamSession
from quizbank.store import Store

from .synth import FakeClock, write_library

Run = tuple[int, str, str]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path) -> Any:
    banks = write_library(tmp_path / "banks")

    def go(*argv: str) -> Run:
        code = main([*argv, "--db", str(db_path), "--banks", str(banks)])
        out = capsys.readouterr()
        return code, out.out, out.err

    return go


def members_table(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT member_id, name, branch_id, category, active, pin_hash FROM members ORDER BY 1").fetchall()


# ------------------------------------------------------------------ roster
def test_roster_import_and_list(run: Any, tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text(
        "编号,姓名,性别,党支部,类别,口令\n2001,王 芳,女,电务车间党支部,正式党员,\n2002,赵强,男,电务车间党支部,支部书记,2468\n",
        encoding="utf-8",
    )
    code, out, err = run("roster", "import", str(f))
    assert code == 0, err
    assert "2 members in 1 branches" in out
    assert "2 new, 0 updated, 0 unchanged, 0 made inactive" in out
    assert "1 PINs stored" in out
    code, out, _ = run("roster", "list")
    assert code == 0
    assert "王芳" in out
    assert "未测试" in out
    code, out, _ = run("roster", "list", "--json")
    data = json.loads(out)
    assert [m["member_id"] for m in data] == ["2001", "2002"]
    assert data[1]["has_pin"] is True
    assert data[1]["audience"] == "secretary"
    code, out, _ = run("roster", "list", "--branch", "没有这个支部")
    assert code == 0
    assert "no members" in out


def test_bad_roster_lists_every_bad_row_and_changes_nothing(run: Any, tmp_path: Path, db_path: Path) -> None:
    assert run("roster", "demo")[0] == 0
    before = members_table(db_path)
    wb = Workbook()
    ws = wb.active
    ws.append(["二车间党支部党员名册"])  # a title row above the header, as sheets often have
    ws.append(["编号", "姓名", "党支部", "类别", "口令"])
    ws.append([1021, "郑光辉", "二车间党支部", "支部书记", None])  # row 3: good
    ws.append([1022, None, "二车间党支部", "正式党员", None])  # row 4: no name
    ws.append([1023, "谢宝山", "二车间党支部", "党员", None])  # row 5: unknown category
    ws.append([1021, "郑光辉", "二车间党支部", "正式党员", None])  # row 6: duplicate of row 3
    ws.append([1024, "宋桂英", "二车间党支部", "正式党员", "12ab"])  # row 7: bad PIN
    ws.append([])  # row 8: blank, skipped
    ws.append([None, "无名", None, "正式党员", None])  # row 9: two fields missing
    f = tmp_path / "bad.xlsx"
    wb.save(f)
    code, out, err = run("roster", "import", str(f))
    assert code == 1
    assert out == ""
    lines = err.strip().splitlines()
    assert lines[:5] == [
        f"{f}: row 4: 姓名 is empty",
        f"{f}: row 5: 类别 '党员' is unknown (known: 正式党员、预备党员、发展对象、入党积极分子、支部委员、支部书记、支部副书记、挂职副书记、党总支书记)",
        f"{f}: row 6: 编号 1021 is a duplicate (first at row 3)",
        f"{f}: row 7: 口令 must be 4 to 8 digits",
        f"{f}: row 9: 编号、党支部 are empty",
    ]
    assert lines[5] == "5 bad rows; nothing was imported"
    assert members_table(db_path) == before


def test_roster_file_problems(run: Any, tmp_path: Path) -> None:
    f = tmp_path / "r.csv"
    f.write_text("工号,名字\n1,甲\n", encoding="utf-8")
    code, _, err = run("roster", "import", str(f))
    assert code == 1
    assert "no header row" in err
    code, _, err = run("roster", "import", str(tmp_path / "missing.csv"))
    assert code == 1
    assert "no such file" in err
    f = tmp_path / "r.txt"
    f.write_text("x", encoding="utf-8")
    code, _, err = run("roster", "import", str(f))
    assert code == 1
    assert ".xlsx, .csv or .yaml" in err


def test_roster_demo_once(run: Any) -> None:
    code, out, _ = run("roster", "demo")
    assert code == 0
    assert "30 members" in out
    code, out, _ = run("roster", "demo")
    assert code == 0
    assert "already has 30 members" in out


def test_commands_on_a_missing_database(run: Any) -> None:
    for argv in (["roster", "list"], ["results"], ["verify"], ["paper", "member", "--member", "1002"]):
        code, _, err = run(*argv)
        assert code == 1, argv
        assert "no database here" in err


# ------------------------------------------------------------------ spotcheck
def test_spotcheck(run: Any, tmp_path: Path) -> None:
    run("roster", "demo")
    out_xlsx, papers = tmp_path / "list.xlsx", tmp_path / "papers"
    argv = ["spotcheck", "--branch", "二车间党支部", "--sample", "3", "--blueprint", "member", "--seed", "11"]
    code, out, err = run(*argv, "--out", str(out_xlsx), "--papers", str(papers))
    assert code == 0, err
    assert "种子 11" in out
    rows = list(load_workbook(out_xlsx).active.iter_rows(values_only=True))
    assert rows[0] == ("编号", "姓名", "党支部", "试卷编号", "分配时间")
    assert len(rows) == 4
    assert {r[2] for r in rows[1:]} == {"二车间党支部"}
    assert sorted(p.name.split("_")[0] for p in papers.glob("*.xlsx")) == sorted(str(r[0]) for r in rows[1:])
    code, out, _ = run(*argv, "--json")
    data = json.loads(out)
    assert data["seed"] == 11
    assert len(data["members"]) == 3


@pytest.mark.parametrize(
    ("extra", "code", "says"),
    [
        (["--branch", "二车间党支部", "--sample", "11"], 3, "10 active members; cannot sample 11"),
        (["--branch", "三车间", "--sample", "1"], 1, "no branch named 三车间"),
        (["--branch", "二车间党支部", "--sample", "0"], 2, "must be at least 1"),
        (["--branch", "二车间党支部", "--sample", "x"], 2, "not a whole number"),
    ],
)
def test_spotcheck_refusals(run: Any, extra: list[str], code: int, says: str) -> None:
    run("roster", "demo")
    if code == 2:
        with pytest.raises(SystemExit) as e:
            run("spotcheck", "--blueprint", "member", *extra)
        assert e.value.code == 2
        return
    got, _, err = run("spotcheck", "--blueprint", "member", *extra)
    assert got == code
    assert says in err


# ------------------------------------------------------------------ results
@pytest.fixture
def history(run: Any, db_path: Path, library: Library) -> list[int]:
    """Five attempts on three days (2024-06-01, -02, -03); the last one left open and overdue."""
    run("roster", "demo")
    clock = FakeClock()
    ids = []
    with Store.open(db_path) as store:
        for i, mid in enumerate(["1002", "1012", "1022", "1003", "1013"]):
            s = ExamSession.open(store, library, mid, clock=clock)
            s.answer(1, "A")
            if i < 4:
                s.submit()
            ids.append(s.attempt_id)
            clock.advance(86_400 / 2)
    return ids


def test_results_json_has_the_design_fields(run: Any, history: list[int]) -> None:
    code, out, err = run("results", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert [a["attempt_id"] for a in data] == history
    keys = {"attempt_id", "member_id", "name", "branch", "paper_id", "blueprint", "started_at", "submitted_at", "status"}
    keys |= {"score", "max_score", "passed", "answers"}
    for a in data:
        assert keys <= set(a)
        assert len(a["answers"]) == 30
        assert set(a["answers"][0]) >= {"no", "id", "response", "points_awarded"}
        assert a["started_at"].endswith("+08:00")
    assert data[0]["answers"][0]["response"] == "A"
    assert data[0]["status"] == "submitted"
    # the open attempt was long past its deadline: results closed it as expired
    assert data[4]["status"] == "expired"
    assert data[4]["submitted_at"] == data[4]["deadline"]


def test_results_filters(run: Any, history: list[int]) -> None:
    def ids(*argv: str) -> list[Any]:
        code, out, err = run("results", "--json", *argv)
        assert code == 0, err
        return [(a["attempt_id"], a["member_id"]) for a in json.loads(out)]

    assert [m for _, m in ids("--branch", "一车间党支部")] == ["1012", "1013"]
    assert [a for a, _ in ids("--from", "2024-06-02", "--to", "2024/6/2")] == history[2:4]
    assert [a for a, _ in ids("--member", "1003")] == [history[3]]
    assert ids("--from", "2030-01-01") == []


def test_results_csv_and_table(run: Any, history: list[int], tmp_path: Path) -> None:
    code, out, _ = run("results", "--csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert [int(r["attempt_id"]) for r in rows] == history
    assert rows[0]["name"] == "李秀英"
    out_file = tmp_path / "r.csv"
    code, _, err = run("results", "--out", str(out_file))
    assert code == 0
    assert "5 attempts written" in err
    assert out_file.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    code, out, _ = run("results")
    assert "李秀英" in out
    assert "超时交卷" in out
    assert "5 attempts" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["results", "--from", "2024-13-01"],
        ["results", "--to", "yesterday"],
        ["results", "--json", "--csv"],
    ],
)
def test_results_usage_errors(run: Any, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as e:
        run(*argv)
    assert e.value.code == 2


def test_results_contradicting_dates(run: Any, history: list[int]) -> None:
    code, _, err = run("results", "--from", "2024-06-03", "--to", "2024-06-01")
    assert code == 2
    assert "after" in err


# ------------------------------------------------------------------ paper --member
def test_paper_for_a_member_avoids_their_last_paper(run: Any, db_path: Path, library: Library) -> None:
    run("roster", "demo")
    with Store.open(db_path) as store:
        s = ExamSession.open(store, library, "1002", clock=FakeClock())
        s.submit()
    code, out, err = run("paper", "member", "--member", "1002", "--seed", "5", "--json")
    assert code == 0, err
    drawn = {q["id"] for q in json.loads(out)["questions"]}
    assert not drawn & {q.id for q in s.paper.questions}
    code, _, err = run("paper", "member", "--member", "9999")
    assert code == 1
    assert "9999" in err
