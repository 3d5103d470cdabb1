"""Everything a kiosk is set up with, in one plain object the app receives (no Textual)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .ports import Clock, GuardLike, SessionFactory, StoreLike

if TYPE_CHECKING:  # types only: the kiosk's first frame does not wait for the models (pydantic)
    from quizbank.loader import Library
    from quizbank.models import Blueprint

__all__ = ["KioskConfig"]


@dataclass
class KioskConfig:
    """What :class:`~quizbank_tui.app.KioskApp` needs; built by :func:`~quizbank_tui.app.make_app`."""

    store: StoreLike
    """The open database; the kiosk reads members and in-progress attempts from it."""
    library: Library | None
    """Banks and blueprints; None until ``load_library`` has run (after the first frame)."""
    guard: GuardLike
    """Checks IDs and PINs and locks a member out after five wrong PINs."""
    open_session: SessionFactory
    """Opens or resumes a member's exam (``ExamSession.open`` with the kiosk's settings bound)."""
    clock: Clock
    """The time the countdown and the notices are computed from."""
    admin_pin: str
    """F12 then this PIN leaves the kiosk."""
    blueprint: str | None = None
    """``--blueprint``: one paper plan for everyone; None picks by the member's audience."""
    time_limit_s: int | None = None
    """``--time-limit``: overrides the blueprint's time limit (drills, tests)."""
    title: str = "党建知识应知应会测试"
    """The heading of the login screen."""
    idle_s: float = 60.0
    """The result and start screens go back to login after this long without a key."""
    tick_s: float = 0.25
    """How often the countdown is recomputed from the clock."""
    autosave_s: float = 0.8
    """A fill blank being typed is saved this long after the last key (Enter saves at once)."""
    notice_at_s: tuple[int, ...] = (300, 60)
    """Remaining seconds at which the member gets a notice and the clock changes colour."""
    handle_signals: bool = True
    """Install SIGTERM/SIGHUP/SIGQUIT handlers (off in pilot tests, which share one process)."""
    load_library: Callable[[], Library] | None = None
    """Loads and checks the banks, in a thread once the login screen is up: reading 600-odd
    questions takes a tenth of a second that a member should not wait for."""

    def blueprint_for(self, library: Library, audience: str) -> Blueprint:
        """The blueprint a member of this audience sits, as the session would choose it."""
        key = self.blueprint or ("secretary" if audience == "secretary" else "member")
        return library.blueprint(key).blueprint
