"""Questions from Word-style text: pasted ``.txt`` files and ``.docx`` documents.

Banks circulate as Word documents typed by hand, so the reader is a forgiving line-by-line
state machine rather than a grammar. What it understands:

* section headings that set the type (``一、单项选择题（每题2分）``, ``【判断题】``, ``（三）填空题``)
  and other headings that set the topic (``第一章 总则``, ``二、党章部分``);
* question numbers ``1.`` ``1、`` ``1．`` ``(1)`` ``（1）`` ``1)`` ``第1题``, or none at all (then
  questions are separated by blank lines or end at their answer);
* options ``A.`` ``A、`` ``A．`` ``(A)`` ``A 甲``, one per line, several per line or on the stem's line;
* fields ``答案：A``, ``【答案】AB``, ``正确答案: 对``, ``解析：``/``【解析】``, ``出处：``, ``难度：``,
  ``知识点：``, on their own lines or after the stem;
* answers inside the stem (``（ A ）``, ``（√）``, ``（四个意识）``), left to :mod:`quizbank.drafts`;
* an answer key at the end (``参考答案`` then ``1.B 2.C``, ``1-5 ABCDA``, per-section blocks),
  which is also how :mod:`quizbank.paper_docx` prints the key, so a printed paper reads back.

A number is a new question only when it plausibly continues the numbering; otherwise (a
list ``1. … 2. …`` inside an explanation) the line continues the current field.

Files are decoded as UTF-8 (with or without BOM) or UTF-16 with a BOM; text that is not
UTF-8 is tried as GB18030, which is what Chinese Windows saves as "ANSI". Binary files
(a ``.doc`` renamed ``.txt``, a PDF, an archive) are recognised and named.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .drafts import Draft, SourceRead, parse_type, split_options
from .errors import ImportProblem, Problem
from .models import QuestionType

__all__ = ["decode_text", "parse_lines", "read_docx", "read_text"]

_D = "0-9０-９"
_CN = "一二三四五六七八九十"
_QNUM = re.compile(
    rf"^(?:第[ \u3000]*([{_D}]+)[ \u3000]*题[ \u3000]*[.．、:：]?"
    rf"|[(（][ \u3000]*([{_D}]+)[ \u3000]*[)）]"
    rf"|([{_D}]+)[ \u3000]*(?:[．、)）]|\.(?![{_D}])|\.(?=[{_D}]+[年月日]))"
    r")[ \u3000]*"
)
_HEADING = re.compile(
    rf"^(?:第[{_CN}\d]+(?:部分|大题|节)?[ \u3000]*[、.．:：]?[ \u3000]*"
    rf"|[{_CN}]+[ \u3000]*[、.．:：][ \u3000]*"
    rf"|[(（][{_CN}]+[)）][ \u3000]*"
    r"|[IVXⅠⅡⅢⅣⅤⅥⅦⅧ]+[ \u3000]*[、.．][ \u3000]*)?"
    r"[【\[]?[ \u3000]*(?P<word>[^\s（(【】\[\]:：,，。]{2,8}?)[ \u3000]*[】\]]?[ \u3000]*(?P<rest>[(（:：].*)?$"
)
_TOPIC = re.compile(
    rf"^(?:第[{_CN}百\d]+[章节部分篇编][ \u3000]*[、.．:：]?[ \u3000]*|[{_CN}]+[ \u3000]*[、.．][ \u3000]*)(?P<title>\S.{{0,29}})$"
)
_KEY_WORDS = r"参考答案|标准答案|试题答案|答案"
_KEY_HEADING = re.compile(
    rf"^(?P<title>.{{0,40}}?)[【\[]?[ \u3000]*(?P<word>{_KEY_WORDS})(?P<more>与解析|及解析|和解析)?[ \u3000]*[】\]]?[ \u3000]*[:：]?[ \u3000]*(?P<rest>.*)$"
)
_KEY_RANGE = re.compile(
    rf"([{_D}]+)[ \u3000]*[-~～—－–至到][ \u3000]*([{_D}]+)[ \u3000]*[:：.．、]?[ \u3000]*([A-Ha-h√×✓✗对错]+)"
)
_KEY_ENTRY = re.compile(
    rf"(?:^([{_D}]+)[ \u3000]*[.．、:：)）]|(?<=[\s;；,，])([{_D}]+)[ \u3000]*(?:[．、:：)）]|\.(?![{_D}])))[ \u3000]*"
)

_FIELD_WORDS = {
    "answer": ("正确答案", "参考答案", "标准答案", "答案"),
    "explanation": ("答案解析", "试题解析", "题目解析", "解析", "解答"),
    "source": ("出题依据", "出处", "来源", "依据"),
    "difficulty": ("难易程度", "难易度", "难度"),
    "topic": ("知识点", "考点"),
    "type": ("题型",),
    "id": ("试题编号", "编号"),
    "tags": ("标签", "关键词"),
    "group": ("分组",),
    "audience": ("适用对象",),
}
_FIELD_OF = {w: f for f, ws in _FIELD_WORDS.items() for w in ws}
_ALL_WORDS = "|".join(sorted(_FIELD_OF, key=len, reverse=True))
_FIELD = re.compile(
    rf"[【\[〔][ \u3000]*(?P<b>{_ALL_WORDS}|分析)[ \u3000]*[】\]〕][ \u3000]*[:：]?[ \u3000]*"
    rf"|(?:^|(?<=[\s。？！?!）)】\]]))(?P<c>{_ALL_WORDS})[ \u3000]*[:：][ \u3000]*"
)


def _digits(text: str) -> int:
    return int(unicodedata.normalize("NFKC", text))


def split_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """``stem 答案：A 解析：…`` → ``("stem", [("answer", "A"), ("explanation", "…")])``."""
    marks = list(_FIELD.finditer(text))
    if not marks:
        return text, []
    fields = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        word = m.group("b") or m.group("c")
        fields.append((_FIELD_OF.get(word, "explanation"), text[m.end() : end].strip()))
    return text[: marks[0].start()].strip(), fields


def _join(a: str, b: str) -> str:
    """Join wrapped lines: no space between Chinese text, one space between Latin words."""
    if not a:
        return b
    if not b:
        return a
    if a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


@dataclass
class _KeyEntry:
    line: int
    section: int | None
    number: int
    answer: str = ""
    explanation: str = ""
    source: str = ""
    last: str = "answer"


@dataclass
class _Parser:
    """The line-by-line reader; see the module docstring for what it understands."""

    where: str
    place: str
    numbered: bool
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    current: Draft | None = None
    last_field: str = ""
    last_number: int = 0
    section_type: QuestionType | None = None
    section_choice: bool = False
    section_index: int = 0
    sections: list[int] = field(default_factory=list)
    """Per draft: the index of its type section (for matching an answer key by section)."""
    topic: str = ""
    blank_seen: bool = False
    in_key: bool = False
    key_section: int | None = None
    key: list[_KeyEntry] = field(default_factory=list)

    @property
    def unit(self) -> str:
        """What the numbers count: lines of a text file, paragraphs of a document."""
        return "paragraph" if self.place == "paragraph" else "line"

    # ------------------------------------------------------------------ questions
    def close(self) -> None:
        d = self.current
        if d is None:
            return
        self.current = None
        if not self.numbered and not d.options and not d.answer and not d.explanation and not _looks_like_question(d.stem):
            self.notes.append(Problem(self.where, d.line, f"'{d.stem[:30]}' read as a title, not a question", self.place))
            return
        self.drafts.append(d)
        self.sections.append(self.section_index)

    def start(self, line: int, number: int | None, text: str) -> None:
        self.close()
        if number is not None:
            self.last_number = number
        d = Draft(
            self.where,
            line,
            "text",
            place=self.place,
            number=str(number) if number is not None else str(len(self.drafts) + 1),
            type=self.section_type,
            choice=self.section_choice,
            topic=self.topic,
        )
        self.current = d
        self.last_field = "stem"
        self.blank_seen = False
        lead, fields = split_fields(text)
        inline = split_options(lead, 0, inline=True)
        if inline is not None:
            d.stem, d.options = inline[0].strip(), inline[1]
            self.last_field = "options"
        else:
            d.stem = lead
        self._fields(line, fields)

    def _fields(self, line: int, fields: list[tuple[str, str]]) -> None:
        d = self.current
        assert d is not None
        for name, value in fields:
            if name == "type":
                kind, choice = parse_type(value)
                if kind is not None or choice:
                    d.type, d.choice = kind, choice
                else:
                    d.type_text = value
                continue
            old = getattr(d, name)
            if name == "answer" and old and value and old != value:
                d.notes.append(f"two answers: '{old}' and '{value}' ({self.unit} {line})")
            # a second 解析 line adds to the first; other fields replace (a 知识点 overrides the heading's)
            setattr(d, name, _join(old, value) if name in ("explanation", "source") else (value or old))
            self.last_field = name

    def _continue(self, text: str) -> None:
        d = self.current
        assert d is not None
        name = self.last_field
        if name == "options" and d.options:
            d.options[-1] = _join(d.options[-1], text)
        elif name in ("stem", "answer", "explanation", "source", "topic", "tags", "difficulty", "group", "audience", "id"):
            setattr(d, name, _join(getattr(d, name), text))
        else:
            d.stem = _join(d.stem, text)

    def _accept_number(self, n: int) -> bool:
        """Is a numbered line a new question, or a numbered list inside the current one?"""
        d = self.current
        if d is None or n == self.last_number + 1:
            return True
        if self.last_field in ("explanation", "source"):
            return False
        return n == 1 or n > self.last_number

    # ------------------------------------------------------------------ the key
    def key_line(self, line: int, text: str) -> None:
        h = _HEADING.match(_squeeze(text))
        if h and _is_type_heading(h):
            self.key_section = 0 if self.key_section is None else self.key_section + 1
            return
        lead, fields = split_fields(text)
        if lead:
            ranges = list(_KEY_RANGE.finditer(lead))
            if ranges and not _KEY_RANGE.sub("", lead).strip(" \u3000,，;；"):
                for m in ranges:
                    lo, hi, answers = _digits(m.group(1)), _digits(m.group(2)), m.group(3)
                    if hi - lo + 1 != len(answers):
                        self.problems.append(
                            Problem(
                                self.where,
                                line,
                                f"answer key {m.group(0)}: {hi - lo + 1} questions but {len(answers)} answers",
                                self.place,
                            )
                        )
                        continue
                    for k, a in enumerate(answers):
                        self.key.append(_KeyEntry(line, self.key_section, lo + k, a))
                lead = ""
            else:
                entries = list(_KEY_ENTRY.finditer(lead))
                if entries and entries[0].start() == 0:
                    for i, m in enumerate(entries):
                        end = entries[i + 1].start() if i + 1 < len(entries) else len(lead)
                        number = _digits(m.group(1) or m.group(2))
                        self.key.append(_KeyEntry(line, self.key_section, number, lead[m.end() : end].strip()))
                    lead = ""
        if lead and self.key:
            last = self.key[-1]
            setattr(last, last.last, _join(getattr(last, last.last), lead))
        for name, value in fields:
            if not self.key:
                break
            last = self.key[-1]
            if name in ("answer", "explanation", "source"):
                setattr(last, name, _join(getattr(last, name), value))
                last.last = name

    def apply_key(self) -> None:
        """Give each question its answer (and explanation, source) from the answer key."""
        if not self.key:
            return
        by_section: dict[tuple[int, int], int] = {}
        by_number: dict[int, list[int]] = {}
        ordinals = {s: i for i, s in enumerate(sorted(set(self.sections)))}
        for i, d in enumerate(self.drafts):
            if d.number.isdigit():
                n = int(d.number)
                by_section[(ordinals[self.sections[i]], n)] = i
                by_number.setdefault(n, []).append(i)
        for e in self.key:
            if e.section is not None and (e.section, e.number) in by_section:
                target = by_section[(e.section, e.number)]
            elif len(by_number.get(e.number, [])) == 1:
                target = by_number[e.number][0]
            elif e.number in by_number:
                self.problems.append(
                    Problem(
                        self.where,
                        e.line,
                        f"answer key: several questions are numbered {e.number}; put the key under section headings",
                        self.place,
                    )
                )
                continue
            else:
                self.problems.append(Problem(self.where, e.line, f"answer key: there is no question {e.number}", self.place))
                continue
            d = self.drafts[target]
            if d.answer and e.answer and d.answer != e.answer:
                d.notes.append(f"answer '{d.answer}' in the question but '{e.answer}' in the answer key ({self.unit} {e.line})")
            d.answer = d.answer or e.answer
            d.explanation = d.explanation or e.explanation
            d.source = d.source or e.source

    # ------------------------------------------------------------------ driver
    def feed(self, line: int, raw: str) -> None:
        text = raw.replace("\u00a0", " ").replace("\t", "  ").strip(" \u3000\r\n\ufeff")
        if not text:
            self.blank_seen = True
            return
        if self.in_key:
            self.key_line(line, text)
            return
        squeezed = _squeeze(text)
        k = _KEY_HEADING.match(squeezed)
        if k and self._is_key_heading(k):
            self.close()
            self.in_key = True
            if k.group("rest"):
                self.key_line(line, k.group("rest"))
            return
        h = _HEADING.match(squeezed)
        if h and _is_type_heading(h):
            self.close()
            kind, choice = parse_type(h.group("word"))
            self.section_type, self.section_choice = kind, choice
            self.section_index += 1
            self.last_number = 0
            return
        q = _QNUM.match(text)
        if q and len(text) > q.end():
            n = _digits(q.group(1) or q.group(2) or q.group(3))
            if self._accept_number(n):
                self.start(line, n, text[q.end() :])
                return
        t = _TOPIC.match(squeezed)
        if t and not q and _is_topic(t.group("title")) and (self.current is None or self.last_field != "stem" or self.blank_seen):
            self.close()
            self.topic = re.sub(r"[(（][^)）]*[)）]$", "", t.group("title")).strip()
            return
        lead, fields = split_fields(text)
        if fields and not lead:
            if self.current is None:
                self.problems.append(Problem(self.where, line, f"'{text[:30]}' is outside any question", self.place))
                return
            self._fields(line, fields)
            self.blank_seen = False
            return
        d = self.current
        if d is not None and (self.last_field in ("stem", "options") or d.options):
            opts = split_options(lead, len(d.options))
            if opts is not None and not opts[0]:
                d.options.extend(opts[1])
                self.last_field = "options"
                if fields:
                    self._fields(line, fields)
                self.blank_seen = False
                return
        if d is None or (not self.numbered and self._new_unnumbered()):
            if d is None and self.numbered:
                return  # a title, 姓名 line or other preamble before the first question
            self.start(line, None, text)
            return
        self._continue(lead)
        if fields:
            self._fields(line, fields)
        self.blank_seen = False

    def _new_unnumbered(self) -> bool:
        d = self.current
        assert d is not None
        if self.last_field == "answer" or (d.answer and self.blank_seen):
            return True
        if self.blank_seen and not d.options and not d.answer and not _looks_like_question(d.stem):
            return True  # the line before the blank was a title
        return self.blank_seen and bool(d.options)

    def _is_key_heading(self, m: re.Match[str]) -> bool:
        rest, title = m.group("rest"), m.group("title")
        if rest:
            return bool(_KEY_RANGE.match(rest) or _KEY_ENTRY.match(rest))
        if _QNUM.match(title):
            return False
        d = self.current
        if m.group("word") != "答案" or m.group("more") or d is None or d.answer:
            return True  # 参考答案 / 标准答案 alone on a line only ever heads a key
        # a bare 答案： may be a field whose value is on the next line, or end a stem line
        return bool(title) and bool(d.options) and not title.endswith(tuple("的是为了即"))

    def finish(self) -> SourceRead:
        self.close()
        self.apply_key()
        return SourceRead(self.drafts, self.problems, self.notes)


_SPACED = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) +(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def _squeeze(text: str) -> str:
    """``一 、 单 项 选 择 题`` → ``一、单项选择题``: headings typed with spaces between characters."""
    return _SPACED.sub("", text) if " " in text else text


def _is_type_heading(m: re.Match[str]) -> bool:
    kind, choice = parse_type(m.group("word"))
    return kind is not None or choice


def _is_topic(title: str) -> bool:
    return not re.search(r"[（(][ \u3000]*[)）]|_{2,}|[？?]$|答案", title)


def _looks_like_question(stem: str) -> bool:
    return bool(re.search(r"[（(][^)）]*[)）]|_{2,}|[。？?：:！!]$|\s{3,}", stem))


def _numbered(lines: list[tuple[int, str]]) -> bool:
    """Does the document number its questions? (Only lines before an answer key count.)"""
    hits = 0
    for _, raw in lines:
        text = raw.strip(" \u3000\t")
        if _KEY_HEADING.match(text) and len(text) <= 12:
            break
        q = _QNUM.match(text)
        if q and len(text) - q.end() >= 4:
            hits += 1
            if hits >= 1:
                return True
    return False


def parse_lines(lines: Iterable[tuple[int, str]], where: str, place: str = "") -> SourceRead:
    """Drafts from ``(line number, text)`` pairs; ``place`` is how the numbers are named."""
    items = list(lines)
    parser = _Parser(where, place, numbered=_numbered(items))
    for no, text in items:
        parser.feed(no, text)
    return parser.finish()


# --------------------------------------------------------------------------- decoding
_MAGIC = (
    (b"PK\x03\x04", "a zip archive (a .docx or .xlsx saved under another name?)"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Excel 97-2003 file (.doc/.xls): open it and save as .docx or .xlsx"),
    (b"%PDF", "a PDF document: copy its text into a .txt file or save it as .docx"),
    (b"{\\rtf", "an RTF document: save it as .docx or as plain text"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"Rar!", "a RAR archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)


def decode_text(raw: bytes, where: str) -> tuple[str, list[Problem]]:
    """Bytes of a text file → text, and a note when it was not UTF-8; raise for binary files.

    UTF-8 (with or without BOM) and UTF-16 with BOM are read as such. Anything else is tried as
    GB18030 (a superset of GBK and GB2312, what Chinese Windows calls ANSI) and accepted when
    the result reads as Chinese text.
    """
    if not raw.strip():
        raise ImportProblem([Problem(where, None, "the file is empty")])
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise ImportProblem([Problem(where, None, f"not a text file: this is {what}")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    elif raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text: str | None = None
    notes: list[Problem] = []
    if b"\x00" in raw[:4096]:
        sample = raw[:4096]
        if sample[1::2].count(0) > len(sample) // 4:
            try:
                text = raw.decode("utf-16-le")
            except UnicodeDecodeError:
                text = None
        if text is None:
            raise ImportProblem([Problem(where, None, "not a text file: it holds binary data (NUL bytes)")])
        notes.append(Problem(where, None, "read as UTF-16 (no byte-order mark)"))
    if text is None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            bad_line = raw[: e.start].count(b"\n") + 1
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                raise ImportProblem(
                    [Problem(where, bad_line, "not UTF-8 and not GB18030 text either; save the file as UTF-8")]
                ) from None
            if not _reads_as_chinese(text):
                raise ImportProblem(
                    [Problem(where, bad_line, "not UTF-8 text, and as GB18030 it is not Chinese text; save the file as UTF-8")]
                ) from None
            notes.append(Problem(where, None, "read as GB18030 (GBK) text, not UTF-8"))
    controls = sum(1 for ch in text[:20000] if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if controls > max(8, len(text[:20000]) // 100):
        raise ImportProblem([Problem(where, None, "not a text file: it is full of control characters (binary data?)")])
    return text, notes


def _reads_as_chinese(text: str) -> bool:
    """Does GB18030-decoded text read as Chinese, or as another encoding's bytes mis-read?

    Any byte string decodes as GB18030 into *some* characters; Latin-1 or Shift-JIS bytes
    come out as rare characters from all over the table. Real Chinese text is mostly the
    3,755 common characters of GB2312 level 1 (lead bytes B0–D7) and its punctuation (A1–A9).
    """
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    common = 0
    for ch in wide:
        try:
            lead = ch.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        if 0xB0 <= lead <= 0xD7 or 0xA1 <= lead <= 0xA9:
            common += 1
    return common >= 0.8 * len(wide)


def read_text(path: str | os.PathLike[str], raw: bytes | None = None) -> SourceRead:
    """Drafts from a plain-text file (lines numbered from 1)."""
    where = str(path)
    if raw is None:
        raw = Path(path).read_bytes()
    text, notes = decode_text(raw, where)
    read = parse_lines(enumerate(text.splitlines(), start=1), where)
    read.notes[:0] = notes
    return read


# --------------------------------------------------------------------------- .docx
_UNDERLINE_OPEN, _UNDERLINE_CLOSE = "\ue000", "\ue001"


def read_docx(path: str | os.PathLike[str]) -> SourceRead:
    """Drafts from a Word ``.docx``: paragraphs in order, Word's automatic numbering included.

    A table whose first row names columns (题干, 答案, …) is read like a spreadsheet (its
    questions come after those of the paragraphs); any other table (options laid out in a
    grid) is read row by row as text. Line numbers are paragraph
    numbers, counted through the document the way they appear.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from .excel_template import read_table

    where = str(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raw = Path(path).read_bytes()[:8]
        for magic, what in _MAGIC:
            if raw.startswith(magic) and magic != b"PK\x03\x04":
                raise ImportProblem([Problem(where, None, f"not a .docx file: this is {what}")]) from None
        if not raw.strip():
            raise ImportProblem([Problem(where, None, "the file is empty")]) from None
        raise ImportProblem([Problem(where, None, f"not a readable .docx file ({type(e).__name__})")]) from None
    numbering = _Numbering(document)
    lines: list[tuple[int, str]] = []
    tables: list[SourceRead] = []
    counter = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            rows: list[list[str]] = []
            first = counter + 1
            for row in block.rows:
                seen: set[int] = set()
                cells = []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue  # a merged cell repeats in every grid column it spans
                    seen.add(id(cell._tc))
                    cells.append("\n".join(_paragraph_text(p, numbering) for p in cell.paragraphs))
                rows.append(cells)
                counter += 1
            table = read_table(rows, where, place=f"table {len(tables) + 1} row", origin="text")
            if table is not None:
                tables.append(table)
                continue
            for i, cells in enumerate(rows):
                multi = any("\n" in c for c in cells)
                if multi:
                    for c in cells:
                        lines.extend((first + i, part) for part in c.split("\n"))
                else:
                    lines.append((first + i, "    ".join(c for c in cells if c.strip())))
            continue
        counter += 1
        text = _paragraph_text(block, numbering)
        lines.extend((counter, part) for part in text.split("\n"))
    read = parse_lines(lines, where, place="paragraph")
    for t in tables:
        read.drafts += t.drafts
        read.problems += t.problems
        read.notes += t.notes
    for d in read.drafts:
        _settle_underlines(d)
    return read


def _plain(text: str) -> str:
    return text.replace(_UNDERLINE_OPEN, "").replace(_UNDERLINE_CLOSE, "")


def _settle_underlines(d: Draft) -> None:
    """Underlined words are a fill question's answers when nothing else gives them; else plain text."""
    answers_underlined = d.type in ("fill", None) and not d.answer and not d.options and _UNDERLINE_OPEN in d.stem
    if answers_underlined:
        d.stem = d.stem.replace(_UNDERLINE_OPEN, "（").replace(_UNDERLINE_CLOSE, "）")
    else:
        d.stem = _plain(d.stem)
    d.options = [_plain(o) for o in d.options]
    for name in ("answer", "explanation", "source", "topic", "difficulty"):
        setattr(d, name, _plain(getattr(d, name)))


def _paragraph_text(paragraph: Any, numbering: _Numbering) -> str:
    """The paragraph's text with its automatic number, and underlined blanks as ``____``.

    An underlined run of spaces is a blank to write on; underlined words in a fill question
    are its answer (marked so :mod:`quizbank.drafts` can take them out of the stem).
    """
    parts = []
    for run in paragraph.runs:
        t = run.text
        if run.underline and t:
            t = "____" if not t.strip() else _UNDERLINE_OPEN + t + _UNDERLINE_CLOSE
        parts.append(t)
    text = "".join(parts) if paragraph.runs else paragraph.text
    label = numbering.label(paragraph)
    return f"{label} {text}" if label else text


class _Numbering:
    """Word's automatic list numbers (``1.``, ``A.``), which ``paragraph.text`` leaves out."""

    _FORMATS: ClassVar[dict[str, Callable[[int], str]]] = {
        "decimal": lambda n: str(n),
        "upperLetter": lambda n: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[(n - 1) % 26],
        "lowerLetter": lambda n: "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26],
        "chineseCounting": lambda n: "一二三四五六七八九十"[(n - 1) % 10],
        "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
        "decimalEnclosedCircle": lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[(n - 1) % 10],
    }

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        ns = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        w = "{" + ns + "}"
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.iter(w + "abstractNum"):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.iter(w + "lvl"):
                fmt = lvl.find(w + "numFmt")
                txt = lvl.find(w + "lvlText")
                start = lvl.find(w + "start")
                lv[int(lvl.get(w + "ilvl", "0"))] = (
                    fmt.get(w + "val", "decimal") if fmt is not None else "decimal",
                    txt.get(w + "val", "") if txt is not None else "",
                    int(start.get(w + "val", "1")) if start is not None else 1,
                )
            abstract[an.get(w + "abstractNumId", "")] = lv
        for num in root.iter(w + "num"):
            ref = num.find(w + "abstractNumId")
            if ref is not None:
                self.levels[num.get(w + "numId", "")] = abstract.get(ref.get(w + "val", ""), {})
        self._w = w

    def label(self, paragraph: Any) -> str:
        if not self.levels:
            return ""
        ppr = paragraph._p.pPr
        num_pr = ppr.numPr if ppr is not None else None
        if num_pr is None:
            # numbering may come from the paragraph's style (Word's "List Number")
            style = paragraph.style
            style_ppr = style.element.pPr if style is not None else None
            num_pr = style_ppr.numPr if style_ppr is not None else None
        if num_pr is None:
            return ""
        num_id = num_pr.numId
        ilvl = num_pr.ilvl
        nid = str(num_id.val) if num_id is not None else ""
        level = int(ilvl.val) if ilvl is not None else 0
        levels = self.levels.get(nid)
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(nid, {})
        fmt, template, start = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet" or fmt == "none":
            return ""
        out = template
        for k in range(level + 1):
            f, _, s = levels.get(k, ("decimal", "", 1))
            value = counters.get(k, s)
            out = out.replace(f"%{k + 1}", self._FORMATS.get(f, self._FORMATS["decimal"])(value))
        return out
