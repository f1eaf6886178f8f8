/**
 * The IAM permissions each `npm run ops` command needs, derived from the SDK command classes its
 * code sends (each command module lists them next to the code; test/ops/operator-permissions.test.ts
 * runs every command against the embedded server and checks that what it sends is exactly what it
 * lists). The operator policy is built from this list; `on` says which resource of the environment
 * each action must be allowed on.
 */
/** Which resource of an environment an action is needed on. */
export type PermissionScope =
  /** every main queue of the environment */
  | 'queue'
  /** every dead-letter queue of the environment */
  | 'dead-letter-queue'
  /** where `dlq redrive` moves messages: the DLQ's source queue, or the `--to` queue (any of the environment's queues) */
  | 'redrive-destination'
  /** the CloudFormation stack named with `--stack` */
  | 'stack';

export interface OperatorPermission {
  /** IAM action, e.g. `sqs:StartMessageMoveTask`. */
  readonly action: string;
  readonly on: PermissionScope;
  /** The SDK command that needs it, or the AWS documentation that requires it. */
  readonly why: string;
  /** True when ops sends the request itself; false when AWS checks it for work it does on the caller's behalf. */
  readonly sentByOps: boolean;
}

/** An SDK command class (its name is the API operation plus `Command`). */
export interface SdkCommandClass {
  readonly name: string;
}

/** Batch operations are authorized by their single-message action (SQS has no `sqs:SendMessageBatch`). */
const BATCH_SUFFIX = /Batch$/;

/** The IAM action an SQS SDK command class is authorized by. */
export function sqsAction(command: SdkCommandClass): string {
  return `sqs:${operation(command).replace(BATCH_SUFFIX, '')}`;
}

/** The permission `command` (an SQS SDK command class) needs on `on`. */
export function sqsCall(command: SdkCommandClass, on: PermissionScope): OperatorPermission {
  return { action: sqsAction(command), on, why: `${operation(command)} (sent by ops)`, sentByOps: true };
}

/** A permission AWS checks on the caller for an action the service performs on its behalf. */
export function requiredBy(action: string, on: PermissionScope, why: string): OperatorPermission {
  return { action, on, why, sentByOps: false };
}

/** What `--stack <name>` needs, for every command: reading the stack's outputs. */
export function stackTargetPermissions(describeStacks: SdkCommandClass): OperatorPermission[] {
  return [{ action: `cloudformation:${operation(describeStacks)}`, on: 'stack', why: `${operation(describeStacks)} (reads the outputs of --stack)`, sentByOps: true }];
}

function operation(command: SdkCommandClass): string {
  return command.name.replace(/Command$/, '');
}
