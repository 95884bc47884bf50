/**
 * The journal rules in SQL, walked whole as the API's people meet them:
 * every status move (from × to) for a reviewer and for the author, the
 * reviewer's record kept by the database, and no payment card number in any
 * text field (app_hidden.looks_like_card_number, the Luhn check), for
 * everyone, the field named.
 */
import pg from "pg";
import { asUser, createTestDatabase, refusal, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast, type Persona } from "../helpers/users.js";
import { makeCall, makeJournal } from "../helpers/journals.js";
import { one } from "../helpers/query.js";

let db: TestDatabase;
let cast: Cast;
let call: string;

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  call = await makeCall(db.owner, "rules-aa", "Ann Arbor", cast.agentAA.email);
});
afterAll(async () => db.drop());

const as = <T>(who: Persona, fn: (c: pg.PoolClient) => Promise<T>) => asUser(db.authenticator, cast[who], fn);

describe("looks_like_card_number", () => {
  it.each([
    ["4111 1111 1111 1111", true],
    ["4111-1111-1111-1111", true],
    ["4111111111111111", true],
    ["paid with card4111111111111111today", true],
    ["378282246310005 (Amex, 15 digits)", true],
    ["4222222222222 (13 digits)", true],
    ["6011 0009 9013 9424 exp 04/27", true],
    ["card 4111 1111 1111 1111 0427: the card beside other digits", true],
    ["4111 1111 1111 1112 (fails the Luhn check)", false],
    ["422222222222 (12 digits)", false],
    ["12345678901234567890123 (one block of 23 digits)", false],
    ["call 734-555-0101 on 2026-03-10", false],
    ["MRN 1234567, born 1980-01-02", false],
    ["4111  1111  1111  1111 (double spaces break the run)", false],
    ["", false],
  ])("%s → %s", async (text, expected) => {
    expect((await one(db.owner, "select app_hidden.looks_like_card_number($1) as v", [text])).v).toBe(expected);
  });
});

describe("no card number in any journal field", () => {
  const CARD = "5500 0000 0000 0004";
  const FIELDS: Array<[string, string]> = [
    ["call_summary", `'Card ${CARD}'`],
    ["detailed_notes", `'Card ${CARD}'`],
    ["patient_concern", `'Card ${CARD}'`],
    ["resolution_provided", `'Card ${CARD}'`],
    ["action_items", `array['Call back', '${CARD}']`],
    ["follow_up_notes", `'Card ${CARD}'`],
    ["call_tags", `array['${CARD}']`],
    ["department_involved", `array['Billing ${CARD}']`],
    ["referral_type", `'Card ${CARD}'`],
    ["coaching_notes", `'Card ${CARD}'`],
    ["training_opportunities", `array['${CARD}']`],
    ["improvement_areas", `array['${CARD}']`],
  ];

  it.each(FIELDS)("refuses one in %s, naming the field, for everyone (the owner too)", async (field, value) => {
    const id = await makeJournal(db.owner, { call, agent: cast.agentAA.email, followUp: { type: "callback", date: "2026-12-01" } });
    const c = await db.owner.connect();
    try {
      await expect(c.query(`update app_public.call_journals set ${field} = ${value} where id = $1`, [id])).rejects.toMatchObject({ code: "CC722", column: field });
      const summary = field === "call_summary" ? value : "'x'";
      const [extra, extraValue] = field === "call_summary" ? ["", ""] : [`, ${field}`, `, ${value}`];
      await expect(c.query(`insert into app_public.call_journals (call_record_id, agent_email, call_summary, follow_up_required, follow_up_type${extra})
        values ($1, $2, ${summary}, true, 'callback'${extraValue})`, [call, cast.agentAA.email])).rejects.toMatchObject({ code: "CC722", column: field });
    } finally {
      c.release();
    }
  });

  it("covers every text field of the table", async () => {
    const { rows } = await db.owner.query<{ column_name: string }>(
      `select column_name from information_schema.columns
        where table_schema = 'app_public' and table_name = 'call_journals' and (data_type = 'text' or udt_name = '_text') and column_name not like '%\\_masked'
          and column_name not in ('journal_status', 'follow_up_type') order by 1`);
    // journal_status and follow_up_type hold one of a few words (CHECK): nothing to write a number into; follow_up_type is checked anyway.
    expect(rows.map((r) => r.column_name)).toEqual(FIELDS.map(([f]) => f).sort());
  });

  it("looks only at what changes: a journal that already holds one (written before the rule) may still be edited elsewhere", async () => {
    const root = new pg.Client({ connectionString: db.rootUrl });
    await root.connect();
    let id: string;
    try {
      await root.query("begin");
      await root.query("set local session_replication_role = replica");
      id = (await root.query(`insert into app_public.call_journals (call_record_id, agent_email, call_summary) values ($1, $2, 'Old note 4111 1111 1111 1111') returning id`,
        [call, cast.agentAA.email])).rows[0].id;
      await root.query("commit");
    } finally {
      await root.end();
    }
    await as("agentAA", async (c) => {
      expect(await refusal(c, "update app_public.call_journals set call_tags = array['billing'] where id = $1", [id])).toBeNull();
      expect(await refusal(c, "update app_public.call_journals set call_summary = 'New 4111 1111 1111 1111' where id = $1", [id])).toBe("CC722");
    });
  });
});

