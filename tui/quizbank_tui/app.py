"""The kiosk app: styles, screens, global keys, and :func:`make_app`, the one factory.

The app only routes: each screen reports what happened with a message and the app decides
what comes next (login → start → exam → result → login). Lockdown is done with Textual's
own switches: ``inherit_bindings=False`` everywhere, ``ENABLE_COMMAND_PALETTE = False``, the
keys members reflexively press to get out (Ctrl+C, Ctrl+Q, Ctrl+Z, Ctrl+\\) bound to nothing
at the highest priority, and ``TEXTUAL_ALLOW_SIGNALS`` dropped before the terminal is set up
(with it, Ctrl+C would raise SIGINT). F12 and the admin PIN are the only way out.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen
from textual.worker import get_current_worker

from quizbank.errors import QuizbankError

from .config import KioskConfig
from .ports import Clock, GuardLike, MemberLike, SessionLike, StoreLike
from .screens.admin_exit import AdminExitScreen
from .screens.login import LoginScreen
from .theme import HIGH_CONTRAST

# Nothing on the way to the login screen imports the models (pydantic, a third of the start-up):
# the loader, the session and the other screens are imported where they are first used, once
# the login screen is up (the banks load in a thread then, and import the models anyway).
if TYPE_CHECKING:
    from quizbank.loader import Library

    from .screens.exam import ExamScreen
    from .screens.result import ResultScreen
    from .screens.start import StartScreen

__all__ = ["EXIT_SIGNALS", "KioskApp", "SessionOpener", "make_app", "now_local"]

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
"""Signals that save what is pending, restore the terminal and exit (128 + signal number)."""


def now_local() -> datetime:
    """The wall clock as an aware datetime in the local zone."""
    return datetime.now().astimezone()


class SessionOpener(Protocol):
    """``ExamSession.open``'s signature (a fake with the same signature can stand in)."""

    def __call__(
        self,
        store: Any,
        library: Library,
        member_id: str,
        *,
        blueprint: str | None = ...,
        time_limit_s: int | None = ...,
        clock: Clock = ...,
        rng: random.Random | None = ...,
    ) -> SessionLike: ...


