"""Per-version maps derived from the previous version's equal the ones built from scratch.

Version k of a long history shares all but a few table records with version k - 1, so the
hinted schema, the scopes' :class:`Links` and a widened schema are derived from what was
computed last instead of scanning every table again (issue 17). Each shortcut must give
exactly what the full computation gives, and fall back to it where it cannot.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from migration_harness.checks import fkscope
from migration_harness.checks.engine import Engine
from migration_harness.checks.reach import Scope, Scopes
from migration_harness.schema.model import ForeignKey, Schema, introspect
from migration_harness.schema.records import table_changes
from migration_harness.schema.usage import with_hints
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

DB = Path(__file__).resolve().parent.parent / "db"

BASE = """
CREATE TABLE p(id INTEGER PRIMARY KEY, code TEXT UNIQUE);
CREATE TABLE c(id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id), meta TEXT DEFAULT '[]');
CREATE INDEX c_p ON c(p_id);
CREATE TABLE u(id INTEGER PRIMARY KEY, gone INTEGER REFERENCES nowhere(id));
"""

# Each step is one migration; the schema after it is compared with the one before.
STEPS = {
    "add_child": "CREATE TABLE g(id INTEGER PRIMARY KEY, c_id INTEGER REFERENCES c(id));",
    "add_index": "CREATE INDEX c_meta ON c(meta);",
    "drop_child": "DROP TABLE c;",
    "rename_parent": "ALTER TABLE p RENAME TO p2;",
    "create_missing_parent": "CREATE TABLE nowhere(id INTEGER PRIMARY KEY);",
    "rebuild_child": (
        "CREATE TABLE c_new(id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES u(id));"
        "DROP TABLE c; ALTER TABLE c_new RENAME TO c; CREATE INDEX c_p ON c(p_id);"
    ),
    "move_index": "DROP INDEX c_p; CREATE INDEX c_p ON u(gone);",
    "virtual": "CREATE VIRTUAL TABLE notes USING fts5(body);",
}


def _schemas(step: str) -> tuple[Schema, Schema]:
    """The schema before and after ``step`` (introspection shares unchanged records)."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(BASE)
    before = introspect(conn)
    conn.executescript(STEPS[step])
    return before, introspect(conn)


def _same_links(one: fkscope.Links, other: fkscope.Links) -> bool:
    return (one.referrers, one.index_tables, one.virtual) == (
        other.referrers,
        other.index_tables,
        other.virtual,
    )


@pytest.mark.parametrize("step", sorted(STEPS))
def test_links_derived_from_the_version_before_equal_a_full_scan(step: str) -> None:
    before, after = _schemas(step)
    fkscope.links.clear()
    fkscope.links(before)
    assert _same_links(fkscope.links(after), fkscope._links_of(after))


def test_links_of_a_virtual_table_are_scanned_not_derived() -> None:
    before, after = _schemas("virtual")
    assert fkscope._links_from(after, before, fkscope._links_of(before)) is None
    assert fkscope.links(after).virtual


def test_an_index_not_where_the_known_links_say_takes_the_full_scan() -> None:
    """Links that do not match the schema they claim (never from introspection) are
    not patched: the derivation notices the index elsewhere and the map is scanned."""
    before, after = _schemas("move_index")
    known = fkscope._links_of(before)
    wrong = fkscope.Links(known.referrers, {**known.index_tables, "c_p": "u"}, False)
    assert fkscope._links_from(after, before, wrong) is None


def test_table_changes_name_only_the_records_that_differ() -> None:
    before, after = _schemas("rebuild_child")
    changes = table_changes(after, before)
    assert changes is not None
    gone, came = changes
    assert [t.name for t in gone] == ["c"]
    assert [t.name for t in came] == ["c"]
    assert gone[0] is before.tables["c"]
    assert came[0] is after.tables["c"]
    assert table_changes(after, Schema({}), limit=0) is None


@pytest.mark.parametrize("step", sorted(STEPS))
def test_hints_from_a_base_equal_hints_computed_for_every_table(step: str) -> None:
    before, after = _schemas(step)
    columns = frozenset({("c", "meta"), ("g", "c_id"), ("u", "gone")})
    base = (before, with_hints(before, columns))
    derived = with_hints(after, columns, base=base)
    assert derived == with_hints(after, columns)
    assert list(derived.tables) == list(after.tables)


def test_hints_changing_between_versions_are_not_taken_from_the_last_one() -> None:
    """The engine reuses the last hinted schema's tables only when it was given the same
    hints: unix-seconds columns differ by version, so with other ones the table is told
    again (reusing it would keep the wrong columns)."""
    engine = Engine(discover(DB), TARGETS["d1"])
    k = len(engine.versions) - 1
    table = next(t for t in engine.versions[k].schema.tables.values() if t.columns)
    column = (table.name.lower(), table.columns[0].name.lower())
    engine.unix_columns = tuple([frozenset[tuple[str, str]]()] * k + [frozenset({column})])
    engine._hinted.clear()
    engine.hinted(k - 1)
    hinted = engine.hinted(k)
    assert hinted.tables[table.name].unix_columns == {column[1]}
    assert hinted == with_hints(
        engine.versions[k].schema,
        engine.json_columns,
        engine.hints.filled,
        engine.hints.pools,
        frozenset({column}),
    )


