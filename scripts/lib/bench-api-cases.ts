/**
 * What `npm run bench:api` sends on each REST route (server/rest/routes.ts),
 * keyed by `METHOD /path`: a sample input made from the seeded data, the rows
 * a changing route needs made fresh for each request, and the direct SQL
 * for the same result (the function or table the route's GraphQL document
 * reaches, the same columns, under the same role and settings). A route
 * without an entry stops the bench (and fails tests/scripts/bench-api-cases.test.ts):
 * a new path is added here with its SQL.
 */
import type pg from "pg";
import type { RestRoute } from "../../server/rest/routes.js";

/** Real values picked from the seeded database (scripts/bench-api.ts pickData). */
export interface BenchPicks {
  /** Who the bench acts as, and whether they hold configureMetrics (managers). */
  person: { email: string; role: "manager" | "supervisor" };
  /** The last seeded business day, and the 7 days ending with it (YYYY-MM-DD). */
  lastDay: string;
  weekFrom: string;
  /** The last day in the business time zone, as ISO times: [start, next day's start). */
  lastDayFrom: string;
  lastDayTo: string;
  /** A recent answered inbound call at the person's location, and its agent. */
  callId: string;
  agentEmail: string;
  /** Ten recent answered calls of that location with their agents (bulk journals). */
  calls: { id: string; agentEmail: string }[];
  /** A processing job the person asked for. */
  jobId: string;
  /** The location the samples work at (the supervisor's, when the bench runs as one). */
  location: string;
}

/** The bench's two ways into the database: as its owner (no row rules), and as the person in one transaction (as a request). */
export interface BenchDb {
  owner: pg.Pool;
  asPerson: (text: string, values: unknown[]) => Promise<pg.QueryResult>;
}

export type Variables = Record<string, unknown>;

export interface ApiCase {
  /** The request's input (path parameters, query string or body, in one), for the row prepared for this request (if any). */
  sample(p: BenchPicks, row?: string): Record<string, unknown>;
  /** Makes `count` fresh rows the route changes (one per request); answers their ids. */
  prepare?(db: BenchDb, p: BenchPicks, count: number): Promise<string[]>;
  /** Puts the person's own state where the route needs it, before each request (not timed): clocking in and out acts on "you". */
  before?(db: BenchDb, p: BenchPicks): Promise<void>;
  /** The direct SQL for the same answer, from the variables the route's zod input makes. */
  sql(v: Variables): { text: string; values: unknown[] };
  /** A figures query: aim at most 1.5× its direct SQL. */
  figures?: boolean;
  /** Needs configureMetrics: not run as a supervisor. */
  managerOnly?: boolean;
}

export const caseKey = (route: Pick<RestRoute, "method" | "path">) => `${route.method.toUpperCase()} ${route.path}`;

const cols = (names: string, alias = "r") =>
  names
    .trim()
    .split(/\s+/)
    .map((c) => (c.includes("(") ? c.replace("$", alias) : `${alias}.${c}`))
    .join(", ");

// The columns each document asks for (server/rest/routes.ts), as SQL names.
const CALL = cols(`id call_id location queue_name agent_extension agent_email agent_name caller_number_masked caller_name_masked
  called_number call_direction call_type call_start_time call_answer_time call_end_time queue_entry_time ring_duration_seconds
  wait_seconds talk_duration_seconds hold_time_seconds after_call_work_seconds answer_time_known call_status call_outcome ended_in
  transfer_count first_call_resolution fcr_final fcr_source appointment_scheduled appointment_date appointment_type
  customer_satisfaction_score complaint_call escalation_required follow_up_required follow_up_date quality_score
  recording_available recording_reviewed call_priority campaign_id created_at updated_at`);
const AGENT_RANGE = cols(`agent_email agent_extension agent_name location from_day to_day days_with_calls calls_handled calls_handled_inbound
  calls_missed talk_seconds calls_talk_unknown hold_seconds acw_seconds aht_seconds available_seconds calls_per_hour utilization_pct occupancy_pct
  talk_time_pct fcr_resolved fcr_final fcr_provisional fcr_pct appointments appointment_conversion_pct csat_sum csat_count csat_avg complaints
  complaint_rate_pct quality_score_sum quality_reviews quality_score_avg`);
