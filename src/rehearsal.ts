/**
 * `npm run try`: a rehearsal of lianxin on the township's own configuration (LIANXIN_CONFIG_DIR),
 * typed by hand before going live. The operator speaks as a resident or a cadre, one line at a
 * time, and sees what each person receives, as `npm run demo` prints it. It runs on a throw-away
 * store like the demo's (an embedded Postgres in a fresh folder under LIANXIN_DATA_DIR, never
 * DATABASE_URL; Redis under a queue prefix of its own), all removed on /退出, Ctrl-D or Ctrl-C.
 *
 * Lines starting with "/" are the rehearsal's own commands (also "／" and "、", which a Chinese
 * input method types for "/"); anything else is the current person's WeChat text.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import stringWidth from 'string-width';
import type { MockPerson } from './bot/mock-world.js';
import { EnvError, loadEnv } from './config/env.js';
import { ConfigError, loadConfig } from './config/load.js';
import type { CadreConfig } from './config/schema.js';
import { similarNames } from './domain/name-match.js';
import { VillageMatcher } from './domain/village-match.js';
import { createLogger } from './logger.js';
import { redactUrl } from './queue/redis-server.js';
import {
  SimulationError,
  cadreLabel,
  cleanUp,
  errorText,
  formatSaid,
  onCleanUp,
  sampleConfigDir,
  settle,
  startSimulation,
  waitFor,
} from './simulation.js';

/** How long a line's replies may take before the prompt comes back anyway (they still print when they come). */
const replyTimeoutMs = 15_000;

const usage = `用法：npm run try
在本乡镇的配置（LIANXIN_CONFIG_DIR，默认 config/）上试运行连心：临时数据库、模拟微信，
以居民或干部的身份输入，看每个人收到什么。启动后输入 /帮助 看命令。`;

const commands: [string, string][] = [
  ['/居民 名字 [村]', '以这位居民的身份说话（没有就新建；写上村，连心就不再问）'],
  ['/干部 名字或编号', '以这位干部的身份说话（微信已绑定）'],
  ['/谁', '列出居民和干部'],
  ['/时间 2026-11-25 09:00', '把业务时钟拨到这一刻，之后照常走（也可写 09:00、明天 09:00）；只写 /时间 查看'],
  ['/帮助', '看这些命令'],
  ['/退出', '结束试运行，临时数据全部删除（Ctrl-D、Ctrl-C 也行）'],
];
const help = [
  ...commands.map(([command, meaning]) => `${command}${' '.repeat(Math.max(2, 26 - stringWidth(command)))}${meaning}`),
  '其他内容都当作当前这个人发给连心的微信。',
].join('\n');

interface Speaker {
  person: MockPerson;
  cadre?: CadreConfig;
}

