"""The exam kiosk: a Textual app that drives quizbank's exam session.

It holds screens, widgets and styles only; scoring, timing rules and SQL live in the core.
"""

__all__: list[str] = []
