"""Runner and transaction traps: statements the runner's transaction or D1 turns against the file.

What a runner does with a file is in :mod:`migration_harness.sets.targets` (``wrapped``,
foreign keys, D1): these rules read it from the context and never guess.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

import sqlglot
from sqlglot import exp

from migration_harness.lint.cleared import cleared_first, emptied_first
from migration_harness.lint.context import FileContext, Parsed, parse
from migration_harness.lint.hits import Hit, Rule, offset_of
from migration_harness.lint.repointed import merges_duplicates, repointed_first
from migration_harness.lint.shapes import dropped, name_of, table_in, written_values
from migration_harness.lint.storage import copies
from migration_harness.schema.records import ForeignKey
from migration_harness.sets import parsing
from migration_harness.sets.sql import breaks_wrap
from migration_harness.sets.tokens import tokens


def pragma_foreign_keys_ignored(context: FileContext) -> Iterator[Hit]:
    """``PRAGMA foreign_keys = …`` the runner's transaction (or D1) ignores, where it matters.

    The same analysis as ``check``'s ``runner_conflict``
    (:func:`~migration_harness.sets.fkpragmas.ignored_pragmas`): a pragma asking for the
    value already in effect changes nothing, and an ``ON`` where keys stay off that nothing
    after it depends on (drizzle-kit's trailing pragma) is the no-op ``check`` notes
    (MH108), not a trap.
    """
    if not (context.wrapped or context.target.d1):
        return
    by_statement = {id(p.statement): p for p in context.statements}
    for ignored in context.ignored_pragmas:
        if ignored.restores_on and ignored.inert:
            continue
        why = (
            "D1 ignores it and always enforces foreign keys"
            if context.target.d1
            else f"SQLite ignores it inside the transaction {context.target.name} opens"
        )
        yield Hit(
            "pragma-foreign-keys-ignored",
            by_statement[id(ignored.statement)],
            f"foreign keys stay {'on' if ignored.in_effect else 'off'} while the file runs: {why}",
        )


def rebuild_cascade(context: FileContext) -> Iterator[Hit]:
    """DROP TABLE of a parent with ON DELETE CASCADE/SET NULL children, keys on.

    A child the file itself drops next (without reading it first), or refills afterwards
    from a backup of its own rows (karakeep 0084: ``CREATE TEMPORARY TABLE _backup AS
    SELECT * FROM child`` … ``INSERT INTO child SELECT * FROM _backup``), loses nothing to
    the cascade that the file does not say.
    """
    for at, parsed, node, name in _keyed_drops(context):
        children = [
            fk
            for t in parsed.before.tables.values()
            for fk in t.foreign_keys
            if fk.other_table.lower() == name
            and t.name.lower() != name
            and fk.on_delete in ("CASCADE", "SET NULL")
            and not _settled_later(context, at, fk.table.lower())
            and not _keys_all_null(context, at, fk)
        ]
        if children:
            fk = children[0]
            action = "deleted" if fk.on_delete == "CASCADE" else "set to NULL"
            yield Hit(
                "rebuild-cascade",
                parsed,
                f"rows of {fk.table} are {action} when {name} is dropped: ON DELETE "
                f"{fk.on_delete} fires because foreign keys are on under "
                f"{context.target.name}",
                offset_of(node, parsed),
            )
    yield from _kept_aside_cascade(context)


def _kept_aside_cascade(context: FileContext) -> Iterator[Hit]:
    """A table kept aside for a parent's rebuild, whose emptying cascades into its children.

    Under a runner that keeps the keys on in its transaction, a rebuild of a parent keeps
    the children's rows aside (``CREATE TABLE keep AS SELECT * FROM tickets; DELETE FROM
    tickets``) and puts them back after the swap (:func:`~migration_harness.lint.cleared.
    emptied_first`). The ``DELETE`` is a delete like any other: ON DELETE CASCADE (SET
    NULL) of the kept table's own children fires, and putting the rows back brings none
    of theirs back, unless the file keeps those aside too.
    """
    for at, parsed in enumerate(context.statements):
        tree = parsed.tree_if("DELETE")
        if not isinstance(tree, exp.Delete) or tree.args.get("where") is not None:
            continue
        name = name_of(tree.this)
        if not context.keys_on(parsed) or table_in(context.before, name) is None:
            continue
        if not context.holds_rows(name) or not _settled_later(context, at, name):
            continue
        children = [
            fk
            for t in parsed.before.tables.values()
            for fk in t.foreign_keys
            if fk.other_table.lower() == name
            and t.name.lower() != name
            and fk.on_delete in ("CASCADE", "SET NULL")
            and context.holds_rows(t.name)
            and not _settled_later(context, at, fk.table.lower())
        ]
        if children:
            fk = children[0]
            action = "deleted" if fk.on_delete == "CASCADE" else "set to NULL"
            yield Hit(
                "rebuild-cascade",
                parsed,
                f"rows of {fk.table} are {action} when {name} is emptied to be put back: ON "
                f"DELETE {fk.on_delete} fires because foreign keys are on under "
                f"{context.target.name}, and putting {name} back restores none of them",
                offset_of(tree.this, parsed),
            )


def drop_parent_refused(context: FileContext) -> Iterator[Hit]:
    """DROP TABLE of a parent whose NO ACTION or RESTRICT children hold rows, keys on.

    With keys on, ``DROP TABLE`` first deletes every row, and an immediate key of a child
    that still points at one fails the statement ('FOREIGN KEY constraint failed',
    sqlite.org/foreignkeys.html#fk_schemacommands): a rebuild that drops the old parent
    before renaming the copy in fails on every database whose children hold a row, and
    applies on every empty test database. ``PRAGMA defer_foreign_keys = ON`` earlier in the
    file (D1's and Prisma's way) moves the NO ACTION check to the commit; it turns
    RESTRICT's immediate action off as well (SQLite's fkey.c, ``fkActionTrigger``: no
    RESTRICT action while ``SQLITE_DeferFKs`` is set). The deferred check is a counter,
    though: the DROP adds one for each child row, and renaming the copy in takes none away,
    so the commit still fails ('FOREIGN KEY constraint failed', sqlite3 3.40 and D1 alike)
    unless ``PRAGMA defer_foreign_keys = OFF`` after the DROP and before the transaction
    ends resets it (pragma.c: ``nDeferredImmCons = 0``; Cloudflare's rebuild recipe turns
    it off at the end): :func:`_released`. Keys declared ``DEFERRABLE INITIALLY
    DEFERRED`` are left alone, as are children the file created and children it emptied
    before the DROP (rows kept aside and put back, :func:`emptied_first`).
    """
    for at, parsed, node, name in _keyed_drops(context):
        held = _deferred(context, at)
        deferred = held and _released(context, at)
        why = (
            "PRAGMA defer_foreign_keys = ON moves the check to the commit, and no OFF "
            "after the DROP clears the violations it counted"
            if held
            else "nothing defers the check"
        )
        for child in parsed.before.tables.values():
            refusing = [
                fk
                for fk in child.foreign_keys
                if fk.other_table.lower() == name
                and child.name.lower() != name
                and fk.on_delete in ("RESTRICT", "NO ACTION")
                and not deferred
            ]
            old = table_in(context.before, child.name)
            if not refusing or old is None or not context.holds_rows(child.name):
                continue
            if _deferrable(child.sql) or emptied_first(context, parsed, child.name):
                continue
            fk = refusing[0]
            yield Hit(
                "drop-parent-refused",
                parsed,
                f"the migration fails with 'FOREIGN KEY constraint failed' as soon as "
                f"{child.name} holds a row: DROP TABLE {name} deletes every row first, and "
                f"{fk.describe()} ON DELETE {fk.on_delete} refuses it while foreign keys are on "
                f"under {context.target.name} ({why})",
                offset_of(node, parsed),
            )
            break


def _keyed_drops(context: FileContext) -> Iterator[tuple[int, Parsed, exp.Expr, str]]:
    """Each DROP TABLE run with keys on of a table from before the file.

    ``(position, statement, node, name)``; a table renamed to the name in the file counts.
    """
    for at, parsed in enumerate(context.statements):
        node = dropped(parsed.tree_if("DROP"))
        if node is None or not context.keys_on(parsed):
            continue
        name = name_of(node)
        if table_in(context.before, name) is not None or _renamed(context, name):
            yield at, parsed, node, name


def _deferred(context: FileContext, at: int) -> bool:
    """Whether the last ``PRAGMA defer_foreign_keys`` before statement ``at`` turned it on."""
    on = False
    for parsed in context.statements[:at]:
        pragma = parsed.statement.pragma
        if pragma is not None and pragma[0] == "defer_foreign_keys":
            on = (pragma[1] or "").lower() in ("on", "1", "true", "yes")
    return on


def _released(context: FileContext, at: int) -> bool:
    """Whether ``PRAGMA defer_foreign_keys = OFF`` follows statement ``at`` in its transaction.

    Turning the pragma off resets SQLite's count of deferred violations, so the commit
    after a rebuild that dropped the parent and renamed the copy in passes. The OFF must
    run before the transaction holding the DROP ends (its COMMIT, END or ROLLBACK; the
    runner's commit after the file's last statement); a DROP run outside any transaction
    commits at once, with the count in place.
    """
    if not context.open_at[at]:
        return False
    for parsed in context.statements[at + 1 :]:
        statement = parsed.statement
        pragma = statement.pragma
        if pragma is not None and pragma[0] == "defer_foreign_keys":
            if (pragma[1] or "").lower() in ("off", "0", "false", "no"):
                return True
        elif statement.is_transaction_control and statement.keywords[0] in (
            "COMMIT",
            "END",
            "ROLLBACK",
        ):
            return False
    return False


def _deferrable(sql: str) -> bool:
    """Whether a table's definition declares a key DEFERRABLE INITIALLY DEFERRED (tokens)."""
    words = [t.word for t in tokens(sql) or ()]
    return any(
        words[i : i + 3] == ["DEFERRABLE", "INITIALLY", "DEFERRED"] for i in range(len(words))
    )


