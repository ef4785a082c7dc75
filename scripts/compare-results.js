#!/usr/bin/env node
/**
 * The refactoring guard: compares two output folders of `qnn-kd reproduce` (every `results.json` and
 * `claims.json` below them) value for value, bit for bit, with the timing fields left out. A refactor that keeps
 * the numbers gives no difference; any other change is listed by file and JSON path.
 *
 *   node scripts/compare-results.js <before-dir> <after-dir> [--ignore key,key…]
 *
 * Ignored by default (not results): the wall-clock fields elapsedMs, timesSeconds, medianMs, wallSeconds and
 * writtenAt; version (the package version, which a refactor may bump); cached (whether a teacher was trained in this
 * run or read from the cache: the same numbers either way, tested in the Hasan suite). Numbers are compared with Object.is (so 0 and −0 differ, NaN
 * equals NaN). Exit status: 0 when every file matches, 1 when a value differs or a file is missing on one side,
 * 2 for bad arguments.
 */
const fs = require("fs");
const path = require("path");

const DEFAULT_IGNORED = ["elapsedMs", "timesSeconds", "medianMs", "wallSeconds", "writtenAt", "version", "cached"];

function usage(msg) {
  console.error(`${msg}\nusage: node scripts/compare-results.js <before-dir> <after-dir> [--ignore key,key…]`);
  process.exit(2);
}

function resultFiles(root) {
  const out = [];
  for (const entry of fs.readdirSync(root, { recursive: true })) {
    const rel = String(entry);
    if (/(^|[\\/])(results|claims)\.json$/.test(rel) && !rel.split(path.sep).includes("checkpoints")) out.push(rel);
  }
  return out.sort();
}

/** Every difference between `a` and `b` as "path: before → after" lines (at most `limit`). */
function diff(a, b, at, ignored, out, limit) {
  if (out.length >= limit) return;
  if (typeof a === "number" && typeof b === "number") {
    if (!Object.is(a, b)) out.push(`${at}: ${a} → ${b}`);
    return;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    if (a !== b) out.push(`${at}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`);
    return;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    out.push(`${at}: array ↔ object`);
    return;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) out.push(`${at}: ${a.length} → ${b.length} entries`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diff(a[i], b[i], `${at}[${i}]`, ignored, out, limit);
    return;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (ignored.has(k)) continue;
    if (!(k in a)) out.push(`${at}.${k}: only after`);
    else if (!(k in b)) out.push(`${at}.${k}: only before`);
    else diff(a[k], b[k], `${at}.${k}`, ignored, out, limit);
  }
}

function main(argv) {
  const args = argv.slice(2);
  const ignored = new Set(DEFAULT_IGNORED);
  const i = args.indexOf("--ignore");
  if (i >= 0) {
    if (!args[i + 1]) usage("--ignore needs a comma-separated list of keys");
    for (const k of args[i + 1].split(",")) if (k) ignored.add(k);
    args.splice(i, 2);
  }
  if (args.length !== 2) usage(`expected two folders, got ${args.length}`);
  const [before, after] = args;
  for (const d of [before, after]) if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) usage(`not a folder: ${d}`);
  const fa = resultFiles(before);
  const fb = resultFiles(after);
  let bad = 0;
  for (const f of [...new Set([...fa, ...fb])].sort()) {
    if (!fa.includes(f) || !fb.includes(f)) {
      console.log(`${f}: only in ${fa.includes(f) ? "before" : "after"}`);
      bad++;
      continue;
    }
    const out = [];
    diff(
      JSON.parse(fs.readFileSync(path.join(before, f), "utf8")),
      JSON.parse(fs.readFileSync(path.join(after, f), "utf8")),
      "$",
      ignored,
      out,
      20,
    );
    console.log(
      `${f}: ${out.length === 0 ? "identical" : `${out.length}${out.length >= 20 ? "+" : ""} difference(s)`}`,
    );
    for (const line of out) console.log(`  ${line}`);
    if (out.length) bad++;
  }
  console.log(
    bad === 0 ? `all ${fa.length} files identical (ignoring ${[...ignored].join(", ")})` : `${bad} file(s) differ`,
  );
  process.exit(bad === 0 ? 0 : 1);
}

main(process.argv);
