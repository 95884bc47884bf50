/**
 * reports__deliver: sends one delivery of a report run (e-mail or SMS, worker/reports/deliver.ts) and records
 * the outcome. The sending happens outside any transaction; a worker killed between sending and recording sends
 * again on retry (at least once, never silently lost). A temporary failure is recorded and thrown, so
 * graphile-worker retries with its exponential backoff (8 attempts over about 30 minutes); a permanent one (the
 * mail server refuses the address, Twilio refuses the number, a setting is missing) or the last attempt fails the
 * delivery for good: its row says why, every superadmin is notified, the run settles (sent, partial or failed).
 */
import type { Task } from "graphile-worker";
import { z } from "zod";
import { env } from "../../lib/env.js";
import { reportDocument } from "../../server/reports/report-document.js";
import { withWorkerRole } from "../with-worker-role.js";
import { renderer } from "../reports/produce.js";
import { DeliveryError, sendEmail, sendSms } from "../reports/deliver.js";
import { smsSummary } from "../reports/sms-text.js";

const payload = z.object({ delivery_id: z.uuid() });

interface DeliveryWork {
  delivery: { id: string; channel: "email" | "sms"; recipient: string };
  run: { id: string; report: string; format: string; from_day: string; to_day: string };
  document: unknown;
  file_name: string | null;
  content_type: string | null;
  bytes: string | null;
}

export const reports__deliver: Task = async (raw, helpers) => {
  const { delivery_id: id } = payload.parse(raw);
  const work = await withWorkerRole(helpers, async (client) =>
    (await client.query("select app_private.start_report_delivery($1) as w", [id])).rows[0].w as DeliveryWork | null,
  );
  if (!work) return;
  let providerId: string;
  try {
    const doc = reportDocument.parse(work.document);
    const days = work.run.from_day === work.run.to_day ? work.run.to_day : `${work.run.from_day} - ${work.run.to_day}`;
    const title = `${doc.title}, ${days}`;
    if (work.delivery.channel === "sms") {
      providerId = await sendSms(env(), work.delivery.recipient, smsSummary(doc, title));
    } else {
      const email = await renderer.email(doc);
      const attach = work.run.format !== "html" && work.bytes && work.file_name;
      providerId = await sendEmail(env(), {
        to: work.delivery.recipient,
        subject: `${doc.warnings.length ? "[figures incomplete] " : ""}${title}`,
        html: email.html,
        text: `${title}\n\n${doc.warnings.map((w) => `FIGURES INCOMPLETE: ${w.message}\n`).join("")}${doc.summary
          .map((s) => `${s.label}: ${s.value ?? "-"}`)
          .join("\n")}\n`,
        images: email.images,
        ...(attach ? { attachment: { filename: work.file_name!, contentType: work.content_type ?? "application/octet-stream", content: Buffer.from(work.bytes!, "base64") } } : {}),
      });
    }
  } catch (error) {
    const permanent = error instanceof DeliveryError ? error.permanent : false;
    const final = permanent || helpers.job.attempts >= helpers.job.max_attempts;
    const message = error instanceof Error ? error.message : String(error);
    await withWorkerRole(helpers, (client) => client.query("select app_private.report_delivery_failed($1, $2, $3)", [id, message, final]));
    if (final) {
      helpers.logger.error(`report delivery ${id} failed for good: ${message}`);
      return;
    }
    throw error;
  }
  await withWorkerRole(helpers, (client) => client.query("select app_private.report_delivery_sent($1, $2)", [id, providerId]));
};
