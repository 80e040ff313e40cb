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

// A statement is SQL text, or {sql, params} when it binds REALs (see mirror.py).
async function batch(db, sqls) {
  if (sqls.length === 0) return [];
  return db.batch(
    sqls.map((s) => (typeof s === "string" ? db.prepare(s) : db.prepare(s.sql).bind(...s.params))),
  );
}

// REALs travel as JSON numbers (exact both ways); quote() text would be parsed again by
// each side's SQLite, and those parsers round differently. Everything else is a literal.
function value(expr) {
  return `CASE typeof(${expr}) WHEN 'real' THEN ${expr} ELSE quote(${expr}) END`;
}

function finite(v) {
  if (typeof v !== "number" || Number.isFinite(v)) return v;
  return v > 0 ? "9e999" : "-9e999";
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

const OBJECTS =
  "SELECT m.type, m.name, m.tbl_name, m.sql, coalesce(l.type, '') AS kind, " +
  "coalesce(l.wr, 0) AS wr FROM sqlite_master m " +
  "LEFT JOIN pragma_table_list l ON l.schema = 'main' AND l.name = m.name " +
  "WHERE m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND m.sql IS NOT NULL ORDER BY m.rowid";
const COLUMNS =
  "SELECT m.name AS tbl, p.name AS name, p.hidden AS hidden FROM sqlite_master m " +
  "JOIN pragma_table_xinfo(m.name) p WHERE m.type = 'table' " +
  "AND m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\' ORDER BY m.rowid, p.cid";

// The whole user-visible state, every value as an SQL literal (quote()): exact integers
// beyond 2^53, BLOBs as X'..', REALs that round-trip. _cf_ objects belong to D1.
// Two batches whatever the schema's size: each D1 call is a round trip into the object.
async function pull(db) {
  const [objects, columns] = await batch(db, [OBJECTS, COLUMNS]);
  const tables = objects.results.filter(
    (o) => o.type === "table" && o.kind !== "shadow" && !o.name.startsWith("sqlite_stat"),
  );
  const byTable = new Map();
  for (const c of columns.results) {
    // generated columns (2, 3) are not stored; a virtual table's hidden ones (1: FTS5's
    // command column and rank) take commands, not values: its rows go back through rowid
    if (c.hidden !== 0) continue;
    if (!byTable.has(c.tbl)) byTable.set(c.tbl, []);
    byTable.get(c.tbl).push(c.name);
  }
  const shapes = tables.map((t) => ({
    name: t.name,
    rowid: (t.wr === 0 && t.kind === "table" && t.name !== "sqlite_sequence") || t.kind === "virtual",
    columns: byTable.get(t.name) || [],
  }));
  const reads = shapes.map((s) => {
    const exprs = [...(s.rowid ? ["_rowid_"] : []), ...s.columns.map(quoted)];
    return db.prepare(
      `SELECT ${exprs.map((e, i) => `${value(e)} AS c${i}`).join(", ")} FROM ${quoted(s.name)}`,
    );
  });
  const rows = reads.length ? await db.batch(reads) : [];
  return {
    objects: objects.results.map((o) => ({
      type: o.type,
      name: o.name,
      tbl_name: o.tbl_name,
      sql: o.sql,
      kind: o.kind,
    })),
    tables: shapes.map((s, i) => ({
      ...s,
      rows: rows[i].results.map((r) => s.columns.concat(s.rowid ? [null] : []).map((_, j) => finite(r[`c${j}`]))),
    })),
  };
}

function sqlString(text) {
  return `'${text.replaceAll("'", "''")}'`;
}

// Drop every object (D1's own _cf_ ones excepted) so the push starts from an empty
// database. Tables go children first: dropping a parent runs its ON DELETE actions in
// children, which fail when another parent of theirs is already gone.
async function resetStatements(db) {
  const [objects, keys] = await batch(db, [
    "SELECT m.type, m.name, coalesce(l.type, '') AS kind FROM sqlite_master m " +
      "LEFT JOIN pragma_table_list l ON l.schema = 'main' AND l.name = m.name " +
      "WHERE m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' " +
      "AND m.type IN ('table', 'view', 'trigger')",
    "SELECT m.name AS child, f.\"table\" AS parent FROM sqlite_master m " +
      "JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' " +
      "AND m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
  ]);
  const results = objects.results;
  const edges = keys.results;
  const tables = results.filter((o) => o.type === "table" && o.kind !== "shadow").map((o) => o.name);
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
    const reset = body.reset ? await resetStatements(db) : [];
    await batch(db, [...reset, ...(body.push || [])]);
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
