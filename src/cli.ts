/**
 * Office tasks from the command line: `npm run cli -- <command>`.
 *
 *   bind-code <cadre id or name>   a one-time code for the cadre to send as "绑定 码"
 *   migrate                         bring the database schema up to date
 *   migrate --revert                undo the latest migration (before starting an older version)
 *   check-config                    validate config/*.yaml and summarise it
 *
 * Settings come from the same environment as `npm start`.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { ConfigError, configWarnings, loadConfig } from './config/load.js';
import { loadEnv } from './config/env.js';
import { withDatabase } from './db/connect.js';
import { similarNames } from './domain/name-match.js';
import { issueBindCode } from './services/bind-code.service.js';
import { formatTime } from './services/replies.js';

const usage = `usage: npm run cli -- <command>
  bind-code <cadre id or name>   one-time code a cadre sends as "绑定 码" to link their WeChat
  migrate                        bring the database schema up to date
  migrate --revert               undo the latest migration (before starting an older version)
  check-config                   validate config/*.yaml and summarise it`;

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', short: 'h' }, revert: { type: 'boolean' } } });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return;
  }
  const env = loadEnv();
  const config = loadConfig(env.LIANXIN_CONFIG_DIR);

  switch (command) {
    case 'check-config': {
      const t = config.township;
      console.log(
        `${t.name}: ${config.villages.length} villages, ${config.departments.length} departments, ` +
          `${config.cadres.length} cadres, ${config.roster.weekly.length} weekly duty slots, ` +
          `${config.roster.overrides.length} overrides, ${config.roster.leave.length} leave entries — OK`,
      );
      for (const warning of configWarnings(config)) console.log(`warning: ${path.join(env.LIANXIN_CONFIG_DIR, warning)}`);
      return;
    }
    case 'migrate':
      if (values.revert) {
        // As the database stands: nothing is migrated first, so each run undoes one more.
        const name = await withDatabase(
          env,
          async (db) => {
            const [last]: { name: string }[] = await db.dataSource.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`);
            if (!last) return null;
            await db.dataSource.undoLastMigration({ transaction: 'each' });
            return last.name;
          },
          { migrate: false },
        );
        console.log(name ? `reverted ${name}; start the older version now (npm start would apply it again)` : 'no migration to revert');
        return;
      }
      {
        // Migrated here rather than on opening, to say what was done: a new database gets every one.
        const applied = await withDatabase(env, (db) => db.dataSource.runMigrations({ transaction: 'each' }), { migrate: false });
        console.log(applied.length > 0 ? `applied ${applied.length} migrations; the database schema is up to date` : 'database schema is up to date');
      }
      return;
    case 'bind-code': {
      const who = args.join(' ').trim();
      if (!who) throw new UsageError(`bind-code needs a cadre id or name, e.g. npm run cli -- bind-code ${config.cadres[0]!.name}`);
      await withDatabase(env, async (db) => {
        await db.cadres.sync(config.cadres, new Date());
        const cadre = await db.cadres.findByIdOrName(who);
        if (!cadre) {
          const namesakes = config.cadres.filter((c) => c.name === who);
          // A name typed from memory (张画 for 张华) gets the one meant, as 绑定码 in chat does; nothing is guessed.
          const similar = similarNames(who, config.cadres).flatMap((name) => config.cadres.filter((c) => c.name === name));
          throw new UsageError(
            namesakes.length > 1
              ? `${namesakes.length} cadres are named "${who}": give the id, one of ${namesakes.map((c) => c.id).join(', ')}`
              : similar.length > 0
                ? `no cadre with id or name "${who}" in cadres.yaml; did you mean ${similar.map((c) => `${c.name} (${c.id})`).join(' or ')}?`
                : `no cadre with id or name "${who}" in cadres.yaml (a new colleague is added there first; lianxin reads it at start)`,
          );
        }
        const { code, expiresAt } = await db.transaction((tx) =>
          issueBindCode(tx, cadre.id, new Date(), config.township.caseRules.bindCodeMinutes),
        );
        console.log(`${cadre.name}（${cadre.id}）的绑定码：${code}，${formatTime(expiresAt, config.township.timezone)} 前有效，只能用一次。`);
        console.log(`请${cadre.name}用自己的微信给连心服务号发送：绑定 ${code}`);
      });
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n${usage}`);
  }
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
