"""Accepted findings: inline ``ignore`` comments, the config's ``ignore`` lists, a baseline.

A team accepts a finding by naming its code and saying why; the finding is then listed as
suppressed (with the reason) and no longer fails the run, but it is never dropped, so a
suppression that hides more than intended stays visible. Three forms, applied in order:

- inline, in the migration file: ``-- migration-harness: ignore[MH111,MH153] <reason>`` on
  the line above a statement, after its ``;``, or inside it, silences those codes for
  findings on that statement; before the file's first statement, for the whole file;
- config, in ``[tool.migration-harness]`` of pyproject.toml: ``ignore = ["MH153"]`` for the
  whole set and ``[tool.migration-harness.per-file-ignores]`` mapping globs (relative to
  the pyproject.toml; a glob without ``/`` matches the file name) to codes, ruff's way;
  either value may be ``{codes = [...], reason = "..."}`` (the reason defaults to
  ``config``);
- the baseline (:mod:`~migration_harness.report.baseline`): today's findings, by
  fingerprint.

Comments are found without guessing at SQL: the statement splitter
(:func:`~migration_harness.sets.sql.split_statements`, SQLite's own
``complete_statement``) cuts the file, so the text between two statements holds only
comments and whitespace; comments inside a statement come from sqlglot's tokenizer, which
knows a ``--`` inside a string is no comment. A missing reason, a malformed directive and
an unknown code are bad input: one line naming the file and line (exit 2).
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import functools
import importlib.util
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from migration_harness.errors import HarnessError
from migration_harness.report.catalogue import RULES
from migration_harness.report.findings import Finding
from migration_harness.sets.changes import files_of
from migration_harness.sets.config import harness_table
from migration_harness.sets.discovery import MigrationSet
from migration_harness.sets.sql import Statement, split_statements

PREFIX: Final = "migration-harness:"
_DIRECTIVE: Final = re.compile(r"ignore\[([^\]]*)\](.*)", re.DOTALL)
# Checks whose findings are about the set as a whole: their ``migration`` is only where the
# check looked (the last version), so file suppressions do not reach them.
SET_WIDE_CHECKS: Final = frozenset({"fk_index"})
CONFIG_KEYS: Final = ("ignore", "per-file-ignores")


class SuppressionError(HarnessError):
    """An ``ignore`` directive, config entry or baseline is malformed or names no code."""


@dataclass(frozen=True, slots=True)
class Suppression:
    """One accepted set of codes and where it reaches.

    Attributes:
        codes: the finding codes it silences.
        reason: why, as the team wrote it (shown beside every finding it silences).
        source: where it is written (``migrations/0003_x.sql:4``), for messages.
        files: the files it covers (resolved); empty for the whole set.
        lines: the first and last line of the statement it covers; ``None``: whole files.
        statement: that statement, whitespace and case folded.

    """

    codes: frozenset[str]
    reason: str
    source: str
    files: tuple[Path, ...] = ()
    lines: tuple[int, int] | None = None
    statement: str = ""


@functools.lru_cache(maxsize=16)
def normalise_sql(sql: str) -> str:
    """The statement's tokens, case folded: the same statement however it is laid out.

    sqlglot's tokenizer drops whitespace and comments; text it cannot tokenize falls back
    to collapsed whitespace. Kept for the last few statements: every finding of one
    statement asks again (five findings on a 1 MB seed line tokenized it five times).
    """
    from sqlglot.dialects.sqlite import SQLite
    from sqlglot.errors import TokenError

    try:
        tokens = SQLite().tokenize(sql)
    except TokenError:
        return " ".join(sql.split()).rstrip(";").casefold()
    return " ".join(token.text for token in tokens if token.text != ";").casefold()


# --- inline ------------------------------------------------------------------------------


def inline_suppressions(mset: MigrationSet) -> list[Suppression]:
    """Every ``-- migration-harness: ignore[...]`` in the set's forward and rollback files.

    Raises:
        SuppressionError: a directive without a reason, malformed, or with an unknown code.

    """
    found: list[Suppression] = []
    seen: set[Path] = set()
    for migration in mset.migrations:
        for path in files_of(migration):
            # A planned script that is missing (sqitch) is the change's apply_error.
            if path not in seen and path.is_file():
                seen.add(path)
                found += file_suppressions(path, _shown(path, mset.root))
    return found


def file_suppressions(path: Path, shown: str) -> list[Suppression]:
    """The directives of one file, each tied to its statement or to the whole file.

    A file that is no text (SQLDelight's ``<V>.db`` schema file, the first step of its
    set) carries no directive; every migration file was read as UTF-8 by discovery.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return []
    if PREFIX not in text:
        return []
    try:
        statements = split_statements(text)
    except ValueError as exc:
        message = f"{shown}: {exc}"
        raise SuppressionError(message) from exc
    found: list[Suppression] = []
    for line, comment, owner in _comments(text, statements, shown):
        codes, reason = parse_directive(comment, f"{shown}:{line}")
        if codes is None:
            continue
        source = f"{shown}:{line}"
        if owner is None:
            found.append(Suppression(codes, reason, source, (path,)))
            continue
        last = owner.line + owner.sql.count("\n")
        span = (owner.line, last)
        found.append(Suppression(codes, reason, source, (path,), span, normalise_sql(owner.sql)))
    return found


