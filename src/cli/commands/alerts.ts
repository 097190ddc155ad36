/**
 * `tickerflow alerts`: a user's alert rules from the terminal — add, list, rm, mute, test, and
 * preview a draft over stored history. Flags become the rule document parseRuleDraft checks (the
 * API's), so a bad rule is refused with its flag or the expression's position before anything is
 * written. Works on the store, or through the running `up`'s API while it holds the DuckDB file.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { MAX_PREVIEW_MS } from '../../api/routes/alert-routes.js';
import { parseRuleDraft, type RuleDefinition } from '../../alerts/rule-draft.js';
import { RuleDraftError } from '../../alerts/rule-draft-error.js';
import { BadInputError } from '../../core/errors.js';
import { withAlerts } from '../alerts-access.js';
import { draftErrorText, formatPreview, formatRules } from '../format-alerts.js';
import { nonNegativeIntArg, positiveIntArg, timeArgNamed } from '../options.js';
import { isoMinute } from '../text-table.js';

const PREVIEW_FORMATS = ['table', 'csv', 'json'] as const;

interface ScopeOptions {
  symbol?: string;
  symbols?: string;
  top?: number;
}

interface AddOptions extends ScopeOptions {
  interval: string;
  channel: string[];
  frequency?: string;
  cooldown?: number;
  expires?: number;
  quiet?: string;
  name?: string;
  user?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The scope flags as the draft's scope: exactly one of them. */
function scopeOf(o: ScopeOptions): Record<string, unknown> {
  const given = [o.symbol !== undefined, o.symbols !== undefined, o.top !== undefined].filter(Boolean).length;
  if (given !== 1) throw new BadInputError('name the symbols with exactly one of --symbol S, --symbols A,B or --top N');
  if (o.symbol !== undefined) return { symbol: o.symbol };
  if (o.symbols !== undefined) return { symbols: o.symbols.split(',').map((s) => s.trim()) };
  return { top: o.top };
}

/** `every:15` (or the document's `at_most_every:15`) and the named frequencies. */
function frequencyOf(f: string): string {
  return /^every:\d+$/.test(f) ? `at_most_every:${f.slice('every:'.length)}` : f;
}

/** `22:00-07:00` as quiet hours in the user's time zone. */
function quietOf(q: string, timezone: string): Record<string, string> {
  const m = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(q);
  if (m === null) throw new BadInputError(`--quiet ${q}: expected HH:MM-HH:MM in your time zone, e.g. 22:00-07:00`);
  return { from: m[1] as string, to: m[2] as string, timezone };
}

/** parseRuleDraft, its error said in the command's terms (the expression with a caret). */
function checked(draft: Record<string, unknown>): RuleDefinition {
  try {
    return parseRuleDraft(draft);
  } catch (err) {
    if (err instanceof RuleDraftError) throw new BadInputError(draftErrorText(err, String(draft.expression), (draft.channels as string[] | undefined) ?? []), { cause: err });
    throw err;
  }
}

const userOption = (): Option => new Option('--user <name>', 'whose rules (default: the only admin; through a running `up`, its local admin)');
const scopeOptions = (cmd: Command): Command =>
  cmd
    .option('--symbol <symbol>', 'one symbol, e.g. BTCUSDT')
    .option('--symbols <list>', 'a comma-separated list, e.g. BTCUSDT,ETHUSDT')
    .option('--top <n>', 'every symbol of the top-N universe (a screener)', positiveIntArg);