class KioskApp(App[int], inherit_bindings=False):
    """The exam kiosk. Build it with :func:`make_app`."""

    CSS_PATH = "kiosk.tcss"
    TITLE = "quizbank"
    ENABLE_COMMAND_PALETTE = False
    NOTIFICATION_TIMEOUT = 6

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f12", "admin_exit", show=False, priority=True, system=True),
        # bound, at top priority, to nothing: no widget (an Input's copy, a scroll) ever sees them
        Binding("ctrl+c,ctrl+q,ctrl+z,ctrl+backslash,ctrl+p", "nothing", show=False, priority=True, system=True),
    ]

    ADMIN_LOCK_AFTER = 5
    """Wrong admin PINs before F12 stops answering for ``ADMIN_LOCK_S`` seconds."""
    ADMIN_LOCK_S = 300

    class LibraryLoaded(Message):
        """The banks are loaded and checked (or could not be: ``error`` says why)."""

        def __init__(self, library: Library | None, error: str = "") -> None:
            super().__init__()
            self.library = library
            self.error = error

    def __init__(self, config: KioskConfig) -> None:
        os.environ.pop("TEXTUAL_ALLOW_SIGNALS", None)
        super().__init__()
        self.config = config
        self.library: Library | None = config.library
        self.library_error = ""
        self._waiting_member: MemberLike | None = None
        # before the stylesheet is first parsed: switching themes later re-parses all of it
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name
        self.session: SessionLike | None = None
        self.member: MemberLike | None = None
        self._admin_failures = 0
        self._admin_locked_until: datetime | None = None
        self._stopping = False
        self._watchdog: threading.Timer | None = None
        self._too_small = False
        self.demo_note = ""

    # ------------------------------------------------------------------ lifecycle
    def on_mount(self) -> None:
        if self.config.handle_signals:
            self._install_signal_handlers()
        self.push_screen(self._login_screen())
        if self.library is None and self.config.load_library is not None:
            self.call_after_refresh(self.run_worker, self._load_library, thread=True, name="load-library")

    def _load_library(self) -> None:
        """Worker thread: read the banks; only posts a message (no widget is touched here)."""
        assert self.config.load_library is not None
        try:
            library = self.config.load_library()
        except Exception as e:  # a kiosk shows what is wrong; it does not crash in front of a member
            text = str(e) if isinstance(e, QuizbankError) else f"{type(e).__name__}: {e}"
            self.post_message(self.LibraryLoaded(None, text))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.LibraryLoaded(library))

    async def on_kiosk_app_library_loaded(self, message: LibraryLoaded) -> None:
        self.library = message.library
        self.library_error = message.error
        waiting, self._waiting_member = self._waiting_member, None
        if waiting is not None and self.library is not None:
            await self._after_login(waiting, self.library)
        if message.error:
            self.notify(
                f"题库或组卷方案有问题，考试无法开始。请管理员处理：\n{message.error}",
                title="无法考试",
                severity="error",
                timeout=3600,
                markup=False,
            )

    def _library_or_say_why(self) -> Library | None:
        if self.library is None:
            self.notify(f"考试无法开始，请找管理员：{self.library_error}", severity="error", timeout=30, markup=False)
        return self.library

    def _login_screen(self) -> LoginScreen:
        return LoginScreen(self.config.guard, self.config.title, note=self.demo_note)

    def _exam_screen(self) -> ExamScreen | None:
        from .screens.exam import ExamScreen

        for screen in self.screen_stack:
            if isinstance(screen, ExamScreen):
                return screen
        return None

    async def _replace_with(self, screen: Any) -> None:
        """Close any dialog, then put ``screen`` where the current screen was."""
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        await self.switch_screen(screen)

    def save_pending(self) -> None:
        """Save typed-but-unsaved blanks (before any exit)."""
        exam = self._exam_screen()
        if exam is not None:
            exam.flush_pending()

    def shutdown(self, return_code: int = 0) -> None:
        """Save, restore the terminal and leave."""
        if self._stopping:
            return
        self._stopping = True
        self.save_pending()
        self.exit(return_code=return_code)

    def _install_signal_handlers(self) -> None:
        """Plain ``signal.signal`` handlers, not the event loop's: they must work while the loop
        is stuck too (restoring a terminal that has gone away can block Textual's shutdown)."""
        loop = asyncio.get_running_loop()

        def handler(signum: int, _frame: object) -> None:
            self._start_watchdog(128 + signum)
            with contextlib.suppress(RuntimeError):  # the loop has already closed: the watchdog ends it
                loop.call_soon_threadsafe(self.on_exit_signal, signum)

        for sig in EXIT_SIGNALS:
            signal.signal(sig, handler)
        # Textual suspends on SIGTSTP and restarts its terminal mode on SIGCONT. A kiosk never
        # suspends, and tmux sends SIGCONT right after SIGHUP when its session is killed: a
        # restart racing the shutdown leaves Textual waiting on a writer thread that is gone.
        signal.signal(signal.SIGTSTP, signal.SIG_IGN)
        signal.signal(signal.SIGCONT, signal.SIG_DFL)

    def _start_watchdog(self, code: int, seconds: float = 5.0) -> None:
        if self._watchdog is None:
            self._watchdog = threading.Timer(seconds, os._exit, args=(code,))
            self._watchdog.daemon = True
            self._watchdog.start()

    def on_exit_signal(self, signum: int) -> None:
        """SIGTERM / SIGHUP / SIGQUIT: save what is typed, restore the terminal and exit.

        The signal handler has started a watchdog already: after SIGHUP the terminal is gone
        and restoring it may block or fail; the attempt is committed, so after a few seconds
        the process simply ends.
        """
        self.shutdown(128 + signum)

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        small = width < 80 or height < 24
        if small and not self._too_small:
            self.notify("窗口太小：请把终端放大到至少 80 列、24 行。", severity="warning", timeout=8, markup=False)
        self._too_small = small

    # ------------------------------------------------------------------ global keys
    def action_nothing(self) -> None:
        """Ctrl+C, Ctrl+Q, Ctrl+Z, Ctrl+\\ and Ctrl+P do nothing at the kiosk."""

    # Defence in depth: no question text is ever parsed as markup, but should an action ever
    # reach the app from text (``[@click=app.quit]``), the ways out and away do nothing.
    async def action_quit(self) -> None:
        """Quitting is :meth:`shutdown`, reached only through F12 and the admin PIN."""

    def action_suspend_process(self) -> None:
        """No suspending to a shell."""

    def action_command_palette(self) -> None:
        """No command palette."""

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """No browser is ever opened from the kiosk."""

    def action_admin_exit(self) -> None:
        if isinstance(self.screen, AdminExitScreen):
            return
        now = self.config.clock()
        if self._admin_locked_until is not None and now < self._admin_locked_until:
            return

        def done(ok: bool | None) -> None:
            if ok:
                self.shutdown(0)

        self.push_screen(AdminExitScreen(self.config.admin_pin), done)

    def on_admin_exit_screen_wrong_pin(self, _message: AdminExitScreen.WrongPin) -> None:
        self._admin_failures += 1
        if self._admin_failures >= self.ADMIN_LOCK_AFTER:
            self._admin_failures = 0
            self._admin_locked_until = self.config.clock() + timedelta(seconds=self.ADMIN_LOCK_S)

    # ------------------------------------------------------------------ the flow
    async def on_login_screen_logged_in(self, message: LoginScreen.LoggedIn) -> None:
        member = message.member
        self.member = member
        if self.library is None and not self.library_error:
            # the banks are still loading (the first seconds after start): carry on when they are.
            # Not awaited here: the app's messages, the "loaded" one too, wait behind this handler.
            self._waiting_member = member
            self.notify("正在准备试题，请稍候。", timeout=3, markup=False)
            return
        library = self._library_or_say_why()
        if library is not None:
            await self._after_login(member, library)

    async def _after_login(self, member: MemberLike, library: Library) -> None:
        from .screens.start import StartScreen

        try:
            resuming = any(
                a.status == "in_progress" for a in self.config.store.attempts(member_id=member.member_id, with_answers=False)
            )
            if resuming:
                await self._open_exam(member)
                return
            bp = self.config.blueprint_for(library, member.audience)
        except QuizbankError as e:
            self.notify(f"无法开始考试：{e}。请找管理员。", severity="error", timeout=15, markup=False)
            return
        time_limit = self.config.time_limit_s or bp.time_limit
        await self._replace_with(StartScreen(member, bp, time_limit, self.config.idle_s))

    async def on_start_screen_begin(self, _message: StartScreen.Begin) -> None:
        if self.member is not None:
            await self._open_exam(self.member)

    async def on_start_screen_cancel(self, _message: StartScreen.Cancel) -> None:
        await self.back_to_login()

    async def _open_exam(self, member: MemberLike) -> None:
        from .screens.exam import ExamScreen
        from .screens.start import StartScreen

        library = self._library_or_say_why()
        if library is None:
            return
        try:
            session = self.config.open_session(library, member.member_id)
        except QuizbankError as e:
            self.notify(f"无法开始考试：{e}。请找管理员。", severity="error", timeout=15, markup=False)
            if isinstance(self.screen, StartScreen):
                self.screen.failed()
            return
        self.session = session
        if session.status != "in_progress":
            await self._show_result(session, "上次的考试已经到时间，已按到时的答题情况交卷。")
            return
        c = self.config
        await self._replace_with(ExamScreen(session, tick_s=c.tick_s, autosave_s=c.autosave_s, notice_at_s=c.notice_at_s))
        if session.resumed:
            answered = len(session.paper.questions) - len(session.unanswered())
            self.notify(f"已恢复您上次未完成的考试：已答{answered}题，计时照旧。", timeout=8, markup=False)

    async def on_exam_screen_finished(self, message: ExamScreen.Finished) -> None:
        if self.session is None:
            return
        notice = "考试时间到，试卷已按当时的答题情况自动提交。" if message.expired else ""
        await self._show_result(self.session, notice)

    async def _show_result(self, session: SessionLike, notice: str) -> None:
        from .screens.result import ResultScreen

        try:
            score = session.result or session.submit()
        except QuizbankError as e:
            self.notify(f"交卷没有成功：{e}。请找管理员。", severity="error", timeout=30, markup=False)
            return
        screen = ResultScreen(
            session.member, session.paper, score, dict(session.responses), notice=notice, idle_s=self.config.idle_s
        )
        await self._replace_with(screen)

    async def on_result_screen_done(self, _message: ResultScreen.Done) -> None:
        await self.back_to_login()

    async def back_to_login(self) -> None:
        self.session = None
        self.member = None
        await self._replace_with(self._login_screen())


