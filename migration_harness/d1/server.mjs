// Hosts one Miniflare (workerd) with a D1 binding for the Python side, on loopback only.
// Prints {"url": ...} on stdout once ready, then serves until stdin closes (the Python
// process exited, cleanly or not) or SIGINT/SIGTERM, and disposes Miniflare on the way out.
//
// Arguments: <node_modules> <worker.mjs> <database_id> [<persist dir>]
// miniflare is resolved from the given node_modules (the checkout's `npm ci`), not from
// this file's location, so an installed package finds it too.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [nodeModules, workerPath, databaseId, persist] = process.argv.slice(2);
const require = createRequire(join(nodeModules, "..", "package.json"));
const { Miniflare } = await import(pathToFileURL(require.resolve("miniflare")).href);
const mf = new Miniflare({
  modules: true,
  script: readFileSync(workerPath, "utf8"),
  d1Databases: { DB: databaseId },
  d1Persist: persist ? persist : false,
  host: "127.0.0.1",
  port: 0,
});

let closing = false;
async function close(code) {
  if (closing) return;
  closing = true;
  try {
    await mf.dispose();
  } finally {
    process.exit(code);
  }
}

process.stdin.on("end", () => close(0));
process.stdin.on("close", () => close(0));
process.on("SIGINT", () => close(130));
process.on("SIGTERM", () => close(143));
process.stdin.resume();

try {
  const url = await mf.ready;
  process.stdout.write(JSON.stringify({ url: url.href }) + "\n");
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error && error.message ? error.message : error) }) + "\n");
  await close(1);
}
