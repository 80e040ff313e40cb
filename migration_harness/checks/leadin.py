"""Where a forward example of migration k starts: the rows production can hold when k runs.

Normally that is version ``k - 1`` with rows drawn for it. A later file of a ship group is
different: production applies the group in one go (drizzle and Prisma in one transaction,
the rest back to back), so no application ever wrote a row at ``k - 1``. The rows k meets
were written at the version deployed before the group and carried to ``k - 1`` by the
group's earlier files: their backfills (one org per user), the keys they dropped, the
columns they filled. Drawing at ``k - 1`` invented rows no deploy can hold: two volumes
named alike after an earlier file of the same commit dropped the UNIQUE name (zerobyte
0042), a user without the org the previous file gave every user (zerobyte 0037), members
of a table the group created and filled one per user (zerobyte 0041).

So such an example draws at the deployed version and runs the group's earlier files on
the rows (the *lead-in*) before k, exactly as the runner applies them; a lead-in file
that fails on the rows ends the example quietly, as that file's own example reports it.

Two exceptions, where the lead-in would stand for states the generator cannot steer the
rows into, and drawing at ``k - 1`` (any value, as before the lead-in existed) reaches
what production can hold. A lead-in that writes rows selected by a literal (alook 0065
backfills ``friendship_id`` only for approval requests ``WHERE kind = 'friend'``, which
0066's rebuild then nulls through ``ON DELETE SET NULL``): drawn rows almost never carry
the literal, so the backfilled state, and the bug, went unseen. And a lead-in that fills
a column k reads with a value drawn at random (``random()``, a short ``randomblob``):
alook 0079 gives every server a random 4-digit tag and 0080, of the same commit, makes
``(name, tag)`` UNIQUE; two same-name servers can draw one tag, and the file says so, but
SQLite's own ``random()`` almost never does it in an example.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

import sqlglot
from sqlglot import exp

from migration_harness.checks.engine import Engine
from migration_harness.checks.reach import Scope
from migration_harness.checks.scope import relevant_tables
from migration_harness.data.columns import EDGE_INTEGERS, EDGE_TEXT
from migration_harness.errors import MigrationError
from migration_harness.schema.records import ForeignKey
from migration_harness.sets import parsing, runner
from migration_harness.sets.discovery import Migration
from migration_harness.sets.sql import Statement, split_statements
from migration_harness.sets.tokens import names_in


@dataclass(frozen=True)
class Start:
    """How the examples of one forward property of migration ``k`` begin.

    Attributes:
        scope: the version restored (and the tables it holds).
        drawn: the tables rows are drawn for.
        strategy: the dataset strategy.
        lead: the files run on the rows before ``k`` (a ship group's earlier files).
        keys: deployed keys the drawn rows must keep (:func:`~.deploys.orphaned`).
        steps: the reproduction steps up to, not including, applying ``k``.
    """

    scope: Scope
    drawn: list[str]
    strategy: Any
    lead: tuple[Migration, ...]
    keys: tuple[ForeignKey, ...]
    steps: tuple[str, ...]


def forward_start(
    engine: Engine, k: int, statements: Sequence[Statement], tables: Sequence[str]
) -> Start:
    """Where examples of migration ``k`` start; ``tables``: those they read at ``k - 1``."""
    deployed = engine.deploys.deployed_before(k)
    if deployed is None or not engine.available(deployed):
        return _before(engine, k, statements, tables)
    lead = tuple(engine.migrations[j - 1] for j in range(deployed + 1, k))
    if _selective(lead) or _reads_random(lead, statements):
        return _before(engine, k, statements, tables)
    return _after_lead_in(engine, k, deployed, lead)


def _before(
    engine: Engine, k: int, statements: Sequence[Statement], tables: Sequence[str]
) -> Start:
    """Rows drawn at ``k - 1`` (keeping the deployed version's keys: :meth:`Engine.datasets`)."""
    relevant = relevant_tables(engine.versions[k - 1].schema, statements, engine.populated(k - 1))
    drawn = engine.drawable(k, relevant)
    return Start(
        engine.scope(k - 1, statements, [*tables, *drawn], forward=True),
        drawn,
        engine.datasets(k - 1, drawn, forward=True),
        (),
        engine.deployed_keys(k)[1],
        (engine.migrate_step(k - 1), "insert the rows"),
    )


def _after_lead_in(engine: Engine, k: int, deployed: int, lead: tuple[Migration, ...]) -> Start:
    """Rows drawn at the ``deployed`` version, then carried by the ``lead`` files to k."""
    ahead = [s for m in (*lead, engine.migrations[k - 1]) for s in split_statements(m.up_sql)]
    drawn = relevant_tables(engine.versions[deployed].schema, ahead, engine.populated(deployed))
    shipped = engine.migrations[k - 1].id
    return Start(
        Scope(deployed, None),
        drawn,
        engine.datasets(deployed, drawn),
        lead,
        (),
        (
            engine.migrate_step(deployed),
            "insert the rows",
            *(f"apply {m.id} (deployed with {shipped})" for m in lead),
        ),
    )


# randomblob(16) and longer never repeats (as many values as a UUID): no state to steer to
_UNIQUE_BYTES: Final = 16


def _reads_random(lead: Sequence[Migration], statements: Sequence[Statement]) -> bool:
    """Whether ``statements`` name a column a lead-in file fills with a random value.

    A statement sqlglot cannot read counts as filling every column it names.
    """
    filled: set[str] = set()
    for migration in lead:
        for statement in split_statements(migration.up_sql):
            if "random" in statement.sql.lower():
                filled |= _randomly_filled(statement.sql)
    if not filled:
        return False
    for statement in statements:
        names = names_in(statement.sql)
        if names is None or names & filled:
            return True
    return False


_WRITES: Final = ("INSERT", "UPDATE", "DELETE", "REPLACE", "WITH")
_MATCHES: Final = (exp.EQ, exp.In, exp.Like, exp.Glob)


def _selective(lead: Sequence[Migration]) -> bool:
    """Whether a lead-in file writes rows picked by a literal (``WHERE kind = 'friend'``).

    ``IS NULL`` and comparisons between columns pick rows any draw has; a statement
    sqlglot cannot read counts as picking by a literal.
    """
    for migration in lead:
        for statement in split_statements(migration.up_sql):
            if not statement.sql.lstrip().upper().startswith(_WRITES):
                continue
            try:
                tree = parsing.parse_one(statement.sql)
            except sqlglot.errors.SqlglotError:
                return True
            if any(_by_literal(node) for node in _conditions(tree)):
                return True
    return False


def _conditions(tree: exp.Expr) -> Iterator[exp.Expr]:
    """The matches in the statement's WHERE and JOIN … ON clauses (not its SET or values)."""
    roots: list[exp.Expr] = list(tree.find_all(exp.Where))
    roots += [j.args["on"] for j in tree.find_all(exp.Join) if j.args.get("on") is not None]
    for root in roots:
        yield from root.find_all(*_MATCHES)


def _by_literal(node: exp.Expr) -> bool:
    """A match of a column against literals the generator does not draw anyway.

    ``kind = 'friend'`` picks rows a draw almost never holds; ``role = ''`` or ``n = 0``
    picks edge values every column is drawn with (``EDGE_TEXT``, ``EDGE_INTEGERS``).
    """
    if isinstance(node, exp.In):
        values = list(node.expressions)
        column = isinstance(node.this, exp.Column)
    else:
        sides = (node.this, node.expression)
        values = [side for side in sides if not isinstance(side, exp.Column)]
        column = len(values) == 1
    literals = [v for v in values if isinstance(v, exp.Literal)]
    if not column or not values or len(literals) != len(values):
        return False
    return not any(_drawn_anyway(v) for v in literals)


def _drawn_anyway(literal: exp.Literal) -> bool:
    """Whether the generator draws this literal's value among its edge values."""
    if literal.is_string:
        return literal.name in EDGE_TEXT
    try:
        return int(literal.name) in EDGE_INTEGERS
    except ValueError:
        return False


def _randomly_filled(sql: str) -> set[str]:
    """Columns (lower-cased) an UPDATE or INSERT fills with a random value."""
    try:
        tree = parsing.parse_one(sql)
    except sqlglot.errors.SqlglotError:
        return set(names_in(sql) or ())
    pairs: list[tuple[exp.Expr, exp.Expr]] = []
    if isinstance(tree, exp.Update):
        pairs = [(a.this, a.expression) for a in tree.expressions if isinstance(a, exp.EQ)]
    elif isinstance(tree, exp.Insert) and isinstance(tree.this, exp.Schema):
        rows = tree.expression
        if isinstance(rows, exp.Select):
            pairs = list(zip(tree.this.expressions, rows.expressions, strict=False))
        elif isinstance(rows, exp.Values):
            pairs = [
                (column, value)
                for row in rows.expressions
                for column, value in zip(tree.this.expressions, row.expressions, strict=False)
            ]
    return {column.name.lower() for column, value in pairs if _random(value)}


def _random(value: exp.Expr) -> bool:
    """Whether ``value`` draws at random from a space small enough to repeat."""
    if value.find(exp.Rand) is not None:
        return True
    for call in value.find_all(exp.Anonymous):
        if str(call.this).lower() == "randomblob":
            size = call.expressions[0] if call.expressions else None
            if not (
                isinstance(size, exp.Literal) and size.is_int and int(size.name) >= _UNIQUE_BYTES
            ):
                return True
    return False


def run_lead(engine: Engine, conn: sqlite3.Connection, start: Start) -> bool:
    """Run the lead-in files on ``conn``; ``False`` where one fails on the rows."""
    for migration in start.lead:
        try:
            runner.apply(conn, migration, engine.target)
        except MigrationError:
            return False
    return True


def worth_drawing(engine: Engine, k: int, start: Start, tables: Sequence[str]) -> bool:
    """Whether rows can be there for ``k`` to meet: drawn ones, or the version's seeds."""
    return bool(start.drawn) or bool(set(tables) & set(engine.populated(k - 1)))
