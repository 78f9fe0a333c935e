/**
 * Photos and voices a cadre sends: forwarded to the resident of the case in front of him, or held
 * until he says which case they are for, and lapsed with a word to him when he never does.
 * Runs inside the inbound message's transaction, except {@link CadreMedia.lapse} (the sweep's).
 */
import type { Config } from '../config/schema.js';
import type { Database, Repositories } from '../db/database.js';
import type { Delivery } from '../db/repositories/outbox.repository.js';
import type { Cadre } from '../db/entities/cadre.entity.js';
import type { Case } from '../db/entities/case.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import { holdableKinds } from '../queue/jobs.js';
import { recentCase, recentSince, remember } from './cadre-context.js';
import type { CaseViews } from './case-views.js';
import { markAccepted, markResponded } from './case-progress.js';
import type { Clock } from './clock.js';
import type { DispatchService } from './dispatch.service.js';
import { Outbox } from './outbox.js';
import { formatTime, mediaKinds, replies } from './replies.js';

export class CadreMedia {
  constructor(
    private readonly config: Config,
    private readonly dispatch: DispatchService,
    private readonly views: CaseViews,
  ) {}

  /**
   * A photo or voice from a cadre goes to the resident of the case they just acted on. When which
   * case is unclear it waits (`media-held`), and the cadre is asked for the case's number (his
   * answer, read as a command, finds it by {@link heldFor}); unanswered, it lapses (see {@link lapse}).
   */
  async handle(tx: Repositories, message: InboundMessage, cadre: Cadre, outbox: Outbox, now: Date): Promise<'media-held' | void> {
    const kase = await recentCase(tx, this.config, cadre, now);
    if (kase) return this.forward(tx, [message], kase, cadre, outbox, now);
    // The cases it may be for: those just resolved (a photo of the finished work), then those open.
    const open = holdableKinds.includes(message.kind)
      ? [...(await tx.cases.resolvedBySince(cadre.id, recentSince(this.config, now))), ...(await tx.cases.openForAssignee(cadre.id))]
      : [];
    if (open.length === 0) return outbox.toCadre(cadre.id, replies.mediaWithoutCase());
    // The second and third photo of one showing: asked once.
    const runSince = new Date(message.receivedAt.getTime() - this.config.township.caseRules.mediaRunSeconds * 1000);
    if ((await tx.inbound.heldMediaFrom(message.talkerId, runSince)).at(-1)?.kind !== message.kind) {
      outbox.toCadre(cadre.id, replies.mediaWhichCase({ what: mediaKinds[message.kind] ?? '消息', cases: await this.views.choices(tx, open) }));
    }
    return 'media-held';
  }

  /**
   * Photos and voices that waited `photoFollowsMinutes` for a case number that never came lapse:
   * the cadre, who may think they went, is told in one line which did not and how to send them.
   * Run by the sweep; returns the outbox rows to enqueue.
   */
  async lapse(db: Database, clock: Clock): Promise<Delivery[]> {
    const now = clock();
    return db.transaction(async (tx) => {
      const outbox = new Outbox(tx, now, null, this.config.township);
      const byCadre = new Map<string, { kind: string; receivedAt: Date }[]>();
      for (const m of await tx.inbound.lapseHeldMedia(recentSince(this.config, now))) byCadre.set(m.cadreId, [...(byCadre.get(m.cadreId) ?? []), m]);
      for (const [cadreId, lapsed] of byCadre) {
        const what = [...new Set(lapsed.map((m) => mediaKinds[m.kind] ?? '消息'))].join('和');
        outbox.toCadre(cadreId, replies.mediaLapsed({ what, at: formatTime(lapsed[0]!.receivedAt, this.config.township.timezone) }));
      }
      return outbox.flush();
    });
  }

  /**
   * The cadre's photos and voices still waiting for a case number that `kase` may be meant by:
   * sent within `photoFollowsMinutes` and after the case reached its holder. A case that came
   * later was not on the list the cadre was asked from: its number alone is 接单, not an answer.
   */
  async heldFor(tx: Repositories, talkerId: string, kase: Case, now: Date): Promise<InboundMessage[]> {
    return tx.inbound.heldMediaFrom(talkerId, new Date(Math.max(recentSince(this.config, now).getTime(), kase.assignedAt?.getTime() ?? 0)));
  }

  /**
   * "回复 1001 这是您家的苗" right after being asked whom a photo is for: the photo still waits.
   * Said to the cadre with the number to send, not guessed (the words may be about something else).
   */
  async heldNote(tx: Repositories, cadre: Cadre, kase: Case, now: Date): Promise<string> {
    const [first] = cadre.wechatId ? await this.heldFor(tx, cadre.wechatId, kase, now) : [];
    return first ? replies.mediaStillHeld({ what: mediaKinds[first.kind] ?? '消息', number: kase.number }) : '';
  }

  /** Photos or voices of the cadre to the case's resident: one header for a run of one kind, each file forwarded. */
  async forward(tx: Repositories, messages: InboundMessage[], kase: Case, cadre: Cadre, outbox: Outbox, now: Date): Promise<void> {
    const department = this.dispatch.departments.get(cadre.departmentIds.includes(kase.departmentId) ? kase.departmentId : cadre.departmentIds[0]!)!;
    // A photo to the resident answers them, as 回复 does: a case still waiting is taken, or its
    // accept limit would hand it to the backup after its resident has heard from this cadre.
    if (kase.status === 'assigned') markAccepted(kase, now);
    markResponded(kase, now, this.dispatch.workingTime);
    await tx.cases.save(kase, now);
    let confirm = false;
    let previous: string | null = null;
    for (const message of messages) {
      message.caseId = kase.id;
      await tx.cases.appendEvent({
        caseId: kase.id, at: now, actorType: 'cadre', actorId: cadre.id, type: 'replied', data: { messageId: message.id, kind: message.kind },
      });
      // Two or three photos in a row are one showing: the resident reads the header once, the
      // cadre the confirmation once; every photo is forwarded.
      const run =
        previous === message.kind ||
        (messages.length === 1 &&
          (await tx.inbound.continuesMediaRun(message, kase.id, { residentId: kase.residentId }, this.config.township.caseRules.mediaRunSeconds)));
      if (!run) {
        outbox.toResident(kase.residentId, replies.residentMedia({ number: kase.number, department: department.name, cadre: cadre.name, what: mediaKinds[message.kind] ?? '消息' }), kase.id);
        confirm = true;
      }
      previous = message.kind;
      outbox.forwardToResident(kase.residentId, message.sourceMessageId, message.text, kase.id);
    }
    await remember(tx, cadre, kase, now);
    if (!confirm) return;
    // Named, so a cadre whose photo went to another case than meant notices.
    const resident = await tx.residents.get(kase.residentId);
    outbox.toCadre(cadre.id, replies.mediaForwarded({ number: kase.number, resident: resident.name }), kase.id);
  }
}
