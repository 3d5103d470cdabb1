"""Pydantic models for what comes from files (banks, blueprints) and what is frozen (papers).

Models forbid unknown keys so that a typo in a bank is an error rather than a silently
ignored field. Rules that involve several fields (an answer letter must name an option)
are checked in the model itself, so a question built in code obeys the same rules as one
read from YAML; such errors carry the offending field in ``ctx["field"]`` so that the loader
can point at the right line.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "AUDIENCES",
    "DIFFICULTIES",
    "LETTERS",
    "QUESTION_TYPES",
    "Audience",
    "Bank",
    "Blueprint",
    "Difficulty",
    "FillKey",
    "Key",
    "MultipleScoring",
    "Paper",
    "PaperQuestion",
    "Question",
    "QuestionType",
    "ReviewMode",
    "Section",
    "TopicRule",
    "count_blanks",
    "parse_duration",
    "topic_matches",
]

QuestionType: TypeAlias = Literal["single", "multiple", "judge", "fill"]
Difficulty: TypeAlias = Literal["easy", "medium", "hard"]
Audience: TypeAlias = Literal["member", "secretary"]
MultipleScoring: TypeAlias = Literal["strict", "half", "per_option"]
ReviewMode: TypeAlias = Literal["none", "score", "wrong_only", "all"]

QUESTION_TYPES: tuple[QuestionType, ...] = ("single", "multiple", "judge", "fill")
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")
AUDIENCES: tuple[Audience, ...] = ("member", "secretary")
LETTERS = "ABCDEFGH"

#: A fill key: one entry per blank, each the tuple of accepted spellings.
FillKey: TypeAlias = tuple[tuple[str, ...], ...]
#: A key as frozen on a paper: letters of the shown order, a truth value, or blanks.
Key: TypeAlias = str | bool | FillKey

# A blank is a pair of empty brackets (full or half width, any inner white space) or a run
# of two or more underscores. Brackets with text inside, such as （试行）, are not blanks.
_BLANK = re.compile(r"[（(][ \u3000\t]*[）)]|_{2,}")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?\s*$")


def count_blanks(stem: str) -> int:
    """Number of blanks a fill stem marks with ``（ ）``, ``( )`` or ``____``."""
    return len(_BLANK.findall(stem))


def topic_matches(topic: str, prefix: str) -> bool:
    """True when ``topic`` lies at or below ``prefix`` in the topic path (``党章`` ⊇ ``党章/党员``)."""
    return topic == prefix or topic.startswith(prefix + "/")


def parse_duration(value: object) -> int:
    """Seconds in ``45m``, ``1h30m``, ``30s``, ``90`` (seconds) or an int; raise ValueError."""
    if isinstance(value, bool):
        raise ValueError("a duration such as 45m, 30s or 1h")
    if isinstance(value, int):
        seconds = value
    else:
        text = str(value).strip().lower()
        if text.isdigit():
            seconds = int(text)
        else:
            m = _DURATION.match(text)
            if not m or not any(m.groups()):
                raise ValueError(f"{value!r} is not a duration such as 45m, 30s or 1h30m")
            h, mi, s = (int(g) if g else 0 for g in m.groups())
            seconds = h * 3600 + mi * 60 + s
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return seconds


def _rule(field: str, message: str) -> PydanticCustomError:
    return PydanticCustomError("question_rule", message, {"field": field})


def _text(value: Any) -> Any:
    """Accept numbers where text is meant (``revision: 2022``, a fill answer ``3``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, BeforeValidator(_text)]


class Question(BaseModel):
    """One question as written in a bank file."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str
    """Unique across all banks and stable forever: papers and statistics refer to it."""
    type: QuestionType
    """single | multiple | judge | fill."""
    topic: str
    """Path below the bank, ``党章/党员``; the first segment is the bank's name."""
    stem: str
    """The question text; fill stems mark each blank with ``（ ）`` or ``____``."""
    options: tuple[Text, ...] | None = None
    """Choices of a single or multiple question, in the bank's order (A, B, …)."""
    answer: str | bool | tuple[Text | tuple[Text, ...], ...]
    """single: ``C``; multiple: ``ABD``; judge: true/false; fill: one entry per blank."""
    explanation: str
    """Why the answer is right, pointing at the source; shown to members after the test."""
    source: str
    """Document and article that settle the answer, e.g. 《中国共产党章程》第七条."""
    difficulty: Difficulty
    """easy | medium | hard, as CONTENT.md defines them."""
    audience: tuple[Audience, ...] = AUDIENCES
    """Who may be asked it; blueprints draw only questions for their audience."""
    tags: tuple[Text, ...] = ()
    """Free keywords for editors and search."""
    group: str | None = None
    """Questions of one group never share a paper (they give each other away)."""
    any_order: bool = False
    """Fill only: the blanks may be answered in any order (an unordered list)."""
    retired: bool = False
    """Kept for history, never drawn again."""

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError("an id uses letters, digits, '-', '_' or '.', e.g. dz-0001")
        return v

    @field_validator("stem", "explanation", "source", "topic")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v.strip()

    @field_validator("audience")
    @classmethod
    def _some_audience(cls, v: tuple[Audience, ...]) -> tuple[Audience, ...]:
        if not v:
            raise ValueError("name at least one audience: member, secretary")
        return v

    @model_validator(mode="after")
    def _type_rules(self) -> Question:
        check = _TYPE_RULES[self.type]
        check(self)
        return self

    # --- derived views used by the generator and scorer -------------------------------

    @property
    def key_letters(self) -> str:
        """The key of a single/multiple question as letters of the bank's option order."""
        assert isinstance(self.answer, str)
        return self.answer

    @property
    def fill_key(self) -> FillKey:
        """The key of a fill question: for each blank, the accepted spellings."""
        assert isinstance(self.answer, tuple)
        return tuple((e,) if isinstance(e, str) else tuple(e) for e in self.answer)

    @property
    def bank(self) -> str:
        """The bank a question belongs to: the first segment of its topic."""
        return self.topic.split("/", 1)[0]


