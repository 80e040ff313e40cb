"""A later file of a ship group meets the rows of the deployed version, carried by the lead-in.

zerobyte (drizzle) shipped 0036-0042 in one commit: a user drawn between 0036 and 0037 had
no organisation (0036 gives every user one), two volumes drawn after 0038 shared a name
0001's UNIQUE index had kept apart. Each twin committed apart (every version deployed, so
the application could write those rows) keeps its finding, and a defect the lead-in itself
makes (a backfill that collides) is found.
"""

from __future__ import annotations

from pathlib import Path

from migration_harness.checks.run import check_set
from migration_harness.report.findings import CheckRun
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import TARGETS
from tests.test_shipgroups import _git, needs_git

VOLS = (
    "CREATE TABLE vols (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\n"
    "CREATE UNIQUE INDEX vols_name ON vols (name);"
)
ADD_ORG = "DROP INDEX vols_name;\nALTER TABLE vols ADD COLUMN org TEXT;"
BACKFILL = (
    "UPDATE vols SET org = 'default' WHERE org IS NULL;\n"
    "CREATE UNIQUE INDEX vols_name_org ON vols (name, org);"
)
# the backfill gives every volume the same value, then makes that value unique
COLLIDE = "UPDATE vols SET org = 'default';\nCREATE UNIQUE INDEX vols_org ON vols (org);"

USERS = "CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL);"
ORGS = (
    "CREATE TABLE orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL);\n"
    "CREATE TABLE members (id TEXT PRIMARY KEY,"
    " org_id TEXT NOT NULL REFERENCES orgs (id), user_id TEXT NOT NULL REFERENCES users (id));"
)
ONE_ORG_EACH = "INSERT INTO orgs (id, name) SELECT 'org-' || id, name FROM users;"
ONE_MEMBER_EACH = (
    "INSERT INTO members (id, org_id, user_id) SELECT 'mem-' || id, 'org-' || id, id FROM users;"
)
MEMBER_UNIQUE = "CREATE UNIQUE INDEX members_org_user ON members (org_id, user_id);"


def _errors(root: Path, files: list[str], commits: list[list[int]]) -> list[str]:
    """``migration code`` of each error of a d1 set committed as ``commits`` (file indexes)."""
    folder = root / "migrations"
    folder.mkdir()
    names = [f"{i:04d}_step.sql" for i in range(1, len(files) + 1)]
    for name, sql in zip(names, files, strict=True):
        (folder / name).write_text(sql + "\n")
    _git(root, "init", "-q", ".")
    for n, members in enumerate(commits):
        _git(root, "add", *(f"migrations/{names[i]}" for i in members))
        _git(root, "commit", "-q", "-m", f"commit {n}")
    run: CheckRun = check_set(discover(folder), TARGETS["d1"], profile="ci")
    return sorted(f"{f.migration} {f.code}" for f in run.findings if f.severity == "error")


@needs_git
def test_rows_meet_a_later_group_file_as_the_earlier_ones_left_them(tmp_path: Path) -> None:
    assert _errors(tmp_path, [VOLS, ADD_ORG, BACKFILL], [[0], [1, 2]]) == []


@needs_git
def test_the_twin_deployed_apart_can_hold_duplicate_names(tmp_path: Path) -> None:
    assert "0003_step MH101" in _errors(tmp_path, [VOLS, ADD_ORG, BACKFILL], [[0], [1], [2]])


@needs_git
def test_a_collision_the_lead_in_makes_is_found(tmp_path: Path) -> None:
    assert "0003_step MH101" in _errors(tmp_path, [VOLS, ADD_ORG, COLLIDE], [[0], [1, 2]])


@needs_git
def test_a_backfill_of_the_lead_in_reaches_every_row(tmp_path: Path) -> None:
    files = [USERS, ORGS, ONE_ORG_EACH, ONE_MEMBER_EACH, MEMBER_UNIQUE]
    assert _errors(tmp_path, files, [[0], [1, 2, 3, 4]]) == []


@needs_git
def test_the_twin_deployed_apart_can_hold_a_user_without_an_org(tmp_path: Path) -> None:
    files = [USERS, ORGS, ONE_ORG_EACH, ONE_MEMBER_EACH, MEMBER_UNIQUE]
    errors = _errors(tmp_path, files, [[0], [1], [2], [3], [4]])
    assert any(e.startswith("0004_step") for e in errors)


SERVERS = "CREATE TABLE servers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
TAGS = (
    "ALTER TABLE servers ADD COLUMN tag TEXT NOT NULL DEFAULT '0000';\n"
    "UPDATE servers SET tag = printf('%04d', abs(random()) % 10000);"
)
TAG_UNIQUE = "CREATE UNIQUE INDEX servers_name_tag ON servers (name, tag);"
# the same tags, from a UUID-sized blob: they never repeat
UUID_TAGS = TAGS.replace("printf('%04d', abs(random()) % 10000)", "hex(randomblob(16))")


