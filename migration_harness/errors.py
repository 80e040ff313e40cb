"""The exception hierarchy.

The library raises; the shells (CLI, pytest plugin) translate. Every message follows
``<where>: <what> (<hint>)`` so that a one-line error names the file, the rule broken and
the fix.
"""

from __future__ import annotations


class HarnessError(Exception):
    """Root of every error the harness raises on bad input or misuse."""


class DiscoveryError(HarnessError):
    """A migration set could not be loaded from disk."""


class UnknownLayoutError(DiscoveryError):
    """No known layout matches the files found at the path."""


class AmbiguousLayoutError(UnknownLayoutError):
    """One folder holds files written for two runners.

    goose and dbmate markers side by side, or one-file-per-version markers beside
    ``.up.sql``/``.down.sql`` files: no runner would run them all.
    """


class DuplicateVersionError(DiscoveryError):
    """Two files claim one version."""


class OrphanRollbackError(DiscoveryError):
    """A rollback file names a version that has no migration."""


class BadFileError(DiscoveryError):
    """A file is empty, not UTF-8, or holds SQL that cannot be split into statements."""


class DatabaseError(HarnessError):
    """The database given is not SQLite, or is in a state the runner cannot work from."""


class ChecksumMismatchError(DatabaseError):
    """A migration was edited after it was applied to this database."""


class DataSourceError(HarnessError):
    """A ``--data`` source cannot be read, is too large, or does not fit the set."""


class SchemaDriftError(DataSourceError):
    """A ``--data`` database's schema is not the set's schema at the version it records."""


class UnknownVersionError(HarnessError):
    """A version asked for does not exist in the set."""


class MigrationError(HarnessError):
    """A migration or rollback file failed while it ran.

    Attributes:
        path: where it failed: the file, ``file:line`` when the line is known.
        statement: the statement that failed, when one did.
        reason: the engine's message, verbatim, so users can search for it.
        file: the file alone (``path`` without its line), for a finding's ``file``.
        line: the 1-based line of ``statement`` in the file, when known.

    """

    def __init__(
        self, path: str, reason: str, statement: str | None = None, *, line: int | None = None
    ) -> None:
        self.file = path
        self.line = line
        self.path = f"{path}:{line}" if line is not None else path
        self.reason = reason
        self.statement = statement
        where = f" in statement: {_shorten(statement)}" if statement else ""
        super().__init__(f"{self.path}: {reason}{where}")


class CheckFailedError(AssertionError):
    """A property check failed; the message holds titled context blocks."""


class FindingWarning(UserWarning):
    """A finding below the fail level (a warning or a note, by default).

    The pytest plugin passes the item and issues this warning, so the finding is listed in
    pytest's warnings summary instead of failing the run. Filter it like any warning
    (``-W error::migration_harness.FindingWarning`` fails on them, as ``--fail-on note``).
    """


def _shorten(sql: str, width: int = 120) -> str:
    """One line of SQL, cut to ``width`` characters, for error messages."""
    flat = " ".join(sql.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."
