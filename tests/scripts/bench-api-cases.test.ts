/**
 * `npm run bench:api` covers every REST route: each has a sample its zod
 * input accepts and a direct SQL statement whose placeholders match its
 * values; a route added without an entry fails here (and stops the bench).
 * No database and no timings: the bench itself measures.
 */
import { REST_ROUTES } from "../../server/rest/routes.js";
import { API_CASES, caseKey, casesWithoutRoute, NOT_YET_BENCHED, routesWithoutCase, type BenchPicks } from "../../scripts/lib/bench-api-cases.js";

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const picks: BenchPicks = {
  person: { email: "demo.manager@gangerdermatology.com", role: "manager" },
  lastDay: "2026-11-29",
  weekFrom: "2026-11-23",
  lastDayFrom: "2026-11-29T05:00:00.000Z",
  lastDayTo: "2026-11-30T05:00:00.000Z",
  callId: uuid(1),
  agentEmail: "blake.hayes.101@gangerdermatology.com",
  calls: Array.from({ length: 10 }, (_, i) => ({ id: uuid(10 + i), agentEmail: "blake.hayes.101@gangerdermatology.com" })),
  jobId: uuid(2),
  location: "Ann Arbor",
};

it("has a sample and SQL for every REST route, and none for a route that is gone", () => {
  expect(routesWithoutCase(REST_ROUTES)).toEqual([]);
  expect(casesWithoutRoute(REST_ROUTES)).toEqual([]);
});

it("names a route the table lacks, and an entry whose route is gone", () => {
  const route = { ...REST_ROUTES[0]!, path: "/api/not-yet-benched" };
  expect(routesWithoutCase([...REST_ROUTES, route])).toEqual(["GET /api/not-yet-benched"]);
  expect(casesWithoutRoute(REST_ROUTES.slice(1))).toEqual([caseKey(REST_ROUTES[0]!)]);
});

it("lists as not yet benched only routes that exist and have no case, each with why", () => {
  expect(casesWithoutRoute(REST_ROUTES, {}, NOT_YET_BENCHED)).toEqual([]);
  for (const [key, why] of Object.entries(NOT_YET_BENCHED)) expect([key, key in API_CASES, why.length > 10]).toEqual([key, false, true]);
  // A route given its case must leave the list: a key in both is reported.
  const benched = REST_ROUTES.find((r) => API_CASES[caseKey(r)])!;
  expect(casesWithoutRoute(REST_ROUTES, API_CASES, { ...NOT_YET_BENCHED, [caseKey(benched)]: "x" })).toEqual([caseKey(benched)]);
});

describe.each(REST_ROUTES.filter((r) => !NOT_YET_BENCHED[caseKey(r)]).map((r) => [caseKey(r), r] as const))("%s", (key, route) => {
  const c = API_CASES[key]!;

  it("has a sample the route's input accepts", () => {
    const parsed = route.input.safeParse(c.sample(picks, c.prepare ? uuid(3) : undefined));
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it("has SQL whose placeholders are its values", () => {
    const { text, values } = c.sql(route.input.parse(c.sample(picks, c.prepare ? uuid(3) : undefined)));
    const used = new Set([...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect([...used].sort((a, b) => a - b)).toEqual(values.map((_, i) => i + 1));
    expect(values).not.toContain(undefined);
  });
});
