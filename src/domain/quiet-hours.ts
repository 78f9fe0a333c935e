/**
 * Quiet hours (夜间免打扰): a cadre's phone should not ring at night for what can wait until
 * morning. Pure: when the quiet hours around an instant end.
 */
import { DateTime } from 'luxon';

export interface QuietHours {
  /** "22:00": from then on, non-urgent messages to cadres wait. */
  start: string;
  /** "07:00": they go out then. Before `start` means the hours cross midnight. */
  end: string;
}

/** When the quiet hours `now` falls in end; null outside them, or when there are none. */
export function quietUntil(now: Date, quiet: QuietHours | null, timezone: string): Date | null {
  if (!quiet) return null;
  const local = DateTime.fromJSDate(now, { zone: timezone });
  const minute = local.hour * 60 + local.minute;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  const endToday = local.startOf('day').plus({ minutes: end });
  return (endToday > local ? endToday : endToday.plus({ days: 1 })).toJSDate();
}

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** Whether quiet hours ended within the last `minutes` before `now`. */
export function quietEndedWithin(now: Date, quiet: QuietHours | null, timezone: string, minutes: number): boolean {
  const end = quietUntil(new Date(now.getTime() - minutes * 60_000), quiet, timezone);
  return end !== null && end <= now;
}
