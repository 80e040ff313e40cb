"""Liquibase master changelogs: the ``include``/``includeAll`` tree Liquibase walks.

A real Liquibase project keeps a master (``db.changelog-master.xml``/``.json``/``.yaml``)
that lists the changelogs to run, often formatted-SQL files in subfolders. Liquibase runs
them in the master's order, not in name order, so reading the folder alphabetically runs
another history than production. The rules are Liquibase's own (liquibase/liquibase
``liquibase-standard/src/main/java/liquibase/changelog/DatabaseChangeLog.java``):

- ``include file=`` runs the file where it stands in the document; the path is relative
  to the search path (the classpath root, the working directory), or to the including
  file with ``relativeToChangelogFile="true"`` (``resolveSibling``). Not knowing the
  search path, the harness tries the master's folder and then each folder above it,
  nearest first. A missing file fails the update unless ``errorIfMissing="false"``.
- ``includeAll path=`` runs every changelog under the folder, at any depth, sorted by
  ``getStandardChangeLogComparator()``: ``String.compareTo`` on the path, which compares
  UTF-16 code units (``B`` before ``a``, ``-`` before ``.`` before ``/``).
- ``handleInclude`` reads ``file``, ``context``, ``labels``, ``ignore``,
  ``relativeToChangelogFile``, ``errorIfMissing`` and ``logicalFilePath``: a ``dbms`` on an
  include filters nothing. ``ignore="true"`` skips the file's own changesets
  (``ChangeSet.isInheritableIgnore`` reads the flag of the changeset's own changelog), not
  those of the changelogs it includes.
- A file read twice repeats its changesets' identifiers, which validation refuses
  (``ValidatingVisitor``); a file that includes itself would recurse. Both are refused.

A master in YAML cannot be read without a YAML parser, which the harness does not depend
on: the set falls back to the folder's alphabetical order, with a note saying so.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError
from migration_harness.sets.layouts import liquibase_xml, spring

# The names a project gives its master (Spring Boot's default first), looked for in the
# set's folder and then its parent.
MASTER_NAMES: Final = (
    "db.changelog-master.yaml",
    "db.changelog-master.yml",
    "db.changelog-master.xml",
    "db.changelog-master.json",
    "changelog-master.xml",
    "changelog-master.yaml",
    "changelog-master.json",
    "changelog.xml",
    "changelog.yaml",
    "changelog.yml",
    "changelog.json",
    "master.xml",
)
YAML_SUFFIXES: Final = (".yaml", ".yml")
# The files Liquibase has a parser for; includeAll skips the rest (OnUnknownFileFormat.WARN).
CHANGELOG_SUFFIXES: Final = (".sql", ".xml", ".json", *YAML_SUFFIXES)


@dataclass
class Changelog:
    """The master's changelogs in the order Liquibase runs them, and what was left out.

    Attributes:
        master: the master file read.
        entries: formatted (or raw) SQL files and SQL changeSets of XML/JSON changelogs.
        notes: what the harness runs differently from a configured Liquibase, or skips.
        listed: every file the tree names (to say which ``.sql`` files nothing lists).
        walked: the files whose changesets were read (a second include is refused).

    """

    master: Path
    entries: list[Path | liquibase_xml.SqlChangeSet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    listed: set[Path] = field(default_factory=set)
    walked: set[Path] = field(default_factory=set)


def find_master(folder: Path, configured: str | None) -> Path | None:
    """The master the project configures, else the first file with a usual name.

    Configured: ``liquibase_changelog`` in ``[tool.migration-harness]``, else Spring
    Boot's ``spring.liquibase.change-log`` (the base ``application.yml``/``.properties``).

    A file with a usual name is a master only when it mentions ``databaseChangeLog``:
    ``changelog.json`` is a common name for other things.

    Raises:
        BadFileError: the configured master does not exist.

    """
    if configured is not None:
        path = (folder / configured).resolve()
        if not path.is_file():
            message = (
                f"{folder / configured}: liquibase_changelog names no file "
                f"(the path is relative to the set, {folder})"
            )
            raise BadFileError(message)
        return path
    places = (folder, folder.parent)
    spring_master = spring.liquibase_change_log(folder)
    # Only for the set it belongs to: a Flyway folder beside it is another set.
    if spring_master is not None and spring_master.parent.resolve() in {
        p.resolve() for p in places
    }:
        return spring_master
    for place in places:
        for name in MASTER_NAMES:
            candidate = place / name
            if candidate.is_file() and _mentions_changelog(candidate):
                return candidate
    return None


def _mentions_changelog(path: Path) -> bool:
    """Whether the file names Liquibase's root element or key."""
    try:
        return "databaseChangeLog" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def follow(master: Path) -> Changelog:
    """Walk ``master``'s include tree as Liquibase does (YAML: a note, nothing followed).

    Raises:
        BadFileError: a changelog that does not parse, an include of a missing file, a
            file that includes itself, or a changeSet of change types that are not SQL.

    """
    result = Changelog(master)
    if master.suffix.lower() in YAML_SUFFIXES:
        result.notes.append(
            f"{master.name}: a YAML master is not read (no YAML parser), so its order is not "
            "followed"
        )
        return result
    _walk(master.resolve(), result, ())
    return result


