"""Questions as read from foreign files, before they are questions: drafts, and how they become one.

Every importer (the Excel template, other platforms' sheets, Word-style text, ``.docx``) reads
its source into :class:`Draft` objects: the raw texts of the fields plus the place the question
came from. One function, :func:`build_question`, then turns a draft into a validated
:class:`~quizbank.models.Question` or a list of problems. Keeping that step in one place means
a sheet and a text file accept the same answer spellings (``A,C``, ``A、C``, 对/错/√/×, …), infer
types by the same rules and word their errors the same way.

The vocabulary of the wild lives here too: the names people give to question types, difficulty
levels, audiences and yes/no flags.

How much a draft is "repaired" depends on where it came from (``Draft.origin``):

* ``template``: our own export. Cells are taken as they are (stripped), so that a bank →
  Excel → bank round trip gives exactly the same questions, even a stem such as ``选（A）类``.
* ``sheet``: another platform's sheet. Answers may also sit in the stem's brackets; a stem that
  shows its own answer (``（ A ）`` next to an 答案 column saying A) is blanked.
* ``text``: a pasted Word document. On top of the above, blanks are made uniform (``（ ）``),
  runs of spaces become blanks, stray spaces between Chinese characters go, and score notes
  such as ``（2分）`` are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError

from .errors import Problem
from .models import AUDIENCES, LETTERS, Audience, Difficulty, Question, QuestionType, count_blanks

__all__ = [
    "NO_EXPLANATION",
    "NO_SOURCE",
    "PENDING_ID",
    "Draft",
    "Origin",
    "SourceRead",
    "build_question",
    "normalise_stem",
    "parse_audience",
    "parse_difficulty",
    "parse_flag",
    "parse_judge",
    "parse_letters",
    "parse_type",
    "split_fill_answer",
    "split_options",
]

Origin = Literal["template", "sheet", "text"]

#: What an imported question without 解析 says until an editor writes one (the model needs text).
NO_EXPLANATION = "（暂无解析）"
#: What an imported question without 出处 says until an editor fills it in.
NO_SOURCE = "（出处待补充）"
#: Placeholder id of a built question that still needs a generated one.
PENDING_ID = "pending"


@dataclass
class Draft:
    """One question as found in a source file: raw field texts and where they were.

    ``line`` is the text line, ``.docx`` paragraph or spreadsheet row of the question's first
    line; ``place`` says which (``""`` for text lines, ``"row"``, ``"paragraph"``) so that a
    problem prints the way DESIGN.md asks (``PATH:LINE:`` or ``PATH: row N:``).
    """

    where: str
    line: int
    origin: Origin
    place: str = ""
    number: str = ""
    """The question's number in the source (``12``), for messages; empty for sheets."""
    type: QuestionType | None = None
    """Set by a 题型 cell, a section heading or an inline tag; ``None`` means infer it."""
    type_text: str = ""
    """The type as written, when it could not be understood (for the error message)."""
    choice: bool = False
    """The source said 选择题 without saying single or multiple: decide by the answer."""
    id: str = ""
    stem: str = ""
    options: list[str] = field(default_factory=list)
    answer: str = ""
    explanation: str = ""
    source: str = ""
    difficulty: str = ""
    topic: str = ""
    audience: str = ""
    tags: str = ""
    group: str = ""
    any_order: str = ""
    retired: str = ""
    difficulty_scale: int = 3
    """Largest numeric difficulty in the source's column: 3 for 1–3 scales, 5 for 1–5."""
    notes: list[str] = field(default_factory=list)
    """Problems found while reading (an option letter out of sequence …)."""

    def problem(self, message: str) -> Problem:
        """A problem of this question, placed the way its source numbers things."""
        if self.place and self.place != "paragraph":
            return Problem(self.where, self.line, message, row_label=self.place)
        label = f"question {self.number}: " if self.number else ""
        return Problem(self.where, self.line, label + message, row_label=self.place)


