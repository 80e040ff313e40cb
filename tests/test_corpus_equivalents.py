"""The corpus's ``equivalents`` key lets the check run past a history's Go migration."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import corpus
from migration_harness.sets.discovery import discover
from migration_harness.sets.equivalents import with_equivalents
from migration_harness.sets.functions import find_config

GO_FILE = "20241226183416_sync_children.go"
STAND_IN = "sysadminsmedia__homebox/20241226183416_sync_children.sql"
INIT = (
    "-- +goose Up\nCREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT, manufacturer TEXT, "
    "model_number TEXT, serial_number TEXT, archived BOOLEAN, asset_id INTEGER);\n"
)


def history(**keys: object) -> corpus.History:
    base: dict[str, object] = {
        "repo": "sysadminsmedia/homebox",
        "commit": "0" * 40,
        "path": "migrations",
        "runner": "goose",
        "foreign_keys": "on",
        "why": "test",
        "migrations": 2,
    }
    return corpus.History(**{**base, **keys})  # type: ignore[arg-type]


def test_the_written_config_runs_the_stand_in_for_the_go_file(tmp_path: Path) -> None:
    folder = tmp_path / "migrations"
    folder.mkdir()
    (folder / "20220929052825_init.sql").write_text(INIT)
    (folder / GO_FILE).write_text("package sqlite3\n")
    corpus._write_config(history(equivalents=((GO_FILE, STAND_IN),)), tmp_path)
    config = find_config(folder)
    assert config == tmp_path / "pyproject.toml"
    text = config.read_text()
    assert "[tool.migration-harness.equivalents]" in text
    assert f'"{GO_FILE}" = "corpus_equivalents/{STAND_IN}"' in text
    sync = with_equivalents(discover(folder), config).migrations[1]
    # The Go file's version, run from the copy of our stand-in beside the config.
    assert (sync.program, sync.id) == (None, GO_FILE)
    assert sync.path == tmp_path / "corpus_equivalents" / STAND_IN
    assert sync.path.read_bytes() == (corpus.EQUIVALENTS / STAND_IN).read_bytes()


def test_a_history_without_equivalents_gets_no_table(tmp_path: Path) -> None:
    corpus._write_config(history(), tmp_path)
    assert not (tmp_path / "pyproject.toml").exists()
    assert not (tmp_path / "corpus_equivalents").exists()


def test_the_copy_only_rebuild_keeps_the_go_file_it_names() -> None:
    # Without the Go file the check would refuse the table (no such Go migration).
    named = history(equivalents=((GO_FILE, STAND_IN),))
    assert corpus._wanted(named, f"migrations/{GO_FILE}")
    assert not corpus._wanted(named, "migrations/main.go")
    assert not corpus._wanted(history(), f"migrations/{GO_FILE}")


def test_the_manifest_runs_homebox_past_sync_children() -> None:
    (homebox,) = [h for h in corpus.load_manifest() if h.repo == "sysadminsmedia/homebox"]
    assert homebox.equivalents == ((GO_FILE, STAND_IN),)


def test_a_stand_in_that_is_missing_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "corpus.toml"
    manifest.write_text(
        '[[history]]\nrepo = "a/b"\ncommit = "' + "0" * 40 + '"\npath = "m"\n'
        'runner = "goose"\nforeign_keys = "on"\nwhy = "w"\nmigrations = 1\n'
        'equivalents = { "001_x.go" = "a__b/001_x.sql" }\n'
    )
    with pytest.raises(SystemExit, match=r"001_x\.go to a__b/001_x\.sql, which is no file"):
        corpus.load_manifest(manifest)
