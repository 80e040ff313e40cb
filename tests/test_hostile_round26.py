"""Hostile inputs of round 26: damaged regression files, closed folders, unwritable outputs.

Each test pins one input that ended in an internal error (exit 3), a silent default or a
lost file before its fix; the clean twin beside it shows the fix refuses nothing real.
"""

from __future__ import annotations

import importlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from tests.test_hostile import plain


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line(result: Result) -> str:
    """The single stderr line of an exit-2 run."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    (line,) = result.stderr.strip().splitlines()
    return line


# -- regression files damaged below their top-level keys ---------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A set whose check wrote a regression file (MH111), and that file's text."""
    folder = plain(tmp_path_factory.mktemp("reg"))
    assert invoke("check", folder, "--checks", "idempotent").exit_code == 1
    path = sorted((folder / "regressions").glob("not_idempotent-0001_a-*.json"))[0]
    return path, path.read_text()


def _example(data: dict[str, Any], change: str) -> None:
    if change == "finding-without-kind":
        data["finding"] = {}
    elif change == "row-a-list":
        data["rows"] = [[1, 2]]
    elif change == "values-a-list":
        data["rows"] = [{"table": "a", "values": [1]}]
    elif change == "blob-bad-hex":
        data["rows"] = [{"table": "a", "values": {"x": {"hex": "zz"}}}]
    elif change == "step-a-number":
        data["history"] = [1]
    elif change == "step-unknown-op":
        data["history"] = [{"op": "explode"}]
    elif change == "step-without-op":
        data["history"] = [{}]
    elif change == "update-where-a-number":
        data["history"] = [{"op": "update", "table": "a", "where": 5}]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("finding-without-kind", "finding.kind must be a str"),
        ("row-a-list", "rows 1 must be an object with a table"),
        ("values-a-list", "rows 1 values must be an object"),
        ("blob-bad-hex", "rows 1 values: 'x' is a blob without valid hex"),
        ("step-a-number", "history step 1 must be an object"),
        ("step-unknown-op", "history step 1: op 'explode' is none of apply, rollback"),
        ("step-without-op", "history step 1: op None is none of"),
        ("update-where-a-number", "history step 1 where must be an object"),
    ],
)
def test_a_regression_file_damaged_inside_is_one_line(
    written: tuple[Path, str], change: str, problem: str
) -> None:
    path, text = written
    data = json.loads(text)
    _example(data, change)
    path.write_text(json.dumps(data))
    try:
        line = one_line(invoke("replay", path))
    finally:
        path.write_text(text)
    assert line.startswith(f"error: {path}: {problem}")
    assert line.endswith("(a damaged regression file; run check again to write it anew)")


def test_a_regression_file_as_check_wrote_it_still_replays(written: tuple[Path, str]) -> None:
    path, text = written
    data = json.loads(text)
    data["rows"] = [{"table": "a", "values": {"x": {"hex": "00ff"}}}, {"table": "a", "values": {}}]
    path.write_text(json.dumps(data))
    try:
        result = invoke("replay", path)
    finally:
        path.write_text(text)
    assert result.exit_code == 1, result.output
    assert "MH111" in result.output


# -- folders and configuration the OS refuses to read ------------------------------------


def _refuse(monkeypatch: pytest.MonkeyPatch, closed: Path) -> None:
    """Make ``closed`` a folder without its r and x bits, as the OS refuses it to a user."""
    iterdir, stat = Path.iterdir, os.stat
    inside = f"{closed}{os.sep}"

    def no_listing(self: Path) -> Any:
        if self == closed:
            raise PermissionError(13, "Permission denied", str(self))
        return iterdir(self)

    def no_stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(path).startswith(inside):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return stat(path, *args, **kwargs)

    monkeypatch.setattr(Path, "iterdir", no_listing)
    monkeypatch.setattr(os, "stat", no_stat)


@pytest.mark.parametrize("command", ["lint", "check", "audit", "migrate"])
def test_a_migrations_folder_the_os_refuses_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    folder = plain(tmp_path)
    closed = (folder / "migrations").resolve()
    _refuse(monkeypatch, closed)
    db = tmp_path / "app.db"
    extra: list[str | Path] = ["--db", db] if command == "migrate" else []
    line = one_line(invoke(command, folder, *extra))
    assert line.startswith("error: ")
    assert line.endswith("migrations: cannot be read (Permission denied; check its permissions)")
    assert not db.exists()


