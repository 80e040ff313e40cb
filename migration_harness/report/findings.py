"""The records a check run produces: findings, per-migration facts, and run statistics.

Kept apart from the checks that make them and the report that renders them, so the CLI,
the pytest plugin and the regression writer all read one shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

from migration_harness.report.catalogue import RULES, SEVERITIES, Severity, at_least, default_rule

SCHEMA_VERSION: Final = 2

KINDS: Final = (
    "apply_error",
    "not_idempotent",
    "missing_rollback",
    "misnamed_rollback",
    "rollback_error",
    "rollback_schema_drift",
    "reapply_error",
    "reapply_schema_drift",
    "data_loss",
    "fk_violation",
    "integrity_error",
    "dangling_reference",
    "write_refused",
    "missing_fk_index",
    "engine_divergence",
    "runner_conflict",
    "verify_error",
    "sandbox_escape",
    "statement_timeout",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One defect, with the smallest example that shows it.

    Attributes:
        kind: one of :data:`KINDS`.
        migration: the migration's label (``0007_clerk_integration``); ``None`` for
            set-wide findings.
        message: what is wrong, in words.
        details: supporting lines (schema differences, lost rows).
        example: the shrunk dataset and the steps that reproduce the finding.
        direction: ``apply`` or ``rollback`` for ``data_loss`` and ``runner_conflict``.
        check: the check that found it (``rollback_keeps_data``).
        code: its rule in :mod:`~migration_harness.report.catalogue` (``MH141``); empty:
            the kind's most severe rule, filled in on construction.
        file: the migration file it is about (as the set names it), when one is.
        line: the 1-based line of ``statement`` in ``file``, when known.
        statement: the statement it is about, when one is.
        suppressed: why a suppression (inline, config, baseline) silenced it; empty when
            it stands. Suppressed findings are listed, never dropped.

    """

    kind: str
    migration: str | None
    message: str
    details: tuple[str, ...] = ()
    example: dict[str, Any] = field(default_factory=dict)
    direction: str | None = None
    check: str = ""
    code: str = ""
    file: str | None = None
    line: int | None = None
    statement: str | None = None
    suppressed: str = ""

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", default_rule(self.kind).code)
        elif RULES[self.code].kind != self.kind:
            message = f"finding code {self.code} is not a {self.kind} code"
            raise ValueError(message)

    @property
    def severity(self) -> Severity:
        """``error``, ``warning`` or ``note``: the severity of the finding's rule."""
        return RULES[self.code].severity

    def to_json(self) -> dict[str, Any]:
        """The JSON contract: kind, code, severity, migration, message, example, details."""
        data = asdict(self)
        data["details"] = list(self.details)
        data["severity"] = self.severity
        return data

    def headline(self) -> str:
        """One line: code, severity, kind, migration, message, file, line, suppression.

        How notes and suppressed findings are printed unless ``check --verbose``.
        """
        why = f" (suppressed: {self.suppressed})" if self.suppressed else ""
        return self._title() + why

    def _title(self) -> str:
        """Code, severity, kind, migration, message and where: the first line of both forms."""
        where = f" in {self.migration}" if self.migration else ""
        at = f" at {self.file}:{self.line}" if self.file and self.line else ""
        return f"{self.code} {self.severity}: {self.kind}{where}: {self.message}{at}"

    def render(self) -> str:
        """Titled blocks, like pytest-alembic's failures: what, details, example."""
        lines = [self._title()]
        if self.suppressed:
            lines.append(f"(suppressed: {self.suppressed})")
        if self.details:
            lines += ["", "Details:"] + [f"  - {d}" for d in self.details]
        if self.example.get("sql"):
            lines += ["", "Minimal example (rows inserted first):"]
            lines += [f"  {line}" for line in str(self.example["sql"]).splitlines()]
        if self.example.get("steps"):
            lines += ["", "Steps:"] + [
                f"  {i}. {s}" for i, s in enumerate(self.example["steps"], start=1)
            ]
        if self.example.get("replay"):
            lines += ["", f"Replay: {self.example['replay']}"]
        return "\n".join(lines)


