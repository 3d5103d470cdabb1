"""Importing question banks from the files people already have, and writing them as YAML banks.

The readers (:mod:`quizbank.excel_template` for ``.xlsx``/``.csv`` and header-bearing tables,
:mod:`quizbank.text_import` for ``.txt``/``.docx``) turn a file into drafts;
:func:`quizbank.drafts.build_question` turns each draft into a question or problems. This module
puts it together, with the rules that concern the whole file:

* **All or nothing.** Any problem, and nothing is written (:class:`ImportProblem` lists them
  all, each at its row, or its question number and line). With ``skip_bad`` the good questions
  are kept and the bad ones listed as skipped.
* **Stable ids.** A question without an id gets ``q-`` plus ten hex digits of a hash of the bank
  name, its type and its normalised stem: importing the same file twice gives the same ids,
  and unlike a running number an id does not move when a question is inserted above it.
* **Near duplicates** (the same stem once blanks, punctuation, spaces and width are ignored)
  are reported, within the file and against the banks already there. They are warnings, not
  errors: a single and a fill question may rightly share a stem.
* **Readable YAML.** :func:`bank_to_yaml` writes block-style YAML with Chinese unescaped, short
  lists inline like the shipped banks, and a blank line between questions;
  :func:`write_bank_yaml` checks that the text loads back to the same questions and replaces
  the output file atomically.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .drafts import PENDING_ID, Draft, SourceRead, build_question, normalise_stem
from .errors import ImportProblem, Problem, QuizbankError
from .loader import Library
from .models import AUDIENCES, Bank, Question

__all__ = ["ImportResult", "bank_to_yaml", "import_bank", "read_source", "stable_id", "write_bank_yaml"]

_TYPE_CN = {"single": "单选", "multiple": "多选", "judge": "判断", "fill": "填空"}
_DEFAULT_REVISION = "未注明"


@dataclass
class ImportResult:
    """What an import produced: the bank to write, and what the person should know about it."""

    bank: Bank
    source: str
    read: int
    """Questions found in the file, good and bad."""
    skipped: list[Problem] = field(default_factory=list)
    """Problems of the questions left out (only with ``skip_bad``)."""
    warnings: list[Problem] = field(default_factory=list)
    """Near duplicates, defaults filled in, how the file was decoded."""

    def summary(self) -> str:
        """``123 questions (单选 40, 多选 20, …) into bank 党章`` plus what was skipped."""
        qs = self.bank.questions
        by_type: Counter[str] = Counter(q.type for q in qs)
        kinds = ", ".join(f"{_TYPE_CN[t]} {by_type[t]}" for t in _TYPE_CN if by_type[t])
        text = f"{len(qs)} question{'s' if len(qs) != 1 else ''} ({kinds or 'none'}) into bank {self.bank.bank}"
        if self.skipped:
            text += f"; {self.read - len(qs)} skipped"
        return text


# --------------------------------------------------------------------------- reading
def read_source(path: str | os.PathLike[str]) -> SourceRead:
    """Read a question file by its kind: ``.xlsx``, ``.csv``, ``.docx``, or text."""
    p = Path(path)
    where = str(path)
    if not p.exists():
        raise ImportProblem([Problem(where, None, "no such file")])
    if p.is_dir():
        raise ImportProblem([Problem(where, None, "a folder, not a question file")])
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from .excel_template import read_workbook

        return read_workbook(p)
    if suffix == ".xls":
        raise ImportProblem([Problem(where, None, "an Excel 97-2003 .xls file: open it in Excel or WPS and save it as .xlsx")])
    if suffix == ".doc":
        raise ImportProblem([Problem(where, None, "a Word 97-2003 .doc file: open it in Word or WPS and save it as .docx")])
    if suffix == ".docx":
        from .text_import import read_docx

        return read_docx(p)
    if suffix in (".yaml", ".yml"):
        raise ImportProblem([Problem(where, None, "already a quizbank bank; check it with quizbank validate")])
    raw = p.read_bytes()
    if suffix == ".csv":
        return _read_csv(raw, where)
    from .text_import import read_text

    return read_text(p, raw)


def _read_csv(raw: bytes, where: str) -> SourceRead:
    from .excel_template import read_table
    from .text_import import decode_text

    text, notes = decode_text(raw, where)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    read = read_table(rows, where)
    if read is None:
        raise ImportProblem(
            [Problem(where, None, "no header row in the first 30 rows; a header names the columns, e.g. 题型,题干,选项A,…,答案")]
        )
    read.notes[:0] = notes
    return read


# --------------------------------------------------------------------------- ids
def stable_id(bank: str, q: Question, occurrence: int = 0, *, prefix: str = "q", length: int = 10) -> str:
    """The id of a question that came without one: a hash of bank, type and normalised stem."""
    key = f"{bank}\x1f{q.type}\x1f{normalise_stem(q.stem)}"
    if occurrence:
        key += f"\x1f{occurrence}"
    return f"{prefix}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:length]}"


def _place(d: Draft) -> str:
    """How a message names a question's place: ``row 12``, ``question 3 (line 10)``."""
    if d.place and d.place != "paragraph":
        return f"{d.place} {d.line}"
    unit = "paragraph" if d.place == "paragraph" else "line"
    return f"question {d.number} ({unit} {d.line})" if d.number else f"{unit} {d.line}"


