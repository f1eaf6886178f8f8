/**
 * The parts of fauxqs's internals the extensions rely on, typed. fauxqs exports only its server
 * (`startFauxqs`); its router, store, errors and persistence are plain modules of its `dist/`
 * folder. They are imported here by file URL, which gives the very module instances fauxqs itself
 * uses, so prototypes patched here apply to the server it builds. This is the only file that knows
 * fauxqs's file layout: a fauxqs upgrade that moves things breaks here, loudly, at start-up.
 */
import type { DatabaseSync } from 'node:sqlite';

/** A message as fauxqs holds it in memory (and persists it, one row per message). */
export interface FauxqsMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, unknown>;
  md5OfMessageAttributes: string;
  sentTimestamp: number;
  approximateReceiveCount: number;
  approximateFirstReceiveTimestamp?: number;
  delayUntil?: number;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
}

export interface FauxqsInflightEntry {
  readonly message: FauxqsMessage;
  readonly receiptHandle: string;
  visibilityDeadline: number;
}

/** One queue of the store: visible messages in receive order, in-flight ones by receipt handle. */
export interface FauxqsQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
  readonly attributes: Record<string, string | undefined>;
  /** Standard queues: visible messages in the order ReceiveMessage returns them. */
  messages: FauxqsMessage[];
  /** FIFO queues: visible messages per message group, groups in the order receives visit them. */
  readonly fifoMessages: Map<string, FauxqsMessage[]>;
  /** FIFO queues: groups with a message in flight (their later messages wait). */
  readonly fifoLockedGroups: Map<string, number>;
  readonly inflightMessages: Map<string, FauxqsInflightEntry>;
  persistence?: FauxqsPersistence;
  isFifo(): boolean;
  getAttribute(name: string): string | undefined;
  /** Adds a message (in memory and, with persistence, as a row) and wakes long polls. */
  enqueue(message: FauxqsMessage): void;
  dequeue(maxCount: number, visibilityTimeoutOverride: number | undefined, dlqResolver?: (arn: string) => FauxqsQueue | undefined): unknown[];
  /** Returns expired in-flight messages and due delayed messages to the visible ones. */
  processTimers(): void;
  nextSequenceNumber(): string;
}

export interface FauxqsStore {
  readonly queues: Map<string, FauxqsQueue>;
  buildQueueUrl(queueName: string, port: unknown, requestHost: string): string;
  createQueue(...args: unknown[]): unknown;
  persistence?: FauxqsPersistence;
  getQueue(url: string): FauxqsQueue | undefined;
  getQueueByArn(arn: string): FauxqsQueue | undefined;
  allQueues(): IterableIterator<FauxqsQueue>;
}

/** fauxqs's SQLite persistence (present when the server has a data directory). */
export interface FauxqsPersistence {
  readonly db: DatabaseSync;
  transaction(fn: () => void): void;
  deleteMessage(messageId: string): void;
  updateMessageReady(messageId: string): void;
}

/** An SQS action handler: the parsed JSON request in, the JSON response out; throws `SqsError`. */
export type FauxqsActionHandler = (body: Record<string, unknown>, store: FauxqsStore) => unknown;

export interface FauxqsRouter {
  readonly store: FauxqsStore;
  register(action: string, handler: FauxqsActionHandler): void;
}

export interface SqsErrorConstructor {
  new (code: string, message: string, statusCode?: number, senderFault?: boolean, queryCode?: string): Error;
}

export interface FauxqsInternals {
  readonly SqsRouter: { prototype: FauxqsRouter };
  readonly SqsQueue: { prototype: FauxqsQueue };
  readonly SqsStore: { prototype: FauxqsStore };
  readonly createMessage: (
    body: string,
    messageAttributes: Record<string, unknown>,
    delaySeconds: number | undefined,
    messageGroupId: string | undefined,
    messageDeduplicationId: string | undefined,
  ) => FauxqsMessage;
  readonly SqsError: SqsErrorConstructor;
  readonly PersistenceManager: { prototype: FauxqsPersistence };
}

/** Loads fauxqs's internal modules (the instances its server uses). */
export async function loadFauxqsInternals(): Promise<FauxqsInternals> {
  const entry = import.meta.resolve('fauxqs');
  const load = (file: string) => import(new URL(file, entry).href);
  const [router, store, errors, persistence] = await Promise.all([
    load('./sqs/sqsRouter.js'),
    load('./sqs/sqsStore.js'),
    load('./common/errors.js'),
    load('./persistence.js'),
  ]);
  const internals: FauxqsInternals = {
    SqsRouter: router.SqsRouter,
    SqsQueue: store.SqsQueue,
    SqsStore: store.SqsStore,
    createMessage: store.SqsStore?.createMessage?.bind(store.SqsStore),
    SqsError: errors.SqsError,
    PersistenceManager: persistence.PersistenceManager,
  };
  const missing = Object.entries(internals)
    .filter(([, value]) => typeof value !== 'function')
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new Error(`this fauxqs version does not have ${missing.join(', ')} where the local SQS extensions expect them (local/fauxqs-extensions/fauxqs-internals.ts)`);
  }
  return internals;
}
