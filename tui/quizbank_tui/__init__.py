"""The exam kiosk: a Textual app that drives quizbank's exam session.

It holds screens, widgets and styles only; scoring, timing rules and SQL live in the core.
Build the app with :func:`make_app` (the CLI's ``quizbank kiosk`` does).
"""

from .app import KioskApp, make_app
from .config import KioskConfig

__all__ = ["KioskApp", "KioskConfig", "make_app"]
