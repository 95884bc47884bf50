/**
 * The report page as a person gets it: opened in headless Chromium (Debian's
 * chromium, found as the server finds it), the charts measured as rendered
 * (their SVG elements, marks and size, not pixels), the e-mail's PNGs decoded
 * by the browser, and the PDF's pages read back with poppler (pdfinfo,
 * pdftotext). With CI=true a missing chromium or poppler-utils fails here;
 * elsewhere these tests are skipped with a note (`.ci/run` installs both).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { reportDocument, type ReportDocument } from "../../server/reports/report-document.js";
import { CHART_SIZE, PNG_SCALE } from "../../server/reports/render/charts.js";
import { reportEmail } from "../../server/reports/render/email.js";
import { reportHtml } from "../../server/reports/render/html.js";
import { closePdfPrinter, findChromium, headlessChromium, PdfUnavailableError, reportPdf } from "../../server/reports/render/pdf.js";

const team: ReportDocument = reportDocument.parse(JSON.parse(readFileSync(new URL("../fixtures/reports/team-performance.json", import.meta.url), "utf8")));

const onPath = (cmd: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const chromium = findChromium();
const poppler = onPath("pdfinfo") && onPath("pdftotext");
const ready = chromium !== undefined && poppler;
const missing = [...(chromium ? [] : ["chromium"]), ...(poppler ? [] : ["poppler-utils"])];

if (!ready && process.env.CI === "true") {
  it("has Chromium and poppler-utils in CI", () => {
    throw new Error(`${missing.join(" and ")} missing: .ci/run installs them (apt-get install -y ${missing.join(" ")}); CI must not skip these tests.`);
  });
}
if (!ready && process.env.CI !== "true") console.warn(`render-chromium.test.ts skipped: ${missing.join(" and ")} not installed`);
const describeWithBrowser = ready ? describe : describe.skip;

describeWithBrowser("in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let html: string;
  beforeAll(async () => {
    html = await reportHtml(team);
    browser = await headlessChromium();
    page = await browser.newPage();
    await page.setViewport({ width: 900, height: 1200 });
  });
  afterAll(async () => {
    await page?.close();
    await closePdfPrinter();
  });

  it("draws every chart as an SVG of the chart size, with the marks its data asks for", async () => {
    await page.setJavaScriptEnabled(false);
    await page.setContent(html, { waitUntil: "load" });
    const charts = await page.$$eval(".report-chart", (nodes) =>
      nodes.map((n) => {
        const svg = n.querySelector("svg")!;
        const box = svg.getBoundingClientRect();
        const count = (sel: string) => svg.querySelectorAll(sel).length;
        return {
          key: n.getAttribute("data-key"),
          width: Number(svg.getAttribute("width")),
          height: Number(svg.getAttribute("height")),
          box: [Math.round(box.width), Math.round(box.height)],
          lines: count(".mark-line.role-mark path"),
          points: count(".mark-symbol.role-mark path"),
          bars: count(".mark-rect.role-mark path"),
          rules: count(".mark-rule.role-mark line"),
          axisLabels: [...svg.querySelectorAll(".role-axis-label text")].map((t) => t.textContent).filter(Boolean).length,
          goalLabel: [...svg.querySelectorAll(".mark-text.role-mark text")].map((t) => t.textContent).join(" "),
          legend: [...svg.querySelectorAll(".role-legend-label text")].map((t) => t.textContent),
        };
      }),
    );
    const size = [CHART_SIZE.width, CHART_SIZE.height];
    for (const c of charts) {
      expect([c.width, c.height]).toEqual(size);
      expect(c.box).toEqual(size);
      expect(c.axisLabels).toBeGreaterThan(4);
    }
    const by = Object.fromEntries(charts.map((c) => [c.key, c]));
    expect(charts.map((c) => c.key)).toEqual(team.charts.map((c) => c.key));
    // 9 hourly points, one line, the goal as a rule with its label.
    expect(by.service_level_by_interval).toMatchObject({ lines: 1, points: 9, bars: 0, rules: 1, goalLabel: "goal 80%" });
    // 6 wait bands, no goal.
    expect(by.wait_distribution).toMatchObject({ lines: 0, bars: 6, rules: 0 });
    // 9 hours × offered and answered, legend in the data's order.
    expect(by.calls_by_hour).toMatchObject({ bars: 18, rules: 0, legend: ["offered", "answered"] });
    // 5 days × two periods.
    expect(by.service_level_trend).toMatchObject({ lines: 2, points: 10, rules: 1 });
  });

  it("shows the warnings and the summary on the first screen, and the marked cells", async () => {
    await page.setContent(html, { waitUntil: "load" });
    const top = await page.$eval(".report-warnings", (n) => ({ y: n.getBoundingClientRect().top, text: n.textContent }));
    expect(top.text).toContain("Figures incomplete:");
    expect(top.y).toBeLessThan(200);
    const tiles = await page.$$eval(".report-tile", (ns) => ns.map((n) => n.getAttribute("data-key")));
    expect(tiles).toEqual(team.summary.map((s) => s.key));
    const summaryBottom = await page.$eval(".report-summary", (n) => n.getBoundingClientRect().bottom);
    expect(summaryBottom).toBeLessThan(1056); // one printed page (11 in at 96 px)
    expect(await page.$$eval(".cell-suppressed", (ns) => ns.map((n) => n.textContent))).toEqual(["suppressed", "suppressed", "suppressed", "suppressed"]);
  });

  it("fits a table of many columns on the printed page instead of shrinking the page", async () => {
    const columns = Array.from({ length: 15 }, (_, i) => ({ key: `c${i}`, label: i === 0 ? "Day" : `Abandonment ${i}`, type: i === 0 ? ("date" as const) : ("pct" as const) }));
    const wide: ReportDocument = {
      ...team,
      sections: [{ key: "wide", title: "Locations by day", columns, rows: [Object.fromEntries(columns.map((c, i) => [c.key, i === 0 ? "2026-03-10" : 100]))] }],
    };
    await page.setJavaScriptEnabled(false);
    await page.emulateMediaType("print");
    // Letter less 12 mm margins each side: 8.5 in × 96 − 2 × 45.35 px.
    await page.setViewport({ width: 725, height: 1000 });
    await page.setContent(await reportHtml(wide), { waitUntil: "load" });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(725);
    await page.emulateMediaType(undefined);
    await page.setViewport({ width: 900, height: 1200 });
  });

  it("decodes the e-mail's PNGs at their size", async () => {
    const { html: mail, images } = await reportEmail(team);
    const inlined = images.reduce((h, i) => h.replace(`cid:${i.cid}`, `data:image/png;base64,${i.png.toString("base64")}`), mail);
    await page.setJavaScriptEnabled(true);
    await page.setContent(inlined, { waitUntil: "load" });
    const decoded = await page.$$eval("img", (imgs) =>
      Promise.all(
        imgs.map(async (img) => {
          await img.decode();
          return { natural: [img.naturalWidth, img.naturalHeight], shown: [Math.round(img.getBoundingClientRect().width), Math.round(img.getBoundingClientRect().height)] };
        }),
      ),
    );
    expect(decoded).toHaveLength(team.charts.length);
    for (const d of decoded) {
      expect(d.natural).toEqual([CHART_SIZE.width * PNG_SCALE, CHART_SIZE.height * PNG_SCALE]);
      expect(d.shown).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    }
  });

  it("prints the same page to PDF: the summary first, each detail table on a page of its own", async () => {
    const pdf = await reportPdf(html);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const dir = mkdtempSync(join(tmpdir(), "report-pdf-"));
    try {
      const file = join(dir, "report.pdf");
      writeFileSync(file, pdf);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
      const text = (n: number) => execFileSync("pdftotext", ["-layout", "-f", String(n), "-l", String(n), file, "-"], { encoding: "utf8" });
      const texts = Array.from({ length: pages }, (_, i) => text(i + 1));
      // Page 1: title, warning, summary. Then the charts (two pages for four charts), then one page per section.
      expect(texts[0]).toContain(team.title);
      expect(texts[0]).toContain("Figures incomplete:");
      expect(texts[0]).toContain("Summary");
      expect(texts[0]).not.toContain("Charts");
      expect(texts[1]!.trimStart().startsWith("Charts")).toBe(true);
      const starts = team.sections.map((s) => texts.findIndex((t) => t.trimStart().startsWith(s.title)));
      expect(starts.every((i) => i > 1)).toBe(true);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      expect(pages).toBe(starts.at(-1)! + 1);
      expect(pages).toBe(6);
      // The charts' text is text in the PDF (vector SVG), not an image.
      expect(texts.slice(1, starts[0]).join("\n")).toContain("goal 80%");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("without Chromium", () => {
  it("a PDF is a PdfUnavailableError naming the package and CHROMIUM_PATH", async () => {
    expect(findChromium("/nonexistent/chromium")).toBeUndefined();
    await closePdfPrinter();
    const attempt = reportPdf("<p>x</p>", { chromiumPath: "/nonexistent/chromium" });
    await expect(attempt).rejects.toThrow(PdfUnavailableError);
    await expect(attempt).rejects.toThrow("PDF needs chromium: install Debian package chromium or set CHROMIUM_PATH");
  });
});
