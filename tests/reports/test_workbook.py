"""The workbook's cells against an independent recomputation and against hand-worked values."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from quizbank.periods import parse_period
from quizbank.store import Store

from .conftest import FIXED_BRANCHES, cli_json, run_cli
from .oracle import Expected, expected

SUMMARY_KEYS = {
    "党员数": "members",
    "参考人数": "tested",
    "参考率": "rate",
    "平均分": "mean",
    "中位数": "median",
    "最高分": "best",
    "最低分": "worst",
    "及格率": "pass_rate",
    "优秀率": "excellent_rate",
    "名次": "rank",
}


def table(ws: Worksheet, first: str) -> list[dict[str, Any]]:
    """The rows under the header whose first cell is ``first``, up to the first empty row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r and r[0] == first)
    header = rows[start]
    out = []
    for r in rows[start + 1 :]:
        if r[0] is None:
            break
        out.append({h: v for h, v in zip(header, r, strict=False) if h})
    return out


def close(a: Any, b: Any, tol: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float | int) and isinstance(b, float | int):
        return math.isclose(a, b, rel_tol=tol, abs_tol=tol)
    return bool(a == b)


def oracle_for(db: Path, period: str, *, exact: bool = False) -> Expected:
    """From ``results --json`` and ``roster list --json``; ``exact``: marks from the store.

    The JSON gives marks to two decimals (a third of a fill blank's two points is 0.67), so
    figures from it agree with the workbook to within that rounding; with the stored marks (four
    decimals, which the report reads) they agree to rounding error.
    """
    results = cli_json("results", "--json", "--db", str(db))
    roster = cli_json("roster", "list", "--all", "--json", "--db", str(db))
    p = parse_period(period)
    with Store.open(db, create=False) as store:
        marks = None
        if exact:
            marks = {a.attempt_id: {x.no: x.points_awarded or 0.0 for x in a.answers} for a in store.attempts()}
        return expected(results, roster, store.paper, p.start, p.end, p.year_to_end().start, marks)


