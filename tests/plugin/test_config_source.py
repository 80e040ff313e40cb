"""The plugin reads ``[tool.migration-harness]`` as the CLI does, and only that table.

The package is installed into other people's projects: a pyproject.toml that names it
(a dependency, a comment) without the table is not its configuration, and the plugin must
take the same file and give a value the same meaning (and the same error) as ``check``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.plugin.accept import PluginAccept
from migration_harness.plugin.settings import resolve
from migration_harness.plugin.state import SetState
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.functions import find_config, set_config
from migration_harness.sets.locate import locate

pytest_plugins = ["pytester"]

CREATE = "CREATE TABLE a (id INTEGER PRIMARY KEY);\n"
FOREIGN = '[project]\nname = "app"\ndependencies = ["migration-harness>=1"]\n'


def _project(root: Path, anchor: str, own: str | None = None) -> Path:
    """``root/pyproject.toml`` (``anchor``), ``root/db/migrations`` and ``db``'s own file."""
    (root / "db" / "migrations").mkdir(parents=True)
    (root / "db" / "migrations" / "0001_a.sql").write_text(CREATE)
    (root / "pyproject.toml").write_text(anchor)
    if own is not None:
        (root / "db" / "pyproject.toml").write_text(own)
    return root


def test_a_pyproject_naming_the_package_without_the_table_is_passed_over(tmp_path: Path) -> None:
    root = _project(tmp_path, '[tool.migration-harness]\napplied = "tracked"\n', own=FOREIGN)
    assert find_config(root / "db" / "migrations") == root / "pyproject.toml"


def test_a_foreign_pyproject_that_is_not_toml_is_passed_over(tmp_path: Path) -> None:
    """Its TOML error is its own project's business, unless it spells our table."""
    root = _project(tmp_path, FOREIGN + "oops = [\n")
    assert find_config(root / "db") is None
    assert locate(root / "db").root == root / "db"  # the db/ convention, not an error


def test_with_no_table_anywhere_the_cli_falls_back_to_defaults(tmp_path: Path) -> None:
    root = _project(tmp_path, FOREIGN)
    assert find_config(root / "db" / "migrations") is None
    assert set_config(discover(root / "db")).applied is None


def _config(pytester: pytest.Pytester, *args: str) -> SetConfig:
    """The settings the plugin's items run under, from a run with ``args``."""
    settings = resolve(pytester.parseconfigure(*args))
    assert settings is not None
    return SetState(settings).config()


@pytest.mark.parametrize("migrations", ['migrations = "db"\n', ""])
def test_the_plugin_reads_the_file_the_cli_reads(
    pytester: pytest.Pytester, migrations: str
) -> None:
    """A file nearer the set's migrations beats the anchor's keys, as it does for ``check``.

    With or without ``migrations`` in the anchor: the set is found from the project root
    or from ``db/``, and either way ``db/pyproject.toml`` is the set's own file.
    """
    root = _project(
        pytester.path,
        f'[tool.migration-harness]\n{migrations}applied = "untracked"\n',
        own='[tool.migration-harness]\napplied = "tracked"\nrollback_policy = "optional"\n',
    )
    config = _config(pytester)
    assert config == set_config(discover(root / "db"))
    assert (config.applied, config.rollback_policy) == ("tracked", "optional")


def test_options_still_beat_the_file(pytester: pytest.Pytester) -> None:
    _project(pytester.path, '[tool.migration-harness]\nmigrations = "db"\napplied = "tracked"\n')
    assert _config(pytester, "--migration-applied", "untracked").applied == "untracked"
    assert _config(pytester).applied == "tracked"


def test_a_bad_value_fails_with_the_clis_message(pytester: pytest.Pytester) -> None:
    root = _project(pytester.path, '[tool.migration-harness]\napplied = "tracke"\n')
    with pytest.raises(pytest.UsageError) as raised:
        resolve(pytester.parseconfigure())
    assert str(raised.value) == (
        f"{root / 'pyproject.toml'}: [tool.migration-harness] applied = 'tracke' is not "
        "allowed (did you mean 'tracked'?)"
    )


def test_a_pyproject_naming_the_package_leaves_the_plugin_inert(
    pytester: pytest.Pytester,
) -> None:
    _project(pytester.path, FOREIGN + "[tool.pytest.ini_options]\naddopts = '-q'\n")
    assert resolve(pytester.parseconfigure()) is None


def test_suppressions_come_from_the_file_check_reads(pytester: pytest.Pytester) -> None:
    """The set's own ``ignore`` counts for the plugin's items, as it does for ``check``."""
    _project(
        pytester.path,
        '[tool.migration-harness]\nmigrations = "db"\n',
        own='[tool.migration-harness]\nignore = { codes = ["MH132"], reason = "known" }\n',
    )
    settings = resolve(pytester.parseconfigure())
    assert settings is not None
    accepted = PluginAccept(SetState(settings)).accepted()
    assert [(s.codes, s.reason) for s in accepted.suppressions] == [(frozenset({"MH132"}), "known")]
