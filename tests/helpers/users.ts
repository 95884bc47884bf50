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

/** The cast most tests use: one person per role, two locations' worth of supervisors and agents. */
export async function createCast(owner: pg.Pool) {
  return {
    staff: await createUser(owner, { email: "staff@gangerdermatology.com", role: "staff", locations: ["Plymouth"] }),
    agentAA: await createUser(owner, { email: "agent.aa@gangerdermatology.com", role: "call_center_agent", locations: ["Ann Arbor"] }),
    agentWX: await createUser(owner, { email: "agent.wx@gangerdermatology.com", role: "call_center_agent", locations: ["Wixom"] }),
    supervisorAA: await createUser(owner, { email: "sup.aa@gangerdermatology.com", role: "supervisor", locations: ["Ann Arbor"] }),
    supervisorWX: await createUser(owner, { email: "sup.wx@gangerdermatology.com", role: "supervisor", locations: ["Wixom"] }),
    manager: await createUser(owner, { email: "manager@gangerdermatology.com", role: "manager" }),
    superadmin: await createUser(owner, { email: "admin@gangerdermatology.com", role: "superadmin" }),
  };
}
export type Cast = Awaited<ReturnType<typeof createCast>>;
