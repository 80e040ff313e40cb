"""Version snapshots whose images share the pages consecutive versions have in common.

Version k of a long history holds k tables of mostly empty pages, and migration k+1
changes a handful of them (the header, the last page of ``sqlite_master``, the new
table's pages). Each image compressed on its own still cost the square of the history's
length in memory (10.9 MiB of zlib streams at 300 migrations, about 120 MiB at 1,000, and
a 12 MiB image to inflate per restored version); split into pages, a version keeps a
reference to each page it shares with the version before it and a copy only of the pages
it changed, so every version costs what its migration changed plus one reference per
page, and a restore is a join.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from migration_harness.schema.model import Schema

_HEADER: Final = 100  # SQLite's database header; the page size is at bytes 16-17


@dataclass(frozen=True, slots=True)
class Version:
    """A snapshot of the database right after migration ``k`` (0: before any).

    ``pages`` joined are the image ``Connection.serialize`` returned; a page equal to the
    previous version's page at the same place is that very object (see the module doc).
    """

    pages: tuple[bytes, ...]
    schema: Schema
    rows: dict[str, list[dict[str, Any]]]

    @classmethod
    def from_image(
        cls,
        image: bytes,
        schema: Schema,
        rows: dict[str, list[dict[str, Any]]],
        previous: Version | None = None,
    ) -> Version:
        """A snapshot of a serialised database, sharing ``previous``'s unchanged pages."""
        return cls(split_pages(image, previous.pages if previous else ()), schema, rows)

    @property
    def image(self) -> bytes:
        """The serialised database, as ``Connection.serialize`` returned it."""
        return b"".join(self.pages)


def page_size(image: bytes) -> int:
    """The page size the header of ``image`` declares (0: not a database image)."""
    if len(image) < _HEADER or not image.startswith(b"SQLite format 3\x00"):
        return 0
    size = int.from_bytes(image[16:18], "big")
    return 65536 if size == 1 else size


def split_pages(image: bytes, previous: tuple[bytes, ...] = ()) -> tuple[bytes, ...]:
    """``image`` cut into pages, each equal page of ``previous`` (same place) reused.

    An image that is not a whole number of pages (not one SQLite wrote) is kept whole.
    """
    size = page_size(image)
    if not size or len(image) % size:
        return (image,)
    pages: list[bytes] = []
    # Slices of ``bytes``, not of a memoryview: comparing a memoryview with bytes goes
    # item by item (~7 µs a page, 21 ms a version at 1,000 tables: issue 17), a bytes
    # slice is a copy and a memcmp (~0.7 µs).
    for number, start in enumerate(range(0, len(image), size)):
        page = image[start : start + size]
        old = previous[number] if number < len(previous) else None
        pages.append(old if old is not None and page == old else page)
    return tuple(pages)
