/**
 * The department menu: a matter no department is clear for is kept (`pendingMessageIds`) while she is
 * asked whose it is. A number, a department's name or more words that settle it answer; 不清楚, a voice
 * message, a second wrong answer or no answer within `departmentMenuMinutes` give it to the office. A
 * booking's questions may come in front of it (BookingDialog.heldMenu); it is asked again after them.
 */
import { findDepartment, type Config } from '../config/schema.js';
import type { Repositories } from '../db/database.js';
import type { Case } from '../db/entities/case.entity.js';
import type { InboundMessage } from '../db/entities/inbound-message.entity.js';
import type { Resident } from '../db/entities/resident.entity.js';
import type { ClassifyResult, DepartmentClassifier } from '../domain/classify.js';
import type { DepartmentMenu } from '../domain/dialog.js';
import { asksWhoWeAre, bareWords, parseMenuNumber } from '../domain/text.js';
import { leaveWords, parseBookingWord } from './booking-words.js';
import { describe, type DispatchService } from './dispatch.service.js';
import type { IntakeOutcome } from './intake.service.js';
import type { Outbox } from './outbox.js';
import { mediaKinds, mediaNames, replies } from './replies.js';

/** After this many answers that are not on the department menu, the office takes over. */
const departmentAttempts = 2;

/** The messages of a matter, oldest first: those kept in a dialog, and `current` when it belongs. */
export async function matterMessages(tx: Repositories, pendingIds: readonly number[], current: InboundMessage | null): Promise<InboundMessage[]> {
  const earlier = await tx.inbound.findByIds(pendingIds.filter((id) => id !== current?.id));
  return current ? [...earlier, current].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || a.id - b.id) : earlier;
}

export class DepartmentMenus {
  constructor(private readonly deps: { config: Config; classifier: DepartmentClassifier; dispatch: DispatchService }) {}

  /**
   * Her matter (`messages`), which no department is clear for (`result`), waits on the menu: the departments it scored first, the office not among them.
   * `earlier`: a case of hers done lately that her words may say is not over ("还没修好"): its department comes first, and the question names it.
   */
  ask(resident: Resident, messages: InboundMessage[], result: ClassifyResult, outbox: Outbox, now: Date, earlier: Case | null = null): IntakeOutcome {
    const office = this.deps.config.township.officeDepartment;
    const scored = result.scores.map((s) => s.departmentId);
    const menu = [...new Set([...(earlier ? [earlier.departmentId] : []), ...scored, ...this.deps.config.departments.map((d) => d.id)])].filter(
      (id) => id !== office && this.deps.dispatch.departments.has(id),
    );
    resident.dialog = { kind: 'ask-department', pendingMessageIds: messages.map((m) => m.id), attempts: 0, menu, askedAt: now.toISOString() };
    const departments = menu.map((id) => this.deps.config.departments.find((d) => d.id === id)!);
    // A photo sent first tells nobody whose it is: she is asked what it shows before any department.
    // (A voice tells its matter itself, and a sticker tells none: the menu as for words.)
    const first = messages[0]?.kind;
    const shown = first && first !== 'voice' && first !== 'other' && messages.every((m) => m.kind !== 'text') ? mediaKinds[first] : undefined;
    const question = shown
      ? replies.askWhatMediaShows(shown, departments)
      : earlier && menu[0] === earlier.departmentId
        ? replies.askDepartmentAfterDone({ number: earlier.number, text: earlier.description, department: departments[0]!.name }, departments)
        : replies.askDepartment(departments);
    outbox.toResident(resident.id, question);
    return 'asked-department';
  }

