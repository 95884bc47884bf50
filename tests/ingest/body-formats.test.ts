/**
 * Body formats are a list (worker/cdr/formats/index.ts): the first entry that
 * matches a body parses it; a body that none matches is one dead letter naming
 * the formats tried. A new format is one file and one line in the list.
 */
import { runJobs } from "../helpers/jobs.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { startTestServer, testEnv, type TestServer } from "../helpers/server.js";
import { bodyFormats, type BodyFormat } from "../../worker/cdr/formats/index.js";
import { parseBody } from "../../worker/cdr/parse-body.js";
import { parseCdrLines } from "../../worker/cdr/threecx.js";
import { one, rows } from "../helpers/query.js";

const SECRET = "cdr-webhook-secret-for-body-formats";
const TRIED =
  'tried 3cx-lines (text/*, application/octet-stream or no content type), neutral (JSON with "format": "call"), ' +
  "reportcall (JSON with a CallType key), 3cx-json (JSON objects keyed by CDR field names)";
let db: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.owner.query(`delete from graphile_worker._private_jobs`);
  server = await startTestServer(db.authenticatorUrl, { env: { THREECX_CDR_WEBHOOK_SECRET: SECRET } });
});
afterAll(async () => {
  await server.close();
  await db.drop();
});

const work = () => runJobs(db);
/** Posts a body with this content type; returns its raw id. */
const post = async (body: string, type: string) => {
  const res = await fetch(`${server.url}/api/3cx/cdr-webhook`, { method: "POST", headers: { "content-type": type, authorization: `Bearer ${SECRET}` }, body });
  expect(res.status).toBe(202);
  return ((await res.json()) as { rawIds: number[] }).rawIds[0]!;
};
const raw = (id: number) => one(db.owner, "select status, records_rejected, calls_new from app_private.cdr_raw where id = $1", [id]);
const deadLetters = (id: number) =>
  rows<{ line_number: number | null; field: string; reason: string; line: string }>(db.owner,
    `select line_number, field, reason, convert_from(app_hidden.phi_decrypt_bytea(line_encrypted), 'UTF8') as line
       from app_private.cdr_dead_letters where raw_id = $1 order by id`,
    [id],
  );
const line = (callId: string) =>
  `Call 612504,${callId},00:05:36,2026/09/15 13:33:54,2026/09/15 13:33:54,2026/09/15 13:39:31,TerminatedBySrc,+17345550123,Ext.960,10021,960,960,QFwdToDNA,Ext.504,504,,,,,Chain: +17345550123'Ext.960;Ext.963;Ext.509;Ext.504;,Line,Queue,Extension,Jane Caller,Front desk,Agent 504,Ext.963;Ext.509\r\n`;

describe("a body that no format matches", () => {
  it("CDR lines posted as application/xml: one dead letter naming the content type and the formats tried, no call", async () => {
    const body = line("FORMATS_XML_1");
    const id = await post(body, "application/xml");
    await work();
    expect(await raw(id)).toEqual({ status: "dead_letter", records_rejected: 1, calls_new: 0 });
    expect(await deadLetters(id)).toEqual([
      { line_number: null, field: "body", reason: `no known body format (content type "application/xml"): ${TRIED}`, line: body },
    ]);
    expect((await db.owner.query("select count(*)::int as n from app_public.call_center_records where call_id = 'FORMATS_XML_1'")).rows[0].n).toBe(0);
  });

  it.each([["a JSON scalar", "42"], ["a JSON array of strings", '["Call 1", "Call 2"]'], ["JSON null", "null"]])(
    "%s: one dead letter naming the formats tried",
    async (_what, body) => {
      const id = await post(body, "application/json");
      await work();
      expect(await raw(id)).toEqual({ status: "dead_letter", records_rejected: 1, calls_new: 0 });
      expect(await deadLetters(id)).toEqual([{ line_number: null, field: "body", reason: `no known body format (JSON of no known shape): ${TRIED}`, line: body }]);
    },
  );
});

describe("bodies that worked before still do", () => {
  it.each([["text/plain"], ["text/csv; charset=utf-8"], ["application/octet-stream"]])("CDR lines as %s make a call", async (type) => {
    const callId = `FORMATS_LINES_${type.replace(/\W/g, "_")}`;
    const id = await post(line(callId), type);
    await work();
    expect(await raw(id)).toMatchObject({ status: "processed", calls_new: 1 });
  });
  it("an empty JSON array is an empty list of records: processed, nothing made", async () => {
    const id = await post("[]", "application/json");
    await work();
    expect(await raw(id)).toEqual({ status: "processed", records_rejected: 0, calls_new: 0 });
  });
  it("invalid JSON is still a dead letter that says so", async () => {
    const id = await post("{not json", "application/json");
    await work();
    expect((await deadLetters(id)).map((l) => l.reason)).toEqual([expect.stringMatching(/^not valid JSON: /)]);
  });
});

describe("the list", () => {
  const ctx = { fields: testEnv().THREECX_CDR_FIELDS.split(","), timeZone: "UTC" };

  it("holds the four formats, 3CX lines first and other JSON objects last", () => {
    expect(bodyFormats.map((f) => f.name)).toEqual(["3cx-lines", "neutral", "reportcall", "3cx-json"]);
  });

  it("a new format is one entry: a body no format took is read once the entry is in the list", () => {
    // What a new file in worker/cdr/formats/ would export: 3CX lines with tabs between the fields.
    const tabLines: BodyFormat = {
      name: "3cx-tsv",
      accepts: "text/tab-separated-values",
      matches: ({ contentType }) => contentType.startsWith("text/tab-separated-values"),
      parse: ({ body }, c) => parseCdrLines(Buffer.from(body.toString("utf8").replaceAll("\t", ",")), c),
    };
    const body = Buffer.from(line("FORMATS_TSV_1").replaceAll(",", "\t"));
    // Without it, text/* is read as comma-separated lines: the record does not split into its fields.
    expect(parseBody(body, "text/tab-separated-values", ctx).calls).toEqual([]);
    // The one line: before 3cx-lines, which takes every text/*.
    const withTsv = [tabLines, ...bodyFormats];
    expect(parseBody(body, "text/tab-separated-values", ctx, withTsv).calls.map((c) => c.call_id)).toEqual(["FORMATS_TSV_1"]);
    // And a body no format takes names the new one among those tried.
    expect(parseBody(Buffer.from("<cdr/>"), "application/xml", ctx, withTsv).rejections[0]!.reason).toBe(
      `no known body format (content type "application/xml"): tried 3cx-tsv (text/tab-separated-values), ${TRIED.slice("tried ".length)}`,
    );
  });
});