def _keys_all_null(context: FileContext, at: int, fk: ForeignKey) -> bool:
    """Whether the child, made by this file, can hold no row pointing at the dropped parent.

    alook 0068 rebuilds a table with a self-referencing ``ON DELETE CASCADE`` key: the new
    table's key resolves to the old table while it is dropped, so the file fills the new
    table with that key NULL and restores it after the swap. True when the file created
    the child and every statement before the ``DROP`` that writes it is an ``INSERT …
    SELECT`` putting a literal NULL in each column of the key.
    """
    child = fk.table.lower()
    if table_in(context.before, child) is not None:
        return False  # rows from before the file may point anywhere
    wrote = False
    for parsed in context.statements[:at]:
        tree = parsed.tree_if("INSERT", "REPLACE", "UPDATE")
        if isinstance(tree, exp.Update) and name_of(tree.this) == child:
            return False
        if not isinstance(tree, exp.Insert) or name_of(tree.this) != child:
            continue
        wrote = True
        # a column list is needed: a column left out gets its DEFAULT, which could be anything
        values = written_values(tree) or {}
        if not all(isinstance(values.get(c.lower()), exp.Null) for c in fk.columns):
            return False
    return wrote


def _settled_later(context: FileContext, at: int, child: str) -> bool:
    """Whether the file, after statement ``at``, drops ``child`` unread or refills it.

    Dropped unread: the next statement that names the child is its ``DROP TABLE``.
    Refilled: a later copy into the child reads storage that carries its original rows.
    """
    later = context.statements[at + 1 :]
    for parsed in later:
        tree = parsed.tree
        if tree is None or not any(name_of(t) == child for t in tree.find_all(exp.Table)):
            continue
        if dropped(parsed.tree_if("DROP")) is not None:
            return True
        break
    ids = {id(p) for p in later}
    return any(
        id(copy.parsed) in ids and copy.target == child and child in copy.source_origins
        for copy in copies(context)
    )


