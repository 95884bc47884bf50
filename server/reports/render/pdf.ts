/**
 * A report page (html.ts) printed to PDF by headless Chromium, Debian's
 * `chromium` package, driven by puppeteer-core (which brings no browser of
 * its own). The browser is started on the first PDF and kept for the next
 * ones (starting it costs more than printing); closePdfPrinter() ends it.
 * Chromium is found at CHROMIUM_PATH, else as `chromium`, `chromium-browser`
 * or `google-chrome` on PATH; without it every PDF is a PdfUnavailableError
 * (REST: 503).
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

export class PdfUnavailableError extends Error {
  constructor(detail?: string) {
    super(`PDF needs chromium: install Debian package chromium or set CHROMIUM_PATH${detail ? ` (${detail})` : ""}.`);
    this.name = "PdfUnavailableError";
  }
}

const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium binary: CHROMIUM_PATH when given (it must exist), else the first of NAMES on PATH; undefined when none. */
export function findChromium(chromiumPath = process.env.CHROMIUM_PATH): string | undefined {
  if (chromiumPath?.trim()) return executable(chromiumPath) ? chromiumPath : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of NAMES) if (executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

let browser: { path: string; ready: Promise<Browser> } | undefined;

/** The shared headless browser, started when first needed (and again if it died, or another binary is asked for). */
export async function headlessChromium(chromiumPath?: string): Promise<Browser> {
  const path = findChromium(chromiumPath);
  if (!path) throw new PdfUnavailableError(chromiumPath ? `${chromiumPath} is not an executable` : "none found on PATH");
  if (browser) {
    const b = await browser.ready.catch(() => undefined);
    if (b?.connected && browser.path === path) return b;
    browser = undefined;
    await b?.close().catch(() => undefined);
  }
  const ready = puppeteer
    .launch({
      executablePath: path,
      headless: true,
      // --no-sandbox: the service may run as root in a container, where Chromium's sandbox cannot start.
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--font-render-hinting=none"],
    })
    .catch((e: unknown) => {
      if (browser?.ready === ready) browser = undefined;
      throw new PdfUnavailableError(`${path} did not start: ${(e as Error).message.split("\n")[0]}`);
    });
  browser = { path, ready };
  return ready;
}

/** Ends the shared browser (at shutdown, and after tests and benchmarks). */
export async function closePdfPrinter(): Promise<void> {
  const b = await browser?.ready.catch(() => undefined);
  browser = undefined;
  await b?.close();
}

/** The page printed on US Letter, backgrounds included, page breaks as its print CSS says. */
export async function reportPdf(html: string, options: { chromiumPath?: string; timeoutMs?: number } = {}): Promise<Buffer> {
  const b = await headlessChromium(options.chromiumPath);
  const page = await b.newPage();
  try {
    // Nothing but the page itself: a report never loads anything from elsewhere.
    await page.setJavaScriptEnabled(false);
    await page.setContent(html, { waitUntil: "load", timeout: options.timeoutMs ?? 30_000 });
    const pdf = await page.pdf({ format: "Letter", printBackground: true, preferCSSPageSize: true, timeout: options.timeoutMs ?? 30_000 });
    return Buffer.from(pdf);
  } finally {
    await page.close();
  }
}
