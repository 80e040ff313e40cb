"""Views and triggers a Flyway repeatable migration keeps in every state production reaches.

Flyway runs the pending repeatable (``R__``) files after the versioned ones on every
``migrate``, and ``undo`` never takes them back. So once a set is deployed, the view an
``R__customer_totals.sql`` creates exists beside every version, the ones an undo goes back
to included. The harness builds versions in file order, where the repeatables come last:
version ``V1`` holds no such view, and a ``U2`` undo that drops the view around a rebuild
and creates it again (as it must, since the repeatable does not run again) left a schema
that looked like drift (``view customer_totals is unexpected``, a false MH132 and MH411).

:func:`reference` is the schema a round trip back to version ``k`` must match: version
``k``'s, plus the views and triggers a later repeatable makes, where the schema reached
holds them exactly as the repeatable defines them. A view no repeatable makes, or one whose
definition differs from the repeatable's, is still drift.
"""

from __future__ import annotations

import dataclasses
import weakref

from migration_harness.checks.engine import Engine
from migration_harness.schema.model import Schema
from migration_harness.schema.records import Trigger, View
from migration_harness.sets.repeatables import repeatable_objects

Kept = tuple[tuple[Trigger, ...], tuple[View, ...]]
Made = tuple[tuple[int, frozenset[tuple[str, str]]], ...]
# Per engine and version: the history machine asks at every step.
_KEPT: weakref.WeakKeyDictionary[Engine, dict[int, Kept]] = weakref.WeakKeyDictionary()
# Per engine: each repeatable's version and what it creates, read once for every ``k``.
_MADE: weakref.WeakKeyDictionary[Engine, Made] = weakref.WeakKeyDictionary()


def _made(engine: Engine) -> Made:
    """``(version, objects)`` of each repeatable migration the engine built, in order.

    Most sets have none: then every ``k`` is answered without walking the later versions
    (a long history asked at every step walked them all, k after k).
    """
    found = _MADE.get(engine)
    if found is None:
        found = tuple(
            (r, made)
            for r in range(1, len(engine.versions))
            if (made := repeatable_objects(engine.migrations[r - 1 : r]))
        )
        _MADE[engine] = found
    return found


def kept(engine: Engine, k: int) -> Kept:
    """The triggers and views the repeatable migrations after version ``k`` leave.

    The ones a repeatable's own ``CREATE`` names, as its version holds them: a repeatable
    that drops a view and creates it again as a versioned file left it still makes it.
    """
    known = _KEPT.setdefault(engine, {})
    if k in known:
        return known[k]
    triggers: list[Trigger] = []
    views: list[View] = []
    for r, made in _made(engine):
        if r <= k:
            continue
        after = engine.versions[r].schema
        triggers += [t for t in after.triggers if ("TRIGGER", t.name.lower()) in made]
        views += [v for v in after.views if ("VIEW", v.name.lower()) in made]
    known[k] = (tuple(triggers), tuple(views))
    return known[k]


def reference(engine: Engine, k: int, actual: Schema) -> Schema:
    """Version ``k``'s schema with what later repeatables keep and ``actual`` holds as they do.

    Only objects the version lacks by name are added, so a version's own view that a
    repeatable later replaces is still compared with the version's definition.
    """
    expected = engine.versions[k].schema
    triggers, views = kept(engine, k)
    if not triggers and not views:
        return expected
    names = {t.name.lower() for t in expected.triggers} | {v.name.lower() for v in expected.views}
    more_triggers = [t for t in triggers if t.name.lower() not in names and t in actual.triggers]
    more_views = [v for v in views if v.name.lower() not in names and v in actual.views]
    if not more_triggers and not more_views:
        return expected
    return dataclasses.replace(
        expected,
        triggers=tuple(sorted((*expected.triggers, *more_triggers), key=lambda t: t.name)),
        views=tuple(sorted((*expected.views, *more_views), key=lambda v: v.name)),
    )
