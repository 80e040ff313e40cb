"""What one column's values are drawn from: NULL, edge values, pools and ranges.

Most values cost one Hypothesis choice: an index into NULL, the edges and a pool of
realistic values (Faker values built once from a fixed seed), so a failing dataset shrinks
to ``NULL``s, small numbers and the first pool entries, and replays exactly.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, cast

from hypothesis import strategies as st

from migration_harness.data.choices import integers
from migration_harness.data.dataset import Value
from migration_harness.data.pools import DEFAULT_PROVIDER, NAME_PROVIDERS, POOL_SIZE
from migration_harness.data.pools import pool as faker_values
from migration_harness.schema.constraints import ColumnRule
from migration_harness.schema.model import Column, Table

EDGE_INTEGERS: Final = (0, -1, 1, 2**31 - 1, 2**53 + 1, 2**63 - 1, -(2**63))
# Text that looks like a number: a column rebuilt with INTEGER, REAL or NUMERIC affinity
# turns "007" into 7 and "1.50" into 1.5 (zip codes and prices losing digits). Several, so
# that a few dozen draws among ~170 texts meet one.
NUMERIC_LOOKING_TEXT: Final = (
    "007",
    "1.50",
    "0042",
    "10.0",
    "1e3",
    "-0",
    "+5",
    "00",
    "0.10",
    "3.0",
    " 7",
    "12345678901234567890",
)
EDGE_TEXT: Final = (
    "",
    " ",
    "a ",
    "Ünïcødé ♫ 😀",
    "O'Brien; DROP",
    "x" * 300,
    "\t\n",
    *NUMERIC_LOOKING_TEXT,
)
# Money kept as a REAL or NUMERIC (DECIMAL(10,2)) holds prices in cents over 100, and
# several whose binary float times 100 falls just short of the cents (0.29 * 100 is
# 28.999999999999996): a conversion to integer cents by CAST(… * 100 AS INTEGER) cuts a
# cent off those, where ROUND keeps them. Hypothesis's own floats (0.015625, 1e16) are
# no prices: a correct ROUND(amount * 100) looked like a cut on them.
MONEY_REALS: Final = (19.99, 0.29, 4.35, 1.15)
_MONEY_WORDS: Final = ("amount", "price", "fee", "budget", "cost", "total", "balance")
_MONEY_CENTS: Final = 10_000_000
_EPOCH_LOW: Final = int(datetime(2020, 1, 1, tzinfo=UTC).timestamp())
_EPOCH_HIGH: Final = int(datetime(2030, 12, 31, tzinfo=UTC).timestamp())


@dataclass(frozen=True, slots=True)
class Pick:
    """One integer choice in ``0..high`` and the value each index stands for.

    Drawn as ``value(choose.integer(0, high))`` rather than through ``index.map(value)``:
    a mapped strategy adds a layer (a draw, a span) per value, which cost almost as much
    as the choice itself. The choices, and so generation and shrinking, are the same.
    """

    high: int
    value: Callable[[int], Value]

    @property
    def index(self) -> st.SearchStrategy[int]:
        """The index as a strategy: ``st.integers(0, high)``."""
        return integers(0, self.high)

    def strategy(self) -> st.SearchStrategy[Value]:
        """The same values as a strategy (for callers outside the row drawer)."""
        return self.index.map(self.value)


Draws = Pick | st.SearchStrategy[Value]


def as_strategy(draws: Draws) -> st.SearchStrategy[Value]:
    """A strategy for what ``draws`` draws."""
    return draws.strategy() if isinstance(draws, Pick) else draws


def column_draws(
    column: Column,
    rule: ColumnRule,
    table: Table,
    is_key: bool,
    literals: tuple[str | int, ...] = (),
    replaced: tuple[str | int, ...] = (),
) -> Draws:
    """NULL (where allowed) first, so examples shrink to it; then typed values.

    Most values cost one Hypothesis choice: an index into a table of NULL, edge values and
    a pool of realistic values (or into a numeric range behind the edges). One choice per
    value keeps wide schemas fast, and small indexes are the simple values, so shrinking
    still reaches NULL, then edges, then the first realistic values.

    ``literals``: values the set's SQL compares the column with (schema/literals.py), drawn
    right after NULL and about one time in :data:`LITERAL_SHARE` (:func:`with_literals`).
    ``replaced``: values a REPLACE of the set writes into the column, drawn alike, in a key
    column too: keys are otherwise minted above the seeds' ids, and a REPLACE deletes the
    row it meets (its children cascade) only where that key is taken.
    """
    draws = _column_draws(column, rule, table, is_key)
    if is_key and not rule.choices:
        fitting = _fitting(replaced, column, table)
        return with_literals(draws, fitting, 0) if fitting else draws
    if rule.choices or is_key:
        return draws  # a CHECK's IN list is every value already; keys are minted
    fitting = _fitting((*literals, *replaced), column, table)
    if not fitting:
        return draws
    nullable = not (column.notnull or is_key or rule.no_null)
    return with_literals(draws, fitting, 1 if nullable else 0)


# One draw in about this many is a compared literal: a filter's value is one of a few the
# application writes ('active', 'archived'), not one text in two hundred.
LITERAL_SHARE: Final = 8


def with_literals(draws: Draws, literals: tuple[Value, ...], specials: int) -> Draws:
    """``draws`` with ``literals`` after its first ``specials`` indexes (its NULL).

    Still one choice for a :class:`Pick`: the literals fill a block of indexes about
    ``1 / LITERAL_SHARE`` of the whole (each repeated), so they are met in a few dozen rows
    and a failing example shrinks to NULL, then to a literal. Other strategies (REALs,
    untyped columns) sample a literal one time in two.
    """
    count = len(literals)
    if not isinstance(draws, Pick):
        base = st.sampled_from(literals)
        return st.one_of(st.none(), base, draws) if specials else st.one_of(base, draws)
    repeats = max(1, (draws.high + 1) // ((LITERAL_SHARE - 1) * count))
    block = count * repeats
    value = draws.value

    def pick(i: int) -> Value:
        if i < specials:
            return value(i)
        if i < specials + block:
            return literals[(i - specials) % count]
        return value(i - block)

    return Pick(draws.high + block, pick)


def _fitting(literals: tuple[str | int, ...], column: Column, table: Table) -> tuple[Value, ...]:
    """The literals a column of this type holds as compared: integers for numbers, else text.

    SQLite compares a TEXT column with ``7`` as ``'7'``; a number column compared with
    text holds text only on a typo, and a STRICT one refuses it.
    """
    kind = _strict_kind(column.type) if table.strict else column.affinity
    if kind in ("INTEGER", "REAL", "NUMERIC"):
        return tuple(v for v in literals if isinstance(v, int))
    if kind == "TEXT":
        return tuple(dict.fromkeys(str(v) for v in literals))
    return () if table.strict and kind == "BLOB" else literals


def _column_draws(column: Column, rule: ColumnRule, table: Table, is_key: bool) -> Draws:
    """:func:`column_draws` without the compared literals."""
    nullable = not (column.notnull or is_key or rule.no_null)
    specials: tuple[Value, ...] = (None,) if nullable else ()
    if rule.choices:
        return _indexed(specials + cast(tuple[Value, ...], rule.choices))
    kind = _strict_kind(column.type) if table.strict else column.affinity
    name = column.name.lower()
    if is_key and kind == "INTEGER" and rule.low is None and rule.high is None:
        # Seed rows take small ids: start well above them, and keep the extreme rowids.
        # Not the largest under AUTOINCREMENT: every later insert there fails with
        # SQLITE_FULL, which no real table reaches (without it SQLite picks a free rowid).
        extremes = (2**53 + 1,) if _AUTOINCREMENT.search(table.sql) else (2**63 - 1, 2**53 + 1)
        return _ranged(extremes, 1000, 2**31, last=True)
    if kind == "INTEGER":
        return _integers(rule, name, specials)
    if kind == "TEXT":
        return _texts(rule, name, specials)
    if kind in ("REAL", "NUMERIC") and any(word in name for word in _MONEY_WORDS):
        money = _money(rule, specials)
        if money is not None:
            return money
    if kind == "NUMERIC" and (rule.low is not None or rule.high is not None):
        return _integers(rule, name, specials)
    if kind == "NUMERIC" and (time_kind := _time_type(column.type)) is not None:
        if name in table.unix_columns:  # converted to seconds by the set's own SQL
            return _ranged(specials, _EPOCH_LOW, _EPOCH_HIGH)
        return _ranged(
            specials, _EPOCH_LOW, _EPOCH_HIGH, functools.partial(_declared_time, kind=time_kind)
        )
    base = _other_values(column, rule, kind, name)
    return st.one_of(st.none(), base) if nullable else base


def _other_values(
    column: Column, rule: ColumnRule, kind: str, name: str
) -> st.SearchStrategy[Value]:
    """REAL, NUMERIC, BLOB and untyped columns: rarer, so plain one_of is fine."""
    if kind == "REAL":
        return _reals(rule)
    if kind == "NUMERIC":
        return st.one_of(as_strategy(_integers(rule, name, ())), _reals(rule))
    if kind == "BLOB" and column.type:
        if rule.json:
            # Read as JSON by the set's own SQL (pocket-id's json_extract index on a BLOB
            # ``data``): the application stores JSON text as bytes (Go's []byte), and
            # SQLite reads a BLOB of JSON text as JSON; random bytes are "malformed JSON".
            return as_strategy(_indexed(tuple(_utf8(d) for d in _json_docs(rule))))
        return st.binary(max_size=16)
    if rule.json or rule.min_length is not None or rule.max_length is not None:
        return as_strategy(_texts(rule, name, ()))
    if rule.low is not None or rule.high is not None:
        return as_strategy(_integers(rule, name, ()))
    return st.one_of(
        as_strategy(_integers(rule, name, ())),
        as_strategy(_texts(rule, name, ())),
        _reals(rule),
        st.binary(max_size=8),
    )


_AUTOINCREMENT: Final = re.compile(r"\bAUTOINCREMENT\b", re.IGNORECASE)


def _strict_kind(declared: str) -> str:
    """STRICT tables accept exactly INT, INTEGER, REAL, TEXT, BLOB or ANY."""
    kind = declared.upper()
    return "INTEGER" if kind == "INT" else kind


def _indexed(values: tuple[Value, ...]) -> Draws:
    """One of ``values`` by a drawn index: shrinks towards the first."""
    if not values:
        return st.nothing()
    return Pick(len(values) - 1, values.__getitem__)


def _ranged(
    specials: tuple[Value, ...],
    low: int,
    high: int,
    convert: Callable[[int], Value] | None = None,
    *,
    last: bool = False,
) -> Pick:
    """Draw ``specials`` then ``convert(low..high)`` with one integer choice.

    With ``last`` the range comes first and the specials after it.
    """
    count = len(specials)
    span = high - low

    def pick(i: int) -> Value:
        if last:
            return low + i if i <= span else specials[i - span - 1]
        if i < count:
            return specials[i]
        number = low + (i - count)
        return convert(number) if convert else number

    return Pick(count + (high - low), pick)


def _integers(rule: ColumnRule, name: str, specials: tuple[Value, ...]) -> Draws:
    """Small realistic integers, the CHECK's bounds themselves, and extreme values."""
    low, high = rule.integer_bounds()
    if low is not None and high is not None and low > high:
        return st.nothing()
    if any(word in name for word in ("cents", "amount", "price", "fee", "budget")):
        low = 0 if low is None else low
        high = 10_000_000 if high is None else high
    edges = [v for v in (low, high) if v is not None]
    edges += [v for v in EDGE_INTEGERS if _within(v, low, high)]
    start = low if low is not None else -1000
    stop = high if high is not None else max(1000, start + 1000)
    return _ranged(specials + tuple(dict.fromkeys(edges)), start, stop)


