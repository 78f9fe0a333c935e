/**
 * Who was slow, for the monthly review: a limit passed by one cadre stays theirs in the case
 * list and the exports, though the case counts for the backup who took it over and resolved it.
 * 青山乡 (test/fixtures/qingshan): farm cases of 青山村 go to 林技术员, backup 吴技术员.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatsService } from '../../src/services/stats.service.js';
import { casesCsv, monthlyWorkbook } from '../../src/services/report.service.js';
import { startHarness, type Harness } from '../support/harness.js';

const qingshan = path.resolve(import.meta.dirname, '../fixtures/qingshan');
let h: Harness;
let number: number;

beforeAll(async () => {
  h = await startHarness({ configDir: qingshan, start: '2026-11-26T10:00:00+08:00' });
  const lin = await h.cadre('q-farm-a');
  const wu = await h.cadre('q-farm-b');
  await h.cadre('q-farm-head');
  const resident = h.resident('老周');
  await h.query(`INSERT INTO residents (wechat_id, name, village_id, created_at, updated_at) VALUES ($1, '老周', 'qingshan', now(), now())`, [
    resident.contact.id,
  ]);
  resident.say('柑橘得了黄龙病，叶子发黄');
  const [ack] = await resident.waitForMessages(1);
  await lin.waitForMessages(1);
  number = Number(/#(\d+)/.exec(ack!)![1]);
  // 林 lets the accept limit (12:00) pass: the case goes to 吴, who accepts, answers and resolves it.
  h.clock.set('2026-11-26T12:01:00+08:00');
  await h.app.worker!.sweep();
  await h.settle();
  h.clock.set('2026-11-26T13:10:00+08:00');
  wu.say(`接单 ${number}`);
  await h.settle();
  wu.say(`回复 ${number} 下午来看`);
  await h.settle();
  h.clock.set('2026-11-26T16:00:00+08:00');
  wu.say(`办结 ${number} 已用药`);
  await h.settle();
});

afterAll(async () => {
  await h?.stop();
});

describe('a limit passed before the case changed hands', () => {
  it('names the limit and the cadre who held the case then, while the case counts for the one who resolved it', async () => {
    const stats = new StatsService(h.app.db, h.app.config);
    const [kase] = (await stats.cases('2026-11')).cases;
    expect(kase).toMatchObject({ number, cadreId: 'q-farm-b', overdue: true, lapses: [{ limit: 'accept', cadreId: 'q-farm-a' }] });

    const csv = (await casesCsv(stats, '2026-11')).replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
    const header = csv[0]!.split(',');
    const row = csv[1]!.split(',');
    const cell = (name: string) => row[header.indexOf(name)];
    expect(cell('计入干部')).toBe('吴技术员');
    expect(cell('超时')).toBe('是');
    expect(cell('超时环节（当时负责人）')).toBe('接单（林技术员）');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await monthlyWorkbook(stats, '2026-11')) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('案件明细')!;
    const column = (sheet.getRow(1).values as unknown[]).indexOf('超时环节（当时负责人）');
    expect(sheet.getRow(2).getCell(column).value).toBe('接单（林技术员）');
    // The definition, in plain words for whoever reads the 说明 sheet at the review.
    const definitions = book.getWorksheet('说明')!;
    const definition = definitions.getRows(1, definitions.rowCount)!.find((r) => r.getCell(1).value === '超时环节');
    expect(definition?.getCell(2).value).toBe(
      '超时的案件，在案件列表和案件明细中注明超过的时限（接单、回复群众、办结）和当时的负责人。案件计入后来接手的干部时，也能看出超时的是谁。',
    );
  });
});
