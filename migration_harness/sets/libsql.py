"""libSQL's ``ALTER TABLE t ALTER COLUMN c TO c <definition>``, as Turso runs it.

drizzle-kit's ``turso`` dialect emits this statement to change a column's type, default,
NOT NULL, CHECK or foreign key. Plain SQLite refuses it as a syntax error; libSQL (the
engine under Turso and ``@libsql/client``) runs it by rewriting the column's text in
``sqlite_schema``, and never reads a row: a NOT NULL or CHECK added this way holds only for
rows written afterwards. ``tursodatabase/libsql`` ``libsql-sqlite3/src/alter.c``
(``libsqlAlterAlterColumn`` and ``alterColumnFunc``, grammar in ``parse.y``), which this
module follows step by step:

1. the table must exist, be an ordinary table and not ``sqlite_*``; the column must exist
   (names compared without case);
2. the name after ``TO`` must be the same token as the old one (same length, same letters
   without case, quotes included), else "UPDATE cannot also rename column";
3. the new definition is the text from that name to the statement's last token;
4. in the table's ``CREATE TABLE`` text the column's definition runs from its name to the
   next ``,`` or the ``)`` that closes the column list, counted byte by byte (libSQL's own
   FIXME: a ``,`` inside ``numeric(10,2)`` or a string ends it there too); it is replaced
   by the new definition as written;
5. PRIMARY KEY, UNIQUE and GENERATED may not change ("… constraint cannot be altered"):
   the column's ``COLFLAG_*`` bits are compared, and ``COLFLAG_UNIQUE`` is set by a
   column-level ``UNIQUE`` only, never by a table-level ``UNIQUE (c)``;
6. only the table's own ``sqlite_schema`` row changes (libSQL PR #1532), and the schema is
   reloaded and tested with double-quoted strings off: ``"x"`` in the new definition that
   names no column is refused.

The harness does the same on its in-memory copies with ``PRAGMA writable_schema``, so the
statements after it, the generated rows and every check see the schema production has.
A user's own database opened for ``migrate`` is left to SQLite, which refuses the syntax.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Final

from migration_harness.sets.tokens import mentions, spans

HINT: Final = (
    "ALTER TABLE … ALTER COLUMN is libSQL's (Turso) syntax: if production runs the set on "
    'libSQL, say so with dialect = "libsql" in [tool.migration-harness] or --dialect libsql'
)
LOCAL_HINT: Final = (
    "libSQL's ALTER COLUMN runs on the harness's own copies only; a plain SQLite file "
    "refuses it: apply the set with libSQL (Turso's tools or @libsql/client)"
)
_TABLE_CONSTRAINTS: Final = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})


@dataclass(frozen=True, slots=True)
class AlterColumn:
    """One ``ALTER TABLE … ALTER COLUMN old TO new …`` statement, read as libSQL's parser does.

    Attributes:
        table: the table named, unquoted (a schema prefix dropped).
        column: the old column name, unquoted.
        old_token / new_token: the two names as written, quotes included (libSQL compares
            these, not the names).
        definition: the new column definition as written, from the new name to the last
            token before the final ``;``.

    """

    table: str
    column: str
    old_token: str
    new_token: str
    definition: str


def alter_column(sql: str) -> AlterColumn | None:
    """The statement as libSQL's ``ALTER COLUMN`` rule reads it; ``None`` for any other."""
    if not mentions(sql, "COLUMN"):
        return None
    found = spans(sql)
    if not found:
        return None
    words = [t.word for t, _, _ in found]
    if words[:2] != ["ALTER", "TABLE"]:
        return None
    at = 4 if len(found) > 4 and found[3][0].text == "." else 2
    rest = found[at:]
    if len(rest) < 6 or [t.word for t, _, _ in rest[1:3]] != ["ALTER", "COLUMN"]:
        return None
    old, to, new = rest[3], rest[4], rest[5]
    if to[0].word != "TO" or not (old[0].is_name and new[0].is_name):
        return None
    last = max((end for t, _, end in rest[5:] if t.word != ";"), default=new[2])
    return AlterColumn(
        table=rest[0][0].text,
        column=old[0].text,
        old_token=sql[old[1] : old[2]],
        new_token=sql[new[1] : new[2]],
        definition=sql[new[1] : last],
    )


def is_alter_column(sql: str) -> bool:
    """Whether ``sql`` is libSQL's ALTER COLUMN (which plain SQLite refuses)."""
    return alter_column(sql) is not None


def hint(dialect: str) -> str:
    """What to do about an ALTER COLUMN that failed under ``dialect``."""
    return LOCAL_HINT if dialect == "libsql" else HINT


