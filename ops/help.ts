/** The `--help` texts of `npm run ops` and of each command. */
import type { OpsCommand } from './command';
import { EXIT } from './exit-codes';

/** How the command is invoked in examples (`npm run ops --`; installed packages have `sqs-messaging-ops`). */
export const OPS = 'npm run ops --';

const TARGET_OPTIONS = `Where it points (default: the local run, when .local/outputs.json exists):
  --outputs <file>      an outputs file of a deployment ("cdktf deploy <env> --outputs-file <file>")
  --env <environment>   the environment in that file (needed when it has several)
  --stack <name>        a deployed CloudFormation stack of templates/messaging.yaml (reads its outputs)
  --logs <dir>          the local run's function logs, for failure reasons (default .local/logs)
Credentials and region come from the AWS SDK's usual chain (AWS_PROFILE, AWS_REGION, SSO, roles);
the local run needs none.

Output:
  --json                one JSON document on stdout instead of the table
  -h, --help            this help`;

const EXIT_CODES = `Exit status: ${EXIT.ok} done, ${EXIT.failed} failed (SQS error, or a redrive that did not complete),
${EXIT.usage} bad input (nothing changed), ${EXIT.refused} refused by the queue's state (nothing changed).`;

export function overviewHelp(commands: readonly OpsCommand[]): string {
  const short = (command: OpsCommand) => [command.name, command.argument?.name].filter(Boolean).join(' ');
  const width = Math.max(...commands.map((command) => short(command).length));
  return `Usage: ${OPS} <command> [arguments] [options]

Operate the queues of an environment: look at them, inspect dead letters, send them back with
SQS's own redrive (StartMessageMoveTask), purge them, send a test message. The same commands
work on the local run and on a deployed environment.

Commands:
${commands.map((command) => `  ${short(command).padEnd(width)}  ${command.summary}`).join('\n')}

${TARGET_OPTIONS}

${EXIT_CODES}

"${OPS} <command> --help" explains a command and its options. Where this package is installed
as a dependency, the same command is "npx sqs-messaging-ops <command>". When the DLQ alarm fires:
status, dlq peek, fix the consumer, dlq redrive --wait (README, "Operating").
`;
}

export function commandHelp(command: OpsCommand): string {
  const flags = Object.values(command.flags);
  const width = Math.max(20, ...flags.map((flag) => flag.usage.length), command.argument?.name.length ?? 0);
  const lines = [
    `Usage: ${OPS} ${usageLine(command)}`,
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    '',
    ...(command.argument ? ['Arguments:', `  ${command.argument.name.padEnd(width)}  ${command.argument.help}`, ''] : []),
    ...(flags.length ? ['Options:', ...flags.map((flag) => `  ${flag.usage.padEnd(width)}  ${flag.help}`), ''] : []),
    command.details,
    '',
    TARGET_OPTIONS,
    '',
    EXIT_CODES,
    '',
  ];
  return lines.join('\n');
}

function usageLine(command: OpsCommand): string {
  return [command.name, command.argument?.name, ...Object.values(command.flags).map((flag) => `[${flag.usage}]`)].filter(Boolean).join(' ');
}
