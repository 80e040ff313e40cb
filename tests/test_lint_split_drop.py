"""MH202 (drop-column) after the file's UPDATE carried the column into others, one to one.

Splitting ``phone`` into two columns, or copying it under a new name, before dropping it
keeps every value (lint/splits.py runs the UPDATEs on probe values). A lossy transform, a
guarded or partial copy, or one reading another column still reports the drop.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint_pairs import lines_of, second_file

CONTACTS = "CREATE TABLE contacts (id INTEGER PRIMARY KEY, phone TEXT, born TEXT);\n"
SPLIT = (
    "ALTER TABLE contacts ADD COLUMN phone_country TEXT;\n"
    "ALTER TABLE contacts ADD COLUMN phone_number TEXT;\n"
    "UPDATE contacts SET\n"
    "    phone_country = CASE WHEN instr(phone, ' ') > 0"
    " THEN substr(phone, 1, instr(phone, ' ') - 1) END,\n"
    "    phone_number = CASE WHEN instr(phone, ' ') > 0"
    " THEN substr(phone, instr(phone, ' ') + 1) ELSE phone END;\n"
    "ALTER TABLE contacts DROP COLUMN phone;\n"
)


def _drops(tmp_path: Path, up: str) -> list[int | None]:
    """The lines of ``up`` MH202 names, on sqlite."""
    return lines_of(second_file(tmp_path, CONTACTS, up, "sqlite"), "MH202")


@pytest.mark.parametrize(
    "up",
    [
        SPLIT,
        "ALTER TABLE contacts ADD COLUMN mobile TEXT;\n"
        "UPDATE contacts SET mobile = phone;\n"
        "ALTER TABLE contacts DROP COLUMN phone;\n",
        "ALTER TABLE contacts ADD COLUMN born_year INTEGER;\n"
        "ALTER TABLE contacts ADD COLUMN phone_hex TEXT;\n"
        "UPDATE contacts SET phone_hex = hex(phone) WHERE phone IS NOT NULL;\n"
        "ALTER TABLE contacts DROP COLUMN phone;\n",
    ],
)
def test_a_column_carried_one_to_one_before_its_drop_is_kept(tmp_path: Path, up: str) -> None:
    assert _drops(tmp_path, up) == []


@pytest.mark.parametrize(
    ("update", "line"),
    [
        ("UPDATE contacts SET mobile = substr(phone, 1, 4);", 3),  # cut short
        ("UPDATE contacts SET mobile = phone WHERE id < 10;", 3),  # some rows only
        ("UPDATE contacts SET mobile = phone || born;", 3),  # reads another column
        ("UPDATE contacts SET mobile = phone WHERE phone LIKE '% %';", 3),  # some values only
        ("UPDATE contacts SET mobile = lower(phone);", 3),  # 'A' and 'a' meet
    ],
)
def test_a_lossy_or_partial_carry_still_reports_the_drop(
    tmp_path: Path, update: str, line: int
) -> None:
    up = (
        "ALTER TABLE contacts ADD COLUMN mobile TEXT;\n"
        f"{update}\n"
        "ALTER TABLE contacts DROP COLUMN phone;\n"
    )
    assert _drops(tmp_path, up) == [line]


def test_a_carry_into_an_integer_column_loses_leading_zeros(tmp_path: Path) -> None:
    up = (
        "ALTER TABLE contacts ADD COLUMN mobile INTEGER;\n"
        "UPDATE contacts SET mobile = phone;\n"
        "ALTER TABLE contacts DROP COLUMN phone;\n"
    )
    assert _drops(tmp_path, up) == [3]


INVOICES = "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL, cents INTEGER);\n"


@pytest.mark.parametrize(
    ("update", "lost"),
    [
        ("UPDATE invoices SET moved = CAST(ROUND(total * 100) AS INTEGER);", False),
        ("UPDATE invoices SET moved = total * 100;", False),
        ("UPDATE invoices SET moved = CAST(total AS INTEGER);", True),  # 2.25, 2.5 -> 2
        ("UPDATE invoices SET moved = round(total);", True),
    ],
)
def test_a_number_moved_into_another_unit_is_judged_on_numbers(
    tmp_path: Path, update: str, lost: bool
) -> None:
    """A REAL column holds numbers: a unit change keeps every amount apart (text probes
    all became 0 and the drop looked lossy), a cast that drops the fraction does not."""
    up = (
        "ALTER TABLE invoices ADD COLUMN moved INTEGER;\n"
        f"{update}\n"
        "ALTER TABLE invoices DROP COLUMN total;\n"
    )
    drops = lines_of(second_file(tmp_path, INVOICES, up, "sqlite"), "MH202")
    assert drops == ([3] if lost else [])


@pytest.mark.parametrize(("divisor", "lost"), [("100", True), ("100.0", False)])
def test_cents_over_100_are_kept_only_by_real_division(
    tmp_path: Path, divisor: str, lost: bool
) -> None:
    """cents / 100 is SQLite's integer division (0, 1 and 42 all become 0); / 100.0 keeps them."""
    up = (
        "ALTER TABLE invoices ADD COLUMN dollars REAL;\n"
        f"UPDATE invoices SET dollars = cents / {divisor};\n"
        "ALTER TABLE invoices DROP COLUMN cents;\n"
    )
    drops = lines_of(second_file(tmp_path, INVOICES, up, "sqlite"), "MH202")
    assert drops == ([3] if lost else [])


