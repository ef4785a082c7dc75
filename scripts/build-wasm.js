#!/usr/bin/env node
/**
 * Compiles the AssemblyScript SIMD kernels asm/kernels.ts to dist/wasm/kernels.wasm with the `assemblyscript`
 * dev dependency (no .wasm is committed). Run from anywhere: `node scripts/build-wasm.js`.
 *
 * Options:
 *   --optional   if the assemblyscript package is not installed, print a warning and exit 0 (the simulator then
 *                uses the pure-TS kernels); compile errors still fail.
 *   --wat        also write dist/wasm/kernels.wat (text format, for inspection).
 */
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");

const root = path.resolve(__dirname, "..");
const entry = path.join(root, "asm", "kernels.ts");
const outDir = path.join(root, "dist", "wasm");
const outFile = path.join(outDir, "kernels.wasm");
const args = process.argv.slice(2);
const optional = args.includes("--optional");
const wat = args.includes("--wat");

async function main() {
  let ascEntry;
  try {
    // assemblyscript is an ES module: resolve its compiler entry, then import() it from this CommonJS script
    ascEntry = require.resolve("assemblyscript/dist/asc.js", { paths: [root] });
  } catch {
    const msg = "build-wasm: the 'assemblyscript' package is not installed (npm install -D assemblyscript)";
    if (optional) {
      console.warn(`${msg}; skipping the WASM kernels (the pure-TS kernels will be used).`);
      return 0;
    }
    console.error(msg);
    return 1;
  }
  const asc = await import(pathToFileURL(ascEntry).href);
  fs.mkdirSync(outDir, { recursive: true });
  const argv = [
    path.relative(root, entry),
    "--outFile",
    path.relative(root, outFile),
    "-O3",
    "--noAssert",
    "--runtime",
    "stub",
    "--enable",
    "simd",
    "--baseDir",
    root,
  ];
  if (wat) argv.push("--textFile", path.relative(root, path.join(outDir, "kernels.wat")));
  const { error, stderr } = await asc.main(argv, {});
  const diag = stderr.toString();
  if (error) {
    console.error(diag);
    console.error(`build-wasm: compilation failed: ${error.message}`);
    return 1;
  }
  if (diag.trim()) console.error(diag);
  const size = fs.statSync(outFile).size;
  // sanity: the binary must validate on this Node (SIMD support)
  if (!WebAssembly.validate(fs.readFileSync(outFile))) {
    console.error(`build-wasm: ${outFile} does not validate on this Node.js`);
    return 1;
  }
  console.log(`build-wasm: wrote ${path.relative(process.cwd(), outFile)} (${size} bytes)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
