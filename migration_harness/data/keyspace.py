"""Text primary keys of unrelated tables never share a value, as minted ids never do.

An application mints a text id per row (a UUID, a nanoid, a cuid), so a ``threads.id``
never equals a ``channels.id``. The generator's pools are shared by every column, and
shrinking sends each key to the first entries (''), so two unrelated tables got the same
id and migrations failed on data no production database holds (a copy of threads into
channels failing on UNIQUE). Here a text key value already held by a table of another
*group* is replaced by a variant (``'' -> '-1'``): a deterministic function of the
drawn value, so examples still shrink and replay.

Tables are in one group when a foreign key makes one's key a reference to the other or
the set's SQL links their key columns (:mod:`~migration_harness.schema.keylinks`): there
equal ids are what the data means, and a collision is a real case. ``INTEGER`` keys are
left alone: autoincrement counters of different tables really do hand out the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping

from migration_harness.data.dataset import Value
from migration_harness.schema.model import Schema, Table

Link = frozenset[tuple[str, str]]  # two (table, column) pairs, lower-cased


def text_keys(table: Table) -> tuple[str, ...]:
    """The primary-key columns of ``table`` that hold text ids (not INTEGER)."""
    out = []
    for column in table.columns:
        kind = column.type.upper() if table.strict else column.affinity
        if column.pk > 0 and kind not in ("INTEGER", "INT"):
            out.append(column.name)
    return tuple(out)


def key_groups(schema: Schema, names: Iterable[str], links: Iterable[Link]) -> dict[str, str]:
    """Each table of ``names`` -> its group (a representative table, lower-cased).

    Joined by a foreign key whose columns are the child's key (``bookmarkAssets.id
    REFERENCES bookmarks(id)``: the child's ids *are* the parent's), or by a link between
    a key column of each. Any other foreign key says nothing of the keys: nearly every
    table of an application references ``user``, and its own ids are minted apart.
    """
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        parent.setdefault(name, name)
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    def join(one: str, other: str) -> None:
        parent[find(one)] = find(other)

    tables = {name.lower(): schema.tables[name] for name in names if name in schema.tables}
    keys = {name: {c.lower() for c in text_keys(table)} for name, table in tables.items()}
    for name, table in tables.items():
        find(name)
        for fk in table.foreign_keys:
            if any(c.lower() in keys[name] for c in fk.columns):
                join(name, fk.other_table.lower())
    for link in links:
        ends = sorted(link)
        if len(ends) == 2 and all(column in keys.get(table, ()) for table, column in ends):
            join(ends[0][0], ends[1][0])
    return {name: find(name.lower()) for name in names}


def id_columns(
    schema: Schema, names: Iterable[str], pending: Iterable[Link]
) -> dict[str, tuple[str, ...]]:
    """Plain columns (table -> column) a later copy puts into another table's text key.

    ``INSERT INTO assets (id) SELECT assetId FROM bookmarkAssets`` says ``assetId`` holds
    asset ids, minted apart from the ids ``assets`` holds before the copy: it is kept
    apart from them like a key of its table.
    """
    tables = {name.lower(): name for name in names if name in schema.tables}
    keys = {
        low: {c.lower() for c in text_keys(schema.tables[name])} for low, name in tables.items()
    }
    out: dict[str, tuple[str, ...]] = {}
    for link in pending:
        ends = sorted(link)
        if len(ends) != 2:
            continue
        for (table, column), (other, key) in (ends, ends[::-1]):
            if key not in keys.get(other, ()) or table not in tables or column in keys[table]:
                continue
            fks = schema.tables[tables[table]].foreign_keys
            if any(column in (c.lower() for c in fk.columns) for fk in fks):
                continue  # its values come from the parent
            if column not in out.get(tables[table], ()):
                out[tables[table]] = (*out.get(tables[table], ()), column)
    return out


class KeySpace:
    """Who holds each text key value so far: the values a new row must stay clear of."""

    def __init__(
        self, groups: Mapping[str, str], extra: Mapping[str, tuple[str, ...]] | None = None
    ) -> None:
        self.groups = groups
        # Plain columns that hold ids all the same (:func:`id_columns`), per table.
        self.extra = extra or {}
        self._owner: dict[str, str] = {}

    def remember(self, table: str, columns: tuple[str, ...], values: Mapping[str, Value]) -> None:
        """Record the key values of a row of ``table`` (the first holder keeps a value)."""
        group = self._group(table)
        for value in key_values(columns + self.extra.get(table, ()), values):
            self._owner.setdefault(value, group)

    def remember_values(self, table: str, values: Iterable[str]) -> None:
        """:meth:`remember` for values already picked from rows, in the rows' order."""
        group = self._group(table)
        for value in values:
            self._owner.setdefault(value, group)

    def separate(
        self, table: str, columns: tuple[str, ...], values: MutableMapping[str, Value]
    ) -> None:
        """Replace each key value another group holds by the first variant none holds."""
        group = self._group(table)
        wanted = {c.lower() for c in columns + self.extra.get(table, ())}
        for name, value in list(values.items()):
            if name.lower() not in wanted or not isinstance(value, str):
                continue
            candidate, n = value, 0
            while self._owner.get(candidate, group) != group:
                n += 1
                candidate = f"{value}-{n}"
            values[name] = candidate

    def _group(self, table: str) -> str:
        return self.groups.get(table, table.lower())


def key_values(columns: tuple[str, ...], values: Mapping[str, Value]) -> list[str]:
    """The text values ``values`` holds under ``columns`` (names compared without case)."""
    wanted = {c.lower() for c in columns}
    return [v for k, v in values.items() if k.lower() in wanted and isinstance(v, str)]
