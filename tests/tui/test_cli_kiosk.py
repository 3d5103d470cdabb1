"""``quizbank kiosk`` refuses, in plain text, to start where it cannot run properly."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from quizbank.cli import main


def test_kiosk_without_an_admin_pin_refuses(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("QUIZBANK_ADMIN_PIN", raising=False)
    assert main(["kiosk"]) == 2
    assert "admin PIN" in capsys.readouterr().err


def test_kiosk_needs_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kiosk", "--demo", "--db", str(tmp_path / "k.db")]) == 2  # pytest's stdin is no terminal
    assert "needs a terminal" in capsys.readouterr().err


def test_kiosk_admin_pin_from_the_environment(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("QUIZBANK_ADMIN_PIN", "4321")
    assert main(["kiosk"]) == 2
    assert "needs a terminal" in capsys.readouterr().err  # got past the PIN check


def test_kiosk_rejects_a_bad_time_limit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["kiosk", "--demo", "--time-limit", "soon"])
    assert e.value.code == 2
    assert "not a duration" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["quizbank_tui", "quizbank_tui.screens", "quizbank_tui.widgets"])
def test_public_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    for public in module.__all__:
        assert hasattr(module, public), f"{name}.{public}"
