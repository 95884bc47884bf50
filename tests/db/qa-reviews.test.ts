/**
 * QA reviews in the database, as the people who use them (the API's
 * settings, each test in a transaction rolled back): the status moves and who
 * may change what, the call's quality_score, the agent's notifications,
 * coaching opportunities exactly as ../shared/kpi-definitions.md defines them,
 * the monthly quota and the weighted sampling of calls (deterministic through
 * setseed).
 *
 * Ann Arbor agents: agentAA (ext 101), aa2 (102), aa3 (103); Wixom: agentWX (201).
 * Calls on 10 March 2026: A1–A20 answered by 101, B1–B20 by 102, W1 by 201.
 */
import type pg from "pg";
import { asUser, createTestDatabase, refusal, type TestDatabase } from "../helpers/db.js";
import { createCast, createUser, type Cast } from "../helpers/users.js";
import type { Session } from "../../server/auth.js";
import { num, one, rows, type Queryable } from "../helpers/query.js";
import { talk } from "../helpers/calls.js";

let db: TestDatabase;
let cast: Cast;
let aa2: Session;
const callId: Record<string, string> = {};
const AA2 = "agent.aa2@gangerdermatology.com";
const AA3 = "agent.aa3@gangerdermatology.com";
const CATEGORIES = ["greeting_professionalism", "active_listening", "problem_resolution", "product_knowledge",
  "communication_clarity", "empathy_patience", "call_control", "closing_effectiveness"];

