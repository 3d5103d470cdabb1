"""An independent recomputation of the report's figures from ``quizbank results --json``.

Written plainly, from the definitions in the reports module's docstring and the issue,
with the ``statistics`` module and nothing from quizbank.reports or quizbank.itemstats:
if both agree, either both are right or both misread the definitions the same way.
Per-question points and topics come from the stored papers (``Store.paper``), which the
results JSON does not repeat.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from quizbank.models import Paper


@dataclass
class Expected:
    summary: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Branch (and 合计) → 汇总 figures."""
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Member id → branch-sheet figures."""
    untested: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Member id → (tests in period, tests in the year to the period's end), for members missing either."""
    items: dict[tuple[str, float], dict[str, Any]] = field(default_factory=dict)
    alpha: dict[str, dict[str, Any]] = field(default_factory=dict)
    topics: dict[tuple[str, str], float] = field(default_factory=dict)
    """(branch, topic) → correct rate."""


def _finished(r: dict[str, Any]) -> bool:
    return r["status"] in ("submitted", "expired") and r["score"] is not None


def _rank(means: dict[str, float]) -> dict[str, int]:
    out = {}
    for b, m in means.items():
        out[b] = 1 + sum(1 for other in means.values() if round(other, 2) > round(m, 2))
    return out


def expected(
    results: list[dict[str, Any]],
    roster: list[dict[str, Any]],
    paper_of: Callable[[str], Paper],
    start: datetime,
    end: datetime,
    year_start: datetime,
    exact_marks: dict[int, dict[int, float]] | None = None,
) -> Expected:
    """The figures; marks from the JSON (two decimals) unless ``exact_marks`` (attempt → no → points) is given."""
    exp = Expected()
    when = {r["attempt_id"]: datetime.fromisoformat(r["started_at"]) for r in results}
    in_period = [r for r in results if _finished(r) and start <= when[r["attempt_id"]] < end]
    in_year = [r for r in results if _finished(r) and year_start <= when[r["attempt_id"]] < end]
    mine: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in in_period:
        mine[r["member_id"]].append(r)
    year_n: dict[str, int] = defaultdict(int)
    for r in in_year:
        year_n[r["member_id"]] += 1

    branch_of = {m["member_id"]: m["branch"] for m in roster}
    people: dict[str, list[str]] = defaultdict(list)
    for m in roster:
        if m["active"] or mine.get(m["member_id"]):
            people[m["branch"]].append(m["member_id"])

    best: dict[str, float] = {}
    for mid, rs in mine.items():
        best[mid] = max(r["score"] / r["max_score"] * 100 for r in rs)
        rs.sort(key=lambda r: (when[r["attempt_id"]], r["attempt_id"]))
        last = rs[-1]
        exp.members[mid] = {
            "tests": len(rs),
            "latest": last["score"] / last["max_score"] * 100,
            "best": best[mid],
            "passed": "是" if any(r["passed"] for r in rs) else "否",
            "date": when[last["attempt_id"]].astimezone(start.tzinfo).date(),
            "minutes": round((datetime.fromisoformat(last["submitted_at"]) - when[last["attempt_id"]]).total_seconds() / 60, 1),
        }
    for ids in people.values():
        for mid in ids:
            if mid not in mine or not year_n.get(mid):
                exp.untested[mid] = (len(mine.get(mid, [])), year_n.get(mid, 0))

    def figures(ids: list[str]) -> dict[str, Any]:
        scores = [best[i] for i in ids if i in best]
        if not scores:
            return {"members": len(ids), "tested": 0, "rate": 0.0 if ids else None, "mean": None}
        return {
            "members": len(ids),
            "tested": len(scores),
            "rate": len(scores) / len(ids),
            "mean": statistics.fmean(scores),
            "median": statistics.median(scores),
            "best": max(scores),
            "worst": min(scores),
            "pass_rate": sum(1 for i in ids if i in best and exp.members[i]["passed"] == "是") / len(scores),
            "excellent_rate": sum(1 for s in scores if s >= 90) / len(scores),
        }

    for b, ids in people.items():
        exp.summary[b] = figures(ids)
    ranks = _rank({b: f["mean"] for b, f in exp.summary.items() if f["mean"] is not None})
    for b, f in exp.summary.items():
        f["rank"] = ranks.get(b)
    exp.summary["合计"] = figures([i for ids in people.values() for i in ids])

    # items, topics, alpha
    xs: dict[tuple[str, float], list[float]] = defaultdict(list)
    rests: dict[tuple[str, float], list[float]] = defaultdict(list)
    who: dict[tuple[str, float], set[str]] = defaultdict(set)
    got: dict[tuple[str, str], float] = defaultdict(float)
    possible: dict[tuple[str, str], float] = defaultdict(float)
    matrix: dict[str, list[tuple[list[float], float]]] = defaultdict(list)
    for r in in_period:
        paper = paper_of(r["paper_id"])
        if exact_marks is not None:
            by_no = exact_marks[r["attempt_id"]]
        else:
            by_no = {a["no"]: (a["points_awarded"] or 0) for a in r["answers"]}
        row = []
        for q in paper.questions:
            x = float(by_no.get(q.no, 0))
            row.append(x)
            key = (q.id, float(q.points))
            xs[key].append(x)
            rests[key].append(r["score"] - x)
            who[key].add(r["member_id"])
            parts = q.topic.split("/")
            for t in {parts[0], "/".join(parts[:2])}:
                b = branch_of.get(r["member_id"], r["branch"])
                got[(b, t)] += x
                possible[(b, t)] += q.points
        matrix[r["blueprint"]].append((row, r["score"]))
    for key, marks in xs.items():
        rest = rests[key]
        e: dict[str, Any] = {"n": len(marks), "members": len(who[key]), "facility": statistics.fmean(marks) / key[1]}
        if len(set(marks)) > 1 and len(set(rest)) > 1:
            e["r"] = statistics.correlation(marks, rest)
            e["de"] = statistics.covariance(marks, rest) / statistics.covariance(sorted(marks), sorted(rest))
        else:
            e["r"] = e["de"] = None
        flags = []
        if len(who[key]) >= 30:
            if e["r"] is not None and e["r"] < 0:
                flags.append("区分度为负：请核对答案")
            elif e["r"] is not None and e["r"] < 0.2:
                flags.append("区分度弱")
            if e["facility"] > 0.9:
                flags.append("过易")
            elif e["facility"] < 0.2:
                flags.append("过难")
        e["flags"] = "；".join(flags)
        exp.items[key] = e
    for bp, scored in matrix.items():
        rows = [row for row, _ in scored]
        totals = [score for _, score in scored]  # the attempt's score: the sum of its marks, rounded as stored
        k = len(rows[0])
        item_var = sum(statistics.variance([row[j] for row in rows]) for j in range(k))
        exp.alpha[bp] = {
            "attempts": len(rows),
            "items": k,
            "mean": statistics.fmean(totals),
            "alpha": k / (k - 1) * (1 - item_var / statistics.variance(totals)),
        }
    exp.topics = {key: got[key] / possible[key] for key in got if possible[key]}
    return exp
