"""The kiosk's screens, one per file, in the order a member meets them.

Login → Start → Exam (with the answer card and the submit confirmation as modals) → Result
→ Login. The admin PIN dialog can open over any of them. Screens receive what they show as
constructor arguments and report what the member did as messages; the app decides what
comes next ("attributes down, messages up").

Every screen is declared with ``inherit_bindings=False``: it has the keys it lists and no
others, so Textual's defaults (focus cycling, copy, quit) never reach a member.

The screens are imported on first use (PEP 562): the login screen is drawn first and must
not wait for the exam and result screens, which need the models (pydantic).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .admin_exit import AdminExitScreen
    from .answer_card import AnswerCardScreen
    from .exam import ExamScreen
    from .login import LoginScreen
    from .result import ResultScreen
    from .start import StartScreen
    from .submit_confirm import SubmitConfirmScreen

_MODULES = {
    "AdminExitScreen": "admin_exit",
    "AnswerCardScreen": "answer_card",
    "ExamScreen": "exam",
    "LoginScreen": "login",
    "ResultScreen": "result",
    "StartScreen": "start",
    "SubmitConfirmScreen": "submit_confirm",
}

__all__ = [
    "AdminExitScreen",
    "AnswerCardScreen",
    "ExamScreen",
    "LoginScreen",
    "ResultScreen",
    "StartScreen",
    "SubmitConfirmScreen",
]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