@dataclass
class SourceRead:
    """What a reader found in one file: drafts, plus problems and notes about the file itself."""

    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Problems not owned by one question (no header row, an answer-key entry with no question)."""
    notes: list[Problem] = field(default_factory=list)
    """Things worth knowing that are not errors (read as GB18030, columns ignored)."""
    meta: dict[str, str] = field(default_factory=dict)
    """``bank`` and ``revision`` when the source names them (the template's 说明 sheet)."""
    template: bool = False
    """True for our own Excel template (see the module docstring)."""


# --------------------------------------------------------------------------- options
def _marker(letter: str) -> re.Pattern[str]:
    wide = chr(ord(letter) - ord("A") + ord("Ａ"))
    any_case = f"{letter}{letter.lower()}{wide}"
    return re.compile(
        rf"[(（][ \u3000]*[{any_case}][ \u3000]*[)）]"  # (A) （A）
        rf"|(?<![A-Za-z0-9])[{letter}{wide}][ \u3000]*[.．、:：)）]"  # A. A． A、 A)
        rf"|(?<![A-Za-z0-9])[{letter.lower()}][ \u3000]*[.．、)）]"  # a. a、
        rf"|(?:^|(?<=[ \u3000\t]))[{letter}{wide}](?=[ \u3000]+[^\sA-Za-z0-9])"  # A 党的…
    )


_MARKERS = [_marker(c) for c in LETTERS]


def split_options(text: str, first: int = 0, *, inline: bool = False) -> tuple[str, list[str]] | None:
    """Options written on one line: ``A.甲 B.乙``, ``(A)甲(B)乙``, ``A、甲　　B、乙`` ….

    ``first`` is the index of the letter the line must start with (a line of C and D after a
    line of A and B). With ``inline`` the options may follow a stem on the same line; then
    at least two consecutive letters are needed, so that a stem's ``（ A ）`` answer bracket
    is not taken for an option. Returns ``(text before the options, options)`` or ``None``.
    """
    if first >= len(LETTERS):
        return None
    head = _MARKERS[first]
    if inline:
        if first != 0:
            return None
        candidates = list(head.finditer(text))
        if not candidates:
            return None
        second = _MARKERS[1].search(text, candidates[0].end())
        if second is None:
            return None
        before = [m for m in candidates if m.end() <= second.start()]
        start = before[-1]
    else:
        m = head.match(text)
        if m is None:
            return None
        start = m
    marks = [start]
    for k in range(first + 1, len(LETTERS)):
        nxt = _MARKERS[k].search(text, marks[-1].end())
        if nxt is None:
            break
        marks.append(nxt)
    if inline and len(marks) < 2:
        return None
    ends = [m.start() for m in marks[1:]] + [len(text)]
    options = [text[m.end() : e].strip(" \t\u3000") for m, e in zip(marks, ends, strict=True)]
    if inline and not all(options):
        return None  # （ A、B、C ）: letters of an answer, not options
    return text[: start.start()], options


# --------------------------------------------------------------------------- vocabulary
def _key(text: str) -> str:
    """Comparison form of a short label: NFKC, no spaces or decorations, lower case."""
    t = unicodedata.normalize("NFKC", text).strip().lower()
    return re.sub(r"[\s*＊【】\[\]]", "", t)


_TYPE_WORDS: dict[str, QuestionType] = {}
for _t, _words in {
    "single": "单项选择题 单项选择 单选题 单选 单择题 single sc radio",
    "multiple": "多项选择题 多项选择 多选题 多选 不定项选择题 不定项选择 不定项 multiple mc checkbox",
    "judge": "判断题 判断 是非题 是非 对错题 判断正误题 判断正误 正误题 judge tf truefalse true/false",
    "fill": "填空题 填空 fill blank",
}.items():
    for _w in _words.split():
        _TYPE_WORDS[_w] = _t  # type: ignore[assignment]
_CHOICE_WORDS = {"选择题", "选择", "choice"}


def parse_type(text: str) -> tuple[QuestionType | None, bool]:
    """The type a 题型 cell or heading names: ``(type, is_generic_choice)``; ``(None, False)`` if unknown."""
    k = _key(text)
    k = re.sub(r"[(（].*?[)）]$", "", k)  # 单选题（2分）
    if k in _TYPE_WORDS:
        return _TYPE_WORDS[k], False
    if k in _CHOICE_WORDS:
        return None, True
    return None, False


_DIFF_WORDS: dict[str, Difficulty] = {}
for _d, _words in {
    "easy": "易 容易 简单 较易 低 较低 初级 基础 easy e",
    "medium": "中 中等 一般 适中 普通 较难易 中级 medium normal m",
    "hard": "难 困难 较难 高 较高 高级 提高 hard h",
}.items():
    for _w in _words.split():
        _DIFF_WORDS[_w] = _d  # type: ignore[assignment]


def parse_difficulty(text: str, scale: int = 3) -> Difficulty | None:
    """易/中/难, 低/中/高, 简单/一般/困难, stars, 1–3 or 1–5, a 0–1 难度系数; ``None`` if unknown.

    A 难度系数 (share of people who get it right) is high for easy questions, so 0.8 is easy.
    """
    k = _key(text)
    if k in _DIFF_WORDS:
        return _DIFF_WORDS[k]
    if k and set(k) <= {"★", "☆"}:
        stars = k.count("★")
        return "easy" if stars <= 2 else "medium" if stars == 3 else "hard"
    try:
        value = float(k)
    except ValueError:
        return None
    if 0 < value < 1:
        return "easy" if value >= 0.7 else "medium" if value >= 0.4 else "hard"
    if value.is_integer() and 1 <= value <= 5:
        n = int(value)
        if scale <= 3:
            return ("easy", "medium", "hard")[min(n, 3) - 1]
        return "easy" if n <= 2 else "medium" if n == 3 else "hard"
    return None


_MEMBER = {"党员", "member", "members", "预备党员", "发展对象"}
_SECRETARY = {"支部书记", "书记", "secretary", "secretaries", "挂职副书记", "支委"}
_BOTH = {"全部", "全体", "通用", "所有", "all", "both", "不限"}


def parse_audience(text: str) -> tuple[Audience, ...] | None:
    """``党员`` / ``支部书记`` / ``党员、支部书记`` / ``全部``; ``()`` for empty, ``None`` if unknown."""
    k = _key(text)
    if not k:
        return ()
    if k in _BOTH:
        return AUDIENCES
    found: list[Audience] = []
    for part in re.split(r"[,，、;；/|和及与]+", k):
        if not part:
            continue
        if part in _MEMBER:
            found.append("member")
        elif part in _SECRETARY:
            found.append("secretary")
        elif part in _BOTH:
            return AUDIENCES
        else:
            return None
    return tuple(a for a in AUDIENCES if a in found)


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "对", "停用", "已停用"}
_NO = {"否", "n", "no", "false", "0", "×", "✗", "✘", "", "启用", "正常"}


