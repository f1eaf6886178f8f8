/**
 * Command-line options of `npm start` (cli/start.ts): parsing, validation with messages that name
 * the flag, the value and the fix, and the help text. Pure: no I/O (environment variables are
 * passed in), so tests call it directly; cli/check-paths.ts checks the paths against the disk.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_DATA_DIR, DEFAULT_ENV_FILE, DEFAULT_LOG_DIR, DEFAULT_OUTPUTS_FILE } from '../local/run-files';
import { environments } from '../stacks/environments';
import { explainParseError, integerFlag as integer, numberFlag as number, pathFlag as path_, UsageError } from './arguments';

export { UsageError };

export interface StartOptions {
  /** The profile to run, a key of stacks/environments.ts. @default 'development' */
  readonly environment: string;
  /** Valid demo orders posted to order-service. Range 0 – 100,000. @default 20 */
  readonly orders: number;
  /** Orders per second; 0 = as fast as order-service answers. Range 0 – 10,000. @default 10 */
  readonly rate: number;
  /** Malformed messages put straight on the order queue. Range 0 – 1,000. @default 3 */
  readonly malformed: number;
  /** Share of records the local mappings fail on purpose, 0 – 1 (given in percent). @default 0 */
  readonly failureRate: number;
  /** Port of the embedded SQS server on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port: number;
  /** Folder where the server persists queues and messages. @default undefined (in memory) */
  readonly dataDir?: string;
  /** Outputs file for apps. @default .local/outputs.json */
  readonly outputsFile: string;
  /**
   * Shell file for apps to source (endpoint, region, credentials, queue URLs). The flag is
   * `--app-env`: Node itself reads `--env-file` anywhere on its command line. @default .local/env
   */
  readonly envFile: string;
  /** Folder for the functions' log files. @default .local/logs */
  readonly logDir: string;
  /** Execution environments per consumer without maximumConcurrency. Range 1 – 100. @default 2 */
  readonly concurrency: number;
  /** Run the demo, print a summary and exit (0 = every check passed). @default false */
  readonly once: boolean;
  /** Divide visibility and function timeouts by 10 for this run. @default true with --once, else false */
  readonly fast: boolean;
  /** With --once: give up after this many seconds. Range 10 – 3,600. @default 120 with --fast, else 600 */
  readonly deadlineSeconds: number;
  readonly help: boolean;
}

export const HELP = `Usage: npm start -- [options]

Runs an environment (development unless --env says otherwise) on your machine with no AWS account:
embedded SQS and DynamoDB servers on 127.0.0.1, its queues, DLQs and idempotency table provisioned
from stacks/topology.ts and stacks/environments.ts, the bundled Lambdas
driven by a local event source mapping, and a demo set of orders sent through order-service.
Keeps serving until Ctrl-C (or exits after the demo with --once).

Options:
  --env <name>          the environment to run, a profile of stacks/environments.ts
                        (${Object.keys(environments).join(', ')}; default development)
  --orders <n>          valid demo orders sent through order-service, 0 – 100000 (default 20)
  --rate <n>            orders per second, 0 = as fast as order-service answers, 0 – 10000
                        (default 10)
  --malformed <n>       malformed messages put straight on the order queue, as a buggy producer
                        would; each must end in the order DLQ after maxReceiveCount receives,
                        0 – 1000 (default 3)
  --failure-rate <pct>  percent of records the local event source mapping fails on purpose,
                        to watch retries and DLQs, 0 – 100 (default 0)
  --port <n>            port of the embedded SQS server on 127.0.0.1, 0 = any free port
                        (default 0)
  --persist             keep queues, messages and the idempotency table between runs, in
                        ${DEFAULT_DATA_DIR} (default: in memory, gone on exit)
  --data-dir <path>     the same, in <path>
  --outputs <file>      every stack output (queue URLs / ARNs, function URL, ...) plus the
                        endpoint and region, for apps (default .local/outputs.json)
  --app-env <file>      the same for a shell: source it and an AWS SDK app needs nothing else
                        (endpoint, region, placeholder credentials, <QUEUE>_QUEUE_URL);
                        default .local/env
  --log-dir <path>      one log file per function, and invocations.jsonl with one record per
                        invocation: outcome, failed message ids, reason (default .local/logs)
  --concurrency <n>     execution environments per consumer whose spec sets no
                        maximumConcurrency, 1 – 100 (default 2)
  --once                run the demo, print a summary and exit: 0 when every valid order
                        reached notification-service and every malformed message is in a DLQ,
                        1 otherwise (with --failure-rate, valid orders may be dead-lettered)
  --fast, --no-fast     divide queue visibility timeouts and function timeouts by 10 for this
                        local run only (visibility stays >= 6 x timeout), so failing messages
                        reach their DLQ in seconds, not minutes (default: on with --once)
  --deadline <s>        with --once, give up after this many seconds, 10 – 3600
                        (default 120 with --fast, else 600)
  -h, --help            show this help

Options go after "--" (npm start -- --once); without it npm reads them as its own settings.
Switches (--once, --persist, --fast, --no-fast) and --flag=value still arrive and are used.

Examples:
  npm start                                  demo, then keep serving (Ctrl-C to stop)
  npm start -- --once                        demo, summary, exit status for CI
  npm start -- --orders 200 --rate 50 --failure-rate 20 --fast
`;

