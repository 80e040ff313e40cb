"""Each table's storage through one file: copies, refills, drops, and which ones hold rows.

A name is not a table's rows: ``ALTER TABLE users_new RENAME TO users`` gives the name to
other rows, and ``DROP TABLE users`` followed by ``CREATE TABLE users`` gives it to none.
So the file is walked once, statement by statement, following each *storage* (the rows a
table held before the file, or a table the file made, written ``+name``) through CREATE,
RENAME, DROP and ``DELETE`` without ``WHERE``. Every ``INSERT … SELECT`` is then known by
the storages it reads and writes, and by whether those it reads still held rows when it ran:
a summary table refilled from a live ``events`` table gets its rows back, one refilled from
a table the file dropped or emptied first gets none (:mod:`migration_harness.lint.rebuilds`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlglot import exp

from migration_harness.lint.context import Parsed
from migration_harness.lint.shapes import branches, ctes_of, dropped, name_of, sources
from migration_harness.schema.model import Schema
from migration_harness.sets.tokens import VirtualTable, tokens, virtual_table


class FileView(Protocol):
    """What the walk reads of a file.

    Lint's :class:`~migration_harness.lint.context.FileContext`, or ``check``'s view of the
    file it ran (:mod:`migration_harness.checks.refills`): both commands judge refills alike.
    """

    @property
    def statements(self) -> tuple[Parsed, ...]:
        """The file's statements, parsed, in the order the runner sends them."""

    @property
    def before(self) -> Schema:
        """The schema before the file."""

    @property
    def after(self) -> Schema:
        """The schema after the file."""

    @property
    def memo(self) -> dict[str, object]:
        """Where shared analyses keep what they computed once for the file."""

    def holds_rows(self, table: str) -> bool:
        """Whether ``table`` can hold rows the application wrote when the file runs."""


@dataclass(frozen=True, slots=True)
class Copy:
    """``INSERT INTO target … SELECT … FROM source``: rows moved from one table to another.

    Attributes:
        parsed: the statement.
        insert: its tree.
        select: the SELECT it copies from.
        target: the table written, as named then.
        source_origins: the original tables the rows come from (before any rename).
        target_origin: the storage the target was then (``+name`` for a table the file made).
        live: the storages it reads that held rows when it ran.
        emptied: whether every storage it reads was dropped or emptied earlier in the file
            (it then copies no rows, whatever it names).

    """

    parsed: Parsed
    insert: exp.Insert
    select: exp.Select
    target: str
    source_origins: tuple[str, ...]
    target_origin: str
    live: tuple[str, ...] = ()
    emptied: bool = False

    @property
    def columns(self) -> list[str] | None:
        """The INSERT's column list, lower-cased; ``None`` when it has none."""
        if isinstance(self.insert.this, exp.Schema):
            return [name_of(c) for c in self.insert.this.expressions]
        return None


@dataclass(frozen=True, slots=True)
class Refill:
    """A statement that writes rows read from tables into a table the file made.

    An ``INSERT … SELECT`` (:attr:`copy`), or FTS5's ``INSERT INTO t(t) VALUES('rebuild')``,
    which reads every row of the index's content table again (no copy: every column).

    Attributes:
        parsed: the statement.
        copy: the ``INSERT … SELECT``; ``None`` for a ``'rebuild'`` command.
        target_origin: the storage written (``+name``).
        reads: the storages its rows come from, through the file's backups.
        live: those of them that held rows when it ran.

    """

    parsed: Parsed
    copy: Copy | None
    target_origin: str
    reads: tuple[str, ...]
    live: tuple[str, ...]


@dataclass(slots=True)
class Walk:
    """What :func:`walk` learns of a file.

    Attributes:
        copies: every ``INSERT … SELECT``, in order.
        removed: storage of a table that existed before the file -> the DROP that removed it.
        final: each name -> the storage it names at the end of the file.
        carried: storage the file made -> the storages whose rows were copied into it.
        refills: storage the file made -> the statements that wrote rows into it.
        deleted: storage -> the ``DELETE`` without ``WHERE`` that emptied it (the file says
            so itself: delete-without-where reports that, not the rebuild after it).

    """

    copies: list[Copy] = field(default_factory=list)
    removed: dict[str, Parsed] = field(default_factory=dict)
    final: dict[str, str] = field(default_factory=dict)
    carried: dict[str, set[str]] = field(default_factory=dict)
    refills: dict[str, list[Refill]] = field(default_factory=dict)
    deleted: dict[str, Parsed] = field(default_factory=dict)


def copies(context: FileView) -> list[Copy]:
    """Every INSERT … SELECT of the file, with where its rows come from and go."""
    return walk(context).copies


