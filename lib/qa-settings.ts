/**
 * QA_REVIEW_QUOTA_PER_AGENT as the transaction setting
 * app_hidden.qa_review_quota_per_agent() reads; the server adds it to every
 * signed-in request (beside the reveal limits) and the worker to every job.
 */
import type { Env } from "./env.js";

export function qaPgSettings(env: Pick<Env, "QA_REVIEW_QUOTA_PER_AGENT">): Record<string, string> {
  return { "app.qa_review_quota_per_agent": String(env.QA_REVIEW_QUOTA_PER_AGENT) };
}
