"""Property tests: random banks survive Excel and YAML; random papers survive print and read-back."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizbank.excel_template import write_template
from quizbank.importers import bank_to_yaml, import_bank
from quizbank.models import LETTERS, Bank, Paper, PaperQuestion, Question, Section, count_blanks
from quizbank.paper_docx import write_paper_docx

from .conftest import meaning, paper_view

_CJK = "党的领导人民群众全面从严治党组织建设思想政治纪律作风制度社会主义铁路安全运输改革"
_PUNCT = "，。、“”《》：？！—"
_LATIN = "abcXYZ0123456789=+-*#@%&'\" "
_ALPHABET = _CJK + _PUNCT + _LATIN


def _clean(s: str) -> bool:
    return bool(s.strip()) and s == s.strip()


text = st.text(alphabet=_ALPHABET, min_size=1, max_size=24).filter(_clean)
multiline = st.lists(text, min_size=1, max_size=3).map("\n".join)
piece = st.text(alphabet=_CJK + _PUNCT + "0123456789", min_size=1, max_size=12)
# a fill answer: no blank or spelling separators
answer_text = st.text(alphabet=_CJK + "0123456789abc/-", min_size=1, max_size=8).filter(lambda s: not re.search(r"\s/\s", s))
segment = st.text(alphabet=_CJK + "0123456789ab", min_size=1, max_size=6)
ids = st.from_regex(r"[a-z]{1,3}-[0-9]{1,5}", fullmatch=True) | st.from_regex(r"[0-9]{1,4}", fullmatch=True)


@st.composite
def questions(draw: Any, bank: str, qid: str, text: Any = text) -> Question:
    multiline = st.lists(text, min_size=1, max_size=3).map("\n".join)
    kind = draw(st.sampled_from(["single", "multiple", "judge", "fill"]))
    data: dict[str, Any] = {
        "id": qid,
        "type": kind,
        "topic": "/".join([bank, *draw(st.lists(segment, max_size=2))]),
        "explanation": draw(multiline),
        "source": draw(text),
        "difficulty": draw(st.sampled_from(["easy", "medium", "hard"])),
        "audience": draw(st.sampled_from([["member"], ["secretary"], ["member", "secretary"]])),
        "tags": draw(st.lists(st.text(alphabet=_CJK + "abc", min_size=1, max_size=4), max_size=2)),
        "group": draw(st.none() | text),
        "retired": draw(st.booleans()),
    }
    if kind in ("single", "multiple"):
        n = draw(st.integers(min_value=3 if kind == "multiple" else 2, max_value=8))
        data["options"] = draw(st.lists(text, min_size=n, max_size=n, unique_by=str.strip))
        k = 1 if kind == "single" else draw(st.integers(min_value=2, max_value=n))
        data["answer"] = "".join(sorted(draw(st.lists(st.sampled_from(LETTERS[:n]), min_size=k, max_size=k, unique=True))))
        data["stem"] = draw(text)
    elif kind == "judge":
        data["answer"] = draw(st.booleans())
        data["stem"] = draw(text)
    else:
        n = draw(st.integers(min_value=1, max_value=4))
        parts = draw(st.lists(piece, min_size=n + 1, max_size=n + 1))
        blanks = draw(st.lists(st.sampled_from(["____", "（ ）", "( )"]), min_size=n, max_size=n))
        stem = parts[0] + "".join(b + p for b, p in zip(blanks, parts[1:], strict=True))
        if not stem.strip() or count_blanks(stem.strip()) != n:
            stem = "甲" + "".join(b + "乙" for b in blanks)
        data["stem"] = stem
        data["answer"] = [draw(answer_text | st.lists(answer_text, min_size=2, max_size=3, unique=True)) for _ in range(n)]
        data["any_order"] = draw(st.booleans())
    return Question.model_validate(data)


@st.composite
def banks(draw: Any, text: Any = text) -> Bank:
    name = draw(st.text(alphabet=_CJK, min_size=1, max_size=6))
    n = draw(st.integers(min_value=1, max_value=8))
    qids = draw(st.lists(ids, min_size=n, max_size=n, unique=True))
    return Bank(bank=name, revision=draw(text), questions=tuple(draw(questions(name, qid, text)) for qid in qids))


# strings that YAML reads as something else, or that need quoting or escapes
_TRICKY = st.sampled_from(
    [
        "true",
        "no",
        "Yes",
        "null",
        "~",
        "2022",
        "1e3",
        "0x1F",
        "0o17",
        "1_000",
        ".5",
        "2024-01-01",
        "=",
        "<<",
        "- 甲",
        "? 乙",
        "甲: 乙",
        "甲 #乙",
        "甲:",
        "[甲]",
        "{甲}",
        "甲, 乙",
        "*甲",
        "&甲",
        "!甲",
        "|甲",
        ">甲",
        "%甲",
        "@甲",
        "`甲",
        "'甲'",
        '"甲"',
        "甲\\乙",
        "甲\u2028乙",
        "甲\u0085乙",
        "甲\x7f乙",
        "\ufeff甲",
        "甲\t乙",
        "甲\r乙",
        "甲\x00乙",
        "甲\u200b乙",
        "😀",
    ]
)
hostile = (
    _TRICKY
    | st.text(st.characters(codec="utf-8"), min_size=1, max_size=16)
    | st.tuples(_TRICKY, st.text(alphabet=_CJK + " :#-", max_size=6)).map("".join)
).filter(_clean)


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(banks())
def test_bank_to_excel_and_back(bank: Bank) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = import_bank(write_template(bank, Path(tmp) / "b.xlsx"))
    assert (result.bank.bank, result.bank.revision) == (bank.bank, bank.revision)
    assert [meaning(q) for q in result.bank.questions] == [meaning(q) for q in bank.questions]


@_SETTINGS
@given(banks(hostile))
def test_yaml_loads_back_to_the_same_bank(bank: Bank) -> None:
    text = bank_to_yaml(bank, header="导入\n测试")
    assert Bank.model_validate(yaml.load(text, Loader=yaml.CSafeLoader)) == bank
    assert Bank.model_validate(yaml.safe_load(text)) == bank


@_SETTINGS
@given(banks())
def test_yaml_writes_chinese_as_is(bank: Bank) -> None:
    text = bank_to_yaml(bank)
    assert "\\u" not in text
    assert Bank.model_validate(yaml.safe_load(text)) == bank


# --- papers: printed and read back ------------------------------------------------------
# stems and options of real questions: Chinese text, never starting like a number or a letter
_STEM = st.text(alphabet=_CJK + "，、“”《》", min_size=2, max_size=30)


@st.composite
def papers(draw: Any) -> Paper:
    kinds = draw(st.lists(st.sampled_from(["single", "multiple", "judge", "fill"]), min_size=1, max_size=4, unique=True))
    pqs: list[PaperQuestion] = []
    sections: list[Section] = []
    for si, kind in enumerate(kinds):
        count = draw(st.integers(min_value=1, max_value=3))
        sections.append(Section(type=kind, count=count, points=2, scoring="half" if kind == "multiple" else "strict"))
        for _ in range(count):
            no = len(pqs) + 1
            answer: Any
            options: tuple[str, ...] = ()
            stem = draw(_STEM)
            if kind in ("single", "multiple"):
                n = draw(st.integers(min_value=3, max_value=6))
                options = tuple(
                    draw(
                        st.lists(
                            st.text(alphabet=_CJK + "0123456789", min_size=1, max_size=10), min_size=n, max_size=n, unique=True
                        )
                    )
                )
                k = 1 if kind == "single" else draw(st.integers(min_value=2, max_value=n))
                answer = "".join(sorted(draw(st.lists(st.sampled_from(LETTERS[:n]), min_size=k, max_size=k, unique=True))))
                stem += "（ ）。"
            elif kind == "judge":
                answer = draw(st.booleans())
                stem += "。"
            else:
                stem = stem + "____" + draw(_STEM) + "。"
                answer = (
                    tuple(
                        draw(
                            st.lists(
                                st.text(alphabet=_CJK + "0123456789", min_size=1, max_size=6), min_size=1, max_size=2, unique=True
                            )
                        )
                    ),
                )
            pqs.append(
                PaperQuestion(
                    no=no,
                    id=f"q{no}",
                    type=kind,
                    topic="卷",
                    difficulty="easy",
                    section=si,
                    points=2,
                    stem=stem,
                    options=options,
                    answer=answer,
                    explanation=draw(_STEM) + "。",
                    source="《" + draw(_STEM) + "》第一条",
                )
            )
    total = 2 * len(pqs)
    return Paper(
        paper_id="p",
        blueprint="测试卷",
        seed=1,
        time_limit_s=600,
        total_points=total,
        pass_mark=0,
        sections=tuple(sections),
        questions=tuple(pqs),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(papers())
def test_paper_docx_reads_back(paper: Paper) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = import_bank(write_paper_docx(paper, Path(tmp) / "p.docx"), bank_name="卷")
    assert [paper_view(q) for q in result.bank.questions] == [paper_view(q) for q in paper.questions]
