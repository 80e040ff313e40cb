"""Finding the local D1's npm packages and ``d1 install`` (no network: npm is never run)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migration_harness.cli import cli
from migration_harness.d1 import npm
from migration_harness.d1.miniflare import LocalD1

REPO = Path(__file__).resolve().parents[1]


def fake_modules(folder: Path) -> Path:
    """A ``node_modules`` that the lookup accepts (it only reads miniflare's package.json)."""
    manifest = folder / "node_modules" / "miniflare" / "package.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text('{"name": "miniflare"}', encoding="utf-8")
    return folder / "node_modules"


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with no node_modules above it, and an empty cache."""
    monkeypatch.delenv(npm.NODE_MODULES_ENV, raising=False)
    monkeypatch.setenv(npm.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(npm, "_CHECKOUT_MODULES", tmp_path / "no-checkout" / "node_modules")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return tmp_path


def test_project_node_modules_above_the_migrations_folder_wins(elsewhere: Path) -> None:
    project = elsewhere / "shop"
    modules = fake_modules(project)
    fake_modules(elsewhere / "work")  # the working folder's comes second
    migrations = project / "db" / "migrations"
    migrations.mkdir(parents=True)
    assert npm.find_node_modules(migrations) == modules.resolve()


def test_the_env_var_beats_the_project(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_modules(elsewhere / "shop")
    chosen = fake_modules(elsewhere / "chosen")
    monkeypatch.setenv(npm.NODE_MODULES_ENV, str(chosen))
    assert npm.find_node_modules(elsewhere / "shop") == chosen.resolve()


def test_the_cache_folder_is_looked_in_last(elsewhere: Path) -> None:
    modules = fake_modules(elsewhere / "cache" / "node")
    assert npm.find_node_modules(elsewhere / "work") == modules.resolve()
    assert npm.candidates(elsewhere / "work")[-1] == modules


def test_missing_packages_name_both_remedies(elsewhere: Path) -> None:
    with pytest.raises(npm.EngineUnavailableError) as caught:
        npm.find_node_modules(elsewhere / "work")
    message = str(caught.value)
    assert f"npm i -D wrangler@{npm.pinned_wrangler()}" in message
    assert f"migration-harness d1 install` to put it in {elsewhere / 'cache' / 'node'}" in message
    assert "\n" not in message


def test_cache_folder_defaults_to_the_user_cache(tmp_path: Path) -> None:
    assert npm.cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "migration-harness"
    assert npm.cache_dir({npm.CACHE_ENV: str(tmp_path / "c")}) == tmp_path / "c"


def test_pinned_wrangler_is_package_jsons() -> None:
    data = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    assert npm.pinned_wrangler() == data["devDependencies"]["wrangler"]


def test_relative_persist_folder_is_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    d1 = LocalD1(persist=Path(".wrangler/state/v3/d1"))
    assert d1.persist == tmp_path / ".wrangler" / "state" / "v3" / "d1"


def test_d1_install_runs_npm_ci_in_the_cache_folder(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []

    def run(command: list[str], **_: Any) -> subprocess.CompletedProcess[bytes]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(shutil, "which", lambda name: f"/bin/{name}")
    monkeypatch.setattr(subprocess, "run", run)
    result = CliRunner().invoke(cli, ["d1", "install"])
    folder = elsewhere / "cache" / "node"
    assert result.exit_code == 0, result.output
    assert calls == [
        ["/bin/npm", "ci", "--prefix", str(folder), "--include=dev", "--no-audit", "--no-fund"]
    ]
    for name in npm.MANIFESTS:  # npm ci installs exactly the harness's locked tree
        assert (folder / name).read_bytes() == (REPO / name).read_bytes()
    assert f"installed wrangler {npm.pinned_wrangler()} into {folder / 'node_modules'}" in (
        result.stdout
    )


def test_d1_install_dry_run_writes_nothing(elsewhere: Path) -> None:
    result = CliRunner().invoke(cli, ["d1", "install", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert str(elsewhere / "cache" / "node") in result.stdout
    assert not (elsewhere / "cache").exists()


def test_d1_install_without_npm_is_exit_2(elsewhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    result = CliRunner().invoke(cli, ["d1", "install"])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("(install Node.js >= 20, which brings npm)")
    assert not (elsewhere / "cache").exists()
