"""Corpus runs start without the example databases earlier runs left (bench/corpus.py)."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import forget_examples


def test_forget_examples_removes_only_the_hypothesis_databases(tmp_path: Path) -> None:
    """The failures a run of other code found must not be replayed first by the next run,
    while the version images (keyed by the harness's fingerprint) stay for speed."""
    for sub in ("migrations", "db/sqlite"):
        cache = tmp_path / sub / ".migration-harness"
        (cache / "hypothesis" / "ab12").mkdir(parents=True)
        (cache / "hypothesis" / "ab12" / "cd34").write_bytes(b"example")
        (cache / "versions").mkdir()
        (cache / "versions" / "key").write_bytes(b"image")
    (tmp_path / "migrations" / "0001_a.sql").write_text("CREATE TABLE a (id INTEGER);\n")

    assert forget_examples(tmp_path) == 2

    for sub in ("migrations", "db/sqlite"):
        cache = tmp_path / sub / ".migration-harness"
        assert not (cache / "hypothesis").exists()
        assert (cache / "versions" / "key").read_bytes() == b"image"
    assert (tmp_path / "migrations" / "0001_a.sql").is_file()
    assert forget_examples(tmp_path) == 0
