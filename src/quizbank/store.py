"""The results store: roster, frozen papers, attempts, answers, spot checks, in SQLite.

This is the only module that speaks SQL. Several kiosk processes on one machine share one
database file, and a member's answer must never be lost once the screen said it was saved,
so the connection is set up for that:

* **WAL** journal: readers (``quizbank results`` while an exam runs) never block the
  kiosks, and a commit is one append to the log.
* **synchronous=FULL**: the log is fsynced at every commit, so a saved answer survives a
  power cut, not only a crashed process. Measured cost: well under the 2 ms p99 target
  (``scripts/bench_store.py``).
* **BEGIN IMMEDIATE** for every write, with a **busy timeout**: a writer takes the write
  lock before it reads, so two kiosks wait for each other instead of failing with
  "database is locked" (a deferred transaction that upgrades from read to write can fail
  without waiting). Every multi-row change (starting an attempt with its answer rows, a
  submit with its marks and digest, a roster import, a spot check) is one transaction.
* **foreign keys** on, and ``PRAGMA user_version`` for forward migrations, applied inside
  a write transaction so that two processes opening a new file do not both migrate it.

SQLite errors never reach the user as tracebacks: read-only files, a full disk, a lock
held too long, a damaged file become :class:`~quizbank.errors.StoreError` with a
sentence saying what happened and that what was saved before is intact (SQLite rolls the
failed transaction back; nothing half-written stays).

**Papers** are frozen as generated (:mod:`quizbank.paperjson`), but not as one JSON text
per paper: a paper is some 35 KB of mostly the same question texts, and 40,000 attempts
would make a 1.4 GB file. Each question *as shown* (stem, options in shown order, key,
explanation) is stored once under the SHA-256 of its canonical JSON, and a paper is its
header plus one small row per question. The paper's hash (``body_sha256``) covers its
header text and, per question, its place, points and content hash; reading a paper back
checks both levels, so nothing about it can change unnoticed, and checking costs a hash
of the stored texts rather than re-encoding every paper.

**Integrity.** When an attempt is submitted, a SHA-256 digest over the attempt, its
member, its paper's hash, every answer and mark, and the score is stored with it. The
digests form a chain (each includes the previous one, in submission order, numbered by
``seal_seq``), so :meth:`Store.verify` also notices an attempt deleted by hand. The digest
catches edits made behind the program's back (the ``sqlite3`` shell); it is not a
signature: someone who reads this code can recompute it.

**Marks vectors.** Sealing also stores, in the attempt's row, its marks as one small
binary value (``attempts.marks``, :data:`MARKS_RECORD`: per question its number, a key
for its bank id in ``question_keys``, its points and what it earned), so that
``quizbank report`` reads one value per attempt instead of one row per answer (40,000
values instead of 1.8 million rows for a year of a large section). It is derived from the
answer rows, which stay the record: the digest does not cover it, and :meth:`Store.verify`
checks that it agrees with them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import sqlite3
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from .errors import NotFoundError, StoreError

# The models, paper JSON, roster and scoring are imported by the methods that use them: the
# kiosk opens a store and reads the roster before its first frame, which must not wait for
# pydantic (``python -X importtime``).
if TYPE_CHECKING:
    from .models import Audience, Paper
    from .roster import RosterEntry
    from .scoring import Response, Score, Scorer

__all__ = [
    "MARKS_RECORD",
    "SCHEMA_VERSION",
    "AnswerRecord",
    "Assignment",
    "AttemptRecord",
    "FinishedAttempt",
    "LoginState",
    "MarkVectors",
    "Member",
    "RosterChanges",
    "Status",
    "Store",
    "VerifyReport",
    "decode_response",
    "encode_response",
    "marks_of",
    "responses_of",
]

Status = Literal["in_progress", "submitted", "expired"]
T = TypeVar("T")

SCHEMA_VERSION = 3
_APPLICATION_ID = 0x51424E4B  # "QBNK": marks the file as a quizbank database
_SEAL_VERSION = 2  # what _digest_of covers; see there
_PAGE = 500  # attempts per page when listing: bounded memory, no long read transaction

#: One question of an attempt's marks vector (``attempts.marks``), little-endian: its number on
#: the paper, the ``question_keys`` key of its bank id, its points, the points it earned
#: (NaN: none recorded). The vector holds the paper's questions in order.
MARKS_RECORD = struct.Struct("<iidd")

# Each migration is a list of statements run in one transaction (executescript would commit
# half-way), or functions of the connection for what SQL cannot say. Append new versions;
# never edit an old one.
_MIGRATIONS: list[list[str | Callable[[sqlite3.Connection], None]]] = [
    [
        """CREATE TABLE branches (
            branch_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        )""",
        """CREATE TABLE members (
            member_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            branch_id INTEGER NOT NULL REFERENCES branches(branch_id),
            category TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            pin_hash TEXT,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX members_branch ON members(branch_id)",
        """CREATE TABLE logins (
            member_id TEXT PRIMARY KEY REFERENCES members(member_id),
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            locked_until_ts REAL
        )""",
        """CREATE TABLE question_versions (
            qv_id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            body TEXT NOT NULL
        )""",
        """CREATE TABLE papers (
            paper_id TEXT PRIMARY KEY,
            blueprint TEXT NOT NULL,
            blueprint_key TEXT NOT NULL,
            seed TEXT NOT NULL,
            header TEXT NOT NULL,
            question_count INTEGER NOT NULL,
            body_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE paper_questions (
            paper_id TEXT NOT NULL REFERENCES papers(paper_id),
            no INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            qv_id INTEGER NOT NULL REFERENCES question_versions(qv_id),
            section INTEGER NOT NULL,
            points REAL NOT NULL,
            scoring TEXT NOT NULL,
            PRIMARY KEY (paper_id, no)
        ) WITHOUT ROWID""",
        "CREATE INDEX paper_questions_question ON paper_questions(question_id)",
        """CREATE TABLE spotchecks (
            spotcheck_id INTEGER PRIMARY KEY,
            branch_id INTEGER NOT NULL REFERENCES branches(branch_id),
            blueprint_key TEXT NOT NULL,
            seed TEXT NOT NULL,
            sample INTEGER NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE assignments (
            assignment_id INTEGER PRIMARY KEY,
            spotcheck_id INTEGER NOT NULL REFERENCES spotchecks(spotcheck_id),
            member_id TEXT NOT NULL REFERENCES members(member_id),
            paper_id TEXT NOT NULL REFERENCES papers(paper_id),
            assigned_at TEXT NOT NULL,
            assigned_ts REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'taken', 'superseded'))
        )""",
        "CREATE UNIQUE INDEX assignments_one_pending ON assignments(member_id) WHERE state = 'pending'",
        "CREATE INDEX assignments_member ON assignments(member_id, assigned_ts)",
        """CREATE TABLE attempts (
            attempt_id INTEGER PRIMARY KEY,
            member_id TEXT NOT NULL REFERENCES members(member_id),
            paper_id TEXT NOT NULL REFERENCES papers(paper_id),
            assignment_id INTEGER REFERENCES assignments(assignment_id),
            started_at TEXT NOT NULL,
            started_ts REAL NOT NULL,
            deadline TEXT NOT NULL,
            deadline_ts REAL NOT NULL,
            submitted_at TEXT,
            status TEXT NOT NULL DEFAULT 'in_progress' CHECK (status IN ('in_progress', 'submitted', 'expired')),
            score REAL,
            max_score REAL NOT NULL,
            passed INTEGER,
            seal_seq INTEGER UNIQUE,
            digest TEXT
        )""",
        # one unfinished attempt per member, whichever kiosk they walk up to
        "CREATE UNIQUE INDEX attempts_one_open ON attempts(member_id) WHERE status = 'in_progress'",
        "CREATE INDEX attempts_member ON attempts(member_id, started_ts)",
        "CREATE INDEX attempts_started ON attempts(started_ts)",
        """CREATE TABLE answers (
            attempt_id INTEGER NOT NULL REFERENCES attempts(attempt_id),
            no INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            response TEXT,
            marked INTEGER NOT NULL DEFAULT 0 CHECK (marked IN (0, 1)),
            answered_at TEXT,
            points_awarded REAL,
            PRIMARY KEY (attempt_id, no)
        ) WITHOUT ROWID""",
    ],
    # 2: an attempt counts for the branch the member was in when it started (a member who
    # transfers does not take their scores along), and the digest covers that branch.
    [
        "ALTER TABLE attempts ADD COLUMN branch_id INTEGER REFERENCES branches(branch_id)",
        "UPDATE attempts SET branch_id = (SELECT m.branch_id FROM members m WHERE m.member_id = attempts.member_id)",
        "ALTER TABLE attempts ADD COLUMN seal_version INTEGER",  # NULL: sealed by schema 1 (digest without branch)
    ],
    # 3: each sealed attempt keeps its marks as one value (see "Marks vectors" above), for reports;
    # question ids are numbered in question_keys so that the vector holds numbers, not text.
    [
        "CREATE TABLE question_keys (qk INTEGER PRIMARY KEY, question_id TEXT NOT NULL UNIQUE)",
        "ALTER TABLE attempts ADD COLUMN marks BLOB",  # NULL while in progress
        lambda c: _backfill_marks(c),
    ],
]


