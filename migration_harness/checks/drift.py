"""Schema drift after a round trip: an error where it changes behaviour, else a warning.

A rollback that rebuilds a table with its columns in another order, or spells a declared
type otherwise with the same affinity (``VARCHAR(255)`` for ``TEXT``), leaves a schema that
is not the previous version's text but stores, checks and returns the same values (issue
13: on real histories most rollback drifts were only that). Such a drift is ``MH130``
(after the rollback) or ``MH129`` (after the re-apply), a warning. It stays ``MH132``/
``MH134`` when any difference changes behaviour (a missing or extra object, a constraint,
a DEFAULT, an affinity, see :mod:`migration_harness.schema.diff`) or when a statement that
can still run on the drifted database relies on the column order
(:mod:`migration_harness.schema.positional`); its details then list the behavioural
differences first.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Final

from migration_harness.checks.engine import Engine
from migration_harness.report.catalogue import COSMETIC_DRIFT
from migration_harness.report.findings import Finding
from migration_harness.schema.diff import Difference, SchemaDiff
from migration_harness.schema.model import Schema
from migration_harness.schema.positional import ANY, positional_uses

# The warning each drift kind becomes when every difference is cosmetic.
COSMETIC: Final = COSMETIC_DRIFT
_ORDER_WHY: Final = (
    "no statement of the set that can still run, nor a trigger, relies on this table's "
    "column order: each names its columns"
)
_SHORT_WHY: Final = {
    "order": _ORDER_WHY,
    "type": "each type keeps its SQLite affinity",
    "spelling": "SQLite resolves names case-insensitively",
}


def drift_finding(
    kind: str,
    label: str,
    message: str,
    drift: SchemaDiff,
    uses: Mapping[str, str],
    example: dict[str, Any],
    check: str = "",
    lead: Sequence[str] = (),
) -> Finding:
    """The finding for ``drift``: its kind's error, or its cosmetic warning.

    Args:
        kind: ``rollback_schema_drift`` or ``reapply_schema_drift``.
        label: the migration's label.
        message: what drifted (``after rollback the schema differs from 0001_people``).
        drift: the differences (expected -> actual).
        uses: tables some statement that can still run relies on the column order of
            (:func:`positional_sources`), lower-cased, to where it does.
        example: the example that showed it.
        check: the check that found it.
        lead: details that come first (what the runner skipped).

    """
    behaviour, cosmetic = split(drift, uses)
    if behaviour or lead:
        details = (
            *lead,
            *(_behaviour_line(d, uses) for d in behaviour),
            *map(_cosmetic_line, cosmetic),
        )
        return Finding(kind, label, message, details, example, check=check)
    what = _what(cosmetic)
    why = "; ".join(dict.fromkeys(_SHORT_WHY[d.nature] for d in cosmetic))
    return Finding(
        kind,
        label,
        f"{message} only in {what}, which changes no behaviour ({why})",
        tuple(map(_cosmetic_line, cosmetic)),
        example,
        check=check,
        code=COSMETIC[kind],
    )


def split(drift: SchemaDiff, uses: Mapping[str, str]) -> tuple[list[Difference], list[Difference]]:
    """``(behavioural, cosmetic)`` differences; an order some statement relies on is behaviour."""
    behaviour: list[Difference] = []
    cosmetic: list[Difference] = []
    for item in drift.items:
        positional = item.nature == "order" and _relied_on(item, uses) is not None
        if item.nature == "behaviour" or positional:
            behaviour.append(item)
        else:
            cosmetic.append(item)
    return behaviour, cosmetic


def is_cosmetic(drift: SchemaDiff, uses: Mapping[str, str]) -> bool:
    """Whether every difference of a non-empty ``drift`` is cosmetic."""
    return bool(drift) and not split(drift, uses)[0]


def positional_sources(engine: Engine, k: int, schema: Schema) -> Mapping[str, str]:
    """Tables whose column order a statement that can still run on ``schema`` relies on.

    After rolling back migration ``k`` (or applying it again), what can still run is the
    files of migrations ``k`` and later, every rollback (a further rollback runs the older
    ones), and the triggers ``schema`` holds.
    """
    sources: list[tuple[str, str]] = []
    for index, migration in enumerate(engine.migrations, start=1):
        if index >= k:
            sources.append((migration.path.name, migration.up_sql))
        if migration.down_sql is not None:
            name = (migration.down_path or migration.path).name
            sources.append((name, migration.down_sql))
    sources += [(f"trigger {t.name}", t.source or t.sql) for t in schema.triggers]
    return _uses(tuple(sources))


@functools.lru_cache(maxsize=256)
def _uses(sources: tuple[tuple[str, str], ...]) -> Mapping[str, str]:
    """:func:`positional_uses`, once per distinct set of sources.

    The SQL strings are shared objects whose hashes Python keeps, so the key costs little
    on each example that shows the drift.
    """
    return positional_uses(sources)


def _behaviour_line(item: Difference, uses: Mapping[str, str]) -> str:
    """A behavioural difference; an order says which statement relies on it."""
    if item.nature == "order":
        return f"{item.text}: {_relied_on(item, uses)} relies on it"
    return item.text


def _relied_on(item: Difference, uses: Mapping[str, str]) -> str | None:
    """The statement that relies on the order of ``item``'s table (``None``: none does)."""
    return uses.get((item.table or "").lower()) or uses.get(ANY)


def _cosmetic_line(item: Difference) -> str:
    """A cosmetic difference and why it changes no behaviour."""
    return f"{item.text} (cosmetic: {item.why or _ORDER_WHY})"


def _what(cosmetic: Sequence[Difference]) -> str:
    """``the column order of people and the declared type spelling of 1 column(s)``."""
    parts = []
    tables = [d.table for d in cosmetic if d.nature == "order" and d.table]
    if tables:
        parts.append(f"the column order of {', '.join(tables)}")
    types = sum(d.nature == "type" for d in cosmetic)
    if types:
        parts.append(f"the declared type spelling of {types} column(s)")
    spelt = sum(d.nature == "spelling" for d in cosmetic)
    if spelt:
        parts.append(f"the identifier case or quoting of {spelt} index(es), CHECK(s) or view(s)")
    return " and ".join(parts)