# --------------------------------------------------------------------------- import
def import_bank(
    path: str | os.PathLike[str],
    *,
    bank_name: str | None = None,
    revision: str | None = None,
    existing: Library | None = None,
    replacing: str | os.PathLike[str] | None = None,
    skip_bad: bool = False,
    id_prefix: str = "q",
) -> ImportResult:
    """Read ``path`` into a bank; raise :class:`ImportProblem` listing every problem.

    ``existing`` holds the banks already there: ids must not clash with theirs, and stems they
    already have are reported. ``replacing`` is the bank file this import will overwrite (its
    questions are not "already there"). ``bank_name`` and ``revision`` override what the file
    says (the template's 说明 sheet); without either the bank is named after the topics' common
    first segment, else after the file.
    """
    read = read_source(path)
    where = str(path)
    name = (bank_name or read.meta.get("bank") or _common_bank(read.drafts) or Path(path).stem).strip()
    if not name or "/" in name:
        raise ImportProblem([Problem(where, None, f"bank name '{name}' is empty or has a '/'; give --bank NAME")])
    rev = revision or read.meta.get("revision") or _DEFAULT_REVISION
    problems: list[Problem] = list(read.problems)
    warnings: list[Problem] = list(read.notes)
    if (
        not problems
        and not any(d.options or d.answer for d in read.drafts)
        and not any(build_question(d, name)[0] for d in read.drafts)
    ):
        # not one option, answer or answerable stem: this is not a question file at all
        raise ImportProblem([Problem(where, None, _nothing_found(Path(path)))])

    others = _other_banks(existing, replacing)
    taken: dict[str, tuple[Any, int | str]] = {}
    for lb in others:
        for q in lb.bank.questions:
            taken.setdefault(q.id, (lb, lb.lines.get(q.id, "?")))
    built: list[tuple[Draft, Question]] = []
    bad: list[Problem] = []
    filled: Counter[str] = Counter()
    ids_here: dict[str, Draft] = {}
    clashes: dict[str, list[tuple[Draft, str, int | str]]] = {}
    for d in read.drafts:
        q, probs, defaults = build_question(d, name)
        if q is not None and q.id != PENDING_ID:
            if q.id in ids_here:
                probs = [d.problem(f"duplicate id {q.id} (also at {_place(ids_here[q.id])})")]
            elif q.id in taken:
                lb, line = taken[q.id]
                clashes.setdefault(lb.path, []).append((d, q.id, line))
                continue
            else:
                ids_here[q.id] = d
        if probs or q is None:
            bad += probs
            continue
        filled.update(defaults)
        built.append((d, q))
    bad += _clash_problems(where, clashes)

    # stable ids for questions that came without one
    used = set(taken) | set(ids_here)
    occurrences: Counter[tuple[str, str]] = Counter()
    questions: list[Question] = []
    for _, q in built:
        if q.id == PENDING_ID:
            key = (q.type, normalise_stem(q.stem))
            n = occurrences[key]
            occurrences[key] += 1
            length = 10
            qid = stable_id(name, q, n, prefix=id_prefix)
            while qid in used:
                length += 2
                qid = stable_id(name, q, n, prefix=id_prefix, length=length)
            used.add(qid)
            q = q.model_copy(update={"id": qid})
        questions.append(q)

    warnings += _near_duplicates(built, questions, others)
    n = len(built)
    for what, label, default in (
        ("explanation", "解析", "（暂无解析）"),
        ("source", "出处", "（出处待补充）"),
        ("difficulty", "难度", "中 (medium)"),
    ):
        if filled[what]:
            k = filled[what]
            warnings.append(Problem(where, None, f"{k} of {n} question{'s' if n != 1 else ''} had no {label}; set to {default}"))
    for lb in others:
        if lb.bank.bank == name:
            warnings.append(
                Problem(where, None, f"a bank named {name} already exists at {lb.path}; give --bank to name this one")
            )

    all_problems = problems + bad
    if all_problems and not skip_bad:
        good = len(built)
        hint = f"; give --skip-bad to import the {good} good one{'s' if good != 1 else ''}" if good and bad else ""
        raise ImportProblem(
            all_problems,
            summary=f"{len(all_problems)} problem{'s' if len(all_problems) != 1 else ''}, nothing written{hint}",
        )
    if not questions:
        raise ImportProblem(
            all_problems or [Problem(where, None, "no questions to import")], summary="no good questions, nothing written"
        )
    bank = Bank(bank=name, revision=rev, questions=tuple(questions))
    return ImportResult(bank, where, len(read.drafts), skipped=all_problems, warnings=warnings)


