"""A hostile-input fuzzer: malformed sets, databases, regression files and options.

Every case builds its inputs in a fresh folder and runs one command through the CLI
in-process (click's ``CliRunner``, so hundreds of runs take seconds, not minutes). A case
*fails* when the command ends in a traceback or an internal error (exit 3), or in any exit
status outside 0/1/2, or a held lock reported as anything but "locked by another process";
an exit 2 whose stderr is not one ``error:`` line is counted apart.

    .venv/bin/python -m bench.reliability.hostile            # 400 generated cases
    .venv/bin/python -m bench.reliability.hostile --cases 1000 --seed 7

``tests/test_hostile.py`` runs :func:`fast_cases` (one of each kind) on every CI run.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from click.testing import CliRunner

Build = Callable[[Path, random.Random], list[str]]
FAST_TIMEOUT: Final = 0.2  # busy and lock time-outs while fuzzing: a held lock fails fast


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile input and the command run on it."""

    name: str
    build: Build
    seed: int = 0


@dataclass(slots=True)
class Outcome:
    """What one case did."""

    name: str
    code: int
    stderr: str
    crashed: bool
    one_line: bool = True
    argv: list[str] = field(default_factory=list)


# -- sets ---------------------------------------------------------------------------------


def _updown(root: Path, versions: tuple[str, ...] = ("0001", "0002")) -> Path:
    """A golang-migrate style set (``.up.sql``/``.down.sql``) with one table per file."""
    folder = root / "set" / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    for i, version in enumerate(versions):
        (folder / f"{version}_t{i}.up.sql").write_text(f"CREATE TABLE t{i}(x);\n")
        (folder / f"{version}_t{i}.down.sql").write_text(f"DROP TABLE t{i};\n")
    return root / "set"


def _plain(root: Path) -> Path:
    """A plain wrangler-style set: ``migrations/000N_name.sql``."""
    folder = root / "set" / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0001_a.sql").write_text("CREATE TABLE a(x);\n")
    (folder / "0002_b.sql").write_text("CREATE TABLE b(y);\n")
    return root / "set"


def _migrated(root: Path, target: str = "sqlite") -> tuple[Path, Path]:
    """A plain set and a database migrated to its head (through the real runner)."""
    from migration_harness.sets import runner
    from migration_harness.sets.discovery import discover
    from migration_harness.sets.targets import TARGETS

    folder = _plain(root)
    db = root / "app.db"
    conn = runner.connect(db, create=True)
    try:
        runner.migrate(conn, discover(folder), TARGETS[target])
    finally:
        conn.close()
    return folder, db


_DB_COMMANDS: Final = (
    ("status",),
    ("migrate",),
    ("rollback", "--steps", "1"),
    ("rollback", "--to", "base"),
)
_SET_COMMANDS: Final = (("lint",), ("status",), ("migrate",), ("rollback", "--steps", "1"))
_INT_TARGETS: Final = ("golang-migrate", "goose", "sqlx", "sqlite", "dbmate")


def _db_args(command: tuple[str, ...], folder: Path, db: Path, *extra: str) -> list[str]:
    """``command SET --db DB`` (lint and check take no database)."""
    head = [command[0], str(folder), *command[1:], *extra]
    return head if command[0] in ("lint", "check") else [*head, "--db", str(db)]


def huge_version(tmp: Path, rng: random.Random) -> list[str]:
    """A version of 19-30 digits (past 2**63) under a runner that keeps versions as ints."""
    digits = str(rng.randint(9, 9)) + "".join(rng.choice("0123456789") for _ in range(18))
    digits += "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 11)))
    folder = _updown(tmp, ("0001", digits))
    command = rng.choice((*_SET_COMMANDS, ("check", "--checks", "apply")))
    return _db_args(command, folder, tmp / "h.db", "--target", rng.choice(_INT_TARGETS))


def unreadable_file(tmp: Path, rng: random.Random) -> list[str]:
    """A migration file with mode 000 (root reads it anyway: then it must just work)."""
    folder = _plain(tmp)
    (folder / "migrations" / "0002_b.sql").chmod(0)
    return _db_args(rng.choice(_SET_COMMANDS), folder, tmp / "u.db")


_WRANGLER: Final = (
    'd1_databases = "DB"\n',
    "d1_databases = 5\n",
    "d1_databases = [1, 2]\n",
    "d1_databases = [{ binding = 3, migrations_dir = 7, database_id = [] }]\n",
    "[d1_databases]\nbinding = 'DB'\n",
    "d1_databases = [[\n",
    'name = "x"\n[[d1_databases]]\nmigrations_dir = "../../../etc"\n',
)


