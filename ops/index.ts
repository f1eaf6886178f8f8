/** What other code uses of the operator command: running it, and the permissions it needs. */
export { runOps, type OpsIo } from './run-ops';
export { allOperatorPermissions, OPERATOR_PERMISSIONS, STACK_TARGET_PERMISSIONS, type OperatorPermission, type PermissionScope } from './operator-permissions';
export { EXIT as OPS_EXIT_CODES } from './exit-codes';
