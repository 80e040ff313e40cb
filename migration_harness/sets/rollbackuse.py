"""Which migrations' rollbacks production ever runs (``production_rollbacks``).

Many applications ship down files they never run: pressly/goose's ``Provider`` is only
ever asked to go up (arcane), golang-migrate's ``m.Steps`` only forward (stash), diesel's
``run_pending_migrations`` never reverts (vaultwarden). A rollback that fails there is an
accurate finding about a file nobody runs in production, and a red build for it teaches
the team to ignore the tool. Other teams recover by running the rollback (``db/``'s
``wrangler d1 execute --file db/rollbacks/...``): there the same finding is an error.

The set says which it is: ``production_rollbacks = "unused"`` (no down ever runs in
production), or ``production_rollbacks_from = VERSION`` for an application that runs downs
only from a version on (pocket-id's ``ALLOW_DOWNGRADE`` refuses targets before
20250822000000): the rollbacks of migrations at or after it are used, earlier ones not.
:mod:`~migration_harness.checks.severity` turns the rollback-side errors of an unused
rollback into warnings; nothing about a forward step changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from migration_harness.errors import UnknownVersionError
from migration_harness.sets.config import ConfigError
from migration_harness.sets.records import Migration, MigrationSet
from migration_harness.sets.versions import version_named

USED = "used"
UNUSED = "unused"


@dataclass(frozen=True, slots=True)
class RollbackUse:
    """Whether production runs a migration's rollback.

    Attributes:
        unused: some rollbacks are never run in production (``production_rollbacks =
            "unused"``, or a bound below which they are not).
        used_from: the first version whose rollback production does run (``None``:
            none, when ``unused``).
        setting: the key and value that said so, quoted in the findings it changes.

    """

    unused: bool = False
    used_from: int | None = None
    setting: str = ""

    def runs(self, migration: Migration) -> bool:
        """Whether production ever runs ``migration``'s rollback."""
        if not self.unused:
            return True
        return self.used_from is not None and migration.version >= self.used_from


ALWAYS = RollbackUse()


def rollback_use(mset: MigrationSet, mode: str | None, used_from: str | None) -> RollbackUse:
    """The set's rollback use from its ``production_rollbacks`` keys (resolved on ``mset``).

    ``mode`` ``used`` beats a bound (the command line's ``--production-rollbacks used``
    over the config's ``production_rollbacks_from``); a bound alone means ``unused`` below
    it. The bound is a version number (``20250822000000``, compared with each migration's
    version: it need not be a migration of the set) or a migration's name or file name.

    Raises:
        ConfigError: the bound names no migration and is no number.

    """
    if mode == USED or (mode is None and used_from is None):
        return ALWAYS
    if used_from is None:
        return RollbackUse(unused=True, setting=f'production_rollbacks = "{UNUSED}"')
    text = used_from.strip()
    try:
        bound = int(text) if text.isdigit() else version_named(mset, text)
    except UnknownVersionError as exc:  # one line: the key, then where and the close names
        message = f"production_rollbacks_from = {used_from!r}: {exc}"
        raise ConfigError(message) from exc
    return RollbackUse(
        unused=True, used_from=bound, setting=f'production_rollbacks_from = "{used_from}"'
    )
