"""One catalogue of finding codes for ``check`` and ``lint``: what each means, how bad it is.

A code names one *rule*: a finding kind under one severity rule (``not_idempotent`` is
``MH111`` where the file can really run twice and ``MH112`` where the runner records it),
so suppressions, baselines and CI annotations can name exactly what a team accepts.
Codes are stable: a code once published keeps its meaning; retired codes are never reused.

Ranges:
    MH1xx: findings of ``check`` (proved on generated or real data).
    MH2xx-MH4xx: rules of ``lint`` (static, no database).

``docs/FINDINGS.md`` is the same table in prose; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, cast

from migration_harness.report.lint_rules import LINT_RULES

Severity = Literal["error", "warning", "note"]
SEVERITIES: Final[tuple[Severity, ...]] = ("error", "warning", "note")


# The warning a round-trip schema drift becomes when every difference is cosmetic
# (checks/drift.py decides; the matrix does not count it as a broken rollback).
COSMETIC_DRIFT: Final = {"rollback_schema_drift": "MH130", "reapply_schema_drift": "MH129"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One entry of the catalogue.

    Attributes:
        code: ``MH`` and three digits.
        kind: the finding kind (``data_loss``) or lint rule name (``drop-table``).
        severity: how bad a finding under this rule is.
        title: one line, what it means.
        why: why it matters in production.
        fix: how to fix it.
        runners: which runners/targets make it this severity ("all" when it does not
            depend on the runner).
    """

    code: str
    kind: str
    severity: Severity
    title: str
    why: str
    fix: str
    runners: str = "all"


def _hooked(code: str, kind: str, title: str) -> Rule:
    """A warning for a finding on a file the application's own hook runs before.

    MH106, MH144 and MH154 differ only in what was found: why a hook makes it unverified,
    what to do and when it applies are the same for all three.
    """
    return Rule(
        code,
        kind,
        "warning",
        title,
        "the application runs its own code (a Go pre-migration hook) on the rows just before "
        "this file, so the rows the check started from may never reach the file in production: "
        "the finding is not wrong about the SQL, but whether production meets it is unverified",
        "read the hook: if it repairs these rows (fills the NULL, renames the duplicate), "
        "nothing to do; otherwise fix the file as for the error",
        "any runner, for a migration named in [tool.migration-harness.pre_migration_hooks], "
        "on data (the same finding on an empty database stays an error)",
    )


def _unused(code: str, kind: str, title: str, severity: Severity = "warning") -> Rule:
    """A rollback-side finding about a rollback the application never runs.

    The finding is accurate about the down file, but production only ever migrates up
    (``production_rollbacks = "unused"``): nothing goes wrong there until someone runs the
    rollback by hand. Why, what to do and when are the same for every kind.
    """
    return Rule(
        code,
        kind,
        severity,
        title,
        "the application never runs this rollback (goose's Provider, golang-migrate's "
        "Steps forward, diesel's run_pending_migrations only go up): production cannot "
        "meet it, but a developer or operator who runs the down file by hand does",
        "fix the down file if anyone may run it; otherwise nothing (or delete the down "
        "file, so nobody trusts it)",
        'sets whose rollbacks production never runs (production_rollbacks = "unused", or '
        "a migration before production_rollbacks_from); the same finding is an error where "
        "rollbacks are used",
    )


