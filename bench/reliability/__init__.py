"""Reliability trials: runner races, kills, and hostile inputs (issue 15)."""
