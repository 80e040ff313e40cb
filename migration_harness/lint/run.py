"""Lint a whole set: replay its schema file after file and run every rule on each file.

Every file is replayed (a later file's schema depends on the earlier ones), but rules run
only on the files asked for (``--since``), so linting one new file of a long history costs
the replay of the history, a few milliseconds, and the rules of one file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Final

from sqlglot import exp

# Each rule family by its own module path, not `from migration_harness.lint import ...`:
# the package's __init__ imports this module, so importing names from the package here
# was an import cycle (issue 12).
import migration_harness.lint.d1 as d1
import migration_harness.lint.data as data
import migration_harness.lint.destructive as destructive
import migration_harness.lint.determinism as determinism
import migration_harness.lint.hygiene as hygiene
import migration_harness.lint.identity as identity
import migration_harness.lint.moved as moved
import migration_harness.lint.notin as notin
import migration_harness.lint.nulls as nulls
import migration_harness.lint.quoting as quoting
import migration_harness.lint.runner as runner
import migration_harness.lint.seeds as seeds
import migration_harness.lint.skipped as skipped
import migration_harness.lint.sqlite as sqlite
import migration_harness.lint.traits as traits
import migration_harness.lint.unseeding as unseeding
from migration_harness.checks.deploys import Deploys
from migration_harness.lint.context import FileContext, Parsed, Replay, statements_for
from migration_harness.lint.hits import Rule, to_finding
from migration_harness.lint.renamed import renamed_findings
from migration_harness.lint.shapes import changed_tables, name_of, table_in
from migration_harness.report.catalogue import RULES as CATALOGUE
from migration_harness.report.findings import Finding
from migration_harness.schema.model import Schema
from migration_harness.schema.resolve import new_unresolved
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.renames import Rename
from migration_harness.sets.repeatables import repeatable_objects
from migration_harness.sets.rollbackuse import RollbackUse
from migration_harness.sets.shipgroups import ShipGroup
from migration_harness.sets.targets import Target
from migration_harness.sets.tokens import virtual_table

RULES: Final[tuple[Rule, ...]] = (
    *destructive.RULES,
    *moved.RULES,
    *data.RULES,
    *traits.RULES,
    *runner.RULES,
    *sqlite.RULES,
    *determinism.RULES,
    *nulls.RULES,
    *notin.RULES,
    *skipped.RULES,
    *seeds.RULES,
    *unseeding.RULES,
    *identity.RULES,
    *quoting.RULES,
    *d1.RULES,
    *hygiene.RULES,
)
# The SQLite D1 runs, as measured on a local D1 (../shared/D1_SEMANTICS.md).
D1_SQLITE: Final = (3, 47, 0)


def target_sqlite(target: Target) -> tuple[int, ...] | None:
    """The SQLite version the target's files run on, for rules about newer functions.

    D1's, or the one the config names (``sqlite_version``); ``None``: not known. Every
    other runner's SQLite is its driver's (each pins its own), not the harness's: judged
    against the harness's, a function newer than this machine's SQLite read as an error
    on a runner whose driver has had it for years (taproot-assets' ``unhex`` under
    modernc.org/sqlite).
    """
    return D1_SQLITE if target.d1 else target.sqlite_version


def lints_tracked(target: Target, *, untracked: bool = False) -> bool:
    """Whether the set is linted as applied through a tracking table, as ``check`` runs it.

    ``target.tracked`` already holds ``check``'s decision (``--applied``, else ``applied``
    in the config, else the runner's default: plain sqlite files are run by hand);
    ``untracked`` is lint's ``--untracked``, which forces it off. ``lint``, ``check``'s lint
    pass and the plugin's all ask here: a lint pass that called every set tracked left
    MH412 out of ``check`` for the very set whose re-run failure ``check`` then reported.
    """
    return target.tracked and not untracked


def lint_set(
    mset: MigrationSet,
    target: Target,
    *,
    only: Collection[Path] | None = None,
    tracked: bool = True,
    sqlite_version: tuple[int, ...] | None = None,
    rollbacks: RollbackUse | None = None,
    groups: Sequence[ShipGroup] = (),
    renames: Sequence[Rename] = (),
) -> list[Finding]:
    """Every rule's findings on the set's files, in file and line order.

    Args:
        mset: the discovered set.
        target: the runner's rules.
        only: lint these files only (resolved paths); the others are still replayed.
        tracked: the set is applied through a tracking table (False: by hand).
        sqlite_version: the SQLite the target runs (default: :func:`target_sqlite`;
            ``None`` there: not known).
        rollbacks: whose rollbacks production runs (``production_rollbacks``): an error
            in a rollback production never runs cannot break production, so it is listed
            as suppressed with that reason (check makes the same findings warnings).
        groups: the set's ship groups (``check``'s): a table an earlier file of a
            forward file's group created holds no application rows when it runs.
        renames: the set's shipped files renamed under a new runner key (read from git
            by :func:`~migration_harness.sets.renames.renamed_files`): MH332/MH333.

    """
    version = sqlite_version or target_sqlite(target)
    wanted = None if only is None else {p.resolve() for p in only}
    replay = Replay(target.dialect)
    schemas = [replay.schema]  # after each migration: version k's schema
    deploys = Deploys(mset.migrations, groups, schemas.__getitem__, lambda k: k < len(schemas))
    found: list[Finding] = []
    broken: list[frozenset[tuple[str, str, str]]] = [frozenset()]  # after each migration
    dangling: list[tuple[Finding, int, FileContext]] = []
    copied: frozenset[tuple[str, str, str]] = frozenset()  # by earlier forward files
    # What the repeatables after each version create, from the end: a slice and a scan of
    # every later migration per file cost quadratic time over a long history.
    later_repeatables = [frozenset[tuple[str, str]]()] * (len(mset.migrations) + 1)
    for k in range(len(mset.migrations) - 1, -1, -1):
        made = repeatable_objects(mset.migrations[k : k + 1])
        later_repeatables[k] = later_repeatables[k + 1] | made if made else later_repeatables[k + 1]
    try:
        for k, migration in enumerate(mset.migrations, start=1):
            empty = deploys.unwritten(k) if groups else frozenset()
            repeated = later_repeatables[k]
            contexts = _contexts(
                replay, migration, target, tracked, version, empty, repeated, copied
            )
            for context in contexts:
                copied |= destructive.copied_out(context) if context.is_up else frozenset()
            schemas.append(replay.schema)
            broken.append(frozenset(u.key for u in replay.unresolved()))
            for context in contexts:
                if wanted is None or context.path.resolve() in wanted:
                    hits = lint_file(context)
                    found += hits
                    dangling += [(f, k, context) for f in hits if _waits_for_deploy(f)]
    finally:
        replay.close()
    mended = {
        id(f)
        for f, k, context in dangling
        if not _stands(f, k, context, deploys, broken)
        and not _parent_missing_when_deployed(f, k, context, deploys, schemas)
    }
    found = [f for f in found if id(f) not in mended]
    found += renamed_findings(mset, renames, target, wanted)
    return _unused_rollbacks(mset, suppress(mset, _first_failure_only(found)), rollbacks)


_MISSING_PARENT: Final = "points at a table that does not exist"


def _waits_for_deploy(finding: Finding) -> bool:
    """A hit that a later file of the same ship group can mend before anyone writes."""
    if finding.kind == "fk-parent-not-unique":
        return finding.message.endswith(_MISSING_PARENT)
    return finding.kind == "dangling-reference"


def _deployed_after(k: int, deploys: Deploys, last: int) -> int:
    """The version production stands at once migration ``k``'s deploy ends."""
    top = k
    while top < last and not deploys.is_deployed(top):
        top += 1
    return top


