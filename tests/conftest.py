"""Shared fixtures: in-memory databases and migration sets written to tmp_path."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Final

import pytest
from hypothesis import settings

from migration_harness.checks.profiles import profile_settings, register_profiles

# The harness's `ci` profile is seeded and keeps an example database; this suite's own
# @given tests run derandomized under CI instead, so a CI run of the suite never depends on
# what an earlier run left in `.hypothesis/`.
register_profiles()
settings.register_profile("suite-ci", profile_settings("ci"), derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("suite-ci")

REPO = Path(__file__).resolve().parent.parent
DB = REPO / "db"
EXAMPLES = Path(__file__).parent / "examples"
collect_ignore = ["examples"]


@pytest.fixture(autouse=True)
def _own_example_database(tmp_path: Path) -> Iterator[None]:
    """Each test keeps its own Hypothesis example database.

    The harness's profiles keep the default database under ``.hypothesis/``; the checks
    key examples by set path, so tests checking the same example set read each other's
    saved examples, whose replays use up a small ``ci`` budget: a planted defect was then
    missed or found depending on which tests ran before in the same worker.
    """
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(tmp_path / ".hypothesis")
    try:
        yield
    finally:
        set_hypothesis_home_dir(None)  # back to the default, .hypothesis/ in the working folder


# The repository's own trees a test may read but never write: the embedded example set
# and the example sets the tests copy. A report, a cache folder or a rewritten file left
# there shows up in the next test's discovery (and in a commit).
READ_ONLY: Final = (DB, EXAMPLES)


def _snapshot(folders: tuple[Path, ...]) -> dict[str, int]:
    """Every file and folder below ``folders`` (hidden ones too), with its mtime in ns.

    ``__pycache__`` is Python's own business (importing an example's module writes it).
    """
    found: dict[str, int] = {}
    for top in folders:
        for folder, dirs, names in os.walk(top):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in (*dirs, *names):
                path = Path(folder) / name
                found[str(path.relative_to(REPO))] = path.lstat().st_mtime_ns
    return found


@pytest.fixture(autouse=True, scope="session")
def _read_only_trees() -> Iterator[None]:
    """Fail the run when a test wrote into ``db/`` or ``tests/examples/``.

    Tests copy those sets to ``tmp_path`` before anything can write beside them; this
    compares the file names and modification times before and after the session and names
    what changed, so a test that forgets to copy is caught the first time it runs.
    """
    before = _snapshot(READ_ONLY)
    yield
    after = _snapshot(READ_ONLY)
    changed = sorted(
        {*(set(after) - set(before)), *(k for k in before if after.get(k) != before[k])}
    )
    if changed:
        shown = ", ".join(changed[:10]) + (" ..." if len(changed) > 10 else "")
        pytest.fail(
            f"tests wrote into the repository's read-only trees (copy them to tmp_path): {shown}",
            pytrace=False,
        )


MigrationSetFactory = Callable[..., Path]


@pytest.fixture
def fresh_db() -> Iterator[sqlite3.Connection]:
    """An empty in-memory database in autocommit mode, as the runner expects."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    yield conn
    conn.close()


@pytest.fixture
def migration_set(tmp_path: Path) -> MigrationSetFactory:
    """Write a harness-layout set: ``{version: (up_sql, down_sql | None)}`` -> its root.

    Names default to ``NNNN_mNNNN.sql``; pass ``layout="wrangler"`` for forward-only files.
    """

    def make(
        files: Mapping[int, tuple[str, str | None]],
        *,
        name: str = "set",
        layout: str = "harness",
    ) -> Path:
        root = tmp_path / name
        (root / "migrations").mkdir(parents=True)
        if layout == "harness":
            (root / "rollbacks").mkdir()
        for version, (up, down) in files.items():
            (root / "migrations" / f"{version:04d}_m{version:04d}.sql").write_text(up)
            if down is not None and layout == "harness":
                (root / "rollbacks" / f"{version:04d}_rollback.sql").write_text(down)
        return root

    return make