@dataclass(slots=True)
class MigrationInfo:
    """What the run measured about one migration (the reversibility matrix row).

    Attributes:
        reversibility: ``reversible`` (rollback restores everything that existed before),
            ``lossy`` (rollback drops data added to objects that existed before),
            ``irreversible`` (no working rollback, or the migration itself destroys data).
        expected_loss: rows and cells that rolling back drops with the objects the migration
            created (largest seen in one example).
        rollback_loss: rows and cells of objects that existed before the migration that
            rolling it back lost (largest seen in one example; each is a ``data_loss``).
        apply_loss: rows and cells the migration itself drops with tables/columns it removes.
        reasons: why the matrix says what it says, in words (empty: reversible), decided
            by :mod:`~migration_harness.checks.matrix` from the whole run.
        rerunnable: whether the file can be executed twice by nature; ``unguarded`` lists
            the statements SQLite cannot guard (ALTER TABLE, rebuilds).
        operations: irreversible operations found in the file (DROP TABLE, DROP COLUMN …).
        reached: False when an earlier migration fails to apply: this version cannot be
            built, so only what needs no database (its files' syntax, its rollback's
            presence) was checked. ``results`` then says ``not reached``.

    """

    version: int
    name: str
    reversibility: str = "reversible"
    expected_loss: dict[str, int] = field(default_factory=lambda: {"rows": 0, "cells": 0})
    apply_loss: dict[str, int] = field(default_factory=lambda: {"rows": 0, "cells": 0})
    rollback_loss: dict[str, int] = field(default_factory=lambda: {"rows": 0, "cells": 0})
    reasons: list[str] = field(default_factory=list)
    rerunnable: bool = True
    unguarded: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    results: dict[str, str] = field(default_factory=dict)
    reached: bool = True

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return asdict(self)


@dataclass(slots=True)
class Stats:
    """How much work the run did (``stats`` in the JSON contract)."""

    examples: int = 0
    rows_generated: int = 0
    rows_rejected: int = 0
    rows_inserted: int = 0
    rows_failed: int = 0
    seconds: float = 0.0

    @property
    def yield_rate(self) -> float:
        """Share of generated rows that inserted without a constraint error."""
        attempted = self.rows_inserted + self.rows_failed
        return self.rows_inserted / attempted if attempted else 1.0

    def to_json(self) -> dict[str, Any]:
        """Plain data for ``--json``, with the yield figure."""
        data = asdict(self)
        data["seconds"] = round(self.seconds, 3)
        data["yield"] = round(self.yield_rate, 4)
        return data


@dataclass(slots=True)
class CheckRun:
    """Everything one ``check`` produced.

    Attributes:
        set_path: the set checked, as the user named it.
        target: the target's name.
        foreign_keys: whether the target's connection enforced foreign keys (its default
            or ``--foreign-keys``): the same file can lose data with them on and not off.
        profile: the Hypothesis profile used; ``seed`` the seed it ran with (``None``:
            random, as ``dev`` without ``--seed``).
        forward_only: the set has no rollback at all (checked forward, reported once).
        fail_on: the lowest severity that fails the run (``error`` by default).
        tracked: production records applied files (``applied = "tracked"``).
        context: what the shells add to the JSON (``baseline``: file, count and stale
            entries; ``since``: the revision and the migrations judged).
        stopped: why versions could not be built from some migration on (it fails, or it
            is a Go migration); empty when every version was built.

    """

    set_path: str
    layout: str
    target: str
    profile: str
    seed: int | None
    findings: list[Finding]
    migrations: list[MigrationInfo]
    stats: Stats
    forward_only: bool = False
    foreign_keys: bool = True
    fail_on: Severity = "error"
    tracked: bool = True
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def standing(self) -> list[Finding]:
        """The findings no suppression accepted: only these can fail the run."""
        return [f for f in self.findings if not f.suppressed]

    @property
    def failing(self) -> list[Finding]:
        """The findings that fail the run: standing (not suppressed), at the fail level."""
        return [f for f in self.findings if not f.suppressed and at_least(f.severity, self.fail_on)]

    stopped: str = ""

    @property
    def exit_code(self) -> int:
        """0 when clean at the fail level, 1 when a standing finding reaches it."""
        return 1 if self.failing else 0

    def counts(self) -> dict[str, int]:
        """Standing findings per severity, and how many are suppressed."""
        counts: dict[str, int] = {s: 0 for s in SEVERITIES}
        for finding in self.findings:
            if not finding.suppressed:
                counts[finding.severity] += 1
        counts["suppressed"] = sum(bool(f.suppressed) for f in self.findings)
        return counts

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` contract (``report/check.schema.json``): findings, migrations, stats."""
        from migration_harness import __version__

        return {
            "schema_version": SCHEMA_VERSION,
            "harness_version": __version__,
            "set": self.set_path,
            "layout": self.layout,
            "target": self.target,
            "foreign_keys": self.foreign_keys,
            "profile": self.profile,
            "seed": self.seed,
            "forward_only": self.forward_only,
            "applied": "tracked" if self.tracked else "untracked",
            "fail_on": self.fail_on,
            "exit_code": self.exit_code,
            "counts": self.counts(),
            "stopped": self.stopped,
            "findings": [f.to_json() for f in self.findings],
            "migrations": [m.to_json() for m in self.migrations],
            "stats": self.stats.to_json(),
            **self.context,
        }
