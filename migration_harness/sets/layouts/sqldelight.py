"""SQLDelight (Kotlin): ``<N>.sqm`` upgrades a database at version N to N+1, forward only.

The migrations sit anywhere under a source folder (``src/<sourceSet>/sqldelight``); the
compiler reads a file's version from the digits of its name (``MigrationFile.version``:
``v3_add_done.sqm`` is 3) and the generated ``Schema.migrate`` runs every file with
``oldVersion <= N < newVersion`` in version order. The database's ``PRAGMA user_version``
says where it stands, so the harness numbers ``N.sqm`` N+1: the version it leaves behind.

Where a migration starts from is SQLDelight's own question too. The ``.sq`` files hold the
*current* schema (``Schema.create`` builds a new database at the newest version from them),
so they are no starting point for ``1.sqm``. SQLDelight verifies migrations from the
``<V>.db`` schema files in the source folder (``verifySqlDelightMigration``), and the
harness starts where the oldest one does: its schema is the first step, version V, and
``.sqm`` files below V are left out with a note. With ``deriveSchemaFromMigrations`` (or
``.sq`` files that create nothing) the migrations build the schema from an empty database.
Without either, version 1's schema is unknown and the set is refused, naming both ways.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError, DiscoveryError
from migration_harness.sets.layouts import files
from migration_harness.sets.records import Migration
from migration_harness.sets.sqmtext import runnable, schema_statements

SOURCE: Final = "sqldelight"
# Gradle build files (Kotlin or Groovy; not SQL): `deriveSchemaFromMigrations.set(true)`,
# `deriveSchemaFromMigrations = true`.
_DERIVE: Final = re.compile(r"deriveSchemaFromMigrations\s*(?:\.set\(\s*|=\s*)true\b")
_BUILD_FILES: Final = ("build.gradle.kts", "build.gradle")


def source_root(folder: Path) -> Path:
    """The ``sqldelight`` source folder holding ``folder`` (itself when none holds it)."""
    resolved = folder.resolve()
    for current in (resolved, *resolved.parents):
        if current.name == SOURCE:
            return current
        if (current / ".git").exists():
            break
    return folder


def migration_files(folder: Path) -> list[Path]:
    """Every ``.sqm`` file of the source folder holding ``folder``."""
    return sorted(source_root(folder).rglob("*.sqm"))


def is_sqldelight(folder: Path) -> bool:
    """Whether the folder's source folder holds SQLDelight migrations."""
    return bool(migration_files(folder))


def file_version(path: Path) -> int:
    """``MigrationFile.version``: the digits of the name before ``.sqm`` (none: 0)."""
    digits = "".join(c for c in path.name.removesuffix(".sqm") if "0" <= c <= "9")
    return int(digits) if digits else 0


def find_sqldelight(folder: Path) -> tuple[list[Migration], tuple[str, ...]]:
    """The set: the oldest schema file's schema (or nothing), then each ``.sqm`` in order.

    Raises:
        DiscoveryError: no ``.sqm`` file, or version 1's schema cannot be known.
        BadFileError: a file that cannot be read, or a schema file that is no database.

    """
    root = source_root(folder)
    paths = migration_files(folder)
    if not paths:
        message = f"{folder}: no .sqm migration files (SQLDelight layout)"
        raise DiscoveryError(message)
    notes: list[str] = []
    by_version: dict[int, list[Path]] = {}
    for path in paths:
        by_version.setdefault(file_version(path), []).append(path)
    derived = derives_schema(root)
    start = None if derived else _schema_file(root)
    if start is None and not derived:
        message = (
            f"{root}: the .sq files hold the newest schema, not the one {min(by_version)}.sqm "
            "upgrades, so there is nowhere to start: add SQLDelight's schema file for it "
            f"({min(by_version)}.db, ./gradlew generate<Variant><Database>Schema at that "
            "version), or set deriveSchemaFromMigrations when the .sqm files build the schema"
        )
        raise DiscoveryError(message)
    migrations = []
    if start is not None:
        first = _baseline(start)
        migrations.append(first)
        skipped = sorted(v for v in by_version if v < first.version)
        if skipped:
            names = ", ".join(p.name for v in skipped for p in by_version.pop(v))
            notes.append(
                f"SQLDelight's oldest schema file is {start.name}: {names} upgrade older "
                "databases and are not run from it"
            )
    for version, group in sorted(by_version.items()):
        migrations.append(_migration(root, version, group))
        if len(group) > 1:
            names = ", ".join(str(p.relative_to(root)) for p in group)
            notes.append(
                f"{names} share version {version}: SQLDelight runs them all in that "
                "upgrade, in an order the build does not fix; the harness runs them by path"
            )
    return migrations, tuple(notes)


def derives_schema(root: Path) -> bool:
    """``deriveSchemaFromMigrations`` in the Gradle build, or ``.sq`` files creating nothing."""
    if not any(schema_statements(files.read(p, allow_empty=True)) for p in root.rglob("*.sq")):
        return True
    for current in (root.resolve(), *root.resolve().parents):
        for name in _BUILD_FILES:
            build = current / name
            text = build.read_text(encoding="utf-8", errors="replace") if build.is_file() else ""
            if _DERIVE.search(text):
                return True
        if (current / ".git").exists() or (current / "settings.gradle.kts").exists():
            break
    return False


def _schema_file(root: Path) -> Path | None:
    """The oldest ``<V>.db`` schema file under the source folder (V from 1), if any."""
    found = [
        p for p in root.rglob("*.db") if p.stem.isascii() and p.stem.isdigit() and int(p.stem) > 0
    ]
    return min(found, key=lambda p: int(p.stem)) if found else None


def _baseline(path: Path) -> Migration:
    """The schema file as the first step: its objects' ``CREATE`` statements, in their order.

    Raises:
        BadFileError: SQLite cannot read the file (a Git LFS pointer, a broken copy).

    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            # A virtual table's shadow tables (FTS5's _data, _idx …) are its module's to make.
            shadows = [r[1] for r in conn.execute("PRAGMA table_list") if r[2] == "shadow"]
            rows = [
                (sql,)
                for name, sql in conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
                )
                if name not in shadows
            ]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        message = f"{path}: SQLDelight's schema file cannot be read as a database ({exc})"
        raise BadFileError(message) from exc
    text = "".join(f"{sql};\n" for (sql,) in rows)
    version = int(path.stem)
    return Migration(
        version,
        path.name,
        text,
        None,
        path,
        files.checksum(text),
        key=path.name,
        runner_data={"schema_file": True},
    )


def _migration(root: Path, version: int, group: list[Path]) -> Migration:
    """``<version>.sqm`` (every file of that version, by path) as the step to version+1."""
    texts = [runnable(files.read(p, allow_empty=True)) for p in group]
    text = "\n".join(texts)
    first = group[0]
    return Migration(
        version + 1,
        first.name,
        text,
        None,
        first,
        files.checksum(text),
        key=str(first.relative_to(root)),
    )