def orphaning_delete(context: FileContext) -> Iterator[Hit]:
    """DELETE from a parent table while foreign keys are off: its children keep the ids."""
    for parsed in context.statements:
        tree = parsed.tree_if("DELETE")
        if not isinstance(tree, exp.Delete) or context.keys_on(parsed):
            continue
        name = name_of(tree.this)
        children = sorted(
            t.name
            for t in parsed.before.tables.values()
            if t.name.lower() != name
            and any(fk.other_table.lower() == name for fk in t.foreign_keys)
            and t.name.lower() not in _spared(tree, t.foreign_keys, name)
            and not cleared_first(context, parsed, t, name)
            and not repointed_first(context, parsed, t.name, name)
        )
        if children:
            yield Hit(
                "orphaning-delete",
                parsed,
                f"rows of {', '.join(children)} are left pointing at deleted {name} rows: "
                f"foreign keys are off under {context.target.name} here, so no ON DELETE "
                "action runs and nothing refuses the delete",
                offset_of(tree.this, parsed),
            )


def merge_cascades(context: FileContext) -> Iterator[Hit]:
    """A dedupe DELETE under keys on whose ON DELETE action takes the duplicates' children.

    ``DELETE FROM users WHERE id NOT IN (SELECT min(id) FROM users GROUP BY lower(email))``
    merges duplicate accounts; with keys on (D1, sqlx, a keys-on DSN), ``ON DELETE
    CASCADE`` deletes the posts of every account merged away (``SET NULL`` unlinks them)
    instead of moving them to the account that stays. The file applies and every test
    database without duplicates shows nothing. Quiet where the file first moved the
    children to the kept row, or deleted them itself (its word); a DELETE that removes
    every row alike or none (a filter, not a merge) is ``check``'s declared cascade.
    """
    for parsed in context.statements:
        tree = parsed.tree_if("DELETE")
        if not isinstance(tree, exp.Delete) or not context.keys_on(parsed):
            continue
        name = name_of(tree.this)
        parent = table_in(parsed.before, name)
        if parent is None or not context.holds_rows(name):
            continue
        children = [
            (t, fk)
            for t in parsed.before.tables.values()
            for fk in t.foreign_keys
            if t.name.lower() != name
            and fk.other_table.lower() == name
            and fk.on_delete in ("CASCADE", "SET NULL", "SET DEFAULT")
            and not cleared_first(context, parsed, t, name)
            and not repointed_first(context, parsed, t.name, name)
        ]
        if children and merges_duplicates(parent, parsed):
            table, fk = children[0]
            action = "deletes" if fk.on_delete == "CASCADE" else "unlinks"
            yield Hit(
                "merge-cascades",
                parsed,
                f"the DELETE merges duplicate {name} rows, and ON DELETE {fk.on_delete} "
                f"{action} the {table.name} rows of every row it removes: they are not moved "
                f"to the {name} row that stays",
                offset_of(tree.this, parsed),
            )


