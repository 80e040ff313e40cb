"""Tables a file drops and creates again under the same name, and whether it read them first.

Shared by ``check`` (:mod:`migration_harness.checks.intent` judges the rows such a table
loses) and ``lint`` (MH207), so both agree on which tables a file re-creates empty. Kept
apart from :mod:`~migration_harness.checks.intent` because that module reads
:mod:`migration_harness.lint`'s storage walk (:mod:`migration_harness.checks.refills`),
and lint reads this one: neither imports the other through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import sqlglot
from sqlglot import exp
from sqlglot.dialects.sqlite import SQLite

from migration_harness.checks.cascade import dropped_tables
from migration_harness.checks.statements import parse
from migration_harness.sets.sql import Statement
from migration_harness.sets.tokens import renamed, virtual_table

_TOKENIZER: Final = SQLite().tokenizer()


def recreated_tables(statements: Iterable[Statement]) -> set[str]:
    """Tables the file drops and then creates again under the same name (lower-cased)."""
    return set(_recreated(list(statements)))


def recreated_empty(statements: Iterable[Statement], text: str = "") -> dict[str, str]:
    """Tables the file drops and re-creates by name without reading their rows first.

    Read means any statement before the ``DROP`` that could carry the rows elsewhere: a
    ``SELECT`` over the table anywhere in it (``INSERT … SELECT``, ``CREATE TABLE … AS
    SELECT``, an ``UPDATE`` of another table by a subquery or ``UPDATE … FROM`` it), an
    ``ALTER TABLE … RENAME`` of it, and any statement sqlglot cannot read that names it
    (unknown counts as read: the loss then stays an error). A table renamed away and
    dropped under its new name (``RENAME TO incident_old … DROP TABLE incident_old``,
    openstatus 0003) is dropped too: the rename itself carries nothing, a read of either
    name does. Each table maps to the name its ``DROP`` names.

    A rebuild that renames its new table into place (``CREATE TABLE new_t …; DROP TABLE t;
    ALTER TABLE new_t RENAME TO t``) with no copy is a forgotten copy as often as a choice,
    so it counts only where ``text`` (the file as written) shows the copy commented out:
    the author wrote ``INSERT INTO new_t … SELECT … FROM t`` and disabled it (stump and
    spacedrive's Prisma files: "the sessions data will be lost").
    """
    statements = list(statements)
    found = _recreated(statements)
    found.update(
        (table, drop)
        for table, drop in _into_place(statements).items()
        if table not in found and _copy_commented_out(text, table, drop.into.lower())
    )
    return {
        table: drop.names[-1]
        for table, drop in found.items()
        if not any(
            _reads(s.sql, name)
            for at, s in enumerate(statements[: drop.at])
            if at != drop.renamed_at
            for name in drop.names
        )
    }


@dataclass(frozen=True, slots=True)
class _Drop:
    """Where a table re-created by name lost its old rows, and under which names."""

    at: int
    names: tuple[str, ...]
    renamed_at: int | None = None
    into: str = ""  # the new table renamed into the dropped one's place, if that is how


def _recreated(statements: list[Statement]) -> dict[str, _Drop]:
    """Lower-cased table -> the ``DROP`` of it a later ``CREATE TABLE`` of its name follows.

    Or the ``DROP`` of the name it was renamed to, where a ``CREATE TABLE`` of the old name
    follows the rename (before or after that drop).
    """
    drops: dict[str, int] = {}
    creates: dict[str, list[int]] = {}
    renames: dict[str, tuple[str, int]] = {}  # new name -> (old name, where)
    for at, statement in enumerate(statements):
        parsed = parse(statement.sql)
        if isinstance(parsed, exp.Drop) and parsed.kind == "TABLE":
            for gone in dropped_tables(parsed):
                drops.setdefault(gone.name.lower(), at)
            continue
        rename = renamed(statement.sql)
        if rename is not None and rename[1] is None:
            renames.setdefault(rename[2].lower(), (rename[0].lower(), at))
            continue
        creates.setdefault(_created_table(statement.sql, parsed), []).append(at)
    found: dict[str, _Drop] = {}
    for table, at in drops.items():
        if any(c > at for c in creates.get(table, ())):
            found.setdefault(table, _Drop(at, (table,)))
    for new, (old, renamed_at) in renames.items():
        dropped = drops.get(new)
        if (
            dropped is not None
            and dropped > renamed_at
            and any(c > renamed_at for c in creates.get(old, ()))
        ):
            found.setdefault(old, _Drop(dropped, (old, new), renamed_at))
    return found


def renamed_into_place(statements: Iterable[Statement]) -> dict[str, str]:
    """Lower-cased table -> the new table (as the file names it) renamed into its place."""
    return {table: drop.into for table, drop in _into_place(list(statements)).items()}


def _into_place(statements: list[Statement]) -> dict[str, _Drop]:
    """Lower-cased table -> its ``DROP``, where a table the file created is renamed to it.

    The rebuild shape ``CREATE TABLE new_t; … DROP TABLE t; ALTER TABLE new_t RENAME TO
    t``, whatever the file copies in between (:func:`recreated_empty` asks that).
    """
    created: set[str] = set()
    drops: dict[str, int] = {}
    found: dict[str, _Drop] = {}
    for at, statement in enumerate(statements):
        parsed = parse(statement.sql)
        if isinstance(parsed, exp.Drop) and parsed.kind == "TABLE":
            for gone in dropped_tables(parsed):
                drops[gone.name.lower()] = at
            continue
        rename = renamed(statement.sql)
        if rename is not None and rename[1] is None:
            new, table = rename[0], rename[2].lower()
            if new.lower() in created and table in drops:
                found.setdefault(table, _Drop(drops[table], (table,), into=new))
            continue
        created.add(_created_table(statement.sql, parsed))
    return found


def _copy_commented_out(text: str, table: str, new: str) -> bool:
    """Whether a comment of ``text`` holds ``INSERT INTO new … SELECT … FROM table``.

    Read from sqlglot's tokens (so ``--`` inside a string is no comment); a copy commented
    out line by line is read from consecutive comments joined.
    """
    if not text:
        return False
    try:
        tokens = _TOKENIZER.tokenize(text)
    except sqlglot.errors.SqlglotError:
        return False
    comments = [c.strip() for token in tokens for c in token.comments]
    for start in range(len(comments)):
        if not comments[start].upper().startswith("INSERT"):
            continue
        for end in range(start + 1, min(start + 40, len(comments)) + 1):
            sql = "\n".join(comments[start:end])
            if _copies_into(sql, table, new):
                return True
            if sql.rstrip().endswith(";"):
                break
    return False


def _copies_into(sql: str, table: str, new: str) -> bool:
    """Whether ``sql`` is an ``INSERT INTO new`` whose rows come from ``table``."""
    parsed = parse(sql)
    if not isinstance(parsed, exp.Insert):
        return False
    target = parsed.this.this if isinstance(parsed.this, exp.Schema) else parsed.this
    return isinstance(target, exp.Table) and target.name.lower() == new and _reads(sql, table)


def _created_table(sql: str, parsed: exp.Expr | None) -> str:
    """The table a ``CREATE TABLE`` makes (lower-cased; ``""`` for any other statement).

    Read from sqlglot's tree, else from its tokens: SQLite accepts column lists sqlglot
    cannot parse (wildebeest 0007's ``UNIQUE(…)`` and ``FOREIGN KEY`` without a comma
    between them), and the name comes before any of that. A ``CREATE VIRTUAL TABLE`` is
    read from its tokens first (:func:`~migration_harness.sets.tokens.virtual_table`):
    sqlglot parses some (``rtree``) and not others (``fts5`` with options), and whether it
    can must not decide whether the file re-creates the table.
    """
    declared = virtual_table(sql)
    if declared is not None:
        return declared.name.lower()
    if isinstance(parsed, exp.Create):
        if parsed.kind != "TABLE":
            return ""
        table = parsed.this.this if isinstance(parsed.this, exp.Schema) else parsed.this
        return table.name.lower() if isinstance(table, exp.Table) else ""
    words = _words(sql)
    if words[:1] != ["create"]:
        return ""
    rest = words[1:]
    if rest[:1] in (["temp"], ["temporary"]):
        rest = rest[1:]
    if rest[:1] != ["table"]:
        return ""
    rest = rest[1:]
    if rest[:3] == ["if", "not", "exists"]:
        rest = rest[3:]
    if len(rest) >= 3 and rest[1] == ".":  # main.t
        rest = rest[2:]
    return rest[0] if rest else ""


def _reads(sql: str, table: str) -> bool:
    """Whether a statement could read ``table``'s rows (see :func:`recreated_empty`)."""
    parsed = parse(sql)
    if parsed is None or isinstance(parsed, exp.Command):
        return table in _words(sql)  # unreadable: naming it is enough
    if isinstance(parsed, exp.Alter):
        renamed = any(isinstance(a, exp.AlterRename) for a in parsed.args.get("actions") or ())
        return renamed and parsed.this.name.lower() == table
    # A FROM outside any SELECT is an UPDATE's (``UPDATE totals … FROM t``): its rows are
    # read as a join's; the table an UPDATE, DELETE or INSERT writes stands outside both.
    return any(
        node.name.lower() == table and node.find_ancestor(exp.Select, exp.From) is not None
        for node in parsed.find_all(exp.Table)
    )


def _words(sql: str) -> list[str]:
    """A statement's tokens as lower-cased text (identifiers unquoted), or none."""
    try:
        tokens = _TOKENIZER.tokenize(sql)
    except sqlglot.errors.SqlglotError:
        return []
    return [token.text.lower() for token in tokens]
