"""The report's pass over every mark, on columns of numbers (numpy) instead of one tuple per mark.

A year of a large section is 1.8 million marks. :func:`quizbank.reports.compute_report`
walks :data:`~quizbank.reports.MarkRow` tuples one at a time; :func:`aggregate` computes
the same sums from a :class:`MarkTable` built from the attempts' marks vectors
(:meth:`quizbank.store.Store.mark_vectors`) in a few array operations, and gives **the same
figures to the last bit**, which the tests check against the tuple path:

* the item statistics rest on exact sums (:func:`math.fsum`, order-independent), which
  :func:`exact_sums` computes for every question at once: each double is an integer times
  a power of two, the integers are added per question and power (exactly: they are split
  into 26-bit halves, whose sums stay below 2⁵³), and the one correctly rounded division
  at the end is what ``fsum`` returns;
* the running sums for Cronbach's α and the topic rates are added in the order the tuple
  path adds them (attempt by attempt, question by question), by :func:`running_sums`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from .itemstats import MIN_MEMBERS, ItemStat, ItemSums, item_stat_from_sums

__all__ = ["Aggregate", "MarkTable", "aggregate", "exact_sums", "running_sums"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.integer[Any]]

#: A marks vector record (:data:`quizbank.store.MARKS_RECORD`): number, question key, points, earned.
RECORD = np.dtype([("no", "<i4"), ("key", "<i4"), ("points", "<f8"), ("got", "<f8")])


@dataclass(frozen=True)
class MarkTable:
    """Every question of some attempts as columns: attempts by id, each attempt's questions in order."""

    attempt_ids: list[int]
    """The attempts, by id."""
    counts: Ints
    """Questions of each attempt."""
    records: npt.NDArray[np.void]
    """:data:`RECORD` rows, attempt after attempt."""
    questions: Mapping[int, str]
    """Question key → bank question id."""

    @classmethod
    def from_vectors(
        cls, attempt_ids: Sequence[int], counts: Sequence[int], data: bytes | bytearray, questions: Mapping[int, str]
    ) -> MarkTable:
        """From the marks vectors of attempts in id order, one after another in ``data``, ``counts[i]`` records each."""
        if any(b <= a for a, b in pairwise(attempt_ids)):
            raise ValueError("marks vectors are read in attempt id order")
        records = np.frombuffer(data, dtype=RECORD)
        if len(records) != sum(counts) or len(data) % RECORD.itemsize:
            raise ValueError("the marks vectors are not as long as their counts say")
        return cls(list(attempt_ids), np.asarray(counts, dtype=np.int64), records, questions)

    def __len__(self) -> int:
        return len(self.records)


@dataclass
class Aggregate:
    """What the pass over the marks gives :func:`~quizbank.reports.compute_report`."""

    items: list[tuple[str, float, ItemSums, int]]
    """Per question and points value, by both: (question id, points, sums, distinct members)."""
    alpha: dict[str, dict[int, list[float]]]
    """Blueprint → position → [Σ mark, Σ mark²] (:attr:`quizbank.itemstats.AlphaCollector.sums`)."""
    topics: dict[str, dict[str, list[float]]]
    """Branch → question id → [Σ mark, Σ points, answers], question ids in the order first met."""

    def question_ids(self) -> list[str]:
        return sorted({qid for qid, *_ in self.items})

    def stats(self, min_members: int = MIN_MEMBERS) -> list[ItemStat]:
        """As :meth:`quizbank.itemstats.ItemCollector.stats`."""
        return [
            item_stat_from_sums(qid, sums, points, members=members, min_members=min_members)
            for qid, points, sums, members in self.items
        ]


def aggregate(table: MarkTable, context: Mapping[int, tuple[float, str, str, int]]) -> Aggregate:
    """The sums of the report's marks loop over ``table``.

    ``context``: attempt id → (its total, the member's branch, its blueprint, a number per
    member) for the attempts that count; the marks of other attempts are left out.
    """
    # per attempt: what it counts towards, as small integers
    branches: dict[str, int] = {}
    blueprints: dict[str, int] = {}
    keep = np.zeros(len(table.attempt_ids), dtype=bool)
    total = np.zeros(len(table.attempt_ids))
    branch_of = np.zeros(len(table.attempt_ids), dtype=np.int64)
    blueprint_of = np.zeros(len(table.attempt_ids), dtype=np.int64)
    member_of = np.zeros(len(table.attempt_ids), dtype=np.int32)
    for i, aid in enumerate(table.attempt_ids):
        ctx = context.get(aid)
        if ctx is not None:
            keep[i] = True
            total[i] = ctx[0]
            branch_of[i] = branches.setdefault(ctx[1], len(branches))
            blueprint_of[i] = blueprints.setdefault(ctx[2], len(blueprints))
            member_of[i] = ctx[3]
    at = np.repeat(np.arange(len(table.attempt_ids), dtype=np.int32), table.counts)
    rec = table.records
    if not keep.all():
        rows = keep[at]
        at, rec = at[rows], rec[rows]
    if not len(rec):
        return Aggregate([], {}, {})
    key = rec["key"].astype(np.int64)
    points = rec["points"].astype(np.float64)
    got = rec["got"]
    x = np.where(np.isnan(got) | (got == 0.0), 0.0, got)  # `got or 0.0`: unmarked counts 0
    questions = table.questions
    items = _items(x, total[at], key, points, member_of[at], questions)
    topics = _topics(x, points, key, branch_of[at], list(branches), questions)
    del key, points
    alpha = _alpha(x, rec["no"].astype(np.int64), blueprint_of[at], list(blueprints))
    return Aggregate(items, alpha, topics)


