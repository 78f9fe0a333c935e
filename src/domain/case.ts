/**
 * The vocabulary of a case's life. `assigned` = dispatched to a cadre and waiting for 接单;
 * `resolved` = 办结, waiting for the resident's callback; `closed` = done for good.
 */
export const caseStatuses = ['assigned', 'accepted', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** Statuses that still need a cadre's work. */
export const openCaseStatuses: readonly CaseStatus[] = ['assigned', 'accepted'];

export type SlaStatus = 'on-time' | 'overdue';

export type ActorType = 'resident' | 'cadre' | 'system';

export type CaseEventType =
  | 'created'
  | 'assigned'
  | 'resident-message';

/** "#1001", "1001", "＃1001" → 1001. */
export function parseCaseNumber(text: string): number | null {
  const m = /^[#＃]?\s*(\d{1,9})$/.exec(text.trim());
  return m ? Number(m[1]) : null;
}
