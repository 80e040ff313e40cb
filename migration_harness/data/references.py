"""Foreign keys of a drawn row: each pointed at a parent row drawn or already there.

Split from :mod:`~migration_harness.data.strategies`, which draws the rest of the row.
Keys that share a column (Flipt's ``rules``: ``namespace_key REFERENCES namespaces``
beside ``(namespace_key, flag_key) REFERENCES flags``) are drawn widest first, and a later
key picks among the parents that agree with the columns already set: skipping it left
its other columns unset, and every candidate row was refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Reference:
    """One foreign key of a table as a row draws it: what the row's earlier keys decide.

    Which columns earlier keys of the row have set depends on the table alone (each key
    sets all its columns, or the row is not drawn), so this is worked out once per table
    (:func:`references_of`), not once per row.

    Attributes:
        fixed: the key's columns, lower-cased, that an earlier key sets.
        free: the key's other columns, as the key spells them.
        whole: earlier keys set every column: the key must hold as they set it.
        nullable: every free column may be NULL.
        completes: the row's columns set so far and this key's fill a UNIQUE set, so a
            pick can complete a taken key.
    """

    fk: ForeignKey
    fixed: tuple[str, ...]
    free: tuple[str, ...]
    whole: bool
    nullable: bool
    completes: bool


def references_of(
    fks: tuple[ForeignKey, ...],
    nullable: frozenset[str],
    unique_sets: tuple[tuple[str, ...], ...],
) -> tuple[Reference, ...]:
    """:class:`Reference` of each key in drawing order (``fks``, widest shared first)."""
    found = []
    given: set[str] = set()
    for fk in fks:
        fixed = tuple(c.lower() for c in fk.columns if c.lower() in given)
        free = tuple(c for c in fk.columns if c.lower() not in given)
        whole = len(set(fixed)) == len(fk.columns)
        given |= {c.lower() for c in fk.columns}
        completes = any(all(c.lower() in given for c in cols) for cols in unique_sets)
        usable = all(c.lower() in nullable for c in free)
        found.append(Reference(fk, fixed, free, whole, usable, completes))
    return tuple(found)


def draw_references(choose: Chooser, plan: _Plan, state: _State) -> dict[str, Value] | None:
    """Point each foreign key at an existing parent, or at NULL where allowed.

    A key sharing columns with one drawn before it picks among the parents that agree
    with the values already there (NULL in its other columns where they allow it); a key
    whose every column is set already must hold as it is.
    """
    values: dict[str, Value] = {}
    for ref in plan.references:
        fk = ref.fk
        fixed = _fixed_by_earlier(ref.fixed, values)
        if ref.whole:
            if not _holds(fk, fixed, state):
                return None
            continue
        candidates = state.parents(fk)
        if fixed:
            candidates = _agreeing(fk, candidates, fixed)
        if ref.completes:
            # Only a key this pick completes can be taken: filter just then (a scan).
            candidates = [
                key
                for key in candidates
                if not state.completes_taken(
                    plan, {**values, **dict(zip(fk.columns, key, strict=True))}
                )
            ]
        if candidates and not (ref.nullable and choose.boolean()):
            index = choose.integer(0, len(candidates) - 1)
            picked = zip(fk.columns, candidates[index], strict=True)
            values.update((c, v) for c, v in picked if c.lower() not in fixed)
        elif ref.nullable:
            values.update(dict.fromkeys(ref.free))
        else:
            return None
    return values


def _fixed_by_earlier(fixed: tuple[str, ...], values: Mapping[str, Value]) -> dict[str, Value]:
    """The values earlier keys of the row set in the ``fixed`` columns (lower-cased)."""
    if not fixed:
        return {}
    lowered = {k.lower(): v for k, v in values.items()}
    return {c: lowered[c] for c in fixed}


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
