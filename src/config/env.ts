/**
 * The environment variables lianxin reads, validated once. Nothing else reads process.env.
 */
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** An optional URL of one of `schemes`: "127.0.0.1:5432/x" would otherwise fail later as a host named "base". */
const optionalUrl = (schemes: readonly string[], example: string) =>
  optionalText.refine((v) => v === undefined || schemes.some((s) => v.startsWith(`${s}://`)), {
    message: `must start with ${schemes.map((s) => `${s}://`).join(' or ')}, e.g. ${example}`,
  });

const port = 'must be a port number, 0–65535';

export const envSchema = z.object({
  DATABASE_URL: optionalUrl(['postgres', 'postgresql'], 'postgres://lianxin:password@127.0.0.1:5432/lianxin'),
  REDIS_URL: optionalUrl(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  LIANXIN_CONFIG_DIR: z.string().default('config'),
  LIANXIN_DATA_DIR: z.string().default('data'),
  LIANXIN_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" and "-" only').default('lianxin'),
  LIANXIN_WEB_HOST: z.string().default('127.0.0.1'),
  LIANXIN_WEB_PORT: z.coerce.number({ error: port }).int(port).min(0, port).max(65535, port).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** wechaty's own variables, passed on explicitly. */
  WECHATY_PUPPET: optionalText,
  WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
  WECHATY_PUPPET_SERVICE_ENDPOINT: optionalText,
  WECHATY_NAME: z.string().default('lianxin'),
  /** Set by npm: the folder `npm run` was typed in (npm runs scripts from the package's). */
  INIT_CWD: optionalText,
});

export type Env = z.infer<typeof envSchema>;

/** A variable set wrongly: a person fixes it, so it is said without a stack. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
}

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  const lines = unknownNames(source);
  if (!result.success) {
    lines.push(...result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}${shown(source[String(i.path[0])])}`));
  }
  if (lines.length > 0) throw new EnvError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  return result.data!;
}

/** The value as set, after the message (a password in a URL left out). */
function shown(value: string | undefined): string {
  if (value === undefined) return '';
  return `, not ${JSON.stringify(value.replace(/^([a-z]+:\/\/)?([^:@/]*):[^@/]*@/, '$1$2:***@'))}`;
}

/**
 * A misspelt lianxin variable (`LIANXIN_CONFIG=…`) would be ignored and the sample township
 * started in its place: every LIANXIN_ name must be one lianxin reads.
 */
function unknownNames(source: NodeJS.ProcessEnv): string[] {
  const known = Object.keys(envSchema.shape).filter((name) => name.startsWith('LIANXIN_'));
  return Object.keys(source)
    .filter((name) => name.startsWith('LIANXIN_') && !known.includes(name))
    .map((name) => {
      const near = known.filter((k) => k.startsWith(name) || name.startsWith(k));
      return `${name}: lianxin has no such setting; ${near.length > 0 ? `did you mean ${near.join(' or ')}?` : `its settings are ${known.join(', ')}`}`;
    });
}
