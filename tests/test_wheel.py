"""The built wheel, installed (not editable) into a fresh virtual environment, as a user has it.

Issue 12 was found this way: an installed harness checked its own embedded example inside a
wrangler project, applied it to a user's database, broke pytest in projects with their own
``harness`` package and persisted nothing under a relative ``--persist-to``. Each test runs
the installed console script from a project folder of its own. The wheel is built and
installed once per session (about 15 s; the dependencies come from pip's configured index).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "node_modules"
USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
WRANGLER_TOML = """name = "shop"
main = "src/index.ts"
compatibility_date = "2025-11-01"

[[d1_databases]]
binding = "DB"
database_name = "shop-db"
database_id = "22222222-2222-2222-2222-222222222222"
"""

QUIET_WRANGLER = {
    "WRANGLER_SEND_METRICS": "false",
    "WRANGLER_SEND_ERROR_REPORTS": "false",
    "WRANGLER_HIDE_BANNER": "true",
    "CI": "1",
}


class Installed:
    """The wheel and the virtual environment it is installed in."""

    def __init__(self, wheel: Path, venv: Path, cache: Path) -> None:
        self.wheel = wheel
        self.venv = venv
        self.cache = cache
        self.bin = venv / ("Scripts" if sys.platform == "win32" else "bin")

    def env(self) -> dict[str, str]:
        """The user's environment: nothing of this checkout or its test run leaks in."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST_", "MIGRATION_HARNESS_", "PYTHON", "VIRTUAL_ENV"))
        }
        env["MIGRATION_HARNESS_CACHE"] = str(self.cache)  # an empty cache of our own
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        return env

    def run(self, *args: str, cwd: Path, tool: str = "migration-harness") -> Run:
        """Run an installed console script (or the venv's python) in ``cwd``."""
        done = subprocess.run(
            [str(self.bin / tool), *args],
            cwd=cwd,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        return Run(done.returncode, done.stdout, done.stderr)


class Run:
    """Exit status and output of one command."""

    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    def __repr__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """One wheel build and one fresh venv with it installed (deps from pip's index)."""
    base = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(base / "dist"), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (base / "dist").glob("migration_harness-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    result = Installed(wheel, venv, base / "cache")
    subprocess.run(
        [str(result.bin / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        env=result.env(),
    )
    return result


def wrangler_project(root: Path) -> Path:
    """A wrangler D1 project with one migration of its own (wrangler's default folder)."""
    (root / "migrations").mkdir(parents=True)
    (root / "wrangler.toml").write_text(WRANGLER_TOML, encoding="utf-8")
    (root / "migrations" / "0001_users.sql").write_text(USERS, encoding="utf-8")
    return root


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_wheel_carries_license_types_docs_and_the_npm_pin(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for name in (
        "migration_harness/py.typed",
        "migration_harness/_docs/RUNNERS.md",
        "migration_harness/_docs/FINDINGS.md",
        "migration_harness/_docs/LINT.md",
        "migration_harness/d1/npm/package.json",
        "migration_harness/d1/npm/package-lock.json",
        "migration_harness-0.1.0.dist-info/licenses/LICENSE",
    ):
        assert name in names


def test_installed_not_editable_and_docs_print(installed: Installed, tmp_path: Path) -> None:
    where = installed.run(
        "-c", "import migration_harness as m; print(m.__file__)", cwd=tmp_path, tool="python"
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.venv), where
    page = installed.run("docs", "runners", "--path", cwd=tmp_path)
    assert page.code == 0, page
    assert Path(page.stdout.strip()).is_file()
    helped = installed.run("check", "--help", cwd=tmp_path).stdout
    assert "harness docs runners`" in " ".join(helped.split())  # wrapped at the hyphen


def test_bare_check_in_a_wrangler_project_checks_that_projects_set(
    installed: Installed, tmp_path: Path
) -> None:
    project = wrangler_project(tmp_path / "shop")
    result = installed.run("check", "--profile", "dev", "--json", "-", cwd=project)
    assert result.code == 0, result
    assert "embedded" not in result.stderr
    data = json.loads(result.stdout)
    assert (data["layout"], [m["name"] for m in data["migrations"]]) == ("wrangler", ["0001_users"])
    # Only Hypothesis's example database (.hypothesis/) and the check's own version cache
    # (.migration-harness/, off with --no-cache) may appear beside the user's files.
    own = {".hypothesis", ".migration-harness"}
    written = sorted(p.name for p in project.iterdir() if p.name not in own)
    assert written == ["migrations", "wrangler.toml"]


def test_bare_audit_with_no_set_says_it_is_the_embedded_example(
    installed: Installed, tmp_path: Path
) -> None:
    result = installed.run("audit", cwd=tmp_path)
    assert "using the embedded Umbrella example" in result.stderr, result
    assert str(installed.venv) in result.stderr
    assert result.code in (0, 1)


def test_migrate_with_no_set_is_exit_2_and_the_database_is_untouched(
    installed: Installed, tmp_path: Path
) -> None:
    database = tmp_path / "shop.db"
    conn = sqlite3.connect(database)
    with conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO orders VALUES (1)")
    conn.close()
    before = digest(database)
    result = installed.run("migrate", "--db", "shop.db", cwd=tmp_path)
    assert result.code == 2, result
    assert result.stderr.startswith("error: no migration set found")
    assert len(result.stderr.splitlines()) == 1
    assert digest(database) == before


def test_a_project_with_its_own_harness_package_runs_its_pytest(
    installed: Installed, tmp_path: Path
) -> None:
    project = tmp_path / "app"
    (project / "harness").mkdir(parents=True)
    (project / "tests").mkdir()
    (project / "harness" / "__init__.py").write_text("def answer() -> int:\n    return 42\n")
    (project / "harness" / "plugin.py").write_text("RAN = True\n")
    (project / "tests" / "test_app.py").write_text(
        "from harness import answer\n\n\ndef test_answer():\n    assert answer() == 42\n"
    )
    (project / "pyproject.toml").write_text('[tool.pytest.ini_options]\npythonpath = ["."]\n')
    result = installed.run(
        "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project, tool="python"
    )
    assert result.code == 0, result
    assert "1 passed" in result.stdout


@pytest.mark.skipif(
    shutil.which("node") is None or not (NODE_MODULES / "miniflare").is_dir(),
    reason="needs node and this checkout's node_modules (npm ci)",
)
def test_relative_persist_to_persists_and_status_and_wrangler_see_it(
    installed: Installed, tmp_path: Path
) -> None:
    project = wrangler_project(tmp_path / "shop")
    # The project's own node_modules, as a wrangler project has: found from its migrations.
    (project / "node_modules").symlink_to(NODE_MODULES.resolve(), target_is_directory=True)
    args = ("--engine", "miniflare", "--persist-to", ".wrangler/state")
    migrated = installed.run("migrate", *args, cwd=project)
    assert migrated.code == 0, migrated
    assert "1 migration(s) applied" in migrated.stdout
    assert list((project / ".wrangler" / "state" / "v3" / "d1").rglob("*.sqlite"))
    status = installed.run("status", *args, cwd=project)
    assert status.code == 0, status
    assert "1 applied, 0 pending; version 1" in status.stdout
    wrangler = str(project / "node_modules" / ".bin" / "wrangler")
    listed = subprocess.run(
        [
            wrangler,
            "d1",
            "migrations",
            "list",
            "shop-db",
            "--local",
            "--persist-to",
            ".wrangler/state",
        ],
        cwd=project,
        env={**installed.env(), **QUIET_WRANGLER, "WRANGLER_LOG_PATH": str(tmp_path / "logs")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert "No migrations to apply" in listed.stdout