def _walk(path: Path, result: Changelog, stack: tuple[Path, ...], *, ignored: bool = False) -> None:
    """Add ``path``'s changelogs to ``result``; ``stack``: the files including it.

    ``ignored``: the include said ``ignore="true"``. ``ChangeSet.isInheritableIgnore``
    reads that flag on the changeset's own changelog only, so the file's changesets are
    left out but the changelogs it includes run.
    """
    if path in stack:
        if path == stack[-1]:
            message = (
                f"{path}: includes itself (Liquibase would read it forever; remove the include)"
            )
        else:
            chain = " -> ".join(p.name for p in (*stack[stack.index(path) :], path))
            message = (
                f"{stack[-1]}: includes {path.name}, which includes it ({chain}); break the cycle"
            )
        raise BadFileError(message)
    if path in result.walked:
        # ValidatingVisitor.checkForDuplicatesFromDifferentFiles: the update stops.
        message = (
            f"{stack[-1]}: includes {path.name} a second time; Liquibase's validation refuses "
            "its changesets' duplicate identifiers (remove one include)"
        )
        raise BadFileError(message)
    if not ignored:
        result.walked.add(path)
    result.listed.add(path)
    suffix = path.suffix.lower()
    if suffix == ".sql":
        if not ignored:
            result.entries.append(path)
        return
    if suffix in YAML_SUFFIXES:
        result.notes.append(
            f"{path.name}: a YAML changelog is not read (no YAML parser): its changesets "
            "are not run"
        )
        return
    for kind, attrs, node in liquibase_xml.children(path):
        if not (ignored and kind == "changeSet"):
            _child(path, kind, attrs, node, result, (*stack, path))


def _child(
    path: Path,
    kind: str,
    attrs: Mapping[str, object],
    node: object,
    result: Changelog,
    stack: tuple[Path, ...],
) -> None:
    """One child of ``databaseChangeLog``: an include, an includeAll or a changeSet."""
    where = f"{path.name}: {kind}"
    if attrs.get("context") or attrs.get("contextFilter") or attrs.get("labels"):
        result.notes.append(f"{where} has contexts/labels: the harness runs every context")
    if kind == "include":
        if attrs.get("dbms"):
            result.notes.append(
                f"{where} file={attrs.get('file')} dbms={attrs.get('dbms')}: dbms on an "
                "include is no filter in Liquibase; the file runs"
            )
        _include(path, attrs, result, stack)
    elif kind == "includeAll":
        _include_all(path, attrs, result, stack)
    elif kind == "changeSet":
        result.entries.append(liquibase_xml.changeset(path, attrs, node, _resolver(result)))
    elif kind == "modifyChangeSets":
        _modify_change_sets(path, attrs, node, result, stack)


def _modify_change_sets(
    path: Path,
    attrs: Mapping[str, object],
    node: object,
    result: Changelog,
    stack: tuple[Path, ...],
) -> None:
    """``modifyChangeSets``: its includes run where it stands, under its ``runWith``.

    XML nests ``<include>``/``<includeAll>`` elements; JSON (as YAML) gives them as keys of
    the object, each an object or a list of them. The ``runWith`` executor it sets is not
    modelled: a note says so, and the files run as Liquibase's JDBC executor runs them.
    """
    if attrs.get("runWith"):
        result.notes.append(
            f"{path.name}: modifyChangeSets runWith={attrs['runWith']} is not applied: its "
            "files run as the JDBC executor runs them"
        )
    if isinstance(node, ET.Element):
        for sub_kind, sub_attrs, sub_node in liquibase_xml.xml_children(node):
            _child(path, sub_kind, sub_attrs, sub_node, result, stack)
        return
    for sub_kind, value in node.items() if isinstance(node, dict) else ():
        for item in value if isinstance(value, list) else [value]:
            if sub_kind in ("include", "includeAll") and isinstance(item, dict):
                _child(path, sub_kind, item, item, result, stack)