def _dates(check: str) -> str:
    return f"CREATE TABLE tasks (id INTEGER PRIMARY KEY, due TEXT{check});\n"


TO_EPOCH = (
    "ALTER TABLE tasks ADD COLUMN due_at INTEGER;\n"
    "UPDATE tasks SET due_at = CAST(strftime('%s', due) AS INTEGER) WHERE due IS NOT NULL;\n"
    "ALTER TABLE tasks DROP COLUMN due;\n"
)


@pytest.mark.parametrize(
    "check",
    [
        # only plain dates are stored: each is its own number of seconds
        " CHECK (due IS date(due))",
        " CHECK (due IS NULL OR (date(due) IS NOT NULL AND due = date(due)))",
        " NOT NULL CHECK (due IS datetime(due))",
    ],
)
def test_dates_a_check_keeps_canonical_convert_to_epoch_one_to_one(
    tmp_path: Path, check: str
) -> None:
    up = TO_EPOCH
    lines = lines_of(second_file(tmp_path, _dates(check), up, "sqlite"), "MH202")
    assert lines == []


@pytest.mark.parametrize(
    "check",
    [
        "",  # any text: strftime turns it into NULL
        # = with date() NULL lets any text through: the CHECK is NULL, not false
        " CHECK (due IS NULL OR due = date(due))",
        # '1', '01' and '1.0' are all Julian day 1: one number for three values
        " CHECK (due IS NULL OR julianday(due) IS NOT NULL)",
        # one value only: nothing to tell apart proves nothing
        " CHECK (due IS NULL OR due = '2024-01-01')",
    ],
)
def test_dates_a_check_does_not_pin_down_still_report_the_drop(tmp_path: Path, check: str) -> None:
    lines = lines_of(second_file(tmp_path, _dates(check), TO_EPOCH, "sqlite"), "MH202")
    assert lines == [3]


@pytest.mark.parametrize(
    ("up", "lines"),
    [
        # two columns packed into one JSON object, then both dropped: both kept
        (
            "ALTER TABLE contacts ADD COLUMN card TEXT NOT NULL DEFAULT '{}';\n"
            "UPDATE contacts SET card = json_object('phone', phone, 'born', born);\n"
            "ALTER TABLE contacts DROP COLUMN phone;\n"
            "ALTER TABLE contacts DROP COLUMN born;\n",
            [],
        ),
        # one column set into the JSON a staying column already holds
        (
            "ALTER TABLE contacts ADD COLUMN card TEXT NOT NULL DEFAULT '{}';\n"
            "UPDATE contacts SET card = json_set(card, '$.phone', phone);\n"
            "ALTER TABLE contacts DROP COLUMN phone;\n",
            [],
        ),
        # twins: glued together ('a' || 'bc' meets 'ab' || 'c'), and kept only where the
        # staying column is NULL
        (
            "ALTER TABLE contacts ADD COLUMN card TEXT;\n"
            "UPDATE contacts SET card = phone || born;\n"
            "ALTER TABLE contacts DROP COLUMN phone;\n"
            "ALTER TABLE contacts DROP COLUMN born;\n",
            [3, 4],
        ),
        (
            "ALTER TABLE contacts ADD COLUMN card TEXT;\n"
            "UPDATE contacts SET card = CASE WHEN born IS NULL THEN phone END;\n"
            "ALTER TABLE contacts DROP COLUMN phone;\n",
            [3],
        ),
    ],
    ids=["json-object-of-two-dropped", "json-set-into-staying", "glued", "guarded-by-staying"],
)
def test_columns_packed_with_others_are_kept_only_one_to_one(
    tmp_path: Path, up: str, lines: list[int]
) -> None:
    """clean_fleet_diesel's make and model moved into a JSON specs column were warned."""
    assert _drops(tmp_path, up) == lines
