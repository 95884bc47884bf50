/**
 * A report's charts (`charts[]` of the report document): each becomes a
 * vega-lite specification (line, bar or histogram, with a dashed goal rule
 * where the chart has a goal), compiled by vega-lite and rendered on the
 * server by vega to SVG (View.toSVG: no canvas, no browser). The web and PDF
 * page embeds the SVG; mail clients do not show SVG, so the e-mail carries
 * the same SVG rasterised to PNG by resvg.
 *
 * Text is set in DejaVu Sans (Debian's fonts-dejavu-core) everywhere: vega
 * names it, Chromium finds it through fontconfig, and resvg loads exactly
 * that file and no system font, so a PNG is the same on every machine that
 * has the package.
 */
import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { ReportChart, ReportValueType } from "./types.js";

export const CHART_FONT = "DejaVu Sans";
/** Where Debian's fonts-dejavu-core puts the font (regular, bold). */
export const CHART_FONT_FILES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"];
/** CSS pixels of every chart; the PNG has PNG_SCALE times as many (sharp on high-density screens). */
export const CHART_SIZE = { width: 640, height: 240 };
export const PNG_SCALE = 2;

/** A chart cannot be rasterised because its font is missing (the e-mail version). */
export class ChartFontMissingError extends Error {
  constructor() {
    super(`Charts as PNG need the ${CHART_FONT} font (${CHART_FONT_FILES[0]}): install Debian package fonts-dejavu-core.`);
    this.name = "ChartFontMissingError";
  }
}

const AXIS_FORMAT: Partial<Record<ReportValueType, string>> = { pct: ".0f", int: ",.0f", money: "$,.0f" };

/** An ISO time as its wall-clock time in the report's zone, written as UTC (the charts' scales are UTC). */
function wallClock(value: unknown, zone: string): unknown {
  if (typeof value !== "string" || !/T\d\d:\d\d/.test(value)) return value;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return value;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`;
}

/** The chart's data with numbers as numbers and times as the report zone's wall clock. */
function chartData(chart: ReportChart, zone: string) {
  return chart.data.map((row) => {
    const y = row[chart.y.field];
    return {
      ...row,
      [chart.x.field]: chart.x.type === "temporal" ? wallClock(row[chart.x.field], zone) : row[chart.x.field],
      [chart.y.field]: y === null || y === undefined || y === "" ? null : Number(y),
    };
  });
}

/** The values of a field, each once, in data order. */
function distinct(chart: ReportChart, field: string): string[] {
  return [...new Set(chart.data.map((r) => String(r[field])))];
}

/** The vega-lite specification of one chart of a report document. */
export function chartSpec(chart: ReportChart, zone = "UTC"): TopLevelSpec {
  const temporal = chart.x.type === "temporal";
  const hasTime = temporal && chart.data.some((r) => /T\d\d:\d\d/.test(String(r[chart.x.field] ?? "")));
  const x = {
    field: chart.x.field,
    title: chart.x.title,
    type: chart.x.type,
    ...(temporal ? { scale: { type: "utc" as const }, axis: { format: hasTime ? "%H:%M" : "%b %d", labelOverlap: true } } : {}),
    ...(chart.x.type === "ordinal" ? { sort: null, axis: { labelAngle: distinct(chart, chart.x.field).length > 12 ? -45 : 0, labelOverlap: true } } : {}),
  };
  const pct = chart.y.type === "pct";
  const y = {
    field: chart.y.field,
    title: chart.y.title,
    type: "quantitative" as const,
    axis: { format: AXIS_FORMAT[chart.y.type] ?? ",~r" },
    ...(pct ? { scale: { domain: [0, 100] } } : {}),
  };
  // Series in the order the data gives them (this period before the previous one), not alphabetically.
  const series = chart.series
    ? { color: { field: chart.series, type: "nominal" as const, title: null, scale: { domain: distinct(chart, chart.series) }, legend: { orient: "bottom" as const } } }
    : {};
  const mark =
    chart.kind === "line"
      ? { type: "line" as const, point: true, strokeWidth: 2 }
      : { type: "bar" as const, ...(chart.kind === "histogram" ? { binSpacing: 0 } : {}) };
  const encoding = {
    x: chart.kind === "histogram" ? { ...x, scale: { paddingInner: 0.04 } } : x,
    y,
    ...series,
    ...(chart.kind === "bar" && chart.series ? { xOffset: { field: chart.series } } : {}),
  };
  const layers: Array<Record<string, unknown>> = [{ mark, encoding }];
  if (chart.goal !== null && chart.goal !== undefined) {
    layers.push(
      // One datum of their own: on the chart's data they would draw a rule per row.
      { data: { values: [{}] }, mark: { type: "rule", color: "#b42318", strokeDash: [6, 4], strokeWidth: 2 }, encoding: { y: { datum: chart.goal } } },
      {
        data: { values: [{}] },
        mark: { type: "text", color: "#b42318", align: "right", baseline: "bottom", dy: -3, x: "width" },
        encoding: { y: { datum: chart.goal }, text: { value: `goal ${chart.goal}${pct ? "%" : ""}` } },
      },
    );
  }
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: CHART_SIZE.width,
    height: CHART_SIZE.height,
    autosize: { type: "fit", contains: "padding" },
    background: "white",
    data: { values: chartData(chart, zone) },
    layer: layers,
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: "#e4e7ec" },
      legend: { labelFontSize: 11 },
      range: { category: ["#1f5fa8", "#e07b00", "#2e8540", "#7a4fb3", "#b42318", "#5b6b7d"] },
      line: { color: "#1f5fa8" },
      bar: { color: "#1f5fa8" },
    },
  } as unknown as TopLevelSpec;
}

/** One chart as SVG text, of exactly CHART_SIZE. */
export async function chartSvg(chart: ReportChart, zone = "UTC"): Promise<string> {
  const view = new vega.View(vega.parse(compile(chartSpec(chart, zone)).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

let fontChecked = false;
/** An SVG as PNG (PNG_SCALE times its size), text in the chart font only. */
export function svgToPng(svg: string): { png: Buffer; width: number; height: number } {
  if (!fontChecked) {
    if (!CHART_FONT_FILES.every((f) => existsSync(f))) throw new ChartFontMissingError();
    fontChecked = true;
  }
  const image = new Resvg(svg, {
    fitTo: { mode: "zoom", value: PNG_SCALE },
    font: { loadSystemFonts: false, fontFiles: CHART_FONT_FILES, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
