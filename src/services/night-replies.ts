/**
 * What a resident writing in the quiet hours (夜间免打扰) reads about her words: honestly, when the
 * cadre will see them — they wait for the morning, or, urgent, went to the cadre at once.
 */
import { DateTime } from 'luxon';

/** When what waited for the morning is read, as a resident says it: "明早7点", "今早6点30分"; else "11月27日 07:00". */
export function morningWords(until: Date, now: Date, timezone: string): string {
  const at = DateTime.fromJSDate(until, { zone: timezone });
  const today = DateTime.fromJSDate(now, { zone: timezone });
  const day = at.hasSame(today, 'day') ? '今' : at.hasSame(today.plus({ days: 1 }), 'day') ? '明' : null;
  if (day === null) return at.toFormat('M月d日 HH:mm');
  return `${day}${at.hour < 12 ? '早' : '天'}${at.hour}点${at.minute ? `${at.minute}分` : ''}`;
}

/** Her words wait for `cadre` until `until`, the end of the quiet hours. */
export const heldForMorning = (cadre: string, until: Date, now: Date, timezone: string) =>
  `现在是夜间休息时间，${cadre}${morningWords(until, now, timezone)}后会看到，请您放心。`;

/** An urgent matter at night: it went to `cadre` at once, quiet hours or not. */
export const sentAtOnce = (cadre: string) => `事情紧急，已立即通知${cadre}。`;