def test_a_diesel_folder_the_os_refuses_names_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrations = tmp_path / "set" / "migrations"
    for name in ("2020-01-01-000000_a", "2020-01-02-000000_b"):
        (migrations / name).mkdir(parents=True)
        (migrations / name / "up.sql").write_text(f"CREATE TABLE t{name[-1]}(x);\n")
        (migrations / name / "down.sql").write_text(f"DROP TABLE t{name[-1]};\n")
    closed = migrations / "2020-01-02-000000_b"
    _refuse(monkeypatch, closed)
    assert one_line(invoke("lint", tmp_path / "set")) == (
        f"error: {closed}: cannot be read (Permission denied; check its permissions)"
    )
    monkeypatch.undo()
    assert invoke("lint", tmp_path / "set").exit_code == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its mode")
def test_a_migrations_folder_without_permissions_is_one_line(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "migrations").chmod(0)
    try:
        line = one_line(invoke("lint", folder))
    finally:
        (folder / "migrations").chmod(0o755)
    assert line.endswith("migrations: cannot be read (Permission denied; check its permissions)")


def _unreadable(monkeypatch: pytest.MonkeyPatch, refused: Path) -> None:
    read_bytes = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == refused.name and self.resolve() == refused.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)


@pytest.mark.parametrize("command", ["lint", "check", "migrate"])
def test_a_pyproject_the_os_refuses_is_one_line_not_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    folder = plain(tmp_path)
    pyproject = folder / "pyproject.toml"
    pyproject.write_text('[tool.migration-harness]\napplied = "tracked"\n')
    _unreadable(monkeypatch, pyproject)
    db = tmp_path / "app.db"
    extra: list[str | Path] = ["--db", db] if command == "migrate" else []
    assert one_line(invoke(command, folder, *extra)) == (
        f"error: {pyproject.resolve()}: cannot be read (Permission denied; check its "
        "permissions: it may configure this set)"
    )
    assert not db.exists()


def test_a_readable_pyproject_is_read_as_before(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    assert "MH412" in invoke("lint", folder).output  # untracked: a CREATE can run twice
    (folder / "pyproject.toml").write_text('[tool.migration-harness]\napplied = "tracked"\n')
    result = invoke("lint", folder)
    assert result.exit_code == 0
    assert "MH412" not in result.output


def test_a_pyproject_not_utf8_naming_the_table_is_reported_and_another_is_passed_over(
    tmp_path: Path,
) -> None:
    folder = plain(tmp_path)
    pyproject = folder / "pyproject.toml"
    pyproject.write_bytes(b'[tool.migration-harness]\nfail_on = "\xff"\n')
    line = one_line(invoke("lint", folder))
    assert line.startswith(f"error: {pyproject.resolve()}: not valid TOML ('utf-8' codec")
    pyproject.write_bytes(b'[tool.other]\nname = "\xff"\n')
    assert invoke("lint", folder).exit_code == 0


# -- files a command writes: checked before the work, replaced whole ---------------------


def test_a_baseline_output_that_cannot_be_written_is_refused_before_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_cli = importlib.import_module("migration_harness.cli.check")

    def no_run(*args: object, **kwargs: object) -> None:
        message = "the checks ran before the output was checked"
        raise AssertionError(message)

    monkeypatch.setattr(check_cli, "_run", no_run)
    folder = plain(tmp_path)
    missing = tmp_path / "nowhere" / "baseline.json"
    assert one_line(invoke("baseline", folder, "--output", missing)) == (
        f"error: baseline {missing}: folder {missing.parent} does not exist"
    )


def test_report_with_docs_naming_a_file_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    docs = tmp_path / "docs.md"
    docs.write_text("mine\n")
    assert one_line(invoke("report", folder, "--docs", docs)) == (
        f"error: --docs {docs}: is a file (give a folder for MIGRATION_ROLLBACK.md)"
    )
    assert docs.read_text() == "mine\n"
    assert not (folder / "MIGRATION_STATUS.md").exists()
    result = invoke("report", folder, "--docs", tmp_path / "docs")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "docs" / "MIGRATION_ROLLBACK.md").is_file()


