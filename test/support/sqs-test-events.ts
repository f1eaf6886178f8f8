/**
 * SQS events shaped like the ones Lambda's event source mapping delivers: messageId,
 * receiptHandle, body, attributes (ApproximateReceiveCount, SentTimestamp, … and for FIFO
 * MessageGroupId, MessageDeduplicationId, SequenceNumber), messageAttributes with the
 * `correlationId` String attribute, md5OfBody, eventSource `aws:sqs`, eventSourceARN, awsRegion.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { toSqsEvent, toSqsRecord } from '../../local/sqs-event';

/** One record to put in a test event. */
export interface TestRecord {
  readonly body: string;
  /** @default no correlationId attribute */
  readonly correlationId?: string;
  /** Required for FIFO sources. */
  readonly messageGroupId?: string;
  /** @default a random UUID */
  readonly messageId?: string;
  /** @default 1 */
  readonly receiveCount?: number;
}

let sequenceNumber = 18_849_496_460_467_696_128n;

/** An SQS event of `records` from the queue `queueArn` (FIFO when the ARN ends in `.fifo`). */
export function sqsTestEvent(queueArn: string, records: readonly TestRecord[]): SQSEvent {
  const region = queueArn.split(':')[3]!;
  const fifo = queueArn.endsWith('.fifo');
  const now = Date.now();
  return {
    Records: records.map((record): SQSRecord => {
      if (fifo && !record.messageGroupId) throw new Error('a FIFO record needs messageGroupId');
      const attributes: SQSRecord['attributes'] = {
        ApproximateReceiveCount: String(record.receiveCount ?? 1),
        SentTimestamp: String(now - 50),
        SenderId: 'AROAEXAMPLEROLEID:order-service',
        ApproximateFirstReceiveTimestamp: String(now),
        ...(fifo
          ? {
              MessageGroupId: record.messageGroupId,
              MessageDeduplicationId: createHash('sha256').update(record.body).digest('hex'),
              SequenceNumber: String((sequenceNumber += 1n)),
            }
          : {}),
      };
      return {
        messageId: record.messageId ?? randomUUID(),
        receiptHandle: randomBytes(96).toString('base64'),
        body: record.body,
        attributes,
        messageAttributes: record.correlationId === undefined ? {} : correlationAttribute(record.correlationId),
        md5OfBody: createHash('md5').update(record.body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      };
    }),
  };
}

function correlationAttribute(correlationId: string): SQSMessageAttributes {
  return { correlationId: { stringValue: correlationId, stringListValues: [], binaryListValues: [], dataType: 'String' } };
}

/** The event Lambda would build from messages received from `queueArn` (as the local mapping does). */
export function sqsEventFromMessages(queueArn: string, messages: readonly Message[]): SQSEvent {
  const source = { queueArn, region: queueArn.split(':')[3]! };
  return toSqsEvent(messages.map((message) => toSqsRecord(message, source)));
}
