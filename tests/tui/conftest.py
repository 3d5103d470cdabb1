"""Fixtures for the kiosk tests: a frozen clock, the small test bank, an in-memory store.

Cursor blink is off for every test (harlequin does the same): a blinking cursor makes a
snapshot depend on the moment it was taken.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from quizbank.loader import Library, load_library
from quizbank.store import AttemptRecord, Store
from quizbank_tui.app import KioskApp, make_app

from .fakes import FakeClock, FakeGuard, FakeSession, FakeStore

DATA = Path(__file__).parent / "data"
ADMIN_PIN = "9999"
SIZE = (80, 24)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests on a fresh event loop (no pytest-asyncio needed for pilots)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(Input, "cursor_blink", False)
    return


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(DATA)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class Kiosk:
    """Builds kiosk apps over one database and one clock, as a restarted kiosk would.

    The real store, session and login guard (the database is a file under ``tmp_path``);
    only the clock is fake. ``reopen()`` closes the store and opens the file again, as a
    kiosk process that was killed and started anew would.
    """

    def __init__(self, db: Path, library: Library, clock: FakeClock) -> None:
        self.db = db
        self.library = library
        self.clock = clock
        self.store = Store.open(db)
        if not self.store.members():
            self.store.create_demo_roster()

    def app(self, library: Library | Callable[[], Library] | None = None, **options: Any) -> KioskApp:
        options.setdefault("blueprint", "kiosk")
        options.setdefault("handle_signals", False)
        options.setdefault("seed", 7)
        return make_app(self.store, library or self.library, admin_pin=ADMIN_PIN, clock=self.clock, **options)

    def reopen(self) -> None:
        self.store.close()
        self.store = Store.open(self.db)

    def attempt(self, member_id: str = "1002") -> AttemptRecord:
        """The member's latest attempt, read back from the database."""
        return list(self.store.attempts(member_id=member_id))[-1]

    def close(self) -> None:
        self.store.close()


@pytest.fixture
def kiosk(tmp_path: Path, library: Library, clock: FakeClock) -> Iterator[Kiosk]:
    k = Kiosk(tmp_path / "kiosk.db", library, clock)
    yield k
    k.close()


class FakeKiosk:
    """The same, over the in-memory fake (for failures a real database will not produce on cue)."""

    def __init__(self, library: Library, clock: FakeClock) -> None:
        self.store = FakeStore()
        self.store.create_demo_roster()
        self.library = library
        self.clock = clock
        self.guard = FakeGuard(self.store, clock)

    def app(self, **options: Any) -> KioskApp:
        options.setdefault("blueprint", "kiosk")
        options.setdefault("handle_signals", False)
        options.setdefault("seed", 7)
        return make_app(
            self.store,
            self.library,
            admin_pin=ADMIN_PIN,
            clock=self.clock,
            guard=self.guard,
            session_opener=FakeSession.open,
            **options,
        )


@pytest.fixture
def fake_kiosk(library: Library, clock: FakeClock) -> FakeKiosk:
    return FakeKiosk(library, clock)
