import { afterAll, describe, expect, it } from "vitest";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn, spawnSync } from "child_process";
import { UnitStore, settingsHash, stableJson, DEFAULT_STALE_SECONDS } from "../../src/store/units";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "qnnkd-store-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const here = { host: os.hostname(), pid: process.pid, job: null };
/** A pid that no longer exists: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", "0"]).pid!;

describe("settingsHash", () => {
  it("ignores key order and changes with any value", () => {
    expect(settingsHash({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(settingsHash({ b: { d: "x", c: [1, 2] }, a: 1 }));
    expect(settingsHash({ a: 1, b: 2 })).not.toBe(settingsHash({ a: 1, b: 3 }));
    expect(settingsHash({ a: [1, 2] })).not.toBe(settingsHash({ a: [2, 1] }));
    expect(settingsHash({})).toMatch(/^[0-9a-f]{16}$/);
    expect(stableJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });
});

describe("UnitStore", () => {
  it("writes results atomically into <root>/<experiment>/<hash>/ and reads them back", () => {
    const s = new UnitStore(root, "exp", { seed: 1 }, { owner: here });
    expect(s.folder).toBe(path.join(root, "exp", settingsHash({ seed: 1 })));
    expect(JSON.parse(fs.readFileSync(path.join(s.folder, "settings.json"), "utf8"))).toEqual({
      experiment: "exp",
      settings: { seed: 1 },
    });
    expect(s.has("seed-0")).toBe(false);
    expect(s.read("seed-0")).toBeNull();
    expect(s.state("seed-0")).toBe("missing");
    s.write("seed-0", { rows: [{ a: 1.5 }] });
    expect(s.read("seed-0")).toEqual({ rows: [{ a: 1.5 }] });
    expect(s.state("seed-0")).toBe("done");
    expect(fs.readdirSync(s.folder).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(s.checkpointDir("seed-0")).toBe(path.join(s.folder, "checkpoints", "seed-0"));
  });

  it("gives a unit to one owner at a time, never claims a finished one, and drops the claim on write", () => {
    const a = new UnitStore(root, "exp2", {}, { owner: here });
    const b = new UnitStore(root, "exp2", {}, { owner: { host: os.hostname(), pid: process.ppid, job: "7_1" } });
    expect(a.claim("u")).toBe(true);
    expect(a.state("u")).toBe("running");
    expect(b.claim("u")).toBe(false); // a live process of this host holds it
    expect(a.claimOwner("u")).toMatchObject({ host: os.hostname(), pid: process.pid, job: null });
    b.release("u"); // not b's claim: left alone
    expect(a.state("u")).toBe("running");
    a.write("u", 1);
    expect(fs.existsSync(a.claimFile("u"))).toBe(false);
    expect(b.claim("u")).toBe(false); // done
  });

  it("takes over a claim whose owner on this host is gone", () => {
    const dead = new UnitStore(root, "exp3", {}, { owner: { host: os.hostname(), pid: deadPid(), job: null } });
    expect(dead.claim("u")).toBe(true);
    const s = new UnitStore(root, "exp3", {}, { owner: here });
    expect(s.state("u")).toBe("stale");
    expect(s.claim("u")).toBe(true);
    expect(s.claimOwner("u")!.pid).toBe(process.pid);
  });

  it("puts back a fresh claim that a racer made between its stale check and its take-over", () => {
    const dead = new UnitStore(root, "exp5", {}, { owner: { host: os.hostname(), pid: deadPid(), job: null } });
    expect(dead.claim("u")).toBe(true);
    const fresh = { host: "node-b", pid: 2, job: "9_1", startedAt: new Date().toISOString() };
    // a racer that, right after judging the claim stale, loses the race: another process took the claim over
    class LateRacer extends UnitStore {
      swapped = false;
      override state(unit: string) {
        const s = super.state(unit);
        if (this.swapped) return s;
        this.swapped = true;
        fs.writeFileSync(this.claimFile(unit), JSON.stringify(fresh) + "\n");
        return "stale" as const;
      }
    }
    const late = new LateRacer(root, "exp5", {}, { owner: here });
    expect(late.claim("u")).toBe(false);
    expect(late.claimOwner("u")).toEqual(fresh); // the winner's claim is back in place
    expect(fs.readdirSync(late.folder).filter((f) => f.endsWith(".stale"))).toEqual([]);
  });

  it("takes over another host's claim only after staleSeconds without a heartbeat", () => {
    const far = new UnitStore(root, "exp4", {}, { owner: { host: "node-elsewhere", pid: 1, job: "12_3" } });
    expect(far.claim("u")).toBe(true);
    const s = new UnitStore(root, "exp4", {}, { owner: here, staleSeconds: 60 });
    expect(s.claim("u")).toBe(false); // fresh: its owner may be alive
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(s.claimFile("u"), old, old);
    expect(s.state("u")).toBe("stale");
    expect(new UnitStore(root, "exp4", {}, { owner: here }).state("u")).toBe("running"); // default: 10 min
    expect(DEFAULT_STALE_SECONDS).toBe(600);
    expect(s.claim("u")).toBe(true);
    // the new owner's heartbeat keeps it fresh
    fs.utimesSync(s.claimFile("u"), old, old);
    s.heartbeat("u");
    expect(Date.now() - fs.statSync(s.claimFile("u")).mtimeMs).toBeLessThan(10_000);
  });

  it("lets exactly one of many racing processes claim a unit", async () => {
    const store = path.join(root, "race");
    const src = path.resolve(__dirname, "../../dist/store/units.js");
    // each racer claims, reports, and stays alive (holding its claim) until its stdin closes
    const code = `const { UnitStore } = require(${JSON.stringify(src)});
      const s = new UnitStore(${JSON.stringify(store)}, "exp", { k: 1 });
      process.stdout.write(String(s.claim("u")));
      process.stdin.resume(); process.stdin.on("end", () => process.exit(0));`;
    const racers = Array.from({ length: 8 }, () => spawn(process.execPath, ["-e", code]));
    const outs = await Promise.all(
      racers.map((p) => new Promise<string>((resolve) => p.stdout.once("data", (d) => resolve(String(d))))),
    );
    for (const p of racers) p.stdin.end();
    await Promise.all(racers.map((p) => new Promise((r) => p.on("close", r))));
    expect(outs.filter((o) => o === "true")).toHaveLength(1);
    expect(outs.filter((o) => o === "false")).toHaveLength(7);
  });

  it("a process killed inside a unit leaves no result and a claim that the next process takes over", () => {
    const store = path.join(root, "killed");
    const src = path.resolve(__dirname, "../../dist/store/units.js");
    const code = `const { UnitStore } = require(${JSON.stringify(src)});
      const s = new UnitStore(${JSON.stringify(store)}, "exp", {});
      s.claim("u"); process.kill(process.pid, "SIGKILL");`;
    const r = spawnSync(process.execPath, ["-e", code]);
    expect(r.signal).toBe("SIGKILL");
    const s = new UnitStore(store, "exp", {}, { owner: here });
    expect(s.has("u")).toBe(false);
    expect(s.state("u")).toBe("stale");
    expect(s.claim("u")).toBe(true);
  });

  it("rejects bad names and settings with a clear error", () => {
    expect(() => new UnitStore(root, "../up", {})).toThrow(/experiment must be letters, digits.*"\.\.\/up"/);
    expect(() => new UnitStore(root, "e", {}, { staleSeconds: 0 })).toThrow(/staleSeconds must be a number > 0, got 0/);
    const s = new UnitStore(root, "e", {});
    expect(() => s.resultFile("a/b")).toThrow(/unit must be letters/);
    expect(() => s.claim("x.tmp")).toThrow(/unit must be/);
  });
});