def walk(context: FileView) -> Walk:
    """Follow each table's storage through the file (computed once per file)."""
    memo = context.memo.get("walk")
    if not isinstance(memo, Walk):
        memo = _Walker(context).run()
        context.memo["walk"] = memo
    return memo


class _Walker:
    """One pass over a file's statements; CREATE and DELETE are parsed only if it drops."""

    def __init__(self, context: FileView) -> None:
        self.context = context
        # The schema's own lower-cased names, in one C-speed pass: lower-casing every name
        # per file cost quadratic time over a long history.
        names = list(context.before.by_lower_name)
        self.origin = dict(zip(names, names, strict=True))
        # Storages that hold rows at the current statement: tables an earlier file of the
        # ship group created hold none (FileContext.empty); a made table holds rows once a
        # statement copies rows into it from a storage that holds some.
        self.live = {s for s in self.origin.values() if context.holds_rows(s)}
        self.emptied: set[str] = set()
        self.virtual: dict[str, VirtualTable] = {}
        self.result = Walk(final=self.origin)

    def run(self) -> Walk:
        """Walk every statement SQLite ran (a failed replay changed nothing)."""
        statements = self.context.statements
        drops = any(p.words[:2] == ("DROP", "TABLE") for p in statements)
        for parsed in statements:
            if parsed.error is not None:
                continue
            word = parsed.words[:1]
            if word == ("CREATE",) and drops:
                self._create(parsed)
            elif word == ("ALTER",):
                self._rename(parsed)
            elif word == ("DROP",) and (node := dropped(parsed.tree)) is not None:
                self._drop(parsed, name_of(node))
            elif word == ("DELETE",) and drops:
                self._delete(parsed)
            elif word in (("INSERT",), ("REPLACE",), ("WITH",)):  # WITH …: _copy reads INSERTs
                if "SELECT" in parsed.sql.upper():
                    self._copy(parsed)
                elif drops and "rebuild" in parsed.sql.lower():  # not every seed INSERT
                    self._rebuild_command(parsed)
        return self.result

    def _create(self, parsed: Parsed) -> None:
        """``CREATE [VIRTUAL] TABLE``: the name now holds a new storage, empty or copied.

        ``IF NOT EXISTS`` of a name that still holds a storage creates nothing (SQLite
        skips the statement): the table keeps its rows, and a refill from it gets them.
        """
        if _if_not_exists(parsed.sql) and self._named(parsed) in self.origin:
            return
        declared = virtual_table(parsed.sql) if parsed.words[1:2] == ("VIRTUAL",) else None
        if declared is not None:
            made = "+" + declared.name.lower()
            self.origin[declared.name.lower()] = made
            self.virtual[made] = declared
            return
        tree = parsed.tree
        if not isinstance(tree, exp.Create) or str(tree.args.get("kind")).upper() != "TABLE":
            return
        made = "+" + name_of(tree.this)
        self.origin[name_of(tree.this)] = made
        if isinstance(tree.expression, exp.Query):
            # A backup made with CREATE TABLE bak AS SELECT … FROM t carries t's rows, so
            # copying bak back into the rebuilt t is t's copy (Mail-Otter 0017's rebuild).
            read = sources(tree.expression)
            self.result.carried[made] = self._carried(read)
            if self._live(read):
                self.live.add(made)

    def _named(self, parsed: Parsed) -> str:
        """The lower-cased table a ``CREATE [VIRTUAL] TABLE`` names (``""`` if unread)."""
        declared = virtual_table(parsed.sql)
        if declared is not None:
            return declared.name.lower()
        tree = parsed.tree
        return name_of(tree.this) if isinstance(tree, exp.Create) else ""

    def _rename(self, parsed: Parsed) -> None:
        """``ALTER TABLE … RENAME TO``: the storage keeps its rows under the new name."""
        tree = parsed.tree
        if not isinstance(tree, exp.Alter):
            return
        for action in tree.args.get("actions") or ():
            if isinstance(action, exp.AlterRename):
                old = name_of(tree.this)
                self.origin[name_of(action.this)] = self.origin.pop(old, old)

    def _drop(self, parsed: Parsed, name: str) -> None:
        """``DROP TABLE``: the storage's rows are gone."""
        gone = self.origin.pop(name, None)
        if gone is None:
            return
        self.live.discard(gone)
        self.emptied.add(gone)
        if not gone.startswith("+"):
            self.result.removed[gone] = parsed

    def _delete(self, parsed: Parsed) -> None:
        """``DELETE FROM t`` without ``WHERE``: the storage is still there, with no rows."""
        tree = parsed.tree
        if isinstance(tree, exp.Delete) and tree.args.get("where") is None:
            storage = self.origin.get(name_of(tree.this))
            if storage is not None:
                self.live.discard(storage)
                self.emptied.add(storage)
                self.result.deleted.setdefault(storage, parsed)

    def _copy(self, parsed: Parsed) -> None:
        """``INSERT … SELECT``: a copy, and a refill of the storage it writes."""
        tree = parsed.tree
        if not isinstance(tree, exp.Insert):
            return
        # each branch of a compound SELECT writes its own rows: a copy of its own
        for select in branches(tree.expression):
            self._copied(parsed, tree, select)

    def _copied(self, parsed: Parsed, tree: exp.Insert, select: exp.Select) -> None:
        """Record one SELECT of an ``INSERT`` as a copy (and a refill of a new storage)."""
        target = name_of(tree.this)
        read = _read_through_ctes(tree, select)
        storages = {self.origin.get(n, n) for n in read}
        copy = Copy(
            parsed,
            tree,
            select,
            target,
            tuple(sorted(self._carried(read))),
            self.origin.get(target, target),
            live=self._live(read),
            emptied=bool(storages) and storages <= self.emptied,
        )
        self.result.copies.append(copy)
        if copy.target_origin.startswith("+"):
            if not copy.emptied:
                carried = self.result.carried.setdefault(copy.target_origin, set())
                carried.update(copy.source_origins)
            self._refilled(Refill(parsed, copy, copy.target_origin, copy.source_origins, copy.live))

    def _rebuild_command(self, parsed: Parsed) -> None:
        """FTS5's ``INSERT INTO t(t) VALUES('rebuild')``: the index reads its content again.

        An external-content index (``content='x'``) reads table ``x``; one without the
        option reads its own content (empty in a table the file just made); a contentless
        one (``content=''``) reads nothing (SQLite refuses the command).
        """
        tree = parsed.tree
        if not isinstance(tree, exp.Insert) or not _is_rebuild_command(tree):
            return
        target = self.origin.get(name_of(tree.this), "")
        declared = self.virtual.get(target)
        if declared is None or declared.module != "fts5":
            return
        content = declared.option("content")
        # content='' names no table: a contentless index reads nothing
        read = [name_of(tree.this) if content is None else content.lower()]
        reads = tuple(sorted(self._carried(read)))
        self._refilled(Refill(parsed, None, target, reads, self._live(read)))

    def _refilled(self, refill: Refill) -> None:
        """Record a refill; its storage holds rows from now on if it read any."""
        self.result.refills.setdefault(refill.target_origin, []).append(refill)
        if refill.live:
            self.live.add(refill.target_origin)
            self.emptied.discard(refill.target_origin)

    def _live(self, names: list[str]) -> tuple[str, ...]:
        """The storages ``names`` read that hold rows now.

        A name the file does not know holds none: a refill from it proves nothing.
        """
        return tuple(sorted({s for n in names if (s := self.origin.get(n)) in self.live}))

    def _carried(self, names: list[str]) -> set[str]:
        """The storages whose rows a SELECT over ``names`` reads, through the file's backups."""
        found = {self.origin.get(n, n) for n in names}
        for storage in list(found):
            found |= self.result.carried.get(storage, set())
        return found


