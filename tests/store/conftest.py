"""Fixtures for the store tests: a synthetic library, a fake clock, a demo database in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quizbank.loader import Library
from quizbank.store import Store

from .synth import FakeClock, make_library


@pytest.fixture(scope="session")
def library() -> Library:
    return make_library()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quizbank.db"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[Store]:
    """A database with the demo roster (1001–1030; 1010 has PIN 1234)."""
    with Store.open(db_path) as s:
        s.create_demo_roster(now=clock())
        yield s
