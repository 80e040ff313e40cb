"""The record of one step of a history: what the fuzzer drew, what a regression file replays.

Split out of :mod:`migration_harness.checks.history` so the plain, replayable record (to
and from JSON, one line for reports) lives apart from the database a history drives; the
state machine (:mod:`~migration_harness.checks.machine`) and the application's writes
(:mod:`~migration_harness.checks.writes`) read it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Step"]


@dataclass(frozen=True, slots=True)
class Step:
    """One replayable step of a history.

    Attributes:
        op: ``apply``, ``rollback``, ``rerun``, ``insert``, ``update`` or ``delete``.
        migration: the migration file for version moves and re-runs.
        rows: rows inserted (``insert``), as ``{"table", "values"}``.
        table / where / values: the row addressed by ``update``/``delete`` and new values.
    """

    op: str
    migration: str | None = None
    rows: tuple[dict[str, Any], ...] = ()
    table: str | None = None
    where: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """One line for reports, e.g. ``apply 0002_x.sql`` or ``insert 3 row(s)``."""
        if self.op in ("apply", "rollback", "rerun"):
            return f"{self.op} {self.migration}"
        if self.op == "insert":
            return f"insert {len(self.rows)} row(s): " + "; ".join(
                f"{r['table']}({', '.join(f'{k}={v!r}' for k, v in r['values'].items())})"
                for r in self.rows
            )
        where = ", ".join(f"{k}={v!r}" for k, v in self.where.items())
        if self.op == "update":
            sets = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
            return f"update {self.table} where {where} set {sets}"
        return f"delete from {self.table} where {where}"

    def to_json(self) -> dict[str, Any]:
        """Plain data for regression files."""
        data: dict[str, Any] = {"op": self.op}
        if self.migration:
            data["migration"] = self.migration
        if self.rows:
            data["rows"] = list(self.rows)
        if self.table:
            data["table"] = self.table
            data["where"] = self.where
        if self.values:
            data["values"] = self.values
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Step:
        """Inverse of :meth:`to_json`."""
        return cls(
            data["op"],
            data.get("migration"),
            tuple(data.get("rows", ())),
            data.get("table"),
            dict(data.get("where", {})),
            dict(data.get("values", {})),
        )
