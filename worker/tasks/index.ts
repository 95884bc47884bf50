/** Every task, by the identifier SQL passes to graphile_worker.add_job (file name = identifier). */
import type { TaskList } from "graphile-worker";
import { worker__heartbeat } from "./worker__heartbeat.js";

export const taskList: TaskList = {
  worker__heartbeat,
};
