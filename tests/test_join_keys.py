"""NULL in a column of a join table's new composite PRIMARY KEY (stash's 35_assoc_tables).

Old stash schemas declared ``scenes_tags(scene_id integer, tag_id integer)`` with no NOT
NULL; ``35_assoc_tables`` rebuilds them with ``PRIMARY KEY(scene_id, tag_id)`` and copies
``WHERE scene_id IS NOT NULL AND tag_id IS NOT NULL``. SQLite would take NULL in that key
only by a legacy quirk: the rows the copy leaves out are refused by the new key's meaning,
so they are MH143 (a warning), not a loss (MH141).
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.report.findings import Finding
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

OLD = """CREATE TABLE scenes (id INTEGER PRIMARY KEY, title TEXT);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE scenes_tags (
  scene_id integer,
  tag_id integer,
  foreign key(scene_id) references scenes(id) on delete CASCADE,
  foreign key(tag_id) references tags(id)
);
"""
REBUILD = """CREATE TABLE scenes_tags_new (
  scene_id integer,
  tag_id integer,
  foreign key(scene_id) references scenes(id) on delete CASCADE,
  foreign key(tag_id) references tags(id) on delete CASCADE,
  PRIMARY KEY(scene_id, tag_id)
);
INSERT INTO scenes_tags_new (scene_id, tag_id)
  SELECT scene_id, tag_id FROM scenes_tags
  WHERE scene_id IS NOT NULL AND tag_id IS NOT NULL
  ON CONFLICT (scene_id, tag_id) DO NOTHING;
DROP TABLE scenes_tags;
ALTER TABLE scenes_tags_new RENAME TO scenes_tags;
"""


def _losses(tmp_path: Path, *files: str) -> list[Finding]:
    """``data_loss`` findings of a golang-migrate-like set (keys off) made of ``files``."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    for number, sql in enumerate(files, start=1):
        (folder / f"000{number}_step.sql").write_text(sql, encoding="utf-8")
    target = TARGETS["goose"]  # mattn, keys off, a transaction per file
    run = check_set(discover(tmp_path), target, profile="ci", checks=["apply_keeps_data"])
    return [f for f in run.findings if f.kind == "data_loss"]


def _wrapped(sql: str) -> str:
    return f"-- +goose Up\n{sql}"


def test_null_in_a_new_composite_key_is_dropped_by_design(tmp_path: Path) -> None:
    found = _losses(tmp_path, _wrapped(OLD), _wrapped(REBUILD))
    assert "MH141" not in {f.code for f in found}, [f.message for f in found]
    assert {f.code for f in found} == {"MH143"}, [f.message for f in found]
    assert any("PRIMARY KEY (scene_id, tag_id)" in f.message for f in found)


def test_a_copy_of_every_row_into_the_new_key_is_quiet(tmp_path: Path) -> None:
    keeps_all = REBUILD.replace(
        "  WHERE scene_id IS NOT NULL AND tag_id IS NOT NULL\n  ON CONFLICT (scene_id, tag_id)",
        "  WHERE true ON CONFLICT (scene_id, tag_id)",
    )
    assert "IS NOT NULL" not in keeps_all
    found = _losses(tmp_path, _wrapped(OLD), _wrapped(keeps_all))
    assert [f for f in found if f.code != "MH143"] == [], [f.message for f in found]


def test_a_row_dropped_for_a_null_outside_the_key_stays_a_loss(tmp_path: Path) -> None:
    noted = OLD.replace(
        "  tag_id integer,\n  foreign", "  tag_id integer,\n  note TEXT,\n  foreign"
    )
    rebuild = REBUILD.replace(
        "  tag_id integer,\n  foreign", "  tag_id integer,\n  note TEXT,\n  foreign"
    )
    rebuild = rebuild.replace("(scene_id, tag_id)\n  SELECT scene_id, tag_id", "SELECT *")
    rebuild = rebuild.replace("tag_id IS NOT NULL\n", "tag_id IS NOT NULL AND note IS NOT NULL\n")
    assert "note IS NOT NULL" in rebuild
    assert noted.count("note TEXT") == 1
    found = _losses(tmp_path, _wrapped(noted), _wrapped(rebuild))
    assert "MH141" in {f.code for f in found}, [f.message for f in found]
