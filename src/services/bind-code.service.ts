import { randomInt } from 'node:crypto';
import type { Repositories } from '../db/database.js';

/**
 * A one-time code for `绑定 码`: six digits, easy to read out over the phone; valid for
 * `validMinutes`. Returns the code and when it expires.
 */
export async function issueBindCode(
  tx: Repositories,
  cadreId: string,
  now: Date,
  validMinutes: number,
): Promise<{ code: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + validMinutes * 60_000);
  for (;;) {
    const code = String(randomInt(100_000, 1_000_000));
    const [taken]: unknown[] = await tx.manager.query(`SELECT 1 FROM bind_codes WHERE code = $1`, [code]);
    if (taken) continue;
    await tx.cadres.createBindCode(cadreId, code, now, expiresAt);
    return { code, expiresAt };
  }
}
