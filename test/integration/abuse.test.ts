/**
 * Bad input and abuse: what a careless phone, a prankster or a flooding account sends.
 * The resident's words are stored as sent and shown to the cadre as sent (quotes are cut at
 * the documented 500 characters); nothing looks like SQL or HTML to lianxin; phone and ID
 * numbers never reach the logs in clear; one resident cannot flood a cadre.
 */
import { Writable } from 'node:stream';
import { QueryFailedError } from 'typeorm';
import { log as wechatyLog, types } from 'wechaty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startHarness, type Harness, type Person } from '../support/harness.js';

/** Everything the app logs, as it would reach stderr: `createLogger`'s output, masking included. */
const logLines: string[] = [];
const logCapture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  },
});
function capturedLogger() {
  return createLogger('debug', logCapture);
}

let h: Harness;
let peng: Person; // 农技站, on duty for 东山村 on a working morning
beforeAll(async () => {
  h = await startHarness({ logger: capturedLogger() });
  peng = await h.cadre('c-peng-deming');
});
afterAll(async () => {
  await h?.stop();
});

let residents = 0;
/** A resident already registered in 东山村 (so the first message opens a case). */
async function registered(): Promise<Person> {
  residents += 1;
  return h.registered(`居民${residents}`);
}

/** The quoted words in the cadre's new-case notification. */
function quoted(notice: string): string {
  const m = /\n内容：([\s\S]*)\n收到：/.exec(notice);
  if (!m) throw new Error(`not a new-case notification: ${notice.slice(0, 80)}`);
  return m[1]!;
}

/** One message from a new resident; resolves with the cadre's notification, the inbound row and the case. */
async function openCase(text: string, timeoutMs = 20_000): Promise<{ notice: string; ack: string; inbound: string; description: string }> {
  const resident = await registered();
  const before = peng.received.length;
  resident.say(text);
  const [ack] = await resident.waitForMessages(1, timeoutMs);
  const notices = await peng.waitForMessages(before + 1, timeoutMs);
  const [row] = await h.query<{ text: string; description: string }>(
    `SELECT m.text, c.description FROM inbound_messages m JOIN cases c ON c.id = m.case_id WHERE m.source_message_id = $1`,
    [resident.lastMessageId],
  );
  return { notice: notices.at(-1)!, ack: ack!, inbound: row!.text, description: row!.description };
}