const FLAGS = {
  env: { type: 'string' },
  orders: { type: 'string' },
  rate: { type: 'string' },
  malformed: { type: 'string' },
  'failure-rate': { type: 'string' },
  port: { type: 'string' },
  persist: { type: 'boolean' },
  'data-dir': { type: 'string' },
  outputs: { type: 'string' },
  'app-env': { type: 'string' },
  'log-dir': { type: 'string' },
  concurrency: { type: 'string' },
  once: { type: 'boolean' },
  fast: { type: 'boolean' },
  'no-fast': { type: 'boolean' },
  deadline: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Parses `argv` (without node and script); throws UsageError naming the flag, value and fix.
 * @param env the process environment: under `npm start`, options given without `--` arrive as
 *   `npm_config_<flag>` variables (npm takes them for its own settings) and are used from there
 */
export function parseStartOptions(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): StartOptions {
  let values: Record<string, string | boolean | undefined>;
  const args = [...npmConfigArgs(argv, env), ...argv];
  try {
    ({ values } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(explainParseError(error as Error, args, 'npm start -- --help'));
  }
  if (values.fast && values['no-fast']) throw new UsageError('--fast and --no-fast were both given; pick one');
  const once = values.once === true;
  const fast = values.fast === true ? true : values['no-fast'] === true ? false : once;
  const persistDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : values.persist ? DEFAULT_DATA_DIR : undefined;
  if (persistDir !== undefined && persistDir.trim() === '') throw new UsageError('--data-dir must not be empty; e.g. --data-dir .local/data');
  return {
    orders: integer(values, 'orders', 20, 0, 100_000),
    rate: number(values, 'rate', 10, 0, 10_000),
    malformed: integer(values, 'malformed', 3, 0, 1_000),
    environment: environmentFlag(values.env),
    failureRate: number(values, 'failure-rate', 0, 0, 100) / 100,
    port: integer(values, 'port', 0, 0, 65_535),
    ...(persistDir !== undefined ? { dataDir: persistDir } : {}),
    outputsFile: path_(values, 'outputs', DEFAULT_OUTPUTS_FILE),
    envFile: path_(values, 'app-env', DEFAULT_ENV_FILE),
    logDir: path_(values, 'log-dir', DEFAULT_LOG_DIR),
    concurrency: integer(values, 'concurrency', 2, 1, 100),
    once,
    fast,
    deadlineSeconds: integer(values, 'deadline', fast ? 120 : 600, 10, 3_600),
    help: values.help === true,
  };
}




/**
 * Our flags that npm swallowed. npm (11) turns `npm start --once` into npm_config_once=true,
 * `--no-fast` into npm_config_fast='' and `--orders=5` into npm_config_orders=5, but `--orders 5`
 * into npm_config_orders=true plus a stray argument "5": a value flag set to "true" cannot be
 * recovered and gets an error saying how to write it.
 */
function npmConfigArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  if (env.npm_lifecycle_event === undefined) return [];
  const given = new Set(argv.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0]!.replace(/^no-/, '')));
  const args: string[] = [];
  for (const [flag, spec] of Object.entries(FLAGS)) {
    if (flag === 'help' || flag === 'no-fast' || given.has(flag)) continue;
    const value = env[`npm_config_${flag.replace(/-/g, '_')}`];
    if (value === undefined) continue;
    if (spec.type === 'boolean') {
      if (value === 'true') args.push(`--${flag}`);
      else if (value === '' && flag === 'fast') args.push('--no-fast');
    } else if (value === 'true' || value === '') {
      throw new UsageError(`npm took --${flag} for its own setting and dropped its value; write the options after "--": npm start -- --${flag} <value> (or --${flag}=<value>)`);
    } else {
      args.push(`--${flag}=${value}`);
    }
  }
  return args;
}

/** `--env`: one of the profiles' names. */
function environmentFlag(value: unknown): string {
  const known = Object.keys(environments);
  if (value === undefined) return 'development';
  if (typeof value !== 'string' || !known.includes(value)) {
    throw new UsageError(`--env must be one of the environments of stacks/environments.ts (${known.join(', ')}), but "${String(value)}" was provided; add a profile for it or pick one of those`);
  }
  return value;
}
