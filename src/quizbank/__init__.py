"""quizbank: the 党建知识"应知应会" test engine of a railway section's party committee.

The core library: models, loader, generator, scoring, store, reports, importers. It never
imports Textual; the kiosk lives in the separate ``quizbank_tui`` package.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import (
        BankError,
        ImportProblem,
        InfeasibleError,
        InputError,
        NotFoundError,
        Problem,
        QuizbankError,
        RosterError,
        SessionError,
        StoreError,
    )
    from .generator import PaperGenerator, generate_paper
    from .loader import Library, default_banks_dir, load_bank_file, load_blueprint, load_library, load_paths
    from .models import Bank, Blueprint, Paper, PaperQuestion, Question, Section, TopicRule
    from .scoring import Score, Scorer, normalise_blank, score_paper

# Names are loaded on first use (PEP 562): `import quizbank.cli` must not pay for pydantic
# and the models before it knows which command runs (the kiosk draws its first screen first).
_LAZY = {
    **dict.fromkeys(
        [
            "BankError",
            "ImportProblem",
            "InfeasibleError",
            "InputError",
            "NotFoundError",
            "Problem",
            "QuizbankError",
            "RosterError",
            "SessionError",
            "StoreError",
        ],
        "errors",
    ),
    **dict.fromkeys(["PaperGenerator", "generate_paper"], "generator"),
    **dict.fromkeys(["Library", "default_banks_dir", "load_bank_file", "load_blueprint", "load_library", "load_paths"], "loader"),
    **dict.fromkeys(["Bank", "Blueprint", "Paper", "PaperQuestion", "Question", "Section", "TopicRule"], "models"),
    **dict.fromkeys(["Score", "Scorer", "normalise_blank", "score_paper"], "scoring"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'quizbank' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__version__ = "0.1.0"

__all__ = [
    "Bank",
    "BankError",
    "Blueprint",
    "ImportProblem",
    "InfeasibleError",
    "InputError",
    "Library",
    "NotFoundError",
    "Paper",
    "PaperGenerator",
    "PaperQuestion",
    "Problem",
    "Question",
    "QuizbankError",
    "RosterError",
    "Score",
    "Scorer",
    "Section",
    "SessionError",
    "StoreError",
    "TopicRule",
    "__version__",
    "default_banks_dir",
    "generate_paper",
    "load_bank_file",
    "load_blueprint",
    "load_library",
    "load_paths",
    "normalise_blank",
    "score_paper",
]
