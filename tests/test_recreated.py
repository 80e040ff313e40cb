"""Which tables a file re-creates without reading their rows first (checks/recreated.py).

A statement that carries a table's rows elsewhere before the ``DROP`` means the file kept
them: ``INSERT … SELECT``, a subquery, and ``UPDATE … FROM`` (SQLite 3.33+), which reads
the rows of its FROM tables as a join does. A write to the table itself carries nothing.
"""

from __future__ import annotations

import pytest

from migration_harness.checks.recreated import recreated_empty
from migration_harness.sets.sql import split_statements

RECREATE = "DROP TABLE t;\nCREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER);\n"
TOTALS = "CREATE TABLE totals (id INTEGER PRIMARY KEY, n INTEGER);\n"


@pytest.mark.parametrize(
    "read",
    [
        "INSERT INTO totals SELECT id, n FROM t;\n",
        "UPDATE totals SET n = (SELECT t.n FROM t WHERE t.id = totals.id);\n",
        "UPDATE totals SET n = t.n FROM t WHERE t.id = totals.id;\n",
        "UPDATE totals SET n = u.n FROM totals AS x JOIN t AS u ON u.id = x.id;\n",
    ],
    ids=["insert-select", "subquery", "update-from", "update-from-join"],
)
def test_a_table_read_before_its_drop_is_not_recreated_empty(read: str) -> None:
    assert recreated_empty(split_statements(TOTALS + read + RECREATE)) == {}


@pytest.mark.parametrize(
    "write",
    [
        "UPDATE t SET n = 0;\n",
        "UPDATE t SET n = totals.n FROM totals WHERE totals.id = t.id;\n",
        "DELETE FROM t WHERE n IS NULL;\n",
    ],
    ids=["update", "update-from-other", "delete"],
)
def test_a_write_to_the_table_itself_reads_nothing(write: str) -> None:
    assert recreated_empty(split_statements(TOTALS + write + RECREATE)) == {"t": "t"}
