/**
 * Extensions of the embedded SQS server, installed by local/sqs-server-process.mjs before it
 * starts fauxqs: fixes for a persistence bug (visibility-reset-fix.ts) and for queue URLs
 * (queue-urls-fix.ts), and the SQS actions fauxqs lacks for local parity of DLQ redrive
 * (move-tasks/). Each is a small patch of fauxqs's own classes,
 * not a fork; fauxqs-internals.ts lists exactly what they rely on.
 */
import { loadFauxqsInternals } from './fauxqs-internals.ts';
import { installMoveTasks } from './move-tasks/install-move-tasks.ts';
import { fixQueueUrls } from './queue-urls-fix.ts';
import { fixVisibilityReset } from './visibility-reset-fix.ts';

export { rehostQueues } from './queue-urls-fix.ts';

export async function installFauxqsExtensions(): Promise<void> {
  const internals = await loadFauxqsInternals();
  fixVisibilityReset(internals);
  fixQueueUrls(internals);
  installMoveTasks(internals);
}
