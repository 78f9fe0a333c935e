/**
 * What one transaction of the time-limit sweep tells each cadre, held until its cases are swept:
 * of each kind (【新案件】 given anew, the holder's 【提醒】 and 【超时】, the head's 【催办】) one
 * message per cadre. A case alone keeps its full message; several get a line each, for a cadre
 * reading on a phone in the field. Written in the transaction that records the cases' alerts, so
 * each goes out once: a batch that fails writes nothing, and swept again case by case, each
 * case's comes alone. A list keeps what it was written from with its row: held for the end of the
 * quiet hours, it goes without the cases closed or given away from its cadre meanwhile, as their
 * single notices would not go (see withoutCases).
 */
import type { Repositories } from '../db/database.js';
import type { CaseList } from '../db/entities/outbound-message.entity.js';
import type { Outbox } from './outbox.js';
import { slaReplies, type EscalationNotice, type NewCaseLine, type OverdueLine, type WarningLine } from './sla-replies.js';

/** Each kind's line of a case among several, without the resident's name (looked up for all at once). */
interface Lines {
  'new-case': NewCaseLine;
  warning: WarningLine;
  overdue: OverdueLine;
  escalated: EscalationNotice;
}
type Kind = keyof Lines;
type Line<K extends Kind> = Omit<Lines[K], 'resident'> & { residentId: number };
type Named<K extends Kind> = Line<K> & { resident: string };

/** In the order a cadre reads them: what is his now, then his own limits, then his cadres'. */
const kinds: readonly Kind[] = ['new-case', 'warning', 'overdue', 'escalated'];

const several: { [K in Kind]: (lines: readonly Named<K>[]) => string } = {
  'new-case': slaReplies.cadreNewCases,
  warning: slaReplies.slaWarningSeveral,
  overdue: slaReplies.slaOverdueHolderSeveral,
  escalated: slaReplies.slaEscalatedSeveral,
};

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

export interface SweepNotice<K extends Kind> {
  caseId: number;
  /** An urgent case's goes alone, with its case: in the quiet hours it wakes the cadre. */
  urgent: boolean;
  /** The message when the case is the only one of its kind for the cadre. */
  text: string;
  line: Line<K>;
  /** Writes what follows the notice in the same chat (the resident's additions to a case given anew). */
  followUps?: (outbox: Outbox) => Promise<void>;
}

/** A list of several cases as its outbox row keeps it: each case's line and its message alone. */
interface SweepList<K extends Kind = Kind> extends CaseList {
  kind: K;
  items: { caseId: number; text: string; line: Named<K> }[];
}

/** The text of a list of several cases, from its lines. */
function listText<K extends Kind>(list: SweepList<K>): string {
  return several[list.kind](list.items.map((item) => item.line));
}

/**
 * A list written again without the cases in `gone` (see ShortenedList): the list of those left,
 * or the message alone of the one left, naming its case as it would have.
 */
export function withoutCases(stored: CaseList, gone: readonly number[]): { text: string; caseId: number | null; list: CaseList | null } {
  const list = stored as SweepList;
  const left = { ...list, items: list.items.filter((item) => !gone.includes(item.caseId)) };
  if (left.items.length === 1) return { text: left.items[0]!.text, caseId: left.items[0]!.caseId, list: null };
  return { text: listText(left), caseId: null, list: left };
}

export class SweepNotices {
  private readonly byKind: { [K in Kind]: Map<string, SweepNotice<K>[]> } = {
    'new-case': new Map(), warning: new Map(), overdue: new Map(), escalated: new Map(),
  };

  add<K extends Kind>(cadreId: string, kind: K, notice: SweepNotice<K>): void {
    const byCadre: Map<string, SweepNotice<K>[]> = this.byKind[kind];
    byCadre.set(cadreId, [...(byCadre.get(cadreId) ?? []), notice]);
  }

  /** Writes each cadre's messages to `outbox`, the several of a kind in one. */
  async write(tx: Repositories, outbox: Outbox): Promise<void> {
    // Whose matter each line is: one look-up for all, none when every case is alone.
    const listed = kinds.flatMap((kind) =>
      [...this.byKind[kind].values()].flatMap((notices: readonly SweepNotice<Kind>[]) => {
        const others = notices.filter((n) => !n.urgent);
        return others.length > 1 ? others.map((n) => n.line.residentId) : [];
      }),
    );
    const residents = await tx.residents.names(listed);
    for (const kind of kinds) {
      for (const [cadreId, notices] of this.byKind[kind]) await this.writeKind(outbox, cadreId, kind, notices, residents);
    }
  }

  private async writeKind<K extends Kind>(
    outbox: Outbox,
    cadreId: string,
    kind: K,
    notices: readonly SweepNotice<K>[],
    residents: ReadonlyMap<number, string>,
  ): Promise<void> {
    const [urgent, others] = partition(notices, (n) => n.urgent);
    for (const notice of urgent) {
      outbox.toCadre(cadreId, notice.text, notice.caseId);
      await notice.followUps?.(outbox);
    }
    if (others.length === 1) outbox.toCadre(cadreId, others[0]!.text, others[0]!.caseId);
    else if (others.length > 1) {
      // Kept with the row: held for the morning, it loses the cases no longer his by then (see withoutCases).
      const list: SweepList<K> = {
        kind,
        items: others.map(({ caseId, text, line }) => ({ caseId, text, line: { ...line, resident: residents.get(line.residentId) ?? '' } })),
      };
      outbox.toCadre(cadreId, listText(list), null, list);
    }
    for (const notice of others) await notice.followUps?.(outbox);
  }
}
