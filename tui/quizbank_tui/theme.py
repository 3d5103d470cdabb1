"""The kiosk's high-contrast theme: white on black, yellow for what has focus.

Older eyes on workshop monitors read white-on-black text best; yellow (not blue) marks the
current choice and focus because it keeps its contrast on cheap panels and under glare.
State is never shown by colour alone: every coloured state also has a text marker.
"""

from __future__ import annotations

from textual.theme import Theme

__all__ = ["HIGH_CONTRAST"]

HIGH_CONTRAST = Theme(
    name="quizbank-high-contrast",
    primary="#FFD700",
    secondary="#00D7FF",
    accent="#FFD700",
    warning="#FFAF00",
    error="#FF5F5F",
    success="#5FFF87",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1C1C1C",
    boost="#262626",
    dark=True,
    variables={
        "footer-key-foreground": "#000000",
        "footer-key-background": "#FFD700",
        "footer-description-foreground": "#FFFFFF",
        "footer-background": "#1C1C1C",
        "input-cursor-background": "#FFD700",
        "input-cursor-foreground": "#000000",
        "block-cursor-background": "#FFD700",
        "block-cursor-foreground": "#000000",
    },
)
