"""Issue 15: ``check`` writes ``<set>/regressions/`` only inside the set.

Before, a ``regressions`` symlink to a folder outside the set (or a symlink planted at a
regression file's name) made ``check`` write there. The writer now refuses both, and the CLI
turns the refusal into a warning while the report stands.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.report.findings import Finding
from migration_harness.report.regression import write_regression

FINDING = Finding(
    kind="data_loss",
    migration="0002_b",
    message="rolling back 0002 deletes 1 row of users",
    example={"history": [["apply", "0001_a"]]},
    check="machine",
)


def test_a_regression_is_written_inside_the_set(tmp_path: Path) -> None:
    written = write_regression(FINDING, tmp_path, "sqlite")
    assert written.parent == tmp_path / "regressions"
    assert written.read_text().startswith("{")


def test_a_regressions_symlink_out_of_the_set_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "set", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "regressions").symlink_to(outside)
    with pytest.raises(OSError, match="symbolic link"):
        write_regression(FINDING, root, "sqlite")
    assert list(outside.iterdir()) == []


def test_a_symlink_at_the_files_name_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "set"
    (root / "regressions").mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    name = write_regression(FINDING, root, "sqlite").name
    (root / "regressions" / name).unlink()
    (root / "regressions" / name).symlink_to(victim)
    with pytest.raises(OSError, match="a symbolic link is never followed"):
        write_regression(FINDING, root, "sqlite")
    assert victim.read_text() == "keep me\n"


def test_a_symlink_to_a_folder_inside_the_set_is_still_refused(tmp_path: Path) -> None:
    root = tmp_path / "set"
    (root / "kept").mkdir(parents=True)
    (root / "regressions").symlink_to(root / "kept")
    with pytest.raises(OSError, match="symbolic link"):
        write_regression(FINDING, root, "sqlite")
