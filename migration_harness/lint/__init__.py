"""``migration-harness lint``: static rules over a set's files, in milliseconds, no database.

One module per rule family (destructive, data, runner, sqlite, d1, hygiene); codes and
wordings live in the one catalogue (:mod:`migration_harness.report.lint_rules`).
"""

from __future__ import annotations

from migration_harness.lint.run import RULES, lint_file, lint_set, lints_tracked, target_sqlite

__all__ = ["RULES", "lint_file", "lint_set", "lints_tracked", "target_sqlite"]
