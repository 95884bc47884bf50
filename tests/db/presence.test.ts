/**
 * Agent presence in SQL (app_private.apply_pbx_presence, the history, the
 * stale flag, agent_presence_days): one snapshot in one transaction, as the
 * worker applies it; a history row only on a change, none on an unchanged
 * poll; a gap or an agent missing from the PBX's answer closes the open row at
 * the last poll that saw it; logged-in and idle time per business day.
 *
 * The story is told with explicit poll times on 2026-11-02 (08:00 Detroit is
 * 13:00 UTC); the stale flag is checked against now().
 */
import { createTestDatabase, inTransaction, asUser, refusal, type TestDatabase } from "../helpers/db.js";
import { createCast, type Cast } from "../helpers/users.js";
import { num, numberOf, one, rows } from "../helpers/query.js";

let db: TestDatabase;
let cast: Cast;

const T0 = Date.parse("2026-11-02T13:00:00Z");
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const H = 3600;

interface Entry { extension: string; profile?: string | null; logged_in: boolean; registered: boolean; on_call: boolean }
const available = (extension: string, more: Partial<Entry> = {}): Entry => ({ extension, profile: "Available", logged_in: true, registered: true, on_call: false, ...more });

/** Applies a snapshot as the worker does: the app_worker role, one transaction, committed. */
const apply = (snapshot: unknown, polledAt: string, pollSeconds = 5) =>
  inTransaction(db.owner, {}, async (c) => {
    await c.query("set local role app_worker");
    return (await c.query("select app_private.apply_pbx_presence($1::jsonb, $2, $3) as r", [JSON.stringify(snapshot), polledAt, pollSeconds])).rows[0].r;
  }, { commit: true });

const historyOf = (extension: string) =>
  rows(db.owner, `select h.profile, h.logged_in, h.on_call, h.valid_from, h.valid_to from app_public.agent_presence_history h
                   join app_public.agents a on a.id = h.agent_id where a.extension = $1 order by h.valid_from, h.valid_to nulls last`, [extension]);
const presenceOf = (extension: string) =>
  one(db.owner, `select p.*, app_public.agent_presence_stale(p) as stale from app_public.agent_presence p join app_public.agents a on a.id = p.agent_id
                  where a.extension = $1`, [extension]);
const everything = async () => ({
  presence: await rows(db.owner, "select to_jsonb(p) as r from app_public.agent_presence p order by agent_id"),
  history: await rows(db.owner, "select to_jsonb(h) as r from app_public.agent_presence_history h order by id"),
  state: await rows(db.owner, "select to_jsonb(s) as r from app_private.pbx_presence_state s"),
});

beforeAll(async () => {
  db = await createTestDatabase();
  cast = await createCast(db.owner);
  await db.owner.query(`insert into app_public.agents (extension, user_email, location_name, display_name, is_active) values
    ('101', $1, 'Ann Arbor', 'Alex A', true), ('201', $2, 'Wixom', 'Wren W', true), ('102', null, 'Ann Arbor', 'Former', false)`,
  [cast.agentAA.email, cast.agentWX.email]);
});
afterAll(async () => db.drop());

