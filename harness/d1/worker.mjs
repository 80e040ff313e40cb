// The Worker that runs inside workerd next to the D1 binding: one HTTP request per migration
// file does "make D1 hold this state, run this batch, read the state back", so the Python
// side pays one loopback round trip per file instead of one per statement.
//
// Request (JSON): {reset: [sql], push: [sql], statements: [sql], pull: bool, probe: bool}
// Response (JSON): {ok: true, state?} or {ok: false, stage, error, index?}

const SENTINEL = "SELECT * FROM __migration_harness_probe__";

function message(error) {
  const text = String(error && error.message ? error.message : error);
  return text.replace(/^D1_ERROR: /, "");
}

async function batch(db, sqls) {
  if (sqls.length === 0) return [];
  return db.batch(sqls.map((sql) => db.prepare(sql)));
}

// A failed batch rolls back whole and D1 does not say which statement failed: find it by
// bisecting prefixes, each ending in a statement that always fails, so no probe commits.
// Returns sqls.length when every statement passes alone: the commit failed (deferred keys).
async function failingIndex(db, sqls) {
  let lo = 0;
  let hi = sqls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    let fails = false;
    try {
      await batch(db, [...sqls.slice(0, mid + 1), SENTINEL]);
    } catch (error) {
      fails = !message(error).includes("__migration_harness_probe__");
    }
    if (fails) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function quoted(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

// The whole user-visible state, every value as an SQL literal (quote()): exact integers
// beyond 2^53, BLOBs as X'..', REALs that round-trip. _cf_ objects belong to D1.
async function pull(db) {
  const objects = await db
    .prepare(
      "SELECT m.type, m.name, m.tbl_name, m.sql, coalesce(l.type, '') AS kind, " +
        "coalesce(l.wr, 0) AS wr FROM sqlite_master m " +
        "LEFT JOIN pragma_table_list l ON l.schema = 'main' AND l.name = m.name " +
        "WHERE m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND m.sql IS NOT NULL ORDER BY m.rowid",
    )
    .all();
  const tables = objects.results.filter(
    (o) => o.type === "table" && o.kind !== "shadow" && !o.name.startsWith("sqlite_stat"),
  );
  const columns = await batch(
    db,
    tables.map((t) => `SELECT name, hidden FROM pragma_table_xinfo(${sqlString(t.name)})`),
  );
  const reads = [];
  const shapes = [];
  tables.forEach((t, i) => {
    const names = columns[i].results.filter((c) => c.hidden === 0 || c.hidden === 1);
    const cols = names.map((c) => c.name);
    const rowid = t.wr === 0 && t.kind === "table" && t.name !== "sqlite_sequence";
    const exprs = [...(rowid ? ["quote(_rowid_)"] : []), ...cols.map((c) => `quote(${quoted(c)})`)];
    shapes.push({ name: t.name, rowid, columns: cols });
    reads.push(`SELECT ${exprs.join(", ")} FROM ${quoted(t.name)}`);
  });
  const rows = await Promise.all(reads.map((sql) => db.prepare(sql).raw()));
  return {
    objects: objects.results.map((o) => ({
      type: o.type,
      name: o.name,
      tbl_name: o.tbl_name,
      sql: o.sql,
      kind: o.kind,
    })),
    tables: shapes.map((s, i) => ({ ...s, rows: rows[i] })),
  };
}

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// Drop every object (D1's own _cf_ ones excepted) so the push starts from an empty
// database. Tables go children first: dropping a parent runs its ON DELETE actions in
// children, which fail when another parent of theirs is already gone.
async function resetStatements(db) {
  const { results } = await db
    .prepare(
      "SELECT m.type, m.name, coalesce(l.type, '') AS kind FROM sqlite_master m " +
        "LEFT JOIN pragma_table_list l ON l.schema = 'main' AND l.name = m.name " +
        "WHERE m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " +
        "AND m.type IN ('table', 'view', 'trigger')",
    )
    .all();
  const tables = results.filter((o) => o.type === "table" && o.kind !== "shadow").map((o) => o.name);
  const edges = tables.length
    ? (
        await db
          .prepare(
            "SELECT m.name AS child, f.\"table\" AS parent FROM sqlite_master m " +
              "JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' " +
              "AND m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
          )
          .all()
      ).results
    : [];
  const remaining = new Set(tables);
  const order = [];
  while (remaining.size) {
    const parents = new Set(
      edges
        .filter((e) => remaining.has(e.child) && e.child.toLowerCase() !== e.parent.toLowerCase())
        .map((e) => e.parent.toLowerCase()),
    );
    const leaves = [...remaining].filter((t) => !parents.has(t.toLowerCase()));
    const next = leaves.length ? leaves : [remaining.values().next().value]; // a cycle
    for (const t of next) {
      order.push(t);
      remaining.delete(t);
    }
  }
  return [
    "PRAGMA defer_foreign_keys = ON",
    ...results.filter((o) => o.type === "trigger").map((o) => `DROP TRIGGER IF EXISTS ${quoted(o.name)}`),
    ...results.filter((o) => o.type === "view").map((o) => `DROP VIEW IF EXISTS ${quoted(o.name)}`),
    ...order.map((t) => `DROP TABLE IF EXISTS ${quoted(t)}`),
    "PRAGMA defer_foreign_keys = OFF",
  ];
}

async function handle(body, db) {
  try {
    if (body.reset) await batch(db, await resetStatements(db));
  } catch (error) {
    return { ok: false, stage: "reset", error: message(error) };
  }
  try {
    await batch(db, body.push || []);
  } catch (error) {
    return { ok: false, stage: "push", error: message(error) };
  }
  const statements = body.statements || [];
  try {
    await batch(db, statements);
  } catch (error) {
    const index = body.probe ? await failingIndex(db, statements) : null;
    return { ok: false, stage: "run", error: message(error), index };
  }
  return { ok: true, state: body.pull ? await pull(db) : null };
}

export default {
  async fetch(request, env) {
    const body = await request.json();
    let result;
    try {
      result = await handle(body, env.DB);
    } catch (error) {
      result = { ok: false, stage: "internal", error: message(error) };
    }
    return new Response(JSON.stringify(result), { headers: { "content-type": "application/json" } });
  },
};
