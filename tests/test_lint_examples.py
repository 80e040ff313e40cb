"""Acceptance: lint names every planted defect of tests/examples that has a static signature.

Each entry is the example, the code lint must report, and the file and line of the planted
statement. Examples whose defect only shows with data or by running the file twice
(seed re-runs, idempotency of guarded statements) are not listed: ``check`` owns them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migration_harness.lint import lint_set
from migration_harness.sets.discovery import discover
from migration_harness.sets.targets import get_target

EXAMPLES = Path(__file__).parent / "examples"

PLANTED = [
    ("add_column_reference_default", "MH324", "migrations/0002_member_team.sql", 3),
    ("apply_missing_column", "MH318", "migrations/0002_handle_index.sql", 2),
    ("apply_missing_table", "MH318", "migrations/0002_post_indexes.sql", 3),
    ("apply_not_null_on_data", "MH211", "migrations/0002_country.sql", 3),
    ("apply_unique_on_duplicates", "MH212", "migrations/0002_unique_email.sql", 3),
    ("dbmate_rebuild_nocase_unique", "MH212", "db/migrations/20240102000000_email_nocase.sql", 8),
    ("d1_rebuild_without_defer", "MH327", "migrations/0002_team_slug.sql", 10),
    ("dbmate_add_column_check_default", "MH324", "db/migrations/20240102000000_items_stock.sql", 4),
    ("default_quoted_timestamp", "MH323", "migrations/0002_post_events.sql", 3),
    ("d1_deferred_orphans", "MH204", "migrations/0002_author_bio.sql", 11),
    ("drop_column_breaks_trigger", "MH322", "migrations/0002_customers_without_last_order.sql", 5),
    ("fk_without_index", "MH413", "migrations/0002_orders.sql", 2),
    ("fk_parent_column_missing", "MH313", "migrations/0002_likes.sql", 3),
    ("drop_parent_unique_index", "MH313", "migrations/0002_code_index.sql", 3),
    ("history_on_delete", "MH415", "rollbacks/0002_rollback.sql", 2),
    ("history_rebuild_cascade", "MH302", "rollbacks/0003_rollback.sql", 4),
    ("history_rebuild_resets_autoincrement", "MH219", "rollbacks/0002_rollback.sql", 8),
    ("ignored_check_update", "MH320", "migrations/0002_fee.sql", 4),
    ("not_idempotent_update", "MH206", "migrations/0002_price_in_cents.sql", 3),
    ("plugin_apply_error", "MH318", "db/migrations/0002_tags.sql", 8),
    ("plugin_lossy_rollback", "MH204", "db/rollbacks/0002_rollback.sql", 9),
    ("rebuild_cascades_child", "MH302", "migrations/0002_artist_name_check.sql", 9),
    ("replace_cascades_children", "MH307", "migrations/0002_house_artist.sql", 4),
    ("rebuild_drops_trigger", "MH220", "migrations/0002_tracks_rating.sql", 10),
    ("rebuild_int_primary_key", "MH325", "migrations/0002_notes_title.sql", 4),
    (
        "prisma_set_null_not_null",
        "MH326",
        "prisma/migrations/20240101000000_init/migration.sql",
        10,
    ),
    ("rebuild_check_edge", "MH213", "migrations/0002_no_zero_stars.sql", 7),
    ("rebuild_filters_nulls", "MH218", "migrations/0002_require_phone.sql", 9),
    ("rebuild_narrows_check_partly", "MH213", "migrations/20240102000000_narrow.sql", 9),
    ("rebuild_swaps_columns", "MH215", "migrations/0002_sort_by_last_name.sql", 8),
    ("rebuild_text_to_integer", "MH217", "migrations/0002_code_numeric.sql", 8),
    ("rebuild_unique_or_ignore", "MH216", "migrations/0002_unique_email.sql", 7),
    ("rollback_cascade_too_late", "MH306", "rollbacks/0002_rollback.sql", 6),
    ("rollback_changes_column", "MH415", "rollbacks/0002_rollback.sql", 3),
    ("rollback_drop_cascades", "MH302", "rollbacks/0002_rollback.sql", 4),
    ("rollback_drops_missing_table", "MH411", "rollbacks/0002_rollback.sql", 2),
    ("rollback_fails_on_data", "MH214", "rollbacks/0002_rollback.sql", 8),
    ("rollback_keeps_index", "MH411", "rollbacks/0002_rollback.sql", 2),
    ("rollback_leaves_column", "MH411", "rollbacks/0002_rollback.sql", 2),
    ("rollback_leaves_table", "MH411", "rollbacks/0002_rollback.sql", 3),
    ("rollback_narrows_enum", "MH213", "rollbacks/0002_rollback.sql", 8),
    ("rollback_rename_drops_column", "MH202", "rollbacks/0002_rollback.sql", 4),
    ("rollback_renames_table", "MH411", "rollbacks/0002_rollback.sql", 4),
    # golang-migrate leaves keys off: the file's OFF asks for the value in effect and its
    # trailing ON is a no-op (tests/test_pragma_noop.py: MH301 under d1, where keys stay on)
    ("runner_golang_migrate", "MH213", "migrations/2_artist_name_check.up.sql", 8),
    ("sqlite_fk_off_orphans", "MH218", "migrations/0002_purge_archived.sql", 11),
    ("trigger_missing_table", "MH322", "migrations/0002_audit.sql", 3),
    ("trigger_wrong_arity", "MH322", "migrations/00002_docs_initial.sql", 4),
    ("view_ambiguous_column", "MH322", "migrations/0002_order_names.sql", 3),
    ("view_on_dropped_table", "MH322", "migrations/0002_drop_genres.sql", 3),
    ("writable_schema_not_null", "MH319", "migrations/0002_require_phone.sql", 5),
    # plant20: the clock in a CHECK or an index expression, a rollback re-typing a
    # generated column, a down dropping the values its up moved, seeds their CHECK refuses
    ("check_reads_clock", "MH328", "migrations/2_invites.up.sql", 4),
    ("index_on_clock", "MH328", "migrations/2_events_age.up.sql", 1),
    ("rollback_changes_generated", "MH415", "migrations/2_items_sku.down.sql", 1),
    (
        "diesel_down_drops_moved",
        "MH221",
        "migrations/2024-01-02-000000_user_emails/down.sql",
        2,
    ),
    ("seed_fails_check", "MH318", "migrations/1_plans.up.sql", 5),
    ("seed_nocase_rebuild", "MH318", "migrations/2_plans_binary.up.sql", 6),
    ("rollback_drops_autoincrement", "MH415", "migrations/2_events_source.down.sql", 1),
    (
        "prisma_backfill_unique",
        "MH212",
        "prisma/migrations/20240102000000_team_slug/migration.sql",
        3,
    ),
    # plant23: a rebuild typed from memory loses email's COLLATE NOCASE (line 7) and
    # login_count's DEFAULT 0 (line 8)
    ("rebuild_drops_default_collate", "MH222", "migrations/0002_users_name_check.sql", 7),
    # plant25: a data fix whose WHERE compares with NULL by != archives no ticket
    ("goose_update_equals_null", "MH329", "migrations/00002_archive_closed_tickets.sql", 5),
    # plant25: IF NOT EXISTS skips a CREATE whose name an earlier file's object holds
    ("unique_index_skipped", "MH330", "migrations/20240201120000_unique_email.up.sql", 5),
    (
        "dbmate_create_table_skipped",
        "MH330",
        "db/migrations/20240301000000_session_expiry.sql",
        5,
    ),
    ("rebuild_drops_default_collate", "MH222", "migrations/0002_users_name_check.sql", 8),
    # a table the up renamed holds the old table's rows: the down's DROP deletes them
    (
        "dbmate_down_drops_renamed",
        "MH201",
        "db/migrations/20240102000000_rename_customers.sql",
        5,
    ),
]


@pytest.mark.parametrize(("example", "code", "file", "line"), PLANTED, ids=[p[0] for p in PLANTED])
def test_lint_names_the_planted_defect(example: str, code: str, file: str, line: int) -> None:
    root = EXAMPLES / example
    mset = discover(root / "db" if (root / "db").is_dir() else root)
    findings = lint_set(mset, get_target(mset.default_target))
    named = {(f.code, Path(f.file or "").resolve(), f.line) for f in findings}
    assert (code, (root / file).resolve(), line) in named, sorted(
        (f.code, f.file, f.line) for f in findings
    )


def test_a_view_and_trigger_that_compile_are_no_dangling_reference() -> None:
    """view_ambiguous_column's and trigger_wrong_arity's clean twin (and slugify(), a
    function the application registers) stays quiet."""
    mset = discover(EXAMPLES / "view_trigger_compile")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f.code for f in findings if f.code == "MH322"] == []


def test_the_projects_own_set_has_no_error_level_finding() -> None:
    root = Path(__file__).parent.parent / "db"
    mset = discover(root)
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.severity == "error"] == []


def test_a_trigger_and_view_over_tables_that_exist_are_no_dangling_reference() -> None:
    """trigger_missing_table's clean twin: the audit table comes first in the same file."""
    mset = discover(EXAMPLES / "trigger_audit_table")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.code == "MH322"] == []


