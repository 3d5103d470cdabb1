"""Roster files: members from ``.xlsx``, ``.csv`` or ``.yaml``, checked row by row; PIN hashes.

A roster comes from the branch's own spreadsheet, so this module is forgiving about the
layout and strict about the content:

* the header may sit below a title row (``一车间党支部党员名册``) and carry other columns
  (性别, 出生年月 …), which are ignored; the columns we need are 编号, 姓名, 党支部, 类别
  and optionally 口令, in any order, with a few English aliases;
* a CSV saved by Excel on a Chinese Windows machine is GB18030, not UTF-8: both are read;
* in a YAML roster every value is taken as the text written (``口令: 0123`` stays ``0123``
  rather than becoming the octal number 83, and a name ``No`` stays a name);
* every bad row is reported, by the row number a spreadsheet shows (the header is row 1) or
  the line of a YAML file, and nothing is imported unless every row is good.

PINs are never stored: :func:`hash_pin` makes a salted scrypt hash. Members type PINs at a
kiosk with the number keys, so a PIN is 4 to 8 digits; the lockout in
:mod:`quizbank.auth` is what stops guessing, the hash keeps a stolen database from
handing out PINs people also use elsewhere.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import Problem, RosterError

if TYPE_CHECKING:
    from .models import Audience

__all__ = [
    "CATEGORIES",
    "COLUMNS",
    "DEMO_ROSTER",
    "RosterEntry",
    "audience_of",
    "check_pin",
    "hash_pin",
    "read_roster",
    "valid_pin",
]

#: 类别 → which blueprint a member takes by default. Secretaries (and acting or deputy
#: secretaries) take the secretary paper; everyone else the member paper.
CATEGORIES: dict[str, Audience] = {
    "正式党员": "member",
    "预备党员": "member",
    "发展对象": "member",
    "入党积极分子": "member",
    "支部委员": "member",
    "支部书记": "secretary",
    "支部副书记": "secretary",
    "挂职副书记": "secretary",
    "党总支书记": "secretary",
}

#: Column heading → field. Headings are matched after removing white space; the English
#: aliases are case-insensitive.
COLUMNS: dict[str, str] = {
    "编号": "member_id",
    "工号": "member_id",
    "id": "member_id",
    "姓名": "name",
    "name": "name",
    "党支部": "branch",
    "支部": "branch",
    "branch": "branch",
    "类别": "category",
    "category": "category",
    "口令": "pin",
    "pin": "pin",
}
_LABELS = {"member_id": "编号", "name": "姓名", "branch": "党支部", "category": "类别", "pin": "口令"}
_REQUIRED = ("member_id", "name", "branch", "category")
_HEADER_SEARCH_ROWS = 10
_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,31}$")
_PIN = re.compile(r"^[0-9]{4,8}$")
_SPACE = re.compile(r"[\s\u3000]+")

# scrypt cost: the interactive-login parameters of the scrypt paper (16 MiB, ~30 ms here)
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


@dataclass(frozen=True)
class RosterEntry:
    """One good row of a roster file."""

    member_id: str
    name: str
    branch: str
    category: str
    pin: str | None
    """The PIN as typed in the file, or None when the 口令 cell is empty or absent."""
    row: int
    """Spreadsheet row (header = 1) or YAML line, for messages."""

    @property
    def audience(self) -> Audience:
        return audience_of(self.category)


def audience_of(category: str) -> Audience:
    """``secretary`` for 支部书记-like categories, ``member`` for everyone else."""
    return CATEGORIES.get(category, "member")


def valid_pin(pin: str) -> bool:
    """A PIN is 4 to 8 digits: what a member can type on the kiosk's number keys."""
    return bool(_PIN.match(pin))


