"""Fixtures in Hypothesis tests, the ``migrator`` fixture, the seed, and the README example."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    """The README's example test file: the python block headed ``# tests/test_migrations.py``."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    found = [b for b in blocks if b.startswith("# tests/test_migrations.py\n")]
    assert len(found) == 1, "README.md must keep one example headed # tests/test_migrations.py"
    return str(found[0])


def test_the_readme_example_passes_under_hypothesis_defaults(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None
) -> None:
    example()
    pytester.mkdir("tests").joinpath("test_migrations.py").write_text(readme_example())
    # A subprocess: Hypothesis's default profile with every health check, as a user has it.
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider", "tests")
    result.assert_outcomes(passed=2)


GIVEN_TEST = """
import pytest
from hypothesis import given, settings, strategies as st
from migration_harness.data.strategies import insert

CLOSED = []


@settings(max_examples=5)
@given(data=st.data())
def test_given_with_migrated_db(data, migrated_db, dataset_strategy):
    dataset = data.draw(dataset_strategy(2, ["tags"]))
    db = migrated_db(2)
    assert insert(db, dataset).failed == ()
    CLOSED.append(db)


def test_connections_of_the_previous_test_are_closed():
    import sqlite3
    import pytest

    assert CLOSED
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        CLOSED[0].execute("SELECT 1")


@pytest.fixture(scope="module")
def shared(migrated_db):
    return migrated_db(1)


def test_a_module_fixture_opens_one(shared):
    shared.execute("INSERT INTO users (id, email) VALUES (1, 'a')")


def test_and_keeps_it_open_for_the_next_test(shared):
    assert shared.execute("SELECT count(*) FROM users").fetchone() == (1,)
"""


def test_session_fixtures_work_inside_given_and_close_after_the_test(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None
) -> None:
    example()
    pytester.makepyfile(test_user=GIVEN_TEST)
    result = pytester.runpytest("-p", "no:randomly", "test_user.py")
    result.assert_outcomes(passed=4)


MIGRATOR_TEST = """
import pytest
from migration_harness.errors import HarnessError, MigrationError


def test_forward_then_back(migrator):
    step = migrator.at(1)
    assert (step.position, step.label) == (1, "0001_users")
    step.db.execute("INSERT INTO users (id, email) VALUES (7, 'x@example.com')")
    step.forward()
    assert step.label == "0002_tags"
    step.db.execute("INSERT INTO tags (user_id, label) VALUES (7, 'a')")
    step.migrate(0)
    assert step.db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                           "AND name IN ('users', 'tags')").fetchall() == []


def test_each_at_is_a_fresh_database(migrator):
    first = migrator.at("0001_users")
    first.db.execute("INSERT INTO users (id, email) VALUES (1, 'a')")
    assert migrator.at(1).db.execute("SELECT count(*) FROM users").fetchone() == (0,)


def test_a_failing_file_raises_and_keeps_the_position(migrator):
    step = migrator.at(1)
    # 0002 skips its CREATE TABLE IF NOT EXISTS, then indexes a column this tags lacks.
    step.db.execute("CREATE TABLE tags (id INTEGER)")
    with pytest.raises(MigrationError):
        step.forward()
    assert step.position == 1


def test_unknown_version(migrator):
    migrator.at(1).migrate(5)
"""


def test_migrator_moves_one_connection_with_the_sets_files(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None
) -> None:
    example()
    pytester.makepyfile(test_user=MIGRATOR_TEST)
    result = pytester.runpytest("-v", "-p", "no:randomly", "test_user.py")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*migrate(5): *no migration has version 5*"])


def test_hypothesis_seed_seeds_the_items_and_their_replay_line(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None
) -> None:
    example("plugin_lossy_rollback")
    pytester.makepyfile(
        test_seed="def test_seed(migration_engine):\n    assert migration_engine.seed == 5\n"
    )
    args = (
        "-p",
        "no:randomly",
        "--hypothesis-seed",
        "5",
        "--migration-checks",
        "rollback_keeps_data",
    )
    result = pytester.runpytest(*args)
    result.stdout.fnmatch_lines(["migration-harness: db (*profile ci, seed 5, *"])
    result.assert_outcomes(passed=2, failed=1)  # test_seed and 0001; 0002 loses a row
    result.stdout.fnmatch_lines(["Replay: *--profile ci --seed 5"])
