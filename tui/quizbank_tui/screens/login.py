"""Login: the member types their 编号, then their 口令 if they have one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from quizbank.errors import NotFoundError, QuizbankError

from ..ports import GuardLike, MemberLike
from ..widgets import Prose

__all__ = ["LoginScreen"]


class LoginScreen(Screen[None], inherit_bindings=False):
    """Asks for an ID, then a PIN when the member has one, and reports who logged in.

    Every refusal is one plain sentence; five wrong PINs lock the member out (the guard
    counts them in the database, so another kiosk sees the lock too).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", "确认", key_display="Enter"),
        Binding("escape", "restart", "重新输入", key_display="Esc"),
    ]

    @dataclass
    class LoggedIn(Message):
        """A member passed the ID (and PIN) check."""

        member: MemberLike

    def __init__(self, guard: GuardLike, title: str, *, note: str = "") -> None:
        super().__init__(id="login")
        self.guard = guard
        self.heading = title
        self.note = note
        self._member_id: str | None = None

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="login-box"):
            yield Static(Content(self.heading), id="login-title", markup=False)
            yield Static(Content("请输入您的编号，按 Enter 确认。"), id="login-help", markup=False)
            yield Static(Content("编号"), classes="field-label", markup=False)
            yield Input(id="member-id", restrict=r"[0-9A-Za-z_.\-]*", max_length=20)
            yield Static(Content("口令"), id="pin-label", classes="field-label", markup=False)
            yield Input(id="pin", password=True, max_length=32)
            yield Prose("", id="login-message")
        if self.note:
            yield Static(Content(self.note), id="login-note", markup=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self._show_pin(False)
        self.set_focus(self.query_one("#member-id", Input))

    def on_screen_resume(self) -> None:
        self.query_one("#pin", Input).value = ""

    def _show_pin(self, show: bool) -> None:
        self.query_one("#pin", Input).display = show
        self.query_one("#pin-label").display = show

    def _say(self, text: str, *, error: bool = True) -> None:
        msg = self.query_one("#login-message", Prose)
        msg.update(text)
        msg.set_class(error, "-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def action_confirm(self) -> None:
        id_input = self.query_one("#member-id", Input)
        pin_input = self.query_one("#pin", Input)
        member_id = id_input.value.strip()
        if not member_id:
            self._say("请先输入编号。")
            self.set_focus(id_input)
            return
        if self._member_id != member_id:
            # the ID was changed after a PIN was asked for: start over with the new ID
            self._member_id = None
            self._show_pin(False)
            pin_input.value = ""
        pin = pin_input.value if self._member_id is not None else None
        self._login(member_id, pin)

    def _login(self, member_id: str, pin: str | None) -> None:
        from quizbank.auth import LockedOut, PinRequired, WrongPin

        pin_input = self.query_one("#pin", Input)
        try:
            member = self.guard.login(member_id, pin)
        except NotFoundError:
            self._say(f"没有找到编号 {member_id}，请核对后重新输入。")
            self.action_restart(keep_message=True)
            return
        except PinRequired:
            self._member_id = member_id
            self._show_pin(True)
            self._say("请输入口令，按 Enter 确认。", error=False)
            pin_input.value = ""
            self.set_focus(pin_input)
            return
        except WrongPin as e:
            self._member_id = member_id
            pin_input.value = ""
            self.set_focus(pin_input)
            self._say(f"口令不对，还可以再试 {e.remaining_tries} 次。")
            return
        except LockedOut as e:
            self._say(f"口令错误次数太多，编号 {member_id} 已暂时锁定，请在 {e.until:%H:%M} 以后再试，或请管理员帮助。")
            self.action_restart(keep_message=True)
            return
        except QuizbankError as e:
            self._say(f"暂时无法登录：{e}")
            return
        self.action_restart()
        self.post_message(self.LoggedIn(member))

    def action_restart(self, keep_message: bool = False) -> None:
        """Clear both fields and ask for an ID again."""
        self._member_id = None
        id_input = self.query_one("#member-id", Input)
        id_input.value = ""
        self.query_one("#pin", Input).value = ""
        self._show_pin(False)
        if not keep_message:
            self._say("", error=False)
        self.set_focus(id_input)
