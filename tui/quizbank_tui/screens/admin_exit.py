"""Leaving the kiosk: F12 opens this dialog; only the admin PIN closes the app."""

from __future__ import annotations

import hmac
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

__all__ = ["AdminExitScreen"]


class AdminExitScreen(ModalScreen[bool], inherit_bindings=False):
    """True once the admin PIN was typed; False after Esc or three wrong PINs.

    The PIN is compared in constant time; the app counts failures across openings and
    refuses F12 for a while after too many.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "返回", key_display="Esc")]

    MAX_TRIES = 3

    class WrongPin(Message):
        """A wrong admin PIN was typed (the app counts these to slow down guessing)."""

    def __init__(self, admin_pin: str) -> None:
        super().__init__(id="admin-exit")
        self._pin = admin_pin
        self.failures = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="admin-box"):
            yield Static(Content("管理员退出"), id="admin-title", markup=False)
            yield Static(Content("请输入管理员口令，按 Enter 确认；按 Esc 返回。"), markup=False)
            yield Input(id="admin-pin", password=True, max_length=64, compact=True)
            yield Static(id="admin-message", markup=False)

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if hmac.compare_digest(event.value.encode(), self._pin.encode()):
            self.dismiss(True)
            return
        self.failures += 1
        event.input.value = ""
        self.app.post_message(self.WrongPin())
        if self.failures >= self.MAX_TRIES:
            self.dismiss(False)
            return
        self.query_one("#admin-message", Static).update(Content("口令不对。"))

    def action_cancel(self) -> None:
        self.dismiss(False)
