import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** A Redis server the app can use. */
export interface RedisEndpoint {
  /** e.g. `redis://127.0.0.1:6379` */
  url: string;
  /** Shuts the server down if `resolveRedis` started it; otherwise does nothing. Idempotent. */
  stop(): Promise<void>;
}

/** Options for {@link resolveRedis}. */
export interface ResolveRedisOptions {
  /** An explicit URL (e.g. from REDIS_URL): must answer, nothing is started. */
  url?: string;
  /** Tried when `url` is absent. Default `redis://127.0.0.1:6379`. */
  defaultUrl?: string;
  /** Port of the private server started when nothing answers. Default 6390. */
  privatePort?: number;
  /** Working directory of the private server (append-only files, log). Created if missing. */
  dataDir: string;
  logger: Logger;
  /** Where to look for `redis-server`. Default `process.env.PATH`; tests pass a PATH without it. */
  pathEnv?: string;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const DEFAULT_PRIVATE_PORT = 6390;
const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * url given → ping it, return it (stop = no-op), or throw a one-line error naming the URL.
 * url absent → ping defaultUrl; if it answers use it; else if a private server from an earlier run
 * answers on 127.0.0.1:privatePort, reuse it; else if `redis-server` is on PATH, start a private
 * one there (child process, `--dir dataDir`, `--appendonly yes`, `--maxmemory-policy noeviction`,
 * `--save ""`) and wait until it answers PONG; `stop()` shuts it down only if this call started it.
 * Otherwise throw an Error with a one-line message saying what to install.
 */
export async function resolveRedis(options: ResolveRedisOptions): Promise<RedisEndpoint> {
  const log = options.logger.child({ component: 'redis' });
  const noop = async (): Promise<void> => {};

  if (options.url !== undefined) {
    const failure = await pingRedis(options.url);
    if (failure) throw new Error(`Redis is not reachable at ${redactUrl(options.url)}: ${failure}`);
    log.info({ url: redactUrl(options.url) }, 'using Redis');
    return { url: options.url, stop: noop };
  }

  const defaultUrl = options.defaultUrl ?? DEFAULT_URL;
  if (!(await pingRedis(defaultUrl))) {
    log.info({ url: redactUrl(defaultUrl) }, 'using Redis');
    return { url: defaultUrl, stop: noop };
  }

  const port = options.privatePort ?? DEFAULT_PRIVATE_PORT;
  const privateUrl = `redis://127.0.0.1:${port}`;
  if (!(await pingRedis(privateUrl))) {
    log.info({ url: privateUrl }, 'reusing the private Redis from an earlier run');
    return { url: privateUrl, stop: noop };
  }

  const executable = findOnPath('redis-server', options.pathEnv ?? process.env.PATH ?? '');
  if (!executable) {
    throw new Error(
      `Redis is not reachable at ${redactUrl(defaultUrl)} and redis-server is not installed: ` +
        'install Redis (Debian: apt-get install redis-server) or set REDIS_URL',
    );
  }
  return startPrivateRedis({ executable, port, dataDir: resolve(options.dataDir), log });
}

/**
 * Pings a Redis URL once, without retries and without hanging: gives up after `timeoutMs` in all.
 * @returns `undefined` when it answered PONG, else a one-line reason.
 */
export async function pingRedis(url: string, timeoutMs = 1_000): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
  // ioredis rejects connect() with a bare "Connection is closed."; the cause comes as an 'error' event.
  let cause: Error | undefined;
  client.on('error', (err: Error) => (cause ??= err));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((done) => {
    timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const attempt = (async (): Promise<string | undefined> => {
    try {
      await client.connect();
      const reply = await client.ping();
      return reply === 'PONG' ? undefined : `unexpected reply ${JSON.stringify(reply)}`;
    } catch (err) {
      return oneLine((cause ?? (err instanceof Error ? err : new Error(String(err)))).message);
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** The absolute path of `name` in the first PATH directory holding it as an executable, if any. */
export function findOnPath(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

async function startPrivateRedis(args: { executable: string; port: number; dataDir: string; log: Logger }): Promise<RedisEndpoint> {
  const { executable, port, dataDir, log } = args;
  const url = `redis://127.0.0.1:${port}`;
  const logFile = join(dataDir, 'redis.log');
  await mkdir(dataDir, { recursive: true });
  const started = Date.now();
  // prettier-ignore
  const child = spawn(executable, [
    '--bind', '127.0.0.1', '--port', String(port), '--dir', dataDir, '--logfile', logFile,
    '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', '', '--daemonize', 'no',
  ], { stdio: 'ignore' });
  // The private server may outlive a process that forgets stop(): do not keep the event loop alive.
  child.unref();
  const exited = new Promise<string>((done) => {
    child.once('error', (err) => done(oneLine(err.message)));
    child.once('exit', (code, signal) => done(signal ? `killed by ${signal}` : `exit code ${code}`));
  });
  let exitReason: string | undefined;
  void exited.then((reason) => (exitReason = reason));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (!(await pingRedis(url, 500))) break;
    if (exitReason !== undefined || Date.now() > deadline) {
      const why = exitReason ?? `no PONG within ${START_TIMEOUT_MS / 1000} s`;
      if (exitReason === undefined) await terminate(child, exited);
      const tail = await lastLogLine(logFile);
      throw new Error(`could not start redis-server on 127.0.0.1:${port} (${why})${tail ? `: ${tail}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  log.info({ url, dataDir, pid: child.pid, ms: Date.now() - started }, 'started a private Redis');

  let stopping: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopping ??= (async () => {
        if (exitReason === undefined) await terminate(child, exited);
        log.info({ url }, 'private Redis stopped');
      })();
      return stopping;
    },
  };
}

/** SIGTERM (Redis flushes the append-only file and exits), SIGKILL if it does not exit in time. */
async function terminate(child: ChildProcess, exited: Promise<string>): Promise<void> {
  child.ref(); // keep the process alive until the child has gone
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), STOP_TIMEOUT_MS)));
  if ((await Promise.race([exited, timedOut])) === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
}

async function lastLogLine(file: string): Promise<string | undefined> {
  try {
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    return oneLine(lines[lines.length - 1] ?? '') || undefined;
  } catch {
    return undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Hides a password in a Redis URL before it goes into a message. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
