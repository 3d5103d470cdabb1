"""The importer modules stay headless: importing them never loads Textual (start-up time)."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "quizbank.drafts",
    "quizbank.text_import",
    "quizbank.excel_template",
    "quizbank.importers",
    "quizbank.paper_docx",
    "quizbank.cli_import",
]


def test_importers_do_not_import_textual() -> None:
    code = "import sys\n" + "".join(f"import {m}\n" for m in MODULES) + "print('textual' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_validate_does_not_pay_for_python_docx() -> None:
    """docx is imported when a .docx is read or written, not when the CLI starts."""
    code = "import sys\nimport quizbank.cli, quizbank.cli_import, quizbank.importers\nprint('docx' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
