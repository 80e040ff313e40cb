"""``PRAGMA foreign_keys`` under a runner: the value in effect, and the pragmas it ignores.

SQLite ignores ``PRAGMA foreign_keys = …`` inside a transaction, and D1 ignores it always
(keys stay on). A runner that wraps each file in a transaction therefore decides which of
a file's pragmas take effect, and the value in effect at each statement is the set's keys
setting changed only by the pragmas the runner honours. A pragma the runner ignores
matters only when it asks for another value than that one: ``PRAGMA foreign_keys = OFF``
on a set whose keys are already off changes nothing, honoured or not. ``check``
(:meth:`~migration_harness.sets.targets.Target.conflicts`, the severity of a
``runner_conflict``) and ``lint`` (MH301, its ``keys_on``) read the same analysis here.

An ignored ``PRAGMA foreign_keys = OFF`` is a conflict only where keys staying on changes
what a later statement does. Given the schema the file starts on (:class:`KeyGraph`), a
rebuild of a table nothing references and that has no keys of its own (drizzle-kit's
``PRAGMA foreign_keys=OFF`` around every rebuild) does nothing else with keys on: dropping
a table no key points at fires no action and is refused by none, and the copy into a new
table without keys checks nothing. A new table with keys checks each copied row with keys
on only, so its copy depends on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlglot import exp
from sqlglot.errors import ParseError

from migration_harness.sets import parsing
from migration_harness.sets.fkshapes import declared_keys, plain_copy
from migration_harness.sets.sql import Statement

# sqlite3GetBoolean (src/pragma.c, getSafetyLevel with omitFull): these words turn keys on;
# every other word (off, no, false, full, a typo) turns them off.
_ON_WORDS: Final = frozenset({"on", "yes", "true"})
# Statements whose outcome is the same whatever foreign_keys says: creating an object checks
# no key, a pragma or a transaction statement writes no row, dropping an index or a view
# deletes none. DROP TABLE (an implicit DELETE), ALTER TABLE (ADD COLUMN … REFERENCES with
# a default is refused with keys on) and every row write can depend on keys.
_KEYS_FREE_WORDS: Final = frozenset({"CREATE", "PRAGMA", "SELECT", "ANALYZE", "REINDEX"})
_KEYS_FREE_DROPS: Final = frozenset({"INDEX", "VIEW", "TRIGGER"})
# Statements whose dependence on keys the schema decides (:class:`_Scan`).
_KNOWN_WORDS: Final = frozenset({"DROP", "ALTER", "INSERT", "REPLACE", "UPDATE", "DELETE", "WITH"})


Key = tuple[str, tuple[str, ...], str]
"""A foreign key: its table, its columns and the table they reference, lower-cased."""


@dataclass(frozen=True, slots=True)
class KeyGraph:
    """What the schema a file starts on says about foreign keys, by lower-cased table name.

    Attributes:
        parents: tables another table's foreign key references: deleting their rows or
            dropping them fires ON DELETE actions or is refused, with keys on only.
        children: tables with a foreign key of their own: their writes are checked with
            keys on only.
        triggered: tables with a trigger: a write to them may write any other table.
        keys: every foreign key as ``(table, columns, parent)``: rows a table holds
            already meet its keys when keys were on as they were written.

    """

    parents: frozenset[str]
    children: frozenset[str]
    triggered: frozenset[str]
    keys: frozenset[Key] = frozenset()


@dataclass(frozen=True, slots=True)
class IgnoredPragma:
    """A ``PRAGMA foreign_keys`` the runner ignores although it asks for another value.

    Attributes:
        statement: the pragma.
        wanted: the value the file asks for (True: keys on).
        inert: no later statement of the file can depend on the value (only pragmas,
            transaction statements, CREATE and the like follow, up to the end of the
            file or to a pragma the runner honours): drizzle-kit's trailing
            ``PRAGMA foreign_keys=ON`` after a rebuild.
        kept_setting: the value that stays is the set's own keys setting (no pragma the
            runner honoured changed it before).

    """

    statement: Statement
    wanted: bool
    inert: bool
    kept_setting: bool

    @property
    def in_effect(self) -> bool:
        """The value that stays in effect: the other one."""
        return not self.wanted

    @property
    def restores_on(self) -> bool:
        """Whether the file asks for keys on where the set's own setting keeps them off.

        Production then runs the rest of the file with keys off, as the set runs every
        file: the author's restore is lost, but nothing is done that the set does not
        always do, and an orphan left behind is its own ``fk_violation``. Never an error
        (:func:`~migration_harness.checks.severity.classify`). Not so where the file
        itself turned keys off first (a honoured ``OFF`` on a keys-on set): then keys stay
        off past the file, unlike the set's setting.
        """
        return self.wanted and self.kept_setting


def keys_value(statement: Statement) -> bool | None:
    """The value ``statement`` sets foreign keys to, read as SQLite reads it.

    ``None`` for anything but ``PRAGMA foreign_keys = …`` (a query of the pragma included).
    A number counts as its low byte (SQLite casts it to ``u8``: ``256`` is off); a word
    is on only for ``on``, ``yes`` and ``true``.
    """
    pragma = statement.pragma
    if pragma is None or pragma[0] != "foreign_keys" or not pragma[1]:
        return None
    value = pragma[1].removeprefix("+").split()[0]
    if value[:1].isdigit():
        return _atoi(value) & 0xFF != 0
    return value in _ON_WORDS


def _atoi(text: str) -> int:
    """SQLite's ``sqlite3Atoi``: a hexadecimal or decimal prefix, 0 when none."""
    if text[:2].lower() == "0x":
        digits = text[2:]
        end = next((i for i, c in enumerate(digits) if c not in "0123456789abcdef"), None)
        return int(digits[:end], 16) if digits[:end] else 0
    end = next((i for i, c in enumerate(text) if not c.isdigit()), len(text))
    return int(text[:end])


