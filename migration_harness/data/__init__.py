"""Rows: drawing valid ones from a schema, reading and comparing them."""
