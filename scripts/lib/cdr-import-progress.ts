/**
 * Shows a CDR import's progress on stderr: a progress bar (cli-progress) on a
 * terminal; otherwise (a log file, CI, a pipe) a plain line every few
 * seconds. The bar measures stored bytes the worker has processed, so it
 * reaches 100% when the records are calls, not merely copied. The most
 * useful figures come first: a narrow terminal cuts the line at the right.
 */
import cliProgress from "cli-progress";
import type { ImportProgress } from "./cdr-import.js";

export const formatInt = (n: number) => Math.round(n).toLocaleString("en-US");

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** Seconds as h:mm:ss or m:ss. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

function describe(p: ImportProgress) {
  return {
    stored: `${formatBytes(p.bytes.stored)}/${formatBytes(p.bytes.total)} stored`,
    records: `${formatInt(p.records.stored)} records stored, ${formatInt(p.records.processed)} processed`,
    rate: p.rate === null ? "– records/s" : `${formatInt(p.rate)} records/s`,
    left: p.etaSeconds === null ? "time left unknown" : `${formatDuration(p.etaSeconds)} left`,
    phase: p.phase === "processing" ? "waiting for the worker" : `file ${Math.min(p.files.done + 1, p.files.total)} of ${p.files.total}`,
  };
}

export interface ProgressDisplay {
  update(p: ImportProgress): void;
  /** Removes the bar (before other output). */
  stop(): void;
}

export function progressDisplay(stream: NodeJS.WriteStream = process.stderr, { plainEveryMs = 5000 } = {}): ProgressDisplay {
  if (stream.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    return {
      update(p) {
        if (p.bytes.total === 0) return;
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: "{bar} {percentage}% | {left} | {rate} | {records} | {stored} | {phase}",
              barsize: 24,
              hideCursor: true,
              clearOnComplete: false,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.bytes.total, 0, describe(p));
        }
        bar.update(Math.min(p.bytes.processed, p.bytes.total), describe(p));
      },
      stop() {
        bar?.stop();
        bar = null;
      },
    };
  }
  let last = 0;
  return {
    update(p) {
      if (p.bytes.total === 0 || Date.now() - last < plainEveryMs) return;
      last = Date.now();
      const d = describe(p);
      const pct = Math.floor((100 * p.bytes.processed) / p.bytes.total);
      stream.write(`cdr:import: ${pct}% processed | ${d.left} | ${d.rate} | ${d.records} | ${d.stored} | ${d.phase}\n`);
    },
    stop() {},
  };
}