def execute(conn: sqlite3.Connection, statement: AlterColumn) -> None:
    """Run ``statement`` on ``conn`` as libSQL would: rewrite the schema, check no row.

    Raises:
        sqlite3.OperationalError: libSQL's refusal, in its words (no such table or column,
            a rename, a changed PRIMARY KEY/UNIQUE/GENERATED, a definition that does not
            parse).

    """
    name, kind, create = _table_row(conn, statement.table)
    if name.lower().startswith("sqlite_"):
        message = f"table {name} may not be altered"
        raise sqlite3.OperationalError(message)
    virtual = create is not None and create.upper().startswith("CREATE VIRTUAL")
    if kind != "table" or create is None or virtual:
        message = f'cannot rename columns of {"virtual table" if virtual else kind} "{name}"'
        raise sqlite3.OperationalError(message)
    columns = [row[1] for row in conn.execute(f'PRAGMA main.table_xinfo("{_q(name)}")')]
    if statement.column.lower() not in (c.lower() for c in columns):
        message = f'no such column: "{statement.old_token}"'
        raise sqlite3.OperationalError(message)
    if statement.old_token.lower() != statement.new_token.lower():
        message = (
            f'UPDATE cannot also rename column: "{statement.old_token}" to '
            f'"{statement.new_token}". Use ALTER TABLE RENAME instead'
        )
        raise sqlite3.OperationalError(message)
    altered = rewritten(create, statement.column, statement.definition)
    _check_flags(create, altered, statement)
    _check_quotes(name, create, statement)
    _write_schema(conn, name, altered)


def rewritten(create: str, column: str, definition: str) -> str:
    """``create`` with ``column``'s definition replaced as libSQL's ``alterColumnFunc`` does."""
    span = definition_span(create, column)
    if span is None:
        return create
    return create[: span[0]] + definition + create[span[1] :]


def definition_span(create: str, column: str) -> tuple[int, int] | None:
    """Where libSQL takes ``column``'s definition to stand in a ``CREATE TABLE`` text.

    From the column's name, byte by byte, to the next ``,`` or to the ``)`` that closes
    more than it opened: libSQL skips neither strings nor nested parentheses for the
    comma, and the harness must write what production writes.
    """
    start = _column_start(create, column)
    if start is None:
        return None
    name_end = next(end for _, begin, end in spans(create) or () if begin == start)
    at, depth = name_end, 0
    while at < len(create) and create[at] != ",":
        depth += (create[at] == "(") - (create[at] == ")")
        if depth < 0:
            break
        at += 1
    return start, at


def tightened(create: str, statement: AlterColumn) -> tuple[str, ...]:
    """What ``statement`` adds that existing rows of the table are never checked against.

    ``NOT NULL`` when the old definition had none, and each ``CHECK (…)`` clause the old
    one did not have, word for word: libSQL writes them into the schema and reads no row,
    so a row already breaking one stays, and ``PRAGMA integrity_check`` reports it.
    """
    span = definition_span(create, statement.column)
    old = create[span[0] : span[1]] if span is not None else ""
    before = _constraints(old)
    return tuple(c for c in _constraints(statement.definition) if c not in before)


def _constraints(definition: str) -> tuple[str, ...]:
    """``NOT NULL`` and the ``CHECK (…)`` clauses of a column definition, as tokens read them."""
    found = spans(definition) or ()
    out: list[str] = []
    for at, (token, begin, _) in enumerate(found):
        following = found[at + 1][0].word if at + 1 < len(found) else ""
        if token.word == "NOT" and following == "NULL":
            out.append("NOT NULL")
        elif token.word == "CHECK":
            depth, end = 0, begin
            for inner, _, inner_end in found[at + 1 :]:
                depth += (inner.text == "(") - (inner.text == ")")
                end = inner_end
                if depth == 0:
                    break
            out.append(" ".join(definition[begin:end].split()))
    return tuple(out)


def _column_start(create: str, column: str) -> int | None:
    """Where ``column``'s name starts in the column list of a ``CREATE TABLE`` text."""
    found = spans(create) or ()
    depth, item_start = 0, True
    for token, begin, _ in found:
        if token.text == "(" and not token.quoted:
            depth += 1
            item_start = depth == 1
            continue
        if token.text == ")" and not token.quoted:
            depth -= 1
            continue
        if depth == 1 and item_start:
            item_start = False
            if token.word in _TABLE_CONSTRAINTS:
                return None  # table constraints come after every column
            if token.text.lower() == column.lower():
                return begin
        elif depth == 1 and token.text == "," and not token.quoted:
            item_start = True
    return None


