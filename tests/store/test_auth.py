"""PIN login and lockout: counted in the database, so every kiosk sees the same lock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quizbank.auth import LockedOut, LoginGuard, PinRequired, WrongPin
from quizbank.errors import NotFoundError
from quizbank.roster import RosterEntry
from quizbank.store import Store

from .synth import FakeClock


def test_members_without_a_pin_log_in_with_their_id(store: Store, clock: FakeClock) -> None:
    guard = LoginGuard(store, clock)
    assert guard.login("1002", None).name == "李秀英"
    assert guard.login(" 1002 ", "whatever").member_id == "1002"


def test_pin_required_and_right_pin(store: Store, clock: FakeClock) -> None:
    guard = LoginGuard(store, clock)
    with pytest.raises(PinRequired):
        guard.login("1010", None)
    with pytest.raises(PinRequired):
        guard.login("1010", "")
    assert guard.login("1010", "1234").member_id == "1010"


def test_five_wrong_pins_lock_for_five_minutes_on_every_kiosk(store: Store, clock: FakeClock) -> None:
    guard = LoginGuard(store, clock)
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongPin) as e:
            guard.login("1010", "0000")
        assert e.value.remaining_tries == left
    with pytest.raises(LockedOut) as locked:
        guard.login("1010", "0000")
    assert locked.value.until == clock() + timedelta(minutes=5)
    # the right PIN does not help during the lock, on this kiosk or another
    with Store.open(store.path) as other, pytest.raises(LockedOut):
        LoginGuard(other, clock).login("1010", "1234")
    with pytest.raises(LockedOut):
        guard.login("1010", "1234")
    clock.advance(299)
    with pytest.raises(LockedOut):
        guard.login("1010", "1234")
    clock.advance(1)
    assert guard.login("1010", "1234").member_id == "1010"


def test_a_lock_that_ran_out_starts_the_count_afresh(store: Store, clock: FakeClock) -> None:
    guard = LoginGuard(store, clock, max_tries=2, lock_s=60)
    for _ in range(1):
        with pytest.raises(WrongPin):
            guard.login("1010", "9")
    with pytest.raises(LockedOut):
        guard.login("1010", "9")
    clock.advance(61)
    with pytest.raises(WrongPin) as e:
        guard.login("1010", "9")
    assert e.value.remaining_tries == 1


def test_a_right_pin_clears_the_count(store: Store, clock: FakeClock) -> None:
    guard = LoginGuard(store, clock)
    for _ in range(4):
        with pytest.raises(WrongPin):
            guard.login("1010", "1")
    guard.login("1010", "1234")
    assert store.login_state("1010").failures == 0
    with pytest.raises(WrongPin) as e:
        guard.login("1010", "1")
    assert e.value.remaining_tries == 4


def test_unknown_and_inactive_ids(store: Store, clock: FakeClock) -> None:
    guard = LoginGuard(store, clock)
    with pytest.raises(NotFoundError):
        guard.login("9999", None)
    store.import_roster([RosterEntry("1002", "李秀英", "机关党总支", "正式党员", None, 2)])
    with pytest.raises(NotFoundError, match="no longer"):
        guard.login("1003", None)