def replace_cascades(context: FileContext) -> Iterator[Hit]:
    """INSERT OR REPLACE into a parent with ON DELETE CASCADE/SET NULL children, keys on.

    REPLACE resolves a conflict by deleting the row already there and inserting the new
    one: with keys on, the delete runs the children's ON DELETE action, so a seed that
    "upserts" an artist that production already has deletes its albums (or unlinks
    them). ``INSERT … ON CONFLICT DO UPDATE`` changes the row in place and fires nothing.
    A table the file created, or no application wrote to yet, has no row to replace.
    """
    for parsed in context.statements:
        tree = _replacing(parsed.words, parsed.sql)
        if tree is None or not context.keys_on(parsed):
            continue
        name = name_of(tree.this)
        if table_in(context.before, name) is None or not context.holds_rows(name):
            continue
        children = [
            fk
            for t in parsed.before.tables.values()
            for fk in t.foreign_keys
            if fk.other_table.lower() == name and fk.on_delete in ("CASCADE", "SET NULL")
        ]
        if children:
            fk = children[0]
            action = "deleted" if fk.on_delete == "CASCADE" else "set to NULL"
            yield Hit(
                "replace-cascades",
                parsed,
                f"rows of {fk.table} are {action} when this REPLACE meets a row of {name} "
                f"that is already there: it deletes that row first, and ON DELETE "
                f"{fk.on_delete} fires because foreign keys are on under {context.target.name}",
                offset_of(tree.this, parsed),
            )


