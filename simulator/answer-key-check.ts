/**
 * Compares what ingestion stored with the simulator's answer key: every call
 * present with its direction, status, queue, first agent, transfers, wait,
 * answering and missed agents, times and recording; every malformed record a
 * dead letter naming the right field, and never a call. Returns the
 * differences (empty when ingestion matches what was really simulated).
 */
import type { ClientBase } from "pg";
import type { AnswerKeyCall, AnswerKeyEntry, AnswerKeyMalformed } from "./render.js";

interface StoredCall {
  call_id: string;
  direction: string;
  status: string;
  queue: string | null;
  agent: string | null;
  transfer_count: number;
  wait_seconds: number | null;
  answered_agents: string[];
  missed_agents: string[];
  start: Date;
  end: Date;
  recording: boolean;
  caller_hash_matches: boolean;
}

export async function compareWithAnswerKey(client: ClientBase, entries: AnswerKeyEntry[], limit = 20): Promise<string[]> {
  const calls = entries.filter((e): e is AnswerKeyCall => !("malformed" in e));
  const malformed = entries.filter((e): e is AnswerKeyMalformed => "malformed" in e);
  const problems: string[] = [];
  const { rows } = await client.query<StoredCall>(
    `select c.call_id, c.call_direction as direction, c.call_status as status, q.extension as queue, c.agent_extension as agent,
            c.transfer_count, c.wait_seconds, c.call_start_time as start, c.call_end_time as end, c.recording_available as recording,
            coalesce(c.caller_number_hash = app_hidden.caller_key(k.caller_number), k.caller_number is null) as caller_hash_matches,
            array(select distinct l.agent_extension from app_public.call_legs l
                   where l.call_record_id = c.id and l.answered_at is not null and l.leg_type in ('talk', 'ring', 'transfer') order by 1) as answered_agents,
            array(select distinct l.agent_extension from app_public.call_legs l
                   where l.call_record_id = c.id and l.answered_at is null and l.leg_type = 'ring' order by 1) as missed_agents
       from unnest($1::text[], $2::text[]) as k(call_id, caller_number)
       join app_public.call_center_records c on c.call_id = k.call_id
       left join app_public.queues q on q.name = c.queue_name`,
    [calls.map((c) => c.call_id), calls.map((c) => c.caller_number)],
  );
  const stored = new Map(rows.map((r) => [r.call_id, r]));
  const sorted = (a: string[]) => [...a].sort().join(",");
  for (const k of calls) {
    if (problems.length >= limit) break;
    const s = stored.get(k.call_id);
    if (!s) {
      problems.push(`${k.call_id} (${k.kind}, ${k.status}): not stored`);
      continue;
    }
    const expected: Record<string, unknown> = {
      direction: k.direction, status: k.status, queue: k.queue, agent: k.agent, transfer_count: k.transfer_count,
      wait_seconds: k.wait_seconds, answered_agents: sorted(k.answered_agents), missed_agents: sorted(k.missed_agents),
      start: Date.parse(k.start), end: Date.parse(k.end), recording: k.recording, caller_hash_matches: true,
    };
    const actual: Record<string, unknown> = {
      direction: s.direction, status: s.status, queue: s.queue, agent: s.agent, transfer_count: s.transfer_count,
      wait_seconds: s.wait_seconds, answered_agents: sorted(s.answered_agents), missed_agents: sorted(s.missed_agents),
      start: s.start.getTime(), end: s.end.getTime(), recording: s.recording, caller_hash_matches: s.caller_hash_matches,
    };
    const diffs = Object.keys(expected).filter((f) => expected[f] !== actual[f]).map((f) => `${f} ${JSON.stringify(actual[f])} ≠ ${JSON.stringify(expected[f])}`);
    if (diffs.length) problems.push(`${k.call_id} (${k.kind}, ${k.status}): ${diffs.join("; ")}`);
  }
  if (malformed.length) {
    const { rows: present } = await client.query<{ call_id: string }>(
      "select call_id from app_public.call_center_records where call_id = any($1::text[])",
      [malformed.map((m) => m.call_id)],
    );
    for (const p of present) problems.push(`${p.call_id}: malformed, yet stored as a call`);
    // Dead letters keep the failing line (encrypted): find each malformed record's own. Beyond
    // CDR_MAX_DEAD_LETTERS_PER_REASON of one reason in a body, one row stands for the rest and keeps only the
    // first line: the records not found by their line must fit in such rows of their field.
    const { rows: letters } = await client.query<{ field: string; line: Buffer; repeat_count: number }>(
      `select field, app_hidden.phi_decrypt_bytea(line_encrypted) as line, repeat_count from app_private.cdr_dead_letters where resolved_at is null`,
    );
    const unseen = new Map<string, string[]>();
    for (const m of malformed) {
      const letter = letters.find((l) => l.line && l.line.includes(m.call_id));
      if (!letter) unseen.set(m.field, [...(unseen.get(m.field) ?? []), m.call_id]);
      else if (letter.field !== m.field) problems.push(`${m.call_id}: dead letter names ${letter.field}, expected ${m.field}`);
    }
    for (const [field, ids] of unseen) {
      const room = letters.filter((l) => l.field === field).reduce((n, l) => n + l.repeat_count - 1, 0);
      for (const id of ids.slice(room)) problems.push(`${id}: malformed, but no dead letter`);
    }
  }
  const extra = await client.query<{ n: number }>(
    "select count(*)::int as n from app_public.call_center_records where not (call_id = any($1::text[]))",
    [calls.map((c) => c.call_id)],
  );
  if (extra.rows[0]!.n > 0) problems.push(`${extra.rows[0]!.n} calls stored that were never simulated`);
  return problems.slice(0, limit);
}
