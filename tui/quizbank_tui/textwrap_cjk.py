"""Line breaking for Chinese text in terminal cells (no Textual).

Textual wraps at spaces and treats a run of characters without spaces as one word, so one
space in a Chinese stem (``（ ）`` is the usual blank) pushes the whole rest of the stem to
the next line. Chinese may break between any two characters, so this module breaks there,
keeps Latin words and numbers whole where they fit, and follows the common line-breaking
rules (禁则): closing punctuation never starts a line and opening punctuation never ends one.
"""

from __future__ import annotations

import re
import unicodedata

from rich.cells import cell_len

__all__ = ["wrap"]

_NO_START = set("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}")
"""May not begin a line."""
_NO_END = set("（《「『【〔〈“‘([{")
"""May not end a line."""
_UNIT = re.compile(r"[（(][ \u3000\t]*\d*[ \u3000\t]*[）)]|\s+|[A-Za-z0-9_./:+\-@#%&=']+|.", re.DOTALL)
"""A blank ``（ ）`` (kept whole), a space run, a Latin word or number, or one character."""


def _is_space(unit: str) -> bool:
    return unit.isspace()


def _units(paragraph: str) -> list[str]:
    """Breakable pieces: a space run, a Latin word or number, or one other character."""
    return _UNIT.findall(paragraph)


def _fold(unit: str, width: int) -> list[str]:
    """Cut a piece wider than a whole line at character boundaries."""
    pieces: list[str] = []
    cur = ""
    for ch in unit:
        if cur and cell_len(cur + ch) > width:
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        pieces.append(cur)
    return pieces


def _wrap_paragraph(paragraph: str, width: int) -> list[str]:
    units: list[str] = []
    for u in _units(paragraph):
        units.extend(_fold(u, width) if not _is_space(u) and cell_len(u) > width else [u])
    lines: list[list[str]] = [[]]
    used = 0
    for u in units:
        w = cell_len(u)
        line = lines[-1]
        if _is_space(u):
            at_paragraph_start = len(lines) == 1 and not line
            if (line or at_paragraph_start) and used + w <= width:  # an indent is kept, a wrap's space is not
                line.append(u)
                used += w
            elif line:  # a space at the end of a full line is where the line breaks
                lines.append([])
                used = 0
            continue
        if used + w <= width:
            line.append(u)
            used += w
            continue
        # u starts a new line; apply the two rules by carrying characters down
        carry: list[str] = []
        while line and _is_space(line[-1]):
            line.pop()
        closing = u[0] in _NO_START or unicodedata.category(u[0]) == "Pe"
        if closing and len(line) > 1:  # take the previous character down with the closing mark
            carry.insert(0, line.pop())
        while len(line) > 1 and line[-1] and line[-1][-1] in _NO_END:
            carry.insert(0, line.pop())
        new = [*carry, u]
        lines.append(new)
        used = sum(cell_len(x) for x in new)
        if used > width:  # carried pieces made it too long: give up on the rule, fold plainly
            lines[-1] = []
            used = 0
            for piece in new:
                pw = cell_len(piece)
                if used + pw > width:
                    lines.append([])
                    used = 0
                lines[-1].append(piece)
                used += pw
    out = ["".join(line).rstrip() for line in lines]
    return out or [""]


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells; existing line breaks are kept."""
    width = max(1, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, width))
    return lines