def _reals(rule: ColumnRule) -> st.SearchStrategy[Value]:
    """Finite floats in the CHECK's bounds (NaN would be stored as NULL)."""
    return st.floats(
        min_value=rule.low,
        max_value=rule.high,
        allow_nan=False,
        allow_infinity=False,
        exclude_min=rule.low_open and rule.low is not None,
        exclude_max=rule.high_open and rule.high is not None,
    )


def _money(rule: ColumnRule, specials: tuple[Value, ...]) -> Pick | None:
    """Prices as production holds them: :data:`MONEY_REALS`, then whole cents over 100.

    Within the CHECK's bounds (non-negative without one); ``None`` when they leave no
    whole cent, so the column's usual draws apply.
    """
    low = 0 if rule.low is None else math.ceil(rule.low * 100)
    high = _MONEY_CENTS if rule.high is None else math.floor(rule.high * 100)
    if rule.low is not None and rule.low_open and low == rule.low * 100:
        low += 1
    if rule.high is not None and rule.high_open and high == rule.high * 100:
        high -= 1
    if low > high:
        return None
    prices = tuple(p for p in MONEY_REALS if low <= round(p * 100) <= high)
    return _ranged(specials + prices, low, high, _cents)


def _cents(count: int) -> float:
    """``count`` cents as the REAL amount the application stores."""
    return count / 100


