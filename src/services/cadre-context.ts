/**
 * What is in front of a cadre when he writes: the case he acted on last (kept as his context for
 * `photoFollowsMinutes`), the cases waiting for him to accept, and which cases he may act on at all.
 * His commands and his plain words are both read against it.
 */
import type { Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { Case } from '../db/entities/case.entity.js';
import { replies } from './replies.js';

/** The assignee of a case or a visit (预约), a head of its department, or the office. */
export function mayAct(cadre: Cadre, work: Pick<Case, 'assigneeId' | 'departmentId'>): boolean {
  if (work.assigneeId === cadre.id || cadre.role === 'office') return true;
  return cadre.role === 'head' && cadre.departmentIds.includes(work.departmentId);
}

/**
 * The answer to a cadre acting on a case he may not: one given to him once and to someone else
 * since (派单, 转派, escalation) names who holds it now, so he can phone the colleague — and, when
 * he wrote words for its resident (`wordsHeld`: given on while he typed them), says they did not go;
 * else a refusal.
 */
export async function notYoursReply(tx: Repositories, cadre: Cadre, kase: Case, wordsHeld = false): Promise<string> {
  return (await movedAwayReply(tx, cadre, kase, wordsHeld)) ?? replies.notYours(kase.number);
}

/** Who holds a case given to `cadre` once and to someone else since (see {@link notYoursReply}); null for any other case. */
export async function movedAwayReply(tx: Repositories, cadre: Cadre, kase: Case, wordsHeld = false): Promise<string | null> {
  if (!kase.assigneeId || kase.assigneeId === cadre.id || !(await tx.cases.wasAssignedTo(kase.id, cadre.id))) return null;
  const holder = await tx.cadres.get(kase.assigneeId);
  return replies.movedAway({ number: kase.number, cadre: holder.name, lapsed: false, wordsHeld });
}

/** The start of the time within which a cadre's next message is read as about what just happened (`photoFollowsMinutes`). */
export function recentSince(config: Config, now: Date): Date {
  return new Date(now.getTime() - config.township.caseRules.photoFollowsMinutes * 60_000);
}

/** The case this cadre acted on within `photoFollowsMinutes` and still may act on, locked; else null. */
export async function recentCase(tx: Repositories, config: Config, cadre: Cadre, now: Date): Promise<Case | null> {
  const context = cadre.context;
  const fresh = context && Date.parse(context.at) >= recentSince(config, now).getTime();
  const kase = fresh ? await tx.cases.lockById(context.caseId) : null;
  // A closed case takes nothing more (a photo right after 办结 still goes: it is only resolved).
  return kase && kase.status !== 'closed' && mayAct(cadre, kase) ? kase : null;
}

/** The case the cadre just acted on: what his next words and photos are read as about. */
export function remember(tx: Repositories, cadre: Cadre, kase: Case, now: Date): Promise<void> {
  return tx.cadres.setContext(cadre.id, { caseId: kase.id, at: now.toISOString() });
}

/** The cadre's cases not yet accepted. */
export async function waitingFor(tx: Repositories, cadre: Cadre): Promise<Case[]> {
  return (await tx.cases.openForAssignee(cadre.id)).filter((c) => c.status === 'assigned');
}