describe("status moves: draft → submitted → reviewed → approved, one step at a time, by the right people", () => {
  const STATUSES = ["draft", "submitted", "reviewed", "approved"] as const;
  type Status = (typeof STATUSES)[number];
  const STEPS = new Set(["draft>submitted", "submitted>reviewed", "reviewed>approved"]);
  const move = (to: Status) => `update app_public.call_journals set journal_status = '${to}'${to === "reviewed" ? ", review_score = 75" : ""} where id = $1`;

  async function walk(who: Persona, agent: string) {
    const got: Record<string, string | null> = {};
    for (const from of STATUSES) {
      const id = await makeJournal(db.owner, { call, agent, status: from, reviewedBy: cast.supervisorWX.email });
      for (const to of STATUSES) got[`${from}>${to}`] = await as(who, (c) => refusal(c, move(to), [id]));
    }
    return got;
  }

  it("a reviewer of the location (not the author) makes exactly the three steps, and changes nothing else's status", async () => {
    const got = await walk("supervisorAA", cast.agentAA.email);
    const want = Object.fromEntries(Object.keys(got).map((k) => {
      const [from, to] = k.split(">");
      return [k, from === to || STEPS.has(k) ? null : "CC203"];
    }));
    expect(got).toEqual(want);
  });

  it("the author submits; reviewing and approving are not theirs, and a reviewed journal is no longer theirs to change", async () => {
    // reviewed>reviewed sets a new score (CC202); approved>approved changes nothing but is refused still (CC201).
    const got = await walk("agentAA", cast.agentAA.email);
    expect(got).toEqual({
      "draft>draft": null, "draft>submitted": null, "draft>reviewed": "CC203", "draft>approved": "CC203",
      "submitted>draft": "CC203", "submitted>submitted": null, "submitted>reviewed": "CC202", "submitted>approved": "CC203",
      "reviewed>draft": "CC203", "reviewed>submitted": "CC203", "reviewed>reviewed": "CC202", "reviewed>approved": "CC202",
      "approved>draft": "CC203", "approved>submitted": "CC203", "approved>reviewed": "CC203", "approved>approved": "CC201",
    });
  });

  it("a reviewer who is the author reviews and approves nothing of their own, and may not change it once reviewed", async () => {
    const got = await walk("supervisorAA", cast.supervisorAA.email);
    expect(got).toEqual(expect.objectContaining({
      "draft>submitted": null, "submitted>reviewed": "CC204", "reviewed>approved": "CC204", "reviewed>reviewed": "CC204", "approved>approved": "CC201",
    }));
  });

  it("a journal is scored only with its review, and a review carries a score", async () => {
    const id = await makeJournal(db.owner, { call, agent: cast.agentAA.email, status: "submitted" });
    await as("supervisorAA", async (c) => {
      expect(await refusal(c, "update app_public.call_journals set review_score = 80 where id = $1", [id])).toBe("CC203");
      expect(await refusal(c, "update app_public.call_journals set coaching_notes = 'Slow down' where id = $1", [id])).toBe("CC203");
      expect(await refusal(c, "update app_public.call_journals set journal_status = 'reviewed' where id = $1", [id])).toBe("CC721");
    });
  });

  it("records who reviewed and when itself: the columns are not the writer's", async () => {
    const id = await makeJournal(db.owner, { call, agent: cast.agentAA.email, status: "submitted" });
    const row = await as("supervisorAA", async (c) => {
      expect(await refusal(c, "update app_public.call_journals set reviewed_by = $2 where id = $1", [id, cast.manager.email])).toBe("42501");
      return (await c.query("select * from app_public.review_call_journal($1, 77)", [id])).rows[0];
    });
    expect(row).toEqual(expect.objectContaining({ journal_status: "reviewed", review_score: 77, reviewed_by: cast.supervisorAA.email, reviewed_at: expect.any(Date) }));
    expect(await as("agentAA", (c) => refusal(c, `insert into app_public.call_journals (call_record_id, call_summary, reviewed_by) values ($1, 'x', $2)`, [call, cast.supervisorAA.email])))
      .toBe("42501");
  });
});