def _parent_missing_when_deployed(
    finding: Finding, k: int, context: FileContext, deploys: Deploys, schemas: Sequence[Schema]
) -> bool:
    """Whether an MH313 key to a missing parent still misses it when its deploy ends.

    SQLite accepts a foreign key to a table that does not exist yet; writes fail only
    while it is missing. A parent a later file of the same ship group creates is there
    before the application writes a row (files of one commit run in one go).
    """
    if finding.kind != "fk-parent-not-unique":
        return False
    deployed = schemas[_deployed_after(k, deploys, len(schemas) - 1)]
    return any(
        table_in(deployed, fk.other_table) is None
        for fk in sqlite.keys_to_missing_tables(context)
        if finding.message.endswith(f"{fk.describe()} {_MISSING_PARENT}")
    )


def _stands(
    finding: Finding,
    k: int,
    context: FileContext,
    deploys: Deploys,
    broken: list[frozenset[tuple[str, str, str]]],
) -> bool:
    """Whether a dangling-reference of migration ``k`` still holds when its deploy ends.

    Files of one ship group run in one go: a view or trigger a later file of the group
    drops or mends never meets the application (modrinth's 20260526120000 drops a table
    a trigger writes, and 20260526120001, of the same commit, drops the trigger). Decided
    once the whole set is replayed (``broken``: the unresolved objects after each file).
    """
    if finding.kind != "dangling-reference":
        return False
    top = _deployed_after(k, deploys, len(broken) - 1)
    return any(
        item.key in broken[top]
        for item in context.dangling
        if finding.message.startswith(item.describe())
    )


