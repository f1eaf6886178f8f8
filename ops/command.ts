/**
 * What every `npm run ops` command is: its name and help, its own flags and arguments, the SDK
 * calls it makes (its permissions), and a `run` that gets a resolved target and an SQS client.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { OperatorPermission } from './permissions';
import type { OpsTarget } from './target';

/** Where a command writes: results to stdout, progress and notes to stderr. */
export interface OpsOutput {
  /** A line of the human result (stdout). */
  line(text: string): void;
  /** A line of progress or advice (stderr), so stdout stays the result. */
  note(text: string): void;
  /** The machine-readable result (stdout, one JSON document). */
  json(value: unknown): void;
}

export interface OpsContext {
  readonly target: OpsTarget;
  readonly sqs: SQSClient;
  readonly out: OpsOutput;
  /** `--json`: one JSON document on stdout instead of the human output. */
  readonly json: boolean;
  /** Clock and pause, replaceable in tests. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** How often `--wait` asks for progress. @default 1000 ms */
  readonly pollIntervalMs: number;
}

/** A flag of a command, as node:util's parseArgs takes it, with its help line. */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** `--rate <n>` — shown in help. */
  readonly usage: string;
  readonly help: string;
}

export interface OpsCommand {
  /** `status`, `dlq peek`, … */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The positional argument, e.g. `<queue>`, if any. */
  readonly argument?: { readonly name: string; readonly help: string };
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** Longer explanation and examples, after the options in `--help`. */
  readonly details: string;
  /** IAM permissions of the SDK calls `run` makes. */
  readonly permissions: readonly OperatorPermission[];
  /** Returns the exit status; throws UsageError (2), RefusedError (3) or any error (1). */
  run(context: OpsContext, argument: string | undefined, flags: Readonly<Record<string, string | boolean | undefined>>): Promise<number>;
}
