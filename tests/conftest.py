"""Shared fixtures: the shipped library loaded once, small question factories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from quizbank.loader import Library, load_library

ROOT = Path(__file__).resolve().parent.parent
BANKS = ROOT / "question_banks"

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def shipped() -> Library:
    """The shipped banks and blueprints, loaded once per test run."""
    return load_library(BANKS)
