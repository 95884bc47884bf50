/**
 * Scheduled reports end to end, against a real SMTP server in this process (smtp-server, read back with
 * mailparser) and a local fake of Twilio's Messages endpoint answering with real Twilio bodies
 * (tests/fixtures/twilio/): the default schedule written from the environment, run by the worker at its slot
 * into the manager's inbox (HTML body, charts as inline PNG by cid, the PDF attached); a re-run for a past day;
 * a delivery that fails twice, then succeeds; deliveries that fail for good and show it (rows, notification,
 * metric); an incomplete day marked as such; SMS within one segment; POST /api/processing/generate-reports and
 * generateReport with refused roles and bad input.
 */
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import pino from "pino";
import { forgetEnv } from "../../lib/env.js";
import { writeDefaultReportSchedule } from "../../db/bootstrap.js";
import { parseReportSchedule, type DefaultReportSchedule } from "../../lib/report-schedule-setting.js";
import { runJobsUntil } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { signToken, startTestServer, type TestServer } from "../helpers/server.js";
import { talk } from "../helpers/calls.js";
import { restClient, type RestClient } from "../helpers/rest.js";
import { numberOf, one, rows } from "../helpers/query.js";
import { gsm7Length, smsSummary } from "../../worker/reports/sms-text.js";
import { sendSms } from "../../worker/reports/deliver.js";
import type { ReportDocument } from "../../server/reports/report-document.js";
import { closeRenderer } from "../../worker/reports/produce.js";

const FIXTURES = path.join(import.meta.dirname, "../fixtures/twilio");
const twilioCreated = fs.readFileSync(path.join(FIXTURES, "message-created.json"), "utf8");
const twilioInvalidTo = fs.readFileSync(path.join(FIXTURES, "error-21211-invalid-to.json"), "utf8");
const twilioRequest = JSON.parse(fs.readFileSync(path.join(FIXTURES, "request.json"), "utf8")) as {
  authorization: string; credentials: { sid: string; secret: string }; form: Record<string, string>;
};

let db: TestDatabase;
let server: TestServer;
let cast: Cast & { superadmin2: Cast["manager"] };
let rest: RestClient;
const token = (who: keyof Cast) => signToken({ email: cast[who].email });
const ZONE = "America/Detroit";

// The SMTP server: every message received, parsed; per recipient, how many times to refuse it first (451) or
// always (550).
const received: ParsedMail[] = [];
const refuseFirst = new Map<string, number>();
const refuseAlways = new Set<string>();
let smtp: SMTPServer;
// The Twilio fake: every request, and the numbers it refuses as Twilio does (21211).
const twilioRequests: { path: string; authorization: string | undefined; form: Record<string, string> }[] = [];
const twilioRefuses = new Set<string>();
let twilio: http.Server;

/** A local day relative to today in America/Detroit (-1: yesterday). */
const localDay = (offset: number) => {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(new Date());
  return new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
};
/** The UTC instant of a local time on a day in America/Detroit. */
const localInstant = async (day: string, time: string) =>
  (await one(db.owner, "select (($1::date + $2::time) at time zone $3) as t", [day, time, ZONE])).t as Date;

/** Calls answered by 101 at Ann Arbor every `everyMinutes` from `from` to `to` local time on a day. */
async function callsOn(day: string, from: string, to: string, everyMinutes: number, prefix: string) {
  const start = await localInstant(day, from);
  const end = await localInstant(day, to);
  const calls = [];
  for (let t = start.getTime(), i = 0; t < end.getTime(); t += everyMinutes * 60_000, i++) {
    const at = (ms: number) => new Date(t + ms).toISOString();
    calls.push(talk(`${prefix}-${i}`, "101", at(0), at(5_000), at(185_000), { caller: `+1734555${String(1000 + i).slice(-4)}`, called: "800", queue: "800" }));
  }
  await db.owner.query("select app_private.ingest_calls($1::jsonb)", [JSON.stringify(calls)]);
}

const settle = () =>
  runJobsUntil(db, async () => (await numberOf(db.owner, "select count(*) from graphile_worker.jobs where run_at <= now() and attempts < max_attempts and locked_at is null")) === 0, {
    what: "report jobs",
  });
