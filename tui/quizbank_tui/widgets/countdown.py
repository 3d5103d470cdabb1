"""The exam countdown: mm:ss, a colour and a word once time runs short."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from ..labels import format_clock

__all__ = ["Countdown"]


class Countdown(Static):
    """Shows the remaining seconds it is given; it never reads a clock itself.

    The exam screen computes the remaining time from the stored deadline and the injected
    clock and sets :attr:`remaining`; this widget only draws it, so a frozen clock gives a
    frozen countdown in tests and snapshots.
    """

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        padding: 0 1;
        text-style: bold;
        color: $foreground;
    }
    Countdown.-warning {
        background: $warning;
        color: #000000;
    }
    Countdown.-danger {
        background: $error;
        color: #000000;
    }
    """

    remaining: reactive[float] = reactive(0.0)
    """Seconds left."""

    def __init__(self, remaining: float, *, warn_at: float = 300, danger_at: float = 60, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.warn_at = warn_at
        self.danger_at = danger_at
        self.set_reactive(Countdown.remaining, remaining)

    def on_mount(self) -> None:
        self.watch_remaining(self.remaining)

    def watch_remaining(self, remaining: float) -> None:
        danger = remaining <= self.danger_at
        warning = not danger and remaining <= self.warn_at
        if danger != self.has_class("-danger") or warning != self.has_class("-warning"):
            self.set_class(danger, "-danger")
            self.set_class(warning, "-warning")
            self.refresh(layout=True)  # the word after the time changes the width

    def render(self) -> Content:
        # A word as well as a colour: the state must not be told by colour alone.
        word = ""
        if self.remaining <= self.danger_at:
            word = " 即将交卷"
        elif self.remaining <= self.warn_at:
            word = " 请抓紧"
        return Content(f"剩余 {format_clock(self.remaining)}{word}")