_CHECK_RULES: Final = (
    Rule(
        "MH101",
        "apply_error",
        "error",
        "the migration fails to apply",
        "the deploy stops at this file; under a runner without a transaction per file the "
        "database is left half-migrated",
        "run the file on a copy of the previous version and fix the failing statement",
    ),
    Rule(
        "MH102",
        "runner_conflict",
        "error",
        "the runner ignores a statement the file relies on: a step another check flagged ends "
        "otherwise with the statement honoured",
        "the file does something else in production than its author tested (typically a "
        "PRAGMA foreign_keys=OFF inside the runner's transaction that lets a DROP TABLE "
        "cascade)",
        "do not rely on the statement: make the rebuild safe with keys on, or use the "
        "runner's per-file opt-out of its transaction",
        "runners that wrap each file in a transaction (d1, golang-migrate, goose, dbmate, sqlx, "
        "diesel, drizzle), when another check saw the effect; never for a PRAGMA "
        "foreign_keys = ON where the set keeps keys off (MH103/MH108), nor for a pragma "
        "asking for the value already in effect, nor for an ignored OFF that nothing after "
        "it depends on in the schema the file runs on: a rebuild of a table no foreign key "
        "references, whose DROP fires no action, and writes only to tables the file created "
        "(a copy into one with keys only of columns that carried the same keys before) or "
        "that no key and no trigger involve (no finding)",
    ),
    Rule(
        "MH103",
        "runner_conflict",
        "warning",
        "the runner ignores a statement in the file, and honouring it changes nothing seen "
        "(or it only asks for keys on where the set keeps them off)",
        "the statement is dead under this runner; a later edit may start to depend on it, "
        "and statements after an ignored PRAGMA foreign_keys = ON run with keys off, as the "
        "set runs every file",
        "remove the statement or move the file out of the runner's transaction",
        "runners that wrap each file in a transaction (d1, golang-migrate, goose, dbmate, sqlx, "
        "diesel, drizzle), no effect seen; or, effect or not, an ignored PRAGMA foreign_keys "
        "= ON on a keys-off set that later statements of the file run without",
    ),
    Rule(
        "MH104",
        "apply_error",
        "warning",
        "data-dependent change: the file fails only on rows holding a value the earlier "
        "schema allowed, because it adds a NOT NULL or CHECK constraint",
        "the deploy stops at this file if production holds such rows (a NULL, a value "
        "outside the new CHECK); whether it does is a question about the data, not the "
        "SQL (Atlas's data-dependent-change analyzers say the same statically: MF104, a "
        "nullable column made non-nullable, https://atlasgo.io/lint/analyzers"
        "#data-dependent-changes; their MF101, a unique index on an existing column, "
        "stays MH101 here: real histories' UNIQUE additions failed in production, "
        "stashapp/stash#2967 and #5478)",
        "backfill or guard first (UPDATE … SET x = … WHERE x IS NULL, or filter the copy), "
        "or prove production holds no such row with check --data (where it is an error)",
        "any runner, on generated data; with check --data (real rows) the failure is "
        "certain and it stays MH101. UNIQUE additions stay MH101",
    ),
    Rule(
        "MH105",
        "apply_error",
        "warning",
        "the migration stops on purpose: its own guard refused the data",
        "the deploy stops at this file until the data is fixed (the guard protects what a "
        "later statement would destroy, such as a column dropped before its backfill)",
        "fix the data the guard names (finish the backfill), then deploy again",
        "any runner: the failing statement inserts into a TEMP or scratch table of the file "
        "whose CHECK or NOT NULL exists to abort",
    ),
    _hooked(
        "MH106",
        "apply_error",
        "the migration fails on these rows, but a hook the application runs before it may "
        "change them (unverified)",
    ),
    _unused(
        "MH107",
        "runner_conflict",
        "the runner ignores a statement a rollback relies on, and the rollback is never run",
    ),
    Rule(
        "MH108",
        "runner_conflict",
        "note",
        "the runner ignores a PRAGMA foreign_keys = ON that nothing after it in the file "
        "depends on: keys stay off, as they were",
        "none under this runner: the file asks to restore keys that production never turned "
        "on (drizzle-kit ends every rebuild with PRAGMA foreign_keys=ON), and only pragmas, "
        "CREATE statements and the like follow it, which run the same either way",
        "nothing; remove the pragma if it misleads readers into thinking keys are on",
        "runners that wrap each file in a transaction (golang-migrate, goose, dbmate, diesel, "
        "drizzle, sqlx) on a set whose keys are off",
    ),
    Rule(
        "MH111",
        "not_idempotent",
        "error",
        "the file cannot safely run twice, and it can run twice",
        "the set is applied without a tracking table, or the file runs outside a "
        "transaction, so a retry after a failure runs it again",
        "guard each statement (IF NOT EXISTS, INSERT OR IGNORE, WHERE NOT EXISTS)",
        'untracked sets (applied = "untracked"; the sqlite target\'s default), and under any '
        "runner a file outside a transaction (goose NO TRANSACTION, dbmate transaction:false, "
        "sqlx -- no-transaction, diesel run_in_transaction = false, postgrator, a "
        "self-managed file) that rows can fail half-way and whose runner simply runs it "
        "again next time (MH113 where the runner halts, MH112 where no row can), and "
        "Flyway's repeatable R__ files, which Flyway re-runs whenever their checksum changes, "
        "and Liquibase changesets marked runOnChange:true (re-run when changed) or "
        "runAlways:true (re-run on every update)",
    ),
    Rule(
        "MH113",
        "not_idempotent",
        "warning",
        "the file cannot safely run twice and runs outside a transaction, under a runner "
        "that halts on a failed file until a person resolves it, or that records the file "
        "before running it",
        "a failure half-way leaves the file partly applied; the runner refuses to go on "
        "(golang-migrate's dirty flag, Prisma's failed migration, Flyway's failed entry) or "
        "skips the file from then on (bun), and the retry after the manual fix runs the "
        "first statements again",
        "guard each statement (IF NOT EXISTS), or undo the partial changes by hand before "
        "marking the file rolled back",
        "golang-migrate under x-no-tx-wrap, Prisma (never wraps), Flyway files it runs "
        "outside a transaction, bun's files not named .tx.up.sql",
    ),
    Rule(
        "MH112",
        "not_idempotent",
        "note",
        "the file cannot safely run twice; its runner records it and never re-runs it",
        "only a manual re-run (sqlite3 < file, wrangler d1 execute --file) can hurt",
        "guard the statements if the file may ever be run by hand",
        "tracked sets (d1, golang-migrate, goose, dbmate, sqlx, diesel) whose runner wraps the "
        "file in a transaction, and under any tracking runner a file all-or-nothing by itself "
        "(one statement, which SQLite applies whole, or its own BEGIN … COMMIT), or one that "
        "only rows could fail half-way and none can: no statement after the first that cannot "
        "run twice (bun: after the first) reads a row (CREATE TABLE, a plain index, an index "
        "or literal seed on a table the file made, a rename, an ADD COLUMN without CHECK, a "
        "column it adds and fills with a unique key between fixed strings, and its UNIQUE "
        "index)",
    ),
    Rule(
        "MH121",
        "missing_rollback",
        "error",
        "the migration has no rollback, or an empty one, in a set that keeps rollbacks",
        "the set promises a way back that this step does not have",
        "write the rollback, or declare the step irreversible in a comment in it",
        'sets that keep rollbacks (rollback_policy = "required", or at least half the '
        "migrations have one)",
    ),
    Rule(
        "MH122",
        "missing_rollback",
        "note",
        "the migration has no rollback (the set is forward only)",
        "recovery means restoring a backup (D1 Time Travel on D1)",
        "nothing, if forward-only is the policy",
        'forward-only sets (rollback_policy = "optional", or fewer than half the migrations '
        "have one)",
    ),
    Rule(
        "MH123",
        "missing_rollback",
        "note",
        "the rollback declares the step irreversible, or its undo a deliberate no-op",
        "rolling back past this step means restoring a backup",
        "nothing: it is listed in the reversibility matrix",
        "any runner: the empty rollback's comments say the step is irreversible or that "
        'the rollback is a no-op on purpose ("-- No-op", "nothing to undo")',
    ),
    Rule(
        "MH125",
        "missing_rollback",
        "note",
        "the migration has no rollback, and only inserts, updates or deletes rows (beside "
        "PRAGMAs, SELECTs and scratch tables it drops or makes TEMP)",
        "the schema is the same before and after it, so there is nothing in it to undo; the "
        "previous version's code runs against it as it is",
        "nothing; write a rollback only if the rows it changed must be restored",
        "any runner: goose, golang-migrate and friends run an absent rollback as a no-op",
    ),
    _unused(
        "MH126",
        "missing_rollback",
        "the migration has no rollback, and the application never runs rollbacks",
        "note",
    ),
    Rule(
        "MH124",
        "misnamed_rollback",
        "warning",
        "the down file's name differs from its up file's beyond the version",
        "the runner pairs them by version alone, so a typo (0097_artiface.up.sql beside "
        "0097_artifact.down.sql) hides which rollback belongs to which migration, and a "
        "renamed or copied file can roll back the wrong change",
        "rename one so both read NNN_<same name>.up.sql / .down.sql",
        "golang-migrate, sqlx",
    ),
    Rule(
        "MH131",
        "rollback_error",
        "error",
        "the rollback fails",
        "the way back is broken exactly when it is needed",
        "run the rollback on a copy of this version and fix the failing statement",
    ),
    Rule(
        "MH135",
        "rollback_error",
        "warning",
        "the rollback stops on purpose: its own guard refused the data",
        "rolling back past this step is impossible until the data is fixed; the guard keeps "
        "the rollback from destroying rows the previous schema cannot hold",
        "move or remove the rows the guard names, or restore a backup",
        "any runner: the failing statement inserts into a TEMP or scratch table of the "
        "rollback whose CHECK or NOT NULL exists to abort",
    ),
    Rule(
        "MH132",
        "rollback_schema_drift",
        "error",
        "after the rollback the schema differs from the previous version",
        "the next deploy of this migration meets objects it does not expect",
        "drop or restore what the details list in the rollback",
    ),
    Rule(
        "MH133",
        "reapply_error",
        "error",
        "the migration fails when applied again after its rollback",
        "roll back and forward again (a redeploy) breaks",
        "make the rollback remove everything the migration creates",
    ),
    Rule(
        "MH134",
        "reapply_schema_drift",
        "error",
        "apply, roll back, apply gives another schema than apply",
        "a redeploy leaves the database in a state no fresh database has",
        "make the rollback exact",
    ),
    _unused("MH136", "rollback_error", "a rollback the application never runs fails"),
    _unused(
        "MH137",
        "rollback_schema_drift",
        "after a rollback the application never runs, the schema differs from the previous version",
    ),
    _unused(
        "MH138",
        "reapply_error",
        "the migration fails when applied again after a rollback the application never runs",
    ),
    _unused(
        "MH139",
        "reapply_schema_drift",
        "apply, roll back, apply gives another schema, through a rollback the application "
        "never runs",
    ),
    Rule(
        "MH130",
        "rollback_schema_drift",
        "warning",
        "after the rollback the schema differs from the previous version only cosmetically: "
        "the columns' order, a declared type spelt otherwise with the same behaviour, or "
        "identifier case or quoting",
        "nothing reads the difference: every statement of the set that can still run names "
        "its columns, and both type spellings have one SQLite affinity that no rowid alias, "
        "STRICT table or driver (DATE/DATETIME/TIMESTAMP/BOOLEAN/JSON) tells apart; a later "
        "diff of the schema, or a new INSERT without a column list, will still see it",
        "rebuild the table in the rollback with the columns in their original order and "
        "their original declared types",
        "any runner, when no file of the set that can still run (and no trigger) relies on "
        "the column order: INSERT INTO t VALUES / INSERT INTO t SELECT without a column "
        "list, or SELECT * copied into a table (a statement sqlglot cannot read that may "
        "copy rows counts as relying on every table it names); otherwise it stays MH132",
    ),
    Rule(
        "MH129",
        "reapply_schema_drift",
        "warning",
        "apply, roll back, apply gives a schema that differs from apply only cosmetically: "
        "the columns' order, a declared type spelt otherwise with the same behaviour, or "
        "identifier case or quoting",
        "a redeployed database stores, checks and returns the same values as a fresh one; "
        "only its text differs (see MH130)",
        "make the rollback rebuild the table exactly as the version before had it",
        "any runner, under the same conditions as MH130; otherwise it stays MH134",
    ),
    Rule(
        "MH141",
        "data_loss",
        "error",
        "rows or values are lost or destroyed",
        "production data is gone after the deploy (or after the rollback)",
        "copy every row and column across the rebuild; make the rollback keep the data",
    ),
    Rule(
        "MH142",
        "data_loss",
        "warning",
        "values are rewritten by an expression the file states on purpose",
        "a deliberate change that keeps what the rows held; worth a second look",
        "nothing if intended; suppress with the reason",
        "any runner, when the file's own SQL states the rewrite (an expression in a copy's "
        "select list, a table dropped and re-created by name, a rebuild whose copy the file "
        "shows commented out, the children such a table takes with it under keys on) and "
        "no value is destroyed",
    ),
    Rule(
        "MH143",
        "data_loss",
        "warning",
        "rows are dropped because the new schema forbids them",
        "every lost row is one the table after the step refuses (NULL under a new NOT NULL, "
        "a duplicate under a new key, a value outside a new CHECK, an orphan under a new "
        "foreign key): the file drops them by design of its new constraints",
        "nothing if the rows are garbage; otherwise repair them (fill, merge, re-parent) "
        "before the rebuild copies the table",
        "any runner, when SQLite refuses each lost row in the new table (tried in a "
        "savepoint, with the set's foreign-keys setting) by a constraint the step added",
    ),
    _hooked(
        "MH144",
        "data_loss",
        "rows or values are lost, but a hook the application runs before the file may "
        "change those rows first (unverified)",
    ),
    Rule(
        "MH145",
        "data_loss",
        "warning",
        "a rollback loses rows of a table its own deploy created",
        "the migration shipped in one commit with the file that creates the table, so no "
        "release ran at the versions between them: rolling the deploy back to the release "
        "before it removes the table and its rows anyway; only a rollback that stops inside "
        "the deploy, at a schema no release ran, keeps what this rollback loses",
        "nothing if the deploy is rolled back as a whole; otherwise make the rollback keep "
        "the rows",
        "any runner with ship groups (files one git commit added deploy together), when "
        "the table exists neither before the group nor holds rows copied from older tables",
    ),
    Rule(
        "MH147",
        "data_loss",
        "warning",
        "a history's step sets an AUTOINCREMENT counter back, and keeps every row",
        "AUTOINCREMENT promises an id is never handed out twice: after the step the ids of "
        "rows deleted before it are given to new rows, and a reference to them kept "
        "elsewhere (a URL, a cache, another database, a log) points at the new row",
        "read the table's sqlite_sequence row before the DROP and write it back after the "
        "rename (UPDATE sqlite_sequence SET seq = … WHERE name = 'the_table')",
        "any runner, from the history fuzzer only (a delete of the newest row before the "
        "rebuild shows it); lint's MH219 names the same rebuild",
    ),
    Rule(
        "MH148",
        "data_loss",
        "error",
        "a file's UPDATE or copy stores fractional REAL values in an INTEGER column",
        "INTEGER affinity keeps a REAL that has a fraction as it is (19.99 * 100 is "
        "1998.9999999999998): readers of whole numbers refuse the row (Go's database/sql "
        "into int64, rusqlite's get::<i64>) or show and cut the fraction (JavaScript, a "
        "later CAST making it 1998); nothing fails when the file runs",
        "wrap the computed value in ROUND() (or CAST(ROUND(…) AS INTEGER)), or keep the "
        "column REAL if it holds fractions",
        "all (not a STRICT table, which refuses the value)",
    ),
    _unused(
        "MH146",
        "data_loss",
        "a rollback the application never runs, or the re-apply after it, loses rows",
    ),
    Rule(
        "MH151",
        "fk_violation",
        "error",
        "rows break a foreign key after the step",
        "the next write to those rows fails, or joins lose rows",
        "delete or fix the orphans in the migration, or keep the parent rows",
    ),
    _hooked(
        "MH154",
        "fk_violation",
        "rows break a foreign key after the step, but a hook the application runs before "
        "the file may change those rows first (unverified)",
    ),
    _unused(
        "MH155",
        "fk_violation",
        "rows break a foreign key after a rollback the application never runs, or the "
        "re-apply after it",
    ),
    Rule(
        "MH157",
        "fk_violation",
        "warning",
        "rows break a foreign key after the step, but no connection of the application "
        "enforces foreign keys",
        "nothing fails: neither the migration connection nor the application's own "
        "connections turn PRAGMA foreign_keys on, so the key is inert; the rows and keys are "
        "inconsistent and would break the day keys are turned on (joins already miss the "
        "orphans)",
        "delete or fix the orphans in the migration before anyone turns keys on; nothing "
        "urgent otherwise",
        "runners whose migration connection has keys off (--foreign-keys off) in an "
        'application that serves with keys off too (application_foreign_keys = "off", '
        "the default when the migration connection has them off); never d1",
    ),
    Rule(
        "MH152",
        "integrity_error",
        "error",
        "PRAGMA integrity_check fails after the step",
        "the database file is corrupt",
        "never write sqlite_master by hand; rebuild instead",
    ),
    _unused(
        "MH156",
        "integrity_error",
        "PRAGMA integrity_check fails after a rollback the application never runs, or the "
        "re-apply after it",
    ),
    Rule(
        "MH158",
        "dangling_reference",
        "error",
        "the migration applies, but leaves a view or trigger whose body names a table or "
        "column that does not exist, or that SQLite cannot compile (an ambiguous column, a "
        "built-in function called with the wrong number of arguments)",
        "SQLite checks a view or trigger body only when it is used: every write that fires "
        "the trigger (or every read of the view) fails in production, and so does every "
        "later ALTER TABLE … RENAME, which re-checks the whole schema ('error in trigger "
        "…'); every test database applies the file cleanly",
        "create the table the body names first (or in the same file), or re-create the "
        "view or trigger after the rebuild or rename that removed what it reads",
    ),
    Rule(
        "MH159",
        "write_refused",
        "error",
        "the migration applies, but leaves a trigger whose RAISE refuses every row tried "
        "that the table's other constraints accept (its WHEN, or the WHERE or CASE around "
        "its RAISE, holds for every ordinary row)",
        "the condition was meant to refuse some rows and refuses all of them: the "
        "application's next INSERT into the table fails, and every one after it; every "
        "test database applies the file cleanly, and generated rows the trigger refuses "
        "are thrown away unseen",
        "fix the condition (it is usually the wrong way round: WHEN NEW.qty < 0 for 'no "
        "negative quantities'); a table meant to be read-only says so with an "
        "unconditional RAISE, which is not reported",
    ),
    Rule(
        "MH153",
        "missing_fk_index",
        "warning",
        "a foreign key has no covering index",
        "every delete or key update of the parent scans the child table",
        "CREATE INDEX on the child's foreign-key columns, with the parent column's COLLATE "
        "where it has one (SQLite's lookup compares under it)",
        "runners where a connection enforces foreign keys: d1 always, elsewhere the "
        "migration connection (--foreign-keys on) or the application's own "
        '(application_foreign_keys = "on"); never an error (the result is right, only '
        "slow)",
    ),
    Rule(
        "MH161",
        "engine_divergence",
        "error",
        "the d1 emulation and a real local D1 disagree",
        "what the checks proved may not hold on D1",
        "report it; check the file with --engine miniflare",
    ),
    Rule(
        "MH171",
        "verify_error",
        "error",
        "the change's verify script fails right after the change was deployed",
        "sqitch deploy --verify (and sqitch verify) fail: the database is not what the "
        "change promises",
        "make the deploy script create what verify/<change>.sql checks, or fix the check",
        "sqitch",
    ),
    Rule(
        "MH181",
        "sandbox_escape",
        "error",
        "the migration would write outside the database (ATTACH, VACUUM INTO, "
        "load_extension(), a pragma naming a folder)",
        "the file reaches another file than the database it migrates: under runners that allow "
        "it, a deploy can change or create files nobody reviews (check refuses the statement, "
        "so nothing after it in the file is checked); D1 refuses it and the deploy fails",
        "keep migrations inside their database: copy data with INSERT … SELECT from tables of "
        "the same database, take backups outside the migration set",
    ),
    Rule(
        "MH182",
        "statement_timeout",
        "error",
        "a statement of the migration runs longer than the statement timeout",
        "the deploy hangs holding the write lock (an unbounded recursive CTE never ends)",
        "bound the recursion (WHERE n < …, LIMIT); if it is only slow, raise --statement-timeout",
    ),
)

