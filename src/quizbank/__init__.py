"""quizbank: the 党建知识"应知应会" test engine of a railway section's party committee.

The core library: models, loader, generator, scoring, store, reports, importers. It never
imports Textual; the kiosk lives in the separate ``quizbank_tui`` package.
"""

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
