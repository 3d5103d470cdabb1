"""Pure helpers of the kiosk: Chinese line breaking and the words and numbers it shows."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from quizbank.models import PaperQuestion
from quizbank_tui.labels import format_clock, format_key, format_minutes, format_response, numbers_list
from quizbank_tui.textwrap_cjk import wrap
from quizbank_tui.widgets.question_view import number_blanks

TEXT = st.lists(
    st.sampled_from([*"党员的党龄从之日算起，。（）《》“”、 abcXYZ0123456789-[]=@\n", "（ ）", "____", "  "]),
    max_size=200,
).map("".join)


@given(TEXT, st.integers(min_value=1, max_value=100))
def test_wrap_fits_and_loses_nothing_but_break_spaces(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cell_len(line) <= max(width, 2) for line in lines)  # a wide character needs two cells
    squash = "".join(text.split())
    assert "".join("".join(lines).split()) == squash
    assert len(lines) >= text.count("\n") + 1


def test_wrap_breaks_chinese_anywhere_not_only_at_spaces() -> None:
    stem = "党员的党龄从（ ）之日算起。这道题的题干故意写得很长，用来检验换行。"
    lines = wrap(stem, 30)
    assert lines[0] == "党员的党龄从（ ）之日算起。这"  # filled up to the width: no early break at the space
    assert all(cell_len(x) <= 30 for x in lines)


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("一二三四五，六", 10, ["一二三四", "五，六"]),  # a comma never starts a line
        ("一二三（四五六", 8, ["一二三", "（四五六"]),  # an opening bracket never ends one
        ("a（ ）b", 5, ["a", "（ ）", "b"]),  # a blank stays whole
        ("  缩进", 10, ["  缩进"]),  # an indent is kept
        ("hello world", 5, ["hello", "world"]),
        ("", 5, [""]),
    ],
)
def test_wrap_rules(text: str, width: int, expected: list[str]) -> None:
    assert wrap(text, width) == expected


def test_number_blanks() -> None:
    assert number_blanks("甲（ ）乙____丙(  )") == "甲（ 1 ）乙（ 2 ）丙（ 3 ）"
    assert number_blanks("（试行）不是空") == "（试行）不是空"


@pytest.mark.parametrize(
    ("seconds", "shown"), [(1800, "30:00"), (59.2, "01:00"), (0.4, "00:01"), (0, "00:00"), (-3, "00:00"), (5400, "90:00")]
)
def test_format_clock_rounds_up(seconds: float, shown: str) -> None:
    assert format_clock(seconds) == shown


def test_format_minutes() -> None:
    assert (format_minutes(2700), format_minutes(30), format_minutes(90)) == ("45 分钟", "30 秒", "1 分 30 秒")


def test_numbers_list() -> None:
    assert numbers_list([]) == "无"
    assert numbers_list([3, 15, 22]) == "3、15、22"
    assert numbers_list(list(range(1, 41)), limit=3) == "1、2、3 等 40 题"


def _q(**kw: object) -> PaperQuestion:
    base: dict[str, object] = {"no": 1, "id": "x", "topic": "党章", "difficulty": "easy", "section": 0, "points": 2, "stem": "s"}
    return PaperQuestion.model_validate({**base, **kw})


def test_formats_of_responses_and_keys() -> None:
    judge = _q(type="judge", answer=True)
    fill = _q(type="fill", answer=(("实事求是",), ("全心全意为人民服务", "为人民服务")))
    multiple = _q(type="multiple", options=("a", "b", "c"), answer="AC")
    assert (format_response(judge, False), format_key(judge)) == ("错误", "正确")
    assert format_response(fill, ["实事求是", ""]) == "实事求是；（空）"
    assert format_key(fill) == "实事求是；全心全意为人民服务 / 为人民服务"
    assert (format_response(multiple, "CA"), format_response(multiple, None)) == ("AC", "未作答")


def test_core_and_cli_do_not_import_textual() -> None:
    """The core never imports Textual, and only ``quizbank kiosk`` pulls it in (start-up time)."""
    code = (
        "import sys, pkgutil, importlib, quizbank\n"
        "for m in pkgutil.iter_modules(quizbank.__path__):\n"
        "    if not m.name.startswith('__'):\n"
        "        importlib.import_module('quizbank.' + m.name)\n"
        "from quizbank.cli import build_parser\n"
        "build_parser().parse_args(['kiosk', '--demo'])\n"
        "assert 'textual' not in sys.modules, [m for m in sys.modules if m.startswith('textual')][:3]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
