/**
 * The e-mail version of a report: the same page as reportHtml, with each
 * chart as an inline PNG (mail clients do not show SVG) referenced by
 * `cid:`. The sender attaches each image with its cid, e.g. nodemailer:
 * `attachments: images.map((i) => ({ cid: i.cid, filename: i.filename, content: i.png, contentType: "image/png" }))`.
 */
import type { ReportDocument } from "./types.js";
import { CHART_SIZE, chartSvg, svgToPng } from "./charts.js";
import { escapeHtml, reportPage } from "./html.js";

export interface ReportEmailImage {
  /** Content-ID without angle brackets, as `src="cid:..."` names it. */
  cid: string;
  filename: string;
  png: Buffer;
  /** Pixels of the PNG (the page shows it at CHART_SIZE). */
  width: number;
  height: number;
}

export interface ReportEmail {
  html: string;
  images: ReportEmailImage[];
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "chart";

export async function reportEmail(doc: ReportDocument): Promise<ReportEmail> {
  const images: ReportEmailImage[] = [];
  const charts = [];
  for (const [i, chart] of doc.charts.entries()) {
    const { png, width, height } = svgToPng(await chartSvg(chart, doc.timezone));
    const name = `${String(i + 1).padStart(2, "0")}-${slug(chart.key)}`;
    const cid = `chart-${name}@report`;
    images.push({ cid, filename: `${name}.png`, png, width, height });
    charts.push({
      key: chart.key,
      title: chart.title,
      markup: `<img src="cid:${cid}" width="${CHART_SIZE.width}" height="${CHART_SIZE.height}" alt="${escapeHtml(chart.title)}" style="display:block;border:0;max-width:100%;height:auto">`,
    });
  }
  return { html: reportPage(doc, charts), images };
}
