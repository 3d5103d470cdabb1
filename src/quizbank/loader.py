"""Reading banks and blueprints from YAML, with every problem placed at its line.

Why the loader looks the way it does:

* libyaml's C parser (``CSafeLoader``) does the scanning; only object construction runs in
  Python. Our constructor subclass records, for every mapping it builds, the line of the
  mapping and of each key. Pydantic's error locations (``questions → 12 → answer``) are then
  walked through the constructed data to find the line — no second parse, even on errors.
* Most of the time of loading a large bank is the cyclic garbage collector walking the
  thousands of freshly made dicts and lists, none of which can be garbage yet. Collection is
  paused while a file is constructed and validated, which more than pays for the line table.
* Duplicate keys in a mapping are silently merged by YAML libraries; here they are an error,
  because a bank with two ``answer:`` lines is a bank whose author meant one of them.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import BankError, NotFoundError, Problem
from .models import Bank, Blueprint, Question

try:  # the C loader is ~10x faster; pure-Python PyYAML still works, only slower
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

__all__ = [
    "BANKS_ENV",
    "Library",
    "LoadedBank",
    "LoadedBlueprint",
    "default_banks_dir",
    "load_bank_file",
    "load_blueprint",
    "load_blueprint_file",
    "load_library",
    "load_paths",
]

BANKS_ENV = "QUIZBANK_BANKS"


@dataclass
class _Pos:
    line: int
    keys: dict[str, int]


class _LineLoader(_BaseLoader):
    """Safe loader that remembers where each mapping and key was, and rejects duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.positions: dict[int, _Pos] = {}
        self.duplicates: list[tuple[int, str]] = []

    def construct_positioned_map(self, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        yield data
        keys: dict[str, int] = {}
        for key_node, _ in node.value:
            k = key_node.value
            if isinstance(key_node, yaml.ScalarNode):
                if k in keys:
                    self.duplicates.append((key_node.start_mark.line + 1, str(k)))
                keys[k] = key_node.start_mark.line + 1
        data.update(self.construct_mapping(node))
        self.positions[id(data)] = _Pos(node.start_mark.line + 1, keys)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_positioned_map)


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Parsed:
    path: str
    data: Any
    positions: dict[int, _Pos]
    problems: list[Problem]