def _comments(
    text: str, statements: Sequence[Statement], shown: str
) -> list[tuple[int, str, Statement | None]]:
    """``(line, comment text, statement it belongs to)``; ``None``: the whole file.

    A comment between statements belongs to the statement whose line it ends (written
    after the ``;``), else to the next statement; before the first statement, to the file.
    A directive after the last statement, on a line of its own, covers nothing: an error.
    """
    found: list[tuple[int, str, Statement | None]] = []
    previous: Statement | None = None
    gap_start = 0
    for statement in [*statements, None]:
        # Statement texts are verbatim slices of the file, so each is found after the last.
        start = text.find(statement.sql, gap_start) if statement is not None else len(text)
        for offset, comment in _gap_comments(text[gap_start:start]):
            at = gap_start + offset
            line = text.count("\n", 0, at) + 1
            same_line = previous is not None and "\n" not in text[gap_start:at]
            owner = previous if same_line or previous is None else statement
            if owner is None and previous is not None and PREFIX in comment:
                message = f"{shown}:{line}: an ignore directive after the last statement "
                message += "covers nothing (put it above the statement or after its ;)"
                raise SuppressionError(message)
            found.append((line, comment, owner))
        if statement is not None:
            found += [(statement.line + i, c, statement) for i, c in _inner_comments(statement)]
            gap_start = start + len(statement.sql)
        previous = statement
    return found


def _gap_comments(gap: str) -> list[tuple[int, str]]:
    """``(offset, text)`` of the ``--`` comments in text that holds only comments.

    Block comments are skipped whole, so a ``--`` inside one is not taken for a directive.
    """
    found: list[tuple[int, str]] = []
    pos = 0
    while pos < len(gap):
        if gap.startswith("--", pos):
            end = gap.find("\n", pos)
            end = len(gap) if end == -1 else end
            found.append((pos, gap[pos + 2 : end]))
            pos = end
        elif gap.startswith("/*", pos):
            end = gap.find("*/", pos + 2)
            pos = len(gap) if end == -1 else end + 2
        else:
            pos += 1
    return found


def _inner_comments(statement: Statement) -> list[tuple[int, str]]:
    """``(line offset, text)`` of comments inside a statement, from sqlglot's tokens."""
    if PREFIX not in statement.sql:
        return []
    from sqlglot.dialects.sqlite import SQLite
    from sqlglot.errors import TokenError

    try:
        tokens = SQLite().tokenize(statement.sql)
    except TokenError:
        return []
    return [(token.line - 1, c) for token in tokens for c in token.comments]


def parse_directive(comment: str, where: str) -> tuple[frozenset[str] | None, str]:
    """``(codes, reason)`` of a directive; ``(None, "")`` for any other comment.

    Raises:
        SuppressionError: the comment starts with ``migration-harness:`` but is not a
            well-formed ``ignore[...] reason``.

    """
    body = comment.strip()
    if not body.startswith(PREFIX):
        return None, ""
    match = _DIRECTIVE.fullmatch(body[len(PREFIX) :].strip())
    example = "-- migration-harness: ignore[MH111] <reason>"
    if match is None:
        message = f"{where}: malformed directive {body!r} (write {example})"
        raise SuppressionError(message)
    codes = frozenset(c.strip() for c in match.group(1).split(",") if c.strip())
    reason = " ".join(match.group(2).split())
    if not codes:
        message = f"{where}: ignore[] names no finding code (write {example})"
        raise SuppressionError(message)
    if not reason:
        message = f"{where}: ignore[{','.join(sorted(codes))}] needs a reason (write {example})"
        raise SuppressionError(message)
    require_known(codes, where)
    return codes, reason


def require_known(codes: Iterable[str], where: str) -> None:
    """Refuse a code the catalogue does not hold, suggesting the closest one."""
    _load_lint_rules()
    for code in sorted(codes):
        if code not in RULES:
            close = difflib.get_close_matches(code, sorted(RULES), n=1)
            hint = f"did you mean {close[0]}?" if close else "see `migration-harness docs findings`"
            message = f"{where}: unknown finding code {code} ({hint})"
            raise SuppressionError(message)


def _load_lint_rules() -> None:
    """Import the lint rules when the package has them: they register their MH2xx+ codes."""
    if importlib.util.find_spec("migration_harness.lint") is not None:
        importlib.import_module("migration_harness.lint")


def _shown(path: Path, root: Path) -> str:
    """``path`` relative to the set's root when below it, for messages."""
    resolved = root.resolve()
    return str(path.relative_to(resolved)) if path.is_relative_to(resolved) else str(path)


# --- config ------------------------------------------------------------------------------