def test_a_rebuild_that_re_creates_its_trigger_loses_nothing() -> None:
    """rebuild_drops_trigger's clean twin: the trigger is re-created after the rename."""
    mset = discover(EXAMPLES / "rebuild_keeps_trigger")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.code == "MH220"] == []


def test_an_upsert_of_a_parent_row_cascades_nothing() -> None:
    """replace_cascades_children's clean twin: ON CONFLICT DO UPDATE changes the row in place."""
    mset = discover(EXAMPLES / "upsert_keeps_children")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.code == "MH307"] == []


def test_an_unquoted_current_timestamp_default_is_no_text() -> None:
    """default_quoted_timestamp's clean twin: DEFAULT CURRENT_TIMESTAMP, unquoted."""
    mset = discover(EXAMPLES / "default_timestamp")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.code == "MH323"] == []


def test_a_down_that_copies_the_moved_values_back_is_quiet() -> None:
    """diesel_down_drops_moved's clean twin: the down fills users.email from user_emails."""
    mset = discover(EXAMPLES / "diesel_down_copies_back")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.code == "MH221"] == []


def test_a_guard_that_lets_rows_through_and_a_clock_free_check_are_quiet() -> None:
    """trigger_refuses_every_insert's and check_reads_clock's clean twin."""
    mset = discover(EXAMPLES / "trigger_refuses_negative")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.code in ("MH328", "MH318")] == []


