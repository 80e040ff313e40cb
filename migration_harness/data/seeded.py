"""What a version's existing rows contribute to every example, worked out once per version.

Each example starts a fresh record of the rows so far (:class:`~migration_harness.data.
strategies._State`): the version's existing rows first, then the drawn ones. Remembering
the existing rows one by one (their UNIQUE keys, their text keys, the keys children may
point at) cost a Python loop over every seeded row in every example: on a one-line seed of
28,000 rows that was 1.3 million calls and most of ``check``'s time, growing with the seed
times the examples. The result depends only on the rows, the table's plan and the key
space's extra columns, so it is built once and each example copies it (``set``/``list``
copies, in C), in the same order, which keeps every draw and finding the same.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Final, Generic, TypeVar

from migration_harness.data.dataset import Value

Key = tuple[Value, ...]
T = TypeVar("T")
# Versions x tables drawn with existing rows in one run are few; the entries hold the rows.
_ENTRIES: Final = 64


@dataclass(slots=True)
class Seeded:
    """A table's existing rows as an example's record starts from them.

    Attributes:
        rows: the version's own list of the rows (never modified: examples copy it).
        keys: each UNIQUE set's keys, as SQLite compares them (NULL-free only).
        owned: the text-key values, in the order the rows hold them (first holder wins).
        parents: per referenced columns, the keys in row order and as a set; filled the
            first time an example's child table asks.
    """

    rows: list[dict[str, Value]]
    keys: dict[tuple[str, ...], frozenset[Key]]
    owned: tuple[str, ...]
    parents: dict[tuple[str, ...], tuple[tuple[Key, ...], frozenset[Key]]] = field(
        default_factory=dict
    )


class IdentityCache(Generic[T]):
    """A few values keyed by the identity of the objects they were computed from.

    The objects are kept with the value, so an identity cannot be reused by another
    object while its entry lives; least recently used entries go first.
    """

    def __init__(self, size: int = _ENTRIES) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[Hashable, ...], tuple[tuple[object, ...], T]] = (
            OrderedDict()
        )

    def get(self, sources: tuple[object, ...], extra: Hashable, build: Callable[[], T]) -> T:
        """The value for ``sources`` (by identity) and ``extra`` (by value), built once."""
        key = (*(id(s) for s in sources), extra)
        found = self._entries.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], sources, strict=True)):
            self._entries.move_to_end(key)
            return found[1]
        value = build()
        self._entries[key] = (sources, value)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return value


SEEDED: Final[IdentityCache[Seeded]] = IdentityCache()
