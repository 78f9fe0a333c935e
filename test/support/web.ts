/**
 * The web role of a township (test/fixtures/qingshan) on a test database, with a `dashboard:`
 * block added to its township.yaml: what the dashboard tests start and stop.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import type { Clock } from '../../src/services/clock.js';
import { createTestDatabase } from './database.js';
import { redisUrl, removeQueues } from './harness.js';

const qingshan = path.resolve(import.meta.dirname, '../fixtures/qingshan');

export interface WebTownship {
  app: App;
  /** The township's config folder (a temporary copy); files may be written here. */
  dir: string;
  url: string;
  stop(): Promise<void>;
}

/** A temporary copy of qingshan's config with `dashboard` (YAML, indented) as its township's dashboard block; the caller removes it. */
export async function qingshanWithDashboard(dashboard: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-web-'));
  await cp(qingshan, dir, { recursive: true });
  const township = path.join(dir, 'township.yaml');
  await writeFile(township, `${await readFile(township, 'utf8')}\ndashboard:\n${dashboard}`);
  return dir;
}

/** Logs in to the dashboard at `url`; the cookie to send with each page. */
export async function logIn(url: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (response.status !== 303) throw new Error(`login refused: ${response.status}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** GETs a page of the dashboard at `url` as someone logged in (`cookie`); it must answer 200. */
export async function fetchPage(url: string, cookie: string, path: string): Promise<Response> {
  const response = await fetch(`${url}${path}`, { headers: { cookie } });
  expect(response.status, path).toBe(200);
  return response;
}

/** The row of `name` (a cadre, department or village) in a review table's HTML. */
export function rowOf(html: string, name: string): string {
  const row = html.split('<tr').find((tr) => tr.includes(`>${name}</a></td>`));
  if (!row) throw new Error(`no row ${name}`);
  return row;
}

export async function startWebTownship(options: { dashboard: string; clock?: Clock }): Promise<WebTownship> {
  const dir = await qingshanWithDashboard(options.dashboard);
  const database = await createTestDatabase();
  const prefix = `t-web-${process.pid}-${path.basename(dir)}`;
  const app = createApp({
    configDir: dir,
    databaseUrl: database.url,
    redisUrl,
    queuePrefix: prefix,
    roles: ['web'],
    webPort: 0,
    ...(options.clock ? { clock: options.clock } : {}),
    logger: createLogger(process.env.LOG_LEVEL ?? 'silent'),
  });
  await app.start();
  return {
    app,
    dir,
    url: app.web!.url,
    async stop() {
      await app.stop();
      await removeQueues(prefix);
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
