// Work-arounds for two fauxqs 2.4 defects that break local mode, applied inside the server process
// (loaded by sqs-server-process.mjs before the server starts). Each patch is narrow, checks that the
// code it replaces still looks as expected, and says why it exists.
//
// 1. Persistence: ChangeMessageVisibility(VisibilityTimeout=0) on a persisted server runs
//    PersistenceManager.updateMessageReady, which writes NULL into the NOT NULL column
//    sqs_messages.approximate_receive_count (`ERR_SQLITE_ERROR: NOT NULL constraint failed`). The
//    store has already taken the message out of flight when it throws, so besides the failed request
//    the message vanishes from memory until the next start. Fixed by clearing only the in-flight
//    columns (receipt handle and visibility deadline), as fauxqs's own loader does on restart.
//
// 2. Queue URLs: fauxqs builds them as http://sqs.<region>.localhost:<port>/..., a host that does not
//    resolve everywhere, and keeps the URL a persisted queue was created with (an old port). Every
//    queue URL is made http://<host the client used>/<account>/<name> (127.0.0.1:<port> for local
//    mode), so GetQueueUrl, CreateQueue and ListQueues answer URLs an SDK can use as they are.
import { DatabaseSync } from 'node:sqlite';

const fauxqsMain = import.meta.resolve('fauxqs');
const { PersistenceManager } = await import(new URL('./persistence.js', fauxqsMain).href);
const { SqsStore } = await import(new URL('./sqs/sqsStore.js', fauxqsMain).href);

const ACCOUNT_ID = '000000000000';
const stores = new Set();

/** Installs both patches; call before startFauxqs. */
export function applyFauxqsFixes() {
  if (typeof PersistenceManager?.prototype?.updateMessageReady !== 'function' || typeof SqsStore?.prototype?.buildQueueUrl !== 'function') {
    throw new Error('fauxqs changed: PersistenceManager.updateMessageReady or SqsStore.buildQueueUrl is gone; review local/fauxqs-fixes.mjs');
  }
  const markReady = new WeakMap();
  PersistenceManager.prototype.updateMessageReady = function updateMessageReady(messageId) {
    if (!(this.db instanceof DatabaseSync)) throw new Error('fauxqs changed: PersistenceManager.db is not a node:sqlite database');
    let statement = markReady.get(this);
    if (!statement) {
      statement = this.db.prepare('UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?');
      markReady.set(this, statement);
    }
    statement.run(messageId);
  };

  SqsStore.prototype.buildQueueUrl = function buildQueueUrl(queueName, _port, requestHost) {
    stores.add(this);
    return `http://${requestHost}/${ACCOUNT_ID}/${queueName}`;
  };
  const createQueue = SqsStore.prototype.createQueue;
  SqsStore.prototype.createQueue = function createQueueAndRemember(...args) {
    stores.add(this);
    return createQueue.apply(this, args);
  };
}

/**
 * Re-addresses queues loaded from a data directory (created on another port or with the
 * sqs.<region>.localhost host) to `origin` (`http://127.0.0.1:<port>`). In memory only: rewriting
 * the sqs_queues row with INSERT OR REPLACE would cascade-delete the queue's messages.
 */
export function rehostQueues(origin) {
  for (const store of stores) {
    for (const queue of [...store.allQueues()]) {
      const url = `${origin}/${ACCOUNT_ID}/${queue.name}`;
      if (queue.url === url) continue;
      store.queues.delete(queue.url);
      queue.url = url;
      store.queues.set(url, queue);
    }
  }
}
