/**
 * Static PNG export of the Plotly figures that notebooks write as JSON (`<resultsDir>/figures/*.json`, each a
 * `{ data, layout }` figure spec), using playwright-core to drive a locally installed Chromium and the local
 * `plotly.js-dist-min` bundle (no network; a browser is never downloaded).
 *
 * @packageDocumentation
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot as libraryRoot, writeFileAtomic } from "qnn-kd/experiments";

/** Where Debian's `chromium` package installs the browser. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

/** Flags passed to Chromium (playwright adds `--headless` itself). */
export const CHROMIUM_ARGS: readonly string[] = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Options of {@link exportFigures}. */
export interface ExportFiguresOptions {
  /**
   * Chromium executable.
   * @defaultValue `process.env.CHROME_PATH` if set, else {@link DEFAULT_CHROMIUM_PATH}
   */
  chromePath?: string;
  /** Width in CSS pixels when the figure's `layout.width` is not set. @defaultValue 800 */
  defaultWidth?: number;
  /** Height in CSS pixels when the figure's `layout.height` is not set. @defaultValue 500 */
  defaultHeight?: number;
  /** Device pixel ratio of the PNG (2 doubles the pixel size). @defaultValue 1 */
  scale?: number;
  /** Sink for the one-line messages (skipped export, failures). @defaultValue process.stderr */
  log?: { write(text: string): unknown };
  /** Folder of the qnn-kd package (for `node_modules/plotly.js-dist-min`). @defaultValue found from this module */
  projectRoot?: string;
}

/** Result of {@link exportFigures}. */
export interface ExportFiguresResult {
  /** Absolute paths of the PNG files written. */
  written: string[];
  /** Figures that failed, with the reason. */
  failed: Array<{ file: string; error: string }>;
  /** Set when the export was skipped as a whole (no figures folder, no Chromium). */
  skipped?: string;
}

/** The figure spec files to export: `<resultsDir>/figures/*.json`, sorted by name. */
export function listFigureSpecs(resultsDir: string): string[] {
  const dir = path.join(resultsDir, "figures");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => path.join(dir, f));
}

function positive(name: string, v: number): number {
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`exportFigures: ${name} must be a finite number > 0, got ${v}`);
  return v;
}

/**
 * Writes `<name>.png` beside every `<resultsDir>/figures/<name>.json` Plotly figure spec.
 *
 * One browser is launched for all figures (a persistent context in a fresh temporary user-data folder, removed
 * afterwards); a page loads the local Plotly bundle with `addScriptTag`, then `Plotly.toImage(fig, { format:
 * "png", width, height, scale })` renders each figure, with width and height taken from `layout` when set.
 * Without Chromium at `chromePath`, prints one line and returns `skipped`. A figure that fails to parse or
 * render is reported in `failed` and the others still export.
 * If Chromium fails to start, prints the reason and returns `skipped`.
 * @throws Error only for bad options (non-positive sizes) or a missing `plotly.js-dist-min` bundle.
 */
export async function exportFigures(
  resultsDir: string,
  options: ExportFiguresOptions = {},
): Promise<ExportFiguresResult> {
  const log = options.log ?? process.stderr;
  const chromePath = options.chromePath || process.env.CHROME_PATH || DEFAULT_CHROMIUM_PATH;
  const defaultWidth = positive("defaultWidth", options.defaultWidth ?? 800);
  const defaultHeight = positive("defaultHeight", options.defaultHeight ?? 500);
  const scale = positive("scale", options.scale ?? 1);
  const result: ExportFiguresResult = { written: [], failed: [] };
  const specs = listFigureSpecs(resultsDir);
  if (specs.length === 0) {
    result.skipped = `no figure specs in ${path.join(resultsDir, "figures")}`;
    return result;
  }
  if (!fs.existsSync(chromePath)) {
    result.skipped = `PNG export skipped: no Chromium at ${chromePath}; \`apt-get install chromium\` to enable`;
    log.write(result.skipped + "\n");
    return result;
  }
  const projectRoot = options.projectRoot ?? libraryRoot();
  const plotlyFile = path.join(projectRoot, "node_modules", "plotly.js-dist-min", "plotly.min.js");
  if (!fs.existsSync(plotlyFile))
    throw new Error(`exportFigures: Plotly bundle not found at ${JSON.stringify(plotlyFile)}; run \`npm install\``);

  const { chromium } = await import("playwright-core");
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "qnn-kd-chromium-"));
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
  try {
    try {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: chromePath,
        headless: true,
        args: [...CHROMIUM_ARGS],
        offline: true,
      });
    } catch (err) {
      result.skipped = `PNG export skipped: Chromium at ${chromePath} did not start: ${(err as Error).message.split("\n")[0]}`;
      log.write(result.skipped + "\n");
      return result;
    }
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>");
    await page.addScriptTag({ content: fs.readFileSync(plotlyFile, "utf8") });
    for (const file of specs) {
      try {
        const fig = JSON.parse(fs.readFileSync(file, "utf8")) as { data?: unknown; layout?: Record<string, unknown> };
        if (!fig || typeof fig !== "object" || !Array.isArray(fig.data)) {
          throw new Error(
            `expected a Plotly figure {data: [...], layout: {...}}, got keys ${JSON.stringify(Object.keys(fig ?? {}))}`,
          );
        }
        const width = typeof fig.layout?.width === "number" ? fig.layout.width : defaultWidth;
        const height = typeof fig.layout?.height === "number" ? fig.layout.height : defaultHeight;
        const dataUrl = await page.evaluate(
          async ({ fig, width, height, scale }) => {
            const Plotly = (globalThis as unknown as { Plotly: { toImage(f: unknown, o: unknown): Promise<string> } })
              .Plotly;
            return Plotly.toImage(fig, { format: "png", width, height, scale });
          },
          { fig, width, height, scale },
        );
        const prefix = "data:image/png;base64,";
        if (!dataUrl.startsWith(prefix))
          throw new Error(`Plotly.toImage returned ${JSON.stringify(dataUrl.slice(0, 40))}…, not a PNG data URL`);
        const png = path.join(path.dirname(file), path.basename(file, ".json") + ".png");
        writeFileAtomic(png, Buffer.from(dataUrl.slice(prefix.length), "base64"));
        result.written.push(png);
      } catch (err) {
        const msg = (err as Error).message.split("\n")[0];
        result.failed.push({ file, error: msg });
        log.write(`PNG export failed for ${file}: ${msg}\n`);
      }
    }
  } finally {
    await context?.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  return result;
}
