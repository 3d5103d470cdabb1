"""The core never imports Textual: the kiosk depends on the core, never the other way."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import quizbank


def core_modules() -> list[str]:
    return sorted(
        f"quizbank.{m.name}" for m in pkgutil.iter_modules(quizbank.__path__) if m.name not in ("__main__", "cli_kiosk")
    )


def test_core_imports_no_textual() -> None:
    mods = core_modules()
    assert "quizbank.generator" in mods
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in mods)
        + "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'quizbank_tui')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_does_not_import_textual_for_other_commands() -> None:
    code = "import sys\nfrom quizbank.cli import build_parser, main\nbuild_parser()\nprint('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_names_are_exported() -> None:
    """Everything in ``quizbank.__all__`` exists, and every public class of the core is in it."""
    for name in quizbank.__all__:
        assert hasattr(quizbank, name), name
    from quizbank import errors, models

    for mod in (errors, models):
        for name in mod.__all__:
            obj = getattr(mod, name)
            if isinstance(obj, type) and issubclass(obj, Exception | quizbank.Question.__mro__[1]):
                assert (
                    name in quizbank.__all__ or name in ("Problem", "ImportProblem") or not name[0].isupper() or name in _INTERNAL
                ), name


_INTERNAL = {"PaperQuestion", "Section", "TopicRule", "Bank", "Blueprint", "Paper", "Question"}