def hash_pin(pin: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (base64): the parameters travel with the hash so they can grow."""
    salt = os.urandom(16)
    dk = hashlib.scrypt(pin.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(dk).decode()}"


def check_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` matches a :func:`hash_pin` hash (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, want = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(want)
        got = hashlib.scrypt(
            pin.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# ------------------------------------------------------------------ reading files
def read_roster(path: str | os.PathLike[str]) -> list[RosterEntry]:
    """The members of a roster file; :class:`RosterError` listing every bad row otherwise.

    Raises:
        RosterError: a missing column, an empty field, an unknown 类别, a bad 口令, a
            duplicate 编号, or a file that is not a roster at all; nothing is returned
            unless every row is good.
    """
    p = Path(path)
    if not p.is_file():
        raise RosterError([Problem(str(p), None, "no such file")])
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        rows, label = _xlsx_rows(p), "row"
    elif suffix == ".csv":
        rows, label = _csv_rows(p), "row"
    elif suffix in (".yaml", ".yml"):
        return _check(str(p), _yaml_records(p), "")
    else:
        raise RosterError([Problem(str(p), None, "a roster is an .xlsx, .csv or .yaml file")])
    return _check(str(p), _table_records(str(p), rows), label)


def _cell(value: Any) -> str:
    """A cell as the text a person sees: ``1001`` not ``1001.0``, no surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip().strip("\u3000").strip()


def _heading(text: str) -> str | None:
    key = _SPACE.sub("", text)
    return COLUMNS.get(key) or COLUMNS.get(key.casefold())


def _table_records(where: str, rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, dict[str, str]]]:
    """Records of a sheet: find the header among the first rows, then map each row by it."""
    it = iter(rows)
    header: dict[int, str] | None = None
    for row_no, cells in it:
        fields = {i: f for i, c in enumerate(cells) if (f := _heading(c)) is not None}
        if "member_id" in fields.values() and "name" in fields.values():
            header = {}
            for i, f in fields.items():
                header.setdefault(i, f)
            missing = [_LABELS[f] for f in _REQUIRED if f not in header.values()]
            if missing:
                raise RosterError([Problem(where, row_no, f"the header has no column {', '.join(missing)}", "row")])
            break
        if row_no >= _HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise RosterError(
            [Problem(where, 1, "no header row with the columns 编号, 姓名, 党支部, 类别 (口令 optional) was found", "row")]
        )
    for row_no, cells in it:
        if not any(cells):
            continue  # blank rows between blocks of members are common in hand-kept sheets
        record: dict[str, str] = {}
        for i, f in header.items():
            if f not in record or not record[f]:
                record[f] = cells[i] if i < len(cells) else ""
        yield row_no, record


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError, InvalidFileException …
        raise RosterError([Problem(str(path), None, f"cannot read the workbook: {e}")]) from None
    try:
        ws = wb.worksheets[0]
        for row_no, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield row_no, [_cell(v) for v in values]
    finally:
        wb.close()


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise RosterError([Problem(str(path), None, "the file is neither UTF-8 nor GB18030 text")]) from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    for row_no, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        yield row_no, [_cell(c) for c in cells]


