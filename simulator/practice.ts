/**
 * The simulated practice: three locations, their queues and about 60 agents
 * with shifts, as a three-location medical practice runs them. The
 * simulator's traffic, the demo seed and the tests share this directory.
 * Names and numbers are made up (555 numbers, example names).
 */
import type { ClientBase } from "pg";

export type Location = "Ann Arbor" | "Wixom" | "Plymouth";
export const LOCATIONS: readonly Location[] = ["Ann Arbor", "Wixom", "Plymouth"];

export interface SimQueue {
  extension: string;
  name: string;
  location: Location;
  /** Share of the practice's inbound calls that dial this queue. */
  share: number;
}

export const QUEUES: readonly SimQueue[] = [
  { extension: "801", name: "Ann Arbor appointments", location: "Ann Arbor", share: 0.22 },
  { extension: "802", name: "Ann Arbor front desk", location: "Ann Arbor", share: 0.16 },
  { extension: "840", name: "Prescriptions", location: "Ann Arbor", share: 0.08 },
  { extension: "811", name: "Wixom appointments", location: "Wixom", share: 0.17 },
  { extension: "812", name: "Wixom front desk", location: "Wixom", share: 0.1 },
  { extension: "821", name: "Plymouth front desk", location: "Plymouth", share: 0.19 },
  { extension: "830", name: "Billing", location: "Plymouth", share: 0.08 },
];

export interface SimAgent {
  extension: string;
  name: string;
  email: string;
  location: Location;
  /** Queues that poll this agent. */
  queues: string[];
  /** "early" 07:45–16:15 or "late" 08:45–17:15, Monday to Friday; Saturday crews work 08:45–12:15. */
  shift: "early" | "late";
  saturday: boolean;
  hireDate: string;
}

const FIRST = ["Avery", "Blake", "Casey", "Dana", "Emery", "Finley", "Gray", "Harper", "Indy", "Jordan", "Kendall", "Logan", "Morgan", "Noel", "Oakley", "Parker", "Quinn", "Reese", "Sage", "Taylor"];
const LAST = ["Adler", "Brooks", "Carter", "Dalton", "Ellis", "Foster", "Garcia", "Hayes", "Irwin", "Jensen", "Keller", "Lopez", "Mason", "Novak", "Owens", "Price", "Ramos", "Shah", "Turner", "Vance"];

function agentsOf(location: Location, first: number, count: number, queueFor: (i: number) => string[]): SimAgent[] {
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    const given = FIRST[n % FIRST.length]!;
    const family = LAST[(n * 7) % LAST.length]!;
    return {
      extension: String(n),
      name: `${given} ${family}`,
      email: `${given}.${family}.${n}@gangerdermatology.com`.toLowerCase(),
      location,
      queues: queueFor(i),
      shift: i % 2 === 0 ? "early" : "late",
      saturday: location === "Ann Arbor" && i < 4,
      hireDate: `${2015 + (n % 10)}-${String(1 + (n % 12)).padStart(2, "0")}-15`,
    } satisfies SimAgent;
  });
}

export const AGENTS: readonly SimAgent[] = [
  ...agentsOf("Ann Arbor", 101, 24, (i) => (i >= 18 ? ["840", "802"] : ["801", "802"])),
  ...agentsOf("Wixom", 201, 18, () => ["811", "812"]),
  ...agentsOf("Plymouth", 301, 18, (i) => (i >= 12 ? ["830", "821"] : ["821"])),
];

export const agentByExtension = new Map(AGENTS.map((a) => [a.extension, a]));
export const queueByExtension = new Map(QUEUES.map((q) => [q.extension, q]));

/** Opening hours, local, in seconds of the day: Monday–Friday 08:00–17:00, Saturday 09:00–12:00 (Ann Arbor), Sunday closed. */
export function openingHours(weekday: number, location: Location): [number, number] | null {
  if (weekday >= 1 && weekday <= 5) return [8 * 3600, 17 * 3600];
  if (weekday === 6 && location === "Ann Arbor") return [9 * 3600, 12 * 3600];
  return null;
}

/** A shift's scheduled window, local seconds of the day, and its lunch. */
export function shiftWindow(agent: SimAgent, weekday: number): { start: number; end: number; lunch: [number, number] | null } | null {
  if (weekday === 6) return agent.saturday ? { start: 8.75 * 3600, end: 12.25 * 3600, lunch: null } : null;
  if (weekday === 0) return null;
  return agent.shift === "early"
    ? { start: 7.75 * 3600, end: 16.25 * 3600, lunch: [12 * 3600, 12.5 * 3600] }
    : { start: 8.75 * 3600, end: 17.25 * 3600, lunch: [12.5 * 3600, 13 * 3600] };
}

/**
 * Puts the practice's queues, people and agent directory into a database
 * (as its owner). Idempotent: existing rows are updated, nothing is removed.
 */
export async function installPracticeDirectory(client: ClientBase): Promise<void> {
  await client.query(
    `insert into app_public.queues (name, extension, location_name)
     select * from unnest($1::text[], $2::text[], $3::text[])
     on conflict (extension) do update set name = excluded.name, location_name = excluded.location_name`,
    [QUEUES.map((q) => q.name), QUEUES.map((q) => q.extension), QUEUES.map((q) => q.location)],
  );
  await client.query(
    `insert into app_public.users (email, full_name)
     select * from unnest($1::citext[], $2::text[])
     on conflict (email) do nothing`,
    [AGENTS.map((a) => a.email), AGENTS.map((a) => a.name)],
  );
  await client.query(
    `insert into app_public.user_roles (user_id, role)
     select u.id, 'call_center_agent' from app_public.users u where u.email = any($1::citext[])
     on conflict do nothing`,
    [AGENTS.map((a) => a.email)],
  );
  await client.query(
    `insert into app_public.location_staff (user_id, location_name)
     select u.id, a.location from unnest($1::citext[], $2::text[]) as a(email, location) join app_public.users u on u.email = a.email
     on conflict do nothing`,
    [AGENTS.map((a) => a.email), AGENTS.map((a) => a.location)],
  );
  await client.query(
    `insert into app_public.agents (extension, user_email, display_name, location_name, hire_date)
     select * from unnest($1::text[], $2::citext[], $3::text[], $4::text[], $5::date[])
     on conflict (extension) do update set user_email = excluded.user_email, display_name = excluded.display_name,
       location_name = excluded.location_name, hire_date = excluded.hire_date, is_active = true`,
    [AGENTS.map((a) => a.extension), AGENTS.map((a) => a.email), AGENTS.map((a) => a.name), AGENTS.map((a) => a.location), AGENTS.map((a) => a.hireDate)],
  );
}