def _replacing(words: tuple[str, ...], sql: str) -> exp.Insert | None:
    """The INSERT tree of an ``INSERT OR REPLACE`` or ``REPLACE INTO`` statement.

    sqlglot reads ``REPLACE INTO t …`` as an opaque command: it is read as the
    ``INSERT OR REPLACE INTO t …`` SQLite takes it for.
    """
    if words[:1] == ("REPLACE",):
        tree = parse(f"INSERT OR {sql}")
    elif words[:1] == ("INSERT",) and words[1:2] == ("OR",):
        tree = parse(sql)
    else:
        return None
    if isinstance(tree, exp.Insert) and str(tree.args.get("alternative")).upper() == "REPLACE":
        return tree
    return None


def _spared(tree: exp.Delete, fks: Sequence[ForeignKey], parent: str) -> set[str]:
    """Children whose rows the DELETE's WHERE keeps it from touching.

    A top-level ``AND`` term ``NOT EXISTS (SELECT … FROM child WHERE child.fk = …)`` or
    ``id NOT IN (SELECT fk FROM child)`` deletes only parents no child row points at, so
    none is orphaned. The subquery must name a column of the child's key to the parent.
    So does the anti-join ``id IN (SELECT p.id FROM parent p LEFT JOIN child c ON c.fk =
    p.id WHERE c.fk IS NULL)`` (:func:`_anti_joined`).
    """
    where = tree.args.get("where")
    if not isinstance(where, exp.Where):
        return set()
    spared: set[str] = set()
    for term in where.this.flatten() if isinstance(where.this, exp.And) else (where.this,):
        spared |= _anti_joined(term, fks, parent)
        inner = term.this if isinstance(term, exp.Not) else None
        query = inner.this if isinstance(inner, exp.Exists) else None
        if isinstance(inner, exp.In) and isinstance(inner.args.get("query"), exp.Expr):
            query = inner.args["query"]
            query = query.this if isinstance(query, exp.Subquery) else query
        if not isinstance(query, exp.Select) or query.args.get("from_") is None:
            continue
        child = name_of(query.args["from_"].this)
        named = {c.name.lower() for c in query.find_all(exp.Column)}
        if any(
            fk.other_table.lower() == parent and {c.lower() for c in fk.columns} & named
            for fk in fks
        ):
            spared.add(child)
    return spared


def _anti_joined(term: exp.Expr, fks: Sequence[ForeignKey], parent: str) -> set[str]:
    """The children an ``IN`` over a LEFT JOIN anti-join of ``parent`` keeps untouched.

    ``id IN (SELECT p.id FROM parent p LEFT JOIN child c ON c.fk = p.id WHERE c.fk IS
    NULL)`` selects the parents no child row points at: a matched row holds a non-NULL
    ``c.fk`` (it equals the parent's key), so ``IS NULL`` keeps only the unmatched. The
    join's ON must compare the child's key columns, and the WHERE (a top-level ``AND``
    term) ask one of them IS NULL.
    """
    query = term.args.get("query") if isinstance(term, exp.In) else None
    query = query.this if isinstance(query, exp.Subquery) else query
    if not isinstance(query, exp.Select) or query.args.get("from_") is None:
        return set()
    if name_of(query.args["from_"].this) != parent or query.args.get("where") is None:
        return set()
    condition = query.args["where"].this
    nulls = {
        (c.table.lower(), c.name.lower())
        for t in (condition.flatten() if isinstance(condition, exp.And) else (condition,))
        if isinstance(t, exp.Is)
        and isinstance(t.expression, exp.Null)
        and isinstance(c := t.this, exp.Column)
    }
    spared: set[str] = set()
    for join in query.args.get("joins") or ():
        on = join.args.get("on")
        if str(join.args.get("side") or "").upper() != "LEFT" or on is None:
            continue
        child, alias = name_of(join.this), str(join.this.alias_or_name).lower()
        compared = {c.name.lower() for c in on.find_all(exp.Column) if c.table.lower() == alias}
        for fk in fks:
            key = {c.lower() for c in fk.columns}
            if (
                fk.other_table.lower() == parent
                and key <= compared
                and {(alias, c) for c in key} & nulls
            ):
                spared.add(child)
    return spared