def parse_flag(text: str) -> bool | None:
    """是/否-style flag cells; empty is ``False``, anything else unknown is ``None``."""
    k = _key(text)
    if k in _YES:
        return True
    if k in _NO:
        return False
    return None


_TRUE = {"对", "正确", "√", "✓", "✔", "是", "t", "true", "y", "yes", "真", "r", "right", "a", "☑", "o", "○"}
_FALSE = {"错", "错误", "×", "✗", "✘", "x", "否", "f", "false", "n", "no", "假", "wrong", "b", "☒"}


def parse_judge(text: str) -> bool | None:
    """对/错, √/×, 正确/错误, 是/否, T/F, A/B (the kiosk shows 正确/错误 as A/B); ``None`` if unknown."""
    k = _key(text).rstrip("。.")
    k = re.sub(r"^[(（](.*)[)）]$", r"\1", k)
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    return None


_LETTER_SEPARATORS = re.compile(r"[\s,，、;；/|.．和及与]+")


def parse_letters(text: str) -> str | None:
    """Option letters from ``A``, ``AC``, ``A,C``, ``A、C``, ``a c``, ``ＡＣ``; ``None`` if not letters."""
    t = unicodedata.normalize("NFKC", text).strip().upper()
    t = re.sub(r"^[(（\[【](.*)[)）\]】]$", r"\1", t)
    t = _LETTER_SEPARATORS.sub("", t)
    if not t or any(c not in LETTERS for c in t):
        return None
    return t


