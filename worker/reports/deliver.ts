/**
 * Sending a report: e-mail through SMTP (nodemailer, SMTP_URL, MAIL_FROM) with the report's HTML as the body,
 * its charts as inline PNG (Content-ID, referenced by cid:) and its file (PDF or CSV) attached; SMS through
 * Twilio's Messages REST API (POST {TWILIO_API_BASE_URL}/2010-04-01/Accounts/{SID}/Messages.json, form body
 * To, From, Body, Basic auth SID:token).
 *
 * Errors say whether trying again can help: a `permanent` DeliveryError (a mail server's 5xx for the recipient,
 * Twilio's 4xx other than 429, a setting missing) ends the delivery at once; any other error is retried with
 * graphile-worker's backoff.
 */
import nodemailer from "nodemailer";
import type { Env } from "../../lib/env.js";

export class DeliveryError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

export interface EmailToSend {
  to: string;
  subject: string;
  html: string;
  text: string;
  images: { cid: string; filename: string; png: Buffer }[];
  attachment?: { filename: string; contentType: string; content: Buffer };
}

export async function sendEmail(env: Pick<Env, "SMTP_URL" | "MAIL_FROM">, mail: EmailToSend): Promise<string> {
  if (!env.SMTP_URL) throw new DeliveryError("SMTP_URL is not set: no e-mail can be sent", true);
  const transport = nodemailer.createTransport(env.SMTP_URL);
  try {
    const info = await transport.sendMail({
      from: env.MAIL_FROM ?? "call-center-reports@localhost",
      to: mail.to,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      attachments: [
        ...mail.images.map((i) => ({ cid: i.cid, filename: i.filename, content: i.png, contentType: "image/png", contentDisposition: "inline" as const })),
        ...(mail.attachment ? [mail.attachment] : []),
      ],
    });
    if (info.rejected.length > 0) throw new DeliveryError(`the mail server refused ${info.rejected.join(", ")}: ${info.response}`, true);
    return info.messageId;
  } catch (e) {
    if (e instanceof DeliveryError) throw e;
    const err = e as Error & { responseCode?: number; response?: string; code?: string };
    const permanent = typeof err.responseCode === "number" && err.responseCode >= 500 && err.responseCode < 600;
    throw new DeliveryError(err.response ?? `${err.code ? `${err.code}: ` : ""}${err.message}`, permanent);
  } finally {
    transport.close();
  }
}

export async function sendSms(
  env: Pick<Env, "TWILIO_ACCOUNT_SID" | "TWILIO_AUTH_TOKEN" | "TWILIO_FROM_NUMBER" | "TWILIO_API_BASE_URL">,
  to: string,
  body: string,
): Promise<string> {
  const { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: token, TWILIO_FROM_NUMBER: from } = env;
  if (!sid || !token || !from) throw new DeliveryError("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER must be set to send SMS", true);
  const base = (env.TWILIO_API_BASE_URL ?? "https://api.twilio.com").replace(/\/$/, "");
  let res: Response;
  try {
    res = await fetch(`${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ To: to, From: from, Body: body }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new DeliveryError(`Twilio did not answer: ${(e as Error).message}`, false);
  }
  const text = await res.text();
  let json: { sid?: string; code?: number; message?: string } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // not JSON: described by the status below
  }
  if (res.ok && json.sid) return json.sid;
  const reason = `Twilio answered ${res.status}${json.code ? ` (error ${json.code})` : ""}: ${json.message ?? text.slice(0, 300)}`;
  throw new DeliveryError(reason, res.status >= 400 && res.status < 500 && res.status !== 429);
}
