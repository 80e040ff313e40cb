"""One module per layout family: how each runner names, pairs and annotates its files.

Each module reads one family (``plain``: this project's own layout and wrangler's;
``updown``: golang-migrate and sqlx; ``dbmate``; ``goose``; ``diesel``) into
:class:`~migration_harness.sets.records.Migration` records, using the shared helpers of
``files``. Which layout a folder is, and in what order layouts are tried, is decided by
``migration_harness.sets.discovery`` alone, so adding a module never changes how an existing
layout is read.
"""