@needs_git
def test_a_random_value_of_the_lead_in_may_be_any_value(tmp_path: Path) -> None:
    # alook 0079 draws a random 4-digit tag per server, 0080 (same commit) makes
    # (name, tag) UNIQUE: two same-name servers can draw one tag, and the file says so
    assert "0003_step MH101" in _errors(tmp_path, [SERVERS, TAGS, TAG_UNIQUE], [[0], [1, 2]])


@needs_git
def test_a_uuid_sized_random_value_of_the_lead_in_never_repeats(tmp_path: Path) -> None:
    assert _errors(tmp_path, [SERVERS, UUID_TAGS, TAG_UNIQUE], [[0], [1, 2]]) == []


REQUESTS = (
    "CREATE TABLE friendships (id TEXT PRIMARY KEY, a TEXT NOT NULL);\n"
    "CREATE TABLE messages (id TEXT PRIMARY KEY, body TEXT NOT NULL);\n"
    "CREATE TABLE requests (id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    " message_id TEXT NOT NULL REFERENCES messages (id));"
)
# alook 0065: only friend requests' messages get a friendship, by a literal
LINK = (
    "ALTER TABLE messages ADD COLUMN friendship_id TEXT"
    " REFERENCES friendships (id) ON DELETE SET NULL;\n"
    "INSERT INTO friendships (id, a) SELECT 'fr_' || id, id FROM requests"
    " WHERE kind = 'friend';\n"
    "UPDATE messages SET friendship_id = (SELECT 'fr_' || r.id FROM requests r"
    " WHERE r.message_id = messages.id AND r.kind = 'friend');"
)
# alook 0066: a rebuild of friendships whose DROP nulls every message's link (D1: keys on)
REBUILD = (
    "CREATE TABLE friendships_new (id TEXT PRIMARY KEY, a TEXT NOT NULL, b TEXT);\n"
    "INSERT INTO friendships_new (id, a) SELECT id, a FROM friendships;\n"
    "DROP TABLE friendships;\nALTER TABLE friendships_new RENAME TO friendships;"
)


@needs_git
def test_a_lead_in_that_picks_rows_by_a_literal_leaves_the_rows_to_any_value(
    tmp_path: Path,
) -> None:
    # drawn at the deployed version, no request would say 'friend': the nulled links,
    # which production holds for every friend request, would never be seen
    errors = _errors(tmp_path, [REQUESTS, LINK, REBUILD], [[0], [1, 2]])
    assert "0003_step MH141" in errors


PAGES = "CREATE TABLE pages (id INTEGER PRIMARY KEY, host TEXT NOT NULL);"
HOSTS = "CREATE TABLE hosts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
PAGES_INDEX = "CREATE INDEX pages_host ON pages (host);"
FILL_HOSTS = "INSERT INTO hosts (name) SELECT DISTINCT host FROM pages;"
# the fill cuts each host's first character by mistake: no page finds its host again
FILL_CUT = "INSERT INTO hosts (name) SELECT DISTINCT substr(host, 2) FROM pages;"
HOST_IDS = (
    "CREATE TABLE pages_new (id INTEGER PRIMARY KEY, host_id INTEGER NOT NULL);\n"
    "INSERT INTO pages_new (id, host_id) SELECT p.id, h.id FROM pages p"
    " LEFT JOIN hosts h ON h.name = p.host;\n"
    "DROP TABLE pages;\nALTER TABLE pages_new RENAME TO pages;"
)


@needs_git
def test_a_file_a_later_commit_sorted_into_a_group_leaves_its_lead_in_whole(
    tmp_path: Path,
) -> None:
    # fathom: 12-20 shipped in one commit (hostnames created, filled from the stats, then
    # joined into NOT NULL ids); 15_vacuum, added two days later, sorts between them.
    # The hosts table holds what the fill made of the pages, not rows drawn at 0004.
    files = [PAGES, HOSTS, PAGES_INDEX, FILL_HOSTS, HOST_IDS]
    assert _errors(tmp_path, files, [[0], [1, 3, 4], [2]]) == []


@needs_git
def test_the_twin_whose_join_deployed_apart_can_meet_a_host_never_filled(
    tmp_path: Path,
) -> None:
    # 0004 deployed alone: the application then wrote pages whose host hosts lacks
    files = [PAGES, HOSTS, PAGES_INDEX, FILL_HOSTS, HOST_IDS]
    assert "0005_step MH101" in _errors(tmp_path, files, [[0], [1, 3], [4], [2]])


@needs_git
def test_a_defect_of_a_lead_in_with_a_later_file_among_it_is_found(tmp_path: Path) -> None:
    files = [PAGES, HOSTS, PAGES_INDEX, FILL_CUT, HOST_IDS]
    assert "0005_step MH101" in _errors(tmp_path, files, [[0], [1, 3, 4], [2]])
