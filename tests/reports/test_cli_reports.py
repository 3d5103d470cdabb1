"""``quizbank report`` and ``quizbank simulate`` from the command line: output, exit codes, refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quizbank.roster import RosterEntry
from quizbank.store import Store

from .conftest import cli_json, run_cli


def test_text_summary(sim_db: Path) -> None:
    rc, out = run_cli("report", "--db", str(sim_db), "--period", "2025-Q3", "--summary")
    assert rc == 0
    lines = out.splitlines()
    assert lines[0].startswith("2025年第三季度（2025-07-01 至 2025-09-30，")
    assert lines[1].split()[:3] == ["党支部", "党员数", "参考人数"]
    assert lines[-1].startswith("合计")
    assert "%" in lines[-1]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 2, "--out FILE.xlsx"),
        (("--json",), 2, "--summary"),
        (("--summary", "--period", "2025-13"), 2, "month 13"),
        (("--summary", "--period", "2025", "--from", "2025-01-01"), 2, "not both"),
        (("--summary", "--from", "2025-05-01", "--to", "2025-04-01"), 2, "after"),
        (("--out", "x.csv"), 2, ".xlsx"),
        (("--summary", "--branch", "没有这个支部"), 1, "no branch"),
    ],
)
def test_usage_errors(sim_db: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], code: int, message: str) -> None:
    rc, _ = run_cli("report", "--db", str(sim_db), *args)
    assert rc == code
    assert message in capsys.readouterr().err


def test_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _ = run_cli("report", "--db", str(tmp_path / "none.db"), "--summary")
    assert rc == 1
    assert "no database" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_from_to_equals_the_quarter(sim_db: Path) -> None:
    q = cli_json("report", "--db", str(sim_db), "--period", "2025-Q2", "--summary", "--json")
    r = cli_json("report", "--db", str(sim_db), "--from", "2025-04-01", "--to", "2025-06-30", "--summary", "--json")
    assert q["branches"] == r["branches"]
    assert q["total"] == r["total"]
    assert r["period"] == "2025-04-01 至 2025-06-30"


def test_workbook_and_summary_together(sim_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.xlsx"
    rc, text = run_cli("report", "--db", str(sim_db), "--period", "2025-07", "--out", str(out), "--summary", "--csv")
    assert rc == 0
    assert out.exists()
    assert text.startswith("党支部,")
    assert "workbook written to" in capsys.readouterr().err


# ---------------------------------------------------------------------------- simulate
def test_simulate_is_deterministic_and_verifies(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    for db in (a, b):
        rc, out = run_cli("simulate", "--db", str(db), "--members", "30", "--attempts", "2", "--period", "2024", "--seed", "5")
        assert rc == 0, out
        assert "simulated 30 members in 2 branches" in out
    ra = cli_json("results", "--json", "--db", str(a))
    rb = cli_json("results", "--json", "--db", str(b))
    assert [(r["member_id"], r["started_at"], r["score"]) for r in ra] == [
        (r["member_id"], r["started_at"], r["score"]) for r in rb
    ]
    assert all(r["status"] in ("submitted", "expired") for r in ra)
    assert all(r["member_id"].startswith("S") for r in ra)
    assert all(r["started_at"].startswith("2024-") for r in ra)
    rc, out = run_cli("verify", "--db", str(a))
    assert rc == 0, out
    # simulating again adds members after the ones there
    rc, out = run_cli("simulate", "--db", str(a), "--members", "5", "--attempts", "1", "--period", "2024")
    assert rc == 0, out
    roster = cli_json("roster", "list", "--json", "--db", str(a))
    assert len(roster) == 35
    assert {m["member_id"] for m in roster} >= {"S00031", "S00035"}


def test_simulate_keeps_a_demo_roster(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    assert run_cli("roster", "demo", "--db", str(db))[0] == 0
    rc, out = run_cli("simulate", "--db", str(db), "--members", "10", "--attempts", "1", "--period", "2024")
    assert rc == 0, out
    roster = cli_json("roster", "list", "--json", "--db", str(db))
    assert len(roster) == 40
    assert {"1001", "1030", "S00001"} <= {m["member_id"] for m in roster}


def test_simulate_refuses_real_attempts(fixed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "real.db"
    shutil.copy(fixed_db, db)
    before = cli_json("results", "--json", "--db", str(db))
    rc, _ = run_cli("simulate", "--db", str(db), "--members", "5", "--attempts", "1", "--period", "2024")
    assert rc == 3
    assert "real attempts" in capsys.readouterr().err
    assert cli_json("results", "--json", "--db", str(db)) == before


def test_simulate_refuses_a_real_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "roster.db"
    with Store.open(db) as store:
        store.import_roster([RosterEntry("880001", "王某", "工务段党支部", "正式党员", None, 2)])
    rc, _ = run_cli("simulate", "--db", str(db), "--members", "5", "--attempts", "1", "--period", "2024")
    assert rc == 3
    assert "real members" in capsys.readouterr().err
    assert len(cli_json("roster", "list", "--json", "--db", str(db))) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("--members", "0", "--attempts", "1"),
        ("--members", "5", "--attempts", "-1"),
        ("--members", "5", "--attempts", "1", "--coverage", "1.5"),
        ("--members", "five", "--attempts", "1"),
        ("--members", "5", "--attempts", "1", "--period", "2024-Q9"),
    ],
)
def test_simulate_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    try:
        rc, _ = run_cli("simulate", "--db", str(tmp_path / "u.db"), *args)
    except SystemExit as e:  # argparse's own errors (a word for a number) exit 2 themselves
        rc = int(e.code or 0)
    assert rc == 2


def test_simulate_refuses_a_future_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _ = run_cli("simulate", "--db", str(tmp_path / "f.db"), "--members", "5", "--attempts", "1", "--period", "2999")
    assert rc == 3
    assert "has not begun" in capsys.readouterr().err


def test_simulated_report_shows_the_miskeyed_questions(tmp_path: Path) -> None:
    """With enough members, the questions simulate keys wrongly come out flagged in 题目分析."""
    db = tmp_path / "big.db"
    rc, _ = run_cli(
        "simulate", "--db", str(db), "--members", "400", "--attempts", "1", "--period", "2024",
        "--seed", "3", "--miskeyed", "40", "--coverage", "1",
    )  # fmt: skip
    assert rc == 0
    from quizbank.periods import parse_period
    from quizbank.reports import build_report

    with Store.open(db, create=False) as store:
        report = build_report(store, parse_period("2024"), min_members=10)
    negative = [r for r in report.items if "negative" in r.stat.flags]
    judged = [r for r in report.items if r.stat.judged]
    assert judged
    assert negative
    # the simulation's wrong keys are the worst questions: they sort to the top
    assert report.items[0].stat.flags[0] == "negative"
