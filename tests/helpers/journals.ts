/**
 * Calls and journals for the journal tests, made as the owner (the review
 * rules bind people, not maintenance), and the whole journals table as it
 * stands, to show that a refused request changed nothing.
 */
import type { Queryable } from "./query.js";
import { one, rows } from "./query.js";

/** An answered inbound call of an agent at a location, `minutesAgo` before now; its id. */
export async function makeCall(owner: Queryable, callId: string, location: string, agentEmail: string, minutesAgo = 60): Promise<string> {
  return (
    await one<{ id: string }>(
      owner,
      `insert into app_public.call_center_records (call_id, location, agent_email, call_direction, call_start_time, call_answer_time, call_end_time, call_status, wait_seconds)
       values ($1, $2, $3, 'inbound', now() - make_interval(mins => $4), now() - make_interval(mins => $4 - 1), now() - make_interval(mins => $4 - 5), 'completed', 60)
       returning id`,
      [callId, location, agentEmail, minutesAgo],
    )
  ).id;
}

export interface JournalSpec {
  call: string;
  agent: string;
  summary?: string;
  status?: "draft" | "submitted" | "reviewed" | "approved";
  /** For a submitted (or later) journal: when it was submitted. */
  submittedAt?: string;
  reviewedBy?: string;
  score?: number;
  tags?: string[];
  notes?: string;
  followUp?: { type: string; date: string };
}

/** A journal as it would stand after its steps (the owner writes it directly); its id. */
export async function makeJournal(owner: Queryable, j: JournalSpec): Promise<string> {
  const status = j.status ?? "draft";
  const reviewed = status === "reviewed" || status === "approved";
  return (
    await one<{ id: string }>(
      owner,
      `insert into app_public.call_journals (call_record_id, agent_email, call_summary, journal_status, submitted_at, reviewed_by, reviewed_at, review_score,
         call_tags, detailed_notes, follow_up_required, follow_up_type, follow_up_date)
       values ($1, $2, $3, $4, $5, $6::citext, case when $6::citext is null then null else now() end, $7, $8, $9, $10, $11, $12) returning id`,
      [
        j.call, j.agent, j.summary ?? "Asked about a refill", status,
        status === "draft" ? null : (j.submittedAt ?? new Date().toISOString()),
        reviewed ? (j.reviewedBy ?? null) : null, reviewed ? (j.score ?? 80) : null,
        j.tags ?? null, j.notes ?? null, j.followUp !== undefined, j.followUp?.type ?? null, j.followUp?.date ?? null,
      ],
    )
  ).id;
}

/** Every journal, every column (the encrypted notes included), in id order: equal before and after means nothing changed. */
export const journalsTable = (owner: Queryable) => rows(owner, "select * from app_public.call_journals order by id");

/** Every notification, in id order. */
export const notificationsTable = (owner: Queryable) => rows(owner, "select * from app_public.notifications order by id");
