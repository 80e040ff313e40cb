"""A map computed from a schema, kept for the last few schemas asked, not on the schema.

Schemas are immutable and a long history has one per version: a map stored on each (a
dict of sets per table) held memory for versions whose checks had finished (~115 MiB at
1,000 migrations), while a map rebuilt on every call scanned every table each time
(issue 17). A :class:`Memo` keeps it for the last ``kept`` schemas, by identity; the weak
reference tells a schema collected, and its id reused, from the one it was built for.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

S = TypeVar("S")  # the schema (any object a weak reference can point at)
T = TypeVar("T")


class Memo(Generic[S, T]):
    """``build(schema)`` for the last ``kept`` schemas asked (least recently used goes)."""

    def __init__(
        self,
        build: Callable[[S], T],
        kept: int = 16,
        derive: Callable[[S, S, T], T | None] | None = None,
    ) -> None:
        """Keep ``build(schema)`` for ``kept`` schemas; ``derive`` it where it can.

        ``derive(schema, other, its_map)``: ``schema``'s map from the map of ``other`` (the
        schema asked last, still alive), or ``None`` when only ``build`` can tell. Version
        k of a history differs from k - 1 by a few tables, and rebuilding a map of every
        table on each version cost time in the length of the history (issue 17).
        """
        self._build = build
        self._kept = kept
        self._derive = derive
        self._held: dict[int, tuple[weakref.ref[S], T]] = {}

    def __call__(self, schema: S) -> T:
        """The map of ``schema``, built on the first ask since it was last dropped."""
        key = id(schema)
        held = self._held.pop(key, None)
        if held is None or held[0]() is not schema:
            held = (weakref.ref(schema), self._made(schema))
            if len(self._held) >= self._kept:
                del self._held[next(iter(self._held))]  # the least recently used
        self._held[key] = held
        return held[1]

    def _made(self, schema: S) -> T:
        """The map of ``schema``: derived from the last one held where possible, else built."""
        if self._derive is not None and self._held:
            ref, made = self._held[next(reversed(self._held))]
            other = ref()
            if other is not None:
                derived = self._derive(schema, other, made)
                if derived is not None:
                    return derived
        return self._build(schema)

    def __len__(self) -> int:
        """How many schemas' maps are held (never more than ``kept``)."""
        return len(self._held)

    def clear(self) -> None:
        """Forget every map: the next ask builds it again."""
        self._held.clear()
