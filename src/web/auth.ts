/**
 * Office accounts of the dashboard: scrypt password hashes (node:crypto) and a small guard
 * against guessing. A hash reads `scrypt$N$r$p$salt$key` (salt and key base64url), so its
 * parameters can be raised later without breaking the hashes already in config.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { DashboardSettings } from '../config/schema.js';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

const defaults = { N: 16_384, r: 8, p: 1, keylen: 32 };

/** The sample account's password (config/township.yaml, printed in the README): anyone can read it. */
export const samplePassword = 'dongshan-2026';

export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8) throw new RangeError('a password needs at least 8 characters');
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, defaults.keylen, { N: defaults.N, r: defaults.r, p: defaults.p });
  return ['scrypt', defaults.N, defaults.r, defaults.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * Number(n) * Number(r) + 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash nobody's password matches, so an unknown user name costs the same time as a wrong password. */
const decoy = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type Account = DashboardSettings['accounts'][number];

/** The account when user name and password match, else null. */
export async function authenticate(accounts: readonly Account[], username: string, password: string): Promise<Account | null> {
  const account = accounts.find((a) => a.username === username.trim());
  const ok = await verifyPassword(password, account?.passwordHash ?? decoy);
  return account && ok ? account : null;
}

/**
 * Failed logins per client address: after `maxFailures` within `windowMs`, further tries are
 * refused until the window has passed. In memory, per process: enough for a loopback dashboard.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 10 * 60_000,
  ) {}

  blocked(client: string, now = Date.now()): boolean {
    return this.recent(client, now).length >= this.maxFailures;
  }

  fail(client: string, now = Date.now()): void {
    this.failures.set(client, [...this.recent(client, now), now]);
  }

  succeed(client: string): void {
    this.failures.delete(client);
  }

  private recent(client: string, now: number): number[] {
    return (this.failures.get(client) ?? []).filter((at) => now - at < this.windowMs);
  }
}