RULES: Final[dict[str, Rule]] = {rule.code: rule for rule in _CHECK_RULES}


def register(*rules: Rule) -> None:
    """Add rules (lint's, a new check's) to the catalogue; a code is never redefined."""
    for rule in rules:
        known = RULES.get(rule.code)
        if known is not None and known != rule:
            message = f"finding code {rule.code} is already {known.kind}"
            raise ValueError(message)
        RULES[rule.code] = rule


register(
    *(
        Rule(code, kind, cast("Severity", severity), title, why, fix, runners)
        for code, kind, severity, title, why, fix, runners, _ in LINT_RULES
    )
)


def rules_for(kind: str) -> list[Rule]:
    """The rules of one finding kind, most severe first."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted((r for r in RULES.values() if r.kind == kind), key=lambda r: order[r.severity])


def default_rule(kind: str) -> Rule:
    """The rule a finding of ``kind`` falls under when nothing makes it less severe."""
    rules = rules_for(kind)
    if not rules:
        message = f"no finding code for kind {kind!r}"
        raise KeyError(message)
    return rules[0]


def severity_named(name: str) -> Severity:
    """``name`` as a :data:`Severity` (``fail_on``, ``--fail-on``); an unknown name is a bug."""
    for severity in SEVERITIES:
        if severity == name:
            return severity
    message = f"unknown severity {name!r} (choose one of {', '.join(SEVERITIES)})"
    raise ValueError(message)


def at_least(severity: Severity, level: Severity) -> bool:
    """Whether ``severity`` is ``level`` or worse (``error`` > ``warning`` > ``note``)."""
    return SEVERITIES.index(severity) <= SEVERITIES.index(level)
