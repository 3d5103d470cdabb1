"""Whatever a file holds, an import either succeeds or raises ImportProblem: tracebacks are bugs."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizbank.errors import ImportProblem
from quizbank.excel_template import read_table
from quizbank.importers import import_bank

from .conftest import write_xlsx

_FRAGMENTS = [
    "一、单项选择题",
    "二、多项选择题（每题2分）",
    "三、判断题",
    "四、填空题",
    "选择题",
    "【单选题】",
    "第一章 总则",
    "1.",
    "2、",
    "(3)",
    "第4题",
    "１．",
    "10.",
    "1-5 ABCDA",
    "参考答案",
    "答案与解析",
    "答案：",
    "答案：A",
    "【答案】AB",
    "答案：对",
    "答案：√",
    "答案：四个意识；四个自信",
    "解析：",
    "【解析】因为",
    "出处：《党章》",
    "难度：难",
    "知识点：党章/党员",
    "A.",
    "B.",
    "A.甲 B.乙 C.丙 D.丁",
    "(A)甲 (B)乙",
    "A、甲",
    "E.戊",
    "（ ）",
    "（ A ）",
    "（√）",
    "（×）",
    "（四个意识）",
    "____",
    "      ",
    "党的最高领导机关是",
    "。",
    "？",
    "（2分）",
    "《条例（试行）》",
    "\t",
    "　",
    "ＡＣ",
    "1.5倍",
    "2019年",
]
_line = st.lists(st.sampled_from(_FRAGMENTS) | st.text(max_size=6), min_size=0, max_size=5).map("".join)
documents = st.lists(_line, min_size=0, max_size=25).map("\n".join)


def _import_or_problem(path: Path, **kw: Any) -> None:
    problems: list[object] = []
    try:
        result = import_bank(path, **kw)
    except ImportProblem as e:
        problems = list(e.problems)
        assert problems  # every failure says what and where
    else:
        assert result.bank.questions


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_text_never_crashes(text: str, encoding: str) -> None:
    try:
        raw = text.encode(encoding)
    except UnicodeEncodeError:
        raw = text.encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.txt"
        path.write_bytes(raw)
        _import_or_problem(path, bank_name="测试")


_HEADERS = [
    "题型",
    "题干",
    "题目",
    "选项A",
    "A",
    "B",
    "C",
    "选项",
    "答案",
    "正确答案",
    "解析",
    "难度",
    "知识点",
    "编号",
    "适用对象",
    "停用",
    "不分顺序",
    "分值",
    "",
    None,
]
_CELLS = st.one_of(
    st.none(),
    st.integers(-3, 12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.sampled_from(
        [
            "单选",
            "多选题",
            "判断",
            "填空",
            "问答",
            "A",
            "AC",
            "A、C",
            "对",
            "×",
            "甲（ ）",
            "____",
            "易",
            "高",
            "是",
            "党员",
            "x-1",
            "1",
        ]
    ),
    st.text(max_size=8),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_HEADERS), min_size=1, max_size=8),
    st.lists(st.lists(_CELLS, max_size=8), max_size=8),
)
def test_sheets_never_crash(header: list[Any], rows: list[list[Any]]) -> None:
    # openpyxl refuses control characters in cells; a real sheet cannot hold them either
    clean = [[c if not (isinstance(c, str) and any(ord(ch) < 32 for ch in c)) else "?" for c in r] for r in [header, *rows]]
    read_table(clean, "x")  # the bare table reader must not raise either
    with tempfile.TemporaryDirectory() as tmp:
        _import_or_problem(write_xlsx(Path(tmp) / "x.xlsx", {"Sheet1": clean}), bank_name="测试")