async function main(): Promise<void> {
  let values: { help?: boolean };
  try {
    ({ values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    throw new SimulationError(`${errorText(error)}\n${usage}`);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const env = loadEnv();
  const configDir = path.resolve(env.LIANXIN_CONFIG_DIR);
  // Read before anything starts, so a configuration error is said at once.
  const zone = loadConfig(configDir).township.timezone;
  const tty = process.stdin.isTTY === true;

  let rl: readline.Interface | undefined;
  let promptShown = false;
  let closed = false;
  /** Prints above the prompt, keeping what is being typed. */
  const print = (text = '') => {
    if (rl && promptShown && !closed) {
      readline.clearLine(process.stdout, 0);
      readline.cursorTo(process.stdout, 0);
      process.stdout.write(`${text}\n`);
      rl.prompt(true);
    } else {
      process.stdout.write(`${text}\n`);
    }
  };

  print('连心 试运行：这是演练，不是正式运行。数据放在临时的嵌入式数据库里，退出时删除，不会连接或改动正式数据库（DATABASE_URL）；微信是模拟的，消息不会发给任何人。');
  print('正在启动…');

  const dataRoot = path.resolve(env.LIANXIN_DATA_DIR);
  await mkdir(dataRoot, { recursive: true });
  // A folder of its own: a second rehearsal, or the demo, may run beside this one.
  const dataDir = await mkdtemp(path.join(dataRoot, 'try-'));
  started = true;
  onCleanUp('throw-away store', () => rm(dataDir, { recursive: true, force: true }));
  const prefix = `lianxin-${path.basename(dataDir)}`;

  // The business clock runs on from wherever /时间 set it.
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const shownTime = (at: Date) => DateTime.fromJSDate(at, { zone }).setLocale('zh-CN').toFormat('yyyy年M月d日 cccc HH:mm');

  const simulation = await startSimulation({
    env,
    configDir,
    dataDir,
    prefix,
    clock,
    logger: createLogger('warn'),
    onDelivered: (_to, text, label) => print(formatSaid('连心', label, text)),
  });
  // Interrupted while starting: the clean-up has waited for the start and goes on.
  if (quitting) return;
  const { app } = simulation;
  const config = app.config;
  const villages = new VillageMatcher(config.villages);
  const residents = new Map<string, MockPerson>();
  let speaker: Speaker | undefined;

  print(`${config.township.name} · 配置：${path.relative(process.cwd(), configDir) || '.'}${configDir === sampleConfigDir ? '（仓库自带的示例乡镇；自己乡镇的配置用 LIANXIN_CONFIG_DIR 指定）' : ''}`);
  print(`临时数据库：${path.relative(process.cwd(), dataDir)}；Redis：${redactUrl(simulation.redisUrl)}，队列前缀 ${prefix}（退出时清除）`);
  print(`已为 ${simulation.cadres.size} 位干部建好模拟微信并绑定。业务时钟：${shownTime(clock())}（/时间 可改）。`);
  print('先用 /居民 名字 [村] 或 /干部 名字 选一个人，再输入这个人发的微信；/帮助 看全部命令。');

  const query = <T,>(sql: string, params: unknown[] = []) => app.db.dataSource.query(sql, params) as Promise<T[]>;
  const villageName = (id: string | null) => (id ? (config.villages.find((v) => v.id === id)?.name ?? id) : '村未登记');

  /** Sends the current speaker's text and waits until lianxin has handled it and sent what it sends now. */
  const send = async (text: string) => {
    if (!speaker) {
      if (!tty) print(`> ${text}`);
      print('请先选一个人：/居民 名字 或 /干部 名字（/帮助 看全部命令）');
      return;
    }
    if (!tty) print(formatSaid(simulation.label(speaker.person), '连心', text));
    const held = async () =>
      (await query<{ n: string; until: Date | null }>(`SELECT count(*) AS n, min(not_before) AS until FROM outbound_messages WHERE status = 'held'`))[0]!;
    const heldBefore = Number((await held()).n);
    const messageId = speaker.person.say(text, clock());
    try {
      await waitFor(
        async () => (await query(`SELECT 1 FROM inbound_messages WHERE source_message_id = $1 AND handled_at IS NOT NULL`, [messageId])).length > 0,
        replyTimeoutMs,
        () => 'message not handled',
      );
      await settle(app, replyTimeoutMs);
    } catch (error) {
      if (!(error instanceof SimulationError)) throw error;
      print(`（连心还没处理完这条消息，先接着输入；回复到了会显示）`);
      return;
    }
    const heldNow = await held();
    const newlyHeld = Number(heldNow.n) - heldBefore;
    const quiet = config.township.quietHours;
    if (newlyHeld > 0 && quiet && heldNow.until) {
      const until = DateTime.fromJSDate(heldNow.until, { zone });
      print(
        `（${newlyHeld} 条给干部的消息在免打扰时段 ${quiet.start}–${quiet.end} 暂不发送，${until.toFormat('M月d日 HH:mm')} 自动发出；` +
          `想现在看，发 /时间 ${until.toFormat('yyyy-MM-dd HH:mm')}）`,
      );
    }
  };

  const asResident = async (args: string[]) => {
    const [name, ...rest] = args;
    if (!name) return print('请写上名字，如：/居民 张大爷 东山村');
    if (config.cadres.some((c) => c.name === name)) return print(`${name}是干部，请用 /干部 ${name}`);
    const villageText = rest.join(' ');
    const known = residents.get(name);
    if (known) {
      speaker = { person: known };
      return print(`现在是居民 ${name}${villageText ? '（已有这位居民，村不改；要改，请以居民的身份说“我是××村的”）' : ''}。`);
    }
    const village = villageText ? villages.match(villageText) : null;
    if (villageText && !village) return print(`没有“${villageText}”这个村（社区）。可选：${config.villages.map((v) => v.name).join('、')}`);
    const person = simulation.resident(name);
    if (village) {
      // As if the village question had been answered before.
      await app.db.transaction(async (tx) => {
        const resident = await tx.residents.lockOrCreate(person.id, name, clock());
        resident.villageId = village.id;
        await tx.residents.save(resident, clock());
      });
    }
    residents.set(name, person);
    speaker = { person };
    print(`新居民 ${name}（${village ? village.name : '村未登记，第一次发消息时连心会问'}），接下来以${name}的身份发微信。`);
  };

  const asCadre = async (args: string[]) => {
    const who = args.join(' ');
    if (!who) return print(`请写上干部的名字或编号，如：/干部 ${config.cadres[0]!.name}`);
    const found = config.cadres.filter((c) => c.id === who || c.name === who);
    if (found.length > 1) return print(`有 ${found.length} 位干部叫${who}，请用编号：${found.map((c) => `${c.id}（${cadreLabel(config, c)}）`).join('、')}`);
    const cadre = found[0];
    if (!cadre) {
      const near = similarNames(who, config.cadres);
      return print(near.length > 0 ? `没有叫“${who}”的干部。是不是：${near.join('、')}？` : `没有叫“${who}”的干部（写名字或编号，/谁 列出全部）。`);
    }
    speaker = { person: simulation.cadres.get(cadre.id)!, cadre };
    print(`现在是干部 ${cadreLabel(config, cadre)} · ${cadre.title}。`);
  };

  const whoIsWho = async () => {
    print(`现在：${speaker ? `${speaker.cadre ? '干部' : '居民'} ${simulation.label(speaker.person)}` : '还没选人'}`);
    const rows = await query<{ wechat_id: string; village_id: string | null }>(
      `SELECT wechat_id, village_id FROM residents WHERE wechat_id = ANY($1)`,
      [[...residents.values()].map((p) => p.id)],
    );
    const villageOf = new Map(rows.map((r) => [r.wechat_id, r.village_id]));
    print(
      residents.size > 0
        ? `居民：${[...residents].map(([name, p]) => `${name}（${villageName(villageOf.get(p.id) ?? null)}）`).join('、')}`
        : '居民：还没有（/居民 名字 添加）',
    );
    print('干部（名字或编号都可用于 /干部）：');
    for (const cadre of config.cadres) print(`  ${cadreLabel(config, cadre)} ${cadre.id} · ${cadre.title}`);
  };

  const setTime = (args: string[]) => {
    const typed = args.join(' ').normalize('NFKC').replaceAll('/', '-');
    if (!typed) return print(`业务时钟：${shownTime(clock())}`);
    // A time alone is on the simulated day; 明天 and 后天 before it move the day on.
    const [, dayWord, text] = /^(今天|明天|后天)?\s*(.*)$/u.exec(typed)!;
    const day = DateTime.fromJSDate(clock(), { zone }).plus({ days: dayWord ? ['今天', '明天', '后天'].indexOf(dayWord) : 0 });
    const parsed = [
      dayWord ? null : DateTime.fromFormat(text!, 'yyyy-M-d H:mm', { zone }),
      DateTime.fromFormat(text!, 'H:mm', { zone }).set({ year: day.year, month: day.month, day: day.day }),
    ].find((t) => t?.isValid);
    if (!parsed) return print('看不懂这个时间。请写成 /时间 2026-11-25 09:00，或 09:00、明天 09:00');
    offsetMs = parsed.toMillis() - Date.now();
    print(`业务时钟已拨到 ${shownTime(clock())}，之后照常走。`);
  };

  /** Handles one typed line; false once the rehearsal is to end. */
  const handle = async (line: string): Promise<boolean> => {
    const command = /^[/／、]\s*(\S+)\s*(.*)$/u.exec(line);
    if (!command) {
      await send(line);
      return true;
    }
    if (!tty) print(`> ${line}`);
    const [, name, rest] = command;
    const args = rest!.split(/\s+/).filter(Boolean);
    switch (name) {
      case '居民':
        await asResident(args);
        break;
      case '干部':
        await asCadre(args);
        break;
      case '谁':
        await whoIsWho();
        break;
      case '时间':
        setTime(args);
        break;
      case '帮助':
        print(help);
        break;
      case '退出':
        return false;
      default:
        print(`没有“/${name}”这个命令。可用：${commands.map(([c]) => c.split(' ')[0]).join(' ')}`);
    }
    return true;
  };

  rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
  const prompt = () => {
    if (!tty || closed) return;
    rl!.setPrompt(speaker ? `${simulation.label(speaker.person)} → 连心：` : '> ');
    rl!.prompt();
    promptShown = true;
  };
  // Ctrl-C at the prompt (readline takes it from the terminal) ends the rehearsal like /退出,
  // once the line in hand, if any, is done.
  rl.on('SIGINT', () => rl!.close());
  rl.on('close', () => (closed = true));
  prompt();
  for await (const raw of rl) {
    promptShown = false;
    const line = raw.trim();
    try {
      if (line && !(await handle(line))) {
        rl.close();
        return;
      }
    } catch (error) {
      // One line's failure (a query, a bad name) ends nothing: the rehearsal goes on.
      print(`出错了：${errorText(error)}`);
    }
    prompt();
  }
  // Ctrl-D or Ctrl-C at the prompt: what follows goes on a line of its own.
  if (promptShown) process.stdout.write('\n');
}

// ── entry ────────────────────────────────────────────────────────────────────

let quitting = false;
/** Whether anything was started that clean-up removes (the store's folder comes first). */
let started = false;

/** Stops everything started and removes the store and the Redis keys, then exits. */
async function quit(code: number, message?: string): Promise<never> {
  if (!quitting) {
    quitting = true;
    if (message) console.error(message);
    if (started) process.stdout.write('正在清理…\n');
    const ok = await cleanUp();
    if (started) process.stdout.write(ok ? '已退出，临时数据库和 Redis 队列都已清除。\n' : '已退出，但有些没清理干净（见上）。\n');
    process.exit(ok ? code : 1);
  }
  return new Promise<never>(() => {});
}

// A signal from outside (Ctrl-C when input is not a terminal, kill) ends it as /退出 does.
process.once('SIGINT', () => void quit(0));
process.once('SIGTERM', () => void quit(0));

main().then(
  () => quit(0),
  (error: unknown) => {
    if (quitting) return;
    // Problems a person can fix (configuration, environment, an unreachable service) read best
    // as their message; a programming error keeps its stack.
    const plain = error instanceof SimulationError || error instanceof ConfigError || error instanceof EnvError || (error instanceof Error && error.constructor === Error);
    void quit(1, `试运行失败：${plain ? (error as Error).message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  },
);
