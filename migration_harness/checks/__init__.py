"""The checks: per-version snapshots, per-migration properties and the history fuzzer."""
