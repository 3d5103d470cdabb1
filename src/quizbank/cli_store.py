"""The store's commands: ``roster import|list|demo``, ``spotcheck``, ``results``, ``verify``.

``quizbank.cli`` adds these through :func:`add_commands`. Like the rest of the CLI they are
thin: parse, call the core, print. Errors are :class:`~quizbank.errors.QuizbankError`
subclasses that ``cli.main`` prints and turns into exit codes (1 input problems, 2 usage,
3 a request that cannot be met); a failed ``verify`` exits 1.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import QuizbankError, StoreError

if TYPE_CHECKING:  # the store (and pydantic behind it) loads only when a command runs
    from .store import AttemptRecord, Member, Store

__all__ = ["add_commands", "attempt_json", "write_results"]

_STATUS_CN = {"in_progress": "进行中", "submitted": "已交卷", "expired": "超时交卷"}
_DAY = re.compile(r"^\s*(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*$")
CSV_FIELDS = (
    "attempt_id",
    "member_id",
    "name",
    "branch",
    "category",
    "paper_id",
    "blueprint",
    "started_at",
    "deadline",
    "submitted_at",
    "status",
    "score",
    "max_score",
    "passed",
)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Columns aligned by display width, so Chinese names line up in a terminal."""
    rows = [list(r) for r in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

    _out(line(headers))
    for r in rows:
        _out(line(r))


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def _num(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(x, 2)


def _day(text: str) -> date:
    """``2024-06-01`` (also ``2024/6/1``, ``2024.6.1``) for ``--from`` / ``--to``."""
    m = _DAY.match(text)
    try:
        if not m:
            raise ValueError
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date such as 2024-06-01") from None


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day).astimezone()


@contextmanager
def _store(args: argparse.Namespace, *, create: bool = False) -> Iterator[Store]:
    from .store import Store

    with Store.open(args.db, create=create) as store:
        yield store


# ---------------------------------------------------------------------------- roster
def cmd_roster_import(args: argparse.Namespace) -> int:
    """Read the whole file first (every bad row reported, nothing changed), then apply it in one transaction."""
    from .roster import read_roster

    entries = read_roster(args.file)
    with _store(args, create=True) as store:
        ch = store.import_roster(entries)
    branches = sorted({e.branch for e in entries})
    _out(f"{args.file}: {len(entries)} members in {len(branches)} branches ({'、'.join(branches)})")
    _out(f"  {len(ch.added)} new, {len(ch.updated)} updated, {len(ch.unchanged)} unchanged, {len(ch.deactivated)} made inactive")
    if ch.deactivated:
        _out(f"  inactive now (history kept): {', '.join(ch.deactivated)}")
    pins = sum(1 for e in entries if e.pin)
    if pins:
        _out(f"  {pins} PINs stored as scrypt hashes; delete or lock away the roster file, it holds them in clear")
    return 0


def cmd_roster_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        members = store.members(args.branch, include_inactive=args.all)
        last = store.last_tested(args.branch)
    if args.json:
        data = [
            {
                "member_id": m.member_id,
                "name": m.name,
                "branch": m.branch,
                "category": m.category,
                "audience": m.audience,
                "active": m.active,
                "has_pin": m.has_pin,
                "last_tested": last[m.member_id].isoformat() if m.member_id in last else None,
            }
            for m in members
        ]
        _out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not members:
        _out(
            "no members" + (f" in {args.branch}" if args.branch else "") + "; import a roster with `quizbank roster import FILE`"
        )
        return 0
    headers = ["编号", "姓名", "党支部", "类别", "口令", "最近测试"] + (["状态"] if args.all else [])
    rows = []
    for m in sorted(members, key=lambda m: (m.branch, m.member_id)):
        row = [
            m.member_id,
            m.name,
            m.branch,
            m.category,
            "有" if m.has_pin else "",
            _when(last.get(m.member_id))[:10] or "未测试",
        ]
        if args.all:
            row.append("在册" if m.active else "停用")
        rows.append(row)
    _table(headers, rows)
    never = sum(1 for m in members if m.member_id not in last and m.active)
    _out(f"{len(members)} members; {never} never tested")
    return 0


def cmd_roster_demo(args: argparse.Namespace) -> int:
    with _store(args, create=True) as store:
        made = store.create_demo_roster()
        total = len(store.members(include_inactive=True))
    if made:
        _out(f"demo roster created in {args.db}: {made} members, IDs 1001–1030, in 机关党总支, 一车间党支部, 二车间党支部")
        _out("  1001, 1011, 1021 are 支部书记 and 1030 is 挂职副书记 (secretary paper); 1010 has the PIN 1234")
    else:
        _out(f"{args.db} already has {total} members; the demo roster was not added")
    return 0


# ---------------------------------------------------------------------------- spotcheck
def cmd_spotcheck(args: argparse.Namespace) -> int:
    from .loader import load_library
    from .spotcheck import run_spotcheck

    lib = load_library(args.banks)
    with _store(args) as store:
        sc = run_spotcheck(store, lib, branch=args.branch, sample=args.sample, blueprint=args.blueprint, seed=args.seed)
    if args.out:
        _spotcheck_xlsx(sc, Path(args.out))
    if args.papers:
        _spotcheck_papers(sc, Path(args.papers))
    if args.json:
        data = {
            "spotcheck_id": sc.spotcheck_id,
            "branch": sc.branch,
            "blueprint": sc.blueprint,
            "seed": sc.seed,
            "members": [
                {"member_id": a.member_id, "name": a.name, "paper_id": a.paper_id, "assigned_at": a.assigned_at.isoformat()}
                for a in sc.assignments
            ],
        }
        _out(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    _out(f"抽考 #{sc.spotcheck_id}  {sc.branch}  抽取 {len(sc.assignments)} 人  组卷方案 {sc.blueprint}  种子 {sc.seed}")
    _table(
        ["编号", "姓名", "试卷编号", "分配时间"],
        [[a.member_id, a.name, a.paper_id, _when(a.assigned_at)] for a in sc.assignments],
    )
    if args.out:
        _out(f"list written to {args.out}")
    if args.papers:
        _out(f"papers written to {args.papers}/")
    _out("each member's next kiosk login takes the paper assigned here")
    return 0


def _spotcheck_xlsx(sc: Any, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if out.suffix.lower() != ".xlsx":
        raise QuizbankError(f"{out}: the spot-check list is written as .xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = "抽考名单"
    ws.append(["编号", "姓名", "党支部", "试卷编号", "分配时间"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for a in sc.assignments:
        ws.append([a.member_id, a.name, sc.branch, a.paper_id, _when(a.assigned_at)])
    for col, width in zip("ABCDE", (10, 12, 18, 18, 18), strict=True):
        ws.column_dimensions[col].width = width
    info = wb.create_sheet("说明")
    info.append(["抽考编号", sc.spotcheck_id])
    info.append(["党支部", sc.branch])
    info.append(["组卷方案", sc.blueprint])
    info.append(["种子", sc.seed])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


def _spotcheck_papers(sc: Any, folder: Path) -> None:
    from .paper_xlsx import write_paper_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    for a in sc.assignments:
        m: Member = sc.members[a.member_id]
        line = f"姓名：{m.name}    党支部：{m.branch}    编号：{m.member_id}    得分：________"
        write_paper_xlsx(sc.papers[a.paper_id], folder / f"{m.member_id}_{m.name}_{a.paper_id}.xlsx", member_line=line)


# ---------------------------------------------------------------------------- results
def attempt_json(rec: AttemptRecord, *, with_answers: bool = True) -> dict[str, Any]:
    """One attempt as DESIGN.md's results JSON (plus category, deadline and answer marks)."""
    data: dict[str, Any] = {
        "attempt_id": rec.attempt_id,
        "member_id": rec.member_id,
        "name": rec.name,
        "branch": rec.branch,
        "category": rec.category,
        "paper_id": rec.paper_id,
        "blueprint": rec.blueprint,
        "started_at": rec.started_at.isoformat(),
        "deadline": rec.deadline.isoformat(),
        "submitted_at": rec.submitted_at.isoformat() if rec.submitted_at else None,
        "status": rec.status,
        "score": _num(rec.score),
        "max_score": _num(rec.max_score),
        "passed": rec.passed,
        "spotcheck": rec.assignment_id is not None,
    }
    if with_answers:
        data["answers"] = [
            {"no": a.no, "id": a.id, "response": a.response, "points_awarded": _num(a.points_awarded), "marked": a.marked}
            for a in rec.answers
        ]
    return data


def write_results(records: Iterable[AttemptRecord], out: IO[str], fmt: str, *, line_end: str = "\r\n") -> int:
    """Stream attempts as ``json`` (a list, one attempt a line) or ``csv``; returns how many."""
    n = 0
    if fmt == "json":
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
        out.write("[")
        for rec in records:
            out.write(("\n" if n == 0 else ",\n") + dumps(attempt_json(rec)))
            n += 1
        out.write("\n]\n" if n else "]\n")
        return n
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(CSV_FIELDS)
    for rec in records:
        d = attempt_json(rec, with_answers=False)
        writer.writerow(["" if d[k] is None else d[k] for k in CSV_FIELDS])
        n += 1
    return n


def cmd_results(args: argparse.Namespace) -> int:
    since = _midnight(args.date_from) if args.date_from else None
    until = _midnight(args.date_to + timedelta(days=1)) if args.date_to else None
    if since and until and since >= until:
        raise _Usage(f"--from {args.date_from} is after --to {args.date_to}")
    fmt = "json" if args.json else "csv" if args.csv else None
    if fmt is None and args.out:
        fmt = {".json": "json", ".csv": "csv"}.get(Path(args.out).suffix.lower())
        if fmt is None:
            raise _Usage(f"--out {args.out}: give --json or --csv, or a .json / .csv file name")
    with _store(args) as store:
        try:
            store.expire_overdue(datetime.now().astimezone())
        except StoreError as e:
            if e.reason != "read_only":
                raise
        records = store.attempts(branch=args.branch, since=since, until=until, member_id=args.member, with_answers=fmt == "json")
        if fmt is None:
            _results_table(records)
            return 0
        if args.out:
            # utf-8-sig: Excel opens a CSV with a BOM as UTF-8 instead of guessing GBK
            enc = "utf-8-sig" if fmt == "csv" else "utf-8"
            with open(args.out, "w", encoding=enc, newline="") as f:
                n = write_results(records, f, fmt)
            sys.stderr.write(f"{n} attempts written to {args.out}\n")
        else:
            write_results(records, sys.stdout, fmt, line_end="\n")
    return 0


def _results_table(records: Iterable[AttemptRecord]) -> None:
    rows = []
    for r in records:
        score = "" if r.score is None else f"{_num(r.score)}/{_num(r.max_score)}" + (" 及格" if r.passed else " 不及格")
        rows.append(
            [
                str(r.attempt_id),
                r.member_id,
                r.name,
                r.branch,
                r.paper_id,
                _when(r.started_at),
                _when(r.submitted_at),
                score,
                _STATUS_CN[r.status],
            ]
        )
    if not rows:
        _out("no attempts")
        return
    _table(["序号", "编号", "姓名", "党支部", "试卷", "开始", "交卷", "得分", "状态"], rows)
    _out(f"{len(rows)} attempts")


class _Usage(QuizbankError):
    """Options that contradict each other: wrong usage."""

    exit_code = 2


# ---------------------------------------------------------------------------- verify
def cmd_verify(args: argparse.Namespace) -> int:
    with _store(args) as store:
        rep = store.verify()
    if args.json:
        _out(json.dumps({"ok": rep.ok, **vars(rep)}, ensure_ascii=False, indent=2))
        return 0 if rep.ok else 1
    for p in rep.problems:
        sys.stderr.write(p + "\n")
    summary = (
        f"{rep.attempts} attempts ({rep.sealed} submitted and sealed, {rep.in_progress} in progress), {rep.papers} papers checked"
    )
    if rep.ok:
        _out(f"ok: {summary}; every score and digest matches")
        return 0
    n = len(rep.problems)
    sys.stderr.write(f"{n} problem{'s' if n != 1 else ''} found in {summary}\n")
    return 1


# ---------------------------------------------------------------------------- parser
def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``roster``, ``spotcheck``, ``results`` and ``verify`` to the ``quizbank`` parser.

    ``common`` (``--db``, ``--banks``) goes on the leaf parsers only: on both a parent and a
    child, argparse would let the child's default overwrite a ``--db`` given to the parent.
    """
    roster = sub.add_parser("roster", help="import, list or demo the member roster")
    rsub = roster.add_subparsers(dest="roster_command", metavar="ACTION", required=True)

    p = rsub.add_parser(
        "import",
        parents=[common],
        help="members from .xlsx/.csv/.yaml (编号, 姓名, 党支部, 类别, optional 口令); all-or-nothing",
    )
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_roster_import)

    p = rsub.add_parser("list", parents=[common], help="members with the date they were last tested")
    p.add_argument("--branch", metavar="NAME", help="one branch only")
    p.add_argument("--all", action="store_true", help="include inactive members")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_roster_list)

    p = rsub.add_parser("demo", parents=[common], help="a demo roster (IDs 1001–1030) if the database has none")
    p.set_defaults(handler=cmd_roster_demo)

    p = sub.add_parser(
        "spotcheck", parents=[common], help="sample members of a branch (least recently tested first) and assign papers"
    )
    p.add_argument("--branch", required=True, metavar="NAME")
    p.add_argument("--sample", required=True, type=_positive, metavar="N")
    p.add_argument("--blueprint", required=True, metavar="B", help="member, secretary or a blueprint file")
    p.add_argument("--seed", type=int, default=None, help="same seed and database → same sample and papers")
    p.add_argument("--out", metavar="FILE.xlsx", help="write the list to Excel")
    p.add_argument("--papers", metavar="DIR", help="also write each member's printable paper (.xlsx) into DIR")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_spotcheck)

    p = sub.add_parser("results", parents=[common], help="every attempt: member, branch, paper, times, score, status")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="a JSON list with every answer")
    fmt.add_argument("--csv", action="store_true", help="CSV, one attempt a row")
    p.add_argument("--branch", metavar="NAME")
    p.add_argument("--member", metavar="ID")
    p.add_argument("--from", dest="date_from", type=_day, metavar="DATE", help="started on or after this day")
    p.add_argument("--to", dest="date_to", type=_day, metavar="DATE", help="started on or before this day")
    p.add_argument("--out", metavar="FILE", help="write to FILE (.csv gets a BOM so Excel reads it as UTF-8)")
    p.set_defaults(handler=cmd_results)

    p = sub.add_parser("verify", parents=[common], help="recompute every score and check every digest")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_verify)
