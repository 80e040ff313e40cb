"""The version cache: a second run loads what the first built, and only that."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import migration_harness
from migration_harness.checks.cache import FOLDER, VersionCache, cache_folder
from migration_harness.checks.engine import Engine
from migration_harness.checks.run import check_set
from migration_harness.cli import cli
from migration_harness.sets.discovery import MigrationSet, discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
MigrationSetFactory = Callable[..., Path]
FILES = {
    1: ("CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);", "DROP TABLE a;"),
    2: ("INSERT INTO a (x) VALUES ('seed');", "DELETE FROM a;"),
}
THIRD = ("CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id));", "DROP TABLE b;")


def _engine(mset: MigrationSet, folder: Path) -> tuple[Engine, VersionCache]:
    store = VersionCache.for_set(folder, mset, TARGETS["sqlite"])
    assert store is not None
    return Engine(mset, TARGETS["sqlite"], store=store), store


def test_a_second_build_loads_every_version(
    migration_set: MigrationSetFactory, tmp_path: Path
) -> None:
    mset = discover(migration_set(FILES))
    first, _ = _engine(mset, tmp_path / "cache")
    second, store = _engine(mset, tmp_path / "cache")
    assert store.hits == 3  # the empty database and both versions
    for built, loaded in zip(first.versions, second.versions, strict=True):
        assert (loaded.schema, loaded.rows, loaded.image) == (built.schema, built.rows, built.image)


def test_a_new_migration_builds_only_its_own_version(
    migration_set: MigrationSetFactory, tmp_path: Path
) -> None:
    _engine(discover(migration_set(FILES)), tmp_path / "cache")
    grown = discover(migration_set({**FILES, 3: THIRD}, name="grown"))
    engine, store = _engine(grown, tmp_path / "cache")
    assert store.hits == 3
    assert len(store.load()) == 4  # built now, and stored for the next run
    fresh = Engine(grown, TARGETS["sqlite"])
    assert engine.versions[3].schema == fresh.versions[3].schema


def test_an_edited_last_file_misses_only_its_version(
    migration_set: MigrationSetFactory, tmp_path: Path
) -> None:
    _engine(discover(migration_set(FILES)), tmp_path / "cache")
    edited = {**FILES, 2: ("INSERT INTO a (x) VALUES ('other');", "DELETE FROM a;")}
    engine, store = _engine(discover(migration_set(edited, name="edited")), tmp_path / "cache")
    assert store.hits == 2
    assert engine.versions[2].rows["a"][0]["x"] == "other"


def test_foreign_keys_setting_is_part_of_the_key(
    migration_set: MigrationSetFactory, tmp_path: Path
) -> None:
    mset = discover(migration_set(FILES))
    on = VersionCache.for_set(tmp_path, mset, TARGETS["sqlite"])
    off = VersionCache.for_set(tmp_path, mset, replace(TARGETS["sqlite"], foreign_keys=False))
    assert on is not None
    assert off is not None
    assert set(on.keys).isdisjoint(off.keys)


def test_an_edited_earlier_file_misses_from_its_version_on(
    migration_set: MigrationSetFactory, tmp_path: Path
) -> None:
    _engine(discover(migration_set({**FILES, 3: THIRD})), tmp_path / "cache")
    edited = {**FILES, 2: ("INSERT INTO a (x) VALUES ('other');", "DELETE FROM a;"), 3: THIRD}
    engine, store = _engine(discover(migration_set(edited, name="edited")), tmp_path / "cache")
    assert store.hits < 3  # nothing built on the old 0002 is reused
    assert engine.versions[3].rows["a"][0]["x"] == "other"


def test_a_corrupt_entry_is_rebuilt_not_an_error(
    migration_set: MigrationSetFactory, tmp_path: Path
) -> None:
    mset = discover(migration_set(FILES))
    _, store = _engine(mset, tmp_path / "cache")
    entry = tmp_path / "cache" / "versions" / store.keys[2]
    entry.write_bytes(entry.read_bytes()[:-10] + b"garbage!!!")
    engine, again = _engine(mset, tmp_path / "cache")
    assert again.hits == 2  # 0..2 failed its checksum: 0..1 was loaded, 2 rebuilt
    assert engine.versions[2].rows["a"][0]["x"] == "seed"


def test_findings_are_the_same_from_the_cache(tmp_path: Path) -> None:
    mset = discover(Path(shutil.copytree(EXAMPLES / "rollback_leaves_column", tmp_path / "s")))
    plain = check_set(mset, TARGETS["sqlite"], checks=["rollback"])
    check_set(mset, TARGETS["sqlite"], checks=["rollback"], cache=tmp_path / "cache")
    cached = check_set(mset, TARGETS["sqlite"], checks=["rollback"], cache=tmp_path / "cache")
    assert plain.findings  # the planted defect
    assert [f.message for f in cached.findings] == [f.message for f in plain.findings]


def test_the_cache_is_never_inside_the_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wheel's embedded set (``check`` with no path and no ./db) gets no cache."""
    package = tmp_path / "site-packages" / "migration_harness"
    embedded = Path(shutil.copytree(EXAMPLES / "rollback_leaves_column", package / "_embedded"))
    monkeypatch.setattr(migration_harness, "__file__", str(package / "__init__.py"))
    assert cache_folder(discover(embedded)) is None
    assert cache_folder(discover(EXAMPLES / "rollback_leaves_column")) is not None


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _check(root: Path, *extra: str) -> dict[str, Any]:
    out = root.parent / "out.json"
    args = ["check", str(root), "--no-regressions", "-j", "1", "--json", str(out), *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def test_check_writes_only_its_cache_folder(tmp_path: Path) -> None:
    root = Path(shutil.copytree(EXAMPLES / "rollback_leaves_column", tmp_path / "s"))
    before = _files(root)
    _check(root)
    after = _files(root)
    written = {name for name in after if name not in before}
    assert {name.split("/")[0] for name in written} == {FOLDER}
    assert {name: after[name] for name in before} == before
    assert (root / FOLDER / ".gitignore").read_text().splitlines()[-1] == "*"


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    root = Path(shutil.copytree(EXAMPLES / "rollback_leaves_column", tmp_path / "s"))
    before = _files(root)
    _check(root, "--no-cache")
    assert _files(root) == before