def test_a_write_that_fails_midway_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migration_harness.errors import HarnessError
    from migration_harness.report.outputs import replace_text

    kept = tmp_path / "pyproject.toml"
    kept.write_text("[project]\nname = 'mine'\n")
    kept.chmod(0o640)

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(HarnessError, match=r"pyproject.toml: cannot be written \(No space left"):
        replace_text(kept, "[project]\nname = 'mine'\n\n[tool.migration-harness.columns]\n")
    assert kept.read_text() == "[project]\nname = 'mine'\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]  # no temp left
    monkeypatch.undo()
    link = tmp_path / "link.toml"
    link.symlink_to(kept)
    replace_text(link, "new\n")
    assert (link.is_symlink(), kept.read_text(), oct(kept.stat().st_mode & 0o777)) == (
        True,
        "new\n",
        "0o640",
    )


# -- [tool.migration-harness.columns] of the wrong shape ---------------------------------


@pytest.mark.parametrize(
    ("columns", "problem"),
    [
        ("columns = 5", ': must be a table (json = ["table.column"]'),
        (
            'columns = { json = "a.x" }',
            " json: expected a list of \"table.column\" names, got 'a.x'",
        ),
        ('columns = { filled = ["ax"] }', " filled: 'ax' is not a \"table.column\" name"),
        ('columns = { pools = { "a.x" = "v" } }', " pools 'a.x': expected a non-empty list"),
        ("columns = { pools = [1] }", ' pools: must be a table of "table.column"'),
        ("columns = { single_row = 5 }", ' single_row: expected a list of "table" names'),
    ],
    ids=["number", "json-a-string", "name-without-table", "pool-a-string", "pools-a-list", "rows"],
)
def test_column_hints_of_the_wrong_shape_are_one_line(
    tmp_path: Path, columns: str, problem: str
) -> None:
    folder = plain(tmp_path)
    pyproject = folder / "pyproject.toml"
    pyproject.write_text(f"[tool.migration-harness]\n{columns}\n")
    line = one_line(invoke("check", folder, "--checks", "apply", "--no-regressions"))
    assert line.startswith(f"error: {pyproject.resolve()} [tool.migration-harness.columns]")
    assert problem in line


def test_column_hints_as_profile_writes_them_are_read(tmp_path: Path) -> None:
    from migration_harness.data.sources.profile import column_hints

    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        "[tool.migration-harness.columns]\n"
        'json = ["A.x"]\nfilled = ["b.y"]\nsingle_row = ["a"]\npools = { "a.x" = ["p", 2] }\n'
    )
    hints = column_hints(pyproject)
    assert (hints.json, hints.filled, hints.pools) == (
        frozenset({("a", "x")}),
        frozenset({("b", "y")}),
        {("a", "x"): ("p", "2")},
    )


@pytest.mark.parametrize("command", ["lint", "check"])
def test_since_outside_a_git_checkout_is_the_same_line_for_lint_and_check(
    tmp_path: Path, command: str
) -> None:
    folder = plain(tmp_path)
    assert one_line(invoke(command, folder, "--since", "HEAD")) == (
        f"error: --since HEAD: {folder / 'migrations'} is not inside a git work tree "
        "(run it in a git checkout)"
    )


# -- a database path that is no regular file ---------------------------------------------


@pytest.mark.parametrize(
    "command", [("migrate",), ("status",), ("rollback", "--steps", "1")], ids=lambda c: c[0]
)
def test_a_device_given_as_the_database_is_one_line(tmp_path: Path, command: tuple[str]) -> None:
    folder = plain(tmp_path)
    journal = Path("/dev/null-journal")
    existed = journal.exists()
    line = one_line(invoke(*command, folder, "--db", "/dev/null"))
    assert line == "error: /dev/null: is a device or socket, not a database file"
    assert journal.exists() == existed  # SQLite wrote its journal into /dev before


def test_a_regular_database_file_is_opened_as_before(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db).exit_code == 0
    result = invoke("status", folder, "--db", db)
    assert result.exit_code == 0
    assert "2 applied, 0 pending" in result.output


