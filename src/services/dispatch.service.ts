/**
 * Opening a case and putting it in the hands of the cadre on duty; adding a resident's later
 * messages to it. Runs inside the caller's transaction and writes replies to its outbox.
 */
import type { Config, DepartmentConfig, VillageConfig } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Case } from '../db/entities/case.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import type { WorkCalendar } from '../domain/calendar.js';
import { isUrgent } from '../domain/classify.js';
import { pickAssignee } from '../domain/routing.js';
import { computeDueTimes, type Priority, type WorkingTime } from '../domain/sla.js';
import { cleanText } from '../domain/text.js';
import type { Outbox } from './outbox.js';
import { formatTime, mediaNames, replies } from './replies.js';

export interface OpenCaseInput {
  resident: Resident;
  /** The resident's messages that make up the matter, oldest first. */
  messageIds: number[];
  departmentId: string;
  /** The resident did not know the department: the office dispatcher is to place it. */
  unclear: boolean;
  outbox: Outbox;
  now: Date;
}

export class DispatchService {
  private readonly departments: Map<string, DepartmentConfig>;
  private readonly villages: Map<string, VillageConfig>;
  readonly workingTime: WorkingTime;

  constructor(
    private readonly config: Config,
    private readonly calendar: WorkCalendar,
  ) {
    this.departments = new Map(config.departments.map((d) => [d.id, d]));
    this.villages = new Map(config.villages.map((v) => [v.id, v]));
    this.workingTime = { timezone: config.township.timezone, workingHours: config.township.workingHours, calendar };
  }

  async openCase(tx: Repositories, input: OpenCaseInput): Promise<Case> {
    const { resident, now, outbox } = input;
    const department = this.departments.get(input.departmentId)!;
    const village = this.villages.get(resident.villageId!)!;
    const messages = await tx.inbound.findByIds(input.messageIds);
    const description = messages.map(describe).join('\n');
    const priority: Priority = isUrgent(department, description) ? 'urgent' : 'normal';
    const due = computeDueTimes(now, department, priority, this.workingTime);

    const counts = await tx.cadres.openCaseCounts(this.config.cadres.map((c) => c.id));
    const assignment = pickAssignee({
      config: this.config,
      villageId: village.id,
      departmentId: department.id,
      at: now,
      openCases: counts,
      calendar: this.calendar,
    });

    const kase = await tx.cases.create({
      residentId: resident.id,
      villageId: village.id,
      departmentId: department.id,
      status: 'assigned',
      priority,
      assigneeId: assignment.cadreId,
      description,
      createdAt: now,
      assignedAt: now,
      ...due,
    });
    await tx.inbound.linkToCase(input.messageIds, kase.id);
    await tx.cases.appendEvent({
      caseId: kase.id, at: now, actorType: 'resident', actorId: String(resident.id), type: 'created',
      data: { messageIds: input.messageIds, departmentId: department.id, villageId: village.id, priority, unclear: input.unclear },
    });
    await tx.cases.appendEvent({
      caseId: kase.id, at: now, actorType: 'system', actorId: null, type: 'assigned',
      data: { cadreId: assignment.cadreId, reason: assignment.reason },
    });

    const cadre = await tx.cadres.get(assignment.cadreId);
    const tz = this.config.township.timezone;
    const note = input.unclear
      ? replies.notesForCadre.unclear
      : assignment.reason === 'on-duty' ? null : replies.notesForCadre[assignment.reason];
    await outbox.toCadre(
      cadre.id,
      replies.cadreNewCase({
        number: kase.number,
        village: village.name,
        department: department.name,
        urgent: priority === 'urgent',
        resident: resident.name,
        text: description,
        receivedAt: formatTime(messages[0]?.sentAt ?? now, tz),
        acceptBy: formatTime(due.acceptDueAt, tz),
        respondBy: formatTime(due.firstResponseDueAt, tz),
        resolveBy: formatTime(due.resolveDueAt, tz),
        note,
      }),
      kase.id,
    );
    for (const media of messages.filter((m) => m.kind !== 'text')) {
      await outbox.forwardToCadre(cadre.id, media.sourceMessageId, describe(media), kase.id);
    }
    await outbox.toResident(
      resident.id,
      replies.caseAcknowledged({
        number: kase.number,
        department: department.name,
        cadre: cadre.name,
        title: cadre.title,
        contactBy: formatTime(due.firstResponseDueAt, tz),
      }),
      kase.id,
    );
    return kase;
  }

  /** A message from a resident whose case is still open: into the case, on to its holder. */
  async addToCase(
    tx: Repositories,
    p: { kase: Case; resident: Resident; message: InboundMessage; outbox: Outbox; now: Date },
  ): Promise<void> {
    const { kase, resident, message, outbox, now } = p;
    await tx.inbound.linkToCase([message.id], kase.id);
    await tx.cases.appendEvent({
      caseId: kase.id, at: now, actorType: 'resident', actorId: String(resident.id), type: 'resident-message',
      data: { messageId: message.id, kind: message.kind },
    });
    const cadre = kase.assigneeId ? await tx.cadres.get(kase.assigneeId) : null;
    if (cadre) {
      const village = this.villages.get(kase.villageId)?.name ?? '';
      if (message.kind === 'text') {
        await outbox.toCadre(
          cadre.id,
          replies.cadreFollowUp({ number: kase.number, village, resident: resident.name, text: cleanText(message.text) }),
          kase.id,
        );
      } else {
        await outbox.toCadre(cadre.id, replies.cadreMediaFollows({ number: kase.number, what: mediaNames[message.kind] ?? '一条消息' }), kase.id);
        await outbox.forwardToCadre(cadre.id, message.sourceMessageId, describe(message), kase.id);
      }
    }
    await outbox.toResident(resident.id, replies.followUpForwarded({ number: kase.number, cadre: cadre?.name ?? '办公室' }), kase.id);
  }
}

/** A message as one line of a case description. */
function describe(message: InboundMessage): string {
  return message.kind === 'text' ? cleanText(message.text) : message.text;
}