const TEAM_RANGE = cols(`location all_locations team_name from_day to_day days agent_days calls_handled calls_handled_inbound calls_missed
  talk_seconds calls_talk_unknown hold_seconds acw_seconds aht_seconds available_seconds calls_per_hour calls_per_agent_per_day utilization_pct
  occupancy_pct fcr_resolved fcr_final fcr_provisional fcr_pct appointments appointment_conversion_pct csat_sum csat_count csat_avg complaints
  complaint_rate_pct quality_score_sum quality_reviews quality_score_avg shifts_scheduled shifts_not_absent attendance_rate_pct shifts_started
  shifts_on_time punctuality_rate_pct scheduled_seconds adherent_seconds schedule_adherence_pct agent_days_with_goals agent_days_meeting_goals
  team_goal_achievement_pct training_hours_completed coaching_sessions_conducted`);
const PBX_AGENT = cols(`id extension display_name pbx_email user_email location_name is_registered is_active pbx_synced_at`);
const JOB = cols(`id kind status parameters attempts result last_error created_at started_at finished_at`);
const QA = cols(`id call_record_id agent_email reviewer_email reviewer_name review_date review_type greeting_professionalism active_listening
  problem_resolution product_knowledge communication_clarity empathy_patience call_control closing_effectiveness total_score percentage_score
  strengths_observed improvement_areas specific_coaching_points recognition_worthy action_items_required follow_up_review_needed follow_up_date
  additional_training_recommended review_status completed_at agent_discussion_date agent_acknowledgment
  app_public.quality_assurance_reviews_recording_available($) created_at updated_at`);
const COACHING = cols(`agent_email agent_name location month reviews_considered average_pct greeting_professionalism_avg active_listening_avg
  problem_resolution_avg product_knowledge_avg communication_clarity_avg empathy_patience_avg call_control_avg closing_effectiveness_avg
  low_categories reviews_this_month quota behind_by reasons`);
const JOURNAL = cols(`id call_record_id agent_email call_summary detailed_notes_masked patient_concern_masked resolution_provided_masked
  action_items follow_up_required follow_up_type follow_up_date follow_up_notes_masked call_tags department_involved referral_made referral_type
  coaching_notes_masked training_opportunities commendation_worthy improvement_areas journal_status submitted_at reviewed_by reviewed_at
  review_score created_by created_at updated_at`);

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A call of `fn` with named arguments for the variables given (undefined ones left to their defaults, as PostGraphile
 * leaves them), after the values already in `values`.
 */
function namedCall(fn: string, args: Record<string, unknown>, values: unknown[] = []) {
  const list = Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      values.push(v);
      return `${snake(k)} => $${values.length}`;
    });
  return { call: `${fn}(${list.join(", ")})`, values };
}

/**
 * One page of a set-returning function and the total count in one statement (the count over the whole set
 * before the limit), like the document's nodes + totalCount + pageInfo.hasNextPage (first + 1 rows).
 */
function page(fn: string, columns: string, v: Variables, args: Record<string, unknown>) {
  const { call, values } = namedCall(fn, args);
  values.push(Number(v.first) + 1, v.offset);
  return { text: `select ${columns}, count(*) over () as total_count from ${call} r limit $${values.length - 1} offset $${values.length}`, values };
}

/** Named-argument call of a report function (one jsonb document). */
function report(fn: string, args: Record<string, unknown>) {
  const { call, values } = namedCall(fn, args);
  return { text: `select ${call} as report`, values };
}

/** Named-argument call of a function returning one row, with its columns. */
function one(fn: string, columns: string, args: Record<string, unknown>) {
  const { call, values } = namedCall(fn, args);
  return { text: `select ${columns} from ${call} r`, values };
}