def _read_through_ctes(insert: exp.Insert, select: exp.Select) -> list[str]:
    """The tables one SELECT of an INSERT reads, its statement's CTEs followed to theirs.

    ``WITH numbered AS (SELECT … FROM posts) INSERT INTO posts_new … FROM numbered`` copies
    the rows of ``posts``: the CTE is a name for a query over it, not a table of the file
    (read as one, a rebuild's copy read nothing and the rebuild lost every row, MH204). A
    CTE of the SELECT itself lies inside it and is read with it.
    """
    ctes = ctes_of(insert)
    read: list[str] = []
    for name in sources(select):
        query = ctes.get(name)
        read += [n for n in sources(query) if n not in ctes] if query is not None else [name]
    return read


def _if_not_exists(sql: str) -> bool:
    """Whether a ``CREATE [TEMP|VIRTUAL] TABLE`` says ``IF NOT EXISTS`` (read by tokens)."""
    words = [t.word for t in tokens(sql) or ()][:6]
    return "IF" in words and words[words.index("IF") :][:3] == ["IF", "NOT", "EXISTS"]


def _is_rebuild_command(insert: exp.Insert) -> bool:
    """``INSERT INTO t(t) VALUES('rebuild')``: the column named after its table, one string."""
    target = insert.this
    values = insert.expression
    if not isinstance(target, exp.Schema) or not isinstance(values, exp.Values):
        return False
    columns = [name_of(c) for c in target.expressions]
    if columns != [name_of(target)] or len(values.expressions) != 1:
        return False
    row = values.expressions[0].expressions
    return (
        len(row) == 1
        and isinstance(row[0], exp.Literal)
        and row[0].is_string
        and str(row[0].this).lower() == "rebuild"
    )
