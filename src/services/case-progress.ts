/**
 * A case's clock as its holder works it: when it was accepted and first answered, and how long
 * that took. Shared by the commands and by photos a cadre sends, which answer a resident too.
 */
import type { Case } from '../db/entities/case.entity.js';
import { workingMinutesBetween, type WorkingTime } from '../domain/sla.js';

/** 接单: the case is accepted; the first acceptance keeps its time. */
export function markAccepted(kase: Case, now: Date): void {
  kase.status = 'accepted';
  kase.acceptedAt ??= now;
}

/** The first message to the resident: response time runs from dispatch to here. */
export function markResponded(kase: Case, now: Date, workingTime: WorkingTime): void {
  if (kase.firstResponseAt) return;
  kase.firstResponseAt = now;
  kase.responseMinutes = minutesBetween(kase.dispatchedAt!, now);
  kase.responseWorkingMinutes = workingMinutesBetween(kase.dispatchedAt!, now, workingTime);
}

export function minutesBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 60_000);
}
