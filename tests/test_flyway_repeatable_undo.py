"""A Flyway undo that puts back the view a repeatable (``R__``) keeps is no drift.

Flyway runs pending repeatables after the versioned files on every ``migrate`` and never
undoes them, so the view ``R__customer_totals.sql`` creates stands beside every version.
``V2`` rebuilds ``customers`` and must drop and create the view around it (the repeatable
does not run again); its undo ``U2`` must do the same. The harness builds ``V1``, ``V2``,
``R__`` in that order, so ``V1`` held no view and the undo's view read as drift: MH132 in
check, MH411 in lint. An undo that leaves a view no repeatable makes, or puts back the
repeatable's view with another definition, is still drift.
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.lint.run import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

VIEW = """CREATE VIEW customer_totals AS
    SELECT c.id, c.email, coalesce(sum(i.amount), 0) AS total
    FROM customers c LEFT JOIN invoices i ON i.customer_id = c.id
    GROUP BY c.id;
"""
V1 = """CREATE TABLE customers (
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    country TEXT NOT NULL DEFAULT 'NL' CHECK (length(country) = 2)
);
CREATE TABLE invoices (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    amount      INTEGER NOT NULL
);
CREATE INDEX invoices_customer_id ON invoices(customer_id);
"""
V2 = """DROP VIEW IF EXISTS customer_totals;
CREATE TABLE customers_new (
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    vat     TEXT,
    country TEXT NOT NULL DEFAULT 'NL' CHECK (length(country) = 2)
);
INSERT INTO customers_new (id, email, country) SELECT id, email, country FROM customers;
DROP TABLE customers;
ALTER TABLE customers_new RENAME TO customers;
"""
U2 = """DROP VIEW IF EXISTS customer_totals;
CREATE TABLE customers_old (
    id      INTEGER PRIMARY KEY,
    email   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    country TEXT NOT NULL DEFAULT 'NL' CHECK (length(country) = 2)
);
INSERT INTO customers_old (id, email, country) SELECT id, email, country FROM customers;
DROP TABLE customers;
ALTER TABLE customers_old RENAME TO customers;
"""


def flyway_set(tmp_path: Path, undo_view: str = VIEW, extra: str = "", head: str = "") -> Path:
    sql = tmp_path / "sql"
    sql.mkdir()
    (tmp_path / "flyway.conf").write_text("flyway.locations=filesystem:sql\n")
    (sql / "V1__customers.sql").write_text(V1)
    (sql / "U1__customers.sql").write_text("DROP TABLE invoices;\nDROP TABLE customers;\n")
    (sql / "R__customer_totals.sql").write_text("DROP VIEW IF EXISTS customer_totals;\n" + VIEW)
    (sql / "V2__customer_vat.sql").write_text(V2 + VIEW + extra)
    (sql / "U2__customer_vat.sql").write_text(head + U2 + undo_view)
    return tmp_path


def kinds(root: Path) -> tuple[set[str], set[str]]:
    mset = discover(root)
    target = TARGETS["flyway"]
    checked = check_set(mset, target, profile="dev", seed=0, checks=("rollback",))
    linted = lint_set(mset, target)
    return {f.kind for f in checked.findings}, {f.kind for f in linted}


def test_undo_putting_back_the_repeatables_view_is_quiet(tmp_path: Path) -> None:
    checked, linted = kinds(flyway_set(tmp_path))
    assert "rollback_schema_drift" not in checked
    assert "down-leaves-object" not in linted


def test_undo_leaving_a_view_no_repeatable_makes_still_drifts(tmp_path: Path) -> None:
    # V2 makes nl_customers; U2 drops it around its rebuild and creates it again.
    nl = "CREATE VIEW nl_customers AS SELECT id FROM customers WHERE country = 'NL';\n"
    head = "DROP VIEW nl_customers;\n"
    checked, linted = kinds(flyway_set(tmp_path, VIEW + nl, nl, head))
    assert "rollback_schema_drift" in checked
    assert "down-leaves-object" in linted


def test_undo_putting_back_another_definition_still_drifts(tmp_path: Path) -> None:
    checked, _ = kinds(flyway_set(tmp_path, VIEW.replace("coalesce(sum(i.amount), 0)", "0")))
    assert "rollback_schema_drift" in checked
