"""checks.outcomes: an example's rows are rendered only for the findings that carry it."""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.checks.outcomes import example_later, example_of, rendered
from migration_harness.checks.run import check_set
from migration_harness.data.dataset import Dataset, Row
from migration_harness.report.findings import Finding
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"


def test_a_later_example_is_the_eager_one_once_rendered() -> None:
    dataset = Dataset((Row("t", (("a", 1), ("b", "x"))),))
    steps = ["apply 0001", "insert the rows"]
    later = example_later(list(steps))
    finding = Finding("data_loss", "0001_a", "lost", (), later)
    assert rendered([finding], dataset) == [finding]
    assert finding.example == example_of(dataset, steps)
    assert list(finding.example) == ["sql", "rows", "steps"]  # the JSON keeps its order


def test_examples_without_findings_are_never_rendered(monkeypatch: pytest.MonkeyPatch) -> None:
    """~780 renderings of rows as SQL and JSON on db/ went with no finding (issue 17)."""
    calls: list[int] = []
    render, to_json = Dataset.render, Dataset.to_json

    def counting_render(self: Dataset) -> str:
        calls.append(len(self.rows))
        return render(self)

    def counting_json(self: Dataset) -> list[dict[str, object]]:
        calls.append(len(self.rows))
        return to_json(self)

    monkeypatch.setattr(Dataset, "render", counting_render)
    monkeypatch.setattr(Dataset, "to_json", counting_json)
    run = check_set(
        discover(EXAMPLES / "drizzle_clean"),
        TARGETS["sqlite"],
        profile="ci",
        checks=["apply_keeps_data", "rollback_keeps_data", "idempotent"],
        config=SetConfig(ship_groups="off"),
    )
    assert run.findings == []
    assert run.stats.examples > 10
    assert run.stats.rows_generated > 10
    assert calls == []