def bad_wrangler(tmp: Path, rng: random.Random) -> list[str]:
    """A ``wrangler.toml`` whose ``d1_databases`` has the wrong type (or is not TOML)."""
    folder = _plain(tmp)
    (folder / "wrangler.toml").write_text('name = "x"\n' + rng.choice(_WRANGLER))
    return _db_args(rng.choice((*_SET_COMMANDS, ("check",))), folder, tmp / "w.db")


def bad_wrangler_json(tmp: Path, rng: random.Random) -> list[str]:
    """A ``wrangler.jsonc`` that is not JSON, or whose bindings are not objects."""
    folder = _plain(tmp)
    text = rng.choice(('{"d1_databases": "DB"}', "[1]", "{", '{"d1_databases": [null]}', "\xff"))
    (folder / "wrangler.jsonc").write_text(text, encoding="latin-1")
    return _db_args(rng.choice(_SET_COMMANDS), folder, tmp / "w.db")


def non_utf8_name(tmp: Path, rng: random.Random) -> list[str]:
    """A migration whose file name is not UTF-8."""
    folder = _plain(tmp)
    junk = bytes(rng.choice(range(0x80, 0x100)) for _ in range(rng.randint(1, 4)))
    name = b"0003_" + junk + b".sql"
    with open(os.fsencode(folder / "migrations") + b"/" + name, "w") as handle:
        handle.write("CREATE TABLE c(z);\n")
    return _db_args(rng.choice((*_SET_COMMANDS, ("check",))), folder, tmp / "n.db")


_CONTENTS: Final = (
    b"",
    b"\xff\xfe\x00junk",
    b"CREATE TABLE a(x",
    b"CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1;",
    b"'unclosed",
    b"\x00\x00\x00",
    b"-- only a comment\n",
    b"BEGIN;\nCREATE TABLE z(x);\n",
    b"(" * 5000 + b"1" + b")" * 5000,
    b"SELECT " + b"1+" * 2000 + b"1;",
)


def bad_content(tmp: Path, rng: random.Random) -> list[str]:
    """A file that is empty, binary, cut short, or not SQL."""
    folder = _plain(tmp)
    (folder / "migrations" / "0002_b.sql").write_bytes(rng.choice(_CONTENTS))
    return _db_args(rng.choice(_SET_COMMANDS), folder, tmp / "c.db")


def bad_layout(tmp: Path, rng: random.Random) -> list[str]:
    """The set path missing, a file, or its migrations folder a file."""
    choice = rng.randrange(3)
    folder = tmp / "set"
    if choice == 0:
        pass  # missing
    elif choice == 1:
        folder.write_text("not a folder")
    else:
        folder.mkdir()
        (folder / "migrations").write_text("not a folder")
    return _db_args(rng.choice(_SET_COMMANDS), folder, tmp / "l.db")


def bad_pyproject(tmp: Path, rng: random.Random) -> list[str]:
    """A ``pyproject.toml`` whose ``[tool.migration-harness]`` values have wrong types."""
    folder = _plain(tmp)
    body = rng.choice(
        (
            "[tool.migration-harness]\napplied = 5\n",
            "[tool.migration-harness]\nfunctions = 'x'\n",
            "[tool.migration-harness\n",
            '[tool.migration-harness.equivalents]\n"a" = 3\n',
            "tool = 3\n",
        )
    )
    (folder / "pyproject.toml").write_text(body)
    return _db_args(rng.choice(_SET_COMMANDS), folder, tmp / "p.db")


# -- databases ----------------------------------------------------------------------------


def truncated_db(tmp: Path, rng: random.Random) -> list[str]:
    """A migrated database cut at a random length."""
    folder, db = _migrated(tmp)
    data = db.read_bytes()
    db.write_bytes(data[: rng.randrange(0, len(data))])
    return _db_args(rng.choice(_DB_COMMANDS), folder, db)


def junk_db(tmp: Path, rng: random.Random) -> list[str]:
    """A database that is random bytes, a folder, or a header with nothing behind it."""
    folder = _plain(tmp)
    db = tmp / "junk.db"
    choice = rng.randrange(4)
    if choice == 0:
        db.write_bytes(rng.randbytes(rng.randint(1, 8192)))
    elif choice == 1:
        db.mkdir()
    elif choice == 2:
        db.write_bytes(b"SQLite format 3\x00" + rng.randbytes(84))
    else:
        db.write_bytes(b"")
    return _db_args(rng.choice(_DB_COMMANDS), folder, db)