def _check_choice(q: Question) -> None:
    if q.options is None:
        raise _rule("options", f"a {q.type} question needs options")
    n = len(q.options)
    if n < 2 or n > len(LETTERS):
        raise _rule("options", f"a {q.type} question has 2 to 8 options, this one has {n}")
    if q.type == "multiple" and n < 3:
        raise _rule("options", "a multiple question has at least 3 options")
    stripped = [o.strip() for o in q.options]
    if any(not o for o in stripped):
        raise _rule("options", "an option is empty")
    seen: dict[str, int] = {}
    for i, o in enumerate(stripped):
        if o in seen:
            raise _rule("options", f"options {LETTERS[seen[o]]} and {LETTERS[i]} are the same: {o}")
        seen[o] = i
    if not isinstance(q.answer, str):
        raise _rule("answer", f"the answer of a {q.type} question is letters such as {'C' if q.type == 'single' else 'ABD'}")
    letters = q.answer.replace(",", "").replace("，", "").replace(" ", "").upper()
    valid = LETTERS[:n]
    bad = [c for c in letters if c not in valid]
    if bad:
        raise _rule("answer", f"answer letter {''.join(bad)} is outside the options A–{valid[-1]}")
    if len(set(letters)) != len(letters):
        raise _rule("answer", f"answer {q.answer} repeats a letter")
    if q.type == "single" and len(letters) != 1:
        raise _rule("answer", f"a single question has one answer letter, not {q.answer}")
    if q.type == "multiple" and len(letters) < 2:
        raise _rule("answer", f"a multiple question has at least two correct letters, not {q.answer}")
    if q.any_order:
        raise _rule("any_order", "any_order applies to fill questions only")
    object.__setattr__(q, "answer", "".join(sorted(letters)))


def _check_judge(q: Question) -> None:
    if q.options is not None:
        raise _rule("options", "a judge question has no options (the kiosk shows 正确 / 错误)")
    if not isinstance(q.answer, bool):
        raise _rule("answer", "the answer of a judge question is true or false")
    if q.any_order:
        raise _rule("any_order", "any_order applies to fill questions only")


def _check_fill(q: Question) -> None:
    if q.options is not None:
        raise _rule("options", "a fill question has no options")
    if not isinstance(q.answer, tuple) or not q.answer:
        raise _rule("answer", "the answer of a fill question is a list, one entry per blank")
    for entry in q.answer:
        spellings = (entry,) if isinstance(entry, str) else entry
        if not spellings or any(not s.strip() for s in spellings):
            raise _rule("answer", "a blank's accepted answer is empty")
    blanks = count_blanks(q.stem)
    if blanks > 10:
        raise _rule("stem", f"a fill question has at most 10 blanks, this one has {blanks}")
    if blanks != len(q.answer):
        raise _rule(
            "answer",
            f"the stem has {blanks} blank{'s' if blanks != 1 else ''} but the answer lists {len(q.answer)}",
        )


_TYPE_RULES = {"single": _check_choice, "multiple": _check_choice, "judge": _check_judge, "fill": _check_fill}


class Bank(BaseModel):
    """One bank file: a top-level topic and its questions."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    bank: str
    """The bank's name, which is also the first segment of every question's topic."""
    revision: Text
    """The text the bank follows (党章 2022); papers record it."""
    questions: tuple[Question, ...] = ()
    """The questions, retired ones included."""

    @field_validator("bank")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v.strip() or "/" in v:
            raise ValueError("a bank name is non-empty and has no '/'")
        return v.strip()


class Section(BaseModel):
    """One part of a paper: so many questions of one type, each worth the same points."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    type: QuestionType
    """The question type drawn for this section."""
    count: int = Field(gt=0)
    """How many questions."""
    points: float = Field(gt=0)
    """Points per question."""
    scoring: MultipleScoring = "strict"
    """How a multiple question scores a partly right answer; ignored for other types."""
    topic: str | None = None
    """Draw only questions at or below this topic (optional)."""
    title: str | None = None
    """Heading on the paper; defaults to 一、单项选择题 etc."""

    @model_validator(mode="after")
    def _scoring_only_for_multiple(self) -> Section:
        if self.scoring != "strict" and self.type != "multiple":
            raise PydanticCustomError("question_rule", "scoring applies to multiple sections only", {"field": "scoring"})
        return self