def _clash_problems(where: str, clashes: dict[str, list[tuple[Draft, str, int | str]]]) -> list[Problem]:
    """Ids the file shares with other bank files: one line each, or one line per bank when many.

    Many clashes with one bank mean the file *is* that bank (exported, edited, imported to
    another path); the useful message then says how to update it in place.
    """
    out = []
    for path, items in clashes.items():
        if len(items) <= 3:
            out += [d.problem(f"id {qid} is already used at {path}:{line}") for d, qid, line in items]
        else:
            out.append(
                Problem(
                    where,
                    None,
                    f"{len(items)} ids ({items[0][1]} … {items[-1][1]}) are already used in {path}; "
                    f"to update that bank, import with --out {path}",
                )
            )
    return out


def _nothing_found(path: Path) -> str:
    if path.suffix.lower() in (".xlsx", ".xlsm", ".csv"):
        return "no questions found"
    return (
        "no questions found: expected numbered questions (1. …) with options (A. …) and answers "
        "(答案：A), under headings such as 一、单项选择题"
    )


def _common_bank(drafts: Iterable[Draft]) -> str | None:
    """The first topic segment all drafts share (a sheet whose 知识点 all start 党章/…)."""
    heads = {d.topic.replace("／", "/").split("/", 1)[0].strip() for d in drafts}
    if len(heads) == 1:
        (head,) = heads
        return head or None
    return None


def _other_banks(existing: Library | None, replacing: str | os.PathLike[str] | None) -> list[Any]:
    if existing is None:
        return []
    target = Path(replacing).resolve() if replacing is not None else None
    return [lb for lb in existing.banks if target is None or Path(lb.path).resolve() != target]


def _near_duplicates(built: list[tuple[Draft, Question]], questions: list[Question], others: list[Any]) -> list[Problem]:
    out: list[Problem] = []
    first: dict[str, tuple[Draft, Question]] = {}
    known: dict[str, str] = {}
    for lb in others:
        for q in lb.bank.questions:
            key = normalise_stem(q.stem)
            if key:
                known.setdefault(key, f"{q.id} ({lb.path}:{lb.lines.get(q.id, '?')})")
    for (d, _), q in zip(built, questions, strict=True):
        key = normalise_stem(q.stem)
        if not key:
            continue
        if key in first:
            d0, q0 = first[key]
            kinds = "" if q0.type == q.type else f" (a {q0.type} question there, {q.type} here)"
            out.append(d.problem(f"same question text as {_place(d0)}{kinds}"))
        else:
            first[key] = (d, q)
        if key in known:
            out.append(d.problem(f"same question text as {known[key]} in the banks"))
    return out


# --------------------------------------------------------------------------- YAML
# The bank's shape is fixed, so the YAML is written directly rather than through PyYAML's
# pure-Python emitter, which takes seconds for a 10,000-question bank. Each string is written
# plain when the YAML resolver reads it back as that same string, as a literal block when it
# has several lines, and double-quoted otherwise; write_bank_yaml loads the text back to check.
_RESOLVER = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# inside [a, b] PyYAML's own scanner ends a plain scalar at , ? [ ] { } and rejects any ':'
_FLOW_UNSAFE = re.compile(r"[,?\[\]{}:]")
# what YAML may carry unescaped: tab, \n, \r, printable ASCII and the printable planes; NEL,
# LS and PS are line breaks to YAML 1.1 and a BOM is dropped by readers, so those are escaped too
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile('["\\\\\n\t\r]|' + _UNPRINTABLE.pattern)
_LIST_INLINE_WIDTH = 60


