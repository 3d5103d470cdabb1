"""Reusable kiosk widgets: the countdown, a question with its choices or blanks, the card grid.

Widgets keep their own ``DEFAULT_CSS`` (they are reusable); the screens' layout lives in
``kiosk.tcss``. No widget parses question text as markup.

Imported on first use (PEP 562): the login screen, drawn first, needs only :class:`Prose`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .card_grid import CardCell, CardGrid
    from .countdown import Countdown
    from .prose import Prose
    from .question_view import BlankInput, ChoiceRow, QuestionView

_MODULES = {
    "BlankInput": "question_view",
    "CardCell": "card_grid",
    "CardGrid": "card_grid",
    "ChoiceRow": "question_view",
    "Countdown": "countdown",
    "Prose": "prose",
    "QuestionView": "question_view",
}

__all__ = ["BlankInput", "CardCell", "CardGrid", "ChoiceRow", "Countdown", "Prose", "QuestionView"]


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
