"""Findings and how they are shown: terminal, JSON, Markdown."""