def keys_in_effect(
    statements: Sequence[Statement], open_at: Sequence[bool], start: bool, *, always_on: bool
) -> tuple[bool, ...]:
    """Whether foreign keys are enforced when each statement runs, and after the last one.

    Args:
        statements: the file's statements, in the order the runner sends them.
        open_at: whether a transaction is open when each runs
            (:func:`~migration_harness.sets.sql.open_before`).
        start: the set's keys setting, in effect when the file starts.
        always_on: D1, which enforces keys whatever the file says.

    """
    on = start or always_on
    values = []
    for statement, in_transaction in zip(statements, open_at, strict=False):
        values.append(on)
        wanted = keys_value(statement)
        if wanted is not None and not (in_transaction or always_on):
            on = wanted
    return (*values, on)


def ignored_pragmas(
    statements: Sequence[Statement],
    open_at: Sequence[bool],
    start: bool,
    *,
    always_on: bool,
    graph: KeyGraph | None = None,
) -> tuple[IgnoredPragma, ...]:
    """The pragmas the runner ignores that ask for another value than the one in effect.

    A pragma asking for the value already in effect is no conflict: honoured or not, the
    file runs the same (a ``PRAGMA foreign_keys = OFF`` on a keys-off set, the ``ON``
    after an ``OFF`` that was itself ignored). Nor is an ``OFF`` that nothing after it
    depends on in the schema ``graph`` describes (``inert``): keys stay on, and every
    statement does what it would have done with them off. Without a graph (the file read
    alone) every such ``OFF`` is reported, as the file may run on any schema. Other
    arguments as for :func:`keys_in_effect`.
    """
    values = keys_in_effect(statements, open_at, start, always_on=always_on)
    setting = values[0]
    found = []
    for at, (statement, in_transaction) in enumerate(zip(statements, open_at, strict=False)):
        wanted = keys_value(statement)
        if wanted is None or wanted == values[at] or not (in_transaction or always_on):
            continue
        inert = _nothing_depends(
            statements[at + 1 :], open_at[at + 1 :], always_on=always_on, graph=graph
        )
        if inert and not wanted and graph is not None:
            continue
        found.append(IgnoredPragma(statement, wanted, inert, values[at] == setting))
    return tuple(found)


def _nothing_depends(
    later: Sequence[Statement],
    open_at: Sequence[bool],
    *,
    always_on: bool,
    graph: KeyGraph | None,
) -> bool:
    """Whether no statement in ``later`` runs otherwise with keys on than with keys off.

    Looked at up to a pragma the runner honours, which sets the value afresh. Tables the
    statements create are followed (:class:`_Scan`).
    """
    scan = _Scan(graph)
    for statement, in_transaction in zip(later, open_at, strict=False):
        if keys_value(statement) is not None and not (in_transaction or always_on):
            return True
        if not scan.keys_free(statement):
            return False
    return True