def test_widening_resolves_a_key_of_an_untouched_table_whose_parent_the_step_made() -> None:
    """``u.gone REFERENCES nowhere`` (no column list) stays unresolved while ``nowhere``
    does not exist; a step creating it resolves it in the whole database, though ``u`` is
    outside the scope. Resolving only the scoped tables would miss it."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(BASE.replace("nowhere(id)", "nowhere"))
    whole = introspect(conn)
    assert not whole.tables["u"].foreign_keys[0].other_columns
    scoped = sqlite3.connect(":memory:")
    scoped.executescript("CREATE TABLE nowhere(id INTEGER PRIMARY KEY);")
    read = introspect(scoped)
    conn.execute("CREATE TABLE nowhere(id INTEGER PRIMARY KEY)")
    expected = introspect(conn)
    widened = Scopes().widen(Scope(0, frozenset({"nowhere"})), read, whole)
    assert widened == expected
    assert list(widened.tables) == list(expected.tables)
    assert widened.tables["u"].foreign_keys[0].other_columns == ("id",)


@pytest.mark.parametrize("step", sorted(STEPS))
def test_with_parents_keeps_the_insert_order(step: str) -> None:
    _, schema = _schemas(step)
    names = list(schema.tables)
    for at in range(len(names)):
        wanted = set(schema.with_parents(names[at:]))
        assert schema.with_parents(names[at:]) == [t for t in schema.insert_order() if t in wanted]


def test_a_hinted_schema_shares_the_name_map_and_insert_order() -> None:
    _, schema = _schemas("add_child")
    order = schema.insert_order()
    hinted = with_hints(schema, frozenset({("c", "meta")}))
    assert hinted.tables["c"] is not schema.tables["c"]
    assert vars(hinted)["_insert_order"] is vars(schema)["_insert_order"]
    assert hinted.insert_order() == order == Schema(dict(hinted.tables)).insert_order()


def _children_scanned(schema: Schema, tables: list[str]) -> set[str]:
    """``with_children`` as it was computed before (a children map of every table)."""
    names = {name.lower(): name for name in schema.tables}
    children: dict[str, set[str]] = {}
    for table in schema.tables.values():
        for fk in table.foreign_keys:
            parent = names.get(fk.other_table.lower())
            if parent:
                children.setdefault(parent, set()).add(table.name)
    found = {names.get(t.lower(), t) for t in tables}
    stack = list(found)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


@pytest.mark.parametrize("step", sorted(STEPS))
def test_children_from_derived_referrers_equal_a_full_scan(step: str) -> None:
    before, after = _schemas(step)
    before.with_children(["p"])  # the map of the schema before is the one derived from
    for name in [*after.tables, "P", "nowhere", "later"]:
        assert after.with_children([name]) == _children_scanned(after, [name])


def test_a_dangling_key_gives_no_children_until_its_table_exists() -> None:
    """``u`` names ``nowhere`` before it exists: ``nowhere`` (not a table) has no children,
    and once a step creates it, ``u`` is its child."""
    before, after = _schemas("create_missing_parent")
    assert before.with_children(["nowhere"]) == {"nowhere"}
    assert after.with_children(["nowhere"]) == {"nowhere", "u"}


# Steps the successor read must fall back on, or get right by reading tables again.
INTROSPECTED = {
    **STEPS,
    "trigger": "CREATE TRIGGER t_p AFTER INSERT ON p BEGIN DELETE FROM u; END;",
    "view": "CREATE VIEW v AS SELECT * FROM p;",
    "open_key_parent_made": "CREATE TABLE nowhere(id INTEGER PRIMARY KEY, code TEXT);",
    "open_key_parent_rebuilt": (
        "CREATE TABLE q_new(code TEXT PRIMARY KEY);DROP TABLE q; ALTER TABLE q_new RENAME TO q;"
    ),
    "nothing": "SELECT 1;",
    "excluded_changed": "INSERT INTO d1_migrations(name) VALUES ('x');",
    "excluded_redefined": "DROP TABLE d1_migrations; CREATE TABLE d1_migrations(name TEXT);",
}
OPEN_BASE = """
CREATE TABLE q(id INTEGER PRIMARY KEY);
CREATE TABLE r(id INTEGER PRIMARY KEY, q_id REFERENCES q, later REFERENCES nowhere);
CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY, name TEXT);
"""


@pytest.mark.parametrize("step", sorted(INTROSPECTED))
def test_a_schema_read_after_the_one_before_equals_a_fresh_read(step: str) -> None:
    """``introspect`` derives version k from version k - 1's read (the rows that differ
    read again, open keys resolved again); a cold read of the same database agrees."""
    from migration_harness.schema import model

    model.cache_clear()
    conn = sqlite3.connect(":memory:")
    conn.executescript(BASE + OPEN_BASE)
    introspect(conn, exclude=["d1_migrations"])
    conn.executescript(INTROSPECTED[step])
    derived = introspect(conn, exclude=["d1_migrations"])
    model.cache_clear()
    fresh = introspect(conn, exclude=["d1_migrations"])
    assert derived == fresh
    assert list(derived.tables) == list(fresh.tables)
    assert [t.foreign_keys for t in derived.tables.values()] == [
        t.foreign_keys for t in fresh.tables.values()
    ]


def test_a_parent_made_later_resolves_an_unchanged_table_open_key() -> None:
    """``r.later REFERENCES nowhere`` names no column: its record is unresolved until a
    step creates ``nowhere``; ``r`` itself is unchanged, so only reading the tables with
    open keys again resolves it."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(OPEN_BASE)
    before = introspect(conn)
    assert _key_to(before, "nowhere").other_columns == ()
    conn.execute("CREATE TABLE nowhere(code TEXT PRIMARY KEY)")
    after = introspect(conn)
    assert _key_to(after, "nowhere").other_columns == ("code",)


def _key_to(schema: Schema, parent: str) -> ForeignKey:
    return next(fk for fk in schema.tables["r"].foreign_keys if fk.other_table == parent)