def _within(value: int, low: int | None, high: int | None) -> bool:
    """``low <= value <= high`` with open ends."""
    return (low is None or value >= low) and (high is None or value <= high)


def _texts(rule: ColumnRule, name: str, specials: tuple[Value, ...]) -> Draws:
    """Realistic text by column name, edge text on purpose, fitted to the CHECK's lengths."""
    low = max(rule.min_length or 0, 1 if rule.not_empty else 0)
    high = rule.max_length
    if high is not None and high < low:
        return st.nothing()
    if rule.json:
        return _indexed(specials + _json_docs(rule))
    if is_timestamp(name):
        date_only = "date" in name and not name.endswith(("_at", "time", "timestamp"))
        return _ranged(
            specials,
            _EPOCH_LOW,
            _EPOCH_HIGH,
            functools.partial(_timestamp, date_only=date_only, low=low, high=high),
        )
    pool = faker_values(_provider_for(name)) + _weird_pool()
    fitted = tuple(_fit(t, low, high) for t in EDGE_TEXT + pool)
    return _indexed(specials + fitted)


def is_timestamp(name: str) -> bool:
    """Whether the name reads as a time: ``created_at``, ``published_on``, ``metric_date``."""
    return name.endswith(("_at", "_on", "timestamp", "_time", "date")) or name in (
        "created",
        "updated",
    )