  /** Her message at the menu: an answer opens the case, anything else is kept with the matter and the menu asked again. */
  async answer(tx: Repositories, resident: Resident, dialog: DepartmentMenu, message: InboundMessage, text: string, outbox: Outbox, now: Date): Promise<IntakeOutcome> {
    const { config } = this.deps;
    // A photo (a file, a place) shows the matter; it is no answer, and no wrong one either.
    if (message.kind !== 'text' && message.kind !== 'voice') {
      resident.dialog = { ...dialog, pendingMessageIds: [...dialog.pendingMessageIds, message.id] };
      outbox.toResident(resident.id, replies.mediaKeptAskDepartment(mediaNames[message.kind] ?? '一条消息'));
      return 'asked-department';
    }
    // "你是谁" at the menu: answered, and no part of the matter.
    if (message.kind === 'text' && asksWhoWeAre(text)) {
      outbox.toResident(resident.id, replies.whoWeAreAskDepartment(config.township.name));
      return 'asked-department';
    }
    // "算了", "取消" at the menu: she gives up on the list, which is no reason to drop her matter: the
    // office places it, as a menu left unanswered (or 不清楚) does; the words themselves are no part of it.
    if (message.kind === 'text' && leaveWords.test(bareWords(text)) && !parseBookingWord(text)) {
      resident.dialog = null;
      await this.toOffice(tx, resident, dialog, outbox, now, replies.menuLeft);
      return 'case-opened';
    }
    // A voice message instead of a number: whoever cannot type is not made to; the office listens.
    const menuAnswer = message.kind === 'voice' ? null : this.departmentAnswer(text, dialog.menu);
    // Not a menu answer but the matter told on ("我家那个", then "水管冻裂了"): all of it together
    // may settle the department.
    const toldSoFar = async () =>
      (await matterMessages(tx, dialog.pendingMessageIds, message)).filter((m) => m.kind === 'text').map(describe).join('\n');
    const answer = menuAnswer !== undefined ? menuAnswer : (this.deps.classifier.classify(await toldSoFar()).departmentId ?? undefined);
    if (answer === undefined && dialog.attempts + 1 < departmentAttempts) {
      resident.dialog = { ...dialog, pendingMessageIds: [...dialog.pendingMessageIds, message.id], attempts: dialog.attempts + 1 };
      // A wrong number gets the menu again; more words are kept, and the menu is right above.
      outbox.toResident(
        resident.id,
        parseMenuNumber(text) !== null
          ? replies.reaskDepartment(dialog.menu.map((id) => config.departments.find((d) => d.id === id)!))
          : replies.wordsKeptAskDepartment(),
      );
      return 'asked-department';
    }
    resident.dialog = null;
    // `null` (不清楚) and a second wrong answer both go to the office dispatcher.
    await this.deps.dispatch.openCase(tx, {
      resident,
      messages: await matterMessages(tx, dialog.pendingMessageIds, menuAnswer === undefined || message.kind === 'voice' ? message : null),
      departmentId: answer ?? config.township.officeDepartment,
      unclear: !answer,
      outbox,
      now,
    });
    return 'case-opened';
  }

  /**
   * The matter of a department menu nobody answered (or left with 算了) goes to the office dispatcher,
   * as 不清楚 would, and she is told so (`told`, given her words).
   */
  async toOffice(
    tx: Repositories,
    resident: Resident,
    menu: DepartmentMenu,
    outbox: Outbox,
    now: Date,
    told: (matter: string) => string = replies.menuClosed,
  ): Promise<void> {
    const messages = await matterMessages(tx, menu.pendingMessageIds, null);
    if (messages.length === 0) return;
    outbox.toResident(resident.id, told(messages.map(describe).join(' ')));
    const office = this.deps.config.township.officeDepartment;
    await this.deps.dispatch.openCase(tx, { resident, messages, departmentId: office, unclear: true, offeredMenu: menu.menu, outbox, now });
  }

  /**
   * The booking that came in front of the department menu of her matter is done (booked, cancelled,
   * left, or left for a matter told into it): with nothing else asked, the menu is asked again, as a
   * new question; a new matter's menu asked instead takes her earlier matter with it (as 新问题 at the
   * menu does); another question sends it to the office, as a menu left unanswered does. Nothing she
   * told is dropped.
   */
  async again(tx: Repositories, resident: Resident, held: DepartmentMenu, outbox: Outbox, now: Date): Promise<void> {
    const dialog = resident.dialog;
    if (dialog === null) {
      // Of the departments offered, those still configured, numbered as shown now.
      const menu = held.menu.flatMap((id) => this.deps.dispatch.departments.get(id) ?? []);
      resident.dialog = { ...held, menu: menu.map((d) => d.id), askedAt: now.toISOString() };
      const matter = (await matterMessages(tx, held.pendingMessageIds, null)).map(describe).join(' ');
      outbox.toResident(resident.id, replies.menuAgain(matter, menu));
    } else if (dialog.kind === 'ask-department') {
      resident.dialog = { ...dialog, pendingMessageIds: [...held.pendingMessageIds, ...dialog.pendingMessageIds] };
    } else {
      await this.toOffice(tx, resident, held, outbox, now);
    }
  }

  /**
   * A department id for a menu answer, `null` for "不清楚" (0), undefined when the text is
   * not an answer at all.
   */
  private departmentAnswer(text: string, menu: readonly string[]): string | null | undefined {
    const number = parseMenuNumber(text);
    if (number === 0) return null;
    if (number !== null) return menu[number - 1];
    const compact = text.replace(/[\s，。,.!！?？]/g, '');
    if (/^(不清楚|不知道|不晓得|不懂)/.test(compact)) return null;
    const named = findDepartment(this.deps.config.departments, compact);
    return named?.id;
  }
}
