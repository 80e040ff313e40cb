"""The Faker value pools, stored with the package instead of rebuilt in every process.

Each text column draws from a pool of ``POOL_SIZE`` values of one Faker provider, made
from a fixed seed so examples replay. Making them cost every ``check`` process Faker's
import (it scans its locale packages: ~0.13 s of CPU) and ~0.1 s more to run the
providers, to get the same few thousand strings each time (issue 17: the CLI's start-up
counts against the raw-SQLite floor). ``pools.json`` holds them as Faker
(``STORED_WITH``) makes them; a provider missing there is still made by Faker.

The stored values are what examples are drawn from, whatever Faker is installed, so a
run replays the same way on every machine. ``tests/test_pools.py`` compares them with
the installed Faker's; after a Faker upgrade that changes them, regenerate the file with
``python -m migration_harness.data.pools`` (examples then change as they did before
whenever Faker changed).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, Final

POOL_SIZE: Final = 128
STORED: Final = Path(__file__).with_name("pools.json")

# Column-name fragments and the Faker provider whose values look like the column's.
NAME_PROVIDERS: Final = (
    ("email", "email"),
    ("url", "url"),
    ("website", "url"),
    ("avatar", "image_url"),
    ("image", "image_url"),
    ("phone", "phone_number"),
    ("city", "city"),
    ("country", "country"),
    ("address", "address"),
    ("zip", "postcode"),
    ("postal", "postcode"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("username", "user_name"),
    ("slug", "slug"),
    ("title", "sentence"),
    ("name", "name"),
    ("bio", "paragraph"),
    ("description", "paragraph"),
    ("body", "paragraph"),
    ("comment", "paragraph"),
    ("content", "paragraph"),
    ("message", "sentence"),
    ("note", "sentence"),
    ("ip", "ipv4"),
    ("currency", "currency_code"),
    ("color", "color_name"),
    ("genre", "word"),
    ("key", "sha1"),
    ("token", "sha1"),
    ("hash", "sha256"),
    ("mime", "mime_type"),
    ("file", "file_name"),
    ("path", "file_path"),
    ("uuid", "uuid4"),
    ("id", "uuid4"),
    ("state", "state"),
    ("company", "company"),
)
DEFAULT_PROVIDER: Final = "word"


def providers() -> tuple[str, ...]:
    """Every provider a column name can map to, sorted (the stored file's keys)."""
    return tuple(sorted({p for _, p in NAME_PROVIDERS} | {DEFAULT_PROVIDER}))


@functools.lru_cache(maxsize=64)
def pool(provider: str) -> tuple[str, ...]:
    """``POOL_SIZE`` values of one Faker provider, always the same ones."""
    stored = _stored().get(provider)
    return stored if stored is not None else faker_pool(provider)


def faker_pool(provider: str) -> tuple[str, ...]:
    """The pool as the installed Faker makes it (what ``pools.json`` stores)."""
    faker = _faker()
    faker.seed_instance(_stable_seed(provider))
    make = getattr(faker, provider)
    return tuple(str(make()) for _ in range(POOL_SIZE))


@functools.lru_cache(maxsize=1)
def _stored() -> dict[str, tuple[str, ...]]:
    """The stored pools by provider; empty when the file is missing (Faker makes them)."""
    try:
        document = json.loads(STORED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {name: tuple(values) for name, values in document["pools"].items()}


@functools.lru_cache(maxsize=1)
def _faker() -> Any:
    """One Faker instance, created on first use (it takes ~0.2 s)."""
    from faker import Faker

    return Faker("en_US")


def _stable_seed(text: str) -> int:
    """A seed that does not change between processes (``hash`` is salted)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(text))


def stored_document() -> dict[str, Any]:
    """What ``pools.json`` should hold for the installed Faker."""
    from importlib.metadata import version

    pools = {name: list(faker_pool(name)) for name in providers()}
    return {"faker": version("faker"), "pools": pools}


def main() -> None:
    """Rewrite ``pools.json`` from the installed Faker."""
    text = json.dumps(stored_document(), ensure_ascii=False, indent=0, sort_keys=True)
    STORED.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
