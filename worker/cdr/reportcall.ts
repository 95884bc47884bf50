/**
 * 3CX ReportCall posts (CRM call journal; integrations/3cx/ReportCall-template.xml).
 * They carry no call id: SQL matches them to their call (app_private.ingest_report_call).
 */
import { z } from "zod";
import { describeIssue, outsideWindow, type Rejection, type TimeWindow } from "./normalised-call.js";

const utc = z.string().datetime({ offset: true });
const optionalUtc = z.preprocess((v) => (v === "" ? null : v), utc.nullish());

const reportCallPost = z.object({
  CallType: z.string().transform((v) => v.trim().toLowerCase()).pipe(z.enum(["inbound", "outbound", "missed", "notanswered"])),
  Number: z.string().max(64).default(""),
  Name: z.string().max(200).default(""),
  Agent: z.string().regex(/^[0-9]{2,8}$/, "Agent must be an extension number"),
  CallStartTimeUTC: utc,
  CallEstablishedTimeUTC: optionalUtc,
  CallEndTimeUTC: optionalUtc,
  RecordingUrl: z.string().max(2000).default(""),
});

export interface ReportCall {
  call_type: string;
  number: string;
  name: string;
  agent_extension: string;
  start: string;
  answered: string | null;
  end: string | null;
  recording_url: string;
}

export function parseReportCalls(items: unknown[], window?: TimeWindow): { reportCalls: ReportCall[]; rejections: Rejection[] } {
  const reportCalls: ReportCall[] = [];
  const rejections: Rejection[] = [];
  items.forEach((item, i) => {
    const parsed = reportCallPost.safeParse(item);
    if (!parsed.success) {
      const { field, reason } = describeIssue(parsed.error);
      rejections.push({ lineNumber: i + 1, line: Buffer.from(JSON.stringify(item)), field, reason });
      return;
    }
    const p = parsed.data;
    if (window) {
      const times: [string, string | null | undefined][] = [
        ["CallStartTimeUTC", p.CallStartTimeUTC], ["CallEstablishedTimeUTC", p.CallEstablishedTimeUTC], ["CallEndTimeUTC", p.CallEndTimeUTC],
      ];
      const implausible = times.flatMap(([field, v]) => {
        const reason = v ? outsideWindow(field, Date.parse(v), window) : null;
        return reason ? [{ field, reason }] : [];
      })[0];
      if (implausible) {
        rejections.push({ lineNumber: i + 1, line: Buffer.from(JSON.stringify(item)), ...implausible });
        return;
      }
    }
    reportCalls.push({
      call_type: p.CallType, number: p.Number, name: p.Name, agent_extension: p.Agent,
      start: p.CallStartTimeUTC, answered: p.CallEstablishedTimeUTC ?? null, end: p.CallEndTimeUTC ?? null, recording_url: p.RecordingUrl,
    });
  });
  return { reportCalls, rejections };
}