/** `count` copies of a row of `table` chosen by `where` (as the owner: row rules and triggers of people do not apply), with `set` overriding columns. */
async function cloneRows(owner: pg.Pool, table: string, where: string, whereValues: unknown[], set: Record<string, unknown>, count: number) {
  const { rows: columns } = await owner.query<{ name: string }>(
    `select column_name as name from information_schema.columns
      where table_schema = 'app_public' and table_name = $1 and is_generated = 'NEVER' and column_name not in ('id', 'created_at', 'updated_at')
      order by ordinal_position`,
    [table],
  );
  const names = columns.map((c) => c.name);
  const values: unknown[] = [...whereValues];
  const exprs = names.map((n) => {
    if (!(n in set)) return `t.${n}`;
    values.push(set[n]);
    return `$${values.length}`;
  });
  values.push(count);
  const { rows } = await owner.query<{ id: string }>(
    `insert into app_public.${table} (${names.join(", ")})
     select ${exprs.join(", ")} from (select * from app_public.${table} where ${where} limit 1) t cross join generate_series(1, $${values.length})
     returning id`,
    values,
  );
  if (rows.length !== count) throw new Error(`no row of ${table} where ${where} to copy`);
  return rows.map((r) => r.id);
}

/** Journals of the picked call by its agent (written by the agent: not the reviewer's own), in a status. */
const journals = (owner: pg.Pool, p: BenchPicks, status: "draft" | "submitted", count: number) =>
  owner
    .query<{ id: string }>(
      `insert into app_public.call_journals (call_record_id, agent_email, call_summary, journal_status, created_by, submitted_at)
       select $1, $2, 'Bench journal ' || i, $3, $2, case when $3 = 'submitted' then now() end from generate_series(1, $4) i returning id`,
      [p.callId, p.agentEmail, status, count],
    )
    .then((r) => r.rows.map((x) => x.id));

const journalSample = (callId: string, agentEmail: string, n: number) => ({
  call_record_id: callId,
  agent_email: agentEmail,
  call_summary: `Bench: booked a follow-up visit (${n})`,
  detailed_notes: "Caller asked to move the visit to a morning; moved and confirmed by text.",
  patient_concern: "Could not make the afternoon visit.",
  call_tags: ["appointment", "reschedule"],
  follow_up_required: true,
  follow_up_type: "callback",
});

let serial = 0;

/** The business day today, in the business time zone (clocking in happens today). */
const TODAY = "(now() at time zone app_hidden.business_timezone())::date";

/** The person's shifts of yesterday and today removed (as the owner), so that clocking in starts afresh. */
const offShift = async ({ owner }: BenchDb, p: BenchPicks) => {
  await owner.query(`delete from app_public.agent_shifts where agent_email = $1 and shift_date between ${TODAY} - 1 and ${TODAY} + 1`, [p.person.email]);
};
/** The person clocked in now (through the function the route calls, as the person). */
const onShift = async (db: BenchDb, p: BenchPicks) => {
  await offShift(db, p);
  await db.asPerson("select app_public.shift_start(location => $1)", [p.location]);
};

/** The agents of the picked calls (the location's), once each. */
const agentsOf = (p: BenchPicks) => [...new Set(p.calls.map((c) => c.agentEmail))];

/** A Monday far from the demo data, `n` weeks on: each goal or week of schedule gets its own period (overlaps are refused). */
const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

const mondayAfter = (base: string, n: number) => addDays(base, 7 * n);
/** The first Monday on or after a day (the schedule is uploaded by weeks, within a year from today). */
const mondayOnOrAfter = (day: string) => addDays(day, (8 - new Date(`${day}T00:00:00Z`).getUTCDay()) % 7);
/** A goal's columns as the document asks for them: the row and its change history. */
const GOAL = `r.*, (select json_agg(h order by h.changed_at) from app_public.performance_goal_changes h where h.goal_id = r.id) as history`;
/** A campaign's columns as the document asks for them: the row, its dialled-list size and its status history. */
const CAMPAIGN = `r.*, app_public.call_campaigns_dialled_number_count(r) as dialled_number_count,
  (select json_agg(h order by h.changed_at) from app_public.call_campaign_status_changes h where h.campaign_id = r.id) as status_history`;

