"""Whether a file outside a transaction can only fail where a retry of it is harmless.

A runner that halts on a failed file (Prisma's failed migration, golang-migrate's dirty
flag, Flyway's failed entry) is resumed by a person, and the retry runs the file from its
first statement again: statements that ran before the failure must run again. The
idempotency check names the first statement that cannot (``CREATE TABLE`` of a table it
made). A failure at or before that statement leaves a retry that runs cleanly; one after
it does not. Whether a statement can fail depends on its schema (which the check applied
the file on, as production is at that version) or on the rows: only the rows differ in
production. So where no statement after that one can fail on rows (Prisma's ``CREATE
TABLE``s and their indexes, a seed into a table the file made), no failure leaves the
file half-applied beyond what a retry redoes: MH112, not MH113. A runner that records the
file before running it (bun) skips it after any failure, so there no statement after the
first may fail on rows.

Given the schema the file starts on, a column the file adds and then fills with a unique
key between fixed strings (``ADD COLUMN slug``, ``UPDATE … SET slug = 'post-' || id``,
:func:`~migration_harness.lint.keys.labels_rowid`) holds a distinct value in every row:
the UPDATE and a UNIQUE index on that column meet no row they can fail on.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp
from sqlglot.errors import ParseError

from migration_harness.checks.scope import unguardable_statements
from migration_harness.lint.keys import keys_of, labels_rowid
from migration_harness.schema.model import Schema, Table
from migration_harness.sets import parsing
from migration_harness.sets.sql import Statement


def fails_only_early(
    statements: Sequence[Statement], first_rerun_failure: int, schema: Schema | None = None
) -> bool:
    """Whether no statement after ``statements[first_rerun_failure]`` can fail on rows.

    ``statements``: the file's statements as its runner sends them, pragmas left out;
    ``schema``: the one it starts on, where known (:class:`_RowFree`).
    """
    scan = _RowFree(schema)
    for at, statement in enumerate(statements):
        free = scan.row_free(statement)
        if at > first_rerun_failure and not free:
            return False
    return True


def rerun_failure(statements: Sequence[Statement], line: int | None, sql: str | None) -> int | None:
    """The index of the first statement that cannot run a second time (``None``: unknown).

    The re-run check leaves out what SQLite cannot guard (an ALTER TABLE, a rebuild:
    :func:`~migration_harness.checks.scope.unguardable_statements`), each of which fails
    the second time; of the rest, it names the statement it failed at (``line``, ``sql``).
    """
    unguarded = unguardable_statements(statements)
    first = next((at for at, s in enumerate(statements) if s in unguarded), None)
    failed = next(
        (at for at, s in enumerate(statements) if line is not None and s.line == line), None
    )
    wanted = " ".join((sql or "").split())
    if failed is None and wanted:
        failed = next(
            (at for at, s in enumerate(statements) if " ".join(s.sql.split()) == wanted), None
        )
    if failed is None:
        return None
    return failed if first is None else min(first, failed)


class _RowFree:
    """Statement by statement, whether each can fail on rows, following what the file makes.

    A table the file created and no trigger or foreign key reaches holds only what the
    file put there: an index on it, or a literal seed into it, meets no production row.
    """

    def __init__(self, schema: Schema | None = None) -> None:
        self.schema = schema
        self.added: set[tuple[str, str]] = set()  # (table, column) added NULL by the file
        self.labelled: set[tuple[str, str]] = set()  # … then filled with a key's labels
        self.created: set[str] = set()
        self.keyed: set[str] = set()  # created tables declaring a foreign key
        self.triggered = False  # a trigger the file made may write any table
        self.written: set[str] = set()

    def row_free(self, statement: Statement) -> bool:
        """Whether ``statement`` cannot fail on the rows the database holds."""
        words = statement.keywords
        if not words or statement.pragma is not None or statement.is_transaction_control:
            return True
        if words[0] == "CREATE" and "TRIGGER" in words[1:4]:
            self.triggered = True
            return True
        if words[0] == "DROP" and words[1:2] in (("INDEX",), ("VIEW",), ("TRIGGER",)):
            return True
        try:
            tree = parsing.parse_one(statement.sql)
        except ParseError:
            return False
        if isinstance(tree, exp.Create):
            return self._create(tree)
        if isinstance(tree, exp.Alter):
            return self._alter(tree)
        if isinstance(tree, exp.Insert):
            return self._insert(tree)
        if isinstance(tree, exp.Update):
            return self._labels(tree)
        return False

    def _create(self, tree: exp.Create) -> bool:
        """A CREATE: a table or view reads no row; an index reads its table's."""
        kind = str(tree.args.get("kind")).upper()
        if kind == "VIEW":
            return True
        if kind == "TABLE":
            if tree.expression is not None:
                return False  # CREATE TABLE … AS SELECT reads rows
            name = _name(tree.this)
            self.created.add(name)
            if tree.find(exp.Reference) is not None:
                self.keyed.add(name)
            return True
        if kind == "INDEX" and isinstance(tree.this, exp.Index):
            table = _name(tree.this.args.get("table"))
            if table in self.created and table not in self.written:
                return True  # an empty table the file made
            params = tree.this.args.get("params")
            columns = [c.this if isinstance(c, exp.Ordered) else c for c in _columns(params)]
            if (
                len(columns) == 1
                and isinstance(columns[0], exp.Column)
                and (table, columns[0].name.lower()) in self.labelled
                and tree.find(exp.Collate) is None
                and params is not None
                and params.args.get("where") is None
            ):
                return True  # a distinct label in every row
            if params is None or tree.args.get("unique") or params.args.get("where") is not None:
                return False
            columns = params.args.get("columns") or []
            return bool(columns) and all(
                isinstance(c.this if isinstance(c, exp.Ordered) else c, exp.Column) for c in columns
            )
        return False

    def _alter(self, tree: exp.Alter) -> bool:
        """A rename reads no row; an added column's CHECK or generated value reads each."""
        for action in tree.args.get("actions") or ():
            if isinstance(action, exp.AlterRename | exp.RenameColumn):
                continue
            if isinstance(action, exp.ColumnDef):
                constraints = [c.args.get("kind") for c in action.args.get("constraints") or ()]
                if any(
                    isinstance(k, exp.CheckColumnConstraint | exp.ComputedColumnConstraint)
                    for k in constraints
                ):
                    return False  # checked against every existing row
                if not constraints:  # NULL in every row, and nothing to break
                    self.added.add((_name(tree.this), action.name.lower()))
                continue
            return False
        return True

    def _labels(self, tree: exp.Update) -> bool:
        """``UPDATE t SET c = 'post-' || id``: a column the file added, filled with labels.

        The rowid, or a single-column TEXT key where ``c`` compares as written (BINARY),
        between fixed strings: distinct in every row, and nothing on ``c`` yet to refuse
        it. Only on a table without triggers. A WHERE may leave rows out: they keep the
        NULL the column was added with, and NULLs never clash in a UNIQUE index.
        """
        name = _name(tree.this)
        schema = self.schema
        table = schema.by_lower_name.get(name) if schema is not None else None
        if schema is None or table is None or any(t.table.lower() == name for t in schema.triggers):
            return False
        keys = _label_keys(table)
        sets = [a for a in tree.expressions if isinstance(a, exp.EQ)]
        if len(sets) != len(tree.expressions) or not sets:
            return False
        for assignment in sets:
            column = assignment.this.name.lower() if isinstance(assignment.this, exp.Column) else ""
            if (name, column) not in self.added:
                return False
            if not any(labels_rowid(assignment.expression, key) for key in keys):
                return False
            self.labelled.add((name, column))
        return True

    def _insert(self, tree: exp.Insert) -> bool:
        """Literal rows into a table the file made, which no key or trigger reaches."""
        name = _name(tree.this)
        if not isinstance(tree.expression, exp.Values) or tree.expression.find(exp.Select):
            return False
        if name not in self.created or name in self.keyed or self.triggered:
            return False
        self.written.add(name)
        return True


def _label_keys(table: Table) -> list[str]:
    """Columns whose labels are distinct per row: the rowid alias, a unique TEXT column."""
    found = [table.rowid_alias.lower()] if table.rowid_alias else []
    text = {c.name.lower() for c in table.columns if c.affinity == "TEXT"}
    for names, _ in keys_of(table):
        if len(names) == 1 and names[0] in text:
            found.append(names[0])
    return found


def _columns(params: exp.Expr | None) -> list[exp.Expr]:
    """The key columns of an index's parameters."""
    return list(params.args.get("columns") or []) if params is not None else []


def _name(node: exp.Expr | None) -> str:
    """The lower-cased table name of a node (a ``Schema`` wraps a CREATE TABLE's)."""
    if isinstance(node, exp.Schema):
        node = node.this
    return node.name.lower() if isinstance(node, exp.Table) else ""
