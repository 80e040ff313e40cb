"""``PRAGMA foreign_keys`` under a runner: the value in effect, and the pragmas it ignores.

SQLite ignores ``PRAGMA foreign_keys = …`` inside a transaction, and D1 ignores it always
(keys stay on). A runner that wraps each file in a transaction therefore decides which of
a file's pragmas take effect, and the value in effect at each statement is the set's keys
setting changed only by the pragmas the runner honours. A pragma the runner ignores
matters only when it asks for another value than that one: ``PRAGMA foreign_keys = OFF``
on a set whose keys are already off changes nothing, honoured or not. ``check``
(:meth:`~migration_harness.sets.targets.Target.conflicts`, the severity of a
``runner_conflict``) and ``lint`` (MH301, its ``keys_on``) read the same analysis here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from migration_harness.sets.sql import Statement

# sqlite3GetBoolean (src/pragma.c, getSafetyLevel with omitFull): these words turn keys on;
# every other word (off, no, false, full, a typo) turns them off.
_ON_WORDS: Final = frozenset({"on", "yes", "true"})
# Statements whose outcome is the same whatever foreign_keys says: creating an object checks
# no key, a pragma or a transaction statement writes no row, dropping an index or a view
# deletes none. DROP TABLE (an implicit DELETE), ALTER TABLE (ADD COLUMN … REFERENCES with
# a default is refused with keys on) and every row write can depend on keys.
_KEYS_FREE_WORDS: Final = frozenset({"CREATE", "PRAGMA", "SELECT", "ANALYZE", "REINDEX"})
_KEYS_FREE_DROPS: Final = frozenset({"INDEX", "VIEW", "TRIGGER"})


@dataclass(frozen=True, slots=True)
class IgnoredPragma:
    """A ``PRAGMA foreign_keys`` the runner ignores although it asks for another value.

    Attributes:
        statement: the pragma.
        wanted: the value the file asks for (True: keys on).
        inert: no later statement of the file can depend on the value (only pragmas,
            transaction statements, CREATE and the like follow, up to the end of the
            file or to a pragma the runner honours): drizzle-kit's trailing
            ``PRAGMA foreign_keys=ON`` after a rebuild.
        kept_setting: the value that stays is the set's own keys setting (no pragma the
            runner honoured changed it before).

    """

    statement: Statement
    wanted: bool
    inert: bool
    kept_setting: bool

    @property
    def in_effect(self) -> bool:
        """The value that stays in effect: the other one."""
        return not self.wanted

    @property
    def restores_on(self) -> bool:
        """Whether the file asks for keys on where the set's own setting keeps them off.

        Production then runs the rest of the file with keys off, as the set runs every
        file: the author's restore is lost, but nothing is done that the set does not
        always do, and an orphan left behind is its own ``fk_violation``. Never an error
        (:func:`~migration_harness.checks.severity.classify`). Not so where the file
        itself turned keys off first (a honoured ``OFF`` on a keys-on set): then keys stay
        off past the file, unlike the set's setting.
        """
        return self.wanted and self.kept_setting


def keys_value(statement: Statement) -> bool | None:
    """The value ``statement`` sets foreign keys to, read as SQLite reads it.

    ``None`` for anything but ``PRAGMA foreign_keys = …`` (a query of the pragma included).
    A number counts as its low byte (SQLite casts it to ``u8``: ``256`` is off); a word
    is on only for ``on``, ``yes`` and ``true``.
    """
    pragma = statement.pragma
    if pragma is None or pragma[0] != "foreign_keys" or not pragma[1]:
        return None
    value = pragma[1].removeprefix("+").split()[0]
    if value[:1].isdigit():
        return _atoi(value) & 0xFF != 0
    return value in _ON_WORDS


def _atoi(text: str) -> int:
    """SQLite's ``sqlite3Atoi``: a hexadecimal or decimal prefix, 0 when none."""
    if text[:2].lower() == "0x":
        digits = text[2:]
        end = next((i for i, c in enumerate(digits) if c not in "0123456789abcdef"), None)
        return int(digits[:end], 16) if digits[:end] else 0
    end = next((i for i, c in enumerate(text) if not c.isdigit()), len(text))
    return int(text[:end])


def keys_in_effect(
    statements: Sequence[Statement], open_at: Sequence[bool], start: bool, *, always_on: bool
) -> tuple[bool, ...]:
    """Whether foreign keys are enforced when each statement runs, and after the last one.

    Args:
        statements: the file's statements, in the order the runner sends them.
        open_at: whether a transaction is open when each runs
            (:func:`~migration_harness.sets.sql.open_before`).
        start: the set's keys setting, in effect when the file starts.
        always_on: D1, which enforces keys whatever the file says.

    """
    on = start or always_on
    values = []
    for statement, in_transaction in zip(statements, open_at, strict=False):
        values.append(on)
        wanted = keys_value(statement)
        if wanted is not None and not (in_transaction or always_on):
            on = wanted
    return (*values, on)


def ignored_pragmas(
    statements: Sequence[Statement], open_at: Sequence[bool], start: bool, *, always_on: bool
) -> tuple[IgnoredPragma, ...]:
    """The pragmas the runner ignores that ask for another value than the one in effect.

    A pragma asking for the value already in effect is no conflict: honoured or not, the
    file runs the same (a ``PRAGMA foreign_keys = OFF`` on a keys-off set, the ``ON``
    after an ``OFF`` that was itself ignored). Arguments as for :func:`keys_in_effect`.
    """
    values = keys_in_effect(statements, open_at, start, always_on=always_on)
    setting = values[0]
    found = []
    for at, (statement, in_transaction) in enumerate(zip(statements, open_at, strict=False)):
        wanted = keys_value(statement)
        if wanted is None or wanted == values[at] or not (in_transaction or always_on):
            continue
        inert = _nothing_depends(statements[at + 1 :], open_at[at + 1 :], always_on=always_on)
        found.append(IgnoredPragma(statement, wanted, inert, values[at] == setting))
    return tuple(found)


def _nothing_depends(
    later: Sequence[Statement], open_at: Sequence[bool], *, always_on: bool
) -> bool:
    """Whether no statement in ``later`` runs otherwise with keys on than with keys off.

    Looked at up to a pragma the runner honours, which sets the value afresh.
    """
    for statement, in_transaction in zip(later, open_at, strict=False):
        if keys_value(statement) is not None and not (in_transaction or always_on):
            return True
        if not _keys_free(statement):
            return False
    return True


def _keys_free(statement: Statement) -> bool:
    """Whether the statement's outcome cannot depend on foreign keys (``_KEYS_FREE_*``)."""
    words = statement.keywords
    if not words or statement.is_transaction_control or words[0] in _KEYS_FREE_WORDS:
        return True
    return words[0] == "DROP" and words[1:2] != () and words[1] in _KEYS_FREE_DROPS
