"""The corpus stand-ins behave as the applications' Go code (bench/corpus_functions.py)."""

from __future__ import annotations

import pytest

from bench.corpus_functions import duration_to_tiny_int, not_undo


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1:02:03", 3723),
        ("90", 90),
        ("-1:00", -60),
        ("+5", 5),
        # strconv.Atoi fails on a value past int64, so durationToTinyIntFn returns 0.
        ("99999999999999999999", 0),
        ("1:9223372036854775808", 0),
        # Atoi refuses what Python's int() accepts: spaces, underscores, other digits.
        (" 5", 0),
        ("1_000", 0),
        ("\u0665", 0),
        ("", 0),
        ("1:2:3:4", 0),
    ],
)
def test_duration_to_tiny_int_is_stash_atoi(text: str, seconds: int) -> None:
    assert duration_to_tiny_int(text) == seconds


def test_duration_to_tiny_int_wraps_as_go_int() -> None:
    # 9223372036854775807 hours: each part fits, the Go int product wraps around.
    big = "9223372036854775807"
    assert duration_to_tiny_int(f"{big}:0:0") == (int(big) * 3600 + 2**63) % 2**64 - 2**63


def test_not_undo_is_kouhias_every_command_but_undo() -> None:
    # kouhia registers !(command is Undo): the migration runs under the other commands.
    assert not_undo() == 1
