/**
 * Builds the SQS event a Lambda receives from an event source mapping, field for field as AWS
 * delivers it (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event).
 */
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttribute, SQSRecord } from 'aws-lambda';

export interface EventSource {
  readonly queueArn: string;
  readonly region: string;
}

/** One received message as a Lambda SQS record. */
export function toSqsRecord(message: Message, source: EventSource): SQSRecord {
  const attributes = message.Attributes ?? {};
  const messageAttributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, toRecordAttribute(value)]),
  );
  return {
    messageId: required(message.MessageId, 'MessageId'),
    receiptHandle: required(message.ReceiptHandle, 'ReceiptHandle'),
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? '',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
      // FIFO queues add these three; AWS leaves them out on standard queues.
      ...(attributes.SequenceNumber !== undefined ? { SequenceNumber: attributes.SequenceNumber } : {}),
      ...(attributes.MessageGroupId !== undefined ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId !== undefined ? { MessageDeduplicationId: attributes.MessageDeduplicationId } : {}),
      ...(attributes.AWSTraceHeader !== undefined ? { AWSTraceHeader: attributes.AWSTraceHeader } : {}),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
}

export function toSqsEvent(records: readonly SQSRecord[]): SQSEvent {
  return { Records: [...records] };
}

/** SDK attribute (`StringValue`, bytes) → event attribute (`stringValue`, base64), as Lambda maps it. */
function toRecordAttribute(value: MessageAttributeValue): SQSMessageAttribute {
  return {
    ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
    ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((bytes) => Buffer.from(bytes).toString('base64')),
    dataType: value.DataType ?? 'String',
  };
}

function required(value: string | undefined, field: string): string {
  if (!value) throw new Error(`received an SQS message without ${field}`);
  return value;
}