def _parse(path: Path, text: str | None = None) -> _Parsed:
    shown = str(path)
    if text is None:
        try:
            raw = path.read_bytes()
        except OSError as e:
            return _Parsed(shown, None, {}, [Problem(shown, None, f"cannot read: {e.strerror or e}")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            bad_line = raw[: e.start].count(b"\n") + 1
            return _Parsed(shown, None, {}, [Problem(shown, bad_line, "not UTF-8 text; save the file as UTF-8")])
    loader = _LineLoader(text)
    try:
        with _gc_paused():
            data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(x for x in (e.context, e.problem) if x)
        return _Parsed(shown, None, {}, [Problem(shown, line, f"YAML syntax: {what}")])
    except yaml.YAMLError as e:
        return _Parsed(shown, None, {}, [Problem(shown, None, f"YAML: {e}")])
    finally:
        loader.dispose()
    problems = [Problem(shown, line, f"duplicate key '{k}'") for line, k in loader.duplicates]
    return _Parsed(shown, data, loader.positions, problems)


def _line_for(parsed: _Parsed, loc: Sequence[int | str], field_hint: str | None = None) -> int | None:
    """Walk a pydantic error location through the data to the line of the offending key."""
    node = parsed.data
    line: int | None = None
    pos: _Pos | None = parsed.positions.get(id(node))
    if pos is not None:
        line = pos.line
    for part in loc:
        pos = parsed.positions.get(id(node))
        if isinstance(node, dict):
            if pos is not None and part in pos.keys:
                line = pos.keys[str(part)]
            if part not in node:
                break
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            break
        child = parsed.positions.get(id(node))
        if child is not None:
            line = child.line
    if field_hint and isinstance(node, dict):
        pos = parsed.positions.get(id(node))
        if pos is not None and field_hint in pos.keys:
            line = pos.keys[field_hint]
    return line


def _describe(err: Any) -> str:
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    kind = err["type"]
    last = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing field '{last}'"
    if kind == "extra_forbidden":
        return f"unknown key '{last}'"
    msg: str = err["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "question_rule":
        return msg
    if isinstance(last, str) and last:
        return f"{last}: {msg}"
    return msg


def _validate(parsed: _Parsed, model: type[BaseModel]) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(parsed.data), []
    except ValidationError as e:
        problems: list[Problem] = []
        for err in e.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and "[" in p)]
            # union branches add their own names to the location; keep the data path only
            loc = _data_path(parsed.data, loc)
            hint = (err.get("ctx") or {}).get("field") if err["type"] == "question_rule" else None
            line = _line_for(parsed, loc, hint)
            problems.append(Problem(parsed.path, line, _question_label(parsed, loc) + _describe({**err, "loc": loc})))
        return None, _dedupe(problems)


def _data_path(data: Any, loc: Sequence[int | str]) -> list[int | str]:
    """Keep only the parts of a location that index real data (drop union tags like 'str')."""
    out: list[int | str] = []
    node = data
    for part in loc:
        if isinstance(node, dict):
            out.append(part)
            if part not in node:
                break  # a missing or unknown key still names the place
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
    return out


def _question_label(parsed: _Parsed, loc: Sequence[int | str]) -> str:
    if len(loc) >= 2 and loc[0] == "questions" and isinstance(loc[1], int):
        qs = parsed.data.get("questions") if isinstance(parsed.data, dict) else None
        if isinstance(qs, list) and loc[1] < len(qs) and isinstance(qs[loc[1]], dict):
            qid = qs[loc[1]].get("id")
            if qid is not None:
                return f"question {qid}: "
        return f"question {loc[1] + 1}: "
    return ""


def _dedupe(problems: list[Problem]) -> list[Problem]:
    # a union field yields one error per branch; one message per place and text is enough
    seen: set[tuple[int | None, str]] = set()
    out = []
    for p in problems:
        if (p.line, p.message) not in seen:
            seen.add((p.line, p.message))
            out.append(p)
    # several union branches failing on one field say the same thing many ways; keep the first
    by_line: dict[int | None, int] = {}
    result = []
    for p in out:
        n = by_line.get(p.line, 0)
        if n < 2:
            result.append(p)
        by_line[p.line] = n + 1
    return result


@dataclass(frozen=True)
class LoadedBank:
    """A bank and where it came from (for messages that name both places of a duplicate)."""

    path: str
    bank: Bank
    lines: dict[str, int] = field(default_factory=dict)
    """Question id → line in the file."""


@dataclass(frozen=True)
class LoadedBlueprint:
    path: str
    key: str
    blueprint: Blueprint
    lines: dict[str, int] = field(default_factory=dict)
    """Top-level key → line, and ``topics.N`` / ``sections.N`` → line of that entry."""


def _kind(data: Any) -> str:
    if isinstance(data, dict):
        if "bank" in data or "questions" in data:
            return "bank"
        if "sections" in data or "audience" in data:
            return "blueprint"
    return "unknown"


def _bank_from(parsed: _Parsed) -> tuple[LoadedBank | None, list[Problem]]:
    problems = list(parsed.problems)
    if parsed.data is None:
        return None, problems or [Problem(parsed.path, 1, "the file is empty")]
    if not isinstance(parsed.data, dict):
        return None, [*problems, Problem(parsed.path, 1, "a bank is a mapping with bank, revision and questions")]
    with _gc_paused():
        bank, more = _validate(parsed, Bank)
    problems += more
    # the line of each question in file order (a validated bank keeps the file's order)
    qs = parsed.data.get("questions")
    order: list[int | None] = []
    if isinstance(qs, list):
        for q in qs:
            pos = parsed.positions.get(id(q))
            order.append(pos.line if pos is not None else None)
    if bank is None:
        return None, problems
    problems += _bank_rules(parsed.path, bank, order)
    if problems:
        return None, problems
    lines = {q.id: ln for q, ln in zip(bank.questions, order, strict=True) if ln is not None}
    return LoadedBank(parsed.path, bank, lines), []


def _bank_rules(path: str, bank: Bank, order: list[int | None]) -> list[Problem]:
    """Rules across a bank's questions: topics under the bank's name, ids used once."""
    problems = []
    seen: dict[str, int | None] = {}
    for q, line in zip(bank.questions, order, strict=True):
        if q.bank != bank.bank:
            problems.append(
                Problem(path, line, f"question {q.id}: topic '{q.topic}' must start with the bank's name '{bank.bank}'")
            )
        if q.id in seen:
            problems.append(Problem(path, line, f"duplicate id {q.id} (also at {path}:{seen[q.id]})"))
        else:
            seen[q.id] = line
    return problems


def _blueprint_from(parsed: _Parsed, key: str) -> tuple[LoadedBlueprint | None, list[Problem]]:
    problems = list(parsed.problems)
    if parsed.data is None:
        return None, problems or [Problem(parsed.path, 1, "the file is empty")]
    if not isinstance(parsed.data, dict):
        return None, [*problems, Problem(parsed.path, 1, "a blueprint is a mapping with name, sections, …")]
    bp, more = _validate(parsed, Blueprint)
    problems += more
    if bp is None or problems:
        return None, problems
    lines: dict[str, int] = {}
    top = parsed.positions.get(id(parsed.data))
    if top is not None:
        lines.update(top.keys)
    for part in ("sections", "topics"):
        items = parsed.data.get(part)
        if isinstance(items, list):
            for i, item in enumerate(items):
                pos = parsed.positions.get(id(item))
                if pos is not None:
                    lines[f"{part}.{i}"] = pos.line
    return LoadedBlueprint(parsed.path, key, bp, lines), []


def load_bank_file(path: str | os.PathLike[str]) -> LoadedBank:
    """Load and validate one bank file; raise :class:`BankError` listing every problem."""
    bank, problems = _bank_from(_parse(Path(path)))
    if problems or bank is None:
        raise BankError(problems)
    return bank


def load_blueprint_file(path: str | os.PathLike[str], key: str | None = None) -> LoadedBlueprint:
    """Load and validate one blueprint file; raise :class:`BankError` listing every problem."""
    p = Path(path)
    bp, problems = _blueprint_from(_parse(p), key or p.stem)
    if problems or bp is None:
        raise BankError(problems)
    return bp


def default_banks_dir() -> Path:
    """Where the banks are: ``$QUIZBANK_BANKS``, else the shipped ones.

    A wheel carries the banks inside the package (``quizbank/question_banks``); a git
    checkout or an editable install finds them at the repository's root.
    """
    env = os.environ.get(BANKS_ENV)
    if env:
        return Path(env)
    packaged = Path(str(resources.files("quizbank"))) / "question_banks"
    if packaged.is_dir():
        return packaged
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "question_banks"
        if candidate.is_dir() and (parent / "pyproject.toml").exists():
            return candidate
    raise NotFoundError("cannot find the question banks; give --banks DIR or set QUIZBANK_BANKS")


@dataclass
class Library:
    """All banks and blueprints of one banks folder, checked together."""

    banks: list[LoadedBank]
    blueprints: dict[str, LoadedBlueprint]
    root: Path | None = None

    @property
    def questions(self) -> list[Question]:
        return [q for b in self.banks for q in b.bank.questions]

    def where(self, qid: str) -> str:
        for b in self.banks:
            if qid in b.lines:
                return f"{b.path}:{b.lines[qid]}"
        return "?"

    def revisions(self) -> dict[str, str]:
        return {b.bank.bank: b.bank.revision for b in self.banks}

    def blueprint(self, name_or_path: str) -> LoadedBlueprint:
        return load_blueprint(name_or_path, self)


def _files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(x for x in p.rglob("*.yaml") if x.is_file())
            out += sorted(x for x in p.rglob("*.yml") if x.is_file())
        else:
            out.append(p)
    return out


def load_paths(paths: Sequence[str | os.PathLike[str]]) -> Library:
    """Load every bank and blueprint among ``paths`` (files or folders), all problems together.

    Ids must be unique across all the banks loaded; a duplicate names both places.
    Raises :class:`BankError` listing every problem of every file.
    """
    problems: list[Problem] = []
    banks: list[LoadedBank] = []
    blueprints: dict[str, LoadedBlueprint] = {}
    files = _files(Path(p) for p in paths)
    for path in files:
        if not path.exists():
            problems.append(Problem(str(path), None, "no such file or folder"))
            continue
        parsed = _parse(path)
        kind = _kind(parsed.data)
        if kind == "bank":
            bank, more = _bank_from(parsed)
            problems += more
            if bank is not None:
                banks.append(bank)
        elif kind == "blueprint" or (parsed.data is None and "blueprints" in path.parts):
            bp, more = _blueprint_from(parsed, path.stem)
            problems += more
            if bp is not None:
                blueprints[path.stem] = bp
        else:
            problems += parsed.problems or [
                Problem(str(path), 1, "neither a bank (bank, revision, questions) nor a blueprint (name, sections, …)")
            ]
    problems += _cross_bank_ids(banks)
    if problems:
        raise BankError(problems, summary=f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found")
    root = Path(paths[0]) if len(paths) == 1 and Path(paths[0]).is_dir() else None
    return Library(banks, blueprints, root)


def _cross_bank_ids(banks: list[LoadedBank]) -> list[Problem]:
    seen: dict[str, tuple[str, int]] = {}
    problems = []
    for b in banks:
        for q in b.bank.questions:
            here = (b.path, b.lines.get(q.id, 0))
            if q.id in seen and seen[q.id][0] != b.path:
                there = seen[q.id]
                problems.append(Problem(here[0], here[1], f"duplicate id {q.id} (also at {there[0]}:{there[1]})"))
                problems.append(Problem(there[0], there[1], f"duplicate id {q.id} (also at {here[0]}:{here[1]})"))
            else:
                seen.setdefault(q.id, here)
    return problems


def load_library(banks_dir: str | os.PathLike[str] | None = None) -> Library:
    """Load the banks folder (default: :func:`default_banks_dir`) with its ``blueprints/``."""
    root = Path(banks_dir) if banks_dir is not None else default_banks_dir()
    if not root.is_dir():
        raise NotFoundError(f"{root}: no such banks folder")
    lib = load_paths([root])
    lib.root = root
    return lib


def load_blueprint(name_or_path: str, library: Library) -> LoadedBlueprint:
    """A blueprint by shipped name (``member``) or by path to a YAML file."""
    if name_or_path in library.blueprints:
        return library.blueprints[name_or_path]
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        if not p.exists():
            raise NotFoundError(f"{p}: no such blueprint file")
        return load_blueprint_file(p)
    known = ", ".join(sorted(library.blueprints)) or "none"
    raise NotFoundError(f"no blueprint named '{name_or_path}' (known: {known}); give a name or a path to a .yaml file")