describe('bad input', () => {
  it('keeps a 100 000-character message whole and quotes its first 500 characters to the cadre', async () => {
    const text = '稻瘟病'.padEnd(100_000, '秧苗发黄，叶子上有褐色斑点，');
    const { notice, ack, inbound, description } = await openCase(text);
    expect(ack).toContain('已受理');
    expect(inbound).toBe(text);
    expect(description).toBe(text);
    expect(quoted(notice)).toBe(`${text.slice(0, 500)}……（全文共 100000 字）`);
  });

  // An emoji is two UTF-16 units: cut by units, the quote ended in half an emoji (stored as �)
  // and counted every emoji twice.
  it('quotes 1 000 emoji to the cadre by characters: no half emoji, the length as she sees it', async () => {
    const text = `稻瘟病${'😭'.repeat(1000)}`;
    const { notice, inbound } = await openCase(text);
    expect(inbound).toBe(text);
    expect(quoted(notice)).toBe(`稻瘟病${'😭'.repeat(497)}……（全文共 1003 字）`);
  });

  it('stores zero-width and right-to-left characters verbatim and shows them verbatim', async () => {
    const text = '稻瘟病\u200b\u200c\u200d\u2060\ufeff看看 \u202eevil.exe\u202c \u2067שלום\u2069 مرحبا \u200f!';
    const { notice, inbound, description } = await openCase(text);
    expect(inbound).toBe(text);
    expect(description).toBe(text);
    expect(quoted(notice)).toBe(text);
  });

  it.each([
    `稻瘟病'); DROP TABLE cases; --`,
    `稻瘟病 ' OR '1'='1' /* */ UNION SELECT * FROM residents;`,
    `稻瘟病 <script>alert("x")</script><img src=x onerror=alert(1)> &amp; &lt;b&gt;`,
    `稻瘟病 $1 $$ \\x00 \\' %s %d {{name}} \${process.env.HOME} \`rm -rf\``,
  ])('stores and shows SQL- and HTML-looking text verbatim: %s', async (text) => {
    const { notice, inbound, description } = await openCase(text);
    expect(inbound).toBe(text);
    expect(description).toBe(text);
    expect(quoted(notice)).toBe(text);
    expect(await h.count(`SELECT count(*) FROM cases`)).toBeGreaterThan(0);
  });

  it('answers a message with lone surrogate halves (invalid UTF-16): stored with U+FFFD, shown without them', async () => {
    // Postgres text is UTF-8: a lone half cannot be stored; pg writes U+FFFD in its place.
    const text = '稻瘟病\ud800看看\udc00好';
    const { notice, ack, inbound, description } = await openCase(text);
    expect(ack).toContain('已受理');
    expect(inbound).toBe('稻瘟病\ufffd看看\ufffd好');
    expect(description).toBe('稻瘟病\ufffd看看\ufffd好');
    expect(quoted(notice)).toBe('稻瘟病\ufffd看看\ufffd好');
  });

  // A file name cut in the middle of an emoji: JSON escapes the lone half, and Postgres refuses
  // it in jsonb — the message was never recorded, and never answered.
  it('answers a file whose name has a lone surrogate half and records the name with U+FFFD', async () => {
    const resident = await registered();
    const id = `m-${Math.random().toString(36).slice(2)}`;
    h.mocker.MessageMock.create({
      id, talkerId: resident.id, listenerId: h.puppet.currentUserId, timestamp: h.clock.now().getTime(), type: types.Message.Attachment, text: '稻瘟病照片\ud83d.docx',
    } as never);
    h.puppet.emit('message', { messageId: id });
    const [ack] = await resident.waitForMessages(1, 10_000);
    expect(ack).toBeDefined();
    const [row] = await h.query<{ media: { text: string } }>(`SELECT media FROM inbound_messages WHERE source_message_id = $1`, [id]);
    expect(row!.media.text).toBe('稻瘟病照片\ufffd.docx');
  });

  // WeChat's time of a message as a puppet gave it, beyond what Postgres stores: the time it came.
  it('answers a message whose sending time is out of any range, recorded as sent when it came', async () => {
    const resident = await registered();
    const id = `m-${Math.random().toString(36).slice(2)}`;
    h.mocker.MessageMock.create({
      id, talkerId: resident.id, listenerId: h.puppet.currentUserId, timestamp: 8.64e15, type: types.Message.Text, text: '稻瘟病，秧苗黄了',
    } as never);
    h.puppet.emit('message', { messageId: id });
    const [ack] = await resident.waitForMessages(1, 10_000);
    expect(ack).toContain('已受理');
    const [row] = await h.query<{ same: boolean }>(`SELECT sent_at = received_at AS same FROM inbound_messages WHERE source_message_id = $1`, [id]);
    expect(row).toEqual({ same: true });
  });

  // Postgres refuses U+0000 in text and jsonb: it is the one character not kept, so the
  // message is still recorded and answered.
  it('answers a message containing U+0000 (NUL) and records it', async () => {
    const { ack, inbound } = await openCase('稻瘟病\u0000看看', 5000);
    expect(ack).toContain('已受理');
    expect(inbound).toBe('稻瘟病看看');
  });
});

