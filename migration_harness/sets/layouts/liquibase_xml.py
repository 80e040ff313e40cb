"""Liquibase XML and JSON changelogs read as documents: their children and SQL changeSets.

Liquibase parses both formats into the same ``ParsedNode`` tree
(liquibase-standard ``liquibase/parser/core/xml/XMLChangeLogSAXParser.java``,
``liquibase/parser/core/json/JsonChangeLogParser.java``), so one reader serves both: the
children of ``databaseChangeLog`` (``include``, ``includeAll``, ``changeSet`` …) and, for a
changeSet, its changes. Only ``sql`` and ``sqlFile`` changes are SQL the harness can run as
Liquibase sends it; every other change type (``createTable`` …) is SQL that Liquibase
generates per database, which the harness does not imitate: such a changeSet is refused,
naming the type, unless Liquibase never runs it on SQLite (its ``dbms``, ``ignore``, or
``dbms`` preconditions: :mod:`~migration_harness.sets.layouts.liquibase_preconditions`).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError
from migration_harness.sets.layouts import liquibase_preconditions as preconditions

# liquibase-standard SQLiteDatabase.getShortName().
SHORT_NAME: Final = "sqlite"
# Children of a changeSet that hold no change to run.
_META: Final = frozenset(
    {"comment", "preConditions", "validCheckSum", "rollback", "tagDatabase", "empty", "output"}
)
_SQL: Final = frozenset({"sql", "sqlFile"})

# Where an ``sqlFile path=`` points: ``(including file, path, relative)`` -> file or None.
Resolver = Callable[[Path, str, bool], Path | None]


@dataclass(frozen=True, slots=True)
class SqlChangeSet:
    """A changeSet of an XML or JSON changelog whose changes are all SQL.

    Attributes:
        path: the changelog that holds it.
        author, ident: its identity, as ``DATABASECHANGELOG`` records it.
        statements: the ``sql``/``sqlFile`` changes' text, in order (those whose ``dbms``
            excludes SQLite left out, as ``AbstractSQLChange`` skips them).
        rollback: the rollback's SQL, empty without one.
        header: its attributes written as a formatted-SQL ``--changeset`` line would write
            them, so one reader applies ``runInTransaction``, ``splitStatements``,
            ``endDelimiter``, ``dbms`` and ``ignore`` to both formats.
        left_out: why Liquibase does not run it on SQLite though its header lets it run
            (its ``preConditions``); empty when it runs.

    """

    path: Path
    author: str
    ident: str
    statements: tuple[str, ...]
    rollback: str
    header: str
    left_out: str = ""


def dbms_matches(definition: str) -> bool:
    """``DatabaseList.definitionMatches`` for SQLite: ``all``, ``none``, ``!sqlite``, a list."""
    names = {name.strip().lower() for name in definition.split(",") if name.strip()}
    if not names or "all" in names:
        return True
    if "none" in names or f"!{SHORT_NAME}" in names:
        return False
    wanted = {name for name in names if not name.startswith("!")}
    return not wanted or SHORT_NAME in wanted


def children(path: Path) -> Iterator[tuple[str, Mapping[str, object], object]]:
    """``(kind, attributes, node)`` for each child of the changelog's ``databaseChangeLog``.

    Raises:
        BadFileError: the file is not valid XML/JSON, or not a ``databaseChangeLog``.

    """
    text = _text(path)
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            message = f"{path}: not valid JSON ({exc})"
            raise BadFileError(message) from exc
        items = data.get("databaseChangeLog") if isinstance(data, dict) else None
        if not isinstance(items, list):
            message = f"{path}: no databaseChangeLog list (not a Liquibase changelog)"
            raise BadFileError(message)
        for item in items:
            if isinstance(item, dict) and len(item) == 1:
                kind, value = next(iter(item.items()))
                yield kind, value if isinstance(value, dict) else {}, value
        return
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        message = f"{path}: not valid XML ({exc})"
        raise BadFileError(message) from exc
    if _local(root.tag) != "databaseChangeLog":
        message = f"{path}: root element is <{_local(root.tag)}>, not <databaseChangeLog>"
        raise BadFileError(message)
    yield from xml_children(root)


def xml_children(node: ET.Element) -> Iterator[tuple[str, Mapping[str, object], object]]:
    """An XML element's children as ``(local name, attributes, element)``."""
    for child in node:
        if isinstance(child.tag, str):
            yield _local(child.tag), child.attrib, child


def changeset(
    path: Path, attrs: Mapping[str, object], node: object, resolve: Resolver
) -> SqlChangeSet:
    """An XML/JSON changeSet as SQL; where it runs on SQLite, a change type not SQL is refused.

    Raises:
        BadFileError: a change (or a rollback change) that is not ``sql``/``sqlFile``, or
            an ``sqlFile`` that does not exist.

    """
    ident, author = str(attrs.get("id", "")), str(attrs.get("author", ""))
    if not _runs_on_sqlite(attrs):
        # handleChildNode creates no changeSet for another dbms and an ignored one never
        # runs: its changes are neither read nor refused (the header says why it is left out)
        return SqlChangeSet(path, author, ident, (), "", _header(author, ident, attrs, {}))
    where = f"{path}: changeSet {author}:{ident}"
    condition = _preconditions(node)
    why = preconditions.left_out(condition, dbms_matches, where) if condition else None
    if why is not None:
        header = _header(author, ident, attrs, {})
        return SqlChangeSet(path, author, ident, (), "", header, left_out=why)
    changes = list(_changes(node))
    others = sorted({kind for kind, _, _ in changes if kind not in _SQL and kind not in _META})
    if others:
        message = (
            f"{path}: changeSet {author}:{ident} uses {', '.join(others)}, which the harness "
            "cannot run as SQL (write it as an sql change or a formatted-SQL changelog)"
        )
        raise BadFileError(message)
    runs = [
        (kind, change, text)
        for kind, change, text in changes
        if kind in _SQL and dbms_matches(str(change.get("dbms") or ""))
    ]
    texts = [_sql_file(path, c, resolve) if kind == "sqlFile" else t for kind, c, t in runs]
    statements = tuple(text for text in texts if text.strip())
    rollback = "\n".join(text for kind, _, text in changes if kind == "rollback")
    header = _header(author, ident, attrs, runs[0][1] if runs else {})
    return SqlChangeSet(path, author, ident, statements, rollback, header)