class TopicRule(BaseModel):
    """A constraint across sections on the questions below one topic prefix."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    topic: str
    """Topic prefix, e.g. ``党章`` or ``党章/党员``."""
    min_share: float | None = Field(default=None, ge=0, le=1)
    """At least this share of the paper's points."""
    max_share: float | None = Field(default=None, ge=0, le=1)
    """At most this share of the paper's points."""
    min_count: int | None = Field(default=None, ge=0)
    """At least this many questions."""
    max_count: int | None = Field(default=None, ge=0)
    """At most this many questions."""

    @model_validator(mode="after")
    def _says_something(self) -> TopicRule:
        if all(v is None for v in (self.min_share, self.max_share, self.min_count, self.max_count)):
            raise PydanticCustomError(
                "question_rule", "a topic rule needs min_share, max_share, min_count or max_count", {"field": "topic"}
            )
        return self


class Blueprint(BaseModel):
    """A 组卷方案: how to draw a paper from the banks."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str
    """The paper's title."""
    audience: Audience
    """Only questions meant for this audience are drawn."""
    time_limit: Annotated[int, BeforeValidator(parse_duration)]
    """Seconds; written ``45m``, ``1h``, ``30s``."""
    pass_mark: float = Field(ge=0)
    """Points needed to pass."""
    sections: tuple[Section, ...] = Field(min_length=1)
    """In paper order."""
    topics: tuple[TopicRule, ...] = ()
    """Constraints across sections on topic prefixes."""
    difficulty: dict[Difficulty, float] | None = None
    """Target shares of questions by difficulty, met within one question."""
    shuffle_questions: bool = True
    """Shuffle questions within each section."""
    shuffle_options: bool = True
    """Shuffle the options of single and multiple questions."""
    exclude_recent: int = Field(default=0, ge=0)
    """Avoid questions the member saw in their last N papers (relaxed only if unavoidable)."""
    review: ReviewMode = "wrong_only"
    """What the member sees after submitting."""
    total_points: float | None = None
    """What the sections must add up to; when omitted, a whole number."""
    description: str | None = None
    """Shown on the start screen."""

    @property
    def paper_points(self) -> float:
        return float(sum(Fraction(str(s.points)) * s.count for s in self.sections))

    @model_validator(mode="after")
    def _consistent(self) -> Blueprint:
        total = sum((Fraction(str(s.points)) * s.count for s in self.sections), Fraction(0))
        if self.total_points is not None and total != Fraction(str(self.total_points)):
            raise PydanticCustomError(
                "question_rule",
                "the sections add up to {got} points, not total_points {want}",
                {"field": "sections", "got": _num(total), "want": _num(Fraction(str(self.total_points)))},
            )
        if self.total_points is None and total.denominator != 1:
            raise PydanticCustomError(
                "question_rule",
                "the sections add up to {got} points, not a whole paper",
                {"field": "sections", "got": _num(total)},
            )
        if self.pass_mark > total:
            raise PydanticCustomError(
                "question_rule",
                "pass_mark {p} is more than the paper's {t} points",
                {"field": "pass_mark", "p": _num(Fraction(str(self.pass_mark))), "t": _num(total)},
            )
        if self.difficulty is not None:
            s = sum(Fraction(str(v)) for v in self.difficulty.values())
            if s != 1:
                raise PydanticCustomError(
                    "question_rule", "difficulty shares add up to {s}, not 1", {"field": "difficulty", "s": float(s)}
                )
        return self


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


class PaperQuestion(BaseModel):
    """A question as frozen on a paper: shown order of options, key in that order, points."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    no: int
    """Position on the paper, from 1."""
    id: str
    """The bank question it was drawn from."""
    type: QuestionType
    topic: str
    difficulty: Difficulty
    section: int
    """Index of the blueprint section (0-based)."""
    points: float
    scoring: MultipleScoring = "strict"
    stem: str
    options: tuple[str, ...] = ()
    """In shown order."""
    answer: Key
    """Letters of the shown order, true/false, or the accepted spellings of each blank."""
    any_order: bool = False
    explanation: str = ""
    source: str = ""


class Paper(BaseModel):
    """A drawn paper. Frozen: later edits to a bank change no paper and no score."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    paper_id: str
    """Derived from the content, so the same draw always has the same id."""
    blueprint: str
    """The blueprint's name (the title on the paper)."""
    blueprint_key: str = ""
    """The name or path the blueprint was loaded from (``member``)."""
    seed: int
    time_limit_s: int
    total_points: float
    pass_mark: float
    review: ReviewMode = "wrong_only"
    sections: tuple[Section, ...] = ()
    revisions: dict[str, str] = Field(default_factory=dict)
    """Bank name → revision of the text the questions followed when drawn."""
    relaxed_exclusions: bool = False
    """True when recently seen questions had to be allowed to make the paper possible."""
    questions: tuple[PaperQuestion, ...]