/** Campaigns at the picked location made by the person (as the person: managers), one per request; `agents` assigned. */
const campaigns = async ({ asPerson }: BenchDb, p: BenchPicks, count: number, status: "planned" | "active", agents: string[]) => {
  const { rows } = await asPerson(
    `select (app_public.create_campaign(campaign_name => 'Bench campaign ' || i, campaign_type => 'follow_up', location => $1,
              start_date => $2::date - 30, end_date => $2::date + 30, target_audience => 'Patients due a recall visit',
              target_call_count => 200, agents => $3::text[], campaign_status => $4)).id as id
       from generate_series(1, $5) i`,
    [p.location, p.lastDay, agents, status, count],
  );
  return rows.map((r: { id: string }) => r.id);
};

const WORKFORCE_CASES: Record<string, ApiCase> = {
  "POST /api/workforce/shift-start": {
    sample: (p) => ({ location: p.location }),
    before: offShift,
    sql: (v) => one("app_public.shift_start", "r.*", { location: v.location }),
  },
  "POST /api/workforce/shift-end": {
    sample: () => ({}),
    before: onShift,
    sql: () => one("app_public.shift_end", "r.*", {}),
  },
  "POST /api/workforce/break-start": {
    sample: () => ({ break_type: "lunch" }),
    before: onShift,
    sql: (v) => one("app_public.break_start", "r.*", { breakType: v.breakType }),
  },
  "POST /api/workforce/break-end": {
    sample: () => ({}),
    before: async (db, p) => {
      await onShift(db, p);
      await db.asPerson("select app_public.break_start()", []);
    },
    sql: () => one("app_public.break_end", "r.*", {}),
  },
  "POST /api/workforce/shifts/:id/correction": {
    // One ended shift of the picked agent, corrected again and again: each time other lunch minutes (the same values would be CC814).
    sample: (_p, row) => ({ id: row, reason: "Bench: lunch clocked late", lunch_break_minutes: 15 + (++serial % 40) }),
    prepare: async ({ owner }, p, count) => {
      const { rows } = await owner.query<{ id: string }>(
        `select id from app_public.agent_shifts where agent_email = $1 and actual_end_time is not null order by shift_date desc limit 1`,
        [p.agentEmail],
      );
      if (!rows[0]) throw new Error(`no ended shift of ${p.agentEmail} to correct`);
      return Array.from({ length: count }, () => rows[0]!.id);
    },
    sql: (v) =>
      one("app_public.correct_shift", "r.*", {
        shiftId: v.shiftId, reason: v.reason, actualStartTime: v.actualStartTime ?? undefined, actualEndTime: v.actualEndTime ?? undefined,
        totalBreakTimeMinutes: v.totalBreakTimeMinutes ?? undefined, lunchBreakMinutes: v.lunchBreakMinutes ?? undefined,
        trainingTimeMinutes: v.trainingTimeMinutes ?? undefined, meetingTimeMinutes: v.meetingTimeMinutes ?? undefined,
      }),
  },
  "POST /api/workforce/schedule": {
    // A week of the location's agents (up to 10 × 5 weekdays), in the future; each upload moves the start by 30 minutes, so every shift changes.
    sample: (p) => {
      const start = ++serial % 2 ? "08:00" : "08:30";
      const monday = mondayOnOrAfter(addDays(p.lastDay, 28));
      return {
        shifts: agentsOf(p).flatMap((agent) =>
          [0, 1, 2, 3, 4].map((d) => ({
            agent, location: p.location, shift_date: addDays(monday, d), scheduled_start_time: start, scheduled_end_time: "16:30",
          })),
        ),
      };
    },
    sql: (v) => ({ text: "select r.* from app_public.upload_schedule($1::jsonb) r", values: [JSON.stringify(v.shifts)] }),
  },
  "POST /api/workforce/schedule-template/apply": {
    sample: (p) => ({ week_start: mondayAfter(mondayOnOrAfter(addDays(p.lastDay, 63)), ++serial % 8), location: p.location }),
    // The location's agents on the weekly template, Monday to Friday (once).
    prepare: async ({ owner }, p, count) => {
      await owner.query(
        `insert into app_public.shift_templates (agent_email, location, weekday, scheduled_start_time, scheduled_end_time)
         select a, $2, d, '08:00', '16:30' from unnest($1::text[]) a cross join generate_series(1, 5) d
          where not exists (select 1 from app_public.shift_templates t where t.agent_email = a and t.weekday = d)`,
        [agentsOf(p), p.location],
      );
      return Array.from({ length: count }, () => "");
    },
    sql: (v) => one("app_public.apply_shift_template", "r.*", { weekStart: v.weekStart, location: v.location ?? undefined }),
  },
  "GET /api/workforce/scheduling": {
    figures: true,
    sample: (p) => ({ from: p.lastDay, to: p.lastDay, location: p.location }),
    sql: (v) => page("app_public.staffing_coverage", "r.*", v, { fromDay: v.fromDay, toDay: v.toDay, location: v.location }),
  },
  "GET /api/workforce/utilization": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay, location: p.location }),
    sql: (v) => page("app_public.shift_kpis_for_range", "r.*", v, { fromDay: v.fromDay, toDay: v.toDay, agent: v.agent, location: v.location }),
  },
};