# Declared types that name a time (NUMERIC affinity): what drivers write there is a time
# SQLite's date functions read, never a small number.
_TIME_TYPES: Final = {
    "DATE": "DATE",
    "DATETIME": "DATETIME",
    "TIMESTAMP": "DATETIME",
    "TIMESTAMPTZ": "DATETIME",
    "TIME": "TIME",
    "TIMETZ": "TIME",
}


def _time_type(declared: str) -> str | None:
    """``DATE``, ``TIME`` or ``DATETIME`` for a declared date/time type, else ``None``.

    ``DATETIME``, ``TIMESTAMP(3)``, ``timestamp with time zone``, ``DATE``, ``TIME``: SQLite
    gives them NUMERIC affinity, so the generator drew small integers and reals there
    (``expires_at = -1``), which no application writes into such a column. SQLite's time
    values are ISO-8601 text, a Julian day or unix seconds (lang_datefunc.html), and what
    ORMs write into a declared date/time type is the text: GORM through go-sqlite3
    ``2006-01-02 15:04:05.999999999-07:00``, sqlx and diesel ``%F %T%.f``, knex, TypeORM
    and Prisma's driver adapters ISO-8601; ``CURRENT_TIMESTAMP`` defaults write
    ``YYYY-MM-DD HH:MM:SS``. A migration written for such a column (``strftime('%s',
    expires_at)``) fails on ``-1`` and never in production.
    """
    words = declared.split("(")[0].split()
    return _TIME_TYPES.get(words[0].upper()) if words else None


def _declared_time(seconds: int, *, kind: str) -> str:
    """A time in one of the ISO-8601 forms drivers write, chosen by ``seconds``.

    Three forms, all read by SQLite's date functions: SQLite's own ``YYYY-MM-DD
    HH:MM:SS``, JavaScript's ``YYYY-MM-DDTHH:MM:SS.sssZ`` and Go's driver's
    ``YYYY-MM-DD HH:MM:SS.ffffff+hh:mm``.
    """
    moment = datetime.fromtimestamp(seconds, UTC)
    if kind == "DATE":
        return moment.strftime("%Y-%m-%d")
    if kind == "TIME":
        return moment.strftime("%H:%M:%S")
    form = seconds % 3
    if form == 1:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if form == 2:
        return moment.strftime("%Y-%m-%d %H:%M:%S.123456+00:00")
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _timestamp(seconds: int, *, date_only: bool, low: int, high: int | None) -> str:
    """SQLite's ``YYYY-MM-DD HH:MM:SS`` for even seconds, JavaScript's ISO form for odd."""
    return _fit(_stamp(seconds, date_only), low, high)


@functools.lru_cache(maxsize=8192)
def _stamp(seconds: int, date_only: bool) -> str:
    """:func:`_timestamp`'s text before fitting, kept per second.

    Hypothesis's mutator replays examples, so most seconds come back (~70% of ~9,500 on
    ``db/``), each a ``datetime`` and a ``strftime`` again (issue 17).
    """
    moment = datetime.fromtimestamp(seconds, UTC)
    if date_only:
        return moment.strftime("%Y-%m-%d")
    if seconds % 2:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _fit(text: str, low: int, high: int | None) -> str:
    """Pad or cut text to the allowed length (SQLite counts characters)."""
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if high is not None and len(text) > high:
        text = text[:high]
    return text


