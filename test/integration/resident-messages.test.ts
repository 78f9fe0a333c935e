/**
 * A corpus of what residents really send (test/fixtures/resident-messages.tsv), each from a new
 * resident of 东山村: with no case open, with one, and right after the rating question. A matter
 * always reaches a cadre; thanks, emoji alone and bare menu numbers open no case; with a case open everything
 * reaches its holder, but an emergency of another department opens a case of its own, and a matter
 * another department is sure of first asks whether it is a new one. The guard against rules that read residents' words (thanks, menu numbers,
 * ratings, booking words, cadre commands) swallowing a matter.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type Person } from '../support/harness.js';

type Kind = 'matter' | 'elsewhere' | 'greeting' | 'kind' | 'sticker' | 'number' | 'emergency';

const corpus = readFileSync(path.resolve(import.meta.dirname, '../fixtures/resident-messages.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => {
    const [kind, text] = line.split('\t') as [Kind, string];
    return { kind, text };
  });

/** What becomes of each kind of message for a resident with no case open. */
const withoutCase: Record<Kind, string[]> = {
  matter: ['case-opened', 'asked-department'],
  elsewhere: ['case-opened'],
  greeting: ['greeting'],
  kind: ['pleasantry'],
  sticker: ['other-noted'],
  number: ['no-question'],
  emergency: ['case-opened'],
};

let h: Harness;
let residents = 0;

beforeAll(async () => {
  h = await startHarness({ schedules: { sweepEveryMs: 3_600_000, watchdogEveryMs: 3_600_000 } });
  for (const id of ['c-peng-deming', 'c-zhou-lihua', 'c-tan-xiaoyan']) await h.cadre(id);
});
afterAll(async () => {
  await h?.stop();
});

/** `person` says `text`; returns what became of it once handled. */
function say(person: Person, text: string): Promise<{ outcome: string; caseId: number | null }> {
  return handled(person.say(text), text);
}

async function handled(id: string, text: string): Promise<{ outcome: string; caseId: number | null }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await h.query<{ outcome: string | null; case_id: number | null }>(
      `SELECT outcome, case_id FROM inbound_messages WHERE source_message_id = $1 AND handled_at IS NOT NULL`,
      [id],
    );
    if (row) return { outcome: row.outcome!, caseId: row.case_id };
    if (Date.now() > deadline) throw new Error(`"${text}" was not handled`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function registered(): Promise<Person> {
  return h.registered(`居民${++residents}`);
}

describe('what residents really send', () => {
  it('with no case open: a matter reaches a cadre, thanks and bare numbers open nothing', async () => {
    const wrong: string[] = [];
    for (const { kind, text } of corpus) {
      const { outcome } = await say(await registered(), text);
      if (!withoutCase[kind].includes(outcome)) wrong.push(`${kind} "${text}": ${outcome}`);
    }
    expect(wrong).toEqual([]);
    await h.settle();
  }, 120_000);

  it('with a case open: every message reaches its holder, an emergency of another department a case of its own, its matter after a question', async () => {
    const wrong: string[] = [];
    for (const { kind, text } of corpus) {
      const person = await registered();
      const opened = await say(person, '稻瘟病，叶子上全是斑');
      expect(opened.outcome).toBe('case-opened');
      const id = person.say(text);
      const { outcome, caseId } = await handled(id, text);
      if (kind === 'elsewhere') {
        // Asked whether it is a new matter; 2 adds it to the open case.
        await say(person, '2');
        const [kept] = await h.query<{ case_id: number | null }>(`SELECT case_id FROM inbound_messages WHERE source_message_id = $1`, [id]);
        if (outcome !== 'asked-new-matter' || kept?.case_id !== opened.caseId) wrong.push(`${kind} "${text}": ${outcome}, then in case ${kept?.case_id}`);
        continue;
      }
      const right = kind === 'emergency' ? outcome === 'case-opened' && caseId !== opened.caseId : outcome === 'added-to-case' && caseId === opened.caseId;
      if (!right) wrong.push(`${kind} "${text}": ${outcome}`);
    }
    expect(wrong).toEqual([]);
    await h.settle();
  }, 120_000);

  it('right after the rating question: a matter reaches a cadre, thanks wait for the rating', async () => {
    const peng = await h.cadre('c-peng-deming');
    const wrong: string[] = [];
    for (const { kind, text } of corpus.filter((c) => c.kind !== 'number')) {
      const person = await registered();
      const opened = await say(person, '稻瘟病，叶子上全是斑');
      const [kase] = await h.query<{ number: number }>(`SELECT number FROM cases WHERE id = $1`, [opened.caseId]);
      await say(peng, `办结 ${kase!.number} 已指导打药`);
      const id = person.say(text);
      const { outcome } = await handled(id, text);
      const toCadres = await h.count(
        `SELECT count(*) FROM outbound_messages o JOIN inbound_messages m ON m.id = o.inbound_message_id WHERE m.source_message_id = $1 AND o.cadre_id IS NOT NULL`,
        [id],
      );
      const reached = toCadres > 0 || outcome === 'asked-department';
      if (kind === 'matter' || kind === 'elsewhere' || kind === 'greeting' || kind === 'sticker' || kind === 'emergency' ? !reached : outcome !== 'asked-rating' || toCadres > 0) wrong.push(`${kind} "${text}": ${outcome}, ${toCadres} to cadres`);
    }
    expect(wrong).toEqual([]);
    await h.settle();
  }, 180_000);
});
