"""Words and number formats the kiosk shows, kept apart from the screens.

Pure functions of core data (no Textual), so they are unit-tested on their own and the
screens stay about layout. Everything a member reads is Chinese; everything is plain text
(the screens wrap it in ``Content`` so nothing here is ever parsed as markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

# the models (pydantic) are imported where used: the login screen, drawn first, needs none of them
if TYPE_CHECKING:
    from quizbank.models import PaperQuestion, QuestionType, Section
    from quizbank.scoring import Response

__all__ = [
    "JUDGE_OPTIONS",
    "SECTION_TITLES",
    "TYPE_NAMES",
    "choice_letters",
    "format_clock",
    "format_key",
    "format_minutes",
    "format_points",
    "format_response",
    "numbers_list",
    "options_of",
    "section_line",
]

TYPE_NAMES: dict[QuestionType, str] = {"single": "单选题", "multiple": "多选题", "judge": "判断题", "fill": "填空题"}
SECTION_TITLES: dict[QuestionType, str] = {
    "single": "单项选择题",
    "multiple": "多项选择题",
    "judge": "判断题",
    "fill": "填空题",
}
JUDGE_OPTIONS = ("正确", "错误")
"""What a judge question shows as A and B (DESIGN.md)."""


def options_of(q: PaperQuestion) -> tuple[str, ...]:
    """The choices shown under a question: its options, or 正确 / 错误 for a judge question."""
    if q.type == "judge":
        return JUDGE_OPTIONS
    return q.options


def choice_letters(q: PaperQuestion, response: Response) -> set[str]:
    """The letters a response chooses, in the shown order (judge: True is A, False is B)."""
    if q.type == "judge":
        if response is True:
            return {"A"}
        if response is False:
            return {"B"}
        return set()
    if isinstance(response, str):
        from quizbank.models import LETTERS

        return {c for c in response.upper() if c in LETTERS}
    if isinstance(response, list | tuple):
        return {c.strip().upper() for c in response if isinstance(c, str) and c.strip()}
    return set()


def format_points(points: float) -> str:
    """``2`` for 2.0, ``1.5`` for 1.5: marks as a member writes them."""
    return str(int(points)) if float(points).is_integer() else f"{points:g}"


def format_clock(seconds: float) -> str:
    """Remaining time as mm:ss, rounded up so 0:00 appears only when the time is over."""
    whole = max(0, int(-(-seconds // 1)))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def format_minutes(seconds: int) -> str:
    """A time limit in words: ``45 分钟``, ``30 秒``, ``1 分 30 秒``."""
    m, s = divmod(int(seconds), 60)
    if m and s:
        return f"{m} 分 {s} 秒"
    if m:
        return f"{m} 分钟"
    return f"{s} 秒"


def format_response(q: PaperQuestion, response: Response) -> str:
    """A member's answer as it reads on paper: ``AC``, ``正确``, ``中国人民；实事求是``, ``未作答``."""
    from quizbank.scoring import is_answered

    if not is_answered(response):
        return "未作答"
    if q.type == "judge":
        return JUDGE_OPTIONS[0] if response is True else JUDGE_OPTIONS[1]
    if q.type == "fill":
        blanks = [response] if isinstance(response, str) else list(response or ())  # type: ignore[arg-type]
        return "；".join(str(b).strip() or "（空）" for b in blanks)
    return "".join(sorted(choice_letters(q, response)))


def format_key(q: PaperQuestion) -> str:
    """The key as a member reads it; a blank with several accepted spellings shows them all."""
    if q.type == "judge":
        return JUDGE_OPTIONS[0] if q.answer is True else JUDGE_OPTIONS[1]
    if q.type == "fill":
        assert isinstance(q.answer, tuple)
        return "；".join(" / ".join(spellings) for spellings in q.answer)
    return str(q.answer)


def numbers_list(numbers: Sequence[int], limit: int = 30) -> str:
    """Question numbers for a sentence: ``3、15、22``, cut with ``等 N 题`` when long."""
    if not numbers:
        return "无"
    shown = "、".join(str(n) for n in numbers[:limit])
    if len(numbers) > limit:
        shown += f" 等 {len(numbers)} 题"
    return shown


def section_line(section: Section) -> str:
    """``单项选择题  20 题，每题 2 分，共 40 分``, plus the rule for a multiple section."""
    total = section.count * section.points
    title = section.title or SECTION_TITLES[section.type]
    line = f"{title}  {section.count} 题，每题 {format_points(section.points)} 分，共 {format_points(total)} 分"
    if section.type == "multiple":
        line += {
            "strict": "（多选、少选、错选均不得分）",
            "half": "（少选得一半分，错选不得分）",
            "per_option": "（每选对一项得相应分，错选不得分）",
        }[section.scoring]
    return line
