/**
 * The demo practice (simulator/practice.ts, what `npm run seed:demo` loads) as
 * a fake 3CX directory: one user per demo agent, the seven queues with the
 * agents they poll, a digital receptionist per location and a ring group, and
 * presence that moves (see `startPresenceDrift`).
 */
import { AGENTS, QUEUES, LOCATIONS } from "../../../simulator/practice.js";
import type { Fake3cxControls, Fake3cxOptions, FakeQueue, FakeUser } from "./server.js";

export function demoDirectory(): Required<Pick<Fake3cxOptions, "users" | "queues" | "receptionists" | "ringGroups">> {
  const users: FakeUser[] = AGENTS.map((a, i) => {
    const [first, ...rest] = a.name.split(" ");
    return {
      Id: 1 + i,
      Number: a.extension,
      FirstName: first ?? a.name,
      LastName: rest.join(" "),
      DisplayName: a.name,
      EmailAddress: a.email,
      IsRegistered: true,
      CurrentProfileName: "Available",
      QueueStatus: "LoggedIn",
      Enabled: true,
    };
  });
  const queues: FakeQueue[] = QUEUES.map((q, i) => ({
    Id: 500 + i,
    Number: q.extension,
    Name: q.name,
    SLATime: 30,
    Agents: AGENTS.filter((a) => a.queues.includes(q.extension)).map((a, j) => ({ Id: j + 1, Number: a.extension, Name: a.name, SkillGroup: "1", Tags: [] })),
  }));
  const receptionists = LOCATIONS.map((loc, i) => ({ Id: 600 + i, Number: String(8001 + i), Name: `${loc} main menu` }));
  const ringGroups = [
    {
      Id: 700,
      Number: "850",
      Name: "Managers",
      Members: [] as FakeQueue["Agents"],
    },
  ];
  return { users, queues, receptionists, ringGroups };
}

const PROFILES = ["Available", "Available", "Available", "Away", "Lunch", "Do Not Disturb"];

/** Every `everyMs`, a few demo agents change profile, queue login or go on/off a call. Returns a stop function. */
export function startPresenceDrift(controls: Fake3cxControls, everyMs = 5000): () => void {
  let n = 0;
  const timer = setInterval(() => {
    for (let k = 0; k < 3 && controls.users.length > 0; k++) {
      const u = controls.users[(n * 7 + k * 13) % controls.users.length]!;
      const roll = (n + k) % 4;
      if (roll === 0) controls.setPresence(u.Number, { profile: PROFILES[(n + k) % PROFILES.length]! });
      else if (roll === 1) controls.setPresence(u.Number, { queueStatus: u.QueueStatus === "LoggedIn" ? "LoggedOut" : "LoggedIn" });
      else if (controls.activeCalls.some((c) => c.Caller === u.Number || c.Callee === u.Number)) controls.endCall(u.Number);
      else controls.startCall(u.Number);
    }
    n++;
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
