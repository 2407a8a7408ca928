/**
 * Sets up an empty store (either store, from the usual configuration) for a real board:
 *
 *   npm run setup -- --group-name "Safer Plymouth Exec" --secretariat-name "Alison Mills" \
 *     --secretariat-initials AM [--secretariat-email alison.mills@plymouth.gov.uk] [--secretariat-aad <object id>]
 *
 * Creates the board's group and its first secretariat member, who then signs in (SSO by object
 * id or UPN; X-Dev-User: AM in local mode) and adds everyone else from the tab.
 * Exits 0 when set up (or already set up exactly so), 1 when the store already has another
 * board or secretariat (named), 2 on bad arguments or configuration.
 */
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../bot/config.js';
import { openStore } from '../bot/main.js';
import { setUpBoard } from '../bot/services/setup.js';

const USAGE = 'Usage: npm run setup -- --group-name "<board name>" --secretariat-name "<name>" --secretariat-initials <XX> [--secretariat-email <upn>] [--secretariat-aad <Entra object id>]';

async function main(): Promise<number> {
  let args;
  let config;
  try {
    ({ values: args } = parseArgs({
      args: process.argv.slice(2),
      options: {
        'group-name': { type: 'string' },
        'secretariat-name': { type: 'string' },
        'secretariat-initials': { type: 'string' },
        'secretariat-email': { type: 'string' },
        'secretariat-aad': { type: 'string' },
      },
      strict: true,
    }));
    config = parseConfig({ ...process.env, SEED_DEMO: 'false' });
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const missing = ['group-name', 'secretariat-name', 'secretariat-initials'].filter((k) => !args[k as keyof typeof args]);
  if (missing.length) {
    process.stderr.write(`Missing ${missing.map((k) => `--${k}`).join(', ')}.\n${USAGE}\n`);
    return 2;
  }
  const store = await openStore(config);
  try {
    const result = await setUpBoard(
      store,
      {
        groupName: args['group-name']!,
        secretariatName: args['secretariat-name']!,
        secretariatInitials: args['secretariat-initials']!,
        secretariatEmail: args['secretariat-email'] ?? null,
        secretariatAadObjectId: args['secretariat-aad'] ?? null,
      },
      new Date(),
    );
    if (!result.ok) {
      process.stderr.write(`${result.error.message}\n`);
      return result.error.code === 'SETUP.ALREADY_DONE' ? 1 : 2;
    }
    const { outcome, groupId, memberId } = result.value;
    process.stdout.write(
      outcome === 'created'
        ? `Set up on the ${config.STORE} store.\ngroup id: ${groupId}\nmember id: ${memberId}\nThe secretariat can now sign in and add people, meetings and actions from the tab.\n`
        : `Already set up exactly so on the ${config.STORE} store: nothing changed.\ngroup id: ${groupId}\nmember id: ${memberId}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

process.exitCode = await main();
