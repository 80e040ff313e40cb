"""What a version of the database looks like: introspection, differences, constraints, audits."""