_BLANK_SEPARATORS = re.compile(r"\s*[；;|｜]\s*")
_ALTERNATIVES = re.compile(r"\s+/\s+|\s*／\s*")


def split_fill_answer(text: str) -> list[str | tuple[str, ...]]:
    """Blanks separated by ``；`` ``;`` or ``|``; accepted spellings of one blank by `` / ``.

    A bare ``/`` is part of an answer (``1/5``); only a slash with spaces around it (or the
    full-width ``／``) separates spellings, which is how :func:`answer_text` writes them.
    """
    entries: list[str | tuple[str, ...]] = []
    for part in _BLANK_SEPARATORS.split(text.strip()):
        spellings = tuple(s.strip() for s in _ALTERNATIVES.split(part) if s.strip())
        if not spellings:
            entries.append("")
        elif len(spellings) == 1:
            entries.append(spellings[0])
        else:
            entries.append(spellings)
    return entries


def normalise_stem(stem: str) -> str:
    """The form in which two stems count as the same question: letters and digits only.

    NFKC and case folding make full-width and half-width alike; blanks, punctuation and white
    space are dropped, so ``党员的党龄从（ ）之日算起。`` and ``党员的党龄从____之日算起`` match.
    """
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", stem).casefold())


_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus '_': letters and digits of any script


# --------------------------------------------------------------------------- stem repairs
_BRACKET = re.compile(r"[(（]([^()（）]*)[)）]")
_EMPTY_BRACKET = re.compile(r"[(（][ \u3000\t\u00a0]*[)）]")
_LETTER_BRACKET = re.compile(r"[(（][ \u3000]*([A-Ha-hＡ-Ｈａ-ｈ][A-Ha-hＡ-Ｈａ-ｈ ,，、\u3000]*)[)）]")
_JUDGE_MARK = r"√|×|✓|✔|✗|✘|对|错|正确|错误|是|否|[xX]"
_TRAILING_JUDGE = re.compile(rf"[(（][ \u3000]*({_JUDGE_MARK})?[ \u3000]*[)）]([。.！!？?]?)\s*$")
_SCORE_NOTE = re.compile(r"\s*[(（][ \u3000]*(?:本题)?(?:\d+(?:\.\d+)?|[一二三四五六七八九十]+)[ \u3000]*分[ \u3000]*[)）]")
_INLINE_TYPE = re.compile(r"^\s*[【\[（(〔]\s*([^】\]）)〕]{1,8})\s*[】\]）)〕]\s*")
_UNDERLINED_ANSWER = re.compile(r"_{2,}([^_\s][^_]*?)_{2,}")
# brackets that are part of a title, not a blank: 《…条例（试行）》, （2022年修订）
_NOT_BLANK_WORDS = re.compile(
    r"试行|草案|修订|修正|节选|摘录|征求意见稿|以下简称|简称|暂行|第[一二三四五六七八九十百\d]+[条款章节]"
)
_SPACE_RUN = re.compile(r"(?<=\S)(?: {3,}|\u3000{2,}|[ \u3000]{2,}\u3000[ \u3000]*)(?=\S)")
_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\ue010"
_STRAY_SPACE = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")


def inline_type(stem: str) -> tuple[str, QuestionType | None, bool]:
    """Strip a leading ``【单选题】``-style tag; return the stem and the type it names."""
    m = _INLINE_TYPE.match(stem)
    if m:
        kind, choice = parse_type(m.group(1))
        if kind is not None or choice:
            return stem[m.end() :], kind, choice
    return stem, None, False


_HOLD = "\ue010"  # stands for a bracket blank while spaces are tidied around it


