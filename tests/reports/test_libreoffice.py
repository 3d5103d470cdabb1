"""The workbook opens in LibreOffice: a headless conversion to PDF, skipped where LibreOffice is absent.

A file LibreOffice has to repair does not convert cleanly (or converts to an empty
document); so each workbook — a simulated year, the hand-worked data set, an empty period —
must come out as a PDF with pages. CI does not need LibreOffice: without it the test skips.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import run_cli

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
def test_workbooks_convert_to_pdf(sim_db: Path, fixed_db: Path, tmp_path: Path) -> None:
    assert OFFICE is not None
    books = []
    for name, db, period in (("year", sim_db, "2025"), ("fixed", fixed_db, "2025-Q1"), ("empty", sim_db, "2019")):
        out = tmp_path / f"{name}.xlsx"
        assert run_cli("report", "--db", str(db), "--period", period, "--out", str(out))[0] == 0
        books.append(out)
    pdf_dir = tmp_path / "pdf"
    proc = subprocess.run(
        [
            OFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",  # no clash with a running LibreOffice
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(pdf_dir),
            *map(str, books),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "repair" not in (proc.stdout + proc.stderr).lower()
    for book in books:
        pdf = pdf_dir / (book.stem + ".pdf")
        assert pdf.exists(), proc.stdout + proc.stderr
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        assert pages >= 5, (book.name, pages)  # at least one page per sheet
