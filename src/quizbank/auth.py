"""Kiosk login: member ID and optional PIN, with a lockout after repeated wrong PINs.

Five wrong PINs lock the member for five minutes. The count and the lock live in the
database, not in the kiosk process, so walking to the next kiosk (or restarting this one)
does not reset them. A correct PIN clears the count; a lock that has run out starts the
count afresh.

The exceptions are what the login screen shows; each carries what it needs to say
(tries left, the time the lock ends).
"""

from __future__ import annotations

from datetime import datetime

from .clock import Clock, now_local
from .errors import NotFoundError, QuizbankError
from .store import Member, Store

__all__ = ["LockedOut", "LoginError", "LoginGuard", "PinRequired", "WrongPin"]


class LoginError(QuizbankError):
    """A login the kiosk refuses (base of the three below)."""


class PinRequired(LoginError):
    """The member has a PIN and none was given: ask for it."""


class WrongPin(LoginError):
    """The PIN was wrong; ``remaining_tries`` more before the member is locked out."""

    def __init__(self, remaining_tries: int) -> None:
        self.remaining_tries = remaining_tries
        super().__init__(f"wrong PIN; {remaining_tries} {'try' if remaining_tries == 1 else 'tries'} left")


class LockedOut(LoginError):
    """Too many wrong PINs: no login for this member until ``until``."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(f"too many wrong PINs; locked until {until:%H:%M}")


class LoginGuard:
    """Checks member IDs and PINs against the store, keeping count of wrong PINs.

    Args:
        store: the open database.
        clock: aware current time (tests pass a fake).
        max_tries: wrong PINs before a lock.
        lock_s: how long a lock lasts.
    """

    def __init__(self, store: Store, clock: Clock = now_local, *, max_tries: int = 5, lock_s: float = 300.0) -> None:
        self.store = store
        self.clock = clock
        self.max_tries = max_tries
        self.lock_s = lock_s

    def login(self, member_id: str, pin: str | None) -> Member:
        """The member, if the ID is on the active roster and the PIN (when they have one) is right.

        Raises:
            NotFoundError: no active member with this ID.
            LockedOut: locked by earlier wrong PINs (checked before the PIN, so guessing
                during a lock learns nothing).
            PinRequired: the member has a PIN and ``pin`` is empty.
            WrongPin: the PIN is wrong (this one counted).
        """
        member_id = member_id.strip()
        member = self.store.member(member_id)
        if not member.active:
            raise NotFoundError(f"{member_id} is no longer on the active roster")
        now = self._now()
        state = self.store.login_state(member_id)
        if state.locked_until is not None and now < state.locked_until:
            raise LockedOut(state.locked_until)
        if not member.has_pin:
            return member
        if not pin:
            raise PinRequired(f"{member.name} ({member_id}) has a PIN: enter it")
        if self.store.verify_pin(member_id, pin):
            if state.failures:
                self.store.reset_login_failures(member_id)
            return member
        after = self.store.record_login_failure(member_id, now, max_tries=self.max_tries, lock_s=self.lock_s)
        if after.locked_until is not None:
            raise LockedOut(after.locked_until)
        raise WrongPin(self.max_tries - after.failures)

    def _now(self) -> datetime:
        t = self.clock()
        return t if t.tzinfo is not None else t.astimezone()
