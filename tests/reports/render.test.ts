/**
 * The renderers of a report document (server/reports/render/), on
 * hand-written documents (tests/fixtures/reports/): the page's order and
 * markings, the CSV, the charts' vega-lite specifications and the e-mail's
 * PNGs. What Chromium makes of them is tested in render-chromium.test.ts.
 */
import { readFileSync } from "node:fs";
import { parse as parseCsv } from "csv-parse/sync";
import { reportDocument, type ReportDocument } from "../../server/reports/report-document.js";
import { CHART_SIZE, chartSpec, chartSvg, PNG_SCALE } from "../../server/reports/render/charts.js";
import { reportCsv, UnknownSectionError } from "../../server/reports/render/csv.js";
import { reportEmail } from "../../server/reports/render/email.js";
import { formatValue } from "../../server/reports/render/format.js";
import { reportHtml } from "../../server/reports/render/html.js";

const fixture = (name: string): ReportDocument =>
  reportDocument.parse(JSON.parse(readFileSync(new URL(`../fixtures/reports/${name}.json`, import.meta.url), "utf8")));
const team = fixture("team-performance");
const agent = fixture("agent-performance");

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("the fixtures", () => {
  it("are report documents (the zod contract)", () => {
    expect(team.charts).toHaveLength(4);
    expect(agent.charts).toHaveLength(0);
  });
});

describe("values for people", () => {
  it.each([
    [1234, "int", "1,234"],
    [77.94, "pct", "77.9%"],
    ["80.00", "pct", "80.0%"],
    [258, "seconds", "4:18"],
    [3725, "seconds", "1:02:05"],
    [9.87, "money", "$9.87"],
    [null, "pct", "–"],
    [true, "bool", "yes"],
    ["2026-03-11T08:00:04-04:00", "datetime", "2026-03-11 08:00:04"],
  ] as const)("%p as %s reads %p", (value, type, text) => {
    expect(formatValue(value, type)).toBe(text);
  });
});