def _quoted(value: str) -> str:
    def escape(m: re.Match[str]) -> str:
        ch = m.group(0)
        return _ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")

    return '"' + _NEEDS_ESCAPE.sub(escape, value) + '"'


def _plain_ok(value: str, flow: bool) -> bool:
    if not value or value != value.strip() or value[0] in _INDICATORS or "\n" in value or "\r" in value or "\t" in value:
        return False
    if ": " in value or " #" in value or value.endswith(":") or (flow and _FLOW_UNSAFE.search(value)):
        return False
    if _UNPRINTABLE.search(value):
        return False
    # true, 2022, 1e3, null, 2024-01-01, =, <<: each would load as something else
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
    return bool(tag == _STR_TAG)


def _scalar(value: str | bool, indent: int, *, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if _plain_ok(value, flow):
        return value
    lines = value.split("\n")
    if (
        not flow
        and len(lines) > 1
        and not value.endswith("\n")
        and not lines[0].startswith(" ")
        and not _UNPRINTABLE.search(value)
        and "\r" not in value
        and all(line == line.rstrip() for line in lines)
    ):
        pad = " " * (indent + 2)
        return "|-\n" + "\n".join(pad + line if line else "" for line in lines)
    return _quoted(value)


def _flow_list(items: list[Any]) -> str:
    parts = [_flow_list(x) if isinstance(x, list) else _scalar(x, 0, flow=True) for x in items]
    return "[" + ", ".join(parts) + "]"


def _value(value: Any, indent: int) -> str:
    """`` value`` after ``key:`` (with its leading space), or a block on the following lines."""
    if not isinstance(value, list):
        return " " + _scalar(value, indent)
    flat = [x for item in value for x in (item if isinstance(item, list) else [item])]
    if sum(len(str(x)) + 2 for x in flat) <= _LIST_INLINE_WIDTH and all("\n" not in str(x) for x in flat):
        return " " + _flow_list(value)
    pad = " " * (indent + 2)
    return "".join(f"\n{pad}- " + (_flow_list(x) if isinstance(x, list) else _scalar(x, indent + 2)) for x in value)


def _question_data(q: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"id": q.id, "type": q.type, "topic": q.topic, "stem": q.stem}
    if q.options is not None:
        data["options"] = list(q.options)
    if q.type == "fill":
        data["answer"] = [list(s) if len(s) > 1 else s[0] for s in q.fill_key]
        if q.any_order:
            data["any_order"] = True
    else:
        data["answer"] = q.answer
    data["explanation"] = q.explanation
    data["source"] = q.source
    data["difficulty"] = q.difficulty
    if tuple(q.audience) != AUDIENCES:
        data["audience"] = list(q.audience)
    if q.tags:
        data["tags"] = list(q.tags)
    if q.group is not None:
        data["group"] = q.group
    if q.retired:
        data["retired"] = True
    return data


def bank_to_yaml(bank: Bank, *, header: str = "") -> str:
    """The bank as readable YAML: block style, Chinese as is, short lists inline, a blank line
    between questions, like the shipped banks; ``header`` becomes a comment at the top."""
    out = [f"# {line}\n" for line in header.splitlines()]
    out.append(f"bank:{_value(bank.bank, 0)}\n")
    out.append(f"revision:{_value(bank.revision, 0)}\n")
    out.append("questions:\n" if bank.questions else "questions: []\n")
    for q in bank.questions:
        out.append("\n")
        first = True
        for key, value in _question_data(q).items():
            out.append(f"  - {key}:" if first else f"    {key}:")
            out.append(_value(value, 4) + "\n")
            first = False
    return "".join(out)


def _reads_back(text: str, bank: Bank) -> bool:
    try:
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as Loader  # type: ignore[assignment]
    # the collector would walk thousands of fresh dicts that cannot be garbage yet (see loader)
    enabled = gc.isenabled()
    gc.disable()
    try:
        again = Bank.model_validate(yaml.load(text, Loader=Loader))
    finally:
        if enabled:
            gc.enable()
    return again == bank


def write_bank_yaml(bank: Bank, path: str | os.PathLike[str], *, header: str = "") -> Path:
    """Write ``bank`` to ``path``: checked to load back the same, then swapped in atomically.

    The file appears whole or not at all, so an interrupted import never leaves half a bank
    for the kiosk to load.
    """
    text = bank_to_yaml(bank, header=header)
    if not _reads_back(text, bank):  # pragma: no cover - a bug in the dumper, not in the input
        raise QuizbankError("internal error: the YAML written would not load back to the same questions")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
