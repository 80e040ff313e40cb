"""Finding a migration set on disk, in the layouts people actually use.

``discover(path)`` turns a folder into a :class:`MigrationSet`. Each layout has one
``_find_<layout>()`` function; they are tried in order and the first that recognises the
files wins, so adding a layout never changes how an existing one is read. Everything that is
wrong with the files (duplicates, orphans, empty or non-UTF-8 files) is raised here, before
any database is touched, so a bad set never half-applies.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from migration_harness.errors import (
    AmbiguousLayoutError,
    BadFileError,
    DiscoveryError,
    DuplicateVersionError,
    OrphanRollbackError,
    UnknownLayoutError,
)
from migration_harness.sets import goose
from migration_harness.sets.sql import is_blank, split_statements

LAYOUTS: Final = ("harness", "wrangler", "updown", "dbmate", "goose", "sqlx", "diesel")
# The runner each layout's files are written for; ``updown`` is golang-migrate's naming
# (sqlx shares it, and is chosen when a file carries sqlx's own marker).
LAYOUT_TARGETS: Final = {
    "harness": "sqlite",
    "wrangler": "sqlite",
    "updown": "golang-migrate",
    "dbmate": "dbmate",
    "goose": "goose",
    "sqlx": "sqlx",
    "diesel": "diesel",
}
NO_TRANSACTION: Final = MappingProxyType({"transaction": False})
_VERSIONED = re.compile(r"^[Vv]?(\d+)(?:[_\-.]+(.*))?$")
_DBMATE_MARK = re.compile(r"^--\s*migrate:(up|down)\b(.*)$", re.MULTILINE)
_SQLX_NO_TX: Final = "-- no-transaction"


@dataclass(frozen=True, slots=True)
class Migration:
    """One forward migration and, when the set has one, its rollback.

    Attributes:
        version: the number that orders the set (timestamps are numbers too).
        name: the file's name without version-independent suffixes, e.g. ``0001_users``.
        up_sql: the forward SQL, decoded.
        down_sql: the rollback SQL; ``None`` when there is none or it holds no statement.
        path: the forward file; its name is the id recorded in the tracking table, as
            wrangler records it, so databases migrated by either tool agree.
        checksum: SHA-256 of the forward SQL, to refuse a migration edited after it ran.
        down_path: the rollback file (also set when it exists but is empty).
        up_options / down_options: per-file runner options in one shape whatever the
            layout: ``{"transaction": False}`` for goose's ``NO TRANSACTION``, dbmate's
            ``transaction:false``, sqlx's ``-- no-transaction`` and diesel's
            ``run_in_transaction = false``. Each target decides whether it honours them.
        key: the migration's id when the file name is not unique (diesel's ``up.sql``:
            the folder name).
        previous: the version of the migration before it in the set (0 for the first):
            golang-migrate's down moves its single version row there.

    """

    version: int
    name: str
    up_sql: str
    down_sql: str | None
    path: Path
    checksum: str
    down_path: Path | None = None
    up_options: Mapping[str, object] = field(default_factory=dict, compare=False)
    down_options: Mapping[str, object] = field(default_factory=dict, compare=False)
    key: str | None = field(default=None, compare=False)
    previous: int = field(default=0, compare=False)

    @property
    def id(self) -> str:
        """The name the tracking table records (the forward file's name, or ``key``)."""
        return self.key or self.path.name

    @property
    def label(self) -> str:
        """``0007_clerk_integration``: the readable name used in reports and test ids."""
        return self.name


@dataclass(frozen=True, slots=True)
class MigrationSet:
    """An ordered migration set and where it came from.

    Attributes:
        root: the path the user named.
        layout: one of :data:`LAYOUTS`.
        migrations: ordered by version, versions unique.
        migrations_dir / rollbacks_dir: the folders read.
        wrangler_config: a ``wrangler.toml`` whose D1 binding names ``migrations_dir``;
            its presence makes ``d1`` the default target.

    """

    root: Path
    layout: str
    migrations: tuple[Migration, ...]
    migrations_dir: Path
    rollbacks_dir: Path | None = None
    wrangler_config: Path | None = None

    @property
    def has_rollbacks(self) -> bool:
        """True when at least one migration has a rollback: the others then count as missing."""
        return any(m.down_sql is not None for m in self.migrations)

    @property
    def default_target(self) -> str:
        """``d1`` for a wrangler D1 project, else the runner the layout is written for."""
        return "d1" if self.wrangler_config is not None else LAYOUT_TARGETS[self.layout]

    @property
    def versions(self) -> tuple[int, ...]:
        """All versions, in order."""
        return tuple(m.version for m in self.migrations)

    def index_of(self, version: int) -> int:
        """Position of ``version`` in the set; 0 means "before the first migration"."""
        if version == 0:
            return 0
        for i, migration in enumerate(self.migrations, start=1):
            if migration.version == version:
                return i
        from migration_harness.errors import UnknownVersionError

        known = ", ".join(str(v) for v in self.versions) or "none"
        message = f"{self.migrations_dir}: no migration has version {version} (known: {known})"
        raise UnknownVersionError(message)


def discover(
    path: Path | str,
    *,
    migrations: Path | str | None = None,
    rollbacks: Path | str | None = None,
    layout: str | None = None,
) -> MigrationSet:
    """Load the migration set at ``path``.

    Args:
        path: a project root, a ``db/`` folder, or the migrations folder itself.
        migrations: explicit migrations folder (overrides detection).
        rollbacks: explicit rollbacks folder (paired by version).
        layout: force a layout instead of detecting it.

    Raises:
        DiscoveryError: and its subclasses, with the file and the fix in the message.

    """
    root = Path(path)
    if not root.exists():
        message = f"{root}: path does not exist (give a folder holding migrations)"
        raise DiscoveryError(message)
    if layout is not None and layout not in LAYOUTS:
        message = f"{layout}: unknown layout (choose one of {', '.join(LAYOUTS)})"
        raise UnknownLayoutError(message)
    wrangler = _wrangler_migrations_dir(root)
    mig_dir = Path(migrations) if migrations else _migrations_dir(root, wrangler)
    if not mig_dir.is_dir():
        message = f"{mig_dir}: migrations folder does not exist"
        raise DiscoveryError(message)
    rb_dir = Path(rollbacks) if rollbacks else _rollbacks_dir(root, mig_dir)
    if rb_dir is not None and rollbacks and not rb_dir.is_dir():
        message = f"{rb_dir}: rollbacks folder does not exist"
        raise DiscoveryError(message)
    config = wrangler[0] if wrangler and wrangler[1].resolve() == mig_dir.resolve() else None
    found = _detect(mig_dir, rb_dir, layout, d1_project=config is not None)
    ordered = sorted(found[1], key=lambda m: m.version)
    migrations_found = tuple(
        replace(m, previous=ordered[i - 1].version if i else 0) for i, m in enumerate(ordered)
    )
    return MigrationSet(root, found[0], migrations_found, mig_dir, found[2], config)


def _detect(
    mig_dir: Path, rb_dir: Path | None, layout: str | None, *, d1_project: bool = False
) -> tuple[str, list[Migration], Path | None]:
    """Recognise the layout by its markers; refuse a folder that matches two.

    Markers decide, not names: golang-migrate and sqlx both name files ``.up.sql`` and
    ``.down.sql``, so only sqlx's ``-- no-transaction`` or a forward-only ``.sql`` beside
    them says sqlx. A set with no marker is read as golang-migrate's; ``--target sqlx``
    still runs it as sqlx does.
    """
    folders = _diesel_folders(mig_dir)
    sql_files = sorted(p for p in mig_dir.iterdir() if p.is_file() and p.suffix == ".sql")
    if layout == "diesel" or (layout is None and folders):
        if sql_files and layout is None:
            _ambiguous(folders[0], sql_files[0], "diesel keeps each migration in a folder")
        return "diesel", _find_diesel(mig_dir, folders), None
    if not sql_files:
        message = f"{mig_dir}: no .sql migration files found (unknown layout)"
        raise UnknownLayoutError(message)
    # Down files may be empty (no rollback); they are checked when paired.
    texts = {p: _read(p, allow_empty=p.name.endswith(".down.sql")) for p in sql_files}
    updown = [p for p in sql_files if p.name.endswith((".up.sql", ".down.sql"))]
    gooses = [p for p, t in texts.items() if goose.is_goose(t)]
    dbmates = [p for p, t in texts.items() if _DBMATE_MARK.search(t)]
    if layout is None:
        _refuse_mixed(updown, gooses, dbmates)
    sqlx_marked = any(t.startswith(_SQLX_NO_TX) for t in texts.values())
    if layout == "goose" or (layout is None and gooses):
        return "goose", _find_goose(texts), None
    if layout == "dbmate" or (layout is None and dbmates):
        return "dbmate", _find_dbmate(texts), None
    plain = [p for p in sql_files if p not in updown]
    if layout == "sqlx" or (layout is None and (sqlx_marked or (updown and plain))):
        return "sqlx", _find_updown(sql_files, simple_ok=True), None
    if layout == "updown" or (layout is None and updown):
        return "updown", _find_updown(sql_files, simple_ok=False), None
    if rb_dir is not None and rb_dir.is_dir() and layout in (None, "harness"):
        return "harness", _find_harness(texts, rb_dir), rb_dir
    if layout in (None, "wrangler"):
        if d1_project:
            return "wrangler", _find_wrangler(texts), None
        return "wrangler", _find_flat(texts), None
    message = f"{mig_dir}: files do not match the {layout} layout"
    raise UnknownLayoutError(message)


def _refuse_mixed(updown: list[Path], gooses: list[Path], dbmates: list[Path]) -> None:
    """Files written for two runners in one folder: no runner would run them all."""
    if gooses and dbmates:
        _ambiguous(gooses[0], dbmates[0], "goose and dbmate markers in one folder")
    marked = gooses or dbmates
    if marked and updown:
        _ambiguous(marked[0], updown[0], "one-file-per-version markers beside .up/.down files")


def _ambiguous(first: Path, second: Path, why: str) -> None:
    """Raise the one-line error for a folder that matches two layouts."""
    message = (
        f"{first.parent}: {first.name} and {second.name} follow different runners' layouts "
        f"({why}); keep one runner's files per folder, or pass --migrations to the right one"
    )
    raise AmbiguousLayoutError(message)


def _find_wrangler(texts: Mapping[Path, str]) -> list[Migration]:
    """A wrangler D1 project's files, in the order ``wrangler d1 migrations apply`` runs them.

    wrangler tracks files by their whole name and sorts them by the number before the
    first ``_`` (a stable sort: equal numbers keep the folder's name order), so two files
    may share a number and both run. Then the set's versions are the files' positions in
    that order (1, 2, ...): each must be unique here, and names still identify files.
    """
    numbered = sorted(((_parse_name(p, ".sql")[0], p) for p in texts), key=lambda x: x[0])
    if len({n for n, _ in numbered}) == len(numbered):
        return _find_flat(texts)
    return [
        _migration(position, path, texts[path], None, None)
        for position, (_, path) in enumerate(numbered, start=1)
    ]


def _find_flat(texts: Mapping[Path, str]) -> list[Migration]:
    """Wrangler D1 (and sqlx's reversible-less) layout: ``NNNN_name.sql``, forward only."""
    by_version: dict[int, Migration] = {}
    for path, text in texts.items():
        version, _ = _parse_name(path, ".sql")
        _claim(by_version, version, path)
        by_version[version] = _migration(version, path, text, None, None)
    return list(by_version.values())


def _find_goose(texts: Mapping[Path, str]) -> list[Migration]:
    """goose: one ``NNN_name.sql`` per version with ``-- +goose Up`` / ``-- +goose Down``.

    goose reads every ``.sql`` file of the folder, so a file without the Up annotation is
    refused as goose refuses it. ``NO TRANSACTION`` applies to both directions.
    """
    by_version: dict[int, Migration] = {}
    for path, text in texts.items():
        version, _ = _parse_name(path, ".sql")
        _claim(by_version, version, path)
        try:
            parsed = goose.read_file(text)
        except goose.GooseParseError as exc:
            message = f"{path}:{exc.line}: {exc} (goose layout)"
            raise BadFileError(message) from exc
        # Sections keep their place in the file, so every line number is the file's.
        up = _at_line(parsed.up, parsed.up_line)
        _check_sql(path, up, what="Up section")
        down = parsed.down if parsed.down is not None and not is_blank(parsed.down) else None
        if down is not None:
            down = _at_line(down, parsed.down_line)
            _check_sql(path, down, what="Down section")
        options = MappingProxyType({}) if parsed.use_tx else NO_TRANSACTION
        by_version[version] = Migration(
            version,
            path.stem,
            up,
            down,
            path,
            _checksum(parsed.up),
            path,
            options,
            options,
        )
    return list(by_version.values())


def _diesel_folders(mig_dir: Path) -> list[Path]:
    """Diesel's migration folders: those holding any ``.sql`` (diesel skips dot-folders)."""
    return sorted(
        p
        for p in mig_dir.iterdir()
        if p.is_dir() and not p.name.startswith(".") and any(p.glob("*.sql"))
    )


def _find_diesel(mig_dir: Path, folders: list[Path]) -> list[Migration]:
    """diesel: ``<version>_<name>/up.sql`` (+ ``down.sql``, ``metadata.toml``).

    The version is the folder name before its first ``_`` with every ``-`` removed, so
    ``2023-01-01-000000_users`` and ``20230101000000_users`` are both 20230101000000.
    """
    if not folders:
        message = f"{mig_dir}: no migration folders with an up.sql found (diesel layout)"
        raise UnknownLayoutError(message)
    by_version: dict[int, Migration] = {}
    for folder in folders:
        prefix = folder.name.split("_", 1)[0].replace("-", "")
        up = folder / "up.sql"
        if not prefix.isdigit():
            message = (
                f"{folder}: folder name does not start with a version (e.g. 2023-01-01-000000_name)"
            )
            raise UnknownLayoutError(message)
        if not up.is_file():
            message = f"{folder}: no up.sql in this migration folder (diesel requires one)"
            raise BadFileError(message)
        version = int(prefix)
        _claim(by_version, version, folder)
        down = folder / "down.sql"
        down_path = down if down.is_file() else None
        options = _diesel_options(folder / "metadata.toml")
        up_sql = _read(up)
        _check_sql(up, up_sql, what="migration")
        by_version[version] = Migration(
            version,
            folder.name,
            up_sql,
            _down_text(down_path) if down_path else None,
            up,
            _checksum(up_sql),
            down_path,
            options,
            options,
            key=folder.name,
        )
    return list(by_version.values())


def _diesel_options(path: Path) -> Mapping[str, object]:
    """``run_in_transaction`` from ``metadata.toml``.

    Without the file diesel runs in a transaction (``TomlMetadata::default()``); with it,
    the field is ``#[serde(default)] bool``, so a file that omits the key means *no*
    transaction. diesel-rs/diesel ``migrations_internals/src/lib.rs``.
    """
    if not path.is_file():
        return MappingProxyType({})
    try:
        data = tomllib.loads(_read(path, allow_empty=True))
    except tomllib.TOMLDecodeError as exc:
        message = f"{path}: not a valid TOML file ({exc})"
        raise BadFileError(message) from exc
    value = data.get("run_in_transaction", False)
    if not isinstance(value, bool):
        message = f"{path}: run_in_transaction must be true or false, not {value!r}"
        raise BadFileError(message)
    return MappingProxyType({}) if value else NO_TRANSACTION


def _find_harness(texts: Mapping[Path, str], rb_dir: Path) -> list[Migration]:
    """This project's layout: ``migrations/NNNN_name.sql`` + ``rollbacks/NNNN_rollback.sql``."""
    forward = {m.version: m for m in _find_flat(texts)}
    downs: dict[int, Path] = {}
    for path in sorted(p for p in rb_dir.iterdir() if p.is_file() and p.suffix == ".sql"):
        version, _ = _parse_name(path, ".sql")
        if version in downs:
            message = (
                f"{path}: version {version} also used by {downs[version].name}; "
                "keep one rollback per version"
            )
            raise DuplicateVersionError(message)
        if version not in forward:
            message = f"{path}: rollback for version {version}, which has no migration"
            raise OrphanRollbackError(message + " (remove it or add the migration)")
        downs[version] = path
    result = []
    for version, m in forward.items():
        down = downs.get(version)
        down_sql = _down_text(down) if down else None
        result.append(_migration(version, m.path, m.up_sql, down_sql, down))
    return result


def _find_updown(files: Iterable[Path], *, simple_ok: bool) -> list[Migration]:
    """golang-migrate / sqlx: ``NNN_name.up.sql`` paired with ``NNN_name.down.sql``.

    sqlx also runs forward-only ``NNN_name.sql`` files (``simple_ok``); a file starting with
    ``-- no-transaction`` asks sqlx to run it outside a transaction (sqlx-core
    ``migrate/source.rs``: ``sql.starts_with("-- no-transaction")``).
    """
    ups: dict[int, Path] = {}
    downs: dict[int, Path] = {}
    for path in files:
        if path.name.endswith(".up.sql"):
            table, suffix = ups, ".up.sql"
        elif path.name.endswith(".down.sql"):
            table, suffix = downs, ".down.sql"
        elif simple_ok:
            table, suffix = ups, ".sql"
        else:
            message = f"{path}: neither .up.sql nor .down.sql in an up/down set (rename it)"
            raise UnknownLayoutError(message)
        version, _ = _parse_name(path, suffix)
        if version in table:
            message = f"{path}: version {version} also used by {table[version].name}; rename one"
            raise DuplicateVersionError(message)
        table[version] = path
    for version, path in downs.items():
        if version not in ups:
            message = f"{path}: down file for version {version}, which has no up file"
            raise OrphanRollbackError(message + " (remove it or add the migration)")
    result = []
    for version, up in ups.items():
        down = downs.get(version)
        down_sql = _down_text(down) if down else None
        migration = _migration(version, up, _read(up), down_sql, down)
        result.append(
            replace(
                migration,
                up_options=_sqlx_options(migration.up_sql),
                down_options=_sqlx_options(down_sql or ""),
            )
        )
    return result


def _sqlx_options(text: str) -> Mapping[str, object]:
    """Sqlx's opt-out: the file's first bytes are ``-- no-transaction``."""
    return NO_TRANSACTION if text.startswith(_SQLX_NO_TX) else MappingProxyType({})


def _find_dbmate(texts: Mapping[Path, str]) -> list[Migration]:
    """dbmate: one file per version with ``-- migrate:up`` and ``-- migrate:down`` sections."""
    by_version: dict[int, Migration] = {}
    for path, text in texts.items():
        version, _ = _parse_name(path, ".sql")
        _claim(by_version, version, path)
        sections = _dbmate_sections(path, text)
        up_sql, up_opts = sections["up"]
        down_sql, down_opts = sections.get("down", ("", {}))
        _check_sql(path, up_sql, what="up section")
        down = down_sql if not is_blank(down_sql) else None
        if down is not None:
            _check_sql(path, down, what="down section")
        by_version[version] = Migration(
            version,
            path.stem,
            up_sql,
            down,
            path,
            _checksum(up_sql.lstrip("\n")),
            path,
            _dbmate_options(up_opts),
            _dbmate_options(down_opts),
        )
    return list(by_version.values())


def _dbmate_options(raw: Mapping[str, str]) -> Mapping[str, object]:
    """Dbmate's ``transaction:false`` in the uniform shape (dbmate ignores other keys)."""
    return NO_TRANSACTION if raw.get("transaction") == "false" else MappingProxyType({})


def _dbmate_sections(path: Path, text: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Cut a dbmate file at its markers; options such as ``transaction:false`` are kept."""
    marks = list(_DBMATE_MARK.finditer(text))
    if not marks or marks[0].group(1) != "up":
        message = f"{path}: no '-- migrate:up' marker before the SQL (dbmate layout)"
        raise BadFileError(message)
    sections: dict[str, tuple[str, dict[str, str]]] = {}
    for i, mark in enumerate(marks):
        kind = mark.group(1)
        if kind in sections:
            message = f"{path}: '-- migrate:{kind}' appears twice (keep one section each)"
            raise BadFileError(message)
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        opts = dict(o.split(":", 1) for o in mark.group(2).split() if ":" in o)
        body = text[mark.end() : end]
        first = mark.end() + len(body) - len(body.lstrip("\n"))
        # Kept at its place in the file, so every line number is the file's.
        sections[kind] = (_at_line(body.strip("\n"), text.count("\n", 0, first) + 1), opts)
    return sections


def _at_line(section: str, line: int) -> str:
    """``section`` preceded by blank lines so that its first line is the file's ``line``."""
    return "\n" * (line - 1) + section


def _parse_name(path: Path, suffix: str) -> tuple[int, str]:
    """``0001_users.sql`` -> ``(1, "users")``; anything unversioned is a clear error."""
    stem = path.name[: -len(suffix)]
    match = _VERSIONED.match(stem)
    if not match:
        message = f"{path}: file name does not start with a version number (e.g. 0001_name.sql)"
        raise UnknownLayoutError(message)
    return int(match.group(1)), match.group(2) or ""


def _claim(by_version: Mapping[int, Migration], version: int, path: Path) -> None:
    """Refuse a second file for a version already taken."""
    if version in by_version:
        other = by_version[version].path
        message = f"{path}: version {version:04d} also used by {other.name}; rename one"
        raise DuplicateVersionError(message)


def _migration(
    version: int, path: Path, up_sql: str, down_sql: str | None, down_path: Path | None
) -> Migration:
    """Build a :class:`Migration` after checking its forward SQL is usable."""
    _check_sql(path, up_sql, what="migration")
    name = path.name.removesuffix(".sql").removesuffix(".up")
    return Migration(version, name, up_sql, down_sql, path, _checksum(up_sql), down_path)


def _down_text(path: Path) -> str | None:
    """A rollback's SQL; an empty or comment-only file counts as no rollback at all.

    Real histories (golang-migrate, sqlx) often ship empty down files for migrations nobody
    can reverse; treating them as missing reports them once instead of crashing.
    """
    text = _read(path, allow_empty=True)
    if is_blank(text):
        return None
    _check_sql(path, text, what="rollback")
    return text


def _check_sql(path: Path, text: str, *, what: str) -> None:
    """Refuse a file with no statement, or one that ends inside a string or comment."""
    if is_blank(text):
        message = f"{path}: {what} holds no SQL statement (write one or delete the file)"
        raise BadFileError(message)
    try:
        split_statements(text)
    except ValueError as exc:
        message = f"{path}: {exc} (close the string, comment or trigger)"
        raise BadFileError(message) from exc


def _read(path: Path, *, allow_empty: bool = False) -> str:
    """Decode a file as UTF-8 (a BOM is allowed), naming the byte that is not."""
    data = path.read_bytes()
    if not data and not allow_empty:
        message = f"{path}: file is empty (write the migration or delete the file)"
        raise BadFileError(message)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"{path}: not valid UTF-8 at byte {exc.start} (save the file as UTF-8)"
        raise BadFileError(message) from exc


def _checksum(text: str) -> str:
    """SHA-256 of the SQL text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _migrations_dir(root: Path, wrangler: tuple[Path, Path] | None) -> Path:
    """The folder holding forward migrations, for the path the user gave."""
    if root.is_file():
        message = f"{root}: is a file; give the folder that holds the migrations"
        raise DiscoveryError(message)
    if wrangler is not None:
        return wrangler[1]
    for candidate in (root / "migrations", root / "db" / "migrations"):
        if candidate.is_dir():
            return candidate
    return root


def _rollbacks_dir(root: Path, mig_dir: Path) -> Path | None:
    """``rollbacks/`` beside the migrations folder, or inside the root."""
    for candidate in (mig_dir.parent / "rollbacks", root / "rollbacks"):
        if candidate.is_dir() and candidate.resolve() != mig_dir.resolve():
            return candidate
    return None


def _wrangler_migrations_dir(root: Path) -> tuple[Path, Path] | None:
    """``(wrangler config, migrations folder)`` when a D1 binding is configured near ``root``.

    wrangler resolves ``migrations_dir`` relative to the config file and defaults it to
    ``migrations``. The config may sit at the root given or one or two levels above
    (``check db`` from a wrangler project).
    """
    start = root if root.is_dir() else root.parent
    for folder in (start, *list(start.resolve().parents)[:2]):
        config = next((folder / n for n in WRANGLER_CONFIGS if (folder / n).is_file()), None)
        if config is None:
            continue
        for binding in read_wrangler_config(config).get("d1_databases", []):
            mig = config.parent / binding.get("migrations_dir", "migrations")
            if mig.is_dir() and (
                start.resolve() == mig.resolve() or mig.resolve().is_relative_to(start.resolve())
            ):
                return config, mig
    return None


# The names wrangler looks for, in its order: current templates write wrangler.jsonc.
WRANGLER_CONFIGS: Final = ("wrangler.json", "wrangler.jsonc", "wrangler.toml")


def read_wrangler_config(config: Path) -> dict[str, Any]:
    """A wrangler config as data: TOML, or JSON with comments and trailing commas (JSONC).

    Raises:
        DiscoveryError: the file cannot be read as its format (one line naming it).

    """
    try:
        text = config.read_text(encoding="utf-8")
        if config.suffix == ".toml":
            return tomllib.loads(text)
        data = json.loads(_plain_json(text))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        kind = "TOML" if config.suffix == ".toml" else "JSON"
        message = f"{config}: not a valid {kind} file ({exc})"
        raise DiscoveryError(message) from exc
    if not isinstance(data, dict):
        message = f"{config}: not a wrangler configuration (expected an object)"
        raise DiscoveryError(message)
    return data


_JSONC_COMMENT: Final = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*|/\*.*?\*/', re.S)
_JSONC_COMMA: Final = re.compile(r'"(?:\\.|[^"\\])*"|,(?=\s*[}\]])')


def _plain_json(text: str) -> str:
    """JSONC as plain JSON: comments, then trailing commas, removed; strings untouched."""

    def keep_strings(match: re.Match[str]) -> str:
        return match.group(0) if match.group(0).startswith('"') else ""

    return _JSONC_COMMA.sub(keep_strings, _JSONC_COMMENT.sub(keep_strings, text))
