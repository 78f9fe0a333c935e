/**
 * The web role. For now: a health check for the office's monitoring; the dashboard comes
 * with the statistics work. Loopback by default.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';

export interface WebDeps {
  host: string;
  port: number;
  logger: Logger;
  /** Each returns true when its part answers. */
  checks: Record<string, () => Promise<boolean>>;
}

export interface Web {
  url: string;
  stop(): Promise<void>;
}

export async function startWeb(deps: WebDeps): Promise<Web> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/health') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    void health(deps.checks).then((result) => {
      res.writeHead(result.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${deps.host}:${port}`;
  deps.logger.info({ url }, 'web listening');
  return {
    url,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function health(checks: WebDeps['checks']): Promise<{ ok: boolean; checks: Record<string, boolean> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
  );
  return { ok: entries.every(([, up]) => up), checks: Object.fromEntries(entries) };
}
