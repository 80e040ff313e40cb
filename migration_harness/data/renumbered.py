"""Rows a rebuild numbered again: the copy left the rowid key out, SQLite handed out new ids.

``INSERT INTO sweeps2 (swap_hash, amt) SELECT swap_hash, amt FROM sweeps`` keeps every row
and every value but the key: row 1000 comes back as row 1. Matched by key alone that read as
row 1000 lost (lightninglabs/loop 000013). A row whose key vanished is taken as renumbered
when a row with a new key holds exactly its other values; what the new key means (nothing
references it, or children now point at the wrong parent) is judged by the caller.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

Row = TypeVar("Row")


def pair_renumbered(
    gone: Sequence[tuple[Hashable, Row]], spare: Sequence[tuple[Hashable, Row]]
) -> list[tuple[Row, Row]]:
    """Each gone row with the first unclaimed spare row of the same other values, in order.

    Args:
        gone: ``(other values, row)`` of the rows whose key is no longer there, old order.
        spare: ``(other values, row)`` of the new rows whose key no old row had, new order.

    A copy that keeps the rows' order (rowid order, ``ORDER BY id``) numbers them in that
    order, so pairing equal values first-to-first names the id each row was given.
    """
    waiting: dict[Hashable, list[Row]] = {}
    for values, row in spare:
        waiting.setdefault(values, []).append(row)
    pairs = []
    for values, row in gone:
        candidates = waiting.get(values)
        if candidates:
            pairs.append((row, candidates.pop(0)))
    return pairs