const as = <T>(who: Session, fn: (c: pg.PoolClient) => Promise<T>) => asUser(db.authenticator, who, fn);
/** The SQLSTATE a statement is refused with (null when it succeeds). */
const refused = refusal;

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  aa2 = await createUser(db.owner, { email: AA2, role: "call_center_agent", locations: ["Ann Arbor"] });
  await createUser(db.owner, { email: AA3, role: "call_center_agent", locations: ["Ann Arbor"] });
  await db.owner.query(`insert into app_public.queues (name, extension, location_name) values ('AA Front', '800', 'Ann Arbor'), ('WX Front', '810', 'Wixom')`);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name) values
    ('101', $1, 'Ann Arbor'), ('102', $2, 'Ann Arbor'), ('103', $3, 'Ann Arbor'), ('201', $4, 'Wixom')`,
  [cast.agentAA.email, AA2, AA3, cast.agentWX.email]);
  const at = (i: number, ms = 0) => new Date(Date.parse("2026-03-10T14:00:00Z") + i * 600_000 + ms).toISOString();
  const calls = [
    ...Array.from({ length: 20 }, (_, i) => talk(`A${i + 1}`, "101", at(i), at(i, 5_000), at(i, 120_000))),
    ...Array.from({ length: 20 }, (_, i) => talk(`B${i + 1}`, "102", at(i, 1_000), at(i, 6_000), at(i, 121_000))),
    talk("W1", "201", at(0), at(0, 5_000), at(0, 90_000), { queue: "810", called: "810" }),
  ];
  const { rows: outcomes } = await db.owner.query("select outcome from app_private.ingest_calls($1::jsonb)", [JSON.stringify(calls)]);
  expect(outcomes.filter((r) => r.outcome === "rejected")).toEqual([]);
  for (const r of await rows(db.owner, "select call_id, id from app_public.call_center_records")) callId[r.call_id] = r.id;
});
afterAll(async () => db.drop());

/** Starts a draft review of a call as a person, returning its id. */
const start = async (c: pg.PoolClient, call: string, extra = "") =>
  (await one(c, `select id from app_public.create_qa_review('random', $1${extra})`, [callId[call]])).id as string;
const review = async (c: Queryable, id: string) => num(await one<Record<string, unknown>>(c, "select * from app_public.quality_assurance_reviews where id = $1", [id]));

describe("a review's life: draft → completed → discussed_with_agent", () => {
  it("creates a draft of the call's agent, scores it (NULL = not applicable), completes it, and moves only forward", () =>
    as(cast.supervisorAA, async (c) => {
      const id = await start(c, "A1");
      expect(await review(c, id)).toEqual(expect.objectContaining({
        agent_email: cast.agentAA.email, reviewer_email: cast.supervisorAA.email, review_status: "draft", completed_at: null, review_date: expect.any(Date),
      }));
      expect(await refused(c, "select app_public.complete_qa_review($1)", [id])).toBe("CC322");
      await c.query("select app_public.score_qa_review($1, greeting_professionalism => 5, active_listening => 4, call_control => null)", [id]);
      expect(await review(c, id)).toEqual(expect.objectContaining({ total_score: 9, percentage_score: 90, call_control: null }));
      await c.query("select app_public.complete_qa_review($1)", [id]);
      expect((await review(c, id)).completed_at).toEqual(expect.any(Date));
      expect(await refused(c, "select app_public.complete_qa_review($1)", [id])).toBe("CC321");
      expect(await refused(c, "update app_public.quality_assurance_reviews set review_status = 'draft' where id = $1", [id])).toBe("CC321");
      // A completed scorecard is final, through the function and through a plain update.
      expect(await refused(c, "select app_public.score_qa_review($1, greeting_professionalism => 1)", [id])).toBe("CC323");
      expect(await refused(c, "update app_public.quality_assurance_reviews set greeting_professionalism = 1 where id = $1", [id])).toBe("CC323");
      expect(await refused(c, "update app_public.quality_assurance_reviews set review_type = 'targeted' where id = $1", [id])).toBe("CC323");
      // Feedback may still be written.
      await c.query("update app_public.quality_assurance_reviews set strengths_observed = 'Warm greeting' where id = $1", [id]);
      await c.query("select app_public.discuss_qa_review($1)", [id]);
      expect(await review(c, id)).toEqual(expect.objectContaining({ review_status: "discussed_with_agent", greeting_professionalism: 5 }));
      expect(await refused(c, "select app_public.discuss_qa_review($1)", [id])).toBe("CC321");
      expect(await refused(c, "update app_public.quality_assurance_reviews set review_status = 'completed' where id = $1", [id])).toBe("CC321");
    }));

  it("dates a review by the business day, not the UTC date, whichever the hour (zones 14 h ahead of and 11 h behind UTC)", async () => {
    const { inTransaction } = await import("../helpers/db.js");
    for (const zone of ["Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      await inTransaction(db.owner, {}, async (c) => {
        await c.query("insert into app_private.settings (name, value) values ('business_timezone', $1) on conflict (name) do update set value = excluded.value", [zone]);
        const { id } = await one(c, `insert into app_public.quality_assurance_reviews (call_record_id, agent_email, reviewer_email, reviewer_name, review_type)
          values ($1, $2, $3, 'S', 'random') returning id`, [callId.A1, cast.agentAA.email, cast.supervisorAA.email]);
        const { review_date, local_today } = await one(c, "select review_date::text, (now() at time zone $2)::date::text as local_today from app_public.quality_assurance_reviews where id = $1", [id, zone]);
        expect(review_date).toBe(local_today);
      });
    }
  });

  it("refuses discussing a draft, and a discussion date before the review or in the future", () =>
    as(cast.supervisorAA, async (c) => {
      const id = await start(c, "A2", ", review_date => '2026-03-11'");
      expect(await refused(c, "select app_public.discuss_qa_review($1)", [id])).toBe("CC321");
      await c.query("select app_public.score_qa_review($1, greeting_professionalism => 3)", [id]);
      await c.query("select app_public.complete_qa_review($1)", [id]);
      expect(await refused(c, "select app_public.discuss_qa_review($1, '2026-03-10')", [id])).toBe("CC305");
      expect(await refused(c, "select app_public.discuss_qa_review($1, app_hidden.business_day(now()) + 1)", [id])).toBe("CC305");
      expect((await review(c, id)).review_status).toBe("completed");
    }));

  it("refuses a self-review, an agent who was not on the call, and people without conductQAReviews", async () => {
    await as(cast.supervisorAA, async (c) => {
      expect(await refused(c, "select app_public.create_qa_review('coaching', agent_email => $1)", [cast.supervisorAA.email])).toBe("CC302");
      expect(await refused(c, "select app_public.create_qa_review('random', $1, $2)", [callId.A1, AA2])).toBe("CC303");
      // Another location's agent or call is one the supervisor may not see.
      expect(await refused(c, "select app_public.create_qa_review('random', agent_email => $1)", [cast.agentWX.email])).toBe("CC313");
      expect(await refused(c, "select app_public.create_qa_review('random', $1)", [callId.W1])).toBe("CC312");
      expect(await refused(c, "select app_public.create_qa_review('random')")).toBe("CC303");
    });
    await as(cast.manager, async (c) => {
      // Through the table's own insert too.
      expect(await refused(c, `insert into app_public.quality_assurance_reviews (agent_email, review_type) values ($1, 'random')`, [cast.manager.email])).toBe("CC302");
      expect(await refused(c, `insert into app_public.quality_assurance_reviews (call_record_id, agent_email, review_type) values ($1, $2, 'random')`, [callId.W1, cast.agentAA.email])).toBe("CC303");
    });
    for (const who of [cast.agentAA, cast.staff]) {
      await as(who, async (c) => expect(await refused(c, "select app_public.create_qa_review('random', $1)", [callId.A1])).toBe("42501"));
    }
  });

  it("lets only the reviewer (or a manager) change a review; another supervisor of the location is refused", async () => {
    const other = await createUser(db.owner, { email: "sup2.aa@gangerdermatology.com", role: "supervisor", locations: ["Ann Arbor"] });
    const id = await inCommitted(cast.supervisorAA, (c) => start(c, "A3"));
    await as(other, async (c) => {
      expect(await refused(c, "select app_public.score_qa_review($1, greeting_professionalism => 2)", [id])).toBe("42501");
    });
    await as(cast.manager, async (c) => {
      await c.query("select app_public.score_qa_review($1, greeting_professionalism => 2)", [id]);
      expect((await review(c, id)).greeting_professionalism).toBe(2);
    });
    await as(cast.supervisorWX, async (c) => expect(await refused(c, "select app_public.complete_qa_review($1)", [id])).toBe("CC311"));
    await db.owner.query("delete from app_public.quality_assurance_reviews where id = $1", [id]);
  });
});

/** Runs fn as a person and commits (for state other people's transactions must see). */
async function inCommitted<T>(who: Session, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const { inTransaction, personSettings } = await import("../helpers/db.js");
  return inTransaction(db.authenticator, personSettings(who), fn, { commit: true });
}

describe("acknowledgment: the reviewed agent's only change, once completed, for good", () => {
  let draft: string, done: string;
  beforeAll(async () => {
    [draft, done] = await inCommitted(cast.supervisorAA, async (c) => {
      const d = await start(c, "A4", ", greeting_professionalism => 4");
      const f = await start(c, "A5", ", greeting_professionalism => 4, empathy_patience => 2");
      await c.query("select app_public.complete_qa_review($1)", [f]);
      return [d, f];
    });
  });
  afterAll(async () => {
    await db.owner.query("delete from app_public.quality_assurance_reviews where id = any($1)", [[draft, done]]);
  });

  it("hides drafts from the reviewed agent; shows completed reviews", () =>
    as(cast.agentAA, async (c) => {
      const seen = (await rows(c, "select id from app_public.quality_assurance_reviews")).map((r) => r.id);
      expect(seen).toContain(done);
      expect(seen).not.toContain(draft);
      expect(await refused(c, "select app_public.acknowledge_qa_review($1)", [draft])).toBe("CC311");
    }));

  it("refuses the agent any other change: a score, through the function or the table", () =>
    as(cast.agentAA, async (c) => {
      expect(await refused(c, "select app_public.score_qa_review($1, greeting_professionalism => 5)", [done])).toBe("42501");
      expect(await refused(c, "update app_public.quality_assurance_reviews set greeting_professionalism = 5 where id = $1", [done])).toBe("CC301");
      expect(await refused(c, "update app_public.quality_assurance_reviews set agent_acknowledgment = true, strengths_observed = 'mine' where id = $1", [done])).toBe("CC301");
      expect((await review(db.owner, done)).greeting_professionalism).toBe(4);
    }));

  it("lets the agent acknowledge once and never take it back; nobody else may acknowledge", async () => {
    await as(cast.supervisorAA, async (c) => {
      expect(await refused(c, "select app_public.acknowledge_qa_review($1)", [done])).toBe("CC304");
      expect(await refused(c, "update app_public.quality_assurance_reviews set agent_acknowledgment = true where id = $1", [done])).toBe("CC304");
    });
    await as(cast.agentAA, async (c) => {
      expect((await one(c, "select (app_public.acknowledge_qa_review($1)).agent_acknowledgment as ack", [done])).ack).toBe(true);
      expect((await one(c, "select (app_public.acknowledge_qa_review($1)).agent_acknowledgment as ack", [done])).ack).toBe(true);
      expect(await refused(c, "update app_public.quality_assurance_reviews set agent_acknowledgment = false where id = $1", [done])).toBe("CC324");
    });
    await as(cast.agentWX, async (c) => expect(await refused(c, "select app_public.acknowledge_qa_review($1)", [done])).toBe("CC311"));
  });
});

describe("the call's quality_score and the agent's notifications", () => {
  const score = async (c: Queryable, call: string) => num(await one<Record<string, unknown>>(c, "select quality_score from app_public.call_center_records where id = $1", [callId[call]])).quality_score;
  /** The QA notifications of a person about one review. */
  const notes = (c: Queryable, email: string, reviewId: string) =>
    rows(c, `select n.notification_type as type, n.title, n.body, n.data from app_public.notifications n join app_public.users u on u.id = n.user_id
             where u.email = $1 and n.data->>'review_id' = $2 order by n.created_at, n.notification_type`, [email, reviewId]);

  it("follows the latest counted review of the call (not drafts), and falls back when it goes", () =>
    as(cast.supervisorAA, async (c) => {
      expect(await score(c, "A6")).toBeNull();
      const first = await start(c, "A6", ", review_date => '2026-03-11', greeting_professionalism => 4");
      expect(await score(c, "A6")).toBeNull();
      await c.query("select app_public.complete_qa_review($1)", [first]);
      expect(await score(c, "A6")).toBe(80);
      const second = await start(c, "A6", ", review_date => '2026-03-12', greeting_professionalism => 3, active_listening => 3");
      expect(await score(c, "A6")).toBe(80);
      await c.query("select app_public.complete_qa_review($1)", [second]);
      expect(await score(c, "A6")).toBe(60);
      // An older review completed later is not the latest.
      const older = await start(c, "A6", ", review_date => '2026-03-10', greeting_professionalism => 5");
      await c.query("select app_public.complete_qa_review($1)", [older]);
      expect(await score(c, "A6")).toBe(60);
      await c.query("delete from app_public.quality_assurance_reviews where id = $1", [second]);
      expect(await score(c, "A6")).toBe(80);
      await c.query("delete from app_public.quality_assurance_reviews where id = any($1)", [[first, older]]);
      expect(await score(c, "A6")).toBeNull();
    }));

  it("tells the agent once when a review is completed and once when it was discussed, without patient data", async () => {
    await as(cast.supervisorAA, async (c) => {
      const id = await start(c, "A7", ", greeting_professionalism => 4, active_listening => 5");
      expect(await notes(c, cast.agentAA.email, id)).toEqual([]);
      await c.query("select app_public.complete_qa_review($1)", [id]);
      await c.query("select app_public.discuss_qa_review($1)", [id]);
      // Read as the agent would: own notifications only.
      await c.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: cast.agentAA.userId, email: cast.agentAA.email, role: "call_center_agent" })]);
      const got = await notes(c, cast.agentAA.email, id);
      expect(got.map((n) => n.type)).toEqual(["qa_review_completed", "qa_review_discussed"]);
      expect(got[0]).toEqual(expect.objectContaining({
        title: "Your QA review is ready",
        data: expect.objectContaining({ review_id: id, call_record_id: callId.A7, percentage_score: 90 }),
      }));
      expect(got[0].body).toContain("90.00 %");
      expect(JSON.stringify(got)).not.toMatch(/\+1734|recording/);
    });
  });

  it("tells nobody of reviews loaded by the owner (a data load, not a person completing them)", async () => {
    const c = await db.owner.connect();
    try {
      await c.query("begin");
      const { id } = await one(c, `insert into app_public.quality_assurance_reviews (call_record_id, agent_email, reviewer_email, reviewer_name, review_type, greeting_professionalism, review_status)
                     values ($1, $2, $3, 'S', 'random', 2, 'completed') returning id`, [callId.A8, cast.agentAA.email, cast.supervisorAA.email]);
      expect(await score(c, "A8")).toBe(40);
      expect(await notes(c, cast.agentAA.email, id)).toEqual([]);
    } finally {
      await c.query("rollback");
      c.release();
    }
  });
});

describe("coaching opportunities and the monthly quota (kpi-definitions: QA)", () => {
  /** Reviews as the owner would load them: [agent, call, review_date (or an offset in days from today), scores by category, status]. */
  async function load(c: pg.PoolClient, list: Array<[string, string, number, Record<string, number | null>, string?]>) {
    for (const [agent, call, days, scores, status] of list) {
      const cols = Object.keys(scores);
      await c.query(`insert into app_public.quality_assurance_reviews (call_record_id, agent_email, reviewer_email, reviewer_name, review_type, review_date, review_status
                     ${cols.map((k) => ", " + k).join("")}) values ($1, $2, $3, 'S', 'random', app_hidden.business_day(now()) + $4::integer, $5 ${cols.map((_, i) => `, $${i + 6}`).join("")})`,
      [callId[call], agent, cast.supervisorAA.email, days, status ?? "completed", ...Object.values(scores)]);
    }
  }
  const all = (v: number) => Object.fromEntries(CATEGORIES.map((k) => [k, v]));
  const setup = async (c: pg.PoolClient) => {
    // agentAA: five this month scoring 92.5 % with call_control 2 in each; one 40 days ago at 20 % (not among the last 5); a dreadful draft (never counts).
    await load(c, [
      ...["A9", "A10", "A11", "A12", "A13"].map((call) => [cast.agentAA.email, call, 0, { ...all(5), call_control: 2 }] as [string, string, number, Record<string, number>]),
      [cast.agentAA.email, "A14", -40, all(1)],
      [cast.agentAA.email, "A15", 0, all(1), "draft"],
    ]);
    // aa2: two this month at 70 %, four categories scored 3, 3, 4, 4, the others not applicable (as zeros they would read 35 %).
    const partial = { greeting_professionalism: 3, active_listening: 3, problem_resolution: 4, product_knowledge: 4 };
    await load(c, [[AA2, "B1", 0, partial], [AA2, "B2", 0, partial]]);
    // agentWX: one at 100 % (another location).
    await load(c, [[cast.agentWX.email, "W1", 0, all(5)]]);
  };
  const opportunities = async (c: pg.PoolClient) => (await rows<Record<string, unknown>>(c, "select * from app_public.coaching_opportunities()")).map((r) => num(r));
  const EMPTY_CATEGORIES = Object.fromEntries(CATEGORIES.map((k) => [`${k}_avg`, null]));
  beforeAll(async () => {
    const c = await db.owner.connect();
    try {
      await setup(c);
    } finally {
      c.release();
    }
  });
  afterAll(async () => {
    await db.owner.query("delete from app_public.quality_assurance_reviews");
  });

  it("lists the agents below 80 % over their last 5 completed reviews, with a category below 3, or behind the quota, and why", () =>
    as(cast.supervisorAA, async (c) => {
      const got = await opportunities(c);
      expect(got.map((r) => r.agent_email)).toEqual([AA2, cast.agentAA.email, AA3]);
      expect(got[0]).toEqual(expect.objectContaining({
        agent_email: AA2, location: "Ann Arbor", reviews_considered: 2, average_pct: 70,
        greeting_professionalism_avg: 3, active_listening_avg: 3, problem_resolution_avg: 4, product_knowledge_avg: 4,
        communication_clarity_avg: null, call_control_avg: null, low_categories: [],
        reviews_this_month: 2, quota: 5, behind_by: 3, reasons: ["average_below_80", "below_quota"],
      }));
      expect(got[1]).toEqual(expect.objectContaining({
        agent_email: cast.agentAA.email, reviews_considered: 5, average_pct: 92.5, call_control_avg: 2, greeting_professionalism_avg: 5,
        low_categories: ["call_control"], reviews_this_month: 5, behind_by: 0, reasons: ["category_below_3"],
      }));
      expect(got[2]).toEqual(expect.objectContaining({
        agent_email: AA3, reviews_considered: 0, average_pct: null, ...EMPTY_CATEGORIES, low_categories: [],
        reviews_this_month: 0, behind_by: 5, reasons: ["below_quota"],
      }));
      // The quota comes from the session (the server's QA_REVIEW_QUOTA_PER_AGENT): at 0 nobody is behind.
      await c.query("select set_config('app.qa_review_quota_per_agent', '0', true)");
      expect((await opportunities(c)).map((r) => [r.agent_email, r.reasons])).toEqual([[AA2, ["average_below_80"]], [cast.agentAA.email, ["category_below_3"]]]);
    }));

  it("reads an agent's last counted reviews only for someone who may see the agent (the helper that bypasses the table's row rules)", async () => {
    const recent = (c: pg.PoolClient, agent: string) =>
      rows(c, "select call_record_id from app_hidden.qa_recent_counted_reviews($1, app_hidden.business_day(now()) + 1, 5)", [agent]);
    await as(cast.supervisorAA, async (c) => {
      expect(await recent(c, cast.agentAA.email)).toHaveLength(5); // the five of this month: not the one of 40 days ago, never the draft
      expect(await recent(c, cast.agentWX.email)).toEqual([]); // Wixom's agent: not this supervisor's
    });
    await as(cast.manager, async (c) => expect(await recent(c, cast.agentWX.email)).toHaveLength(1));
  });

  it("shows a manager every location's agents; refuses agents and staff", async () => {
    await as(cast.manager, async (c) => {
      const got = await opportunities(c);
      expect(got.map((r) => r.agent_email)).toEqual([AA2, cast.agentAA.email, cast.agentWX.email, AA3]);
      expect(got[2]).toEqual(expect.objectContaining({ location: "Wixom", average_pct: 100, reasons: ["below_quota"] }));
      expect((await rows(c, "select agent_email from app_public.coaching_opportunities(location => 'Wixom')")).map((r) => r.agent_email)).toEqual([cast.agentWX.email]);
      expect(await refused(c, "select * from app_public.coaching_opportunities(location => 'Detroit')")).toBe("CC715");
    });
    for (const who of [cast.agentAA, cast.staff]) {
      await as(who, async (c) => {
        expect(await refused(c, "select * from app_public.coaching_opportunities()")).toBe("42501");
        expect(await refused(c, "select * from app_public.qa_review_quota()")).toBe("42501");
      });
    }
  });

  it("counts each agent's completed reviews of a month against QA_REVIEW_QUOTA_PER_AGENT, most behind first", () =>
    as(cast.supervisorAA, async (c) => {
      await c.query("select set_config('app.qa_review_quota_per_agent', '2', true)");
      const month = (await one(c, "select date_trunc('month', app_hidden.business_day(now()))::date::text as m")).m;
      const quota = (await rows<Record<string, unknown>>(c, "select * from app_public.qa_review_quota()")).map((r) => num(r));
      expect(quota.map((r) => [r.agent_email, r.reviews_done, r.quota, r.behind_by, r.is_behind])).toEqual([
        [AA3, 0, 2, 2, true],
        ...[[cast.agentAA.email, 5, 2, 0, false], [AA2, 2, 2, 0, false]].filter(([e]) => e === quota[1]!.agent_email),
        ...[[cast.agentAA.email, 5, 2, 0, false], [AA2, 2, 2, 0, false]].filter(([e]) => e !== quota[1]!.agent_email),
      ]);
      expect(quota[0]!.month).toEqual(new Date(`${month}T00:00:00`));
      expect((await rows(c, "select agent_email from app_public.qa_review_quota(behind_only => true)")).map((r) => r.agent_email)).toEqual([AA3]);
      // An earlier month: agentAA's review of 40 days ago is that month's only one.
      const earlier = (await rows<Record<string, unknown>>(c, "select agent_email, reviews_done from app_public.qa_review_quota(app_hidden.business_day(now()) - 40)")).map((r) => num(r));
      expect(earlier.slice(0, 2)).toEqual(expect.arrayContaining([{ agent_email: AA2, reviews_done: 0 }, { agent_email: AA3, reviews_done: 0 }]));
      expect(earlier[2]).toEqual({ agent_email: cast.agentAA.email, reviews_done: 1 });
    }));
});

describe("sampling calls for review", () => {
  const RANGE = ["2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z"];
  const sample = async (c: pg.PoolClient, size: number, extra = "", params: unknown[] = []) =>
    rows(c, `select id, call_id, agent_email, location from app_public.sample_calls_for_review($1, $2, $3${extra})`, [size, ...RANGE, ...params]);
  // agentAA is at the quota this month (reviews of A1 and A2, plus a draft of A3); aa2 has none.
  beforeAll(async () => {
    await db.owner.query(`insert into app_public.quality_assurance_reviews (call_record_id, agent_email, reviewer_email, reviewer_name, review_type, greeting_professionalism, review_status)
      values ($1, $4, $5, 'S', 'random', 4, 'completed'), ($2, $4, $5, 'S', 'random', 4, 'completed'), ($3, $4, $5, 'S', 'random', null, 'draft')`,
    [callId.A1, callId.A2, callId.A3, cast.agentAA.email, cast.supervisorAA.email]);
  });
  afterAll(async () => {
    await db.owner.query("delete from app_public.quality_assurance_reviews");
  });

  it("draws answered calls one may see, never one already reviewed (a draft included), nor one's own, each once", async () => {
    await as(cast.supervisorAA, async (c) => {
      const all = await sample(c, 50);
      expect(all).toHaveLength(37); // 20 + 20 Ann Arbor calls, less the 3 with a review
      expect(new Set(all.map((r) => r.id)).size).toBe(37);
      expect(all.filter((r) => ["A1", "A2", "A3", "W1"].includes(r.call_id))).toEqual([]);
      expect(new Set(all.map((r) => r.location))).toEqual(new Set(["Ann Arbor"]));
      const of = await sample(c, 50, ", agent_email => $4", [AA2]);
      expect([of.length, new Set(of.map((r) => r.agent_email))]).toEqual([20, new Set([AA2])]);
    });
    await as(cast.manager, async (c) => expect((await sample(c, 50)).map((r) => r.call_id)).toContain("W1"));
    await as(aa2, async (c) => expect(await refused(c, "select app_public.sample_calls_for_review()")).toBe("42501"));
  });

  it("favours the agent with fewer reviews this month: over 200 seeded draws, aa2 (none) comes up about three times as often as agentAA (at 2)", () =>
    as(cast.supervisorAA, async (c) => {
      await c.query("select setseed(0.17)");
      const drawn: Record<string, number> = {};
      for (let i = 0; i < 200; i++) {
        const [r] = await sample(c, 1);
        drawn[r!.agent_email] = (drawn[r!.agent_email] ?? 0) + 1;
      }
      // Weights 1 and 1/3 shared among each agent's calls: expected 150 and 50, whatever the number of calls each took.
      expect(drawn[AA2]! + drawn[cast.agentAA.email]!).toBe(200);
      expect(drawn[AA2]!).toBeGreaterThan(2 * drawn[cast.agentAA.email]!);
      expect(drawn[cast.agentAA.email]!).toBeGreaterThan(20);
    }));

  it("refuses a sample size outside 1–50 and a range reversed or over 93 days", () =>
    as(cast.supervisorAA, async (c) => {
      expect(await refused(c, "select app_public.sample_calls_for_review(0)")).toBe("CC306");
      expect(await refused(c, "select app_public.sample_calls_for_review(51)")).toBe("CC306");
      expect(await refused(c, "select app_public.sample_calls_for_review(5, '2026-03-11', '2026-03-10')")).toBe("CC306");
      expect(await refused(c, "select app_public.sample_calls_for_review(5, '2026-01-01', '2026-06-01')")).toBe("CC306");
      expect(await refused(c, "select app_public.sample_calls_for_review(5, location => 'Detroit')")).toBe("CC715");
    }));
});
