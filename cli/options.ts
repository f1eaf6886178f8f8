/**
 * Command-line options of `npm start` (cli/start.ts): parsing, validation with messages that name
 * the flag, the value and the fix, and the help text. Pure: no I/O, so tests call it directly.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { explainParseError, integerFlag as integer, numberFlag as number, pathFlag as path_, UsageError } from './arguments';

export { UsageError };

export interface StartOptions {
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

export const DEFAULT_DATA_DIR = path.join('.local', 'sqs');
/** Where the local run writes its outputs file (and `npm run ops` looks for it). */
export const DEFAULT_OUTPUTS_FILE = path.join('.local', 'outputs.json');
/** Where the local run writes one log file per function. */
export const DEFAULT_LOG_DIR = path.join('.local', 'logs');

export const HELP = `Usage: npm start -- [options]

Runs the development environment on your machine with no AWS account: an embedded SQS server on
127.0.0.1, the development queues and DLQs provisioned from stacks/topology.ts, the bundled Lambdas
driven by a local event source mapping, and a demo set of orders sent through order-service.
Keeps serving until Ctrl-C (or exits after the demo with --once).

Options:
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
  --persist             keep queues and messages between runs, in ${DEFAULT_DATA_DIR}
                        (default: in memory, gone on exit)
  --data-dir <path>     keep queues and messages between runs, in <path>
  --outputs <file>      queue URLs / ARNs and the endpoint for apps (default .local/outputs.json)
  --log-dir <path>      one log file per function (default .local/logs)
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

Examples:
  npm start                                  demo, then keep serving (Ctrl-C to stop)
  npm start -- --once                        demo, summary, exit status for CI
  npm start -- --orders 200 --rate 50 --failure-rate 20 --fast
`;

const FLAGS = {
  orders: { type: 'string' },
  rate: { type: 'string' },
  malformed: { type: 'string' },
  'failure-rate': { type: 'string' },
  port: { type: 'string' },
  persist: { type: 'boolean' },
  'data-dir': { type: 'string' },
  outputs: { type: 'string' },
  'log-dir': { type: 'string' },
  concurrency: { type: 'string' },
  once: { type: 'boolean' },
  fast: { type: 'boolean' },
  'no-fast': { type: 'boolean' },
  deadline: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Parses `argv` (without node and script); throws UsageError naming the flag, value and fix. */
export function parseStartOptions(argv: readonly string[]): StartOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(explainParseError(error as Error, argv, 'npm start -- --help'));
  }
  if (values.fast && values['no-fast']) throw new UsageError('--fast and --no-fast were both given; pick one');
  const once = values.once === true;
  const fast = values.fast === true ? true : values['no-fast'] === true ? false : once;
  const persistDir = typeof values['data-dir'] === 'string' ? values['data-dir'] : values.persist ? DEFAULT_DATA_DIR : undefined;
  if (persistDir !== undefined && persistDir.trim() === '') throw new UsageError('--data-dir must not be empty; e.g. --data-dir .local/sqs');
  return {
    orders: integer(values, 'orders', 20, 0, 100_000),
    rate: number(values, 'rate', 10, 0, 10_000),
    malformed: integer(values, 'malformed', 3, 0, 1_000),
    failureRate: number(values, 'failure-rate', 0, 0, 100) / 100,
    port: integer(values, 'port', 0, 0, 65_535),
    ...(persistDir !== undefined ? { dataDir: persistDir } : {}),
    outputsFile: path_(values, 'outputs', DEFAULT_OUTPUTS_FILE),
    logDir: path_(values, 'log-dir', DEFAULT_LOG_DIR),
    concurrency: integer(values, 'concurrency', 2, 1, 100),
    once,
    fast,
    deadlineSeconds: integer(values, 'deadline', fast ? 120 : 600, 10, 3_600),
    help: values.help === true,
  };
}