def _tidy_text_stem(stem: str, kind: QuestionType | None) -> str:
    """Uniform blanks and no stray spaces, for stems pasted from Word.

    Order matters: bracket blanks are set aside first (their inner spaces are not a blank of
    their own), then runs of spaces become blanks, then single spaces between Chinese
    characters go (``党 的 领 导``), and the bracket blanks come back as ``（ ）``.
    """
    stem = _SCORE_NOTE.sub("", stem)
    stem = _EMPTY_BRACKET.sub(_HOLD, stem)
    blank = "____" if kind == "fill" else _HOLD
    stem = _SPACE_RUN.sub(blank, stem)
    stem = _STRAY_SPACE.sub("", stem)
    stem = _AROUND_HOLD.sub(_HOLD, stem)
    return _SPACES.sub(" ", stem).replace(_HOLD, "（ ）").strip()


_AROUND_HOLD = re.compile(rf" *{_HOLD} *")
_SPACES = re.compile(r"[ \t]{2,}")


def _answer_brackets(stem: str) -> list[re.Match[str]]:
    """Brackets in a fill stem that hold an answer rather than a title note such as （试行）."""
    found = []
    for m in _BRACKET.finditer(stem):
        inner = m.group(1).strip(" \u3000")
        if not inner or _NOT_BLANK_WORDS.search(inner):
            continue
        if m.start() > 0 and stem[m.start() - 1] in "》>":
            continue
        found.append(m)
    return found


def _trailing_blank(stem: str) -> bool:
    """True when the stem's only blank is a bracket at its very end (a judge question's）."""
    return count_blanks(stem) == 1 and bool(_TRAILING_JUDGE.search(stem))


# --------------------------------------------------------------------------- building
def _strip(text: str) -> str:
    return text.replace("\u00a0", " ").strip(" \t\r\n\u3000")


def _infer_type(d: Draft, stem: str, answer: str) -> QuestionType | None:
    """single/multiple when there are options, else judge or fill from the answer and blanks."""
    if d.options:
        letters = parse_letters(answer) if answer else None
        if letters is None and not answer and d.origin != "template":
            m = _LETTER_BRACKET.search(stem)
            letters = parse_letters(m.group(1)) if m else None
        return "multiple" if letters and len(letters) > 1 else "single"
    judged = parse_judge(answer) if answer else None
    blanks = count_blanks(stem)
    if judged is not None and (blanks == 0 or _trailing_blank(stem)):
        return "judge"
    if blanks or _SPACE_RUN.search(stem):
        return "fill"
    if not answer:
        m = _TRAILING_JUDGE.search(stem)
        if m and m.group(1):
            return "judge"
        if _answer_brackets(stem) or _UNDERLINED_ANSWER.search(stem):
            return "fill"
    if answer:
        return "judge" if judged is not None else "fill"
    return None


_JUDGE_OPTIONS = ({"正确", "错误"}, {"对", "错"}, {"√", "×"}, {"是", "否"}, {"true", "false"})


def _judge_options(options: list[str]) -> bool:
    return len(options) == 2 and any({_key(o) for o in options} == pair for pair in _JUDGE_OPTIONS)


