"""A small synthetic library and a fake clock for store and session tests.

Built in memory (no YAML), independent of the shipped banks, which other people are
editing: the tests here are about storage, not content. Importable from a subprocess
(the kill and concurrency tests run writers with ``python -m tests.store.writer``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from quizbank.loader import Library, LoadedBank, LoadedBlueprint
from quizbank.models import Bank, Blueprint, Question

TZ = timezone(timedelta(hours=8))
START = datetime(2024, 6, 1, 9, 0, 0, tzinfo=TZ)


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _q(qid: str, type: str, i: int) -> Question:
    data: dict[str, Any] = {
        "id": qid,
        "type": type,
        "topic": f"测试/{'甲乙丙'[i % 3]}",
        "stem": f"第{i}题（ ）" if type != "fill" else f"填空{i}：____与____。" if i % 2 else f"填空{i}：____。",
        "explanation": f"解析{i}",
        "source": "《测试条例》第一条",
        "difficulty": ("easy", "medium", "hard")[i % 3],
    }
    if type == "single":
        data.update(options=[f"甲{i}", f"乙{i}", f"丙{i}", f"丁{i}"], answer="ABCD"[i % 4])
    elif type == "multiple":
        data.update(options=[f"甲{i}", f"乙{i}", f"丙{i}", f"丁{i}"], answer=("AB", "ACD", "BD", "ABCD")[i % 4])
    elif type == "judge":
        data.update(answer=i % 2 == 0)
    else:
        data.update(answer=[f"答{i}", [f"案{i}", f"按{i}"]] if i % 2 else [f"答{i}"])
    return Question.model_validate(data)


def make_library() -> Library:
    """40 single, 20 multiple, 20 judge, 20 fill; blueprints ``member`` and ``secretary`` (100 points, 10 min)."""
    qs = [_q(f"s-{i:03d}", "single", i) for i in range(40)]
    qs += [_q(f"m-{i:03d}", "multiple", i) for i in range(20)]
    qs += [_q(f"j-{i:03d}", "judge", i) for i in range(20)]
    qs += [_q(f"f-{i:03d}", "fill", i) for i in range(20)]
    bank = Bank(bank="测试", revision="2024", questions=tuple(qs))
    sections = [
        {"type": "single", "count": 10, "points": 4},
        {"type": "multiple", "count": 5, "points": 6, "scoring": "half"},
        {"type": "judge", "count": 10, "points": 1},
        {"type": "fill", "count": 5, "points": 4},
    ]
    bps = {}
    for key, audience in (("member", "member"), ("secretary", "secretary")):
        bp = Blueprint.model_validate(
            {
                "name": f"测试{key}卷",
                "audience": audience,
                "time_limit": "10m",
                "pass_mark": 60,
                "sections": sections,
                "exclude_recent": 1,
            }
        )
        bps[key] = LoadedBlueprint(f"{key}.yaml", key, bp)
    return Library([LoadedBank("synthetic.yaml", bank)], bps)


def write_library(folder: Path) -> Path:
    """The same library as YAML files (bank + ``blueprints/``), for commands that take ``--banks``."""
    import yaml

    lib = make_library()
    (folder / "blueprints").mkdir(parents=True, exist_ok=True)
    for lb in lib.banks:
        data = lb.bank.model_dump(mode="json", exclude_defaults=True)
        (folder / "synthetic.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for key, lbp in lib.blueprints.items():
        data = lbp.blueprint.model_dump(mode="json", exclude_none=True)
        (folder / "blueprints" / f"{key}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder
