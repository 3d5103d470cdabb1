"""The kiosk's screens, one per file, in the order a member meets them.

Login → Start → Exam (with the answer card and the submit confirmation as modals) → Result
→ Login. The admin PIN dialog can open over any of them. Screens receive what they show as
constructor arguments and report what the member did as messages; the app decides what
comes next ("attributes down, messages up").

Every screen is declared with ``inherit_bindings=False``: it has the keys it lists and no
others, so Textual's defaults (focus cycling, copy, quit) never reach a member.
"""

from .admin_exit import AdminExitScreen
from .answer_card import AnswerCardScreen
from .exam import ExamScreen
from .login import LoginScreen
from .result import ResultScreen
from .start import StartScreen
from .submit_confirm import SubmitConfirmScreen

__all__ = [
    "AdminExitScreen",
    "AnswerCardScreen",
    "ExamScreen",
    "LoginScreen",
    "ResultScreen",
    "StartScreen",
    "SubmitConfirmScreen",
]
