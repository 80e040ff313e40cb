"""What every command shares: set options, loading a set, opening the database, errors.

Errors the library raises on bad input (:class:`~migration_harness.errors.HarnessError`)
become one line on stderr and exit status 2.
"""

from __future__ import annotations

import errno
import functools
import os
import signal
import sqlite3
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Final, NoReturn, TypeVar

import click

from migration_harness.errors import DatabaseError, HarnessError
from migration_harness.sets import runner, stopping
from migration_harness.sets.admission import for_target
from migration_harness.sets.build import build_target
from migration_harness.sets.config import (
    DIALECTS,
    PRODUCTION_ROLLBACKS,
    SHIP_GROUPS,
    TX_WRAPS,
    SetConfig,
    read_config,
    table_of,
)
from migration_harness.sets.configkeys import plugin_only_note
from migration_harness.sets.discovery import LAYOUTS, MigrationSet, discover
from migration_harness.sets.equivalents import with_equivalents
from migration_harness.sets.functions import config_of, find_config
from migration_harness.sets.hooks import with_hooks
from migration_harness.sets.layouts.flyway_locations import SKIPPED as SKIPPED_LOCATION
from migration_harness.sets.locate import EXAMPLE_NAME, locate
from migration_harness.sets.places import read_wrangler_config
from migration_harness.sets.registry import TARGETS, get_target
from migration_harness.sets.renames import Rename, renamed_files
from migration_harness.sets.rollbackuse import RollbackUse, rollback_use
from migration_harness.sets.sandbox import DEFAULT_STATEMENT_TIMEOUT
from migration_harness.sets.shipgroups import ShipGroup, ship_groups
from migration_harness.sets.targets import Target

F = TypeVar("F", bound=Callable[..., Any])


ENGINES = ("sqlite3", "miniflare")


def stacked(func: F, decorators: Sequence[Callable[[Any], Any]]) -> F:
    """``func`` under ``decorators``, the first outermost (as if written above it in order).

    Every group of shared options (``set_options``, ``run_options`` ...) is a list of
    ``click.option`` decorators applied this way.
    """
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def db_options(func: F) -> F:
    """Where the database is: a SQLite file, or a persisted local D1 (``--engine miniflare``)."""
    decorators = [
        click.option(
            "--db",
            "db_path",
            type=click.Path(path_type=Path),
            default=None,
            help="SQLite database file (engine sqlite3).",
        ),
        click.option(
            "--persist-to",
            type=click.Path(path_type=Path, file_okay=False),
            default=None,
            help="Local D1 folder, as `wrangler d1 ... --local --persist-to DIR` "
            "(engine miniflare).",
        ),
    ]
    return stacked(func, decorators)


def set_options(func: F) -> F:
    """The options every command shares: where the set is and which target runs it."""
    decorators = [
        click.argument("path", required=False, type=click.Path(path_type=Path)),
        click.option(
            "--migrations",
            type=click.Path(path_type=Path),
            help="Folder of forward migrations (overrides detection).",
        ),
        click.option(
            "--rollbacks",
            type=click.Path(path_type=Path),
            help="Folder of rollback files, paired by version.",
        ),
        click.option(
            "--target",
            type=click.Choice(sorted(TARGETS)),
            default=None,
            help="Runner rules: how that tool runs a file on SQLite (transaction, splitting, "
            "foreign keys, tracking table); see `migration-harness docs runners`. Default: d1 "
            "for a wrangler D1 project, else the runner the layout is written for (sqlite for "
            "plain files).",
        ),
        click.option(
            "--foreign-keys",
            "foreign_keys",
            type=click.Choice(["on", "off"]),
            default=None,
            help="Override the target's foreign-keys default (e.g. a DSN with _fk=1).",
        ),
        reading_options,
        click.option(
            "--engine",
            type=click.Choice(ENGINES),
            default="sqlite3",
            show_default=True,
            help="What executes the files: Python's sqlite3, or a real local D1 "
            "(Miniflare; implies --target d1; needs Node and wrangler's npm packages: "
            "`migration-harness d1 install`).",
        ),
    ]
    return stacked(func, decorators)