def _unused_rollbacks(
    mset: MigrationSet, findings: list[Finding], rollbacks: RollbackUse | None
) -> list[Finding]:
    """Errors in rollbacks production never runs, suppressed with the setting that says so."""
    if rollbacks is None or not rollbacks.unused:
        return findings
    unused = {m.label for m in mset.migrations if not rollbacks.runs(m)}
    reason = f"production never runs this rollback ({rollbacks.setting})"
    return [
        replace(f, suppressed=reason)
        if f.severity == "error"
        and not f.suppressed
        and f.direction == "down"  # a goose file holds both: the section decides
        and f.migration in unused
        else f
        for f in findings
    ]


def _fts_contents(down: Sequence[str], schema: Iterable[str], tables: set[str]) -> set[str]:
    """The content tables the FTS5 indexes of a rollback read (lower-cased names).

    An external-content index (``content='posts'``) reads its table only when it runs, as
    ``INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')`` does: compiling the statement
    names no table, so the rollback's scratch replay lacked ``posts``, the refill failed
    there and the rollback seemed to re-create the index empty (a false MH204). The
    indexes are those the rollback declares (``down``: its statements) and those of
    ``tables`` (``schema``: the CREATE statements of the schemas around it).
    """
    found: set[str] = set()
    for sql in (*down, *schema):
        declared = virtual_table(sql)
        if declared is None or declared.module != "fts5":
            continue
        content = declared.option("content")
        ours = sql in down or declared.name.lower() in tables
        if ours and content:
            found.add(content.lower())
    return found


def _contexts(
    replay: Replay,
    migration: Migration,
    target: Target,
    tracked: bool,
    version: tuple[int, ...] | None,
    empty: frozenset[str] = frozenset(),
    repeated: frozenset[tuple[str, str]] = frozenset(),
    copied: frozenset[tuple[str, str, str]] = frozenset(),
) -> list[FileContext]:
    """The contexts of one migration's file and rollback; the replay moves past the file."""
    statements, wrapped, refused = statements_for(target, migration.up_sql, migration.up_options)
    before = replay.schema
    broken = replay.unresolved()
    seeded = tuple((table, tuple(rows)) for table, rows in replay.seeds.items())
    parsed = replay.run(statements, migration.up_sql)
    after = replay.schema
    # A file SQLite stops half-way is statement-fails' (its later schema is no production's)
    failed = any(p.error is not None for p in parsed)
    dangling = () if failed else new_unresolved(broken, replay.unresolved())
    contexts: list[FileContext] = []
    if migration.down_sql is not None and migration.down_path is not None:
        down = statements_for(target, migration.down_sql, migration.down_options)
        changed = {*changed_tables(before, after), *replay.touched(down[0])}
        # a new trigger changes no table's record, but its rollback must drop it (MH411)
        had = {t.name.lower() for t in before.triggers}
        changed |= {t.table for t in after.triggers if t.name.lower() not in had}
        # and one it dropped or replaced, its rollback must put back (MH415)
        kept_triggers = set(after.triggers)
        changed |= {t.table for t in before.triggers if t not in kept_triggers}
        # new views, and those the file replaced: the rollback's DROP VIEW must find them
        views = {v.name for v in after.views if v not in set(before.views)}
        tables = {*changed, *after.with_children(changed)}
        # with their parents, unchanged: ``REFERENCES users`` resolves only where users is
        # (else a rollback seemed to lose every such key: pocket-id's downs)
        tables |= _fts_contents(
            [st.sql for st in down[0] if st.keywords[:2] == ("CREATE", "VIRTUAL")],
            [t.sql for t in (*before.tables.values(), *after.tables.values()) if t.virtual],
            tables,
        )
        kept = before.with_ancestors(tables) | after.with_ancestors(tables)
        scratch = replay.scratch(kept, views)
        try:
            down_parsed = scratch.run(down[0], migration.down_sql)
            undone = scratch.schema
        finally:
            scratch.close()
        if down_parsed:
            created = _created(before, after, parsed)
            contexts.append(
                FileContext(
                    migration, "down", migration.down_path, down_parsed, after, undone,
                    target, down[1], down[2], tracked, version,
                    created=created,
                    origin=before,
                    repeated=repeated,
                    moved=moved.moved_into(parsed, before, after, created),
                )
            )  # fmt: skip
    if parsed:
        contexts.insert(
            0,
            FileContext(
                migration, "up", migration.path, parsed, before, after,
                target, wrapped, refused, tracked, version, empty=empty,
                dangling=dangling, seeds=seeded, copied=copied,
            ),
        )  # fmt: skip
    return contexts


