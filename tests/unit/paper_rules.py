"""An independent statement of what a valid paper is, used as the tests' oracle.

Written without the generator's cells and bounds: a paper is valid when each section has
its count of questions of its type, every topic rule and difficulty target holds, no two
questions share a group, and every question is eligible.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction

from quizbank.models import Blueprint, Question, topic_matches


def eligible(bp: Blueprint, questions: Sequence[Question]) -> list[Question]:
    return [q for q in questions if not q.retired and bp.audience in q.audience]


def fits_section(bp: Blueprint, si: int, q: Question) -> bool:
    sec = bp.sections[si]
    return q.type == sec.type and (sec.topic is None or topic_matches(q.topic, sec.topic))


def violations(bp: Blueprint, questions: Sequence[Question], chosen: Sequence[Sequence[Question]]) -> list[str]:
    """Every rule the per-section choice breaks (empty: a valid paper)."""
    out: list[str] = []
    ok_ids = {q.id for q in eligible(bp, questions)}
    flat = [q for sec in chosen for q in sec]
    if len({q.id for q in flat}) != len(flat):
        out.append("a question twice")
    groups = [q.group for q in flat if q.group is not None]
    if len(set(groups)) != len(groups):
        out.append("two questions of one group")
    for si, qs in enumerate(chosen):
        if len(qs) != bp.sections[si].count:
            out.append(f"section {si} has {len(qs)}")
        for q in qs:
            if q.id not in ok_ids:
                out.append(f"{q.id} not eligible")
            if not fits_section(bp, si, q):
                out.append(f"{q.id} does not fit section {si}")
    total = sum(Fraction(str(s.points)) * s.count for s in bp.sections)
    for rule in bp.topics:
        pts = sum(
            Fraction(str(bp.sections[si].points))
            for si, qs in enumerate(chosen)
            for q in qs
            if topic_matches(q.topic, rule.topic)
        )
        n = sum(1 for q in flat if topic_matches(q.topic, rule.topic))
        if rule.min_share is not None and pts < Fraction(str(rule.min_share)) * total:
            out.append(f"{rule.topic} share")
        if rule.max_share is not None and pts > Fraction(str(rule.max_share)) * total:
            out.append(f"{rule.topic} max share")
        if rule.min_count is not None and n < rule.min_count:
            out.append(f"{rule.topic} count")
        if rule.max_count is not None and n > rule.max_count:
            out.append(f"{rule.topic} max count")
    if bp.difficulty:
        n_all = len(flat)
        for d, share in bp.difficulty.items():
            target = Fraction(str(share)) * n_all
            n = sum(1 for q in flat if q.difficulty == d)
            if not (math.ceil(target - 1) <= n <= math.floor(target + 1)):
                out.append(f"difficulty {d}: {n} vs {float(target)}")
    return out


def all_papers(bp: Blueprint, questions: Sequence[Question]) -> Iterator[list[list[Question]]]:
    """Every valid question choice (brute force; small banks only)."""
    pool = eligible(bp, questions)

    def rec(si: int, used: set[str]) -> Iterator[list[list[Question]]]:
        if si == len(bp.sections):
            yield []
            return
        cands = [q for q in pool if q.id not in used and fits_section(bp, si, q)]
        for combo in itertools.combinations(cands, bp.sections[si].count):
            for rest in rec(si + 1, used | {q.id for q in combo}):
                yield [list(combo), *rest]

    for choice in rec(0, set()):
        if not violations(bp, questions, choice):
            yield choice
