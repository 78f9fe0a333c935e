/**
 * `npm run try` as a township's IT person uses it: lines typed as residents and cadres on stdin,
 * what everyone receives on stdout, and nothing left behind (Redis keys, the throw-away store)
 * when the input ends or the process is interrupted.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { redisUrl, sampleConfigDir } from '../support/harness.js';
import { repoRoot } from '../support/paths.js';

const dataDirs: string[] = [];
afterEach(async () => {
  for (const dir of dataDirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** `npm run try` on the sample township, with its own data folder; stdin stays open until ended. */
async function rehearse() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-try-test-'));
  dataDirs.push(dataDir);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/rehearsal.ts'], {
    cwd: repoRoot,
    env: { ...process.env, LIANXIN_CONFIG_DIR: sampleConfigDir, LIANXIN_DATA_DIR: dataDir, REDIS_URL: redisUrl, LOG_LEVEL: 'silent' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = async (text: string, timeoutMs = 40_000) => {
    for (const deadline = Date.now() + timeoutMs; !stdout.includes(text); ) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no "${text}" in:\n${stdout}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return stdout;
  };
  const prefix = async () => /队列前缀 (\S+)（/.exec(await output('队列前缀'))![1]!;
  return { child, dataDir, exited, output, prefix, stdout: () => stdout };
}

async function redisKeys(prefix: string): Promise<string[]> {
  const redis = new Redis(redisUrl);
  try {
    return await redis.keys(`${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

it("passes a resident's matter to the cadre on duty and the cadre's answer back, answers a bad command, and leaves nothing at EOF", async () => {
  const run = await rehearse();
  run.child.stdin.write(
    [
      '/时间 2026-11-25 09:00',
      '/居民 张大爷 东山村',
      '我家猪不吃食',
      '/干部 罗国强',
      '接单 1001',
      '回复 1001 我十点到您家看看',
      '/乱来',
    ].join('\n') + '\n',
  );
  const out = await run.output('没有“/乱来”这个命令');
  const prefix = await run.prefix();
  // Both were in use, so their being gone after EOF says the clean-up ran.
  expect(await redisKeys(prefix)).not.toEqual([]);
  expect(await readdir(run.dataDir)).not.toEqual([]);

  expect(out).toContain('不会连接或改动正式数据库（DATABASE_URL）');
  // The resident of 东山村 is not asked the village: her matter goes straight to the on-duty cadre.
  expect(out).toContain(
    ['张大爷 → 连心：我家猪不吃食', '连心 → 罗国强（动物防疫站）：【新案件 #1001】东山村 · 动物防疫站'].join('\n'),
  );
  expect(out).toMatch(/^ +群众：张大爷\n +内容：我家猪不吃食$/m);
  const answered = out.indexOf('罗国强（动物防疫站） → 连心：回复 1001 我十点到您家看看');
  expect(out.indexOf('罗国强（动物防疫站） → 连心：接单 1001')).toBeGreaterThan(0);
  expect(answered).toBeGreaterThan(0);
  expect(out.slice(answered)).toMatch(/\n连心 → 张大爷：.*我十点到您家看看/);
  expect(out).toContain('没有“/乱来”这个命令。可用：/居民 /干部 /谁 /时间 /帮助 /退出');

  run.child.stdin.end();
  expect(await run.exited).toBe(0);
  expect(run.stdout()).toMatch(/已退出，临时数据库和 Redis 队列都已清除。\n$/);
  expect(await redisKeys(prefix)).toEqual([]);
  expect(await readdir(run.dataDir)).toEqual([]);
}, 90_000);

it('stops and removes everything when interrupted (Ctrl-C)', async () => {
  const run = await rehearse();
  await run.output('/帮助 看全部命令');
  const prefix = await run.prefix();
  expect(await redisKeys(prefix)).not.toEqual([]);

  run.child.kill('SIGINT');
  expect(await run.exited).toBe(0);
  expect(await redisKeys(prefix)).toEqual([]);
  expect(await readdir(run.dataDir)).toEqual([]);
}, 90_000);
