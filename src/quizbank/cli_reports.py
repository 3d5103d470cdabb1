"""The committee's commands: ``report`` (the workbook, or its 汇总 as JSON/CSV) and ``simulate``.

``quizbank.cli`` adds these through :func:`add_commands`. Thin, like the rest of the CLI:
parse, open the store, call :mod:`quizbank.reports` / :mod:`quizbank.simulate`, print.
openpyxl is imported only when a workbook is written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import QuizbankError, StoreError

if TYPE_CHECKING:
    from .reports import Report

__all__ = ["add_commands", "cmd_report", "cmd_simulate"]


class _Usage(QuizbankError):
    """Options that do not go together: wrong usage (exit 2)."""

    exit_code = 2


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ---------------------------------------------------------------------------- report
def cmd_report(args: argparse.Namespace) -> int:
    """Write the committee workbook and/or print its 汇总."""
    from .periods import now_local, period_from_args
    from .reports import build_report, summary_csv, summary_json
    from .store import Store

    if not args.out and not args.summary:
        raise _Usage("give --out FILE.xlsx for the workbook, or --summary [--json|--csv] for the 汇总 figures")
    if (args.json or args.csv) and not args.summary:
        raise _Usage("--json and --csv go with --summary")
    if args.out and Path(args.out).suffix.lower() != ".xlsx":
        raise _Usage(f"--out {args.out}: the workbook is an .xlsx file")
    period = period_from_args(args.period, args.date_from, args.date_to)
    now = now_local()
    with Store.open(args.db, create=False) as store:
        try:
            # attempts whose deadline passed while nobody was looking are closed first, as `results` does
            store.expire_overdue(now)
        except StoreError as e:
            if e.reason != "read_only":
                raise
        report = build_report(store, period, branch=args.branch, generated_at=now)
    if args.out:
        from .report_xlsx import write_report_xlsx

        out = write_report_xlsx(report, args.out)
        what = "no attempts in the period" if report.empty else f"{report.attempts} attempts"
        sys.stderr.write(f"{report.period.label} ({report.period.span}): {what}; workbook written to {out}\n")
    if args.summary:
        if args.json:
            _out(summary_json(report))
        elif args.csv:
            sys.stdout.write(summary_csv(report))
        else:
            _summary_table(report)
    return 0


def _summary_table(report: Report) -> None:
    from .reports import SUMMARY_FIELDS, summary_records

    def show(key: str, v: Any) -> str:
        if v is None:
            return "—"
        if key in ("rate", "pass_rate", "excellent_rate"):
            return f"{v:.1%}"
        if isinstance(v, float):
            return f"{v:.2f}"
        return str(v)

    headers = [cn for _, cn in SUMMARY_FIELDS]
    rows = [[show(k, rec[k]) for k, _ in SUMMARY_FIELDS] for rec in summary_records(report)]
    widths = [max(_width(h), *(_width(r[i]) for r in rows)) for i, h in enumerate(headers)]
    _out(f"{report.period.label}（{report.period.span}，{report.zone}）")
    for r in [headers, *rows]:
        cells = [
            c + " " * (w - _width(c)) if i == 0 else " " * (w - _width(c)) + c
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        _out("  ".join(cells).rstrip())
    if report.empty:
        _out("本期没有已交卷的测试记录。")


# ---------------------------------------------------------------------------- simulate
def cmd_simulate(args: argparse.Namespace) -> int:
    """Fill a new or demo database with simulated members and attempts."""
    from .loader import load_library
    from .periods import now_local, period_from_args
    from .simulate import simulate
    from .store import Store

    if args.members < 1:
        raise _Usage("--members must be at least 1")
    if args.attempts < 0:
        raise _Usage("--attempts must not be negative")
    if not 0 <= args.coverage <= 1:
        raise _Usage("--coverage is a share between 0 and 1")
    period = period_from_args(args.period, None, None)
    lib = load_library(args.banks)
    now = now_local()

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done}/{total} attempts")
            sys.stderr.flush()

    with Store.open(args.db, create=True) as store:
        res = simulate(
            store,
            lib,
            members=args.members,
            attempts=args.attempts,
            period=period,
            seed=args.seed,
            branches=args.branches,
            coverage=args.coverage,
            blueprint=args.blueprint,
            miskeyed=args.miskeyed,
            now=now,
            progress=progress,
        )
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    span = ""
    if res.first and res.last:
        span = f", {_day(res.first)} – {_day(res.last)}"
    _out(
        f"simulated {res.members} members in {res.branches} branches and {res.attempts} attempts "
        f"({res.expired} ran out of time{span}) into {args.db}"
    )
    return 0


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


# ---------------------------------------------------------------------------- parser
def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``report`` and ``simulate`` to the ``quizbank`` parser."""
    p = sub.add_parser(
        "report",
        parents=[common],
        help="the committee workbook: 汇总, branches, 未参考, 知识点, 题目分析",
        description="The committee workbook for a period (default: the current calendar year), "
        "or with --summary its 汇总 figures. Dates are in the local time zone.",
    )
    p.add_argument("--period", metavar="P", help="2020 (year), 2020-Q3 (quarter) or 2020-07 (month)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD (instead of --period)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day, inclusive")
    p.add_argument("--branch", metavar="NAME", help="one branch only")
    p.add_argument("--out", metavar="FILE.xlsx", help="write the workbook")
    p.add_argument("--summary", action="store_true", help="print the 汇总 figures")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="with --summary: JSON")
    fmt.add_argument("--csv", action="store_true", help="with --summary: CSV")
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "simulate",
        parents=[common],
        help="fill a new or demo database with simulated members and attempts (demonstrations, benchmarks)",
        description="Simulated members (IDs S00001…) in branches, and submitted attempts drawn from an "
        "ability model. Refuses a database that holds real attempts or a real roster.",
    )
    p.add_argument("--members", required=True, type=_int, metavar="N", help="members to add")
    p.add_argument("--attempts", required=True, type=_int, metavar="K", help="attempts per tested member")
    p.add_argument("--seed", type=int, default=1, help="everything follows from it (default 1)")
    p.add_argument("--period", metavar="P", help="spread attempts over this period (default: the current year, up to now)")
    p.add_argument("--branches", type=_int, metavar="B", help="number of branches (default: one per 25 members, at most 40)")
    p.add_argument("--coverage", type=float, default=0.95, metavar="F", help="share of members who sit a test (default 0.95)")
    p.add_argument("--blueprint", metavar="B", help="one blueprint for everybody (default: by category, as the kiosk)")
    p.add_argument("--miskeyed", type=_int, default=2, metavar="N", help="questions that behave as if mis-keyed (default 2)")
    p.set_defaults(handler=cmd_simulate)