def _runs_on_sqlite(attrs: Mapping[str, object]) -> bool:
    """Whether a changeSet with these attributes runs on SQLite (its ``dbms``, ``ignore``)."""
    ignored = str(attrs.get("ignore", "")).lower() == "true"
    return dbms_matches(str(attrs.get("dbms") or "")) and not ignored


def _header(
    author: str, ident: str, attrs: Mapping[str, object], sql_attrs: Mapping[str, object]
) -> str:
    """The changeSet's attributes as a formatted-SQL ``--changeset`` line writes them."""
    return f"--changeset {author}:{ident}" + "".join(
        f" {key}:{_attribute(value)}"
        for source, keys in (
            (attrs, ("runInTransaction", "dbms", "ignore", "runAlways", "runOnChange")),
            (sql_attrs, ("splitStatements", "endDelimiter")),
        )
        for key in keys
        if (value := source.get(key)) is not None
    )


def _preconditions(node: object) -> preconditions.Condition | None:
    """The changeSet's ``preConditions`` (XML element or JSON key), if it has them."""
    if isinstance(node, ET.Element):
        found = [c for k, _, c in xml_children(node) if isinstance(c, ET.Element)]
        guards = [c for c in found if _local(c.tag) == "preConditions"]
        return preconditions.Condition.from_xml(guards[0]) if guards else None
    if isinstance(node, dict) and node.get("preConditions") is not None:
        return preconditions.Condition.from_json("preConditions", node["preConditions"])
    return None


def _sql_file(path: Path, change: Mapping[str, object], resolve: Resolver) -> str:
    """The text of an ``sqlFile path=`` change (``relativeToChangelogFile`` as for include)."""
    name = str(change.get("path") or "").replace("\\", "/")
    relative = str(change.get("relativeToChangelogFile", "")).lower() == "true"
    target = resolve(path, name, relative) if name else None
    if target is None or not target.is_file():
        message = f"{path}: sqlFile path={name}: no such file (Liquibase stops here)"
        raise BadFileError(message)
    return _text(target)


def _changes(node: object) -> Iterator[tuple[str, Mapping[str, object], str]]:
    """``(change type, attributes, SQL text)`` of a changeSet; rollback text as ``rollback``."""
    if isinstance(node, ET.Element):
        for kind, attrs, child in xml_children(node):
            assert isinstance(child, ET.Element)
            if kind == "rollback":
                yield from _xml_rollback(child)
            else:
                yield kind, attrs, _own_text(child)
        return
    if not isinstance(node, dict):
        return
    for change in node.get("changes") or []:
        if isinstance(change, dict):
            for kind, value in change.items():
                body = value if isinstance(value, dict) else {}
                yield kind, body, str(body.get("sql", value if isinstance(value, str) else ""))
    yield from _json_rollback(node.get("rollback"))


def _xml_rollback(node: ET.Element) -> Iterator[tuple[str, Mapping[str, object], str]]:
    """``<rollback>``: its text and its ``<sql>`` children; any other change is refused."""
    texts = [_own_text(node)]
    for kind, attrs, child in xml_children(node):
        assert isinstance(child, ET.Element)
        if kind == "sql":
            texts.append(_own_text(child))
        elif kind not in _META:
            yield f"{kind} (in its rollback)", attrs, ""
    yield "rollback", {}, "\n".join(texts).strip()


def _json_rollback(value: object) -> Iterator[tuple[str, Mapping[str, object], str]]:
    """A JSON changeSet's ``rollback``: SQL text, ``{"sql": ...}`` or a list of those."""
    if isinstance(value, str):
        yield "rollback", {}, value
    elif isinstance(value, list):
        for item in value:
            yield from _json_rollback(item)
    elif isinstance(value, dict):
        for kind in value:
            if kind != "sql":
                yield f"{kind} (in its rollback)", {}, ""
        sql = value.get("sql")
        yield "rollback", {}, str(sql.get("sql", "") if isinstance(sql, dict) else sql or "")


def _own_text(node: ET.Element) -> str:
    """An element's own text, on both sides of its children (a ``<comment>`` in an ``<sql>``).

    Liquibase's SAX handler appends every run of characters to the element being read, so
    the SQL after a nested ``<comment>`` is part of the change; ElementTree keeps that run
    as the child's ``tail``.
    """
    return (node.text or "") + "".join(child.tail or "" for child in node)


def _text(path: Path) -> str:
    """A changelog's text (a BOM allowed)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        message = f"{path}: cannot be read as UTF-8 ({exc})"
        raise BadFileError(message) from exc


def _attribute(value: object) -> str:
    """An attribute as a ``--changeset`` line writes it (``dbms:h2,sqlite``, ``true``)."""
    return str(value).lower() if isinstance(value, bool) else str(value).replace(" ", "")


def _local(tag: str) -> str:
    """An XML tag without its namespace (``{http://www.liquibase.org/...}include``)."""
    return tag.rsplit("}", 1)[-1]
