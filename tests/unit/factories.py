"""Small builders for questions and blueprints in tests."""

from __future__ import annotations

from typing import Any

from quizbank.models import Blueprint, Question


def question(qid: str, type: str = "single", **kw: Any) -> Question:
    base: dict[str, Any] = {
        "id": qid,
        "type": type,
        "topic": kw.pop("topic", "测试/甲"),
        "stem": kw.pop("stem", f"题干{qid}（ ）" if type != "fill" else f"填空{qid}____。"),
        "explanation": "解析",
        "source": "《测试》第一条",
        "difficulty": kw.pop("difficulty", "easy"),
    }
    if type == "single":
        base.update(options=["甲", "乙", "丙", "丁"], answer=kw.pop("answer", "B"))
    elif type == "multiple":
        base.update(options=["甲", "乙", "丙", "丁"], answer=kw.pop("answer", "AC"))
    elif type == "judge":
        base.update(answer=kw.pop("answer", True))
    else:
        base.update(answer=kw.pop("answer", ["答案"]))
    base.update(kw)
    return Question.model_validate(base)


def blueprint(sections: list[dict[str, Any]], **kw: Any) -> Blueprint:
    data: dict[str, Any] = {
        "name": "测试卷",
        "audience": "member",
        "time_limit": "10m",
        "pass_mark": 0,
        "sections": sections,
        "total_points": sum(s["count"] * s["points"] for s in sections),
    }
    data.update(kw)
    return Blueprint.model_validate(data)
