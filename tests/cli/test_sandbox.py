"""``check`` is a sandbox and no command hangs (issue 15, items 1 and 6).

A migration that attaches an unrelated database emptied it during ``check``; ``VACUUM
INTO`` created files; an endless recursive CTE hung ``check``, ``lint`` and ``migrate``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migration_harness.cli import cli
from migration_harness.sets import sandbox

ENDLESS = (
    "INSERT INTO n WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT x FROM c;\n"
)


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _write_set(root: Path, files: dict[str, str]) -> Path:
    (root / "migrations").mkdir(parents=True)
    for name, sql in files.items():
        (root / "migrations" / name).write_text(sql)
    return root


def _victim(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO accounts VALUES (?)", [(i,) for i in range(100)])
    conn.commit()
    conn.close()
    return path


def _state(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``folder`` but check's own cache: its hash and modification time.

    ``.migration-harness/`` (the version cache) is check's work area, the one folder it
    writes; everything else must stay as it was.
    """
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".migration-harness" not in p.relative_to(folder).parts
    }


@pytest.mark.parametrize(
    ("evil", "code_of"),
    [
        ("ATTACH '{victim}' AS v;\nDELETE FROM v.accounts;\n", "ATTACH"),
        ("VACUUM INTO '{out}';\n", "VACUUM INTO"),
        ("INSERT INTO users VALUES (1);\nATTACH '{out}' AS o;\nCREATE TABLE o.t(x);\n", "ATTACH"),
    ],
)
def test_check_changes_and_creates_no_file_outside_its_work_area(
    tmp_path: Path, evil: str, code_of: str
) -> None:
    area = tmp_path / "area"  # the victim, the set and where VACUUM INTO aims
    area.mkdir()
    victim = _victim(area / "victim.db")
    out = area / "copy.db"
    root = _write_set(
        area / "set",
        {
            "0001_users.sql": "CREATE TABLE users(id INTEGER PRIMARY KEY);\n",
            "0002_evil.sql": evil.format(victim=victim, out=out),
        },
    )
    os.utime(victim, ns=(1, 1))  # an mtime any write would move
    before = _state(area)
    report = tmp_path / "report.json"
    result = invoke("check", root, "--target", "sqlite", "--no-regressions", "--json", report)
    assert result.exit_code == 1, result.output
    assert _state(area) == before
    findings = json.loads(report.read_text())["findings"]
    escapes = [f for f in findings if f["kind"] == "sandbox_escape"]
    assert [(f["code"], f["severity"], f["migration"]) for f in escapes] == [
        ("MH181", "error", "0002_evil")
    ]
    assert "would write outside the database" in escapes[0]["message"]
    assert code_of in escapes[0]["message"]
    assert "Traceback" not in result.output


def test_check_on_a_plain_vacuum_reports_no_escape(tmp_path: Path) -> None:
    """Clean twin: VACUUM without INTO stays in the in-memory copy."""
    root = _write_set(
        tmp_path / "set",
        {"0001_users.sql": "CREATE TABLE users(id INTEGER PRIMARY KEY);\nVACUUM;\n"},
    )
    report = tmp_path / "report.json"
    result = invoke("check", root, "--target", "sqlite", "--no-regressions", "--json", report)
    kinds = {f["kind"] for f in json.loads(report.read_text())["findings"]}
    assert "sandbox_escape" not in kinds, result.output
    assert "apply_error" not in kinds


def test_check_reports_an_endless_statement_as_a_timeout_finding(tmp_path: Path) -> None:
    root = _write_set(
        tmp_path / "set",
        {"0001_n.sql": "CREATE TABLE n(x INTEGER);\n", "0002_loop.sql": ENDLESS},
    )
    report = tmp_path / "report.json"
    result = invoke(
        "check", root, "--no-regressions", "--statement-timeout", "0.3", "--json", report
    )
    assert result.exit_code == 1, result.output
    findings = json.loads(report.read_text())["findings"]
    timeouts = [(f["code"], f["migration"]) for f in findings if f["kind"] == "statement_timeout"]
    assert timeouts == [("MH182", "0002_loop")]


@pytest.mark.parametrize("command", ["migrate", "rollback"])
def test_migrate_and_rollback_end_an_endless_statement_with_one_line_exit_2(
    tmp_path: Path, command: str
) -> None:
    root = tmp_path / "set"
    _write_set(root, {"0001_n.sql": "CREATE TABLE n(x INTEGER);\n", "0002_loop.sql": ENDLESS})
    (root / "rollbacks").mkdir()
    (root / "rollbacks" / "0001_n.sql").write_text(ENDLESS + "DROP TABLE n;\n")
    (root / "rollbacks" / "0002_loop.sql").write_text("DELETE FROM n;\n")
    db = tmp_path / "app.db"
    if command == "rollback":
        (root / "migrations" / "0002_loop.sql").write_text("SELECT 1;\n")
        assert invoke("migrate", root, "--db", db).exit_code == 0
        args: tuple[str, ...] = ("rollback", "--to", "0")
    else:
        args = ("migrate",)
    result = invoke(*args, root, "--db", db, "--statement-timeout", "0.3")
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "statement ran longer than 0.3 s and was interrupted" in lines[0]
    assert ".sql:1:" in lines[0]


def test_statement_timeout_must_be_positive(tmp_path: Path) -> None:
    result = invoke("check", tmp_path, "--statement-timeout", "0")
    assert result.exit_code == 2
    assert "--statement-timeout" in result.output


def test_lint_does_not_hang_on_an_endless_create_table_as(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "DEFAULT_STATEMENT_TIMEOUT", 0.3)
    endless = ENDLESS.replace("INSERT INTO n", "CREATE TABLE n AS")
    root = _write_set(tmp_path / "set", {"0001_n.sql": endless})
    result = invoke("lint", root)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_audit_refuses_an_attach_with_one_line_and_touches_no_file(tmp_path: Path) -> None:
    area = tmp_path / "area"
    area.mkdir()
    victim = _victim(area / "victim.db")
    root = _write_set(
        area / "set",
        {
            "0001_users.sql": "CREATE TABLE users(id INTEGER PRIMARY KEY);\n",
            "0002_evil.sql": f"ATTACH '{victim}' AS v;\nDELETE FROM v.accounts;\n",
        },
    )
    before = _state(area)
    result = invoke("audit", root, "--target", "sqlite")
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert "0002_evil.sql:1: would write outside the database" in result.stderr
    assert _state(area) == before
