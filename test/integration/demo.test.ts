/**
 * `npm run demo` as someone setting up their own township runs it: with LIANXIN_CONFIG_DIR
 * naming their configuration, the scripted day still plays the sample it was written for.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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