@pytest.mark.parametrize(
    "command", [("migrate",), ("rollback", "--steps", "1")], ids=lambda c: c[0]
)
def test_a_read_only_database_is_named_not_the_migration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str]
) -> None:
    folder = tmp_path / "set"
    (folder / "migrations").mkdir(parents=True)
    for version, table in (("0001", "a"), ("0002", "b")):
        (folder / "migrations" / f"{version}_{table}.up.sql").write_text(
            f"CREATE TABLE {table}(x);\n"
        )
        (folder / "migrations" / f"{version}_{table}.down.sql").write_text(f"DROP TABLE {table};\n")
    db = tmp_path / "app.db"
    assert invoke("migrate", folder, "--db", db, "--to", "1").exit_code == 0
    access = os.access

    def read_only(path: Any, mode: int, **kwargs: Any) -> bool:
        if Path(path) == db and mode & os.W_OK:
            return False
        return access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", read_only)
    line = one_line(invoke(*command, folder, "--db", db))
    assert line == f"error: {db}: is read-only (this command writes to it; check its permissions)"
    assert invoke("status", folder, "--db", db).exit_code == 0  # reading is still allowed


def test_an_example_found_by_its_version_is_judged_on_the_migration_replayed(
    written: tuple[Path, str],
) -> None:
    path, text = written
    data = json.loads(text)
    data["migration"].update(id="0001_renamed.sql", label="0001_renamed")
    data["finding"]["migration"] = "0001_renamed"
    path.write_text(json.dumps(data))
    migration = path.parent.parent / "migrations" / "0001_a.sql"
    try:
        still = invoke("replay", path)
        migration.write_text("CREATE TABLE IF NOT EXISTS a(x);\n")
        fixed = invoke("replay", path)
    finally:
        path.write_text(text)
        migration.write_text("CREATE TABLE a(x);\n")
    assert still.exit_code == 1, still.output  # was "fixed", exit 0: the old label matched none
    assert "MH111" in still.output
    assert fixed.exit_code == 0, fixed.output
    assert "fixed: not_idempotent in 0001_renamed no longer occurs" in fixed.output


# -- the OS refusing a file no reader names ----------------------------------------------


def test_a_permission_error_the_readers_do_not_name_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lint_module = importlib.import_module("migration_harness.lint")

    refused = tmp_path / "somewhere" / "file"

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(refused))

    monkeypatch.setattr(lint_module, "lint_set", refuse)
    assert one_line(invoke("lint", plain(tmp_path))) == (
        f"error: {refused}: permission denied (Permission denied; check its permissions and "
        "its folder's)"
    )


def test_a_permission_error_without_a_file_is_still_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lint_module = importlib.import_module("migration_harness.lint")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(lint_module, "lint_set", refuse)
    result = invoke("lint", plain(tmp_path))
    assert result.exit_code == 3
    assert "internal error: PermissionError" in result.stderr


# -- a --data copy SQLite cannot read, in words ------------------------------------------


