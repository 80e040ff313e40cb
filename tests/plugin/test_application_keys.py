"""The plugin reads ``application_foreign_keys`` as the CLI does (option and config key).

A goose set migrated with keys off whose 0002 leaves orphans: its apply_keeps_data item
passes with an MH157 warning when the application serves with keys off too, and fails
with MH151 when it serves with them on.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TABLE = (
    '[tool.migration-harness]\nmigrations = "migrations"\ntarget = "goose"\n'
    'foreign_keys = "off"\nchecks = ["apply_keeps_data"]\nprofile = "ci"\n'
)
FILES = {
    "00001_artists.sql": "-- +goose Up\n"
    "CREATE TABLE artists (id INTEGER PRIMARY KEY, name TEXT NOT NULL,\n"
    "    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')));\n"
    "CREATE TABLE tracks (id INTEGER PRIMARY KEY,\n"
    "    artist_id INTEGER NOT NULL REFERENCES artists(id) ON DELETE CASCADE,\n"
    "    title TEXT NOT NULL);\n"
    "CREATE INDEX idx_tracks_artist ON tracks(artist_id);\n",
    "00002_purge.sql": "-- +goose Up\nDELETE FROM artists WHERE status = 'archived';\n",
}


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """Run in process under a user's default warning filters, not this suite's "error"."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        return pytester.runpytest("-p", "no:randomly", *args)


def project(pytester: pytest.Pytester, extra: str = "") -> None:
    folder = Path(pytester.path) / "migrations"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text)
    (pytester.path / "pyproject.toml").write_text(TABLE + extra)


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_keys_off_everywhere_passes_with_a_warning(pytester: pytest.Pytester) -> None:
    project(pytester)
    result = run(pytester)
    result.assert_outcomes(passed=2, warnings=1)
    result.stdout.fnmatch_lines(["*MH157 warning: fk_violation in 00002_purge*"])


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_config_key_keeps_it_failing(pytester: pytest.Pytester) -> None:
    project(pytester, 'application_foreign_keys = "on"\n')
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*MH151 error: fk_violation in 00002_purge*"])


@pytest.mark.usefixtures("keep_profile", "no_ci")
def test_the_option_does_the_same(pytester: pytest.Pytester) -> None:
    project(pytester)
    run(pytester, "--migration-application-foreign-keys=on").assert_outcomes(passed=1, failed=1)
