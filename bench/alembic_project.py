"""An Alembic project running exactly ``bench/histories.py``'s SQL, for the peer tools.

pytest-alembic and pytest-mrt test Alembic projects, not folders of SQL files. To compare
them with the harness on the same work, each step of the clean history becomes one
revision whose ``upgrade()``/``downgrade()`` run the step's up/down statements, one
``op.execute`` per statement, in the file's order (split by the harness's own statement
splitter, so nothing is rewritten). The project also holds SQLAlchemy models of the final
schema, because both peers' model-drift test needs them (without models pytest-mrt skips
it and pytest-alembic's fails), and one test folder per peer with the configuration its
documentation asks for:

    <root>/alembic.ini, alembic/env.py, alembic/versions/r0001_step_1.py ..., models.py
    <root>/pa/   pytest-alembic: tests/conftest.py (alembic_config, alembic_engine)
    <root>/mrt/  pytest-mrt: conftest.py (MRTConfig)

Every database is a SQLite file (``sqlite:///<path>``) with ``PRAGMA foreign_keys = ON``
on each connection the migrations run on, as the harness runs this history.
"""

from __future__ import annotations

from pathlib import Path

from bench.histories import step
from migration_harness.sets.sql import split_statements

ALEMBIC_INI = """\
[alembic]
script_location = %(here)s/alembic
sqlalchemy.url = sqlite:///%(here)s/alembic.db

[loggers]
keys = root

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
"""

# pytest-alembic hands its engine to env.py as the "connection" attribute (its documented
# env.py pattern); pytest-mrt runs `alembic upgrade/downgrade` with sqlalchemy.url set.
ENV_PY = """\
import sys
from pathlib import Path

from alembic import context
from sqlalchemy import engine_from_config, event, pool

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from models import metadata  # noqa: E402

config = context.config


def foreign_keys_on(dbapi_connection, _record):
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


def run_migrations_online():
    connectable = config.attributes.get("connection", None)
    if connectable is None:
        connectable = engine_from_config(
            config.get_section(config.config_ini_section),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        event.listen(connectable, "connect", foreign_keys_on)
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
"""

SCRIPT_MAKO = '''\
"""${message}"""
from alembic import op

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

# The final schema of the history, for the peers' model-drift tests, as SQLAlchemy 2.1
# reflects it from SQLite: an INTEGER PRIMARY KEY reflects as nullable, and the ON DELETE
# CASCADE of a column-level REFERENCES clause is not reflected (only table-level FOREIGN KEY
# clauses' options are), so the models say the same or autogenerate reports a false diff.
MODELS_PY = """\
from sqlalchemy import (
    CheckConstraint, Column, ForeignKey, Index, Integer, MetaData, Table, Text, text,
)

metadata = MetaData()
Base = metadata  # pytest-mrt's target_metadata accepts a MetaData


def _table(i):
    name = f"t{{i:04d}}"
    columns = [
        Column("id", Integer, primary_key=True, nullable=True),
        Column("code", Text, nullable=False, unique=True),
        Column("amount", Integer, nullable=False, server_default=text("0")),
    ]
    if i > 1:
        parent = f"t{{i - 1:04d}}.id"
        columns.append(Column("parent_id", Integer, ForeignKey(parent)))
    table = Table(name, metadata, *columns, CheckConstraint("amount >= 0"))
    if i > 1:
        Index(f"idx_{{name}}_parent", table.c.parent_id)


for _i in range(1, {size} + 1):
    _table(_i)
"""

PA_CONFTEST = """\
import pytest
import sqlalchemy
from sqlalchemy import event


def _foreign_keys_on(dbapi_connection, _record):
    dbapi_connection.execute("PRAGMA foreign_keys = ON")


@pytest.fixture
def alembic_config():
    return {{"file": {ini!r}}}


@pytest.fixture
def alembic_engine(tmp_path):
    engine = sqlalchemy.create_engine(f"sqlite:///{{tmp_path}}/pa.db")
    event.listen(engine, "connect", _foreign_keys_on)
    yield engine
    engine.dispose()
"""

MRT_CONFTEST = """\
import sys

from pytest_mrt import MRTConfig

sys.path.insert(0, {root!r})


def pytest_configure(config):
    config._mrt_config = MRTConfig(
        alembic_ini={ini!r},
        db_url="sqlite:///{db}",
        target_metadata="models:metadata",
    )
"""


def revision_source(i: int) -> str:
    """Revision ``r<i>``: step i's up and down statements, one ``op.execute`` each."""
    up, down = step(i, planted=False)
    parent = repr(f"r{i - 1:04d}") if i > 1 else "None"

    def body(text: str) -> str:
        calls = [f"    op.execute({s.sql!r})" for s in split_statements(text)]
        return "\n".join(calls) or "    pass"

    return (
        f'"""step {i}"""\nfrom alembic import op\n\n'
        f"revision = {f'r{i:04d}'!r}\ndown_revision = {parent}\n"
        "branch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade() -> None:\n{body(up)}\n\n\n"
        f"def downgrade() -> None:\n{body(down)}\n"
    )


def write_project(root: Path, size: int) -> Path:
    """Write the Alembic project of ``size`` steps and both peers' test folders in ``root``."""
    versions = root / "alembic" / "versions"
    versions.mkdir(parents=True)
    ini = root / "alembic.ini"
    ini.write_text(ALEMBIC_INI, encoding="utf-8")
    (root / "alembic" / "env.py").write_text(ENV_PY, encoding="utf-8")
    (root / "alembic" / "script.py.mako").write_text(SCRIPT_MAKO, encoding="utf-8")
    (root / "models.py").write_text(MODELS_PY.format(size=size), encoding="utf-8")
    for i in range(1, size + 1):
        text = revision_source(i)
        (versions / f"r{i:04d}_step_{i}.py").write_text(text, encoding="utf-8")
    (root / "pa" / "tests").mkdir(parents=True)
    (root / "pa" / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    conftest = PA_CONFTEST.format(ini=str(ini))
    (root / "pa" / "tests" / "conftest.py").write_text(conftest, encoding="utf-8")
    (root / "mrt").mkdir()
    (root / "mrt" / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    conftest = MRT_CONFTEST.format(root=str(root), ini=str(ini), db=root / "mrt" / "mrt.db")
    (root / "mrt" / "conftest.py").write_text(conftest, encoding="utf-8")
    return root
