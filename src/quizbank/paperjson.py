"""Papers and scores as plain JSON-ready data (the ``--json`` contract of DESIGN.md)."""

from __future__ import annotations

import json
from typing import Any

from .models import Paper, PaperQuestion

__all__ = ["num", "paper_from_json", "paper_to_dict", "paper_to_json", "question_key_json"]


def num(x: float) -> int | float:
    """Whole numbers as ints (``2`` not ``2.0``), the rest as floats rounded to 2 places."""
    f = float(x)
    return int(f) if f.is_integer() else round(f, 2)


def question_key_json(q: PaperQuestion) -> Any:
    if q.type == "fill":
        assert isinstance(q.answer, tuple)
        return [list(b) for b in q.answer]
    return q.answer


def paper_to_dict(paper: Paper) -> dict[str, Any]:
    """The paper as DESIGN.md's JSON, with the extra fields the store needs to refreeze it."""
    return {
        "blueprint": paper.blueprint,
        "blueprint_key": paper.blueprint_key,
        "seed": paper.seed,
        "paper_id": paper.paper_id,
        "time_limit_s": paper.time_limit_s,
        "total_points": num(paper.total_points),
        "pass_mark": num(paper.pass_mark),
        "review": paper.review,
        "relaxed_exclusions": paper.relaxed_exclusions,
        "revisions": dict(paper.revisions),
        "sections": [s.model_dump(exclude_none=True) for s in paper.sections],
        "questions": [
            {
                "no": q.no,
                "id": q.id,
                "type": q.type,
                "topic": q.topic,
                "difficulty": q.difficulty,
                "section": q.section,
                "points": num(q.points),
                "scoring": q.scoring,
                "stem": q.stem,
                "options": list(q.options),
                "answer": question_key_json(q),
                "any_order": q.any_order,
                "explanation": q.explanation,
                "source": q.source,
            }
            for q in paper.questions
        ],
    }


def paper_to_json(paper: Paper, indent: int | None = 2) -> str:
    return json.dumps(paper_to_dict(paper), ensure_ascii=False, indent=indent)


def paper_from_json(text: str | dict[str, Any]) -> Paper:
    """Rebuild a frozen paper from :func:`paper_to_json` (validated: stored data is input too)."""
    data = json.loads(text) if isinstance(text, str) else text
    qs = []
    for q in data["questions"]:
        q = dict(q)
        if q["type"] == "fill":
            q["answer"] = tuple(tuple(b) for b in q["answer"])
        q["options"] = tuple(q.get("options", ()))
        qs.append(PaperQuestion.model_validate(q))
    data = {**data, "questions": tuple(qs)}
    return Paper.model_validate(data)
