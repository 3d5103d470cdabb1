"""Prose: plain text that wraps the way Chinese wraps (see :mod:`quizbank_tui.textwrap_cjk`)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from ..textwrap_cjk import wrap

__all__ = ["Prose"]


class Prose(Widget):
    """A block of plain text, never parsed as markup, wrapped between any two Chinese characters.

    Height follows the width (``height: auto``), so a long stem takes as many lines as it
    needs at 80 columns and fewer after the terminal is made wider.
    """

    DEFAULT_CSS = """
    Prose {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, text: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text

    @property
    def text(self) -> str:
        return self._text

    def update(self, text: str) -> None:
        self._text = text
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self._text, width))

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((cell_len(line) for line in self._text.split("\n")), default=0)

    def render(self) -> Content:
        return Content("\n".join(wrap(self._text, self.content_region.width or self.size.width)))
