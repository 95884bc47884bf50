/**
 * Feature switches the database obeys, as transaction settings: the API
 * (graphile.config.ts, each request) and the worker (each job's transaction)
 * give them to every transaction, bound as parameters like the other
 * settings. A session without them (a script) gets each switch's default.
 *
 * - GOAL_ACHIEVEMENT_NOTIFICATIONS → app.goal_achievement_notifications
 *   ('on' or 'off'), read by app_hidden.goal_notifications_enabled().
 */
import type { Env } from "./env.js";

export function featurePgSettings(env: Pick<Env, "GOAL_ACHIEVEMENT_NOTIFICATIONS">): Record<string, string> {
  return { "app.goal_achievement_notifications": env.GOAL_ACHIEVEMENT_NOTIFICATIONS ? "on" : "off" };
}
