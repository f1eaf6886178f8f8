/**
 * Queue URLs an SDK can use as they are. fauxqs 2.4 builds them as
 * `http://sqs.<region>.localhost:<port>/...`, a host that does not resolve everywhere, and keeps the
 * URL a persisted queue was created with (an old port). Every queue URL becomes
 * `http://<host the client used>/<account>/<name>` (`127.0.0.1:<port>` in local mode), so
 * GetQueueUrl, CreateQueue and ListQueues answer the same URL, also after a restart on another port.
 */
import type { FauxqsInternals, FauxqsStore } from './fauxqs-internals.ts';

const ACCOUNT_ID = '000000000000';
const stores = new Set<FauxqsStore>();

export function fixQueueUrls(internals: FauxqsInternals): void {
  const store = internals.SqsStore.prototype;
  store.buildQueueUrl = function buildQueueUrl(this: FauxqsStore, queueName: string, _port: unknown, requestHost: string): string {
    stores.add(this);
    return `http://${requestHost}/${ACCOUNT_ID}/${queueName}`;
  };
  const createQueue = store.createQueue;
  store.createQueue = function createQueueAndRemember(this: FauxqsStore, ...args: unknown[]): unknown {
    stores.add(this);
    return createQueue.apply(this, args);
  };
}

/**
 * Re-addresses queues loaded from a data directory (created on another port, or with the
 * sqs.<region>.localhost host) to `origin` (`http://127.0.0.1:<port>`). In memory only: rewriting
 * the sqs_queues row with INSERT OR REPLACE would cascade-delete the queue's messages.
 */
export function rehostQueues(origin: string): void {
  for (const store of stores) {
    for (const queue of [...store.allQueues()]) {
      const url = `${origin}/${ACCOUNT_ID}/${queue.name}`;
      if (queue.url === url) continue;
      store.queues.delete(queue.url);
      (queue as { url: string }).url = url;
      store.queues.set(url, queue);
    }
  }
}
