"""Reusable kiosk widgets: the countdown, a question with its choices or blanks, the card grid.

Widgets keep their own ``DEFAULT_CSS`` (they are reusable); the screens' layout lives in
``kiosk.tcss``. No widget parses question text as markup.
"""

from .card_grid import CardCell, CardGrid
from .countdown import Countdown
from .prose import Prose
from .question_view import BlankInput, ChoiceRow, QuestionView

__all__ = ["BlankInput", "CardCell", "CardGrid", "ChoiceRow", "Countdown", "Prose", "QuestionView"]
