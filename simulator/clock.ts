/**
 * Local time for the simulator: business days and hours in a time zone, and
 * 3CX's `YYYY/MM/DD HH:MM:SS` local timestamps. Offsets are looked up once
 * per UTC hour (zone changes fall on whole hours), so writing millions of
 * records stays cheap.
 */
export class Clock {
  private readonly offsets = new Map<number, number>();
  private readonly parts: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.parts = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
  }

  /** The zone's offset from UTC at instant t, in ms (local = utc + offset). */
  offsetAt(t: number): number {
    const hour = Math.floor(t / 3_600_000);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      const p = Object.fromEntries(this.parts.formatToParts(new Date(hour * 3_600_000)).map((x) => [x.type, x.value]));
      const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
      offset = asUtc - hour * 3_600_000;
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  /** The instant of a local time of day on a local date (times between 03:00 and 24:00, clear of DST changes). */
  at(date: string, secondsOfDay: number): number {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    const noonUtc = Date.UTC(y, m - 1, d, 12);
    return Date.UTC(y, m - 1, d) + secondsOfDay * 1000 - this.offsetAt(noonUtc);
  }

  /** 3CX's local timestamp: `2026/09/15 13:33:54`. */
  threeCx(t: number): string {
    const d = new Date(t + this.offsetAt(t));
    const two = (n: number) => String(n).padStart(2, "0");
    return `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  }

  /** ISO 8601 with the zone's offset: `2026-09-15T13:33:54-04:00`. */
  iso(t: number): string {
    const offset = this.offsetAt(t);
    const d = new Date(t + offset);
    const two = (n: number) => String(n).padStart(2, "0");
    const sign = offset < 0 ? "-" : "+";
    const abs = Math.abs(offset) / 60_000;
    return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  }

  /** Day of the week of a local date, 0 = Sunday. */
  static weekday(date: string): number {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  }

  static addDays(date: string, days: number): string {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
  }
}

/** "H:MM:SS" → seconds, for durations in 3CX records. */
export function hms(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}