class _Scan:
    """The key graph as the statements after a pragma change it, one statement at a time.

    A table the file creates holds only the rows the file copies into it: without keys of
    its own nothing checks them. With keys, each row copied in is checked with keys on
    only, and a missing parent stops the migration that keys off would have let through
    (programmerbar 0005 on D1: the rebuild adds ``REFERENCES event`` over shifts whose
    event is gone). A key it declares makes its parent a parent; a trigger it creates
    (whose table SQLite alone reads) makes every later write a possible write of anything.
    """

    def __init__(self, graph: KeyGraph | None) -> None:
        self.graph = graph
        self.parents: set[str] = set(graph.parents) if graph is not None else set()
        self.created: set[str] = set()
        self.created_keys: dict[str, set[tuple[tuple[str, ...], str]] | None] = {}
        self.new_trigger = False

    def keys_free(self, statement: Statement) -> bool:
        """Whether the statement's outcome cannot depend on foreign keys."""
        words = statement.keywords
        if not words or statement.is_transaction_control or words[0] in _KEYS_FREE_WORDS:
            self._created(statement, words)
            return True
        if words[0] == "DROP" and words[1:2] != () and words[1] in _KEYS_FREE_DROPS:
            return True
        if self.graph is None or words[0] not in _KNOWN_WORDS:
            return False
        try:
            tree = parsing.parse_one(statement.sql)
        except ParseError:
            return False
        return self._tree_free(tree)

    def _created(self, statement: Statement, words: tuple[str, ...]) -> None:
        """Note what a CREATE adds: a table, its keys' parents, a trigger."""
        if words[:1] != ("CREATE",):
            return
        if "TRIGGER" in words[1:4]:
            self.new_trigger = True
            return
        if "TABLE" not in words[1:4] or self.graph is None:
            return
        try:
            tree = parsing.parse_one(statement.sql)
        except ParseError:
            self.parents.add("*")  # a key to an unknown table: any DROP may meet it
            return
        references = list(tree.find_all(exp.Reference))
        if isinstance(tree, exp.Create) and isinstance(tree.this, exp.Schema | exp.Table):
            name = _name(tree.this)
            self.created.add(name)
            if references:
                self.created_keys[name] = _declared_keys(tree)
        for reference in references:
            self.parents.add(_name(reference.this))

    def _tree_free(self, tree: exp.Expr) -> bool:
        """:meth:`keys_free` of a parsed DROP TABLE, ALTER TABLE or row write."""
        graph = self.graph
        assert graph is not None
        if isinstance(tree, exp.Drop):
            tables = tree.args.get("tables") or [tree.this]
            return (
                str(tree.args.get("kind")).upper() == "TABLE"
                and isinstance(tables[0], exp.Table)
                and not self._parent(tables[0])
            )
        if isinstance(tree, exp.Alter):
            # RENAME carries keys forward whatever foreign_keys says (SQLite >= 3.26);
            # ADD COLUMN … REFERENCES with a default is refused with keys on only.
            return tree.find(exp.Reference) is None
        if not isinstance(tree, exp.Insert | exp.Update | exp.Delete):
            return False
        table = tree.this
        if isinstance(table, exp.Schema):
            table = table.this
        if not isinstance(table, exp.Table):
            return False
        name = _name(table)
        if self._parent(table) or name in graph.triggered or self.new_trigger:
            return False
        if name in self.created_keys and not isinstance(tree, exp.Delete):
            return self._copy_meets_keys(tree, self.created_keys[name])
        # a DELETE of rows nothing references checks no key; a keyless table the file
        # created checks none; other tables with keys check each write
        return isinstance(tree, exp.Delete) or name in self.created or name not in graph.children

    def _copy_meets_keys(
        self, tree: exp.Expr, keys: set[tuple[tuple[str, ...], str]] | None
    ) -> bool:
        """Whether a write into a table the file created with ``keys`` checks nothing new.

        Keys on check every row written there, and refuse one whose parent is missing
        where keys off would have let it through (programmerbar 0005 on D1: the rebuild
        adds ``REFERENCES event`` over shifts whose event is gone). A plain copy
        (``INSERT INTO new (…) SELECT col, … FROM old``) of columns that already carried
        the same keys in ``old`` is free: those rows met them as they were written, keys
        being on (the ignored pragma says they are). Anything else may be refused.
        """
        graph = self.graph
        copy = plain_copy(tree)
        if keys is None or graph is None or copy is None:
            return False
        moved = {target: copy.column_from(target) for target in copy.fed}
        if any(column is None for column in moved.values()):
            return False
        old = copy.source.lower()
        had = {(columns, parent) for table, columns, parent in graph.keys if table == old}
        for columns, parent in keys:
            if not all(c in moved for c in columns):
                continue  # not written by the copy: NULL or its default
            if (tuple(str(moved[c]).lower() for c in columns), parent) not in had:
                return False
        return True

    def _parent(self, table: exp.Expr) -> bool:
        """Whether another table's key may reference ``table``."""
        return "*" in self.parents or _name(table) in self.parents


def _declared_keys(tree: exp.Expr) -> set[tuple[tuple[str, ...], str]] | None:
    """The foreign keys a CREATE TABLE declares, as ``(columns, parent)``; ``None``: unread."""
    keys: set[tuple[tuple[str, ...], str]] = set()
    for columns, reference in declared_keys(tree):
        if columns is None:
            return None
        keys.add((tuple(c.lower() for c in columns), _name(reference.this)))
    return keys


def _name(table: exp.Expr) -> str:
    """The lower-cased name of a table node (a ``Schema`` wraps a CREATE TABLE's)."""
    if isinstance(table, exp.Schema):
        table = table.this
    return table.name.lower() if isinstance(table, exp.Table) else ""