# ------------------------------------------------------------------ records
@dataclass(frozen=True)
class Member:
    """A roster entry."""

    member_id: str
    name: str
    branch: str
    category: str
    """正式党员, 预备党员, 发展对象, 支部书记, 挂职副书记 … (:data:`quizbank.roster.CATEGORIES`)."""
    active: bool
    """False once a roster import no longer lists the member; their history stays."""
    has_pin: bool
    audience: Audience
    """Which paper they take by default: ``secretary`` for 支部书记/挂职副书记, else ``member``."""


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One question of an attempt: what was answered and, once submitted, what it earned."""

    no: int
    id: str
    """The bank question id."""
    response: Response
    """As in :mod:`quizbank.scoring`; a fill answer is a tuple of strings; None when unanswered."""
    points_awarded: float | None
    """None until the attempt is submitted or expired."""
    marked: bool = False
    """Flagged for review (F3) at the kiosk."""

    @property
    def question_id(self) -> str:
        return self.id


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt: a row of ``quizbank results`` and what reports read."""

    attempt_id: int
    member_id: str
    name: str
    branch: str
    """The member's branch when the attempt started: a member who transfers leaves their scores behind."""
    category: str
    paper_id: str
    blueprint: str
    started_at: datetime
    deadline: datetime
    submitted_at: datetime | None
    status: Status
    score: float | None
    max_score: float
    passed: bool | None
    answers: list[AnswerRecord] = field(default_factory=list)
    """Every question of the paper in order (empty when listed ``with_answers=False``)."""
    assignment_id: int | None = None
    """The spot-check assignment this attempt took, if any."""
    digest: str | None = None
    """The integrity digest, set at submission."""


@dataclass(frozen=True)
class Assignment:
    """A spot-check paper assigned to a member."""

    assignment_id: int
    spotcheck_id: int
    member_id: str
    name: str
    paper_id: str
    assigned_at: datetime
    state: Literal["pending", "taken", "superseded"]


@dataclass(frozen=True)
class LoginState:
    """Wrong-PIN count and lock of one member (shared by every kiosk through the database)."""

    failures: int
    locked_until: datetime | None


@dataclass
class RosterChanges:
    """What a roster import did, by member ID."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    branches_added: list[str] = field(default_factory=list)


@dataclass
class VerifyReport:
    """What :meth:`Store.verify` checked and what it found wrong (empty ``problems``: all good)."""

    attempts: int = 0
    sealed: int = 0
    in_progress: int = 0
    papers: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class FinishedAttempt:
    """An attempt that already happened, for :meth:`Store.add_finished_attempts` (``quizbank simulate``)."""

    member_id: str
    paper: Paper
    started_at: datetime
    submitted_at: datetime
    """When it was handed in; for ``expired``, the deadline."""
    responses: dict[int, Response]
    """By question number; absent or None: not answered."""
    status: Literal["submitted", "expired"] = "submitted"


@dataclass(frozen=True)
class MarkVectors:
    """Marks vectors of attempts, as :meth:`Store.mark_vectors` reads them for a report."""

    attempt_ids: list[int]
    """The attempts asked for that have a vector, by id."""
    counts: list[int]
    """Questions in each of their vectors."""
    data: bytearray
    """Their vectors (:data:`MARKS_RECORD` records) one after another, in the same order."""
    missing: list[int]
    """Attempts asked for without one (in progress, or closed behind the program's back), by id."""
    questions: dict[int, str]
    """``question_keys``: key → bank question id."""


# ------------------------------------------------------------------ encoding
def encode_response(response: Response) -> str | None:
    """A response as compact JSON text; None for no answer."""
    if response is None:
        return None
    if isinstance(response, str | bool):
        return json.dumps(response, ensure_ascii=False)
    return json.dumps(list(response), ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=8192)
def decode_response(text: str | None) -> Response:
    """Stored JSON back to a response; fill answers come back as tuples (safe to share)."""
    if text is None:
        return None
    value = json.loads(text)
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str | bool):
        return value
    raise ValueError(f"not a response: {text}")


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="milliseconds")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _opt_dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


_QUESTION_KEYS = ("no", "section", "points", "scoring")


def _split_paper(paper: Paper) -> tuple[str, list[tuple[dict[str, Any], str, str]], str]:
    """A paper as stored: its header JSON, its questions as (per-paper fields, content JSON, content hash), its hash."""
    from .paperjson import paper_to_dict

    data = paper_to_dict(paper)
    questions = data.pop("questions")
    header = _canonical(data)
    out = []
    for q in questions:
        per = {k: q.pop(k) for k in _QUESTION_KEYS}
        content = _canonical(q)
        out.append((per, content, _sha(content)))
    return header, out, _paper_sha(header, [(p["no"], p["section"], p["points"], p["scoring"], sha) for p, _, sha in out])


def _paper_sha(header: str, rows: Sequence[tuple[Any, ...]]) -> str:
    """A paper's hash: its header text and, per question, its place, points and the hash of its content.

    Each question's content is hashed once when stored (``question_versions.sha256``), so
    checking a paper means hashing texts as they lie, not re-encoding 35 KB of JSON.
    """
    return _sha(header + "\n" + _canonical([list(r) for r in rows]))


# ------------------------------------------------------------------ errors
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED


