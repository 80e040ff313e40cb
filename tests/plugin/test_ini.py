"""Configuring the plugin through pytest's ini files, and which source wins."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

KEYS = "migrations_path = db\nmigrations_target = sqlite\nmigrations_checks = apply, fk_index\n"
INI_FILES = {
    "pytest.ini": "[pytest]\n" + KEYS,
    "tox.ini": "[pytest]\n" + KEYS,
    "setup.cfg": "[tool:pytest]\n" + KEYS,
    "pyproject.toml": (
        '[tool.pytest.ini_options]\nmigrations_path = "db"\nmigrations_target = "sqlite"\n'
        'migrations_checks = "apply, fk_index"\n'
    ),
}


def ids(result: pytest.RunResult) -> list[str]:
    """The node ids ``--collect-only -q`` listed."""
    return [line for line in result.outlines if "::" in line]


@pytest.mark.parametrize("ini", list(INI_FILES))
def test_an_ini_file_alone_configures_the_set(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None, ini: str
) -> None:
    example(pyproject=False)
    (pytester.path / ini).write_text(INI_FILES[ini])
    result = pytester.runpytest("--collect-only", "-q")
    assert ids(result) == [
        f"{ini}::db::0001_users::apply",
        f"{ini}::db::0002_tags::apply",
        f"{ini}::db::fk_index",
    ]
    header = pytester.runpytest("--collect-only")
    header.stdout.fnmatch_lines(["migration-harness: db (target sqlite, profile dev, *"])


@pytest.mark.parametrize(
    ("option", "ini", "expected"),
    [
        (["--migration-profile", "dev"], True, "dev"),  # the command line beats both
        ([], True, "thorough"),  # the ini key beats [tool.migration-harness]
        ([], False, "ci"),  # the table alone
    ],
)
def test_command_line_beats_ini_beats_the_table(
    pytester: pytest.Pytester,
    example: Callable[..., Path],
    no_ci: None,
    keep_profile: None,
    option: list[str],
    ini: bool,
    expected: str,
) -> None:
    example()  # its table says profile = "ci"
    if ini:
        table = (pytester.path / "pyproject.toml").read_text()
        ini_table = '[tool.pytest.ini_options]\nmigrations_profile = "thorough"\n'
        pytester.makepyprojecttoml(table + "\n" + ini_table)
    result = pytester.runpytest("--collect-only", *option)
    result.stdout.fnmatch_lines([f"migration-harness: db (*profile {expected}, checks: all)"])


def test_ini_paths_are_relative_to_the_ini_file(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None
) -> None:
    example(pyproject=False)
    (pytester.path / "tox.ini").write_text("[pytest]\nmigrations_path = migrations\n")
    result = pytester.runpytest("--collect-only")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            f"ERROR: {pytester.path / 'tox.ini'} migrations_path = 'migrations': *not found "
            f"(paths are relative to {pytester.path / 'tox.ini'})"
        ]
    )


@pytest.mark.parametrize(
    ("args", "ini", "message"),
    [
        (
            [],
            "migrations_target = sqlit",
            "*migrations_target = 'sqlit': unknown target 'sqlit' (did you mean 'sqlite'?)",
        ),
        (["--migration-layout", "golang"], "", "--migration-layout golang: unknown layout *"),
        (
            ["--migration-placeholder", "schema"],
            "",
            "--migration-placeholder schema: expected NAME=VALUE",
        ),
        (["--hypothesis-seed", "abc"], "", "--hypothesis-seed abc: * need an integer seed"),
    ],
)
def test_bad_ini_keys_and_options_are_usage_errors(
    pytester: pytest.Pytester,
    example: Callable[..., Path],
    args: list[str],
    ini: str,
    message: str,
) -> None:
    example(pyproject=False)
    (pytester.path / "pytest.ini").write_text(f"[pytest]\nmigrations_path = db\n{ini}\n")
    result = pytester.runpytest("--collect-only", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: {message}"])


def test_layout_option_reads_the_files_as_that_layout(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None
) -> None:
    example()
    forced = pytester.runpytest("--collect-only", "--migration-layout", "dbmate")
    assert forced.ret == pytest.ExitCode.INTERRUPTED
    forced.stdout.fnmatch_lines(["*--layout dbmate does not match these files*"])
    named = pytester.runpytest("--collect-only", "-q", "--migration-layout", "harness")
    assert len(ids(named)) == 14


def test_tx_wrap_key_reaches_the_target(
    pytester: pytest.Pytester, example: Callable[..., Path], no_ci: None
) -> None:
    example()
    text = (pytester.path / "pyproject.toml").read_text()
    pytester.makepyprojecttoml(text + 'tx_wrap = "off"\nchecks = ["apply"]\n')
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*cannot build db: tx_wrap = off: sqlite has no per-connection*"])


def test_the_plugin_reads_the_set_as_its_runner_does(
    pytester: pytest.Pytester, no_ci: None
) -> None:
    # liamstask goose skips a version-0 file (NumericComponent): no item may name it.
    folder = pytester.path / "migrations"
    folder.mkdir()
    (folder / "00000_seed.sql").write_text("-- +goose Up\nCREATE TABLE s(id INTEGER);\n")
    (folder / "1_a.sql").write_text("-- +goose Up\nCREATE TABLE a(id INTEGER);\n")
    pytester.makepyprojecttoml(
        '[tool.migration-harness]\nmigrations = "migrations"\ntarget = "goose-v1"\n'
        'checks = ["apply"]\n'
    )
    collected = ids(pytester.runpytest("--collect-only", "-q", "-p", "no:randomly"))
    assert collected
    assert not [i for i in collected if "00000_seed" in i]


def _posts_repository(pytester: pytest.Pytester, commits: list[tuple[str, str | None]]) -> None:
    """A d1 set (0002 creates posts, 0003 drops and re-creates it) committed as ``commits``.

    Each entry adds its files (a path under the project) in one commit, then tags it if a
    tag is given. Skips when git is not installed.
    """
    import os
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = pytester.path / "migrations"
    folder.mkdir()
    (folder / "0001_users.sql").write_text("CREATE TABLE users (id INTEGER PRIMARY KEY);\n")
    posts = "CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n"
    (folder / "0002_posts.sql").write_text(posts)
    (folder / "0003_posts_again.sql").write_text("DROP TABLE posts;\n" + posts)
    pytester.makepyprojecttoml(
        '[tool.migration-harness]\nmigrations = "migrations"\ntarget = "d1"\n'
        'checks = ["apply_keeps_data"]\n'
    )
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    steps: list[list[str]] = [["init", "-q", "."]]
    for added, tag in commits:
        steps += [["add", added], [*ident, "commit", "-q", "-m", added]]
        steps += [["tag", tag]] if tag else []
    for args in steps:
        subprocess.run(["git", *args], cwd=pytester.path, env=env, check=True)


def test_ship_groups_key_and_option_reach_the_engine(
    pytester: pytest.Pytester, no_ci: None
) -> None:
    _posts_repository(pytester, [("migrations/0001_users.sql", None), ("migrations", None)])
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=3)
    off = pytester.runpytest("-p", "no:randomly", "--migration-ship-groups", "off")
    off.assert_outcomes(passed=2, failed=1)


def test_ship_groups_tags_option_reaches_the_engine(pytester: pytest.Pytester, no_ci: None) -> None:
    # 0002 and 0003, two commits of release v2.0.0: one deploy with tags, two with git.
    _posts_repository(
        pytester,
        [
            ("migrations/0001_users.sql", "v1.0.0"),
            ("migrations/0002_posts.sql", None),
            ("migrations/0003_posts_again.sql", "v2.0.0"),
        ],
    )
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2, failed=1)
    tags = pytester.runpytest("-p", "no:randomly", "--migration-ship-groups", "tags")
    tags.assert_outcomes(passed=3)


def test_ship_tags_key_names_the_release_tags(pytester: pytest.Pytester, no_ci: None) -> None:
    # Tags that are not version-like are releases only when ship_tags names them.
    _posts_repository(
        pytester,
        [
            ("migrations/0001_users.sql", "release-1"),
            ("migrations/0002_posts.sql", None),
            ("migrations/0003_posts_again.sql", "release-2"),
        ],
    )
    table = (pytester.path / "pyproject.toml").read_text().rstrip() + '\nship_groups = "tags"\n'
    (pytester.path / "pyproject.toml").write_text(table)
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=2, failed=1)
    (pytester.path / "pyproject.toml").write_text(table + 'ship_tags = "release-*"\n')
    pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=3)


def test_the_lint_items_read_the_ship_groups_too(pytester: pytest.Pytester, no_ci: None) -> None:
    # 0003 adds a NOT NULL column without a default to the table 0002 of the same commit
    # created: no deploy ever held a row there, as the engine already knew (zerobyte 0001)
    import os
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = pytester.path / "migrations"
    folder.mkdir()
    (folder / "0001_users.sql").write_text("CREATE TABLE users (id INTEGER PRIMARY KEY);\n")
    (folder / "0002_posts.sql").write_text("CREATE TABLE posts (id INTEGER PRIMARY KEY);\n")
    (folder / "0003_path.sql").write_text("ALTER TABLE posts ADD COLUMN path TEXT NOT NULL;\n")
    pytester.makepyprojecttoml(
        '[tool.migration-harness]\nmigrations = "migrations"\ntarget = "d1"\nchecks = ["lint"]\n'
    )
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (
        ["init", "-q", "."],
        ["add", "migrations/0001_users.sql"],
        [*ident, "commit", "-q", "-m", "users"],
        ["add", "migrations"],
        [*ident, "commit", "-q", "-m", "posts"],
    ):
        subprocess.run(["git", *args], cwd=pytester.path, env=env, check=True)
    # in subprocesses: an in-process rerun re-imports sqlglot under the cached trees
    grouped = pytester.runpytest_subprocess("-p", "no:randomly", "-k", "0003 and lint")
    grouped.assert_outcomes(passed=1)
    apart = pytester.runpytest_subprocess(
        "-p", "no:randomly", "-k", "0003 and lint", "--migration-ship-groups", "off"
    )
    apart.assert_outcomes(failed=1)