def reading_options(func: F) -> F:
    """How the runner reads and runs the files: shared by every command that loads a set.

    ``lint`` takes these without the rest of :func:`set_options` (it runs nothing, so it
    has no engine): its rules depend on them as much as ``check``'s do (a file golang-migrate
    runs with ``x-no-tx-wrap`` may hold its own BEGIN/COMMIT).
    """
    decorators = [
        click.option(
            "--application-foreign-keys",
            "application_foreign_keys",
            type=click.Choice(["on", "off"]),
            default=None,
            expose_value=False,
            callback=_remember,
            help="PRAGMA foreign_keys of the application's own connections at serve time "
            "(default: application_foreign_keys in the config, else as the migration "
            "connection): where neither enforces keys, a broken key is a warning (MH157) "
            "and a foreign key without an index is not reported (MH153, MH413).",
        ),
        click.option(
            "--layout",
            type=click.Choice(LAYOUTS),
            default=None,
            expose_value=False,
            callback=_remember,
            help="Read the files as this layout instead of detecting it (an error names "
            "what the folder looks like when it does not match).",
        ),
        click.option(
            "--placeholder",
            "placeholders",
            multiple=True,
            metavar="NAME=VALUE",
            expose_value=False,
            callback=_remember,
            help="A Flyway placeholder value (repeatable); wins over flyway.conf/flyway.toml.",
        ),
        click.option(
            "--tx-wrap",
            "tx_wrap",
            type=click.Choice(TX_WRAPS),
            default=None,
            expose_value=False,
            callback=_remember,
            help="off: the runner's connection does not wrap files in a transaction "
            "(golang-migrate's x-no-tx-wrap=true); default: tx_wrap in the config, else the "
            "runner's own behaviour.",
        ),
        click.option(
            "--flyway-mixed",
            "flyway_mixed",
            type=click.Choice(TX_WRAPS),
            default=None,
            expose_value=False,
            callback=_remember,
            help="on: Flyway runs with mixed=true, so a script holding PRAGMA foreign_keys "
            "and other statements runs without a transaction instead of being refused; "
            "default: flyway_mixed in the config, else flyway.mixed in flyway.conf/"
            "flyway.toml or spring.flyway.mixed in application.yml/.properties.",
        ),
        click.option(
            "--dialect",
            "dialect",
            type=click.Choice(DIALECTS),
            default=None,
            expose_value=False,
            callback=_remember,
            help="libsql: production runs the files on libSQL (Turso), which also runs "
            "ALTER TABLE … ALTER COLUMN (rewriting the column, checking no row); default: "
            "dialect in the config, else libsql for a drizzle-kit 'turso' project, else sqlite.",
        ),
    ]
    return stacked(func, decorators)


def rollback_use_options(func: F) -> F:
    """``--production-rollbacks`` and ``--production-rollbacks-from`` (check and lint)."""
    decorators = [
        click.option(
            "--production-rollbacks",
            type=click.Choice(PRODUCTION_ROLLBACKS),
            default=None,
            help="unused: the application never runs a rollback (down files exist for "
            "development), so rollback-side errors become warnings and a missing rollback a note; "
            "used: they are errors (default: production_rollbacks in the config, else used; "
            "production_rollbacks_from bounds unused to the migrations before it).",
        ),
        click.option(
            "--production-rollbacks-from",
            metavar="VERSION",
            default=None,
            help="The application runs rollbacks only from this version on (a version number or a "
            "migration's name; pocket-id's ALLOW_DOWNGRADE): rollbacks of earlier migrations are "
            "unused (default: production_rollbacks_from in the config).",
        ),
    ]
    return stacked(func, decorators)


