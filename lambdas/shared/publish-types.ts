/** What the publisher takes and gives back. */

/** One message to publish. */
export interface PublishMessage {
  /** The caller's key for this message, echoed in its result (a source messageId, an orderId). */
  readonly key: string;
  /** Message body (UTF-8). */
  readonly body: string;
  /** String message attributes, e.g. `{ correlationId: '…', eventType: 'OrderCreated' }`. At most 10. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** FIFO queues: the message group (we use the orderId). Ignored for standard queues. */
  readonly messageGroupId?: string;
  /** FIFO queues: the deduplication id (we use the eventId). Ignored for standard queues. */
  readonly deduplicationId?: string;
}

/** The outcome for one message, in the order the messages were given. */
export type PublishResult =
  | {
      readonly key: string;
      readonly status: 'sent';
      /** SQS MessageId. */
      readonly messageId: string;
      /** SendMessageBatch requests this message was part of (1 = first try). */
      readonly attempts: number;
    }
  | {
      readonly key: string;
      readonly status: 'failed';
      /** SQS error code (`InternalError`, `InvalidParameterValue`, …) or our own (`MessageTooLong`). */
      readonly code: string;
      readonly reason: string;
      /** True when the message itself is at fault (retrying it unchanged cannot succeed). */
      readonly senderFault: boolean;
      /** Requests this message was part of (0 when it was rejected before sending). */
      readonly attempts: number;
    };

export type SentResult = Extract<PublishResult, { status: 'sent' }>;
export type FailedResult = Extract<PublishResult, { status: 'failed' }>;
