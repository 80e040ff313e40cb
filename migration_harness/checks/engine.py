"""Snapshots of every version of a set, and the machinery every property runs on.

The :class:`Engine` applies the set once, keeps an image per version and runs each
property under Hypothesis; it imports nothing from the checks, so the per-migration
properties and the history fuzzer both build on it without importing each other.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, Protocol

from hypothesis import HealthCheck, Phase, given
from hypothesis import seed as hypothesis_seed
from hypothesis import settings as Settings

from migration_harness.checks.copies import copy_only_tables
from migration_harness.checks.deploys import Deploys, drawable
from migration_harness.checks.found import Found, found_type, leaves
from migration_harness.checks.images import Version
from migration_harness.checks.minimal import Cause, cause_of, one_per_cause
from migration_harness.checks.outcomes import divergence_finding
from migration_harness.checks.reach import Scope, Scopes, around, reach
from migration_harness.checks.refusals import refuse_missing_function, refuse_unknown_defaults
from migration_harness.checks.scope import affected_tables
from migration_harness.checks.shrinking import shrink_limit, shrinks_capped
from migration_harness.data.provider import source_blind
from migration_harness.data.sources import RealData, refuse_drift, refuse_orphans
from migration_harness.data.sources.profile import column_hints
from migration_harness.data.strategies import (
    Dataset,
    GenerationStats,
    datasets_for,
    insert,
    read_rows,
)
from migration_harness.errors import MigrationError
from migration_harness.report.findings import Finding, MigrationInfo, Stats
from migration_harness.schema.keylinks import key_links
from migration_harness.schema.literals import compared_literals, replaced_literals
from migration_harness.schema.model import Schema, introspect
from migration_harness.schema.records import ForeignKey
from migration_harness.schema.unixtime import unix_columns_by_version
from migration_harness.schema.usage import (
    Column,
    declared_json,
    set_json_columns,
    set_json_member_columns,
    with_hints,
)
from migration_harness.sets import runner
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.functions import config_of
from migration_harness.sets.sandbox import SandboxEscapeError, StatementTimeoutError
from migration_harness.sets.shipgroups import ShipGroup
from migration_harness.sets.sql import Statement, split_statements
from migration_harness.sets.targets import Target

_SIZE_CHECKS: Final = (
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
)


_HINTED_KEPT: Final = 4
_IMAGES_KEPT: Final = 2


class VersionStore(Protocol):
    """Versions kept across runs (:class:`~migration_harness.checks.cache.VersionCache`).

    A store holds the versions of one set under one target's rules, and answers with
    versions ``0..k`` only while files 1..k are still the ones that built them: it decides
    that by its keys; the engine only asks.
    """

    def load(self) -> list[Version]:
        """The longest stored run of versions ``0..k`` (empty: none)."""

    def save(self, versions: Sequence[Version]) -> None:
        """Keep versions ``0..k`` for the next run."""


class Engine:
    """Snapshots of every version of a set, and the shared state of one check run.

    Built once per run: migrations 1..n are applied in order on an in-memory database and
    each version is serialised, so every example restores its starting point in
    microseconds instead of re-applying 1..k-1.
    """

    def __init__(
        self,
        mset: MigrationSet,
        target: Target,
        *,
        settings: Settings | None = None,
        seed: int | None = None,
        max_rows: int = 3,
        store: VersionStore | None = None,
        real: RealData | None = None,
        groups: Sequence[ShipGroup] = (),
    ) -> None:
        self.mset = mset
        # Migrations deployed together (one commit): which rows each version can hold.
        self.groups = tuple(groups)
        self.deploys = Deploys(
            mset.migrations, self.groups, lambda k: self.versions[k].schema, self.available
        )
        # Versions built on real rows depend on more than the files: never stored.
        self.store = store if real is None else None
        # Real rows (``--data``) replace the generated version they record: every later
        # version is built on them, so each pending migration starts from them.
        self.real = real
        self.real_at: int | None = None  # the version the real rows were adopted at
        self.real_warning = ""
        self.target = target
        self.settings = settings or Settings()
        self.seed = seed
        self.max_rows = max_rows
        self.stats = Stats()
        self.refused = 0  # rows the last insert() refused (minimisation must not add any)
        self.generation = GenerationStats()
        self.versions: list[Version] = []
        self._images: dict[int, bytes] = {}  # the last few images restored (see restore)
        self._scopes = Scopes()  # scoped images, built once per version and scope
        self._populated: dict[int, tuple[Version, tuple[str, ...]]] = {}
        self.apply_failure: tuple[int, MigrationError] | None = None
        # Where the build stopped, and why in words: a migration that fails, or one that is
        # code (a goose Go migration) no SQL check can run. Versions from there on are
        # not reached.
        self.stop: tuple[int, str] | None = None
        self.infos = {m.version: MigrationInfo(m.version, m.label) for m in mset.migrations}
        # JSON the set's SQL reads, and the column hints the team or `profile --data` wrote.
        self.hints = column_hints(config_of(mset))
        self.json_columns = set_json_columns(mset) | self.hints.json
        # JSON columns whose members the set's SQL parses as JSON too: lists of objects.
        self.json_members = set_json_member_columns(mset)
        # Date/time columns the set's SQL converted to unix seconds, by version.
        self.unix_columns = unix_columns_by_version(m.up_sql for m in mset.migrations)
        # Key columns the set's SQL compares or copies: their tables may share text ids.
        self.key_links = key_links(mset)
        # Literals the set's SQL compares columns with: drawn there too (schema/literals.py).
        self.literals = compared_literals(mset)
        # ...and the values its REPLACE statements write, key columns included.
        self.replaced = replaced_literals(mset)
        # Backups the set fills with copies only: no rows are drawn for them.
        self.copy_only = copy_only_tables(mset.migrations)
        # The hinted schemas of the last few versions drawn for (each holds its own maps of
        # every table: kept for every version, they grew with the square of the history).
        self._hinted: dict[int, Schema] = {}
        # The last hinted schema, its source and hints: the next reuses its unchanged tables.
        self._hint_base: tuple[Schema, Schema, frozenset[Column], object, object] | None = None
        self._build()
        # A column a later version declares JSON held JSON before it said so, too.
        self.json_columns |= declared_json(v.schema for v in self.versions)

    @property
    def migrations(self) -> tuple[Migration, ...]:
        """The set's migrations, in order."""
        return self.mset.migrations

    def name_of(self, k: int) -> str:
        """Version ``k`` as the set names it (``20240101120000_users``), for people to read.

        Positions (17) are meaningless to a person with timestamp or gapped versions, and
        ``migrate --to 17`` took them for versions; every message names the migration.
        """
        return self.migrations[k - 1].label if k else "the empty database"

    def migrate_step(self, k: int) -> str:
        """The reproduction step that brings a database to version ``k``."""
        return f"migrate to {self.migrations[k - 1].label}" if k else "start from an empty database"

    def available(self, k: int) -> bool:
        """Whether version ``k`` could be built (every migration up to it applied)."""
        return k < len(self.versions)

    def restore(self, k: int) -> sqlite3.Connection:
        """A fresh in-memory copy of version ``k``, set up as the target's connection.

        The examples of one property all restore the same version or two: the last
        images joined are kept (a join copies the whole image, 12 MiB at 1,000 tables).
        """
        image = self._images.pop(k, None)
        if image is None:
            image = self.versions[k].image
            if len(self._images) >= _IMAGES_KEPT:
                del self._images[next(iter(self._images))]  # the least recently used
        self._images[k] = image
        return self.open(image)

    def scope(
        self,
        k: int,
        statements: Sequence[Statement],
        tables: Iterable[str],
        *,
        forward: bool = False,
    ) -> Scope:
        """Where examples of a step on version ``k`` start (see :mod:`.reach`).

        ``tables``: those the examples draw, read or check; ``forward``: rows drawn for
        k + 1 (:meth:`datasets`), so the deployed keys' tables count too.
        """
        wanted = list(tables)
        if forward:
            keys = self.deployed_keys(k + 1)[1]
            wanted += [name for fk in keys for name in (fk.table, fk.other_table)]
        schema = self.versions[k].schema
        exact = reach(schema, statements, wanted)
        if exact is None:
            return Scope(k, None)
        return Scope(k, self._scopes.cover(k, exact, len(schema.tables), lambda: self._around(k)))

    def _around(self, k: int) -> frozenset[str] | None:
        """What the round trips of k and the forward checks of k + 1 reach (:func:`around`)."""
        keys = self.deployed_keys(k + 1)[1] if k < len(self.migrations) else ()
        return around(self.versions[k].schema, self.migrations[max(k - 1, 0) : k + 1],
                      self.populated(k), keys)  # fmt: skip

    def start(self, scope: Scope) -> sqlite3.Connection:
        """A fresh copy of ``scope``'s version holding only the tables it reaches."""
        version = self.versions[scope.k]
        image = self._scopes.image(scope, version)
        return self.restore(scope.k) if image is None else self.open(image)

    def widen(self, scope: Scope, schema: Schema) -> Schema:
        """``schema``, read from a connection of :meth:`start`, as the whole database's."""
        known = [v.schema for v in self.versions[max(scope.k - 1, 0) : scope.k + 2]]
        return self._scopes.widen(scope, schema, self.versions[scope.k].schema, known)

    def open(self, image: bytes) -> sqlite3.Connection:
        """A fresh in-memory database holding ``image``, set up as the target's connection."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.deserialize(image)
        runner.prepare(conn, self.target)
        return conn

    def populated(self, k: int) -> list[str]:
        """Tables holding rows at version ``k`` (seeds): they can serve as parents.

        Remembered for the last few versions asked: each property of a migration asks, and a
        scan of every table at version k cost time in the length of the history.
        """
        version = self.versions[k]
        held = self._populated.get(k)
        if held is None or held[0] is not version:  # a version --data replaced is new
            if len(self._populated) >= _IMAGES_KEPT * 2:
                del self._populated[next(iter(self._populated))]
            held = (version, tuple(n for n, rows in version.rows.items() if rows))
            self._populated[k] = held
        return list(held[1])

    def unwritten(self, k: int) -> frozenset[str]:
        """Tables (lower-cased) no application wrote to before migration ``k`` runs.

        Those an earlier file of ``k``'s ship group created (:meth:`Deploys.unwritten`).
        """
        return self.deploys.unwritten(k)

    def undrawn(self, k: int) -> frozenset[str]:
        """Tables (lower-cased) the rows drawn before migration ``k`` must leave alone.

        The :meth:`unwritten` ones, and the backups the set fills with copies only
        (:mod:`~migration_harness.checks.copies`): whatever they hold, a file put there.
        """
        return self.unwritten(k) | self.copy_only

    def drawable(self, k: int, tables: Iterable[str]) -> list[str]:
        """``tables`` the rows drawn before migration ``k`` may fill (see :meth:`unwritten`)."""
        return drawable(tables, self.undrawn(k))

    def held(self, k: int, tables: Iterable[str]) -> list[str]:
        """``tables`` that may hold rows when ``k`` is rolled back (:meth:`Deploys.held`)."""
        held = self.deploys.held(k)
        return list(tables) if held is None else [t for t in tables if t.lower() in held]

    def hinted(self, k: int) -> Schema:
        """Version ``k``'s schema told what the config's column hints say (JSON, pools …).

        The generator draws from it, and a rewrite is judged over the values it says the
        application writes. Only the last few are kept: a long history would otherwise
        hold one hinted copy per version.
        """
        hinted = self._hinted.pop(k, None)
        if hinted is None:
            schema = self.versions[k].schema
            unix = self.unix_columns[k] if k < len(self.unix_columns) else frozenset()
            given = (unix, self.json_columns, self.hints)
            last = self._hint_base  # the last one computed, and what it was given
            same = last is not None and last[2] == unix and last[3:] == given[1:]
            base = (last[0], last[1]) if last is not None and same else None
            hinted = with_hints(
                schema,
                self.json_columns,
                self.hints.filled,
                self.hints.pools,
                unix,
                base,
                self.literals,
                self.json_members,
                self.replaced,
            )
            self._hint_base = (schema, hinted, *given)
            if len(self._hinted) >= _HINTED_KEPT:
                del self._hinted[next(iter(self._hinted))]  # the least recently used
        self._hinted[k] = hinted
        return hinted

    def datasets(self, k: int, tables: Iterable[str], *, forward: bool = False) -> Any:
        """The dataset strategy for version ``k`` limited to ``tables``.

        ``forward``: the rows are drawn for migration ``k + 1`` to run on. Inside a ship
        group they were written at the version deployed before it, so they keep the
        foreign keys they had there (:func:`with_deployed_keys`) where keys are enforced.
        """
        version = self.versions[k]
        schema, tables = self.hinted(k), drawable(tables, self.copy_only)
        if forward and tables:
            schema, keys = self.deployed_keys(k + 1)
            parents = [schema.by_lower_name[fk.other_table.lower()].name for fk in keys]
            tables += [p for p in dict.fromkeys(parents) if p not in tables]
        return datasets_for(
            schema,
            existing=version.rows,
            max_rows=self.max_rows,
            tables=tables,
            stats=self.generation,
            links=self.key_links.at(k),
            pending=self.key_links.pending(k),
        )

    def deployed_keys(self, k: int) -> tuple[Schema, tuple[ForeignKey, ...]]:
        """The schema rows before ``k`` are drawn from, and the deployed keys it puts back.

        See :meth:`Deploys.deployed_keys`.
        """
        enforced = self.target.d1 or self.target.foreign_keys
        return self.deploys.deployed_keys(k, self.hinted(k - 1), enforced)

    def insert(self, conn: sqlite3.Connection, dataset: Dataset) -> None:
        """Insert a dataset and count the outcome (yield)."""
        result = insert(conn, dataset)
        self.refused = len(result.failed)
        self.stats.rows_inserted += result.inserted
        self.stats.rows_failed += len(result.failed)

    def run_property(
        self,
        name: str,
        migration: Migration,
        strategy: Any,
        body: Callable[[Dataset], list[Finding]],
        *,
        share: float = 1.0,
        seeds: Callable[[], tuple[Dataset, ...]] | None = None,
    ) -> list[Finding]:
        """Run ``body`` over generated datasets; return the findings of the shrunk example.

        Args:
            name: the check's name (part of the example database key).
            migration: the migration checked (part of the key, and of the test's name).
            strategy: the dataset strategy.
            body: one example: returns its findings (empty: the property holds).
            share: fraction of the profile's ``max_examples`` this property needs (the
                re-run check depends little on data).
            seeds: datasets tried after the random ones whatever the seed (a duplicate
                pair for each UNIQUE key the step adds); a cause only they show is
                reported like any other.
        """
        if self._guarded(migration):
            return []  # every example would stop there again: check_apply reports it once

        def prop(dataset: Dataset) -> None:
            self.stats.examples += 1
            findings = self._example(body, dataset)
            if findings:
                cause = cause_of(findings[0])
                error = found_type(cause)(findings[0].message)
                error.findings, error.dataset, error.cause = findings, dataset, cause
                raise error

        # Hypothesis needs an identifier: diesel folders hold '-', odd names hold '.'.
        prop.__name__ = prop.__qualname__ = re.sub(r"\W", "_", f"{name}_{migration.label}")
        test = given(strategy)(prop)  # type: ignore[no-untyped-call]
        digest = f"{self.mset.migrations_dir}:{name}:{migration.id}".encode()
        test._hypothesis_internal_add_digest = digest
        examples = max(3, int(self.settings.max_examples * share))
        # Hypothesis's explain phase replays ~100 variants of the shrunk example only to
        # annotate the exception, which this engine discards (the finding is what counts):
        # it took most of the time of every check that found something.
        phases = tuple(p for p in self.settings.phases if p is not Phase.explain)
        # Every distinct cause is reported (one exception type each), whatever a user's
        # profile says: with report_multiple_bugs off, the first bug found hides the rest.
        # The strategies bound an example's size (CELL_BUDGET) whatever the profile: a
        # user's profile that keeps Hypothesis's size checks must not end a check on a
        # wide schema in FailedHealthCheck with no report.
        suppressed = {*self.settings.suppress_health_check, *_SIZE_CHECKS}
        test = Settings(
            self.settings,
            max_examples=examples,
            phases=phases,
            report_multiple_bugs=True,
            suppress_health_check=sorted(suppressed, key=lambda check: check.value),
        )(test)
        if self.seed is not None:
            test = hypothesis_seed(self.seed)(test)
        errors: list[Found] = []
        try:
            # Shrinking is bounded by a count, not Hypothesis's five-minute clock (see
            # checks.shrinking): a file failing on nearly any data took that per property.
            with source_blind(), shrinks_capped(shrink_limit(examples)):
                test()
        except Found as error:  # the shrunk example, replayed last
            errors = [error]
        except BaseExceptionGroup as group:  # one shrunk example per cause
            found, other = group.split(Found)
            if found is None or other is not None:
                raise
            errors = leaves(found)
        if seeds is not None:
            errors += self._seeded(body, seeds, {error.cause for error in errors})
        return self._minimal(body, errors) if errors else []

    def _seeded(
        self,
        body: Callable[[Dataset], list[Finding]],
        seeds: Callable[[], tuple[Dataset, ...]],
        known: set[Cause],
    ) -> list[Found]:
        """The seeded examples whose first finding has a cause the random ones missed."""
        out: list[Found] = []
        with source_blind():
            datasets = seeds()
        for dataset in datasets:
            self.stats.examples += 1
            findings = self._example(body, dataset)
            if not findings or cause_of(findings[0]) in known:
                continue
            cause = cause_of(findings[0])
            error = found_type(cause)(findings[0].message)
            error.findings, error.dataset, error.cause = findings, dataset, cause
            known.add(cause)
            out.append(error)
        return out

    def _guarded(self, migration: Migration) -> bool:
        """Whether the build stopped at ``migration`` on the sandbox or the statement clock.

        Neither depends on the data: each example would wait out the timeout again (a
        minute by default) or be refused again, for one more copy of the same finding.
        """
        failure = self.apply_failure
        return (
            failure is not None
            and isinstance(failure[1], SandboxEscapeError | StatementTimeoutError)
            and self.migrations[failure[0] - 1] is migration
        )

    def _example(self, body: Callable[[Dataset], list[Finding]], dataset: Dataset) -> list[Finding]:
        """One example's findings: the property's and the divergences it caused."""
        return body(dataset) + self.divergences(dataset)

    def _minimal(
        self, body: Callable[[Dataset], list[Finding]], errors: list[Found]
    ) -> list[Finding]:
        """One finding per cause, each replayed on the smallest dataset that shows it."""
        found = [(error.cause, error.dataset, error.findings) for error in errors]
        return one_per_cause(lambda d: self._example(body, d), lambda: self.refused, found)

    def divergences(self, dataset: Dataset | None = None) -> list[Finding]:
        """``engine_divergence`` findings for what ``--differential`` recorded since last asked.

        Called after each example (the example is then the dataset, and Hypothesis shrinks
        it) and after each check (divergences outside examples: the build, the state
        machine).
        """
        executor = self.target.executor
        if executor is None:
            return []  # the in-process engine: nothing recorded, no D1 client imported
        from migration_harness.d1.mirror import DifferentialExecutor

        if not isinstance(executor, DifferentialExecutor):
            return []
        return [divergence_finding(self.mset, d, dataset) for d in executor.take()]

    def _build(self) -> None:
        """Apply every migration once, snapshotting each version.

        With a store, the versions an earlier run built from the same files are loaded
        and the build resumes after the last of them.
        """
        conn = self._adopt_real(self._resume())
        for k, migration in enumerate(self.migrations, start=1):
            if k < len(self.versions):
                continue
            if migration.program is not None:
                why = (
                    f"{migration.path.name} is a {migration.program.capitalize()} migration, "
                    "which a check of SQL files cannot run (name a SQL file that does the "
                    "same under [tool.migration-harness.equivalents] to check past it)"
                )
                self._stop(k, why, including=True)
                break
            try:
                runner.apply(conn, migration, self.target)
            except MigrationError as exc:
                refuse_missing_function(exc)
                self.apply_failure = (k, exc)
                self._stop(k, f"{migration.label} does not apply")
                break
            self._snapshot(conn, migration)
            conn = self._adopt_real(conn)
        conn.close()
        if self.store is not None:
            self.store.save(self.versions)
        if self.real is not None and self.real_at is None:
            self.real_warning = (
                f"warning: --data {self.real.source.spec}: not used, the set cannot be built "
                f"up to its version ({self.stop[1] if self.stop else 'unknown'})"
            )

    def _resume(self) -> sqlite3.Connection:
        """The connection the build continues on: at the last stored version, else empty."""
        if self.store is not None:
            self.versions = self.store.load()[: len(self.migrations) + 1]
        if self.versions:
            return self.open(self.versions[-1].image)
        conn = sqlite3.connect(":memory:", isolation_level=None)
        runner.prepare(conn, self.target)
        runner.ensure_tracking(conn, self.target)
        self._snapshot(conn)
        conn.close()
        # Built on a deserialized copy, as a resumed build and every example are: a
        # serialize of SQLite's paged ":memory:" database reads every page through the
        # pager (12 ms at 800 tables, once per version), of a deserialized one it copies
        # the buffer (0.4 ms).
        return self.open(self.versions[0].image)

    def holds_real(self, k: int) -> bool:
        """Whether version ``k``'s image holds the real rows (``--data``)."""
        return self.real_at is not None and k >= self.real_at

    def _adopt_real(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        """At the real data's version, continue the build from the real rows instead.

        Its schema must be the set's there (:func:`refuse_drift`); the generated
        snapshot of that version is replaced, so later versions are the pending
        migrations applied to the real rows.
        """
        k = len(self.versions) - 1
        if self.real is None or k != self.real.position:
            return conn
        conn.close()
        conn = self.open(self.real.image)
        runner.ensure_tracking(conn, self.target)
        schema = introspect(conn, exclude=runner.bookkeeping_tables(self.target))
        warnings = (
            refuse_drift(self.real, self.versions[k].schema, schema, self.name_of(k)),
            refuse_orphans(self.real, conn),
        )
        self.real_warning = "\n".join(w for w in warnings if w)
        image, rows = conn.serialize(), read_rows(conn, schema)
        self.versions[k] = Version.from_image(image, schema, rows, self.versions[k])
        self._images.pop(k, None)  # a restore of k must see the real rows
        self.real_at = k
        return conn

    def _stop(self, k: int, why: str, *, including: bool = False) -> None:
        """Record that the build stopped at k, and why.

        Later versions (and k's own, when k is code) are built on it, so none of them
        can be checked: they are marked not reached.
        """
        self.stop = (k, f"{why}, so the check went as far as {self.name_of(k - 1)}")
        for later in self.migrations[k - 1 if including else k :]:
            self.infos[later.version].reached = False

    def _snapshot(self, conn: sqlite3.Connection, migration: Migration | None = None) -> None:
        """Keep version k: its image, schema and rows.

        Rows are read again only for tables file k can have changed (named, cascaded into,
        redefined; all of them under triggers); the others are the previous version's.
        Reading every table at every version cost time in the square of a long history.
        """
        schema = introspect(conn, exclude=runner.bookkeeping_tables(self.target))
        if migration is None or not self.versions:
            rows = read_rows(conn, schema)
        else:
            previous = self.versions[-1]
            changed = affected_tables(previous.schema, split_statements(migration.up_sql))
            kept = {
                name
                for name, table in schema.tables.items()
                if name in previous.rows
                and name not in changed
                and previous.schema.tables.get(name) is table
            }
            rows = read_rows(conn, schema, skip=kept)
            rows.update({name: previous.rows[name] for name in kept})
            refuse_unknown_defaults(conn, migration, previous.schema, schema)
        before = self.versions[-1] if self.versions else None
        self.versions.append(Version.from_image(conn.serialize(), schema, rows, before))
