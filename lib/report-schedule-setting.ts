/**
 * PERFORMANCE_REPORT_SCHEDULE: how often the default report (the team report to CALL_CENTER_MANAGER_EMAIL) is
 * sent; REPORT_GENERATION_TIME is the local time (BUSINESS_TIMEZONE) it is sent at.
 *
 * - `daily_8am` (the PRD's value) or `daily`: every day, covering the day before. The time always comes from
 *   REPORT_GENERATION_TIME; "8am" only names the PRD's default.
 * - `weekly_mon` … `weekly_sun`: once a week on that day, covering the 7 days before.
 * - `monthly_1` … `monthly_28`: once a month on that day, covering the month so far (on the 1st, the whole
 *   previous month).
 * - `off`: no default report (the schedule stays, inactive).
 */
export interface DefaultReportSchedule {
  /** null: off. */
  cadence: "daily" | "weekly" | "monthly" | null;
  weekday: number | null;
  monthday: number | null;
}

const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** The schedule a PERFORMANCE_REPORT_SCHEDULE value names, or a message saying what is allowed. */
export function parseReportSchedule(value: string): DefaultReportSchedule | string {
  const v = value.trim().toLowerCase();
  if (v === "off") return { cadence: null, weekday: null, monthday: null };
  if (v === "daily" || v === "daily_8am") return { cadence: "daily", weekday: null, monthday: null };
  const weekly = /^weekly_([a-z]{3})$/.exec(v);
  if (weekly && WEEKDAYS.includes(weekly[1]!)) return { cadence: "weekly", weekday: WEEKDAYS.indexOf(weekly[1]!) + 1, monthday: null };
  const monthly = /^monthly_(\d{1,2})$/.exec(v);
  if (monthly && Number(monthly[1]) >= 1 && Number(monthly[1]) <= 28) return { cadence: "monthly", weekday: null, monthday: Number(monthly[1]) };
  return "must be daily_8am, daily, weekly_mon … weekly_sun, monthly_1 … monthly_28 or off";
}
