"""Roster files: layouts people actually keep, every bad row by its number, PIN hashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from quizbank.errors import RosterError
from quizbank.roster import CATEGORIES, RosterEntry, audience_of, check_pin, hash_pin, read_roster, valid_pin

HEADER = "编号,姓名,党支部,类别,口令"


def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "r.csv") -> Path:
    f = tmp_path / name
    f.write_bytes(text.encode(encoding))
    return f


def problems(path: Path) -> list[str]:
    with pytest.raises(RosterError) as e:
        read_roster(path)
    return [str(p) for p in e.value.problems]


def test_good_csv(tmp_path: Path) -> None:
    f = write_csv(tmp_path, f"{HEADER}\n1001,张 三,一车间党支部,正式党员,\n1002,李四,一车间党支部,支部书记,0123\n")
    assert read_roster(f) == [
        RosterEntry("1001", "张三", "一车间党支部", "正式党员", None, 2),
        RosterEntry("1002", "李四", "一车间党支部", "支部书记", "0123", 3),
    ]


def test_excel_csv_in_gb18030_with_bom_less_header_and_extra_columns(tmp_path: Path) -> None:
    f = write_csv(tmp_path, "序号,姓名,编号,性别,党支部,类别\r\n1,王五,1003,男,机关党总支,预备党员\r\n", "gb18030")
    assert read_roster(f) == [RosterEntry("1003", "王五", "机关党总支", "预备党员", None, 2)]


def test_utf8_bom_and_english_aliases(tmp_path: Path) -> None:
    f = write_csv(tmp_path, "\ufeffID,Name,Branch,Category,PIN\n7,赵六,二车间党支部,发展对象,4321\n")
    assert read_roster(f)[0] == RosterEntry("7", "赵六", "二车间党支部", "发展对象", "4321", 2)


def test_xlsx_with_a_title_row_numbers_rows_as_excel_does(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["一车间党支部党员名册（2024年）"])
    ws.append([])
    ws.append(["编号", "姓名", "党支部", "类别", "口令", "备注"])
    ws.append([1001.0, " 张三 ", "一车间党支部", "正式党员", 1234, "调入"])
    ws.append([None, None, None, None, None])
    ws.append([1002, "李四", "一车间党支部", "挂职副书记", None])
    f = tmp_path / "r.xlsx"
    wb.save(f)
    assert read_roster(f) == [
        RosterEntry("1001", "张三", "一车间党支部", "正式党员", "1234", 4),
        RosterEntry("1002", "李四", "一车间党支部", "挂职副书记", None, 6),
    ]


def test_yaml_values_stay_as_written(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text(
        "members:\n"
        "  - {编号: 1001, 姓名: No, 党支部: 一车间党支部, 类别: 正式党员, 口令: 0123}\n"
        "  - 编号: '1002'\n    姓名: 李四\n    党支部: 一车间党支部\n    类别: 预备党员\n    口令:\n",
        encoding="utf-8",
    )
    assert read_roster(f) == [
        RosterEntry("1001", "No", "一车间党支部", "正式党员", "0123", 2),  # not False, not octal 83
        RosterEntry("1002", "李四", "一车间党支部", "预备党员", None, 3),
    ]


def test_yaml_problems_name_lines(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text(
        "- {编号: 1, 姓名: 甲, 党支部: 支部, 类别: 正式党员}\n- just text\n- {编号: 1, 姓名: 乙, 党支部: 支部}\n",
        encoding="utf-8",
    )
    assert problems(f) == [
        f"{f}:2: each member is a mapping with 编号, 姓名, 党支部, 类别",
        f"{f}:3: 类别 is empty; 编号 1 is a duplicate (first at line 1)",
    ]
    f.write_text("编号: [1\n", encoding="utf-8")
    assert problems(f)[0].startswith(f"{f}:")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",张三,一支部,正式党员,", "编号 is empty"),
        ("1,,一支部,正式党员,", "姓名 is empty"),
        ("1,张三,,正式党员,", "党支部 is empty"),
        ("1,张三,一支部,,", "类别 is empty"),
        ("1,张三,,,", "党支部、类别 are empty"),
        ("1,张三,一支部,党员,", "类别 '党员' is unknown"),
        ("1,张三,一支部,正式党员,12", "口令 must be 4 to 8 digits"),
        ("1,张三,一支部,正式党员,abcd", "口令 must be 4 to 8 digits"),
        ("1 2,张三,一支部,正式党员,", "is not an ID"),
    ],
)
def test_each_bad_field(tmp_path: Path, row: str, message: str) -> None:
    f = write_csv(tmp_path, f"{HEADER}\n{row}\n")
    found = problems(f)
    assert len(found) == 1
    assert found[0].startswith(f"{f}: row 2: ")
    assert message in found[0]


def test_every_bad_row_is_listed_in_order(tmp_path: Path) -> None:
    rows = [
        "1,甲,一支部,正式党员,",
        ",乙,一支部,正式党员,",
        "3,丙,一支部,正式党员,",
        "1,丁,一支部,正式党员,",
        "",
        "5,戊,一支部,群众,",
    ]
    f = write_csv(tmp_path, HEADER + "\n" + "\n".join(rows) + "\n")
    found = problems(f)
    assert [p.split(": ")[1] for p in found] == ["row 3", "row 5", "row 7"]
    with pytest.raises(RosterError) as e:
        read_roster(f)
    assert e.value.summary == "3 bad rows; nothing was imported"


def test_header_problems(tmp_path: Path) -> None:
    assert "no header row" in problems(write_csv(tmp_path, "a,b\n1,2\n"))[0]
    assert "the header has no column 党支部, 类别" in problems(write_csv(tmp_path, "编号,姓名\n1,2\n"))[0]
    assert "lists no members" in problems(write_csv(tmp_path, f"{HEADER}\n\n"))[0]


def test_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "r.xlsx"
    bad.write_bytes(b"not a zip")
    assert "cannot read the workbook" in problems(bad)[0]
    assert "no such file" in problems(tmp_path / "none.csv")[0]


def test_categories_and_audience() -> None:
    assert {c for c, a in CATEGORIES.items() if a == "secretary"} >= {"支部书记", "挂职副书记"}
    assert audience_of("正式党员") == "member"
    assert audience_of("支部书记") == "secretary"


@settings(max_examples=5, deadline=None)  # scrypt is slow on purpose
@given(st.from_regex(r"[0-9]{4,8}", fullmatch=True))
def test_pin_hash_round_trip(pin: str) -> None:
    h = hash_pin(pin)
    assert pin not in h
    assert h.startswith("scrypt$16384$8$1$")
    assert check_pin(pin, h)
    assert not check_pin(pin + "0", h)
    assert hash_pin(pin) != h  # salted


@pytest.mark.parametrize("stored", ["", "plain", "md5$1$2$3$4$5", "scrypt$x$8$1$AA==$AA==", "scrypt$16384$8$1$!!$AA=="])
def test_malformed_hashes_never_match(stored: str) -> None:
    assert not check_pin("1234", stored)


@pytest.mark.parametrize(
    ("pin", "ok"), [("1234", True), ("12345678", True), ("123", False), ("123456789", False), ("12a4", False)]
)
def test_valid_pin(pin: str, ok: bool) -> None:
    assert valid_pin(pin) is ok
