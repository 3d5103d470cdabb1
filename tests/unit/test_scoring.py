"""The scorer: the rules of DESIGN.md, in a table and as properties."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizbank.generator import PaperGenerator
from quizbank.models import LETTERS, Paper, PaperQuestion, Section
from quizbank.scoring import Scorer, normalise_blank, score_paper

from .factories import blueprint, question


def one(q: dict[str, Any], response: Any) -> Fraction:
    pq = PaperQuestion.model_validate(
        {"no": 1, "id": "x", "topic": "甲/一", "difficulty": "easy", "section": 0, "stem": "题", **q}
    )
    paper = Paper(paper_id="P", blueprint="卷", seed=0, time_limit_s=60, total_points=pq.points, pass_mark=0, questions=(pq,))
    return score_paper(paper, {1: response}).total


M = {"type": "multiple", "options": ("甲", "乙", "丙", "丁"), "answer": "ABC", "points": 3}
FILL = {"type": "fill", "answer": (("一年", "1年"), ("支部大会",)), "points": 2}
FOUR = {"type": "fill", "answer": (("政治意识",), ("大局意识",), ("核心意识",), ("看齐意识",)), "points": 4, "any_order": True}


@pytest.mark.parametrize(
    ("q", "response", "expected"),
    [
        ({"type": "single", "options": ("甲", "乙"), "answer": "B", "points": 2}, "B", 2),
        ({"type": "single", "options": ("甲", "乙"), "answer": "B", "points": 2}, " b ", 2),
        ({"type": "single", "options": ("甲", "乙"), "answer": "B", "points": 2}, "A", 0),
        ({"type": "single", "options": ("甲", "乙"), "answer": "B", "points": 2}, None, 0),
        ({"type": "judge", "answer": True, "points": 1}, True, 1),
        ({"type": "judge", "answer": True, "points": 1}, False, 0),
        ({"type": "judge", "answer": False, "points": 1}, False, 1),
        ({"type": "judge", "answer": True, "points": 1}, 1, 0),  # only a real truth value counts
        # strict: exactly the key
        ({**M, "scoring": "strict"}, "ABC", 3),
        ({**M, "scoring": "strict"}, "CBA", 3),
        ({**M, "scoring": "strict"}, "AB", 0),
        ({**M, "scoring": "strict"}, "ABCD", 0),
        # half: a correct subset earns half, any wrong choice 0
        ({**M, "scoring": "half"}, "AB", Fraction(3, 2)),
        ({**M, "scoring": "half"}, "A", Fraction(3, 2)),
        ({**M, "scoring": "half"}, "ABD", 0),
        ({**M, "scoring": "half"}, "ABC", 3),
        # per_option: points ÷ key size per correct choice
        ({**M, "scoring": "per_option"}, "A", 1),
        ({**M, "scoring": "per_option"}, "AC", 2),
        ({**M, "scoring": "per_option"}, "AD", 0),
        ({**M, "scoring": "per_option", "points": 2}, "A", Fraction(2, 3)),
        # fill: split over blanks, normalised, accepted spellings from the bank
        (FILL, ["一年", "支部大会"], 2),
        (FILL, ["１年", "支部 大会。"], 2),
        (FILL, ["1年", "党员大会"], 1),
        (FILL, ["两年", "支部大会"], 1),
        (FILL, ["支部大会", "一年"], 0),  # order matters unless any_order
        (FILL, ["一年"], 1),
        (FOUR, ["看齐意识", "政治意识", "核心意识", "大局意识"], 4),
        (FOUR, ["看齐意识", "看齐意识", "核心意识", ""], 2),  # one blank cannot satisfy two
    ],
)
def test_rules(q: dict[str, Any], response: Any, expected: Fraction | int) -> None:
    assert one(q, response) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ＡＢＣ", "abc"),
        (" 中 国 共 产 党 ", "中国共产党"),
        ("一年。", "一年"),
        ("一年！", "一年"),
        ("1921", "１９２１"),
        ("Ａ，", "a"),
    ],
)
def test_normalisation_makes_full_and_half_width_alike(typed: str, key: str) -> None:
    assert normalise_blank(typed) == normalise_blank(key)


def test_normalisation_keeps_meaningful_differences() -> None:
    assert normalise_blank("一年") != normalise_blank("两年")
    assert normalise_blank("《党章》") != normalise_blank("党章")  # only trailing punctuation goes


@st.composite
def paper_and_responses(draw: st.DrawFn) -> tuple[Paper, dict[int, Any]]:
    qs = [question(f"s{i}") for i in range(4)]
    qs += [question(f"m{i}", "multiple", answer=draw(st.sampled_from(["AB", "ACD", "ABCD"]))) for i in range(4)]
    qs += [question(f"j{i}", "judge", answer=draw(st.booleans())) for i in range(3)]
    qs += [question(f"f{i}", "fill", stem="甲____乙____", answer=["一", ["二", "2"]]) for i in range(3)]
    rule = draw(st.sampled_from(["strict", "half", "per_option"]))
    bp = blueprint(
        [
            {"type": "single", "count": 3, "points": 2},
            {"type": "multiple", "count": 3, "points": draw(st.sampled_from([2, 3, 1.5])), "scoring": rule},
            {"type": "judge", "count": 2, "points": 1},
            {"type": "fill", "count": 2, "points": 2},
        ],
        pass_mark=0,
    )
    paper = PaperGenerator(bp, qs).draw(draw(st.integers(0, 2**31)))
    responses: dict[int, Any] = {}
    for q in paper.questions:
        if q.type == "single":
            responses[q.no] = draw(st.sampled_from([None, "A", "B", "C", "D"]))
        elif q.type == "multiple":
            responses[q.no] = draw(st.sampled_from([None, "", "A", "AB", "ABC", "ABCD", "CD", "D"]))
        elif q.type == "judge":
            responses[q.no] = draw(st.sampled_from([None, True, False]))
        else:
            responses[q.no] = draw(st.lists(st.sampled_from(["", "一", "二", "2", "三"]), max_size=3))
    return paper, responses


@given(paper_and_responses())
def test_scores_stay_in_bounds(pr: tuple[Paper, dict[int, Any]]) -> None:
    paper, responses = pr
    score = score_paper(paper, responses)
    assert 0 <= score.total <= score.max_total == Fraction(str(paper.total_points))
    for m in score.marks:
        assert 0 <= m.awarded <= m.points
    assert sum(a for a, _ in score.by_topic.values()) == score.total
    assert Scorer(paper).total(responses) == score.total


@given(paper_and_responses())
def test_the_key_scores_full_marks(pr: tuple[Paper, dict[int, Any]]) -> None:
    paper, _ = pr
    key = {q.no: ([b[0] for b in q.answer] if q.type == "fill" else q.answer) for q in paper.questions}  # type: ignore[union-attr]
    score = score_paper(paper, key)
    assert score.total == score.max_total
    assert all(m.correct for m in score.marks)


@given(paper_and_responses(), st.randoms(use_true_random=False))
def test_shuffled_options_keep_the_mark(pr: tuple[Paper, dict[int, Any]], rnd: Any) -> None:
    """Re-shuffling a question's options and mapping the response along gives the same mark."""
    paper, responses = pr
    before = score_paper(paper, responses)
    new_qs = []
    new_resp = dict(responses)
    for q in paper.questions:
        if q.type in ("single", "multiple"):
            perm = list(range(len(q.options)))
            rnd.shuffle(perm)  # new position i shows old option perm[i]
            where = {old: new for new, old in enumerate(perm)}
            key = "".join(sorted(LETTERS[where[LETTERS.index(c)]] for c in str(q.answer)))
            new_qs.append(q.model_copy(update={"options": tuple(q.options[p] for p in perm), "answer": key}))
            r = responses.get(q.no)
            if isinstance(r, str):
                new_resp[q.no] = "".join(LETTERS[where[LETTERS.index(c)]] for c in r)
        else:
            new_qs.append(q)
    after = score_paper(paper.model_copy(update={"questions": tuple(new_qs)}), new_resp)
    assert [m.awarded for m in after.marks] == [m.awarded for m in before.marks]


def test_pass_mark_and_subtotals() -> None:
    qs = [question("a", topic="党章/党员"), question("b", topic="党章/总纲"), question("c", topic="宪法与法治/国家机构")]
    bp = blueprint([{"type": "single", "count": 3, "points": 2}], pass_mark=4, shuffle_options=False)
    paper = PaperGenerator(bp, qs).draw(0)
    right = {q.no: q.answer for q in paper.questions if q.id != "c"}
    s = score_paper(paper, right)
    assert s.total == 4
    assert s.passed
    assert s.subtotals() == {"党章": (4.0, 4.0), "宪法与法治": (0.0, 2.0)}
    assert s.subtotals(2)["党章/党员"] == (2.0, 2.0)


def test_section_default_is_strict() -> None:
    assert Section(type="multiple", count=1, points=1).scoring == "strict"
