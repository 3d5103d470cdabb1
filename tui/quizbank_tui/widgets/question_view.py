"""One question on screen: the stem, then lettered choices or numbered blanks.

Question text comes from bank files that anyone may edit, so it is wrapped in
:class:`~textual.content.Content` (plain text) everywhere: a stem containing
``[@click=app.quit]`` shows those characters and does nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from quizbank.models import LETTERS, PaperQuestion
from quizbank.scoring import Response

from ..labels import choice_letters, options_of
from .prose import Prose

__all__ = ["CHOSEN", "NOT_CHOSEN", "BlankInput", "ChoiceRow", "QuestionView", "number_blanks"]

CHOSEN = "[✓]"
NOT_CHOSEN = "[ ]"
"""Text markers for chosen / not chosen: ✓ reads as "chosen" to Chinese readers (✗ would
read as "wrong"), and the row is highlighted too, so colour is never the only sign."""

_BLANK = re.compile(r"[（(][ \u3000\t]*[）)]|_{2,}")


def number_blanks(stem: str) -> str:
    """The stem with each blank numbered, ``（ ）`` → ``（ 1 ）``, so 第1空 is easy to find."""
    counter = iter(range(1, 100))
    return _BLANK.sub(lambda _m: f"（ {next(counter)} ）", stem)


class ChoiceRow(Horizontal):
    """One choice: a text marker, its letter, and its text wrapping under itself."""

    DEFAULT_CSS = """
    ChoiceRow {
        height: auto;
        width: 1fr;
    }
    ChoiceRow > .marker {
        width: 7;
        text-style: bold;
    }
    ChoiceRow > .text {
        width: 1fr;
    }
    ChoiceRow.-chosen {
        background: $primary;
        color: #000000;
        text-style: bold;
    }
    ChoiceRow:hover {
        background: $boost;
    }
    ChoiceRow.-chosen:hover {
        background: $primary;
    }
    """

    @dataclass
    class Clicked(Message):
        """The member clicked a choice (the mouse works as well as the keys)."""

        index: int

    def __init__(self, index: int, text: str, *, chosen: bool) -> None:
        super().__init__(id=f"choice-{LETTERS[index]}")
        self.index = index
        self.letter = LETTERS[index]
        self.text = text
        self._chosen = chosen
        self.set_class(chosen, "-chosen")

    def compose(self) -> ComposeResult:
        yield Static(self._marker(), classes="marker", markup=False)
        yield Prose(self.text, classes="text")

    def _marker(self) -> Content:
        return Content(f"{CHOSEN if self._chosen else NOT_CHOSEN} {self.letter}.")

    @property
    def chosen(self) -> bool:
        return self._chosen

    def set_chosen(self, chosen: bool) -> None:
        if chosen == self._chosen:
            return
        self._chosen = chosen
        self.set_class(chosen, "-chosen")
        self.query_one(".marker", Static).update(self._marker())

    def on_click(self) -> None:
        self.post_message(self.Clicked(self.index))


class BlankInput(Input):
    """The input of one blank of a fill question."""

    DEFAULT_CSS = """
    BlankInput {
        width: 1fr;
    }
    """

    def __init__(self, index: int, value: str) -> None:
        super().__init__(
            value=value,
            placeholder="在此输入，按 Enter 到下一空",
            id=f"blank-{index + 1}",
            compact=True,
            select_on_focus=False,
            max_length=200,  # the session refuses longer blanks; stop typing there instead
        )
        self.index = index


class QuestionView(VerticalScroll, can_focus=False):
    """The stem and the choices (or blanks) of one question, scrolling if it is long.

    Not focusable: its scroll keys (PageDown above all) belong to the exam screen; Up and
    Down scroll it through the screen's bindings.
    """

    DEFAULT_CSS = """
    QuestionView {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    QuestionView > .stem {
        margin: 0 0 1 0;
    }
    QuestionView > .hint {
        color: $secondary;
        margin: 1 0 0 0;
    }
    QuestionView .blank-row {
        height: auto;
        margin: 0 0 1 0;
    }
    QuestionView .blank-label {
        width: 8;
        text-style: bold;
    }
    """

    def __init__(self, question: PaperQuestion, response: Response) -> None:
        super().__init__(id="question")
        self.question = question
        self._response = response

    @property
    def n_blanks(self) -> int:
        q = self.question
        return len(q.answer) if q.type == "fill" and isinstance(q.answer, tuple) else 0

    def compose(self) -> ComposeResult:
        q = self.question
        stem = number_blanks(q.stem) if q.type == "fill" else q.stem
        yield Prose(stem, classes="stem")
        if q.type == "fill":
            values = self._blank_values(self._response)
            for i in range(self.n_blanks):
                with Horizontal(classes="blank-row"):
                    yield Static(Content(f"第{i + 1}空"), classes="blank-label", markup=False)
                    yield BlankInput(i, values[i])
            yield Prose("直接打字作答；Enter 到下一空，最后一空按 Enter 到下一题。", classes="hint")
            return
        chosen = choice_letters(q, self._response)
        options = options_of(q)
        for i, text in enumerate(options):
            yield ChoiceRow(i, text, chosen=LETTERS[i] in chosen)
        last = LETTERS[len(options) - 1]
        how = "可选多项，再按一次取消" if q.type == "multiple" else "再按其他字母可改选"
        yield Prose(f"按 A–{last} 或 1–{len(options)} 选择；{how}。", classes="hint")

    def _blank_values(self, response: Response) -> list[str]:
        if isinstance(response, str):
            given = [response]
        elif isinstance(response, list | tuple):
            given = [r if isinstance(r, str) else "" for r in response]
        else:
            given = []
        return (given + [""] * self.n_blanks)[: self.n_blanks]

    def show_response(self, response: Response) -> None:
        """Update the choice markers to a response that has been saved."""
        self._response = response
        chosen = choice_letters(self.question, response)
        for row in self.query(ChoiceRow):
            row.set_chosen(row.letter in chosen)

    def blank_values(self) -> list[str]:
        """What is typed in the blanks now (saved or not)."""
        return [b.value for b in self.query(BlankInput)]

    def blank(self, index: int) -> BlankInput | None:
        found = [b for b in self.query(BlankInput) if b.index == index]
        return found[0] if found else None
