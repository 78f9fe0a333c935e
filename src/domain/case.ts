/**
 * The vocabulary of a case's life. `assigned` = dispatched to a cadre and waiting for 接单;
 * `resolved` = 办结, waiting for the resident's callback; `closed` = done for good.
 */
export const caseStatuses = ['assigned', 'accepted', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/** Statuses that still need a cadre's work. */
export const openCaseStatuses: readonly CaseStatus[] = ['assigned', 'accepted'];

/**
 * The village of a case whose resident never said it (she only sent voice messages, or left the
 * village question unanswered): the office listens and sets it (定村). Config ids start with a
 * letter or digit, so this never names a configured village; the statistics list such cases
 * under their own row until the office sets the village.
 */
export const unknownVillageId = '_unknown';

export type SlaStatus = 'on-time' | 'overdue';

export type ActorType = 'resident' | 'cadre' | 'system';

export type CaseEventType =
  | 'created'
  | 'assigned'
  | 'resident-message'
  | 'accepted'
  | 'replied'
  | 'resolved'
  | 'resolve-undone'
  | 'transferred'
  | 'sent-back'
  | 'extension-requested'
  | 'extension-approved'
  | 'extension-rejected'
  | 'urged'
  | 'warned'
  | 'escalated'
  | 'rated'
  | 'reopened'
  | 'closed'
  /** The office (or the holder) set the case's village after listening to the resident (定村). */
  | 'village-set';

/** Callback answers (回访), and what an unanswered callback counts as. */
export type Rating = 'satisfied' | 'basically-satisfied' | 'unsatisfied' | 'no-answer';

/** The limits a case runs against; `callback` is the wait for the resident's rating. */
export type SlaLimit = 'accept' | 'first-response' | 'resolve' | 'callback';

export interface ExtensionRequest {
  cadreId: string;
  days: number;
  reason: string;
  at: string;
}

/** What a cadre did last, so a photo sent right after 办结 or 回复 reaches that case's resident. */
export interface CadreContext {
  caseId: number;
  at: string;
  /** Set by the case's resident writing to the holder, not by the cadre acting on it. */
  followUp?: true;
}
