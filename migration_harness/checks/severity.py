"""Deciding each finding's code: what it means under the set's own runner.

A check proves a fact (running the file twice fails; a migration has no rollback); whether
that fact can hurt production depends on how the set is applied. This step sees the target
and the set and picks the catalogue rule (:mod:`~migration_harness.report.catalogue`), so an
error always means production can go wrong:

- ``not_idempotent`` is MH111 (error) where the file can really run twice: the set is applied
  untracked, the file runs outside a transaction (a failure half-way leaves it partly
  applied and the retry runs the first half again), or it is a repeatable file its runner
  re-runs whenever it changes (Flyway's ``R__``); else MH112 (note).
- ``missing_rollback`` is MH121 (error) where the set keeps rollbacks (``rollback_policy``,
  or at least half its migrations have one), MH122 (note) in a forward-only set, MH123
  (note) when the rollback says in comments that the step is irreversible by design, MH125
  (note) when the file only inserts, updates or deletes rows (nothing in the schema to undo).
- ``apply_error``/``rollback_error`` is MH105/MH135 (warning) when, on data, a constraint
  fails on the file's own guard (an insert into a TEMP or scratch table whose CHECK or NOT
  NULL exists to abort while the data is not ready), else MH101/MH131.
- ``runner_conflict`` is MH102 (error) when the checks saw its consequence: another finding
  of the same step and direction (lost data, a broken key, a failure) whose example, run
  again with the file's pragmas honoured, ends otherwise
  (:mod:`~migration_harness.checks.counterfactual`); else MH103 (warning). A failure
  elsewhere in the file is no consequence of a pragma nothing depends on.
  A loss or failure the step's new constraints explain (MH104, MH143), a guard (MH105, MH135)
  or a rewrite the file states (MH142) is no such effect. A conflict that is only
  ``PRAGMA foreign_keys = ON`` where keys stay off is never an error: MH108 (note) when
  nothing after the pragma can depend on keys, else MH103 (a pragma asking for the value
  in effect is no conflict at all, :mod:`~migration_harness.sets.fkpragmas`).
- an error the file shows on generated rows (MH101, MH141, MH151 of ``apply_keeps_data``)
  is MH106/MH144/MH154 (warning) when the config names a pre-migration hook for it
  (:mod:`~migration_harness.sets.hooks`): the application's code runs on the rows first.
- ``rollback_schema_drift``/``reapply_schema_drift`` arrive already decided: MH130/MH129
  (warning) when every difference is cosmetic, else MH132/MH134; the round trip knows the
  differences and which files can still run (:mod:`~migration_harness.checks.drift`).
- a rollback-side error (the rollback fails or drifts, the re-apply after it fails or
  drifts, rows are lost or keys broken after it, a pragma it relies on is ignored; a
  history that rolls it back) of a migration whose rollback production never runs
  (``production_rollbacks``, :mod:`~migration_harness.sets.rollbackuse`) is a warning
  (MH107, MH136-MH139, MH146, MH155, MH156), its missing rollback a note (MH126). Forward
  findings never change.
- an ``fk_violation`` (MH151, and its hooked or unused-rollback variants) where no connection
  of the application enforces foreign keys (the migration connection's ``foreign_keys`` and
  the serving connections' ``application_foreign_keys`` are both off) is MH157 (warning):
  nothing fails, in the deploy or later; the rows are inconsistent and would break the day
  keys are turned on.

It also fills ``file``/``line``/``statement`` from what the checks recorded, so the JSON and
SARIF point at the statement.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final

from migration_harness.checks.retry import fails_only_early, rerun_failure
from migration_harness.checks.statements import is_data_only, is_guard
from migration_harness.errors import HarnessError
from migration_harness.report.findings import Finding
from migration_harness.schema.model import Schema
from migration_harness.sets.discovery import Migration, MigrationSet
from migration_harness.sets.plans import FilePlan
from migration_harness.sets.rollbackuse import ALWAYS, RollbackUse
from migration_harness.sets.sql import Statement, split_statements
from migration_harness.sets.targets import Target

# Kinds that show what an ignored statement (PRAGMA foreign_keys=OFF, BEGIN) let happen.
CONSEQUENCES: Final = frozenset(
    {"data_loss", "fk_violation", "integrity_error", "apply_error", "rollback_error"}
)
# Consequences the step's own new constraints explain (rows the new schema forbids, a
# NOT NULL/CHECK on rows the earlier schema allowed): no ignored pragma caused them.
BY_DESIGN: Final = frozenset({"MH104", "MH105", "MH135", "MH142", "MH143"})
_ROLLBACK_KINDS: Final = frozenset(
    {"rollback_error", "rollback_schema_drift", "reapply_error", "reapply_schema_drift"}
)
# Comments of an empty rollback that say the step is one-way, or its undo a no-op, on purpose.
_IRREVERSIBLE: Final = re.compile(
    r"irreversible|not\s+reversible|cannot\s+be\s+(?:undone|reversed|rolled\s+back)|"
    r"can'?t\s+be\s+(?:undone|reversed|rolled\s+back)|forward[\s-]only|one[\s-]way|"
    r"no\s+(?:rollback|down\s+migration)|intentionally\s+(?:empty|blank|left)|"
    # "-- No-op", "-- noop because email was optional before": the author says so on purpose
    r"\bno[\s-]?op\b|nothing\s+to\s+(?:undo|revert|roll\s*back)",
    re.IGNORECASE,
)
# An error on generated rows, when the application's own code runs before the file.
_HOOKED: Final = {"MH101": "MH106", "MH141": "MH144", "MH151": "MH154"}
# A failure the file provokes on purpose, by kind: its warning code.
_GUARDED: Final = {"apply_error": "MH105", "rollback_error": "MH135"}
# A rollback-side error about a rollback production never runs: its warning (note) code.
_UNUSED: Final = {
    "runner_conflict": "MH107",
    "missing_rollback": "MH126",
    "rollback_error": "MH136",
    "rollback_schema_drift": "MH137",
    "reapply_error": "MH138",
    "reapply_schema_drift": "MH139",
    "data_loss": "MH146",
    "fk_violation": "MH155",
    "integrity_error": "MH156",
}
# A broken foreign key no connection of the application enforces.
UNENFORCED_KEYS: Final = "MH157"
# Checks every finding of which is seen after the migration's rollback ran.
_AFTER_ROLLBACK: Final = frozenset({"rollback", "rollback_keeps_data"})
_LINE: Final = re.compile(r"\bline (\d+):")
# What honouring a conflicting file changes on another finding's example (None: nothing).
Counterfactual = Callable[[Finding, Finding], str | None]


def classify(
    findings: Sequence[Finding],
    mset: MigrationSet,
    target: Target,
    *,
    rollback_policy: str | None = None,
    related: Iterable[Finding] = (),
    counterfactual: Counterfactual | None = None,
    rollbacks: RollbackUse = ALWAYS,
    schema_before: Callable[[Migration], Schema | None] | None = None,
) -> list[Finding]:
    """``findings`` with their codes decided and their location filled in.

    Args:
        findings: what the checks found.
        mset: the set they are about.
        target: the runner's rules (``tracked``: whether files can run twice).
        rollback_policy: ``required``/``optional``; ``None``: required when at least
            half the migrations of the set have a rollback.
        related: other findings of the same run (a runner conflict's consequences may be
            found by another check than the one that found the conflict).
        counterfactual: re-runs an effect's example with the conflicting file honoured
            and says what differs (:func:`~migration_harness.checks.counterfactual.
            counterfactual_for`); ``None`` (no engine at hand): any effect counts.
        rollbacks: whose rollbacks production runs (``production_rollbacks``); the
            rollback-side errors of the others become warnings.
        schema_before: the schema each migration's forward file starts on, where built
            (an idempotency finding reads it: :func:`_fails_only_early`).

    """
    by_label = {m.label: m for m in mset.migrations}
    seen = [*findings, *related]
    required = _rollbacks_required(mset, rollback_policy)
    out = []
    for finding in findings:
        migration = by_label.get(finding.migration or "")
        if migration is not None:
            schema = schema_before(migration) if schema_before is not None else None
            finding = _decide(finding, migration, target, required, seen, counterfactual, schema)
            finding = _after_hook(finding, migration, seen)
            finding = _unused_rollback(finding, migration, mset, rollbacks)
            finding = _unenforced_keys(finding, target)
            finding = locate(finding, migration, mset.root)
        out.append(finding)
    return out


def _decide(
    finding: Finding,
    migration: Migration,
    target: Target,
    required: bool,
    seen: Sequence[Finding],
    counterfactual: Counterfactual | None = None,
    schema: Schema | None = None,
) -> Finding:
    """The finding under the rule its kind has in this set."""
    if finding.kind == "not_idempotent":
        return _idempotency(finding, migration, target, schema)
    if finding.kind == "missing_rollback":
        if _declared_irreversible(migration):
            return _recode(
                finding, "MH123", "the rollback says the step is irreversible or a no-op on purpose"
            )
        if is_data_only(split_statements(migration.up_sql)):
            return _recode(finding, "MH125", "data-only migration; nothing in the schema to undo")
        if required:
            return _recode(finding, "MH121")
        return _recode(finding, "MH122", "the set does not keep rollbacks: restore a backup")
    if finding.kind in _GUARDED and _refused_by_guard(finding, migration):
        return _guarded(finding)
    if finding.kind == "runner_conflict":
        restore = _restores_on(finding, migration, target)
        if restore is not None:
            return restore
        return _conflict(finding, seen, counterfactual)
    return finding


def _restores_on(finding: Finding, migration: Migration, target: Target) -> Finding | None:
    """MH108/MH103 for a conflict that only asks for keys on where they stay off.

    ``None`` when the file has another conflict (an ignored ``OFF``, a ``BEGIN``): that
    one decides. Keys off is how the set runs every file, so production does nothing the
    set does not always do (an orphan it leaves is its own ``fk_violation``): never an
    error, whatever the file honoured would do (openstatus 0042, drizzle-kit's
    ``PRAGMA foreign_keys=ON`` after a rebuild on a keys-off libsql set, fails honoured:
    its next rebuild's DROP TABLE meets children). A note where nothing after the pragma
    can depend on the value (the file's trailing pragma), else a warning: a later
    statement runs with keys off where its author expected them on.
    """
    rollback = finding.direction == "rollback"
    sql = migration.down_sql if rollback else migration.up_sql
    options = migration.down_options if rollback else migration.up_options
    if sql is None:
        return None
    pragmas = target.ignored_pragmas(sql, options)
    # every conflict of the file is one of these pragmas (conflicts words each one once)
    if not pragmas or len(pragmas) != len(target.conflicts(sql, options)):
        return None
    if not all(p.restores_on for p in pragmas):
        return None
    if all(p.inert for p in pragmas):
        return _recode(finding, "MH108", "nothing after it in the file depends on keys: a no-op")
    why = "the rest of the file runs with keys off, as the set runs every file: not an error"
    return _recode(finding, "MH103", why)


def _conflict(
    finding: Finding, seen: Sequence[Finding], counterfactual: Counterfactual | None
) -> Finding:
    """MH102 where honouring the file changes what another finding of the step shows."""
    effects = [f for f in seen if f.migration == finding.migration and _shows(f, finding)]
    if counterfactual is None:
        if effects:
            return _recode(finding, "MH102", f"and the checks saw the effect: {effects[0].kind}")
        return _recode(finding, "MH103")
    for effect in effects:
        difference = counterfactual(finding, effect)
        if difference is not None:
            why = f"and it matters: {difference} (the {effect.kind} of this step)"
            return _recode(finding, "MH102", why)
    if effects:
        kinds = ", ".join(sorted({e.kind for e in effects}))
        why = f"its {kinds} ends the same with the file honoured: not caused by it"
        return _recode(finding, "MH103", why)
    return _recode(finding, "MH103")


def _after_hook(finding: Finding, migration: Migration, seen: Sequence[Finding]) -> Finding:
    """MH106/MH144/MH154 for an error the file shows on rows a hook may repair first.

    The application runs ``migration.pre_hook`` (its own code) on the database just
    before the file; no check can run it. Only what the file does to generated rows is in
    doubt: a file that fails on the empty database fails whatever the rows hold, and its
    failure on rows stays an error too. A warning found on rows (MH104: a NULL a new NOT
    NULL refuses, which stash's hook fills first) keeps its code and says so too.
    """
    if not migration.pre_hook or finding.check != "apply_keeps_data":
        return finding
    if any(
        f.kind == "apply_error" and f.check == "apply" and f.migration == finding.migration
        for f in seen
    ):
        return finding
    why = (
        f"a hook runs before this file ({migration.pre_hook}) and may change these rows "
        "first: unverified"
    )
    code = _HOOKED.get(finding.code)
    if code is not None:
        return _recode(finding, code, why)
    return _recode(finding, finding.code, why) if finding.severity == "warning" else finding


def _unused_rollback(
    finding: Finding, migration: Migration, mset: MigrationSet, rollbacks: RollbackUse
) -> Finding:
    """A rollback-side error of a rollback production never runs: a warning (MH126: note).

    Decided last, so the other rules (a conflict's effect, a guard, a hook) saw the codes
    the checks gave. Only errors move: a warning or note already says less.
    """
    code = _UNUSED.get(finding.kind)
    if code is None or finding.severity != "error":
        return finding
    unrun = _unrun_rollback(finding, migration, mset, rollbacks)
    if unrun is None:
        return finding
    return _recode(finding, code, f"the application never runs {unrun}: {rollbacks.setting}")


def _unenforced_keys(finding: Finding, target: Target) -> Finding:
    """MH157 for a broken foreign key that no connection of the application enforces.

    Decided after the others, so the reason a hook or an unused rollback gave stays in the
    message; the finding is still worth reading (an orphan, a key left on a renamed table),
    but nothing in production fails on it until someone turns keys on.
    """
    if finding.kind != "fk_violation" or target.keys_enforced or finding.severity == "note":
        return finding
    why = (
        "no connection of this application enforces foreign keys: nothing fails; the rows "
        "and keys are inconsistent and would break the day keys are turned on"
    )
    return _recode(finding, UNENFORCED_KEYS, why)


def _unrun_rollback(
    finding: Finding, migration: Migration, mset: MigrationSet, rollbacks: RollbackUse
) -> str | None:
    """Which rollback production never runs that ``finding`` needs (``None``: none)."""
    if finding.check == "stateful":  # a history: reachable only if each rollback it takes is
        history = finding.example.get("history") or ()
        by_id = {m.id: m for m in mset.migrations}
        for step in history:
            rolled = by_id.get(str(step.get("migration"))) if step.get("op") == "rollback" else None
            if rolled is not None and not rollbacks.runs(rolled):
                return f"the rollback of {rolled.label} this history takes"
        return None
    if finding.kind == "missing_rollback":
        return None if rollbacks.runs(migration) else "a rollback of this migration"
    rollback_side = (
        finding.kind in _ROLLBACK_KINDS
        or finding.direction == "rollback"
        or finding.check in _AFTER_ROLLBACK
    )
    if rollback_side and not rollbacks.runs(migration):
        return "this rollback"
    return None


def _refused_by_guard(finding: Finding, migration: Migration) -> bool:
    """A constraint failure, on data, of a statement that is the file's own guard."""
    sql = migration.up_sql if finding.kind == "apply_error" else migration.down_sql
    holds_rows = bool(finding.example.get("rows")) or bool(finding.example.get("sql"))
    return (
        holds_rows  # a guard that refuses an empty database refuses every database
        and "constraint failed" in finding.message
        and is_guard(finding.statement, split_statements(sql or ""))
    )


def _guarded(finding: Finding) -> Finding:
    """MH105/MH135: the failure is the protection the file's author built in."""
    _, _, reason = finding.message.partition(": ")
    direction = "deploy" if finding.kind == "apply_error" else "rollback"
    message = (
        f"the file's own guard refused the data: {reason or finding.message}; the "
        f"{direction} stops until the data is fixed"
    )
    return dataclasses.replace(finding, code=_GUARDED[finding.kind], message=message)


def _idempotency(
    finding: Finding, migration: Migration, target: Target, schema: Schema | None = None
) -> Finding:
    """MH111 where the file can run twice in production, MH112 where its runner prevents it."""
    if not target.tracked:
        return _recode(finding, "MH111", "the set is applied untracked: any file can run again")
    if migration.runner_data.get("repeatable"):
        # Flyway records a repeatable file by its checksum, not once: every edit of it (or
        # of a placeholder it uses) makes the next migrate run it again on a database that
        # already holds what it made (flyway's "(re-)applied every time their checksum
        # changes"; ``repeatable`` in sets/layouts/flyway.py).
        return _recode(
            finding,
            "MH111",
            f"{migration.path.name} is a repeatable migration: {runner_name(target)} runs it "
            "again whenever its checksum changes, on a database that already has it",
        )
    reruns = migration.runner_data.get("reruns")
    if reruns:
        # Liquibase's runAlways:true / runOnChange:true (sets/layouts/liquibase.py): the
        # changeset is recorded, and run again all the same.
        when = "on every update" if reruns == "runAlways" else "whenever its checksum changes"
        return _recode(
            finding,
            "MH111",
            f"changeset {migration.label} is {reruns}:true: {runner_name(target)} runs it "
            f"again {when}, on a database that already has it",
        )
    try:
        plan = target.plan(migration.up_sql, str(migration.path), migration.up_options)
    except HarnessError:
        plan = None  # the runner refuses the file: apply_error says so
    wrapped = plan is None or plan.wrapped
    atomic = _atomic_by_itself(plan.statements) if plan is not None and not wrapped else None
    if atomic is not None:
        return _recode(
            finding,
            "MH112",
            f"{atomic} makes {migration.path.name} all-or-nothing and "
            f"{runner_name(target)} records it; safe unless run by hand",
        )
    early = (
        _fails_only_early(finding, plan, target, schema)
        if plan is not None and not wrapped
        else None
    )
    if early is not None:
        return _recode(
            finding,
            "MH112",
            f"{early}: a failure leaves nothing a retry cannot run again, and "
            f"{runner_name(target)} records it; safe unless run by hand",
        )
    if not wrapped and target.records_first:
        return _recode(
            finding,
            "MH113",
            f"{migration.path.name} runs outside a transaction under {target.name}, which "
            "records it applied before running it: a failure half-way leaves it partly "
            "applied and skipped by every later migrate; a retry (after deleting its "
            f"{target.tracking.table} row) runs its first statements again",
        )
    if not wrapped and target.halts_on_failure:
        return _recode(
            finding,
            "MH113",
            f"{migration.path.name} runs outside a transaction under {target.name}: a failure "
            f"half-way leaves it partly applied, and {target.name} stops until someone "
            f"resolves it ({target.halts_on_failure}); a retry then runs its first "
            "statements again",
        )
    if not wrapped:
        return _recode(
            finding,
            "MH111",
            f"{migration.path.name} runs outside a transaction under {target.name}: a retry "
            "after a failure half-way runs its first statements again",
        )
    return _recode(finding, "MH112", f"recorded by {runner_name(target)}; safe unless run by hand")


def _fails_only_early(
    finding: Finding, plan: FilePlan, target: Target, schema: Schema | None
) -> str | None:
    """Why an unwrapped file cannot fail where a retry of it would fail too (else ``None``).

    No statement after the one a second run fails at (bun: after the first) can fail on
    rows (:mod:`~migration_harness.checks.retry`). That holds whoever retries: a person
    resuming a halted run (MH113's runners), or the runner itself on its next start
    (postgrator and Platformatic run an unrecorded file again from its first statement):
    a file of two ``CREATE TABLE``s fails, if at all, at the first, and its retry runs
    cleanly.
    """
    body = [s for s in plan.statements if s.pragma is None]
    first = 0 if target.records_first else rerun_failure(body, finding.line, finding.statement)
    if first is None or not fails_only_early(body, first, schema):
        return None
    where = "its first statement" if first == 0 else f"line {body[first].line}"
    return f"no statement after {where} can fail on the rows production holds"


def _atomic_by_itself(statements: Sequence[Statement]) -> str | None:
    """What makes an unwrapped file all-or-nothing, if anything: ``None`` where nothing does.

    A file of one statement (its pragmas aside) is atomic as SQLite runs every statement
    outside a transaction in one of its own: it fails whole, and a failure leaves nothing
    for a retry to run again. So is a file in its own BEGIN ... COMMIT (:func:`_self_atomic`).
    """
    if len([s for s in statements if s.pragma is None]) == 1:
        return "its single statement (SQLite applies one statement whole or not at all)"
    if _self_atomic(statements):
        return "its own BEGIN ... COMMIT"
    return None


def _self_atomic(statements: Sequence[Statement]) -> bool:
    """Whether a file wraps every statement but its pragmas in one BEGIN ... COMMIT.

    Such a file (the 12-step rebuild recipe, a golang-migrate file under x-no-tx-wrap)
    is all-or-nothing by itself: a failure half-way leaves nothing for a retry to redo.
    """
    body = [s for s in statements if s.pragma is None]
    if len(body) < 2 or body[0].keywords[:1] != ("BEGIN",):
        return False
    if body[-1].keywords[:1] not in (("COMMIT",), ("END",)):
        return False
    return not any(s.is_transaction_control for s in body[1:-1])


def runner_name(target: Target) -> str:
    """The tool that records applied files, as a user knows it."""
    if target.d1:
        return "wrangler d1 migrations apply (d1_migrations)"
    return f"{target.tracking.runner} ({target.tracking.table})"


def _rollbacks_required(mset: MigrationSet, policy: str | None) -> bool:
    """The set keeps rollbacks: by its policy, or because at least half its migrations do."""
    if policy is not None:
        return policy == "required"
    written = sum(m.down_sql is not None for m in mset.migrations)
    return written * 2 >= len(mset.migrations)


def _declared_irreversible(migration: Migration) -> bool:
    """An empty rollback file whose comments say the step is one-way by design."""
    path = migration.down_path
    if path is None or path == migration.path or not path.is_file():
        return False
    try:
        return bool(_IRREVERSIBLE.search(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return False


def _shows(effect: Finding, conflict: Finding) -> bool:
    """Whether ``effect`` is a consequence in the direction the conflicting file runs."""
    if effect.kind not in CONSEQUENCES or effect.code in BY_DESIGN:
        return False  # the step's own doing (a stated rewrite, a guard, a new constraint)
    if effect.kind == "apply_error":
        direction = "apply"
    elif effect.kind == "rollback_error":
        direction = "rollback"
    else:
        direction = effect.direction or (
            "apply" if effect.check in ("apply", "apply_keeps_data") else "rollback"
        )
    return direction == (conflict.direction or "apply")


def _recode(finding: Finding, code: str, why: str = "") -> Finding:
    """The finding under ``code``, its message saying why when the rule needs it."""
    message = f"{finding.message} ({why})" if why else finding.message
    return dataclasses.replace(finding, code=code, message=message)


def locate(finding: Finding, migration: Migration, root: Path) -> Finding:
    """Fill ``file``, ``statement`` and ``line`` from the finding's details and the file."""
    if finding.file is not None:  # the check located it: only make the path the set's
        return dataclasses.replace(finding, file=_relative(Path(finding.file), root))
    path = _file_of(finding, migration)
    statement = finding.statement
    line = finding.line
    for detail in finding.details:
        if detail.startswith("file: "):
            path, at = _path_and_line(detail.removeprefix("file: "))
            line = line or at
        elif detail.startswith("statement: ") and statement is None:
            statement = detail.removeprefix("statement: ")
        elif line is None and (match := _LINE.match(detail) or _LINE.search(finding.message)):
            line = int(match.group(1))
    if statement is not None and line is None:
        line = _line_of(path, statement)
    return dataclasses.replace(finding, file=_relative(path, root), line=line, statement=statement)


def _path_and_line(text: str) -> tuple[Path, int | None]:
    """``migrations/0001_a.sql:3`` (how the runner names a statement's place) -> both parts."""
    name, _, number = text.rpartition(":")
    if name and number.isdigit() and not Path(text).exists():
        return Path(name), int(number)
    return Path(text), None


def _file_of(finding: Finding, migration: Migration) -> Path:
    """The file a finding is about: the rollback for rollback findings, else the migration."""
    rollback = finding.direction == "rollback" or finding.kind in _ROLLBACK_KINDS
    if finding.kind == "missing_rollback" or rollback:
        return migration.down_path or migration.path
    return migration.path


def _line_of(path: Path, statement: str) -> int | None:
    """The line where ``statement`` (as the details print it) starts in ``path``."""
    try:
        statements = split_statements(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    flat = " ".join(statement.split())
    for candidate in statements:
        if " ".join(candidate.sql.split())[: len(flat)] == flat:
            return candidate.line
    return None


def _relative(path: Path, root: Path) -> str:
    """``path`` as the set names it: relative to the set's root when it lies below."""
    resolved, base = path.resolve(), root.resolve()
    base = base if base.is_dir() else base.parent
    return resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else str(path)