_SHAPES: Final = (
    ("sqlite", "CREATE TABLE d1_migrations(x)"),
    ("sqlite", "CREATE VIEW d1_migrations AS SELECT 1 AS id, 2 AS name, 3 AS applied_at"),
    (
        "sqlite",
        "CREATE TABLE d1_migrations(id, name, applied_at); INSERT INTO d1_migrations "
        "VALUES (1, NULL, NULL), (2, x'00ff', 3)",
    ),
    (
        "golang-migrate",
        "CREATE TABLE schema_migrations(version TEXT, dirty TEXT); "
        "INSERT INTO schema_migrations VALUES ('abc', 'no')",
    ),
    (
        "golang-migrate",
        "CREATE TABLE schema_migrations(version, dirty); "
        "INSERT INTO schema_migrations VALUES (99999999999999999999, 0)",
    ),
    ("goose", "CREATE TABLE goose_db_version(id INTEGER PRIMARY KEY)"),
    (
        "goose",
        "CREATE TABLE goose_db_version(id INTEGER PRIMARY KEY, version_id, is_applied, "
        "tstamp); INSERT INTO goose_db_version VALUES (1, 'x', 'y', NULL)",
    ),
    ("sqlx", "CREATE TABLE _sqlx_migrations(version TEXT)"),
    ("dbmate", "CREATE TABLE schema_migrations(v)"),
    ("sqlite", "CREATE TABLE migration_harness_checksums(a)"),
    ("sqlite", "CREATE TABLE migration_harness_intent(a)"),
    (
        "sqlite",
        "CREATE TABLE migration_harness_intent(name, direction, started_at); "
        "INSERT INTO migration_harness_intent VALUES ('nope.sql', 'sideways', NULL)",
    ),
    (
        "drizzle",
        "CREATE TABLE __drizzle_migrations(id, hash, created_at); "
        "INSERT INTO __drizzle_migrations VALUES (1, 'h', 'not a number')",
    ),
    ("flyway", 'CREATE TABLE "flyway_schema_history"(x)'),
)


def tracking_shape(tmp: Path, rng: random.Random) -> list[str]:
    """A tracking (or harness bookkeeping) table of the wrong shape or with odd rows."""
    target, sql = rng.choice(_SHAPES)
    folder = _updown(tmp)
    db = tmp / "shape.db"
    conn = sqlite3.connect(db)
    conn.executescript(sql)
    conn.close()
    return _db_args(rng.choice(_DB_COMMANDS), folder, db, "--target", target)


def locked_db(tmp: Path, rng: random.Random) -> list[str]:
    """A database another holder locks (:func:`_held_lock`) while the command runs.

    One migration is left pending, so ``migrate`` has to write.
    """
    folder, db = _migrated(tmp)
    (folder / "migrations" / "0003_c.sql").write_text("CREATE TABLE c(z);\n")
    return _db_args(rng.choice(_DB_COMMANDS), folder, db)


def bad_version_arg(tmp: Path, rng: random.Random) -> list[str]:
    """``--to`` naming nothing, a negative, a huge number or junk."""
    folder, db = _migrated(tmp)
    value = rng.choice(("-1", "99999999999999999999999", "nope", "", " ", "0x10", "\u00e9", "base"))
    return [rng.choice(("migrate", "rollback")), str(folder), "--to", value, "--db", str(db)]


# -- regression files and outputs ---------------------------------------------------------


_REPLAYS: Final = (
    b'{"format": 1, "history": 5',
    b'{"format": 1, "history": 5}',
    b'{"format": 1, "history": [{"op": 7}]}',
    b'{"format": 1, "history": [["nope"]], "steps": "x"}',
    b'{"format": 1, "migration": [], "rows": 3}',
    b'{"format": 1, "migration": {"id": 5}, "check": 3, "rows": {}}',
    b'{"format": 1, "migration": {"id": "0001_a.sql"}, "check": "nope", "rows": [1]}',
    b'{"format": 1, "migration": {"id": "0001_a.sql"}, "check": "idempotent", "rows": "x"}',
    b'{"format": 2}',
    b"[1, 2]",
    b"null",
    b"\xff\xfe",
    b"",
    b'{"format": 1, "target": "nope", "history": []}',
    b'{"format": 1, "target": 5, "foreign_keys": "maybe", "history": []}',
)


def bad_replay(tmp: Path, rng: random.Random) -> list[str]:
    """A regression file that is not JSON, or JSON of the wrong shape."""
    folder = _plain(tmp)
    (folder / "regressions").mkdir()
    path = folder / "regressions" / "history-set-deadbeef.json"
    path.write_bytes(rng.choice(_REPLAYS))
    return ["replay", str(path)]


def bad_output(tmp: Path, rng: random.Random) -> list[str]:
    """``--json``/``--sarif`` naming a folder, a missing folder, or a file in a file."""
    folder = _plain(tmp)
    (tmp / "out").mkdir()
    (tmp / "file").write_text("x")
    target = rng.choice(
        (tmp / "out", tmp / "missing" / "r.json", tmp / "file" / "r.json", Path("/proc/x"))
    )
    option = rng.choice(("--json", "--sarif"))
    return ["check", str(folder), option, str(target), "--checks", "apply"]


