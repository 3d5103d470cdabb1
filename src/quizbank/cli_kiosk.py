"""``quizbank kiosk``: the exam kiosk on this terminal.

Thin on purpose: check the setup that is cheap to check (admin PIN, terminal, database,
roster) before the screen is taken over, so that a misconfigured kiosk says why in plain
text; then build the app with :func:`quizbank_tui.app.make_app` (the factory the tests use
too) and run it. The banks and blueprints are loaded and checked by the app in a thread
after the login screen is drawn (a tenth of a second of start-up a member does not wait
for); a problem with them is shown on the kiosk and logins are refused. Textual is
imported here, inside the command, and nowhere else in the CLI, so the other commands
start fast.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import TYPE_CHECKING, Any

from .errors import InfeasibleError, QuizbankError

if TYPE_CHECKING:
    from .loader import Library

__all__ = ["ADMIN_PIN_ENV", "DEMO_ADMIN_PIN", "add_commands", "cmd_kiosk"]

ADMIN_PIN_ENV = "QUIZBANK_ADMIN_PIN"
DEMO_ADMIN_PIN = "0000"
"""The admin PIN of ``--demo`` when none is given (shown on the login screen)."""


def _duration(text: str) -> int:
    from .models import parse_duration

    try:
        return parse_duration(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``kiosk`` on the ``quizbank`` parser (called by :mod:`quizbank.cli`)."""
    p = sub.add_parser(
        "kiosk",
        parents=[common],
        help="the exam kiosk (full screen; F12 and the admin PIN leave it)",
        description="Runs the exam kiosk on this terminal. Members log in with their ID; F12 and the admin PIN close it.",
    )
    p.add_argument("--blueprint", metavar="B", help="one blueprint for everyone (default: member / secretary by roster)")
    p.add_argument("--time-limit", metavar="DURATION", type=_duration, help="override the time limit: 30s, 10m, 1h")
    p.add_argument("--demo", action="store_true", help="create the demo roster (IDs 1001…) if the database has no members")
    p.add_argument(
        "--admin-pin",
        metavar="PIN",
        default=os.environ.get(ADMIN_PIN_ENV),
        help=f"the PIN that closes the kiosk (default: ${ADMIN_PIN_ENV}; required unless --demo)",
    )
    p.set_defaults(handler=cmd_kiosk)


def _check_blueprints(library: Any, keys: list[str]) -> None:
    from .generator import PaperGenerator

    for key in keys:
        lb = library.blueprint(key)
        gen = PaperGenerator(lb.blueprint, library.questions, blueprint_key=lb.key)
        if not gen.feasible():
            raise InfeasibleError(f"blueprint '{key}' cannot be met by the banks; the kiosk would fail at login", gen.explain())


def cmd_kiosk(args: argparse.Namespace) -> int:
    # Until Textual takes the terminal over (and turns ISIG off), Ctrl+C, Ctrl+Z and Ctrl+\
    # would still raise signals: a member must not be dropped into a shell while banks load.
    for sig in (signal.SIGINT, signal.SIGTSTP, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_IGN)
    pin = args.admin_pin
    if not pin:
        if not args.demo:
            sys.stderr.write(f"quizbank kiosk: give an admin PIN with --admin-pin PIN or ${ADMIN_PIN_ENV} (or use --demo)\n")
            return 2
        pin = DEMO_ADMIN_PIN
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        sys.stderr.write("quizbank kiosk: needs a terminal (run it in a terminal, tmux or an SSH session)\n")
        return 2

    # the store, the roster check and the app do not import the models (pydantic): the banks,
    # and with them the models, are loaded in a thread once the login screen is drawn
    from .store import Store

    def library() -> Library:
        # runs in a thread once the login screen is up; a problem is shown on the kiosk
        from .loader import load_library

        lib = load_library(args.banks)
        _check_blueprints(lib, [args.blueprint] if args.blueprint else ["member", "secretary"])
        return lib

    with Store.open(args.db) as store:
        if not store.members():
            if not args.demo:
                raise QuizbankError(f"{args.db}: no members yet; import a roster (quizbank roster import FILE) or use --demo")
            store.create_demo_roster()
        from quizbank_tui.app import make_app

        app = make_app(
            store,
            library,
            admin_pin=pin,
            blueprint=args.blueprint,
            time_limit_s=args.time_limit,
            demo=args.demo and pin == DEMO_ADMIN_PIN,
        )
        app.run()
        return app.return_code or 0
