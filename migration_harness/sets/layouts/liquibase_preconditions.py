"""A changeSet's ``preConditions`` where they decide, on SQLite alone, whether it runs.

``<preConditions onFail="MARK_RAN"><dbms type="postgresql"/></preConditions>`` is the usual
guard on a changeSet written for another database: on SQLite the ``dbms`` precondition
fails (``DBMSPrecondition.check``: ``DatabaseList.definitionMatches``), and ``onFail`` says
what Liquibase does then (``ChangeSet.execute``): ``MARK_RAN`` and ``CONTINUE`` skip the
changeSet, ``WARN`` runs it, ``HALT`` (the default) stops the update. Only ``dbms`` can be
judged without a database; a tree holding any other precondition (``tableExists``,
``sqlCheck`` …) is not judged, and the changeSet runs as before.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from migration_harness.errors import BadFileError

# What Liquibase does when a changeSet's preconditions fail and it does not run it.
_SKIPS: Final = frozenset({"MARK_RAN", "CONTINUE"})


@dataclass(frozen=True, slots=True)
class Condition:
    """One precondition node: ``dbms``, a container (``and``/``or``/``not``) or another."""

    kind: str
    attrs: Mapping[str, object]
    children: tuple[Condition, ...] = ()

    @classmethod
    def from_xml(cls, node: ET.Element) -> Condition:
        """An XML ``<preConditions>`` element and what it nests."""
        children = tuple(cls.from_xml(c) for c in node if isinstance(c.tag, str))
        return cls(node.tag.rsplit("}", 1)[-1], dict(node.attrib), children)

    @classmethod
    def from_json(cls, kind: str, value: object) -> Condition:
        """A JSON ``preConditions``: a list whose scalar items are its attributes.

        ``[{"onFail": "MARK_RAN"}, {"dbms": {"type": "postgresql"}}]``, as Liquibase's
        JSON/YAML parser reads it into the same ``ParsedNode`` tree as the XML.
        """
        items = value if isinstance(value, list) else [value]
        attrs: dict[str, object] = {}
        children: list[Condition] = []
        for item in items:
            for key, sub in item.items() if isinstance(item, dict) else ():
                if isinstance(sub, dict | list):
                    children.append(cls.from_json(key, sub))
                else:
                    attrs[key] = sub
        return cls(kind, attrs, tuple(children))

    def holds(self, matches: Callable[[str], bool]) -> bool | None:
        """Whether it holds on SQLite; ``None`` when it holds a precondition not judged.

        ``matches``: whether a ``dbms type`` list takes SQLite.
        """
        if self.kind == "dbms":
            return matches(str(self.attrs.get("type") or ""))
        results = [c.holds(matches) for c in self.children]
        if self.kind in ("preConditions", "and"):
            return False if False in results else None if None in results else True
        if self.kind == "or":
            return True if True in results else None if None in results else False
        if self.kind == "not":  # NotPrecondition: every nested one must fail
            return False if True in results else None if None in results else True
        return None


def left_out(condition: Condition, matches: Callable[[str], bool], where: str) -> str | None:
    """Why Liquibase does not run the changeSet on SQLite (``None``: it runs).

    Args:
        condition: the changeSet's ``preConditions``.
        matches: whether a ``dbms type`` list takes SQLite.
        where: ``file: changeSet author:id``, for the message.

    Raises:
        BadFileError: the preconditions fail on SQLite and ``onFail`` is ``HALT``:
            Liquibase stops the update there.

    """
    if condition.holds(matches) is not False:
        return None
    on_fail = str(condition.attrs.get("onFail") or "HALT").upper()
    if on_fail in _SKIPS:
        return f"has preConditions that fail on sqlite (dbms) with onFail={on_fail}"
    if on_fail == "WARN":
        return None
    message = (
        f"{where}: its preConditions fail on sqlite (dbms) and onFail={on_fail} stops "
        'Liquibase\'s update here (write onFail="MARK_RAN" to skip it)'
    )
    raise BadFileError(message)