describe("HTML", () => {
  let html: string;
  beforeAll(async () => {
    html = await reportHtml(team);
  });

  it("puts the warnings first, then the summary, the charts and the detail in the document's order", () => {
    const at = (text: string) => {
      const i = html.indexOf(text);
      expect(i).toBeGreaterThan(-1);
      return i;
    };
    const order = [
      at("Figures incomplete:"),
      at("No calls have arrived from the 3CX feed"),
      at(">Summary<"),
      at("Behind goal</h3>"),
      at(">Charts<"),
      ...team.charts.map((c) => at(`>${c.title}<`)),
      ...team.sections.map((s) => at(`>${s.title}<`)),
    ];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("shows each headline figure with its goal and judgement, and lists what is behind", () => {
    expect(html).toContain("77.9%");
    expect(html).toContain("goal 80.0%");
    const behind = html.slice(html.indexOf('class="report-behind"'), html.indexOf(">Charts<"));
    expect(behind).toContain("Service level</strong>: 77.9% (goal 80.0%)");
    expect(behind).toContain("Abandoned</strong>: 6.4% (goal 5.0%)");
    expect(behind).toContain("Cara Diaz and Eli Moss");
    expect(behind).not.toContain("Average handle time");
  });

  it("marks suppressed, provisional and flagged cells and explains each under its table", () => {
    expect(html.match(/class="cell-suppressed"[^>]*>suppressed</g)).toHaveLength(4);
    expect(html.match(/class="cell-provisional"/g)).toHaveLength(6);
    expect(html).toMatch(/class="cell-flagged"[^>]*>78\.4%<sup>!<\/sup>/);
    expect(html).toContain("suppressed: fewer than 11 callers");
    expect(html).toContain("Area codes with fewer than 11 callers are suppressed.");
    expect(html).toContain("* provisional: may still change");
    expect(html).toContain("! more than 2 standard deviations");
  });

  it("is made for a mail client and a printer: inline styles, no scripts, page breaks between sections", () => {
    expect(html).not.toMatch(/<script|javascript:|on(load|click|error)=/i);
    expect(html).not.toMatch(/<link|@import|https?:\/\/(?!www\.w3\.org)/);
    expect(html).toContain("@page { size: Letter");
    expect(html).toMatch(/\.report-section, \.report-charts \{ break-before: page/);
    expect(html.match(/<svg /g)).toHaveLength(4);
  });

  it("escapes what the figures carry", async () => {
    const page = await reportHtml(agent);
    expect(page).toContain("Said &#34;hello&#34;, then: left");
    expect(page).toContain("Zoë, ça va");
    expect(page).not.toContain("Figures incomplete");
    expect(page).toContain("Every figure with a goal is on goal.");
  });
});

describe("CSV", () => {
  const rows = (csv: string) => parseCsv(csv, { bom: true }) as string[][];

  it("is the first section by default, raw figures under the column labels", () => {
    const csv = reportCsv(team);
    expect(csv.startsWith("\uFEFFAgent,Location,Calls,AHT,FCR,Utilization,Adherence\r\n")).toBe(true);
    expect(rows(csv)[1]).toEqual(["Ana Ruiz", "Ann Arbor", "48", "231", "82.5", "88.1", "96.2"]);
    expect(rows(csv)).toHaveLength(1 + 6);
  });

  it("gives another section by its key, a suppressed cell empty", () => {
    expect(rows(reportCsv(team, "area_codes"))).toEqual([
      ["Area code", "Callers", "Calls"],
      ["734", "211", "246"],
      ["248", "97", "112"],
      ["313", "", ""],
      ["517", "", ""],
    ]);
  });

  it("quotes what needs quoting and keeps the text as it is", () => {
    const r = rows(reportCsv(agent, "days"));
    expect(r[1]).toEqual(["2026-03-02", "44", "233", "81.8", "12.4", 'Said "hello", then: left']);
    expect(r[2]).toEqual(["2026-03-03", "47", "251", "", "", ""]);
    expect(r[3]![5]).toBe("Zoë, ça va");
  });

  it("refuses a section the report does not have, naming those it has", () => {
    expect(() => reportCsv(team, "nope")).toThrow(UnknownSectionError);
    expect(() => reportCsv(team, "nope")).toThrow("it has agents, queues, area_codes");
  });
});

describe("charts", () => {
  const chart = (key: string) => team.charts.find((c) => c.key === key)!;
  type Layer = { mark: { type: string }; encoding: Record<string, { field?: string; datum?: number; type?: string }> };
  const layers = (key: string) => (chartSpec(chart(key), team.timezone) as unknown as { layer: Layer[] }).layer;

  it("line, bar and histogram become vega-lite marks, with a goal rule where there is a goal", () => {
    expect(layers("service_level_by_interval").map((l) => l.mark.type)).toEqual(["line", "rule", "text"]);
    expect(layers("service_level_by_interval")[1]!.encoding.y!.datum).toBe(80);
    expect(layers("wait_distribution").map((l) => l.mark.type)).toEqual(["bar"]);
    expect(layers("calls_by_hour")[0]!.encoding.color!.field).toBe("kind");
    expect(layers("calls_by_hour")[0]!.encoding.xOffset!.field).toBe("kind");
  });

  it("reads times in the report's zone", () => {
    const spec = chartSpec(chart("service_level_by_interval"), team.timezone) as unknown as { data: { values: Array<Record<string, unknown>> } };
    expect(spec.data.values[0]!.interval_start).toBe("2026-03-10T08:00:00Z");
  });

  it("render to SVG of the chart size, with their marks", async () => {
    const svg = await chartSvg(chart("wait_distribution"), team.timezone);
    expect(svg).toMatch(new RegExp(`^<svg [^>]*width="${CHART_SIZE.width}" height="${CHART_SIZE.height}"`));
    expect(svg).toContain('class="mark-rect role-mark');
    expect(svg).toContain(">0-10 s<");
  });
});

describe("the e-mail version", () => {
  it("carries every chart as a PNG referenced by cid, of the chart size times the scale", async () => {
    const { html, images } = await reportEmail(team);
    expect(images).toHaveLength(team.charts.length);
    expect(html).not.toContain("<svg");
    for (const image of images) {
      expect(html).toContain(`src="cid:${image.cid}"`);
      expect(image.filename).toMatch(/^\d\d-[a-z0-9-]+\.png$/);
      expect(pngSize(image.png)).toEqual({ width: CHART_SIZE.width * PNG_SCALE, height: CHART_SIZE.height * PNG_SCALE });
      expect([image.width, image.height]).toEqual([CHART_SIZE.width * PNG_SCALE, CHART_SIZE.height * PNG_SCALE]);
    }
    expect(new Set(images.map((i) => i.cid)).size).toBe(images.length);
  });

  it("renders the same PNG twice (one font, no system fonts)", async () => {
    const [a, b] = await Promise.all([reportEmail(team), reportEmail(team)]);
    expect(a.images.map((i) => i.png.equals(b.images.find((j) => j.cid === i.cid)!.png))).toEqual([true, true, true, true]);
  });
});
