"""schema.model: introspection into records that compare equal for equivalent SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migration_harness.schema.model import (
    Check,
    Column,
    ForeignKey,
    Index,
    Schema,
    Table,
    Trigger,
    View,
    introspect,
    schema_from_sql,
)
from migration_harness.sets import runner
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

DB = Path(__file__).resolve().parent.parent / "db"

SHOP = """
CREATE TABLE customers(
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL UNIQUE,
    region  TEXT NOT NULL,
    code    TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT (datetime( 'now' )),
    tier    TEXT DEFAULT 'basic' CHECK (tier IN ('basic', 'gold')),
    UNIQUE (region, code)
);
"""
ORDERS = """
CREATE TABLE customers(
    id     INTEGER PRIMARY KEY,
    region TEXT NOT NULL,
    code   TEXT NOT NULL,
    UNIQUE (region, code)
);
CREATE TABLE orders(
    id          INTEGER PRIMARY KEY,
    region      TEXT NOT NULL,
    code        TEXT,
    total_cents INTEGER NOT NULL DEFAULT 0 CHECK (total_cents >= 0),
    note        TEXT,
    FOREIGN KEY (region, code) REFERENCES customers(region, code) ON DELETE CASCADE,
    CHECK (note IS NULL OR length(note) <= 200)
);
CREATE UNIQUE INDEX idx_orders_code ON orders(code) WHERE code IS NOT NULL;
CREATE INDEX idx_orders_lower_note ON orders(lower(note));
CREATE INDEX idx_orders_region_total ON orders(region, total_cents DESC);
CREATE TRIGGER trg_orders_note AFTER INSERT ON orders BEGIN
    UPDATE orders SET note = 'new' WHERE id = NEW.id AND note IS NULL;
END;
CREATE VIEW big_orders AS SELECT id, total_cents FROM orders WHERE total_cents > 10000;
"""


@pytest.fixture(scope="module")
def orders() -> Schema:
    return schema_from_sql(ORDERS)


def index(schema: Schema, name: str) -> Index:
    return next(i for i in schema.indexes if i.name == name)


def test_introspect_reads_column_type_notnull_and_pk() -> None:
    table = schema_from_sql("CREATE TABLE t(id INTEGER PRIMARY KEY, name varchar(20) NOT NULL);")
    assert table_columns(table.tables["t"]) == [
        ("id", "INTEGER", False, 1),
        ("name", "VARCHAR(20)", True, 0),
    ]


def table_columns(table: Table) -> list[tuple[str, str, bool, int]]:
    return [(c.name, c.type, c.notnull, c.pk) for c in table.columns]


def test_introspect_normalises_function_defaults() -> None:
    schema = schema_from_sql(SHOP)
    assert schema.tables["customers"].column("created").default == "DATETIME('now')"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("DEFAULT (datetime( 'now' ))", "DEFAULT (DATETIME('now'))"),
        ("DEFAULT 'fan'", "DEFAULT ('fan')"),
        ("DEFAULT 0", "DEFAULT (0)"),
        ("DEFAULT CURRENT_TIMESTAMP", "default current_timestamp"),
    ],
)
def test_equivalent_defaults_compare_equal(first: str, second: str) -> None:
    a = schema_from_sql(f"CREATE TABLE t(x TEXT {first});")
    b = schema_from_sql(f"CREATE TABLE t(x TEXT {second});")
    assert a.tables["t"].column("x").default == b.tables["t"].column("x").default


def test_different_defaults_do_not_compare_equal() -> None:
    a = schema_from_sql("CREATE TABLE t(x TEXT DEFAULT 'fan');")
    b = schema_from_sql("CREATE TABLE t(x TEXT DEFAULT 'Fan');")
    assert a != b


def test_introspect_reads_a_composite_foreign_key_with_on_delete(orders: Schema) -> None:
    assert orders.tables["orders"].foreign_keys == (
        ForeignKey("orders", ("region", "code"), "customers", ("region", "code"), "CASCADE"),
    )


def test_foreign_key_without_column_list_resolves_to_parent_primary_key() -> None:
    schema = schema_from_sql(
        "CREATE TABLE p(id INTEGER PRIMARY KEY); CREATE TABLE c(p_id REFERENCES p);"
    )
    assert schema.tables["c"].foreign_keys[0].other_columns == ("id",)


def test_introspect_reads_a_partial_unique_index(orders: Schema) -> None:
    found = index(orders, "idx_orders_code")
    assert (found.columns, found.unique, found.where, found.is_partial) == (
        ("code",),
        True,
        "NOT code IS NULL",
        True,
    )


def test_introspect_reads_an_expression_index(orders: Schema) -> None:
    found = index(orders, "idx_orders_lower_note")
    assert (found.columns, found.unique, found.where) == (("LOWER(note)",), False, None)


def test_introspect_reads_index_column_order(orders: Schema) -> None:
    assert index(orders, "idx_orders_region_total").columns == ("region", "total_cents DESC")


def test_introspect_reads_constraint_indexes_by_origin(orders: Schema) -> None:
    found = [(i.origin, i.columns, i.unique) for i in orders.tables["customers"].indexes]
    assert found == [("u", ("region", "code"), True)]


def test_introspect_parses_column_and_table_checks(orders: Schema) -> None:
    assert orders.tables["orders"].checks == (
        Check("total_cents >= 0", "total_cents"),
        Check("note IS NULL OR LENGTH(note) <= 200", None),
    )


def test_introspect_reads_triggers_normalised(orders: Schema) -> None:
    assert orders.triggers == (
        Trigger(
            "trg_orders_note",
            "orders",
            "create trigger trg_orders_note after insert on orders begin update orders set "
            "note = 'new' where id = new . id and note is null ; end",
        ),
    )


def test_introspect_reads_views_normalised() -> None:
    schema = schema_from_sql(
        "CREATE TABLE t(id, note);\n"
        'CREATE VIEW "Noted" AS\n  SELECT id FROM t\n  WHERE note IS NOT NULL;'
    )
    assert schema.views == (
        View("Noted", "create view noted as select id from t where note is not null"),
    )


def test_normalised_view_sql_keeps_numbers_whole(orders: Schema) -> None:
    assert orders.views == (
        View(
            "big_orders",
            "create view big_orders as select id , total_cents from orders "
            "where total_cents > 10000",
        ),
    )


def test_introspect_reads_strict_and_without_rowid() -> None:
    schema = schema_from_sql(
        "CREATE TABLE s(a INTEGER PRIMARY KEY) STRICT;"
        "CREATE TABLE w(a TEXT PRIMARY KEY) WITHOUT ROWID;"
    )
    assert (schema.tables["s"].strict, schema.tables["s"].without_rowid) == (True, False)
    assert (schema.tables["w"].strict, schema.tables["w"].without_rowid) == (False, True)


REFORMATTED_ORDERS = """
create table if not exists "customers" ( "id" integer primary key , region text not null,
  code text not null, unique(region,code) ) ;
