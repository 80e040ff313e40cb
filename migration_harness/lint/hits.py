"""The record a lint rule returns, and how it becomes a catalogue :class:`Finding`.

Rules speak in ``Hit``s (a statement and a character offset in it); this module turns the
offset into the file's line and column and the rule name into its catalogue code, so every
rule family reports in one shape and no rule builds a ``Finding`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from migration_harness.report.catalogue import default_rule
from migration_harness.report.findings import Finding

if TYPE_CHECKING:
    from sqlglot import exp

    from migration_harness.lint.context import FileContext, Parsed

COLUMN_PREFIX = "column "


@dataclass(frozen=True, slots=True)
class Hit:
    """One rule violation.

    Attributes:
        kind: the rule's name (``drop-table``), a kind of the catalogue.
        parsed: the statement it is about.
        message: the consequence first, then the mechanism.
        offset: where in the statement's text it points (0: the statement's start).

    """

    kind: str
    parsed: Parsed
    message: str
    offset: int = 0


Rule = Callable[["FileContext"], Iterable[Hit]]


def offset_of(node: exp.Expr | None, parsed: Parsed, word: str = "") -> int:
    """Where ``node`` (or failing that the first ``word``) starts in the statement's text.

    sqlglot records positions on identifiers only, so a node's position is the first
    identifier inside it that has one. A quoted identifier's ``start`` is its opening quote
    already (sqlglot's token spans the quotes): stepping one back pointed every quoted name
    one column early, at the space or comma before it.
    """
    if node is not None:
        from sqlglot import exp as _exp

        for ident in node.find_all(_exp.Identifier):
            start = ident.meta.get("start") if ident.meta else None
            if isinstance(start, int):
                return max(0, start)
    if word:
        found = parsed.sql.upper().find(word.upper())
        return max(found, 0)
    return 0


def to_finding(context: FileContext, hit: Hit) -> Finding:
    """The catalogue finding for ``hit``: code, file, line, column, fix hint."""
    rule = default_rule(hit.kind)
    line, column = hit.parsed.position(hit.offset)
    first = " ".join(hit.parsed.sql.split())
    return Finding(
        hit.kind,
        context.migration.label,
        hit.message,
        (f"{COLUMN_PREFIX}{column}", f"fix: {rule.fix}"),
        direction=context.direction,
        check="lint",
        code=rule.code,
        file=str(context.path),
        line=line,
        statement=first[:300],
    )
