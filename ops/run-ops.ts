/**
 * `npm run ops -- <command> …`: parses the command line, resolves the target, runs the command
 * and turns what went wrong into one message and an exit status (see exit-codes.ts). Importable,
 * so tests run it in-process against the embedded server.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { explainParseError } from '../cli/arguments';
import type { FlagSpec, OpsCommand, OpsContext, OpsOutput } from './command';
import { OPS_COMMANDS } from './commands';
import { EXIT, RefusedError, UsageError } from './exit-codes';
import { commandHelp, OPS, overviewHelp } from './help';
import { isMissingQueue } from './sqs-error-code';
import { resolveTarget } from './target';

export interface OpsIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Folder relative paths (and the default .local/outputs.json) are read from. */
  readonly cwd: string;
  /** @default a client from the AWS SDK's chain */
  readonly createCloudFormationClient?: () => CloudFormationClient;
  /** How often `--wait` polls. @default 1000 ms */
  readonly pollIntervalMs?: number;
}

const COMMON_FLAGS: Readonly<Record<string, FlagSpec>> = {
  outputs: { type: 'string', usage: '--outputs <file>', help: '' },
  env: { type: 'string', usage: '--env <environment>', help: '' },
  stack: { type: 'string', usage: '--stack <name>', help: '' },
  logs: { type: 'string', usage: '--logs <dir>', help: '' },
  json: { type: 'boolean', usage: '--json', help: '' },
  help: { type: 'boolean', short: 'h', usage: '--help', help: '' },
};

export async function runOps(argv: readonly string[], io: OpsIo): Promise<number> {
  const write = (stream: OpsIo['stdout'], text: string) => void stream.write(text.endsWith('\n') ? text : `${text}\n`);
  let command: OpsCommand | undefined;
  try {
    const selected = selectCommand(argv);
    if ('help' in selected) {
      write(selected.help.exitCode === EXIT.ok ? io.stdout : io.stderr, selected.help.text);
      return selected.help.exitCode;
    }
    command = selected.command;
    const { values, positionals } = parseCommandLine(command, selected.rest);
    if (values.help === true) {
      write(io.stdout, commandHelp(command));
      return EXIT.ok;
    }
    if (!command.argument && positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; run "${OPS} ${command.name} --help"`);
    if (positionals.length > 1) throw new UsageError(`one ${command.argument!.name} only, but ${positionals.length} were given: ${positionals.join(' ')}`);
    const target = await resolveTarget(
      { outputs: str(values.outputs), env: str(values.env), stack: str(values.stack), logs: str(values.logs) },
      { cwd: io.cwd, createCloudFormationClient: io.createCloudFormationClient ?? (() => new CloudFormationClient({})) },
    );
    const json = values.json === true;
    const out: OpsOutput = {
      line: (text) => write(io.stdout, text),
      note: (text) => write(io.stderr, text),
      json: (value) => write(io.stdout, JSON.stringify(value, null, 2)),
    };
    const sqs = target.createSqsClient();
    try {
      const context: OpsContext = {
        target,
        sqs,
        out,
        json,
        now: () => Date.now(),
        sleep: (ms) => sleepFor(ms),
        pollIntervalMs: io.pollIntervalMs ?? 1_000,
      };
      return await command.run(context, positionals[0], values);
    } finally {
      sqs.destroy();
    }
  } catch (error) {
    const prefix = `ops${command ? ` ${command.name}` : ''}: `;
    if (error instanceof UsageError) {
      write(io.stderr, `${prefix}${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof RefusedError) {
      write(io.stderr, `${prefix}${error.message}`);
      return EXIT.refused;
    }
    if (isMissingQueue(error)) {
      write(io.stderr, `${prefix}a queue of the target does not exist (${(error as Error).message}); are the outputs stale? Redeploy, or restart the local run`);
      return EXIT.failed;
    }
    write(io.stderr, `${prefix}failed: ${(error as Error).name}: ${(error as Error).message}`);
    return EXIT.failed;
  }
}

type Selection = { command: OpsCommand; rest: string[] } | { help: { text: string; exitCode: number } };

/** `status …`, `dlq peek …`: the command and the rest of the arguments. */
function selectCommand(argv: readonly string[]): Selection {
  const [first, second] = argv;
  const wantsHelp = (token: string | undefined) => token === undefined || token === '--help' || token === '-h';
  if (wantsHelp(first)) return { help: { text: overviewHelp(OPS_COMMANDS), exitCode: first === undefined ? EXIT.usage : EXIT.ok } };
  if (first === 'dlq') {
    const dlqCommands = OPS_COMMANDS.filter((command) => command.name.startsWith('dlq '));
    if (wantsHelp(second)) return { help: { text: overviewHelp(dlqCommands), exitCode: second === undefined ? EXIT.usage : EXIT.ok } };
    const command = dlqCommands.find((candidate) => candidate.name === `dlq ${second}`);
    if (!command) throw new UsageError(`unknown command "dlq ${second}"; the dlq commands are ${dlqCommands.map((candidate) => candidate.name.slice(4)).join(', ')}`);
    return { command, rest: argv.slice(2) };
  }
  const command = OPS_COMMANDS.find((candidate) => candidate.name === first);
  if (!command) {
    throw new UsageError(`unknown command "${first}"; the commands are ${OPS_COMMANDS.map((candidate) => candidate.name).join(', ')} (run "${OPS} --help")`);
  }
  return { command, rest: argv.slice(1) };
}

function parseCommandLine(command: OpsCommand, args: readonly string[]) {
  const specs = { ...COMMON_FLAGS, ...command.flags };
  const options = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }]));
  try {
    const parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new UsageError(explainParseError(error as Error, args, `${OPS} ${command.name} --help`));
  }
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
