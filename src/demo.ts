/**
 * `npm run demo`: a short scripted working day of 东山办事处, played through wechaty-puppet-mock
 * against the real bot and worker on the default stores (always an embedded Postgres under
 * ./data/demo, rebuilt each run, so no real township's data is touched; Redis from REDIS_URL,
 * 127.0.0.1:6379 or a private redis-server, under a prefix of its own).
 * Prints the conversation as residents and cadres see it, then a summary read from Postgres.
 *
 * Nothing in the script decides who receives what: it prints what the mock contacts actually
 * receive, and only waits for the number of messages each step should produce.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Message } from 'wechaty';
import type { App } from './app.js';
import type { MockPerson } from './bot/mock-world.js';
import { createChineseCalendar } from './domain/calendar.js';
import { statusNames } from './services/replies.js';
import type { CaseStatus } from './domain/case.js';
import { EnvError, loadEnv } from './config/env.js';
import { ConfigError, loadConfig } from './config/load.js';
import { createLogger } from './logger.js';
import { redactUrl } from './queue/redis-server.js';
import {
  SimulationError,
  cadreLabel,
  cleanUp,
  formatSaid,
  sampleConfigDir,
  settle as settleApp,
  startSimulation,
  waitFor,
  withTimeout,
} from './simulation.js';

/** A Wednesday, a working day with no holiday around it. */
const demoDay = '2026-11-25';
const globalTimeoutMs = 60_000;
/** How long one step may take before the demo gives up. */
const stepTimeoutMs = 15_000;

