"""Drawing papers: blueprint + banks + seed (+ recently seen questions) → a frozen paper.

The draw is a constrained selection, solved exactly in two levels:

1. **Counts per cell.** Eligible questions fall into cells: (section, topic class,
   difficulty), where the topic class says which topic rules a question counts for. Every
   blueprint constraint is linear in the number of questions taken from each cell, so the
   first level is a small integer programme over a few dozen variables. A depth-first
   search assigns the cells one by one; each value is first tried where a uniform random
   draw would have put it (a hypergeometric sample), so where the constraints do not bind
   the result is distributed as a plain random draw. Per-section bounds on every constraint
   prune the search; it is exhaustive, so if any allocation exists it is found.
2. **Questions per cell.** Within a cell every question is equally likely: ``n`` are
   sampled uniformly. Groups (questions that give each other away) and questions that fit
   two sections make that a matching problem; when the quick sample collides, a
   bipartite b-matching (groups → cells) decides exactly, and if it fails the search goes
   back to level 1 for the next allocation.

Papers per second matter (a spot check draws one per member, the benchmark thousands),
so level-1 allocations are memoised in a fixed number of *slots*: the seed picks a slot,
and each slot's allocation is a pure function of the slot number and the banks. A paper
is therefore still a pure function of (blueprint, banks, seed, exclusions).

Recently seen questions are excluded when possible; if that leaves no paper, the draw
is repeated without the exclusion and the paper says so (``relaxed_exclusions``).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from .errors import InfeasibleError
from .models import (
    LETTERS,
    Blueprint,
    Difficulty,
    Key,
    Paper,
    PaperQuestion,
    Question,
    topic_matches,
)

__all__ = ["PaperGenerator", "generate_paper"]

_SLOTS = 128
_SEARCH_LIMIT = 200_000
_TYPE_NAMES = {"single": "单选", "multiple": "多选", "judge": "判断", "fill": "填空"}


@dataclass
class _Constraint:
    label: str
    lo: int
    hi: int
    weight: list[int]
    """Per section: the contribution of one matching question."""
    matches: list[bool]
    """Per cell: does the cell count towards this constraint."""


@dataclass
class _Cell:
    section: int
    klass: tuple[bool, ...]
    difficulty: Difficulty
    members: list[int]
    """Indices into the eligible question list, in id order."""


class PaperGenerator:
    """Draws papers for one blueprint from one set of questions.

    Build it once (indexing the bank costs a pass over it) and call :meth:`draw` per paper.
    """

    def __init__(
        self,
        blueprint: Blueprint,
        questions: Sequence[Question],
        *,
        revisions: dict[str, str] | None = None,
        blueprint_key: str = "",
    ) -> None:
        self.blueprint = blueprint
        self.blueprint_key = blueprint_key
        self.revisions = dict(revisions or {})
        bp = blueprint
        eligible = sorted(
            (q for q in questions if not q.retired and bp.audience in q.audience),
            key=lambda q: q.id,
        )
        self.questions = eligible
        self._position = {q.id: i for i, q in enumerate(eligible)}
        self.groups = [q.group if q.group is not None else "#" + q.id for q in eligible]
        self._digest = _content_digest(bp, eligible)

        # integer points: scale so every section's points and every share threshold is whole
        fr = [Fraction(str(s.points)) for s in bp.sections]
        scale = math.lcm(*(f.denominator for f in fr))
        self._scale = scale
        self._wpoints = [int(f * scale) for f in fr]
        total = sum(f * s.count for f, s in zip(fr, bp.sections, strict=True))
        self._total = total

        self._cells: list[_Cell] = []
        index: dict[tuple[int, tuple[bool, ...], str], int] = {}
        self._cells_of_question: list[list[int]] = [[] for _ in eligible]
        for qi, q in enumerate(eligible):
            klass = tuple(topic_matches(q.topic, r.topic) for r in bp.topics)
            for si, sec in enumerate(bp.sections):
                if q.type != sec.type or (sec.topic is not None and not topic_matches(q.topic, sec.topic)):
                    continue
                key = (si, klass, q.difficulty)
                ci = index.get(key)
                if ci is None:
                    ci = index[key] = len(self._cells)
                    self._cells.append(_Cell(si, klass, q.difficulty, []))
                self._cells[ci].members.append(qi)
                self._cells_of_question[qi].append(ci)
        # search order: by section, so the section's remaining count tightens as it goes
        self._order_by_section: list[list[int]] = [[] for _ in bp.sections]
        for ci, c in enumerate(self._cells):
            self._order_by_section[c.section].append(ci)
        self._constraints = self._build_constraints()
        self._slot_cache: dict[int, list[int] | None] = {}

    # ------------------------------------------------------------------ constraints
    def _build_constraints(self) -> list[_Constraint]:
        bp = self.blueprint
        n_sections = len(bp.sections)
        cons: list[_Constraint] = []
        total_q = sum(s.count for s in bp.sections)
        scaled_total = self._total * self._scale
        for ri, rule in enumerate(bp.topics):
            matches = [c.klass[ri] for c in self._cells]
            if rule.min_share is not None or rule.max_share is not None:
                lo = math.ceil(Fraction(str(rule.min_share)) * scaled_total) if rule.min_share is not None else 0
                hi = math.floor(Fraction(str(rule.max_share)) * scaled_total) if rule.max_share is not None else int(scaled_total)
                cons.append(_Constraint(f"topics[{ri}] {rule.topic} points", lo, hi, list(self._wpoints), matches))
            if rule.min_count is not None or rule.max_count is not None:
                lo = rule.min_count or 0
                hi = rule.max_count if rule.max_count is not None else total_q
                cons.append(_Constraint(f"topics[{ri}] {rule.topic} count", lo, hi, [1] * n_sections, matches))
        if bp.difficulty:
            for d, share in bp.difficulty.items():
                target = Fraction(str(share)) * total_q
                lo = max(0, math.ceil(target - 1))
                hi = math.floor(target + 1)
                matches = [c.difficulty == d for c in self._cells]
                cons.append(_Constraint(f"difficulty {d}", lo, hi, [1] * n_sections, matches))
        return cons

    # ------------------------------------------------------------------ public API
    def draw(self, seed: int, exclude: Collection[str] = ()) -> Paper:
        """The paper for ``seed``, avoiding the question ids in ``exclude`` where possible."""
        excluded = {self._position[qid] for qid in exclude if qid in self._position} if exclude else set()
        picks = None
        relaxed = False
        if excluded:
            picks = self._select(seed, excluded)
            relaxed = picks is None
        if picks is None:
            picks = self._select(seed, set())
        if picks is None:
            raise InfeasibleError(f"blueprint '{self.blueprint.name}' cannot be met by the banks", self.explain())
        return self._freeze(seed, picks, relaxed)

    def feasible(self) -> bool:
        """Whether any paper meets the blueprint (exact)."""
        return self._select(0, set()) is not None

    def explain(self) -> list[str]:
        """Why no paper can be drawn: each constraint that fails alone, with its numbers."""
        bp = self.blueprint
        reasons: list[str] = []
        avail = [len(c.members) for c in self._cells]
        for si, sec in enumerate(bp.sections):
            have = len({qi for ci in self._order_by_section[si] for qi in self._cells[ci].members})
            if have < sec.count:
                where = f" in {sec.topic}" if sec.topic else ""
                reasons.append(
                    f"sections[{si}]: asked {sec.count} {sec.type} ({_TYPE_NAMES[sec.type]}){where} questions "
                    f"for audience {bp.audience}, the banks hold {have}"
                )
        rem = [s.count for s in bp.sections]
        for con in self._constraints:
            lo, hi = _bounds(con, self._cells, avail, rem, [True] * len(self._cells), self._order_by_section, bp)
            unit = "points" if con.label.endswith("points") else "questions"
            div = self._scale if unit == "points" else 1
            if hi < con.lo:
                reasons.append(f"{con.label}: needs at least {_fmt(con.lo, div)} {unit}, the banks allow at most {_fmt(hi, div)}")
            if lo > con.hi:
                reasons.append(
                    f"{con.label}: allows at most {_fmt(con.hi, div)} {unit}, the sections force at least {_fmt(lo, div)}"
                )
        n_groups = len(set(self.groups))
        total_q = sum(s.count for s in bp.sections)
        if n_groups < total_q:
            reasons.append(f"groups: a paper of {total_q} questions needs {total_q} distinct groups, the banks hold {n_groups}")
        if not reasons:
            reasons.append("each constraint can be met alone, but no paper meets all of them together")
        return reasons

    def papers_log10(self) -> float | None:
        """Roughly how many distinct papers the blueprint allows (log10 of a lower bound).

        Counts the question sets of one feasible allocation, ignoring groups; order and
        option shuffles would multiply it further.
        """
        alloc = self._allocation_for_slot(0)
        if alloc is None:
            return None
        total = 0.0
        for ci, n in enumerate(alloc):
            if n:
                total += math.log10(math.comb(len(self._cells[ci].members), n))
        return total

    # ------------------------------------------------------------------ level 1
    def _allocation_for_slot(self, slot: int) -> list[int] | None:
        if slot not in self._slot_cache:
            rng = random.Random(f"{self._digest}:slot:{slot}")
            avail = [len(c.members) for c in self._cells]
            alloc = self._repair_search(rng, avail)
            if alloc is None:
                alloc = next(self._allocations(rng, avail), None)
            self._slot_cache[slot] = alloc
        return self._slot_cache[slot]

    def _random_allocation(self, rng: random.Random, avail: list[int]) -> list[int] | None:
        """What a uniform draw per section would give, ignoring all other constraints."""
        alloc = [0] * len(self._cells)
        for si, sec in enumerate(self.blueprint.sections):
            ids = self._order_by_section[si]
            pool = sum(avail[ci] for ci in ids)
            if pool < sec.count:
                return None
            left = sec.count
            for ci in ids:
                k = _hypergeometric(rng, left, pool, avail[ci])
                alloc[ci] = k
                left -= k
                pool -= avail[ci]
        return alloc

    def _repair_search(self, rng: random.Random, avail: list[int], restarts: int = 8, steps: int = 400) -> list[int] | None:
        """Start from a uniform random allocation and move questions between cells of a section
        until every constraint holds (a WalkSAT-style local search).

        Fast and, where constraints do not bind, exactly the uniform draw; it cannot prove
        that no allocation exists, which is what the exhaustive search is for.
        """
        cells = self._cells
        cons = self._constraints
        if not cons:
            return self._random_allocation(rng, avail)
        by_section = self._order_by_section
        for _ in range(restarts):
            alloc = self._random_allocation(rng, avail)
            if alloc is None:
                return None
            sums = [sum(con.weight[cells[ci].section] * n for ci, n in enumerate(alloc) if con.matches[ci]) for con in cons]

            def violation(vals: list[int]) -> int:
                return sum(max(0, c.lo - v) + max(0, v - c.hi) for c, v in zip(cons, vals, strict=True))

            current = violation(sums)
            for _step in range(steps):
                if current == 0:
                    return alloc
                bad = [k for k, c in enumerate(cons) if sums[k] < c.lo or sums[k] > c.hi]
                k = rng.choice(bad)
                con = cons[k]
                want_more = sums[k] < con.lo
                best: tuple[int, int, int] | None = None
                best_delta = 0
                for _try in range(24):
                    si = rng.randrange(len(by_section))
                    ids = by_section[si]
                    if len(ids) < 2:
                        continue
                    src = rng.choice(ids)
                    dst = rng.choice(ids)
                    if src == dst or alloc[src] == 0 or alloc[dst] >= avail[dst]:
                        continue
                    # the move must help the chosen constraint
                    gain = con.matches[dst] - con.matches[src]
                    if gain == 0 or (gain > 0) != want_more:
                        continue
                    new = list(sums)
                    for j, c in enumerate(cons):
                        w = c.weight[si]
                        new[j] += w * (c.matches[dst] - c.matches[src])
                    delta = violation(new) - current
                    if best is None or delta < best_delta:
                        best, best_delta = (src, dst, si), delta
                if best is None:
                    continue
                if best_delta > 0 and rng.random() > 0.2:
                    continue  # mostly refuse worsening moves; sometimes take one to escape a plateau
                src, dst, si = best
                alloc[src] -= 1
                alloc[dst] += 1
                for j, c in enumerate(cons):
                    sums[j] += c.weight[si] * (c.matches[dst] - c.matches[src])
                current = violation(sums)
            if current == 0:
                return alloc
        return None

    def _allocations(self, rng: random.Random, avail: list[int]) -> Iterator[list[int]]:
        """Every allocation meeting the constraints, in a seeded random order (lazily)."""
        bp = self.blueprint
        cells = self._cells
        order: list[int] = []
        for si in range(len(bp.sections)):
            group = list(self._order_by_section[si])
            rng.shuffle(group)
            order += group
        n_cells = len(cells)
        alloc = [0] * n_cells
        unassigned = [True] * n_cells
        rem = [s.count for s in bp.sections]
        cons = self._constraints
        sums = [0] * len(cons)
        pool_left = [0] * len(bp.sections)
        for ci, c in enumerate(cells):
            pool_left[c.section] += avail[ci]
        budget = [_SEARCH_LIMIT]

        def ok() -> bool:
            for si in range(len(rem)):
                if rem[si] > pool_left[si] or rem[si] < 0:
                    return False
            for k, con in enumerate(cons):
                lo, hi = _bounds(con, cells, avail, rem, unassigned, self._order_by_section, bp)
                if sums[k] + hi < con.lo or sums[k] + lo > con.hi:
                    return False
            return True

        def rec(pos: int) -> Iterator[list[int]]:
            budget[0] -= 1
            if budget[0] < 0:
                return
            if pos == n_cells:
                if all(r == 0 for r in rem):
                    yield list(alloc)
                return
            ci = order[pos]
            c = cells[ci]
            si = c.section
            a = avail[ci]
            upper = min(a, rem[si])
            others = pool_left[si] - a
            lower = max(0, rem[si] - others)
            if lower > upper:
                return
            start = _hypergeometric(rng, rem[si], pool_left[si], a)
            start = min(max(start, lower), upper)
            unassigned[ci] = False
            pool_left[si] -= a
            for v in _spiral(start, lower, upper):
                alloc[ci] = v
                rem[si] -= v
                for k, con in enumerate(cons):
                    if con.matches[ci]:
                        sums[k] += con.weight[si] * v
                if ok():
                    yield from rec(pos + 1)
                for k, con in enumerate(cons):
                    if con.matches[ci]:
                        sums[k] -= con.weight[si] * v
                rem[si] += v
                alloc[ci] = 0
                if budget[0] < 0:
                    break
            pool_left[si] += a
            unassigned[ci] = True

        if ok():
            yield from rec(0)

    # ------------------------------------------------------------------ level 2
    def _select(self, seed: int, excluded: set[int]) -> list[list[int]] | None:
        """Question indices per section, or None when no paper exists."""
        rng = random.Random(seed)
        if not excluded:
            alloc = self._allocation_for_slot(rng.randrange(_SLOTS))
            if alloc is None:
                return None
            picks = self._fill(rng, alloc, excluded)
            if picks is not None:
                return picks
        avail = [len(c.members) for c in self._cells]
        if excluded:
            for qi in excluded:
                for ci in self._cells_of_question[qi]:
                    avail[ci] -= 1
            alloc = self._allocation_for_slot(rng.randrange(_SLOTS))
            if alloc is not None and all(n <= a for n, a in zip(alloc, avail, strict=True)):
                picks = self._fill(rng, alloc, excluded)
                if picks is not None:
                    return picks
        if excluded:
            alloc = self._repair_search(random.Random(f"{seed}:repair"), avail)
            if alloc is not None:
                picks = self._fill(rng, alloc, excluded)
                if picks is not None:
                    return picks
        for alloc in self._allocations(random.Random(f"{seed}:search"), avail):
            picks = self._fill(rng, alloc, excluded)
            if picks is not None:
                return picks
        return None

    def _fill(self, rng: random.Random, alloc: list[int], excluded: set[int]) -> list[list[int]] | None:
        cells = self._cells
        groups = self.groups
        for _attempt in range(3):
            used: set[str] = set()
            by_section: list[list[int]] = [[] for _ in self.blueprint.sections]
            clash = False
            for ci, n in enumerate(alloc):
                if not n:
                    continue
                members = cells[ci].members
                if excluded:
                    members = _sample_avoiding(rng, members, n, excluded)
                for qi in rng.sample(members, n):
                    g = groups[qi]
                    if g in used:
                        clash = True
                        break
                    used.add(g)
                    by_section[cells[ci].section].append(qi)
                if clash:
                    break
            if not clash:
                return by_section
        return self._match(rng, alloc, excluded)

    def _match(self, rng: random.Random, alloc: list[int], excluded: set[int]) -> list[list[int]] | None:
        """Exact: assign distinct groups to cells so that cell ``c`` gets ``alloc[c]``."""
        cells = self._cells
        # group → cell → candidate questions
        options: dict[str, dict[int, list[int]]] = {}
        for ci, n in enumerate(alloc):
            if not n:
                continue
            for qi in cells[ci].members:
                if qi in excluded:
                    continue
                options.setdefault(self.groups[qi], {}).setdefault(ci, []).append(qi)
        group_names = list(options)
        rng.shuffle(group_names)
        adj = {g: list(options[g]) for g in group_names}
        for g in group_names:
            rng.shuffle(adj[g])
        slots: dict[int, list[str]] = {ci: [] for ci, n in enumerate(alloc) if n}
        owner: dict[str, int] = {}

        def augment(g: str, seen: set[int]) -> bool:
            for ci in adj[g]:
                if ci in seen:
                    continue
                seen.add(ci)
                if len(slots[ci]) < alloc[ci]:
                    slots[ci].append(g)
                    owner[g] = ci
                    return True
                for other in list(slots[ci]):
                    if augment(other, seen):
                        slots[ci].remove(other)
                        slots[ci].append(g)
                        owner[g] = ci
                        return True
            return False

        need = sum(alloc)
        got = 0
        for g in group_names:
            if got == need:
                break
            if augment(g, set()):
                got += 1
        if got < need:
            return None
        by_section: list[list[int]] = [[] for _ in self.blueprint.sections]
        for ci, gs in slots.items():
            for g in gs:
                by_section[cells[ci].section].append(rng.choice(options[g][ci]))
        return by_section

    # ------------------------------------------------------------------ freezing
    def _freeze(self, seed: int, picks: list[list[int]], relaxed: bool) -> Paper:
        bp = self.blueprint
        rng = random.Random(f"{seed}:order")
        out: list[PaperQuestion] = []
        fingerprint = hashlib.sha256(f"{self._digest}|{seed}|{relaxed}".encode())
        no = 0
        for si, chosen in enumerate(picks):
            sec = bp.sections[si]
            chosen = sorted(chosen)
            if bp.shuffle_questions:
                rng.shuffle(chosen)
            for qi in chosen:
                q = self.questions[qi]
                no += 1
                options: tuple[str, ...] = ()
                answer: Key
                if q.type in ("single", "multiple"):
                    assert q.options is not None
                    perm = list(range(len(q.options)))
                    if bp.shuffle_options:
                        rng.shuffle(perm)
                    options = tuple(q.options[p] for p in perm)
                    key = {LETTERS.index(ch) for ch in q.key_letters}
                    answer = "".join(LETTERS[i] for i, p in enumerate(perm) if p in key)
                    fingerprint.update(f"{q.id}:{''.join(map(str, perm))};".encode())
                elif q.type == "judge":
                    assert isinstance(q.answer, bool)
                    answer = q.answer
                    fingerprint.update(f"{q.id};".encode())
                else:
                    answer = q.fill_key
                    fingerprint.update(f"{q.id};".encode())
                out.append(
                    PaperQuestion.model_construct(
                        no=no,
                        id=q.id,
                        type=q.type,
                        topic=q.topic,
                        difficulty=q.difficulty,
                        section=si,
                        points=float(sec.points),
                        scoring=sec.scoring,
                        stem=q.stem,
                        options=options,
                        answer=answer,
                        any_order=q.any_order,
                        explanation=q.explanation,
                        source=q.source,
                    )
                )
        return Paper.model_construct(
            paper_id="P" + fingerprint.hexdigest()[:12].upper(),
            blueprint=bp.name,
            blueprint_key=self.blueprint_key,
            seed=seed,
            time_limit_s=bp.time_limit,
            total_points=float(self._total),
            pass_mark=float(bp.pass_mark),
            review=bp.review,
            sections=bp.sections,
            revisions={b: r for b, r in sorted(self.revisions.items()) if any(q.bank == b for q in _iter(self, picks))},
            relaxed_exclusions=relaxed,
            questions=tuple(out),
        )


def _iter(gen: PaperGenerator, picks: list[list[int]]) -> Iterator[Question]:
    for chosen in picks:
        for qi in chosen:
            yield gen.questions[qi]


def _sample_avoiding(rng: random.Random, members: list[int], n: int, excluded: set[int]) -> list[int]:
    """A uniform random ``n`` of ``members`` not in ``excluded`` (fewer only if fewer exist).

    Sampling a few extra and dropping the excluded keeps this O(n) when exclusions are
    sparse, which they are (a member's last papers against a whole bank).
    """
    extra = min(len(members), n + 2 * n + 4)
    chosen = [qi for qi in rng.sample(members, extra) if qi not in excluded]
    if len(chosen) >= n or extra == len(members):
        return chosen[:n]
    rest = [qi for qi in members if qi not in excluded]
    return rng.sample(rest, min(n, len(rest)))


def _bounds(
    con: _Constraint,
    cells: list[_Cell],
    avail: list[int],
    rem: list[int],
    unassigned: list[bool],
    order_by_section: list[list[int]],
    bp: Blueprint,
) -> tuple[int, int]:
    """Least and most the unassigned cells can still add to ``con``, section by section."""
    lo = hi = 0
    for si, cell_ids in enumerate(order_by_section):
        r = rem[si]
        if r <= 0:
            continue
        match = non = 0
        for ci in cell_ids:
            if unassigned[ci]:
                if con.matches[ci]:
                    match += avail[ci]
                else:
                    non += avail[ci]
        w = con.weight[si]
        hi += w * min(r, match)
        lo += w * max(0, r - non)
    return lo, hi


def _hypergeometric(rng: random.Random, draws: int, population: int, successes: int) -> int:
    """How many of ``draws`` items drawn without replacement fall in a subset of ``successes``."""
    if population <= 0 or successes <= 0 or draws <= 0:
        return 0
    if successes >= population:
        return draws
    k = 0
    s, p = successes, population
    for _ in range(draws):
        if rng.random() * p < s:
            k += 1
            s -= 1
        p -= 1
        if s == 0:
            break
    return k


def _spiral(start: int, lower: int, upper: int) -> Iterator[int]:
    yield start
    step = 1
    while start - step >= lower or start + step <= upper:
        if start + step <= upper:
            yield start + step
        if start - step >= lower:
            yield start - step
        step += 1


def _fmt(value: int, div: int) -> str:
    x = Fraction(value, div)
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


def _content_digest(bp: Blueprint, questions: Sequence[Question]) -> str:
    h = hashlib.sha256(bp.model_dump_json().encode())
    for q in questions:
        h.update(q.model_dump_json().encode())
    return h.hexdigest()[:16]


def generate_paper(
    blueprint: Blueprint,
    questions: Sequence[Question],
    seed: int,
    exclude: Collection[str] = (),
    *,
    revisions: dict[str, str] | None = None,
    blueprint_key: str = "",
) -> Paper:
    """One paper; see :class:`PaperGenerator` to draw many from the same banks."""
    gen = PaperGenerator(blueprint, questions, revisions=revisions, blueprint_key=blueprint_key)
    return gen.draw(seed, exclude)