def build_question(
    d: Draft, bank: str, *, default_difficulty: Difficulty = "medium"
) -> tuple[Question | None, list[Problem], set[str]]:
    """Turn a draft into a question of ``bank``, or say everything that is wrong with it.

    Returns ``(question, problems, filled)``: ``question`` is ``None`` when there are problems;
    ``filled`` names the fields that were empty and got a default (``explanation``, ``source``,
    ``difficulty``), which the importer counts in its summary. A question whose source gave
    no id gets the id :data:`PENDING_ID`; the importer assigns a stable one.
    """
    problems = [d.problem(n) for n in d.notes]
    filled: set[str] = set()
    text = d.origin == "text"
    stem = _strip(d.stem)
    kind, choice = d.type, d.choice
    if text:
        stem, tagged, tag_choice = inline_type(stem)
        if kind is None and tagged is not None:
            kind = tagged
        choice = choice or tag_choice
    options = [_strip(o) for o in d.options]
    while options and not options[-1]:
        options.pop()  # sheets have columns 选项A…H; the unused ones are empty
    for i, o in enumerate(options):
        if not o:
            problems.append(d.problem(f"option {LETTERS[i]} is empty but a later option is given"))
    answer = _strip(d.answer)
    if d.type_text and kind is None and not choice:
        problems.append(d.problem(f"unknown question type '{d.type_text}' (单选题, 多选题, 判断题 or 填空题)"))
    judge_letters = False
    if kind == "judge" or (kind is None and _judge_options(options)):
        # judge questions written as choices: A.正确 B.错误
        if options and _judge_options(options):
            judge_letters = True
            truth_of = {LETTERS[i]: parse_judge(o) for i, o in enumerate(options)}
            letters = parse_letters(answer) if answer else None
            if letters and len(letters) == 1:
                answer = "正确" if truth_of[letters] else "错误"
            options = []
        kind = "judge"
    if kind is None:
        d_opts = Draft(d.where, d.line, d.origin, options=options)
        kind = _infer_type(d_opts, stem, answer)
    if kind is None:
        if not stem:
            problems.append(d.problem("no question text"))
        else:
            problems.append(d.problem("no answer, and no options or blanks that tell the type"))
        return None, problems, filled
    if text:
        stem = _tidy_text_stem(stem, kind)
    if not stem:
        problems.append(d.problem("no question text"))

    data: dict[str, Any] = {"type": kind, "stem": stem}
    if kind in ("single", "multiple"):
        letters = None
        if answer:
            letters = parse_letters(answer)
            if letters is None:
                problems.append(d.problem(f"answer '{answer}' is not option letters such as C or ABD"))
            elif d.origin != "template":
                # a stem that shows its own answer next to an 答案 column: blank it
                stem = _LETTER_BRACKET.sub(
                    lambda m: "（ ）" if parse_letters(m.group(1)) == letters else m.group(0), stem, count=1
                )
        elif d.origin != "template":
            m = _LETTER_BRACKET.search(stem)
            if m:
                letters = parse_letters(m.group(1))
                stem = stem[: m.start()] + "（ ）" + stem[m.end() :]
        if letters is None and not answer:
            problems.append(d.problem("no answer"))
        if choice and letters and kind == "single" and len(letters) > 1:
            kind = "multiple"  # 选择题 with several letters
        if not options:
            problems.append(d.problem(f"a {kind} question needs options (A. … B. …)"))
        data.update(type=kind, stem=stem, options=options, answer=letters or "")
    elif kind == "judge":
        if options and not judge_letters:
            problems.append(d.problem("a judge question has no options (the kiosk shows 正确 / 错误)"))
        truth: bool | None = None
        if answer:
            truth = parse_judge(answer)
            if truth is None:
                problems.append(d.problem(f"answer '{answer}' is not 对/错, √/×, 正确/错误 or 是/否"))
        if d.origin != "template":
            m = _TRAILING_JUDGE.search(stem)
            if m:
                if not answer and m.group(1):
                    truth = parse_judge(m.group(1))
                stem = (stem[: m.start()].rstrip() + m.group(2)).strip()
        if truth is None and not answer:
            problems.append(d.problem("no answer"))
        data.update(stem=stem, answer=bool(truth))
    else:
        entries: list[str | tuple[str, ...]] = []
        if options:
            problems.append(d.problem("a fill question has no options"))
        if answer:
            entries = split_fill_answer(answer)
        elif d.origin != "template":
            stem, entries = _answers_from_stem(stem)
        if not entries:
            problems.append(d.problem("no answer: give it after 答案 (blanks separated by ；) or in the stem's brackets"))
        elif any(e == "" for e in entries):
            problems.append(d.problem(f"answer '{answer}' has an empty blank"))
        data.update(stem=stem, answer=entries)
        flag = parse_flag(d.any_order)
        if flag is None:
            problems.append(d.problem(f"不分顺序 '{d.any_order}' is not 是 or 否"))
        elif flag:
            data["any_order"] = True

    difficulty = parse_difficulty(d.difficulty, d.difficulty_scale) if _strip(d.difficulty) else None
    if difficulty is None:
        if _strip(d.difficulty):
            problems.append(d.problem(f"difficulty '{_strip(d.difficulty)}' is not 易/中/难 (or 低/中/高)"))
        else:
            filled.add("difficulty")
        difficulty = default_difficulty
    data["difficulty"] = difficulty
    data["topic"] = _topic(bank, d.topic)
    audience = parse_audience(d.audience)
    if audience is None:
        problems.append(d.problem(f"audience '{_strip(d.audience)}' is not 党员, 支部书记 or 党员、支部书记"))
    elif audience:
        data["audience"] = audience
    explanation, source = _strip(d.explanation), _strip(d.source)
    if not explanation:
        filled.add("explanation")
    if not source:
        filled.add("source")
    data["explanation"] = explanation or NO_EXPLANATION
    data["source"] = source or NO_SOURCE
    tags = [t for t in (x.strip() for x in _TAG_SEPARATORS.split(d.tags)) if t] if d.tags else []
    if tags:
        data["tags"] = tags
    if _strip(d.group):
        data["group"] = _strip(d.group)
    retired = parse_flag(d.retired)
    if retired is None:
        problems.append(d.problem(f"停用 '{d.retired}' is not 是 or 否"))
    elif retired:
        data["retired"] = True
    qid = _strip(d.id)
    # other platforms number rows 1, 2, 3 in their 编号 column: not ids that are unique forever
    data["id"] = qid if qid and (d.origin == "template" or not qid.isdigit()) else PENDING_ID
    if problems:
        return None, problems, filled
    try:
        return Question.model_validate(data), [], filled
    except ValidationError as e:
        return None, [d.problem(_describe(err, d)) for err in e.errors()], filled


