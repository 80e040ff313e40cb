"""Suppressions and the baseline as a library: where a directive reaches, fingerprints."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from migration_harness.report.baseline import (
    BaselineEntry,
    apply_baseline,
    entry_of,
    fingerprint,
    read_baseline,
    write_baseline,
)
from migration_harness.report.findings import Finding
from migration_harness.report.suppress import (
    Suppression,
    SuppressionError,
    apply,
    config_suppressions,
    file_suppressions,
    inline_suppressions,
)
from migration_harness.sets.discovery import MigrationSet, discover

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
DIRECTIVE = "-- migration-harness: ignore[MH132]"
WITH_999 = "-- migration-harness: ignore[MH999] why"


def write_set(root: Path, files: dict[str, str]) -> MigrationSet:
    """A wrangler-style forward-only set (``migrations/NNNN_x.sql``) under ``root``."""
    for name, text in files.items():
        path = root / "migrations" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return discover(root)


def finding(migration: str = "0002_posts", **changes: object) -> Finding:
    base = Finding("rollback_schema_drift", migration, "after rollback the schema differs")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def directives(tmp_path: Path, text: str) -> list[Suppression]:
    path = tmp_path / "0001_x.sql"
    path.write_text(text)
    return file_suppressions(path, path.name)


def test_directive_above_a_statement_covers_that_statement_only(tmp_path: Path) -> None:
    text = (
        USERS + "-- migration-harness: ignore[MH132] the rollback is rewritten in 0009\n"
        "CREATE TABLE posts (\n  id INTEGER PRIMARY KEY\n);\n"
        "CREATE TABLE tags (id INTEGER);\n"
    )
    [found] = directives(tmp_path, text)
    assert (found.codes, found.reason, found.lines) == (
        frozenset({"MH132"}),
        "the rollback is rewritten in 0009",
        (3, 5),
    )


def test_directive_after_the_semicolon_covers_the_statement_it_ends(tmp_path: Path) -> None:
    text = USERS + "CREATE TABLE posts (id INTEGER); -- migration-harness: ignore[MH132] known\n"
    [found] = directives(tmp_path, text)
    assert found.lines == (2, 2)
    assert found.statement == "create table posts ( id integer )"


def test_directive_before_the_first_statement_covers_the_whole_file(tmp_path: Path) -> None:
    [found] = directives(tmp_path, "-- migration-harness: ignore[MH132, MH133] legacy\n" + USERS)
    assert (found.codes, found.lines) == (frozenset({"MH132", "MH133"}), None)


def test_directive_inside_a_statement_covers_it(tmp_path: Path) -> None:
    text = USERS + "CREATE TABLE posts (\n  id INTEGER -- migration-harness: ignore[MH132] x\n);\n"
    [found] = directives(tmp_path, text)
    assert found.lines == (2, 4)


def test_directive_text_inside_a_string_is_no_directive(tmp_path: Path) -> None:
    text = USERS + (
        "INSERT INTO users (name) VALUES ('-- migration-harness: ignore[MH999]');\n"
        "/* -- migration-harness: ignore[MH998] */\n"
    )
    assert directives(tmp_path, text) == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (f"{DIRECTIVE}\n{USERS}", "0001_x.sql:1: ignore[MH132] needs a reason"),
        (f"{USERS}{WITH_999}\nSELECT 1;\n", "0001_x.sql:2: unknown finding code MH999"),
        (f"-- migration-harness: ignor[MH132] why\n{USERS}", "0001_x.sql:1: malformed directive"),
        (f"{USERS}{DIRECTIVE} why\n", "0001_x.sql:2: an ignore directive after the last"),
    ],
)
def test_bad_directives_name_the_file_and_line(tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(SuppressionError, match=f"^{re.escape(error)}"):
        directives(tmp_path, text)


def test_unknown_code_suggests_a_close_one(tmp_path: Path) -> None:
    with pytest.raises(SuppressionError, match=r"did you mean MH132\?"):
        directives(tmp_path, "-- migration-harness: ignore[MH0132] why\n" + USERS)


def test_statement_suppression_reaches_findings_on_its_lines_only(tmp_path: Path) -> None:
    text = USERS + "-- migration-harness: ignore[MH132] accepted\nCREATE TABLE posts (id INT);\n"
    mset = write_set(tmp_path, {"0001_users.sql": USERS, "0002_posts.sql": text})
    file = str(mset.migrations[1].path)
    on_it = finding(file=file, line=3)
    on_users = finding(file=file, line=1)
    other_code = finding(file=file, line=3, kind="reapply_error", code="MH133")
    whole = finding()  # no line yet: about the migration as a whole
    other_migration = finding("0001_users")
    marked = apply(
        [on_it, on_users, other_code, whole, other_migration], inline_suppressions(mset), mset
    )
    assert [f.suppressed for f in marked] == ["accepted", "", "", "accepted", ""]


def test_config_ignore_and_per_file_ignores(tmp_path: Path) -> None:
    mset = write_set(tmp_path, {"0001_users.sql": USERS, "0002_posts.sql": USERS})
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        "[tool.migration-harness]\n"
        'ignore = ["MH153"]\n'
        "[tool.migration-harness.per-file-ignores]\n"
        '"migrations/0002_*.sql" = { codes = ["MH132"], reason = "rewritten later" }\n'
        '"0001_*" = ["MH133"]\n'
    )
    found = config_suppressions(pyproject, mset)
    fk = Finding("missing_fk_index", None, "no index", check="fk_index")
    reapply = finding("0001_users", kind="reapply_error", code="MH133")
    cases = [fk, finding("0002_posts"), finding("0001_users"), reapply]
    marked = [f.suppressed for f in apply(cases, found, mset)]
    assert marked == ["config", "rewritten later", "", "config"]


def test_config_unknown_code_is_an_error(tmp_path: Path) -> None:
    mset = write_set(tmp_path, {"0001_users.sql": USERS})
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.migration-harness]\nignore = ["MH15"]\n')
    with pytest.raises(SuppressionError, match=r"ignore: unknown finding code MH15"):
        config_suppressions(pyproject, mset)


def test_fingerprint_ignores_layout_counts_values_and_lines() -> None:
    first = finding(
        message="rolling back loses 3 row(s) of users: 'a@b.c' became NULL",
        statement="CREATE TABLE posts (id INTEGER)",
        line=4,
    )
    edited = finding(
        message="rolling back loses 1 row(s) of users: 'zz' became NULL",
        statement="create table posts (\n    id INTEGER\n)",
        line=17,
    )
    assert fingerprint(first) == fingerprint(edited)
    assert fingerprint(first) != fingerprint(dataclasses.replace(first, migration="0003_x"))
    other_table = dataclasses.replace(first, message=first.message.replace("users", "posts"))
    assert fingerprint(first) != fingerprint(other_table)


def test_set_wide_findings_keep_their_fingerprint_when_a_migration_is_added() -> None:
    message = "foreign key posts(u) -> users(id) has no covering index"
    fk = Finding("missing_fk_index", "0002_posts", message, check="fk_index")
    later = dataclasses.replace(fk, migration="0003_tags")
    assert fingerprint(fk) == fingerprint(later)
    assert entry_of(fk).migration is None


def test_baseline_round_trip_marks_known_and_names_stale(tmp_path: Path) -> None:
    known, gone = finding(), finding("0001_users")
    path = tmp_path / "baseline.json"
    assert write_baseline([known, gone], path) == 2
    entries = read_baseline(path)
    new = finding("0003_tags")
    result = apply_baseline([known, new], entries, ran={("", "0001_users"), ("", "0002_posts")})
    assert [f.suppressed for f in result.findings] == ["baseline", ""]
    assert (result.baselined, [e.migration for e in result.stale]) == (1, ["0001_users"])
    not_run = apply_baseline([known], entries, ran={("", "0002_posts")})
    assert not_run.stale == []


def test_baseline_with_an_unknown_code_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline([finding()], path)
    path.write_text(path.read_text().replace("MH132", "MH777"))
    error = r"baseline.json: entry 1: unknown finding code MH777"
    with pytest.raises(SuppressionError, match=error):
        read_baseline(path)


def test_baseline_entry_describes_itself() -> None:
    entry = BaselineEntry("f", "MH132", "rollback", "0002_posts", "drift")
    assert entry.describe() == "MH132 in 0002_posts (rollback): drift"


def test_since_keeps_histories_that_move_through_a_judged_migration(tmp_path: Path) -> None:
    from migration_harness.checks.engine import Engine
    from migration_harness.checks.run import touches
    from migration_harness.sets.targets import get_target

    mset = write_set(tmp_path, {"0001_users.sql": USERS, "0002_posts.sql": "SELECT 1;\n"})
    engine = Engine(mset, get_target("sqlite"))
    history = [{"op": "apply", "migration": "0001_users.sql"}]
    old = Finding("data_loss", "0001_users", "lost", example={"history": history}, check="stateful")
    through = dataclasses.replace(
        old, example={"history": [*history, {"op": "apply", "migration": "0002_posts.sql"}]}
    )
    judged = frozenset({"0002_posts"})
    assert [touches(f, engine, judged) for f in (old, through)] == [False, True]
    assert touches(old, engine, None)