// ── the demo ─────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const startedAt = Date.now();
  const env = loadEnv();
  const logger = createLogger('warn');
  const dataDir = path.resolve(env.LIANXIN_DATA_DIR, 'demo');
  const prefix = `lianxin-demo-${Date.now()}`;
  // The script is written for the sample township (its villages, words and cadres): it plays that
  // one, whatever LIANXIN_CONFIG_DIR names for the real service.
  const configDir = sampleConfigDir;
  // Read here too (the app reads it again on start) for the township's time zone and calendar.
  const township = loadConfig(configDir).township;
  const zone = township.timezone;

  // The business clock: the scripted time of the current scene.
  let now = DateTime.fromISO(`${demoDay}T08:55`, { zone });
  const clock = () => now.toJSDate();
  const setTime = (hhmm: string) => {
    now = DateTime.fromISO(`${demoDay}T${hhmm}`, { zone });
  };

  // WeChat, simulated (every run on an emptied embedded database). Every message the bot
  // delivers lands in `arrivals`, in arrival order.
  const arrivals: { to: MockPerson; text: string }[] = [];
  const simulation = await startSimulation({
    env,
    configDir,
    dataDir,
    prefix,
    clock,
    logger,
    // The township's calendar, given here so the start-up warning about next year's holidays
    // (a log line for whoever runs lianxin) does not interrupt the script.
    calendar: createChineseCalendar(township.calendar),
    onDelivered: (to, text) => arrivals.push({ to, text }),
  });
  const { app } = simulation;
  const config = app.config;
  // A sample edited in place (a township set up over it) cannot play the script: say so now, not mid-way.
  const needed = ['东山村', '先进村'].filter((name) => !config.villages.some((v) => v.name === name));
  if (needed.length > 0 || !config.cadres.some((c) => c.name === '彭德明')) {
    throw new SimulationError(
      `演示按示例乡镇东山办事处编写，但 ${path.relative(process.cwd(), configDir)}/ 里的配置已被改动（缺少${[...needed, ...(config.cadres.some((c) => c.name === '彭德明') ? [] : ['干部彭德明'])].join('、')}）。` +
        '请用 git 恢复示例配置，自己乡镇的配置放在另一个文件夹，用 LIANXIN_CONFIG_DIR 指向它。',
    );
  }
  const query = <T,>(sql: string, params: unknown[] = []) => app.db.dataSource.query(sql, params) as Promise<T[]>;
  const departmentName = (id: string) => config.departments.find((d) => d.id === id)?.name ?? id;
  const villageName = (id: string) => config.villages.find((v) => v.id === id)?.name ?? id;
  const villageNumber = (name: string) => {
    const index = config.villages.findIndex((v) => v.name === name);
    if (index < 0) throw new SimulationError(`the demo needs village ${name} in the configuration`);
    return String(index + 1);
  };

  // Every configured cadre has a simulated WeChat contact, bound to the cadre's row.
  const cadres = [...simulation.cadres.values()];
  const cadreName = (id: string | null) => {
    const cadre = config.cadres.find((c) => c.id === id);
    return cadre ? cadreLabel(config, cadre) : (id ?? '（无）');
  };

  const resident = simulation.resident;
  const li = resident('李大爷');
  const wang = resident('王阿姨');
  const zhang = resident('张大姐');
  const residents = [li, wang, zhang];
  const everyone = [...residents, ...cadres];

  // ── printing ──
  const print = (line = '') => process.stdout.write(`${line}\n`);
  const said = (who: string, to: string, text: string) => print(formatSaid(who, to, text));
  let printed = 0;
  const printArrivals = () => {
    for (const { to, text } of arrivals.slice(printed)) said('连心', simulation.label(to), text);
    printed = arrivals.length;
  };

  // ── waiting ──
  /** Waits until nothing is queued, unhandled or undelivered. */
  const settle = () => settleApp(app, stepTimeoutMs);
  const cadreCount = () => cadres.reduce((n, c) => n + c.received.length, 0);

  interface Expect {
    /** Messages this resident should receive in this step. */
    resident?: [MockPerson, number];
    /** Messages all cadres together should receive in this step. */
    cadres?: number;
  }
  /** One step of the script: heading, the resident's message, then what the bot sends. */
  const scene = async (hhmm: string, heading: string, who: MockPerson, text: string, expect: Expect) => {
    setTime(hhmm);
    print();
    print(`── ${hhmm} ${heading} ──`);
    const residentStart = expect.resident ? expect.resident[0].received.length : 0;
    const cadreStart = cadreCount();
    said(simulation.label(who), '连心', text);
    const messageId = who.say(text, clock());
    await waitFor(
      async () =>
        (!expect.resident || expect.resident[0].received.length >= residentStart + expect.resident[1]) &&
        cadreCount() >= cadreStart + (expect.cadres ?? 0),
      stepTimeoutMs,
      () => {
        const missing: string[] = [];
        if (expect.resident) {
          const [p, n] = expect.resident;
          const got = p.received.length - residentStart;
          if (got < n) missing.push(`${p.name} 应收到 ${n} 条，实收 ${got} 条`);
        }
        const got = cadreCount() - cadreStart;
        if (got < (expect.cadres ?? 0)) missing.push(`干部应收到 ${expect.cadres} 条，实收 ${got} 条`);
        return missing.join('；');
      },
      printArrivals,
    );
    await settle();
    printArrivals();
    return messageId;
  };

  // ── the day ──
  print(`连心 演示 · ${config.township.name} · ${now.setLocale('zh-CN').toFormat('yyyy年M月d日 cccc')}（业务时钟为脚本时间）`);
  print(
    `数据库：嵌入式 Postgres（${path.relative(process.cwd(), dataDir)}/pg，每次重建）；` +
      `Redis：${redactUrl(simulation.redisUrl)}，队列前缀 ${prefix}`,
  );
  print(`已为 ${cadres.length} 位干部创建模拟微信联系人并绑定；居民：${residents.map((r) => r.name).join('、')}`);
  if (path.resolve(env.LIANXIN_CONFIG_DIR) !== configDir) {
    print(`（演示的是仓库自带的示例乡镇，不是 LIANXIN_CONFIG_DIR 所指的 ${env.LIANXIN_CONFIG_DIR}；自己乡镇的配置请用 npm run cli -- check-config 检查，用 npm run try 试运行）`);
  }

  await scene('09:00', '李大爷（东山村）第一次给“连心”发消息', li, '我家稻子得了稻瘟病，叶子都黄了，怎么办', { resident: [li, 1] });
  await scene('09:02', '李大爷回答村名', li, '东山', { resident: [li, 2], cadres: 1 });

  const wangFirst = await scene('09:20', '王阿姨（先进村）问新农合报销', wang, '我妈上个月住院花了八千多，新农合报销要准备哪些材料？', {
    resident: [wang, 1],
  });
  await scene('09:21', '王阿姨按菜单回复数字', wang, villageNumber('先进村'), { resident: [wang, 2], cadres: 1 });

  // A duplicate delivery: WeChat hands the bot the same message (same id) again.
  setTime('09:25');
  print();
  print(`── 09:25 微信把王阿姨 09:20 的那条消息又投递了一次（同一消息编号） ──`);
  {
    const casesBefore = await countCases(app, residents);
    const arrivalsBefore = arrivals.length;
    const bot = app.bot!.wechaty;
    let onMessage: ((message: Message) => void) | undefined;
    const seenByBot = new Promise<void>((resolve) => {
      onMessage = (message: Message) => {
        if (message.id === wangFirst) resolve();
      };
      bot.on('message', onMessage);
    });
    wang.redeliver(wangFirst);
    await withTimeout(seenByBot, stepTimeoutMs, 'the bot to see the redelivered message');
    bot.off('message', onMessage!);
    // The bot's handler enqueues asynchronously after the event: give it a moment, then settle.
    await new Promise((r) => setTimeout(r, 300));
    await settle();
    printArrivals();
    const casesAfter = await countCases(app, residents);
    const [rows] = await query<{ n: string }>(`SELECT count(*) AS n FROM inbound_messages WHERE source_message_id = $1`, [wangFirst]);
    const extra = arrivals.length - arrivalsBefore;
    if (casesAfter === casesBefore && Number(rows!.n) === 1 && extra === 0) {
      print(`（重复投递没有产生第二个案件：这条消息只记录了 ${rows!.n} 次，案件仍是 ${casesAfter} 个，也没有人收到重复通知）`);
    } else {
      throw new SimulationError(
        `the duplicate delivery was not ignored: ${rows!.n} inbound rows, cases ${casesBefore} → ${casesAfter}, ${extra} extra messages sent`,
      );
    }
  }

  await scene('10:00', '张大姐（东山村）发来一条说不清的消息', zhang, '我想问个事，家里那个事情怎么弄', { resident: [zhang, 1] });
  await scene('10:02', '张大姐回答村名', zhang, '东山村', { resident: [zhang, 2] });
  await scene('10:05', '张大姐不知道找哪个部门，回复 0', zhang, '0', { resident: [zhang, 1], cadres: 1 });

  await scene('10:40', '李大爷补充情况（他的案件还没办结）', li, '补充一下：隔壁几户的稻田也有这个病，大概十来亩', {
    resident: [li, 1],
    cadres: 1,
  });

  // The cadre on duty works the case from the field, in chat.
  const peng = cadres.find((c) => c.name === '彭德明');
  if (!peng) throw new SimulationError('the demo needs cadre 彭德明 (农技站) in the configuration');
  await scene('11:10', '彭德明在田里收到通知，接单', peng, '接单 1001', { resident: [li, 1], cadres: 1 });
  await scene('11:15', '彭德明通过“连心”回复李大爷', peng, '回复 1001 下午三点我到您田里看看，先别打药', { resident: [li, 1], cadres: 1 });
  await scene('15:40', '彭德明看完现场，办结', peng, '办结 1001 已到田里看过，是稻瘟病，已指导喷三环唑，三天后再看', {
    resident: [li, 1],
    cadres: 1,
  });
  await scene('16:00', '李大爷评价', li, '1 彭技术员很负责', { resident: [li, 1], cadres: 1 });
  await scene('16:01', '李大爷道谢', li, '好的，谢谢！', { resident: [li, 1] });

  // ── summary from Postgres ──
  const ids = everyone.map((p) => p.id);
  const cases = await query<{ number: number; village_id: string; department_id: string; assignee_id: string | null; status: CaseStatus; messages: string }>(
    `SELECT c.number, c.village_id, c.department_id, c.assignee_id, c.status,
            (SELECT count(*) FROM inbound_messages m WHERE m.case_id = c.id) AS messages
       FROM cases c JOIN residents r ON r.id = c.resident_id
      WHERE r.wechat_id = ANY($1) ORDER BY c.number`,
    [ids],
  );
  const [counts] = await query<{ inbound: string; delivered: string; outbound: string }>(
    `WITH inbound AS (SELECT id FROM inbound_messages WHERE talker_id = ANY($1)),
          outbound AS (SELECT o.status FROM outbound_messages o WHERE o.inbound_message_id IN (SELECT id FROM inbound))
     SELECT (SELECT count(*) FROM inbound) AS inbound,
            (SELECT count(*) FROM outbound) AS outbound,
            (SELECT count(*) FROM outbound WHERE status = 'delivered') AS delivered`,
    [ids],
  );
  print();
  print('── 小结（读自 Postgres） ──');
  for (const c of cases) {
    print(
      `案件 #${c.number}  ${villageName(c.village_id)} · ${departmentName(c.department_id)}  ` +
        `承办：${cadreName(c.assignee_id)}  状态：${statusNames[c.status]}  群众消息 ${c.messages} 条`,
    );
  }
  print(`入站消息 ${counts!.inbound} 条（重复投递不另计）；出站消息 ${counts!.outbound} 条，已送达 ${counts!.delivered} 条`);
  const received = everyone.reduce((n, p) => n + p.received.length, 0);
  if (Number(counts!.delivered) !== received) {
    throw new SimulationError(`Postgres says ${counts!.delivered} messages were delivered, the contacts received ${received}`);
  }

  await cleanUp();
  print(`演示结束，用时 ${((Date.now() - startedAt) / 1000).toFixed(1)} 秒。`);
}

