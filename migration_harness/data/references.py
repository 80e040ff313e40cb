"""Foreign keys of a drawn row: each pointed at a parent row drawn or already there.

Split from :mod:`~migration_harness.data.strategies`, which draws the rest of the row.
Keys that share a column (Flipt's ``rules``: ``namespace_key REFERENCES namespaces``
beside ``(namespace_key, flag_key) REFERENCES flags``) are drawn widest first, and a later
key picks among the parents that agree with the columns already set: skipping it left
its other columns unset, and every candidate row was refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from migration_harness.data.choices import Chooser
from migration_harness.data.dataset import Value
from migration_harness.schema.model import ForeignKey

if TYPE_CHECKING:
    from migration_harness.data.strategies import _Plan, _State


def widest_shared_first(fks: tuple[ForeignKey, ...]) -> tuple[ForeignKey, ...]:
    """Foreign keys that share a column drawn first, the widest of them first.

    Flipt's ``rules`` has ``namespace_key REFERENCES namespaces`` and ``(namespace_key,
    flag_key) REFERENCES flags``: picking the flag first fixes both columns from one parent
    row, and the narrower key then only has to hold. Keys sharing no column keep their
    order (and so their examples).
    """
    columns = [{c.lower() for c in fk.columns} for fk in fks]
    shared = [
        any(mine & other for j, other in enumerate(columns) if j != i)
        for i, mine in enumerate(columns)
    ]
    if not any(shared):
        return fks
    order = sorted(range(len(fks)), key=lambda i: -len(fks[i].columns) if shared[i] else 0)
    return tuple(fks[i] for i in order)


def draw_references(choose: Chooser, plan: _Plan, state: _State) -> dict[str, Value] | None:
    """Point each foreign key at an existing parent, or at NULL where allowed.

    A key sharing columns with one drawn before it picks among the parents that agree
    with the values already there (NULL in its other columns where they allow it); a key
    whose every column is set already must hold as it is.
    """
    values: dict[str, Value] = {}
    for fk in plan.fks:
        fixed = _fixed_by_earlier(fk, values)
        if len(fixed) == len(fk.columns):
            if not _holds(fk, fixed, state):
                return None
            continue
        free = [c for c in fk.columns if c.lower() not in fixed]
        nullable = all(c.lower() in plan.nullable for c in free)
        candidates = state.parents(fk)
        if fixed:
            candidates = _agreeing(fk, candidates, fixed)
        given = {c.lower() for c in values} | {c.lower() for c in fk.columns}
        if any(all(c.lower() in given for c in cols) for cols in plan.unique_sets):
            # Only a key this pick completes can be taken: filter just then (a scan).
            candidates = [
                key
                for key in candidates
                if not state.completes_taken(
                    plan, {**values, **dict(zip(fk.columns, key, strict=True))}
                )
            ]
        if candidates and not (nullable and choose.boolean()):
            index = choose.integer(0, len(candidates) - 1)
            picked = zip(fk.columns, candidates[index], strict=True)
            values.update((c, v) for c, v in picked if c.lower() not in fixed)
        elif nullable:
            values.update(dict.fromkeys(free))
        else:
            return None
    return values


def _fixed_by_earlier(fk: ForeignKey, values: Mapping[str, Value]) -> dict[str, Value]:
    """The key's columns an earlier key of the row has set, lower-cased, with their values."""
    if not values:
        return {}
    lowered = {k.lower(): v for k, v in values.items()}
    return {c.lower(): lowered[c.lower()] for c in fk.columns if c.lower() in lowered}


def _agreeing(
    fk: ForeignKey, candidates: list[tuple[Value, ...]], fixed: Mapping[str, Value]
) -> list[tuple[Value, ...]]:
    """The parent keys whose values agree with the columns already set.

    A NULL among them leaves the key unenforced: every parent's values will do.
    """
    at = [(i, fixed[c.lower()]) for i, c in enumerate(fk.columns) if c.lower() in fixed]
    if any(value is None for _, value in at):
        return candidates
    return [key for key in candidates if all(key[i] == value for i, value in at)]


def _holds(fk: ForeignKey, fixed: Mapping[str, Value], state: _State) -> bool:
    """Whether the key, set whole by earlier keys, is NULL somewhere or names a parent."""
    key = tuple(fixed[c.lower()] for c in fk.columns)
    return any(v is None for v in key) or key in state.parents(fk)
