"""Store benchmarks: per-answer save latency, and ``results --json`` over 40,000 attempts.

    python scripts/bench_store.py [--answers 2000] [--attempts 40000] [--dir DIR]

``scripts/bench.py`` calls :func:`main`. Figures:

* **save latency**: ``ExamSession.answer`` (validation + one durable ``BEGIN IMMEDIATE`` /
  ``UPDATE`` / ``COMMIT`` with WAL and ``synchronous=FULL``), median and p99, next to a bare
  WAL + FULL single-row commit on the same disk as the baseline the issue quotes.
* **export**: ``quizbank results --json`` (and ``--csv``) for N submitted attempts of 50
  questions, written to /dev/null; ``quizbank verify`` over the same database.

The 40,000 attempts are recorded with ``Store.add_finished_attempts`` (scored and sealed
into the digest chain as a submission is, 2,000 to a transaction) rather than through
2 million durable answer commits, which would take half an hour and measure nothing new.
They share 2,000 papers; each paper is stored once either way, so sharing only saves
setup time. With ``--dir`` the databases are kept there (and the 40,000 reused); by
default they go to a temporary folder, which here is on the repository's disk.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quizbank.cli import main as quizbank
from quizbank.generator import PaperGenerator
from quizbank.loader import Library, load_library
from quizbank.models import Paper
from quizbank.roster import RosterEntry
from quizbank.scoring import Response
from quizbank.session import ExamSession
from quizbank.store import FinishedAttempt, Store
from synthetic_bank import write_synthetic

TZ = timezone(timedelta(hours=8))
ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def random_response(q: Any, rng: random.Random) -> Response:
    if rng.random() < 0.08:
        return None
    if q.type == "single":
        return rng.choice("ABCD")
    if q.type == "multiple":
        return "".join(sorted(rng.sample("ABCD", rng.randint(1, 3))))
    if q.type == "judge":
        return rng.random() < 0.5
    return [rng.choice([b[0], "不知道"]) for b in q.answer]


# ------------------------------------------------------------------ save latency
def save_latency(folder: Path, lib: Library, n: int) -> tuple[list[float], list[float]]:
    """``ExamSession.answer`` as the kiosk calls it, and a bare commit, interleaved.

    The bare commit is the floor: a one-row ``UPDATE`` in ``BEGIN IMMEDIATE``/``COMMIT``
    with WAL and ``synchronous=FULL`` and nothing else. Taking the two turn about means
    both see the same disk and the same machine load, which here moves more than either.
    """
    for old in folder.glob("latency*.db*"):
        old.unlink()
    bare = sqlite3.connect(folder / "latency-bare.db", isolation_level=None)
    bare.execute("PRAGMA journal_mode = WAL")
    bare.execute("PRAGMA synchronous = FULL")
    bare.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
    bare.executemany("INSERT INTO t VALUES (?, ?)", [(i, "") for i in range(50)])
    floor: list[float] = []
    ours: list[float] = []
    rng = random.Random(1)
    with Store.open(folder / "latency.db") as store:
        store.create_demo_roster()
        members = [m.member_id for m in store.members() if m.audience == "member"]
        while len(ours) < n:
            s = ExamSession.open(store, lib, members[len(ours) % len(members)], time_limit_s=36_000, rng=rng)
            for q in s.paper.questions:
                t = time.perf_counter()
                bare.execute("BEGIN IMMEDIATE")
                bare.execute("UPDATE t SET v = ? WHERE k = ?", (f"v{len(floor)}", q.no))
                bare.execute("COMMIT")
                floor.append(time.perf_counter() - t)
                r = random_response(q, rng)
                t = time.perf_counter()
                s.answer(q.no, r)
                ours.append(time.perf_counter() - t)
            s.submit()
    bare.close()
    return floor[:n], ours[:n]


# ------------------------------------------------------------------ 40,000 attempts
def populate(db: Path, lib: Library, attempts: int, papers: int = 2000, members: int = 1000) -> None:
    """``attempts`` submitted attempts with answers, scores and digests (``Store.add_finished_attempts``)."""
    rng = random.Random(7)
    branches = [f"第{i:02d}党支部" for i in range(1, 21)]
    entries = [
        RosterEntry(str(100000 + i), f"党员{i:04d}", branches[i % len(branches)], "正式党员", None, i + 2) for i in range(members)
    ]
    lb = lib.blueprint("member")
    gen = PaperGenerator(lb.blueprint, lib.questions, revisions=lib.revisions(), blueprint_key="member")
    drawn: list[Paper] = [gen.draw(s) for s in range(papers)]
    start = datetime(2024, 1, 1, 8, 0, tzinfo=TZ)
    with Store.open(db) as store:
        store.import_roster(entries, now=start)
        batch: list[FinishedAttempt] = []
        for i in range(attempts):
            paper = drawn[i % papers]
            started = start + timedelta(minutes=13 * i)
            batch.append(
                FinishedAttempt(
                    member_id=entries[i % members].member_id,
                    paper=paper,
                    started_at=started,
                    submitted_at=started + timedelta(minutes=rng.randint(10, 44)),
                    responses={q.no: random_response(q, rng) for q in paper.questions},
                )
            )
            if len(batch) == 2000:
                store.add_finished_attempts(batch)
                batch = []
        if batch:
            store.add_finished_attempts(batch)


@contextlib.contextmanager
def stdout_to_devnull() -> Iterator[None]:
    saved = sys.stdout
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            yield
        finally:
            sys.stdout = saved


def timed_cli(*argv: str) -> float:
    gc.collect()
    t = time.perf_counter()
    with stdout_to_devnull(), contextlib.redirect_stderr(open(os.devnull, "w", encoding="utf-8")):
        code = quizbank(list(argv))
    took = time.perf_counter() - t
    if code != 0:
        raise SystemExit(f"quizbank {' '.join(argv)} exited {code}")
    return took


# ------------------------------------------------------------------ main
def run(answers: int, attempts: int, folder: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    banks = write_synthetic(folder / "banks", 3000)
    lib = load_library(banks)

    def ms(xs: list[float]) -> str:
        return f"median {statistics.median(xs) * 1e3:.2f} ms, p99 {percentile(xs, 0.99) * 1e3:.2f} ms, max {max(xs) * 1e3:.1f} ms"

    floor, ours = save_latency(folder, lib, answers)
    rows.append((f"ExamSession.answer, {answers:,} saves", ms(ours)))
    rows.append(("bare WAL+FULL commit, same moments", ms(floor)))

    db = folder / f"results-{attempts}.db"
    if not db.exists():
        t = time.perf_counter()
        populate(db, lib, attempts)
        rows.append((f"populate {attempts:,} attempts (setup)", f"{time.perf_counter() - t:.1f} s"))
    size = sum(f.stat().st_size for f in folder.glob(db.name + "*"))
    rows.append(("database size", f"{size / 1e6:.0f} MB ({size / attempts / 1e3:.1f} kB an attempt)"))
    dt = timed_cli("results", "--json", "--db", str(db))
    rows.append((f"results --json, {attempts:,} attempts", f"{dt:.2f} s ({attempts / dt:,.0f} attempts/s)"))
    dt = timed_cli("results", "--csv", "--db", str(db))
    rows.append((f"results --csv, {attempts:,} attempts", f"{dt:.2f} s"))
    dt = timed_cli("verify", "--db", str(db))
    rows.append((f"verify, {attempts:,} attempts", f"{dt:.2f} s"))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000, help="saves to time")
    parser.add_argument("--attempts", type=int, default=40_000, help="attempts to export")
    parser.add_argument("--dir", type=Path, default=None, help="keep the databases here (default: a temporary folder)")
    args = parser.parse_args(argv if argv is not None else [])
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        rows = run(args.answers, args.attempts, args.dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            rows = run(args.answers, args.attempts, Path(tmp))
    width = max(len(r[0]) for r in rows)
    print("store (SQLite WAL, synchronous=FULL)")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
