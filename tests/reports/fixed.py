"""The small fixed data set whose item statistics are worked out by hand in test_itemstats.py.

Eight answer patterns to five one-point questions. Question 5 is keyed wrongly: the
members who do best on the other four "get it wrong" and the weakest get it "right".

    member  q1 q2 q3 q4 q5   total   rest of test for q5
    A        1  1  1  1  0     4       4
    B        1  1  1  0  0     3       3
    C        1  1  0  1  0     3       3
    D        1  0  0  0  0     1       1
    E        1  1  0  0  1     3       2
    F        0  1  0  0  1     2       1
    G        1  0  0  0  1     2       1
    H        0  0  0  0  1     1       0

The workbook tests repeat each pattern four times (32 members): correlations, the
discriminative efficiency and α do not change when every row is repeated, and 32 is past
the 30 members below which items are not flagged.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from quizbank.models import Paper, PaperQuestion, Section
from quizbank.scoring import Response

PATTERNS: dict[str, tuple[int, int, int, int, int]] = {
    "A": (1, 1, 1, 1, 0),
    "B": (1, 1, 1, 0, 0),
    "C": (1, 1, 0, 1, 0),
    "D": (1, 0, 0, 0, 0),
    "E": (1, 1, 0, 0, 1),
    "F": (0, 1, 0, 0, 1),
    "G": (1, 0, 0, 0, 1),
    "H": (0, 0, 0, 0, 1),
}
ROWS = [list(map(float, p)) for p in PATTERNS.values()]
TOTALS = [sum(r) for r in ROWS]
QIDS = ("fx-01", "fx-02", "fx-03", "fx-04", "fx-05")
TOPICS = ("甲库/一", "甲库/一", "甲库/二", "乙库/三", "乙库/三")
TZ = timezone(timedelta(hours=8))
DAY = datetime(2025, 3, 10, 9, 0, tzinfo=TZ)


def paper() -> Paper:
    """The one paper everybody took: five single-choice questions of one point, all keyed A except q5 (B)."""
    qs = tuple(
        PaperQuestion(
            no=i + 1,
            id=qid,
            type="single",
            topic=TOPICS[i],
            difficulty="medium",
            section=0,
            points=1,
            stem=f"固定题{i + 1}（ ）",
            options=("甲", "乙", "丙", "丁"),
            answer="B" if i == 4 else "A",
        )
        for i, qid in enumerate(QIDS)
    )
    return Paper(
        paper_id="fixed-paper",
        blueprint="固定卷",
        blueprint_key="fixed",
        seed=0,
        time_limit_s=600,
        total_points=5,
        pass_mark=3,
        sections=(Section(type="single", count=5, points=1),),
        questions=qs,
    )


def responses(pattern: tuple[int, ...]) -> dict[int, Response]:
    """Answers that earn ``pattern`` on :func:`paper`: the key where 1, another option where 0."""
    keys = "AAAAB"
    return {i + 1: keys[i] if got else ("C" if keys[i] != "C" else "D") for i, got in enumerate(pattern)}