export function registerAlertsCommand(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('your alert rules: add, list, rm, mute, test, and preview a draft over stored history (docs/ALERTS.md has the grammar)');

  scopeOptions(
    alerts
      .command('add')
      .description('save a rule, checked first: a bad one is refused with its flag, or the expression with a caret under the error, and nothing is written')
      .argument('<expr>', 'the rule, e.g. "rsi:14 < 30" or "close crosses_above ema:200@1h" (quote it)'),
  )
    .requiredOption('--interval <interval>', 'evaluated as bars of this interval close: 1m, 5m, 15m, 1h, 4h, 1d')
    .requiredOption('--channel <channel>', 'where it is sent, repeatable: telegram:<chat id> (links that chat to the user), webhook:<url> or dashboard', collect)
    .option('--frequency <f>', 'once, once_per_bar (also on the bar while it forms, at most once per bar), once_per_bar_close (default) or every:<minutes>')
    .option('--cooldown <minutes>', 'quiet minutes after each firing', nonNegativeIntArg)
    .option('--expires <time>', 'no firing after this time (ISO-8601 UTC or epoch ms)', timeArgNamed('--expires'))
    .option('--quiet <from-to>', "quiet hours in the user's time zone, e.g. 22:00-07:00")
    .option('--name <name>', 'a name (default: the expression)')
    .addOption(userOption())
    .action(async (expr: string, opts: AddOptions, cmd: Command) => {
      const scope = scopeOf(opts);
      await withAlerts(cmd, opts.user, async (access) => {
        const draft: Record<string, unknown> = {
          expression: expr,
          scope,
          interval: opts.interval,
          channels: opts.channel,
          ...(opts.frequency === undefined ? {} : { frequency: frequencyOf(opts.frequency) }),
          ...(opts.cooldown === undefined ? {} : { cooldownMinutes: opts.cooldown }),
          ...(opts.expires === undefined ? {} : { expiresAt: opts.expires }),
          ...(opts.quiet === undefined ? {} : { quietHours: quietOf(opts.quiet, access.user.timezone) }),
          ...(opts.name === undefined ? {} : { name: opts.name }),
        };
        const rule = await access.add(draft, checked(draft));
        process.stdout.write(`added rule ${rule.id} "${rule.name}" for ${access.user.name}\n`);
      });
    });

  alerts
    .command('list')
    .description("the user's rules: expression, scope, interval, frequency, channels, and whether armed, muted or disabled")
    .addOption(userOption())
    .action(async (opts: { user?: string }, cmd: Command) => {
      await withAlerts(cmd, opts.user, async (access) => {
        process.stdout.write(formatRules(await access.list(), access.user.name, Date.now()));
      });
    });

  alerts
    .command('rm')
    .description('delete a rule (its firings stay in the history)')
    .argument('<id>', 'rule id (`alerts list` shows it)', positiveIntArg)
    .addOption(userOption())
    .action(async (id: number, opts: { user?: string }, cmd: Command) => {
      await withAlerts(cmd, opts.user, async (access) => {
        await access.remove(id);
        process.stdout.write(`removed rule ${id}\n`);
      });
    });

  alerts
    .command('mute')
    .description('keep a rule from firing for some minutes (--minutes), or end its mute (--off)')
    .argument('<id>', 'rule id', positiveIntArg)
    .option('--minutes <m>', 'how long, from now', positiveIntArg)
    .option('--off', 'end the mute now')
    .addOption(userOption())
    .action(async (id: number, opts: { minutes?: number; off?: boolean; user?: string }, cmd: Command) => {
      if ((opts.minutes === undefined) === (opts.off !== true)) throw new BadInputError('give either --minutes M or --off');
      const until = opts.minutes === undefined ? null : Date.now() + opts.minutes * 60_000;
      await withAlerts(cmd, opts.user, async (access) => {
        const rule = await access.setMutedUntil(id, until);
        process.stdout.write(rule.mutedUntil === null ? `rule ${id} is no longer muted\n` : `rule ${id} muted until ${isoMinute(rule.mutedUntil)} UTC\n`);
      });
    });

  alerts
    .command('test')
    .description("send a test message on each of the rule's channels now (directly, Telegram needs TELEGRAM_BOT_TOKEN and webhooks TICKERFLOW_WEBHOOK_KEY); fails if any channel did")
    .argument('<id>', 'rule id', positiveIntArg)
    .addOption(userOption())
    .action(async (id: number, opts: { user?: string }, cmd: Command) => {
      await withAlerts(cmd, opts.user, async (access) => {
        const { rule, result } = await access.test(id);
        for (const c of result.delivered) process.stdout.write(`sent     ${c}\n`);
        for (const f of result.failed) process.stdout.write(`FAILED   ${f.channel}: ${f.error}\n`);
        if (result.failed.length > 0) throw new BadInputError(`${result.failed.length} of the ${result.failed.length + result.delivered.length} channels of rule ${rule.id} failed`);
      });
    });

  scopeOptions(
    alerts
      .command('preview')
      .description('how often a draft rule would have fired over stored history, and what the price did 1h, 4h and 1d later: one row per firing, then the summary (table)')
      .argument('<expr>', 'the rule, e.g. "rsi:14 crosses_below 30" (quote it)'),
  )
    .requiredOption('--interval <interval>', 'bar interval the rule runs on')
    .requiredOption('--from <time>', 'window start (ISO-8601 UTC or epoch ms)', timeArgNamed('--from'))
    .option('--to <time>', 'window end (default now; at most 366 days after --from)', timeArgNamed('--to'))
    .option('--frequency <f>', 'once, once_per_bar (also on the bar while it forms, at most once per bar), once_per_bar_close (default) or every:<minutes>')
    .addOption(new Option('-f, --format <format>', 'table (UTC times, returns in %, summary), csv (open_time and fired_at in epoch ms, intrabar, returns as fractions) or json').choices(PREVIEW_FORMATS).default('table'))
    .addOption(userOption())
    .action(async (expr: string, opts: ScopeOptions & { interval: string; from: number; to?: number; frequency?: string; format: (typeof PREVIEW_FORMATS)[number]; user?: string }, cmd: Command) => {
      const to = opts.to ?? Date.now();
      if (to <= opts.from) throw new BadInputError('--to must be after --from');
      if (to - opts.from > MAX_PREVIEW_MS) throw new BadInputError('--from: a preview covers at most 366 days');
      const draft: Record<string, unknown> = { expression: expr, scope: scopeOf(opts), interval: opts.interval, channels: ['dashboard'], ...(opts.frequency === undefined ? {} : { frequency: frequencyOf(opts.frequency) }) };
      const definition = checked(draft);
      if (definition.kind !== 'bar') throw new BadInputError('a health rule has no history to preview');
      await withAlerts(cmd, opts.user, async (access) => {
        process.stdout.write(formatPreview(await access.preview(draft, definition, opts.from, to), opts.format));
      });
    });
}
