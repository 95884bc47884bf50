/**
 * pbx__presence_poll: polls every agent's 3CX status into agent_presence
 * (worker/pbx/presence.ts) and queues itself again
 * THREECX_PRESENCE_POLL_SECONDS later under one job key, so exactly one poll
 * is ever waiting however many workers run. Cron has minute granularity; a
 * self-rescheduling job keeps the seconds (README, "Agent presence"). The
 * worker queues the first at start when the PBX API is configured; without
 * it the chain stops.
 */
import type { Task } from "graphile-worker";
import { env } from "../../lib/env.js";
import { pollPresenceOnce, type FetchPresence } from "../pbx/presence.js";
import { presenceFetcher } from "../pbx/presence-fetch.js";

export const PRESENCE_POLL_KEY = "pbx__presence_poll";
export const PRESENCE_POLL_QUEUE = "pbx_presence";

/** The task, with where snapshots come from injected (tests give their own). */
export function makePresencePollTask(fetcher: () => FetchPresence | undefined): Task {
  return async (_payload, helpers) => {
    const fetchPresence = fetcher();
    if (!fetchPresence) {
      helpers.logger.info("3CX API not configured (THREECX_API_URL, THREECX_API_CLIENT_ID, THREECX_API_KEY): presence polling stops");
      return;
    }
    const pollSeconds = env().THREECX_PRESENCE_POLL_SECONDS;
    try {
      const outcome = await pollPresenceOnce(helpers, fetchPresence, { pollSeconds, timeoutMs: Math.max(pollSeconds * 2000, 10_000) });
      if (!outcome.ok) {
        // The first failure and every 60th after it: the PBX down for an hour does not flood the log.
        if (outcome.consecutiveFailures % 60 === 1) {
          helpers.logger.error(`3CX presence poll failed (${outcome.reason}, ${outcome.consecutiveFailures} in a row): ${outcome.error}`);
        }
      } else if (outcome.opened) {
        helpers.logger.debug(`3CX presence: ${outcome.opened} status changes`);
      }
    } finally {
      await helpers.addJob("pbx__presence_poll", {}, {
        jobKey: PRESENCE_POLL_KEY,
        jobKeyMode: "replace",
        queueName: PRESENCE_POLL_QUEUE,
        runAt: new Date(Date.now() + pollSeconds * 1000),
        maxAttempts: 5,
      });
    }
  };
}

export const pbx__presence_poll: Task = makePresencePollTask(presenceFetcher);