def _answers_from_stem(stem: str) -> tuple[str, list[str | tuple[str, ...]]]:
    """Fill answers written into the stem: ``（四个意识）`` or ``__四个意识__``; blank them."""
    entries: list[str | tuple[str, ...]] = []
    matches = _answer_brackets(stem)
    if matches:
        out, last = [], 0
        for m in matches:
            out.append(stem[last : m.start()])
            out.append("（ ）")
            entries.extend(split_fill_answer(m.group(1))[:1] or [""])
            last = m.end()
        out.append(stem[last:])
        return "".join(out), entries
    if _UNDERLINED_ANSWER.search(stem):
        entries = [m.group(1).strip() for m in _UNDERLINED_ANSWER.finditer(stem)]
        return _UNDERLINED_ANSWER.sub("____", stem), entries
    return stem, []


_TOPIC_SEPARATORS = re.compile(r"[/／\\>＞]+")
_TAG_SEPARATORS = re.compile(r"[,，、;；]")


def _topic(bank: str, topic: str) -> str:
    """``bank/…``: a topic path below the bank, whatever separators the source used."""
    parts = [p.strip() for p in _TOPIC_SEPARATORS.split(_strip(topic)) if p.strip()]
    if parts and parts[0] == bank:
        parts = parts[1:]
    return "/".join([bank, *parts])


_FIELD_NAMES = {
    "options": "options",
    "answer": "answer",
    "stem": "question text",
    "id": "id",
    "topic": "topic",
    "explanation": "explanation",
    "source": "source",
}


def _describe(err: Any, d: Draft) -> str:
    loc = [p for p in err["loc"] if isinstance(p, str) and "[" not in p and not p.startswith("function-")]
    msg: str = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if err["type"] == "question_rule":
        return msg
    name = _FIELD_NAMES.get(loc[0], loc[0]) if loc else ""
    if loc and loc[0] == "id":
        return f"id '{_strip(d.id)}': {msg}"
    return f"{name}: {msg}" if name else msg
