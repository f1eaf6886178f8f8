/**
 * The IAM permissions of every `npm run ops` command, for the operator policy (one per
 * environment, attached to the on-call role): per command, each action and the resource it must be
 * allowed on (see permissions.ts). Without `--stack` nothing but SQS is called; with it, every
 * command first reads the stack's outputs.
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { OPS_COMMANDS } from './commands';
import { stackTargetPermissions, type OperatorPermission } from './permissions';

export type { OperatorPermission, PermissionScope } from './permissions';

/** `{ status: [...], 'dlq peek': [...], … }` */
export const OPERATOR_PERMISSIONS: Readonly<Record<string, readonly OperatorPermission[]>> = Object.fromEntries(
  OPS_COMMANDS.map((command) => [command.name, command.permissions]),
);

/** What `--stack <name>` adds to every command. */
export const STACK_TARGET_PERMISSIONS: readonly OperatorPermission[] = stackTargetPermissions(DescribeStacksCommand);

/** Every distinct action and scope the commands need, sorted (e.g. to build or check a policy). */
export function allOperatorPermissions(): { action: string; on: OperatorPermission['on'] }[] {
  const unique = new Map<string, { action: string; on: OperatorPermission['on'] }>();
  for (const permission of [...Object.values(OPERATOR_PERMISSIONS).flat(), ...STACK_TARGET_PERMISSIONS]) {
    unique.set(`${permission.action} ${permission.on}`, { action: permission.action, on: permission.on });
  }
  return [...unique.values()].sort((a, b) => a.action.localeCompare(b.action) || a.on.localeCompare(b.on));
}
