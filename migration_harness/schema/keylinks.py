"""Which text keys of different tables the set's own SQL treats as one kind of value.

Applications mint text ids per table (a UUID, a nanoid): an ``assets.id`` never equals a
``bookmarks.id``. A generator that draws both from one pool makes them collide ('' and
'') and invents failures no production database can have, such as a copy of one table's
ids into another's primary key failing on UNIQUE. So the generator keeps the text keys of
different tables apart (:mod:`~migration_harness.data.strategies`), except where the
set's SQL links the two columns:

- a comparison between them (``JOIN b ON b.id = a.id``, ``WHERE a.id IN (SELECT id FROM
  b)``): the author expects equal values, at every version;
- a copy of one into the other (``INSERT INTO b (id) SELECT a.id FROM a``): from that
  migration on, the ids of ``b`` are ids of ``a``. Before it they are not: the copy itself
  is checked on ids the application minted apart. A plain column a later copy puts into a
  key (``INSERT INTO assets (id) SELECT assetId FROM bookmarkAssets``) holds such ids
  too, so until that copy it is kept apart from the key like a key.

Foreign keys link tables too; the generator reads those from the schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlglot import exp

from migration_harness.schema.usage import Column, parse_sql, table_of
from migration_harness.sets.records import MigrationSet
from migration_harness.sets.sql import split_statements
from migration_harness.sets.tokens import mentions

Link = frozenset[Column]  # two (table, column) pairs, lower-cased


@dataclass(frozen=True, slots=True)
class KeyLinks:
    """The column links of a set.

    Attributes:
        compared: pairs some statement of the set compares (they hold at every version).
        copied: ``(k, pair)``: migration k copies one column of the pair into the other
            (they hold at version k and after).
    """

    compared: frozenset[Link] = frozenset()
    copied: tuple[tuple[int, Link], ...] = ()

    def at(self, version: int) -> frozenset[Link]:
        """The links that hold for data at ``version`` (after migrations 1..version)."""
        return self.compared | {link for k, link in self.copied if k <= version}

    def pending(self, version: int) -> frozenset[Link]:
        """The copies still to come after ``version``: their columns hold minted ids."""
        return frozenset(link for k, link in self.copied if k > version)


def key_links(mset: MigrationSet) -> KeyLinks:
    """The comparisons and copies between columns of different tables in ``mset``'s files."""
    compared: set[Link] = set()
    copied: list[tuple[int, Link]] = []
    for k, migration in enumerate(mset.migrations, start=1):
        for text in (migration.up_sql, migration.down_sql):
            if not text:
                continue
            for statement in split_statements(text):
                tree = parse_sql(statement.sql) if _relevant(statement.sql) else None
                if tree is None:
                    continue
                compared.update(comparisons(tree))
                copied.extend((k, link) for link in copies(tree))
    return KeyLinks(frozenset(compared), tuple(copied))


def _relevant(sql: str) -> bool:
    """Only statements that can compare or copy columns are worth parsing.

    A comparison is an ``=`` or an ``IN (SELECT …)``, a copy an ``INSERT … SELECT``: a
    statement with neither ``=`` nor SELECT has none (a seed's long ``INSERT … VALUES``,
    which sqlglot took 40 s to parse at 1 MB).
    """
    head = sql.lstrip().upper()
    writes = head.startswith(("INSERT", "SELECT", "UPDATE", "DELETE", "WITH", "REPLACE"))
    return writes and ("=" in sql or mentions(sql, "SELECT"))


def comparisons(tree: exp.Expr) -> set[Link]:
    """Pairs of columns of different tables that ``tree`` tests for equality."""
    out: set[Link] = set()
    for node in tree.walk():
        if isinstance(node, exp.EQ):
            out.update(_pair(node.this, node.expression))
        elif isinstance(node, exp.In) and isinstance(node.args.get("query"), exp.Expr):
            query = node.args["query"]
            select = query.this if isinstance(query, exp.Subquery) else query
            if isinstance(select, exp.Select) and len(select.expressions) == 1:
                out.update(_pair(node.this, _unaliased(select.expressions[0])))
    return out


def copies(tree: exp.Expr) -> set[Link]:
    """Pairs (target column, source column) an ``INSERT … SELECT`` copies."""
    if not isinstance(tree, exp.Insert) or not isinstance(tree.this, exp.Schema):
        return set()  # without a column list the target columns are the table's order
    target = tree.this.this
    if not isinstance(target, exp.Table):
        return set()
    names = [c.name.lower() for c in tree.this.expressions if isinstance(c, exp.Identifier)]
    out: set[Link] = set()
    for select in _selects(tree.expression):
        for name, expression in zip(names, select.expressions, strict=False):
            source = _unaliased(expression)
            if isinstance(source, exp.Column) and source.name:
                table = table_of(source)
                if table is not None and table != target.name.lower():
                    out.add(frozenset({(target.name.lower(), name), (table, source.name.lower())}))
    return out


def _selects(node: exp.Expr | None) -> Iterator[exp.Select]:
    """The SELECTs whose rows an INSERT takes (each side of a UNION)."""
    if isinstance(node, exp.Select):
        yield node
    elif isinstance(node, exp.Union):
        yield from _selects(node.this)
        yield from _selects(node.expression)
    elif isinstance(node, exp.Subquery):
        yield from _selects(node.this)


def _unaliased(node: exp.Expr) -> exp.Expr:
    return node.this if isinstance(node, exp.Alias) else node


def _pair(left: exp.Expr | None, right: exp.Expr | None) -> Iterable[Link]:
    """The link between two compared columns of different tables (none if unsure)."""
    if not isinstance(left, exp.Column) or not isinstance(right, exp.Column):
        return ()
    one, other = table_of(left), table_of(right)
    if one is None or other is None or one == other:
        return ()
    return (frozenset({(one, left.name.lower()), (other, right.name.lower())}),)