def test_a_truncated_data_copy_is_named_as_damaged(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    db = tmp_path / "copy.db"
    assert invoke("migrate", folder, "--db", db).exit_code == 0
    db.write_bytes(db.read_bytes()[:5000])
    line = one_line(invoke("check", folder, "--data", db, "--checks", "apply"))
    assert line == (
        f"error: --data {db}: a damaged or truncated SQLite file (database disk image is malformed)"
    )


def test_a_data_copy_with_a_hot_journal_says_so(tmp_path: Path) -> None:
    import sqlite3
    import subprocess
    import sys

    folder = plain(tmp_path)
    db = tmp_path / "copy.db"
    assert invoke("migrate", folder, "--db", db).exit_code == 0
    # A writer killed inside its transaction leaves the journal a later reader must replay.
    script = (
        "import os, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('PRAGMA cache_size = 1')\n"
        "c.execute('BEGIN')\n"
        "c.execute('INSERT INTO a SELECT randomblob(2000) FROM "
        "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) "
        "SELECT i FROM n)')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], check=True)
    assert Path(f"{db}-journal").exists()
    line = one_line(invoke("check", folder, "--data", db, "--checks", "apply"))
    assert line.startswith(f"error: --data {db}: has a hot journal (a write was interrupted)")
    assert sqlite3.connect(db).execute("SELECT count(*) FROM a").fetchone() == (0,)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("command", ["lint", "check", "migrate"])
def test_a_utf16_migration_is_named_as_utf16(tmp_path: Path, encoding: str, command: str) -> None:
    folder = plain(tmp_path)
    path = folder / "migrations" / "0002_b.sql"
    text = "CREATE TABLE b(x);\n".encode(encoding)
    path.write_bytes(text if encoding == "utf-16" else b"\xfe\xff" + text)
    db = tmp_path / "app.db"
    extra: list[str | Path] = ["--db", db] if command == "migrate" else []
    assert one_line(invoke(command, folder, *extra)) == (
        f"error: {path}: is UTF-16 (it starts with a UTF-16 byte-order mark; save it as UTF-8)"
    )
    assert not db.exists()


def test_a_utf8_migration_with_its_bom_is_read_as_before(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "migrations" / "0002_b.sql").write_bytes(b"\xef\xbb\xbfCREATE TABLE b(x);\n")
    assert invoke("migrate", folder, "--db", tmp_path / "app.db").exit_code == 0


# -- a FIFO named like a regression file -------------------------------------------------


UNBLOCK_AFTER = 10.0  # seconds: far beyond the run on a loaded machine


def _unblock_later(fifo: Path, flags: int) -> threading.Thread:
    """Open ``fifo`` after a while, so a run that blocks on it ends (and its test fails)."""

    def later() -> None:
        time.sleep(UNBLOCK_AFTER)
        fd = os.open(fifo, flags | os.O_NONBLOCK)
        time.sleep(0.5)
        os.close(fd)

    thread = threading.Thread(target=later, daemon=True)
    thread.start()
    return thread


def test_replaying_a_fifo_named_like_a_regression_file_is_one_line(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "regressions").mkdir()
    fifo = folder / "regressions" / "history-set-0.json"
    os.mkfifo(fifo)
    holder = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a reader's open then returns at once
    closer = threading.Timer(3, os.close, [holder])
    closer.start()
    try:
        line = one_line(invoke("replay", fifo))
    finally:
        closer.join()
    assert line == (
        f"error: {fifo}: is not a regular file (a FIFO or device named like a regression file)"
    )


def test_a_fifo_at_a_regression_files_name_is_a_warning_not_a_hang(tmp_path: Path) -> None:
    folder = plain(tmp_path)
    (folder / "regressions").mkdir()
    first = invoke("check", folder, "--checks", "idempotent")
    written = sorted((folder / "regressions").glob("not_idempotent-0001_a-*.json"))[0]
    written.unlink()
    os.mkfifo(written)
    thread = _unblock_later(written, os.O_RDONLY)
    started = time.monotonic()
    result = invoke("check", folder, "--checks", "idempotent")
    took = time.monotonic() - started
    thread.join()
    assert first.exit_code == result.exit_code == 1
    assert f"{written}: cannot be written (No such device or address" in result.stderr
    assert took < UNBLOCK_AFTER  # the run did not wait for the FIFO's reader


# -- a line break in a file name ---------------------------------------------------------


@pytest.mark.parametrize("command", ["lint", "migrate"])
def test_a_file_name_with_a_line_break_stays_one_line(tmp_path: Path, command: str) -> None:
    folder = plain(tmp_path)
    (folder / "migrations" / "0003_c\nx.sql").write_text("CREATE TABLE c(x);\n")
    extra: list[str | Path] = ["--db", tmp_path / "app.db"] if command == "migrate" else []
    line = one_line(invoke(command, folder, *extra))
    assert line.startswith(f"error: {folder / 'migrations'}/0003_c\\nx.sql: ")


# -- an output path that is one of the set's own files -----------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("check", "--checks", "apply", "--no-regressions", "--json"),
        ("check", "--checks", "apply", "--no-regressions", "--sarif"),
        ("baseline", "--checks", "apply", "--output"),
    ],
    ids=["json", "sarif", "baseline"],
)
def test_an_output_onto_a_migration_file_is_refused_and_the_file_kept(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    folder = plain(tmp_path)
    migration = folder / "migrations" / "0001_a.sql"
    option = "baseline" if args[0] == "baseline" else args[-1]
    assert one_line(invoke(args[0], folder, *args[1:], migration)) == (
        f"error: {option} {migration}: is a file of the migration set (give another file name)"
    )
    assert migration.read_text() == "CREATE TABLE a(x);\n"
    beside = folder / "report.json"
    assert invoke(args[0], folder, *args[1:], beside).exit_code in (0, 1)
    assert beside.read_text().startswith("{")