create table [orders] (
  id integer primary key, region text not null, code text,
  total_cents integer not null default (0) check(total_cents>=0),
  note text,
  foreign key (region,code) references customers (region,code) on delete cascade,
  check (note is null or LENGTH( note )<=200));
create unique index if not exists idx_orders_code on orders (code) where code is not null;
create index idx_orders_lower_note on orders ( LOWER(note) );
create index idx_orders_region_total on orders(region, total_cents desc);
create trigger if not exists "trg_orders_note" after insert on `orders` begin
  update orders set note='new' where id=new.id and note is null; end;
create view if not exists big_orders as
  select id, total_cents
  from orders
  where total_cents > 10000;
"""


def test_differently_formatted_equivalent_sql_gives_equal_schemas(orders: Schema) -> None:
    assert schema_from_sql(REFORMATTED_ORDERS) == orders


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("CREATE TABLE t(a INTEGER PRIMARY KEY);", "CREATE TABLE t(a INTEGER, PRIMARY KEY (a));"),
        ("CREATE TABLE t(a double precision);", "CREATE TABLE t(a DOUBLE   PRECISION);"),
        (
            "CREATE TABLE t(a INTEGER CHECK (a IN (0,1)));",
            "CREATE TABLE t(a INTEGER CHECK(a in (0, 1)));",
        ),
        ("CREATE TABLE t(a TEXT) STRICT;", "create table t(a text) strict;"),
        pytest.param(
            "CREATE TABLE t(a VARCHAR(255));",
            "CREATE TABLE t(a varchar( 255 ));",
            id="type-spaces-in-parens",
        ),
        pytest.param(
            "CREATE TABLE t(a DECIMAL(10,2));",
            "CREATE TABLE t(a DECIMAL(10, 2));",
            id="type-space-after-comma",
        ),
        pytest.param(
            "CREATE TABLE t(a INTEGER); CREATE INDEX i ON t(a) WHERE a > 0;",
            "CREATE TABLE t(a INTEGER); CREATE INDEX i ON t(a) WHERE (a > 0);",
            id="partial-where-parentheses",
        ),
    ],
)
def test_equivalent_table_sql_gives_equal_schemas(first: str, second: str) -> None:
    assert schema_from_sql(first) == schema_from_sql(second)


def test_index_name_is_part_of_an_explicit_index() -> None:
    a = schema_from_sql("CREATE TABLE t(a); CREATE INDEX i1 ON t(a);")
    b = schema_from_sql("CREATE TABLE t(a); CREATE INDEX i2 ON t(a);")
    assert a != b


def test_exclude_leaves_bookkeeping_tables_out() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        runner.migrate(conn, discover(DB), TARGETS["sqlite"], to=1)
        everything = set(introspect(conn).tables)
        user = set(introspect(conn, exclude=runner.BOOKKEEPING_TABLES).tables)
    finally:
        conn.close()
    assert {"d1_migrations", "migration_harness_checksums"} <= everything
    assert user == {"users", "artists", "artist_followers"}


def test_sqlite_internal_tables_are_always_left_out() -> None:
    schema = schema_from_sql("CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT);")
    assert set(schema.tables) == {"t"}


def test_introspect_never_writes() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.executescript(ORDERS)
        before = conn.total_changes
        data_version = conn.execute("PRAGMA schema_version").fetchone()
        introspect(conn)
        assert (conn.total_changes, conn.execute("PRAGMA schema_version").fetchone()) == (
            before,
            data_version,
        )
    finally:
        conn.close()


def test_column_affinity_follows_sqlite_rules() -> None:
    declared = ["BIGINT", "VARCHAR(3)", "", "DOUBLE", "DECIMAL(10,2)", "BLOB"]
    assert [Column("c", t).affinity for t in declared] == [
        "INTEGER",
        "TEXT",
        "BLOB",
        "REAL",
        "NUMERIC",
        "BLOB",
    ]


def test_insert_order_puts_parents_before_children(orders: Schema) -> None:
    assert orders.insert_order() == ["customers", "orders"]


_FTS_AND_RTREE = """
CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT);
CREATE VIRTUAL TABLE notes_fts USING fts5(title, body, content='notes', content_rowid='id');
CREATE VIRTUAL TABLE places USING rtree(id, min_x, max_x);
CREATE TABLE notes_fts_archive (id INTEGER PRIMARY KEY);
"""


def test_virtual_tables_stay_and_their_shadow_tables_are_not_part_of_the_schema() -> None:
    """Rows generated into FTS5/R*Tree shadow tables corrupt the index: never drawn."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(_FTS_AND_RTREE)
    schema = introspect(conn)
    assert sorted(schema.tables) == ["notes", "notes_fts", "notes_fts_archive", "places"]
    assert schema.tables["notes_fts"].virtual


