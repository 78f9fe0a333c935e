/**
 * `npm run demo` as someone setting up their own township runs it: with LIANXIN_CONFIG_DIR
 * naming their configuration, the scripted day still plays the sample it was written for.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

it("plays the sample township's day whatever LIANXIN_CONFIG_DIR names, and says so", async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-demo-'));
  const own = path.join(root, 'test/fixtures/qingshan');
  try {
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['src/demo.ts'], {
      cwd: root,
      env: { ...process.env, LIANXIN_CONFIG_DIR: own, LIANXIN_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    expect(stdout).toMatch(/^连心 演示 · 东山办事处 · /);
    expect(stdout).toContain(`（演示的是仓库自带的示例乡镇，不是 LIANXIN_CONFIG_DIR 所指的 ${own}；`);
    expect(stdout).toMatch(/演示结束，用时 [\d.]+ 秒。\n$/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}, 90_000);

it('leaves no queue keys behind when whoever reads its output stops reading (npm run demo | head)', async () => {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-demo-'));
  const demoKeys = async () => new Set(await redis.keys('lianxin-demo-*'));
  try {
    const before = await demoKeys();
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/demo.ts'], {
      cwd: root,
      env: { ...process.env, LIANXIN_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let seen = '';
    let ran = false;
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      // Once the first resident has been answered, the run's keys exist: stop reading.
      if (seen.includes('东山村') && seen.includes('#1001') && !child.stdout.destroyed) {
        void demoKeys().then((keys) => {
          ran = [...keys].some((k) => !before.has(k));
          child.stdout.destroy();
        });
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(ran).toBe(true);
    expect(code).toBe(0);
    expect([...(await demoKeys())].filter((k) => !before.has(k))).toEqual([]);
  } finally {
    redis.disconnect();
    await rm(dataDir, { recursive: true, force: true });
  }
}, 90_000);