def rollbacks_run(
    mset: MigrationSet, config: SetConfig, mode: str | None, used_from: str | None
) -> RollbackUse:
    """Whose rollbacks production runs, from the options (``mode``, ``used_from``) and config.

    ``--production-rollbacks used`` with a bound is a usage error; a bound that names no
    migration is bad input (:func:`~migration_harness.sets.rollbackuse.rollback_use`).
    """
    if mode == "used" and used_from is not None:
        message = (
            "--production-rollbacks used with --production-rollbacks-from: a bound means the "
            "rollbacks before it are unused; give one of them"
        )
        raise click.UsageError(message)
    return rollback_use(mset, config.production_rollbacks, config.production_rollbacks_from)


def statement_timeout_option(func: F) -> F:
    """``--statement-timeout``: how long one statement of a file may run (check, migrate …).

    Kept out of the command's signature, like ``--layout``: :func:`load` applies it to the
    target, so every command that runs files gets it by adding the decorator.
    """
    return click.option(
        "--statement-timeout",
        "statement_timeout",
        type=click.FloatRange(min=0, min_open=True),
        default=None,
        expose_value=False,
        callback=_remember,
        metavar="SECONDS",
        help="Interrupt a statement of a migration file after this many seconds (an "
        f"unbounded recursive query); default {DEFAULT_STATEMENT_TIMEOUT:g}.",
    )(func)


EXIT_INTERNAL: Final = 3


_META: Final = "migration_harness.set_options"


def _remember(ctx: click.Context, param: click.Parameter, value: object) -> object:
    """Keep ``--layout`` / ``--placeholder`` for :func:`load` (no command signature grows)."""
    ctx.meta.setdefault(_META, {})[param.name] = value
    return value


def _kept() -> dict[str, Any]:
    """The options :func:`_remember` kept for the running command."""
    ctx = click.get_current_context(silent=True)
    kept: dict[str, Any] = ctx.meta.get(_META, {}) if ctx is not None else {}
    return kept


def _chosen(name: str) -> str | None:
    """One option :func:`_remember` kept (``None`` when not given)."""
    value = _kept().get(name)
    return None if value is None else str(value)


def _statement_timeout() -> float | None:
    """The ``--statement-timeout`` of the running command, if it has one and it was given."""
    value = _chosen("statement_timeout")
    return None if value is None else float(value)


def _set_choices() -> tuple[str | None, dict[str, str]]:
    """The ``--layout`` and ``--placeholder`` values of the running command, if any."""
    chosen = _kept()
    values: dict[str, str] = {}
    for item in chosen.get("placeholders") or ():
        name, sep, value = str(item).partition("=")
        if not sep or not name:
            message = f"--placeholder {item}: expected NAME=VALUE"
            raise HarnessError(message)
        values[name] = value
    return chosen.get("layout"), values