def _check_flags(create: str, altered: str, statement: AlterColumn) -> None:
    """Refuse as libSQL does after the edit: a definition that does not parse, a changed key.

    Both texts are created in an empty scratch database, so the comparison sees exactly
    what the ``CREATE TABLE`` says, as libSQL's re-parse of the edited text does.
    """
    try:
        before = _flags(create, statement.column)
    except sqlite3.Error:
        return  # needs what only the application registers (a function, a collation)
    try:
        after = _flags(altered, statement.column)
    except sqlite3.Error as exc:
        message = f"error in adding {statement.definition} to {statement.table}: {exc}"
        raise sqlite3.OperationalError(message) from exc
    for index, what in enumerate(("PRIMARY KEY", "UNIQUE", "GENERATED")):
        if before[index] != after[index]:
            message = (
                f"error in adding {statement.definition} to {statement.table}: "
                f"{what} constraint cannot be altered"
            )
            raise sqlite3.OperationalError(message)


def _check_quotes(name: str, create: str, statement: AlterColumn) -> None:
    """Refuse a double-quoted string in the new definition, as libSQL's re-test does.

    ``libsqlAlterAlterColumn`` turns the old schema's double-quoted strings into single
    quotes first (``renameFixQuotes``), writes the new definition as given, then tests
    the schema with double-quoted strings off (``renameTestSchema(…, "after update",
    1)``): ``CHECK (s IN ("new"))`` names a column ``new`` there, which does not exist.
    SQLite reads ``[x]`` always as a name, so the edited text with each double-quoted
    token of the new definition bracketed parses exactly when libSQL's test passes.
    """
    span = definition_span(create, statement.column)
    found = spans(statement.definition)
    if span is None or not found:
        return
    text = statement.definition
    for token, begin, end in reversed(found[1:]):
        if text[begin] == '"' and "]" not in token.text:
            text = text[:begin] + f"[{token.text}]" + text[end:]
    strict = create[: span[0]] + text + create[span[1] :]
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(strict)
    except sqlite3.Error as exc:
        if "no such column" in str(exc):
            message = f"error in table {name} after update: {exc}"
            raise sqlite3.OperationalError(message) from exc
    finally:
        scratch.close()


def _flags(create: str, column: str) -> tuple[bool, bool, int]:
    """(primary key, unique, generated) of ``column`` as ``create`` alone declares it.

    Generated is ``table_xinfo``'s hidden value, 2 for VIRTUAL and 3 for STORED (else 0):
    libSQL compares the ``COLFLAG_GENERATED`` bits, which tell the two kinds apart.
    """
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(create)
        table = scratch.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        quoted = _q(table)
        info = {r[1].lower(): r for r in scratch.execute(f'PRAGMA table_xinfo("{quoted}")')}
        row = info.get(column.lower())
        if row is None:
            message = f'no such column: "{column}"'
            raise sqlite3.OperationalError(message)
        return row[5] > 0, _column_unique(create, column), row[6] if row[6] in (2, 3) else 0
    finally:
        scratch.close()


def _column_unique(create: str, column: str) -> bool:
    """Whether ``column``'s own definition says ``UNIQUE`` (SQLite's ``COLFLAG_UNIQUE``).

    SQLite's ``sqlite3CreateIndex`` sets the flag only for an index it makes from a column
    constraint (called with no column list); a table-level ``UNIQUE (c)`` or a separate
    ``CREATE UNIQUE INDEX`` leaves it unset, and libSQL compares nothing else.
    """
    start = _column_start(create, column)
    found = spans(create) or ()
    depth = 0
    for token, begin, _ in found:
        if start is None or begin < start:
            continue
        if token.quoted:
            continue
        depth += (token.text == "(") - (token.text == ")")
        if depth < 0 or (depth == 0 and token.text == ","):
            return False
        if depth == 0 and token.word == "UNIQUE":
            return True
    return False


def _table_row(conn: sqlite3.Connection, table: str) -> tuple[str, str, str | None]:
    """``(name, type, sql)`` of the schema object ``table`` names (SQLite's case rules)."""
    row = conn.execute(
        "SELECT name, type, sql FROM main.sqlite_master WHERE name = ? COLLATE NOCASE "
        "AND type IN ('table', 'view')",
        (table,),
    ).fetchone()
    if row is None:
        message = f"no such table: {table}"
        raise sqlite3.OperationalError(message)
    return row[0], row[1], row[2]


def _write_schema(conn: sqlite3.Connection, table: str, create: str) -> None:
    """Store ``create`` as the table's definition and make SQLite read the schema again.

    Bumping ``schema_version`` is what makes this connection (and any other) reload the
    schema at its next statement, as libSQL's ``renameReloadSchema`` does; inside the
    file's transaction, a rollback undoes it with the rest.
    """
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute(
            "UPDATE main.sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
            (create, table),
        )
        version = conn.execute("PRAGMA main.schema_version").fetchone()[0]
        conn.execute(f"PRAGMA main.schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")


def _q(name: str) -> str:
    """``name`` for the inside of a double-quoted identifier."""
    return name.replace('"', '""')