def _created(before: Schema, after: Schema, up: tuple[Parsed, ...]) -> frozenset[str]:
    """Tables and ``table.column``s the migration created, lower-cased.

    A column renamed by the migration from a column that existed before it holds that
    column's values, so it does not count as created: dropping it in the rollback loses
    them. One renamed from a column the migration itself added still counts as created.
    So does a table: ``ALTER TABLE clients RENAME TO customers`` makes no new table, and a
    rollback that drops ``customers`` deletes the clients' rows.
    """
    names: set[str] = set()
    for name in changed_tables(before, after):
        old = before.tables.get(name)
        if old is None:
            names.add(name.lower())
            continue
        had = {c.name.lower() for c in old.columns}
        names |= {
            f"{name.lower()}.{c.name.lower()}"
            for c in after.tables[name].columns
            if c.name.lower() not in had
        }
    existed: dict[str, bool] = {}  # table.column -> it holds a column older than the file
    renamed: dict[str, bool] = {}  # table -> it holds the rows of a table older than the file
    for parsed in up:
        tree = parsed.tree_if("ALTER")
        if not isinstance(tree, exp.Alter):
            continue
        table = name_of(tree.this)
        for action in tree.args.get("actions") or ():
            if isinstance(action, exp.AlterRename):
                held = renamed.pop(table, table_in(before, table) is not None)
                renamed[name_of(action.this)] = held
            if isinstance(action, exp.RenameColumn):
                column = name_of(action.this)
                target = f"{table}.{name_of(action.args.get('to'))}"
                old = table_in(before, table)
                older = old is not None and any(c.name.lower() == column for c in old.columns)
                existed[target] = existed.pop(f"{table}.{column}", older)
    names -= {column for column, old in existed.items() if old}
    names -= {table for table, old in renamed.items() if old}
    return frozenset(names)


def lint_file(context: FileContext, rules: Iterable[Rule] = RULES) -> list[Finding]:
    """The findings of ``rules`` on one file, by line and column."""
    findings = [to_finding(context, hit) for rule in rules for hit in rule(context)]
    return sorted(findings, key=lambda f: (f.line or 0, f.details))


def _first_failure_only(findings: list[Finding]) -> list[Finding]:
    """Keep the first ``statement-fails``: the later ones follow from it in the replay."""
    seen = False
    kept = []
    for finding in findings:
        if finding.kind == "statement-fails":
            if seen:
                continue
            seen = True
        kept.append(finding)
    return kept


def suppress(mset: MigrationSet, findings: list[Finding]) -> list[Finding]:
    """THE suppression step for lint: inline ``ignore[CODE]`` comments and config ignores.

    The same module serves ``check`` (:mod:`migration_harness.report.suppress`); suppressed
    findings stay listed with their reason and never fail the run. (The baseline is
    ``check``'s; ``lint`` does not read it yet.)
    """
    from migration_harness.report.suppress import apply, config_suppressions, inline_suppressions
    from migration_harness.sets.functions import config_of

    found = inline_suppressions(mset) + config_suppressions(config_of(mset), mset)
    return apply(findings, found, mset) if found else findings


def lint_kinds() -> list[str]:
    """The kinds (rule names) of every lint rule in the catalogue, by code."""
    return [rule.kind for code, rule in sorted(CATALOGUE.items()) if "200" < code[2:] < "500"]