describe('personal numbers in logs', () => {
  const phone = '13812345678';
  const idNumber = '430381199001011234';

  it('masks phone and ID numbers in log messages', () => {
    const logger = capturedLogger();
    const from = logLines.length;
    logger.warn(`resident wrote: 电话${phone} 身份证${idNumber}`);
    const lines = logLines.slice(from).join('\n');
    expect(lines).toContain('138****5678');
    expect(lines).toContain('430381********1234');
    expect(lines).not.toContain(phone);
    expect(lines).not.toContain(idNumber);
  });

  // queues.ts logs a failed job as `{ err }`, and a TypeORM QueryFailedError carries the
  // query's parameters — the resident's text: the logger drops them and masks the rest.
  it('masks them inside logged objects, such as a failed query’s parameters', () => {
    const logger = capturedLogger();
    const from = logLines.length;
    const error = new QueryFailedError('INSERT INTO inbound_messages …', ['msg-1', `电话${phone} 身份证${idNumber}`], new Error('boom'));
    logger.warn({ queue: 'inbound', job: 'in-msg-1', err: error }, 'job failed');
    const lines = logLines.slice(from).join('\n');
    expect(lines).toContain('job failed');
    // The error itself is there, with its type, message and stack — not {}.
    const logged = JSON.parse(lines.split('\n').at(-1)!) as { err: { type: string; message: string; stack: string } };
    expect(logged.err).toMatchObject({ type: 'QueryFailedError', message: 'boom' });
    expect(logged.err.stack).toContain('QueryFailedError');
    expect(lines).not.toContain(phone);
    expect(lines).not.toContain(idNumber);
  });

  it('logs an error that refers to itself, and errors inside errors, without their parameters; masks logger.error(err)', () => {
    const logger = capturedLogger();
    const from = logLines.length;
    const inner = new QueryFailedError('INSERT …', [`电话${phone}`], new Error('inner'));
    const error = Object.assign(new Error(`打 ${phone} 不通`), { inner }) as Error & { context?: unknown };
    error.context = { owner: error };
    logger.error(error);
    logger.warn({ err: new AggregateError([inner], 'both failed') }, 'retry');
    const lines = logLines.slice(from);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: '打 138****5678 不通', err: { type: 'Error', inner: { type: 'QueryFailedError' } } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ msg: 'retry', err: { type: 'AggregateError', aggregateErrors: [{ type: 'QueryFailedError' }] } });
    expect(lines.join('\n')).not.toContain(phone);
    expect(lines.join('\n')).not.toContain('"parameters":[');
  });

  // Postgres puts the refused row (a resident's words) in the error's `detail`, and TypeORM copies
  // it onto the error: a failed message is logged with it at every try, and by the unhandled path.
  it('leaves the row Postgres quotes in a failed query’s detail out of the log', async () => {
    const logger = capturedLogger();
    const from = logLines.length;
    const words = '张大爷家的稻子全倒了';
    await h.query(`CREATE TABLE refused (words text CHECK (words = ''), n integer UNIQUE)`);
    await h.query(`INSERT INTO refused VALUES ('', 1)`);
    const errors: unknown[] = [];
    await h.query(`INSERT INTO refused VALUES ($1, 2)`, [words]).catch((e: unknown) => errors.push(e));
    await h.query(`INSERT INTO refused VALUES ('', $1)`, [1]).catch((e: unknown) => errors.push(e));
    await h.query(`SELECT $1::jsonb`, [`{"words": "${words}\\ud83d"}`]).catch((e: unknown) => errors.push(e));
    expect(errors).toHaveLength(3);
    for (const err of errors) logger.error({ job: 'in-1', err }, 'message not handled');
    const lines = logLines.slice(from);
    expect(lines.map((l) => (JSON.parse(l) as { err: { code: string } }).err.code)).toEqual(['23514', '23505', '22P02']);
    expect(lines.join('\n')).not.toContain(words);
    expect(lines.join('\n')).toContain('Failing row contains');
  });

  // wechaty and its puppet log through brolog, which prints to the console: a puppet's line about
  // a contact or a message would reach stderr unmasked, and not as JSON.
  it('masks them in wechaty’s and the puppet’s own log lines', () => {
    const from = logLines.length;
    wechatyLog.warn('PuppetMock', 'contactPhone(%s) failed: %s', 'wxid_li', `电话 ${phone}`);
    const lines = logLines.slice(from);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, component: 'wechaty', msg: 'PuppetMock contactPhone(wxid_li) failed: 电话 138****5678' });
  });

  // The two above together: whatever the worker logs about this message, the resident's
  // numbers are not in it, and the resident is answered.
  it('keeps a resident’s phone and ID numbers out of the log when their message fails', async () => {
    const from = logLines.length;
    const resident = await registered();
    resident.say(`稻瘟病，电话${phone}，身份证${idNumber}\u0000`);
    const deadline = Date.now() + 4000;
    while (Date.now() < deadline && !logLines.slice(from).some((l) => l.includes('job failed'))) await new Promise((r) => setTimeout(r, 100));
    const lines = logLines.slice(from).join('\n');
    expect(lines).not.toContain(phone);
    expect(lines).not.toContain(idNumber);
    // Whatever happened to the message, the resident was answered.
    await resident.waitForMessages(1, 3000);
  });
});