def _utf8(value: Value) -> Value:
    """``value``'s UTF-8 bytes if it is text (JSON text stored in a BLOB column)."""
    return value.encode() if isinstance(value, str) else value


def _json_docs(rule: ColumnRule) -> tuple[str, ...]:
    """The JSON documents to draw for a column the set's SQL reads as JSON."""
    return _json_container_pool() if rule.json_members else _json_pool()


@functools.lru_cache(maxsize=1)
def _json_container_pool() -> tuple[str, ...]:
    """Arrays and objects whose every member is an object or an array.

    For a column whose ``json_each`` members the set's SQL parses as JSON again (yaak's
    ``json_extract(value, '$.name')`` over a workspace's header list): a bare string
    member is text that is not JSON, "malformed JSON" for data the application never
    writes. The members still hold any scalars, and any keys, from :func:`_json_pool`'s
    objects, so a member without the key the SQL reads (NULL there) is drawn too.
    """
    objects = [d for d in map(json.loads, _json_pool()) if isinstance(d, dict)]
    docs: list[Any] = [[], {}]
    for i, member in enumerate(objects):
        other = objects[(i * 7 + 3) % len(objects)]
        docs.append([member] if i % 3 else [member, other])
        if i % 4 == 0:
            docs.append({"a": member})
        if i % 5 == 0:
            docs.append([[member]])
    return tuple(dict.fromkeys(json.dumps(d, ensure_ascii=False) for d in docs))


@functools.lru_cache(maxsize=1)
def _json_pool() -> tuple[str, ...]:
    """Small JSON documents, simplest first: objects mostly, arrays and scalars too.

    A pool indexed by one choice, like the Faker pools, instead of a recursive strategy:
    a document drawn with ``st.dictionaries`` of ``st.text`` cost a dozen choices, and
    Hypothesis built its table of every UTF-8 character for that ``st.text`` (about 1.2 s
    of CPU in every process without a warm ``.hypothesis`` folder, a fresh CI runner's
    case). Built once from a fixed seed, so examples replay; the weird-text pool gives the
    scalars the Unicode, controls and quotes the free text had.
    """
    import random

    rng = random.Random(20261203)
    texts = ("", "a", "O'Brien", '"quoted"', "\\", *_weird_pool())
    numbers = (0, -1, 1, 2**31 - 1, -(2**31), 1.5, 2**53 + 1)

    def scalar() -> Any:
        kind = rng.randrange(5)
        if kind == 0:
            return None
        if kind == 1:
            return rng.random() < 0.5
        if kind == 2:
            return numbers[rng.randrange(len(numbers))]
        return texts[rng.randrange(len(texts))]

    def key() -> str:
        return "".join(rng.choice("abcdefghij_") for _ in range(rng.randint(1, 6)))

    docs: list[Any] = [{}, [], None, 0, "", True, {"a": None}, [1, "a"]]
    while len(docs) < POOL_SIZE:
        shape = rng.randrange(6)
        if shape < 3:
            docs.append({key(): scalar() for _ in range(rng.randint(1, 3))})
        elif shape == 3:
            docs.append([scalar() for _ in range(rng.randint(1, 3))])
        elif shape == 4:
            docs.append({key(): [scalar() for _ in range(rng.randint(0, 2))]})
        else:
            docs.append(scalar())
    return tuple(dict.fromkeys(json.dumps(d, ensure_ascii=False) for d in docs))


def _provider_for(name: str) -> str:
    """The Faker provider whose values look like this column's."""
    for word, provider in NAME_PROVIDERS:
        if word in name:
            return provider
    return DEFAULT_PROVIDER


@functools.lru_cache(maxsize=1)
def _weird_pool() -> tuple[str, ...]:
    """Text no Faker provider makes: combining marks, right-to-left, emoji, controls."""
    import random

    rng = random.Random(20261121)
    blocks = (
        (0x20, 0x7E),
        (0xA0, 0x24F),
        (0x300, 0x36F),
        (0x590, 0x6FF),
        (0x4E00, 0x4FFF),
        (0x1F300, 0x1F64F),
        (0x1, 0x1F),
    )
    out = []
    for _ in range(32):
        low, high = blocks[rng.randrange(len(blocks))]
        out.append("".join(chr(rng.randint(low, high)) for _ in range(rng.randint(1, 12))))
    return tuple(out)
