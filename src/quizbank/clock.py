"""The kiosk's time source: a clock type and the wall clock in the local zone.

Kept apart from :mod:`quizbank.session` (which needs the models and pydantic) so that the
login guard, and with it the kiosk's first frame, does not import them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

__all__ = ["Clock", "now_local"]

Clock = Callable[[], datetime]
"""Returns the current time as an aware datetime; tests pass a fake they can move."""


def now_local() -> datetime:
    """The current time, aware, in the machine's local zone."""
    return datetime.now().astimezone()