const GOAL_CASES: Record<string, ApiCase> = {
  "POST /api/goals/set": {
    // A weekly goal of the picked agent, each request its own week (an overlapping active goal is refused).
    sample: (p) => ({
      agent: p.agentEmail, goal_period: "weekly", period_start_date: mondayAfter("2032-01-05", ++serial),
      calls_per_day_target: 40, first_call_resolution_target: 80, quality_score_target: 85, reason: "Bench: weekly targets",
    }),
    sql: (v) => one("app_public.set_goal", GOAL, v),
  },
  "PUT /api/goals/:id/update": {
    // One goal of the picked agent, its calls target changed each time.
    sample: (_p, row) => ({ id: row, calls_per_day_target: 30 + (++serial % 40), reason: "Bench: target adjusted" }),
    prepare: async ({ owner }, p, count) => {
      const { rows } = await owner.query<{ id: string }>(
        `select id from app_public.performance_goals where agent_email = $1 order by period_start_date desc limit 1`,
        [p.agentEmail],
      );
      if (!rows[0]) throw new Error(`no goal of ${p.agentEmail} to update`);
      return Array.from({ length: count }, () => rows[0]!.id);
    },
    sql: (v) => one("app_public.update_goal", GOAL, v),
  },
  "GET /api/goals/achievement": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay, location: p.location }),
    sql: (v) =>
      page("app_public.goal_achievement", "r.*", v, { fromDay: v.fromDay, toDay: v.toDay, agent: v.agent, location: v.location, teamGoalId: v.teamGoalId }),
  },
  "POST /api/goals/team-goals": {
    // The location's weekly team goal, each request its own week.
    sample: (p) => ({
      location: p.location, goal_period: "weekly", period_start_date: mondayAfter("2034-01-02", ++serial),
      calls_per_day_target: 40, quality_score_target: 85, reason: "Bench: team targets",
    }),
    sql: (v) => one("app_public.set_team_goals", GOAL, v),
  },
};

const CAMPAIGN_CASES: Record<string, ApiCase> = {
  "POST /api/campaigns/create": {
    managerOnly: true,
    sample: (p) => ({
      campaign_name: `Bench recall ${++serial}`, campaign_type: "outbound_appointments", location: p.location, start_date: p.lastDay,
      end_date: addDays(p.lastDay, 30), target_audience: "Patients due a yearly skin check", target_call_count: 300, target_conversion_rate: 25,
      agents: [p.agentEmail], dialled_numbers: Array.from({ length: 20 }, (_, i) => `+1734555${String(1000 + i)}`),
    }),
    sql: (v) => one("app_public.create_campaign", CAMPAIGN, v),
  },
  "PUT /api/campaigns/:id/assign": {
    managerOnly: true,
    sample: (p, row) => ({ id: row, assign: agentsOf(p).slice(0, 3) }),
    prepare: (db, p, count) => campaigns(db, p, count, "planned", []),
    sql: (v) => one("app_public.assign_campaign_agents", CAMPAIGN, v),
  },
  "PUT /api/campaigns/:id/status": {
    managerOnly: true,
    sample: (_p, row) => ({ id: row, campaign_status: "active", reason: "Bench: list ready" }),
    prepare: (db, p, count) => campaigns(db, p, count, "planned", []),
    sql: (v) => one("app_public.set_campaign_status", CAMPAIGN, v),
  },
  "GET /api/campaigns/performance": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay }),
    sql: (v) =>
      page("app_public.campaign_performance", "r.*", v, {
        fromDay: v.fromDay, toDay: v.toDay, campaignId: v.campaignId, agent: v.agent, location: v.location,
      }),
  },
  "POST /api/campaigns/:id/calls": {
    managerOnly: true,
    // One active campaign of the picked agent; each request logs another attempt by them.
    sample: (p, row) => ({ id: row, outcome: "appointment_scheduled", agent: p.agentEmail, called_number: "+17345551234" }),
    prepare: async (db, p, count) => {
      const [id] = await campaigns(db, p, 1, "active", [p.agentEmail]);
      return Array.from({ length: count }, () => id!);
    },
    sql: (v) => one("app_public.log_campaign_call", "r.*", v),
  },
};


