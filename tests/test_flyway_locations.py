"""Flyway's ``locations``: a set whose migrations live in several folders is read whole.

``flyway.locations=filesystem:sql,filesystem:sql_extra`` (flyway.conf) or ``[flyway]
locations = [...]`` (flyway.toml) make Flyway scan every folder named and run their files as
one set in version order. The harness read the one folder it found and checked part of the
history; a location it cannot read is one line naming the config file, exit 2, and a
missing one is skipped with a warning, as Flyway skips it, unless failOnMissingLocations
(docs/RUNNERS.md §9).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migration_harness.cli import cli
from migration_harness.errors import BadFileError, DuplicateVersionError
from migration_harness.sets.discovery import discover

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY);\n"
POSTS = "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n"
INDEX = "CREATE INDEX posts_user ON posts(user_id);\n"
VIEW = "DROP VIEW IF EXISTS n;\nCREATE VIEW n AS SELECT count(*) AS n FROM posts;\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def names(root: Path) -> list[str]:
    return [m.path.relative_to(root).as_posix() for m in discover(root).migrations]


TWO_FOLDERS = {
    "sql/V1__users.sql": USERS,
    "sql/V3__index.sql": INDEX,
    "extra/V2__posts.sql": POSTS,
    "extra/R__n.sql": VIEW,
}


@pytest.mark.parametrize(
    ("config", "text"),
    [
        ("flyway.conf", "flyway.locations=filesystem:sql,filesystem:extra\n"),
        (
            "flyway.conf",
            "# the two folders\nflyway.locations = filesystem:sql, \\\n  filesystem:extra\n",
        ),
        ("flyway.toml", '[flyway]\nlocations = ["filesystem:sql", "filesystem:./extra"]\n'),
        ("conf/flyway.conf", "flyway.locations=filesystem:sql,filesystem:extra\n"),
    ],
)
def test_two_locations_are_one_set_in_version_order(tmp_path: Path, config: str, text: str) -> None:
    root = write(tmp_path / "app", {**TWO_FOLDERS, config: text})
    assert names(root) == [
        "sql/V1__users.sql",
        "extra/V2__posts.sql",
        "sql/V3__index.sql",
        "extra/R__n.sql",
    ]
    scripts = [m.runner_data["script"] for m in discover(root).migrations]
    assert scripts == ["V1__users.sql", "V2__posts.sql", "V3__index.sql", "R__n.sql"]


def test_without_locations_the_folder_found_is_the_set(tmp_path: Path) -> None:
    # The clean twin: no locations key, so extra/ is no part of what Flyway runs here.
    root = write(tmp_path / "app", {**TWO_FOLDERS, "flyway.conf": "flyway.mixed=false\n"})
    assert names(root) == ["sql/V1__users.sql", "sql/V3__index.sql"]


def test_the_migrations_folder_given_opens_the_configured_set(tmp_path: Path) -> None:
    root = write(
        tmp_path / "app",
        {**TWO_FOLDERS, "flyway.conf": "flyway.locations=filesystem:sql,filesystem:extra\n"},
    )
    found = discover(root / "sql")
    assert [m.path.name for m in found.migrations] == [
        "V1__users.sql",
        "V2__posts.sql",
        "V3__index.sql",
        "R__n.sql",
    ]


def test_a_classpath_location_is_read_below_src_main_resources(tmp_path: Path) -> None:
    root = write(
        tmp_path / "app",
        {
            "src/main/resources/db/migration/V1__users.sql": USERS,
            "src/main/resources/db/more/V2__posts.sql": POSTS,
            # Unprefixed is classpath: too (LocationParser's default prefix).
            "flyway.conf": "flyway.locations=classpath:db/migration,db/more\n",
        },
    )
    assert names(root) == [
        "src/main/resources/db/migration/V1__users.sql",
        "src/main/resources/db/more/V2__posts.sql",
    ]


def test_a_sub_location_is_read_once(tmp_path: Path) -> None:
    # Flyway's Locations discards a location below another ("sub-location"): no duplicate.
    root = write(
        tmp_path / "app",
        {
            "sql/V1__users.sql": USERS,
            "sql/2024/V2__posts.sql": POSTS,
            "flyway.conf": "flyway.locations=filesystem:sql/2024,filesystem:sql\n",
        },
    )
    assert names(root) == ["sql/V1__users.sql", "sql/2024/V2__posts.sql"]
    assert discover(root).migrations[1].runner_data["script"] == "2024/V2__posts.sql"


def test_one_version_in_two_locations_is_refused(tmp_path: Path) -> None:
    root = write(
        tmp_path / "app",
        {
            "sql/V1__users.sql": USERS,
            "extra/V1__posts.sql": POSTS,
            "flyway.conf": "flyway.locations=filesystem:sql,filesystem:extra\n",
        },
    )
    with pytest.raises(DuplicateVersionError, match="also used by"):
        discover(root)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("flyway.locations=filesystem:missing,filesystem:gone\n", "no location is"),
        (
            "flyway.locations=filesystem:sql,filesystem:missing\n"
            "flyway.failOnMissingLocations=TRUE\n",
            "failOnMissingLocations is true",
        ),
        ("flyway.locations=s3:bucket/sql\n", "s3:"),
        ("flyway.locations=filesystem:sql/**/v1\n", "wildcard"),
    ],
)
def test_a_location_that_cannot_be_read_is_one_line_naming_the_config(
    tmp_path: Path, text: str, why: str
) -> None:
    root = write(tmp_path / "app", {**TWO_FOLDERS, "flyway.conf": text})
    with pytest.raises(BadFileError, match=why) as error:
        discover(root)
    assert str(error.value).startswith(str(root / "flyway.conf"))
    result = CliRunner().invoke(cli, ["lint", str(root)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1


def test_a_toml_locations_that_is_no_list_of_strings_is_refused(tmp_path: Path) -> None:
    root = write(tmp_path / "app", {**TWO_FOLDERS, "flyway.toml": "[flyway]\nlocations = 5\n"})
    with pytest.raises(BadFileError, match=r"flyway\.toml"):
        discover(root)


def test_a_folder_named_outside_every_location_is_read_alone(tmp_path: Path) -> None:
    root = write(
        tmp_path / "app",
        {
            **TWO_FOLDERS,
            "other/V1__users.sql": USERS,
            "flyway.conf": "flyway.locations=filesystem:sql,filesystem:extra\n",
        },
    )
    alone = discover(root, migrations=root / "other")
    assert [m.path.name for m in alone.migrations] == ["V1__users.sql"]
    inside = discover(root, migrations=root / "extra")
    assert len(inside.migrations) == 4  # a location: the whole configured set


def test_a_missing_location_is_skipped_as_flyway_skips_it(tmp_path: Path) -> None:
    # FileSystemScanner logs "Skipping filesystem location" and runs the other folders.
    text = "flyway.locations=filesystem:sql,filesystem:missing,filesystem:extra\n"
    root = write(tmp_path / "app", {**TWO_FOLDERS, "flyway.conf": text})
    assert names(root) == [
        "sql/V1__users.sql",
        "extra/V2__posts.sql",
        "sql/V3__index.sql",
        "extra/R__n.sql",
    ]
    assert [n for n in discover(root).notes if "filesystem:missing" in n] != []
    result = CliRunner().invoke(cli, ["lint", str(root)])
    assert result.exit_code != 2
    assert "warning: " in result.stderr
    assert "location filesystem:missing is not a folder" in result.stderr


def test_fail_on_missing_locations_in_flyway_toml_stops(tmp_path: Path) -> None:
    text = (
        '[flyway]\nlocations = ["filesystem:sql", "filesystem:missing"]\n'
        "failOnMissingLocations = true\n"
    )
    root = write(tmp_path / "app", {**TWO_FOLDERS, "flyway.toml": text})
    with pytest.raises(BadFileError, match="failOnMissingLocations is true"):
        discover(root)
