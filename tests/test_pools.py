"""The stored Faker pools: the same values Faker makes, read without importing Faker."""

from __future__ import annotations

import subprocess
import sys

from migration_harness.data import pools


def test_the_stored_pools_are_what_the_installed_faker_makes() -> None:
    """Examples must not change: each stored pool equals the one Faker builds.

    Fails after a Faker upgrade that changes its values: regenerate the file with
    ``python -m migration_harness.data.pools``.
    """
    stored = pools._stored()
    assert sorted(stored) == list(pools.providers())
    for provider in pools.providers():
        assert stored[provider] == pools.faker_pool(provider), provider


def test_drawing_text_columns_does_not_import_faker() -> None:
    """A check's process pays neither Faker's import nor its providers for the pools."""
    code = (
        "import sys\n"
        "from migration_harness.data import columns\n"
        "from migration_harness.data.pools import NAME_PROVIDERS\n"
        "for word, _ in NAME_PROVIDERS:\n"
        "    columns._texts(columns.ColumnRule(), word, ())\n"
        "print('faker' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_provider_not_stored_is_made_by_faker() -> None:
    """The file is a cache of Faker's output, not a limit on the providers."""
    assert "company_email" not in pools._stored()
    made = pools.pool("company_email")
    assert len(made) == pools.POOL_SIZE
    assert made == pools.faker_pool("company_email")