def _primary_code(e: sqlite3.Error) -> int | None:
    code = getattr(e, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _is_busy(e: sqlite3.Error) -> bool:
    code = _primary_code(e)
    if code is not None:
        return code in _BUSY
    msg = str(e).lower()
    return "locked" in msg or "busy" in msg


def _reason(e: sqlite3.Error) -> str:
    code = _primary_code(e)
    msg = str(e).lower()
    if code == 8 or "readonly" in msg or "read-only" in msg:
        return "read_only"
    if code == 13 or "disk is full" in msg or "disk full" in msg:
        return "disk_full"
    if (code in _BUSY) or "locked" in msg or "busy" in msg:
        return "locked"
    if code in (11, 26) or "malformed" in msg or "not a database" in msg:
        return "corrupt"
    if code == 14 or "unable to open" in msg:
        return "cannot_open"
    if code == 10 or "i/o" in msg:
        return "io"
    return "other"


# ------------------------------------------------------------------ the store
def _attempt_filter(
    where: list[str], branch: str | None, since: datetime | None, until: datetime | None, member_id: str | None = None
) -> tuple[list[str], list[Any]]:
    """WHERE terms and parameters for attempts of a branch / member started in [since, until)."""
    params: list[Any] = []
    for term, value in (
        ("b.name = ?", branch),
        ("a.member_id = ?", member_id),
        ("a.started_ts >= ?", since.timestamp() if since is not None else None),
        ("a.started_ts < ?", until.timestamp() if until is not None else None),
    ):
        if value is not None:
            where.append(term)
            params.append(value)
    return where, params


class Store:
    """One open quizbank database. Thread-safe (one lock around the one connection).

    Open with :meth:`open`, use as a context manager or call :meth:`close`.
    """

    def __init__(self, conn: sqlite3.Connection, path: str, busy_timeout_s: float) -> None:
        self._conn = conn
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._lock = threading.RLock()
        self._papers: dict[str, Paper] = {}

    # -------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, busy_timeout_s: float = 30.0) -> Store:
        """Open (or with ``create``, create) the database at ``path`` and bring its schema up to date.

        Raises:
            NotFoundError: ``create`` is False and there is no database at ``path``.
            StoreError: the file cannot be opened, is not a quizbank database, is from a
                newer quizbank, or needs an upgrade but is read-only.
        """
        where = str(path)
        p = Path(path)
        memory = where == ":memory:"
        if not memory and not create and not p.exists():
            raise NotFoundError(
                f"{where}: no database here; create one with `quizbank roster import FILE` or `quizbank roster demo`"
            )
        if not memory and p.is_dir():
            raise StoreError(f"{where}: is a folder, not a database file", reason="cannot_open", path=where)
        uri = "file::memory:" if memory else p.absolute().as_uri() + ("?mode=rwc" if create else "?mode=rw")
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as e:
            raise _store_error(e, where, "the database could not be opened") from None
        store = cls(conn, where, busy_timeout_s)
        try:
            store._setup(memory, create)
        except BaseException:
            conn.close()
            raise
        return store

    def _setup(self, memory: bool, create: bool) -> None:
        conn = self._conn
        deadline = time.monotonic() + self.busy_timeout_s
        while True:
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA synchronous = FULL")
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if not memory and str(mode).lower() != "wal":
                    try:
                        conn.execute("PRAGMA journal_mode = WAL").fetchone()
                    except sqlite3.OperationalError as e:
                        if _reason(e) != "read_only":
                            raise
                        # a read-only file can still be read; writes will say why they fail
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                break
            except sqlite3.Error as e:
                if _is_busy(e) and time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
                raise _store_error(e, self.path, "the database could not be opened") from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: the database was written by a newer quizbank (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade quizbank",
                reason="schema",
                path=self.path,
            )
        if version == 0:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise StoreError(f"{self.path}: is an SQLite file but not a quizbank database", reason="schema", path=self.path)
            if not create:
                raise NotFoundError(f"{self.path}: the database is empty; create it with `quizbank roster import FILE`")
        else:
            app = conn.execute("PRAGMA application_id").fetchone()[0]
            if app != _APPLICATION_ID:
                raise StoreError(f"{self.path}: is an SQLite file but not a quizbank database", reason="schema", path=self.path)
        if version < SCHEMA_VERSION:
            self._tx(self._migrate, "the database upgrade")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        # re-read under the write lock: another process may have migrated meanwhile
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for v in range(version, SCHEMA_VERSION):
            for statement in _MIGRATIONS[v]:
                if isinstance(statement, str):
                    conn.execute(statement)
                else:
                    statement(conn)
            conn.execute(f"PRAGMA user_version = {v + 1}")
        if version == 0:
            conn.execute(f"PRAGMA application_id = {_APPLICATION_ID}")

    def close(self) -> None:
        """Close the connection (the last one out checkpoints the WAL into the file)."""
        with self._lock, contextlib.suppress(sqlite3.Error):  # closing never loses committed data
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]))

    # -------------------------------------------------------------- transactions
    def _tx(self, fn: Callable[[sqlite3.Connection], T], what: str) -> T:
        """Run ``fn`` in one write transaction (BEGIN IMMEDIATE … COMMIT), durably.

        ``what`` names what is being saved, for the error message. Lock waits longer than
        the busy timeout, and any SQLite failure, become :class:`StoreError` after a
        rollback: either all of ``fn``'s changes are saved or none.
        """
        return self._transaction("BEGIN IMMEDIATE", fn, f"{what} was not saved")

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` in one read transaction (a consistent snapshot)."""
        return self._transaction("BEGIN", fn, "nothing")

    def _transaction(self, begin: str, fn: Callable[[sqlite3.Connection], T], failed: str) -> T:
        """Run ``fn`` between ``begin`` and COMMIT, waiting out other writers up to the busy timeout."""
        with self._lock:
            conn = self._conn
            deadline = time.monotonic() + self.busy_timeout_s
            while True:
                try:
                    conn.execute(begin)
                    result = fn(conn)
                    conn.execute("COMMIT")
                    return result
                except sqlite3.Error as e:
                    self._rollback()
                    if _is_busy(e) and time.monotonic() < deadline:
                        time.sleep(0.005)
                        continue
                    raise _store_error(e, self.path, failed) from None
                except BaseException:
                    self._rollback()
                    raise

    def _rollback(self) -> None:
        if self._conn.in_transaction:
            # SQLite may have rolled back already (after SQLITE_FULL at commit): nothing to undo then
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    # -------------------------------------------------------------- roster
    _MEMBER_SQL = (
        "SELECT m.member_id, m.name, b.name, m.category, m.active, m.pin_hash IS NOT NULL "
        "FROM members m JOIN branches b USING (branch_id)"
    )

    @staticmethod
    def _member(row: Sequence[Any]) -> Member:
        from .roster import audience_of

        return Member(row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]), audience_of(row[3]))

    def member(self, member_id: str) -> Member:
        """The member with this 编号 (active or not).

        Raises:
            NotFoundError: nobody on the roster has this ID.
        """
        row = self._read(lambda c: c.execute(self._MEMBER_SQL + " WHERE m.member_id = ?", (member_id,)).fetchone())
        if row is None:
            raise NotFoundError(f"no member with ID {member_id} on the roster")
        return self._member(row)

    def members(self, branch: str | None = None, *, include_inactive: bool = False) -> list[Member]:
        """Members by ID, of one branch or all; active ones only unless asked."""
        sql = self._MEMBER_SQL + " WHERE (? IS NULL OR b.name = ?)"
        if not include_inactive:
            sql += " AND m.active = 1"
        rows = self._read(lambda c: c.execute(sql + " ORDER BY m.member_id", (branch, branch)).fetchall())
        return [self._member(r) for r in rows]

    def branches(self, *, include_inactive: bool = False) -> list[str]:
        """Branches that have at least one active member, by name.

        With ``include_inactive``, also branches that only ever had members now inactive or
        attempts taken there: a report on a past period may need a branch since dissolved.
        """
        sql = "SELECT DISTINCT b.name FROM branches b JOIN members m USING (branch_id) WHERE m.active = 1"
        if include_inactive:
            sql = (
                "SELECT name FROM branches WHERE branch_id IN (SELECT branch_id FROM members "
                "UNION SELECT branch_id FROM attempts WHERE branch_id IS NOT NULL)"
            )
        rows = self._read(lambda c: c.execute(sql + " ORDER BY 1").fetchall())
        return [r[0] for r in rows]

    def verify_pin(self, member_id: str, pin: str) -> bool:
        """True when ``pin`` is the member's PIN, or the member has none (scrypt, constant time)."""
        row = self._read(lambda c: c.execute("SELECT pin_hash FROM members WHERE member_id = ?", (member_id,)).fetchone())
        if row is None:
            raise NotFoundError(f"no member with ID {member_id} on the roster")
        from .roster import check_pin

        return row[0] is None or check_pin(pin, row[0])

    def import_roster(self, entries: Sequence[RosterEntry], *, now: datetime | None = None) -> RosterChanges:
        """Make the roster what ``entries`` say, in one transaction.

        New IDs are added; known ones updated (and made active again); active members the
        entries do not list become inactive and keep their history. A blank 口令 keeps the
        member's current PIN, so a re-import from a sheet without the column wipes nothing.
        """
        stamp = _iso(now or datetime.now().astimezone())
        from .roster import hash_pin

        hashes = {e.member_id: hash_pin(e.pin) for e in entries if e.pin}  # slow (scrypt): outside the lock

        def run(c: sqlite3.Connection) -> RosterChanges:
            changes = RosterChanges()
            branch_ids = {name: bid for bid, name in c.execute("SELECT branch_id, name FROM branches")}
            for e in entries:
                if e.branch not in branch_ids:
                    cur = c.execute("INSERT INTO branches (name) VALUES (?)", (e.branch,))
                    branch_ids[e.branch] = int(cur.lastrowid or 0)
                    changes.branches_added.append(e.branch)
            current = {
                r[0]: r[1:] for r in c.execute("SELECT member_id, name, branch_id, category, active, pin_hash FROM members")
            }
            listed = set()
            for e in entries:
                listed.add(e.member_id)
                bid = branch_ids[e.branch]
                pin = hashes.get(e.member_id)
                old = current.get(e.member_id)
                if old is None:
                    c.execute(
                        "INSERT INTO members (member_id, name, branch_id, category, active, pin_hash, updated_at) "
                        "VALUES (?, ?, ?, ?, 1, ?, ?)",
                        (e.member_id, e.name, bid, e.category, pin, stamp),
                    )
                    changes.added.append(e.member_id)
                elif old[:4] == (e.name, bid, e.category, 1) and pin is None:
                    changes.unchanged.append(e.member_id)
                else:
                    c.execute(
                        "UPDATE members SET name = ?, branch_id = ?, category = ?, active = 1, "
                        "pin_hash = COALESCE(?, pin_hash), updated_at = ? WHERE member_id = ?",
                        (e.name, bid, e.category, pin, stamp, e.member_id),
                    )
                    changes.updated.append(e.member_id)
            for mid, old in current.items():
                if mid not in listed and old[3] == 1:
                    c.execute("UPDATE members SET active = 0, updated_at = ? WHERE member_id = ?", (stamp, mid))
                    changes.deactivated.append(mid)
            return changes

        return self._tx(run, "the roster")

    def create_demo_roster(self, now: datetime | None = None) -> int:
        """Three branches of ten (IDs 1001–1030) when the roster is empty; returns how many were made.

        机关党总支 1001–1010, 一车间党支部 1011–1020, 二车间党支部 1021–1030. 1001, 1011 and
        1021 are 支部书记, 1030 is 挂职副书记 (they take the secretary paper); 1010 has the
        PIN 1234 so the PIN screen can be tried; nobody else has a PIN. Does nothing when the
        database already has members, so ``kiosk --demo`` never touches a real roster.
        """
        if self._read(lambda c: c.execute("SELECT count(*) FROM members").fetchone()[0]):
            return 0
        from .roster import DEMO_ROSTER, RosterEntry

        entries = [RosterEntry(mid, name, branch, cat, pin, i + 2) for i, (mid, name, branch, cat, pin) in enumerate(DEMO_ROSTER)]
        return len(self.import_roster(entries, now=now).added)

    # -------------------------------------------------------------- login lockout
    def login_state(self, member_id: str) -> LoginState:
        row = self._read(
            lambda c: c.execute("SELECT failures, locked_until FROM logins WHERE member_id = ?", (member_id,)).fetchone()
        )
        if row is None:
            return LoginState(0, None)
        return LoginState(int(row[0]), _opt_dt(row[1]))

    def record_login_failure(self, member_id: str, now: datetime, *, max_tries: int, lock_s: float) -> LoginState:
        """Count one wrong PIN (atomically, across kiosks); lock at ``max_tries``."""
        now_ts = now.timestamp()

        def run(c: sqlite3.Connection) -> LoginState:
            row = c.execute("SELECT failures, locked_until_ts FROM logins WHERE member_id = ?", (member_id,)).fetchone()
            failures = 0 if row is None or (row[1] is not None and row[1] <= now_ts) else int(row[0])
            failures += 1
            until: datetime | None = None
            if failures >= max_tries:
                until = now + timedelta(seconds=lock_s)
            c.execute(
                "INSERT INTO logins (member_id, failures, locked_until, locked_until_ts) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (member_id) DO UPDATE SET failures = excluded.failures, "
                "locked_until = excluded.locked_until, locked_until_ts = excluded.locked_until_ts",
                (member_id, failures, None if until is None else _iso(until), None if until is None else until.timestamp()),
            )
            return LoginState(failures, until)

        return self._tx(run, "the login attempt")

    def reset_login_failures(self, member_id: str) -> None:
        self._tx(lambda c: c.execute("DELETE FROM logins WHERE member_id = ?", (member_id,)), "the login")

    # -------------------------------------------------------------- papers
    def save_paper(self, paper: Paper, *, now: datetime | None = None) -> None:
        """Store a paper frozen as generated; a paper already stored under its id is left as it is."""
        self._tx(lambda c: self._insert_paper(c, paper, now), f"paper {paper.paper_id}")
        self._remember(paper)

    def _remember(self, paper: Paper) -> None:
        """Cache a paper known to be stored (papers never change, so the cache never goes stale)."""
        if len(self._papers) > 512:
            self._papers.clear()
        self._papers[paper.paper_id] = paper

    def _insert_paper(self, c: sqlite3.Connection, paper: Paper, now: datetime | None) -> None:
        if c.execute("SELECT 1 FROM papers WHERE paper_id = ?", (paper.paper_id,)).fetchone():
            return
        header, questions, body_sha = _split_paper(paper)
        c.execute(
            "INSERT INTO papers (paper_id, blueprint, blueprint_key, seed, header, question_count, body_sha256, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                paper.paper_id,
                paper.blueprint,
                paper.blueprint_key,
                str(paper.seed),
                header,
                len(questions),
                body_sha,
                _iso(now or datetime.now().astimezone()),
            ),
        )
        rows = []
        for (per, content, sha), q in zip(questions, paper.questions, strict=True):
            c.execute("INSERT OR IGNORE INTO question_versions (sha256, body) VALUES (?, ?)", (sha, content))
            qv = c.execute("SELECT qv_id FROM question_versions WHERE sha256 = ?", (sha,)).fetchone()[0]
            rows.append((paper.paper_id, per["no"], q.id, qv, per["section"], per["points"], per["scoring"]))
        c.executemany(
            "INSERT INTO paper_questions (paper_id, no, question_id, qv_id, section, points, scoring) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def paper(self, paper_id: str) -> Paper:
        """The paper as it was frozen when generated.

        Raises:
            NotFoundError: no paper with this id is stored.
            StoreError: the stored paper no longer matches its hash (edited by hand).
        """
        cached = self._papers.get(paper_id)
        if cached is not None:
            return cached
        paper, _, _ = self._read(lambda c: self._load_paper(c, paper_id))
        if paper is None:
            raise StoreError(
                f"{self.path}: paper {paper_id} was changed after it was saved (its hash does not match); run `quizbank verify`",
                reason="corrupt",
                path=self.path,
            )
        self._remember(paper)
        return paper

    @staticmethod
    def _load_paper(c: sqlite3.Connection, paper_id: str) -> tuple[Paper | None, str, str]:
        """The paper (None if it fails its hash), the hash it has now, and the hash stored when it was saved.

        A paper that fails its hash is never turned into a :class:`Paper`: edited by hand,
        it may not even be a valid one.
        """
        row = c.execute("SELECT header, body_sha256 FROM papers WHERE paper_id = ?", (paper_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no paper {paper_id} in the database")
        header, stored = row
        rows = c.execute(
            "SELECT pq.no, pq.section, pq.points, pq.scoring, qv.sha256, qv.body FROM paper_questions pq "
            "JOIN question_versions qv USING (qv_id) WHERE pq.paper_id = ? ORDER BY pq.no",
            (paper_id,),
        ).fetchall()
        intact = all(_sha(body) == sha for *_, sha, body in rows)
        sha = _paper_sha(header, [(no, section, _num(points), scoring, qsha) for no, section, points, scoring, qsha, _ in rows])
        if not intact or sha != stored:
            return None, sha if intact else "", stored
        data = json.loads(header)
        questions = []
        for no, section, points, scoring, _, body in rows:
            q = json.loads(body)
            q.update(no=no, section=section, points=_num(points), scoring=scoring)
            questions.append(q)
        data["questions"] = questions
        from .paperjson import paper_from_json

        return paper_from_json(data), sha, stored

    def recent_question_ids(self, member_id: str, n_papers: int) -> set[str]:
        """Question ids of the member's last ``n_papers`` papers: attempts and spot-check assignments."""
        if n_papers <= 0:
            return set()
        rows = self._read(
            lambda c: c.execute(
                "SELECT DISTINCT question_id FROM paper_questions WHERE paper_id IN ("
                " SELECT paper_id FROM ("
                "  SELECT paper_id, started_ts AS ts FROM attempts WHERE member_id = ?"
                "  UNION ALL SELECT paper_id, assigned_ts FROM assignments WHERE member_id = ? AND state != 'superseded'"
                " ) GROUP BY paper_id ORDER BY max(ts) DESC LIMIT ?)",
                (member_id, member_id, n_papers),
            ).fetchall()
        )
        return {r[0] for r in rows}

    # -------------------------------------------------------------- attempts
    def open_attempt_id(self, member_id: str) -> int | None:
        """The member's unfinished attempt, if any."""
        row = self._read(
            lambda c: c.execute(
                "SELECT attempt_id FROM attempts WHERE member_id = ? AND status = 'in_progress'", (member_id,)
            ).fetchone()
        )
        return None if row is None else int(row[0])

    def start_attempt(
        self,
        member_id: str,
        paper: Paper,
        *,
        started_at: datetime,
        deadline: datetime,
        assignment_id: int | None = None,
    ) -> tuple[int, bool]:
        """Start an attempt at ``paper`` (saving the paper too), in one transaction.

        Returns ``(attempt_id, True)``, or ``(id, False)`` with the member's unfinished
        attempt when another kiosk started one first: one open attempt per member.
        An ``assignment_id`` that is no longer pending is not taken (the attempt still starts).
        """

        def run(c: sqlite3.Connection) -> tuple[int, bool]:
            row = c.execute(
                "SELECT attempt_id FROM attempts WHERE member_id = ? AND status = 'in_progress'", (member_id,)
            ).fetchone()
            if row is not None:
                return int(row[0]), False
            self._insert_paper(c, paper, started_at)
            assignment = assignment_id
            if assignment is not None:
                cur = c.execute(
                    "UPDATE assignments SET state = 'taken' WHERE assignment_id = ? AND member_id = ? AND state = 'pending'",
                    (assignment, member_id),
                )
                if cur.rowcount != 1:
                    assignment = None
            cur = c.execute(
                "INSERT INTO attempts (member_id, paper_id, assignment_id, started_at, started_ts, deadline, deadline_ts, "
                "max_score, branch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT branch_id FROM members WHERE member_id = ?))",
                (
                    member_id,
                    paper.paper_id,
                    assignment,
                    _iso(started_at),
                    started_at.timestamp(),
                    _iso(deadline),
                    deadline.timestamp(),
                    paper.total_points,
                    member_id,
                ),
            )
            attempt_id = int(cur.lastrowid or 0)
            c.executemany(
                "INSERT INTO answers (attempt_id, no, question_id) VALUES (?, ?, ?)",
                [(attempt_id, q.no, q.id) for q in paper.questions],
            )
            return attempt_id, True

        result = self._tx(run, "the new attempt")
        if result[1]:
            self._remember(paper)
        return result

    def save_answer(self, attempt_id: int, no: int, response: Response, *, now: datetime) -> Status:
        """Save one answer durably; returns ``in_progress`` when saved.

        The answer is saved only while the attempt is in progress and before its deadline;
        otherwise nothing changes and the attempt's status is returned (``in_progress``
        with a passed deadline comes back as ``expired``) so the session can close it.
        """
        text = encode_response(response)
        stamp, ts = _iso(now), now.timestamp()

        def run(c: sqlite3.Connection) -> Status:
            cur = c.execute(
                "UPDATE answers SET response = ?, answered_at = ? WHERE attempt_id = ? AND no = ? AND EXISTS ("
                "SELECT 1 FROM attempts WHERE attempt_id = ? AND status = 'in_progress' AND deadline_ts > ?)",
                (text, stamp, attempt_id, no, attempt_id, ts),
            )
            if cur.rowcount == 1:
                return "in_progress"
            return self._why_not(c, attempt_id, no)

        return self._tx(run, f"the answer to question {no}")

    def set_marked(self, attempt_id: int, no: int, marked: bool) -> Status:
        """Flag or unflag a question for review; same rules as :meth:`save_answer`."""

        def run(c: sqlite3.Connection) -> Status:
            cur = c.execute(
                "UPDATE answers SET marked = ? WHERE attempt_id = ? AND no = ? AND EXISTS ("
                "SELECT 1 FROM attempts WHERE attempt_id = ? AND status = 'in_progress')",
                (int(marked), attempt_id, no, attempt_id),
            )
            return "in_progress" if cur.rowcount == 1 else self._why_not(c, attempt_id, no)

        return self._tx(run, f"the mark on question {no}")

    @staticmethod
    def _why_not(c: sqlite3.Connection, attempt_id: int, no: int) -> Status:
        row = c.execute("SELECT status FROM attempts WHERE attempt_id = ?", (attempt_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no attempt {attempt_id}")
        if row[0] == "in_progress":
            if c.execute("SELECT 1 FROM answers WHERE attempt_id = ? AND no = ?", (attempt_id, no)).fetchone() is None:
                raise NotFoundError(f"attempt {attempt_id} has no question {no}")
            return "expired"
        status: Status = row[0]
        return status

    def finish_attempt(
        self, attempt_id: int, *, status: Literal["submitted", "expired"], submitted_at: datetime
    ) -> tuple[Status, Score]:
        """Submit (or expire) an attempt: score it, store the marks and the digest, in one transaction.

        Returns the attempt's status afterwards and its score. Idempotent: an attempt already
        closed (by this kiosk or another) is left as it is, and its stored answers are scored
        again for the caller.
        """

        from .scoring import Scorer

        def run(c: sqlite3.Connection) -> tuple[Status, Score]:
            row = c.execute(
                "SELECT a.status, a.paper_id FROM attempts a WHERE a.attempt_id = ?",
                (attempt_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(f"no attempt {attempt_id}")
            paper = self._papers.get(row[1]) or self._load_paper(c, row[1])[0]
            if paper is None:
                raise StoreError(
                    f"{self.path}: paper {row[1]} was changed after it was saved; run `quizbank verify`",
                    reason="corrupt",
                    path=self.path,
                )
            answers = c.execute("SELECT no, response FROM answers WHERE attempt_id = ? ORDER BY no", (attempt_id,)).fetchall()
            score = Scorer(paper).score({no: decode_response(r) for no, r in answers})
            if row[0] != "in_progress":
                return row[0], score
            c.executemany(
                "UPDATE answers SET points_awarded = ? WHERE attempt_id = ? AND no = ?",
                [(_points(m.awarded), attempt_id, m.no) for m in score.marks],
            )
            c.execute(
                "UPDATE attempts SET status = ?, submitted_at = ?, score = ?, passed = ? WHERE attempt_id = ?",
                (status, _iso(submitted_at), score.score, int(score.passed), attempt_id),
            )
            self._seal(c, attempt_id)
            return status, score

        return self._tx(run, f"attempt {attempt_id}'s submission")

    def expire_overdue(self, now: datetime) -> list[int]:
        """Close as expired every unfinished attempt whose deadline has passed; their ids.

        Whoever notices a passed deadline first closes the attempt: the kiosk's timer, the
        next login, or a ``quizbank results`` run, so that exports show final states.
        """
        rows = self._read(
            lambda c: c.execute(
                "SELECT attempt_id, deadline FROM attempts WHERE status = 'in_progress' AND deadline_ts <= ?",
                (now.timestamp(),),
            ).fetchall()
        )
        for attempt_id, deadline in rows:
            self.finish_attempt(attempt_id, status="expired", submitted_at=_parse(deadline))
        return [r[0] for r in rows]

    # -------------------------------------------------------------- the digest chain
    def _seal(self, c: sqlite3.Connection, attempt_id: int) -> None:
        last = c.execute("SELECT seal_seq, digest FROM attempts WHERE seal_seq = (SELECT max(seal_seq) FROM attempts)").fetchone()
        seq, prev = (1, "") if last is None else (int(last[0]) + 1, str(last[1]))
        digest = _digest(c, attempt_id, seq, prev)
        c.execute(
            "INSERT OR IGNORE INTO question_keys (question_id) SELECT question_id FROM answers WHERE attempt_id = ?",
            (attempt_id,),
        )
        rows = c.execute(f"{_MARKS_SQL} WHERE ans.attempt_id = ? ORDER BY ans.no", (attempt_id,)).fetchall()
        c.execute(
            "UPDATE attempts SET seal_seq = ?, digest = ?, seal_version = ?, marks = ? WHERE attempt_id = ?",
            (seq, digest, _SEAL_VERSION, _marks_vector(rows), attempt_id),
        )

    # -------------------------------------------------------------- listing
    _ATTEMPT_SQL = (
        "SELECT a.attempt_id, a.member_id, m.name, b.name, m.category, a.paper_id, p.blueprint, a.started_at, "
        "a.deadline, a.submitted_at, a.status, a.score, a.max_score, a.passed, a.assignment_id, a.digest "
        "FROM attempts a JOIN members m USING (member_id) JOIN branches b ON b.branch_id = coalesce(a.branch_id, m.branch_id) "
        "JOIN papers p ON p.paper_id = a.paper_id"
    )

    def attempts(
        self,
        *,
        branch: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        member_id: str | None = None,
        with_answers: bool = True,
    ) -> Iterator[AttemptRecord]:
        """Attempts in the order they were started, filtered.

        ``since`` ≤ started < ``until``. Read in pages, each in its own snapshot, so a long
        export neither holds memory for every attempt nor keeps a read transaction open
        while the caller works; the caller may use the store between items. Pages follow
        the ``(started, id)`` index from where the last one ended, so a time filter costs
        one pass, not one per page.
        """
        where, params = _attempt_filter(["(a.started_ts, a.attempt_id) > (?, ?)"], branch, since, until, member_id)
        sql = (
            f"{self._ATTEMPT_SQL.replace(' FROM attempts a ', ', a.started_ts FROM attempts a ', 1)} "
            f"WHERE {' AND '.join(where)} ORDER BY a.started_ts, a.attempt_id LIMIT {_PAGE}"
        )

        def page(c: sqlite3.Connection, args: list[Any]) -> tuple[list[AttemptRecord], tuple[float, int]]:
            rows = c.execute(sql, args).fetchall()
            return self._records(c, rows, with_answers), (rows[-1][-1], rows[-1][0]) if rows else (0.0, 0)

        after: tuple[float, int] = (float("-inf"), 0)
        while True:
            args = [*after, *params]
            records, after = self._read(lambda c, args=args: page(c, args))  # type: ignore[misc]
            yield from records
            if len(records) < _PAGE:
                return

    def _attempt_page(self, c: sqlite3.Connection, sql: str, params: list[Any], with_answers: bool) -> list[AttemptRecord]:
        return self._records(c, c.execute(sql, params).fetchall(), with_answers)

    @staticmethod
    def _records(c: sqlite3.Connection, rows: list[Any], with_answers: bool) -> list[AttemptRecord]:
        """Attempt records from rows of ``_ATTEMPT_SQL`` (extra trailing columns ignored), answers read in one query."""
        answers: dict[int, list[AnswerRecord]] = {}
        if with_answers and rows:
            wanted = {r[0] for r in rows}
            lo, hi = min(wanted), max(wanted)
            for aid, no, qid, resp, pts, marked in c.execute(
                "SELECT attempt_id, no, question_id, response, points_awarded, marked FROM answers "
                "WHERE attempt_id BETWEEN ? AND ? ORDER BY attempt_id, no",
                (lo, hi),
            ):
                if aid in wanted:
                    answers.setdefault(aid, []).append(AnswerRecord(no, qid, decode_response(resp), pts, bool(marked)))
        return [
            AttemptRecord(
                attempt_id=aid,
                member_id=mid,
                name=name,
                branch=branch,
                category=category,
                paper_id=pid,
                blueprint=blueprint,
                started_at=_parse(started),
                deadline=_parse(deadline),
                submitted_at=_opt_dt(submitted),
                status=status,
                score=score,
                max_score=max_score,
                passed=None if passed is None else bool(passed),
                answers=answers.get(aid, []),
                assignment_id=assignment,
                digest=digest,
            )
            for (aid, mid, name, branch, category, pid, blueprint, started, deadline, submitted, status, score, max_score,
                 passed, assignment, digest) in (r[:16] for r in rows)
        ]  # fmt: skip

    def attempt(self, attempt_id: int) -> AttemptRecord:
        """One attempt with its answers and marks.

        Raises:
            NotFoundError: no such attempt.
        """
        sql = f"{self._ATTEMPT_SQL} WHERE a.attempt_id = ? AND a.attempt_id > ?"
        page = self._read(lambda c: self._attempt_page(c, sql, [attempt_id, 0], True))
        if not page:
            raise NotFoundError(f"no attempt {attempt_id}")
        return page[0]

    def last_tested(self, branch: str | None = None) -> dict[str, datetime]:
        """Member ID → start of their latest attempt (members never tested are absent)."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT a.member_id, a.started_at FROM attempts a JOIN members m USING (member_id) "
                "JOIN branches b USING (branch_id) WHERE (? IS NULL OR b.name = ?) AND a.started_ts = "
                "(SELECT max(started_ts) FROM attempts x WHERE x.member_id = a.member_id)",
                (branch, branch),
            ).fetchall()
        )
        return {r[0]: _parse(r[1]) for r in rows}

    # -------------------------------------------------------------- bulk writes (simulate)
    def add_finished_attempts(self, attempts: Sequence[FinishedAttempt]) -> list[int]:
        """Record attempts that already happened — paper, answers, marks, submission — in one transaction.

        For ``quizbank simulate``: the kiosk path commits every answer durably on its own,
        right for a member at a terminal and far too slow for 40,000 attempts. Each attempt
        is scored by the same :class:`Scorer` and sealed into the digest chain as
        :meth:`finish_attempt` does, so :meth:`verify` accepts the result. Returns the new ids.
        """
        from .scoring import Scorer

        def run(c: sqlite3.Connection) -> list[int]:
            ids = []
            for fa in attempts:
                paper = fa.paper
                self._insert_paper(c, paper, fa.started_at)
                score = Scorer(paper).score(fa.responses)
                deadline = fa.started_at + timedelta(seconds=paper.time_limit_s)
                cur = c.execute(
                    "INSERT INTO attempts (member_id, paper_id, started_at, started_ts, deadline, deadline_ts, submitted_at, "
                    "status, score, max_score, passed, branch_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT branch_id FROM members WHERE member_id = ?))",
                    (
                        fa.member_id,
                        paper.paper_id,
                        _iso(fa.started_at),
                        fa.started_at.timestamp(),
                        _iso(deadline),
                        deadline.timestamp(),
                        _iso(fa.submitted_at),
                        fa.status,
                        score.score,
                        paper.total_points,
                        int(score.passed),
                        fa.member_id,
                    ),
                )
                aid = int(cur.lastrowid or 0)
                stamp = _iso(fa.submitted_at)
                c.executemany(
                    "INSERT INTO answers (attempt_id, no, question_id, response, answered_at, points_awarded) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (aid, m.no, m.id, encode_response(r := fa.responses.get(m.no)), stamp if r is not None else None,
                         _points(m.awarded))
                        for m in score.marks
                    ],
                )  # fmt: skip
                self._seal(c, aid)
                ids.append(aid)
            return ids

        return self._tx(run, f"{len(attempts)} attempts")

    def count_attempts(self, *, excluding_blueprint_key_prefix: str | None = None) -> int:
        """How many attempts the database holds, leaving out those on papers whose blueprint key has the prefix.

        ``quizbank simulate`` marks its papers' blueprint key ``simulated:…`` and asks this
        to refuse a database that holds real attempts.
        """
        if excluding_blueprint_key_prefix is None:
            return int(self._read(lambda c: c.execute("SELECT count(*) FROM attempts").fetchone()[0]))
        prefix = excluding_blueprint_key_prefix
        return int(
            self._read(
                lambda c: c.execute(
                    "SELECT count(*) FROM attempts a JOIN papers p USING (paper_id) WHERE substr(p.blueprint_key, 1, ?) != ?",
                    (len(prefix), prefix),
                ).fetchone()[0]
            )
        )

    # -------------------------------------------------------------- bulk reads (reports)
    def finished_attempts(
        self, *, since: datetime | None = None, until: datetime | None = None, branch: str | None = None
    ) -> list[AttemptRecord]:
        """Submitted and expired attempts started in [``since``, ``until``), without answers, by id.

        What ``quizbank report`` reads: one query in one snapshot. (:meth:`attempts` pages by
        id, and with a time filter each page re-reads the whole range, which for a year of
        40,000 attempts costs seconds.)
        """
        where, params = _attempt_filter(["a.status != 'in_progress'"], branch, since, until)
        sql = f"{self._ATTEMPT_SQL} WHERE {' AND '.join(where)} ORDER BY a.attempt_id"
        return self._read(lambda c: self._attempt_page(c, sql, params, False))

    def answer_marks(
        self, attempt_ids: Sequence[int], *, chunk: int = 2000
    ) -> Iterator[tuple[int, int, str, float, float | None]]:
        """``(attempt_id, no, question_id, points, points_awarded)`` for every question of these attempts.

        The item analysis of ``quizbank report`` reads 1.8 million of these for a year of a
        large section: plain tuples, read ``chunk`` attempts at a time (each chunk in its own
        snapshot, so neither memory nor a read transaction grows with the database), grouped
        by attempt, in question order within an attempt.
        """
        ids = sorted(set(attempt_ids))
        sql = (
            "SELECT ans.attempt_id, ans.no, ans.question_id, pq.points, ans.points_awarded "
            "FROM attempts a JOIN answers ans ON ans.attempt_id = a.attempt_id "
            "JOIN paper_questions pq ON pq.paper_id = a.paper_id AND pq.no = ans.no "
            "WHERE a.attempt_id BETWEEN ? AND ? ORDER BY ans.attempt_id, ans.no"
        )
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            wanted = set(part)
            bounds = (part[0], part[-1])
            rows: list[tuple[int, int, str, float, float | None]] = self._read(
                lambda c: c.execute(sql, bounds).fetchall()  # noqa: B023 - called at once, in this iteration
            )
            if part[-1] - part[0] + 1 == len(part):
                yield from rows  # a run of consecutive ids: nothing else in the range
            else:
                yield from (r for r in rows if r[0] in wanted)

    def mark_vectors(self, attempt_ids: Sequence[int]) -> MarkVectors:
        """The marks vectors of these attempts (see "Marks vectors" above), in one snapshot.

        What ``quizbank report`` reads instead of :meth:`answer_marks`: one value per attempt.
        """
        ids = sorted(set(attempt_ids))

        def run(c: sqlite3.Connection) -> MarkVectors:
            found: list[int] = []
            counts: list[int] = []
            data = bytearray()  # one buffer, not 40,000 small ones and a copy
            size = MARKS_RECORD.size
            if ids:
                wanted = set(ids)
                every = ids[-1] - ids[0] + 1 == len(ids)
                for aid, vector in c.execute(
                    "SELECT attempt_id, marks FROM attempts WHERE attempt_id BETWEEN ? AND ? AND marks IS NOT NULL "
                    "ORDER BY attempt_id",
                    (ids[0], ids[-1]),
                ):
                    if every or aid in wanted:
                        found.append(aid)
                        counts.append(len(vector) // size)
                        data += vector
            have = set(found)
            keys = dict(c.execute("SELECT qk, question_id FROM question_keys").fetchall()) if found else {}
            return MarkVectors(found, counts, data, [i for i in ids if i not in have], keys)

        return self._read(run)

    def question_outlines(self, question_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Question id → ``type``, ``topic``, ``difficulty``, ``stem`` as frozen on a paper that holds it.

        For the item analysis, which names each question: one index probe per id instead of
        reading every paper. Papers agree on these unless the bank text was edited between
        them; then one of the versions is shown.
        """

        def run(c: sqlite3.Connection) -> dict[str, dict[str, Any]]:
            out: dict[str, dict[str, Any]] = {}
            for qid in question_ids:
                row = c.execute(
                    "SELECT qv.body FROM paper_questions pq JOIN question_versions qv USING (qv_id) "
                    "WHERE pq.question_id = ? LIMIT 1",
                    (qid,),
                ).fetchone()
                if row is not None:
                    body = json.loads(row[0])
                    out[qid] = {k: body.get(k) for k in ("type", "topic", "difficulty", "stem")}
            return out

        return self._read(run)

    # -------------------------------------------------------------- spot checks
    def spotcheck_candidates(self, branch: str) -> list[tuple[Member, datetime | None]]:
        """Active members of ``branch`` with the last time they were tested or given a spot-check paper."""
        sql = (
            "SELECT (SELECT max(ts) FROM ("
            "  SELECT started_ts AS ts FROM attempts WHERE member_id = m.member_id UNION ALL"
            "  SELECT assigned_ts FROM assignments WHERE member_id = m.member_id AND state != 'superseded')),"
            " m.member_id, m.name, b.name, m.category, m.active, m.pin_hash IS NOT NULL"
            " FROM members m JOIN branches b USING (branch_id) WHERE b.name = ? AND m.active = 1 ORDER BY m.member_id"
        )
        rows = self._read(lambda c: c.execute(sql, (branch,)).fetchall())
        tz = datetime.now().astimezone().tzinfo
        return [(self._member(r[1:]), None if r[0] is None else datetime.fromtimestamp(r[0], tz)) for r in rows]

    def create_spotcheck(
        self,
        *,
        branch: str,
        blueprint_key: str,
        seed: int,
        picks: Sequence[tuple[str, Paper]],
        now: datetime,
    ) -> tuple[int, list[Assignment]]:
        """Record a spot check: its papers and one pending assignment per member, in one transaction.

        A member's earlier pending assignment is superseded (one pending paper per member).
        """
        stamp, ts = _iso(now), now.timestamp()

        def run(c: sqlite3.Connection) -> tuple[int, list[Assignment]]:
            row = c.execute("SELECT branch_id FROM branches WHERE name = ?", (branch,)).fetchone()
            if row is None:
                raise NotFoundError(f"no branch named {branch}")
            cur = c.execute(
                "INSERT INTO spotchecks (branch_id, blueprint_key, seed, sample, created_at) VALUES (?, ?, ?, ?, ?)",
                (row[0], blueprint_key, str(seed), len(picks), stamp),
            )
            sc_id = int(cur.lastrowid or 0)
            out = []
            for member_id, paper in picks:
                self._insert_paper(c, paper, now)
                c.execute("UPDATE assignments SET state = 'superseded' WHERE member_id = ? AND state = 'pending'", (member_id,))
                cur = c.execute(
                    "INSERT INTO assignments (spotcheck_id, member_id, paper_id, assigned_at, assigned_ts) VALUES (?, ?, ?, ?, ?)",
                    (sc_id, member_id, paper.paper_id, stamp, ts),
                )
                name = c.execute("SELECT name FROM members WHERE member_id = ?", (member_id,)).fetchone()[0]
                out.append(Assignment(int(cur.lastrowid or 0), sc_id, member_id, name, paper.paper_id, now, "pending"))
            return sc_id, out

        return self._tx(run, "the spot check")

    def pending_assignment(self, member_id: str) -> Assignment | None:
        """The member's spot-check paper not yet taken, if any."""
        row = self._read(
            lambda c: c.execute(
                "SELECT s.assignment_id, s.spotcheck_id, s.member_id, m.name, s.paper_id, s.assigned_at, s.state "
                "FROM assignments s JOIN members m USING (member_id) WHERE s.member_id = ? AND s.state = 'pending'",
                (member_id,),
            ).fetchone()
        )
        if row is None:
            return None
        return Assignment(row[0], row[1], row[2], row[3], row[4], _parse(row[5]), row[6])

    # -------------------------------------------------------------- verify
    def verify(self) -> VerifyReport:
        """Check the whole database: SQLite's own checks, every paper's hash, every score and digest.

        Reads in one snapshot. Each problem names the attempt (and member) it concerns.
        """
        return self._read(self._verify)

    def _verify(self, c: sqlite3.Connection) -> VerifyReport:
        from .scoring import Scorer

        rep = VerifyReport()
        result = [r[0] for r in c.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            rep.problems += [f"database: {r}" for r in result[:20]]
        for table, rowid, parent, _ in c.execute("PRAGMA foreign_key_check").fetchall()[:20]:
            rep.problems.append(f"database: {table} row {rowid} refers to a missing {parent} row")

        # papers are read when an attempt needs them, through a small cache: a database of
        # 40,000 attempts has as many papers, too many to hold at once
        paper_sha: dict[str, str] = {}
        cache: dict[str, tuple[Paper, Scorer] | None] = {}

        def load(pid: str) -> tuple[Paper, Scorer] | None:
            if pid in cache:
                return cache[pid]
            entry: tuple[Paper, Scorer] | None = None
            try:
                paper, sha, _ = self._load_paper(c, pid)
            except NotFoundError:
                paper = None
            else:
                paper_sha[pid] = sha
                if paper is None:
                    rep.problems.append(f"paper {pid}: its questions or key were changed after it was saved")
                else:
                    entry = (paper, Scorer(paper))
            if len(cache) >= 256:
                cache.pop(next(iter(cache)))
            cache[pid] = entry
            return entry

        prev_digest, expected_seq, prev_attempt = "", 1, None
        keys = {qid: qk for qk, qid in c.execute("SELECT qk, question_id FROM question_keys")}
        rows = c.execute(
            "SELECT a.attempt_id, a.member_id, a.paper_id, p.body_sha256, a.assignment_id, a.started_at, a.deadline, "
            "a.submitted_at, a.status, a.score, a.max_score, a.passed, a.branch_id, a.seal_seq, a.digest, a.seal_version, "
            "a.marks FROM attempts a LEFT JOIN papers p USING (paper_id) ORDER BY a.seal_seq IS NULL, a.seal_seq, a.attempt_id"
        ).fetchall()
        for row in rows:
            aid, mid, pid, _, _, _, _, _, status, score, max_score, passed, _, seq, digest, version, vector = row
            rep.attempts += 1
            who = f"attempt {aid} (member {mid})"
            loaded = load(pid)
            if loaded is None:
                what = "was changed after it was saved" if pid in paper_sha else "is missing"
                rep.problems.append(f"{who}: its paper {pid} {what}")
                continue
            paper, scorer = loaded
            answers = c.execute(
                "SELECT no, question_id, response, marked, points_awarded FROM answers WHERE attempt_id = ? ORDER BY no",
                (aid,),
            ).fetchall()
            if [(a[0], a[1]) for a in answers] != [(q.no, q.id) for q in paper.questions]:
                rep.problems.append(f"{who}: its answer rows do not match the questions of paper {pid}")
                continue
            if status == "in_progress":
                rep.in_progress += 1
                if seq is not None or digest is not None:
                    rep.problems.append(f"{who}: is in progress but carries a submission digest (reopened by hand?)")
                elif vector is not None:
                    rep.problems.append(f"{who}: is in progress but carries a marks vector (reopened by hand?)")
                continue
            if seq is None or digest is None:
                rep.problems.append(f"{who}: is {status} but has no digest (closed by hand?)")
                continue
            rep.sealed += 1
            try:
                responses = {a[0]: decode_response(a[2]) for a in answers}
            except ValueError:
                rep.problems.append(f"{who}: a stored answer is not a valid response")
                continue
            total = scorer.total(responses)
            again = round(float(total), 2)
            if score is None or abs(again - score) > 1e-9 or bool(passed) != (total >= scorer.paper.pass_mark):
                rep.problems.append(f"{who}: the stored score is {_fmt(score)} but its answers score {_fmt(again)}")
            elif abs(max_score - float(paper.total_points)) > 1e-9:
                rep.problems.append(f"{who}: the stored maximum {_fmt(max_score)} is not the paper's {_fmt(paper.total_points)}")
            if seq != expected_seq:
                gap = f"seal {expected_seq}" if seq == expected_seq + 1 else f"seals {expected_seq}–{seq - 1}"
                after = f"after attempt {prev_attempt}" if prev_attempt is not None else "before it"
                rep.problems.append(f"{who}: {gap} missing: an attempt submitted {after} and before this one was deleted")
            sealed_row = [*row[:3], paper_sha[pid], *row[4:13]]
            if _digest_of(sealed_row, answers, seq, prev_digest, version or 1) != digest:
                # say which mark is off when one is: the most useful line for whoever looks into it
                for m, a in zip(scorer.score(responses).marks, answers, strict=True):
                    if a[4] is None or abs(_points(m.awarded) - a[4]) > 1e-9:
                        rep.problems.append(
                            f"{who}: question {a[0]} is stored as {_fmt(a[4])} points but earns {_fmt(_points(m.awarded))}"
                        )
                        break
                rep.problems.append(
                    f"{who}: its digest does not match: the attempt, its answers, its score or its paper were changed"
                )
            expected = [(a[0], keys.get(a[1], -1), float(q.points), a[4]) for a, q in zip(answers, paper.questions, strict=True)]
            if vector != _marks_vector(expected):
                rep.problems.append(
                    f"{who}: its marks vector (what reports read) does not match its answers: changed by hand?"
                    " (`quizbank report` would not show what the answers say)"
                )
            prev_digest, expected_seq, prev_attempt = digest, seq + 1, aid
        for (pid,) in c.execute("SELECT paper_id FROM papers").fetchall():
            rep.papers += 1
            if pid not in paper_sha:
                load(pid)
        return rep


# ------------------------------------------------------------------ helpers
#: What a marks vector is made of: (no, key, points, awarded) of each question of an attempt.
_MARKS_SQL = (
    "SELECT ans.no, k.qk, pq.points, ans.points_awarded FROM answers ans "
    "JOIN attempts a ON a.attempt_id = ans.attempt_id "
    "JOIN paper_questions pq ON pq.paper_id = a.paper_id AND pq.no = ans.no "
    "JOIN question_keys k ON k.question_id = ans.question_id"
)


def _marks_vector(rows: Sequence[Sequence[Any]]) -> bytes:
    """An attempt's marks vector from its ``(no, key, points, awarded)`` rows in question order."""
    pack = MARKS_RECORD.pack
    return b"".join(pack(no, qk, points, math.nan if got is None else got) for no, qk, points, got in rows)


def _backfill_marks(c: sqlite3.Connection, chunk: int = 2000) -> None:
    """Schema 3: the marks vector of every attempt sealed before it, from its answer rows.

    Read ``chunk`` attempts at a time so that memory does not grow with the database.
    """
    c.execute("INSERT OR IGNORE INTO question_keys (question_id) SELECT DISTINCT question_id FROM answers ORDER BY 1")
    ids = [r[0] for r in c.execute("SELECT attempt_id FROM attempts WHERE seal_seq IS NOT NULL ORDER BY attempt_id")]
    sql = f"{_MARKS_SQL.replace('SELECT ', 'SELECT ans.attempt_id, ', 1)} WHERE ans.attempt_id BETWEEN ? AND ? ORDER BY 1, 2"
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        wanted = set(part)
        rows: dict[int, list[tuple[Any, ...]]] = {aid: [] for aid in part}
        for r in c.execute(sql, (part[0], part[-1])).fetchall():
            if r[0] in wanted:
                rows[r[0]].append(r[1:])
        c.executemany("UPDATE attempts SET marks = ? WHERE attempt_id = ?", [(_marks_vector(v), a) for a, v in rows.items()])


def _digest(c: sqlite3.Connection, attempt_id: int, seq: int, prev: str) -> str:
    """The SHA-256 sealing an attempt as it is stored now (see :func:`_digest_of`), current version."""
    row = c.execute(
        "SELECT a.attempt_id, a.member_id, a.paper_id, p.body_sha256, a.assignment_id, a.started_at, a.deadline, "
        "a.submitted_at, a.status, a.score, a.max_score, a.passed, a.branch_id FROM attempts a "
        "LEFT JOIN papers p USING (paper_id) WHERE a.attempt_id = ?",
        (attempt_id,),
    ).fetchone()
    answers = c.execute(
        "SELECT no, question_id, response, marked, points_awarded FROM answers WHERE attempt_id = ? ORDER BY no",
        (attempt_id,),
    ).fetchall()
    return _digest_of(list(row), answers, seq, prev, _SEAL_VERSION)


def _digest_of(attempt: Sequence[Any], answers: Sequence[Sequence[Any]], seq: int, prev: str, version: int) -> str:
    """SHA-256 over an attempt's row (with its paper's hash), every answer and mark, chained to ``prev``.

    ``attempt`` is the row of :func:`_digest` (id, member, paper, paper hash, assignment,
    times, status, score, maximum, passed, branch). Version 1 (schema 1) did not cover the
    branch; an attempt keeps the version it was sealed with (``seal_version``), so
    upgrading the schema never breaks an old seal.

    When sealing, the paper's hash is the one recorded when it was saved; :meth:`Store.verify`
    puts in the hash of the paper as it reads back now, so an edited paper fails the digest
    of every attempt that sat it.
    """
    row = list(attempt[:12]) if version == 1 else list(attempt[:13])
    payload = {"v": version, "seq": seq, "prev": prev, "attempt": row, "answers": [list(r) for r in answers]}
    return _sha(_canonical(payload))


def _store_error(e: sqlite3.Error, path: str, lost: str) -> StoreError:
    """A sentence for the person at the kiosk or the command line, not SQLite's jargon."""
    reason = _reason(e)
    kept = "Everything saved before is intact."
    if reason == "read_only":
        text = f"{path}: the database is read-only (check the file's and folder's permissions, or the disk); {lost}. {kept}"
    elif reason == "disk_full":
        text = f"{path}: the disk is full; {lost}. {kept} Free some space and try again."
    elif reason == "locked":
        text = f"{path}: the database stayed busy (locked by another program) for too long; {lost}. {kept} Try again."
    elif reason == "corrupt":
        text = f"{path}: is not a quizbank database or is damaged ({e}); {lost}."
    elif reason == "cannot_open":
        text = f"{path}: the database file cannot be opened or created (does the folder exist, may we write there?)"
    elif reason == "io":
        text = f"{path}: a disk error ({e}); {lost}. {kept}"
    else:
        text = f"{path}: database error ({e}); {lost}."
    return StoreError(text, reason=reason, path=path)


def _points(x: Any) -> float:
    return round(float(x), 4)


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _fmt(x: float | None) -> str:
    if x is None:
        return "nothing"
    return f"{x:g}"


def _short(e: Exception) -> str:
    text = str(e).splitlines()[0] if str(e) else type(e).__name__
    return text[:120]


def responses_of(record: AttemptRecord) -> dict[int, Response]:
    """The answered questions of an attempt record, keyed by question number."""
    return {a.no: a.response for a in record.answers if a.response is not None}


def marks_of(record: AttemptRecord) -> set[int]:
    return {a.no for a in record.answers if a.marked}