// ── helpers ──────────────────────────────────────────────────────────────────

async function countCases(app: App, residents: MockPerson[]): Promise<number> {
  const rows: { n: string }[] = await app.db.dataSource.query(
    `SELECT count(*) AS n FROM cases c JOIN residents r ON r.id = c.resident_id WHERE r.wechat_id = ANY($1)`,
    [residents.map((r) => r.id)],
  );
  return Number(rows[0]?.n ?? 0);
}

// ── entry ────────────────────────────────────────────────────────────────────

async function fail(reason: string): Promise<never> {
  console.error(`演示失败：${reason}`);
  await cleanUp();
  process.exit(1);
}

const watchdog = setTimeout(() => void fail(`没有在 ${globalTimeoutMs / 1000} 秒内完成`), globalTimeoutMs);
process.once('SIGINT', () => void fail('被中断（SIGINT）'));

main().then(
  async () => {
    clearTimeout(watchdog);
    process.exit((await cleanUp()) ? 0 : 1);
  },
  (error: unknown) => {
    clearTimeout(watchdog);
    // Problems a person can fix (configuration, environment, an unreachable service) read
    // best as their message; a programming error keeps its stack.
    const plain = error instanceof SimulationError || error instanceof ConfigError || error instanceof EnvError || (error instanceof Error && error.constructor === Error);
    void fail(plain ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error));
  },
);