def _renamed(context: FileContext, name: str) -> bool:
    """Whether a table existing before the file was renamed to ``name`` in it."""
    for parsed in context.statements:
        tree = parsed.tree_if("ALTER")
        if isinstance(tree, exp.Alter) and table_in(context.before, name_of(tree.this)):
            for action in tree.args.get("actions") or ():
                if isinstance(action, exp.AlterRename) and name_of(action.this) == name:
                    return True
    return False


def transaction_statement(context: FileContext) -> Iterator[Hit]:
    """A transaction statement that fails, or ends the file outside the runner's transaction.

    On D1 every one is refused. Under a runner that wraps the file, the statements run in
    order against the runner's open transaction (:attr:`FileContext.open_at`): ``BEGIN``
    while one is open and ``COMMIT`` while none is fail; ``ROLLBACK`` undoes the runner's
    work; a file that commits and never begins again leaves the runner's own ``COMMIT``
    nothing to commit, and it fails. A file that commits the runner's transaction and
    begins a new one (drizzle's hand-over around ``PRAGMA foreign_keys``) runs.
    """
    if not (context.wrapped or context.target.d1):
        return
    last = None  # the COMMIT that ended the runner's transaction, unless a BEGIN followed
    for parsed, in_transaction in zip(context.statements, context.open_at, strict=True):
        if not parsed.statement.is_transaction_control:
            continue
        word = parsed.words[0]
        if context.target.d1:
            why = "D1 refuses SQL transaction statements (wrangler removes only "
            why += "'BEGIN TRANSACTION;' and the first 'COMMIT;')"
            yield Hit("transaction-statement", parsed, f"the migration fails at {word}: {why}")
            continue
        if breaks_wrap(parsed.statement, in_transaction):
            why = _failure(word, in_transaction, context.target.name)
            yield Hit("transaction-statement", parsed, why)
            return  # the runner stops at the first failure
        if word in ("COMMIT", "END", "BEGIN"):  # savepoints leave the state alone
            last = parsed if word != "BEGIN" else None
    if last is not None:
        yield Hit(
            "transaction-statement",
            last,
            f"the migration fails after its last statement: the file ends the transaction "
            f"{context.target.name} opened, so the runner's own COMMIT finds none ('cannot "
            "commit - no transaction is active'): end the file with BEGIN",
        )


def _failure(word: str, in_transaction: bool, runner: str) -> str:
    """Why a statement :func:`breaks_wrap` judged breaking fails, or undoes the runner's work."""
    if word == "BEGIN":
        return f"the migration fails at BEGIN: {runner} already runs the file in a transaction"
    if word in ("COMMIT", "END") or not in_transaction:
        return f"the migration fails at {word}: no transaction is open here"
    return (
        f"ROLLBACK undoes everything {runner} ran in its transaction so far, and the "
        "runner's own COMMIT then fails ('cannot commit - no transaction is active')"
    )


def rename_referenced_table(context: FileContext) -> Iterator[Hit]:
    """``ALTER TABLE … RENAME TO`` renaming away a table that views or triggers name.

    Away: the file then creates a table under the old name or drops the renamed one (the
    rebuild that renames the old table aside). A plain rename keeps the table, and its
    views and triggers following it is what the rename means (``orders`` to ``purchases``).
    """
    for at, parsed in enumerate(context.statements):
        tree = parsed.tree_if("ALTER")
        if not isinstance(tree, exp.Alter):
            continue
        renames = [a for a in tree.args.get("actions") or () if isinstance(a, exp.AlterRename)]
        if not renames:
            continue
        name = name_of(tree.this)
        if not _renamed_away(context.statements[at + 1 :], name, name_of(renames[0].this)):
            continue
        users = [v.name for v in parsed.before.views if name in _tables_named(v.sql)]
        users += [
            t.name
            for t in parsed.before.triggers
            if t.table.lower() == name or name in _tables_named(t.sql)
        ]
        if users:
            yield Hit(
                "rename-referenced-table",
                parsed,
                f"{', '.join(users)} follow {name} to its new name: SQLite rewrites views and "
                "triggers on RENAME, so a rebuild that renames the old table away leaves "
                "them on the copy it then drops",
                offset_of(tree.this, parsed),
            )