export const API_CASES: Record<string, ApiCase> = {
  "GET /api/call-records": {
    sample: (p) => ({ from: p.lastDayFrom, to: p.lastDayTo }),
    sql: (v) =>
      page("app_public.search_call_records", CALL, v, {
        fromTime: v.fromTime, toTime: v.toTime, agent: v.agent, location: v.location, queue: v.queue, direction: v.direction,
        status: v.status, callType: v.callType, sort: v.sort,
      }),
  },
  "GET /api/call-records/:id": {
    sample: (p) => ({ id: p.callId }),
    sql: (v) => ({ text: `select ${CALL} from app_public.call_center_records r where r.id = $1`, values: [v.rowId] }),
  },
  "GET /api/agent-performance/:email": {
    figures: true,
    sample: (p) => ({ email: p.agentEmail, from: p.weekFrom, to: p.lastDay }),
    sql: (v) => page("app_public.agent_kpis_for_range", AGENT_RANGE, v, { fromDay: v.fromDay, toDay: v.toDay, agent: v.agent }),
  },
  "GET /api/team-metrics": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay }),
    sql: (v) => page("app_public.team_kpis_for_range", TEAM_RANGE, v, { fromDay: v.fromDay, toDay: v.toDay, location: v.location }),
  },
  "GET /api/3cx/agent-status": {
    sample: () => ({}),
    sql: (v) =>
      page("app_public.agent_statuses", cols("extension agent_email agent_name location profile logged_in registered on_call since polled_at stale"), v, {
        location: v.location,
        agent: v.agent,
      }),
  },
  "GET /api/reports/team-performance": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay }),
    sql: (v) => report("app_public.report_team_performance", { fromDay: v.fromDay, toDay: v.toDay, location: v.location, businessHoursOnly: v.businessHoursOnly }),
  },
  "GET /api/reports/agent-performance": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay, agent: p.agentEmail }),
    sql: (v) => report("app_public.report_agent_performance", { fromDay: v.fromDay, toDay: v.toDay, agent: v.agent, businessHoursOnly: v.businessHoursOnly }),
  },
  "GET /api/reports/call-analytics": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay }),
    sql: (v) =>
      report("app_public.report_call_analytics", { fromDay: v.fromDay, toDay: v.toDay, location: v.location, queue: v.queue, businessHoursOnly: v.businessHoursOnly }),
  },
  "GET /api/reports/productivity": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay }),
    sql: (v) => report("app_public.report_productivity", { fromDay: v.fromDay, toDay: v.toDay, location: v.location, businessHoursOnly: v.businessHoursOnly }),
  },
  "POST /api/reports/custom": {
    figures: true,
    sample: (p) => ({ from: p.weekFrom, to: p.lastDay, kpis: ["offered", "service_level_pct", "asa_seconds"], group_by: ["location", "day"] }),
    sql: (v) => ({ text: "select app_public.report_custom($1::jsonb) as report", values: [JSON.stringify(v.spec)] }),
  },
  "POST /api/processing/calculate-kpis": {
    managerOnly: true,
    sample: (p) => ({ from: p.lastDay, to: p.lastDay }),
    sql: (v) => ({ text: "select app_public.calculate_kpis($1, $2) as result", values: [v.fromDay, v.toDay] }),
  },
  "POST /api/call-processing/analyze": {
    managerOnly: true,
    sample: (p) => ({ call_ids: [p.callId] }),
    sql: (v) => one("app_public.analyze_calls", JOB, { fromTime: v.fromTime, toTime: v.toTime, callIds: v.callIds }),
  },
  "POST /api/processing/sync-3cx": {
    managerOnly: true,
    sample: () => ({}),
    sql: () => one("app_public.sync_pbx_directory", JOB, {}),
  },
  "GET /api/3cx/agents-to-invite": {
    managerOnly: true,
    sample: () => ({ page_size: 50 }),
    sql: (v) => page("app_public.pbx_agents_to_invite", PBX_AGENT, v, {}),
  },
  "GET /api/processing/jobs/:id": {
    managerOnly: true,
    sample: (p) => ({ id: p.jobId }),
    sql: (v) => ({ text: `select ${JOB} from app_public.processing_jobs r where r.id = $1`, values: [v.rowId] }),
  },
  "POST /api/qa/review": {
    sample: (p) => ({
      call_record_id: p.callId,
      review_type: "random",
      greeting_professionalism: 4, active_listening: 5, problem_resolution: 4, product_knowledge: 3,
      communication_clarity: 4, empathy_patience: 5, call_control: 4, closing_effectiveness: null,
      strengths_observed: "Warm greeting; confirmed the caller's date of birth before anything else.",
      action_items_required: ["Confirm the visit's location at the close"],
    }),
    sql: (v) => one("app_public.create_qa_review", QA, v),
  },
  "GET /api/qa/reviews/:agent_email": {
    sample: (p) => ({ agent_email: p.agentEmail }),
    sql: (v) => page("app_public.qa_reviews_for_agent", QA, v, { agent: v.agent, status: v.status, fromDay: v.fromDay, toDay: v.toDay }),
  },
  "PUT /api/qa/reviews/:id/discuss": {
    sample: (p, row) => ({ id: row, discussion_date: p.lastDay, coaching_points: "Talked through the close; agreed to confirm the location every time." }),
    // Completed reviews by the person, of the picked agent, reviewed a week before the last day.
    prepare: ({ owner }, p, count) =>
      cloneRows(owner, "quality_assurance_reviews", "review_status = 'completed' and agent_email = $1", [p.agentEmail], {
        reviewer_email: p.person.email, reviewer_name: "Bench reviewer", review_date: p.weekFrom, review_status: "completed",
        agent_discussion_date: null, agent_acknowledgment: false,
      }, count),
    sql: (v) => one("app_public.discuss_qa_review", QA, { reviewId: v.reviewId, discussionDate: v.discussionDate, coachingPoints: v.coachingPoints }),
  },
  "GET /api/qa/coaching-opportunities": {
    sample: (p) => ({ month: p.lastDay.slice(0, 7) }),
    sql: (v) => page("app_public.coaching_opportunities", COACHING, v, { month: v.month, location: v.location }),
  },
  "POST /api/call-journals": {
    sample: (p) => journalSample(p.callId, p.agentEmail, ++serial),
    sql: (v) => {
      const journal = v.journal as Record<string, unknown>;
      const names = Object.keys(journal).map(snake);
      return {
        text: `insert into app_public.call_journals as r (${names.join(", ")}) values (${names.map((_, i) => `$${i + 1}`).join(", ")}) returning ${JOURNAL}`,
        values: Object.values(journal),
      };
    },
  },
  "PUT /api/call-journals/:id": {
    sample: (_p, row) => ({ id: row, call_summary: "Bench: summary corrected", detailed_notes: "Moved the visit; the caller confirmed by text.", call_tags: ["appointment"] }),
    prepare: ({ owner }, p, count) => journals(owner, p, "draft", count),
    sql: (v) => {
      const patch = v.patch as Record<string, unknown>;
      const sets = Object.keys(patch).map((k, i) => `${snake(k)} = $${i + 2}`);
      return { text: `update app_public.call_journals r set ${sets.join(", ")} where r.id = $1 returning ${JOURNAL}`, values: [v.rowId, ...Object.values(patch)] };
    },
  },
  "POST /api/journals/bulk-create": {
    sample: (p) => ({ journals: p.calls.map((c) => journalSample(c.id, c.agentEmail, ++serial)) }),
    sql: (v) => ({
      text: `select ${JOURNAL} from app_public.bulk_create_call_journals(
               array(select jsonb_populate_record(null::app_public.call_journals, j) from jsonb_array_elements($1::jsonb) j)) r`,
      values: [JSON.stringify((v.journals as Record<string, unknown>[]).map((j) => Object.fromEntries(Object.entries(j).map(([k, x]) => [snake(k), x]))))],
    }),
  },
  "GET /api/journals/pending-review": {
    sample: () => ({}),
    sql: (v) => page("app_public.pending_review_call_journals", JOURNAL, v, { location: v.location }),
  },
  "PUT /api/journals/:id/review": {
    sample: (_p, row) => ({ id: row, review_score: 86, coaching_notes: "Good summary; add the callback number next time.", commendation_worthy: false }),
    prepare: ({ owner }, p, count) => journals(owner, p, "submitted", count),
    sql: (v) =>
      v.approve
        ? one("app_public.approve_call_journal", JOURNAL, { journalId: v.journalId })
        : one("app_public.review_call_journal", JOURNAL, {
            journalId: v.journalId, reviewScore: v.reviewScore, coachingNotes: v.coachingNotes, commendationWorthy: v.commendationWorthy,
            trainingOpportunities: v.trainingOpportunities, improvementAreas: v.improvementAreas,
          }),
  },
  "GET /api/journals/search": {
    sample: () => ({ q: "appointment", status: "submitted" }),
    sql: (v) =>
      page("app_public.search_call_journals", JOURNAL, v, {
        query: v.query, tags: v.tags, agent: v.agent, location: v.location, status: v.status, fromTime: v.fromTime, toTime: v.toTime,
        followUpDueBy: v.followUpDueBy, sort: v.sort,
      }),
  },
  ...WORKFORCE_CASES,
  ...GOAL_CASES,
  ...CAMPAIGN_CASES,
};