def make_app(
    store: StoreLike,
    library: Library | Callable[[], Library],
    *,
    admin_pin: str,
    blueprint: str | None = None,
    time_limit_s: int | None = None,
    clock: Clock | None = None,
    guard: GuardLike | None = None,
    session_opener: SessionOpener | None = None,
    seed: int | None = None,
    demo: bool = False,
    **options: Any,
) -> KioskApp:
    """Build the kiosk; the CLI and the tests both come through here.

    Args:
        store: the open database (``quizbank.store.Store``).
        library: the banks and blueprints, or a function that loads (and checks) them; a
            function is called in a thread once the login screen is drawn.
        admin_pin: F12 then this PIN leaves the kiosk.
        blueprint: one blueprint for everyone; None picks by the member's audience.
        time_limit_s: overrides the blueprint's time limit.
        clock: the time source (default: the wall clock, local zone).
        guard: the login guard (default: ``quizbank.auth.LoginGuard(store, clock)``).
        session_opener: ``ExamSession.open`` or a stand-in with its signature.
        seed: makes every paper drawn by this app reproducible (tests, snapshots).
        demo: shows the demo admin PIN on the login screen.
        **options: further :class:`KioskConfig` fields (``idle_s``, ``tick_s``, ``handle_signals``…).
    """
    the_clock: Clock = clock or now_local
    if guard is None:
        from quizbank.auth import LoginGuard
        from quizbank.store import Store

        if not isinstance(store, Store):
            raise TypeError("a stand-in store needs a stand-in guard: pass guard=")
        guard = LoginGuard(store, the_clock)

    def open_session(lib: Library, member_id: str) -> SessionLike:
        opener: SessionOpener
        if session_opener is None:  # imported at the first login, not before the first frame
            from quizbank.session import ExamSession

            opener = ExamSession.open
        else:
            opener = session_opener
        rng = random.Random(seed) if seed is not None else None
        return opener(store, lib, member_id, blueprint=blueprint, time_limit_s=time_limit_s, clock=the_clock, rng=rng)

    # a Library is not callable: telling the loader function apart spares importing the loader
    loaded: Library | None = None
    loader: Callable[[], Library] | None = None
    if callable(library):
        loader = library
    else:
        loaded = library
    config = KioskConfig(
        store=store,
        library=loaded,
        load_library=loader,
        guard=guard,
        open_session=open_session,
        clock=the_clock,
        admin_pin=admin_pin,
        blueprint=blueprint,
        time_limit_s=time_limit_s,
        **options,
    )
    app = KioskApp(config)
    if demo:
        app.demo_note = f"演示模式：管理员按 F12，口令 {admin_pin}"
    return app