def test_shadow_tables_without_pragma_table_list_come_from_module_suffixes() -> None:
    """SQLite before 3.37 has no ``PRAGMA table_list``: the suffixes give the same set."""
    from migration_harness.schema.model import _shadow_tables

    conn = sqlite3.connect(":memory:")
    conn.executescript(_FTS_AND_RTREE)
    rows = tuple(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    listed = _shadow_tables(conn, rows)

    class OldSqlite:
        def execute(self, sql: str) -> object:
            msg = f"unknown pragma: {sql}"
            raise sqlite3.OperationalError(msg)

    assert _shadow_tables(OldSqlite(), rows) == listed  # type: ignore[arg-type]
    assert "notes_fts_data" in listed
    assert "places_node" in listed
    assert "notes_fts_archive" not in listed


def _versions_of_a_chain(length: int) -> list[Schema]:
    """The schema after each step of a chain that adds one table per step."""
    conn = sqlite3.connect(":memory:")
    schemas = []
    for i in range(length):
        conn.execute(f"CREATE TABLE T{i} (id INTEGER PRIMARY KEY, note TEXT)")
        schemas.append(introspect(conn))
    return schemas


def test_the_schema_cache_keys_a_version_by_a_digest_not_by_its_sql() -> None:
    """Keying by the SQL itself kept every version's whole schema text: quadratic memory."""
    from migration_harness.schema import model

    _versions_of_a_chain(40)
    sizes = [len(part) for key in model._SCHEMA_CACHE for part in key if isinstance(part, str)]
    assert max(sizes, default=0) <= 64


def test_versions_share_their_table_names_and_lower_cased_names() -> None:
    """A fresh string per table per version made a long history's name maps quadratic."""
    first, last = _versions_of_a_chain(30)[-2:]
    same = [name for name in first.tables if name in last.tables]
    assert same
    for name in same:
        key_first = next(k for k in first.tables if k == name)
        key_last = next(k for k in last.tables if k == name)
        assert key_first is key_last
        lower_first = next(k for k in first.by_lower_name if k == name.lower())
        lower_last = next(k for k in last.by_lower_name if k == name.lower())
        assert lower_first is lower_last


def test_by_lower_name_is_a_view_not_a_copy_per_schema() -> None:
    """Every version of a long history has a schema record; a dict of its own per
    record for the lower-cased names grew with the square of the history's length."""
    import tracemalloc

    from migration_harness.schema.records import Column, Schema, Table

    tables = {f"T{i}": Table(f"T{i}", (Column("id"),)) for i in range(500)}
    schema = Schema(tables)
    assert schema._names  # the name map the view reads, built first
    tracemalloc.start()
    view = schema.by_lower_name
    grown = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert grown < 4096
    assert dict(view) == {name.lower(): table for name, table in tables.items()}
    assert view["t7"] is tables["T7"]
    assert "t499" in view
    assert "T7" not in view
    assert view.get("nope") is None
    assert len(view) == 500