describe('flooding', () => {
  // township.residentMessagesPerMinute (default 30): more than that from one contact within a
  // minute gets one polite request to slow down; the rest of that minute is recorded only.
  it('limits a resident sending 100 messages a minute, with one polite notice', async () => {
    const flooder = await registered();
    const before = peng.received.length;
    for (let i = 1; i <= 100; i++) flooder.say(`稻瘟病，第 ${i} 条`);
    const handled = () => h.count(`SELECT count(*) FROM inbound_messages WHERE talker_id = $1 AND handled_at IS NOT NULL`, [flooder.contact.id]);
    for (let waited = 0; (await handled()) < 100 && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));

    const outcomes = await h.query<{ outcome: string; n: number }>(
      `SELECT outcome, count(*)::int AS n FROM inbound_messages WHERE talker_id = $1 GROUP BY outcome ORDER BY outcome`,
      [flooder.contact.id],
    );
    expect(Object.fromEntries(outcomes.map((o) => [o.outcome, o.n]))).toEqual({
      'case-opened': 1,
      'added-to-case': 29,
      'rate-limit-notice': 1,
      'rate-limited': 69,
    });
    await flooder.waitForMessages(31, 30_000);
    await peng.waitForMessages(before + 30, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    // 1 acknowledgement + 29 "passed on" + exactly one notice.
    expect(flooder.received).toHaveLength(31);
    expect(flooder.received.filter((t) => t.includes('请稍等'))).toHaveLength(1);
    // The rest reach nobody: she is told so, not that they were taken in ("已记录").
    expect(flooder.received.find((t) => t.includes('请稍等'))).toMatch(/不会转给工作人员/);
    // The cadre got the case and 29 additions, not 100 messages.
    expect(peng.received.length - before).toBe(30);
    // Every message is kept.
    expect(await h.count(`SELECT count(*) FROM inbound_messages WHERE talker_id = $1`, [flooder.contact.id])).toBe(100);

    // A minute later the resident is heard again.
    h.clock.advance(2);
    flooder.say('稻瘟病，又来了');
    await flooder.waitForMessages(32, 10_000);
    expect(flooder.received.at(-1)).toContain('已转给');
  }, 60_000);

  // The limit counts the last 60 seconds, not the clock's minute: a flood across a minute's turn
  // is one flood; one that goes on is told again a minute later, not only once ever.
  it('counts a flood across a minute’s turn whole, and says again to slow down when it goes on', async () => {
    const flooder = await registered();
    const outcomes = async () => {
      const rows = await h.query<{ outcome: string }>(`SELECT outcome FROM inbound_messages WHERE talker_id = $1 AND handled_at IS NOT NULL`, [flooder.contact.id]);
      return rows.map((r) => r.outcome);
    };
    const batch = async (n: number) => {
      const before = (await outcomes()).length;
      for (let i = 1; i <= n; i++) flooder.say(`稻瘟病，又一条 ${i}`);
      for (let waited = 0; (await outcomes()).length < before + n && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    };
    h.clock.set(new Date(Math.floor(h.clock.now().getTime() / 60_000) * 60_000 + 40_000)); // hh:mm:40
    await batch(20);
    h.clock.advance(0.5); // hh:mm+1:10
    await batch(20);
    const count = (all: string[], outcome: string) => all.filter((o) => o === outcome).length;
    expect(count(await outcomes(), 'rate-limit-notice')).toBe(1);
    expect(count(await outcomes(), 'rate-limited')).toBe(9);
    h.clock.advance(1.5);
    await batch(35);
    expect(count(await outcomes(), 'rate-limit-notice')).toBe(2);
    expect(count(await outcomes(), 'rate-limited')).toBe(9 + 4);
  }, 60_000);

  // Group chats are recorded, not answered: a lively village group is not her talking to lianxin.
  it('does not count what a resident writes in a group chat against her limit', async () => {
    const chatty = await registered();
    const room = h.mocker.RoomMock.create({ id: `village-${residents}@chatroom`, topic: '东山村群', memberIdList: [chatty.contact.id, h.puppet.currentUserId] } as never);
    for (let i = 1; i <= 35; i++) {
      const id = `m-room-${residents}-${i}`;
      h.mocker.MessageMock.create({ id, talkerId: chatty.contact.id, roomId: room.id, timestamp: h.clock.now().getTime(), type: types.Message.Text, text: `哈哈 ${i}` } as never);
      h.puppet.emit('message', { messageId: id });
    }
    const inRoom = () => h.count(`SELECT count(*) FROM inbound_messages WHERE talker_id = $1 AND outcome = 'room-ignored'`, [chatty.contact.id]);
    for (let waited = 0; (await inRoom()) < 35 && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(await inRoom()).toBe(35);

    chatty.say('稻瘟病，秧苗黄了');
    const [ack] = await chatty.waitForMessages(1, 10_000);
    expect(ack).toContain('已受理');
  });
});