describe("app_private.apply_pbx_presence", () => {
  it("refuses a malformed snapshot with CC951 and changes nothing", async () => {
    const before = await everything();
    for (const [snapshot, says] of [
      [{ extension: "101" }, /JSON array/],
      [[available("101"), "x"], /entry 1: not an object/],
      [[{ ...available("101"), extension: "1a" }], /entry 0: extension/],
      [[{ ...available("101"), logged_in: "yes" }], /logged_in must be true or false/],
      [[available("101"), available("101")], /extension 101 appears more than once/],
      [[{ ...available("101"), profile: "x".repeat(101) }], /profile is over 100/],
    ] as [unknown, RegExp][]) {
      await expect(apply(snapshot, at(0))).rejects.toMatchObject({ code: "CC951", message: expect.stringMatching(says) });
    }
    expect(await everything()).toEqual(before);
  });

  it("opens one history row per active agent reported; PBX users with no active agent are counted, not stored", async () => {
    const r = await apply([available("101"), { ...available("201"), profile: "Away", logged_in: false }, available("102"), available("999")], at(0), H);
    expect(r).toEqual({ applied: true, agents: 2, opened: 2, closed: 0, unknown_extensions: ["102", "999"] });
    expect(await historyOf("101")).toEqual([{ profile: "Available", logged_in: true, on_call: false, valid_from: new Date(at(0)), valid_to: null }]);
    expect(await historyOf("102")).toEqual([]);
    expect(num(await one(db.owner, "select * from app_private.pbx_presence_state"))).toMatchObject({
      last_polled_at: new Date(at(0)), poll_seconds: H, agents_reported: 2, unknown_extensions: ["102", "999"],
    });
    expect(await one(db.owner, "select last_success_at, consecutive_failures, last_result from app_private.pbx_api_status where kind = 'presence'"))
      .toEqual({ last_success_at: expect.any(Date), consecutive_failures: 0, last_result: { agents: 2, opened: 2, closed: 0, unknown_extensions: ["102", "999"] } });
  });

  it("an unchanged poll writes no history row and moves only polledAt; the same snapshot again changes nothing at all", async () => {
    const away = { ...available("201"), profile: "Away", logged_in: false };
    expect(await apply([available("101"), away], at(60), H)).toMatchObject({ applied: true, opened: 0, closed: 0 });
    expect(await numberOf(db.owner, "select count(*) from app_public.agent_presence_history")).toBe(2);
    expect(await presenceOf("101")).toMatchObject({ since: new Date(at(0)), polled_at: new Date(at(60)) });
    const before = await everything();
    expect(await apply([available("101"), away], at(60), H)).toMatchObject({ applied: false });
    // An answer older than the last one applied (a late reply) is ignored too.
    expect(await apply([available("101", { on_call: true }), away], at(30), H)).toMatchObject({ applied: false });
    expect(await everything()).toEqual(before);
  });

  it("every change closes the open row at the poll that saw it and opens the next", async () => {
    const away = { ...available("201"), profile: "Away", logged_in: false };
    await apply([available("101", { on_call: true }), away], at(1 * H), H);
    await apply([available("101"), away], at(1 * H + 600), H);
    await apply([available("101", { profile: "Lunch", logged_in: false }), away], at(2 * H), H);
    await apply([available("101", { profile: "Lunch", logged_in: false }), away], at(2 * H + 1), H);
    await apply([available("101"), away], at(3 * H), H);
    await apply([available("101"), away], at(4 * H), H);
    expect(await historyOf("101")).toEqual([
      { profile: "Available", logged_in: true, on_call: false, valid_from: new Date(at(0)), valid_to: new Date(at(1 * H)) },
      { profile: "Available", logged_in: true, on_call: true, valid_from: new Date(at(1 * H)), valid_to: new Date(at(1 * H + 600)) },
      { profile: "Available", logged_in: true, on_call: false, valid_from: new Date(at(1 * H + 600)), valid_to: new Date(at(2 * H)) },
      { profile: "Lunch", logged_in: false, on_call: false, valid_from: new Date(at(2 * H)), valid_to: new Date(at(3 * H)) },
      { profile: "Available", logged_in: true, on_call: false, valid_from: new Date(at(3 * H)), valid_to: null },
    ]);
    expect(await historyOf("201")).toHaveLength(1);
    expect(await presenceOf("101")).toMatchObject({ profile: "Available", logged_in: true, on_call: false, since: new Date(at(3 * H)), polled_at: new Date(at(4 * H)) });
  });

  it("logged-in, on-call and idle time per business day come from the history (an open row up to the last poll)", async () => {
    const day = await asUser(db.authenticator, cast.manager, async (c) =>
      (await c.query("select * from app_public.agent_presence_days('2026-11-02', '2026-11-02', '101')")).rows);
    // Logged in 08:00-10:00 and 11:00-12:00 (the last poll); on a call 09:00-09:10. (num() reads the extension as a number.)
    expect(day.map(num)).toEqual([{
      agent_extension: 101, agent_email: cast.agentAA.email, agent_name: "Alex A", location: "Ann Arbor", business_day: expect.any(Date),
      logged_in_seconds: 3 * H, on_call_seconds: 600, idle_seconds: 3 * H - 600, known_seconds: 4 * H,
    }]);
    // The agent sees their own day, not another's; another location's agent is CC716 for a supervisor.
    await asUser(db.authenticator, cast.agentAA, async (c) => {
      const mine = (await c.query("select agent_extension from app_public.agent_presence_days('2026-11-01', '2026-11-03')")).rows;
      expect(mine).toEqual([{ agent_extension: "101" }]);
    });
    await asUser(db.authenticator, cast.supervisorAA, async (c) => {
      await expect(c.query("select * from app_public.agent_presence_days('2026-11-02', '2026-11-02', '201')")).rejects.toMatchObject({ code: "CC716" });
    });
  });

  it("a gap in polling closes the open row at the last poll that saw the agent; an unchanged status then opens a new row", async () => {
    const away = { ...available("201"), profile: "Away", logged_in: false };
    // 5-second polls from here: the next answer comes an hour after the last, more than 3 intervals.
    await apply([available("101"), away], at(5 * H), 5);
    const history = await historyOf("101");
    expect(history.slice(-2)).toEqual([
      { profile: "Available", logged_in: true, on_call: false, valid_from: new Date(at(3 * H)), valid_to: new Date(at(4 * H)) },
      { profile: "Available", logged_in: true, on_call: false, valid_from: new Date(at(5 * H)), valid_to: null },
    ]);
    expect(await apply([available("101"), away], at(5 * H + 5), 5)).toMatchObject({ opened: 0, closed: 0 });
  });

  it("an agent missing from the PBX's answer: the open row ends at their last poll, the status stays and is stale", async () => {
    const away = { ...available("201"), profile: "Away", logged_in: false };
    expect(await apply([away], at(5 * H + 10), 5)).toMatchObject({ agents: 1, opened: 0, closed: 1 });
    expect((await historyOf("101")).at(-1)).toMatchObject({ valid_from: new Date(at(5 * H)), valid_to: new Date(at(5 * H + 5)) });
    expect(await presenceOf("101")).toMatchObject({ profile: "Available", polled_at: new Date(at(5 * H + 5)), stale: true });
    // Back in the next answer with the same status: a new row (nothing is known of the time between).
    expect(await apply([available("101"), away], at(5 * H + 15), 5)).toMatchObject({ opened: 1, closed: 0 });
    expect((await historyOf("101")).at(-1)).toMatchObject({ valid_from: new Date(at(5 * H + 15)), valid_to: null });
  });
});