def test_a_rebuild_under_deferred_keys_of_a_restrict_parent_is_quiet() -> None:
    """d1_rebuild_without_defer's RESTRICT twin: defer_foreign_keys turns RESTRICT's action
    off too, so the rebuild applies (check agrees: tests/test_checks.py)."""
    mset = discover(EXAMPLES / "d1_restrict_deferred")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.code == "MH327"] == []


def test_a_rebuild_that_keeps_defaults_and_collations_is_quiet() -> None:
    """rebuild_drops_default_collate's clean twin: the same rebuild, each column's DEFAULT
    and COLLATE copied from the old CREATE TABLE."""
    mset = discover(EXAMPLES / "rebuild_keeps_default_collate")
    findings = lint_set(mset, get_target(mset.default_target))
    assert [f for f in findings if f.code == "MH222"] == []


def test_a_data_fix_testing_is_not_null_is_quiet() -> None:
    """goose_update_equals_null's clean twin: WHERE … AND closed_at IS NOT NULL."""
    mset = discover(EXAMPLES / "goose_update_is_null")
    findings = lint_set(mset, get_target(mset.default_target))
    assert findings == []


@pytest.mark.parametrize("target", ["golang-migrate", "sqlx"])
def test_a_unique_index_created_after_dropping_the_plain_one_is_quiet(target: str) -> None:
    """unique_index_skipped's clean twin: DROP INDEX first, so the CREATE runs (nor MH212:
    the file deletes the duplicates first)."""
    mset = discover(EXAMPLES / "unique_index_replaced")
    assert lint_set(mset, get_target(target)) == []


def test_a_skipped_unique_index_is_no_unique_on_existing_table() -> None:
    """SQLite skips the guarded CREATE: no row is checked, so MH212 would be false."""
    mset = discover(EXAMPLES / "unique_index_skipped")
    findings = lint_set(mset, get_target("sqlx"))
    assert [f.code for f in findings] == ["MH330"]


def test_a_column_added_with_alter_table_is_quiet() -> None:
    """dbmate_create_table_skipped's clean twin: ALTER TABLE … ADD COLUMN."""
    mset = discover(EXAMPLES / "dbmate_add_column_instead")
    assert lint_set(mset, get_target(mset.default_target)) == []