def shell(func: F) -> F:
    """Translate errors into exit codes: bad input 2, a bug of the harness 3.

    A library error on bad input is one line on stderr and exit 2. Anything else that
    escapes a command is the harness's own fault: never a finding, never exit 1, one line
    asking for a report (the traceback with the top-level ``--debug``) and exit 3.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with stopping.handled():
            try:
                result = _translated(func, *args, **kwargs)
            except BaseException:
                _stopped()
                raise
            _stopped()
            return result

    return wrapper  # type: ignore[return-value]


def _stopped() -> None:
    """One line and exit ``128 + signal`` when SIGINT/SIGTERM stopped the run.

    Whatever the run did after the signal (a statement interrupted and read as a failing
    file, Hypothesis turning it into a failing example, click's "Aborted!") is no result:
    a stopped run never exits 1 as if it found something, nor 2 as if the input were bad.
    """
    signum = stopping.received()
    if signum is None:
        return
    name = signal.Signals(signum).name
    context = click.get_current_context(silent=True)
    command = context.info_name if context is not None else "migration-harness"
    hint = (
        " (`status` says where the database stands; the next migrate recovers a file cut short)"
        if command in ("migrate", "rollback")
        else ""
    )
    click.echo(f"{command}: stopped by {name}{hint}", err=True)
    sys.exit(128 + signum)


def _translated(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func``'s result, its errors turned into exit statuses (see :func:`shell`)."""
    try:
        try:
            return func(*args, **kwargs)
        finally:
            # What is still buffered is written here, where a failure is translated,
            # not at interpreter exit ("Exception ignored ... BrokenPipeError", exit 120).
            sys.stdout.flush()
    except HarnessError as exc:
        click.echo(f"error: {one_line(str(exc))}", err=True)
        sys.exit(2)
    except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except BrokenPipeError as exc:
        if exc.filename is not None:
            _internal(exc)
        _reader_gone()
    except PermissionError as exc:
        if exc.filename is None:
            _internal(exc)
        if _debug():
            traceback.print_exc()
        # The OS refusing a user's file or folder is their environment, not the harness's
        # bug: one line naming it, exit 2 (the readers name the common cases themselves).
        click.echo(
            one_line(
                f"error: {os.fsdecode(exc.filename)}: permission denied ({exc.strerror}; "
                "check its permissions and its folder's)"
            ),
            err=True,
        )
        sys.exit(2)
    except OSError as exc:
        if exc.filename is not None or exc.errno not in _FULL:
            _internal(exc)
        # A full disk under the output (``> file`` on a full volume, ``/dev/full``) is the
        # environment: the files the harness writes by name say so themselves.
        click.echo(f"error: writing the output failed ({exc.strerror}; free some space)", err=True)
        sys.exit(2)
    except Exception as exc:
        _internal(exc)


_FULL: Final = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _reader_gone() -> NoReturn:
    """Exit quietly as a filter killed by SIGPIPE does (``check | head`` stopped reading).

    The reader closing the pipe is neither bad input nor a bug: before, it ended in
    "internal error: BrokenPipeError" (exit 3). Standard output is pointed at the null
    device so Python's final flush of what is left cannot fail again at exit.
    """
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError):  # no descriptor behind it (a test's captured stream)
        pass
    sys.exit(128 + signal.SIGPIPE)


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped (as Python does).

    Messages name files and quote SQL the user wrote: a file named ``0003_c<newline>x.sql``
    split the one error line in two, and a log reader took its second half for the next
    message.
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _internal(exc: Exception) -> NoReturn:
    """One line asking for a report (the traceback with ``--debug``), exit 3.

    Called inside the ``except`` that caught ``exc``, so the traceback printed is its own.
    """
    if _debug():
        traceback.print_exc()
    click.echo(
        one_line(
            f"migration-harness: internal error: {type(exc).__name__}: {exc} (please "
            "report it; run with --debug for the traceback)"
        ),
        err=True,
    )
    sys.exit(EXIT_INTERNAL)


def _debug() -> bool:
    """Whether the top-level ``--debug`` was given."""
    context = click.get_current_context(silent=True)
    return bool(context is not None and context.find_root().params.get("debug"))


def output_path(option: str, path: Path | None) -> Path | None:
    """An output file checked before any work: ``-`` (stdout) or a writable file path.

    A run of minutes must not end in a traceback because ``--json`` names a folder or a
    folder that does not exist.

    Raises:
        HarnessError: a directory, a missing folder or one the user cannot write.

    """
    if path is None or str(path) == "-":
        return path
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        message = f"{option} {path}: is a directory (give a file name)"
        raise HarnessError(message)
    if not folder.is_dir():
        message = f"{option} {path}: folder {folder} does not exist"
        raise HarnessError(message)
    writable = os.access(path, os.W_OK) if path.exists() else os.access(folder, os.W_OK)
    if not writable:
        message = f"{option} {path}: not writable"
        raise HarnessError(message)
    return path