def _compact(keys: Ints) -> tuple[Ints, Ints, Ints]:
    """Group numbers 0…G−1 for non-negative ``keys`` (in key order): (group of each, key of each group, size of each)."""
    sizes = np.bincount(keys)
    present = np.flatnonzero(sizes)
    renumber: Ints = np.zeros(len(sizes), dtype=np.int32 if len(present) < 1 << 31 else np.int64)
    renumber[present] = np.arange(len(present))
    group: Ints = renumber[keys]
    return group, present, sizes[present]


def _grouping(groups: Ints, n_groups: int) -> Ints:
    """The stable permutation that puts ``groups`` (0…n−1) together, keeping the order within each."""
    small = np.uint16 if n_groups <= 1 << 16 else np.uint32 if n_groups <= 1 << 32 else np.int64
    return np.argsort(groups.astype(small), kind="stable")  # a radix sort for 16-bit keys


def _items(
    x: Floats, t: Floats, key: Ints, points: Floats, member: Ints, questions: Mapping[int, str]
) -> list[tuple[str, float, ItemSums, int]]:
    """Per (question, points value): the exact sums :func:`item_stat_from_sums` needs, and the members."""
    values = np.unique(points)
    group, present, n = _compact(key * len(values) + np.searchsorted(values, points))
    n_groups = len(present)
    sx, sxx = exact_sums(x, group, n_groups), exact_sums(x * x, group, n_groups)
    r = t - x
    del t
    sr, srr = exact_sums(r, group, n_groups), exact_sums(r * r, group, n_groups)
    sxr = exact_sums(x * r, group, n_groups)
    # Σx↑r↑: marks and rest scores each sorted within their question
    order = _grouping(group, n_groups)
    xs, rs = x[order], r[order]
    del order, r
    ends = np.cumsum(n)
    for a, b in zip((ends - n).tolist(), ends.tolist(), strict=True):
        xs[a:b].sort()
        rs[a:b].sort()
    xs *= rs
    del rs
    sxr_sorted = exact_sums(xs, np.repeat(np.arange(n_groups, dtype=group.dtype), n), n_groups)
    del xs
    # distinct members per group
    n_members = int(member.max()) + 1
    if n_groups * n_members <= 64_000_000:
        seen = np.zeros((n_groups, n_members), dtype=bool)
        seen[group, member] = True
        members = seen.sum(axis=1).tolist()
    else:
        pairs = np.unique(group * n_members + member)
        members = np.bincount(pairs // n_members, minlength=n_groups).tolist()
    out = []
    for i, (k, nn) in enumerate(zip(present.tolist(), n.tolist(), strict=True)):
        sums = ItemSums(nn, sx[i], sxx[i], sr[i], srr[i], sxr[i], sxr_sorted[i])
        out.append((questions[k // len(values)], float(values[k % len(values)]), sums, members[i]))
    out.sort(key=lambda item: (item[0], item[1]))
    return out


def _alpha(x: Floats, no: Ints, blueprint: Ints, names: list[str]) -> dict[str, dict[int, list[float]]]:
    """Blueprint → position → [Σ mark, Σ mark²], each added in the order of the marks."""
    width = int(no.max()) - int(no.min()) + 1
    group, present, n = _compact(blueprint * width + (no - no.min()))
    order = _grouping(group, len(present))
    s = running_sums(x[order], n)
    ss = running_sums((x * x)[order], n)
    out: dict[str, dict[int, list[float]]] = {name: {} for name in names}
    lowest = int(no.min())
    for k, a, b in zip(present.tolist(), s.tolist(), ss.tolist(), strict=True):
        out[names[k // width]][k % width + lowest] = [a, b]
    return out


def _topics(
    x: Floats, points: Floats, key: Ints, branch: Ints, names: list[str], questions: Mapping[int, str]
) -> dict[str, dict[str, list[float]]]:
    """Branch → question id → [Σ mark, Σ points, answers], added in the order of the marks, ids in the order first met."""
    width = int(key.max()) + 1
    group, present, n = _compact(branch * width + key)
    order = _grouping(group, len(present))
    s = running_sums(x[order], n).tolist()
    p = running_sums(points[order], n).tolist()
    first = order[np.cumsum(n) - n].tolist()  # where each (branch, question) first appears
    out: dict[str, dict[str, list[float]]] = {name: {} for name in names}
    for i in sorted(range(len(present)), key=first.__getitem__):
        k = int(present[i])
        out[names[k // width]][questions[k % width]] = [s[i], p[i], float(n[i])]
    return out


# ------------------------------------------------------------------------ sums
def exact_sums(values: Floats, groups: Ints, n_groups: int) -> list[float]:
    """``math.fsum`` of ``values`` per group (``groups`` numbers 0…n−1): the exact sum, correctly rounded."""
    if not len(values):
        return [0.0] * n_groups
    if len(values) >= 1 << 26 or not np.isfinite(values).all():
        return _fsums(values, groups, n_groups)
    mantissa, exponent = np.frexp(values)  # value = mantissa · 2^exponent, ½ ≤ |mantissa| < 1 (0 for 0)
    low, high = int(exponent.min()), int(exponent.max())
    span = high - low + 1
    if n_groups * (span + 27) > 20_000_000:  # exponents too far apart for the table: rare, slower
        return _fsums(values, groups, n_groups)
    # mantissa · 2⁵³ is an integer below 2⁵³: split it into top · 2²⁶ + bottom, 0 ≤ bottom < 2²⁶, exactly
    top = mantissa * 2.0**27
    np.floor(top, out=top)
    bottom = mantissa
    bottom *= 2.0**53
    bottom -= top * 2.0**26
    exponent -= low
    cell = groups * span
    cell += exponent
    # sums per group and power of two: at most 2²⁷ · 2²⁶ in magnitude, exact in doubles
    size = n_groups * span
    sum_top = np.bincount(cell, weights=top, minlength=size).reshape(n_groups, span).astype(np.int64)
    sum_bottom = np.bincount(cell, weights=bottom, minlength=size).reshape(n_groups, span).astype(np.int64)
    # column j of `digits` counts 2^(j + low − 53); carry until every column but the last is 0 or 1
    digits = np.zeros((n_groups, span + 28), dtype=np.int64)
    digits[:, :span] = sum_bottom
    digits[:, 26 : 26 + span] += sum_top
    for j in range(span + 27):
        carry = digits[:, j] >> 1  # floor: keeps the column at 0 or 1 for negative sums too
        digits[:, j] -= carry << 1
        digits[:, j + 1] += carry
    bits = np.packbits(digits[:, :-1].astype(np.uint8), axis=1, bitorder="little")
    last = digits[:, -1].tolist()
    width, scale = span + 27, low - 53
    out = []
    for g in range(n_groups):
        whole = int.from_bytes(bits[g].tobytes(), "little") + (last[g] << width)
        out.append(whole / (1 << -scale) if scale < 0 else float(whole << scale))  # one correct rounding
    return out


def _fsums(values: Floats, groups: Ints, n_groups: int) -> list[float]:
    order = _grouping(groups, n_groups)
    ends = np.cumsum(np.bincount(groups, minlength=n_groups)).tolist()
    grouped = values[order].tolist()
    return [math.fsum(grouped[a:b]) for a, b in zip([0, *ends[:-1]], ends, strict=True)]


#: Segments up to this long are summed together, a position at a time; longer ones one by one.
_TOGETHER = 256


def running_sums(values: Floats, lengths: Ints) -> Floats:
    """Per segment of ``values`` (consecutive, of these lengths): ``s = 0.0; s += v`` for each value, in order.

    Not :func:`numpy.sum`, which adds pairwise and may differ in the last bit.
    """
    out = np.zeros(len(lengths))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    long = np.flatnonzero(lengths > _TOGETHER)
    for i in long.tolist():
        segment = np.concatenate(([0.0], values[starts[i] : ends[i]]))
        out[i] = np.add.accumulate(segment)[-1]  # one addition after another
    short = np.flatnonzero((lengths <= _TOGETHER) & (lengths > 0))
    if len(short):
        by_length = short[np.argsort(-lengths[short], kind="stable")]
        first, size = starts[by_length], lengths[by_length]
        acc = np.zeros(len(by_length))
        active = len(by_length)
        for k in range(int(size[0])):
            while size[active - 1] <= k:
                active -= 1
            acc[:active] += values[first[:active] + k]
        out[by_length] = acc
    return out
