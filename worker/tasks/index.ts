/** Every task, by the identifier SQL passes to graphile_worker.add_job (file name = identifier). */
import type { TaskList } from "graphile-worker";
import { cdr__drain } from "./cdr__drain.js";
import { cdr__process } from "./cdr__process.js";
import { cdr__rebuild } from "./cdr__rebuild.js";
import { kpi__finalize_fcr } from "./kpi__finalize_fcr.js";
import { kpi__recount } from "./kpi__recount.js";
import { kpi__refresh } from "./kpi__refresh.js";
import { pbx__presence_poll } from "./pbx__presence_poll.js";
import { cdr__reattribute } from "./cdr__reattribute.js";
import { calls__analyze } from "./calls__analyze.js";
import { journals__follow_ups_due } from "./journals__follow_ups_due.js";
import { shifts__fill_from_template } from "./shifts__fill_from_template.js";
import { retention__recordings } from "./retention__recordings.js";
import { shifts__mark_absent } from "./shifts__mark_absent.js";
import { worker__heartbeat } from "./worker__heartbeat.js";
import { threecx__sync_directory } from "./threecx__sync_directory.js";
import { reports__deliver } from "./reports__deliver.js";
import { reports__dispatch } from "./reports__dispatch.js";
import { reports__run } from "./reports__run.js";
import { reports__area_codes } from "./reports__area_codes.js";

export const taskList: TaskList = {
  cdr__drain,
  cdr__process,
  cdr__rebuild,
  kpi__finalize_fcr,
  kpi__recount,
  kpi__refresh,
  pbx__presence_poll,
  cdr__reattribute,
  calls__analyze,
  journals__follow_ups_due,
  shifts__fill_from_template,
  retention__recordings,
  shifts__mark_absent,
  worker__heartbeat,
  threecx__sync_directory,
  reports__dispatch,
  reports__run,
  reports__deliver,
  reports__area_codes,
};
