/**
 * The web role: the office dashboard (statistics, overdue list, case histories, hotspots,
 * downloads) behind a login, and `GET /health` for monitoring, open to all. Fastify, pages
 * rendered on the server with eta (escaped by default), charts drawn by ECharts in the browser.
 * Loopback by default; the office reaches it through whatever the township puts in front.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import session from '@fastify/session';
import fastifyStatic from '@fastify/static';
import { Eta } from 'eta';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { dashboardSettings, type Config } from '../config/schema.js';
import type { Database } from '../db/database.js';
import type { WorkCalendar } from '../domain/calendar.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../services/clock.js';
import { StatsService } from '../services/stats.service.js';
import { authenticate, LoginThrottle, samplePassword } from './auth.js';
import { registerPages } from './pages.js';

export interface WebDeps {
  host: string;
  port: number;
  logger: Logger;
  /** Each returns true when its part answers. */
  checks: Record<string, () => Promise<boolean>>;
  /** The dashboard's data; without it only `/health` is served. */
  dashboard?: { db: Database; config: Config; clock: Clock; calendar: WorkCalendar };
}

export interface Web {
  url: string;
  stop(): Promise<void>;
}

/** Who is logged in. */
export interface OfficeUser {
  username: string;
  name: string;
  /** Logged in with the README's sample password: every page asks for a new one. */
  samplePassword?: boolean;
}

declare module 'fastify' {
  interface Session {
    user?: OfficeUser;
  }
}

/** How often the statistics rollup is compacted (its trigger only appends). */
const compactEveryMs = 5 * 60_000;

export async function startWeb(deps: WebDeps): Promise<Web> {
  const app = await buildWebApp(deps);
  await app.listen({ host: deps.host, port: deps.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : deps.port;
  const url = `http://${deps.host.includes(':') ? `[${deps.host}]` : deps.host}:${port}`;
  deps.logger.info({ url }, 'web listening');
  return { url, stop: () => app.close() };
}

/** The fastify app, not listening yet (tests and benchmarks use `inject`). */
export async function buildWebApp(deps: WebDeps): Promise<FastifyInstance> {
  // pino's Logger and fastify's logger type differ only in typings.
  const loggerInstance = deps.logger.child({ component: 'web' }) as unknown as FastifyBaseLogger;
  const trustProxy = deps.dashboard ? dashboardSettings(deps.dashboard.config.township).trustProxy : false;
  const app = Fastify({ loggerInstance, logController: new LogController({ disableRequestLogging: true }), trustProxy });

  app.get('/health', async (_request, reply) => {
    const result = await health(deps.checks);
    return reply.code(result.ok ? 200 : 503).send(result);
  });
  if (!deps.dashboard) return app;

  const { db, config, clock, calendar } = deps.dashboard;
  const settings = dashboardSettings(config.township);
  if (settings.accounts.length === 0) {
    deps.logger.warn('no dashboard accounts in township.yaml (dashboard.accounts): nobody can log in to the dashboard');
  }
  const stats = new StatsService(db, config);
  const eta = new Eta({ views: path.join(import.meta.dirname, 'views'), autoEscape: true, cache: true });
  const throttle = new LoginThrottle();

  await app.register(cookie);
  await app.register(session, {
    secret: settings.sessionSecret ?? randomBytes(32).toString('base64url'),
    cookieName: 'lianxin.sid',
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: settings.secureCookies, path: '/', maxAge: settings.sessionIdleMinutes * 60_000 },
  });
  await app.register(formbody);
  await app.register(fastifyStatic, { root: path.join(import.meta.dirname, 'static'), prefix: '/static/' });
  const echarts = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
  app.get('/vendor/echarts.min.js', (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').sendFile(path.basename(echarts), path.dirname(echarts)),
  );

  app.get('/favicon.ico', (_request, reply) => reply.code(204).send());

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header(
      'content-security-policy',
      // ECharts' tooltips carry inline styles; scripts come only from this server.
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    );
  });

  // No anonymous access: pages send people to the login, the API answers 401.
  const open = (url: string) => url === '/health' || url === '/favicon.ico' || url === '/login' || url.startsWith('/login?') || url.startsWith('/static/') || url.startsWith('/vendor/');
  app.addHook('preHandler', async (request, reply) => {
    if (open(request.url) || request.session.user) return;
    if (request.url.startsWith('/api/')) return reply.code(401).send({ error: 'login required' });
    return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
  });

  const render = (reply: FastifyReply, view: string, data: Record<string, unknown>, code = 200) =>
    reply.code(code).type('text/html; charset=utf-8').send(eta.render(view, data));

  app.get('/login', (request: FastifyRequest<{ Querystring: { next?: string } }>, reply) => {
    if (request.session.user) return reply.redirect(safeNext(request.query.next));
    return render(reply, 'login', { township: config.township.name, next: safeNext(request.query.next), error: null, username: '' });
  });

  app.post('/login', async (request: FastifyRequest<{ Body: { username?: string; password?: string; next?: string } }>, reply) => {
    const { username = '', password = '', next } = request.body ?? {};
    const client = request.ip;
    const page = (error: string, code: number) =>
      render(reply, 'login', { township: config.township.name, next: safeNext(next), error, username }, code);
    if (throttle.blocked(client)) return page('登录失败次数过多，请 10 分钟后再试。', 429);
    const account = await authenticate(settings.accounts, username, password);
    if (!account) {
      throttle.fail(client);
      deps.logger.warn({ username: username.slice(0, 32), client }, 'dashboard login refused');
      return page('用户名或密码不对。', 401);
    }
    throttle.succeed(client);
    // A new session id at login: a session id planted before cannot be ridden.
    await request.session.regenerate();
    request.session.user = { username: account.username, name: account.name, ...(password === samplePassword ? { samplePassword: true } : {}) };
    deps.logger.info({ username: account.username }, 'dashboard login');
    if (password === samplePassword) {
      deps.logger.warn({ username: account.username }, 'dashboard login with the sample password from the README: set a new passwordHash in township.yaml');
    }
    return reply.redirect(safeNext(next), 303);
  });

  app.post('/logout', async (request, reply) => {
    await request.session.destroy();
    return reply.redirect('/login', 303);
  });

  registerPages(app, { stats, config, clock, calendar, db, render });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) return reply.code(404).send({ error: 'not found' });
    return render(reply, 'message', { user: request.session.user, title: '没有这个页面', text: '没有找到您要的页面。', township: config.township.name }, 404);
  });
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error, url: request.url }, 'dashboard request failed');
    if (request.url.startsWith('/api/')) return reply.code(500).send({ error: 'internal error' });
    return render(reply, 'message', { user: request.session?.user, title: '出错了', text: '页面出错了，请稍后再试；如果一直出错，请联系系统管理员。', township: config.township.name }, 500);
  });

  // The rollup's trigger only appends rows; fold them now and then so the trend stays quick.
  const compact = () =>
    stats.repo.compactRollup().catch((error: unknown) => deps.logger.warn({ err: String(error) }, 'statistics rollup compaction failed'));
  const timer = setInterval(() => void compact(), compactEveryMs);
  timer.unref();
  app.addHook('onReady', async () => {
    await compact();
  });
  app.addHook('onClose', async () => clearInterval(timer));
  return app;
}

/** Only a path of this site after login (no "//host" or "https:" redirects). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

async function health(checks: WebDeps['checks']): Promise<{ ok: boolean; checks: Record<string, boolean> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await check().catch(() => false)] as const),
  );
  return { ok: entries.every(([, up]) => up), checks: Object.fromEntries(entries) };
}
