/**
 * `npm run token -- --email a@gangerdermatology.com [--role manager] [--name "A B"] [--location "Ann Arbor"] [--hours 12]`
 * Development only: makes sure the user exists (and, with --location, is
 * active staff there), then prints only the JWT on stdout. --role sets the
 * role; without it an existing user keeps theirs and a new one (or one
 * without a role) becomes call_center_agent. --hours is at most
 * JWT_MAX_LIFETIME_SECONDS, which the server enforces.
 */
import { parseArgs } from "node:util";
import pg from "pg";
import { SignJWT } from "jose";
import { z } from "zod";
import { parseEnv } from "../lib/env.js";
import { logger } from "../lib/logger.js";
import { jwtSecret, OWN_ISSUER } from "../lib/jwt-secret.js";
import { prepareDatabase } from "../db/database.js";
import { APP_ROLES } from "../db/roles.js";

const env = parseEnv();
if (env.NODE_ENV === "production") {
  console.error("npm run token is for development; production tokens come from Google sign-in.");
  process.exit(1);
}
const { values } = parseArgs({
  options: {
    email: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    location: { type: "string", multiple: true },
    hours: { type: "string", default: "12" },
  },
});
const args = z
  .object({
    email: z.string().email().toLowerCase(),
    role: z.enum(APP_ROLES).optional(),
    name: z.string().max(200).optional(),
    location: z.array(z.string()).optional(),
    hours: z.coerce
      .number()
      .positive()
      .refine((h) => h * 3600 <= env.JWT_MAX_LIFETIME_SECONDS, {
        message: `at most ${env.JWT_MAX_LIFETIME_SECONDS / 3600} hours: the server refuses longer tokens (JWT_MAX_LIFETIME_SECONDS=${env.JWT_MAX_LIFETIME_SECONDS})`,
      }),
  })
  .safeParse(values);
if (!args.success) {
  console.error(`usage: npm run token -- --email you@${env.ALLOWED_EMAIL_DOMAIN} [--role ${APP_ROLES.join("|")}] [--hours N]`);
  console.error(args.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n"));
  process.exit(2);
}
const { email, role, name, location, hours } = args.data;
if (!email.endsWith(`@${env.ALLOWED_EMAIL_DOMAIN}`)) {
  console.error(`The server accepts only @${env.ALLOWED_EMAIL_DOMAIN} emails (ALLOWED_EMAIL_DOMAIN).`);
  process.exit(2);
}

const db = await prepareDatabase({ env, logger, migrate: true });
const client = new pg.Client({ connectionString: db.ownerUrl });
try {
  await client.connect();
  await client.query("begin");
  const { rows } = await client.query<{ id: string }>(
    `insert into app_public.users (email, full_name) values ($1, $2)
     on conflict (email) do update set is_active = true, full_name = coalesce(excluded.full_name, users.full_name)
     returning id`,
    [email, name ?? null],
  );
  const userId = rows[0]!.id;
  // Without --role, an existing role stays; a user without one becomes an agent.
  const { rows: roles } = await client.query<{ role: string }>(
    `insert into app_public.user_roles (user_id, role) values ($1, coalesce($2::text, 'call_center_agent'))
     on conflict (user_id) do update set role = coalesce($2::text, user_roles.role)
     returning role`,
    [userId, role ?? null],
  );
  for (const loc of location ?? []) {
    await client.query(
      `insert into app_public.location_staff (user_id, location_name) values ($1, $2)
       on conflict (user_id, location_name) do update set is_active = true`,
      [userId, loc],
    );
  }
  await client.query("commit");
  const secret = jwtSecret(env);
  if (!secret) throw new Error("no JWT_SECRET");
  // One clock reading for both, so the lifetime is exactly --hours.
  const issuedAt = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ email, email_verified: true })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(userId)
    .setIssuer(env.JWT_ISSUER ?? OWN_ISSUER)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + Math.round(hours * 3600))
    .sign(new TextEncoder().encode(secret));
  process.stdout.write(`${token}\n`);
  console.error(`token: ${email} as ${roles[0]!.role}, valid for ${hours} h`);
} catch (e) {
  console.error(`token: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => undefined);
  await db.embedded?.stop();
}
