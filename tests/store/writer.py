"""A kiosk stand-in run as a subprocess by the durability tests.

    python -m tests.store.writer kill  DB MEMBER FIRST_SEQ
    python -m tests.store.writer burst DB MEMBER N_ANSWERS START_AT

``kill``: answers questions forever (resuming the member's attempt, submitting now and then)
and prints one line per call that *returned*, flushed at once: ``A attempt no value`` for an
answer, ``S attempt`` for a submission. The parent kills it with SIGKILL at a random moment
and checks that everything printed is in the database. Values are ``v<seq>`` with a
sequence that only grows, so a later (unacknowledged) write to the same question can be
told from a lost one.

``burst``: waits until the wall clock reaches START_AT (so all writers start together),
then saves N answers, each to a different question (submitting a full paper and starting
the next), and prints how many it saved.
"""

from __future__ import annotations

import random
import sys
import time

from quizbank.session import ExamSession
from quizbank.store import Store

from .synth import make_library

LIMIT_S = 36_000


def _fill(session: ExamSession, no: int, value: str) -> None:
    q = session.paper.questions[no - 1]
    if q.type == "fill":
        assert isinstance(q.answer, tuple)
        session.answer(no, [value] * len(q.answer))
    elif q.type == "judge":
        session.answer(no, len(value) % 2 == 0)
    else:
        session.answer(no, "A")


def kill_loop(db: str, member: str, seq: int) -> None:
    lib = make_library()
    rng = random.Random(seq)
    out = sys.stdout
    with Store.open(db, busy_timeout_s=30) as store:
        while True:
            s = ExamSession.open(store, lib, member, time_limit_s=LIMIT_S, rng=rng)
            fills = [q.no for q in s.paper.questions if q.type == "fill"]
            for _ in range(rng.randint(5, 40)):
                no = rng.choice(fills)
                seq += 1
                value = f"v{seq}"
                _fill(s, no, value)
                out.write(f"A {s.attempt_id} {no} {value}\n")
                out.flush()
                if rng.random() < 0.1:
                    s.set_marked(rng.choice(fills), rng.random() < 0.5)
            s.submit()
            out.write(f"S {s.attempt_id}\n")
            out.flush()


def burst(db: str, member: str, n: int, start_at: float) -> None:
    lib = make_library()
    rng = random.Random(member)
    with Store.open(db, busy_timeout_s=60) as store:
        delay = start_at - time.time()
        if delay > 0:
            time.sleep(delay)
        saved = 0
        while saved < n:
            s = ExamSession.open(store, lib, member, time_limit_s=LIMIT_S, rng=rng)
            for q in s.paper.questions:
                if saved == n:
                    break
                _fill(s, q.no, f"{member}-{saved}")
                saved += 1
            if saved < n:
                s.submit()
    print(saved, flush=True)


def main(argv: list[str]) -> None:
    mode, db, member, *rest = argv
    if mode == "kill":
        kill_loop(db, member, int(rest[0]))
    elif mode == "burst":
        burst(db, member, int(rest[0]), float(rest[1]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
