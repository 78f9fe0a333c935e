/**
 * The dashboard behind the township's HTTPS proxy (`secureCookies: true`, `trustProxy`): the
 * login's cookie is set for requests the proxy says came over HTTPS, and the login limit counts
 * each office PC by the address the proxy forwards, not the proxy's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/web/auth.js';
import { startWebTownship, type WebTownship } from '../support/web.js';

const password = 'qingshan-office-2026';
let web: WebTownship;

beforeAll(async () => {
  web = await startWebTownship({
    dashboard: `  secureCookies: true\n  trustProxy: 127.0.0.1\n  accounts:\n    - { username: office, name: 陈秘书, passwordHash: "${await hashPassword(password)}" }\n`,
  });
});

afterAll(async () => {
  await web?.stop();
});

const login = (headers: Record<string, string>, pass = password) =>
  fetch(`${web.url}/login`, {
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
    const page = await fetch(`${web.url}/cases`, {
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
