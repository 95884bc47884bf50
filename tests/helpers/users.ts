/** People for tests: created as the owner (as `npm run token` does). */
import type pg from "pg";
import type { AppRole } from "../../db/roles.js";
import type { Session } from "../../server/auth.js";

export interface PersonSpec {
  email: string;
  role: AppRole | null;
  locations?: string[];
  active?: boolean;
}

export async function createUser(owner: pg.Pool, spec: PersonSpec): Promise<Session> {
  const { rows } = await owner.query<{ id: string }>(
    "insert into app_public.users (email, full_name, is_active) values ($1, $2, $3) returning id",
    [spec.email, spec.email.split("@")[0], spec.active ?? true],
  );
  const userId = rows[0]!.id;
  if (spec.role) await owner.query("insert into app_public.user_roles (user_id, role) values ($1, $2)", [userId, spec.role]);
  for (const loc of spec.locations ?? []) {
    await owner.query("insert into app_public.location_staff (user_id, location_name) values ($1, $2)", [userId, loc]);
  }
  return { userId, email: spec.email.toLowerCase(), role: (spec.role ?? "staff") as AppRole };
}

/** An active person, staff of the given locations. */
const person = (email: string, role: AppRole | null, locations: string[] = []) => ({ email, role, locations });

/**
 * The cast most tests use, as data (tests that model who may do what read
 * emails and locations from here): one person per role, two locations' worth
 * of supervisors and agents, each active staff where listed.
 */
export const CAST = {
  staff: person("staff@gangerdermatology.com", "staff", ["Plymouth"]),
  agentAA: person("agent.aa@gangerdermatology.com", "call_center_agent", ["Ann Arbor"]),
  agentWX: person("agent.wx@gangerdermatology.com", "call_center_agent", ["Wixom"]),
  supervisorAA: person("sup.aa@gangerdermatology.com", "supervisor", ["Ann Arbor"]),
  supervisorWX: person("sup.wx@gangerdermatology.com", "supervisor", ["Wixom"]),
  manager: person("manager@gangerdermatology.com", "manager"),
  superadmin: person("admin@gangerdermatology.com", "superadmin"),
};
export type Persona = keyof typeof CAST;
/** The cast's people, lowest role first, in the order createCast makes them. */
export const PERSONAS = Object.keys(CAST) as Persona[];

/** People a test may ask for beside the cast, made after it. */
export const CAST_EXTRAS = {
  /** A second superadmin (alerts go to every superadmin). */
  superadmin2: person("admin2@gangerdermatology.com", "superadmin"),
  /** A user with no role yet. */
  noRole: person("norole@gangerdermatology.com", null),
};
export type Extra = keyof typeof CAST_EXTRAS;

export type Cast = Record<Persona, Session>;

/** Makes the cast, then the extras asked for, in that order. */
export async function createCast<E extends Extra = never>(owner: pg.Pool, ...extras: E[]): Promise<Cast & Record<E, Session>> {
  const cast: Partial<Record<Persona | E, Session>> = {};
  for (const p of PERSONAS) cast[p] = await createUser(owner, CAST[p]);
  for (const e of extras) cast[e] = await createUser(owner, CAST_EXTRAS[e]);
  return cast as Cast & Record<E, Session>;
}
