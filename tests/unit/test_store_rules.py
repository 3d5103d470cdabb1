"""Pure parts of the store and session: response shapes, response encoding, error wording, sampling order."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizbank.errors import SessionError
from quizbank.models import PaperQuestion
from quizbank.session import normalise_response
from quizbank.spotcheck import sample_members
from quizbank.store import Member, _reason, _store_error, decode_response, encode_response

TZ = timezone(timedelta(hours=8))


def pq(type: str, **kw: Any) -> PaperQuestion:
    base: dict[str, Any] = {
        "no": 1,
        "id": "x-1",
        "type": type,
        "topic": "测试",
        "difficulty": "easy",
        "section": 0,
        "points": 2,
        "stem": "题",
        "options": ("甲", "乙", "丙", "丁") if type in ("single", "multiple") else (),
        "answer": {"single": "B", "multiple": "AC", "judge": True, "fill": (("一",), ("二", "贰"))}[type],
    }
    base.update(kw)
    return PaperQuestion.model_validate(base)


@pytest.mark.parametrize(
    ("type", "given_", "stored"),
    [
        ("single", "b", "B"),
        ("single", " C ", "C"),
        ("single", "", None),
        ("single", None, None),
        ("multiple", "CA", "AC"),
        ("multiple", "a,c，d", "ACD"),
        ("multiple", ["D", "A"], "AD"),
        ("multiple", "AA", "A"),
        ("multiple", [], None),
        ("judge", True, True),
        ("judge", False, False),
        ("fill", "一", ["一", ""]),
        ("fill", ["一", "二"], ["一", "二"]),
        ("fill", ("一",), ["一", ""]),
        ("fill", ["", " "], None),
    ],
)
def test_normalise_response(type: str, given_: Any, stored: Any) -> None:
    assert normalise_response(pq(type), given_) == stored


@pytest.mark.parametrize(
    ("type", "given_"),
    [
        ("single", "E"),
        ("single", "AB"),
        ("single", False),
        ("multiple", "AE"),
        ("judge", "A"),
        ("judge", 1),
        ("fill", ["a", "b", "c"]),
    ],
)
def test_responses_that_do_not_fit(type: str, given_: Any) -> None:
    with pytest.raises(SessionError):
        normalise_response(pq(type), given_)


@given(st.sets(st.sampled_from("ABCD")))
def test_multiple_choices_are_stored_in_one_canonical_form(letters: set[str]) -> None:
    shuffled = list(letters)
    random.Random(len(letters)).shuffle(shuffled)
    got = normalise_response(pq("multiple"), "".join(shuffled).lower())
    assert got == ("".join(sorted(letters)) or None)
    assert normalise_response(pq("multiple"), got) == got  # idempotent


responses = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=20),
    st.lists(st.text(max_size=10), max_size=10).map(tuple),
)


@given(responses)
def test_response_encoding_round_trips(response: Any) -> None:
    assert decode_response(encode_response(response)) == response


@pytest.mark.parametrize(
    ("message", "code", "reason"),
    [
        ("attempt to write a readonly database", 8, "read_only"),
        ("database or disk is full", 13, "disk_full"),
        ("database is locked", 5, "locked"),
        ("database table is locked", 6, "locked"),
        ("disk I/O error", 10 | (3 << 8), "io"),
        ("database disk image is malformed", 11, "corrupt"),
        ("file is not a database", 26, "corrupt"),
        ("unable to open database file", 14, "cannot_open"),
        ("database or disk is full", None, "disk_full"),  # a patched error without a code
        ("something else", 1, "other"),
    ],
)
def test_sqlite_errors_become_sentences(message: str, code: int | None, reason: str) -> None:
    e = sqlite3.OperationalError(message)
    if code is not None:
        e.sqlite_errorcode = code  # type: ignore[attr-defined]
    assert _reason(e) == reason
    err = _store_error(e, "/data/q.db", "the answer was not saved")
    assert err.reason == reason
    assert err.path == "/data/q.db"
    assert str(err).startswith("/data/q.db: ")
    if reason in ("read_only", "disk_full", "locked", "io"):
        assert "the answer was not saved" in str(err)
        assert "intact" in str(err)


def _m(mid: str) -> Member:
    return Member(mid, mid, "支部", "正式党员", True, False, "member")


def test_sampling_order() -> None:
    day = datetime(2024, 6, 1, 9, tzinfo=TZ)
    cands = [
        (_m("a"), day),
        (_m("b"), None),
        (_m("c"), day + timedelta(days=3)),
        (_m("d"), day + timedelta(hours=5)),  # same day as a: a tie
        (_m("e"), None),
    ]
    for seed in range(20):
        picked = [m.member_id for m in sample_members(cands, 5, random.Random(seed))]
        assert set(picked[:2]) == {"b", "e"}
        assert set(picked[2:4]) == {"a", "d"}
        assert picked[4] == "c"
    orders = {tuple(m.member_id for m in sample_members(cands, 5, random.Random(s))) for s in range(40)}
    assert len(orders) == 4  # every tie order happens


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=6))
def test_sampling_is_a_pure_function_of_the_seed(seed: int, n: int) -> None:
    cands = [(_m(str(i)), None if i % 3 == 0 else datetime(2024, 1, 1 + i % 5, tzinfo=TZ)) for i in range(6)]
    one = sample_members(cands, n, random.Random(seed))
    two = sample_members(list(reversed(cands)), n, random.Random(seed))
    assert one == two
    assert len(one) == n