def refuse_set_file(option: str, path: Path | None, mset: MigrationSet) -> None:
    """Refuse an output path that is one of the set's own migration or rollback files.

    ``check --json migrations/0001_a.sql`` (a slip of the shell's completion) replaced the
    migration with the report: ``check`` must never change the files it checks.

    Raises:
        HarnessError: ``path`` is a file of the set.

    """
    if path is None or str(path) == "-" or not path.exists():
        return
    own = {m.path.resolve() for m in mset.migrations}
    own |= {m.down_path.resolve() for m in mset.migrations if m.down_path is not None}
    if path.resolve() in own:
        message = f"{option} {path}: is a file of the migration set (give another file name)"
        raise HarnessError(message)


ship_groups_option = click.option(
    "--ship-groups",
    type=click.Choice(SHIP_GROUPS),
    default=None,
    help="git: migrations one commit added are deployed together, so no rows are generated "
    "for tables an earlier one of them created (default: ship_groups in the config, else "
    "git); tags: migrations one release tag shipped are deployed together (apps that reach "
    "production only as releases; ship_tags in the config names the tags); off: every "
    "version may hold rows.",
)


def set_ship_groups(mset: MigrationSet, config: SetConfig, target: Target) -> tuple[ShipGroup, ...]:
    """The set's ship groups as ``check`` reads them (config and ``--ship-groups``)."""
    return ship_groups(mset, config.ship_groups, tracked=target.tracked, tags=config.ship_tags)


def set_renames(mset: MigrationSet, config: SetConfig, target: Target) -> tuple[Rename, ...]:
    """The set's shipped files renamed under a new key, read as the ship groups are.

    None for a set applied untracked (no key to break) or ``ship_groups = "off"``.
    """
    if not target.tracked:
        return ()
    style = target.tracking.key_style
    return renamed_files(mset, target.name, style, config.ship_groups, config.ship_tags)


def _say_unread_config(mset: MigrationSet, named: Path) -> None:
    """One line on stderr for each thing of the configuration the command does not read.

    The set's own file's keys that only the pytest plugin reads (``target``, ``profile``,
    …: :func:`~migration_harness.sets.configkeys.plugin_only_note`), and settings in the
    named folder's file that the set's own file replaces.

    ``check .`` reads the pyproject.toml nearest the set's migrations folder
    (:func:`~migration_harness.sets.functions.config_of`); settings in the named folder's
    file, above it, are not merged in, and a user who wrote them there should know.
    A table that only locates the set (``migrations``, ``rollbacks``) is not such a file.
    """
    own, above = config_of(mset), find_config(named)
    plugin_only = plugin_only_note(str(own), table_of(own)) if own is not None else None
    if plugin_only is not None:
        click.echo(plugin_only, err=True)
    if own is None or above is None or own.resolve() == above.resolve():
        return
    if set(table_of(above)) - {"migrations", "rollbacks"}:
        note = (
            f"note: {mset.migrations_dir} is configured by {own}; "
            f"the settings of {above} are not read for it"
        )
        click.echo(note, err=True)


def load(
    path: Path | None,
    migrations: Path | None,
    rollbacks: Path | None,
    target: str | None,
    foreign_keys: str | None = None,
    engine: str = "sqlite3",
    *,
    example: bool = False,
) -> tuple[MigrationSet, Target]:
    """Discover the set and resolve the target the user asked for (or the layout's).

    Without PATH or ``--migrations`` the set is located (:func:`locate`); ``example``
    lets a read-only command fall back to the embedded example, saying so on stderr.

    ``foreign_keys`` overrides the target's default, as a DSN parameter does for the real
    runner (``_foreign_keys=1`` for mattn, ``.foreign_keys(false)`` for sqlx). ``applied``
    of the set's ``[tool.migration-harness]`` decides whether the target is tracked.
    """
    root = path if path is not None else (migrations.parent if migrations else None)
    if root is None:
        found = locate(example=example)
        root, migrations, rollbacks = found.root, found.migrations, rollbacks or found.rollbacks
        if found.is_example:
            note = f"note: no migration set found here; using {EXAMPLE_NAME} ({root})"
            click.echo(note, err=True)
    layout, placeholders = _set_choices()
    mset = discover(
        root,
        migrations=migrations,
        rollbacks=rollbacks,
        layout=layout,
        placeholders=placeholders,
        target=target,
    )
    _say_unread_config(mset, root)
    for skipped in (note for note in mset.notes if SKIPPED_LOCATION in note):
        click.echo(f"warning: {skipped}", err=True)  # Flyway logs it as an error and goes on
    mset = with_hooks(with_equivalents(mset, config_of(mset)), config_of(mset))
    if engine == "miniflare":
        from migration_harness.d1.mirror import miniflare_conflict

        conflict = miniflare_conflict(target, foreign_keys)
        if conflict is not None:
            message = f"--engine miniflare: {conflict}"
            raise HarnessError(message)
        return mset, build_target(
            mset, _chosen_config(mset), engine=engine, statement_timeout=_statement_timeout()
        )
    name = get_target(target or mset.default_target).name  # an unknown name fails first
    mset, notes = for_target(mset, name)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    return mset, build_target(
        mset,
        _chosen_config(mset),
        name,
        foreign_keys=foreign_keys,
        statement_timeout=_statement_timeout(),
    )


