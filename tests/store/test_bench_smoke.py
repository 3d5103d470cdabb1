"""``scripts/bench_store.py`` still runs (tiny sizes), so the lead's ``scripts/bench.py`` does not rot."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.mark.slow
def test_bench_store_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import bench_store

    bench_store.main(["--answers", "60", "--attempts", "120", "--dir", str(tmp_path)])
    out = capsys.readouterr().out
    for row in ("ExamSession.answer, 60 saves", "results --json, 120 attempts", "verify, 120 attempts"):
        assert row in out
    sys.modules.pop("bench_store", None)
