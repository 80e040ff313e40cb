"""Rendering a check run: the terminal summary, the JSON contract, the markdown reports.

The library produces records (:mod:`~migration_harness.report.findings`); this module only
turns them into
text, so the CLI, the pytest plugin and CI artefacts show the same facts.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Final

from rich.console import Console
from rich.table import Table as RichTable

from migration_harness.report.findings import CheckRun, Finding
from migration_harness.report.outputs import replace_text
from migration_harness.report.runbook import Runbook, runbook_for
from migration_harness.report.status import StatusFacts

COLUMNS: Final = {
    "apply": ("apply_error", "runner_conflict", "sandbox_escape", "statement_timeout"),
    "idempotent": ("not_idempotent",),
    "round trip": (
        "missing_rollback",
        "misnamed_rollback",
        "rollback_error",
        "rollback_schema_drift",
        "reapply_error",
        "reapply_schema_drift",
    ),
    "data kept": ("data_loss",),
    "FK": (
        "fk_violation",
        "integrity_error",
        "dangling_reference",
        "write_refused",
        "missing_fk_index",
    ),
}


def write_json(run: CheckRun, path: Path) -> None:
    """Write the ``--json`` contract to ``path`` (``-``: standard output)."""
    text = json.dumps(run.to_json(), indent=2, default=str) + "\n"
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        replace_text(path, text)


def render(run: CheckRun, console: Console, *, verbose: bool = False) -> None:
    """The per-migration table, then each finding with its example, then a summary.

    Errors and warnings standing against the run are printed whole (details, example,
    steps). Notes and suppressed findings take one line each unless ``verbose``: on a long
    history they are hundreds (a note for every file its runner records and never
    re-runs), and printed whole they buried the few findings a team must act on.
    """
    table = RichTable(
        title=f"{run.set_path} ({run.layout} layout, target {run.target}, "
        f"foreign keys {_on_off(run.foreign_keys)})"
    )
    table.add_column("migration")
    for column in COLUMNS:
        table.add_column(column, justify="center")
    table.add_column("reversibility")
    by_migration: dict[str | None, list[Finding]] = {}
    for finding in run.findings:
        by_migration.setdefault(finding.migration, []).append(finding)
    for info in run.migrations:
        found = by_migration.get(info.name, [])
        cells = []
        for column, kinds in COLUMNS.items():
            cell = _cell([f for f in found if f.kind in kinds]) or _ok(run, info.results, column)
            if column == "idempotent" and not info.rerunnable and cell == "ok":
                cell = "ok (ALTER)"
            cells.append(cell)
        table.add_row(info.name, *cells, info.reversibility)
    console.print(table)
    if run.forward_only:
        empty = sum(f.kind == "missing_rollback" for f in run.findings)
        console.print(
            f"note: no rollback written ({empty} empty): checked forward only"
            if empty
            else "note: forward-only set (no rollbacks): checked forward only"
        )
    unreached = not_reached_note(run)
    if unreached:
        console.print(unreached, markup=False, highlight=False)
    for line in ship_group_notes(run):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    whole: list[Finding] = []
    brief: list[Finding] = []
    for finding in run.findings:
        (whole if verbose or _whole(finding) else brief).append(finding)
    for finding in whole:
        console.print()
        # soft_wrap: the terminal wraps long lines itself, so a pasted INSERT is whole
        console.print(finding.render(), markup=False, highlight=False, soft_wrap=True)
    if brief:
        console.print()
        for finding in brief:
            console.print(finding.headline(), markup=False, highlight=False, soft_wrap=True)
        console.print(
            f"({len(brief)} note(s) or suppressed finding(s) in one line each: "
            "--verbose prints their details)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    stats = run.stats
    counts = run.counts()
    shown = ", ".join(f"{counts[s]} {s}(s)" for s in ("error", "warning", "note"))
    suppressed = f", {counts['suppressed']} suppressed" if counts["suppressed"] else ""
    console.print()
    console.print(
        f"{len(run.findings)} finding(s) ({shown}{suppressed}; failing at {run.fail_on}: "
        f"{len(run.failing)}); {stats.examples} examples, "
        f"{stats.rows_inserted} rows inserted (yield {stats.yield_rate:.1%}, "
        f"{stats.rows_rejected} candidates rejected) in {stats.seconds:.2f}s "
        f"[profile {run.profile}{'' if run.seed is None else f', seed {run.seed}'}]",
        markup=False,
        highlight=False,
    )


def _whole(finding: Finding) -> bool:
    """Whether a finding is printed with its details by default: a standing error or warning."""
    return not finding.suppressed and finding.severity != "note"


def _cell(findings: list[Finding]) -> str:
    """``FAIL`` for a standing error, ``warn``/``note`` below it, empty for none."""
    standing = {f.severity for f in findings if not f.suppressed}
    for severity, cell in (("error", "FAIL"), ("warning", "warn"), ("note", "note")):
        if severity in standing:
            return cell
    return "suppressed" if findings else ""


def not_reached_note(run: CheckRun) -> str:
    """One line naming the migrations an earlier failure kept from being checked.

    Versions after a migration that fails cannot be built, so only their files' syntax
    was judged; saying so keeps a short report from reading as a clean one.
    """
    skipped = [info.name for info in run.migrations if not info.reached]
    if not skipped:
        return ""
    names = skipped[0] if len(skipped) == 1 else f"{skipped[0]} … {skipped[-1]}"
    return (
        f"note: {len(skipped)} migration(s) not reached ({names}): {run.stopped} "
        "(the SQL files after it were only parsed)"
    )


def ship_group_notes(run: CheckRun) -> list[str]:
    """One line per group of files treated as one deploy where that changed the check.

    Files one commit (or one release) added are applied together, so tables an earlier
    one created were empty when the later ones ran; saying so explains why no loss is
    reported there.
    """
    lines = []
    for group in run.context.get("ship_groups", []):
        names = group["migrations"]
        span = ", ".join(names) if len(names) <= 4 else f"{names[0]} … {names[-1]} ({len(names)})"
        added = f"commit {group['commit'][:12]}" if group["commit"] else "no commit yet"
        added = f"release {group['release']}" if group.get("release") else added
        empty = "; ".join(f"{m}: {', '.join(t)}" for m, t in group["empty"].items())
        lines.append(
            f"note: {span} treated as one deploy ({added}): tables created within it "
            f"start empty ({empty})"
        )
    return lines


def _on_off(value: bool) -> str:
    """``on`` / ``off``, as ``--foreign-keys`` spells it."""
    return "on" if value else "off"


def _ok(run: CheckRun, results: dict[str, str], column: str) -> str:
    """``ok`` for a check that ran, ``-`` for one that did not apply."""
    ran = {
        "apply": ("apply",),
        "idempotent": ("idempotent",),
        "round trip": ("rollback",),
        "data kept": ("apply_keeps_data", "rollback_keeps_data"),
        "FK": ("apply_keeps_data", "rollback_keeps_data", "rollback"),
    }[column]
    if column == "round trip" and run.forward_only:
        return "-"
    if any(results.get(name) == "ok" for name in ran):
        return "ok"
    return "not reached" if any(results.get(name) == "not reached" for name in ran) else "-"


# --- markdown reports ------------------------------------------------------------------

STATUS_HEADER: Final = "<!-- Generated by `migration-harness report`; do not edit by hand. -->\n"


def status_markdown(facts: StatusFacts) -> str:
    """``MIGRATION_STATUS.md``: what applied, each table's smoke test, FK index coverage."""
    lines = [
        STATUS_HEADER,
        "# Migration status",
        "",
        f"Set `{facts.set_name}` ({facts.layout} layout), applied in memory under the "
        f"`{facts.target}` target (foreign keys {_on_off(facts.foreign_keys)}).",
        "",
        "## Migrations applied in order",
        "",
        "| migration | file | result | statements | rollback round trip |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in facts.migrations:
        lines.append(
            f"| `{row.name}` | `{row.file}` | {row.result} | {row.statements} | {row.round_trip} |"
        )
    lines += [
        "",
        f"## Tables at {facts.version}",
        "",
        "| table | columns | foreign keys | indexes | rows present | smoke test |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for table in facts.tables:
        lines.append(
            f"| `{table.name}` | {table.columns} | {table.foreign_keys} | "
            f"{table.indexes} | {table.rows} | {table.smoke} |"
        )
    lines += [
        "",
        "## Foreign keys and index coverage",
        "",
        f"{len(facts.coverage)} foreign keys; "
        f"{sum(1 for c in facts.coverage if not c.is_covered)} without a covering index.",
        "",
        "| foreign key | ON DELETE | covering index | query plan |",
        "| --- | --- | --- | --- |",
    ]
    for coverage in facts.coverage:
        fk = coverage.foreign_key
        index = f"`{coverage.index}`" if coverage.is_covered else "**none**"
        lines.append(f"| `{fk.describe()}` | {fk.on_delete} | {index} | {coverage.plan} |")
    lines += [
        "",
        "## Unindexed foreign keys per version",
        "",
        "| migration | unindexed foreign keys |",
        "| --- | --- |",
    ]
    for version, missing in facts.unindexed_by_version:
        lines.append(f"| `{version}` | {', '.join(f'`{m}`' for m in missing) or 'none'} |")
    lines += ["", "## Indexes", ""]
    for owner, names in facts.indexes:
        lines.append(f"- `{owner}`: {', '.join(f'`{n}`' for n in names)}")
    lines += ["", "## Errors", ""]
    lines += [f"- {e}" for e in facts.errors] or ["None."]
    return "\n".join(lines) + "\n"


def rollback_markdown(run: CheckRun) -> str:
    """``MIGRATION_ROLLBACK.md``: the settled reversibility matrix and the runner's recovery.

    Only formats: the verdicts and their reasons come from
    :mod:`~migration_harness.checks.matrix`, the commands from
    :mod:`~migration_harness.report.runbook` (the set's own runner).
    """
    book = runbook_for(run.target)
    lines = [
        "<!-- Generated by `migration-harness report` from measured check runs; "
        "do not edit by hand. -->",
        "",
        "# Migration rollback guide",
        "",
        f"Measured on `{run.set_path}` ({run.layout} layout) under the `{run.target}` target "
        f"({book.runner}, foreign keys {_on_off(run.foreign_keys)}) with the "
        f"`{run.profile}` Hypothesis profile: every rollback was run on generated data "
        "and the rows and values it lost were counted.",
        "",
        *_philosophy(run, book),
        "",
        "## Reversibility matrix",
        "",
        "*reversible*: the rollback restores the previous schema and keeps every row and "
        "value; *lossy*: the schema comes back but rows or values do not (of tables that "
        "existed before, or written into columns the migration added); *irreversible*: there "
        "is no rollback, it fails, changes nothing, leaves another schema, or the migration "
        "itself destroys data no rollback can bring back.",
        "",
        "| migration | reversibility | why | rollback loses (rows / values) | rollback drops "
        "with new objects (rows / values) | apply destroys (rows / values) | re-runnable "
        "| findings |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    kinds: dict[str, list[str]] = {}
    for finding in run.findings:
        if finding.migration:
            kinds.setdefault(finding.migration, []).append(finding.kind)
    for info in run.migrations:
        found = ", ".join(sorted(set(kinds.get(info.name, [])))) or "none"
        why = "; ".join(_cell_text(r) for r in info.reasons) or "-"
        lines.append(
            f"| `{info.name}` | **{info.reversibility}** | {why} | {_pair(info.rollback_loss)} "
            f"| {_pair(info.expected_loss)} | {_pair(info.apply_loss)} "
            f"| {'yes' if info.rerunnable else 'no'} | {found} |"
        )
    lines += [
        "",
        "Counts are the largest seen in one generated example (up to a few rows "
        "per table), so they show *whether* data goes, not how much production holds.",
        "",
        "## Irreversible operations found",
        "",
    ]
    operations = [(info.name, op) for info in run.migrations for op in info.operations]
    lines += [f"- `{name}`: `{op}`" for name, op in operations] or ["None."]
    unguarded = [(info.name, s) for info in run.migrations for s in info.unguarded]
    lines += [
        "",
        "## Statements that cannot be re-run",
        "",
        "SQLite has no `IF EXISTS` guard for these; a failed deploy must be finished "
        "by hand, not re-run.",
        "",
    ]
    lines += [f"- `{name}`: `{s}`" for name, s in unguarded] or ["None."]
    lines += ["", *_procedure(run, book), ""]
    return "\n".join(lines)


def _philosophy(run: CheckRun, book: Runbook) -> list[str]:
    """When to roll back at all, and the decision flow as a Mermaid chart."""
    undo = book.rollback_short if book.rollback and not run.forward_only else "fix forward"
    return [
        "## Rollback philosophy",
        "",
        "- In production prefer **fix-forward**: write a new migration that repairs the "
        "schema or data.",
        "- Roll back only when data corruption is happening or there is no other option, "
        f"and always back up first: {book.backup}.",
        "- Decide with the chart below; the matrix says which rollbacks are safe.",
        "",
        "```mermaid",
        "flowchart TD",
        '    start(["Something is wrong after a deploy"]) --> corrupt{"Is data being '
        'corrupted or lost?"}',
        f'    corrupt -- yes --> restore["Restore the backup ({book.restore_short})"]',
        '    corrupt -- no --> schema{"Can a new migration fix it?"}',
        '    schema -- yes --> forward["Fix forward: write and deploy a new migration"]',
        '    schema -- no --> matrix{"What does the matrix say for every migration to undo?"}',
        f'    matrix -- reversible --> rollback["Back up, then roll back: {undo}"]',
        '    matrix -- lossy --> lossy["Save the data its reasons name, or restore the backup"]',
        "    matrix -- irreversible --> restore",
        "```",
    ]


def _procedure(run: CheckRun, book: Runbook) -> list[str]:
    """The numbered steps, with the runner's own commands."""
    if run.forward_only or not book.rollback:
        undo = (
            f"This set keeps no rollbacks: {_FORWARD_ONLY}."
            if run.forward_only
            else book.no_rollback[:1].upper() + book.no_rollback[1:] + "."
        )
        step3 = undo
    else:
        step3 = f"Roll back with {book.runner}: {book.rollback}; to a version: {book.rollback_to}."
    return [
        "## Procedure",
        "",
        f"1. Back up the database: {book.backup}.",
        "2. Check the matrix above for every migration you will undo, newest first.",
        f"3. {step3}",
        "4. `migration-harness status --db FILE` (for a local copy) and `migration-harness "
        "audit` to confirm the version and the indexes.",
        f"5. If anything went wrong: {book.restore}.",
        "",
        "Rehearse first on a copy of the database: `migration-harness rollback --db COPY "
        "--to VERSION` runs the same files under the same runner rules.",
    ]


_FORWARD_ONLY: Final = "fix forward with a new migration, or restore the backup"


def _pair(loss: dict[str, int]) -> str:
    """``2 / 0`` for a loss record."""
    return f"{loss['rows']} / {loss['cells']}"


def _cell_text(text: str) -> str:
    """A reason safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