def _named(
    path: Path, attrs: Mapping[str, object], key: str, result: Changelog
) -> tuple[str, Path | None]:
    """The path an include names in ``key`` (backslashes read as ``/``), and where it points."""
    name = str(attrs.get(key) or "").replace("\\", "/")
    if not name:
        # DatabaseChangeLog.validateAttributes: "The 'file' attribute cannot be empty".
        message = f"{path}: an include without its {key} attribute (Liquibase refuses it)"
        raise BadFileError(message)
    relative = _truthy(attrs.get("relativeToChangelogFile"))
    return name, _resolve(path, name, relative=relative, master=result.master)


def _include(
    path: Path, attrs: Mapping[str, object], result: Changelog, stack: tuple[Path, ...]
) -> None:
    """``include file=``: the file, where it stands (``errorIfMissing``, ``ignore``)."""
    name, target = _named(path, attrs, "file", result)
    if target is None or not target.is_file():
        if _truthy(attrs.get("errorIfMissing", True)):
            message = f"{path}: include file={name}: no such file (Liquibase stops here)"
            raise BadFileError(message)
        result.notes.append(f"{path.name}: include file={name} is missing (errorIfMissing=false)")
        return
    ignored = _truthy(attrs.get("ignore"))
    if ignored:
        result.notes.append(f"{path.name}: include file={name} has ignore=true: not run")
    _walk(target.resolve(), result, stack, ignored=ignored)


def _include_all(
    path: Path, attrs: Mapping[str, object], result: Changelog, stack: tuple[Path, ...]
) -> None:
    """``includeAll path=``: every changelog below, in ``String.compareTo`` order."""
    name, folder = _named(path, attrs, "path", result)
    found = sorted_changelogs(folder, str(attrs.get("endsWithFilter") or "")) if folder else []
    if not found:
        if _truthy(attrs.get("errorIfMissingOrEmpty", True)):
            message = f"{path}: includeAll path={name}: no such folder, or no changelog in it"
            raise BadFileError(message)
        result.notes.append(f"{path.name}: includeAll path={name} is missing or empty")
        return
    for key in ("resourceFilter", "filter", "resourceComparator", "minDepth", "maxDepth"):
        if attrs.get(key) is not None:
            result.notes.append(
                f"{path.name}: includeAll {key}={attrs[key]} is not applied: every changelog "
                "below the folder runs, in Liquibase's default order"
            )
    ignored = _truthy(attrs.get("ignore"))
    if ignored:
        result.notes.append(f"{path.name}: includeAll path={name} has ignore=true: not run")
    for item in found:
        _walk(item.resolve(), result, stack, ignored=ignored)


def sorted_changelogs(folder: Path, ends_with: str = "") -> list[Path]:
    """The changelogs at any depth below ``folder``, as Java's ``String.compareTo`` sorts them.

    Java compares strings by UTF-16 code unit; UTF-16-BE bytes compare the same way
    (Python's ``str`` order compares code points, which differs above U+FFFF).
    """
    if not folder.is_dir():
        return []
    found = [
        p
        for p in folder.rglob("*")
        if p.is_file()
        and p.suffix.lower() in CHANGELOG_SUFFIXES
        and p.name.lower().endswith(ends_with.lower())
    ]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix().encode("utf-16-be"))


def _resolver(result: Changelog) -> liquibase_xml.Resolver:
    """``_resolve`` on this walk's search path, for ``sqlFile`` changes (noting the file)."""

    def resolve(including: Path, name: str, relative: bool) -> Path | None:
        target = _resolve(including, name, relative=relative, master=result.master)
        if target is not None:
            result.listed.add(target)  # a file an sqlFile change runs is listed
        return target

    return resolve


def _resolve(including: Path, name: str, *, relative: bool, master: Path) -> Path | None:
    """Where an included path points: beside the including file, or on the search path.

    The search path is the run's, not the including file's: a plain path in a nested
    changelog resolves as it would in the master, so the folders tried are the master's
    and those above it (Spring's classpath root holds ``db/changelog/...``).
    """
    name = name.removeprefix("classpath:")
    if relative:
        return Path(os.path.normpath(including.parent / name))
    if Path(name).is_absolute() and Path(name).exists():
        return Path(name)
    bare = name.lstrip("/")
    for folder in master.resolve().parents:
        candidate = Path(os.path.normpath(folder / bare))
        if candidate.exists():
            return candidate
    return None


def _truthy(value: object) -> bool:
    """A Liquibase boolean attribute: ``true``/``false`` text in XML, a bool in JSON."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def unlisted(folder: Path, listed: Sequence[Path] | set[Path]) -> list[Path]:
    """The ``.sql`` files below ``folder`` that no changelog of the tree names."""
    named = {p.resolve() for p in listed}
    return sorted(p for p in folder.rglob("*.sql") if p.is_file() and p.resolve() not in named)