def _chosen_config(mset: MigrationSet) -> SetConfig:
    """The set's own configuration with the command's ``reading_options`` on top."""
    chosen = {key: _chosen(key) for key in _TARGET_OPTIONS}
    return read_config(config_of(mset)).merged(**chosen)


# The options of :func:`reading_options` that adjust the target (``SetConfig`` keys).
_TARGET_OPTIONS: Final = ("tx_wrap", "flyway_mixed", "dialect", "application_foreign_keys")


def database_id(mset: MigrationSet) -> str:
    """The D1 binding's ``database_id`` in the wrangler config: it names wrangler's local file."""
    from migration_harness.d1.miniflare import DEFAULT_DATABASE_ID

    if mset.wrangler_config is None:
        return DEFAULT_DATABASE_ID
    data = read_wrangler_config(mset.wrangler_config)
    bindings = data.get("d1_databases", [])
    for binding in bindings:
        folder = mset.wrangler_config.parent / binding.get("migrations_dir", "migrations")
        if folder.resolve() == mset.migrations_dir.resolve() and binding.get("database_id"):
            return str(binding["database_id"])
    return DEFAULT_DATABASE_ID


@contextmanager
def open_database(
    engine: str,
    tgt: Target,
    mset: MigrationSet,
    db_path: Path | None,
    persist_to: Path | None,
    *,
    create: bool,
    read_only: bool = False,
) -> Iterator[tuple[sqlite3.Connection, Target, str]]:
    """``(connection, target, name)`` for the database a command works on.

    With ``--engine miniflare`` the database is the local D1 that wrangler keeps under
    ``--persist-to``; the connection is an in-memory mirror of it and every file runs on D1
    (never the other way round), and the Node process stops when the block ends.
    ``read_only`` (``status``) opens a SQLite file with ``mode=ro``.
    """
    if engine == "sqlite3":
        if db_path is None:
            message = "Missing option '--db' (or use --engine miniflare --persist-to DIR)."
            raise click.UsageError(message)
        conn = runner.connect(db_path, create=create, read_only=read_only)
        try:
            yield conn, tgt, str(db_path)
        finally:
            conn.close()
        return
    from migration_harness.d1.miniflare import persisted
    from migration_harness.d1.mirror import MirrorExecutor

    if persist_to is None or db_path is not None:
        message = "--engine miniflare: give --persist-to DIR instead of --db (wrangler's folder)"
        raise HarnessError(message)
    if not create and not (persist_to / "v3" / "d1").is_dir():
        message = f"{persist_to}: no local D1 database here (run migrate --engine miniflare first)"
        raise DatabaseError(message)
    with persisted(persist_to, database_id(mset), near=mset.migrations_dir) as d1:
        mirror = MirrorExecutor(d1, may_reset=False)
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            mirror.attach(conn, create_tracking=create)
            yield conn, replace(tgt, executor=mirror), f"{persist_to} (local D1)"
        finally:
            conn.close()