/** Makes waiting retries due now, as if their backoff had passed. */
const retryNow = () => db.owner.query("update graphile_worker._private_jobs set run_at = now() where attempts < max_attempts");
const mailTo = (address: string) => received.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(address)));
const runRow = (id: string) => one(db.owner, "select * from app_public.report_runs where id = $1", [id]);
const deliveries = (id: string) =>
  rows(db.owner, "select channel, recipient, status, attempts, last_error, provider_id from app_public.report_deliveries where run_id = $1 order by recipient", [id]);

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase();
      if (refuseAlways.has(to)) return callback(Object.assign(new Error("5.1.1 No such mailbox here"), { responseCode: 550 }));
      const left = refuseFirst.get(to) ?? 0;
      if (left > 0) {
        refuseFirst.set(to, left - 1);
        return callback(Object.assign(new Error("4.3.2 Try again later"), { responseCode: 451 }));
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream, { keepCidLinks: true })
        .then((m) => {
          received.push(m);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  twilio = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      twilioRequests.push({ path: req.url ?? "", authorization: req.headers.authorization, form });
      res.setHeader("content-type", "application/json; charset=utf-8");
      if (twilioRefuses.has(form.To ?? "")) {
        res.statusCode = 400;
        res.end(twilioInvalidTo);
      } else {
        res.statusCode = 201;
        res.end(twilioCreated);
      }
    });
  });
  await new Promise<void>((resolve) => twilio.listen(0, "127.0.0.1", resolve));
  Object.assign(process.env, {
    SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    MAIL_FROM: "Call center reports <reports@gangerdermatology.com>",
    TWILIO_ACCOUNT_SID: "AC58f1e8f2b1c6b88ca90a012a4be0c279",
    TWILIO_AUTH_TOKEN: "test-token",
    TWILIO_FROM_NUMBER: "+19253920364",
    TWILIO_API_BASE_URL: `http://127.0.0.1:${(twilio.address() as AddressInfo).port}`,
  });
  forgetEnv();

  db = await createTestDatabase();
  cast = await createCast(db.owner, "superadmin2");
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values ('101', $1, 'Ann Arbor')`, [cast.agentAA.email]);
  // Yesterday and the two days before: calls every 20 minutes through business hours (08:00–17:00), so no stall.
  for (const d of [-1, -2, -3]) await callsOn(localDay(d), "08:00", "17:00", 20, `D${-d}`);
  await settle();
  server = await startTestServer(db.authenticatorUrl);
  rest = await restClient(server);
});
afterAll(async () => {
  await closeRenderer();
  await server?.close();
  await db?.drop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => twilio.close(() => resolve()));
  for (const k of ["SMTP_URL", "MAIL_FROM", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM_NUMBER", "TWILIO_API_BASE_URL"]) delete process.env[k];
  forgetEnv();
});

describe("the default schedule, from the environment", () => {
  const write = (schedule: DefaultReportSchedule, time: string, recipient?: string) =>
    writeDefaultReportSchedule(db.ownerUrl, { schedule, time, recipient }, pino({ level: "silent" }));

  it("PERFORMANCE_REPORT_SCHEDULE values: daily_8am, weekly_mon, monthly_1, off; anything else says what is allowed", () => {
    expect(parseReportSchedule("daily_8am")).toEqual({ cadence: "daily", weekday: null, monthday: null });
    expect(parseReportSchedule("weekly_mon")).toEqual({ cadence: "weekly", weekday: 1, monthday: null });
    expect(parseReportSchedule("monthly_1")).toEqual({ cadence: "monthly", weekday: null, monthday: 1 });
    expect(parseReportSchedule("off")).toEqual({ cadence: null, weekday: null, monthday: null });
    expect(parseReportSchedule("hourly")).toMatch(/must be daily_8am/);
  });

  it("is written at start: the daily team report at REPORT_GENERATION_TIME to CALL_CENTER_MANAGER_EMAIL; off or without an address, inactive", async () => {
    await write(parseReportSchedule("daily_8am") as DefaultReportSchedule, "08:00", cast.manager.email);
    const s = await one(db.owner, "select name, report, recipients, cadence, local_time::text, active, owner_email from app_public.report_schedules where is_default");
    expect(s).toEqual({ name: "Daily team report", report: "team_performance", recipients: [cast.manager.email], cadence: "daily", local_time: "08:00:00", active: true, owner_email: null });
    await write(parseReportSchedule("off") as DefaultReportSchedule, "08:00", cast.manager.email);
    expect((await one(db.owner, "select active from app_public.report_schedules where is_default")).active).toBe(false);
    await write(parseReportSchedule("daily") as DefaultReportSchedule, "08:00", undefined);
    expect((await one(db.owner, "select active from app_public.report_schedules where is_default")).active).toBe(false);
    expect(await numberOf(db.owner, "select count(*) from app_public.report_schedules where is_default")).toBe(1);
  });

  it("is run by the worker at its slot, into the manager's inbox: HTML body, charts as inline PNG, the PDF attached", async () => {
    // The slot: a minute ago, local time (the dispatcher decides in SQL; the crontab only wakes it).
    const now = new Intl.DateTimeFormat("en-GB", { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(Date.now() - 60_000));
    await write(parseReportSchedule("daily_8am") as DefaultReportSchedule, now, cast.manager.email);
    // Made yesterday (a slot before a schedule existed is never caught up); the timestamps trigger keeps created_at.
    await db.owner.query("alter table app_public.report_schedules disable trigger _100_timestamps");
    await db.owner.query("update app_public.report_schedules set created_at = now() - interval '1 day' where is_default");
    await db.owner.query("alter table app_public.report_schedules enable trigger _100_timestamps");
    await db.owner.query("select graphile_worker.add_job('reports__dispatch', '{}'::json)");
    await settle();

    const run = await one(db.owner, "select r.* from app_public.report_runs r join app_public.report_schedules s on s.id = r.schedule_id where s.is_default");
    expect(run).toEqual(expect.objectContaining({ origin: "schedule", status: "sent", attempts: 1, last_error: null, warnings: [] }));
    expect(run.for_day.toISOString?.() ?? run.for_day).toBeTruthy();
    expect(await deliveries(run.id)).toEqual([
      { channel: "email", recipient: cast.manager.email, status: "sent", attempts: 1, last_error: null, provider_id: expect.stringMatching(/^<.+>$/) },
    ]);
    const [mail] = mailTo(cast.manager.email);
    expect(mail).toBeDefined();
    expect(mail!.subject).toBe(`Team performance, ${localDay(-1)}`);
    expect(mail!.from?.text).toContain("reports@gangerdermatology.com");
    const cids = [...(mail!.html || "").matchAll(/src="cid:([^"]+)"/g)].map((m) => m[1]);
    expect(cids.length).toBeGreaterThan(0);
    const images = mail!.attachments.filter((a) => a.contentType === "image/png");
    expect(images.map((i) => i.cid).sort()).toEqual([...cids].sort());
    for (const i of images) expect(i.content.subarray(1, 4).toString()).toBe("PNG");
    const pdf = mail!.attachments.find((a) => a.contentType === "application/pdf");
    expect(pdf?.filename).toBe(`team-performance-${localDay(-1)}.pdf`);
    expect(pdf!.content.subarray(0, 5).toString()).toBe("%PDF-");
    // The file is stored: document_storage row, bytes in the database, the same bytes as attached.
    const stored = await one(db.owner, `select d.title, d.document_type, d.content_type, d.size_bytes, c.bytes from app_public.document_storage d
        join app_private.document_contents c on c.storage_key = d.storage_key where d.id = $1`, [run.document_id]);
    expect(stored).toEqual(expect.objectContaining({ document_type: "report", content_type: "application/pdf", title: `Daily team report, ${localDay(-1)}` }));
    expect(Buffer.compare(stored.bytes, pdf!.content)).toBe(0);
    // No patient data: no caller number of the day's calls appears anywhere in the message.
    expect(`${mail!.html} ${mail!.text}`).not.toMatch(/734555\d{4}/);
  });

  it("shows its last and next run through GraphQL; the next is tomorrow's slot once today's is sent", async () => {
    const { body } = await server.graphql(`{ allReportSchedules { nodes { name isDefault nextRunAt lastRun { status forDay origin } } } }`, await token("manager"));
    expect(body.errors).toBeUndefined();
    const s = (body.data as { allReportSchedules: { nodes: { isDefault: boolean; nextRunAt: string; lastRun: { status: string; forDay: string; origin: string } }[] } })
      .allReportSchedules.nodes.find((n) => n.isDefault)!;
    expect(s.lastRun).toEqual({ status: "sent", forDay: localDay(-1), origin: "schedule" });
    expect(Date.parse(s.nextRunAt)).toBeGreaterThan(Date.now() + 22 * 3_600_000);
    // A dispatcher woken again in the same slot queues nothing: never twice.
    await db.owner.query("select graphile_worker.add_job('reports__dispatch', '{}'::json)");
    await settle();
    expect(await numberOf(db.owner, "select count(*) from app_public.report_runs r join app_public.report_schedules s on s.id = r.schedule_id where s.is_default")).toBe(1);
  });
});

describe("schedules through GraphQL", () => {
  const create = async (who: keyof Cast, fields: string) =>
    (await server.graphql(`mutation { createReportSchedule(input: { reportSchedule: { ${fields} } }) { reportSchedule { rowId ownerEmail nextRunAt active } } }`, await token(who))).body;

  it("a manager makes a weekly SMS schedule: owned, audited, next run at its weekday's local time", async () => {
    const body = await create("manager", `name: "Monday SMS", report: "team_performance", channel: "sms", recipients: ["+17345550100"], cadence: "weekly", weekday: 1, localTime: "07:30:00"`);
    expect(body.errors).toBeUndefined();
    const made = (body.data as { createReportSchedule: { reportSchedule: { rowId: string; ownerEmail: string; nextRunAt: string; active: boolean } } }).createReportSchedule.reportSchedule;
    expect(made.ownerEmail).toBe(cast.manager.email);
    const next = new Date(made.nextRunAt);
    const local = new Intl.DateTimeFormat("en-US", { timeZone: ZONE, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(next);
    expect(local).toBe("Mon 07:30");
    // Never a catch-up of a slot from before it was made: the next is still to come.
    expect(next.getTime()).toBeGreaterThan(Date.now());
    const audit = await one(db.owner, "select actor_email, action from app_public.audit_logs where table_name = 'app_public.report_schedules' and record_id = $1", [made.rowId]);
    expect(audit).toEqual({ actor_email: cast.manager.email, action: "insert" });
    // SMS carries no file: the format is the body alone.
    expect((await one(db.owner, "select format from app_public.report_schedules where id = $1", [made.rowId])).format).toBe("html");
    await db.owner.query("update app_public.report_schedules set active = false where id = $1", [made.rowId]);
  });

  it.each([
    ["supervisorAA", `name: "Mine", report: "team_performance", recipients: ["sup.aa@gangerdermatology.com"]`, "FORBIDDEN"],
    ["manager", `name: "Bad", report: "team_performance", recipients: ["someone"]`, "CC123"],
    ["manager", `name: "Bad", report: "team_performance", recipients: ["a@gangerdermatology.com"], filters: { agent: "101" }`, "CC128"],
    ["manager", `name: "Bad", report: "team_performance", recipients: ["a@gangerdermatology.com"], cadence: "weekly"`, "CHECK_VIOLATION"],
    ["manager", `name: "Bad", report: "everything", recipients: ["a@gangerdermatology.com"]`, "CHECK_VIOLATION"],
  ] as const)("refuses %s making %s (%s), and makes nothing", async (who, fields, code) => {
    const before = await numberOf(db.owner, "select count(*) from app_public.report_schedules");
    const body = await create(who, fields);
    expect(body.errors?.[0]?.extensions?.code).toBe(code);
    expect(await numberOf(db.owner, "select count(*) from app_public.report_schedules")).toBe(before);
  });
});

describe("POST /api/processing/generate-reports", () => {
  it("re-runs a schedule for a past day: 202 with the run, sent by the worker, read back with its deliveries", async () => {
    const scheduleId = (await one(db.owner, "select id from app_public.report_schedules where is_default")).id as string;
    const day = localDay(-3);
    const res = await rest.send("post", "/api/processing/generate-reports", await token("manager"), { schedule_id: scheduleId, for_day: day });
    expect(res.status).toBe(202);
    expect(res.body).toEqual(expect.objectContaining({ id: expect.any(String), schedule_id: scheduleId, origin: "manual", for_day: day, from_day: day, status: "queued", recipients: [cast.manager.email] }));
    await settle();
    const read = await rest.get(`/api/reports/runs/${res.body.id}`, await token("manager"));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(expect.objectContaining({ status: "sent", warnings: [], finished_at: expect.any(String) }));
    expect(read.body.deliveries.nodes).toEqual([{ channel: "email", recipient: cast.manager.email, status: "sent", attempts: 1, last_error: null, sent_at: expect.any(String) }]);
    expect(mailTo(cast.manager.email).map((m) => m.subject)).toContain(`Team performance, ${day}`);
  });

  it("through GraphQL: generateReport as CSV, read back with reportRunByRowId", async () => {
    const manager = await token("manager");
    const { body } = await server.graphql(
      `mutation { generateReport(input: { report: "team_performance", forDay: "${localDay(-2)}", location: "Ann Arbor", format: "csv" }) { result { rowId status } } }`, manager);
    const run = (body.data as { generateReport: { result: { rowId: string; status: string } } }).generateReport.result;
    expect(run.status).toBe("queued");
    await settle();
    const read = await server.graphql(`query ($id: UUID!) { reportRunByRowId(rowId: $id) { status filters recipients } }`, manager, { id: run.rowId });
    expect(read.body.data).toEqual({ reportRunByRowId: { status: "sent", filters: { location: "Ann Arbor" }, recipients: [cast.manager.email] } });
    const mail = received.at(-1)!;
    expect(mail.attachments.find((a) => a.contentType.startsWith("text/csv"))?.content.toString()).toMatch(new RegExp(`^\uFEFFDay,Location,Offered,Answered,.*\r\n${localDay(-2)},Ann Arbor,27,27,`));
  });

  it("an agent's report (agent_performance takes agent, not location) goes out the same way", async () => {
    const res = await rest.send("post", "/api/processing/generate-reports", await token("manager"), { report: "agent_performance", agent: "101", for_day: localDay(-2), format: "html" });
    expect([res.status, res.body.filters]).toEqual([202, { agent: "101" }]);
    await settle();
    expect((await runRow(res.body.id)).status).toBe("sent");
    const mail = received.at(-1)!;
    expect(mail.subject).toMatch(new RegExp(`${localDay(-2)}$`));
    expect(mail.attachments.filter((a) => a.contentType === "text/html")).toEqual([]);
    const bad = await rest.send("post", "/api/processing/generate-reports", await token("manager"), { report: "agent_performance", location: "Ann Arbor" });
    expect([bad.status, bad.body.error?.code]).toEqual([400, "CC128"]);
  });

  it("call analytics and productivity go out by their own report functions too", async () => {
    for (const report of ["call_analytics", "productivity"]) {
      const res = await rest.send("post", "/api/processing/generate-reports", await token("manager"), { report, for_day: localDay(-2), location: "Ann Arbor", format: "csv" });
      expect(res.status).toBe(202);
      await settle();
      expect([report, (await runRow(res.body.id)).status, (await runRow(res.body.id)).last_error]).toEqual([report, "sent", null]);
      expect((await runRow(res.body.id)).document.report).toBe(report);
    }
  });

  it("a supervisor may send a report of their own location to themselves, nothing else (403)", async () => {
    const sup = await token("supervisorAA");
    const ok = await rest.send("post", "/api/processing/generate-reports", sup, { report: "team_performance", location: "Ann Arbor" });
    expect([ok.status, ok.body.recipients]).toEqual([202, [cast.supervisorAA.email]]);
    const before = await numberOf(db.owner, "select count(*) from app_public.report_runs");
    for (const body of [{ report: "team_performance", location: "Wixom" }, { report: "team_performance" }, { report: "team_performance", location: "Ann Arbor", recipients: [cast.manager.email] }]) {
      const res = await rest.send("post", "/api/processing/generate-reports", sup, body);
      expect([res.status, res.body.error?.code]).toEqual([403, "CC127"]);
    }
    expect(await numberOf(db.owner, "select count(*) from app_public.report_runs")).toBe(before);
  });

  it.each(["agentAA", "staff"] as const)("refuses %s (generateReports) with 403 by REST and GraphQL, and queues nothing", async (who) => {
    const before = await numberOf(db.owner, "select count(*) from app_public.report_runs");
    const res = await rest.send("post", "/api/processing/generate-reports", await token(who), { report: "team_performance" });
    expect([res.status, res.body.error?.code]).toEqual([403, "FORBIDDEN"]);
    const { body } = await server.graphql(`mutation { generateReport(input: { report: "team_performance" }) { result { rowId } } }`, await token(who));
    expect(body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await numberOf(db.owner, "select count(*) from app_public.report_runs")).toBe(before);
  });

  it("refuses without a token (401)", async () => {
    expect((await rest.send("post", "/api/processing/generate-reports", undefined, { report: "team_performance" })).status).toBe(401);
  });

  it.each([
    ["no report and no schedule", {}, 400, "report", "CC121"],
    ["a report that does not exist", { report: "everything" }, 400, "report", "INVALID_INPUT"],
    ["today (not a whole day yet)", { report: "team_performance", for_day: localDay(0) }, 400, "for_day", "CC124"],
    ["a range over 93 days", { report: "team_performance", from_day: localDay(-200) }, 400, "from_day", "CC124"],
    ["a recipient that is not an address", { report: "team_performance", recipients: ["not-an-address"] }, 400, "recipients", "CC123"],
    ["an SMS recipient that is not E.164", { report: "team_performance", channel: "sms", recipients: ["734-555-0100"] }, 400, "recipients", "CC123"],
    ["a location that does not exist", { report: "team_performance", location: "Atlantis" }, 400, "location", "CC126"],
    ["a schedule that does not exist", { schedule_id: "00000000-0000-4000-8000-000000000000" }, 404, "schedule_id", "NOT_FOUND"],
    ["a day that is not one", { report: "team_performance", for_day: "yesterday" }, 400, "for_day", "INVALID_INPUT"],
    ["a field that does not exist", { report: "team_performance", everything: true }, 400, "everything", "INVALID_INPUT"],
  ])("answers %s with %s naming the field, and queues nothing", async (_what, body, status, field, code) => {
    const before = await numberOf(db.owner, "select count(*) from app_public.report_runs");
    const res = await rest.send("post", "/api/processing/generate-reports", await token("manager"), body);
    expect([res.status, res.body.error?.code, res.body.error?.field]).toEqual([status, code, field]);
    expect(await numberOf(db.owner, "select count(*) from app_public.report_runs")).toBe(before);
  });

  it("a run is a 404 for someone who neither asked for it nor sees all", async () => {
    const id = (await one(db.owner, "select id from app_public.report_runs where requested_by = $1 limit 1", [cast.manager.userId])).id as string;
    expect((await rest.get(`/api/reports/runs/${id}`, await token("supervisorAA"))).status).toBe(404);
    expect((await rest.get(`/api/reports/runs/${id}`, await token("superadmin"))).status).toBe(200);
  });
});

describe("delivery failures", () => {
  const generate = async (body: Record<string, unknown>) => {
    const res = await rest.send("post", "/api/processing/generate-reports", await token("manager"), { report: "team_performance", for_day: localDay(-2), ...body });
    expect(res.status).toBe(202);
    return res.body.id as string;
  };

  it("a delivery refused twice (451) is retried with backoff and sent at the third attempt", async () => {
    const flaky = "flaky.manager@gangerdermatology.com";
    refuseFirst.set(flaky, 2);
    const id = await generate({ recipients: [flaky] });
    await settle();
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: "pending", attempts: 1, last_error: expect.stringContaining("451") })]);
    expect((await runRow(id)).status).toBe("running");
    // The retry waits for graphile-worker's backoff; make it due now, twice.
    for (const attempt of [2, 3]) {
      await retryNow();
      await settle();
      expect((await deliveries(id))[0].attempts).toBe(attempt);
    }
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: "sent", attempts: 3, provider_id: expect.any(String) })]);
    expect((await runRow(id)).status).toBe("sent");
    expect(mailTo(flaky)).toHaveLength(1);
  });

  it("a delivery refused for good (550) fails at once: the delivery and the run say why, superadmins are notified, /metrics counts it", async () => {
    const gone = "left.the.practice@gangerdermatology.com";
    refuseAlways.add(gone);
    const id = await generate({ recipients: [gone] });
    await settle();
    expect(await deliveries(id)).toEqual([expect.objectContaining({ status: "failed", attempts: 1, last_error: expect.stringContaining("550") })]);
    const run = await runRow(id);
    expect(run).toEqual(expect.objectContaining({ status: "failed", finished_at: expect.any(Date) }));
    expect(run.last_error).toMatch(new RegExp(`1 of 1 deliveries failed: ${gone.replace(/\./g, "\\.")}: .*550`));
    const notes = await rows(db.owner, `select u.email, n.title, n.body from app_public.notifications n join app_public.users u on u.id = n.user_id
      where n.notification_type = 'report_delivery_failed' and n.data ->> 'report_run_id' = $1 order by u.email`, [id]);
    expect(notes.map((n) => n.email)).toEqual([cast.superadmin2.email, cast.superadmin.email].sort());
    expect(notes[0].body).toContain(gone);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/report_deliveries\{channel="email",status="failed"\} 1/);
    expect(metrics).toMatch(/report_runs\{status="failed"\} 1/);
    expect(await numberOf(db.owner, "select count(*) from graphile_worker.jobs where task_identifier = 'reports__deliver'")).toBe(0);
  });

  it("SMS: a summary in one GSM-7 segment through Twilio's Messages API; a number Twilio refuses (21211) fails for good: the run is partial", async () => {
    twilioRefuses.add("+15005550001");
    const id = await generate({ channel: "sms", recipients: ["+17345550100", "+15005550001"] });
    await settle();
    expect(await deliveries(id)).toEqual([
      expect.objectContaining({ recipient: "+15005550001", status: "failed", attempts: 1, last_error: "Twilio answered 400 (error 21211): The 'To' number is not a valid phone number." }),
      expect.objectContaining({ recipient: "+17345550100", status: "sent", provider_id: "SM9b7db369463c439384fe9abb09751af8" }),
    ]);
    expect((await runRow(id)).status).toBe("partial");
    const sent = twilioRequests.find((r) => r.form.To === "+17345550100")!;
    expect(sent.path).toBe("/2010-04-01/Accounts/AC58f1e8f2b1c6b88ca90a012a4be0c279/Messages.json");
    expect(sent.authorization).toBe(`Basic ${Buffer.from("AC58f1e8f2b1c6b88ca90a012a4be0c279:test-token").toString("base64")}`);
    expect(Object.keys(sent.form).sort()).toEqual(Object.keys(twilioRequest.form).sort());
    expect(sent.form.From).toBe("+19253920364");
    expect(sent.form.Body).toMatch(/^Team performance, \d{4}-\d{2}-\d{2}: Service level [\d.]+% \(goal [\d.]+%\); /);
    expect(gsm7Length(sent.form.Body!)).toBeLessThanOrEqual(160);
  });
});

describe("an incomplete day", () => {
  it("says so on the report instead of sending wrong figures: ingestion stalled in business hours, a recount pending", async () => {
    // Four days ago: calls only until 10:00 (the feed stopped), and a team recount still waiting.
    const day = localDay(-4);
    await callsOn(day, "08:00", "10:00", 15, "D4");
    await settle();
    await db.owner.query("insert into app_private.kpi_stale_team_days (business_day) values ($1)", [day]);
    const res = await rest.send("post", "/api/processing/generate-reports", await token("manager"), { report: "team_performance", for_day: day });
    await runJobsUntil(db, async () => (await runRow(res.body.id)).status !== "queued" && (await runRow(res.body.id)).status !== "running", { what: "the run" });
    const run = await runRow(res.body.id);
    const isWeekday = ![0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay());
    const codes = (run.warnings as { code: string; message: string }[]).map((w) => w.code);
    expect(codes).toContain("recount_pending");
    if (isWeekday) {
      const stall = (run.warnings as { code: string; message: string }[]).find((w) => w.code === "ingestion_stalled")!;
      expect(stall.message).toMatch(new RegExp(`on ${day} from 09:45 to 17:00`));
    }
    const mail = received.at(-1)!;
    expect(mail.subject).toBe(`[figures incomplete] Team performance, ${day}`);
    expect(mail.html).toContain("Figures incomplete:");
    expect(mail.html).toContain("(recount_pending)");
  });

  it("report_data_warnings at fixed instants: the stall, the pending recount and the PBX clock offset, each on its own", async () => {
    const day = "2026-03-10"; // a Tuesday: business hours 08:00–17:00 at every location
    await callsOn(day, "08:00", "12:00", 10, "W");
    await callsOn(day, "13:00", "17:00", 10, "W2");
    await settle();
    const warnings = async (at = "2026-03-11T12:00:00Z") =>
      (await one(db.owner, "select app_private.report_data_warnings($1::date, $1::date, null, 30, $2::timestamptz) as w", [day, at])).w as { code: string; message: string }[];
    expect((await warnings()).map((w) => w.message)).toEqual([
      `Ingestion stalled: no call records came in during business hours on ${day} from 11:50 to 13:00 (30 minutes or more without a record). Calls of that time are missing from these figures.`,
    ]);
    // Asked at 12:10 local the same day: hours not yet lived are not a stall.
    expect(await warnings("2026-03-10T16:10:00Z")).toEqual([]);
    await db.owner.query("insert into app_private.kpi_stale_agent_days (agent_extension, business_day) values ('101', $1)", [day]);
    expect((await warnings()).map((w) => w.code)).toEqual(["ingestion_stalled", "recount_pending"]);
    await db.owner.query("delete from app_private.kpi_stale_agent_days where business_day = $1", [day]);
    // The health check's clock warning: 10 live records whose end is 5 hours before their arrival.
    await db.owner.query(`with raw as (insert into app_private.cdr_raw (source, body, status, processed_at) values ('webhook', '\\x', 'processed', now()) returning id)
      insert into app_private.cdr_feed_samples (raw_id, received_at, record_end, has_type_fields)
      select raw.id, now(), now() - interval '5 hours', true from raw, generate_series(1, 10)`);
    expect((await warnings()).map((w) => w.code)).toEqual(["ingestion_stalled", "pbx_clock_offset"]);
    expect((await warnings()).at(-1)!.message).toMatch(/off by about 5\.0 hours/);
    await db.owner.query("delete from app_private.cdr_feed_samples");
  });
});

describe("the SMS text", () => {
  const doc = (summary: ReportDocument["summary"], warnings: ReportDocument["warnings"] = []): ReportDocument => ({
    report: "team_performance", title: "Team performance", range: { from: "2026-03-09", to: "2026-03-09" }, filters: {}, generated_at: "2026-03-10T12:00:00Z",
    timezone: ZONE, warnings, summary, sections: [], charts: [],
  });
  it("counts GSM-7: basic characters 1, extension characters 2; anything else is not GSM-7", () => {
    expect(gsm7Length("Calls 412; SL 81.2%")).toBe(19);
    expect(gsm7Length("{x}")).toBe(5);
    expect(gsm7Length("–")).toBeNaN();
  });
  it("fits one segment: figures are added while they fit, a dash becomes '-', the incomplete flag comes first", () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, label: `Figure number ${i} – long`, value: 1234.5 + i, type: "number" as const }));
    const text = smsSummary(doc(many, [{ code: "recount_pending", message: "x" }]), "Team performance, 2026-03-09");
    expect(gsm7Length(text)).toBeLessThanOrEqual(160);
    expect(text).toMatch(/^Team performance, 2026-03-09 - FIGURES INCOMPLETE: Figure number 0 - long 1234\.5;/);
    expect(text.endsWith(".")).toBe(true);
    const sl = smsSummary(doc([{ key: "sl", label: "Service level", value: 81.23, type: "pct", goal: 80 }, { key: "aht", label: "AHT", value: 252, type: "seconds" }]), "Daily");
    expect(sl).toBe("Daily: Service level 81.2% (goal 80.0%); AHT 4:12.");
  });
  it("sends the request Twilio's own tests record: form To, From, Body; Basic auth of the SID and token", async () => {
    const before = twilioRequests.length;
    const sid = await sendSms({ TWILIO_ACCOUNT_SID: twilioRequest.credentials.sid, TWILIO_AUTH_TOKEN: twilioRequest.credentials.secret, TWILIO_FROM_NUMBER: twilioRequest.form.From,
      TWILIO_API_BASE_URL: process.env.TWILIO_API_BASE_URL }, twilioRequest.form.To!, twilioRequest.form.Body!);
    expect(sid).toBe("SM9b7db369463c439384fe9abb09751af8");
    const req = twilioRequests[before]!;
    expect(req.authorization).toBe(twilioRequest.authorization);
    expect(req.form).toEqual(twilioRequest.form);
  });
});