describe("the stale flag", () => {
  const staleOf = async (extension: string) => (await presenceOf(extension)).stale;

  it("is set when no poll came for 3 intervals (polling stopped) and cleared by a fresh poll", async () => {
    // The story above ended on 2026-11-02: long past.
    expect(await staleOf("101")).toBe(true);
    await apply([available("101"), available("201")], new Date().toISOString(), 5);
    expect([await staleOf("101"), await staleOf("201")]).toEqual([false, false]);
    // Polling stops: the same answer, as if the last poll were 16 seconds ago (3 × 5 s have passed).
    await db.owner.query("update app_public.agent_presence set polled_at = polled_at - interval '16 seconds', since = since - interval '16 seconds'");
    await db.owner.query("update app_private.pbx_presence_state set last_polled_at = last_polled_at - interval '16 seconds'");
    expect(await staleOf("101")).toBe(true);
  });

  it("is set when the last attempt failed, the last known status kept; a successful poll clears it", async () => {
    await apply([available("101"), available("201")], new Date().toISOString(), 5);
    expect(await staleOf("101")).toBe(false);
    await inTransaction(db.owner, {}, async (c) => {
      await c.query("set local role app_worker");
      await c.query("select app_private.record_pbx_api_failure('presence', 'server_error', 'XapiError: 503 Service Unavailable')");
      await c.query("select app_private.record_pbx_api_failure('presence', 'server_error', 'XapiError: 503 Service Unavailable')");
    }, { commit: true });
    expect(await presenceOf("101")).toMatchObject({ profile: "Available", logged_in: true, stale: true });
    expect(await one(db.owner, "select last_error, consecutive_failures from app_private.pbx_api_status where kind = 'presence'"))
      .toEqual({ last_error: "XapiError: 503 Service Unavailable", consecutive_failures: 2 });
    await apply([available("101"), available("201")], new Date(Date.now() + 1000).toISOString(), 5);
    expect(await staleOf("101")).toBe(false);
    expect(await numberOf(db.owner, "select consecutive_failures from app_private.pbx_api_status where kind = 'presence'")).toBe(0);
  });
});

describe("who may apply and read", () => {
  it("people may not apply snapshots nor write presence; they read it under the directory's row rules", async () => {
    await asUser(db.authenticator, cast.manager, async (c) => {
      expect(await refusal(c, "select app_private.apply_pbx_presence('[]', now())")).toBe("42501");
      expect(await refusal(c, "update app_public.agent_presence set profile = 'DND'")).toBe("42501");
      expect(await refusal(c, "delete from app_public.agent_presence_history")).toBe("42501");
      expect(await refusal(c, "select app_private.record_pbx_api_failure('presence', 'timeout', 'x')")).toBe("42501");
      expect((await c.query("select count(*)::int as n from app_public.agent_presence")).rows[0].n).toBe(2);
    });
    await asUser(db.authenticator, cast.supervisorWX, async (c) => {
      expect((await c.query("select extension from app_public.agent_presence")).rows).toEqual([{ extension: "201" }]);
      expect((await c.query("select distinct extension from app_public.agent_presence_history")).rows).toEqual([{ extension: "201" }]);
    });
    await asUser(db.authenticator, cast.staff, async (c) => {
      expect((await c.query("select count(*)::int as n from app_public.agent_presence")).rows[0].n).toBe(0);
    });
  });
});
