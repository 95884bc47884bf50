/**
 * STAND-IN RENDERER, used only until the real renderers (server/reports/render/, branch reports-render) are
 * merged: the same four outputs (e-mail HTML with charts as inline PNG, page HTML, CSV, PDF) in the plainest
 * form that is still correct, so scheduling and delivery can be built and tested end to end. Charts are bars
 * drawn into a PNG by hand; the PDF is text only. Replace by pointing worker/reports/produce.ts at the real
 * module; nothing else uses this file.
 */
import { crc32, deflateSync } from "node:zlib";
import type { ReportDocument } from "../../server/reports/report-document.js";
import type { ReportRenderer } from "./produce.js";

const escapeHtml = (v: unknown) =>
  String(v ?? "–").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A PNG of width × height RGB pixels, filled by paint(x, y) → [r, g, b]. */
export function png(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) raw.set(paint(x, y), row + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** A bar per data point of a chart (its y field), scaled to the largest. */
function barChartPng(chart: ReportDocument["charts"][number]): Buffer {
  const [w, h] = [480, 160];
  const values = chart.data.map((d) => Number(d[chart.y.field] ?? 0)).map((v) => (Number.isFinite(v) ? v : 0));
  const max = Math.max(1, ...values);
  const barWidth = Math.max(1, Math.floor(w / Math.max(1, values.length)));
  return png(w, h, (x, y) => {
    const v = values[Math.floor(x / barWidth)];
    const top = v === undefined ? h : h - Math.round((v / max) * (h - 10));
    return v !== undefined && y >= top && x % barWidth < barWidth - 2 ? [37, 99, 235] : [255, 255, 255];
  });
}

function page(doc: ReportDocument, chartImg: (i: number) => string): string {
  const warnings = doc.warnings.length
    ? `<div style="border:2px solid #b45309;background:#fffbeb;padding:8px"><strong>Figures incomplete</strong><ul>${doc.warnings
        .map((w) => `<li>${escapeHtml(w.message)}</li>`)
        .join("")}</ul></div>`
    : "";
  const summary = `<table><tbody>${doc.summary.map((s) => `<tr><th align="left">${escapeHtml(s.label)}</th><td>${escapeHtml(s.value)}</td></tr>`).join("")}</tbody></table>`;
  const charts = doc.charts.map((c, i) => `<h3>${escapeHtml(c.title)}</h3>${chartImg(i)}`).join("");
  const sections = doc.sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.title)}</h2><table border="1" cellpadding="3"><thead><tr>${s.columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join("")}</tr></thead><tbody>${s.rows
          .map((r) => `<tr>${s.columns.map((c) => `<td>${escapeHtml(r[c.key])}</td>`).join("")}</tr>`)
          .join("")}</tbody></table>`,
    )
    .join("");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title></head><body style="font-family:sans-serif"><h1>${escapeHtml(doc.title)}</h1><p>${escapeHtml(doc.range.from)} – ${escapeHtml(doc.range.to)} (${escapeHtml(doc.timezone)})</p>${warnings}${summary}${charts}${sections}</body></html>`;
}

function csv(doc: ReportDocument): string {
  const cell = (v: unknown) => {
    const t = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
  };
  const section = doc.sections[0];
  if (!section) return doc.summary.map((s) => [s.key, s.value].map(cell).join(",")).join("\r\n") + "\r\n";
  return [section.columns.map((c) => cell(c.key)).join(","), ...section.rows.map((r) => section.columns.map((c) => cell(r[c.key])).join(","))].join("\r\n") + "\r\n";
}

/** A one-page PDF of text lines (Helvetica), enough to attach and open. */
function textPdf(lines: string[]): Buffer {
  const esc = (t: string) => t.replace(/[^\x20-\x7e]/g, "?").replace(/([\\()])/g, "\\$1");
  const content = `BT /F1 10 Tf 40 800 Td 14 TL ${lines.slice(0, 54).map((l) => `(${esc(l)}) Tj T*`).join(" ")} ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

export const standInRenderer: ReportRenderer = {
  name: "stand-in",
  async email(doc) {
    const images = doc.charts.map((c, i) => ({ cid: `chart-${i + 1}@report`, filename: `chart-${i + 1}.png`, png: barChartPng(c) }));
    return { html: page(doc, (i) => `<img src="cid:${images[i]!.cid}" width="480" height="160" alt="${escapeHtml(doc.charts[i]!.title)}">`), images };
  },
  async html(doc) {
    return page(doc, (i) => `<img src="data:image/png;base64,${barChartPng(doc.charts[i]!).toString("base64")}" width="480" height="160" alt="">`);
  },
  csv,
  async pdf(doc) {
    return textPdf([
      doc.title,
      `${doc.range.from} - ${doc.range.to} (${doc.timezone})`,
      ...doc.warnings.map((w) => `FIGURES INCOMPLETE: ${w.message}`),
      "",
      ...doc.summary.map((s) => `${s.label}: ${s.value ?? "-"}`),
      ...doc.sections.flatMap((s) => ["", s.title, ...s.rows.map((r) => s.columns.map((c) => String(r[c.key] ?? "-")).join(" | "))]),
    ]);
  },
};
