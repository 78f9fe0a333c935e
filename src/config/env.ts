/**
 * The environment variables lianxin reads, validated once. Nothing else reads process.env.
 */
import { z } from 'zod';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

export const envSchema = z.object({
  DATABASE_URL: optionalText,
  REDIS_URL: optionalText,
  LIANXIN_CONFIG_DIR: z.string().default('config'),
  LIANXIN_DATA_DIR: z.string().default('data'),
  LIANXIN_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" and "-" only').default('lianxin'),
  LIANXIN_WEB_HOST: z.string().default('127.0.0.1'),
  LIANXIN_WEB_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
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

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}