def _yaml_records(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """Records of a YAML roster: a list of mappings, or ``members:`` holding one.

    Values are read from the node tree as written, so YAML 1.1 never turns a PIN into an
    octal number or a name into a boolean.
    """
    import yaml  # here, not at the top: the kiosk reads the roster (audience_of) before its first frame

    where = str(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RosterError([Problem(where, line, f"not valid YAML: {getattr(e, 'problem', None) or e}")]) from None
    except UnicodeDecodeError:
        raise RosterError([Problem(where, None, "the file is not UTF-8 text")]) from None
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if isinstance(k, yaml.ScalarNode) and k.value in ("members", "名册", "roster"):
                root = v
                break
    if not isinstance(root, yaml.SequenceNode):
        line = root.start_mark.line + 1 if root is not None else 1
        raise RosterError([Problem(where, line, "a YAML roster is a list of members (编号, 姓名, 党支部, 类别, 口令)")])
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            yield line, {"__error__": "each member is a mapping with 编号, 姓名, 党支部, 类别"}
            continue
        record: dict[str, str] = {}
        for k, v in item.value:
            f = _heading(str(k.value)) if isinstance(k, yaml.ScalarNode) else None
            if f is None:
                continue
            text = v.value if isinstance(v, yaml.ScalarNode) else ""
            if (
                isinstance(v, yaml.ScalarNode)
                and v.tag == "tag:yaml.org,2002:null"
                and not v.style
                and text in ("~", "null", "Null", "NULL")
            ):
                text = ""
            record[f] = _cell(text)
        yield line, record


def _check(where: str, records: Iterable[tuple[int, dict[str, str]]], row_label: str) -> list[RosterEntry]:
    """Every row checked; all problems of a row in one message, the first place of a duplicate named."""
    problems: list[Problem] = []
    entries: list[RosterEntry] = []
    first_seen: dict[str, int] = {}
    place = "row" if row_label else "line"
    for row, rec in records:
        if "__error__" in rec:
            problems.append(Problem(where, row, rec["__error__"], row_label))
            continue
        msgs = []
        missing = [_LABELS[f] for f in _REQUIRED if not rec.get(f)]
        if missing:
            msgs.append(f"{'、'.join(missing)} {'is' if len(missing) == 1 else 'are'} empty")
        mid = rec.get("member_id", "")
        if mid and not _ID.match(mid):
            msgs.append(f"编号 {mid!r} is not an ID (letters and digits, at most 32)")
        cat = rec.get("category", "")
        if cat and cat not in CATEGORIES:
            msgs.append(f"类别 {cat!r} is unknown (known: {'、'.join(CATEGORIES)})")
        pin = rec.get("pin", "") or None
        if pin is not None and not valid_pin(pin):
            msgs.append("口令 must be 4 to 8 digits")
        if mid:
            if mid in first_seen:
                msgs.append(f"编号 {mid} is a duplicate (first at {place} {first_seen[mid]})")
            else:
                first_seen[mid] = row
        if msgs:
            problems.append(Problem(where, row, "; ".join(msgs), row_label))
            continue
        entries.append(RosterEntry(mid, _SPACE.sub("", rec["name"]), rec["branch"], cat, pin, row))
    if problems:
        n = len(problems)
        raise RosterError(problems, summary=f"{n} bad {place}{'s' if n != 1 else ''}; nothing was imported")
    if not entries:
        raise RosterError([Problem(where, None, "the roster lists no members; nothing was imported")])
    return entries


#: The demo roster of ``quizbank roster demo`` and ``quizbank kiosk --demo``:
#: (编号, 姓名, 党支部, 类别, 口令). 1010 has the PIN 1234 so the PIN screen can be tried.
DEMO_ROSTER: Sequence[tuple[str, str, str, str, str | None]] = (
    ("1001", "张建国", "机关党总支", "支部书记", None),
    ("1002", "李秀英", "机关党总支", "正式党员", None),
    ("1003", "王志强", "机关党总支", "正式党员", None),
    ("1004", "刘海燕", "机关党总支", "正式党员", None),
    ("1005", "陈立新", "机关党总支", "预备党员", None),
    ("1006", "杨文静", "机关党总支", "正式党员", None),
    ("1007", "赵德胜", "机关党总支", "正式党员", None),
    ("1008", "黄丽华", "机关党总支", "发展对象", None),
    ("1009", "周永刚", "机关党总支", "正式党员", None),
    ("1010", "吴春梅", "机关党总支", "正式党员", "1234"),
    ("1011", "徐卫东", "一车间党支部", "支部书记", None),
    ("1012", "孙建华", "一车间党支部", "正式党员", None),
    ("1013", "马国庆", "一车间党支部", "正式党员", None),
    ("1014", "朱红梅", "一车间党支部", "预备党员", None),
    ("1015", "胡振华", "一车间党支部", "正式党员", None),
    ("1016", "郭玉兰", "一车间党支部", "正式党员", None),
    ("1017", "何志明", "一车间党支部", "发展对象", None),
    ("1018", "高建军", "一车间党支部", "正式党员", None),
    ("1019", "林淑芬", "一车间党支部", "正式党员", None),
    ("1020", "罗长江", "一车间党支部", "正式党员", None),
    ("1021", "郑光辉", "二车间党支部", "支部书记", None),
    ("1022", "梁小红", "二车间党支部", "正式党员", None),
    ("1023", "谢宝山", "二车间党支部", "正式党员", None),
    ("1024", "宋桂英", "二车间党支部", "正式党员", None),
    ("1025", "唐铁军", "二车间党支部", "预备党员", None),
    ("1026", "韩雪梅", "二车间党支部", "正式党员", None),
    ("1027", "冯建设", "二车间党支部", "正式党员", None),
    ("1028", "于秋菊", "二车间党支部", "发展对象", None),
    ("1029", "董满仓", "二车间党支部", "正式党员", None),
    ("1030", "萧桂兰", "二车间党支部", "挂职副书记", None),
)