def _renamed_away(later: Sequence[Parsed], old: str, new: str) -> bool:
    """Whether ``later`` statements create a table named ``old`` or drop ``new``."""
    for parsed in later:
        tree = parsed.tree_if("CREATE", "DROP")
        if isinstance(tree, exp.Create) and str(tree.args.get("kind")).upper() == "TABLE":
            if name_of(tree.this) == old:
                return True
        elif name_of(dropped(tree)) == new:
            return True
    return False


@functools.lru_cache(maxsize=1024)
def _tables_named(sql: str) -> frozenset[str]:
    """Lower-cased names of the tables a view's or trigger's SQL reads or writes."""
    try:
        tree = parsing.parse_one(sql)
    except sqlglot.errors.SqlglotError:
        return frozenset()
    return frozenset(name_of(t) for t in tree.find_all(exp.Table))


def vacuum_in_transaction(context: FileContext) -> Iterator[Hit]:
    """VACUUM in a file the runner wraps (D1's refusal is its own rule)."""
    if not context.wrapped or context.target.d1:
        return
    for parsed in context.statements:
        if parsed.words[:1] == ("VACUUM",):
            yield Hit(
                "vacuum-in-transaction",
                parsed,
                f"the migration fails at VACUUM: SQLite cannot VACUUM inside the transaction "
                f"{context.target.name} runs the file in",
            )


def runner_refuses(context: FileContext) -> Iterator[Hit]:
    """A file the runner refuses before it runs anything: it fails on every database.

    ``statements_for`` keeps the target's refusal (drizzle's better-sqlite3 refusing a
    ``--> statement-breakpoint`` piece of two statements, Flyway refusing a PRAGMA beside
    other statements without ``mixed``, sqitch's missing script), and lints the file as
    SQLite splits it; no rule read it, so only ``check`` said the file fails. D1's
    refusals have rules of their own (transaction statements, VACUUM, its limits, the
    unterminated last statement).
    """
    refusal = context.refused
    if refusal is None or context.target.d1 or not context.statements:
        return
    line = refusal.statement.line
    at = next(
        (p for p in reversed(context.statements) if p.statement.line <= line),
        context.statements[0],
    )
    yield Hit(
        "statement-fails",
        at,
        f"the migration fails on every database: {context.target.name} refuses the file at "
        f"line {line}: {refusal.reason}",
    )


def runner_skips_statements(context: FileContext) -> Iterator[Hit]:
    """Statements of the file its runner never runs, without an error.

    The target says what it leaves out (:meth:`~migration_harness.sets.targets.Target.
    skipped`): node-sqlite3 under postgrator's ``execQuery`` runs a file's first statement
    only, crystal-sqlite3 under micrate a chunk's first, Xerial under Liquibase a piece's
    first, liamstask goose drops unterminated text. The rules below see only what runs, so
    this is the one that names the rest. Pointed at the last statement that does run.
    """
    if context.is_up:
        sql, options = context.migration.up_sql, context.migration.up_options
    else:
        sql, options = context.migration.down_sql or "", context.migration.down_options
    said = context.target.skipped(sql, options)
    if said is None or not context.statements:
        return
    yield Hit(
        "runner-skips-statements",
        context.statements[-1],
        f"part of the file never runs, and {context.target.name} reports success: {said}",
    )


RULES: tuple[Rule, ...] = (
    runner_refuses,
    runner_skips_statements,
    pragma_foreign_keys_ignored,
    rebuild_cascade,
    drop_parent_refused,
    orphaning_delete,
    merge_cascades,
    replace_cascades,
    transaction_statement,
    rename_referenced_table,
    vacuum_in_transaction,
)