/**
 * Routes without a case yet, each with why: the bench prints them as not measured and the test holds this
 * list to exactly these routes (a new route still needs an entry above, and a route given its case leaves
 * this list).
 */
const LATER: [string, string][] = [
  // Each call makes a user out of an agent 3CX lists: a repeatable bench needs a fresh uninvited agent per run.
  ["POST /api/3cx/agents-to-invite", "makes a user each time it succeeds; a bench would need a fresh uninvited agent per run"],
  // Each request is a reveal: the bench's hundreds would stop at PHI_REVEAL_LIMIT_PER_MINUTE (and alert the superadmins).
  ["POST /api/call-records/:id/recording-link", "a reveal of patient data, limited per person per minute: not a speed figure"],
  ...["POST /api/processing/generate-reports", "GET /api/reports/runs/:id"].map((k): [string, string] => [
    k,
    "scheduled reports: the request only queues or reads one row; producing and sending is the worker's, and rendering is timed by npm run bench:reports",
  ]),
];
export const NOT_YET_BENCHED: Record<string, string> = Object.fromEntries(LATER);

/** The routes without an entry in the table (and not listed as not yet benched). */
export const routesWithoutCase = (routes: RestRoute[], cases: Record<string, ApiCase> = API_CASES, later: Record<string, string> = NOT_YET_BENCHED) =>
  routes.filter((r) => !cases[caseKey(r)] && !later[caseKey(r)]).map(caseKey);

/** Entries of the table, or of the not-yet-benched list, that name no route (a path renamed or removed), or a route in both. */
export const casesWithoutRoute = (routes: RestRoute[], cases: Record<string, ApiCase> = API_CASES, later: Record<string, string> = NOT_YET_BENCHED) => {
  const keys = new Set(routes.map(caseKey));
  return [...new Set([...Object.keys(cases), ...Object.keys(later)])].filter((k) => !keys.has(k) || (k in cases && k in later));
};