def write_report(db: Path, tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "report.xlsx"
    rc, _ = run_cli("report", "--db", str(db), "--out", str(out), *extra)
    assert rc == 0
    return out


def check_workbook(path: Path, exp: Expected, tol: float = 1e-9) -> None:
    wb = load_workbook(path)
    # 汇总: every figure of every branch and of the total
    summary = {r["党支部"]: r for r in table(wb["汇总"], "党支部")}
    assert set(summary) == set(exp.summary)
    for branch, want in exp.summary.items():
        for cn, key in SUMMARY_KEYS.items():
            if key in want:
                assert close(summary[branch][cn], want[key]), (branch, cn, summary[branch][cn], want[key])
            else:
                assert summary[branch][cn] is None, (branch, cn)
    # branch sheets: every member's line
    seen = set()
    for branch in exp.summary:
        if branch == "合计":
            continue
        for row in table(wb[branch], "编号"):
            mid = str(row["编号"])
            seen.add(mid)
            person = exp.members.get(mid)
            if person is None:
                assert row["本期参考次数"] == 0
                assert row["最高成绩"] is None
                continue
            assert row["本期参考次数"] == person["tests"]
            assert close(row["最近成绩"], person["latest"])
            assert close(row["最高成绩"], person["best"])
            assert row["是否及格"] == person["passed"]
            assert row["最近参考日期"].date() == person["date"]
            assert close(row["用时（分钟）"], person["minutes"])
    assert set(exp.members) <= seen
    # 未参考
    untested = {str(r["编号"]): r for r in table(wb["未参考"], "党支部")}
    assert set(untested) == set(exp.untested)
    for mid, (period_n, year_n) in exp.untested.items():
        assert untested[mid]["本期"] == ("未参考" if period_n == 0 else f"已参考 {period_n} 次")
        assert [v for k, v in untested[mid].items() if k.startswith("本年度（")] == [
            "未参考" if year_n == 0 else f"已参考 {year_n} 次"
        ]
    # 知识点: every rate of every branch
    banks = {t for _, t in exp.topics if "/" not in t}
    branches = [b for b in exp.summary if b != "合计"]
    got_topics = {}
    bank = ""
    for row in table(wb["知识点"], "知识点"):
        name = row["知识点"]
        bank = name if name in banks else bank
        topic = name if name in banks else f"{bank}/{name}"
        for b in branches:
            if row.get(b) is not None:
                got_topics[(b, topic)] = row[b]
    assert set(got_topics) == {k for k in exp.topics if k[0] in branches}
    for topic_key, rate in got_topics.items():
        assert close(rate, exp.topics[topic_key], tol), topic_key
    # 题目分析: every question, and the test-level line of every blueprint
    items = {(r["题目编号"], float(r["分值"])): r for r in table(wb["题目分析"], "题目编号")}
    assert set(items) == set(exp.items)
    for item_key, item in exp.items.items():
        row = items[item_key]
        assert row["作答次数"] == item["n"]
        assert row["作答人数"] == item["members"]
        assert close(row["得分率"], item["facility"], tol)
        assert close(row["区分度"], item["r"], max(tol, 1e-7)), item_key
        assert close(row["区分效率"], item["de"], max(tol, 1e-7)), item_key
        if item["members"] >= 30:
            if tol < 1e-6:  # flags near a limit may tip either way on two-decimal marks
                assert (row["标记"] or "") == item["flags"], item_key
        else:
            assert "不判断" in row["标记"]
    tests = {r["试卷"]: r for r in table(wb["题目分析"], "试卷")}
    assert set(tests) == set(exp.alpha)
    for bp, want in exp.alpha.items():
        assert tests[bp]["份数"] == want["attempts"]
        assert tests[bp]["题数"] == want["items"]
        assert close(tests[bp]["平均分"], want["mean"])
        assert close(tests[bp]["α系数"], want["alpha"], max(tol, 1e-7))


# ---------------------------------------------------------------------------- hand-worked values
def test_fixed_data_set_hand_values_in_the_workbook(fixed_db: Path, tmp_path: Path) -> None:
    path = write_report(fixed_db, tmp_path, "--period", "2025-Q1")
    wb = load_workbook(path)
    items = {r["题目编号"]: r for r in table(wb["题目分析"], "题目编号")}
    wrong = items["fx-05"]
    assert wrong["作答人数"] == 32
    assert wrong["得分率"] == pytest.approx(0.5)
    assert wrong["区分度"] == pytest.approx(-3.5 / math.sqrt(2 * 12.875))
    assert wrong["区分效率"] == pytest.approx(-7 / 9)
    assert wrong["标记"] == "区分度为负：请核对答案"
    assert items["fx-01"]["区分度"] == pytest.approx(0.25 / math.sqrt(1.5 * 5.875))
    assert items["fx-01"]["区分效率"] == pytest.approx(1 / 9)
    assert items["fx-01"]["标记"] == "区分度弱"
    assert items["fx-04"]["得分率"] == pytest.approx(0.25)
    assert items["fx-04"]["区分度"] == pytest.approx(0.75 / math.sqrt(1.5 * 4.875))
    assert items["fx-04"]["区分效率"] == pytest.approx(3 / 7)
    assert items["fx-04"]["标记"] is None
    # misbehaving questions first, the wrong key at the top
    assert list(items)[:2] == ["fx-05", "fx-01"]
    line = table(wb["题目分析"], "试卷")[0]
    assert (line["试卷"], line["份数"], line["题数"]) == ("固定卷", 32, 5)
    assert line["α系数"] == pytest.approx(-5 / 63)
    assert line["平均分"] == pytest.approx(19 / 8)


def test_fixed_data_set_summary(fixed_db: Path, tmp_path: Path) -> None:
    path = write_report(fixed_db, tmp_path, "--period", "2025-03")
    summary = {r["党支部"]: r for r in table(load_workbook(path)["汇总"], "党支部")}
    assert list(summary) == ["一车间党支部", "二车间党支部", "三车间党支部", "合计"]
    nobody = summary["三车间党支部"]
    assert (nobody["党员数"], nobody["参考人数"], nobody["参考率"], nobody["平均分"], nobody["名次"]) == (1, 0, 0, None, None)
    total = summary["合计"]
    assert (total["党员数"], total["参考人数"]) == (34, 32)
    # totals 4 3 3 1 3 2 2 1 of 5 points → ×20 on the 100-point scale, each four times
    assert total["平均分"] == pytest.approx(47.5)
    assert total["中位数"] == pytest.approx(50.0)
    assert (total["最高分"], total["最低分"]) == (80, 20)
    assert total["及格率"] == pytest.approx(4 / 8)  # 3 of 5 points needed: A, B, C, E
    assert total["优秀率"] == 0
    assert {summary[b]["名次"] for b in FIXED_BRANCHES} <= {1, 2}


def test_fixed_data_set_against_the_oracle(fixed_db: Path, tmp_path: Path) -> None:
    check_workbook(write_report(fixed_db, tmp_path, "--period", "2025-Q1"), oracle_for(fixed_db, "2025-Q1"))


# ---------------------------------------------------------------------------- simulated year
@pytest.mark.parametrize("period", ["2025", "2025-Q3", "2025-12"])
def test_every_figure_matches_results_json(sim_db: Path, tmp_path: Path, period: str) -> None:
    exp = oracle_for(sim_db, period)
    assert exp.members, "the simulated period should hold attempts"
    check_workbook(write_report(sim_db, tmp_path, "--period", period), exp, tol=5e-3)  # marks to ±0.005


@pytest.mark.parametrize("period", ["2025", "2025-Q3"])
def test_every_figure_matches_the_stored_marks_exactly(sim_db: Path, tmp_path: Path, period: str) -> None:
    check_workbook(write_report(sim_db, tmp_path, "--period", period), oracle_for(sim_db, period, exact=True))


def test_summary_json_and_csv_are_the_workbook_figures(sim_db: Path, tmp_path: Path) -> None:
    path = write_report(sim_db, tmp_path, "--period", "2025")
    sheet = {r["党支部"]: r for r in table(load_workbook(path)["汇总"], "党支部")}
    data = cli_json("report", "--db", str(sim_db), "--period", "2025", "--summary", "--json")
    assert data["period"] == "2025年度"
    assert (data["from"], data["to"]) == ("2025-01-01", "2025-12-31")
    assert data["attempts"] > 0
    rows = [*data["branches"], data["total"]]
    assert [r["branch"] for r in rows] == list(sheet)
    for r in rows:
        for cn, key in SUMMARY_KEYS.items():
            places = 4 if key.endswith("rate") else 2
            want = sheet[r["branch"]][cn]
            assert r[key] == (None if want is None else round(want, places) if isinstance(want, float) else want)
    rc, csv_text = run_cli("report", "--db", str(sim_db), "--period", "2025", "--summary", "--csv")
    assert rc == 0
    lines = csv_text.splitlines()
    assert lines[0] == "党支部,党员数,参考人数,参考率,平均分,中位数,最高分,最低分,及格率,优秀率,名次"
    assert len(lines) == len(rows) + 1
    assert lines[-1].startswith("合计,")


def test_unfinished_attempts_and_leavers(sim_db: Path, tmp_path: Path) -> None:
    """The running attempt does not count; the member who left does, under their branch."""
    with Store.open(sim_db, create=False) as store:
        running = [a for a in store.attempts() if a.status == "in_progress"]
        leavers = [m for m in store.members(include_inactive=True) if not m.active]
    assert len(running) == 1
    assert len(leavers) == 1
    wb = load_workbook(write_report(sim_db, tmp_path, "--period", "2025"))
    row = next(r for r in table(wb[leavers[0].branch], "编号") if r["编号"] == leavers[0].member_id)
    assert row["本期参考次数"] >= 1
    assert row["备注"].startswith("已停用")
    idle = next(r for r in table(wb[running[0].branch], "编号") if r["编号"] == running[0].member_id)
    assert idle["本期参考次数"] == 0


def test_one_branch(sim_db: Path, tmp_path: Path) -> None:
    with Store.open(sim_db, create=False) as store:
        branch = store.branches()[1]
    wb = load_workbook(write_report(sim_db, tmp_path, "--period", "2025", "--branch", branch))
    assert wb.sheetnames == ["汇总", branch, "未参考", "知识点", "题目分析"]
    assert [r["党支部"] for r in table(wb["汇总"], "党支部")] == [branch, "合计"]


def test_print_setup(sim_db: Path, tmp_path: Path) -> None:
    wb = load_workbook(write_report(sim_db, tmp_path, "--period", "2025-Q3"))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.freeze_panes, ws.title
        assert ws.print_title_rows, ws.title
        assert "2025年第三季度" in ws.oddHeader.center.text, ws.title
        assert "生成于" in ws.oddHeader.right.text, ws.title
        assert "2025-07-01 至 2025-09-30" in ws["A2"].value, ws.title
        assert "生成时间" in ws["A2"].value, ws.title
    summary = wb["汇总"]
    assert summary["D4"].number_format == "0.0%"
    assert wb["知识点"].conditional_formatting
    assert wb["汇总"].column_dimensions["A"].width >= 16


def test_native_chart_is_in_the_file(sim_db: Path, tmp_path: Path) -> None:
    import zipfile

    path = write_report(sim_db, tmp_path, "--period", "2025")
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<barChart>" in xml
    assert "<lineChart>" in xml
    assert "'汇总'!$E$4" in xml  # the series refer to the 汇总 cells: a native chart, not a picture
    assert "'汇总'!$D$4" in xml


def test_empty_period_says_so(sim_db: Path, tmp_path: Path) -> None:
    path = write_report(sim_db, tmp_path, "--period", "2019")
    wb = load_workbook(path)
    texts = [c for row in wb["汇总"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("没有已交卷的测试记录" in t for t in texts)
    summary = {r["党支部"]: r for r in table(wb["汇总"], "党支部")}
    assert all(r["参考人数"] == 0 and r["平均分"] is None for r in summary.values())
    items = [c for row in wb["题目分析"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any("无法分析题目" in t for t in items)
    data = cli_json("report", "--db", str(sim_db), "--period", "2019", "--summary", "--json")
    assert data["attempts"] == 0
    assert data["total"]["tested"] == 0


def test_dates_are_local_days(fixed_db: Path, tmp_path: Path) -> None:
    wb = load_workbook(write_report(fixed_db, tmp_path, "--period", "2025"))
    row = table(wb[FIXED_BRANCHES[1]], "编号")[0]
    started = Store.open(fixed_db, create=False)
    try:
        first = next(a for a in started.finished_attempts() if a.member_id == str(row["编号"]))
    finally:
        started.close()
    assert row["最近参考日期"].date() == first.started_at.astimezone().date()
    assert isinstance(row["最近参考日期"].date(), date)


def test_many_branches_print_several_pages_wide(tmp_path: Path) -> None:
    from dataclasses import dataclass

    from quizbank.report_xlsx import write_report_xlsx
    from quizbank.reports import compute_report

    @dataclass(frozen=True)
    class M:
        member_id: str
        name: str
        branch: str
        category: str = "正式党员"
        active: bool = True

    members = [M(str(i), f"党员{i}", f"{i % 30 + 1}号党支部") for i in range(90)]
    report = compute_report(parse_period("2025"), members, [], [], [], {})
    assert len(report.branches) == 30
    assert report.branches[:3] == ["1号党支部", "2号党支部", "3号党支部"]  # numbers in number order
    wb = load_workbook(write_report_xlsx(report, tmp_path / "wide.xlsx"))
    topics = wb["知识点"]
    assert topics.page_setup.fitToWidth == 3
    assert topics.print_title_cols == "$A:$A"
    assert wb["汇总"].page_setup.fitToWidth == 1
