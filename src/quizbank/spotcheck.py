"""Spot checks (抽考): sample members of a branch and give each a paper of their own.

Who is picked: active members of the branch, those tested least recently first, counting
the day of their latest attempt or spot-check paper (never tested comes first). Members
last tested on the same day, and everyone never tested, are equal; among equals the
seeded random draw decides. The same database and the same seed give the same sample and
the same papers, so a secretary can reproduce a list; without ``--seed`` one is drawn and
printed.

Each picked member gets a distinct paper drawn for them (their recent questions avoided)
and a pending assignment: at the kiosk their next attempt takes that paper. A newer spot
check replaces an older pending assignment. Everything is saved in one transaction.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from datetime import datetime

from .errors import InfeasibleError, NotFoundError
from .generator import PaperGenerator
from .loader import Library
from .models import Paper
from .session import Clock, now_local
from .store import Assignment, Member, Store

__all__ = ["SpotCheck", "run_spotcheck", "sample_members"]

_REDRAWS = 50


@dataclass(frozen=True)
class SpotCheck:
    """A recorded spot check: the members picked, in order, with their papers."""

    spotcheck_id: int
    branch: str
    blueprint: str
    seed: int
    assignments: list[Assignment]
    papers: dict[str, Paper]
    """paper_id → the paper, for printing."""
    members: dict[str, Member]
    """member_id → the member."""


def sample_members(candidates: list[tuple[Member, datetime | None]], sample: int, rng: random.Random) -> list[Member]:
    """The ``sample`` members tested least recently (by day), ties broken by ``rng``.

    Pure: the store supplies the candidates with their last-tested times.
    """
    tiebreak = {m.member_id: rng.random() for m, _ in sorted(candidates, key=lambda c: c[0].member_id)}

    def key(c: tuple[Member, datetime | None]) -> tuple[int, str, float]:
        m, last = c
        return (0, "", tiebreak[m.member_id]) if last is None else (1, last.date().isoformat(), tiebreak[m.member_id])

    return [m for m, _ in sorted(candidates, key=key)[:sample]]


def run_spotcheck(
    store: Store,
    library: Library,
    *,
    branch: str,
    sample: int,
    blueprint: str,
    seed: int | None = None,
    clock: Clock = now_local,
) -> SpotCheck:
    """Sample ``sample`` members of ``branch``, draw each a paper, record the assignments.

    Raises:
        NotFoundError: no such branch, or no such blueprint.
        InfeasibleError: the branch has fewer active members than ``sample``, or the banks
            cannot give that many distinct papers.
    """
    if sample <= 0:
        raise ValueError("sample must be positive")
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "big")
    candidates = store.spotcheck_candidates(branch)
    if not candidates:
        known = store.branches()
        if branch not in known:
            raise NotFoundError(f"no branch named {branch} (branches: {'、'.join(known) or 'none yet'})")
    if sample > len(candidates):
        raise InfeasibleError(f"{branch} has {len(candidates)} active members; cannot sample {sample}")
    lb = library.blueprint(blueprint)
    gen = PaperGenerator(lb.blueprint, library.questions, revisions=library.revisions(), blueprint_key=lb.key)
    rng = random.Random(f"quizbank-spotcheck:{seed}")
    chosen = sample_members(candidates, sample, rng)
    picks: list[tuple[str, Paper]] = []
    used: set[str] = set()
    for m in chosen:
        exclude = store.recent_question_ids(m.member_id, lb.blueprint.exclude_recent)
        for _ in range(_REDRAWS):
            paper = gen.draw(rng.getrandbits(32), exclude)
            if paper.paper_id not in used:
                break
        else:
            raise InfeasibleError(f"the banks cannot give {sample} different papers for blueprint {lb.key}")
        used.add(paper.paper_id)
        picks.append((m.member_id, paper))
    now = clock()
    sc_id, assignments = store.create_spotcheck(branch=branch, blueprint_key=lb.key, seed=seed, picks=picks, now=now)
    return SpotCheck(
        sc_id,
        branch,
        lb.key,
        seed,
        assignments,
        {p.paper_id: p for _, p in picks},
        {m.member_id: m for m in chosen},
    )
