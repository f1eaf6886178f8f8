/** Every `npm run ops` command, in the order help lists them. */
import type { OpsCommand } from '../command';
import { dlqCancelCommand } from './dlq-cancel';
import { dlqPeekCommand } from './dlq-peek';
import { dlqPurgeCommand } from './dlq-purge';
import { dlqRedriveCommand } from './dlq-redrive';
import { sendCommand } from './send';
import { statusCommand } from './status';

export const OPS_COMMANDS: readonly OpsCommand[] = [statusCommand, dlqPeekCommand, dlqRedriveCommand, dlqCancelCommand, dlqPurgeCommand, sendCommand];
