/**
 * The dashboard behind the township's HTTPS proxy (`secureCookies: true`, `trustProxy`): the
 * login's cookie is set for requests the proxy says came over HTTPS, and the login limit counts
 * each office PC by the address the proxy forwards, not the proxy's own.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { hashPassword } from '../../src/web/auth.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { redisUrl, removeQueues } from '../support/harness.js';

const qingshan = path.resolve(import.meta.dirname, '../fixtures/qingshan');
const password = 'qingshan-office-2026';
const prefix = `t-proxy-${process.pid}`;

let dir: string;
let database: TestDatabase;
let app: App;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lianxin-proxy-'));
  await cp(qingshan, dir, { recursive: true });
  const township = path.join(dir, 'township.yaml');
  await writeFile(
    township,
    `${await readFile(township, 'utf8')}\ndashboard:\n  secureCookies: true\n  trustProxy: 127.0.0.1\n` +
      `  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`,
  );
  database = await createTestDatabase();
  app = createApp({
    configDir: dir,
    databaseUrl: database.url,
    redisUrl,
    queuePrefix: prefix,
    roles: ['web'],
    webPort: 0,
    logger: createLogger(process.env.LOG_LEVEL ?? 'silent'),
  });
  await app.start();
});

afterAll(async () => {
  await app?.stop();
  await removeQueues(prefix);
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const login = (headers: Record<string, string>, pass = password) =>
  fetch(`${app.web!.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ username: 'office', password: pass }).toString(),
  });

describe('the dashboard behind an HTTPS proxy', () => {
  it('sets the secure session cookie for what came over HTTPS, and that cookie opens the pages', async () => {
    const response = await login({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.168.1.20' });
    expect(response.status).toBe(303);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lianxin\.sid=[^;]+;.*Secure/);
    const page = await fetch(`${app.web!.url}/cases`, {
      redirect: 'manual',
      headers: { cookie: cookie.split(';')[0]!, 'x-forwarded-proto': 'https' },
    });
    expect(page.status).toBe(200);

    // Plain HTTP gets no secure cookie: the login does not stick.
    expect((await login({})).headers.get('set-cookie')).toBeNull();
  });

  it('counts failed logins per office PC, not for the proxy as a whole', async () => {
    const from = (ip: string) => ({ 'x-forwarded-proto': 'https', 'x-forwarded-for': ip });
    for (let i = 0; i < 5; i++) expect((await login(from('192.168.1.31'), 'wrong')).status).toBe(401);
    expect((await login(from('192.168.1.31'))).status).toBe(429);
    expect((await login(from('192.168.1.32'))).status).toBe(303);
  });
});
