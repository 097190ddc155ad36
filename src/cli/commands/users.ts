/**
 * `tickerflow users`: the small group who may sign in to the API and dashboard, managed by the
 * local admin straight in the store: add, passwd, rm, list, token. A password is read without
 * echo (or from stdin with --password-stdin) and only its scrypt hash is stored; a token is
 * printed once, on stdout alone, and only its SHA-256 is stored.
 */
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { BadInputError, NotFoundError } from '../../core/errors.js';
import { newApiToken, tokenHash } from '../../api/auth/api-token.js';
import { checkNewPassword, hashPassword } from '../../api/auth/password-hash.js';
import { checkTimezone, checkUserName } from '../../api/auth/user-fields.js';
import type { User, UserStore } from '../../store/alert-records.js';
import { refuseWhileUp, withContext } from '../context.js';
import { readNewPassword } from '../password-input.js';
import { alignedTable, isoMinute } from '../text-table.js';

/** The `users list` table: one row per user, by id. */
export function formatUsers(users: readonly User[]): string {
  if (users.length === 0) return 'no users yet: `tickerflow users add <name> --admin` adds the first\n';
  return alignedTable(['name', 'id', 'role', 'timezone', 'created (UTC)'], users.map((u) => [u.name, String(u.id), u.role, u.timezone, isoMinute(u.createdAt)]));
}

async function userNamed(store: UserStore, name: string): Promise<User> {
  const user = await store.getUserByName(name);
  if (user === null) throw new NotFoundError(`no user named "${name}" (\`tickerflow users list\` shows them)`);
  return user;
}

/** The password, checked before it is hashed (so a short one is refused before any work). */
async function newPasswordHash(fromStdin: boolean): Promise<string> {
  const password = await readNewPassword(fromStdin);
  checkNewPassword(password);
  return hashPassword(password);
}

function tokenLabel(value: string): string {
  if (value.trim() === '' || value.length > 100) throw new InvalidArgumentError('a label is 1 to 100 characters');
  return value;
}

const passwordStdin = new Option('--password-stdin', 'read the password from the first line of stdin instead of the terminal');

export function registerUsersCommand(program: Command): void {
  const users = program
    .command('users')
    .description('the people who may sign in to the API and dashboard: add, passwd, rm, list, token')
    // Not routed through up's API: a password would then travel over HTTP and up would need an
    // admin surface for a rare, local task. Refused up front (before a password is asked) instead.
    .hook('preAction', (_users, action) =>
      refuseWhileUp(
        action,
        'users are managed only by the process that holds the store: stop up (Ctrl-C), run `tickerflow users …`, then start up again. ' +
          'A signed-in user makes and revokes their own API tokens while up runs (the dashboard, or POST /api/v1/tokens).',
      ),
    );

  users
    .command('add')
    .description('add a user; asks for the password twice without echo (or reads it with --password-stdin)')
    .argument('<name>', 'user name: letters, digits, "_", "." or "-"')
    .option('--admin', 'may see and run the pipeline (jobs, gaps, coverage), not only their own alerts')
    .option('--timezone <zone>', 'IANA time zone for quiet hours, e.g. Europe/Amsterdam', 'UTC')
    .addOption(passwordStdin)
    .action(async (name: string, opts: { admin?: boolean; timezone: string; passwordStdin?: boolean }, cmd: Command) => {
      checkUserName(name);
      const timezone = checkTimezone(opts.timezone);
      await withContext(cmd, async ({ store }) => {
        // Refused before the password is asked: a taken name is known without it.
        if ((await store.getUserByName(name)) !== null) throw new BadInputError(`user "${name}" already exists`);
        const user = await store.createUser(name, opts.admin === true ? 'admin' : 'user', timezone, await newPasswordHash(opts.passwordStdin === true), Date.now());
        process.stdout.write(`added user ${user.name} (id ${user.id}, ${user.role}, ${user.timezone})\n`);
      });
    });

  users
    .command('passwd')
    .description("set a user's password")
    .argument('<name>', 'user name')
    .addOption(passwordStdin)
    .action(async (name: string, opts: { passwordStdin?: boolean }, cmd: Command) => {
      await withContext(cmd, async ({ store }) => {
        const user = await userNamed(store, name);
        await store.setPasswordHash(user.id, await newPasswordHash(opts.passwordStdin === true));
        process.stdout.write(`password of ${user.name} changed\n`);
      });
    });

  users
    .command('rm')
    .description('remove a user with everything of theirs: rules, firings, pending deliveries, linked chats, API tokens')
    .argument('<name>', 'user name')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      await withContext(cmd, async ({ store }) => {
        const user = await userNamed(store, name);
        await store.deleteUser(user.id);
        process.stdout.write(`removed user ${user.name} with their rules, firings, chats and tokens\n`);
      });
    });

  users
    .command('list')
    .description('list the users')
    .action(async (_opts: unknown, cmd: Command) => {
      await withContext(cmd, async ({ store }) => {
        process.stdout.write(formatUsers(await store.listUsers()));
      });
    });

  users
    .command('token')
    .description('make an API token for a user and print it once (only its SHA-256 is kept); send it as Authorization: Bearer <token>')
    .argument('<name>', 'user name')
    .option('--label <label>', 'what the token is for, shown in the token list (1 to 100 characters)', tokenLabel, 'cli')
    .action(async (name: string, opts: { label: string }, cmd: Command) => {
      await withContext(cmd, async ({ store }) => {
        const user = await userNamed(store, name);
        const token = newApiToken();
        const info = await store.createApiToken(user.id, opts.label, tokenHash(token), Date.now());
        process.stderr.write(`token ${info.id} "${info.label}" for ${user.name}; it is shown only now:\n`);
        process.stdout.write(`${token}\n`);
      });
    });
}
