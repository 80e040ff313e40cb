"""checks.duplicates: each UNIQUE key a step adds over existing rows is tried on a duplicate pair.

Random draws found such a key on some runs and missed it on others (alook 0040's partial
thread index, one of Plume's eleven rebuilt constraints per run); the seeded pair makes the
finding independent of the run's seed, and keys that cannot hold duplicates stay quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from migration_harness.checks.duplicates import NewKey, new_unique_keys
from migration_harness.checks.run import check_set
from migration_harness.data.dataset import Value
from migration_harness.report.findings import CheckRun
from migration_harness.schema.model import schema_from_sql
from migration_harness.sets.config import SetConfig
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS

EXAMPLES = Path(__file__).parent / "examples"
SEEDS = [None, 1, 2, 3]  # None: the ci profile's own seed
MigrationSetFactory = Callable[..., Path]

USERS = """
CREATE TABLE account (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE session (
    id         TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES account(id),
    device     TEXT NOT NULL CHECK (length(device) < 80),
    token      TEXT UNIQUE
);
"""


def run(root: Path, seed: int | None) -> CheckRun:
    return check_set(
        discover(root),
        TARGETS["sqlite"],
        profile="ci",
        seed=seed,
        checks=["apply_keeps_data"],
        config=SetConfig(ship_groups="off"),
    )


def unique_failures(result: CheckRun) -> list[str]:
    return sorted(
        f.message
        for f in result.findings
        if f.kind == "apply_error" and "UNIQUE constraint failed" in f.message
    )


@pytest.mark.parametrize("seed", SEEDS, ids=["ci-seed", "seed1", "seed2", "seed3"])
def test_partial_unique_index_on_threads_is_found_whatever_the_seed(seed: int | None) -> None:
    (finding,) = run(EXAMPLES / "apply_unique_thread", seed).findings
    assert finding.code == "MH101"
    assert finding.migration == "0002_thread_unique"
    rows = [r["values"] for r in finding.example["rows"] if r["table"] == "conversation"]
    assert len(rows) == 2  # shrunk to the pair (and the workspace it needs)
    first, second = rows
    assert first["parent_message_id"] is not None  # NULLs are outside the partial index
    assert first["parent_message_id"] == second["parent_message_id"]
    assert first["workspace_id"] == second["workspace_id"]


@pytest.mark.parametrize("seed", SEEDS, ids=["ci-seed", "seed1", "seed2", "seed3"])
def test_every_constraint_a_file_of_rebuilds_adds_is_found(
    migration_set: MigrationSetFactory, seed: int | None
) -> None:
    rebuilds = "".join(
        f"""
        CREATE TABLE {name}2 (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES
            account(id), {column} TEXT NOT NULL, CONSTRAINT {name}_unique UNIQUE ({column}));
        INSERT INTO {name}2 SELECT * FROM {name};
        DROP TABLE {name};
        ALTER TABLE {name}2 RENAME TO {name};
        """
        for name, column in (("blog", "actor_id"), ("post", "slug"), ("tag", "tag"))
    )
    tables = "".join(
        f"CREATE TABLE {name} (id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES "
        f"account(id), {column} TEXT NOT NULL);"
        for name, column in (("blog", "actor_id"), ("post", "slug"), ("tag", "tag"))
    )
    root = migration_set(
        {1: ("CREATE TABLE account (id TEXT PRIMARY KEY);" + tables, None), 2: (rebuilds, None)}
    )
    failures = unique_failures(run(root, seed))
    assert [m.split("UNIQUE constraint failed: ")[1].split(":")[0] for m in failures] == [
        "blog2.actor_id",
        "post2.slug",
        "tag2.tag",
    ]


@pytest.mark.parametrize(
    "step",
    [
        # The key keeps a column that was already unique: no two rows can share it.
        "CREATE UNIQUE INDEX session_token_device ON session (token, device);",
        # A new table holds no rows yet.
        "CREATE TABLE invite (id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE);",
        # Rebuilt with the same keys.
        """CREATE TABLE session2 (id TEXT PRIMARY KEY, account_id TEXT NOT NULL
               REFERENCES account(id), device TEXT NOT NULL CHECK (length(device) < 80),
               token TEXT UNIQUE);
           INSERT INTO session2 SELECT * FROM session;
           DROP TABLE session;
           ALTER TABLE session2 RENAME TO session;""",
    ],
    ids=["already-unique", "new-table", "same-keys-rebuild"],
)
def test_keys_that_cannot_hold_duplicates_stay_quiet(
    migration_set: MigrationSetFactory, step: str
) -> None:
    root = migration_set({1: (USERS, None), 2: (step, None)})
    for seed in (None, 1):
        assert unique_failures(run(root, seed)) == []


def test_full_unique_index_on_a_text_reference_is_found(
    migration_set: MigrationSetFactory,
) -> None:
    root = migration_set(
        {1: (USERS, None), 2: ("CREATE UNIQUE INDEX one_session ON session (account_id);", None)}
    )
    for seed in SEEDS:
        (failure,) = unique_failures(run(root, seed))
        assert "session.account_id" in failure


def test_new_keys_come_from_the_schemas_before_and_after() -> None:
    before = schema_from_sql(USERS)
    after = schema_from_sql(
        USERS
        + """
        CREATE UNIQUE INDEX a ON session (account_id, device) WHERE device <> 'web';
        CREATE UNIQUE INDEX b ON session (token, device);
        CREATE UNIQUE INDEX c ON session (lower(device));
        """
    )
    assert new_unique_keys(before, after) == [
        NewKey("session", ("account_id", "device"), "device <> 'web'")
    ]


ACCOUNTS = """
CREATE TABLE member (
    id       TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    email    TEXT NOT NULL COLLATE NOCASE UNIQUE
);
"""


def _rebuild(username: str, email: str) -> str:
    """``member`` rebuilt with the given declarations of its two keyed columns."""
    return f"""
        CREATE TABLE member2 (id TEXT PRIMARY KEY, username TEXT NOT NULL {username},
                              email TEXT NOT NULL {email});
        INSERT INTO member2 SELECT * FROM member;
        DROP TABLE member;
        ALTER TABLE member2 RENAME TO member;
    """


HANDLES = """
CREATE TABLE team (id TEXT PRIMARY KEY);
CREATE TABLE handle (
    id      TEXT PRIMARY KEY,
    team_id TEXT NOT NULL REFERENCES team(id),
    name    TEXT NOT NULL,
    UNIQUE (team_id, name)
);
"""


@pytest.mark.parametrize("seed", SEEDS, ids=["ci-seed", "seed1", "seed2", "seed3"])
def test_a_key_made_case_insensitive_is_found_on_case_variants(
    migration_set: MigrationSetFactory, seed: int | None
) -> None:
    """pocket-id 20250917's shape: a BINARY key rebuilt ``COLLATE NOCASE``.

    'Ann' and 'ann' in one team were two valid rows; the copy into the new table fails
    on them. The collated key was left out of the seeding, and random draws make case
    variants of single-column keys only, so a composite key was never found.
    """
    step = """
        CREATE TABLE handle2 (id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES team(id),
                              name TEXT NOT NULL COLLATE NOCASE, UNIQUE (team_id, name));
        INSERT INTO handle2 SELECT * FROM handle;
        DROP TABLE handle;
        ALTER TABLE handle2 RENAME TO handle;
    """
    root = migration_set({1: (HANDLES, None), 2: (step, None)})
    result = run(root, seed)
    (failure,) = unique_failures(result)
    assert "handle2.team_id, handle2.name" in failure
    (finding,) = [f for f in result.findings if f.kind == "apply_error"]
    names = [r["values"]["name"] for r in finding.example["rows"] if r["table"] == "handle"]
    assert len(names) == 2
    assert names[0] != names[1]
    assert names[0].lower() == names[1].lower()  # the same name but for case


@pytest.mark.parametrize(
    "step",
    [
        # NOCASE uniqueness held before: no two rows were even equal but for case, so
        # none is equal byte for byte under the new BINARY key.
        _rebuild("UNIQUE", "UNIQUE"),
        # The same keys, one now declared as an index in descending order.
        "CREATE UNIQUE INDEX member_username_desc ON member (username DESC);",
        # The same NOCASE key as a separate index.
        "CREATE UNIQUE INDEX member_email_ci ON member (email COLLATE NOCASE);",
    ],
    ids=["nocase-to-binary-rebuild", "desc-index", "same-collation-index"],
)
def test_keys_held_before_under_another_form_stay_quiet(
    migration_set: MigrationSetFactory, step: str
) -> None:
    root = migration_set({1: (ACCOUNTS, None), 2: (step, None)})
    for seed in (None, 1):
        assert unique_failures(run(root, seed)) == []


def test_collations_decide_whether_an_old_key_implies_a_new_one() -> None:
    before = schema_from_sql(ACCOUNTS)
    after = schema_from_sql(
        ACCOUNTS
        + """
        CREATE UNIQUE INDEX a ON member (username COLLATE NOCASE);
        CREATE UNIQUE INDEX b ON member (email);
        CREATE UNIQUE INDEX c ON member (email COLLATE RTRIM);
        CREATE UNIQUE INDEX d ON member (username DESC);
        """
    )
    assert sorted(new_unique_keys(before, after), key=repr) == [
        NewKey("member", ("email",), None, ("RTRIM",)),
        NewKey("member", ("username",), None, ("NOCASE",)),
    ]


BLOGS = """
CREATE TABLE blog (id INTEGER PRIMARY KEY, actor_id TEXT NOT NULL, ap_url TEXT);
"""


def seeded_pairs(keys: list[NewKey], row: dict[str, Value]) -> list[list[dict[str, Value]]]:
    """The ``blog`` rows of the seeded example for each key, from a one-row dataset."""
    from hypothesis import strategies as st

    from migration_harness.checks.duplicates import duplicate_seeds
    from migration_harness.data.dataset import Dataset, Row

    dataset = Dataset((Row("blog", tuple(row.items())),))
    seeds = duplicate_seeds(st.just(dataset), schema_from_sql(BLOGS), keys, {})
    return [[r.as_dict() for r in seed.rows if r.table == "blog"] for seed in seeds]


def test_a_pair_for_one_new_key_keeps_the_other_new_keys_apart() -> None:
    """Plume's blogs2 gains two keys; the example for (actor_id) must fail on actor_id.

    With ap_url copied as well, SQLite refused the pair on ap_url first and the finding
    named the wrong key (an ap_url repeat the application never writes).
    """
    keys = [NewKey("blog", ("actor_id",)), NewKey("blog", ("ap_url",))]
    by_actor, by_url = seeded_pairs(keys, {"id": 1, "actor_id": "a", "ap_url": "u"})
    assert by_actor[0]["actor_id"] == by_actor[1]["actor_id"]
    assert by_actor[0]["ap_url"] != by_actor[1]["ap_url"]
    assert by_url[0]["ap_url"] == by_url[1]["ap_url"]
    assert by_url[0]["actor_id"] != by_url[1]["actor_id"]


def test_a_nullable_key_column_left_null_by_the_draw_is_filled_for_the_pair() -> None:
    """Plume's comments2.ap_url: whether a draw held a non-NULL value decided the finding."""
    (pair,) = seeded_pairs([NewKey("blog", ("ap_url",))], {"id": 1, "actor_id": "a"})
    assert len(pair) == 2
    assert pair[0]["ap_url"] is not None
    assert pair[0]["ap_url"] == pair[1]["ap_url"]


def test_a_null_foreign_key_column_is_not_filled_in() -> None:
    """A value made up for a reference would point at no row: no seed, the search goes on."""
    from hypothesis import strategies as st

    from migration_harness.checks.duplicates import duplicate_seeds
    from migration_harness.data.dataset import Dataset, Row

    schema = schema_from_sql(
        "CREATE TABLE author (id INTEGER PRIMARY KEY);"
        "CREATE TABLE post (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id));"
    )
    dataset = Dataset((Row("post", (("id", 1), ("author_id", None))),))
    seeds = duplicate_seeds(st.just(dataset), schema, [NewKey("post", ("author_id",))], {})
    assert seeds == ()


def test_the_pair_fills_other_null_columns_so_a_not_null_filter_keeps_it() -> None:
    """stash 35 copies ``WHERE … stash_id IS NOT NULL``: a pair with a NULL there is dropped."""
    (pair,) = seeded_pairs([NewKey("blog", ("actor_id",))], {"id": 1, "actor_id": "a"})
    assert [row["ap_url"] is not None for row in pair] == [True, True]


STASH_IDS = """
CREATE TABLE scene_stash_ids (scene_id integer, endpoint varchar(255), stash_id varchar(36));
"""
STASH_IDS_PK = """
CREATE TABLE scene_stash_ids_new (
  scene_id integer NOT NULL, endpoint varchar(255) NOT NULL, stash_id varchar(36) NOT NULL,
  PRIMARY KEY (scene_id, endpoint)
);
INSERT INTO scene_stash_ids_new (scene_id, endpoint, stash_id)
  SELECT scene_id, endpoint, stash_id FROM scene_stash_ids
  WHERE scene_id IS NOT NULL AND endpoint IS NOT NULL AND stash_id IS NOT NULL;
DROP TABLE scene_stash_ids;
ALTER TABLE scene_stash_ids_new RENAME TO scene_stash_ids;
"""


@pytest.mark.parametrize("seed", SEEDS, ids=["ci-seed", "seed1", "seed2", "seed3"])
def test_a_new_composite_key_behind_a_not_null_filter_is_found(
    migration_set: MigrationSetFactory, seed: int | None
) -> None:
    root = migration_set({1: (STASH_IDS, None), 2: (STASH_IDS_PK, None)})
    (failure,) = unique_failures(run(root, seed))
    assert "scene_stash_ids_new.scene_id, scene_stash_ids_new.endpoint" in failure


@pytest.mark.parametrize("seed", SEEDS, ids=["ci-seed", "seed1", "seed2", "seed3"])
def test_a_partial_key_on_null_rows_is_not_filled_out_of_its_where(
    migration_set: MigrationSetFactory, seed: int | None
) -> None:
    """stash 62: ``(name) WHERE disambiguation IS NULL`` needs a pair whose NULL stays NULL."""
    root = migration_set(
        {
            1: (
                "CREATE TABLE performers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "disambiguation TEXT);",
                None,
            ),
            2: (
                "CREATE UNIQUE INDEX performers_name_disambiguation_unique ON performers "
                "(name, disambiguation) WHERE disambiguation IS NOT NULL;"
                "CREATE UNIQUE INDEX performers_name_unique ON performers (name) "
                "WHERE disambiguation IS NULL;",
                None,
            ),
        }
    )
    failures = unique_failures(run(root, seed))
    assert [m.split("UNIQUE constraint failed: ")[1].split(":")[0] for m in failures] == [
        "performers.name, performers.disambiguation",
        "performers.name",
    ]
