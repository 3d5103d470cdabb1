"""The shipped banks: enough, well-formed, every question cited and explained."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from quizbank.cli import main
from quizbank.loader import Library

NINE = {
    "习近平新时代中国特色社会主义思想",
    "党章",
    "党规党纪",
    "党的基本知识",
    "党内组织生活",
    "党史与红色传统",
    "宪法与法治",
    "铁路法律法规",
    "支部工作",
}


def test_validate_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0, capsys.readouterr().err


def test_stats_json_shows_four_hundred_active_in_nine_banks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["active"] >= 400
    assert set(stats["banks"]) == NINE
    for name, bank in stats["banks"].items():
        assert bank["active"] >= 30, name
    assert all(stats["by_type"][t] > 0 for t in ("single", "multiple", "judge", "fill"))
    assert all(bp["feasible"] for bp in stats["blueprints"].values())
    assert set(stats["blueprints"]) == {"member", "secretary"}


def test_every_question_cites_and_explains(shipped: Library) -> None:
    for q in shipped.questions:
        # a document in 《》, or a dated report, speech, inscription or instruction
        assert re.search("《.+》|报告|会议|讲话|题词|指示|报道|电", q.source), (q.id, q.source)
        assert len(q.explanation) >= 8, q.id


def test_ids_follow_the_bank_prefix(shipped: Library) -> None:
    for b in shipped.banks:
        prefixes = Counter(q.id.split("-")[0] for q in b.bank.questions)
        assert len(prefixes) == 1, (b.path, prefixes)


def test_difficulty_mix_is_roughly_30_50_20(shipped: Library) -> None:
    active = [q for q in shipped.questions if not q.retired]
    mix = Counter(q.difficulty for q in active)
    n = len(active)
    assert 0.2 <= mix["easy"] / n <= 0.4
    assert 0.4 <= mix["medium"] / n <= 0.6
    assert 0.12 <= mix["hard"] / n <= 0.28


def test_no_crutch_options(shipped: Library) -> None:
    for q in shipped.questions:
        for o in q.options or ():
            assert not re.search("以上(都|均|全)(对|不对|正确|错误|不正确)", o), (q.id, o)


def test_no_stale_party_constitution_text(shipped: Library) -> None:
    """The 2022 党章 is the text in force; no question may teach an older version's wording."""
    for q in shipped.questions:
        text = q.stem + "".join(q.options or ()) + q.explanation
        assert "2017年党章" not in text, q.id
        assert "十九大修改的党章" not in text, q.id