def config_suppressions(pyproject: Path | None, mset: MigrationSet) -> list[Suppression]:
    """``ignore`` and ``per-file-ignores`` of ``[tool.migration-harness]`` in ``pyproject``.

    Raises:
        SuppressionError: a value of the wrong shape or an unknown code.

    """
    if pyproject is None:
        return []
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        message = f"{pyproject}: not valid TOML ({exc})"
        raise SuppressionError(message) from exc
    table = harness_table(data, pyproject)
    if not isinstance(table, Mapping):
        return []
    where = f"{pyproject} [tool.migration-harness]"
    found: list[Suppression] = []
    if "ignore" in table:
        codes, reason = _codes_and_reason(table["ignore"], f"{where} ignore")
        found.append(Suppression(codes, reason, f"{where} ignore"))
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, Mapping):
        message = f'{where} per-file-ignores: must be a table of "glob" = ["MH..."]'
        raise SuppressionError(message)
    for glob, value in per_file.items():
        source = f"{where} per-file-ignores {glob!r}"
        codes, reason = _codes_and_reason(value, source)
        files = _matching(glob, pyproject.parent, mset)
        if files:
            found.append(Suppression(codes, reason, source, files))
    return found


def _codes_and_reason(value: object, where: str) -> tuple[frozenset[str], str]:
    """``["MH1"]`` or ``{codes = ["MH1"], reason = "why"}`` -> codes and reason."""
    reason: object = "config"
    if isinstance(value, Mapping):
        reason = value.get("reason", "config")
        value = value.get("codes")
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        message = f'{where}: expected a list of codes (["MH153"]) or {{codes = [...], reason}}'
        raise SuppressionError(message)
    if not isinstance(reason, str) or not reason.strip():
        message = f"{where}: reason must be a non-empty string"
        raise SuppressionError(message)
    require_known(value, where)
    return frozenset(value), reason.strip()


def _matching(glob: str, base: Path, mset: MigrationSet) -> tuple[Path, ...]:
    """The set's files a per-file glob matches: by path below ``base``, else by name."""
    base = base.resolve()
    found: list[Path] = []
    for migration in mset.migrations:
        for path in files_of(migration):
            name = path.relative_to(base).as_posix() if path.is_relative_to(base) else path.name
            subject = name if "/" in glob else path.name
            if fnmatch.fnmatchcase(subject, glob) and path not in found:
                found.append(path)
    return tuple(found)


# --- applying ----------------------------------------------------------------------------


def apply(
    findings: Sequence[Finding], suppressions: Sequence[Suppression], mset: MigrationSet
) -> list[Finding]:
    """The findings, each suppressed by the first suppression that covers it (if any).

    Already suppressed findings keep their reason. Nothing is dropped or reordered.
    """
    out: list[Finding] = []
    for finding in findings:
        if not finding.suppressed:
            files, exact = finding_files(finding, mset)
            whole = migration_files(finding, mset) if exact else files
            for suppression in suppressions:
                reach = whole if suppression.lines is None else files
                if covers(suppression, finding, reach, exact=exact):
                    finding = dataclasses.replace(finding, suppressed=suppression.reason)
                    break
        out.append(finding)
    return out


def finding_files(finding: Finding, mset: MigrationSet) -> tuple[tuple[Path, ...], bool]:
    """The files a finding is about, and whether it named the file itself.

    Its own ``file`` when that exists (relative to the set, its folders or the working
    folder), else its migration's forward and rollback files; none for set-wide findings.
    """
    own: tuple[Path, ...] = ()
    if finding.file:
        given = Path(finding.file)
        bases = (mset.root, mset.migrations_dir, mset.rollbacks_dir, Path.cwd())
        candidates = [given] if given.is_absolute() else [b / given for b in bases if b]
        own = next(((c.resolve(),) for c in candidates if c.exists()), ())
        if own and finding.line is not None:
            return own, True
    # A file without a line (a rollback's schema drift) is about the migration as a whole:
    # a directive on either of its files reaches it.
    if finding.migration is None or finding.check in SET_WIDE_CHECKS:
        return own, False
    for migration in mset.migrations:
        if finding.migration in (migration.label, migration.id):
            return tuple(dict.fromkeys((*own, *files_of(migration)))), False
    return own, False


def migration_files(finding: Finding, mset: MigrationSet) -> tuple[Path, ...]:
    """The forward and rollback files of the finding's migration.

    A directive for a whole file of the migration reaches every finding of it (a reapply
    error after a rollback sits in the forward file but is the rollback's doing).
    """
    if finding.migration is None or finding.check in SET_WIDE_CHECKS:
        return ()
    for migration in mset.migrations:
        if finding.migration in (migration.label, migration.id):
            return files_of(migration)
    return ()


def covers(
    suppression: Suppression, finding: Finding, files: tuple[Path, ...], *, exact: bool = False
) -> bool:
    """Whether ``suppression`` reaches ``finding`` (code, then file, then statement).

    ``exact``: ``files`` is the finding's own file, so its ``line`` can be compared.
    """
    if finding.code not in suppression.codes:
        return False
    if not suppression.files:
        return True
    if not set(suppression.files) & set(files):
        return False
    if suppression.lines is None:
        return True
    if finding.line is not None and exact:
        return suppression.lines[0] <= finding.line <= suppression.lines[1]
    if finding.statement:
        return normalise_sql(finding.statement) == suppression.statement
    # No line or statement yet: the finding is about the migration as a whole.
    return True