BUILDERS: Final[tuple[Build, ...]] = (
    huge_version,
    unreadable_file,
    bad_wrangler,
    bad_wrangler_json,
    non_utf8_name,
    bad_content,
    bad_layout,
    bad_pyproject,
    truncated_db,
    junk_db,
    tracking_shape,
    locked_db,
    bad_version_arg,
    bad_replay,
    bad_output,
)


def generated(count: int, seed: int) -> Iterator[Case]:
    """``count`` cases, cycling through the builders with seeds drawn from ``seed``."""
    rng = random.Random(seed)
    for i in range(count):
        build = BUILDERS[i % len(BUILDERS)]
        yield Case(f"{build.__name__}-{i}", build, rng.randrange(2**32))


def fast_cases() -> list[Case]:
    """Two cases of each builder, fixed seeds: the subset tests/ runs."""
    return [Case(f"{b.__name__}-{s}", b, s) for b in BUILDERS for s in (1, 2)]


@contextmanager
def _held_lock(case: Case, argv: list[str]) -> Iterator[None]:
    """For ``locked_db``: another holder of SQLite's lock or of the runner lock."""
    if case.build is not locked_db:
        yield
        return
    db = Path(argv[argv.index("--db") + 1])
    kind = random.Random(case.seed).randrange(3)
    if kind == 2:
        from migration_harness.sets.lock import lock_path

        fd = os.open(lock_path(db), os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, b"4242\n")
        try:
            yield
        finally:
            os.close(fd)
        return
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE" if kind else "BEGIN IMMEDIATE")
    if kind:
        holder.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def run_case(case: Case, tmp: Path) -> Outcome:
    """Build the case's inputs under ``tmp`` and run its command; what happened."""
    from migration_harness.cli import cli
    from migration_harness.sets import lock, runner

    argv = case.build(tmp, random.Random(case.seed))
    saved = (runner.BUSY_TIMEOUT_SECONDS, lock.LOCK_TIMEOUT_SECONDS)
    runner.BUSY_TIMEOUT_SECONDS = lock.LOCK_TIMEOUT_SECONDS = FAST_TIMEOUT  # type: ignore[misc]
    try:
        with _held_lock(case, argv):
            result = CliRunner().invoke(cli, ["--debug", *argv])
    finally:
        runner.BUSY_TIMEOUT_SECONDS, lock.LOCK_TIMEOUT_SECONDS = saved  # type: ignore[misc]
    code = result.exit_code
    stderr = result.stderr
    crashed = (
        code not in (0, 1, 2)
        or "Traceback" in result.output
        or "internal error" in result.output
        or (result.exception is not None and not isinstance(result.exception, SystemExit))
    )
    errors = [line for line in stderr.splitlines() if line.strip()]
    one_line = code != 2 or len(errors) == 1
    if case.build is locked_db and code == 2 and "locked by another process" not in stderr:
        crashed = True  # a held lock must never read as a damaged or foreign database
    return Outcome(case.name, code, stderr, crashed, one_line, argv)


def main() -> None:
    """Run the generated cases and print the figures."""
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=400)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    codes: Counter[int] = Counter()
    kinds: Counter[str] = Counter()
    bad: list[Outcome] = []
    several = 0
    started = time.perf_counter()
    for case in generated(args.cases, args.seed):
        tmp = Path(tempfile.mkdtemp(prefix="hostile-"))
        try:
            outcome = run_case(case, tmp)
        finally:
            _unlock_tree(tmp)
            shutil.rmtree(tmp, ignore_errors=True)
        codes[outcome.code] += 1
        kinds[case.build.__name__] += 1
        several += not outcome.one_line
        if outcome.crashed:
            bad.append(outcome)
    elapsed = time.perf_counter() - started
    print(f"hostile inputs: {args.cases} cases ({len(kinds)} kinds), seed {args.seed}")
    print(f"exit statuses: {dict(sorted(codes.items()))}")
    print(f"tracebacks or exits outside 0/1/2: {len(bad)}")
    print(f"exit 2 with more than one line on stderr: {several}")
    print(f"time: {elapsed:.1f} s")
    seen: set[str] = set()
    for outcome in bad:
        last = (outcome.stderr.strip().splitlines()[-1:] or [""])[0][:200]
        if last not in seen:
            seen.add(last)
            print(f"  {outcome.name}: exit {outcome.code}: {last}")


def _unlock_tree(tmp: Path) -> None:
    """Give every file back its permissions so the folder can be removed."""
    for path in tmp.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


if __name__ == "__main__":
    main()
